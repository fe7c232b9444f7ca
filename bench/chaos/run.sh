#!/usr/bin/env bash
# The randomized fault soak: three vantage points (each its own embedded name server), three regions
# (HAProxy and two backends each), faults from a seeded schedule, every name server asked every 50
# ms, and the history judged afterwards against the invariants. Writes bench/results/chaos.md (OUT
# to change) and keeps the history in target/chaos/history.jsonl (re-judge it with
# dev.pharos.bench.chaos.ChaosCheck). Exits 1 if any invariant was violated.
#
#   bench/chaos/run.sh                          # 30 minutes, a seed from the clock
#   SEED=14 DURATION=180 bench/chaos/run.sh     # what CI runs (ChaosSoakIT)
#
# Needs haproxy and python3; partitions (nftables) and the writers (etcd, RFC 2136 to BIND: named
# and etcd installed) only as root. As root it runs in a network namespace of its own (unshare -n),
# so its nftables table, its processes' addresses and ports go with it. Only 127.0.0.0/8 is used:
# 127.0.9.1-3 for the vantage points, 127.0.9.4-6 for the writers, 127.0.94.1-3 for etcd,
# 127.0.95.1-3 for the writers' DNS proxies, 127.0.0.1 for BIND, 127.0.61-63.x for the regions.
# The harness is dev.pharos.bench.chaos.Chaos (bench/src/main/java).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
SEED="${SEED:-$(date +%s)}"
DURATION="${DURATION:-1800}"
WORK="${WORK:-$BENCH_REPO/target/chaos}"
OUT="${OUT:-$BENCH_REPO/bench/results/chaos.md}"
bench_build package
rm -rf "$WORK"
mkdir -p "$WORK"
run=(java -cp "$BENCH_CP" -Dpharos.jar="$BENCH_REPO/target/quarkus-app/quarkus-run.jar"
    dev.pharos.bench.chaos.Chaos "$SEED" "$DURATION" "$WORK" "$BENCH_REPO/bench/failover/backend.py" "$OUT")
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
    # a namespace of its own: its nftables table and processes' addresses cannot outlive it
    exec unshare -n -- bash -c 'ip link set lo up && exec "$@"' chaos "${run[@]}"
fi
exec "${run[@]}"
