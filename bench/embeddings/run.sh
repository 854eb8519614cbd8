#!/usr/bin/env bash
# Embeddings benchmark: sentences/s of the in-process all-MiniLM-L6-v2 model for request batches of 1, 16 and
# 128 sentences (default micro-batch 1 and opt-in micro-batch 32), its cold load time and the memory it takes.
# Usage: bench/embeddings/run.sh [seconds per measurement, default 10]
# Prints the report and writes it to bench/embeddings/results/<timestamp>.md; docs/PERFORMANCE.md quotes it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source scripts/jdk.sh
pick_jdk
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

results=bench/embeddings/results
mkdir -p "$results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
echo "building shared..."
./mvnw -B -q -pl shared compile dependency:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile="$PWD/$results/classpath.txt" >/dev/null
# A fixed heap, so the memory figures do not depend on the machine's size; the model itself lives off-heap.
"$JAVA" -Xms256m -Xmx256m --enable-native-access=ALL-UNNAMED -Dseconds="${1:-10}" -Dout="$results/$stamp.md" \
  -cp "shared/target/classes:$(cat "$results/classpath.txt")" bench/embeddings/EmbeddingThroughput.java
rm -f "$results/classpath.txt"
echo "written to $results/$stamp.md"
