#!/usr/bin/env bash
# Benchmark: geo-record queries with EDNS Client Subnet against round-robin queries, the same
# embedded server (StandaloneDnsServer), the same run, alternating. Loopback only.
# Writes bench/results/dns-geo.md. See bench/dns/README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

DURATION="${DURATION:-10}"        # seconds per throughput run
WARMUP="${WARMUP:-5}"             # seconds of warm-up per query kind
ROUNDS="${ROUNDS:-3}"             # alternating rounds; the table shows every round and the median
OUTSTANDING="${OUTSTANDING:-100}" # dnsperf -q
PHAROS_PORT="${PHAROS_PORT:-53533}"
OUT="${OUT:-$repo/bench/results/dns-geo.md}"
ALLOC_QUERIES="${ALLOC_QUERIES:-200000}" # queries per kind for the allocation figures (0: skip)

for tool in dnsperf java perl mmdblookup; do
    command -v "$tool" >/dev/null || { echo "geo.sh: $tool is missing" >&2; exit 1; }
done

work="$(mktemp -d /tmp/pharos-dns-geo.XXXXXX)"
pid=""
cleanup() {
    [[ -n $pid ]] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
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

printf 'cdn.example.test A\n' > "$work/rr.txt"
printf 'www.example.test A\n' > "$work/geo.txt"
# ECS: option 8, family 1, source 27, scope 0, 203.0.113.0 (EU) - dnsperf sends it on every query
ECS="8:00011b00cb007100"
for _ in $(seq 1 150); do
    dnsperf -s 127.0.0.1 -p "$PHAROS_PORT" -d "$work/rr.txt" -n 1 -t 1 2>/dev/null \
        | grep -q 'Queries completed:.*(100.00%)' && break
    sleep 0.2
done

perf() { dnsperf -s 127.0.0.1 -p "$PHAROS_PORT" -q "$OUTSTANDING" "$@" 2>&1; }
field() { sed -n "s/^ *$2: *\([0-9.]*\).*/\1/p" <<<"$1" | head -1; }

# the geo answer with ECS must be europe's, with the scope: check it before measuring
check="$(dig +subnet=203.0.113.0/27 -p "$PHAROS_PORT" @127.0.0.1 www.example.test A)"
grep -q '127.0.1.1' <<<"$check" || { echo "geo.sh: unexpected geo answer: $check" >&2; exit 1; }

kinds=(rr geo-ecs geo-source)
args() {
    case "$1" in
        rr) echo "-d $work/rr.txt" ;;
        geo-ecs) echo "-d $work/geo.txt -E $ECS" ;;
        geo-source) echo "-d $work/geo.txt" ;;
    esac
}
echo "== warm-up"
for k in "${kinds[@]}"; do
    # shellcheck disable=SC2046
    perf $(args "$k") -l "$WARMUP" >/dev/null
done
declare -A qps
for round in $(seq 1 "$ROUNDS"); do
    for k in "${kinds[@]}"; do
        # shellcheck disable=SC2046
        out="$(perf $(args "$k") -l "$DURATION")"
        qps[$k,$round]="$(field "$out" 'Queries per second')"
        echo "round $round $k: ${qps[$k,$round]} q/s"
    done
done
alloc=""
if [[ $ALLOC_QUERIES -gt 0 ]]; then
    echo "== bytes allocated per query (QueryAllocation, no sockets)"
    alloc="$(java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$BENCH_CP" \
        dev.pharos.bench.dns.QueryAllocation "$work/pharos.yaml" "$ALLOC_QUERIES")"
    echo "$alloc"
fi
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

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
    echo
    printf '| kind | median q/s |'; for r in $(seq 1 "$ROUNDS"); do printf ' round %s |' "$r"; done; echo
    printf '|---|---:|'; for _ in $(seq 1 "$ROUNDS"); do printf -- '---:|'; done; echo
    for k in "${kinds[@]}"; do
        vals=(); for r in $(seq 1 "$ROUNDS"); do vals+=("${qps[$k,$r]}"); done
        printf '| %s | %s |' "$k" "$(median "${vals[@]}")"
        for v in "${vals[@]}"; do printf ' %s |' "$v"; done; echo
    done
    echo
    # shellcheck disable=SC2046 # one value a word
    rr="$(median $(for r in $(seq 1 "$ROUNDS"); do echo "${qps[rr,$r]}"; done))"
    # shellcheck disable=SC2046 # one value a word
    ge="$(median $(for r in $(seq 1 "$ROUNDS"); do echo "${qps[geo-ecs,$r]}"; done))"
    echo "geo with ECS / round-robin (medians): $(awk -v a="$ge" -v b="$rr" 'BEGIN {printf "%.2f", a / b}') (target >= 0.8)."
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
