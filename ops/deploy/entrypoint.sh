#!/bin/sh
# Entrypoint of the kroute image: starts one component with the JVM options, logging and class path of ops/run.
#
#   docker run kroute router-stream --config /app/config/router-stream.properties
#   docker run -e KROUTE_COMPONENT=workers kroute --config /app/config/llm-workers.yaml
#
# The component is the first argument, or $KROUTE_COMPONENT when the first argument is an option (so Kubernetes `args`
# can hold only the component's own options). Everything after it goes to the component's main.
#
# KROUTE_INSTANCE_ID (workers only): their instance_id, which the YAML cannot take from the environment. It is written
# into a copy of the --config file, so a worker restarted under the same name (a pod's container, a compose service)
# fences what its predecessor left open at once instead of after transaction.timeout.ms.
#
# JAVA_OPTS comes after the container defaults, so it can override them. exec: java is PID 1 and gets SIGTERM itself.
set -eu

home="${KROUTE_HOME:-/app}"

component="${KROUTE_COMPONENT:-}"
case "${1:-}" in
  -* | "") ;;
  *) component="$1"; shift ;;
esac

case "$component" in
  router-stream) main=io.kroute.stream.RouterStreamMain ;;
  workers | llm-workers) main=io.kroute.workers.WorkerMain ;;
  retrainer) main=io.kroute.retrain.RetrainerMain ;;
  batch-gateway) main=io.kroute.batch.BatchGatewayMain ;;
  replay-llm) main=io.kroute.replay.ReplayServerMain ;;
  rollback) main=io.kroute.retrain.RollbackMain ;;
  *)
    echo "kroute: unknown component '$component' (router-stream, workers, retrainer, batch-gateway, replay-llm, rollback)" >&2
    exit 2
    ;;
esac

if [ "$main" = io.kroute.workers.WorkerMain ] && [ -n "${KROUTE_INSTANCE_ID:-}" ]; then
  if [ $# -ne 2 ] || [ "$1" != --config ] || [ ! -f "$2" ]; then
    echo "kroute: KROUTE_INSTANCE_ID needs the arguments --config FILE with an existing FILE" >&2
    exit 2
  fi
  # Pod names and compose names fit; anything else could break the sed expression or the YAML.
  case "$KROUTE_INSTANCE_ID" in
    *[!A-Za-z0-9._-]*)
      echo "kroute: KROUTE_INSTANCE_ID may hold only letters, digits, '.', '_' and '-', got '$KROUTE_INSTANCE_ID'" >&2
      exit 2
      ;;
  esac
  if ! grep -q '^instance_id:' "$2"; then
    echo "kroute: $2 has no top-level instance_id line to set from KROUTE_INSTANCE_ID" >&2
    exit 2
  fi
  config="${TMPDIR:-/tmp}/llm-workers.yaml"
  sed "s/^instance_id:.*/instance_id: \"$KROUTE_INSTANCE_ID\"/" "$2" >"$config"
  set -- --config "$config"
fi

# MaxRAMPercentage: the heap follows the container's memory limit; the rest is for RocksDB, ONNX and thread stacks.
# ExitOnOutOfMemoryError: a process that ran out of heap restarts rather than limps on.
# shellcheck disable=SC2086
exec java -XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} \
  -Dlogback.configurationFile="$home/etc/logback.xml" \
  -cp "$home/classes:$home/lib/*" \
  "$main" "$@"
