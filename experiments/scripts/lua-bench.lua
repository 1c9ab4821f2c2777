-- lua-bench.lua [SCALE]: a CPU-bound Lua workload for experiments/scripts/
-- real-c-costs.sh (about 2.5 s natively at SCALE 1 on its 2-core VM).
-- A mix of what Lua programs do: function calls and recursion, closures,
-- table inserts, reads and sorts, string building, formatting and
-- pattern matching, method calls through metatables. Prints one checksum
-- per part so that the native and the hcr build can be compared.
local scale = tonumber(arg and arg[1]) or 1

local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end

local function calls()
  local r = 0
  for _ = 1, 3 * scale do r = r + fib(32) end
  return r
end

local function closures()
  local sum = 0
  for i = 1, 3000000 * scale do
    local f = function(x) return x + i end
    sum = sum + f(1)
  end
  local counters = {}
  for i = 1, 1000 do
    local c = 0
    counters[i] = function() c = c + 1; return c end
  end
  for _ = 1, 2000 * scale do
    for i = 1, #counters do sum = sum + counters[i]() end
  end
  return sum
end

local function tables()
  local t, sum = {}, 0
  for i = 1, 500000 * scale do t[#t + 1] = i * 7 % 1000 end
  for i = 1, #t do sum = sum + t[i] end
  local h = {}
  for i = 1, 300000 * scale do h["k" .. (i % 5000)] = i end
  for k, v in pairs(h) do sum = sum + #k + v end
  local s = {}
  for i = 1, 150000 * scale do table.insert(s, (i * 7919) % 100003) end
  table.sort(s)
  for i = 1, #s, 100 do sum = sum + s[i] end
  for _ = 1, 30 * scale do
    local q = {}
    for i = 1, 5000 do table.insert(q, 1 + (i % 7 == 0 and 0 or #q), i) end
    while #q > 0 do sum = sum + table.remove(q) end
  end
  return sum
end

local function strings()
  local n = 0
  local parts = {}
  for i = 1, 100000 * scale do
    parts[#parts + 1] = string.format("%d:%s", i, tostring(i * 3))
  end
  local s = table.concat(parts, ",")
  n = n + #s
  for a, b in s:gmatch("(%d+):(%d+)") do n = n + #a + #b end
  n = n + select(2, s:gsub("1", "one"))
  for i = 1, 200000 * scale do
    local w = ("abc"):rep(i % 10) .. i
    n = n + #w:upper() + (w:find("c1", 1, true) or 0) + w:byte(1 + i % #w)
  end
  return n
end

local Point = {}
Point.__index = Point
function Point.new(x, y) return setmetatable({x = x, y = y}, Point) end
function Point:add(o) return Point.new(self.x + o.x, self.y + o.y) end
function Point:len2() return self.x * self.x + self.y * self.y end

local function objects()
  local p, acc = Point.new(0, 0), 0
  for i = 1, 1200000 * scale do
    p = p:add(Point.new(1, i % 3))
    acc = acc + p:len2() % 7
  end
  return acc + p.x + p.y
end

local parts = {calls = calls, closures = closures, tables = tables,
               strings = strings, objects = objects}
for _, name in ipairs({"calls", "closures", "tables", "strings", "objects"}) do
  local t0 = os.clock()
  local r = parts[name]()
  io.write(string.format("%-9s %s  (%.2f s)\n", name, tostring(r), os.clock() - t0))
end
