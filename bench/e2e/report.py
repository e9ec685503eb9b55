#!/usr/bin/env python3
"""The table of `make bench-e2e`: fio's JSON from each nested guest run
(<outdir>/<device>-out.log, written by tests/vm/l2-run.sh), IOPS and
completion latency per device, and LeapIO's ratios to QEMU's emulated NVMe
and to virtio-blk.  Usage: report.py <outdir>.  Exit 1 when a device has
no figures."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from guest_output import fio_job  # noqa: E402  (bench/guest_output.py)

DEVICES = [("leapio", "LeapIO (vfio-mdev + leapiod)"),
           ("nvme-emu", "QEMU -device nvme"),
           ("virtio-blk", "QEMU -device virtio-blk-pci")]


def figures(outdir, name):
    """(IOPS, mean, p99 completion latency in ms) or None."""
    try:
        job = fio_job(f"{outdir}/{name}-out.log")["read"]
        clat = job["clat_ns"]
        return (job["iops"], clat["mean"] / 1e6,
                clat["percentile"]["99.000000"] / 1e6)
    except (OSError, ValueError, KeyError, IndexError) as e:
        print(f"{name}: no figures ({e.__class__.__name__}: {e})",
              file=sys.stderr)
        return None


def main():
    outdir = sys.argv[1]
    res = {name: figures(outdir, name) for name, _ in DEVICES}
    print("fio 4K randread, iodepth 16, libaio, O_DIRECT, 20 s, in a nested "
          "TCG guest (L2) on one L1 loop device")
    print(f"{'device':<32}{'IOPS':>10}{'mean ms':>10}{'p99 ms':>10}")
    for name, desc in DEVICES:
        r = res[name]
        if r:
            print(f"{desc:<32}{r[0]:>10.1f}{r[1]:>10.2f}{r[2]:>10.2f}")
        else:
            print(f"{desc:<32}{'-':>10}{'-':>10}{'-':>10}")
    lio = res["leapio"]
    for name, desc in DEVICES[1:]:
        other = res[name]
        if lio and other and other[0] > 0 and lio[2] > 0:
            print(f"LeapIO / {name}: IOPS x{lio[0] / other[0]:.2f}, "
                  f"p99 latency x{lio[2] / other[2]:.2f}")
    return 0 if all(res.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
