# Shared by bench/run.sh, bench/compare.sh and bench/cpu-pair.sh, sourced from the repository root: picks a JDK 21+ (sets JAVA),
# builds the gateway's classpath from a built tree, and starts a gateway (Tollgate's local server) against the
# benchmark's DynamoDB Local and an upstream. start_gateway expects a pids array (the caller's cleanup).
source scripts/jdk.sh
pick_jdk
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
# The gateway starts with the shipped JVM settings, the repository's jvm.options (an argument file), unless
# GATEWAY_JAVA_OPTS says otherwise; GATEWAY_EXTRA_OPTS adds to either (e.g. -XX:NativeMemoryTracking=summary).
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-@$PWD/jvm.options}

# build_pair <git rev | .>: builds that revision in a temporary git worktree (sets $base to it; "." = the working
# tree) and the working tree with the benchmark; remove_pair (for the caller's cleanup) removes the worktree.
build_pair() {
  base=$PWD
  echo "building..."
  if [[ $1 != . ]]; then
    base=$(mktemp -d)
    git worktree add -q --detach "$base" "$1"
    (cd "$base" && ./mvnw -B -q -DskipTests package -pl functions -am)
  fi
  ./mvnw -B -q -DskipTests package -pl functions,bench -am
}
remove_pair() {
  if [[ -n ${base:-} && $base != "$PWD" ]]; then git worktree remove --force "$base" 2>/dev/null || rm -rf "$base"; fi
}

# cpu_ticks <pid>: the process's user and system CPU time so far, in clock ticks. proc_mib <pid> <VmRSS|VmHWM>: that
# figure of the process (resident size now, or its peak), in whole MiB.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
proc_mib() { awk -v k="$2:" '$1 == k {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# tree_classpath <tree> <file to keep the dependency list in>: the reactor's own modules from their
# target/ folders, never from a stale ~/.m2 copy. The test-compile phase (quick on a built tree) makes the reactor
# resolve tollgate-shared (and its test jar) to the tree's own folders; without it Maven looked in ~/.m2, which a
# fresh machine lacks, and took a stale copy where one was.
tree_classpath() {
  (cd "$1" && ./mvnw -B -q -pl functions -am test-compile dependency:build-classpath -DincludeScope=compile \
    -Dmdep.outputFile="$2" >/dev/null)
  echo "$1/functions/target/classes:$(cat "$2")"
}

# start_gateway <classpath> <port> <upstream base url> <dynamo port> <folder> <log name>: sets $gateway to its pid
# and waits until it answers.
start_gateway() {
  (cd "$5" && TOLLGATE_DYNAMODB_ENDPOINT=http://127.0.0.1:$4 TOLLGATE_ADMIN_TOKEN=bench \
    MICRONAUT_SERVER_PORT=$2 TOLLGATE_UPSTREAMS_OLLAMA_BASE_URL=$3 \
    exec "$JAVA" $GATEWAY_JAVA_OPTS ${GATEWAY_EXTRA_OPTS:-} -cp "$1" dev.tollgate.local.LocalMain >"$6" 2>&1) & gateway=$!; pids+=($gateway)
  for _ in $(seq 1 120); do
    curl -s -o /dev/null "http://127.0.0.1:$2/v1/models" && return 0
    kill -0 "$gateway" 2>/dev/null || { echo "the gateway died; see $5/$6"; exit 1; }
    sleep 0.5
  done
  echo "the gateway on port $2 did not answer within a minute; see $5/$6"; exit 1
}

# new_bench_key <port>: an account with plenty of credit, its key printed
new_bench_key() {
  curl -s -X POST "http://127.0.0.1:$1/admin/accounts" -H "Authorization: Bearer bench" \
    -d '{"name":"bench","credit_usd":"90000.00"}' | sed -n 's/.*"api_key":"\([^"]*\)".*/\1/p'
}
