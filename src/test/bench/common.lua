-- Shared by the wrk scripts (loaded with dofile from the same directory).
-- Each wrk thread has its own Lua state: setup() numbers the threads, init() reads the file.
-- The API key comes from the environment, never the command line: BENCH_API_KEY_FILE names a file
-- holding it (such as <data-dir>/keys/storefront), or BENCH_API_KEY is the key itself. Without
-- either, requests carry no key (for a service that takes none).
local M = {}

-- Adds "Authorization: Bearer <key>" to headers when the environment names a key.
function M.authorize(headers)
  local key = os.getenv("BENCH_API_KEY")
  local file = os.getenv("BENCH_API_KEY_FILE")
  if (key == nil or key == "") and file ~= nil and file ~= "" then
    local f = assert(io.open(file, "r"), "cannot open the key file " .. file)
    key = f:read("*a")
    f:close()
  end
  if key ~= nil then
    key = key:gsub("^%s+", ""):gsub("%s+$", "")
    if key ~= "" then
      headers["Authorization"] = "Bearer " .. key
    end
  end
  return headers
end

function M.read_lines(path)
  local lines = {}
  local f = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  for line in f:lines() do
    line = line:gsub("^%s+", ""):gsub("%s+$", "")
    if line ~= "" and line:sub(1, 1) ~= "#" then
      lines[#lines + 1] = line
    end
  end
  f:close()
  assert(#lines > 0, "no lines in " .. path)
  return lines
end

-- RFC 3986: everything but unreserved characters is %-encoded (a space becomes %20).
function M.urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

-- Installs wrk's hooks: each request GETs one of the paths made by to_path from the lines of the
-- file given after "--" (or default_file), picked at random; numbered threads seed differently.
-- Every request carries the key M.authorize finds.
function M.random_paths(default_file, to_path)
  local counter = 0
  local paths
  setup = function(thread)
    counter = counter + 1
    thread:set("thread_no", counter)
  end
  init = function(args)
    math.randomseed(os.time() * 1000 + (thread_no or 0))
    M.authorize(wrk.headers)
    paths = M.read_lines(args[1] or default_file)
    for i = 1, #paths do
      paths[i] = to_path(paths[i])
    end
  end
  request = function()
    return wrk.format("GET", paths[math.random(#paths)])
  end
  done = M.done
end

function M.done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d seconds=%.2f rps=%.1f non2xx=%d connect_err=%d read_err=%d write_err=%d timeouts=%d"
      .. " p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
    summary.requests, seconds, summary.requests / seconds, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end

return M
