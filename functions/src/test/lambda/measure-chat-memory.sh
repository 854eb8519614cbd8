#!/usr/bin/env bash
# Peak memory of the chat function's server under streaming load, to size the function: starts the
# server from the shaded jar with run.sh's JVM flags and a heap cap of 70 % of the function memory being
# checked, a fake streaming upstream (sse-upstream.py) and DynamoDB Local, then runs STREAMS concurrent
# streamed chat completions, ROUNDS times, and reads the server's peak resident memory (VmHWM).
#
#   functions/src/test/lambda/measure-chat-memory.sh [streams=50] [rounds=4] [memory-mb=1024]
#
# Needs python3 and curl. Run measure-cold-start.sh first or `./mvnw -DskipTests -pl functions -am package`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../../.."
source scripts/jdk.sh
pick_jdk
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAVAC=${JAVA_HOME:+$JAVA_HOME/bin/}javac
STREAMS=${1:-50} ROUNDS=${2:-4} MEMORY_MB=${3:-1024}
DYNAMO=18712 UPSTREAM=18713 SERVER=18714
jar=functions/target/tollgate-lambda.jar
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

./mvnw -B -q -DskipTests -pl functions -am package dependency:build-classpath -DincludeScope=compile \
  -Dmdep.outputFile="$work/cp" >&2
"$JAVAC" -cp "$jar" -d "$work/probe" functions/src/test/lambda/ColdStartProbe.java \
  functions/src/test/java/dev/tollgate/functions/secrets/FakeSecretsManager.java
"$JAVA" -cp "$(<"$work/cp")" com.amazonaws.services.dynamodbv2.local.main.ServerRunner -inMemory -port $DYNAMO \
  -disableTelemetry >"$work/dynamo.log" 2>&1 & pids+=($!)
python3 functions/src/test/lambda/sse-upstream.py $UPSTREAM 200 10 & pids+=($!)
for _ in $(seq 1 60); do (echo >/dev/tcp/127.0.0.1/$DYNAMO) 2>/dev/null && break; sleep 0.5; done

export TOLLGATE_DYNAMODB_ENDPOINT=http://127.0.0.1:$DYNAMO TOLLGATE_DYNAMODB_TABLE_PREFIX=chatmem- AWS_REGION=us-east-1 \
  TOLLGATE_UPSTREAMS_OLLAMA_BASE_URL=http://127.0.0.1:$UPSTREAM/v1 AWS_LAMBDA_FUNCTION_NAME=tollgate-chatmem-chat
key=$("$JAVA" -cp "$jar:$work/probe" ColdStartProbe setup 2>/dev/null | sed -n 's/^KEY=//p')
# run.sh's flags (jvm.options less its heap lines, C1 only); MaxRAMPercentage applies to the memory Lambda gives the
# function, emulated with -Xmx.
sed -e 's/#.*//' -e '/^[[:space:]]*$/d' -e '/^[[:space:]]*-Xm[sx]/d' jvm.options >"$work/jvm.options"
"$JAVA" @"$work/jvm.options" -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Xmx$((MEMORY_MB * 70 / 100))m \
  -Dmicronaut.server.host=127.0.0.1 -Dmicronaut.server.port=$SERVER -cp "$jar" dev.tollgate.functions.lambda.ChatServer \
  >"$work/server.log" 2>&1 & server=$!; pids+=($server)
for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$SERVER/v1/models" && break; sleep 0.25; done
body='{"model":"gemma3:1b","stream":true,"max_tokens":256,"messages":[{"role":"user","content":"Count"}]}'
for round in $(seq 1 "$ROUNDS"); do
  clients=()
  for i in $(seq 1 "$STREAMS"); do
    curl -s -N "http://127.0.0.1:$SERVER/v1/chat/completions" -H "Authorization: Bearer $key" \
      -H "Content-Type: application/json" -d "$body" -o "$work/out.$round.$i" & clients+=($!)
  done
  wait "${clients[@]}"
done
done_streams=$(grep -l 'data: \[DONE\]' "$work"/out.* | wc -l)
echo "$done_streams of $((STREAMS * ROUNDS)) streams completed; server peak RSS" \
  "$(( $(awk '/VmHWM/ {print $2}' /proc/$server/status) / 1024 )) MB (heap cap $((MEMORY_MB * 70 / 100)) MB)"
