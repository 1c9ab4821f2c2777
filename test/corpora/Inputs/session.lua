-- Commands on stdin, "ok" after each: the state lives in Lua, the code of
-- string.len in lstrlib.c and of the length operator in lvm.c, which the
-- test edits and reloads while lvm.c's luaV_execute runs this loop.
local hcr = require "hcrlua"
local state = {count = 0, names = {}}
for line in io.lines() do
  if line == "reload" then
    local needed, status = hcr.reload()
    print("reload", needed, status)
  elseif line == "vlen" then
    -- The VM's length operator (lvm.c): in this loop, which goes on in the
    -- copy of lvm.c that started it, and in a function that pcall (C)
    -- enters the VM with anew, through the current copy.
    print("vlen", #"abcde", select(2, pcall(function(s) return #s end, "abcde")))
  elseif line == "use" then
    state.count = state.count + 1
    state.names[#state.names + 1] = string.format("n%d", state.count)
    print(string.format("count %d, names %s, len %d", state.count,
                        table.concat(state.names, ","), string.len("abc")))
  end
  print("ok")
  io.stdout:flush()
end
