#!/usr/bin/env bash
# nim-session.sh HCR_BUILD OUT INPUTS [NIM FLAGS...] < SCRIPT: builds the
# Nim program INPUTS/v1 (main.nim) with hcr-build, runs it, and follows
# SCRIPT: "> CMD" sends CMD to the running program and prints what it
# printed until its "ok"; "= vN" copies INPUTS/vN's files over the sources
# and runs hcr-build again (printing only what says restart or error). The
# runtime's trace goes to OUT/trace.txt.
set -euo pipefail
trap "" PIPE
build=$1 out=$2 inputs=$3
shift 3
rm -rf "$out" && mkdir -p "$out/src"
cp "$inputs"/v1/*.nim "$out/src/"
rebuild() {
  (cd "$out/src" && "$build" -o "$out/bin" main.nim -- --hints:off "$@" 2>&1) |
    { grep -E 'restart|error' || true; }
}
rebuild "$@"
source "$(dirname "$0")/../../Inputs/session.sh"
SESSION_STDERR=$out/trace.txt session_start "$out" env HCR_TRACE=1 "$out/bin/main"
while read -r kind arg; do
  case $kind in
    '>') send "$arg" ;;
    '=') echo "= $arg"
         cp "$inputs/$arg"/*.nim "$out/src/"
         rebuild "$@" ;;
  esac
done
echo quit >&3
session_end
