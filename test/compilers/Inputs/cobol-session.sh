#!/usr/bin/env bash
# cobol-session.sh HCR_BUILD INCLUDE OUT: the COBOL programs of Inputs/cobol
# (app.cob, the main program; ledger.cob, which it calls; cobc -C writes
# each as C, a module of its own, linked with libcob) and a C function
# that calls hcr_perform_reload, built natively and by hcr-build, the same
# lines through both; then, while the hcr build runs, the ledger's fee
# changes three times, cobc and hcr-build run again each time, and the
# running program reloads the ledger with its WORKING-STORAGE kept.
set -euo pipefail
trap "" PIPE
build=$1 include=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out/src"
cp "$here"/cobol/* "$out/src/"
cd "$out/src"
cobc -C -x app.cob
cobc -C ledger.cob
read -r -a cflags <<< "$(cob-config --cflags)"
read -r -a libs <<< "$(cob-config --libs)"
lines=$'100\n-30\n7'
cc -w -I"$include" "${cflags[@]}" app.c ledger.c reload.c "${libs[@]}" -o "$out/native"
"$build" -q -o "$out/bin" app.c ledger.c reload.c -- -w "${cflags[@]}" "${libs[@]}"
diff <("$out/native" <<< "$lines") <("$out/bin/app" <<< "$lines")
echo "== same output as the native build"
source "$here/../../Inputs/session.sh"
session_start "$out" "$out/bin/app"
send 100
send -30
for fee in 1 2 3; do
  sed -i "s/MOVE [0-9]* TO WS-FEE/MOVE $fee TO WS-FEE/" ledger.cob
  grep -q "MOVE $fee TO WS-FEE" ledger.cob
  cobc -C ledger.cob
  "$build" -o "$out/bin" app.c ledger.c reload.c -- -w "${cflags[@]}" "${libs[@]}" \
    2>&1 | grep -E 'compiling|restart' | sed 's/^hcr-build: //'
  send reload
  send 10
done
session_end
