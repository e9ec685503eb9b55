#!/bin/bash
# `make bench-e2e`, inside L1: the same fio 4K random read job in a nested
# guest (L2) three times, on the same loop device of L1 each time, through
#   leapio     our mdev (vfio-pci sysfsdev=...) served by leapiod,
#   nvme-emu   QEMU's emulated NVMe controller (-device nvme),
#   virtio-blk QEMU's virtio-blk (-device virtio-blk-pci),
# one after the other (each QEMU keeps both cores busy). Writes
# $RESULTS/<name>-out.log per device; bench/e2e/report.py makes the table.
set -euo pipefail

here=$LEAPIO_TOP/tests/vm
# shellcheck source=tests/vm/l1-lib.sh
. "$here/l1-lib.sh"
log() { echo "bench-e2e: $*"; }

NS_SIZE=$((256 << 20))
LBA_SIZE=512
rc=0

# The backing store: a loop device over a file in L1's tmpfs, filled once
# so that every run reads data rather than holes.
backing=$(l1_backing_create /tmp/bench.img "$NS_SIZE")
dd if=/dev/urandom of="$backing" bs=1M count=$((NS_SIZE >> 20)) oflag=direct status=none
log "backing store $backing ($((NS_SIZE >> 20)) MiB)"

# QEMU's own devices use the loop device as LeapIO does: O_DIRECT, native AIO.
drive=(-drive "file=$backing,if=none,id=d0,format=raw,cache=none,aio=native")

run() {
	local name=$1
	shift
	log "$name: booting the guest"
	"$here/l2-run.sh" bench "$name" "$@" || rc=1
}

run nvme-emu "${drive[@]}" -device nvme,serial=bench0001,drive=d0
run virtio-blk "${drive[@]}" -device virtio-blk-pci,drive=d0

l1_load_vfio
l1_insmod_leapio
uuid=$(l1_mdev_create leapio-4q "$NS_SIZE" "$LBA_SIZE")
if l1_leapiod_start "$uuid" "$backing" "$RESULTS/leapiod.log"; then
	run leapio -device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid"
	l1_leapiod_stop || { log "leapiod exited non-zero"; rc=1; }
else
	log "leapiod did not attach: no LeapIO figures"
	rc=1
fi
l1_mdev_remove "$uuid"
rmmod leapio_host
l1_backing_remove "$backing"
exit $rc
