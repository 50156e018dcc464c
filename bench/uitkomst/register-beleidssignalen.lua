
local teller = 0
function setup(thread)
  thread:set("nr", teller)
  teller = teller + 1
end
local paden = {}
function init(args)
  for regel in io.lines("/work/wt-perf/bench/uitkomst/register-beleidssignalen.paden") do paden[#paden + 1] = regel end
  i = nr * math.floor(#paden / 2)
end
function request()
  i = i + 1
  return wrk.format("GET", paden[(i % #paden) + 1], {["Content-Type"] = "application/json", ["Authorization"] = "Bearer demo-fatima"}, nil)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duur_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,' ..
    '"status_fouten":%d,"andere_fouten":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
