-- wrk script of bench/http_load.py: cycles through the requests of a file, one per line:
-- METHOD <tab> PATH <tab> COOKIE <tab> BODY. Thread t of n sends lines t, t + n, t + 2n...
-- so that no request is sent twice while there are enough (submissions, each its own draft).
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  requests = {}
  for line in io.lines(args[1]) do
    local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    -- What a browser accepts: the bytes counted are those a worker's phone receives.
    local headers = {["Accept-Encoding"] = "gzip, deflate, br"}
    if cookie ~= "" then headers["Cookie"] = cookie end
    if method == "POST" then headers["Content-Type"] = "application/x-www-form-urlencoded" end
    if body == "" then body = nil end
    table.insert(requests, wrk.format(method, path, headers, body))
  end
  step = tonumber(args[2])
  index = id
  bad = 0
end

function request()
  local r = requests[(index % #requests) + 1]
  index = index + step
  return r
end

function response(status, headers, body)
  -- wrk counts 4xx and 5xx itself; a 200 "already recorded" would be counted here if a
  -- submission were sent twice, but the lists are long enough for that not to happen.
end

function done(summary, latency, requests)
  io.write(string.format("RESULT %d %d %f %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(99), summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout, summary.bytes, 0))
end
