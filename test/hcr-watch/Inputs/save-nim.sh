#!/usr/bin/env bash
# save-nim.sh HCR_WATCH DIR: runs hcr-watch on DIR/main.nim for two builds,
# saves the module it imports, and prints what the program says before and
# after, then hcr-watch's output.
set -u
watch=$1 dir=$2
cd "$dir"
timeout 90 "$watch" --max-builds 2 -q -o out main.nim >log 2>&1 &
pid=$!
for _ in $(seq 900); do
  grep -q watching log && break
  sleep 0.1
done
grep -q watching log || { echo "hcr-watch never started watching"; cat log; kill $pid; exit 1; }
out/main
echo 'proc greet*(who: string): string = "goodbye " & who' >greet.nim
wait "$pid"
echo "hcr-watch exited $?"
out/main
cat log
