#!/bin/bash
# make check's run in the loopback-card L1 (tests/vm/card/run-l1-card.sh):
#   1. the card's kselftests (tests/kselftest/run.sh --card-list, or
#      LEAPIO_KSFT_TESTS) -> $RESULTS/kselftest.tap;
#   2. a nested guest on a card-served drive: leapio_soc.ko on the card
#      side's functions, leapio_host.ko's card= on the host-facing one, a
#      leapio-4q mdev (its region in card DRAM), leapiod in card mode
#      serving it from a loop device, the vdev handed to the card; L2's
#      stock nvme driver, nvme-cli and fio --verify=crc32c with the check
#      plan (tests/vm/l1-lib.sh l1_l2_check) -> $RESULTS/l2.tap;
#      while the guest's fio runs, the vdev is handed to a host-mode
#      leapiod and back to the card, twice (l1_hand_over_during);
#   3. everything taken down, and the kernel log clean -> $RESULTS/l1.tap.
# Each step records its verdict and the next still runs; exit 1 if any
# failed.
set -euo pipefail

here=$LEAPIO_TOP/tests/vm
# shellcheck source=tests/vm/tap.sh
. "$here/tap.sh"
# shellcheck source=tests/vm/l1-lib.sh
. "$here/l1-lib.sh"

l1_tap_begin
log() { echo "l1-card-check: $*"; }

NS_SIZE=$((512 << 20))
LBA_SIZE=4096
SOC_KO=$LEAPIO_TOP/build/kmod/$KVER/kernel/soc/leapio_soc.ko
CARD_HOST=0000:00:10.0
CARD_PARAM=/sys/module/leapio_host/parameters/card


lowmem=$(sed -n 's/.*leapio_card_lowmem=\([0-9]*\).*/\1/p' /proc/cmdline)
if [ -z "$lowmem" ]; then
	tap 0 "leapio_card_lowmem= on L1's command line (run-l1-card.sh's L1?)"
	l1_finish; exit 1
fi
if ! l1_load_vfio; then
	tap 0 "modprobe ${L1_MODULES[*]}"
	l1_finish; exit 1
fi
kmsg_start=$(dmesg | wc -l)

# 1. The card's kselftests (they load and unload what they need).
log "card kselftests"
start=$SECONDS
tests=${LEAPIO_KSFT_TESTS:-$("$LEAPIO_TOP/tests/kselftest/run.sh" --card-list | tr '\n' ' ')}
LEAPIO_KSFT_TESTS=$tests LEAPIO_KO=$LEAPIO_KO "$LEAPIO_TOP/tests/kselftest/run.sh" \
	> "$RESULTS/kselftest.tap" 2> "$RESULTS/kselftest.stderr" || rc=1
log "card kselftests done in $((SECONDS - start)) s"

# 2. The nested guest on a drive the card serves.
tap "$(ok_if l1_insmod_leapio)" "insmod leapio_host.ko"
tap "$(ok_if insmod "$SOC_KO" dram=0000:00:11.0 hostmem=0000:00:12.0)" \
	"insmod leapio_soc.ko on the card side (00:11.0 DRAM, 00:12.0 host window)"
tap "$(ok_if sh -c "echo $CARD_HOST > $CARD_PARAM")" "leapio_host card=$CARD_HOST"
if ! l1_l2_set_on card; then
	log "nested guest on a card-served drive: not in this run (LEAPIO_L2_SETS=$LEAPIO_L2_SETS)"
elif uuid=$(l1_mdev_create leapio-4q "$NS_SIZE" "$LBA_SIZE"); then
	tap 1 "mdev leapio-4q created ($uuid)"
	slot=$(l1_mdev_attr "$uuid" card_slot 2>&1)
	tap "$(ok_if [ "$slot" -ge 0 ] 2>/dev/null)" "its region is in card DRAM (card_slot $slot)"
	backing=
	if backing=$(l1_backing_create /tmp/l2-backing.img "$NS_SIZE"); then
		tap 1 "backing store: loop device $backing over a tmpfs file"
	else
		tap 0 "backing store: loop device over a tmpfs file"
	fi
	if [ -n "$backing" ] &&
		l1_leapiod_start_card "$uuid" "$backing" "$RESULTS/leapiod.log" "$lowmem"; then
		tap 1 "leapiod (card mode) attached: mdev $uuid handed to the card"
	else
		tap 0 "leapiod (card mode) attached" "$(tail -n 20 "$RESULTS/leapiod.log" 2>/dev/null)"
	fi
	tap_is "runtime reads card" "$(l1_mdev_attr "$uuid" runtime 2>&1)" card
	tap_is "runtime_pid 0: no host runtime attached" \
		"$(l1_mdev_attr "$uuid" runtime_pid 2>&1)" 0
	# The host-mode leapiod the vdev goes to and comes back from.
	hpid=
	if [ -n "$backing" ]; then
		"$LEAPIOD" --vdev "$uuid=$backing" > "$RESULTS/leapiod-host.log" 2>&1 &
		hpid=$!
	fi
	live=/tmp/l2-live.log
	rm -f "$live"
	# Both runtimes serve from the loop device: its count is either's.
	l1_hand_over_during "$uuid" "$live" fio-verify "$hpid" "l1_dev_ios $backing" \
		"l1_dev_ios $backing" > /tmp/hand-overs 2> /tmp/hand-overs.err &
	flipper=$!
	log "nested guest on mdev $uuid (card-served, hand-overs during fio)"
	# A loop device punches holes: deallocated blocks read zeroes.
	# The card's path (its doorbells, a second poller in L1) makes the
	# guest slower than the regular L1's: a wider bound than l2-run.sh's.
	export LEAPIO_L2_LIVE=$live LEAPIO_L2_TIMEOUT=${LEAPIO_L2_TIMEOUT:-1200}
	l1_l2_check "$uuid" l2 1 "$backing" || rc=1
	unset LEAPIO_L2_LIVE
	# The guest is gone: a flipper still waiting for its I/O is stopped.
	kill "$flipper" 2>/dev/null || true
	frc=0
	wait "$flipper" || frc=$?
	n=$(cat /tmp/hand-overs 2>/dev/null)
	tap "$(ok_if [ "$frc" = 0 ] && [ "${n:-0}" -ge 2 ])" \
		"${n:-0} hand-overs between the card and a host leapiod while the guest's fio ran (at least 2, each after I/O served)" \
		"$(cat /tmp/hand-overs.err)"
	# fio may end between a hand-over to the host and the next one back:
	# the vdev then goes back to the card here, as the last hand-over.
	if [ "$(l1_mdev_attr "$uuid" runtime 2>&1)" = host ]; then
		tap "$(ok_if sh -c "echo card > /sys/bus/mdev/devices/$uuid/leapio/runtime")" \
			"handed back to the card after fio"
	fi
	tap_is "runtime reads card after them" "$(l1_mdev_attr "$uuid" runtime 2>&1)" card
	tap_is "no runtime revoked: each let go when asked" \
		"$(l1_mdev_attr "$uuid" runtime_revoked 2>&1)" 0
	if [ -n "$hpid" ]; then
		kill -TERM "$hpid" 2>/dev/null || true
		hrc=0
		wait "$hpid" || hrc=$?
		tap_is "host-mode leapiod exits 0 on SIGTERM" "$hrc" 0
	fi
	tap_is "pinned_pages 0 after the guest's QEMU exited" \
		"$(l1_mdev_attr "$uuid" pinned_pages 2>&1)" 0
	tap "$(ok_if l1_mdev_remove "$uuid")" "mdev removed after the guest"
	if [ -n "$LEAPIOD_PID" ]; then
		lrc=0
		l1_leapiod_stop || lrc=$?
		tap_is "card-mode leapiod exits 0 on SIGTERM" "$lrc" 0
	fi
	[ -z "$backing" ] || l1_backing_remove "$backing" || true
else
	tap 0 "mdev leapio-4q created"
fi

# 3. Down again: the card unbound, both modules unloaded.
tap "$(ok_if sh -c "echo > $CARD_PARAM")" "card unbound"
tap "$(ok_if rmmod leapio_soc)" "rmmod leapio_soc"
tap "$(ok_if rmmod leapio_host)" "rmmod leapio_host"
bad=$(dmesg | tail -n +"$((kmsg_start + 1))" | "$here/kmsg-reports.sh")
tap "$(ok_if [ -z "$bad" ])" "kernel log clean while the card served" "$bad"

l1_finish
