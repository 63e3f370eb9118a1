-- Shared by the wrk scripts in this folder (loaded with dofile): counts response statuses
-- per thread and prints them with the latency percentiles when the run is done. wrk's own
-- summary only says "Non-2xx or 3xx responses", which would hide a run of 4xx answers
-- that looks fast because nothing was written.
--
-- Lines starting with "bench:" are read by run.sh; keep their format.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

-- Global (not local): the main state reads it from each thread with thread:get().
statuses = {}

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  local ok, other = 0, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + n
      if status >= 200 and status < 300 then ok = ok + n else other = other + n end
    end
  end
  local codes = {}
  for status in pairs(total) do table.insert(codes, status) end
  table.sort(codes)
  io.write("status codes:")
  for _, status in ipairs(codes) do io.write(string.format(" %d=%d", status, total[status])) end
  io.write("\n")
  local seconds = summary.duration / 1e6
  io.write(string.format("bench: responses_2xx=%d non_2xx=%d socket_errors=%d\n", ok, other,
                         summary.errors.connect + summary.errors.read + summary.errors.write +
                         summary.errors.timeout))
  io.write(string.format("bench: rps=%.1f ok_rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f " ..
                         "max_ms=%.2f\n", summary.requests / seconds, ok / seconds,
                         latency:percentile(50) / 1000, latency:percentile(90) / 1000,
                         latency:percentile(99) / 1000, latency.max / 1000))
end
