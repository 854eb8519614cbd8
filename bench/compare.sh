#!/usr/bin/env bash
# Two gateways side by side: A = <rev> (built in a temporary git worktree; "." = the working tree) and B = the
# working tree, each with its own JVM flags (A_JAVA_OPTS, B_JAVA_OPTS; by default each tree's own jvm.options, the
# shipped settings, or for a revision older than that file the flags the benchmark used then), against one upstream and one DynamoDB
# Local. Every round measures, in turn, streaming first token (StreamProbe, blocks rotating direct/A/B) and
# buffered latency at a paced 1,000 requests/s (wrk, 10 s per side, order rotating). This host's speed drifts
# (first token by 0.3-0.4 ms within half an hour), more than most changes are worth, so two variants are only
# compared within one run. UPSTREAM_JAVA_OPTS=-Dbench.nodelay=false runs the upstream with Nagle on.
# Usage: bench/compare.sh <git rev | .> [rounds]     (see docs/PERFORMANCE.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/lib.sh   # picks a JDK 21+ and sets JAVA
rev=${1:?usage: bench/compare.sh <git rev | .> [rounds]}
rounds=${2:-3}
SAMPLES=${SAMPLES:-200} WARMUP=${WARMUP:-30s} STREAM_WARMUP=${STREAM_WARMUP:-30s} RATE=${RATE:-1000} PACED=${PACED:-10s}
DYNAMO_PORT=18102 UPSTREAM_PORT=18103 A_PORT=18180 B_PORT=18181
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }; }

work=$PWD/bench/results/compare-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; remove_pair; }
trap cleanup EXIT

build_pair "$rev"
shipped() { if [[ -f $1/jvm.options ]]; then echo "@$1/jvm.options"; else echo "-Xms64m -Xmx112m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=2000"; fi; }
A_JAVA_OPTS=${A_JAVA_OPTS:-$(shipped "$base")} B_JAVA_OPTS=${B_JAVA_OPTS:-$(shipped "$PWD")}
a_cp=$(tree_classpath "$base" "$work/a.cp")
b_cp=$(tree_classpath "$PWD" "$work/b.cp")

"$JAVA" -cp "$b_cp" com.amazonaws.services.dynamodbv2.local.main.ServerRunner -inMemory -port $DYNAMO_PORT -disableTelemetry >"$work/dynamo.log" 2>&1 & pids+=($!)
"$JAVA" ${UPSTREAM_JAVA_OPTS:-} -cp bench/target/benchmarks.jar dev.tollgate.bench.BenchUpstream $UPSTREAM_PORT 20 5 >"$work/upstream.log" 2>&1 & pids+=($!)
sleep 1
# The warm-up's 32 streams of one account are above the per-account stream cap's default of 20; streams still ending
# when the probe starts would get it 429 (as bench/run.sh, the gateways raise the cap).
export GATEWAY_EXTRA_OPTS="${GATEWAY_EXTRA_OPTS:-} -Dtollgate.stream.max-open-per-account=100"
GATEWAY_JAVA_OPTS=$A_JAVA_OPTS start_gateway "$a_cp" $A_PORT http://127.0.0.1:$UPSTREAM_PORT/v1 $DYNAMO_PORT "$work" a.log
GATEWAY_JAVA_OPTS=$B_JAVA_OPTS start_gateway "$b_cp" $B_PORT http://127.0.0.1:$UPSTREAM_PORT/v1 $DYNAMO_PORT "$work" b.log
key=$(new_bench_key $A_PORT)   # one DynamoDB Local: the key works on both
[[ -n $key ]] || { echo "could not create the benchmark account; see $work/a.log"; exit 1; }

free='{"model":"qwen/qwen3-coder:free","max_tokens":64,"messages":[{"role":"user","content":"Say hello"}]}'
stream='{"model":"qwen/qwen3-coder:free","stream":true,"messages":[{"role":"user","content":"Count"}]}'
url() { echo "http://127.0.0.1:$1/v1/chat/completions"; }
paced() { # port -> "p50_us p99_us" at $RATE requests/s
  BODY="$free" KEY="$key" CONNECTIONS=32 RATE=$RATE wrk -t2 -c32 -d"$PACED" -s bench/post.lua "$(url "$1")" |
    sed -n 's/^RESULT //p' | grep -oE '"p(50|99)_us":[0-9.]+' | cut -d: -f2 | tr '\n' ' '
}
for port in $A_PORT $B_PORT; do   # the same JIT warm-up as bench/run.sh's stream gateway
  echo "warming up the gateway on $port..."
  for spec in "$WARMUP:$free" "$STREAM_WARMUP:$stream"; do
    BODY="${spec#*:}" KEY="$key" CONNECTIONS=32 wrk -t2 -c32 -d"${spec%%:*}" -s bench/post.lua "$(url "$port")" >/dev/null
  done
done

{
  echo "# A = $rev ($A_JAVA_OPTS), B = working tree ($B_JAVA_OPTS)"
  echo
  echo "| round | stream first token added, A / B ms | B minus A | paced $RATE/s p50 added, A / B ms | B minus A | paced p99 added, A / B ms | B minus A |"
  echo "|---|---|---|---|---|---|---|"
} | tee "$work/results.md"
sub() { awk -v x="$1" -v y="$2" -v s="${3:-1}" 'BEGIN {printf "%+.2f", (x - y) / s}'; }
for round in $(seq 1 "$rounds"); do
  out=$("$JAVA" -cp bench/target/benchmarks.jar dev.tollgate.bench.StreamProbe "$(url $UPSTREAM_PORT)" \
    "$(url $A_PORT),$(url $B_PORT)" "$key" "$stream" "$SAMPLES" "$work/round$round.csv")
  s1=$(echo "$out" | awk '/^added1 / {print $2}'); s2=$(echo "$out" | awk '/^added2 / {print $2}')
  declare -A p=()
  order=($UPSTREAM_PORT $A_PORT $B_PORT)
  for i in 0 1 2; do port=${order[$(((i + round) % 3))]}; p[$port]=$(paced "$port"); done
  read -r d50 d99 <<<"${p[$UPSTREAM_PORT]}"; read -r a50 a99 <<<"${p[$A_PORT]}"; read -r b50 b99 <<<"${p[$B_PORT]}"
  echo "| $round | +$s1 / +$s2 | $(sub "$s2" "$s1") | $(sub "$a50" "$d50" 1000) / $(sub "$b50" "$d50" 1000) | $(sub "$b50" "$a50" 1000) | $(sub "$a99" "$d99" 1000) / $(sub "$b99" "$d99" 1000) | $(sub "$b99" "$a99" 1000) |" |
    tee -a "$work/results.md"
done
echo "results: $work/results.md"
