#!/usr/bin/env bash
# Tollgate load benchmark: a fast fake upstream on loopback, DynamoDB Local in its own process, and
# Tollgate's local server, driven by wrk. Every gateway figure is measured side by side with the same
# load sent straight to the upstream, so "added latency" is a difference from one run.
# Results: stdout and bench/results/<timestamp>.md. See docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/lib.sh   # picks a JDK 21+ and sets JAVA

DURATION=${DURATION:-15s}
# The JIT needs tens of thousands of requests before the gateway runs compiled code: measured rows
# taken after a short warm-up mostly measure the C2 compiler (a third of the CPU in one profile).
WARMUP=${WARMUP:-30s}
RATE=${RATE:-1000}                       # requests/s for the latency rows, below saturation
STREAM_WARMUP=${STREAM_WARMUP:-30s}      # wrk streaming through the restarted gateway before the stream probe
PAID_RATE=${PAID_RATE:-50}               # requests/s for the paid row below DynamoDB Local's limit
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
STREAM_CHUNKS=${STREAM_CHUNKS:-20}
CHUNK_DELAY_MS=${CHUNK_DELAY_MS:-5}
TTFB_SAMPLES=${TTFB_SAMPLES:-200}
STREAM_ONLY=${STREAM_ONLY:-}             # 1: skip the buffered rows, measure only the streaming probe
# The gateway's JVM: the shipped settings (jvm.options, see bench/lib.sh) unless GATEWAY_JAVA_OPTS is set.
UPSTREAM_PORT=18001 DYNAMO_PORT=18002 GATEWAY_PORT=18080 STREAM_UPSTREAM_PORT=18003

if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)"; apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
fi

wakeup() { # "pool p50/p90, virtual thread p50/p90" in µs: how fast this host wakes an idle thread (WakeupProbe)
  "$JAVA" -cp bench/target/benchmarks.jar dev.tollgate.bench.WakeupProbe 1000 | awk '{printf "pool thread %s/%s µs, virtual thread %s/%s µs", $1, $2, $3, $4}'
}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
work=bench/results/$stamp
mkdir -p "$work"
echo "building..."
./mvnw -B -q -DskipTests package -pl functions,bench -am
cp=$(tree_classpath "$PWD" "$PWD/$work/functions.cp")

wakeup_start=$(wakeup)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

"$JAVA" -cp "$cp" com.amazonaws.services.dynamodbv2.local.main.ServerRunner -inMemory -port $DYNAMO_PORT -disableTelemetry >"$work/dynamo.log" 2>&1 & pids+=($!)
"$JAVA" -cp bench/target/benchmarks.jar dev.tollgate.bench.BenchUpstream $UPSTREAM_PORT "$STREAM_CHUNKS" 0 >"$work/upstream.log" 2>&1 & pids+=($!)
"$JAVA" -cp bench/target/benchmarks.jar dev.tollgate.bench.BenchUpstream $STREAM_UPSTREAM_PORT "$STREAM_CHUNKS" "$CHUNK_DELAY_MS" >"$work/stream-upstream.log" 2>&1 & pids+=($!)
sleep 1
# Buffered rows go to the upstream without chunk delay; the gateway is restarted against the slow one for streams.
start_gateway "$cp" $GATEWAY_PORT http://127.0.0.1:$UPSTREAM_PORT/v1 $DYNAMO_PORT "$work" gateway.log
key=$(new_bench_key $GATEWAY_PORT)
[[ -n $key ]] || { echo "could not create the benchmark account; see $work/gateway.log"; exit 1; }

dynamo_calls() { curl -s "http://127.0.0.1:$GATEWAY_PORT/admin/stats" -H "Authorization: Bearer bench"; }
writes_in() { # total DynamoDB write requests in a stats JSON
  echo "$1" | grep -oE '"(PutItem|UpdateItem|DeleteItem|TransactWriteItems|BatchWriteItem)":[0-9]+' | awk -F: '{s+=$2} END {print s+0}'
}
load() { # name url key body -> RESULT json line   (RATE in the environment paces it, see post.lua)
  BODY="$4" KEY="$3" CONNECTIONS="$CONNECTIONS" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s bench/post.lua "$2" | sed -n 's/^RESULT //p'
}
field() { echo "$1" | grep -oE "\"$2\":[0-9.]+" | cut -d: -f2; }

free='{"model":"qwen/qwen3-coder:free","max_tokens":64,"messages":[{"role":"user","content":"Say hello"}]}'
paid='{"model":"gemma3:1b","max_tokens":64,"messages":[{"role":"user","content":"Say hello"}]}'
direct=http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions
gw=http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions

if [[ -z $STREAM_ONLY ]]; then
echo "warming up ($WARMUP)..."
DURATION=$WARMUP load warm "$gw" "$key" "$free" >/dev/null
DURATION=10s load warm "$gw" "$key" "$paid" >/dev/null

report=$work/results.md
{
  echo "# Tollgate benchmark $stamp"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $("$JAVA" -version 2>&1 | head -1); wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
  echo "Gateway JVM: $GATEWAY_JAVA_OPTS"
  echo "Host wake-up of an idle thread at the start (p50/p90, bench WakeupProbe): $wakeup_start"
  echo
  echo "Saturation rows: $CONNECTIONS connections as fast as they go. Paced rows: the same connections sending about"
  echo "$RATE requests/s in total (wrk delay() between requests), so latency is measured below saturation."
  echo
  echo "| run | req/s | p50 ms | p90 ms | p99 ms | errors | gateway CPU ms/req | DynamoDB writes/req |"
  echo "|---|---|---|---|---|---|---|---|"
} >"$report"

run() { # label url key body measure-gateway?
  local before_cpu before_stats result after_cpu after_stats n
  before_cpu=$(cpu_ticks "$gateway"); before_stats=$(dynamo_calls)
  result=$(RATE=${6:-} load "$1" "$2" "$3" "$4")
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
run "upstream direct, paced $RATE/s" "$direct" "" "$free" no "$RATE"; direct_paced=$last_result
run "gateway, free model, paced $RATE/s" "$gw" "$key" "$free" yes "$RATE"; free_paced=$last_result
# Below DynamoDB Local's limit the paid path shows its write count without retries after TransactionConflict
# (all benchmark requests share one account item, which real traffic spread over accounts does not).
run "gateway, paid model, paced $PAID_RATE/s" "$gw" "$key" "$paid" yes "$PAID_RATE"
added() { awk -v g="$(field "$1" "$3")" -v d="$(field "$2" "$3")" 'BEGIN {printf "%.2f", (g - d) / 1000}'; }
rss_buffered="$(proc_mib "$gateway" VmRSS) MiB (peak during the runs, VmHWM: $(proc_mib "$gateway" VmHWM) MiB)"
{
  echo
  echo "Added latency below saturation (paced rows, gateway minus direct): free model p50 +$(added "$free_paced" "$direct_paced" p50_us) ms,"
  echo "p99 +$(added "$free_paced" "$direct_paced" p99_us) ms."
  echo "At saturation (queueing included): free model p50 +$(added "$free_result" "$direct_result" p50_us) ms, p99 +$(added "$free_result" "$direct_result" p99_us) ms;"
  echo "paid model p50 +$(added "$paid_result" "$direct_result" p50_us) ms, p99 +$(added "$paid_result" "$direct_result" p99_us) ms."
  echo "Gateway RSS (VmRSS) after the buffered runs: $rss_buffered."
} >>"$report"
else
  report=$work/results.md
  { echo "# Tollgate benchmark $stamp (streaming only)"; echo; echo "Host wake-up of an idle thread at the start (p50/p90): $wakeup_start"; } >"$report"
fi

# Streaming: time to the first data line, to the end, and the longest pause between events, measured by
# bench's StreamProbe alternating one request straight at the slow upstream and one through the gateway.
stream_body='{"model":"qwen/qwen3-coder:free","stream":true,"messages":[{"role":"user","content":"Count"}]}'
kill "$gateway"; wait "$gateway" 2>/dev/null || true
# One benchmark account holds 32 streams open at once: above the per-account cap's default of 20 (the extra ones
# would get 429, and the probe's own request with them), so the stream gateway raises it.
GATEWAY_EXTRA_OPTS="${GATEWAY_EXTRA_OPTS:-} -Dtollgate.stream.max-open-per-account=100" \
  start_gateway "$cp" $GATEWAY_PORT http://127.0.0.1:$STREAM_UPSTREAM_PORT/v1 $DYNAMO_PORT "$work" gateway-stream.log
# The restarted gateway is cold. A stream's per-request code (auth, parsing, token count, upstream request)
# runs once per stream, and 30 s of 100 ms streams is about 10,000 runs, near C2's compile threshold: the
# same JIT warm-up as the buffered runs (buffered requests take that path too; the slow upstream answers
# them at once), then streams for the relay's per-chunk code.
echo "warming up the stream gateway ($WARMUP buffered, $STREAM_WARMUP streams)..."
DURATION=$WARMUP load warm "$gw" "$key" "$free" >/dev/null
DURATION=$STREAM_WARMUP load warm "$gw" "$key" "$stream_body" >/dev/null
# probe <raw csv>: the alternating-blocks probe, as a table row pair and an "Added" line for the report
probe() {
  local out d g a
  out=$("$JAVA" -cp bench/target/benchmarks.jar dev.tollgate.bench.StreamProbe \
    "http://127.0.0.1:$STREAM_UPSTREAM_PORT/v1/chat/completions" "$gw" "$key" "$stream_body" "$TTFB_SAMPLES" "$PWD/$work/$1")
  d=($(echo "$out" | grep '^direct ')); g=($(echo "$out" | grep '^gateway ')); a=($(echo "$out" | grep '^added '))
  echo "| upstream direct | ${d[1]} | ${d[2]} | ${d[3]} | ${d[4]} | ${d[5]} | ${d[6]} |"
  echo "| through Tollgate | ${g[1]} | ${g[2]} | ${g[3]} | ${g[4]} | ${g[5]} | ${g[6]} |"
  echo
  echo "Added (gateway p50 minus direct p50): first token +${a[1]} ms, whole stream +${a[2]} ms. Every request: $1."
}
stream_header() {
  echo
  echo "Streaming, $1 ($STREAM_CHUNKS chunks, ${CHUNK_DELAY_MS} ms apart, $TTFB_SAMPLES requests each way in alternating blocks; first token = first data line):"
  echo
  echo "| | first token p50 ms | first token p99 ms | total p50 ms | total p99 ms | longest pause p50 ms | longest pause p99 ms |"
  echo "|---|---|---|---|---|---|---|"
}
ticks() { cpu_ticks "$gateway"; }
probe_ticks=$(ticks); probe_start=$EPOCHREALTIME
{ stream_header "one stream at a time"; probe streams.csv; } >>"$report"
# The gateway's CPU over the probe, whose gateway blocks alternate with direct ones (so it streams about half the
# time): the issue's "gateway CPU during the sequential stream probe".
awk -v t="$(( $(ticks) - probe_ticks ))" -v hz="$(getconf CLK_TCK)" -v s="$probe_start" -v e="$EPOCHREALTIME" \
  'BEGIN {printf "Gateway CPU during this probe: %.0f %% of a core.\n", t / hz / (e - s) * 100}' >>"$report"
# The same probe while wrk keeps $((CONNECTIONS - 1)) other streams in flight through the gateway (the upstream and
# the machine carry them during the direct blocks too), as in the issue's "32 connections".
CONNECTIONS=$((CONNECTIONS - 1)) DURATION=600s load warm "$gw" "$key" "$stream_body" >/dev/null & background=$!
sleep 2
{ stream_header "with $((CONNECTIONS - 1)) other streams in flight"; probe streams-loaded.csv; } >>"$report"
pkill -P "$background" wrk 2>/dev/null || true; kill "$background" 2>/dev/null || true; wait "$background" 2>/dev/null || true
echo "Stream gateway peak RSS (VmHWM): $(proc_mib "$gateway" VmHWM) MiB." >>"$report"
{ echo; echo "Host wake-up of an idle thread at the end (p50/p90): $(wakeup)"; } >>"$report"
echo
cat "$report"
