#!/usr/bin/env bash
# save-twice.sh HCR_WATCH DIR: runs hcr-watch on DIR/src for three builds,
# saves a header in place, then a source by renaming a new file over it,
# as editors do, and prints hcr-watch's output and what the program says.
set -u
watch=$1 dir=$2
cd "$dir"
timeout 60 "$watch" --max-builds 3 -q -o out src/main.c src/lib.c >log 2>&1 &
pid=$!
# Waits until the log has N lines matching a pattern (at most 30 s).
wait_for() {
  for _ in $(seq 300); do
    [ "$(grep -c "$1" log)" -ge "$2" ] && return 0
    sleep 0.1
  done
  echo "timed out waiting for '$1' x$2"; cat log; kill $pid; exit 1
}
wait_for 'watching' 1
echo '#define VALUE 2' >src/value.h
wait_for 'build done' 2
out/main
printf '#include "value.h"\nint value(void) { return VALUE * 10; }\n' >src/lib.c.tmp
mv src/lib.c.tmp src/lib.c
wait "$pid"
echo "hcr-watch exited $?"
out/main
cat log
