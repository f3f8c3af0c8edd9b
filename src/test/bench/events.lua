-- POST /v1/events with EVENTS_PER_REQUEST events per request, every eventId unique.
-- usage: wrk -s events.lua <url> -- <productIdPrefix> <products> <users> [eventsPerRequest=100]
-- Product ids are <productIdPrefix><0..products-1>; users u-<0..users-1>; popularity Zipf-like.
-- Events need a storefront key: BENCH_API_KEY_FILE=<data-dir>/keys/storefront (see common.lua).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("thread_no", counter)
end

local prefix, products, users, per_request, seq, run, headers
local types = { "view", "view", "view", "view", "click", "click", "pin", "add_to_cart", "purchase", "hide" }

init = function(args)
  prefix = args[1] or "p"
  products = tonumber(args[2] or "10000")
  users = tonumber(args[3] or "50000")
  per_request = tonumber(args[4] or "100")
  seq = 0
  math.randomseed(os.time() * 1000 + (thread_no or 0))
  run = string.format("%x-%d", math.random(0, 0xffffff), thread_no or 0)
  headers = common.authorize({ ["Content-Type"] = "application/json" })
end

local function zipf_index(n)
  -- inverse of a continuous power law with s≈1: popular items far more often
  return math.floor(math.exp(math.random() * math.log(n + 1))) - 1
end

request = function()
  local now = os.date("!%Y-%m-%dT%H:%M:%SZ")
  local parts = {}
  for i = 1, per_request do
    seq = seq + 1
    parts[i] = string.format(
      '{"eventId":"w-%s-%d","type":"%s","userId":"u-%d","productId":"%s%d","sessionId":"s-%d","occurredAt":"%s"}',
      run, seq, types[math.random(#types)], math.random(0, users - 1), prefix, zipf_index(products),
      math.random(0, 999999), now)
  end
  return wrk.format("POST", "/v1/events", headers,
    '{"events":[' .. table.concat(parts, ",") .. ']}')
end
-- wrk itself reports "Non-2xx or 3xx responses"; 202 is the only success here.
