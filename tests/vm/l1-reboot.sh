#!/bin/bash
# The walk-through's reboot (Documentation/admin-guide/walk-through.rst,
# step 7) as one test: two boots of one host, L1 with systemd as init
# (run-l1.sh LEAPIO_L1_INIT=systemd and LEAPIO_L1_STATE: /state outlives
# the VM, its disk.img is the host's disk /dev/vda, its mdevctl.d is
# /etc/mdevctl.d, its systemd/ the host's /etc/systemd/system, its udev/
# the rules the packages installed).
#
# First boot (no /state/setup.env), the operator's steps: the module as
# DKMS installs it (under /state/modroot: L1's root is read only), the
# unit with its drop-in for the rig, enabled, and started (modprobe of
# the module by its ExecStartPre); two controllers defined with mdevctl,
# auto-started, 8 MiB each: A served from the configuration file (the
# first half of /dev/vda), B with a leapio/backend note (the second
# half), adopted by the call-out after its start; the VFIO client writes
# its patterns to both (test_unit_reboot, LEAPIO_REBOOT_PHASE=write).
# Second boot: nothing by hand. The unit starts (enabled), loads the
# module, mdevctl's udev rule creates A and B with their attributes,
# leapiod serves A from the file and adopts B from its note, and the
# patterns read back through both (LEAPIO_REBOOT_PHASE=read).
# TAP in $RESULTS/l1.tap and $RESULTS/kselftest-unit.tap.
set -uo pipefail

here=$LEAPIO_TOP/tests/vm
# shellcheck source=tests/vm/tap.sh
. "$here/tap.sh"
# shellcheck source=tests/vm/l1-lib.sh
. "$here/l1-lib.sh"
l1_tap_begin
st=/state
ns=8388608

prop() {	# prop <property>: leapiod.service's, as systemctl shows it
	systemctl show -P "$1" leapiod.service
}
# until_true <seconds> <command...>: bounded by the clock, every 100 ms.
until_true() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt "$deadline" ] || return 1
		sleep 0.1
	done
}
served_by() {	# served_by <uuid> <pid>
	[ "$(l1_mdev_attr "$1" runtime_pid 2>/dev/null)" = "$2" ]
}
active() {
	[ "$(prop ActiveState)" = active ]
}
patterns() {	# patterns write|read
	LEAPIO_REBOOT_PHASE=$1 LEAPIO_REBOOT_UUIDS="$A $B" LEAPIO_KO=$LEAPIO_KO \
		"$LEAPIO_TOP/tests/kselftest/run.sh" test_unit_reboot \
		> "$RESULTS/kselftest-unit.tap" 2>&1
}

tap_is "systemd is PID 1" "$(cat /proc/1/comm)" systemd
# udev makes the node as it goes through the boot's devices.
tap "$(ok_if until_true 60 test -b /dev/vda)" "the host's disk, /dev/vda"

if [ ! -e "$st/setup.env" ]; then
	# ---- the first boot: set the host up ----
	tap "$(ok_if l1_dkms_modroot "$st/modroot")" \
		"the DKMS module installed (under /state/modroot), depmod"
	# The call-out as the package installs it, running this tree's leapioctl.
	mkdir -p /etc/mdevctl.d/scripts.d/callouts /etc/mdevctl.d/scripts.d/notifiers
	printf '#!/bin/sh\nLEAPIOCTL=%s/tools/leapioctl/leapioctl exec %s/dist/mdevctl/leapio "$@"\n' \
		"$LEAPIO_TOP" "$LEAPIO_TOP" > /etc/mdevctl.d/scripts.d/callouts/leapio
	chmod +x /etc/mdevctl.d/scripts.d/callouts/leapio
	A=$(cat /proc/sys/kernel/random/uuid)
	B=$(cat /proc/sys/kernel/random/uuid)
	cat > "$st/leapiod.json" <<-JSON
	{"pollers": [{}],
	 "vdevs": [{"uuid": "$A", "backend": {"type": "block", "path": "/dev/vda", "size": $ns}}]}
	JSON
	# The shipped unit, its rig drop-in, and "systemctl enable" (the test
	# target stands for multi-user.target).
	mkdir -p "$st/systemd/leapiod.service.d" "$st/systemd/leapio-l1.target.wants"
	ln -sf "$LEAPIO_TOP/dist/systemd/leapiod.service" "$st/systemd/leapiod.service"
	# As an operator orders it after its backends' devices (leapiod.rst).
	cat > "$st/systemd/leapiod.service.d/rig.conf" <<-EOF
	[Unit]
	Wants=dev-vda.device
	After=dev-vda.device
	[Service]
	ExecStartPre=
	ExecStartPre=/sbin/modprobe -d $st/modroot leapio_host
	ExecStart=
	ExecStart=$LEAPIO_TOP/runtime/leapiod --config $st/leapiod.json --control-socket /run/leapiod.sock
	ExecStartPost=
	ExecStartPost=-$LEAPIO_TOP/tools/leapioctl/leapioctl -s /run/leapiod.sock vdev adopt
	EOF
	ln -sf ../leapiod.service "$st/systemd/leapio-l1.target.wants/leapiod.service"
	# The package's udev rule (mdevctl's own cannot start devices on
	# Debian 12: dist/udev/61-leapio-mdevctl.rules says why).
	mkdir -p "$st/udev"
	cp "$LEAPIO_TOP/dist/udev/61-leapio-mdevctl.rules" "$st/udev/"
	cp -a "$st/systemd/." /run/systemd/system/
	systemctl daemon-reload
	l1_load_vfio
	out=$(systemctl start leapiod.service 2>&1)
	tap "$(ok_if active)" "systemctl start leapiod: active" \
		"$out$(printf '\n'; journalctl -b -u leapiod.service -q --no-pager | tail -n 20)"
	tap "$(ok_if test -d /sys/module/leapio_host)" "... its ExecStartPre loaded leapio_host"
	pid=$(prop MainPID)

	out=$(mdevctl define -u "$A" -p leapio -t leapio-1q --auto 2>&1 &&
	      mdevctl modify -u "$A" --addattr=leapio/ns_size --value=$ns 2>&1 &&
	      mdevctl define -u "$B" -p leapio -t leapio-1q --auto 2>&1 &&
	      mdevctl modify -u "$B" --addattr=leapio/ns_size --value=$ns 2>&1 &&
	      mdevctl modify -u "$B" --addattr=leapio/backend \
		--value="/dev/vda,offset=$ns,size=$ns" 2>&1)
	tap "$(ok_if test -e "/etc/mdevctl.d/leapio/$A" -a -e "/etc/mdevctl.d/leapio/$B")" \
		"mdevctl define --auto: A, and B with a backend note" "$out"
	out=$(mdevctl start -u "$A" 2>&1 && mdevctl start -u "$B" 2>&1)
	tap "$(ok_if until_true 60 served_by "$A" "$pid")" \
		"mdevctl start A: leapiod serves it from its configuration" "$out"
	tap "$(ok_if until_true 60 served_by "$B" "$pid")" \
		"mdevctl start B: the call-out had leapiod adopt it" \
		"$(journalctl -b -q --no-pager | tail -n 20)"
	printf 'A=%s\nB=%s\n' "$A" "$B" > "$st/setup.env"
	patterns write
	tap "$(ok_if grep -q '^ok 1 ' "$RESULTS/kselftest-unit.tap")" \
		"the VFIO client wrote its patterns to both"
else
	# ---- the second boot: everything comes back by itself ----
	# shellcheck disable=SC1091
	. "$st/setup.env"
	tap "$(ok_if until_true 180 active)" "leapiod.service started at boot (enabled)" \
		"$(systemctl status --no-pager leapiod.service 2>&1 | tail -n 15)"
	pid=$(prop MainPID)
	tap_is "... its ExecStartPre loaded the DKMS module (modprobe)" \
		"$(cat /sys/module/leapio_host/srcversion 2>&1)" \
		"$(modinfo -F srcversion "$(ls "$st"/modroot/lib/modules/"$KVER"/updates/dkms/leapio_host.ko* | head -n 1)" 2>&1)"
	tap "$(ok_if until_true 120 test -e "/sys/bus/mdev/devices/$A" -a \
		-e "/sys/bus/mdev/devices/$B")" "the package's udev rule had mdevctl create A and B at boot" \
		"$(journalctl -b -q --no-pager -t mdevctl | tail -n 20)"
	tap_is "... with their attributes" \
		"$(l1_mdev_attr "$A" ns_size) $(l1_mdev_attr "$B" ns_size) $(l1_mdev_attr "$B" backend)" \
		"$ns $ns /dev/vda,offset=$ns,size=$ns"
	tap "$(ok_if until_true 120 served_by "$A" "$pid")" \
		"leapiod serves A, from its configuration"
	tap "$(ok_if until_true 120 served_by "$B" "$pid")" \
		"... and B, adopted from its note" "$(journalctl -b -q --no-pager | tail -n 30)"
	tap "$(ok_if until_true 60 test "$(prop StatusText)" = "serving 2 vdevs on 1 poller")" \
		"... as its status says" "$(prop StatusText)"
	patterns read
	tap "$(ok_if grep -q '^ok 1 ' "$RESULTS/kselftest-unit.tap")" \
		"the VFIO client reads back what it wrote before the reboot"
	out=$(systemctl stop leapiod.service 2>&1)
	tap_is "systemctl stop: exited 0" "$(prop Result)" success "$out"
fi
bad=$(dmesg | "$here/kmsg-reports.sh")
tap "$(ok_if [ -z "$bad" ])" "kernel log clean" "$bad"
l1_finish
