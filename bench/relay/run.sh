#!/usr/bin/env bash
# Relay timings: backends die -> first relayed 200 (10 trials, TRIALS to change), and the extra
# latency of a relayed request, with real HAProxy load balancers and relays on loopback and one
# Pharos process driving them. Writes bench/results/relay.md (OUT to change).
# The harness is dev.pharos.bench.RelayBench (bench/src/main/java).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_build package
exec java -cp "$BENCH_CP" -Dpharos.jar="$BENCH_REPO/target/quarkus-app/quarkus-run.jar" \
    dev.pharos.bench.RelayBench "${TRIALS:-10}" "${OUT:-$BENCH_REPO/bench/results/relay.md}"
