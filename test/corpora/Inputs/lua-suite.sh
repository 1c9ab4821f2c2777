#!/usr/bin/env bash
# lua-suite.sh CORPUS OUT HCR_BUILD INCLUDE: unmodified Lua 5.4.8 (CORPUS)
# built natively and by hcr-build through a compile database, both linked with -Wl,-E as Lua's
# makefile does (its C modules call the interpreter's lua_* functions);
# its test suite (testes/all.lua in portable mode, with the C modules of
# testes/libs) run by both, the outputs compared but for times, dates and
# random values. Leaves OUT/src (a copy of the sources), OUT/hcr (the hcr
# build) and OUT/hcr/rebuild.sh for a later edit.
set -euo pipefail
corpus=$1 out=$2 build=$3 include=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out"
cp -r "$corpus" "$out/src"
cd "$out/src"
srcs=$(ls *.c | grep -v -E '^(ltests|onelua|luac)\.c$' | tr '\n' ' ')
flags=(-std=gnu99 -O2 -DLUA_USE_LINUX -w)
libs=(-lm -ldl -Wl,-E)
clang-19 "${flags[@]}" $srcs -o "$out/native-lua" "${libs[@]}"
# The compile database, as CMake writes it (or `bear -- make`).
{
  echo "["
  sep=""
  for f in $srcs; do
    printf '%s{"directory": "%s", "file": "%s", "command": "cc %s -c %s -o %s"}\n' \
      "$sep" "$out/src" "$f" "${flags[*]}" "$f" "${f%.c}.o"
    sep=","
  done
  echo "]"
} > "$out/src/compile_commands.json"
echo "cd \"$out/src\" && \"$build\" -q -p \"$out/src\" -o \"$out/hcr\" -- ${libs[*]}" > "$out/rebuild.sh"
bash "$out/rebuild.sh"
cp "$out/rebuild.sh" "$out/hcr/rebuild.sh"
echo "== modules: $(ls "$out"/hcr/*.so | wc -l)"
# The C modules of testes/libs, as its makefile builds them.
for lib in lib1:lib1 lib11:lib11 lib2:lib2 lib21:lib21 lib2-v2:lib22; do
  clang-19 -w -std=gnu99 -O2 -I"$out/src" -fPIC -shared \
    -o "testes/libs/${lib%%:*}.so" "testes/libs/${lib#*:}.c"
done
clang-19 -shared -fPIC -w -I"$out/src" -I"$include" "$here/hcrlua.c" \
  -o "$out/hcr/hcrlua.so"
filter() { grep -v -E 'time|random|memory|Kbytes|clock|short-circuit|msec|test done'; }
for lua in native-lua hcr/lua; do
  (cd testes && "$out/$lua" -e"_U=true" all.lua > "$out/$(basename $lua).txt" 2>&1)
done
diff <(filter < "$out/native-lua.txt") <(filter < "$out/lua.txt")
echo "== same suite output as the native build"
grep -c 'cannot load dynamic library' "$out/lua.txt" || true
tail -n 3 "$out/lua.txt" | grep -a 'final OK'
