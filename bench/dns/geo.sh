#!/usr/bin/env bash
# Benchmark: geo-record queries with EDNS Client Subnet against round-robin queries, the same
# embedded server (StandaloneDnsServer), the same run, alternating; and in the same run the same
# geo answer from gdnsd's geoip plugin and Knot's geoip module (knot-module-geoip; skipped when
# not installed), and Knot's static answer, with p50/p99 latency at a fixed rate. Loopback only.
# Writes bench/results/dns-geo.md. See bench/dns/README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

DURATION="${DURATION:-10}"        # seconds per throughput run
WARMUP="${WARMUP:-5}"             # seconds of warm-up per query kind
ROUNDS="${ROUNDS:-3}"             # alternating rounds; the table shows every round and the median
OUTSTANDING="${OUTSTANDING:-100}" # dnsperf -q
PHAROS_PORT="${PHAROS_PORT:-53533}"
GDNSD_PORT="${GDNSD_PORT:-53536}"
KNOT_PORT="${KNOT_PORT:-53537}"
LATENCY_QPS="${LATENCY_QPS:-10000}"    # fixed rate of the latency runs (dnsperf -Q)
LATENCY_SECONDS="${LATENCY_SECONDS:-5}"
COMPARE="${COMPARE:-1}"                # 0: Pharos alone, no gdnsd or Knot
OUT="${OUT:-$repo/bench/results/dns-geo.md}"
ALLOC_QUERIES="${ALLOC_QUERIES:-200000}" # queries per kind for the allocation figures (0: skip)

for tool in dnsperf java perl mmdblookup; do
    command -v "$tool" >/dev/null || { echo "geo.sh: $tool is missing" >&2; exit 1; }
done

work="$(mktemp -d /tmp/pharos-dns-geo.XXXXXX)"
pid=""
gdnsd_pid=""
knot_pid=""
cleanup() {
    for p in "$pid" "$gdnsd_pid" "$knot_pid"; do
        [[ -n $p ]] && { kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; }
    done
    rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=bench/lib.sh
. "$here/../lib.sh"
# BENCH_CP given: that classpath (target/bench-classes first), where Maven's dependency plugin is
# not in the offline cache and bench_build cannot list the dependencies
if [[ -z ${BENCH_CP:-} ]]; then
    bench_build classes
fi

# a location database with one network per continent (test data, written here)
perl - "$work/country.mmdb" <<'PERL'
use strict; use warnings;
use MaxMind::DB::Writer::Tree;
my %types = (country => 'map', continent => 'map', iso_code => 'utf8_string', code => 'utf8_string');
my $tree = MaxMind::DB::Writer::Tree->new(ip_version => 6, record_size => 24,
    database_type => 'Pharos-Bench-Country', languages => ['en'], description => { en => 'bench' },
    alias_ipv6_to_ipv4 => 1, remove_reserved_networks => 0, map_key_type_callback => sub { $types{ $_[0] } });
my @c = (['FR','EU'], ['ZA','AF'], ['JP','AS'], ['AU','OC'], ['US','NA'], ['BR','SA']);
for my $i (0..$#c) {
    $tree->insert_network("203.0.113." . ($i * 32) . "/27",
        { country => { iso_code => $c[$i][0] }, continent => { code => $c[$i][1] } });
}
open my $fh, '>:raw', $ARGV[0] or die; $tree->write_tree($fh); close $fh;
PERL

cat > "$work/pharos.yaml" <<YAML
pharos:
  node: {name: bench}
  regions:
    europe: {load-balancer: {ipv4: 127.0.1.1}, fallback: [americas, apac]}
    apac: {load-balancer: {ipv4: 127.0.2.1}, fallback: [europe, americas]}
    americas: {load-balancer: {ipv4: 127.0.3.1}, fallback: [europe, apac]}
  records:
    - {name: cdn.example.test, type: round-robin, ttl: 1}
    - {name: www.example.test, type: geo, ttl: 1}
  dns:
    zone: example.test
    embedded:
      listen: [127.0.0.1]
      port: $PHAROS_PORT
      glue: {ns1: [127.0.0.1]}
      apex-ttl: 1
      negative-ttl: 1
      geo-database: $work/country.mmdb
YAML

echo "== starting Pharos on 127.0.0.1:$PHAROS_PORT"
java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "$BENCH_CP" dev.pharos.bench.dns.StandaloneDnsServer "$work/pharos.yaml" \
    > "$work/pharos.log" 2>&1 &
pid=$!

# the same map for gdnsd's geoip plugin and Knot's geoip module, from the same database
knot_geoip="$(compgen -G '/usr/lib/*/knot/modules-*/geoip.so' | head -1 || true)"
servers=(pharos)
if [[ $COMPARE == 1 ]]; then
    command -v gdnsd >/dev/null || { echo "geo.sh: gdnsd is missing (COMPARE=0 to skip)" >&2; exit 1; }
    command -v knotd >/dev/null || { echo "geo.sh: knotd is missing (COMPARE=0 to skip)" >&2; exit 1; }
    mkdir -p "$work/gdnsd/zones" "$work/gdnsd/run" "$work/gdnsd/state"
    # shellcheck disable=SC2016 # $TTL is the zone file's
    printf '$TTL 1\n@ SOA ns1 hostmaster 1 3600 600 86400 1\n@ NS ns1\nns1 A 127.0.0.1\nwww 1 DYNA geoip!www\n' \
        > "$work/gdnsd/zones/example.test"
    cat > "$work/gdnsd/config" <<GDNSD
options => {
  listen => [ 127.0.0.1:$GDNSD_PORT ]
  run_dir => $work/gdnsd/run
  state_dir => $work/gdnsd/state
  min_ttl => 1
  zones_default_ttl => 1
  edns_client_subnet => true
}
plugins => {
  geoip => {
    maps => {
      m => {
        geoip2_db => $work/country.mmdb
        datacenters => [europe, apac, americas]
        map => {
          default => [europe, americas, apac]
          EU => [europe, americas, apac]
          AF => [europe, americas, apac]
          AS => [apac, europe, americas]
          OC => [apac, europe, americas]
          NA => [americas, europe, apac]
          SA => [americas, europe, apac]
        }
      }
    }
    resources => {
      www => {
        map => m
        service_types => up
        dcmap => { europe => 127.0.1.1, apac => 127.0.2.1, americas => 127.0.3.1 }
      }
    }
  }
}
GDNSD
    gdnsd -c "$work/gdnsd" -f start > "$work/gdnsd.log" 2>&1 &
    gdnsd_pid=$!
    servers+=(gdnsd)

    mkdir -p "$work/knot/run" "$work/knot/db" "$work/knot/zones"
    {
        # shellcheck disable=SC2016 # $TTL is the zone file's
        printf '$TTL 1\n@ SOA ns1 hostmaster 1 3600 600 86400 1\n@ NS ns1\nns1 A 127.0.0.1\n'
        for a in 127.0.1.1 127.0.2.1 127.0.3.1; do printf 'cdn A %s\nwww A %s\n' "$a" "$a"; done
    } > "$work/knot/zones/example.test.zone"
    module=""
    if [[ -n $knot_geoip ]]; then
        # Knot's geoip module: one answer per continent, no health; the zone's www otherwise
        cat > "$work/knot/geo.conf" <<'GEO'
www.example.test:
  - geo: "EU"
    A: 127.0.1.1
  - geo: "AF"
    A: 127.0.1.1
  - geo: "AS"
    A: 127.0.2.1
  - geo: "OC"
    A: 127.0.2.1
  - geo: "NA"
    A: 127.0.3.1
  - geo: "SA"
    A: 127.0.3.1
GEO
        module="    module: mod-geoip/geo"
    fi
    {
        cat <<KNOT
server:
  rundir: "$work/knot/run"
  listen: 127.0.0.1@$KNOT_PORT
  edns-client-subnet: on
database:
  storage: "$work/knot/db"
KNOT
        if [[ -n $knot_geoip ]]; then
            cat <<KNOT
mod-geoip:
  - id: geo
    config-file: "$work/knot/geo.conf"
    ttl: 1
    mode: geodb
    geodb-file: "$work/country.mmdb"
    geodb-key: [ continent/code ]
KNOT
        fi
        cat <<KNOT
zone:
  - domain: example.test
    storage: "$work/knot/zones"
    file: "example.test.zone"
$module
KNOT
    } > "$work/knot/knot.conf"
    knotd -c "$work/knot/knot.conf" > "$work/knot.log" 2>&1 &
    knot_pid=$!
    servers+=(knot)
fi
port_of() {
    case "$1" in
        pharos) echo "$PHAROS_PORT" ;;
        gdnsd) echo "$GDNSD_PORT" ;;
        knot) echo "$KNOT_PORT" ;;
    esac
}

printf 'cdn.example.test A\n' > "$work/rr.txt"
printf 'www.example.test A\n' > "$work/geo.txt"
# ECS: option 8, family 1, source 27, scope 0, 203.0.113.0 (EU) - dnsperf sends it on every query
ECS="8:00011b00cb007100"
for server in "${servers[@]}"; do
    bench_dns_wait "$(port_of "$server")" "$work/rr.txt" 150
done

# the geo answer with ECS must be europe's (and americas' for a South American subnet, so that a
# server answering one static address would be caught): check it on each server before measuring
for server in "${servers[@]}"; do
    [[ $server == knot && -z $knot_geoip ]] && continue
    check="$(dig +subnet=203.0.113.0/27 -p "$(port_of "$server")" @127.0.0.1 www.example.test A +short)"
    [[ $check == 127.0.1.1 ]] || { echo "geo.sh: $server: unexpected geo answer: $check" >&2; exit 1; }
    check="$(dig +subnet=203.0.113.160/27 -p "$(port_of "$server")" @127.0.0.1 www.example.test A +short)"
    [[ $check == 127.0.3.1 ]] || { echo "geo.sh: $server: unexpected geo answer: $check" >&2; exit 1; }
done

kinds=(rr geo-ecs geo-source)
if [[ $COMPARE == 1 ]]; then
    kinds+=(gdnsd-geo-ecs knot-static)
    [[ -n $knot_geoip ]] && kinds+=(knot-geo-ecs)
fi
args() {
    case "$1" in
        rr) echo "-p $PHAROS_PORT -d $work/rr.txt" ;;
        geo-ecs) echo "-p $PHAROS_PORT -d $work/geo.txt -E $ECS" ;;
        geo-source) echo "-p $PHAROS_PORT -d $work/geo.txt" ;;
        gdnsd-geo-ecs) echo "-p $GDNSD_PORT -d $work/geo.txt -E $ECS" ;;
        knot-static) echo "-p $KNOT_PORT -d $work/rr.txt" ;;
        knot-geo-ecs) echo "-p $KNOT_PORT -d $work/geo.txt -E $ECS" ;;
    esac
}
echo "== warm-up"
for k in "${kinds[@]}"; do
    # shellcheck disable=SC2046
    bench_dnsperf $(args "$k") -q "$OUTSTANDING" -l "$WARMUP" >/dev/null
done
declare -A qps
for round in $(seq 1 "$ROUNDS"); do
    for k in "${kinds[@]}"; do
        # shellcheck disable=SC2046
        out="$(bench_dnsperf $(args "$k") -q "$OUTSTANDING" -l "$DURATION")"
        qps[$k,$round]="$(bench_dnsperf_field "$out" 'Queries per second')"
        echo "round $round $k: ${qps[$k,$round]} q/s"
    done
done
# latency percentiles at a fixed rate, from dnsperf's per-query output (-v), as bench/dns/run.sh
declare -A pct
for k in "${kinds[@]}"; do
    [[ $k == geo-source ]] && continue
    # shellcheck disable=SC2046
    pct[$k]="$(bench_dnsperf_latency "50 90 99" $(args "$k") -l "$LATENCY_SECONDS" -Q "$LATENCY_QPS")"
    echo "latency $k: ${pct[$k]}"
done

alloc=""
if [[ $ALLOC_QUERIES -gt 0 ]]; then
    echo "== bytes allocated per query (QueryAllocation, no sockets)"
    alloc="$(java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$BENCH_CP" \
        dev.pharos.bench.dns.QueryAllocation "$work/pharos.yaml" "$ALLOC_QUERIES")"
    echo "$alloc"
fi

{
    echo "# DNS benchmark: geo records against round-robin, the embedded server"
    echo
    echo "Generated by \`bench/dns/geo.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores,"
    echo "$(dnsperf -h 2>&1 | sed -n 's/^Version /dnsperf /p'), $(java -version 2>&1 | head -1)."
    echo "Server, dnsperf and anything else running share the cores: relative figures only."
    echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    echo "One StandaloneDnsServer (no Quarkus, no probing), three regions, \`cdn\` round-robin and"
    echo "\`www\` geo with the built-in continent map and a location database written by the script."
    echo "Throughput: \`dnsperf -l $DURATION -q $OUTSTANDING\`, after a $WARMUP s warm-up of each kind;"
    echo "$ROUNDS rounds alternating the kinds."
    echo
    echo "- rr: \`cdn.example.test A\` (answer cache hit)"
    echo "- geo-ecs: \`www.example.test A\` with \`-E $ECS\` (Client Subnet 203.0.113.0/27, Europe): located"
    echo "  on every query, answered from the cache entry of the RRset chosen, with the client's ECS option and scope 27"
    echo "- geo-source: \`www.example.test A\` without ECS (located by the source address 127.0.0.1: unknown)"
    if [[ $COMPARE == 1 ]]; then
        echo "- gdnsd-geo-ecs: the same geo query to $(gdnsd -V 2>&1 | grep -o 'gdnsd version [^ ]*' | head -1)'s geoip plugin, the same map"
        echo "  and database (\`edns_client_subnet => true\`, every datacenter up)"
        echo "- knot-static: \`cdn.example.test A\` to $(knotd --version 2>&1 | head -1), a static RRset of three addresses"
        if [[ -n $knot_geoip ]]; then
            echo "- knot-geo-ecs: the same geo query to Knot's geoip module (\`mode: geodb\`, \`geodb-key: [continent/code]\`,"
            echo "  \`edns-client-subnet: on\`), one answer per continent (no health checks: not comparable in function)"
        else
            echo "- knot-geo-ecs: not run, Knot's geoip module is not installed (apt-get install knot-module-geoip)"
        fi
    fi
    echo
    printf '| kind | median q/s |'; for r in $(seq 1 "$ROUNDS"); do printf ' round %s |' "$r"; done; echo
    printf '|---|---:|'; for _ in $(seq 1 "$ROUNDS"); do printf -- '---:|'; done; echo
    for k in "${kinds[@]}"; do
        vals=(); for r in $(seq 1 "$ROUNDS"); do vals+=("${qps[$k,$r]}"); done
        printf '| %s | %s |' "$k" "$(bench_median "${vals[@]}")"
        for v in "${vals[@]}"; do printf ' %s |' "$v"; done; echo
    done
    echo
    # shellcheck disable=SC2046 # one value a word
    rr="$(bench_median $(for r in $(seq 1 "$ROUNDS"); do echo "${qps[rr,$r]}"; done))"
    # shellcheck disable=SC2046 # one value a word
    ge="$(bench_median $(for r in $(seq 1 "$ROUNDS"); do echo "${qps[geo-ecs,$r]}"; done))"
    echo "geo with ECS / round-robin (medians): $(awk -v a="$ge" -v b="$rr" 'BEGIN {printf "%.2f", a / b}') (target >= 0.8)."
    echo
    echo "Latency at a fixed rate: \`dnsperf -Q $LATENCY_QPS -l $LATENCY_SECONDS -v\` per kind, after the rounds,"
    echo "percentiles of the per-query latencies dnsperf prints (µs):"
    echo
    echo "| kind | p50 (µs) | p90 (µs) | p99 (µs) |"
    echo "|---|---:|---:|---:|"
    for k in "${kinds[@]}"; do
        [[ -n ${pct[$k]:-} ]] && echo "| $k | ${pct[$k]} |"
    done
    if [[ -n $alloc ]]; then
        echo
        echo "Bytes allocated per query on the query path (\`dev.pharos.bench.dns.QueryAllocation\`: bytes in,"
        echo "bytes out, no sockets; $ALLOC_QUERIES queries per kind after as many to warm up; the JVM's"
        echo "per-thread allocation counter; ns/query is one thread on shared cores, for information):"
        echo
        echo '```'
        echo "$alloc"
        echo '```'
    fi
} > "$OUT"
cat "$OUT"
