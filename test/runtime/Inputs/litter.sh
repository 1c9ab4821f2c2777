#!/usr/bin/env bash
# litter.sh HCR_BUILD OUT: runs a program built by hcr-build with TMPDIR
# pointing at an empty folder, shows where its module copy is mapped from,
# kills it with SIGKILL (no exit handler runs) and lists what it left in
# TMPDIR. Then the same with HCR_COPY_DIR, whose copies are files: the
# killed program leaves its folder, which the next program started with
# that HCR_COPY_DIR removes, and which a normal exit removes.
set -euo pipefail
build=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out/tmp" "$out/copies"
"$build" -q -o "$out/bin" "$here/litter/main.c" "$here/litter/twice.c"
run_and_kill() {
  mkfifo "$out/in"
  env "$@" "$out/bin/main" < "$out/in" > "$out/program.out" &
  local pid=$!
  exec 3> "$out/in"
  for _ in $(seq 1 400); do
    grep -q ready "$out/program.out" && break
    sleep 0.025
  done
  cat "$out/program.out"
  # The module's copy, as the process maps it.
  grep -o '[^ ]*twice\.[0-9]*\.so.*' "/proc/$pid/maps" | sort -u |
    sed -e "s|$out|OUT|" -e 's|hcr-[0-9]*-[A-Za-z0-9]*|hcr-PID-XXXXXX|'
  kill -KILL "$pid"
  wait "$pid" || echo "== killed: status $?"
  exec 3>&-
  rm -f "$out/in"
}
echo "== memory files (default)"
run_and_kill TMPDIR="$out/tmp"
echo "== left in TMPDIR: $(find "$out/tmp" -mindepth 1 | wc -l)"
echo "== HCR_COPY_DIR"
run_and_kill TMPDIR="$out/tmp" HCR_COPY_DIR="$out/copies"
echo "== left in HCR_COPY_DIR: $(find "$out/copies" -type f | wc -l)"
mkfifo "$out/in"
env TMPDIR="$out/tmp" HCR_COPY_DIR="$out/copies" "$out/bin/main" < "$out/in" > "$out/program.out" &
pid=$!
exec 3> "$out/in"
for _ in $(seq 1 400); do
  grep -q ready "$out/program.out" && break
  sleep 0.025
done
echo "== folders in HCR_COPY_DIR while the next program runs: $(ls "$out/copies" | wc -l)"
ls "$out/copies" | grep -c "^hcr-$pid-" || true
exec 3>&-
wait "$pid"
echo "== left in HCR_COPY_DIR after its normal exit: $(find "$out/copies" -mindepth 1 | wc -l)"
