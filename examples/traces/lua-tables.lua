-- A small Lua workload for memkit record: tables that grow and shrink, strings built
-- and thrown away, closures capturing upvalues. Prints a checksum so a recorded run can
-- be compared with a plain one.
local people = {}
for i = 1, 300 do
  people[i] = { id = i, name = "person" .. i, tags = {} }
  for j = 1, i % 7 do
    people[i].tags[j] = string.rep("t", j) .. i
  end
end

local function counter(start)
  local n = start
  return function(step) n = n + step; return n end
end
local counters = {}
for i = 1, 200 do counters[i] = counter(i) end

local sum = 0
for round = 1, 5 do
  for i = 1, #counters do sum = sum + counters[i](round) end
  local words = {}
  for i = 1, 400 do words[#words + 1] = ("w%d_%d"):format(round, i) end
  local joined = table.concat(words, ",")
  sum = sum + #joined
  for i = #people, 1, -3 do table.remove(people, i) end
end
collectgarbage()
print(("people left %d, checksum %d"):format(#people, sum))
