#!/bin/bash
# Inside L1 (from l1-main.sh): a nested guest on two remote drives. Two
# loop devices are exported by the kernel's NVMe-oF target
# (tests/vm/nvmet.sh), one over TCP across the veth pair, one over RDMA on
# soft-RoCE; one leapiod serves two mdevs from their nvme+tcp:// and
# nvme+rdma:// URIs through the kernel's initiators; the guest's stock
# nvme driver binds both and fio verifies its data on each
# (tests/vm/l2-plan-remote). leapiod must exit 0 and take its
# connections down; nothing stays pinned. Two LeapIO devices in one guest
# is also the case that crashed L1 in VFIO type1's unmap loop while
# SeaBIOS's queues were remapped at boot (kernel/host/pin.c,
# lio_unmap_calls).
# TAP on stdout; exit 1 if anything failed.
set -euo pipefail

here=$LEAPIO_TOP/tests/vm
# shellcheck source=tests/vm/tap.sh
. "$here/tap.sh"
# shellcheck source=tests/vm/l1-lib.sh
. "$here/l1-lib.sh"
# shellcheck source=tests/vm/l2-out.sh
. "$here/l2-out.sh"

NS_SIZE=$((64 << 20))
NQN_TCP=nqn.2026-12.io.leapio.rig:l2-tcp
NQN_RDMA=nqn.2026-12.io.leapio.rig:l2-rdma
nvmet=$here/nvmet.sh

echo "TAP version 13"
uuids=() loops=() exported=()
cleanup() {
	local u l n
	for n in "${exported[@]}"; do "$nvmet" unexport "${n%% *}" "${n##* }" || true; done
	for u in "${uuids[@]}"; do l1_mdev_remove "$u" || true; done
	for l in "${loops[@]}"; do l1_backing_remove "$l" || true; done
}
trap cleanup EXIT

uris=()
for tr in tcp rdma; do
	nqn=$NQN_TCP port=7001
	[ $tr = rdma ] && nqn=$NQN_RDMA port=7002
	if ! out=$("$nvmet" net-up $tr 2>&1); then
		tap 0 "network and modules for NVMe-oF over $tr" "$out"
		tap_plan; exit 1
	fi
	loop=$(l1_backing_create "/tmp/remote-$tr.img" "$NS_SIZE") ||
		{ tap 0 "loop device for the $tr target"; tap_plan; exit 1; }
	loops+=("$loop")
	exported+=("$nqn $port")
	if uri=$("$nvmet" export $tr "$loop" "$nqn" $port 2>&1); then
		tap 1 "nvmet exports $loop over $tr ($uri)"
		uris+=("$uri")
	else
		tap 0 "nvmet exports $loop over $tr" "$uri"
		tap_plan; exit 1
	fi
	uuid=$(l1_mdev_create leapio-1q "$NS_SIZE" 512) ||
		{ tap 0 "mdev for the $tr drive"; tap_plan; exit 1; }
	uuids+=("$uuid")
done

if l1_leapiod_serve "$RESULTS/leapiod-remote.log" "${uuids[0]}=${uris[0]}" \
	"${uuids[1]}=${uris[1]}"; then
	tap 1 "leapiod serves both mdevs from their URIs (pid $LEAPIOD_PID)"
else
	tap 0 "leapiod serves both mdevs from their URIs" \
		"$(tail -n 20 "$RESULTS/leapiod-remote.log" 2>/dev/null)"
	tap_plan; exit 1
fi
tap_is "one controller of this host to the TCP subsystem" "$("$nvmet" ctrls $NQN_TCP)" 1
tap_is "one controller of this host to the RDMA subsystem" "$("$nvmet" ctrls $NQN_RDMA)" 1

l2rc=0
LEAPIO_L2_SMP=1 "$here/l2-run.sh" remote l2-remote \
	-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/${uuids[0]}" \
	-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/${uuids[1]}" || l2rc=$?
log=$(tr -d '\r' < "$RESULTS/l2-remote-out.log" 2>/dev/null || true)
tap "$(ok_if [ "$l2rc" = 0 ])" "guest exited 0 within its bound" \
	"exit $l2rc; $(cat "$RESULTS/l2-remote.status" 2>/dev/null)"
tap "$(ok_if grep -q '=== LEAPIO-L2-DONE' <<< "$log")" "guest ran every command to the end"
tap_is "the stock nvme driver bound both functions" \
	"$(section pci | awk '$2 == "0x1e5a" && $5 == "nvme"' | wc -l)" 2
tap_is "nvme list completes" "$(rc_of list)" 0
for tr in tcp rdma; do
	tap_is "fio randrw --verify=crc32c on the $tr drive exits 0" "$(rc_of fio-$tr)" 0
	tap "$(ok_if grep -q 'err= 0' <<< "$(section fio-$tr)")" "fio on the $tr drive reports err= 0" \
		"$(section fio-$tr | tail -n 20)"
done
con=$(cat "$RESULTS/l2-remote-console.log" 2>/dev/null || true)
bad=$(guest_oopses <<< "$con"; guest_io_errors <<< "$con")
tap "$(ok_if [ -z "$bad" ])" "guest's kernel log has no error, timeout or reset" "$bad"

tap_is "pinned_pages 0 after the guest's QEMU exited" \
	"$(l1_mdev_attr "${uuids[0]}" pinned_pages 2>&1) $(l1_mdev_attr "${uuids[1]}" pinned_pages 2>&1)" "0 0"
lrc=0
l1_leapiod_stop || lrc=$?
tap_is "leapiod exits 0 on SIGTERM" "$lrc" 0
tap_is "leapiod's exit took its connections down" \
	"$("$nvmet" ctrls $NQN_TCP) $("$nvmet" ctrls $NQN_RDMA)" "0 0"
tap_plan
[ "$tap_failed" = 0 ]
