#!/usr/bin/env bash
# Runs the benchmarks against a running stack: start ./infermint up in another terminal first.
#   bench/run.sh [calls-per-path]
set -euo pipefail
cd "$(dirname "$0")/.."
curl -sf http://localhost:8080/v2/health/ready >/dev/null \
  || { echo "The stack is not running: start ./infermint up first"; exit 1; }
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m); $(date -u +%Y-%m-%dT%H:%MZ)"
java bench/GatewayOverhead.java . "${1:-300}"
