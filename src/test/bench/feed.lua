-- wrk load on GET /v1/users/{id}/feed?limit=20, a random shopper per request from bench-users.txt
-- (written by LoadEngagement: every shopper in it has engagement).
-- usage: BENCH_API_KEY_FILE=/tmp/tastemaker-bench/keys/storefront wrk -t2 -c32 -d20s -s src/test/bench/feed.lua http://127.0.0.1:8080 -- /tmp/tastemaker-bench/bench-users.txt
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

common.random_paths("/tmp/tastemaker-bench/bench-users.txt", function(id)
  return "/v1/users/" .. common.urlencode(id) .. "/feed?limit=20"
end)
