# Makes JAVA_HOME point at a JDK 21+ (Tollgate compiles for release 21) when the default `java` is older.
# Sourced by ./mvnw, so `./mvnw -Prun` and `./mvnw verify` work on a machine whose default java is 17 while a
# newer JDK is installed beside it; also by .ci/run and the bench scripts.
#
# Plain POSIX sh: mvnw runs under /bin/sh (dash on Debian) with `set -euf`, and .ci/run under bash with
# `set -euo pipefail`: no bash-isms, no failing command left unguarded, globs switched on only inside the
# subshell that lists the candidates.
#
# Where JDKs are looked for: TOLLGATE_JDK_DIRS, a colon-separated list of folders that hold JDKs (default
# below: Debian/Ubuntu and RPM packages, /opt, macOS, SDKMAN!, IntelliJ's downloads).

java_major() {
  # A JDK's `release` file says its version without starting a JVM (a tenth of a second or more each, on every
  # ./mvnw); otherwise ask java itself. "17.0.15", "21", "25.0.3" ("1.8.0_x" on Java 8, which reads as 1).
  _tg_release=$(readlink -f "$1" 2>/dev/null || true)
  _tg_release=${_tg_release%/bin/java}/release
  if [ -f "$_tg_release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$_tg_release"
  else
    "$1" -XshowSettings:properties -version 2>&1 |
      sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
  fi
}

# Prints "<major> <home>" of the first JDK 21+ (with javac) under the candidate folders, newest-named first.
find_jdk() (
  set +f
  IFS=:
  for _tg_dir in ${TOLLGATE_JDK_DIRS:-/usr/lib/jvm:/usr/java:/opt/java:/opt:/Library/Java/JavaVirtualMachines:${HOME:-/nonexistent}/.sdkman/candidates/java:${HOME:-/nonexistent}/.jdks}; do
    for _tg_home in "$_tg_dir"/*/ "$_tg_dir"/*/Contents/Home/; do
      if [ -x "${_tg_home}bin/javac" ]; then printf '%s\n' "${_tg_home%/}"; fi
    done
  done | sort -rV | while IFS= read -r _tg_home; do
    _tg_major=$(java_major "$_tg_home/bin/java") || true
    if [ "${_tg_major:-0}" -ge 21 ] 2>/dev/null; then
      printf '%s %s\n' "$_tg_major" "$_tg_home"
      break
    fi
  done
)

# Leaves JAVA_HOME alone when it (or the `java` on PATH) is already 21+; otherwise exports the JDK find_jdk
# found, or prints one line saying what to install and returns 1. Sets JDK_MAJOR to the chosen JDK's version.
pick_jdk() {
  _tg_java=${JAVA_HOME:+$JAVA_HOME/bin/java}
  [ -n "$_tg_java" ] || _tg_java=$(command -v java || true)
  _tg_major=
  if [ -n "$_tg_java" ] && [ -x "$_tg_java" ]; then
    _tg_major=$(java_major "$_tg_java") || true
    if [ "${_tg_major:-0}" -ge 21 ] 2>/dev/null; then
      JDK_MAJOR=$_tg_major
      return 0
    fi
  fi
  _tg_found=$(find_jdk) || true
  if [ -n "$_tg_found" ]; then
    JDK_MAJOR=${_tg_found%% *}
    JAVA_HOME=${_tg_found#* }
    export JAVA_HOME
    return 0
  fi
  echo "Tollgate needs a JDK 21 or newer (found ${_tg_major:+Java $_tg_major at }${_tg_java:-no java}): install one, e.g. 'apt-get install openjdk-21-jdk-headless', 'brew install openjdk@21' or https://adoptium.net, or set JAVA_HOME to it." >&2
  return 1
}
