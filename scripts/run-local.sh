#!/usr/bin/env bash
# The local server's launcher: what `./mvnw -Prun` runs (functions/pom.xml, profile `run`), from the repository's
# root. Arguments: <java home> <class path>. Starts Tollgate's local server with the repository's jvm.options.
#
# On JDK 25+ it also keeps an ahead-of-time cache (classes loaded and linked, method profiles: JEPs 483 and 515)
# in functions/target/aot, made from the server's own runs, so later starts answer sooner and warm up faster
# (docs/PERFORMANCE.md, "Warm-up"). Three runs after a build:
#   1. no cache yet: the server runs as the training run (-XX:AOTMode=record); what it serves is what the cache
#      learns, and when it stops the JVM writes what it saw (a few seconds, after the port has closed);
#   2. the next start runs without one, and 20 s later (once the server is up) makes the cache from it in the
#      background (-XX:AOTMode=create, ~10 s of one core at the lowest priority);
#   3. every later start uses it, as long as the class path, the JDK and jvm.options are the same and no jar on
#      the class path is newer than the cache.
# The cache holds classes from jars only, so the modules' target/classes folders are packed into jars beside it
# (again only when something in the folder is newer), and DynamoDB Local's jar, whose manifest puts its own folder
# on the class path, is used through a copy without that manifest. A rebuilt module starts the three steps again.
# TOLLGATE_AOT=off (or a JDK before 25) runs the server straight from target/classes, without a cache.
set -euo pipefail
java_home=$1 classpath=$2
java=$java_home/bin/java
main=dev.tollgate.local.LocalMain
# Maven stays in the foreground while the server runs: the server stops when Maven does (LocalMain, ParentWatch),
# which it watches by pid, since Maven may be gone before the exec below (stopped while the jars were packed).
common=(@jvm.options -Dtollgate.local.exit-with-parent=true -Dtollgate.local.parent-pid=$PPID)

major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$java_home/release" 2>/dev/null || true)
if [[ ${TOLLGATE_AOT:-on} == off || ${major:-0} -lt 25 ]]; then
  exec "$java" "${common[@]}" -cp "$classpath" "$main"
fi

dir=$PWD/functions/target/aot
mkdir -p "$dir"
jars=()
IFS=: read -ra entries <<<"$classpath"
for entry in "${entries[@]}"; do
  if [[ -d $entry ]]; then  # <module>/target/classes
    jar=$dir/$(basename "$(dirname "$(dirname "$entry")")").jar
    if [[ ! -f $jar || -n $(find "$entry" -newer "$jar" -print -quit) ]]; then
      "$java_home/bin/jar" --create --no-compress --file "$jar.part" -C "$entry" .
      mv "$jar.part" "$jar"
    fi
    jars+=("$jar")
  elif [[ $(basename "$entry") == DynamoDBLocal-*.jar ]]; then
    copy=$dir/$(basename "$entry")
    if [[ ! -f $copy ]]; then
      rm -rf "$dir/unpacked" && mkdir "$dir/unpacked"
      (cd "$dir/unpacked" && "$java_home/bin/jar" --extract --file "$entry" && rm -f META-INF/MANIFEST.MF)
      "$java_home/bin/jar" --create --no-compress --file "$copy.part" -C "$dir/unpacked" .
      mv "$copy.part" "$copy"
      rm -rf "$dir/unpacked"
    fi
    jars+=("$copy")
  else
    jars+=("$entry")
  fi
done
jar_path=$(IFS=:; echo "${jars[*]}")
# What a cache is made for: the class path, the JDK (the JVM refuses a cache of another build, silently here) and the
# JVM options (the collector, for one, must match).
made_for=$(printf '%s\n' "$jar_path" "$java_home"; cat "$java_home/release" jvm.options)

cache=$dir/tollgate.aot config=$dir/tollgate.aotconf stamp=$dir/classpath pids=$dir/pids
# The JVM's notes on the classes it leaves out of a cache (thousands of lines) are not the user's business.
quiet=(-Xlog:aot*=off -Xlog:cds*=off)

busy() { # a training run or a cache being made, from an earlier start, still running
  local pid
  for pid in $(cat "$pids" 2>/dev/null); do
    ps -o args= -p "$pid" 2>/dev/null | grep -q -e -XX:AOTMode= -e run-local.sh && return 0
  done
  return 1
}
fits() { # <file>: made for this class path, after every jar on it
  [[ -s $1 && -f $stamp && $(cat "$stamp") == "$made_for" ]] || return 1
  local jar
  for jar in "${jars[@]}"; do [[ $jar -nt $1 ]] && return 1; done
  return 0
}

if busy; then
  exec "$java" "${common[@]}" -cp "$jar_path" "$main"
elif fits "$cache"; then
  exec "$java" "${common[@]}" -XX:AOTCache="$cache" "${quiet[@]}" -cp "$jar_path" "$main"
elif fits "$config"; then
  echo "Making the start-up cache for the next start in the background (JDK $major; functions/target/aot)."
  (
    sleep "${TOLLGATE_AOT_CREATE_DELAY:-20}"
    if nice -n 19 "$java" @jvm.options -XX:AOTMode=create -XX:AOTConfiguration="$config" -XX:AOTCache="$cache.part" \
      -cp "$jar_path" >"$dir/create.log" 2>&1; then
      mv "$cache.part" "$cache"
    fi
    rm -f "$config"
  ) </dev/null >/dev/null 2>&1 &  # not on Maven's output: Maven would wait for it to close
  echo $! >"$pids"
  exec "$java" "${common[@]}" -cp "$jar_path" "$main"
else
  rm -f "$cache" "$config"
  echo "$made_for" >"$stamp"
  echo $$ >"$pids"  # exec keeps the pid: this process becomes the training run
  exec "$java" "${common[@]}" -XX:AOTMode=record -XX:AOTConfiguration="$config" "${quiet[@]}" -cp "$jar_path" "$main"
fi
