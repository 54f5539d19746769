#!/usr/bin/env bash
# The main job: the whole pipeline on a real local KRaft broker, a benchmark's prompts through it, a report.
#
#   ops/demo.sh [--prompts N] [--strong-pct P] [--router NAME|DIR] [--calibration card|traffic]
#               [--benchmark gsm8k|mmlu] [--malformed N] [--latency-ms N] [--seed N] [--timeout-s N] [--out FILE]
#               [--bootstrap-servers HOST:PORT [--command-config FILE]]
#               [--brokers 1|3] [--router-instances N] [--worker-instances N] [--chaos]
#               [--feedback [--waves N] [--label-pct P] [--retrain-kind mf|classifier|ridge-knn]]
#               [--faults 500=R,503=R,429=R,timeout=R,drop=R,outage=strong|weak:DURATION[@START]]
#               [--via-batch-api]   (the prompts as one OpenAI batch job through the batch gateway)
#   ops/demo.sh --benchmark arena --models all|MODEL,MODEL,... [--target-cost-usd X] [--prompts N] [--seed N]
#               (many models: the held-out Arena prompts through one queue per model, chosen by the shipped
#               performance predictor and the cost-aware selector of etc/router-stream-arena.properties)
#   Every option: README.md, "The two commands".
#
# Builds what it needs on first use (or when sources changed), starts a broker from the Kafka jars of Maven
# Central on 127.0.0.1 in its own temporary directory, runs the replay LLM endpoint, the router-stream and the
# workers, waits until every prompt has a response or a dead letter, prints the report and writes it as JSON
# (default target/demo/summary.json). --faults makes each tier's replay provider fail that share of calls (and one
# of them go down for DURATION seconds from START, 5 s by default, after its first call); the report then also
# counts retries, failed calls by kind, fallbacks and dead letters. Logs go to target/demo/demo.log. Exits 1 if a prompt is unaccounted for,
# 2 on a bad argument.
exec "$(dirname "$0")/run" demo "$@"
