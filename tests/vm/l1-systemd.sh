#!/bin/bash
# leapiod.service (dist/systemd/leapiod.service, the unit the package
# installs) under a real systemd: L1 booted with systemd as init
# (run-l1.sh with LEAPIO_L1_INIT=systemd; this script is a service of
# it). The unit is used as shipped, with a drop-in for what differs in
# the rig: leapiod from this tree, its configuration under /run (the
# root is read only), a 2 s watchdog. Checked: start returns once leapiod
# said READY, with the controller of its configuration attached, and a
# second one, which only has a leapio/backend note, adopted by the unit's
# ExecStartPost; systemd's status line; reload (SIGHUP) comes back READY;
# kill -9 is followed by a restart that attaches both again; the
# kselftest test_unit_restart: kill -9 with the VFIO client's I/O in
# flight, nothing lost (its TAP in $RESULTS/kselftest-unit.tap); a
# leapiod that stops answering (SIGSTOP) is killed by the watchdog and
# restarted; stop leaves the controllers with no runtime.
# TAP in $RESULTS/l1.tap.
set -uo pipefail

here=$LEAPIO_TOP/tests/vm
# shellcheck source=tests/vm/tap.sh
. "$here/tap.sh"
# shellcheck source=tests/vm/l1-lib.sh
. "$here/l1-lib.sh"
exec 3> "$RESULTS/l1.tap"
TAP_FD=3
echo "TAP version 13" >&3

prop() {	# prop <property>: leapiod.service's, as systemctl shows it
	systemctl show -P "$1" leapiod.service
}
# Until leapiod.service's property is (or, with !, is not) value; 60 s at
# most, asking every 100 ms. 0 when it came.
until_prop() {
	local p=$1 want=$2 neg=0
	[ "${want:0:1}" = "!" ] && { neg=1; want=${want:1}; }
	for _ in $(seq 600); do
		if [ "$(prop "$p")" = "$want" ]; then
			[ $neg = 0 ] && return 0
		elif [ $neg = 1 ]; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}
# Until mdev uuid's attribute is value; 60 s at most.
until_attr() {
	for _ in $(seq 600); do
		[ "$(l1_mdev_attr "$1" "$2")" = "$3" ] && return 0
		sleep 0.1
	done
	return 1
}

tap_is "systemd is PID 1" "$(cat /proc/1/comm)" systemd
l1_load_vfio
tap "$(ok_if l1_insmod_leapio)" "insmod leapio_host.ko"
uuid=$(l1_mdev_create leapio-1q 16777216 512)
tap "$(ok_if test -n "$uuid")" "mdev leapio-1q created"
# A loop device over a tmpfs file: tmpfs takes O_DIRECT only from 6.6 on.
backing=$(l1_backing_create /tmp/disk.img 16M)
tap "$(ok_if test -b "$backing")" "backing store: loop device $backing"
# The second controller: not in the configuration, its backend a note.
uuid2=$(l1_mdev_create leapio-1q 16777216 512)
backing2=$(l1_backing_create /tmp/disk2.img 16M)
echo "$backing2" > "/sys/bus/mdev/devices/$uuid2/leapio/backend"
tap_is "a second mdev, with a leapio/backend note" "$(l1_mdev_attr "$uuid2" backend)" "$backing2"

mkdir -p /run/leapio /run/systemd/system/leapiod.service.d
cat > /run/leapio/leapiod.json <<JSON
{"pollers": [{}], "vdevs": [{"uuid": "$uuid", "backend": {"type": "block", "path": "$backing"}}]}
JSON
ln -sf "$LEAPIO_TOP/dist/systemd/leapiod.service" /run/systemd/system/leapiod.service
cat > /run/systemd/system/leapiod.service.d/rig.conf <<EOF
[Service]
ExecStartPre=
ExecStart=
ExecStart=$LEAPIO_TOP/runtime/leapiod --config /run/leapio/leapiod.json --control-socket /run/leapiod.sock
ExecStartPost=
ExecStartPost=-$LEAPIO_TOP/tools/leapioctl/leapioctl -s /run/leapiod.sock vdev adopt
WatchdogSec=2
EOF
systemctl daemon-reload

out=$(systemctl start leapiod.service 2>&1)
tap "$(ok_if test "$(prop ActiveState)" = active)" "systemctl start leapiod: active" \
	"$out$(printf '\n'; journalctl -b -u leapiod.service -q --no-pager | tail -n 20)"
pid=$(prop MainPID)
tap "$(ok_if test "$pid" -gt 0 -a "$(l1_mdev_attr "$uuid" runtime_pid)" = "$pid")" \
	"... once READY: the controller is attached to it (runtime_pid $pid)"
tap_is "... and the one with a note, adopted by ExecStartPost before start returned" \
	"$(l1_mdev_attr "$uuid2" runtime_pid)" "$pid"
tap "$(ok_if until_prop StatusText "serving 2 vdevs on 1 poller")" \
	"... and its status says what it serves" "$(prop StatusText)"
tap_is "the watchdog is 2 s" "$(prop WatchdogUSec)" 2s
t0=$(prop WatchdogTimestampMonotonic)
tap "$(ok_if until_prop WatchdogTimestampMonotonic "!$t0")" "keep-alives come"

out=$(systemctl reload leapiod.service 2>&1)
tap "$(ok_if test "$(prop ActiveState)" = active)" "systemctl reload: active again (RELOADING, then READY)" "$out"
tap_is "... the same leapiod" "$(prop MainPID)" "$pid"
tap "$(ok_if journalctl -b -u leapiod.service -q --no-pager -g 'SIGHUP')" "... which had the SIGHUP"
tap_is "... and still serves the adopted controller (the note, not the file, is its record)" \
	"$(l1_mdev_attr "$uuid2" runtime_pid)" "$pid"

kill -9 "$pid"
tap "$(ok_if until_prop NRestarts 1)" "kill -9: systemd starts it again (Restart=on-failure)" \
	"$(systemctl status --no-pager leapiod.service 2>&1 | tail -n 15)"
until_prop ActiveState active
pid2=$(prop MainPID)
tap "$(ok_if test "$pid2" != "$pid" -a "$pid2" != 0)" "... a new leapiod"
tap "$(ok_if until_attr "$uuid" runtime_pid "$pid2")" "... which attaches the controller again"
tap "$(ok_if until_attr "$uuid2" runtime_pid "$pid2")" "... and adopts the one with a note again"

# The VFIO client's I/O through the unit's leapiod across kill -9.
LEAPIO_KO=$LEAPIO_KO "$LEAPIO_TOP/tests/kselftest/run.sh" test_unit_restart \
	> "$RESULTS/kselftest-unit.tap" 2>&1
until_prop ActiveState active
pid2=$(prop MainPID)

restarts=$(prop NRestarts)
kill -STOP "$pid2"
tap "$(ok_if until_prop NRestarts $((restarts + 1)))" "SIGSTOP: no keep-alive, the watchdog kills it and systemd starts another" \
	"$(journalctl -b -u leapiod.service -q --no-pager | tail -n 10)"
tap "$(ok_if journalctl -b -u leapiod.service -q --no-pager -g 'Watchdog timeout')" \
	"... as systemd's journal says"
until_prop ActiveState active
pid3=$(prop MainPID)
tap "$(ok_if until_attr "$uuid" runtime_pid "$pid3")" "... and the next one attaches the controller"
tap "$(ok_if until_attr "$uuid2" runtime_pid "$pid3")" "... and the one with a note"

out=$(systemctl stop leapiod.service 2>&1)
tap_is "systemctl stop: inactive" "$(prop ActiveState)" inactive
tap_is "... having exited 0 (drained on SIGTERM)" "$(prop Result)" success
tap_is "... and the controllers have no runtime" \
	"$(l1_mdev_attr "$uuid" runtime_pid) $(l1_mdev_attr "$uuid2" runtime_pid)" "0 0"
tap "$(ok_if l1_mdev_remove "$uuid" && l1_mdev_remove "$uuid2")" "mdevs removed"
l1_backing_remove "$backing"
l1_backing_remove "$backing2"
tap "$(ok_if rmmod leapio_host)" "rmmod leapio_host"
bad=$(dmesg | "$here/kmsg-reports.sh")
tap "$(ok_if [ -z "$bad" ])" "kernel log clean" "$bad"
tap_plan
[ "$tap_failed" = 0 ]
