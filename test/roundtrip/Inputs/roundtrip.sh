#!/usr/bin/env bash
# roundtrip.sh HCR_REWRITE INCLUDE LIBDIR OUT CC SOURCES...: builds SOURCES
# natively and rewritten (each non-host module a shared object, the host an
# executable with libhcr), runs both with the same arguments, and fails
# unless their output and exit status are identical.
set -euo pipefail
rewrite=$1 include=$2 libdir=$3 out=$4 cc=$5
shift 5
sources=("$@")
rm -rf "$out" && mkdir -p "$out/rewritten" "$out/bin"
"$cc" -std=c11 -w "${sources[@]}" -o "$out/native"
"$rewrite" --index="$out/index.json" -o "$out/rewritten" "${sources[@]}" --
host=$(python3 -c 'import json,sys; print([m["name"] for m in json.load(open(sys.argv[1]))["modules"] if m["host"]][0])' "$out/index.json")
for src in "${sources[@]}"; do
  name=$(basename "$src" .c)
  file=$(find "$out/rewritten" -name "$name.c")
  if [ "$name" = "$host" ]; then
    "$cc" -std=c11 -Wall -Werror -I"$include" "$file" -o "$out/bin/$name" \
      -L"$libdir" -lhcr -Wl,-rpath,"$libdir"
  else
    "$cc" -std=c11 -Wall -Werror -fPIC -shared -I"$include" "$file" \
      -o "$out/bin/$name.so" -L"$libdir" -lhcr -Wl,-rpath,"$libdir"
  fi
done
set +e
"$out/native" a b c > "$out/native.out" 2>&1; native_status=$?
"$out/bin/$host" a b c > "$out/hcr.out" 2>&1; hcr_status=$?
set -e
diff -u "$out/native.out" "$out/hcr.out"
[ "$native_status" = "$hcr_status" ] || { echo "exit status: native $native_status, hcr $hcr_status"; exit 1; }
cat "$out/hcr.out"
echo "exit status $hcr_status"
