#!/bin/bash
# `make demo`, inside L1: load the module, create a leapio-4q mdev, serve it
# with leapiod from a loop device, give it to a nested guest and show, live,
# what the guest's stock nvme driver, nvme-cli and fio make of it.
set -euo pipefail

here=$LEAPIO_TOP/tests/vm
# shellcheck source=tests/vm/l1-lib.sh
. "$here/l1-lib.sh"
say() { printf '\n>>> %s\n' "$*"; }

say "L1 (host VM) is up: Debian kernel $(uname -r)"
l1_load_vfio
say "loaded ${L1_MODULES[*]}"
if [ ! -f "$LEAPIO_KO" ]; then
	say "no $LEAPIO_KO: make kmod KVER=$KVER failed?"
	exit 1
fi
l1_insmod_leapio
say "insmod leapio_host.ko; mdev types:"
ls /sys/class/mdev_bus/*/mdev_supported_types/

uuid=$(l1_mdev_create leapio-4q $((1 << 30)) 512)
say "created mdev $uuid (leapio-4q, 1 GiB namespace, 512-byte blocks):"
for a in /sys/bus/mdev/devices/"$uuid"/leapio/*; do
	printf '    %-10s %s\n' "${a##*/}" "$(cat "$a")"
done

backing=$(l1_backing_create /tmp/demo-backing.img $((1 << 30)))
say "backing store: loop device $backing over a 1 GiB sparse file in L1's tmpfs"
if [ -x "$LEAPIOD" ] && l1_leapiod_start "$uuid" "$backing" /tmp/leapiod.log; then
	say "started leapiod --vdev $uuid=$backing (pid $LEAPIOD_PID);" \
		"runtime_pid in sysfs: $(l1_mdev_attr "$uuid" runtime_pid)"
else
	say "NOTE: no runtime attached ($LEAPIOD missing or failed), so there is" \
		"no data path: admin commands work, reads and writes complete with" \
		"an error (Namespace Not Ready). fio below shows that."
	cat /tmp/leapiod.log 2>/dev/null || true
fi

say "booting the nested guest (L2) with -device vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid"
say "(TCG inside TCG: the guest needs a minute or two to boot; its output follows)"
status=0
LEAPIO_L2_TTY=1 "$here/l2-run.sh" demo demo-l2 \
	-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid" || status=$?

say "guest exited ($status); pages still pinned: $(l1_mdev_attr "$uuid" pinned_pages)"
if [ -n "$LEAPIOD_PID" ]; then
	lrc=0
	l1_leapiod_stop || lrc=$?
	say "leapiod stopped (exit $lrc); its log:"
	cat /tmp/leapiod.log
	[ "$lrc" = 0 ] || status=1
fi
l1_backing_remove "$backing"
l1_mdev_remove "$uuid"
rmmod leapio_host
say "mdev removed, module unloaded."
say "guest kernel log: build/demo/$KVER/demo-l2-console.log on the host"
exit "$status"
