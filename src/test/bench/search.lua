-- wrk load on GET /v1/search?q=..., a random URL-encoded query per request from bench-queries.txt.
-- usage: BENCH_API_KEY_FILE=/tmp/tastemaker-bench/keys/storefront wrk -t2 -c32 -d20s -s src/test/bench/search.lua http://127.0.0.1:8080 -- /tmp/tastemaker-bench/bench-queries.txt
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

common.random_paths("/tmp/tastemaker-bench/bench-queries.txt", function(query)
  return "/v1/search?q=" .. common.urlencode(query)
end)
