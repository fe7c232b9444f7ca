#!/usr/bin/env bash
# The journal's write cost per event: each event is written and fsynced before append returns.
# Writes bench/results/journal.md. Usage: bench/journal/run.sh [EVENTS] [DIR]
# DIR defaults to ./target (the disk the data directory would be on).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
n=${1:-5000}
dir=${2:-target}
mkdir -p "$dir"
bench_build classes
line=$(java -cp "$BENCH_CP" dev.pharos.bench.JournalBench "$dir" "$n")
echo "$line"
fs=$(df -T "$dir" | awk 'NR==2 {print $2 " on " $1}')
{
    echo "# Journal write cost"
    echo
    echo "Command: \`bench/journal/run.sh $n $dir\` ($(date -u +%Y-%m-%d)), filesystem: $fs, load average $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "Each event is one JSON line (a verdict change with its evidence), written and fsynced before the append returns."
    echo
    echo "| events | median µs | p99 µs | max µs | events/s | bytes/event |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
    echo "$line" | tr ' ' '\n' | awk -F= '{v[$1]=$2} END {printf "| %s | %s | %s | %s | %s | %s |\n", v["events"], v["median_us"], v["p99_us"], v["max_us"], v["events_per_s"], v["bytes_per_event"]}'
} > bench/results/journal.md
cat bench/results/journal.md
