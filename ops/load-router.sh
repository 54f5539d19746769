#!/usr/bin/env bash
# The router-stream's load command, in one run: the router alone (its JMH benchmark, batched and one prompt at a time),
# then real GSM8K/MMLU prompts queued on a local broker and routed, exactly-once, by a pass-through Kafka Streams app
# (no scoring), the router-stream with the random router, and the router-stream with the router under test (card and
# traffic calibration), each the deployed main in a child JVM. Prints routed prompts/s, the ratio to the router's JMH
# rate, the strong share, lost and duplicated prompts, and each stream's peak resident memory.
#   ops/load-router.sh [--prompts N] [--router REF] [--partitions N] [--threads N] [--strong-pct P] [--heap SIZE] [--skip-jmh]
#                      [--rounds N] [--set KEY=VALUE ...]
exec "$(dirname "$0")/run" load-router "$@"
