# shellcheck shell=bash
# Sourced by bench/*/run.sh. The harness the scripts start lives in bench/src/main/java, a source
# set of its own that Maven compiles after the tests, against them, into target/bench-classes (see
# bench/README.md); bench_build builds it offline and sets BENCH_CP, its classpath.
#
#   bench_build classes    the harness, the test classes it uses and Pharos's classes
#   bench_build package    the same and the Pharos jar, target/quarkus-app/quarkus-run.jar
BENCH_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

bench_build() {
    local goal
    case "$1" in
        classes) goal=process-test-classes ;;
        package) goal=package ;;
        *) echo "bench_build: classes or package, not '$1'" >&2; return 2 ;;
    esac
    if (cd "$BENCH_REPO" && ./mvnw -q -B -o "$goal" -DskipTests dependency:build-classpath \
        -Dmdep.includeScope=test -Dmdep.outputFile="$BENCH_REPO/target/bench-classpath.txt"); then
        BENCH_CP="$BENCH_REPO/target/bench-classes:$BENCH_REPO/target/test-classes"
        BENCH_CP="$BENCH_CP:$BENCH_REPO/target/classes:$(cat "$BENCH_REPO/target/bench-classpath.txt")"
        return 0
    fi
    # Without the dependency plugin (never fetched on this machine): the classpath the compiler
    # was given for the harness (Maven's debug output, the harness compiled again), which holds
    # the test classes, Pharos's classes and every compile and test dependency.
    echo "bench: no dependency plugin offline; taking the harness's compile classpath instead" >&2
    local log="$BENCH_REPO/target/bench-compile.log"
    rm -rf "$BENCH_REPO/target/bench-classes"
    if ! (cd "$BENCH_REPO" && ./mvnw -X -B -o "$goal" -DskipTests >"$log" 2>&1); then
        echo "bench: the offline build failed (see $log); if Maven says a plugin is missing (the" \
            "dependency plugin, on a first run), fetch it once with network: ./mvnw -B dependency:build-classpath" >&2
        return 1
    fi
    BENCH_CP="$(grep -F -- "-d $BENCH_REPO/target/bench-classes -classpath " "$log" | tail -1 |
        sed 's/.* -classpath \([^ ]*\) .*/\1/')"
    [ -n "$BENCH_CP" ] || { echo "bench: no harness classpath in $log" >&2; return 1; }
    BENCH_CP="$BENCH_REPO/target/bench-classes:$BENCH_CP"
}

# bench_ok_address I: the I-th address bench_haproxy_ok listens on (I from 1): 127.0.100.1 to
# 127.0.100.250, then 127.0.101.1 and so on.
bench_ok_address() {
    echo "127.0.$((100 + ($1 - 1) / 250)).$((($1 - 1) % 250 + 1))"
}

# bench_haproxy_ok DIR N PORT: starts an HAProxy (one thread) that answers 200 "ok" to any HTTP
# request on the first N bench_ok_address addresses, port PORT, and waits until every address
# accepts connections; its pid is in DIR/haproxy.pid (kill it on exit).
bench_haproxy_ok() {
    local dir="$1" n="$2" port="$3" i deadline
    command -v haproxy >/dev/null || { echo "bench: needs haproxy (apt-get install haproxy)" >&2; return 1; }
    {
        echo "global"
        echo "    nbthread 1"
        echo "    maxconn 8000"
        echo "defaults"
        echo "    mode http"
        echo "    timeout client 5s"
        echo "    timeout connect 1s"
        echo "    timeout server 5s"
        echo "frontend ok"
        for i in $(seq 1 "$n"); do echo "    bind $(bench_ok_address "$i"):$port"; done
        echo "    http-request return status 200 content-type text/plain string ok"
    } >"$dir/haproxy.cfg"
    haproxy -D -p "$dir/haproxy.pid" -f "$dir/haproxy.cfg"
    # ready when every address accepts connections (HAProxy binds them all before it serves)
    for i in $(seq 1 "$n"); do
        deadline=$((SECONDS + 10))
        until (exec 3<>"/dev/tcp/$(bench_ok_address "$i")/$port") 2>/dev/null; do
            [ $SECONDS -lt $deadline ] || { echo "bench: HAProxy does not listen on $(bench_ok_address "$i"):$port after 10 s" >&2; return 1; }
            sleep 0.05
        done
    done
}
