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
