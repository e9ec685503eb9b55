#!/bin/bash
# L1's side of the SoC pair (tests/vm/card/run-pair.sh, `make card-l2` and
# `make demo-soc`): a vdev of L1 served by the card's arm64 leapiod
# (tests/vm/card/card-soc-serve.sh on the card VM) to a nested guest, with
# no leapiod on L1.
#   1. vfio, mdev and leapio_host.ko card=<the host-facing function>: the
#      card bound, its header written in card DRAM;
#   2. the mdev both sides know in advance (soc-vdev.sh), so its region is
#      in a slot of card DRAM;
#   3. wait, bounded by the clock, for the card's runtime: the function's
#      card_ready reads 1 once the card's leapiod has looked at this bind's
#      header (a hand-over without it would time out after CAP.TO);
#   4. hand the vdev to the card (leapio/runtime = card): the write returns
#      once the card's leapiod has attached; runtime reads "card",
#      runtime_pid 0, no leapiod process on L1;
#   5. the nested guest (L2) on the mdev with tests/vm/card/l2-plan-soc
#      (nvme-cli list, id-ctrl, smart-log, two fio randrw runs verified),
#      each command judged here; with leapio_soc_plan=demo on L1's command
#      line (make demo-soc) its output is shown live too, and the card
#      alone serves it; otherwise (make card-l2, make check) the card
#      alone serves the first fio, whose job runs again and again until
#      the card, killing its leapiod and then resetting with the guest's
#      I/O in flight (card-soc-serve.sh), says in the directory both VMs
#      share (/cardctl/soc-faults) that it is done: then L1 tells the
#      guest (faults-done, on its ttyS2) and during the second fio the vdev goes to
#      a host-mode leapiod in L1 on the card's SSD (L1's virtio disk
#      leapio-card-ssd, the same blocks: run-pair.sh) and back to the
#      card, twice, each hand-over after the runtime serving did I/O;
#   6. no leapiod left on L1, nothing pinned once the guest is gone, no
#      runtime revoked; the vdev handed back to the host (the card
#      detaches and acks), the mdev removed, the card unbound (the card
#      script's signal to stop), the module unloaded, the kernel log
#      clean.
# TAP in $RESULTS/l1.tap; exit 1 if anything failed.
set -euo pipefail

here=$LEAPIO_TOP/tests/vm
# shellcheck source=tests/vm/tap.sh
. "$here/tap.sh"
# shellcheck source=tests/vm/l1-lib.sh
. "$here/l1-lib.sh"
# shellcheck source=tests/vm/l2-out.sh
. "$here/l2-out.sh"
# shellcheck source=tests/vm/card/soc-vdev.sh
. "$here/card/soc-vdev.sh"

plan=check
grep -qw 'leapio_soc_plan=demo' /proc/cmdline && plan=demo
# The card VM boots while L1 does; its leapiod then looks every 10 ms.
ready_wait=${LEAPIO_SOC_READY_WAIT:-600}
mdev=/sys/bus/mdev/devices/$SOC_VDEV_UUID
ready=/sys/bus/pci/devices/$SOC_HOST_FN/card_ready
# make card-l2: where the card says its faults are done, and how long
# they may take (kills, a reset and the card's boot, under TCG).
cardctl=/cardctl
faults_wait=${LEAPIO_SOC_FAULTS_WAIT:-1000}
# make card-l2 CARD_L2_FAULTS=0: the card makes none (nor waits for them).
faults=1
grep -qw 'leapio_soc_faults=0' /proc/cmdline && faults=0

l1_tap_begin
say() { printf '\n>>> %s\n' "$*"; }


# What the guest did (tests/vm/card/l2-plan-soc, the sections of
# tests/vm/init-l2.sh's output): each command completed, and what the
# stock driver and nvme-cli saw is this vdev.
l2_judge() {
	local log con sn mn bad
	log=$(tr -d '\r' < "$RESULTS/l2-out.log" 2>/dev/null || true)
	con=$(cat "$RESULTS/l2-console.log" 2>/dev/null || true)
	json() {
		section "$1" | sed -En "s/^  \"$2\":\"(.*)\",?$/\1/p" |
			sed -n '1s/[[:space:]]*$//p'
	}
	# The name stays the same run to run; what l2-run.sh saw is its diagnostic.
	tap "$(ok_if [ "$l2rc" = 0 ])" "guest exited 0 within its bound" \
		"exit $l2rc; $(cat "$RESULTS/l2.status" 2>/dev/null)"
	boots=$(sed -n 's/.*boots=\([0-9]*\).*/\1/p' "$RESULTS/l2.status" 2>/dev/null || true)
	if [ "${boots:-1}" -gt 1 ]; then
		echo "# the guest's boots before the last panicked before its init ran (emulator); booted $boots times: l2-console-boot*.log" >&"$TAP_FD"
	fi
	tap "$(ok_if grep -q '=== LEAPIO-L2-DONE' <<< "$log")" "guest ran every command to the end"
	tap_is "PCI function 1e5a:* class 0x010802 bound by the stock nvme driver" \
		"$(section pci | awk '$2 == "0x1e5a" {print $4, $5}')" "0x010802 nvme"
	tap_is "nvme list completes" "$(rc_of list)" 0
	tap "$(ok_if grep -q /dev/nvme0n1 <<< "$(section list)")" "nvme list shows /dev/nvme0n1" \
		"$(section list)"
	tap_is "nvme id-ctrl completes" "$(rc_of id-ctrl-json)" 0
	mn=$(json id-ctrl-json mn)
	sn=$(json id-ctrl-json sn)
	tap_is "id-ctrl mn" "$mn" "LeapIO Virtual NVMe Controller"
	tap_is "id-ctrl sn is the mdev's serial" "$sn" "$(l1_mdev_attr "$SOC_VDEV_UUID" serial 2>&1)"
	tap_is "nvme smart-log completes" "$(rc_of smart-log)" 0
	tap_is "fio randrw, crc32c verified, completes" "$(rc_of fio)" 0
	tap "$(ok_if grep -q 'err= 0' <<< "$(section fio)")" "fio reports err= 0" \
		"$(section fio | tail -n 20)"
	tap_is "second fio randrw, crc32c verified, completes" "$(rc_of fio-2)" 0
	tap "$(ok_if grep -q 'err= 0' <<< "$(section fio-2)")" "second fio reports err= 0" \
		"$(section fio-2 | tail -n 20)"
	tap_is "nvme smart-log after fio completes" "$(rc_of smart-log-after)" 0
	bad=$(guest_oopses <<< "$con"; guest_io_errors <<< "$con")
	tap "$(ok_if [ -z "$bad" ])" "guest kernel log: no warning, I/O error, timeout or reset" "$bad"
}

# make card-l2's faults on the card (card-soc-serve.sh, during the
# guest's first fio, which runs its job again and again until told): wait
# for the card's word in the directory both VMs share ("done", or "failed
# <why>"), bounded by the guest's life and $faults_wait, then tell the
# guest, whatever the card said, to go on (faults-done on its ttyS2).
soc_faults_done() {
	local f=$cardctl/soc-faults said deadline=$((SECONDS + faults_wait))
	until [ -s "$f" ]; do
		if ! kill -0 "$l2pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
			break
		fi
		sleep 1
	done
	said=$(cat "$f" 2>/dev/null || true)
	tap_is "the card's faults (leapiod killed, then the card reset) ran during the guest's first fio" \
		"${said:-nothing from the card}" "done"
	echo faults-done >&"$ctlfd"
	say "the card's faults: ${said:-nothing from the card}; the guest goes on to its second fio"
}

# Processes called leapiod on L1, as "pid comm" lines (none: empty).
leapiod_procs() {
	pgrep -a -x leapiod || true
}

# make card-l2's hand-overs, beside the guest ($l2pid, its output in
# $live): once its second fio has begun (the card alone served until
# then, with no leapiod on L1), a host-mode leapiod on the card's SSD, the
# vdev handed to it and back (l1_hand_over_during), each hand-over after
# the card rang L1 16 times more (its completions) or the SSD did 16 more
# I/Os for L1; at the end the vdev is the card's again. Sets HOST_PID.
soc_hand_overs() {
	local procs ssd n frc=0
	until grep -q 'LEAPIO-BEGIN fio-2' "$live" 2>/dev/null; do
		if ! kill -0 "$l2pid" 2>/dev/null; then
			tap 0 "the guest's second fio began (the hand-overs run during it)"
			return
		fi
		sleep 0.5
	done
	procs=$(leapiod_procs)
	tap "$(ok_if [ -z "$procs" ])" "no leapiod process on L1 while the card alone served (first fio)" "$procs"
	if ! ssd=$(l1_card_ssd 2>/tmp/ssd.err); then
		tap 0 "the card's SSD is L1's virtio disk" "$(cat /tmp/ssd.err)"
		return
	fi
	"$LEAPIOD" --vdev "$SOC_VDEV_UUID=$ssd" > "$RESULTS/leapiod-host.log" 2>&1 &
	HOST_PID=$!
	say "host-mode leapiod (pid $HOST_PID) on $ssd, the card's SSD: the vdev goes to it and back during the second fio"
	n=$(l1_hand_over_during "$SOC_VDEV_UUID" "$live" fio-2 "$HOST_PID" \
		l1_card_irqs "l1_dev_ios $ssd" 2> /tmp/hand-overs.err) || frc=$?
	tap "$(ok_if [ "$frc" = 0 ] && [ "${n:-0}" -ge 2 ])" \
		"${n:-0} hand-overs between the card VM's leapiod and L1's while the guest's fio ran (at least 2, each after I/O served)" \
		"$(cat /tmp/hand-overs.err)"
	# fio may end between a hand-over to the host and the one back.
	if [ "$(l1_mdev_attr "$SOC_VDEV_UUID" runtime 2>&1)" = host ]; then
		tap "$(ok_if sh -c "echo card > $mdev/leapio/runtime")" \
			"handed back to the card after fio"
	fi
	say "${n:-0} hand-overs while the guest's fio ran; runtime=$(l1_mdev_attr "$SOC_VDEV_UUID" runtime)"
}

# 1. The card.
if ! l1_load_vfio; then
	tap 0 "modprobe ${L1_MODULES[*]}"
	l1_finish; exit 1
fi
kmsg_start=$(dmesg | wc -l)
load_ok=1
for m in $(modinfo -F depends "$LEAPIO_KO" | tr ',' ' '); do
	modprobe "$m" || load_ok=0
done
[ $load_ok = 1 ] && insmod "$LEAPIO_KO" card="$SOC_HOST_FN" || load_ok=0
tap $load_ok "insmod leapio_host.ko card=$SOC_HOST_FN"
[ $load_ok = 1 ] || { l1_finish; exit 1; }
tap_is "the card is bound (parameter card)" \
	"$(cat /sys/module/leapio_host/parameters/card)" "$SOC_HOST_FN"
say "L1 $(uname -r): leapio_host bound the card's host-facing function $SOC_HOST_FN"

# 2. The mdev, in card DRAM.
create=$(echo /sys/class/mdev_bus/*/mdev_supported_types/"$SOC_VDEV_TYPE"/create)
if echo "$SOC_VDEV_UUID" > "$create" &&
	echo "$SOC_NS_SIZE" > "$mdev/leapio/ns_size" &&
	echo "$SOC_LBA_SIZE" > "$mdev/leapio/lba_size"; then
	tap 1 "mdev $SOC_VDEV_TYPE $SOC_VDEV_UUID created ($SOC_NS_SIZE bytes, $SOC_LBA_SIZE-byte blocks)"
else
	tap 0 "mdev $SOC_VDEV_TYPE $SOC_VDEV_UUID created"
	l1_finish; exit 1
fi
slot=$(l1_mdev_attr "$SOC_VDEV_UUID" card_slot 2>&1)
tap "$(ok_if [ "$slot" -ge 0 ] 2>/dev/null)" "its region is in card DRAM (card_slot $slot)"
tap_is "served by the host until handed over (runtime)" \
	"$(l1_mdev_attr "$SOC_VDEV_UUID" runtime 2>&1)" host

# 3. The card's runtime is up.
deadline=$((SECONDS + ready_wait))
while [ "$(cat "$ready" 2>&1)" != 1 ] && [ $SECONDS -lt $deadline ]; do
	sleep 0.5
done
waited=$((SECONDS + ready_wait - deadline))
tap_is "the card's runtime is up (card_ready, after ${waited} s)" "$(cat "$ready" 2>&1)" 1
say "the card's leapiod is up (card_ready 1 after ${waited} s)"

# 4. The hand-over.
if echo card > "$mdev/leapio/runtime"; then
	tap 1 "handed to the card (runtime = card): its leapiod attached"
else
	tap 0 "handed to the card (runtime = card)" "$(dmesg | tail -n 5)"
fi
tap_is "runtime reads card" "$(l1_mdev_attr "$SOC_VDEV_UUID" runtime 2>&1)" card
tap_is "runtime_pid 0: no host runtime attached" \
	"$(l1_mdev_attr "$SOC_VDEV_UUID" runtime_pid 2>&1)" 0
procs=$(leapiod_procs)
tap "$(ok_if [ -z "$procs" ])" "no leapiod process on L1 before the guest" "$procs"
say "vdev $SOC_VDEV_UUID handed to the card: runtime=$(l1_mdev_attr "$SOC_VDEV_UUID" runtime)," \
	"runtime_pid=$(l1_mdev_attr "$SOC_VDEV_UUID" runtime_pid), leapiod processes on L1: ${procs:-none}"

# 5. The nested guest.
say "booting the nested guest (L2) with -device vfio-pci,sysfsdev=$mdev"
l2rc=0
HOST_PID=
if [ $plan = demo ]; then
	LEAPIO_L2_TTY=1 "$here/l2-run.sh" soc l2 -device "vfio-pci,sysfsdev=$mdev" || l2rc=$?
else
	live=/tmp/l2-live.log
	rm -f "$live"
	mkdir -p "$cardctl"
	if mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 cardctl "$cardctl"; then
		tap 1 "the directory shared with the card is mounted at $cardctl"
	else
		tap 0 "the directory shared with the card (9p tag cardctl) is mounted"
	fi
	# The guest's ttyS2 (l2-run.sh): held open here, so that a word
	# written never waits for a reader. Without the card's faults the
	# guest has none: its first fio runs once (init-l2.sh fio_rounds).
	ctl=
	if [ $faults = 1 ]; then
		ctl=/tmp/l2-ctl
		rm -f "$ctl.in" "$ctl.out"
		mkfifo "$ctl.in" "$ctl.out"
		exec {ctlfd}<>"$ctl.in"
	fi
	# The card is reset during the first fio (card-soc-serve.sh) and
	# boots again: the guest's I/O waits that long (the default 30 s
	# would have its driver abort and reset instead).
	LEAPIO_L2_LIVE=$live LEAPIO_L2_CTL=$ctl LEAPIO_L2_APPEND=nvme_core.io_timeout=600 \
		"$here/l2-run.sh" soc l2 -device "vfio-pci,sysfsdev=$mdev" &
	l2pid=$!
	if [ $faults = 1 ]; then
		soc_faults_done
	else
		say "no faults on the card in this run (leapio_soc_faults=0): the guest's first fio runs once"
	fi
	soc_hand_overs
	wait "$l2pid" || l2rc=$?
fi
l2_judge

# 6. No leapiod left on L1; back to the host; gone.
if [ -n "$HOST_PID" ]; then
	kill -TERM "$HOST_PID" 2>/dev/null || true
	hrc=0
	wait "$HOST_PID" || hrc=$?
	tap_is "L1's host-mode leapiod exits 0 on SIGTERM" "$hrc" 0 \
		"$(tail -n 20 "$RESULTS/leapiod-host.log")"
	tap_is "no runtime revoked: each let go when asked" \
		"$(l1_mdev_attr "$SOC_VDEV_UUID" runtime_revoked 2>&1)" 0
fi
procs=$(leapiod_procs)
tap "$(ok_if [ -z "$procs" ])" "no leapiod process on L1 after the guest" "$procs"
tap_is "runtime still reads card after the guest" \
	"$(l1_mdev_attr "$SOC_VDEV_UUID" runtime 2>&1)" card
tap_is "runtime_pid still 0 after the guest" \
	"$(l1_mdev_attr "$SOC_VDEV_UUID" runtime_pid 2>&1)" 0
tap_is "pinned_pages 0 after the guest's QEMU exited" \
	"$(l1_mdev_attr "$SOC_VDEV_UUID" pinned_pages 2>&1)" 0
say "after the guest: runtime=$(l1_mdev_attr "$SOC_VDEV_UUID" runtime)," \
	"runtime_pid=$(l1_mdev_attr "$SOC_VDEV_UUID" runtime_pid)," \
	"leapiod processes on L1: ${procs:-none}"
tap "$(ok_if sh -c "echo host > $mdev/leapio/runtime")" \
	"handed back to the host (the card's leapiod detached and acked)"
tap_is "runtime reads host" "$(l1_mdev_attr "$SOC_VDEV_UUID" runtime 2>&1)" host
tap "$(ok_if l1_mdev_remove "$SOC_VDEV_UUID")" "mdev removed"
tap "$(ok_if sh -c 'echo > /sys/module/leapio_host/parameters/card')" "card unbound"
tap "$(ok_if rmmod leapio_host)" "rmmod leapio_host"
if [ $plan = demo ]; then
	say "proof: no leapiod ran on L1 (pgrep -x leapiod found ${procs:-nothing})," \
		"the vdev's runtime read card and its runtime_pid 0 from hand-over to hand-back;" \
		"the card's console and its leapiod's log follow when the card VM ends"
fi
bad=$(dmesg | tail -n +"$((kmsg_start + 1))" | "$here/kmsg-reports.sh")
tap "$(ok_if [ -z "$bad" ])" "kernel log clean while leapio_host was loaded" "$bad"

l1_finish
