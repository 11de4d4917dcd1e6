#!/usr/bin/env bash
# Upload throughput of the model registry (issue #9; docs/benchmarks.md, "Model registry uploads").
#
#   bench/registry-upload.sh
#
# Needs a running stack (./infermint up, with the same INFERMINT_*_PORT variables here), started from the checkout
# the stack runs in (BENCH_STACK_ROOT, default this one). Writes an ONNX model of BENCH_UPLOAD_MB (1000) MB into
# BENCH_DIR_DATA (a temporary folder on the disk of /tmp), then BENCH_ROUNDS (3) rounds, interleaved, of:
#   cp+sync    copy the file on the same disk and fsync it: the floor for writing it once
#   sha256sum  hash it once: the floor for hashing it
#   direct     curl -F file=@model.onnx to the registry itself (the gateway's service token and asserted headers)
#   gateway    the same upload through the gateway with the tenant's admin API key
# Each upload is a new version of one model of a fresh tenant (receive + hash + ONNX Runtime's check + fsync +
# rename), deleted again after the round so that every upload writes its blob. Prints MB/s per round, the medians
# and each as a ratio of cp+sync and sha256sum of the same run. Uses ~3x BENCH_UPLOAD_MB of disk while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR=$(pwd)/bench
ROOT=$(cd "${BENCH_STACK_ROOT:-.}" && pwd)
MB=${BENCH_UPLOAD_MB:-1000}
ROUNDS=${BENCH_ROUNDS:-3}
GW=http://127.0.0.1:${INFERMINT_GATEWAY_PORT:-8080}
REG=http://127.0.0.1:${INFERMINT_MODEL_REGISTRY_PORT:-8083}
# Tokens name their issuer by the URL they were asked at; the services expect localhost.
KC=http://localhost:${INFERMINT_KEYCLOAK_PORT:-8180}
SECRETS=$ROOT/.infermint/secrets.properties

for url in "$GW/q/health/ready" "$REG/q/health/ready"; do
  curl -sf -o /dev/null "$url" || { echo "Nothing ready at $url: start the stack first (./infermint up)"; exit 1; }
done
[ -f "$SECRETS" ] || { echo "No $SECRETS: set BENCH_STACK_ROOT to the checkout the stack runs in"; exit 1; }

work=$(mktemp -d "${BENCH_DIR_DATA:-/tmp}/infermint-upload-bench.XXXXXX")
# shellcheck source=bench/common.sh
source "$BENCH_DIR/common.sh"
trap cleanup EXIT

echo "Registry upload benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $(git rev-parse --short HEAD)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
javac -d "$work/classes" "$ROOT/libs/test-support/src/main/java/dev/infermint/testsupport/OnnxModelBuilder.java"
java -Xmx$((MB * 10 + 512))m -cp "$work/classes" "$BENCH_DIR/LargeModel.java" "$work/model.onnx" "$MB"
size=$(stat -c %s "$work/model.onnx")
echo "Model: $size bytes"

form() { curl -sf -X POST -H 'Content-Type: application/x-www-form-urlencoded' "$@"; }
admin=$(form -d 'grant_type=password&client_id=infermint-cli&username=admin&password=admin' \
  "$KC/realms/infermint/protocol/openid-connect/token" | jq -r .access_token)
secret=$(grep '^services-client-secret=' "$SECRETS" | cut -d= -f2-)
service=$(form --data-urlencode "client_secret=$secret" -d 'grant_type=client_credentials&client_id=infermint-services' \
  "$KC/realms/infermint/protocol/openid-connect/token" | jq -r .access_token)
slug=bench-upload-$(date +%s)
tenant=$(curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d "{\"name\":\"Upload bench $slug\",\"slug\":\"$slug\"}" "$GW/api/v1/tenants" | jq -r .id)
key=$(curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"name":"bench-upload","scopes":["admin"]}' "$GW/api/v1/tenants/$tenant/api-keys" | jq -r .key)
direct_headers=(-H "Authorization: Bearer $service" -H 'X-Infermint-Caller-Kind: API_KEY'
  -H "X-Infermint-Subject: bench-upload" -H "X-Infermint-Tenant-Id: $tenant" -H 'X-Infermint-Roles: tenant-admin')

mbps() { awk -v b="$size" -v s="$1" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
seconds() { local t0=$1; awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }'; }

# One upload; prints its MB/s. Usage: upload BASE_URL CURL_HEADER_ARGS...
upload() {
  local base=$1 out version t
  shift
  out=$(curl -s -w '\n%{http_code} %{time_total}' "$@" -F file=@"$work/model.onnx" -F task=generic \
    "$base/api/v1/models/upload-bench/versions")
  read -r code t <<< "$(tail -1 <<< "$out")"
  [ "$code" = 201 ] || { echo "upload to $base answered $code: $(head -1 <<< "$out")" >&2; exit 1; }
  version=$(head -1 <<< "$out" | jq -r .version)
  curl -sf -o /dev/null -X DELETE -H "Authorization: Bearer $key" "$GW/api/v1/models/upload-bench/versions/$version"
  mbps "$t"
}

declare -A results
for round in $(seq 1 "$ROUNDS"); do
  t0=$(date +%s.%N); cp "$work/model.onnx" "$work/copy.onnx"; sync "$work/copy.onnx"; t=$(seconds "$t0")
  rm -f "$work/copy.onnx"; results[cp]+="$(mbps "$t") "
  t0=$(date +%s.%N); sha256sum "$work/model.onnx" >/dev/null; t=$(seconds "$t0"); results[sha]+="$(mbps "$t") "
  results[direct]+="$(upload "$REG" "${direct_headers[@]}") "
  results[gateway]+="$(upload "$GW" -H "Authorization: Bearer $key") "
  printf 'round %d MB/s  cp+sync %s  sha256sum %s  direct %s  gateway %s\n' "$round" \
    "$(awk '{print $NF}' <<< "${results[cp]}")" "$(awk '{print $NF}' <<< "${results[sha]}")" \
    "$(awk '{print $NF}' <<< "${results[direct]}")" "$(awk '{print $NF}' <<< "${results[gateway]}")"
done

median() { tr ' ' '\n' <<< "$1" | grep -v '^$' | sort -g | awk '{a[NR]=$1} END { print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2 }'; }
cp_m=$(median "${results[cp]}"); sha_m=$(median "${results[sha]}")
echo "Medians of $ROUNDS rounds, $size bytes:"
for k in cp sha direct gateway; do
  m=$(median "${results[$k]}")
  printf '  %-9s %8s MB/s   %5s x cp+sync   %5s x sha256sum\n' "$k" "$m" \
    "$(awk -v a="$m" -v b="$cp_m" 'BEGIN { printf "%.2f", a / b }')" \
    "$(awk -v a="$m" -v b="$sha_m" 'BEGIN { printf "%.2f", a / b }')"
done
