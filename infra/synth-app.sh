#!/usr/bin/env bash
# The CDK "app" command (see cdk.json): runs dev.tollgate.infra.TollgateApp with plain java on
# target/classes plus the module's runtime classpath. Used instead of the usual
# `mvn -e -q compile exec:java` because it must not need a system Maven, and exec:java clashes with
# the exec configuration inherited from micronaut-parent.
#
# Recompiles (../mvnw compile) only when a file under src/main or pom.xml is newer than the compiled
# app, and rewrites target/classpath.txt only when a pom is newer than it. Needs JDK 21+ via
# JAVA_HOME (or on PATH). Maven's own output goes to stderr: stdout is left to the app.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

main_class=dev.tollgate.infra.TollgateApp
app_class=target/classes/${main_class//.//}.class
cp_file=target/classpath.txt
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java

# True when $1 is missing or any of the other paths holds a file newer than it.
stale() {
  local target=$1
  shift
  [[ ! -e $target ]] || [[ -n $(find "$@" -newer "$target" -print -quit 2>/dev/null) ]]
}

java_major=$("$java_bin" -XshowSettings:properties -version 2>&1 |
  sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
if [[ -z $java_major || $java_major -lt 21 ]]; then
  echo "synth-app.sh: needs JDK 21 or newer, found '${java_major:-none}' at $java_bin; set JAVA_HOME" >&2
  exit 1
fi

goals=()
if stale "$app_class" src/main pom.xml; then goals+=(compile); fi
if stale "$cp_file" pom.xml ../pom.xml; then goals+=(dependency:build-classpath); fi
if ((${#goals[@]})); then
  ../mvnw -B -q -f ../pom.xml -pl infra "${goals[@]}" \
    -Dmdep.outputFile="$PWD/$cp_file" -DincludeScope=runtime >&2
  # The compiler may leave an unchanged class file alone; mark the build as current either way.
  [[ -e $app_class ]] && touch "$app_class"
fi

exec "$java_bin" -cp "target/classes:$(<"$cp_file")" "$main_class" "$@"
