#!/usr/bin/env bash
# The README's first ten minutes, checked: clones this repository's committed HEAD into a temporary folder, runs
# the README's run command there as written (`./mvnw -Prun`), and checks that the server answers with the demo
# key it printed, first from the fresh clone, then again after a restart with nothing changed, and on JDK 25+ a
# third time with the ahead-of-time start-up cache the first two runs made (scripts/run-local.sh). Stopping Maven
# alone (SIGTERM, as an IDE's stop button does) must stop the server too. Prints the timings. CI runs it (.ci/run).
#
#   scripts/first-run.sh                 # limits: FIRST_LIMIT=600 s (may download dependencies), RESTART_LIMIT=30 s
#
# The restart limit is loose for shared CI machines; on 2 idle cores a restart answers in under 10 s (README).
set -euo pipefail
FIRST_LIMIT=${FIRST_LIMIT:-600}
RESTART_LIMIT=${RESTART_LIMIT:-30}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
maven=

cleanup() {
  if [[ -n $maven ]] && kill -0 "$maven" 2>/dev/null; then kill -KILL -- "-$maven" 2>/dev/null || true; fi
  # a training run still writing, or a start-up cache being made, in the clone about to be removed
  pkill -KILL -f "$work/tollgate/functions/target/aot" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  local port
  for port in $(seq 18080 18180); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port in 18080-18180" >&2; exit 1
}

# start <log>: runs the README's command in its own process group; sets $maven to Maven's pid.
start() {
  setsid ./mvnw -Prun >"$1" 2>&1 </dev/null & maven=$!
}

# answered <limit seconds> <log>: waits until /v1/models answers 200 to the demo key; prints the seconds taken.
answered() {
  local begin=$SECONDS since=$EPOCHREALTIME key
  while ((SECONDS - begin < $1)); do
    if [[ -s .local-data/demo-key ]]; then
      key=$(cat .local-data/demo-key)
      if [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "http://127.0.0.1:$port/v1/models") == 200 ]]; then
        awk "BEGIN { printf \"%.1f\", $EPOCHREALTIME - $since }"; return 0
      fi
    fi
    kill -0 "$maven" 2>/dev/null || { echo "Maven ended before the server answered:" >&2; tail -40 "$2" >&2; exit 1; }
    sleep 0.2
  done
  echo "no answer within $1 s:" >&2; tail -40 "$2" >&2; exit 1
}

# stop: SIGTERM to Maven alone; the server must stop with it (no orphan still answering on the port).
stop() {
  kill -TERM "$maven"
  local begin=$SECONDS
  while ((SECONDS - begin < 30)); do
    if ! kill -0 "$maven" 2>/dev/null && ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then maven=; return 0; fi
    sleep 0.2
  done
  echo "the server still answers on port $port 30 s after Maven was stopped" >&2; exit 1
}

git clone -q "$repo" "$work/tollgate"
cd "$work/tollgate"
port=$(free_port)
export MICRONAUT_SERVER_PORT=$port

start "$work/first.log"
first=$(answered "$FIRST_LIMIT" "$work/first.log")
grep -q "Demo API key" "$work/first.log" || { echo "no banner in the output" >&2; exit 1; }
stop

# settled: waits (at most <limit> s) until no process works in the clone's start-up cache folder: on JDK 25 the first
# run was the cache's training run, and its JVM writes what it recorded after the port has closed; the second makes
# the cache in the background (scripts/run-local.sh).
settled() {
  local begin=$SECONDS
  while pgrep -f "$work/tollgate/functions/target/aot" >/dev/null; do
    ((SECONDS - begin < $1)) || { echo "still writing the start-up cache after $1 s" >&2; exit 1; }
    sleep 0.5
  done
}

settled 60
start "$work/restart.log"
restart=$(answered "$RESTART_LIMIT" "$work/restart.log")
stop
echo "first start (fresh clone): ${first} s; restart with nothing changed: ${restart} s (port $port)"

# JDK 25+: the third start uses the ahead-of-time cache the first two made.
source "$repo/scripts/jdk.sh"
pick_jdk >/dev/null
if ((${JDK_MAJOR:-0} >= 25)); then
  grep -q "Making the start-up cache" "$work/restart.log" ||
    { echo "JDK $JDK_MAJOR: the restart did not make the start-up cache (no training run recorded?)" >&2; exit 1; }
  begin=$SECONDS
  until [[ -s functions/target/aot/tollgate.aot ]]; do
    ((SECONDS - begin < 120)) || { echo "no start-up cache 120 s after the restart:" >&2; cat functions/target/aot/create.log >&2; exit 1; }
    sleep 0.5
  done
  settled 30
  start "$work/cached.log"
  cached=$(answered "$RESTART_LIMIT" "$work/cached.log")
  server=$(pgrep -f -- "-XX:AOTCache=$work/tollgate/functions/target/aot/tollgate.aot" | head -1) ||
    { echo "the third start did not use the start-up cache" >&2; exit 1; }
  # The JVM maps a cache it accepts; one it refuses (another JDK build, other options) it only names.
  if [[ -r /proc/$server/maps ]] && ! grep -q "functions/target/aot/tollgate.aot" "/proc/$server/maps"; then
    echo "the third start was given the start-up cache, but the JVM did not map it" >&2; exit 1
  fi
  stop
  echo "start with the ahead-of-time cache (JDK $JDK_MAJOR, from the third start after a build): ${cached} s"
fi
