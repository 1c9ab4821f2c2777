#!/usr/bin/env bash
# chicken-session.sh HCR_BUILD INCLUDE OUT: the two CHICKEN Scheme units of
# Inputs/chicken (app.scm, the program; tally.scm; csc -t writes each as C,
# a module of its own, linked with libchicken) and a C host that starts
# them, built natively and by hcr-build, the same lines through both; then,
# while the hcr build runs, tally's score changes, csc and hcr-build run
# again, and the running program reloads the unit with its counts kept.
# Last, an edit that adds a literal to the unit: its literal frame (lf[],
# filled once by the unit's toplevel) changes size, so the reload fails and
# the old code keeps running.
set -euo pipefail
trap "" PIPE
build=$1 include=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out/src"
cp "$here"/chicken/* "$out/src/"
cd "$out/src"
csc -t app.scm
csc -t tally.scm
# csc's own flags (csc -cflags, -libs) without its optimization and
# debugging ones.
cflags=(-I/usr/include/chicken -DHAVE_CHICKEN_CONFIG_H -DC_ENABLE_PTABLES
  -fno-strict-aliasing -fwrapv -w)
libs=(-lchicken -lm -ldl)
lines=$'a\nb\na'
cc -I"$include" "${cflags[@]}" main.c app.c tally.c "${libs[@]}" -o "$out/native"
"$build" -q -o "$out/bin" main.c app.c tally.c -- "${cflags[@]}" "${libs[@]}"
diff <("$out/native" <<< "$lines") <("$out/bin/main" <<< "$lines")
echo "== same output as the native build"
source "$here/../../Inputs/session.sh"
rebuild() {
  csc -t tally.scm
  "$build" -o "$out/bin" main.c app.c tally.c -- "${cflags[@]}" "${libs[@]}" \
    2>&1 | grep -E 'compiling|restart' | sed 's/^hcr-build: //'
}
session_start "$out" "$out/bin/main"
send a
send b
send a
sed -i 's/(\* 10 (if entry (cdr entry) 0))/(* 100 (if entry (cdr entry) 0))/' tally.scm
grep -q '(\* 100' tally.scm
rebuild
send reload
send a
send c
sed -i 's/(\* 100 (if entry (cdr entry) 0))/(if entry (* 100 (cdr entry)) "none")/' tally.scm
grep -q '"none"' tally.scm
rebuild
send reload
send a
send d
session_end
