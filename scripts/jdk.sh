# Sourced by .ci/run and bench/run.sh: exports JAVA_HOME pointing at a JDK 21+ when the default
# `java` is older (Tollgate compiles for release 21).
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

pick_jdk() {
  local current=${JAVA_HOME:+$JAVA_HOME/bin/java}
  current=${current:-$(command -v java || true)}
  if [[ -n $current && $(java_major "$current") -ge 21 ]]; then
    return 0
  fi
  local candidate
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    if [[ -x $candidate/bin/javac && $(java_major "$candidate/bin/java") -ge 21 ]]; then
      export JAVA_HOME=${candidate%/}
      return 0
    fi
  done
  echo "No JDK 21+ found: install one and set JAVA_HOME." >&2
  return 1
}
