# Shared by the bench/*.sh scripts (sourced): what they start is recorded in `pids` and stopped on exit, and
# `work` (a temporary folder each script makes) is removed then.

pids=()

# Stops what the script started (each PID in `pids`), then removes its temporary folder.
cleanup() {
  echo "Finished $(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$work"
}

# The PID of the process listening on a loopback port (this user's).
listener() {
  ss -Hltnp "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2
}

# Waits up to 2 minutes for a service started by the script to answer its readiness URL; else shows the tail of its
# log and exits. Usage: await_ready NAME URL LOG
await_ready() {
  local name=$1 url=$2 log=$3
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null "$url" && return 0
    sleep 0.5
  done
  echo "$name did not start:"
  tail -40 "$log"
  exit 1
}
