#!/bin/bash
# The container image's entry point (container/Dockerfile). Commands:
#   serve (default)  the server (ContainerMain) with the repository's jvm.options, less its -Xms/-Xmx lines: in a
#                    container the heap is a share of the container's memory (TOLLGATE_INITIAL_RAM_PERCENTAGE,
#                    default 12.5, TOLLGATE_MAX_RAM_PERCENTAGE, default 60: the rest holds metaspace, code cache,
#                    thread stacks and Netty's direct buffers). JAVA_OPTS adds options last. The ahead-of-time
#                    cache the image build trained (tollgate.aot) is used when present.
#   train            the image build's step: on JDK 25+, runs the server once under a short workload and writes
#                    tollgate.aot (classes loaded and linked, method profiles); on older JDKs does nothing.
#   health           the HEALTHCHECK: GET /health on the server's port answers 200.
# SIGTERM is passed to the server, which drains (open streams finish or are ended and settled) and stops; the
# entry point then exits 0, a clean stop, rather than the JVM's 143.
set -euo pipefail
app=${TOLLGATE_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
classpath=${TOLLGATE_CLASSPATH:-$app/tollgate.jar}   # the image's jar; tests run the same script from the build tree
port=${MICRONAUT_SERVER_PORT:-8080}

# get <path>: the status code of GET <path> on the server, without curl (the JRE image has bash, not curl).
get() {
  local status
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$1" >&3
  read -r -t 5 _ status _ <&3 || status=000
  exec 3<&- 3>&-
  echo "$status"
}

jvm_options() { # the shared file without its heap lines, into a file java reads as an argument file
  local options=${TMPDIR:-/tmp}/tollgate-jvm.options
  sed -e 's/#.*//' -e '/^[[:space:]]*$/d' -e '/^[[:space:]]*-Xm[sx]/d' "$app/jvm.options" >"$options"
  echo "$options"
}

start_server() { # extra java options...: starts ContainerMain in the background, sets $server
  # shellcheck disable=SC2086  # JAVA_OPTS is a list of options
  "$java" @"$(jvm_options)" \
    -XX:InitialRAMPercentage="${TOLLGATE_INITIAL_RAM_PERCENTAGE:-12.5}" \
    -XX:MaxRAMPercentage="${TOLLGATE_MAX_RAM_PERCENTAGE:-60}" \
    "$@" ${JAVA_OPTS:-} -cp "$classpath" dev.tollgate.functions.container.ContainerMain &
  server=$!
}

jdk_major() { # from the JDK's release file (no second JVM start on every container start), else from java itself
  if [[ -f ${JAVA_HOME:-/nonexistent}/release ]]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release"
  else
    "$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
  fi
}

case "${1:-serve}" in
  health)
    [[ $(get /health) == 200 ]]
    ;;
  train)
    if (( $(jdk_major) < 25 )); then echo "JDK $(jdk_major): no ahead-of-time cache (JDK 25+)"; exit 0; fi
    # No DynamoDB at build time: the workload is what needs none (start-up, routing, filters, the JSON error
    # envelope, request parsing up to authentication), which is most of the classes a request loads.
    TOLLGATE_DYNAMODB_ENDPOINT=${TOLLGATE_DYNAMODB_ENDPOINT:-http://127.0.0.1:9} start_server -XX:AOTCacheOutput="$app/tollgate.aot"
    until [[ $(get /health 2>/dev/null) == 200 ]]; do
      kill -0 "$server" 2>/dev/null || { echo "the server ended before it answered: no ahead-of-time cache" >&2; exit 1; }
      sleep 0.2
    done
    for _ in $(seq 1 "${TRAIN_REQUESTS:-300}"); do
      get /health >/dev/null || true; get /v1/models >/dev/null || true; get /v1/chat/completions >/dev/null || true
    done
    kill -TERM "$server"; wait "$server" || true
    [[ -s $app/tollgate.aot ]] && echo "wrote $app/tollgate.aot"
    ;;
  serve)
    aot=()
    if [[ -s $app/tollgate.aot ]] && (( $(jdk_major) >= 25 )); then aot=(-XX:AOTCache="$app/tollgate.aot"); fi
    start_server "${aot[@]}"
    stopping=
    trap 'stopping=1; kill -TERM "$server" 2>/dev/null || true' TERM INT
    status=0
    while :; do
      wait "$server" && status=0 || status=$?
      kill -0 "$server" 2>/dev/null || break   # still running: the wait was cut short by the trap
    done
    if [[ -n $stopping && $status == 143 ]]; then exit 0; fi
    exit "$status"
    ;;
  *)
    echo "usage: entrypoint.sh [serve|train|health]" >&2; exit 2
    ;;
esac
