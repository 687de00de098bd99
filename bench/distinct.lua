-- wrk script for the bench's "after an edit" section (bench/run.py):
--   wrk -tT ... -s bench/distinct.lua http://host:port -- PATHS_FILE T
-- Each request asks for the next path of PATHS_FILE (one a line). Thread i of T takes
-- paths i, i+T, i+2T... so that no two requests of a run ask for the same page. A
-- thread that runs out starts its share again; done() prints how many requests did,
-- as "Repeated paths: N", for run.py to report: a repeat may be served from the cache.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("id", #threads)
end

function init(args)
   local file = assert(io.open(args[1]))
   local count = tonumber(args[2])
   paths = {}
   local index = 0
   for line in file:lines() do
      if line ~= "" then
         index = index + 1
         if (index - 1) % count == id - 1 then
            table.insert(paths, line)
         end
      end
   end
   file:close()
   assert(#paths > 0, "no paths for thread " .. id)
   issued = 0
   repeats = 0
end

function request()
   issued = issued + 1
   if issued > #paths then
      repeats = repeats + 1
   end
   return wrk.format("GET", paths[(issued - 1) % #paths + 1])
end

function done(summary, latency, requests)
   local total = 0
   for _, thread in ipairs(threads) do
      total = total + thread:get("repeats")
   end
   io.write(string.format("Repeated paths: %d\n", total))
end
