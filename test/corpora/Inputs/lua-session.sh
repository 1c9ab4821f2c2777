#!/usr/bin/env bash
# lua-session.sh LUA_SRC OUT: runs Inputs/session.lua in the lua built in
# OUT, sends it "use", edits string.len in a copy of lstrlib.c (LUA_SRC is
# that copy's directory), has hcr-build rebuild, then "reload" and "use".
set -euo pipefail
trap "" PIPE
src=$1 out=$2
here=$(dirname "$0")
mkfifo "$out/commands"
(cd "$out" && LUA_CPATH="$out/?.so" ./lua "$here/session.lua" < commands > session.out 2>&1) &
pid=$!
exec 3> "$out/commands"
acks=0 printed=0
send() {
  echo "> $1"
  echo "$1" >&3
  acks=$((acks + 1))
  for _ in $(seq 1 800); do
    [ "$(grep -c '^ok$' "$out/session.out" || true)" -ge "$acks" ] && break
    sleep 0.025
  done
  { grep -v "^ok$" "$out/session.out" || true; } | tail -n +$((printed + 1))
  printed=$(grep -vc '^ok$' "$out/session.out" || true)
}
send use
send use
sed -i 's/lua_pushinteger(L, (lua_Integer)l);/lua_pushinteger(L, (lua_Integer)l + 1000);/' "$src/lstrlib.c"
grep -q 'l + 1000' "$src/lstrlib.c"
bash "$out/rebuild.sh" 2>&1 | sed 's/^hcr-build: //'
send reload
send use
exec 3>&-
wait "$pid"
echo "== exit status $?"
