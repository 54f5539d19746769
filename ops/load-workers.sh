#!/usr/bin/env bash
# The workers' load command: one worker process against a replay endpoint with a fixed latency (1 s by default) on a
# local broker; a run without a rate limit, then one with requests_per_second R. Prints a table of what was measured
# (most calls in flight at the provider, responses/s, provider calls/s, call latency p50/p99).
#
#   ops/load-workers.sh [--prompts N] [--latency-ms N] [--max-in-flight N] [--rate R] [--rate-prompts N]
#
# Defaults: 30000 prompts, 1000 ms, max_in_flight 2000, R = 200 with 12000 prompts. Exits 1 if a prompt is lost or
# has two outcomes.
exec "$(dirname "$0")/run" load-workers "$@"
