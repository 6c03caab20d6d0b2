-- A deterministic Lua workload: tables, strings, closures and garbage-collection
-- pressure. Used by the preload test (and by the Lua-on-a-fixed-heap example).
local function lcg(seed)
  local x = seed
  return function()
    x = (x * 1103515245 + 12345) % 2147483648
    return x
  end
end

local rand = lcg(7)
local t = {}
for i = 1, 30000 do
  t[i] = { id = i, name = "item" .. (rand() % 1000), score = rand() % 10007 }
end
table.sort(t, function(a, b)
  if a.score ~= b.score then return a.score < b.score end
  return a.id < b.id
end)
print("first", t[1].id, t[1].name, "last", t[#t].id, t[#t].score)

local counts = {}
for _, v in ipairs(t) do counts[v.name] = (counts[v.name] or 0) + 1 end
local n = 0
for _ in pairs(counts) do n = n + 1 end
print("distinct names", n)

local parts = {}
for i = 1, 20000 do parts[#parts + 1] = string.format("%05d:%s", i, string.rep("x", i % 17)) end
local s = table.concat(parts, ",")
print("string", #s, s:sub(1, 24), select(2, s:gsub("xxxx", "")))

local adders = {}
for i = 1, 5000 do adders[i] = function(x) return x + i end end
local acc = 0
for i = 1, #adders do acc = adders[i](acc) % 1000003 end
print("closures", acc)

-- Garbage: many short-lived tables and strings, collected as we go.
local live = 0
for round = 1, 40 do
  local junk = {}
  for i = 1, 2000 do junk[i] = { round, tostring(i * round), {} } end
  live = live + #junk
  collectgarbage("step", 200)
end
print("garbage rounds done", live)
