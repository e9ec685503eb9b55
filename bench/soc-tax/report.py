#!/usr/bin/env python3
"""The table of `make bench-soc-tax`: L1's CPU time and interrupts per
guest I/O while the nested guest's fio ran, host mode (leapiod on L1)
against card mode (the card's leapiod), and the ratio card/host.
Reads <outdir>/l1/<mode>.before, <mode>.after (bench/soc-tax/l1-soc-tax.sh)
and fio's JSON in <outdir>/l1/<mode>-out.log. Usage: report.py <outdir>.
Exit 1 when a mode has no figures."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from guest_output import fio_job  # noqa: E402  (bench/guest_output.py)

MODES = [("host", "host mode: leapiod on L1"),
         ("card", "card mode: leapiod on the card")]
# /proc/stat counts in USER_HZ ticks (100 a second on Linux).
TICK_MS = 10.0


def snap(path):
    """(busy ticks, all ticks, interrupts) of one snapshot."""
    with open(path, encoding="ascii") as f:
        cpu = f.readline().split()
        irq = f.readline().split()
    if cpu[0] != "cpu" or irq[0] != "irq":
        raise ValueError(f"{path}: not a snapshot")
    t = [int(x) for x in cpu[1:]]
    # user nice system idle iowait irq softirq steal ...: idle and
    # iowait are not work.
    return sum(t[:8]) - t[3] - t[4], sum(t[:8]), int(irq[1])


def figures(d, mode):
    """Dict of the mode's figures, or None."""
    try:
        job = fio_job(f"{d}/{mode}-out.log")
        ios = job["read"]["total_ios"] + job["write"]["total_ios"]
        b, a = snap(f"{d}/{mode}.before"), snap(f"{d}/{mode}.after")
        busy, total, irqs = (a[i] - b[i] for i in range(3))
        if ios <= 0 or total <= 0:
            raise ValueError("no I/O or no time")
        return {"ios": ios,
                "busy_ms": busy * TICK_MS, "irqs": irqs,
                "cpu_ms_io": busy * TICK_MS / ios, "irq_io": irqs / ios,
                "util": busy / total}
    except (OSError, ValueError, KeyError, IndexError) as e:
        print(f"{mode}: no figures ({e.__class__.__name__}: {e})",
              file=sys.stderr)
        return None


def threads(path):
    """{(tid, comm): (user, system ticks)} of a snapshot's thread stats.
    The comm is in parentheses and may hold anything: split after the
    last ')'. Fields from there: state, then utime and stime as the 12th
    and 13th (proc(5) numbers them 14 and 15)."""
    out = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            l, r = line.find("("), line.rfind(")")
            rest = line[r + 2:].split()
            if l < 0 or r < l or len(rest) < 13:
                continue
            out[(line[:l].strip(), line[l + 1:r])] = (int(rest[11]), int(rest[12]))
    return out


def thread_deltas(d, mode):
    """[(user + system, user, system, (tid, comm))] of every L1 thread
    while fio ran, busiest first; [] when the snapshots have none."""
    try:
        b, a = threads(f"{d}/{mode}.before.threads"), threads(f"{d}/{mode}.after.threads")
    except OSError:
        return []
    rows = []
    for k, (u, s) in a.items():
        u0, s0 = b.get(k, (0, 0))
        rows.append((u - u0 + s - s0, u - u0, s - s0, k))
    rows.sort(reverse=True)
    return rows


def top_threads(rows, n=6):
    """Lines naming the n threads that took the most CPU."""
    return [f"  {k[1]:<20} tid {k[0]:>6}: user {u * TICK_MS / 1000:7.1f} s, "
            f"system {s * TICK_MS / 1000:7.1f} s" for _, u, s, k in rows[:n] if u + s > 0]


# The nested guest's QEMU names its vCPU threads (-name debug-threads=on).
VCPU = re.compile(r"CPU \d+/TCG")


def by_kind(rows):
    """L1's thread time in ticks: all of it; the guest's own instructions
    (user time of its QEMU's vCPU threads: under TCG the guest's code runs
    as L1's, where under KVM it would be the guest's time, not the
    host's); LeapIO's own threads (leapiod, leapio_* interrupt threads).
    None when no vCPU thread is named: the split would be a guess."""
    allt = sum(t for t, _, _, _ in rows)
    guest = sum(u for _, u, _, k in rows if VCPU.fullmatch(k[1]))
    leapio = sum(t for t, _, _, k in rows if k[1].startswith("leapiod") or "leapio" in k[1])
    if not any(VCPU.fullmatch(k[1]) for _, _, _, k in rows):
        return None
    return {"all": allt, "host": allt - guest, "leapio": leapio}


def main():
    d = os.path.join(sys.argv[1], "l1")
    res = {m: figures(d, m) for m, _ in MODES}
    print("fio 4K randrw, 1024 I/Os, iodepth 8, libaio, O_DIRECT, in a nested "
          "TCG guest (L2); L1's counters (all of L1) while fio ran")
    print(f"{'':<32}{'I/Os':>6}{'L1 busy':>9}{'CPU ms/IO':>11}{'irqs/IO':>9}")
    for m, desc in MODES:
        r = res[m]
        if r:
            print(f"{desc:<32}{r['ios']:>6}{r['util']:>8.0%}"
                  f"{r['cpu_ms_io']:>11.2f}{r['irq_io']:>9.2f}")
        else:
            print(f"{desc:<32}{'-':>6}{'-':>9}{'-':>11}{'-':>9}")
    kinds = {}
    for m, desc in MODES:
        rows = thread_deltas(d, m)
        top = top_threads(rows)
        if top:
            print(f"{desc}: L1's busiest threads while fio ran")
            print("\n".join(top))
        if res[m] and rows:
            kinds[m] = by_kind(rows)
    h, c = res["host"], res["card"]
    if not (h and c):
        return 1
    if kinds.get("host") and kinds.get("card"):
        print("L1's thread time per I/O (ms): all of it; all but the guest's own "
              "instructions (its vCPU threads' user time); LeapIO's own threads")
        print(f"{'':<32}{'all':>9}{'but guest':>11}{'LeapIO':>9}")
        for m, desc in MODES:
            k, ios = kinds[m], res[m]["ios"]
            print(f"{desc:<32}" + "".join(f"{k[x] * TICK_MS / ios:>{w}.2f}"
                                          for x, w in (("all", 9), ("host", 11), ("leapio", 9))))
        hk, ck = kinds["host"], kinds["card"]
        print("ratio card/host by thread: " + ", ".join(
            f"{name} {ck[x] / hk[x]:.3f}" if hk[x] else f"{name} -"
            for x, name in (("all", "all"), ("host", "all but the guest's instructions"),
                            ("leapio", "LeapIO's own"))))
    print(f"ratio card/host: CPU time per I/O {c['cpu_ms_io'] / h['cpu_ms_io']:.2f}, "
          f"interrupts per I/O {c['irq_io'] / h['irq_io']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
