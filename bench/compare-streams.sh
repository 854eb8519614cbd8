#!/usr/bin/env bash
# Streaming first token of two builds side by side: <rev> (built in a temporary git worktree) and the working
# tree, each a gateway against the same slow upstream and DynamoDB Local, probed in rotating blocks (direct,
# <rev>, working tree) by one StreamProbe. This host's speed drifts by 0.3 to 0.4 ms of first-token time
# within half an hour, more than most changes are worth, so two builds are only compared in the same run.
# Usage: bench/compare-streams.sh <git rev> [rounds]     (see docs/PERFORMANCE.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/jdk.sh
source bench/lib.sh
pick_jdk
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
rev=${1:?usage: bench/compare-streams.sh <git rev> [rounds]}
rounds=${2:-2}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:--Xms64m -Xmx112m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=2000}
SAMPLES=${SAMPLES:-200} WARMUP=${WARMUP:-30s} STREAM_WARMUP=${STREAM_WARMUP:-30s}
DYNAMO_PORT=18102 UPSTREAM_PORT=18103 BASE_PORT=18180 HEAD_PORT=18181
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }; }

work=$PWD/bench/results/compare-$(date -u +%Y%m%dT%H%M%SZ)
base=$(mktemp -d)
mkdir -p "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
            git worktree remove --force "$base" 2>/dev/null || rm -rf "$base"; }
trap cleanup EXIT

echo "building $rev and the working tree..."
git worktree add -q --detach "$base" "$rev"
(cd "$base" && ./mvnw -B -q -DskipTests package -pl functions -am)
./mvnw -B -q -DskipTests package -pl functions,bench -am
base_cp=$(tree_classpath "$base" "$work/base.cp")
head_cp=$(tree_classpath "$PWD" "$work/head.cp")

"$JAVA" -cp "$head_cp" com.amazonaws.services.dynamodbv2.local.main.ServerRunner -inMemory -port $DYNAMO_PORT -disableTelemetry >"$work/dynamo.log" 2>&1 & pids+=($!)
"$JAVA" -cp bench/target/benchmarks.jar dev.tollgate.bench.BenchUpstream $UPSTREAM_PORT 20 5 >"$work/upstream.log" 2>&1 & pids+=($!)
sleep 1
start_gateway "$base_cp" $BASE_PORT http://127.0.0.1:$UPSTREAM_PORT/v1 $DYNAMO_PORT "$work" base.log
start_gateway "$head_cp" $HEAD_PORT http://127.0.0.1:$UPSTREAM_PORT/v1 $DYNAMO_PORT "$work" head.log
key=$(new_bench_key $BASE_PORT)   # one DynamoDB Local: the key works on both
[[ -n $key ]] || { echo "could not create the benchmark account; see $work/base.log"; exit 1; }

free='{"model":"qwen/qwen3-coder:free","max_tokens":64,"messages":[{"role":"user","content":"Say hello"}]}'
stream='{"model":"qwen/qwen3-coder:free","stream":true,"messages":[{"role":"user","content":"Count"}]}'
for port in $BASE_PORT $HEAD_PORT; do   # the same JIT warm-up as bench/run.sh's stream gateway
  echo "warming up the gateway on $port..."
  for spec in "$WARMUP:$free" "$STREAM_WARMUP:$stream"; do
    BODY="${spec#*:}" KEY="$key" CONNECTIONS=32 wrk -t2 -c32 -d"${spec%%:*}" -s bench/post.lua \
      "http://127.0.0.1:$port/v1/chat/completions" >/dev/null
  done
done

echo "| round | direct first token p50 ms | $rev: added p50 ms | working tree: added p50 ms | working tree minus $rev ms |" | tee "$work/results.md"
echo "|---|---|---|---|---|" | tee -a "$work/results.md"
for round in $(seq 1 "$rounds"); do
  out=$("$JAVA" -cp bench/target/benchmarks.jar dev.tollgate.bench.StreamProbe "http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions" \
    "http://127.0.0.1:$BASE_PORT/v1/chat/completions,http://127.0.0.1:$HEAD_PORT/v1/chat/completions" "$key" "$stream" "$SAMPLES" \
    "$work/round$round.csv")
  d=($(echo "$out" | grep '^direct ')); a1=($(echo "$out" | grep '^added1 ')); a2=($(echo "$out" | grep '^added2 '))
  echo "| $round | ${d[1]} | +${a1[1]} | +${a2[1]} | $(awk -v x="${a2[1]}" -v y="${a1[1]}" 'BEGIN {printf "%+.2f", x - y}') |" | tee -a "$work/results.md"
done
echo "results: $work/results.md"
