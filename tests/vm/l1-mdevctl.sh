#!/bin/bash
# Sourced by l1-main.sh, leapio_host loaded: mdevctl defines, starts,
# lists and stops a leapio device with attributes applied in its order,
# through the call-out the leapiod package installs (dist/mdevctl/leapio,
# running this tree's leapioctl), which refuses a definition the driver
# would refuse, before anything is written. mdevctl keeps definitions in
# /etc/mdevctl.d, read only in L1: a tmpfs there for the test. l1-main.sh
# runs with set -e: every command that may fail here says what then.
# A second definition carries a leapio/backend note: the call-out checks
# it with leapiod's parser, and after mdevctl start has a running leapiod
# serve the device.
l1_mdevctl_check() {
	local d=/etc/mdevctl.d u out st p=leapio bad=/tmp/mdevctl-bad.json

	if ! command -v mdevctl > /dev/null; then
		tap 0 "mdevctl is installed" "scripts/setup.sh installs it"
		return
	fi
	mount -t tmpfs mdevctl "$d" || { tap 0 "a tmpfs on $d"; return; }
	mkdir -p "$d/scripts.d/callouts" "$d/scripts.d/notifiers"
	ln -s "$LEAPIO_TOP/dist/mdevctl/leapio" "$d/scripts.d/callouts/leapio" || true
	export LEAPIOCTL=$LEAPIO_TOP/tools/leapioctl/leapioctl
	u=$(cat /proc/sys/kernel/random/uuid)

	out=$(mdevctl define -u "$u" -p "$p" -t leapio-1q 2>&1) || true
	tap "$(ok_if test -e "$d/$p/$u")" "mdevctl define a leapio-1q device" "$out"
	out=$(mdevctl modify -u "$u" --addattr=leapio/lba_size --value=4096 2>&1 &&
	      mdevctl modify -u "$u" --addattr=leapio/ns_size --value=16777216 2>&1) || true
	tap "$(ok_if grep -q 'leapio/ns_size' "$d/$p/$u")" \
		"mdevctl modify adds lba_size then ns_size" "$out"
	out=$(mdevctl start -u "$u" 2>&1) || true
	tap "$(ok_if test -d "/sys/bus/mdev/devices/$u")" "mdevctl start creates it" "$out"
	tap_is "... with lba_size written first" \
		"$(cat "/sys/bus/mdev/devices/$u/leapio/lba_size" 2>&1)" 4096
	tap_is "... and ns_size after it" \
		"$(cat "/sys/bus/mdev/devices/$u/leapio/ns_size" 2>&1)" 16777216
	out=$(mdevctl list 2>&1) || true
	tap "$(ok_if grep -q "$u $p leapio-1q" <<< "$out")" "mdevctl list shows it" "$out"
	out=$(mdevctl list -d -u "$u" --dumpjson 2>&1) || true
	tap "$(ok_if grep -q '"leapio/lba_size": "4096"' <<< "$out")" \
		"mdevctl list -d --dumpjson: its attributes" "$out"
	out=$(mdevctl stop -u "$u" 2>&1) || true
	tap "$(ok_if test ! -e "/sys/bus/mdev/devices/$u")" "mdevctl stop removes it" "$out"

	# Refused by the call-out: nothing defined, nothing written.
	st=0
	out=$(mdevctl modify -u "$u" --addattr=leapio/ns_size --value=12345 2>&1) || st=$?
	tap "$(ok_if test "$st" != 0 -a -n "$(grep 'non-zero multiple' <<< "$out")")" \
		"mdevctl modify to an ns_size the driver refuses: refused, with the reason" "$out"
	tap "$(if grep -q 12345 "$d/$p/$u"; then echo 0; else echo 1; fi)" \
		"... and the definition unchanged"
	cat > "$bad" <<-JSON
	{"mdev_type": "leapio-1q", "start": "manual",
	 "attrs": [{"leapio/ns_size": "64G"}]}
	JSON
	st=0
	out=$(mdevctl define -p "$p" --jsonfile "$bad" 2>&1) || st=$?
	tap "$(ok_if test "$st" != 0 -a -n "$(grep 'not a number of bytes' <<< "$out")")" \
		"mdevctl define with ns_size=64G: refused, the driver takes bytes" "$out"
	tap_is "... and nothing more defined" "$(ls "$d/$p" 2>&1)" "$u"
	out=$(mdevctl undefine -u "$u" 2>&1) || true
	tap "$(ok_if test ! -e "$d/$p/$u")" "mdevctl undefine" "$out"
	l1_mdevctl_backend_note "$p"
	unset LEAPIOCTL
	umount "$d" || true
}

# The definition with a backend note, a leapiod with a control socket and
# no vdev of its own to serve it.
l1_mdevctl_backend_note() {
	local p=$1 u out st backing lpid sock=/tmp/lio-mdevctl.sock
	local log=$RESULTS/leapiod-mdevctl.log

	backing=$(l1_backing_create /tmp/mdevctl-disk.img 16M) || backing=
	"$LEAPIOD" --control-socket "$sock" > "$log" 2>&1 &
	lpid=$!
	for _ in $(seq 600); do
		"$LEAPIOCTL" -s "$sock" methods > /dev/null 2>&1 && break
		l1_alive "$lpid" || break
		sleep 0.1
	done
	export LEAPIOD_SOCKET=$sock
	u=$(cat /proc/sys/kernel/random/uuid)
	out=$(mdevctl define -u "$u" -p "$p" -t leapio-1q 2>&1 &&
	      mdevctl modify -u "$u" --addattr=leapio/ns_size --value=16777216 2>&1) || true
	st=0
	out=$(mdevctl modify -u "$u" --addattr=leapio/backend --value=/nonexistent/disk 2>&1) || st=$?
	tap "$(ok_if test "$st" != 0 -a -n "$(grep 'does not exist' <<< "$out")")" \
		"mdevctl modify with a backend note leapiod's parser refuses: refused, with its reason" "$out"
	out=$(mdevctl modify -u "$u" --addattr=leapio/backend --value="$backing" 2>&1) || true
	tap "$(ok_if grep -q "\"leapio/backend\": \"$backing\"" "/etc/mdevctl.d/$p/$u")" \
		"mdevctl modify adds a backend note ($backing)" "$out"
	out=$(mdevctl start -u "$u" 2>&1) || true
	tap_is "mdevctl start: the driver keeps the note" \
		"$(l1_mdev_attr "$u" backend 2>&1)" "$backing" "$out"
	for _ in $(seq 600); do
		[ "$(l1_mdev_attr "$u" runtime_pid 2>/dev/null)" = "$lpid" ] && break
		sleep 0.1
	done
	tap_is "... and after the start the call-out had leapiod serve it" \
		"$(l1_mdev_attr "$u" runtime_pid 2>&1)" "$lpid" "$(cat "$log")"
	out=$("$LEAPIOCTL" -s "$sock" -o json vdev get "$u" 2>&1) || true
	tap "$(ok_if grep -q "\"path\": \"$backing\"" <<< "$out")" \
		"... with the note's backend (leapioctl vdev get)" "$out"
	out=$(mdevctl stop -u "$u" 2>&1) || true
	tap "$(ok_if test ! -e "/sys/bus/mdev/devices/$u")" \
		"mdevctl stop removes it from under leapiod" "$out"
	kill -TERM "$lpid" 2>/dev/null || true
	st=0
	wait "$lpid" || st=$?
	tap_is "... which then exits 0 on SIGTERM" "$st" 0 "$(cat "$log")"
	out=$(mdevctl undefine -u "$u" 2>&1) || true
	unset LEAPIOD_SOCKET
	[ -z "$backing" ] || l1_backing_remove "$backing" || true
}
