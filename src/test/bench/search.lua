-- wrk load on GET /v1/search?q=..., a random URL-encoded query per request from bench-queries.txt.
-- usage: wrk -t2 -c32 -d20s -s src/test/bench/search.lua http://127.0.0.1:8080 -- /tmp/tastemaker-bench/bench-queries.txt
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")
local counter = 0
local paths

function setup(thread)
  counter = counter + 1
  thread:set("thread_no", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (thread_no or 0))
  paths = common.read_lines(args[1] or "/tmp/tastemaker-bench/bench-queries.txt")
  for i = 1, #paths do
    paths[i] = "/v1/search?q=" .. common.urlencode(paths[i])
  end
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

done = common.done
