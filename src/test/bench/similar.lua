-- wrk load on GET /v1/products/{id}/similar, a random id per request from bench-ids.txt.
-- usage: BENCH_API_KEY_FILE=/tmp/tastemaker-bench/keys/storefront wrk -t2 -c32 -d20s -s src/test/bench/similar.lua http://127.0.0.1:8080 -- /tmp/tastemaker-bench/bench-ids.txt
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

common.random_paths("/tmp/tastemaker-bench/bench-ids.txt", function(id)
  return "/v1/products/" .. common.urlencode(id) .. "/similar"
end)
