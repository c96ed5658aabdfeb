-- Drives one endpoint for scripts/bench/run. The data file (BENCH_DATA, written by the runner)
-- gives the paths to rotate through and, for writes, the logged-in members: their session cookie
-- and CSRF token, and the form fields. Every write carries a unique marker word, and each
-- PICK(a|b|c) of the form is one of its choices at random (reviews with varied facts move the
-- figures as real ones do).
local data = dofile(os.getenv("BENCH_DATA"))
local threads = {}
local counter = 0
local thread_number = 0

function setup(thread)
  thread_number = thread_number + 1
  thread:set("number", thread_number)
  table.insert(threads, thread)
end

function init(args)
  counter = number * 100003
  math.randomseed(number * 7919)
end

local function pick(options)
  local choices = {}
  for choice in string.gmatch(options, "[^|]+") do table.insert(choices, choice) end
  return choices[math.random(#choices)]
end

function request()
  counter = counter + 1
  local path = data.paths[(counter % #data.paths) + 1]
  if data.method == "GET" then
    local headers = nil
    if data.cookie then headers = { Cookie = data.cookie } end
    return wrk.format("GET", path, headers)
  end
  local member = data.members[(counter % #data.members) + 1]
  local marker = string.format("%s%dx%d", data.marker, number, counter)
  local form = string.gsub(string.gsub(data.form, "MARKER", marker), "PICK%(([^)]*)%)", pick)
  local body = "csrf_token=" .. member.token .. "&" .. form
  local headers = {
    Cookie = member.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  return wrk.format("POST", path, headers, body)
end

function done(summary, latency, requests)
  io.write(string.format(
    "BENCH_RESULT {\"requests\": %d, \"duration_us\": %d, \"status_errors\": %d, " ..
    "\"socket_errors\": %d, \"p50_us\": %d, \"p95_us\": %d, \"p99_us\": %d}\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
