#!/bin/bash
# The chat function's "handler". AWS Lambda Web Adapter (the layer, started through
# AWS_LAMBDA_EXEC_WRAPPER=/opt/bootstrap) runs this script instead of the Java runtime's own handler
# loop, waits until GET $AWS_LWA_READINESS_CHECK_PATH answers on $AWS_LWA_PORT, then forwards every
# invocation to the server as plain HTTP and streams the response back (AWS_LWA_INVOKE_MODE=response_stream).
#
# JVM flags, since this bypasses the Lambda Java runtime's launcher: the repository's jvm.options (packed beside
# this script) without its heap lines, then what differs on Lambda (docs/adr/0015-shipped-jvm-settings-and-container.md):
#   TieredStopAtLevel=1  C1 only: a function instance is young and has one vCPU below 1769 MB of memory, where
#                        C2's compiler threads would compete with the requests for most of its life.
#   MaxRAMPercentage=70  heap share of the function's memory (JVM default 25 %); the rest is metaspace,
#                        thread stacks, Netty's direct buffers and the code cache.
# The server listens on loopback only: nothing but the adapter in the same sandbox talks to it.
set -euo pipefail
root=${LAMBDA_TASK_ROOT:-$(dirname "$0")}
options=/tmp/tollgate-jvm.options
sed -e 's/#.*//' -e '/^[[:space:]]*$/d' -e '/^[[:space:]]*-Xm[sx]/d' "$root/jvm.options" >"$options"
exec java @"$options" \
  -XX:+TieredCompilation -XX:TieredStopAtLevel=1 \
  -XX:MaxRAMPercentage=70 \
  -Dmicronaut.server.host=127.0.0.1 \
  -Dmicronaut.server.port="${AWS_LWA_PORT:-8080}" \
  -cp "$root/lib/tollgate-lambda.jar" \
  dev.tollgate.functions.lambda.ChatServer
