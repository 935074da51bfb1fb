-- wrk script: every request is a new measurement capture (a fresh client id) for one of
-- the persons in PERSONS, through POST /api/v1/days/{day}/persons/{person}/measurements.
-- Environment: TOKEN, DAY, PERSONS (comma-separated ids), ENDPOINT (`measurements`, or
-- `assessment` for the same readings assessed without being stored).
local token = os.getenv("TOKEN")
local day = os.getenv("DAY")
local endpoint = os.getenv("ENDPOINT") or "measurements"
local persons = {}
for id in string.gmatch(os.getenv("PERSONS"), "[^,]+") do persons[#persons + 1] = id end

local threads = {}
local counter = 0
local prefix = "00000000"

function setup(thread)
  thread:set("prefix", string.format("%08x", #threads + 1))
  table.insert(threads, thread)
end

function init(args)
  prefix = wrk.thread:get("prefix") or prefix
end

function request()
  counter = counter + 1
  local person = persons[(counter % #persons) + 1]
  -- A UUIDv7 as the pages issue (time first; the thread and counter keep it unique).
  local ms = os.time() * 1000
  local id = string.format("%08x-%04x-7%03x-8%s-%04x%08x", math.floor(ms / 65536), ms % 65536,
    counter % 4096, string.sub(prefix, 6, 8), math.floor(counter / 4294967296) % 65536,
    counter % 4294967296)
  local body = string.format(
    '{"id":"%s","readings":{"weight_kg":%.1f,"lenhei_cm":%.1f,"confirmed":true}}',
    id, 8 + (counter % 50) / 10, 70 + (counter % 100) / 10)
  return wrk.format("POST", "/api/v1/days/" .. day .. "/persons/" .. person .. "/" .. endpoint,
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end

function done(summary, latency, requests)
  local ok = summary.requests - summary.errors.status - summary.errors.connect
    - summary.errors.read - summary.errors.write - summary.errors.timeout
  io.write(string.format(
    "RESULT requests=%d ok=%d non2xx=%d seconds=%.2f rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, ok, summary.errors.status, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
