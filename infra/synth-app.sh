#!/usr/bin/env bash
# The CDK "app" command (see cdk.json): runs dev.tollgate.infra.TollgateApp with plain java on
# target/classes plus the module's runtime classpath. Used instead of the usual
# `mvn -e -q compile exec:java` because it must not need a system Maven, and exec:java clashes with
# the exec configuration inherited from micronaut-parent.
#
# Recompiles (../mvnw compile, with the shared module the app reads table names from) only when a file
# under src/main, ../shared/src/main or a pom is newer than the compiled app, and rewrites
# target/classpath.txt only when a pom is newer than it. Needs JDK 21+ via JAVA_HOME (or on PATH).
# Maven's own output goes to stderr: stdout is left to the app.
#
# The functions get their code from ../functions/target/tollgate-lambda.zip (context lambdaBundle), which
# this script does not build: run `./mvnw -B package -DskipTests` at the repository root first.
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
# The classpath goal runs together with compile: Maven resolves the shared module from this reactor only
# when the shared module went through the compile phase in the same run.
if stale "$cp_file" pom.xml ../pom.xml ../shared/pom.xml; then
  goals+=(compile dependency:build-classpath)
elif stale "$app_class" src/main pom.xml ../shared/src/main ../shared/pom.xml; then
  goals+=(compile)
fi
if ((${#goals[@]})); then
  # -am builds the shared module too; its classes (target/classes) are on the app's classpath. Every module
  # in the run writes the classpath file; infra comes last, so the file ends up holding infra's.
  ../mvnw -B -q -f ../pom.xml -pl infra -am "${goals[@]}" \
    -Dmdep.outputFile="$PWD/$cp_file" -DincludeScope=runtime >&2
  # The compiler may leave an unchanged class file alone; mark the build as current either way.
  [[ -e $app_class ]] && touch "$app_class"
fi

exec "$java_bin" -cp "target/classes:$(<"$cp_file")" "$main_class" "$@"
