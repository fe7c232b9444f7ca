#!/usr/bin/env bash
# Linode under a tight rate limit: requests and time per failover and recovery, and the time to
# converge after a 429 storm, with one Pharos process and with three on one token, against the
# Linode emulator (every exchange checked against Linode's API description) and real HAProxy
# relays on loopback. TRIALS (default 3), STORM seconds (default 45: above the client's 30 s cap),
# LIMIT requests per WINDOW seconds per token (default 20 per 10). Writes bench/results/linode.md
# (OUT to change). The harness is dev.pharos.bench.linode.LinodeBench (bench/src/main/java).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_build package
exec java -cp "$BENCH_CP" -Dpharos.jar="$BENCH_REPO/target/quarkus-app/quarkus-run.jar" \
    dev.pharos.bench.linode.LinodeBench "${TRIALS:-3}" "${STORM:-45}" "${LIMIT:-20}" \
    "${WINDOW:-10}" "${OUT:-$BENCH_REPO/bench/results/linode.md}"
