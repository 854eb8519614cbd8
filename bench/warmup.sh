#!/usr/bin/env bash
# How fast the gateway warms up, as shipped: starts it with jvm.options (or GATEWAY_JAVA_OPTS) and drives the free
# model with wrk in consecutive windows counted from the moment the JVM is launched — start to 10 s (less the time
# to answer and to create the benchmark key), 10-30 s, 30-60 s — then keeps the load on for WARMUP more and
# measures WARMED as the warmed reference. Each window reports req/s, its share of the warmed req/s and the
# gateway's CPU per request. Results: stdout and bench/results/warmup-<timestamp>.md.
#
#   bench/warmup.sh                 # the shipped launch (classes from target/, as ./mvnw -Prun runs them)
#   AOT=1 bench/warmup.sh           # JDK 25+: a training run (TRAIN of load) writes an ahead-of-time cache,
#                                   # then the measured run starts with it (jar-only classpath, as AOT needs)
#   NO_BUILD=1 bench/warmup.sh      # use what the last build left in target/
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/lib.sh
WARMUP=${WARMUP:-60s} WARMED=${WARMED:-20s} TRAIN=${TRAIN:-30s} AOT=${AOT:-}
CONNECTIONS=${CONNECTIONS:-32} THREADS=${THREADS:-2}
UPSTREAM_PORT=18201 DYNAMO_PORT=18202 GATEWAY_PORT=18280
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }; }

work=$PWD/bench/results/warmup-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
if [[ -z ${NO_BUILD:-} ]]; then echo "building..."; ./mvnw -B -q -DskipTests package -pl functions,bench -am; fi
cp=$(tree_classpath "$PWD" "$work/functions.cp")
if [[ -n $AOT ]]; then
  [[ ${JDK_MAJOR:-0} -ge 25 ]] || { echo "AOT=1 needs JDK 25+ (this is $JDK_MAJOR)"; exit 1; }
  # The cache records classes from jars only: the modules' packaged jars instead of their target/classes.
  # DynamoDB Local's jar names a directory in its manifest Class-Path, which the JVM refuses to dump ("Cannot have
  # non-empty directory in paths"): the gateway runs without it, against the standalone DynamoDB Local below.
  gateway_cp=$(echo "$cp" | tr ':' '\n' | grep -v -e DynamoDBLocal -e sqlite4java | paste -sd: |
    sed -E "s#$PWD/functions/target/classes#$(ls "$PWD"/functions/target/tollgate-functions-*.jar)#; s#$PWD/shared/target/classes#$(ls "$PWD"/shared/target/tollgate-shared-*[0-9T].jar)#")
fi
gateway_cp=${gateway_cp:-$cp}

"$JAVA" -cp "$cp" com.amazonaws.services.dynamodbv2.local.main.ServerRunner -inMemory -port $DYNAMO_PORT -disableTelemetry >"$work/dynamo.log" 2>&1 & pids+=($!)
"$JAVA" -cp bench/target/benchmarks.jar dev.tollgate.bench.BenchUpstream $UPSTREAM_PORT 20 0 >"$work/upstream.log" 2>&1 & pids+=($!)
sleep 1
free='{"model":"qwen/qwen3-coder:free","max_tokens":64,"messages":[{"role":"user","content":"Say hello"}]}'
gw=http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions
load() { # seconds -> RESULT json line
  BODY="$free" KEY="$key" CONNECTIONS=$CONNECTIONS wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" -s bench/post.lua "$gw" | sed -n 's/^RESULT //p'
}
field() { echo "$1" | grep -oE "\"$2\":[0-9.]+" | cut -d: -f2; }
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$gateway/stat"; }
ms_since_start() { awk -v now="$EPOCHREALTIME" -v t0="$t0" 'BEGIN {printf "%d", (now - t0) * 1000}'; }

if [[ -n $AOT ]]; then
  echo "training run ($TRAIN of load) writing the AOT cache..."
  GATEWAY_EXTRA_OPTS="${GATEWAY_EXTRA_OPTS:-} -XX:AOTCacheOutput=$work/gateway.aot" start_gateway "$gateway_cp" $GATEWAY_PORT \
    http://127.0.0.1:$UPSTREAM_PORT/v1 $DYNAMO_PORT "$work" training.log
  key=$(new_bench_key $GATEWAY_PORT); load "$TRAIN" >/dev/null
  kill "$gateway"; wait "$gateway" 2>/dev/null || true
  [[ -s $work/gateway.aot ]] || { echo "no AOT cache written; see $work/training.log"; exit 1; }
  GATEWAY_EXTRA_OPTS="${GATEWAY_EXTRA_OPTS:-} -XX:AOTCache=$work/gateway.aot"
fi

t0=$EPOCHREALTIME
start_gateway "$gateway_cp" $GATEWAY_PORT http://127.0.0.1:$UPSTREAM_PORT/v1 $DYNAMO_PORT "$work" gateway.log
answered=$(ms_since_start)
key=$(new_bench_key $GATEWAY_PORT)
[[ -n $key ]] || { echo "could not create the benchmark account; see $work/gateway.log"; exit 1; }
rows=()
window() { # label end-second: load until end-second after launch
  local left=$(( $2 * 1000 - $(ms_since_start) )) before result
  ((left >= 1000)) || { rows+=("$1|-|-|-"); return; }  # the window had passed before the key was made
  before=$(cpu_ms); result=$(load "$(awk -v l="$left" 'BEGIN {printf "%ds", l / 1000}')")  # wrk takes whole seconds
  rows+=("$1|$(field "$result" rps)|$(field "$result" requests)|$(( $(cpu_ms) - before ))")
}
window "start to 10 s" 10; window "10-30 s" 30; window "30-60 s" 60
load "$WARMUP" >/dev/null
before=$(cpu_ms); warmed=$(load "$WARMED"); warmed_cpu=$(( $(cpu_ms) - before ))
warmed_rps=$(field "$warmed" rps)
mib() { echo "$(proc_mib "$gateway" "$1") MiB"; }
rss_end=$(mib VmRSS) rss_peak=$(mib VmHWM)
# glibc gets the compiler's freed arenas back within TrimNativeHeapInterval (2 s): the figure once the load has
# stopped shows the process without a compilation that happened to be running at the end.
sleep 5
rss_idle=$(mib VmRSS)
report=$work/results.md
{
  echo "# Warm-up from launch, $(date -u +%FT%TZ)"
  echo
  echo "Machine: $(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg); $("$JAVA" -version 2>&1 | head -1)"
  echo "Gateway JVM: $GATEWAY_JAVA_OPTS ${GATEWAY_EXTRA_OPTS:-}; wrk -t$THREADS -c$CONNECTIONS, free model, buffered"
  echo "Answered $answered ms after launch. Warmed: after $WARMUP more of load, $WARMED measured."
  echo
  echo "| window after launch | req/s | share of warmed | gateway CPU ms/req |"
  echo "|---|---|---|---|"
  for r in "${rows[@]}"; do
    IFS='|' read -r label rps n cpu <<<"$r"
    [[ $rps == - || -z $rps ]] && { echo "| $label | - | - | - |"; continue; }
    awk -v l="$label" -v r="$rps" -v w="$warmed_rps" -v n="$n" -v c="$cpu" \
      'BEGIN {printf "| %s | %.0f | %.0f %% | %.3f |\n", l, r, 100 * r / w, c / n}'
  done
  awk -v r="$warmed_rps" -v n="$(field "$warmed" requests)" -v c="$warmed_cpu" \
    'BEGIN {printf "| warmed | %.0f | 100 %% | %.3f |\n", r, c / n}'
  echo
  echo "Gateway RSS at the end: $rss_end (peak $rss_peak); 5 s after the load stopped: $rss_idle."
} >"$report"
if [[ ${GATEWAY_EXTRA_OPTS:-} == *NativeMemoryTracking* ]]; then
  "${JAVA%java}jcmd" "$gateway" VM.native_memory summary >"$work/nmt.txt" 2>&1 || true
fi
cat "$report"
