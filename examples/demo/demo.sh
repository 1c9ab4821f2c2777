#!/usr/bin/env bash
# The hcr demo: a scripted session with a running multi-module C program.
#   demo.sh BUILD_DIR [SECONDS PER STEP]
# 1. hcr-build builds examples/demo/src (a copy): one shared object per
#    module, the host program main.
# 2. The program runs its game loop (world, store, render modules), and
#    hcr-watch watches the sources.
# 3. The demo edits render.c five times while the program runs: a new
#    drawing (the program switches to it, its state intact), a typo (the
#    build fails, the program keeps running its old code), the fix, a bug
#    that crashes (the reload is rolled back, the program goes on), and
#    its fix.
set -euo pipefail
build=$(cd "${1:?usage: demo.sh BUILD_DIR [SECONDS PER STEP]}" && pwd)
step=${2:-3}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
watch_pid="" program_pid=""
cleanup() {
  [ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null || true
  [ -n "$program_pid" ] && kill "$program_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
say() { printf '\n[demo] %s\n' "$*"; }

cp -r "$here/src" "$work/src"
frame_ms=250
frames=$(( (step * 6 + 2) * 1000 / frame_ms ))

say "building $(ls "$work"/src/*.c | wc -l) modules with hcr-build"
"$build/bin/hcr-build" --verify -o "$work/out" "$work"/src/*.c 2>&1 | sed 's/^hcr-build: //; s/^/[hcr-build] /'
ls "$work/out" | sed 's/^/[demo]   out\//'

say "starting the program ($frames frames, one every ${frame_ms} ms) and hcr-watch"
"$build/bin/hcr-watch" --max-builds 6 -q -o "$work/out" "$work"/src/*.c 2>&1 |
  sed -u 's/^hcr-watch: //; s/^/[hcr-watch] /' &
watch_pid=$!
"$work/out/main" "$frames" "$frame_ms" | sed -u 's/^/[program] /' &
program_pid=$!
sleep "$step"

say "edit 1: render.c now draws the particles on a track (saving the file)"
cp "$here/changes/1-track/render.c" "$work/src/render.c"
sleep "$step"

say "edit 2: a typo in render.c (a missing semicolon)"
cp "$here/changes/2-typo/render.c" "$work/src/render.c"
sleep "$step"

say "edit 3: the typo fixed, and upper case now means moving right"
cp "$here/changes/3-fix/render.c" "$work/src/render.c"
sleep "$step"

say "edit 4: labels from a table that was never filled in (it crashes)"
cp "$here/changes/4-crash/render.c" "$work/src/render.c"
sleep "$step"

say "edit 5: the table filled in"
cp "$here/changes/5-fixed/render.c" "$work/src/render.c"
wait "$program_pid"
program_pid=""
say "done: one process ran every frame; tick and frame counters never reset"
