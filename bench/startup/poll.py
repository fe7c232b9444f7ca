#!/usr/bin/env python3
"""Start-up probe for bench/startup/run.sh: starts the command given after "--", then polls the
embedded DNS server (an SOA query for ZONE over UDP) and the management interface's
/q/health/live and /q/health/ready every 20 ms. Prints "dns_ms live_ms ready_ms" since the
process was started (-1 for what did not come within LIMIT seconds), then stops the process
with SIGTERM (after HOLD_SECONDS more, for a training run).

    poll.py DNS_ADDR DNS_PORT ZONE HEALTH_URL LIMIT -- java ...
"""
import os
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.request


def soa_query(zone, qid):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in zone.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", 6, 1)


def ok(url):
    try:
        with urllib.request.urlopen(url, timeout=0.2) as r:
            return r.status == 200
    except Exception:
        return False


def main():
    addr, port, zone, health, limit = sys.argv[1:6]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.02)
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=sys.stderr, stderr=subprocess.STDOUT)
    dns = live = ready = -1
    qid = 0
    while time.monotonic() - start < float(limit) and proc.poll() is None:
        now = lambda: int((time.monotonic() - start) * 1000)
        if dns < 0:
            qid = (qid + 1) & 0xFFFF
            try:
                s.sendto(soa_query(zone, qid), (addr, int(port)))
                data, _ = s.recvfrom(4096)
                # an answer to this query or an earlier one (a late answer counts: the server answers)
                if len(data) >= 4 and data[2] & 0x80 and (data[3] & 0xF) == 0:
                    dns = now()
            except OSError:
                pass
        if live < 0 and ok(health + "/live"):
            live = now()
        if ready < 0 and ok(health + "/ready"):
            ready = now()
        if dns >= 0 and live >= 0 and ready >= 0:
            break
        time.sleep(0.02)
    print(dns, live, ready, flush=True)
    time.sleep(float(os.environ.get("HOLD_SECONDS", "0")))  # a training run keeps running
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main()
