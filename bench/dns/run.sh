#!/usr/bin/env bash
# Benchmark: Pharos's embedded DNS server against Knot DNS, same zone, same dnsperf settings, one
# run. Loopback only. Writes bench/results/dns.md. See bench/dns/README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
shared="$(cd "$repo/.." && pwd)/shared/peers"

DURATION="${DURATION:-15}"        # seconds per throughput run
WARMUP="${WARMUP:-5}"             # seconds of warm-up per server before measuring
ROUNDS="${ROUNDS:-3}"             # alternating rounds; the table shows the median round
CLIENTS="${CLIENTS:-1}"           # dnsperf -c
THREADS="${THREADS:-1}"           # dnsperf -T
OUTSTANDING="${OUTSTANDING:-100}" # dnsperf -q
LATENCY_QPS="${LATENCY_QPS:-10000}" # fixed rate of the latency runs (dnsperf -Q)
LATENCY_SECONDS="${LATENCY_SECONDS:-5}"
KNOT_PORT="${KNOT_PORT:-53531}"
PHAROS_PORT="${PHAROS_PORT:-53532}"
OUT="${OUT:-$repo/bench/results/dns.md}"
# JVM options for the embedded server, e.g. the shipped ones:
#   JVM_OPTIONS="$(sed -n 's/^Environment="JAVA_TOOL_OPTIONS=\(.*\)"$/\1/p' deploy/systemd/pharos.service)"
JVM_OPTIONS="${JVM_OPTIONS:-}"

for tool in dnsperf knotd java; do
    if ! command -v "$tool" >/dev/null; then
        echo "run.sh: $tool is missing (apt-get install dnsperf knot openjdk-17-jdk-headless)" >&2
        exit 1
    fi
done

work="$(mktemp -d /tmp/pharos-dns-bench.XXXXXX)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

echo "== building the harness (offline)"
# shellcheck source=bench/lib.sh
. "$here/../lib.sh"
bench_build classes

# --- Knot: the shared reference templates when they are beside the clone, else the same zone
mkdir -p "$work/knot/run" "$work/knot/db" "$work/knot/zones"
if [[ -f "$shared/knot.conf.tmpl" && -f "$shared/static.zone.tmpl" ]]; then
    sed -e "s#@RUNDIR@#$work/knot#g" -e "s#@PORT@#$KNOT_PORT#g" "$shared/knot.conf.tmpl" \
        > "$work/knot/knot.conf"
    cp "$shared/static.zone.tmpl" "$work/knot/zones/example.test.zone"
    knot_source="shared/peers/knot.conf.tmpl + static.zone.tmpl"
else
    cat > "$work/knot/knot.conf" <<CONF
server:
    rundir: "$work/knot/run"
    listen: 127.0.0.1@$KNOT_PORT
log:
  - target: stderr
    any: info
database:
    storage: "$work/knot/db"
template:
  - id: default
    storage: "$work/knot/zones"
    file: "%s.zone"
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: example.test
CONF
    cat > "$work/knot/zones/example.test.zone" <<'ZONE'
$TTL 1
@     IN SOA ns1.example.test. hostmaster.example.test. 1 3600 600 86400 1
@     IN NS  ns1.example.test.
ns1   IN A   127.0.0.1
cdn 1 IN A   127.0.1.1
cdn 1 IN A   127.0.2.1
cdn 1 IN A   127.0.3.1
ZONE
    knot_source="written by run.sh (shared templates not found)"
fi

# --- Pharos: the same zone as managed records (three regions, one round-robin name)
cat > "$work/pharos.yaml" <<YAML
pharos:
  node: {name: bench}
  regions:
    r1: {load-balancer: {ipv4: 127.0.1.1}}
    r2: {load-balancer: {ipv4: 127.0.2.1}}
    r3: {load-balancer: {ipv4: 127.0.3.1}}
  records:
    - {name: cdn.example.test, type: round-robin, ttl: 1}
  dns:
    zone: example.test
    embedded:
      listen: [127.0.0.1]
      port: $PHAROS_PORT
      glue: {ns1: [127.0.0.1]}
      apex-ttl: 1
      negative-ttl: 1
YAML

echo "== starting knotd on 127.0.0.1:$KNOT_PORT"
knotd -c "$work/knot/knot.conf" > "$work/knot.log" 2>&1 &
pids+=($!)
echo "== starting Pharos on 127.0.0.1:$PHAROS_PORT"
# shellcheck disable=SC2086 # the options are words
java $JVM_OPTIONS -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "$BENCH_CP" dev.pharos.bench.dns.StandaloneDnsServer "$work/pharos.yaml" \
    > "$work/pharos.log" 2>&1 &
pids+=($!)

printf 'cdn.example.test A\n' > "$work/rr.txt"
printf 'nonexistent.example.test A\n' > "$work/nx.txt"

for port in "$KNOT_PORT" "$PHAROS_PORT"; do
    bench_dns_wait "$port" "$work/rr.txt" 100 || { cat "$work"/*.log >&2; exit 1; }
done

perf() { # port file seconds extra-args...
    local port="$1" file="$2" seconds="$3"
    shift 3
    bench_dnsperf -p "$port" -d "$file" -l "$seconds" "$@"
}

echo "== warm-up ($WARMUP s each)"
for port in "$KNOT_PORT" "$PHAROS_PORT"; do
    for f in rr nx; do
        perf "$port" "$work/$f.txt" "$WARMUP" -c "$CLIENTS" -T "$THREADS" -q "$OUTSTANDING" >/dev/null
    done
done

declare -A qps avg maxl lost
for round in $(seq 1 "$ROUNDS"); do
    for f in rr nx; do
        for server in knot pharos; do
            port=$KNOT_PORT
            [[ $server == pharos ]] && port=$PHAROS_PORT
            out="$(perf "$port" "$work/$f.txt" "$DURATION" -c "$CLIENTS" -T "$THREADS" -q "$OUTSTANDING")"
            qps[$server,$f,$round]="$(bench_dnsperf_field "$out" 'Queries per second')"
            avg[$server,$f,$round]="$(bench_dnsperf_field "$out" 'Average Latency (s)')"
            maxl[$server,$f,$round]="$(sed -n 's/.*max \([0-9.]*\)).*/\1/p' <<<"$out" | head -1)"
            lost[$server,$f,$round]="$(sed -n 's/^ *Queries lost: *\([0-9]*\).*/\1/p' <<<"$out")"
            echo "round $round $f $server: ${qps[$server,$f,$round]} q/s, avg ${avg[$server,$f,$round]} s"
        done
    done
done

# latency percentiles at a fixed rate, from dnsperf's per-query output (-v)
declare -A pct
for f in rr nx; do
    for server in knot pharos; do
        port=$KNOT_PORT
        [[ $server == pharos ]] && port=$PHAROS_PORT
        pct[$server,$f]="$(bench_dnsperf_latency "50 90 99 99.9" -p "$port" -d "$work/$f.txt" \
            -l "$LATENCY_SECONDS" -Q "$LATENCY_QPS")"
    done
done

round_of_median() { # server file -> the round whose q/s is the median
    local m r
    local vals=()
    for r in $(seq 1 "$ROUNDS"); do vals+=("${qps[$1,$2,$r]}"); done
    m="$(bench_median "${vals[@]}")"
    for r in $(seq 1 "$ROUNDS"); do
        [[ ${qps[$1,$2,$r]} == "$m" ]] && { echo "$r"; return; }
    done
}

{
    echo "# DNS benchmark: Pharos embedded server vs Knot DNS"
    echo
    echo "Generated by \`bench/dns/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
    echo "($(uname -r)), $(dnsperf -h 2>&1 | sed -n 's/^Version /dnsperf /p'),"
    echo "$(knotd --version 2>&1 | head -1), $(java -version 2>&1 | head -1)."
    echo "Server, dnsperf and anything else running share the cores: these are relative figures."
    echo "The machine was shared with other builds and tests (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))."
    echo "Pharos's JVM options: \`${JVM_OPTIONS:-none, the JVM defaults}\`; it said"
    echo "\`$(grep -m1 '^ready port' "$work/pharos.log")\`."
    echo
    echo "Zone: example.test with \`cdn.example.test\` round-robin over three A records (TTL 1);"
    echo "Knot's zone: $knot_source. Both on 127.0.0.1, UDP, one after the other, alternating."
    echo
    echo "Throughput: \`dnsperf -l $DURATION -c $CLIENTS -T $THREADS -q $OUTSTANDING\` after a"
    echo "${WARMUP} s warm-up of each; $ROUNDS rounds, the median round shown (all rounds below)."
    echo "Latency percentiles: a separate ${LATENCY_SECONDS} s run at a fixed \`-Q $LATENCY_QPS\`"
    echo "q/s with \`-v\` (dnsperf 2.10 reports only average, min, max and stddev itself)."
    echo
    echo "| query | server | q/s | avg latency (ms) | max latency (ms) | lost | p50 (µs) | p90 (µs) | p99 (µs) | p99.9 (µs) |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for f in rr nx; do
        label="managed round-robin (cdn A)"
        [[ $f == nx ]] && label="NXDOMAIN (nonexistent A)"
        for server in knot pharos; do
            r="$(round_of_median "$server" "$f")"
            printf '| %s | %s | %.0f | %.3f | %.3f | %s | %s |\n' "$label" "$server" \
                "${qps[$server,$f,$r]}" "$(awk "BEGIN{print ${avg[$server,$f,$r]}*1000}")" \
                "$(awk "BEGIN{print ${maxl[$server,$f,$r]:-0}*1000}")" "${lost[$server,$f,$r]}" \
                "${pct[$server,$f]}"
        done
    done
    echo
    echo "| query | Pharos / Knot (median q/s) | Pharos / Knot (median of the rounds' ratios) | rounds Pharos ahead |"
    echo "|---|---:|---:|---:|"
    for f in rr nx; do
        label="managed round-robin"
        [[ $f == nx ]] && label="NXDOMAIN"
        k="${qps[knot,$f,$(round_of_median knot "$f")]}"
        p="${qps[pharos,$f,$(round_of_median pharos "$f")]}"
        # each round runs the two back to back: its ratio is the paired comparison, which a
        # burst of other load on the machine moves less than it moves either figure
        ratios=()
        ahead=0
        for r in $(seq 1 "$ROUNDS"); do
            ratios+=("$(awk "BEGIN{print ${qps[pharos,$f,$r]}/${qps[knot,$f,$r]}}")")
            awk "BEGIN{exit !(${qps[pharos,$f,$r]} >= ${qps[knot,$f,$r]})}" && ahead=$((ahead + 1))
        done
        printf '| %s | %.2f | %.2f | %d of %d |\n' "$label" "$(awk "BEGIN{print $p/$k}")" \
            "$(bench_median "${ratios[@]}")" "$ahead" "$ROUNDS"
    done
    echo
    echo "All rounds (q/s):"
    echo
    echo "| query | server | $(seq -s ' | ' 1 "$ROUNDS") |"
    echo "|---|---|$(printf -- '---:|%.0s' $(seq 1 "$ROUNDS"))"
    for f in rr nx; do
        for server in knot pharos; do
            row="| $f | $server |"
            for r in $(seq 1 "$ROUNDS"); do row="$row $(printf '%.0f' "${qps[$server,$f,$r]}") |"; done
            echo "$row"
        done
    done
} > "$OUT"
echo "== wrote $OUT"
cat "$OUT"
