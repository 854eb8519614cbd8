-- wrk script: POST the body in $BODY with the key in $KEY; prints one JSON line of results.
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("KEY")
if key and key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. key
end

-- With RATE set, each connection pauses between requests so that all of them together send about RATE
-- requests per second: latency is then measured below saturation, not as queueing behind a full gateway.
local rate = tonumber(os.getenv("RATE") or "")
if rate and rate > 0 then
  local pause = math.floor(tonumber(os.getenv("CONNECTIONS") or "32") * 1000 / rate)
  delay = function()
    return pause
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout + summary.errors.status
  io.write(string.format(
    'RESULT {"requests":%d,"seconds":%.3f,"rps":%.1f,"errors":%d,"non2xx":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), errors,
    summary.errors.status, latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
