#!/usr/bin/env bash
# Measures the api function's cold start on this machine, from the shaded Lambda jar: time from starting the
# JVM to the first handled events/api/models-list.json event (authenticated: one DynamoDB read), against
# DynamoDB Local in its own process on loopback, with the function's three secrets read at init through the
# real SDK client from a local Secrets Manager endpoint, as on AWS. No SnapStart (no snapshot outside Lambda).
# Also the jar size and the peak memory of a busier instance (models, usage, embeddings, key creation).
#
#   functions/src/test/lambda/measure-cold-start.sh [runs]      (default 7; prints a Markdown table)
#
# Method: each run is a fresh JVM with the JVM flags the CDK stack gives the function (JAVA_TOOL_OPTIONS);
# "all cores" uses this machine's CPUs, "1 core" pins the JVM to one (taskset), closer to a Lambda function
# below 1769 MB, which gets about one vCPU. The median of the runs is reported. Not measured: the Lambda
# runtime's own start (its bootstrap before the handler is created) and code download, which AWS adds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../../.."
source scripts/jdk.sh
pick_jdk
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAVAC=${JAVA_HOME:+$JAVA_HOME/bin/}javac
RUNS=${1:-7}
PORT=18702
# JAVA_TOOL_OPTIONS of the stack, derived as the infra build derives it (JvmOptions): jvm.options' -XX: lines less
# heap sizing, plus C1 only.
FLAGS="$(sed -e 's/#.*//' jvm.options | grep -oE '^[[:space:]]*-XX:[^[:space:]]+' | grep -v -e RAMPercentage -e HeapSize -e TieredStopAtLevel | tr -d ' ' | paste -sd' ') -XX:+TieredCompilation -XX:TieredStopAtLevel=1"

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

echo "building the Lambda bundle..." >&2
# One invocation: the classpath (for DynamoDB Local, a `provided` dependency) then names the reactor's modules.
./mvnw -B -q -DskipTests -pl functions -am package dependency:build-classpath -DincludeScope=compile \
  -Dmdep.outputFile="$work/cp" >&2
jar=functions/target/tollgate-lambda.jar
"$JAVAC" -cp "$jar" -d "$work/probe" functions/src/test/lambda/ColdStartProbe.java \
  functions/src/test/java/dev/tollgate/functions/secrets/FakeSecretsManager.java

"$JAVA" -cp "$(<"$work/cp")" com.amazonaws.services.dynamodbv2.local.main.ServerRunner -inMemory -port $PORT \
  -disableTelemetry >"$work/dynamo.log" 2>&1 & pids+=($!)
for _ in $(seq 1 60); do (echo >/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.5; done

"$JAVA" -cp "$jar:$work/probe" ColdStartProbe secrets >"$work/secrets.env" 2>"$work/secrets.log" & pids+=($!)
for _ in $(seq 1 60); do [[ $(grep -c = "$work/secrets.env" 2>/dev/null) -ge 4 ]] && break; sleep 0.5; done

export TOLLGATE_DYNAMODB_ENDPOINT=http://127.0.0.1:$PORT TOLLGATE_DYNAMODB_TABLE_PREFIX=coldstart- AWS_REGION=us-east-1 \
  DJL_CACHE_DIR="$work/djl"
key=$("$JAVA" -cp "$jar:$work/probe" ColdStartProbe setup 2>/dev/null | sed -n 's/^KEY=//p')
[[ -n $key ]] || { echo "setup failed" >&2; exit 1; }
export TOLLGATE_API_KEY=$key
set -a; source "$work/secrets.env"; set +a   # from here on the runs read their secrets at init, as on AWS
export AWS_LAMBDA_FUNCTION_NAME=tollgate-coldstart-api   # as Lambda sets it (selects LambdaLogging)

# One cold start; prints milliseconds from JVM start to the end of init, to the first handled event, and the
# process's CPU time (user + system, until exit) which, unlike wall time, hardly moves when other work
# shares the machine.
once() {
  local start line
  start=$(date +%s%6N)
  line=$(/usr/bin/time -f 'cpu=%U+%S' -o "$work/time" "$@" 2>/dev/null | grep '^main=')
  [[ $line == *"status1=200"* ]] || { echo "unexpected: $line" >&2; exit 1; }
  local init event1 cpu
  init=$(sed -E 's/.* init=([0-9]+).*/\1/' <<<"$line")
  event1=$(sed -E 's/.* event1=([0-9]+).*/\1/' <<<"$line")
  cpu=$(sed -n 's/^cpu=//p' "$work/time" | awk -F+ '{printf "%d", ($1 + $2) * 1000}')
  echo "$(( (init - start) / 1000 )) $(( (event1 - start) / 1000 )) $cpu"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() { # label, command...
  local label=$1; shift
  local inits=() totals=() cpus=()
  for _ in $(seq 1 "$RUNS"); do
    read -r init total cpu < <(once "$@")
    inits+=("$init"); totals+=("$total"); cpus+=("$cpu")
  done
  printf '| %s | %s ms | %s ms | %s ms | %s |\n' "$label" "$(printf '%s\n' "${inits[@]}" | median)" \
    "$(printf '%s\n' "${totals[@]}" | median)" "$(printf '%s\n' "${cpus[@]}" | median)" "$(printf '%s ' "${totals[@]}")"
}

# Let the build and DynamoDB Local's start settle: wait (up to 2 minutes) for the 1-minute load below 1.
for _ in $(seq 1 24); do awk '{exit !($1 < 1.0)}' /proc/loadavg && break; sleep 5; done

models=events/api/models-list.json
echo
echo "| JVM ($("$JAVA" -version 2>&1 | head -1 | tr -d '"')), $RUNS runs, load $(cut -d' ' -f1 /proc/loadavg) | init (handler built) | first models-list event handled | CPU time | all runs, first event (ms) |"
echo "|---|---|---|---|---|"
measure "all $(nproc) cores, $FLAGS" "$JAVA" $FLAGS -cp "$jar:$work/probe" ColdStartProbe event $models
measure "1 core, $FLAGS" taskset -c 0 "$JAVA" $FLAGS -cp "$jar:$work/probe" ColdStartProbe event $models
measure "1 core, JVM defaults" taskset -c 0 "$JAVA" -cp "$jar:$work/probe" ColdStartProbe event $models
echo
echo "jar: $(stat -c %s "$jar") bytes ($(( $(stat -c %s "$jar") / 1048576 )) MiB), $(unzip -Z1 "$jar" | wc -l) entries;" \
  "bundle functions/target/tollgate-lambda.zip: $(stat -c %s functions/target/tollgate-lambda.zip) bytes"
busy=$("$JAVA" $FLAGS -cp "$jar:$work/probe" ColdStartProbe event $models events/api/usage.json events/api/keys-create.json \
  events/api/embeddings.json 2>/dev/null | grep '^main=')
echo "busier instance (models, usage, key creation, embeddings): $(grep -oE 'status[0-9]=[0-9]+' <<<"$busy" | tr '\n' ' ')" \
  "heap used $(sed -E 's/.*heapUsedMb=([0-9]+).*/\1/' <<<"$busy") MB, peak RSS $(( $(sed -E 's/.*rssPeakKb=([0-9]+).*/\1/' <<<"$busy") / 1024 )) MB"
