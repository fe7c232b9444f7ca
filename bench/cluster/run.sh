#!/usr/bin/env bash
# The cluster benchmark: writer killed (SIGKILL) -> the new writer's first write and first apply,
# with three Pharos processes, a three-member etcd cluster (Debian's etcd-server) and BIND, at the
# default lease TTL (10 s) and at a short one (SHORT_TTL, 3 s); and a drain sent to one instance
# -> all three embedded name servers answer without the region. Writes bench/results/cluster.md
# (OUT to change). About 30 minutes with 20 trials; CI does not run it.
#
#   bench/cluster/run.sh                          # 20 trials each
#   TRIALS=2 SHORT_TTL=2 bench/cluster/run.sh     # a quick look
#
# Needs etcd-server, bind9 and bind9-dnsutils, and root (named). Only loopback addresses are
# used (127.0.9.x for the instances, 127.0.94.x for etcd, 127.0.76-77.x for the regions); run it
# in a namespace of its own to be sure: unshare -n -- bash -c 'ip link set lo up && bench/cluster/run.sh'
# The harness is dev.pharos.bench.cluster.ClusterBench (bench/src/main/java).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_build package
exec java -cp "$BENCH_CP" -Dpharos.jar="$BENCH_REPO/target/quarkus-app/quarkus-run.jar" \
    dev.pharos.bench.cluster.ClusterBench "${TRIALS:-20}" "${SHORT_TTL:-3}" \
    "${OUT:-$BENCH_REPO/bench/results/cluster.md}"
