-- wrk script of the bench: rotates over the paths in a file (optional, one per line, given
-- after "--"), and prints the summary as one line of JSON (latencies in microseconds). A line
-- may carry, after a tab, the Cookie header to send with that path (a signed-in page).
local paths = {}
local cookies = {}
local position = 0
local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file = args[1]
  if file then
    for line in io.lines(file) do
      if #line > 0 then
        local path, cookie = line:match("^([^\t]*)\t(.*)$")
        paths[#paths + 1] = path or line
        cookies[#paths] = cookie
      end
    end
  end
  if #paths > 0 then
    -- each thread starts at its own place in the list
    position = (index * math.floor(#paths / 2)) % #paths
  end
end

function request()
  if #paths == 0 then
    return wrk.request()
  end
  position = position % #paths + 1
  local cookie = cookies[position]
  if cookie then
    return wrk.format("GET", paths[position], {["Cookie"] = cookie})
  end
  return wrk.format("GET", paths[position])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"min": %d, "mean": %.1f, "max": %d, "stdev": %.1f, ' ..
    '"p50": %d, "p90": %d, "p95": %d, "p99": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency.min, latency.mean, latency.max, latency.stdev,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99)))
end
