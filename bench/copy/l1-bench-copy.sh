#!/bin/bash
# `make bench-copy`, inside L1: 256 MiB (LEAPIO_BENCH_COPY_MIB) of a
# namespace duplicated by the guest's Reads and Writes, then by Copy
# commands (bench/copy/vfio_copy.c, the VFIO client as the guest), on a
# loop device over a tmpfs file filled with random data, leapiod serving.
# LEAPIO_BENCH_RUNS (default 3) runs, each a fresh mdev and leapiod;
# $RESULTS/run-<i>.txt holds each one's line, bench/copy/report.py the
# table and the ratio.
set -euo pipefail

here=$LEAPIO_TOP/tests/vm
# shellcheck source=tests/vm/l1-lib.sh
. "$here/l1-lib.sh"
log() { echo "bench-copy: $*"; }

MIB=${LEAPIO_BENCH_COPY_MIB:-256}
RUNS=${LEAPIO_BENCH_RUNS:-3}
NS_SIZE=$((3 * MIB << 20))
QD=8
client=$LEAPIO_TOP/build/bench/vfio_copy
rc=0

l1_load_vfio
l1_insmod_leapio
loop=$(l1_backing_create /tmp/bench-copy.img "$NS_SIZE")
dd if=/dev/urandom of="$loop" bs=1M count="$MIB" oflag=direct status=none
for i in $(seq "$RUNS"); do
	out=$RESULTS/run-$i.txt
	l1_bench_client "$out" "$RESULTS/run-$i-leapiod.log" "$loop" \
		"$client" "$NS_SIZE" $((MIB << 20)) $QD || rc=1
	log "run $i: $(grep '^bytes=' "$out" || echo 'no result')"
done
l1_backing_remove "$loop"
rmmod leapio_host
exit $rc
