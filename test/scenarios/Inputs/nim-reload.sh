#!/usr/bin/env bash
# nim-reload.sh HCR_BUILD INCLUDE OUT NIMDIR [NIM FLAGS...]: a Nim program
# (NIMDIR/v1) compiled to C by Debian's nim goes through hcr-build with its
# nimcache .c files as the modules. It must print what Nim's own build
# prints; then, while it runs, counter.nim is edited (NIMDIR/v2), compiled
# again and rebuilt, and the running program reloads with its state.
set -euo pipefail
trap "" PIPE
build=$1 include=$2 out=$3 nimdir=$4
shift 4
nimlib=/usr/lib/nim/lib
nimc() { nim c --hints:off --warnings:off --passC:-I"$include" "$@"; }
rm -rf "$out" && mkdir -p "$out/src"
cp "$nimdir"/v1/*.nim "$out/src/"
nimc "$@" --compileOnly --nimcache:"$out/cache" "$out/src/main.nim" > /dev/null
"$build" -q --verify -o "$out/bin" --name main "$out"/cache/*.c -- -I"$nimlib" -w -lm
nimc "$@" --nimcache:"$out/native-cache" -o:"$out/native" "$out/src/main.nim" > /dev/null
input=$'show\nbump\nshow\nquit'
diff <("$out/native" <<< "$input") <("$out/bin/main" <<< "$input")
echo "== same output as nim's own build ($(ls "$out"/bin/*.so | wc -l) modules)"

source "$(dirname "$0")/../../Inputs/session.sh"
session_start "$out" "$out/bin/main"
send bump
send show
cp "$nimdir"/v2/*.nim "$out/src/"
nimc "$@" --compileOnly --nimcache:"$out/cache" "$out/src/main.nim" > /dev/null
"$build" --verify -o "$out/bin" --name main "$out"/cache/*.c -- -I"$nimlib" -w -lm 2>&1 |
  grep -E 'compiling (module|host)|restart|hcr-verify:' | sed 's/^hcr-build: //; s/@m//g'
send reload
send show
send bump
send show
echo quit >&3
session_end
