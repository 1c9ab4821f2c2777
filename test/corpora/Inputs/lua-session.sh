#!/usr/bin/env bash
# lua-session.sh LUA_SRC OUT: runs Inputs/session.lua in the lua built in
# OUT, sends it "use", edits string.len in a copy of lstrlib.c (LUA_SRC is
# that copy's directory), has hcr-build rebuild, then "reload" and "use".
# Then lvm.c, whose luaV_execute runs the session's loop, is edited and
# reloaded twice: the loop's frame stays in the first copy throughout.
set -euo pipefail
trap "" PIPE
src=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../Inputs/session.sh"
session_start "$out" env -C "$out" LUA_CPATH="$out/?.so" ./lua "$here/session.lua"
send use
send use
sed -i 's/lua_pushinteger(L, (lua_Integer)l);/lua_pushinteger(L, (lua_Integer)l + 1000);/' "$src/lstrlib.c"
grep -q 'l + 1000' "$src/lstrlib.c"
bash "$out/rebuild.sh" 2>&1 | sed 's/^hcr-build: //'
send reload
send use
send vlen
for add in 2000 3000; do
  sed -i -E "s/setivalue\(s2v\(ra\), tsvalue\(rb\)->shrlen( \+ [0-9]+)?\);/setivalue(s2v(ra), tsvalue(rb)->shrlen + $add);/" "$src/lvm.c"
  grep -q "shrlen + $add" "$src/lvm.c"
  bash "$out/rebuild.sh" 2>&1 | sed 's/^hcr-build: //'
  send reload
  send vlen
done
send use
session_end
