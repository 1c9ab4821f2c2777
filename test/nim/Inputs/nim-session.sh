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
mkfifo "$out/commands"
HCR_TRACE=1 "$out/bin/main" < "$out/commands" > "$out/program.out" 2> "$out/trace.txt" &
pid=$!
exec 3> "$out/commands"
acks=0 printed=0
send() {
  echo "> $1"
  echo "$1" >&3
  acks=$((acks + 1))
  for _ in $(seq 1 800); do
    [ "$(grep -c '^ok$' "$out/program.out" || true)" -ge "$acks" ] && break
    sleep 0.025
  done
  { grep -v "^ok$" "$out/program.out" || true; } | tail -n +$((printed + 1))
  printed=$(grep -vc '^ok$' "$out/program.out" || true)
}
while read -r kind arg; do
  case $kind in
    '>') send "$arg" ;;
    '=') echo "= $arg"
         cp "$inputs/$arg"/*.nim "$out/src/"
         rebuild "$@" ;;
  esac
done
echo quit >&3
exec 3>&-
status=0
wait "$pid" || status=$?
echo "== exit status $status"
