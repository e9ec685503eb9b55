#!/bin/bash
# The rig's self-test, run inside L1 (make vm-selftest): the nested guest and
# its checker against QEMU's own emulated NVMe controller instead of a
# LeapIO mdev. It proves the plumbing (L2 boot, nvme-cli, output capture,
# check-l2.sh) without our module, so a failure here is the rig's.
set -euo pipefail

here=$LEAPIO_TOP/tests/vm
truncate -s 64M /tmp/standin.img
"$here/l2-run.sh" check l2 -drive file=/tmp/standin.img,if=none,id=d0,format=raw \
	-device nvme,serial=standin0001,drive=d0 || true
"$here/check-l2.sh" "$RESULTS/l2-out.log" "$here/standin-expect.env" \
	"$RESULTS/l2.status" "$RESULTS/l2-console.log" > "$RESULTS/l2.tap"
