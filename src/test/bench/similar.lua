-- wrk load on GET /v1/products/{id}/similar, a random id per request from bench-ids.txt.
-- usage: wrk -t2 -c32 -d20s -s src/test/bench/similar.lua http://127.0.0.1:8080 -- /tmp/tastemaker-bench/bench-ids.txt
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")
local counter = 0
local ids

function setup(thread)
  counter = counter + 1
  thread:set("thread_no", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (thread_no or 0))
  ids = common.read_lines(args[1] or "/tmp/tastemaker-bench/bench-ids.txt")
  for i = 1, #ids do
    ids[i] = "/v1/products/" .. common.urlencode(ids[i]) .. "/similar"
  end
end

function request()
  return wrk.format("GET", ids[math.random(#ids)])
end

done = common.done
