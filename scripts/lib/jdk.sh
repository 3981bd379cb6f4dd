# Sourced by the scripts: finds a JDK 21 or newer and the project's folders.
# Sets JAVA_HOME, JAVA, JAVA_MAJOR, PROJECT_DIR and MAVEN_OPTS; exits 3 with a clear sentence when there is no JDK.

PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

java_major() {
    # Prints the feature version of the java binary given, or nothing. A JDK's release file says it without
    # starting a JVM (which would cost a tenth of a second on every command).
    local home release
    home=$(dirname "$(dirname "$1")")
    release=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$home/release" 2>/dev/null | head -n 1)
    if [ -n "$release" ]; then
        echo "$release"
        return
    fi
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

find_jdk() {
    local candidate major best="" best_major=0
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
        major=$(java_major "$JAVA_HOME/bin/java")
        if [ -n "$major" ] && [ "$major" -ge 21 ]; then
            echo "$JAVA_HOME"
            return 0
        fi
    fi
    for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
        [ -x "$candidate/bin/javac" ] || continue
        major=$(java_major "$candidate/bin/java")
        if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
            best=$candidate
            best_major=$major
        fi
    done
    [ -n "$best" ] && echo "$best"
}

JDK_HOME=$(find_jdk) || true
if [ -z "$JDK_HOME" ]; then
    echo "backprop: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, nothing suitable in /usr/lib/jvm): install one, e.g. 'apt-get install openjdk-21-jdk', or point JAVA_HOME at it" >&2
    exit 3
fi
export JAVA_HOME=$JDK_HOME
JAVA="$JAVA_HOME/bin/java"
JAVA_MAJOR=$(java_major "$JAVA")
if [ "$JAVA_MAJOR" -ge 24 ]; then
    # Maven's own libraries use sun.misc.Unsafe; JDK 24+ warns about it on every build.
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi

require_maven() {
    if ! command -v mvn >/dev/null 2>&1; then
        echo "backprop: Maven (mvn) is needed to build the jar and was not found: install it, e.g. 'apt-get install maven'" >&2
        exit 3
    fi
}
