#!/usr/bin/env bash
# The gateway's added latency at fixed rates, against the inference worker direct and behind nginx, and its quota
# exactness over two gateway replicas (issue #7; docs/benchmarks.md says how to read the output).
#
#   bench/gateway.sh [all|latency|exactness|profile]      (default: all = latency, then exactness)
#
# Needs a running stack whose plans have room, started from the checkout the stack runs in, e.g.
#   INFERMINT_PLANS_ENTERPRISE_REQUESTS_PER_MINUTE=100000 INFERMINT_PLANS_PRO_REQUESTS_PER_MINUTE=500 ./infermint up
# and, in another terminal, with the same INFERMINT_*_PORT variables as ./infermint up:
#   bench/gateway.sh
#
# latency    one tenant on plan BENCH_PLAN (enterprise) with an Identity model (FP32 [N,4]); open-loop load at each
#            rate of BENCH_RATES (200,500): per rate, BENCH_ROUNDS (3) rounds of direct / nginx / gateway, each
#            BENCH_WARMUP (5) s of warm-up + BENCH_DURATION (25) s measured, after BENCH_PREWARM (10) s per target.
#            nginx (Debian package; installed when missing) runs as a plain keep-alive reverse proxy to the worker on
#            BENCH_NGINX_PORT (gateway port + 1000) with its own config and prefix in a temp folder.
# exactness  starts a second gateway (the first one's command line and environment, read from /proc, on
#            BENCH_GATEWAY2_PORT = gateway port + 1001), fires BENCH_BURST (2000) calls at once alternating over both
#            for a tenant on plan BENCH_EXACT_PLAN (pro; 500/min when started as above); admitted must equal the
#            plan's per-minute limit, and billing must count exactly those.
# profile    records JFR on the gateway while it alone takes the first rate for BENCH_DURATION s; prints top frames
#            (BENCH_JFR_SETTINGS: profile, a .jfc file, or none for the load alone).
#
# Everything it starts (nginx, the second gateway) is stopped on exit; it runs ~11 minutes with the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR=$(pwd)/bench
ROOT=$(cd "${BENCH_STACK_ROOT:-.}" && pwd)
mode=${1:-all}

export DJL_OFFLINE=true OPT_OUT_TRACKING=true
GW_PORT=${INFERMINT_GATEWAY_PORT:-8080}
WORKER_PORT=${INFERMINT_WORKER_PORT:-8084}
KC_PORT=${INFERMINT_KEYCLOAK_PORT:-8180}
NGINX_PORT=${BENCH_NGINX_PORT:-$((GW_PORT + 1000))}
GW2_PORT=${BENCH_GATEWAY2_PORT:-$((GW_PORT + 1001))}
export BENCH_GATEWAY_URL=http://127.0.0.1:$GW_PORT
export BENCH_WORKER_URL=http://127.0.0.1:$WORKER_PORT
# Tokens name their issuer by the URL they were asked at; the services expect localhost.
export BENCH_KEYCLOAK_URL=http://localhost:$KC_PORT
export BENCH_SECRETS=$ROOT/.infermint/secrets.properties

for url in "$BENCH_GATEWAY_URL" "$BENCH_WORKER_URL"; do
  curl -sf "$url/v2/health/ready" >/dev/null || {
    echo "Nothing ready at $url: start the stack first (see the top of $0)"; exit 1; }
done
[ -f "$BENCH_SECRETS" ] || { echo "No $BENCH_SECRETS: set BENCH_STACK_ROOT to the checkout the stack runs in"; exit 1; }

work=$(mktemp -d /tmp/infermint-bench.XXXXXX)
# shellcheck source=bench/common.sh
source "$BENCH_DIR/common.sh"
nginx_pid=
trap cleanup EXIT

# The tiny model's builder (libs/test-support, no dependencies), compiled on its own.
javac -d "$work/classes" "$ROOT/libs/test-support/src/main/java/dev/infermint/testsupport/OnnxModelBuilder.java"
load() {
  java -XX:+UseSerialGC -Xmx512m -cp "$work/classes" "$BENCH_DIR/GatewayLoad.java" "$@"
}

# CPU accounting per run: each part of the stack by the port it listens on.
pids_of() {
  local out="" name port pid
  for pair in "$@"; do
    name=${pair%%=*}; port=${pair#*=}
    pid=$(listener "$port")
    [ -z "$pid" ] || out+="$name=$pid,"
  done
  echo "${out%,}"
}

echo "Infermint gateway benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),"\
  "$(free -h | awk '/Mem:/{print $2 " memory, " $7 " available"}'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Stack: $ROOT at $(git -C "$ROOT" log -1 --format='%h %s' 2>/dev/null | cut -c1-100)"
gw_pid=$(listener "$GW_PORT")
[ -n "$gw_pid" ] && echo "Gateway JVM (pid $gw_pid): $(tr '\0' ' ' < "/proc/$gw_pid/cmdline" | sed 's/ -jar .*//')"
echo

start_nginx() {
  if ! command -v nginx >/dev/null; then
    echo "Installing nginx (Debian package)..."
    # RUNLEVEL=1: do not start the distribution's own nginx service on port 80.
    RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx >"$work/apt.log" 2>&1 \
      || { cat "$work/apt.log"; exit 1; }
  fi
  mkdir -p "$work/nginx/logs" "$work/nginx/tmp"
  cat > "$work/nginx/nginx.conf" <<EOF
# Plain reverse proxy to the inference worker: keep-alive both ways, no caching, no buffering (streams like the
# gateway), no access log. Request headers (service token, X-Infermint-*) pass through unchanged.
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  keepalive_timeout 300s;
  keepalive_requests 1000000;
  upstream infermint_worker {
    server 127.0.0.1:$WORKER_PORT;
    keepalive 64;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://infermint_worker;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
    }
  }
}
EOF
  nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/error.log" &
  nginx_pid=$!
  pids+=($nginx_pid)
  for _ in $(seq 1 50); do
    curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/v2/health/ready" && break
    sleep 0.1
  done
  curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/v2/health/ready" \
    || { echo "nginx did not start:"; cat "$work/nginx/logs/error.log"; exit 1; }
  echo "nginx $(nginx -v 2>&1 | cut -d/ -f2) on 127.0.0.1:$NGINX_PORT -> worker 127.0.0.1:$WORKER_PORT"
  export BENCH_NGINX_URL=http://127.0.0.1:$NGINX_PORT
}

export_pids() {
  BENCH_PIDS=$(pids_of gateway="$GW_PORT" worker="$WORKER_PORT" billing="${INFERMINT_BILLING_PORT:-8085}" \
    redis="${INFERMINT_REDIS_PORT:-16379}" postgres="${INFERMINT_PG_PORT:-15432}" keycloak="$KC_PORT")
  # nginx by its master (the workers are its children), when this run started one.
  [ -z "${nginx_pid:-}" ] || BENCH_PIDS+=",nginx=$nginx_pid"
  export BENCH_PIDS BENCH_CLK_TCK=$(getconf CLK_TCK)
}

# A second gateway as Stack.startReplica starts one: the first one's JVM, options, jar and environment, another port.
start_gateway2() {
  [ -n "$gw_pid" ] || { echo "No process listens on $GW_PORT: cannot copy the gateway's command line"; exit 1; }
  local -a cmd envs
  mapfile -d '' cmd < "/proc/$gw_pid/cmdline"
  mapfile -d '' envs < "/proc/$gw_pid/environ"
  for i in "${!cmd[@]}"; do
    [[ ${cmd[$i]} == -Dquarkus.http.port=* ]] && cmd[$i]=-Dquarkus.http.port=$GW2_PORT
  done
  (cd "$(readlink "/proc/$gw_pid/cwd")" && exec env -i "${envs[@]}" "${cmd[@]}") > "$work/gateway2.log" 2>&1 &
  pids+=($!)
  await_ready "The second gateway" "http://127.0.0.1:$GW2_PORT/q/health/ready" "$work/gateway2.log"
  echo "Second gateway ready on 127.0.0.1:$GW2_PORT (same JVM options and environment as pid $gw_pid)"
  export BENCH_GATEWAY2_URL=http://127.0.0.1:$GW2_PORT
}

case "$mode" in
  all|latency|exactness|profile) ;;
  *) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 64 ;;
esac

if [ "$mode" = all ] || [ "$mode" = latency ]; then
  start_nginx
  export_pids
  echo
  load latency
  echo
fi
if [ "$mode" = all ] || [ "$mode" = exactness ]; then
  start_gateway2
  exact_ok=true
  load exactness || exact_ok=false
  if grep -qE ' (WARN|ERROR) ' "$work/gateway2.log"; then
    echo "Warnings and errors the second gateway logged:"
    grep -hE ' (WARN|ERROR) ' "$work/gateway2.log" | cut -c1-300 | sort | uniq -c | sort -rn | head -8 \
      | sed 's/^/  /' || true
  fi
  if [ "$exact_ok" = false ]; then
    echo "Warnings and errors the gateways logged meanwhile:"
    grep -hE ' (WARN|ERROR) ' "$work/gateway2.log" | tail -20 | sed 's/^/  second: /' || true
    [ -z "$gw_pid" ] || tail -c 200000 "$(readlink "/proc/$gw_pid/fd/1")" 2>/dev/null | grep -E ' (WARN|ERROR) ' \
      | tail -10 | sed 's/^/  first:  /' || true
    exit 1
  fi
  echo
fi
if [ "$mode" = profile ]; then
  [ -n "$gw_pid" ] || { echo "No process listens on $GW_PORT"; exit 1; }
  export_pids
  # BENCH_JFR_SETTINGS: a .jfc (e.g. one with a 1 ms execution-sample period), or "none" for the load alone.
  jfr_settings=${BENCH_JFR_SETTINGS:-profile}
  if [ "$jfr_settings" = none ]; then
    load profile
    exit 0
  fi
  jcmd "$gw_pid" JFR.start name=bench-gateway settings="$jfr_settings" >/dev/null
  load profile
  jcmd "$gw_pid" JFR.dump name=bench-gateway filename="$work/gateway.jfr" >/dev/null
  jcmd "$gw_pid" JFR.stop name=bench-gateway >/dev/null
  echo
  load jfr "$work/gateway.jfr" "${BENCH_TOP:-20}"
  [ -z "${BENCH_JFR_KEEP:-}" ] || cp "$work/gateway.jfr" "$BENCH_JFR_KEEP"
fi
