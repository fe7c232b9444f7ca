#!/usr/bin/env bash
# Time from verdict to BIND serving the change, over 20 trials (TRIALS to change), with one
# Pharos process using the RFC 2136 provider and a real BIND on loopback. Writes
# bench/results/rfc2136.md (OUT to change). Needs root (named -g); builds the jar offline.
# The harness is dev.pharos.bench.Rfc2136Bench (bench/src/main/java).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_build package
exec java -cp "$BENCH_CP" -Dpharos.jar="$BENCH_REPO/target/quarkus-app/quarkus-run.jar" \
    dev.pharos.bench.Rfc2136Bench "${TRIALS:-20}" "${OUT:-$BENCH_REPO/bench/results/rfc2136.md}"
