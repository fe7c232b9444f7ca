#!/usr/bin/env bash
# The console's last hour (ProbeHistory): heap held for N targets with every bucket of the hour
# filled (MemoryMXBean, heap in use after a full GC, with and without it), and the size of
# GET /api/v1/history's JSON for them. Writes bench/results/history.md.
# Usage: bench/history/run.sh [TARGETS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
targets=${1:-300}
rounds=${2:-7}
bench_build classes
# SerialGC: System.gc() is one full, stop-the-world collection, so "in use after GC" is live data
line=$(java -XX:+UseSerialGC -Xmx256m -cp "$BENCH_CP" dev.pharos.bench.HistoryMemoryBench "$targets" "$rounds")
echo "$line"
{
    echo "# Memory of the console's last hour"
    echo
    echo "Command: \`bench/history/run.sh $targets $rounds\` ($(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg))."
    echo "One ring per target (\`ProbeHistory\`): 360 buckets of 10 s in fixed-size primitive arrays, every bucket filled."
    echo "Heap: used after a full GC (SerialGC, MemoryMXBean) with the history minus without it, median of the rounds."
    echo "JSON: the bytes of \`GET /api/v1/history\` for all targets (Jackson, as the API writes it)."
    echo
    echo "| targets | heap, median | min | max | per target | JSON | Java |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    echo "$line" | tr ' ' '\n' | awk -F= '{v[$1]=$2} END {printf "| %s | %d bytes (%.2f MiB) | %d | %d | %d bytes | %d bytes (%.2f MiB) | %s |\n", v["targets"], v["heap_median_bytes"], v["heap_median_bytes"]/1048576, v["heap_min_bytes"], v["heap_max_bytes"], v["bytes_per_target"], v["json_bytes"], v["json_bytes"]/1048576, v["java"]}'
} > bench/results/history.md
cat bench/results/history.md
