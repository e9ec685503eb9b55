#!/bin/bash
# The kselftests alone in the rig's L1, for `make kselftest-vm`:
#   tests/vm/run-l1.sh <kver> tests/kselftest/l1.sh <outdir>
# (run-l1.sh provides LEAPIO_TOP, KVER and RESULTS). The TAP stream goes
# to $RESULTS/kselftest.tap, the kernel log to $RESULTS/dmesg.txt.
set -u
ko=$LEAPIO_TOP/build/kmod/$KVER/kernel/host/leapio_host.ko
LEAPIO_KO=$ko "$LEAPIO_TOP/tests/kselftest/run.sh" > "$RESULTS/kselftest.tap"
rc=$?
dmesg > "$RESULTS/dmesg.txt" 2>/dev/null
exit $rc
