#!/usr/bin/env bash
# Tollgate load benchmark: a fast fake upstream on loopback, DynamoDB Local in its own process, and
# Tollgate's local server, driven by wrk. Every gateway figure is measured side by side with the same
# load sent straight to the upstream, so "added latency" is a difference from one run.
# Results: stdout and bench/results/<timestamp>.md. See docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/jdk.sh
pick_jdk
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
STREAM_CHUNKS=${STREAM_CHUNKS:-20}
CHUNK_DELAY_MS=${CHUNK_DELAY_MS:-5}
TTFB_SAMPLES=${TTFB_SAMPLES:-200}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:--Xms128m -Xmx256m -XX:+UseParallelGC}
UPSTREAM_PORT=18001 DYNAMO_PORT=18002 GATEWAY_PORT=18080 STREAM_UPSTREAM_PORT=18003

if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)"; apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
work=bench/results/$stamp
mkdir -p "$work"
echo "building..."
./mvnw -B -q -DskipTests package -pl functions,bench -am
./mvnw -B -q -pl functions -am dependency:build-classpath -DincludeScope=compile -Dmdep.outputFile="$PWD/$work/functions.cp" >/dev/null
# The reactor's own modules come from their target/ folders, never from a stale ~/.m2 copy.
cp="$PWD/functions/target/classes:$(sed -E "s#[^:]*/tollgate-shared/[^:]*\.jar#$PWD/shared/target/classes#" "$work/functions.cp")"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

"$JAVA" -cp "$cp" com.amazonaws.services.dynamodbv2.local.main.ServerRunner -inMemory -port $DYNAMO_PORT -disableTelemetry >"$work/dynamo.log" 2>&1 & pids+=($!)
"$JAVA" -cp bench/target/benchmarks.jar dev.tollgate.bench.BenchUpstream $UPSTREAM_PORT "$STREAM_CHUNKS" 0 >"$work/upstream.log" 2>&1 & pids+=($!)
"$JAVA" -cp bench/target/benchmarks.jar dev.tollgate.bench.BenchUpstream $STREAM_UPSTREAM_PORT "$STREAM_CHUNKS" "$CHUNK_DELAY_MS" >"$work/stream-upstream.log" 2>&1 & pids+=($!)
sleep 1
# The gateway gets two upstreams: `ollama` (no chunk delay) for buffered load, `slow` for streams.
(cd "$work" && TOLLGATE_DYNAMODB_ENDPOINT=http://127.0.0.1:$DYNAMO_PORT TOLLGATE_ADMIN_TOKEN=bench \
  MICRONAUT_SERVER_PORT=$GATEWAY_PORT TOLLGATE_UPSTREAMS_OLLAMA_BASE_URL=http://127.0.0.1:$UPSTREAM_PORT/v1 \
  exec "$JAVA" $GATEWAY_JAVA_OPTS -cp "$cp" dev.tollgate.local.LocalMain >gateway.log 2>&1) & gateway=$!; pids+=($gateway)

for _ in $(seq 1 120); do
  curl -s -o /dev/null "http://127.0.0.1:$GATEWAY_PORT/v1/models" && break
  kill -0 "$gateway" 2>/dev/null || { echo "the gateway died; see $work/gateway.log"; exit 1; }
  sleep 0.5
done
key=$(curl -s -X POST "http://127.0.0.1:$GATEWAY_PORT/admin/accounts" -H "Authorization: Bearer bench" \
  -d '{"name":"bench","credit_usd":"90000.00"}' | sed -n 's/.*"api_key":"\([^"]*\)".*/\1/p')
[[ -n $key ]] || { echo "could not create the benchmark account; see $work/gateway.log"; exit 1; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
dynamo_calls() { curl -s "http://127.0.0.1:$GATEWAY_PORT/admin/stats" -H "Authorization: Bearer bench"; }
writes_in() { # total DynamoDB write requests in a stats JSON
  echo "$1" | grep -oE '"(PutItem|UpdateItem|DeleteItem|TransactWriteItems|BatchWriteItem)":[0-9]+' | awk -F: '{s+=$2} END {print s+0}'
}
load() { # name url key body -> RESULT json line
  BODY="$4" KEY="$3" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s bench/post.lua "$2" | sed -n 's/^RESULT //p'
}
field() { echo "$1" | grep -oE "\"$2\":[0-9.]+" | cut -d: -f2; }

free='{"model":"qwen/qwen3-coder:free","max_tokens":64,"messages":[{"role":"user","content":"Say hello"}]}'
paid='{"model":"gemma3:1b","max_tokens":64,"messages":[{"role":"user","content":"Say hello"}]}'
direct=http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions
gw=http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions

echo "warming up..."
DURATION=5s load warm "$gw" "$key" "$free" >/dev/null
DURATION=3s load warm "$gw" "$key" "$paid" >/dev/null

report=$work/results.md
{
  echo "# Tollgate benchmark $stamp"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $("$JAVA" -version 2>&1 | head -1); wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
  echo "Gateway JVM: $GATEWAY_JAVA_OPTS"
  echo
  echo "| run | req/s | p50 ms | p90 ms | p99 ms | errors | gateway CPU ms/req | DynamoDB writes/req |"
  echo "|---|---|---|---|---|---|---|---|"
} >"$report"

run() { # label url key body measure-gateway?
  local before_cpu before_stats result after_cpu after_stats n
  before_cpu=$(cpu_ticks "$gateway"); before_stats=$(dynamo_calls)
  result=$(load "$1" "$2" "$3" "$4")
  after_cpu=$(cpu_ticks "$gateway"); after_stats=$(dynamo_calls)
  n=$(field "$result" requests)
  local cpu="-" writes="-"
  if [[ $5 == yes ]]; then
    cpu=$(awk -v a="$before_cpu" -v b="$after_cpu" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.3f", (b - a) * 1000 / hz / n}')
    writes=$(awk -v a="$(writes_in "$before_stats")" -v b="$(writes_in "$after_stats")" -v n="$n" 'BEGIN {printf "%.3f", (b - a) / n}')
  fi
  printf '| %s | %s | %.2f | %.2f | %.2f | %s | %s | %s |\n' "$1" "$(field "$result" rps)" \
    "$(awk -v v="$(field "$result" p50_us)" 'BEGIN {print v / 1000}')" \
    "$(awk -v v="$(field "$result" p90_us)" 'BEGIN {print v / 1000}')" \
    "$(awk -v v="$(field "$result" p99_us)" 'BEGIN {print v / 1000}')" \
    "$(field "$result" errors)" "$cpu" "$writes" >>"$report"
  echo "$1: $result"
  last_result=$result
}

run "upstream direct, buffered" "$direct" "" "$free" no; direct_result=$last_result
run "gateway, free model, buffered" "$gw" "$key" "$free" yes; free_result=$last_result
run "gateway, paid model, buffered" "$gw" "$key" "$paid" yes; paid_result=$last_result
added() { awk -v g="$(field "$1" "$2")" -v d="$(field "$direct_result" "$2")" 'BEGIN {printf "%.2f", (g - d) / 1000}'; }
rss_buffered=$(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' "/proc/$gateway/status")
{
  echo
  echo "Added latency (gateway minus direct, same load): free model p50 +$(added "$free_result" p50_us) ms, p99 +$(added "$free_result" p99_us) ms;"
  echo "paid model p50 +$(added "$paid_result" p50_us) ms, p99 +$(added "$paid_result" p99_us) ms."
  echo "Gateway peak RSS (VmHWM) after the buffered runs: $rss_buffered."
} >>"$report"

# Streaming: time to first byte and total, sequential requests, direct vs through the gateway.
ttfb() { # url key -> "p50_ttfb p99_ttfb p50_total p99_total" in ms
  local url=$1 auth=() i
  [[ -n $2 ]] && auth=(-H "Authorization: Bearer $2")
  for i in $(seq 1 "$TTFB_SAMPLES"); do
    curl -s -o /dev/null -w '%{time_starttransfer} %{time_total}\n' "$url" "${auth[@]}" \
      -H 'Content-Type: application/json' -d "$3"
  done | awk '{t[NR]=$1*1000; s[NR]=$2*1000} END {n=asort(t); asort(s);
    printf "%.2f %.2f %.2f %.2f", t[int(n*0.5)], t[int(n*0.99)], s[int(n*0.5)], s[int(n*0.99)]}'
}
stream_body='{"model":"qwen/qwen3-coder:free","stream":true,"messages":[{"role":"user","content":"Count"}]}'
kill "$gateway"; wait "$gateway" 2>/dev/null || true
(cd "$work" && TOLLGATE_DYNAMODB_ENDPOINT=http://127.0.0.1:$DYNAMO_PORT TOLLGATE_ADMIN_TOKEN=bench \
  MICRONAUT_SERVER_PORT=$GATEWAY_PORT TOLLGATE_UPSTREAMS_OLLAMA_BASE_URL=http://127.0.0.1:$STREAM_UPSTREAM_PORT/v1 \
  exec "$JAVA" $GATEWAY_JAVA_OPTS -cp "$cp" dev.tollgate.local.LocalMain >gateway-stream.log 2>&1) & gateway=$!; pids+=($gateway)
for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$GATEWAY_PORT/v1/models" && break; sleep 0.5; done
ttfb "$gw" "$key" "$stream_body" >/dev/null # warm-up
read -r d_t50 d_t99 d_s50 d_s99 <<<"$(ttfb "http://127.0.0.1:$STREAM_UPSTREAM_PORT/v1/chat/completions" "" "$stream_body")"
read -r g_t50 g_t99 g_s50 g_s99 <<<"$(ttfb "$gw" "$key" "$stream_body")"
{
  echo
  echo "Streaming ($STREAM_CHUNKS chunks, ${CHUNK_DELAY_MS} ms apart, $TTFB_SAMPLES sequential requests, curl):"
  echo
  echo "| | TTFB p50 ms | TTFB p99 ms | total p50 ms | total p99 ms |"
  echo "|---|---|---|---|---|"
  echo "| upstream direct | $d_t50 | $d_t99 | $d_s50 | $d_s99 |"
  echo "| through Tollgate | $g_t50 | $g_t99 | $g_s50 | $g_s99 |"
  echo
  echo "Stream gateway peak RSS (VmHWM): $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' "/proc/$gateway/status")."
} >>"$report"
echo
cat "$report"
