#!/usr/bin/env bash
# Append latency while the events API reads the journal in a loop, against no readers: a journal of
# EVENTS events (rotated, compressed segments), N appends without readers, N appends while READERS
# threads page it with a filter that matches nothing (every segment read each time).
# Writes bench/results/journal-readers.md.
# Usage: bench/journal/readers.sh [N] [EVENTS] [READERS] [DIR]   (defaults 2000 1000000 2 target)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
n=${1:-2000}
events=${2:-1000000}
readers=${3:-2}
dir=${4:-target}
mkdir -p "$dir"
bench_build classes
out=$(java -Xmx1g -cp "$BENCH_CP" dev.pharos.bench.JournalReadersBench "$dir" "$n" "$events" "$readers")
echo "$out"
fs=$(df -T "$dir" | awk 'NR==2 {print $2 " on " $1}')
{
    echo "# Journal appends while the events API reads"
    echo
    echo "Command: \`bench/journal/readers.sh $n $events $readers $dir\` ($(date -u +%Y-%m-%d)), filesystem: $fs, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "A journal of $events events in 64 MiB segments (compressed), then $n appends (each written and fsynced) without readers, then $n appends while $readers threads read it in a loop as \`GET /api/v1/events?region=nowhere\` does: a filter that matches nothing, so every read decompresses and parses every segment."
    echo
    echo '```'
    echo "$out"
    echo '```'
    echo
    echo "| readers | appends | median µs | p99 µs | max µs | full reads during the appends | mean read ms |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    echo "$out" | grep '^readers=' | tr ' ' '\n' | awk -F= '
        /^readers=/ { if (r != "") print row(); r=$2; next }
        { v[$1]=$2 }
        function row() { return sprintf("| %s | %s | %s | %s | %s | %s | %s |", r, v["appends"], v["median_us"], v["p99_us"], v["max_us"], v["reads"], v["mean_read_ms"]) }
        END { print row() }'
} > bench/results/journal-readers.md
cat bench/results/journal-readers.md
