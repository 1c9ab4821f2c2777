#!/usr/bin/env bash
# nim-roundtrip.sh HCR_REWRITE INCLUDE LIBDIR OUT MAIN.nim [NIM FLAGS...]:
# compiles a Nim program to C with Debian's nim, rewrites its nimcache .c
# files as modules (Nim's lib directory is a second project root, since
# nimbase.h declares a project global), builds each as a shared object
# (the main module as the host), and fails unless it prints what Nim's own
# build prints.
set -euo pipefail
rewrite=$1 include=$2 libdir=$3 out=$4 main=$5
shift 5
nimlib=/usr/lib/nim/lib
rm -rf "$out" && mkdir -p "$out/bin"
nim c --hints:off --warnings:off "$@" --compileOnly --nimcache:"$out/cache" "$main" >/dev/null
nim c --hints:off --warnings:off "$@" --nimcache:"$out/native-cache" -o:"$out/native" "$main" >/dev/null
"$rewrite" --project-root="$out/cache" --project-root="$nimlib" \
  --index="$out/index.json" -o "$out/rewritten" "$out"/cache/*.c -- -I"$nimlib"
host=$(python3 -c 'import json,sys; print([m["name"] for m in json.load(open(sys.argv[1]))["modules"] if m["host"]][0])' "$out/index.json")
flags=(-w -I"$out/rewritten/.hcr-roots/1" -I"$nimlib" -I"$include")
for file in "$out"/rewritten/*.c; do
  name=$(basename "$file" .c)
  if [ "$name" = "$host" ]; then
    gcc "${flags[@]}" "$file" -o "$out/bin/$name" -L"$libdir" -lhcr -Wl,-rpath,"$libdir" -lm
  else
    gcc "${flags[@]}" -fPIC -shared "$file" -o "$out/bin/$name.so" -L"$libdir" -lhcr -Wl,-rpath,"$libdir" -lm
  fi
done
"$out/native" > "$out/native.out"
"$out/bin/$host" > "$out/hcr.out"
diff -u "$out/native.out" "$out/hcr.out"
echo "modules: $(ls "$out"/bin/*.so | wc -l)"
cat "$out/hcr.out"
