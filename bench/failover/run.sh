#!/usr/bin/env bash
# The failover benchmark: Pharos, PowerDNS LUA records and gdnsd watching the same three-region CDN
# on loopback, in the same run, every DNS answer polled every 50 ms while faults are injected.
# Writes bench/results/failover.md, failover.png and failover-trials.csv. Needs root (BIND, gdnsd,
# PowerDNS, nftables) and ../shared/peers beside the repository. See bench/failover/README.md.
#
#   bench/failover/run.sh                 # full: 20 trials, 2 min of packet loss, gdnsd defaults
#   bench/failover/run.sh --soak          # the same with 10 min of packet loss
#   bench/failover/run.sh --quick         # what CI runs: 3 trials, a few minutes
#   bench/failover/run.sh --trials 10 --slow-trials 2
#
# Everything listens on 127.0.0.0/8 only. The Java harness (dev.pharos.bench.failover, in
# bench/src/main/java) records the PID of every process it starts in $WORK/pids; whatever is still
# listed there when this script exits is killed by PID.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${WORK:-$repo/bench/results/tmp/failover}"
out="${OUT:-$repo/bench/results}"

[ "$(id -u)" -eq 0 ] || { echo "run.sh: run as root (BIND, gdnsd, PowerDNS, nftables)" >&2; exit 1; }
[ -d "$repo/../shared/peers" ] || {
    echo "run.sh: $repo/../shared/peers not found: the PowerDNS and gdnsd reference settings are" \
        "read from there at run time (never copied into the repository)" >&2
    exit 1
}
missing=()
for tool in haproxy pdns_server gdnsd named python3 gnuplot nft java stress-ng taskset; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "run.sh: missing ${missing[*]}; apt-get install -y haproxy pdns-server pdns-backend-bind" \
        "gdnsd bind9 python3 gnuplot-nox nftables stress-ng openjdk-17-jdk-headless" >&2
    exit 1
fi

echo "== building Pharos and the benchmark harness (offline)"
mkdir -p "$work"
# shellcheck source=bench/lib.sh
. "$here/../lib.sh"
bench_build package
# without the dependency plugin offline, bench_build has the classpath only in BENCH_CP
[ -f "$repo/target/bench-classpath.txt" ] || printf '%s\n' "$BENCH_CP" >"$repo/target/bench-classpath.txt"
# the run uses a copy, so that building in this tree meanwhile cannot change what it restarts
runtime="$work/../failover-runtime"
rm -rf "$runtime"
mkdir -p "$runtime"
cp -r "$repo/target/quarkus-app" "$repo/target/classes" "$repo/target/test-classes" \
    "$repo/target/bench-classes" "$repo/target/bench-classpath.txt" "$runtime/"
cp="$runtime/bench-classes:$runtime/test-classes:$runtime/classes"
cp="$cp:$(cat "$runtime/bench-classpath.txt")"

jpid=""
cleanup() {
    local code=$?
    if [ -n "$jpid" ] && kill -0 "$jpid" 2>/dev/null; then
        kill "$jpid" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$jpid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$jpid" 2>/dev/null || true
    fi
    if [ -d "$work/pids" ]; then
        for f in "$work"/pids/*; do
            [ -e "$f" ] || continue
            pid="$(cat "$f")"
            if kill -0 "$pid" 2>/dev/null; then
                echo "run.sh: stopping $(basename "$f") (pid $pid), left behind"
                kill -CONT "$pid" 2>/dev/null || true
                kill -9 "$pid" 2>/dev/null || true
            fi
            rm -f "$f"
        done
    fi
    if [ -n "$jpid" ]; then
        nft delete table inet "pharos_it_$jpid" 2>/dev/null || true
    fi
    exit "$code"
}
trap cleanup EXIT INT TERM

cd "$repo"
java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Xmx512m -cp "$cp" \
    dev.pharos.bench.failover.FailoverBench --repo "$repo" --out "$out" --work "$work" \
    --jar "$runtime/quarkus-app/quarkus-run.jar" \
    --command "bench/failover/run.sh $*" "$@" &
jpid=$!
wait "$jpid"
