#!/bin/bash
# `make bench-soc-tax`, L1's side of the SoC pair (tests/vm/card/run-pair.sh;
# the card runs tests/vm/card/card-soc-serve.sh): the storage tax on L1.
# The same fio job (bench/soc-tax/l2-plan-tax) in a nested guest twice:
#   host  a leapio-4q mdev in L1's memory, served by leapiod on L1 from a
#         loop device over L1's tmpfs (host mode);
#   card  the vdev of tests/vm/card/soc-vdev.sh in card DRAM, served by
#         the card's arm64 leapiod from the card's SSD, no leapiod on L1.
# While fio runs (from its section's BEGIN to its END line on the guest's
# output port, read as it comes) L1 records /proc/stat's cpu line and
# /proc/interrupts: <mode>.before, <mode>.after (and the full
# /proc/interrupts and every thread's stat beside each). bench/soc-tax/report.py turns them and
# fio's JSON (<mode>-out.log) into CPU time and interrupts per I/O.
set -euo pipefail

here=$LEAPIO_TOP/tests/vm
# shellcheck source=tests/vm/l1-lib.sh
. "$here/l1-lib.sh"
# shellcheck source=tests/vm/card/soc-vdev.sh
. "$here/card/soc-vdev.sh"
log() { echo "soc-tax: $*"; }
rc=0

# snap <file>: the cpu line of /proc/stat and the sum of every count of
# /proc/interrupts (every line, every CPU); beside them the full
# /proc/interrupts and every thread's stat line (<file>.threads), which
# say where the time went. A thread that ends between the glob and cat
# is simply missing.
snap() {
	cat /proc/interrupts > "$1.interrupts"
	cat /proc/[0-9]*/task/[0-9]*/stat > "$1.threads" 2> /dev/null || true
	{
		head -n 1 /proc/stat
		awk 'NR > 1 { for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i }
			END { print "irq", s }' "$1.interrupts"
	} > "$1"
}

# run_guest <mode> <mdev dir>: the guest, snapshots around its fio.
run_guest() {
	local mode=$1 dev=$2
	rm -f "$RESULTS/$mode.before" "$RESULTS/$mode.after"
	log "$mode: booting the guest"
	# debug-threads: QEMU names its vCPU threads ("CPU 0/TCG"), so that
	# the report can tell the guest's own instructions from the rest.
	LEAPIO_L2_TTY=1 "$here/l2-run.sh" tax "$mode" -name "l2-$mode,debug-threads=on" \
		-device "vfio-pci,sysfsdev=$dev" |
		while IFS= read -r line; do
			case $line in
			*"=== LEAPIO-BEGIN fio-json ==="*) snap "$RESULTS/$mode.before" ;;
			*"=== LEAPIO-END fio-json "*) snap "$RESULTS/$mode.after" ;;
			esac
		done || rc=1
	[ -f "$RESULTS/$mode.after" ] || { log "$mode: no figures"; rc=1; }
}

l1_load_vfio
l1_insmod_leapio

# Host mode: no card bound, so the region is in L1's memory.
uuid=$(l1_mdev_create "$SOC_VDEV_TYPE" "$SOC_NS_SIZE" "$SOC_LBA_SIZE")
backing=$(l1_backing_create /tmp/tax.img "$SOC_NS_SIZE")
if l1_leapiod_start "$uuid" "$backing" "$RESULTS/leapiod-host.log"; then
	run_guest host "/sys/bus/mdev/devices/$uuid"
	l1_leapiod_stop || { log "host leapiod exited non-zero"; rc=1; }
else
	log "host leapiod did not attach"
	rc=1
fi
l1_mdev_remove "$uuid"
l1_backing_remove "$backing"

# Card mode: bind the card, the agreed vdev, wait for the card's runtime.
echo "$SOC_HOST_FN" > /sys/module/leapio_host/parameters/card
mdev=/sys/bus/mdev/devices/$SOC_VDEV_UUID
echo "$SOC_VDEV_UUID" > "$(echo /sys/class/mdev_bus/*/mdev_supported_types/"$SOC_VDEV_TYPE"/create)"
echo "$SOC_NS_SIZE" > "$mdev/leapio/ns_size"
echo "$SOC_LBA_SIZE" > "$mdev/leapio/lba_size"
deadline=$((SECONDS + 600))
until [ "$(cat "/sys/bus/pci/devices/$SOC_HOST_FN/card_ready")" = 1 ]; do
	[ $SECONDS -lt $deadline ] || { log "the card's runtime did not come up"; exit 1; }
	sleep 0.5
done
echo card > "$mdev/leapio/runtime"
if pgrep -x leapiod; then
	log "a leapiod runs on L1 in card mode"
	rc=1
fi
run_guest card "$mdev"
echo host > "$mdev/leapio/runtime"
l1_mdev_remove "$SOC_VDEV_UUID"
echo > /sys/module/leapio_host/parameters/card
rmmod leapio_host
exit $rc
