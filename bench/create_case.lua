-- wrk script: opens cases with POST /api/v1/cases, a distinct subject per request so that
-- every request is a real, durable write (no deduplication can make it cheaper).
--
--   REDRESS_BENCH_TOKEN=rdt_... REDRESS_BENCH_CUSTOMER=1 \
--     wrk -t2 -c64 -d10s --latency -s bench/create_case.lua http://127.0.0.1:PORT
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "wrk_report.lua")

local token = os.getenv("REDRESS_BENCH_TOKEN") or error("REDRESS_BENCH_TOKEN is not set")
local customer_id = tonumber(os.getenv("REDRESS_BENCH_CUSTOMER") or "") or
                    error("REDRESS_BENCH_CUSTOMER is not set to a customer id")
local headers = {
  ["Authorization"] = "Bearer " .. token,
  ["Content-Type"] = "application/json",
}
local counter = 0

function request()
  counter = counter + 1
  -- thread_number is set by setup() in wrk_report.lua before the thread starts.
  local body = string.format(
      '{"customer_id":%d,"subject":"Parcel not delivered (bench t%d n%d)",' ..
      '"body":"The tracking page says delivered but nothing arrived. Order %d-%d.",' ..
      '"channel":"api","priority":"normal","category":"delivery"}',
      customer_id, thread_number, counter, thread_number, counter)
  return wrk.format("POST", "/api/v1/cases", headers, body)
end
