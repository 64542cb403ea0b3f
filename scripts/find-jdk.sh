# Sourced by .ci/run and ./dcgan4j: sets JAVA_HOME to a JDK 25 or newer and puts it first on PATH, or fails.
# Order: JAVA_HOME if it is new enough, then the JDKs under /usr/lib/jvm.

java_major() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

find_jdk() {
    local jdk="" candidate
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then
        jdk="$JAVA_HOME"
    else
        for candidate in /usr/lib/jvm/*; do
            if [ -x "$candidate/bin/javac" ] && [ "$(java_major "$candidate")" -ge 25 ] 2>/dev/null; then
                jdk="$candidate"
                break
            fi
        done
    fi
    if [ -z "$jdk" ]; then
        echo "error: dcgan4j needs JDK 25 or newer: set JAVA_HOME to one, or install one under /usr/lib/jvm" >&2
        return 1
    fi
    export JAVA_HOME="$jdk"
    export PATH="$JAVA_HOME/bin:$PATH"
}
