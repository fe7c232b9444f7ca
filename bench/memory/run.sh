#!/usr/bin/env bash
# Memory of a vantage point: three Pharos instances (a quorum of three, the embedded DNS server on)
# each probing 300 targets once a second (100 regions, each a load balancer and two backends, all
# answered by one HAProxy on 300 loopback addresses), run with the JVM settings that ship in
# deploy/systemd/pharos.service (its JAVA_TOOL_OPTIONS and its other JVM environment, such as
# MALLOC_ARENA_MAX; the same as the image and the demo) and, alternating with them, with the
# settings before (BEFORE, the JVM options; BEFORE_ENV, environment) and any sets in EXTRA. For
# each instance: RSS (largest over the run and at its end), heap and metaspace (jstat -gc: used /
# committed), code cache, threads, and the probes per second it made; with NMT=1 every instance
# also runs with -XX:NativeMemoryTracking=summary and a second table gives what the JVM committed
# per category (jcmd VM.native_memory summary). Writes bench/results/memory.md.
#
#   bench/memory/run.sh                       2 rounds, 90 s per run after ready
#   ROUNDS=1 RUN_SECONDS=30 bench/memory/run.sh
#   NMT=1 ...                                 native memory tracking on every instance
#   EXTRA='label|ENV=V ENV2=W|-Xfoo -Xbar;label2||-Xbaz' ...   more sets (';' between sets)
#   BUILD=0 ...                               the jar in target/quarkus-app as it is (other JVM settings)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
ROUNDS=${ROUNDS:-2}
RUN_SECONDS=${RUN_SECONDS:-90}
START_SECONDS=${START_SECONDS:-600} # how long an instance may take to come up on a loaded machine
# the settings shipped before this change (bench/results/memory.md of 2026-12-02)
BEFORE=${BEFORE:--Xmx64m -Xss512k -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1}
BEFORE_ENV=${BEFORE_ENV:-}
EXTRA=${EXTRA:-}
NMT=${NMT:-0}
OUT=${OUT:-bench/results/memory.md}
regions=100
addresses=$((regions * 3)) # one per target: a configuration names each address and port once
lb_port=18080
http_port=18180
management_port=18190 # health and metrics (quarkus.management)
dns_port=18153

bench_need haproxy jstat curl

# The shipped settings: JAVA_TOOL_OPTIONS as the unit sets it (the image and the demo set the same)
shipped=$(bench_shipped_options)
# ... and the unit's other environment for the JVM (Environment=NAME=VALUE lines but the data dir)
shipped_env=$(sed -n 's#^Environment=\([A-Z_]*=[^ "]*\)$#\1#p' deploy/systemd/pharos.service | { grep -v '^PHAROS_' || true; } | tr '\n' ' ' | sed 's/ $//')

tmp=$(mktemp -d /tmp/pharos-memory-bench.XXXXXX)
pids=()
stop_all() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    pids=()
}
trap 'stop_all; kill $(cat "$tmp/haproxy.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$tmp"' EXIT

bench_haproxy_ok "$tmp" "$addresses" "$lb_port"
bench_jar

declare -a peer_token peer_sha # each instance presents its own token; the others know its SHA-256
for n in 1 2 3; do
    peer_token[n]=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    peer_sha[n]=$(printf %s "${peer_token[n]}" | sha256sum | cut -d' ' -f1)
done
admin_token=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
for n in 1 2 3; do
    {
        echo "pharos:"
        echo "  node: {name: vp$n, source-address: 127.0.9.$n, data-dir: $tmp/data$n}"
        echo "  peers:"
        for m in 1 2 3; do
            [ "$m" = "$n" ] || echo "    - {name: vp$m, url: \"http://127.0.9.$m:$http_port\", token-sha256: ${peer_sha[m]}}"
        done
        bench_targets_yaml "$regions" "$lb_port" "127.0.9.$n" "$dns_port" 127.0.9.1
    } >"$tmp/vp$n.yaml"
done

probes() { # n -> probe results counted so far
    { curl -fsS "http://127.0.9.$1:$management_port/q/metrics" 2>/dev/null || true; } |
        awk '/^pharos_probe_results_total\{/ {s += $NF} END {printf "%.0f\n", s}'
}

kb() { awk -v k="$1" '{ if ($1 == k":") print $2 }' "/proc/$2/status" 2>/dev/null || echo 0; }

# run_set LABEL ROUND ENV OPTIONS: three instances with the environment ENV (NAME=VALUE words),
# JAVA_TOOL_OPTIONS=OPTIONS and the unit's command line; one table row per instance
run_set() {
    local label="$1" round="$2" envs="$3" options="$4" n i deadline
    [ "$NMT" = 1 ] && options="$options -XX:NativeMemoryTracking=summary"
    rm -rf "$tmp"/data?
    for n in 1 2 3; do
        bench_pharos_args "$tmp/vp$n.yaml" "127.0.9.$n" "$http_port" "$management_port"
        # shellcheck disable=SC2086 # ENV is words
        env PHAROS_API_PEER_TOKEN="${peer_token[n]}" PHAROS_API_ADMIN_TOKEN="$admin_token" $envs \
            JAVA_TOOL_OPTIONS="$options" java "${BENCH_ARGS[@]}" >"$tmp/$label-$round-vp$n.log" 2>&1 &
        pids+=($!)
    done
    # live and probing is enough to measure: readiness also needs the peers' quorum, which a
    # machine too loaded for the 500 ms exchange timeout may withhold for a while
    deadline=$((SECONDS + START_SECONDS))
    for n in 1 2 3; do
        until curl -fsS -o /dev/null "http://127.0.9.$n:$management_port/q/health/live" 2>/dev/null; do
            if [ $SECONDS -ge $deadline ] || ! kill -0 "${pids[n - 1]}" 2>/dev/null; then
                echo "run.sh: vp$n ($label) not up after $START_SECONDS s or exited; its log:" >&2
                grep -v 'timeout period' "$tmp/$label-$round-vp$n.log" | tail -20 >&2
                exit 1
            fi
            sleep 0.5
        done
    done
    local -a maxrss before_probes
    for n in 1 2 3; do maxrss[n]=0; before_probes[n]=$(probes "$n"); done
    local start=$SECONDS
    for ((i = 0; i < RUN_SECONDS; i++)); do
        for n in 1 2 3; do
            local r
            r=$(kb VmRSS "${pids[n - 1]}")
            [ "${r:-0}" -gt "${maxrss[n]}" ] && maxrss[n]=$r
        done
        sleep 1
    done
    local elapsed=$((SECONDS - start))
    for n in 1 2 3; do
        local pid="${pids[n - 1]}" rss threads gc after rate ready live
        if ! kill -0 "$pid" 2>/dev/null; then
            # it exited during the run (-XX:+ExitOnOutOfMemoryError): a row that says so
            local why
            why=$(grep -ao 'OutOfMemoryError[^"]*' "$tmp/$label-$round-vp$n.log" | head -1 || true)
            rows+=("| $label | $round | vp$n | exited: ${why:-see its log} | $((maxrss[n] / 1024)) | - | - | - | - | - | - | - | $(cut -d' ' -f1 /proc/loadavg) |")
            echo "${rows[-1]}"
            continue
        fi
        rss=$(kb VmRSS "$pid")
        threads=$(kb Threads "$pid")
        after=$(probes "$n")
        rate=$(awk -v a="$after" -v b="${before_probes[n]}" -v s="$elapsed" 'BEGIN {printf "%.0f", (a - b) / s}')
        # jstat -gc: S0C S1C S0U S1U EC EU OC OU MC MU CCSC CCSU ... (KB)
        gc=$(jstat -gc "$pid" | awk 'NR == 1 {for (i = 1; i <= NF; i++) h[$i] = i}
            NR == 2 {printf "%.0f / %.0f | %.0f / %.0f", ($(h["S0U"]) + $(h["S1U"]) + $(h["EU"]) + $(h["OU"])) / 1024,
                ($(h["S0C"]) + $(h["S1C"]) + $(h["EC"]) + $(h["OC"])) / 1024, $(h["MU"]) / 1024, $(h["MC"]) / 1024}')
        code=$(jcmd "$pid" Compiler.codecache 2>/dev/null | sed -n 's/.*used=\([0-9]*\)Kb.*/\1/p' | awk '{s += $1} END {printf "%.0f", s / 1024}')
        ready=no
        curl -fsS -o /dev/null "http://127.0.9.$n:$management_port/q/health/ready" 2>/dev/null && ready=yes
        # live heap: what a full GC leaves (jcmd GC.class_histogram runs one), taken last
        live=$(jcmd "$pid" GC.class_histogram 2>/dev/null | awk '$1 == "Total" {printf "%.0f", $3 / 1048576}')
        rows+=("| $label | $round | vp$n | $ready | $((maxrss[n] / 1024)) | $((rss / 1024)) | $gc | ${live:--} | $code | $threads | $rate | $(cut -d' ' -f1 /proc/loadavg) |")
        echo "${rows[-1]}"
        if [ "$NMT" = 1 ]; then
            # committed KB per category: "-  Java Heap (reserved=65536KB, committed=65536KB)"
            local nmt
            nmt=$(jcmd "$pid" VM.native_memory summary 2>/dev/null | awk -v want="$nmt_categories" '
                /^Total: / {for (i = 1; i <= NF; i++) if ($i ~ /^committed=/) {v = $i; gsub(/[^0-9]/, "", v); c["Total"] = v}}
                /^-  *[A-Za-z]/ && /committed=/ {
                    name = $0; sub(/^- */, "", name); sub(/ *\(.*/, "", name)
                    v = $0; sub(/.*committed=/, "", v); sub(/KB.*/, "", v); c[name] = v
                }
                END {
                    n = split(want, w, ","); out = ""; other = c["Total"]
                    for (i = 2; i <= n; i++) other -= c[w[i]]
                    for (i = 1; i <= n; i++) out = out sprintf(" %.0f |", c[w[i]] / 1024)
                    printf "%s %.0f |", out, other / 1024
                }')
            nmt_rows+=("| $label | $round | vp$n | $((rss / 1024)) |$nmt")
            echo "${nmt_rows[-1]}"
            # the threads by name (numbers folded), for the log
            jcmd "$pid" Thread.print 2>/dev/null | sed -n 's/^"\([^"]*\)".*/\1/p' | sed 's/[0-9][0-9]*/N/g' |
                sort | uniq -c | sort -rn | head -8 | tr -s ' ' | tr '\n' ';'
            echo
        fi
    done
    stop_all
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
nmt_categories="Total,Java Heap,Metaspace,Class,Shared class space,Symbol,Thread,Code,GC,Native Memory Tracking"
rows=()
nmt_rows=()
sets=("shipped|$shipped_env|$shipped" "before|$BEFORE_ENV|$BEFORE")
if [ -n "$EXTRA" ]; then
    IFS=';' read -r -a extra_sets <<<"$EXTRA"
    sets+=("${extra_sets[@]}")
fi
for round in $(seq 1 "$ROUNDS"); do
    for set in "${sets[@]}"; do
        IFS='|' read -r label envs options <<<"$set"
        run_set "$label" "$round" "$envs" "$options"
    done
done

{
    echo "# Memory of a vantage point"
    echo
    echo "Generated by \`$([ "$NMT" = 1 ] && echo "NMT=1 ")ROUNDS=$ROUNDS RUN_SECONDS=$RUN_SECONDS${EXTRA:+ EXTRA='$EXTRA'} bench/memory/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'),"
    echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)."
    echo "Load average at the start: $load_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg) (the machine was shared with other builds)."
    echo
    echo "Three vantage points (quorum of three, embedded DNS server on), each probing $((regions * 3)) targets"
    echo "once a second ($regions regions, each a load balancer and two backends; one HAProxy answers all"
    echo "of them on $addresses loopback addresses). Each set runs $RUN_SECONDS s after all three are live;"
    echo "the sets alternate in the order below, $ROUNDS rounds."
    [ "$NMT" = 1 ] && echo "Every instance ran with \`-XX:NativeMemoryTracking=summary\` added (NMT=1)."
    echo
    for set in "${sets[@]}"; do
        IFS='|' read -r label envs options <<<"$set"
        case "$label" in
            shipped) echo "- shipped: the JVM environment of \`deploy/systemd/pharos.service\` (the same in the image and the demo): \`${envs:+$envs }JAVA_TOOL_OPTIONS=$options\`" ;;
            before) echo "- before: the settings shipped before: \`${envs:+$envs }JAVA_TOOL_OPTIONS=$options\`" ;;
            *) echo "- $label: \`${envs:+$envs }JAVA_TOOL_OPTIONS=$options\`" ;;
        esac
    done
    echo
    echo "RSS: largest sampled once a second over the run, and at its end. Heap and metaspace from"
    echo "\`jstat -gc\` at the end (used / committed), code cache used from \`jcmd Compiler.codecache\`; the live"
    echo "heap is what a full GC leaves (\`jcmd GC.class_histogram\` runs one, after the other readings)."
    echo "An instance that exited during its run (\`-XX:+ExitOnOutOfMemoryError\`) has a row that says so."
    echo
    echo "| settings | round | instance | ready at the end | RSS max (MB) | RSS end (MB) | heap used / committed (MB) | metaspace used / committed (MB) | live heap after a full GC (MB) | code cache (MB) | threads | probes/s | load (1 min) |"
    echo "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
    if [ "$NMT" = 1 ]; then
        echo
        echo "Native memory tracking at the end of each run: committed MB per category (\`jcmd VM.native_memory"
        echo "summary\`); \"rest\" is the total less the named categories. RSS is lower than the total where"
        echo "committed memory was never touched, higher by what the JVM does not track (malloc arenas' free"
        echo "space and overhead, the shared archive, the libraries' code)."
        echo
        echo "| settings | round | instance | RSS end (MB) | NMT total | heap | metaspace | class space | shared classes (CDS) | symbols | threads | code | GC | NMT itself | rest |"
        echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        printf '%s\n' "${nmt_rows[@]}"
    fi
} >"$OUT"
echo "== wrote $OUT"
cat "$OUT"
