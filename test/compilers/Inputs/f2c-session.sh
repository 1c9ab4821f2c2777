#!/usr/bin/env bash
# f2c-session.sh HCR_BUILD INCLUDE OUT: the Fortran 77 units of Inputs/f2c
# (stats.f, spread.f; f2c -E writes each as C, a module of its own, linked
# with libf2c) built natively and by hcr-build, the same lines through
# both; then, while the hcr build runs, SPREAD changes from the root mean
# square to the standard deviation, f2c and hcr-build run again, and the
# running program reloads it with the COMMON block's sums kept.
set -euo pipefail
trap "" PIPE
build=$1 include=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out/src"
cp "$here"/f2c/* "$out/src/"
cd "$out/src"
f2c -A -E -w stats.f spread.f 2>/dev/null
lines=$'2\n4\n9'
cc -w -I"$include" main.c stats.c spread.c -lf2c -lm -o "$out/native"
"$build" -q -o "$out/bin" main.c stats.c spread.c -- -w -lf2c -lm
diff <("$out/native" <<< "$lines") <("$out/bin/main" <<< "$lines")
echo "== same output as the native build"
source "$here/../../Inputs/session.sh"
session_start "$out" "$out/bin/main"
send 2
send 4
sed -i 's|SPREAD = SQRT(SQ / N)$|SPREAD = SQRT(SQ / N - (S / N) ** 2)|' spread.f
grep -q -- '- (S / N)' spread.f
f2c -A -E -w spread.f 2>/dev/null
"$build" -o "$out/bin" main.c stats.c spread.c -- -w -lf2c -lm 2>&1 |
  grep -E 'compiling|restart' | sed 's/^hcr-build: //'
send reload
send 3
session_end
