#!/usr/bin/env bash
# bison-session.sh HCR_BUILD INCLUDE OUT: the calculator of Inputs/bison
# (a bison grammar, generated C in a module of its own) built natively and
# by hcr-build, the same lines through both; then, while the hcr build runs,
# the grammar's '/' action changes, bison and hcr-build run again, and the
# running program reloads the parser with its count of lines kept.
set -euo pipefail
trap "" PIPE
build=$1 include=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out/src"
cp "$here"/bison/* "$out/src/"
cd "$out/src"
bison -o parser.c parser.y
lines=$'1+2*3\n(4+5)*2\n7/0'
cc -w -I"$include" main.c parser.c -o "$out/native"
"$build" -q -o "$out/bin" main.c parser.c -- -w
diff <("$out/native" <<< "$lines") <("$out/bin/main" <<< "$lines")
echo "== same output as the native build"
source "$here/../../Inputs/session.sh"
session_start "$out" "$out/bin/main"
send "8/0"
send "9/3"
sed -i 's/{ $$ = $3 ? $1 \/ $3 : 0; }/{ $$ = $3 ? $1 \/ $3 : -999; }/' parser.y
grep -q -- '-999' parser.y
bison -o parser.c parser.y
"$build" -o "$out/bin" main.c parser.c -- -w 2>&1 | grep -E 'compiling|restart' | sed 's/^hcr-build: //'
send reload
send "8/0"
session_end
