-- Commands on stdin, "ok" after each: the state lives in Lua, the code of
-- string.len in lstrlib.c, which the test edits and reloads.
local hcr = require "hcrlua"
local state = {count = 0, names = {}}
for line in io.lines() do
  if line == "reload" then
    local needed, status = hcr.reload()
    print("reload", needed, status)
  elseif line == "use" then
    state.count = state.count + 1
    state.names[#state.names + 1] = string.format("n%d", state.count)
    print(string.format("count %d, names %s, len %d", state.count,
                        table.concat(state.names, ","), string.len("abc")))
  end
  print("ok")
  io.stdout:flush()
end
