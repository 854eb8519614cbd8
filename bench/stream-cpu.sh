#!/usr/bin/env bash
# Gateway CPU per stream and per buffered request, as shipped (jvm.options unless GATEWAY_JAVA_OPTS says otherwise):
# a fake upstream that sends each 22-event stream in one write, DynamoDB Local in its own process, the free model.
# After WARM of streaming load (8 connections) it measures DUR of sequential buffered requests, then DUR of streams
# for each connection count in CONNS, reading the gateway's CPU from /proc/<pid>/stat around each window.
#   bench/stream-cpu.sh                         # CONNS="1 64" WARM=40s DUR=15s
# Results: stdout and bench/results/stream-cpu-<timestamp>/summary.txt (PROFILE=1: one JFR recording per stream
# window, and the figures of that run are for proportions only).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/lib.sh
# Over the default cap of 20 open streams per account: 64 streams of the bench's one account must not be refused.
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:-@$PWD/jvm.options} -Dtollgate.stream.max-open-per-account=100 -Dtollgate.log.requests=false"
WARM=${WARM:-40s} DUR=${DUR:-15s} CONNS=${CONNS:-1 64}
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }; }
out=$PWD/bench/results/stream-cpu-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
if [[ -z ${NO_BUILD:-} ]]; then echo "building..."; ./mvnw -B -q -DskipTests package -pl functions,bench -am; fi
cp=$(tree_classpath "$PWD" "$out/functions.cp")
pids=(); cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }; trap cleanup EXIT
"$JAVA" -cp "$cp" com.amazonaws.services.dynamodbv2.local.main.ServerRunner -inMemory -port 18302 -disableTelemetry >"$out/dynamo.log" 2>&1 & pids+=($!)
"$JAVA" -cp bench/target/benchmarks.jar dev.tollgate.bench.BenchUpstream 18301 20 0 >"$out/upstream.log" 2>&1 & pids+=($!)
sleep 1
start_gateway "$cp" 18380 http://127.0.0.1:18301/v1 18302 "$out" gateway.log
key=$(new_bench_key 18380)
stream='{"model":"qwen/qwen3-coder:free","stream":true,"messages":[{"role":"user","content":"Count"}]}'
buffered='{"model":"qwen/qwen3-coder:free","messages":[{"role":"user","content":"Count"}]}'
gw=http://127.0.0.1:18380/v1/chat/completions
ticks() { cpu_ticks "$gateway"; }
load() { # body connections duration -> RESULT json
  BODY="$1" KEY="$key" CONNECTIONS=$2 wrk -t1 -c"$2" -d"$3" -s bench/post.lua "$gw" | sed -n 's/^RESULT //p'
}
measure() { # label body connections
  local before after result n
  before=$(ticks); result=$(load "$2" "$3" "$DUR"); after=$(ticks)
  n=$(echo "$result" | grep -oE '"requests":[0-9]+' | cut -d: -f2)
  echo "$1, $3 connection(s): $result; gateway CPU $(awk -v t=$((after - before)) -v n="$n" -v hz="$(getconf CLK_TCK)" \
    'BEGIN {printf "%.3f", t * 1000 / hz / n}') ms each" | tee -a "$out/summary.txt"
}
echo "warming up ($WARM of streams)..."
load "$stream" 8 "$WARM" >/dev/null
measure buffered "$buffered" 1
for c in $CONNS; do
  # PROFILE=1 records each stream window with JFR. JDK 25's CPU-time sampler sees virtual threads and system calls,
  # which the default execution sampler under-counts (one profile of the same load: the event loop's writes 35 % of
  # CPU-time samples against a few % of execution samples); older JDKs record without it. The sampler itself costs
  # CPU, so the figures of a run with PROFILE=1 are for proportions only.
  if [[ -n ${PROFILE:-} ]]; then
    "${JAVA%java}jcmd" "$gateway" JFR.start name="c$c" settings=profile filename="$out/streams-c$c.jfr" \
        jdk.CPUTimeSample#enabled=true jdk.CPUTimeSample#throttle=2ms >/dev/null 2>&1 \
      || "${JAVA%java}jcmd" "$gateway" JFR.start name="c$c" settings=profile filename="$out/streams-c$c.jfr" >/dev/null
  fi
  measure "streams (22 events)" "$stream" "$c"
  if [[ -n ${PROFILE:-} ]]; then "${JAVA%java}jcmd" "$gateway" JFR.stop name="c$c" >/dev/null; fi
done
