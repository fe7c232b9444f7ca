#!/usr/bin/env bash
# Probe throughput: how many probes per second Pharos's probe engine sustains on this machine,
# against an HAProxy answering 200 on 64 loopback addresses, and what wrk with
# `Connection: close` (a new connection per request, like a probe) reaches against the same
# server. Raises N (targets, each probed once a second) until the p99 scheduling lag passes
# 100 ms, probes start failing, or the CPU is saturated. Writes bench/results/probe.md.
#
#   bench/probe/run.sh [SECONDS_PER_STEP] [N...]
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
secs=${1:-15}
shift || true
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(1000 2000 4000 6000 8000 10000 12000 14000)
addresses=64
port=18080
out=bench/results/probe.md
tmp=$(mktemp -d)
trap 'kill $(cat "$tmp/haproxy.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$tmp"' EXIT

command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
bench_haproxy_ok "$tmp" "$addresses" "$port"

bench_build classes
cp="$BENCH_CP"

echo "wrk: Connection: close, 2 threads, 64 connections, ${secs}s"
wrk_line=$(wrk -t2 -c64 -d"${secs}s" -H "Connection: close" "http://127.0.100.1:$port/health" | awk '/Requests\/sec/ {print $2}')
echo "wrk: $wrk_line req/s"

rows=()
best=0
for n in "${steps[@]}"; do
    line=$(java -Xmx512m -cp "$cp" dev.pharos.bench.ProbeThroughput "$n" "$secs" "$addresses" "$port")
    echo "$line"
    rows+=("$line")
    eval "$(echo "$line" | tr ' ' '\n' | grep -E '^(probes_per_s|failures_per_s|lag_p99_ms|cpu_cores)=' | sed 's/^/r_/')"
    ok=$(awk -v p="$r_lag_p99_ms" -v f="$r_failures_per_s" -v r="$r_probes_per_s" -v n="$n" \
        'BEGIN { print (p <= 100 && f <= n * 0.001 && r >= n * 0.98) ? 1 : 0 }')
    if [ "$ok" = 1 ]; then best=$r_probes_per_s; else break; fi
done

{
    echo "# Probe throughput"
    echo
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(java -version 2>&1 | head -1)."
    echo "Server: HAProxy 1 thread on $addresses loopback addresses answering 200. Each target is"
    echo "probed once a second with a new connection (HTTP GET, Connection: close)."
    echo "Command: \`bench/probe/run.sh $secs ${steps[*]}\` ($(date -u +%Y-%m-%d))."
    echo
    echo "| targets | probes/s | failures/s | lag p50 ms | lag p99 ms | lag max ms | CPU (cores) | RSS MB |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for line in "${rows[@]}"; do
        echo "$line" | tr ' ' '\n' | awk -F= '
            {v[$1]=$2}
            END {printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", v["targets"], v["probes_per_s"], v["failures_per_s"], v["lag_p50_ms"], v["lag_p99_ms"], v["lag_max_ms"], v["cpu_cores"], v["rss_mb"]}'
    done
    echo
    echo "Largest sustained rate (p99 lag <= 100 ms, failures <= 0.1%): **$best probes/s**."
    echo "wrk with \`Connection: close\` against the same server: **$wrk_line requests/s**."
    awk -v b="$best" -v w="$wrk_line" 'BEGIN { if (w > 0) printf "Ratio Pharos / wrk: **%.2f**.\n", b / w }'
    echo
    echo "Pharos, HAProxy and wrk share the machine's cores; the numbers are relative ceilings."
    echo "Pharos on the $(echo "${rows[0]}" | tr ' ' '\n' | sed -n 's/^transport=//p') transport (as Quarkus runs it). Load average at the end:"
    echo "$(cut -d' ' -f1-3 /proc/loadavg) (the machine was shared with other builds and tests)."
} >"$out"
cat "$out"
