#!/usr/bin/env bash
# Start-up of a vantage point (issue 17, goal 2): one Pharos process with 300 targets (100 regions,
# each a load balancer and two backends, answered by one HAProxy on loopback) and its embedded
# DNS server, started ROUNDS times per set of JVM settings, the sets alternating. For each start:
# process start -> the embedded name server's first answer (an SOA query every 20 ms), -> live,
# -> ready (the management interface polled every 20 ms), Quarkus's own "started in", and the
# RSS a second after ready. Writes bench/results/startup.md.
#
# The sets: "shipped" (the unit's JAVA_TOOL_OPTIONS on Java 17), "appcds" (the same with a
# dynamic AppCDS archive of Java 17, -XX:SharedArchiveFile, made by a training run of
# TRAIN_SECONDS with -XX:ArchiveClassesAtExit), "quarkus-appcds" (the archive Quarkus builds with
# quarkus.package.jar.appcds.enabled=true, where target/quarkus-app has one), and where a Java 25 is installed (JAVA25, default
# /usr/lib/jvm/temurin-25-jdk-amd64/bin/java) "java25" and "java25-aot" (JEP 483/514's AOT cache,
# -XX:AOTCacheOutput for training, -XX:AOTCache to run).
#
# No peers here: restart catch-up (which waits for the peers' desired state before answering) is
# measured by bench/restart/run.sh; this is the JVM and Quarkus part of it.
#
#   bench/startup/run.sh                 5 rounds
#   ROUNDS=2 BUILD=0 bench/startup/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
ROUNDS=${ROUNDS:-5}
TRAIN_SECONDS=${TRAIN_SECONDS:-20}
LIMIT=${LIMIT:-120}
OUT=${OUT:-bench/results/startup.md}
JAVA17=${JAVA17:-java}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
regions=100
lb_port=18080
http_port=18180
management_port=18190
dns_port=18153
addr=127.0.9.1

for tool in haproxy curl python3; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 1; }
done
shipped=$(sed -n 's#^Environment="JAVA_TOOL_OPTIONS=\(.*\)"$#\1#p' deploy/systemd/pharos.service)
[ -n "$shipped" ] || { echo "run.sh: no JAVA_TOOL_OPTIONS in deploy/systemd/pharos.service" >&2; exit 1; }

tmp=$(mktemp -d /tmp/pharos-startup-bench.XXXXXX)
trap 'kill $(cat "$tmp/haproxy.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$tmp"' EXIT
bench_haproxy_ok "$tmp" $((regions * 3)) "$lb_port"
jar="$BENCH_REPO/target/quarkus-app/quarkus-run.jar"
if [ "${BUILD:-1}" = 0 ] && [ -f "$jar" ]; then
    echo "== BUILD=0: running the existing $jar"
else
    echo "== building Pharos (offline)"
    bench_build package
fi
{
    echo "pharos:"
    echo "  node: {name: vp1, source-address: $addr, data-dir: $tmp/data}"
    echo "  regions:"
    for r in $(seq 1 $regions); do
        echo "    r$r:"
        echo "      load-balancer: {ipv4: $(bench_ok_address $((3 * r - 2))), port: $lb_port}"
        echo "      backends:"
        echo "        - {name: web1, address: $(bench_ok_address $((3 * r - 1))), port: $lb_port}"
        echo "        - {name: web2, address: $(bench_ok_address $((3 * r))), port: $lb_port}"
    done
    echo "  records:"
    echo "    - {name: cdn.example.test, type: round-robin, ttl: 5}"
    echo "  dns:"
    echo "    provider: embedded"
    echo "    zone: example.test"
    echo "    embedded:"
    echo "      listen: [$addr]"
    echo "      port: $dns_port"
    echo "      glue: {ns1.example.test: [$addr]}"
} >"$tmp/vp.yaml"
admin_token=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')

# start JAVA OPTIONS LOG [SECONDS]: one start; prints "dns live ready" (ms since process start),
# and with SECONDS keeps it running that long after ready (a training run)
start() {
    local java="$1" options="$2" log="$3" hold="${4:-0}"
    rm -rf "$tmp/data"
    HOLD_SECONDS="$hold" PHAROS_API_ADMIN_TOKEN="$admin_token" JAVA_TOOL_OPTIONS="$options" \
        python3 bench/startup/poll.py "$addr" "$dns_port" example.test \
        "http://$addr:$management_port/q/health" "$LIMIT" -- \
        "$java" -XX:+ExitOnOutOfMemoryError -Dquarkus.config.locations="$tmp/vp.yaml" \
        -Dquarkus.http.host="$addr" -Dquarkus.http.port="$http_port" \
        -Dquarkus.management.host="$addr" -Dquarkus.management.port="$management_port" \
        -jar "$jar" 2>"$log"
}

sets=("shipped|$JAVA17|$shipped")
# the archive Quarkus makes at build time (quarkus.package.jar.appcds.enabled=true: classes loaded
# up to the end of static initialisation), where the build made one
cds="$BENCH_REPO/target/quarkus-app/app-cds.jsa"
[ -f "$cds" ] && sets+=("quarkus-appcds|$JAVA17|$shipped -XX:SharedArchiveFile=$cds")
echo "== training run: AppCDS archive (Java 17)"
start "$JAVA17" "$shipped -XX:ArchiveClassesAtExit=$tmp/app.jsa" "$tmp/train17.log" "$TRAIN_SECONDS" >/dev/null
if [ -s "$tmp/app.jsa" ]; then
    sets+=("appcds|$JAVA17|$shipped -XX:SharedArchiveFile=$tmp/app.jsa")
else
    echo "run.sh: no AppCDS archive made; see $tmp/train17.log" >&2
fi
if [ -x "$JAVA25" ]; then
    sets+=("java25|$JAVA25|$shipped")
    echo "== training run: AOT cache (Java 25)"
    start "$JAVA25" "$shipped -XX:AOTCacheOutput=$tmp/app.aot" "$tmp/train25.log" "$TRAIN_SECONDS" >/dev/null
    [ -s "$tmp/app.aot" ] && sets+=("java25-aot|$JAVA25|$shipped -XX:AOTCache=$tmp/app.aot")
fi
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
for round in $(seq 1 "$ROUNDS"); do
    for set in "${sets[@]}"; do
        IFS='|' read -r label java options <<<"$set"
        read -r dns live ready < <(start "$java" "$options" "$tmp/run.log")
        started=$({ grep -ao 'started in [0-9.]*s' "$tmp/run.log" || true; } | grep -o '[0-9.]*' | awk '{printf "%.0f", $1 * 1000}')
        rows+=("| $label | $round | $dns | $live | $ready | ${started:--} | $(cut -d' ' -f1 /proc/loadavg) |")
        echo "$label $dns $live $ready ${started:--1}" >>"$tmp/data.txt"
        echo "${rows[-1]}"
    done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

median() { sort -n | awk '$1 >= 0 {a[n++] = $1} END {if (n == 0) print "-"; else if (n % 2) print a[int(n / 2)]; else print int((a[n / 2 - 1] + a[n / 2]) / 2)}'; }
{
    echo "# Start-up of a vantage point"
    echo
    echo "Generated by \`ROUNDS=$ROUNDS bench/startup/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores,"
    echo "$("$JAVA17" -version 2>&1 | head -1)$([ -x "$JAVA25" ] && echo "; $("$JAVA25" -version 2>&1 | head -1)")."
    echo "Load average (1/5/15 min) at the start: $load_start; at the end: $load_end (the machine was"
    echo "shared with other builds and tests)."
    echo
    echo "One Pharos process, no peers, $((regions * 3)) targets once a second (HAProxy on loopback), the embedded DNS"
    echo "server on; each set started $ROUNDS times, the sets alternating. Times in ms from process start"
    echo "(Python's subprocess start): the name server's first answer to an SOA query (asked every 20 ms),"
    echo "/q/health/live and /q/health/ready (polled every 20 ms), and Quarkus's \"started in\"."
    echo "Training runs (not in the table) ran $TRAIN_SECONDS s after ready and stopped with SIGTERM."
    echo
    for set in "${sets[@]}"; do
        IFS='|' read -r label java options <<<"$set"
        options=${options//$tmp/\$tmp}
        echo "- $label: \`$java\` with \`JAVA_TOOL_OPTIONS=${options//$BENCH_REPO\//}\`"
    done
    echo
    echo "| settings | start | -> first DNS answer | -> live | -> ready | Quarkus \"started in\" | load (1 min) |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Medians:"
    echo
    echo "| settings | -> first DNS answer | -> live | -> ready | \"started in\" |"
    echo "|---|---:|---:|---:|---:|"
    for set in "${sets[@]}"; do
        IFS='|' read -r label _ _ <<<"$set"
        m=""
        for col in 2 3 4 5; do
            m="$m | $(awk -v l="$label" -v c="$col" '$1 == l {print $c}' "$tmp/data.txt" | median)"
        done
        echo "| $label$m |"
    done
} >"$OUT"
echo "== wrote $OUT"
cat "$OUT"
