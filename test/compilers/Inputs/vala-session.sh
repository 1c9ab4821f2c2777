#!/usr/bin/env bash
# vala-session.sh HCR_BUILD INCLUDE OUT: the program of Inputs/vala (main.vala
# and a GObject class, account.vala; valac -C writes each as C, a module of
# its own, on GLib) built natively and by hcr-build, the same lines through
# both; then, while the hcr build runs, the account's fee (a virtual method)
# and its description change, valac and hcr-build run again, and the running
# program reloads the class with the object's balance kept.
set -euo pipefail
trap "" PIPE
build=$1 include=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out/src"
cp "$here"/vala/* "$out/src/"
cd "$out/src"
valac -C --pkg gobject-2.0 main.vala account.vala
read -r -a cflags <<< "$(pkg-config --cflags glib-2.0 gobject-2.0)"
read -r -a libs <<< "$(pkg-config --libs glib-2.0 gobject-2.0)"
lines=$'100\n50\n7'
cc -w -I"$include" "${cflags[@]}" main.c account.c "${libs[@]}" -o "$out/native"
"$build" -q -o "$out/bin" main.c account.c -- -w "${cflags[@]}" "${libs[@]}"
diff <("$out/native" <<< "$lines") <("$out/bin/main" <<< "$lines")
echo "== same output as the native build"
source "$here/../../Inputs/session.sh"
session_start "$out" "$out/bin/main"
send 100
send 50
sed -i 's|return amount / 10;|return amount / 5;|
        s|%d after %d deposits"|%d after %d deposits, fee 20%%"|' account.vala
grep -q 'fee 20' account.vala
valac -C --pkg gobject-2.0 main.vala account.vala
"$build" -o "$out/bin" main.c account.c -- -w "${cflags[@]}" "${libs[@]}" 2>&1 |
  grep -E 'compiling|restart' | sed 's/^hcr-build: //'
send reload
send 100
session_end
