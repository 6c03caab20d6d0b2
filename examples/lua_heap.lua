-- Tables, strings, closures and garbage-collection pressure, small enough for a 256 KiB
-- heap. examples/lua_heap.c runs it on a fixed memkit heap; the test compares its
-- output with the system's lua5.4.
local function lcg(seed)
  local x = seed
  return function()
    x = (x * 1103515245 + 12345) % 2147483648
    return x >> 8
  end
end
local rand = lcg(42)

local items = {}
for i = 1, 400 do
  items[i] = { id = i, name = "n" .. rand() % 300, score = rand() % 1000 }
end
table.sort(items, function(a, b)
  if a.score ~= b.score then return a.score < b.score end
  return a.id < b.id
end)
print("sorted", items[1].id, items[1].score, items[#items].id, items[#items].score)

local by_name = {}
for _, it in ipairs(items) do
  local list = by_name[it.name] or {}
  list[#list + 1] = it.id
  by_name[it.name] = list
end
local names = 0
for _ in pairs(by_name) do names = names + 1 end
print("names", names)

local function counter(step)
  local n = 0
  return function() n = n + step; return n end
end
local counters, sum = {}, 0
for i = 1, 200 do counters[i] = counter(i) end
for _ = 1, 10 do for i = 1, #counters do sum = sum + counters[i]() end end
print("closures", sum)

local checksum = 0
for round = 1, 300 do
  local parts = {}
  for i = 1, 40 do parts[i] = string.format("%d-%d", round, rand() % 100000) end
  local s = table.concat(parts, "|")
  checksum = (checksum + #s + #s:gsub("%d", "")) % 1000000007
  local junk = {}
  for i = 1, 30 do junk[i] = { s:sub(i, i + 10), {} } end
end
print("strings", checksum)
