-- wrk script: reads cases with GET /api/v1/cases/{id}, a random id in
-- [REDRESS_BENCH_MIN_ID, REDRESS_BENCH_MAX_ID] per request, so the reads spread over the
-- table instead of hitting one hot row.
--
--   REDRESS_BENCH_TOKEN=rdt_... REDRESS_BENCH_MIN_ID=1 REDRESS_BENCH_MAX_ID=5000 \
--     wrk -t2 -c64 -d10s --latency -s bench/get_case.lua http://127.0.0.1:PORT
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "wrk_report.lua")

local token = os.getenv("REDRESS_BENCH_TOKEN") or error("REDRESS_BENCH_TOKEN is not set")
local min_id = tonumber(os.getenv("REDRESS_BENCH_MIN_ID") or "") or
               error("REDRESS_BENCH_MIN_ID is not set to a case id")
local max_id = tonumber(os.getenv("REDRESS_BENCH_MAX_ID") or "") or min_id

wrk.headers["Authorization"] = "Bearer " .. token

function init(args)
  math.randomseed(1000 + thread_number)
end

function request()
  return wrk.format("GET", "/api/v1/cases/" .. math.random(min_id, max_id))
end
