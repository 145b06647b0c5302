-- wrk script for the HTTP benchmark (bench/wrk-load.ts): POSTs prepared JSON bodies, one per line
-- of the file named by BENCH_WRK_BODIES, each used once (a body holds a one-time challenge). Thread
-- k of n sends lines k, k+n, k+2n …; a thread whose lines run out stops. done() prints one JSON
-- line with the counts and latency percentiles (µs).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local n = tonumber(os.getenv("BENCH_WRK_THREADS"))
  bodies = {}
  local i = 0
  for line in io.lines(os.getenv("BENCH_WRK_BODIES")) do
    if i % n == id then table.insert(bodies, line) end
    i = i + 1
  end
  next_body = 1
  ok = 0
  bad = 0
  wrk.method = "POST"
  wrk.headers["content-type"] = "application/json"
  wrk.headers["x-api-key"] = os.getenv("BENCH_WRK_KEY")
end

function request()
  local b = bodies[next_body]
  if b == nil then
    wrk.thread:stop()
    b = bodies[#bodies]
  end
  next_body = next_body + 1
  return wrk.format(nil, nil, nil, b)
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local okTotal, badTotal = 0, 0
  for _, t in ipairs(threads) do
    okTotal = okTotal + t:get("ok")
    badTotal = badTotal + t:get("bad")
  end
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"ok":%d,"non2xx":%d,"errors":%d,"p50Us":%d,"p99Us":%d}\n',
    summary.requests, summary.duration, okTotal, badTotal,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
