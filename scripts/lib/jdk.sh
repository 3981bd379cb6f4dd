# Sourced by the scripts: finds a JDK 21 or newer and the project's folders.
# Sets JAVA_HOME, JAVA, JAVA_MAJOR, PROJECT_DIR and MAVEN_OPTS; exits 3 with a clear sentence when there is no JDK.

# Every command starts here, so this file uses bash builtins only (each forked program costs a few milliseconds).
_here=${BASH_SOURCE[0]%/*}
[ "$_here" = "${BASH_SOURCE[0]}" ] && _here=.
PROJECT_DIR=$(cd "$_here/../.." && pwd)

# Sets MAJOR to the feature version of the java binary given, or to nothing. A JDK's release file says it without
# starting a JVM (which would cost a tenth of a second on every command).
java_major() {
    local home=${1%/bin/java} line
    MAJOR=
    if [ -r "$home/release" ]; then
        while IFS= read -r line; do
            if [[ $line =~ ^JAVA_VERSION=\"([0-9]+) ]]; then
                MAJOR=${BASH_REMATCH[1]}
                return
            fi
        done < "$home/release"
    fi
    # A java that does not run is no JDK to use (and must not end a script running with set -e).
    MAJOR=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1) || MAJOR=
    [[ $MAJOR =~ ^[0-9]+$ ]] || MAJOR=
}

# Sets JDK_HOME to JAVA_HOME when that is a JDK 21+, else to the newest JDK 21+ installed, else to nothing.
find_jdk() {
    local candidate best="" best_major=0
    JDK_HOME=
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
        java_major "$JAVA_HOME/bin/java"
        if [ -n "$MAJOR" ] && [ "$MAJOR" -ge 21 ]; then
            JDK_HOME=$JAVA_HOME
            return
        fi
    fi
    for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
        [ -x "$candidate/bin/javac" ] || continue
        java_major "$candidate/bin/java"
        if [ -n "$MAJOR" ] && [ "$MAJOR" -ge 21 ] && [ "$MAJOR" -gt "$best_major" ]; then
            best=$candidate
            best_major=$MAJOR
        fi
    done
    JDK_HOME=$best
}

find_jdk
if [ -z "$JDK_HOME" ]; then
    echo "backprop: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, nothing suitable in /usr/lib/jvm): install one, e.g. 'apt-get install openjdk-21-jdk', or point JAVA_HOME at it" >&2
    exit 3
fi
export JAVA_HOME=$JDK_HOME
JAVA="$JAVA_HOME/bin/java"
java_major "$JAVA"
JAVA_MAJOR=$MAJOR
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
