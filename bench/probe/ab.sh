#!/usr/bin/env bash
# Before/after for the probe engine on one machine: runs the ProbeThroughput harness with this
# tree's probe package and with the probe package of an older commit REV (compiled over this
# tree's classes, so only the probe engine differs), alternating, ROUNDS times per target count,
# against one HAProxy. CPU per probe (CPU cores / probes per second) is the figure that a shared
# machine disturbs least; lag and failures are printed too. Prints a markdown table.
#
#   bench/probe/ab.sh REV [SECONDS] [ROUNDS] [N...]
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
rev=${1:?usage: bench/probe/ab.sh REV [SECONDS] [ROUNDS] [N...]}
secs=${2:-10}
rounds=${3:-2}
shift 3 || shift $#
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(2000 4000)
addresses=64
port=18080
tmp=$(mktemp -d)
trap 'kill $(cat "$tmp/haproxy.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$tmp"' EXIT

bench_haproxy_ok "$tmp" "$addresses" "$port"
bench_build classes
mkdir -p "$tmp/src" "$tmp/old"
git archive "$rev" src/main/java/dev/pharos/probe | tar -x -C "$tmp/src"
javac -nowarn -d "$tmp/old" -cp "$BENCH_CP" "$tmp"/src/src/main/java/dev/pharos/probe/*.java

echo "| targets | engine | load avg | probes/s | failures/s | lag p99 ms | CPU (cores) | CPU µs per probe |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${steps[@]}"; do
    for _ in $(seq 1 "$rounds"); do
        for engine in "$rev" this; do
            cp="$BENCH_CP"
            [ "$engine" = this ] || cp="$tmp/old:$BENCH_CP"
            load=$(cut -d' ' -f1 /proc/loadavg)
            java -Xmx512m -cp "$cp" dev.pharos.bench.ProbeThroughput "$n" "$secs" "$addresses" "$port" |
                tr ' ' '\n' | awk -F= -v e="$engine" -v l="$load" '
                    {v[$1]=$2}
                    END {printf "| %s | %s | %s | %s | %s | %s | %s | %.0f |\n", v["targets"], e, l,
                        v["probes_per_s"], v["failures_per_s"], v["lag_p99_ms"], v["cpu_cores"],
                        (v["probes_per_s"] > 0 ? v["cpu_cores"] * 1e6 / v["probes_per_s"] : 0)}'
        done
    done
done
