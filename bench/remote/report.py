#!/usr/bin/env python3
"""The table of `make bench-remote`: 4 KiB random reads at QD 32 on a
remote namespace, fio on the initiator's own block device (direct)
against the VFIO client through leapiod (leapio), over TCP and RDMA, and
the ratio leapio/direct of IOPS (goal: 0.9 or more) and of p99 latency.
Reads <outdir>/<transport>-direct.json (fio's) and <transport>-leapio.txt
(bench/remote/vfio_randread.c's line). Usage: report.py <outdir>.
Exit 1 when a transport has no figures."""
import json
import os
import re
import sys

TRANSPORTS = [("tcp", "NVMe/TCP"), ("rdma", "NVMe/RDMA (soft-RoCE)")]


def direct(path):
    """(IOPS, p99 in microseconds) of fio's JSON output."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    # fio may print notes before its JSON.
    job = json.loads(text[text.index("{"):])["jobs"][0]["read"]
    pct = job["clat_ns"]["percentile"]
    return job["iops"], pct["99.000000"] / 1000.0


def leapio(path):
    """(IOPS, p99 in microseconds, errors) of the VFIO client's line."""
    with open(path, encoding="ascii") as f:
        for line in f:
            m = re.match(r"iops=(\d+) p99_us=(\d+) reads=(\d+) errors=(\d+)", line)
            if m:
                return float(m[1]), float(m[2]), int(m[4])
    raise ValueError(f"{path}: no result line")


def main():
    out = sys.argv[1]
    rc = 0
    print(f"{'transport':24} {'direct IOPS':>12} {'p99 us':>8} {'leapio IOPS':>12} "
          f"{'p99 us':>8} {'IOPS ratio':>10} {'p99 ratio':>9}")
    for tr, name in TRANSPORTS:
        try:
            d_iops, d_p99 = direct(os.path.join(out, f"{tr}-direct.json"))
            l_iops, l_p99, errors = leapio(os.path.join(out, f"{tr}-leapio.txt"))
        except (OSError, ValueError, KeyError, IndexError) as e:
            print(f"{name:24} no figures: {e}")
            rc = 1
            continue
        ratio = l_iops / d_iops if d_iops else 0.0
        p99r = l_p99 / d_p99 if d_p99 else 0.0
        print(f"{name:24} {d_iops:12.0f} {d_p99:8.0f} {l_iops:12.0f} {l_p99:8.0f} "
              f"{ratio:10.2f} {p99r:9.2f}" + (f"  ({errors} errors!)" if errors else ""))
        if errors:
            rc = 1
    print("goal: IOPS ratio leapio/direct >= 0.9 (same run, same target, one after the other)")
    return rc


if __name__ == "__main__":
    sys.exit(main())
