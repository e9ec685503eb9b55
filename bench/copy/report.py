#!/usr/bin/env python3
"""`make bench-copy`'s table: per run, the guest's read-then-write and
Copy's time for the same bytes, and the ratio (read-then-write over Copy:
above 1, Copy is faster as the guest sees it). The median run's ratio is
the figure; a run whose copies did not compare equal is shown and left
out of it."""
import glob
import os
import statistics
import sys


def parse(path):
    with open(path) as f:
        for line in f:
            if line.startswith("bytes="):
                return dict(kv.split("=", 1) for kv in line.split())
    return None


def main():
    out = sys.argv[1]
    rows = []
    print(f"{'run':>4} {'MiB':>5} {'read+write ms':>14} {'Copy ms':>8} "
          f"{'cmds r+w':>9} {'cmds copy':>9} {'equal':>5} {'ratio':>6}")
    for path in sorted(glob.glob(os.path.join(out, "run-*.txt"))):
        run = os.path.basename(path)[4:-4]
        r = parse(path)
        if not r:
            print(f"{run:>4} no result")
            continue
        rw, cp = int(r["readwrite_ms"]), int(r["copy_ms"])
        ratio = rw / cp if cp else float("inf")
        ok = r["same"] == "1"
        if ok:
            rows.append(ratio)
        print(f"{run:>4} {int(r['bytes']) >> 20:>5} {rw:>14} {cp:>8} "
              f"{r['readwrite_cmds']:>9} {r['copy_cmds']:>9} "
              f"{'yes' if ok else 'NO':>5} {ratio:>6.2f}")
    if not rows:
        print("no run with equal copies: no figure")
        return 1
    print(f"median ratio read+write / Copy: {statistics.median(rows):.2f} "
          f"over {len(rows)} run(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
