#!/usr/bin/env bash
# Gateway CPU per request, two builds side by side: A = <rev> (built in a temporary git worktree; "." = the working
# tree) and B = the working tree, each with its own jvm.options (the shipped settings), against one fake upstream and
# one DynamoDB Local. Blocks of saturating free load (wrk -t2 -c32, BLOCK each, 30 s by default) alternate between
# the two, the order flipping every block; each block reports requests/s and the gateway's CPU per request (from
# /proc/<pid>/stat), and the end the resident size of both and how many free-request log entries each dropped
# (its "left out of the request log" warnings). This host's speed drifts by more than many changes are worth, so
# compare the two within one run, over the blocks after the first (JIT warm-up).
# LOAD=stream runs 22-event streams instead (the fake upstream sends each stream in one write), at CONNECTIONS
# (64 by default; 32 for free requests), with the per-account stream cap raised for the benchmark's one account;
# LOAD=messages the same streams through the Anthropic Messages API (/v1/messages, re-encoded as Anthropic events).
# TOGETHER=1 loads both gateways at once in every block (two wrk, CONNECTIONS each) instead of one after the other:
# a drift of the host's speed then falls on both sides alike, where alternating blocks measure each side in a
# different phase of it (the order of a pair showed in its figures more than many changes).
# A_EXTRA / B_EXTRA add JVM options to one side: with "." (the working tree twice) B_EXTRA=-Dtollgate.log.requests=false
# measures what a setting costs. A revision from before jvm.options existed runs with the working tree's.
# Usage: bench/cpu-pair.sh <git rev | .> [blocks]     (see docs/PERFORMANCE.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/lib.sh   # picks a JDK 21+ and sets JAVA
rev=${1:?usage: bench/cpu-pair.sh <git rev | .> [blocks]}
blocks=${2:-6}
BLOCK=${BLOCK:-30s}
LOAD=${LOAD:-free}
case $LOAD in
  free) CONNECTIONS=${CONNECTIONS:-32}; STREAM_OPTS= ;;
  # Both gateways stream for the benchmark's one account, whose open-stream slots are shared: a cap above both.
  stream|messages) CONNECTIONS=${CONNECTIONS:-64}; STREAM_OPTS=-Dtollgate.stream.max-open-per-account=1000 ;;
  *) echo "LOAD is free, stream or messages, not $LOAD"; exit 2 ;;
esac
DYNAMO_PORT=18402 UPSTREAM_PORT=18403 A_PORT=18480 B_PORT=18481
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }; }

work=$PWD/bench/results/cpu-pair-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; remove_pair; }
trap cleanup EXIT

build_pair "$rev"
[[ -f $base/jvm.options ]] || cp jvm.options "$base/"   # a build from before jvm.options: today's settings
a_cp=$(tree_classpath "$base" "$work/a.cp")
b_cp=$(tree_classpath "$PWD" "$work/b.cp")

"$JAVA" -cp "$b_cp" com.amazonaws.services.dynamodbv2.local.main.ServerRunner -inMemory -port $DYNAMO_PORT -disableTelemetry >"$work/dynamo.log" 2>&1 & pids+=($!)
"$JAVA" -cp bench/target/benchmarks.jar dev.tollgate.bench.BenchUpstream $UPSTREAM_PORT 20 0 >"$work/upstream.log" 2>&1 & pids+=($!)
sleep 1
GATEWAY_EXTRA_OPTS="${A_EXTRA:-}" GATEWAY_JAVA_OPTS="@$base/jvm.options $STREAM_OPTS" start_gateway "$a_cp" $A_PORT http://127.0.0.1:$UPSTREAM_PORT/v1 $DYNAMO_PORT "$work" a.log
a_pid=$gateway
GATEWAY_EXTRA_OPTS="${B_EXTRA:-}" GATEWAY_JAVA_OPTS="@$PWD/jvm.options $STREAM_OPTS" start_gateway "$b_cp" $B_PORT http://127.0.0.1:$UPSTREAM_PORT/v1 $DYNAMO_PORT "$work" b.log
b_pid=$gateway
key=$(new_bench_key $A_PORT)   # one DynamoDB Local: the key works on both
[[ -n $key ]] || { echo "could not create the benchmark account; see $work/a.log"; exit 1; }

body='{"model":"qwen/qwen3-coder:free","max_tokens":64,"messages":[{"role":"user","content":"Say hello"}]}'
endpoint=/v1/chat/completions
[[ $LOAD == stream ]] && body='{"model":"qwen/qwen3-coder:free","stream":true,"messages":[{"role":"user","content":"Count"}]}'
[[ $LOAD == messages ]] && endpoint=/v1/messages &&
  body='{"model":"qwen/qwen3-coder:free","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Count"}]}'
block() { # port pid -> "req/s ms-per-request"
  local c0 c1 result n
  c0=$(cpu_ticks "$2")
  result=$(BODY="$body" KEY="$key" CONNECTIONS=$CONNECTIONS wrk -t"$(( CONNECTIONS < 2 ? 1 : 2 ))" -c"$CONNECTIONS" -d"$BLOCK" -s bench/post.lua \
    "http://127.0.0.1:$1$endpoint" | sed -n 's/^RESULT //p')
  c1=$(cpu_ticks "$2")
  n=$(echo "$result" | grep -oE '"requests":[0-9]+' | cut -d: -f2)
  [[ $(echo "$result" | grep -oE '"non2xx":[0-9]+' | cut -d: -f2) == 0 ]] || echo "port $1: answers other than 2xx: $result" >&2
  echo "$(echo "$result" | grep -oE '"rps":[0-9.]+' | cut -d: -f2) $(awk -v c=$((c1 - c0)) -v n="$n" 'BEGIN {printf "%.3f", c * 10 / n}')"
}
{
  echo "# A = $rev${A_EXTRA:+ ($A_EXTRA)}, B = working tree${B_EXTRA:+ ($B_EXTRA)}; $BLOCK blocks of $LOAD load at $CONNECTIONS connections, $([[ -n ${TOGETHER:-} ]] && echo "both at once" || echo alternating)"
  echo
  echo "| block | A req/s | A ms CPU/request | B req/s | B ms CPU/request |"
  echo "|---|---|---|---|---|"
} | tee "$work/results.md"
for i in $(seq 1 "$blocks"); do
  if [[ -n ${TOGETHER:-} ]]; then
    block $A_PORT $a_pid >"$work/block-a" & block $B_PORT $b_pid >"$work/block-b"; wait $!; a=$(<"$work/block-a"); b=$(<"$work/block-b")
  elif ((i % 2)); then a=$(block $A_PORT $a_pid); b=$(block $B_PORT $b_pid); else b=$(block $B_PORT $b_pid); a=$(block $A_PORT $a_pid); fi
  echo "| $i | ${a% *} | ${a#* } | ${b% *} | ${b#* } |" | tee -a "$work/results.md"
done
dropped() { grep -oE '[0-9]+ free requests were left out' "$work/$1" | awk '{s += $1} END {print s + 0}'; }
{
  echo
  echo "RSS at the end: A $(proc_mib $a_pid VmRSS) MiB, B $(proc_mib $b_pid VmRSS) MiB; free-request log entries dropped: A $(dropped a.log), B $(dropped b.log)"
} | tee -a "$work/results.md"
