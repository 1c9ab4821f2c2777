#!/usr/bin/env bash
# attach.sh PROGRAM SCRIPT: starts PROGRAM, waits until it prints "ready",
# attaches lldb-19 to it with the commands of SCRIPT, and stops it.
set -u
out=$(mktemp)
"$1" > "$out" 2>&1 &
pid=$!
for _ in $(seq 100); do
  grep -q ready "$out" && break
  sleep 0.05
done
timeout 120 lldb-19 -b -p "$pid" -s "$2" 2>&1
status=$?
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rm -f "$out"
exit "$status"
