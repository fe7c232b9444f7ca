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

# bench_need TOOL...: fails, naming it, if a TOOL is not installed.
bench_need() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; return 1; }
    done
}

# bench_shipped_options: prints the JAVA_TOOL_OPTIONS that deploy/systemd/pharos.service sets (the
# image and the demo set the same); fails if the unit has none.
bench_shipped_options() {
    local options
    options=$(sed -n 's#^Environment="JAVA_TOOL_OPTIONS=\(.*\)"$#\1#p' "$BENCH_REPO/deploy/systemd/pharos.service")
    [ -n "$options" ] || { echo "bench: no JAVA_TOOL_OPTIONS in deploy/systemd/pharos.service" >&2; return 1; }
    echo "$options"
}

# bench_jar: sets BENCH_JAR, the Pharos jar; with BUILD=0 the one in target/quarkus-app as it is
# (where there is one), else built offline first (bench_build package).
bench_jar() {
    BENCH_JAR="$BENCH_REPO/target/quarkus-app/quarkus-run.jar"
    if [ "${BUILD:-1}" = 0 ] && [ -f "$BENCH_JAR" ]; then
        echo "== BUILD=0: running the existing $BENCH_JAR"
    else
        echo "== building Pharos (offline)"
        bench_build package
    fi
}

# bench_targets_yaml REGIONS PORT LISTEN DNS_PORT GLUE: the part of a vantage point's YAML under
# "pharos:" after its node and peers: REGIONS regions r1.. of three targets each (a load balancer
# and two backends, the bench_ok_address addresses in turn, all on PORT), the round-robin record
# cdn.example.test (TTL 5) and the embedded DNS server for example.test on LISTEN:DNS_PORT with
# ns1.example.test's glue GLUE.
bench_targets_yaml() {
    local regions="$1" port="$2" listen="$3" dns_port="$4" glue="$5" r
    echo "  regions:"
    for r in $(seq 1 "$regions"); do
        echo "    r$r:"
        echo "      load-balancer: {ipv4: $(bench_ok_address $((3 * r - 2))), port: $port}"
        echo "      backends:"
        echo "        - {name: web1, address: $(bench_ok_address $((3 * r - 1))), port: $port}"
        echo "        - {name: web2, address: $(bench_ok_address $((3 * r))), port: $port}"
    done
    echo "  records:"
    echo "    - {name: cdn.example.test, type: round-robin, ttl: 5}"
    echo "  dns:"
    echo "    provider: embedded"
    echo "    zone: example.test"
    echo "    embedded:"
    echo "      listen: [$listen]"
    echo "      port: $dns_port"
    echo "      glue: {ns1.example.test: [$glue]}"
}

# bench_pharos_args YAML ADDRESS HTTP_PORT MANAGEMENT_PORT: sets BENCH_ARGS, the arguments of java
# that run BENCH_JAR (bench_jar) with the configuration YAML, its API on ADDRESS:HTTP_PORT and its
# management interface (health, metrics) on ADDRESS:MANAGEMENT_PORT, exiting on OutOfMemoryError.
bench_pharos_args() {
    # shellcheck disable=SC2034 # for the scripts that source this
    BENCH_ARGS=(-XX:+ExitOnOutOfMemoryError -Dquarkus.config.locations="$1"
        -Dquarkus.http.host="$2" -Dquarkus.http.port="$3"
        -Dquarkus.management.host="$2" -Dquarkus.management.port="$4"
        -jar "$BENCH_JAR")
}

# bench_dnsperf ARGS...: dnsperf against 127.0.0.1 with ARGS; its output and errors on stdout.
bench_dnsperf() {
    dnsperf -s 127.0.0.1 "$@" 2>&1
}

# bench_dnsperf_latency PERCENTILES ARGS...: bench_dnsperf -v with ARGS (a fixed rate, -Q, and a
# length, -l); prints the latency in µs at each of PERCENTILES ("50 90 99") of the queries answered,
# " | " between them, n/a for each when none was.
bench_dnsperf_latency() {
    local percentiles="$1"
    shift
    bench_dnsperf "$@" -v | awk '/^> /{print $NF * 1000000}' | sort -n | awk -v ps="$percentiles" '
        {v[NR]=$1}
        END {
            n = split(ps, p, " ")
            out = ""
            for (i = 1; i <= n; i++) {
                k = int(NR * p[i] / 100); if (k < 1) k = 1
                out = out (i > 1 ? " | " : "") (NR == 0 ? "n/a" : v[k])
            }
            print out
        }'
}

# bench_dnsperf_field TEXT LABEL: the first number after "LABEL:" in dnsperf's output TEXT.
bench_dnsperf_field() {
    sed -n "s/^ *$2: *\([0-9.]*\).*/\1/p" <<<"$1" | head -1
}

# bench_dns_wait PORT FILE TRIES: waits until 127.0.0.1:PORT answers the first query of FILE,
# asking every 0.2 s, at most TRIES times; fails if it never does.
bench_dns_wait() {
    local i
    for i in $(seq 1 "$3"); do
        bench_dnsperf -p "$1" -d "$2" -n 1 -t 1 | grep -q 'Queries completed:.*(100.00%)' && return 0
        [ "$i" = "$3" ] || sleep 0.2
    done
    echo "bench: nothing answers on 127.0.0.1:$1" >&2
    return 1
}

# bench_median V...: the median of the numbers V (the lower middle one of an even count).
bench_median() {
    printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'
}
