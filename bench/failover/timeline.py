#!/usr/bin/env python3
"""Where the time goes in a Pharos failover, from what a bench/failover run leaves behind.

    bench/failover/timeline.py WORK [SET ...]

WORK is the run's work directory (bench/results/tmp/failover by default; --work or WORK=). For
every trial of lb-refused, lb-hang and backends-dead, and every Pharos set (default: pharos,
pharos-timeout1s), prints the milliseconds from the fault to each step, read from the vantage
points' journals (REPROBE, VERDICT_CHANGED, REGION_STATE_CHANGED, DESIRED_CHANGED, APPLY_INTENT,
APPLY_OK), their logs (the vote changes) and the harness's changes.log (the answers):

    req    the first re-probe request a vantage point received (a peer's first failure)
    vote1  the first DOWN vote of the region's load balancer, vote2 the second (quorum of 2)
    verd   the last vantage point's verdict DOWN         region  ... its region state change
    desir  ... its desired state change                   intent/ok  ... its DNS apply
    answer the last vantage point's first answer without the address (what the table reports)

followed by the median of each step and of the gaps between them. Only the standard library.
"""
import datetime as dt
import json
import os
import re
import statistics
import sys

SCENARIOS = ("lb-refused", "lb-hang", "backends-dead")
TARGET = "r1/lb/ipv4"


def wall(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00").rstrip())


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    work = sys.argv[1]
    sets = sys.argv[2:] or ["pharos", "pharos-timeout1s"]
    with open(os.path.join(work, "events.log")) as f:
        head = f.readline()
        m = re.match(r"# ([0-9.]+) = (\S+)", head)
        base_ms, base_wall = float(m.group(1)), wall(m.group(2)[:26] + "Z")
        faults = []
        for line in f:
            p = line.split()
            if len(p) >= 4 and p[1] in SCENARIOS and p[3] == "fault":
                faults.append((p[1], p[2], float(p[0])))
    day = base_wall.date()

    def run_ms(t):  # wall-clock datetime -> ms on the run's clock
        return base_ms + (t - base_wall).total_seconds() * 1000

    changes = []
    with open(os.path.join(work, "changes.log")) as f:
        for line in f:
            p = line.split()
            if len(p) >= 5:
                changes.append((float(p[0]), p[1], p[2], p[4]))

    for st in sets:
        rows = []
        events = {}  # vp -> [(ms, kind)]
        for n in (1, 2, 3):
            vp = f"{st}-vp{n}"
            ev = []
            jp = os.path.join(work, vp, "journal.jsonl")
            if os.path.exists(jp):
                with open(jp) as f:
                    for line in f:
                        try:
                            e = json.loads(line)
                        except ValueError:
                            continue
                        t = run_ms(wall(e["time"][:26] + "Z"))
                        kind = e["type"]
                        if kind in ("REPROBE", "VERDICT_CHANGED") and e.get("target") != TARGET:
                            continue
                        if kind == "VERDICT_CHANGED" and "-> DOWN" not in e["message"]:
                            continue
                        if kind == "REGION_STATE_CHANGED" and (
                            e.get("region") != "r1" or "HEALTHY ->" not in e["message"]
                        ):
                            continue
                        if kind in ("DESIRED_CHANGED", "APPLY_INTENT", "APPLY_OK") and (
                            "127.0.1.1" not in json.dumps(e.get("data", {}))
                        ):
                            continue
                        ev.append((t, kind))
            lp = os.path.join(work, "logs", vp + ".log")
            if os.path.exists(lp):
                with open(lp, errors="replace") as f:
                    for line in f:
                        m = re.match(r"(\d\d:\d\d:\d\d\.\d+) .*vote " + re.escape(TARGET) + r" UP -> DOWN", line)
                        if m:
                            t = dt.datetime.combine(
                                day, dt.time.fromisoformat(m.group(1)), tzinfo=dt.timezone.utc
                            )
                            ev.append((run_ms(t), "VOTE_DOWN"))
            events[vp] = sorted(ev)
        for scen, idx, fault in faults:
            window = (fault, fault + 15000)

            def firsts(kind):
                out = []
                for vp, ev in events.items():
                    ts = [t for t, k in ev if k == kind and window[0] <= t < window[1]]
                    if ts:
                        out.append(min(ts))
                return sorted(out)

            answers = []
            for n in (1, 2, 3):
                name = f"{st}-vp{n}" if st != "pharos-bind" else st
                ts = [
                    t
                    for t, sysid, old, new in changes
                    if sysid == name and window[0] <= t < window[1] and "127.0.1.1" in old and "127.0.1.1" not in new
                ]
                if ts:
                    answers.append(min(ts))
            row = {
                "req": (firsts("REPROBE") or [None])[0],
                "vote1": (firsts("VOTE_DOWN") + [None])[0],
                "vote2": (firsts("VOTE_DOWN") + [None, None])[1],
                "verd": (firsts("VERDICT_CHANGED") or [None])[-1],
                "region": (firsts("REGION_STATE_CHANGED") or [None])[-1],
                "desir": (firsts("DESIRED_CHANGED") or [None])[-1],
                "intent": (firsts("APPLY_INTENT") or [None])[-1],
                "ok": (firsts("APPLY_OK") or [None])[-1],
                "answer": max(answers) if answers else None,
            }
            rows.append((scen, idx, {k: (None if v is None else v - fault) for k, v in row.items()}))
        cols = ["req", "vote1", "vote2", "verd", "region", "desir", "intent", "ok", "answer"]
        print(f"\n{st}: ms from the fault")
        print(f"{'trial':<18}" + "".join(f"{c:>8}" for c in cols))
        for scen, idx, r in rows:
            print(f"{scen + ' ' + idx:<18}" + "".join(f"{'-' if r[c] is None else round(r[c]):>8}" for c in cols))
        for scen in SCENARIOS:
            rs = [r for s, _, r in rows if s == scen]
            if not rs:
                continue
            med = {}
            for c in cols:
                vals = [r[c] for r in rs if r[c] is not None]
                med[c] = statistics.median(vals) if vals else None
            print(f"{'median ' + scen:<18}" + "".join(f"{'-' if med[c] is None else round(med[c]):>8}" for c in cols))
            gaps = []
            for a, b in zip(cols[2:], cols[3:]):
                vals = [r[b] - r[a] for r in rs if r[a] is not None and r[b] is not None]
                gaps.append(f"{a}->{b} {round(statistics.median(vals)) if vals else '-'}")
            print("  median gaps (ms): " + ", ".join(gaps))


if __name__ == "__main__":
    main()
