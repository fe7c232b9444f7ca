#!/usr/bin/env bash
# Restart catch-up (issue 17, goal 2): the dead-while-down scenario of RestartCatchUpIT, TRIALS
# times (default 20) in one run: three Pharos processes with their embedded name servers, vp3
# killed with SIGKILL, a region's load balancer stopped, vp1 and vp2 answering without it, vp3
# restarted and its name server asked every 50 ms from process start. Writes a table of
# process start -> first answer, answers and dead-address answers per restart, with the load
# average, to bench/results/restart.md (OUT to change). The run stops at the first restart that
# answers a dead address (the test's assertion); that restart's row is still written.
#
#   bench/restart/run.sh              # 20 restarts
#   TRIALS=5 bench/restart/run.sh     # a quick look
#
# Only loopback addresses are used (127.0.9.x for the instances, 127.0.41-43.1 for the regions).
set -uo pipefail
cd "$(dirname "$0")/../.."
TRIALS=${TRIALS:-20}
OUT=${OUT:-bench/results/restart.md}
LOG=$(mktemp)
started=$(date -u +%FT%TZ)
before=$(cut -d' ' -f1-3 /proc/loadavg)
cmd="./mvnw -o -B verify -Dtest=NoSuch -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=RestartCatchUpIT -Dfailsafe.failIfNoSpecifiedTests=false -Dpharos.restart.trials=$TRIALS"
unshare -n -- bash -c "ip link set lo up && $cmd" >"$LOG" 2>&1
status=$?
after=$(cut -d' ' -f1-3 /proc/loadavg)
{
    echo "# Restart catch-up: a restarted vantage point and a region that died while it was down"
    echo
    echo "Run $started on $(nproc) cores, load average (1/5/15 min) $before before and $after after;"
    echo "exit status $status. Command (bench/restart/run.sh, TRIALS=$TRIALS):"
    echo
    echo '```'
    echo "unshare -n -- bash -c 'ip link set lo up && $cmd'"
    echo '```'
    echo
    echo "| restart | start -> first answer (ms) | answers | with the dead address | catch-up after | load (1/5/15 min) |"
    echo "| --- | --- | --- | --- | --- | --- |"
    sed -n 's/^RestartCatchUpIT: restart \([0-9]*\): process start -> first answer \([0-9]*\) ms, \([0-9]*\) answers, \([0-9]*\) with the dead address; catch-up \([a-z-]*\) (load \([0-9.]*\) \([0-9.]*\) \([0-9.]*\).*/| \1 | \2 | \3 | \4 | \5 | \6 \7 \8 |/p' "$LOG"
} >"$OUT"
echo "wrote $OUT (log: $LOG)"
exit "$status"
