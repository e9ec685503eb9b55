#!/bin/bash
# `make bench-remote`, inside L1: what serving a remote drive through
# leapiod costs, over TCP and over RDMA (soft-RoCE), against the kernel's
# own target (tests/vm/nvmet.sh) exporting a loop device filled with data.
# For each transport, the same 4 KiB random read job, QD 32, for a while:
#   direct  fio (io_uring) on the initiator's namespace, /dev/nvmeXn1 of a
#           controller connected with nvme-cli;
#   leapio  the VFIO client (bench/remote/vfio_randread.c) on an mdev that
#           leapiod serves from the target's URI.
# One after the other, so that neither steals the other's cores. Writes
# $RESULTS/<transport>-direct.json (fio's) and <transport>-leapio.txt;
# bench/remote/report.py makes the table and the ratios.
set -euo pipefail

here=$LEAPIO_TOP/tests/vm
# shellcheck source=tests/vm/l1-lib.sh
. "$here/l1-lib.sh"
log() { echo "bench-remote: $*"; }

NS_SIZE=$((256 << 20))
SECS=${LEAPIO_BENCH_SECS:-15}
QD=32
nvmet=$here/nvmet.sh
client=$LEAPIO_TOP/build/bench/vfio_randread
rc=0

l1_load_vfio
l1_insmod_leapio
port=7100
for tr in tcp rdma; do
	nqn=nqn.2026-12.io.leapio.bench:$tr
	port=$((port + 1))
	"$nvmet" net-up $tr
	loop=$(l1_backing_create "/tmp/bench-$tr.img" "$NS_SIZE")
	dd if=/dev/urandom of="$loop" bs=1M count=$((NS_SIZE >> 20)) oflag=direct status=none
	uri=$("$nvmet" export $tr "$loop" "$nqn" $port)
	log "$tr: $uri"

	# direct: the initiator's own block device.
	addr=${uri#nvme+$tr://}
	nvme connect -t $tr -a "${addr%%:*}" -s $((4420 + port)) -n "$nqn" > /dev/null
	dev=$("$nvmet" blockdev "$nqn")
	log "$tr direct: fio on $dev"
	fio --name=direct --filename="$dev" --ioengine=io_uring --direct=1 \
		--rw=randread --bs=4k --iodepth=$QD --runtime="$SECS" --time_based \
		--output-format=json > "$RESULTS/$tr-direct.json" || rc=1
	nvme disconnect -n "$nqn" > /dev/null || rc=1

	# leapio: the VFIO client through leapiod onto the same target.
	out=$RESULTS/$tr-leapio.txt
	log "$tr leapio: the VFIO client through leapiod"
	l1_bench_client "$out" "$RESULTS/$tr-leapiod.log" "$uri" \
		"$client" "$NS_SIZE" "$SECS" $QD || rc=1
	"$nvmet" unexport "$nqn" $port
	l1_backing_remove "$loop"
done
rmmod leapio_host
exit $rc
