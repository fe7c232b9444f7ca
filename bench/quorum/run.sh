#!/bin/sh
# The quorum benchmark: death-to-verdict times over many trials (refused and SIGSTOP-hang) with
# three Pharos processes, and the peer-exchange overhead with 3 and 7 processes. Writes
# bench/results/quorum.md. Takes about 10 minutes; CI does not run it.
#
#   bench/quorum/run.sh                  # 20 trials each
#   TRIALS=5 OVERHEAD_SECONDS=10 bench/quorum/run.sh   # a quick look
#
# Only loopback addresses are used (127.0.9.x for the instances, 127.0.1-3.x for the regions).
set -eu
cd "$(dirname "$0")/../.."
exec ./mvnw -B -o verify \
  -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=QuorumBenchIT -Dpharos.bench=true \
  -Dpharos.bench.trials="${TRIALS:-20}" \
  -Dpharos.bench.overhead-seconds="${OVERHEAD_SECONDS:-30}" \
  -Dpharos.bench.out="$(pwd)/bench/results/quorum.md"
