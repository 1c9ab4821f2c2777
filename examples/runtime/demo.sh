#!/usr/bin/env bash
# A scripted session with the runtime example: start the host, edit the
# running program's module, see it switch with its state, try a broken
# build, then fix it. Usage: demo.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: demo.sh BUILD_DIR}
ex=$build/examples/runtime
work=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null; rm -rf "$work"' EXIT

install_build() { # install_build VARIANT: what a rebuild does, atomically
  cp "$ex/sim_$1.so" "$work/.sim.so.tmp" && mv "$work/.sim.so.tmp" "$work/sim.so"
  echo "demo: installed a new build of module sim ($1)"
}
say() { echo "$1" >&3; sleep 0.2; }

install_build v1
mkfifo "$work/commands"
"$ex/runtime-host" "$work" < "$work/commands" &
host=$!
exec 3>"$work/commands"
echo "demo: host started (pid $host), module sim v1 loaded"
say "step 3"
install_build v2
say "reload"
say "step 3"
install_build broken
say "reload"
say "step 1"
install_build v2
say "reload"
say "step 1"
say "quit"
exec 3>&-
wait "$host"
echo "demo: done"
