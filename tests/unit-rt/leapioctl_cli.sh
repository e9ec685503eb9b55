#!/bin/bash
# leapioctl against a live leapiod on a control socket in a temporary
# directory, no kernel needed: a vdev added for an mdev that does not
# exist waits for it ("no such mdev yet"), which is enough to list, show,
# change, save and remove it. Exit statuses and output, as an operator
# sees them. A TAP stream, run by `make unit-rt` from the top of the tree.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd -P)
lctl=$top/tools/leapioctl/leapioctl
leapiod=$top/runtime/leapiod
tmp=$(mktemp -d)
sock=$tmp/leapiod.sock
U1=6f1a0c8e-0000-4000-8000-0000000000c1
U2=6f1a0c8e-0000-4000-8000-0000000000c2
U3=6f1a0c8e-0000-4000-8000-0000000000c3
U4=6f1a0c8e-0000-4000-8000-0000000000c4
U5=6f1a0c8e-0000-4000-8000-0000000000c5
U6=6f1a0c8e-0000-4000-8000-0000000000c6
U7=6f1a0c8e-0000-4000-8000-0000000000c7
n=0 rc=0
pid=

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

tap() {	# tap <0|1> <what> [diagnostic]
	n=$((n + 1))
	if [ "$1" = 1 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		[ -n "${3:-}" ] && sed 's/^/# /' <<< "$3"
		rc=1
	fi
}
# expect <status> <words or ""> <what> -- leapioctl args...
expect() {
	local want=$1 words=$2 what=$3 out st
	shift 4
	out=$("$lctl" -s "$sock" "$@" 2>&1); st=$?
	if [ "$st" = "$want" ] && { [ -z "$words" ] || grep -qF -- "$words" <<< "$out"; }; then
		tap 1 "$what"
	else
		tap 0 "$what" "exit $st (want $want), output:
$out"
	fi
}

echo "TAP version 13"
echo "1..51"
if [ ! -x "$lctl" ] || [ ! -x "$leapiod" ]; then
	echo "Bail out! leapioctl or leapiod not built (make)"
	exit 1
fi

truncate -s 1M "$tmp/disk.img"
echo '{"vdevs": []}' > "$tmp/leapiod.json"
"$leapiod" --config "$tmp/leapiod.json" --control-socket "$sock" > "$tmp/leapiod.log" 2>&1 &
pid=$!
# Bounded: until it answers (each try a leapioctl run, no sleep between).
for _ in $(seq 3000); do
	"$lctl" -s "$sock" methods > /dev/null 2>&1 && break
	kill -0 "$pid" 2>/dev/null || break
done

expect 0 "vdev_set_backend" "methods lists what the socket answers to" -- methods
expect 0 "UUID" "vdev list: a header and nothing else at first" -- vdev list
expect 0 "$U1  0       null" "vdev add UUID=null: added, shown as a row" -- vdev add "$U1=null"
expect 0 "readonly" "vdev add with offset, size and readonly" -- \
	vdev add "$U2=$tmp/disk.img,offset=4096,size=8192,readonly"
out=$("$lctl" -s "$sock" vdev list 2>&1)
tap "$([ "$(grep -c '^6f1a0c8e' <<< "$out")" = 2 ] && echo 1 || echo 0)" \
	"vdev list: both, one row each" "$out"
expect 0 '"offset": 4096' "-o json vdev get: the vdev as the file has it" -- -o json vdev get "$U2"
expect 0 "" "vdev set-backend: another backend" -- vdev set-backend "$U1=$tmp/disk.img"
expect 0 "$tmp/disk.img" "... which vdev get shows" -- vdev get "$U1"
expect 0 "$tmp/disk.img" "vdev resize UUID 2M: a file backend grown" -- vdev resize "$U1" 2M
tap "$([ "$(stat -c %s "$tmp/disk.img")" = $((2 << 20)) ] && echo 1 || echo 0)" \
	"... the file holds 2 MiB now" "$(stat -c %s "$tmp/disk.img")"
expect 1 "not shrunk" "vdev resize to less: refused, exit 1" -- vdev resize "$U1" 1M
expect 2 "not a size" "vdev resize with no size leapioctl can read: exit 2" -- \
	vdev resize "$U1" 2Q
expect 2 "--ns x: not a namespace" "vdev resize --ns with no NSID: exit 2" -- \
	vdev resize "$U1" 2M --ns x
expect 1 "give namespace 2 no backend" "vdev resize --ns 2 of a vdev without it: exit 1" -- \
	vdev resize "$U1" 2M --ns 2
expect 1 "is a character device" "a backend leapiod cannot use: refused with its reason" -- \
	vdev set-backend "$U1=/dev/null,type=block"
expect 2 "poller= cannot change" "vdev set-backend refuses a poller change" -- \
	vdev set-backend "$U1=null,poller=1"
expect 1 "running already" "vdev add of a served mdev: refused, exit 1" -- vdev add "$U1=null"
expect 1 "no vdev 6f1a0c8e-0000-4000-8000-0000000000c9" "vdev remove of an unknown one: exit 1" -- \
	vdev remove 6f1a0c8e-0000-4000-8000-0000000000c9
expect 2 "type cannot be guessed" "a bad vdev is refused by leapiod's own parser, exit 2" -- \
	vdev add "$U1=$tmp/nonexistent"
expect 0 "" "save-config PATH" -- save-config "$tmp/saved.json"
tap "$(grep -q "$U2" "$tmp/saved.json" 2>/dev/null && echo 1 || echo 0)" \
	"the saved file lists the vdevs" "$(cat "$tmp/saved.json" 2>&1)"
# Statistics: the vdevs wait for their mdevs, so every count is 0.
expect 0 "$U2  write  0         0B     0       -" "stats: a row per vdev and class" -- stats
expect 0 '"lat_hist": []' "-o json stats UUID: that vdev's figures" -- -o json stats "$U2"
expect 1 "no vdev 6f1a0c8e-0000-4000-8000-0000000000c9" "stats of an unknown vdev: exit 1" -- \
	stats 6f1a0c8e-0000-4000-8000-0000000000c9
expect 0 "0       any  2" "stats --pollers: the poller and its two vdevs" -- stats --pollers
expect 0 "$U1  0.0  0.0  0.00    0.00    -      -      -      -      0.0" \
	"top -n 1: one interval, every vdev" -- top -d 0.1 -n 1
out=$("$lctl" -s "$sock" -o json top -d 0.1 -n 2 "$U2" 2>&1)
tap "$([ "$(grep -c '^{"interval_ns":[0-9]*,"vdevs":\[{"uuid":"'"$U2"'"' <<< "$out")" = 2 ] &&
	echo 1 || echo 0)" "-o json top -n 2 UUID: a JSON line an interval, that vdev only" "$out"
expect 2 "seconds, 0.1 to 3600" "top -d 0: exit 2" -- top -d 0
expect 2 "not -d SECONDS" "top with two UUIDs: exit 2" -- top "$U1" "$U2"
expect 0 "" "vdev remove" -- vdev remove "$U1"
expect 3 "is leapiod running" "no leapiod on the socket: exit 3" -- -s "$tmp/none.sock" vdev list
expect 2 "no such command" "an unknown command: exit 2" -- frob

# mdevctl's call-out: mdevctl's arguments, the definition on stdin.
callout() {	# callout <definition> <type> <event> <action>
	"$lctl" mdevctl-callout -t "$2" -e "$3" -a "$4" -s none -u "$U1" -p leapio <<< "$1" 2>&1
}
out=$(callout '{"attrs": [{"leapio/lba_size": "4096"}]}' leapio-1q pre start); st=$?
tap "$([ $st = 0 ] && [ -z "$out" ] && echo 1 || echo 0)" "callout: a good definition, exit 0" "$out"
out=$(callout '{"attrs": [{"leapio/lba_size": "520"}]}' leapio-1q pre define); st=$?
tap "$([ $st = 1 ] && grep -q "define $U1 refused: attrs\[0\] leapio/lba_size=520" <<< "$out" &&
	echo 1 || echo 0)" "callout: a bad attribute refused, exit 1, with the reason" "$out"
out=$(callout '{}' i915-GVTg_V5_4 pre start); st=$?
tap "$([ $st = 2 ] && echo 1 || echo 0)" "callout: another type's device, exit 2 (not ours)" "$out"
out=$(callout 'not json' leapio-1q post stop); st=$?
tap "$([ $st = 0 ] && echo 1 || echo 0)" "callout: post events but a start's are let through" "$out"

# Backend notes (leapio/backend) in a sysfs tree of the test's own: U3
# has one, U4 none, U5 one leapiod's parser refuses.
export LEAPIOCTL_SYSFS_ROOT=$tmp/root
mdev() {	# mdev <uuid> <backend note>
	mkdir -p "$tmp/root/sys/bus/mdev/devices/$1/leapio"
	ln -s /sys/class/mdev_bus/leapio/mdev_supported_types/leapio-1q \
		"$tmp/root/sys/bus/mdev/devices/$1/mdev_type"
	echo "$2" > "$tmp/root/sys/bus/mdev/devices/$1/leapio/backend"
}
mdev "$U3" "$tmp/disk.img,readonly"
mdev "$U4" ""
expect 0 "$U3  leapio-1q  -        -    -        $tmp/disk.img,readonly" \
	"mdev list: the backend note as a column" -- mdev list
expect 0 "$U3: added (backend $tmp/disk.img,readonly)" \
	"vdev adopt: the mdev with a note is served" -- vdev adopt
expect 0 "readonly" "... with the note's backend and options" -- vdev get "$U3"
expect 0 "$U3: served already" "vdev adopt again: nothing to do, exit 0" -- vdev adopt
expect 0 "$U4: no backend note" "vdev adopt UUID without a note: exit 0" -- vdev adopt "$U4"
mdev "$U5" "$tmp/nonexistent"
expect 1 "$U5: leapio/backend $tmp/nonexistent: " \
	"vdev adopt of a note leapiod's parser refuses: exit 1, why" -- vdev adopt "$U5"
"$lctl" -s "$sock" vdev remove "$U3" > /dev/null 2>&1
out=$(LEAPIOD_SOCKET=$sock "$lctl" mdevctl-callout -t leapio-1q -e post -a start -s success \
	-u "$U3" -p leapio < /dev/null 2>&1); st=$?
tap "$([ $st = 0 ] && grep -q "$U3: added" <<< "$out" &&
	"$lctl" -s "$sock" vdev get "$U3" > /dev/null 2>&1 && echo 1 || echo 0)" \
	"callout after a start: leapiod serves the device with its note" "$out"
out=$(LEAPIOD_SOCKET=$tmp/none.sock "$lctl" mdevctl-callout -t leapio-1q -e post -a start \
	-s success -u "$U3" -p leapio < /dev/null 2>&1); st=$?
tap "$([ $st = 0 ] && grep -q "leapiod.service serves the device when it starts" <<< "$out" &&
	echo 1 || echo 0)" "callout after a start with no leapiod: exit 0, says who will" "$out"
expect 0 '"adopted": true' "vdev get: an adopted vdev says so" -- -o json vdev get "$U3"
expect 0 "" "save-config PATH with an adopted vdev" -- save-config "$tmp/saved2.json"
tap "$(grep -q "$U2" "$tmp/saved2.json" && ! grep -q "$U3" "$tmp/saved2.json" &&
	echo 1 || echo 0)" "... leaves it out: its note is its record" "$(cat "$tmp/saved2.json")"
# SIGHUP: the file (no vdevs) runs, but the adopted vdev stays. Bounded:
# until the reload has removed U2, each try a leapioctl run.
kill -HUP "$pid"
for _ in $(seq 3000); do
	"$lctl" -s "$sock" vdev get "$U2" > /dev/null 2>&1 || break
done
expect 1 "no vdev $U2" "SIGHUP: the vdev added through the socket is gone" -- vdev get "$U2"
expect 0 "$U3" "... the adopted one stays" -- vdev get "$U3"

# Event get: a running device's settings as attributes, namespaces 2..16
# that exist (lba_size first), none from a driver without them (U7).
mdev "$U6" ""
d=$tmp/root/sys/bus/mdev/devices/$U6/leapio
for i in $(seq 2 16); do echo 0 > "$d/ns${i}_size"; echo 512 > "$d/ns${i}_lba_size"; done
echo 4096 > "$d/lba_size"; echo 1073741824 > "$d/ns_size"; echo 30000 > "$d/runtime_grace_ms"
echo 4096 > "$d/ns2_lba_size"; echo 1048576 > "$d/ns2_size"
echo 4096 > "$d/ns3_lba_size"	# no namespace 3: not exported
echo 8192 > "$d/ns16_size"
want='[{"leapio/lba_size":"4096"},{"leapio/ns_size":"1073741824"},{"leapio/ns2_lba_size":"4096"},{"leapio/ns2_size":"1048576"},{"leapio/ns16_lba_size":"512"},{"leapio/ns16_size":"8192"},{"leapio/runtime_grace_ms":"30000"}]'
out=$("$lctl" mdevctl-callout -t leapio-1q -e get -a define -s none -u "$U6" -p leapio \
	< /dev/null 2>&1); st=$?
tap "$([ $st = 0 ] && [ "$(tr -d ' \n' <<< "$out")" = "$want" ] && echo 1 || echo 0)" \
	"callout get: the namespaces that exist, ns<N>_lba_size before ns<N>_size" "$out"
def="{\"attrs\": $out}"
out=$(callout "$def" leapio-1q pre define); st=$?
tap "$([ $st = 0 ] && [ -z "$out" ] && echo 1 || echo 0)" \
	"callout: what get gave defines the device again" "$out"
mdev "$U7" "$tmp/disk.img"
d=$tmp/root/sys/bus/mdev/devices/$U7/leapio
echo 512 > "$d/lba_size"; echo 4096 > "$d/ns_size"; echo 0 > "$d/runtime_grace_ms"
want='[{"leapio/lba_size":"512"},{"leapio/ns_size":"4096"},{"leapio/runtime_grace_ms":"0"},{"leapio/backend":"'"$tmp"'/disk.img"}]'
out=$("$lctl" mdevctl-callout -t leapio-1q -e get -a define -s none -u "$U7" -p leapio \
	< /dev/null 2>&1); st=$?
tap "$([ $st = 0 ] && [ "$(tr -d ' \n' <<< "$out")" = "$want" ] && echo 1 || echo 0)" \
	"callout get: no ns<N>_size files (an older driver), no namespaces 2..16" "$out"
rm "$d/ns_size"
out=$("$lctl" mdevctl-callout -t leapio-1q -e get -a define -s none -u "$U7" -p leapio \
	< /dev/null 2>&1); st=$?
tap "$([ $st = 1 ] && grep -q "leapio/ns_size unreadable" <<< "$out" && echo 1 || echo 0)" \
	"callout get: an attribute every driver has unreadable, exit 1" "$out"
exit $rc
