#!/usr/bin/env bash
# The quorum benchmark: death-to-verdict times over many trials (refused and SIGSTOP-hang) with
# three Pharos processes, and the peer-exchange overhead with 3 and 7 processes. Writes
# bench/results/quorum.md (OUT to change). Takes about 10 minutes; CI does not run it.
#
#   bench/quorum/run.sh                  # 20 trials each
#   TRIALS=5 OVERHEAD_SECONDS=10 bench/quorum/run.sh   # a quick look
#
# Only loopback addresses are used (127.0.9.x for the instances, 127.0.1-3.x for the regions).
# The harness is dev.pharos.bench.quorum.QuorumBench (bench/src/main/java).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_build package
exec java -cp "$BENCH_CP" -Dpharos.jar="$BENCH_REPO/target/quarkus-app/quarkus-run.jar" \
    dev.pharos.bench.quorum.QuorumBench "${TRIALS:-20}" "${OVERHEAD_SECONDS:-30}" \
    "${OUT:-$BENCH_REPO/bench/results/quorum.md}"
