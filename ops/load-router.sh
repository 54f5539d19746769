#!/usr/bin/env bash
# The router-stream's load command: real GSM8K/MMLU prompts queued on a local broker, routed by the router-stream
# (exactly-once) with card calibration and then with traffic calibration; prints routed prompts/s and the strong share.
#   ops/load-router.sh [--prompts N] [--router REF] [--partitions N] [--threads N] [--strong-pct P] [--rounds N]
exec "$(dirname "$0")/run" load-router "$@"
