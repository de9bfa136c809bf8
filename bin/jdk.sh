# Sourced by ausb's scripts: points JAVA_HOME at a JDK 25 or newer, or stops with one line.
# Looks at $JAVA_HOME, then /usr/lib/jvm/*, then the java on PATH.
ausb_jdk_ok() { # $1 = a JDK home; true when its java is version 25 or newer
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local v; v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null
}
ausb_find_jdk() {
  local c
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk* /usr/lib/jvm/*-25* /usr/lib/jvm/*; do
    [ -n "$c" ] && ausb_jdk_ok "$c" && { echo "$c"; return 0; }
  done
  c=$(command -v javac 2>/dev/null) && c=$(dirname "$(dirname "$(readlink -f "$c")")") && ausb_jdk_ok "$c" && { echo "$c"; return 0; }
  return 1
}
if JAVA_HOME=$(ausb_find_jdk); then
  export JAVA_HOME
  # Maven 3.9's Guice uses sun.misc.Unsafe, which JDK 25 warns about on every build
  case " ${MAVEN_OPTS:-} " in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
else
  echo "ausb: no JDK 25 found (looked at \$JAVA_HOME, /usr/lib/jvm, PATH): install one (Debian/Ubuntu: apt install temurin-25-jdk or openjdk-25-jdk; macOS: brew install openjdk@25) or set JAVA_HOME" >&2
  exit 8
fi
