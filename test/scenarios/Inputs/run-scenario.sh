#!/usr/bin/env bash
# run-scenario.sh HCR_BUILD OUT SCENARIO STEP...: plays a reload scenario
# against a running program built by hcr-build. Steps, in order:
#   vN        copy SCENARIO/vN/* over the sources (the edit) and rebuild
#   rm:FILE   delete a source file (no rebuild)
#   run       start OUT/bin/main, reading commands from a pipe
#   stop      send quit and report the exit status
#   other     a command for the host (see host.c); waits for its "ok"
# Prints what happens in order: build results and the program's output.
set -euo pipefail
build=$1 out=$2 scenario=$3
shift 3
trap "" PIPE
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out/src"
cp "$here/host.c" "$out/src/main.c"
: > "$out/program.out"
shown=0 acks=0 pid=""

# Prints the program's new output lines, without the "ok" acknowledgements.
flush_output() {
  local total
  total=$(wc -l < "$out/program.out")
  if [ "$total" -gt "$shown" ]; then
    sed -n "$((shown + 1)),${total}p" "$out/program.out" | grep -v '^ok$' || true
    shown=$total
  fi
}

# Waits until the program acknowledged every command, or exited.
wait_ack() {
  for _ in $(seq 1 400); do
    [ "$(grep -c '^ok$' "$out/program.out" || true)" -ge "$acks" ] && return 0
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.025
  done
  echo "scenario: timed out waiting for the program"
  exit 1
}

for step in "$@"; do
  case "$step" in
    v[0-9]*)
      cp -r "$scenario/$step/." "$out/src/"
      # HCR_SCENARIO_FLAGS: hcr-build options of another strategy.
      if "$build" -q --verify ${HCR_SCENARIO_FLAGS:-} -o "$out/bin" "$out"/src/*.c > "$out/build.log" 2>&1; then
        echo "== build $step: ok"
      else
        echo "== build $step: failed"
        grep -m1 'error' "$out/build.log" | sed "s|$out/src/||" || true
      fi ;;
    rm:*)
      rm "$out/src/${step#rm:}" ;;
    run)
      mkfifo "$out/commands"
      "$out/bin/main" < "$out/commands" >> "$out/program.out" 2>&1 &
      pid=$!
      exec 3> "$out/commands" ;;
    stop)
      echo quit >&3
      exec 3>&-
      status=0
      wait "$pid" || status=$?
      flush_output
      echo "== exit status $status" ;;
    *)
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "scenario: the program is not running"; exit 1
      fi
      echo "> $step"
      echo "$step" >&3 2>/dev/null || true
      acks=$((acks + 1))
      wait_ack
      flush_output
      if ! kill -0 "$pid" 2>/dev/null; then
        status=0
        wait "$pid" || status=$?
        echo "== exit status $status"
        exit 0
      fi ;;
  esac
done
