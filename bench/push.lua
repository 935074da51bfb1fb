-- wrk script: every request is one device's sync push of BATCH new weighings (fresh client
-- ids, UUIDv7-like as the app issues) for the persons in PERSONS, at UNIT, dated today,
-- through POST /api/v1/sync/push. Environment: TOKEN, UNIT, PERSONS, BATCH.
local token = os.getenv("TOKEN")
local unit = os.getenv("UNIT")
local batch = tonumber(os.getenv("BATCH") or "20")
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

local function uuid7()
  counter = counter + 1
  local ms = os.time() * 1000
  return string.format("%08x-%04x-7%03x-8%s-%04x%08x", math.floor(ms / 65536), ms % 65536,
    counter % 4096, string.sub(prefix, 6, 8), math.floor(counter / 4294967296) % 65536,
    counter % 4294967296)
end

function request()
  local now = os.date("!%Y-%m-%d %H:%M:%S") .. ".0 +00:00:00"
  local today = os.date("!%Y-%m-%d")
  local items = {}
  for i = 1, batch do
    local person = persons[((counter + i) % #persons) + 1]
    items[i] = string.format(
      '{"Measurement":{"id":"%s","person_id":"%s","visit_id":null,"org_unit_id":"%s",' ..
      '"measured_on":"%s","kind":"Weight","value":%.1f,"implausible":false,"captured_at":"%s"}}',
      uuid7(), person, unit, today, 8 + (counter % 50) / 10, now)
  end
  return wrk.format("POST", "/api/v1/sync/push",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token },
    '{"captures":[' .. table.concat(items, ",") .. ']}')
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
