# shellcheck shell=sh
# The card's side of the SoC pair (run by tests/vm/card/run-card.sh with
# busybox sh; L1's side is tests/vm/card/l1-soc-l2.sh): the product's
# arm64 leapio_soc.ko binds the card's functions, the arm64 leapiod runs
# in card mode and serves the vdev L1 creates (soc-vdev.sh) from the
# card's own NVMe SSD (L1's disk too: run-pair.sh), through the hand-overs
# L1 makes, until L1 unbinds the card at the end; then it stops (SIGTERM:
# drains, exits 0) and the SSD must hold what the guest wrote. TAP in $RESULTS/card-soc.tap, leapiod's log in
# $RESULTS/leapiod.log, its configuration in $RESULTS/leapiod.json.
# Environment: LEAPIO_SOC_CARD_WAIT, seconds to serve before giving up
# (default 1400: L1 boots, runs the nested guest, hands back; within
# run-card.sh's 1500).
set -u
. "$LEAPIO_TOP/tests/vm/card/soc-vdev.sh"
arm=$LEAPIO_TOP/build/arm64
wait_s=${LEAPIO_SOC_CARD_WAIT:-1400}
log=$RESULTS/leapiod.log
conf=$RESULTS/leapiod.json
ssd=/dev/nvme0n1
# The second boot after the card's reset (below): the TAP goes on where
# the first boot left it (card-reboot holds its count).
boot=1
sfx=
# shellcheck source=tests/vm/card/card-side.sh
. "$LEAPIO_TOP/tests/vm/card/card-side.sh"
if [ -f "$RESULTS/card-reboot" ]; then
	boot=2
	tap_n=$(cat "$RESULTS/card-reboot")
	sfx=" (after the card's reset)"
	card_tap_begin "$RESULTS/card-soc.tap" append
else
	card_tap_begin "$RESULTS/card-soc.tap"
fi
say() { echo "card-soc: $*"; }

# The SSD holds the namespace.
ssd_bytes=$(($(cat /sys/block/nvme0n1/size 2>/dev/null || echo 0) * 512))
if [ -b $ssd ] && [ "$ssd_bytes" -ge "$SOC_NS_SIZE" ]; then
	tap 1 "the card's SSD $ssd ($ssd_bytes bytes) holds the vdev's namespace ($SOC_NS_SIZE)$sfx"
else
	tap 0 "the card's SSD $ssd holds the vdev's namespace ($SOC_NS_SIZE bytes)" \
		"$(ls -l /dev/nvme* 2>&1) size $ssd_bytes"
	card_finish
fi

# The card driver on the card's functions.
if card_bind_soc; then
	tap 1 "leapio_soc.ko binds $LEAPIO_CARD_DBELL (DRAM, doorbells) and $LEAPIO_CARD_HOSTWIN (host-DRAM window)$sfx"
else
	tap 0 "leapio_soc.ko binds the card's functions" "$(dmesg | grep leapio_soc)"
	card_finish
fi

card_leapiod_conf "$conf" "    {\"uuid\": \"$SOC_VDEV_UUID\",
     \"backend\": {\"type\": \"block\", \"path\": \"$ssd\"}}"
say "leapiod config:"
cat "$conf"

"$arm/leapiod" --config "$conf" > "$log" 2>&1 &
pid=$!
say "started $arm/leapiod (pid $pid), waiting up to ${wait_s} s for L1"

# The I/Os the card's SSD has done (reads + writes): only the card's
# leapiod uses it here (L1's writes to the same file are not counted).
ssd_ios() {
	read -r r _ _ _ w _ < /sys/block/nvme0n1/stat
	echo $((r + w))
}

# wait_for <seconds> <command...>: poll until the command succeeds,
# bounded by the clock; leapiod dying ends the wait too.
wait_for() {
	_left=$(($1 * 5))
	shift
	until "$@"; do
		kill -0 $pid 2>/dev/null || return 1
		[ $_left -gt 0 ] || return 1
		_left=$((_left - 1))
		sleep 0.2
	done
}
ssd_did() { [ "$(ssd_ios)" -ge "$1" ]; }
ssd_busy() {
	read -r r w < /sys/block/nvme0n1/inflight
	[ $((r + w)) -gt 0 ]
}
attached_in() { grep -q "vdev $SOC_VDEV_UUID: attached" "$1"; }

# Freeze leapiod (SIGSTOP) at a moment it has commands at the SSD: what
# is in flight then was issued and cannot have been completed to the
# guest (only a running leapiod posts), so the journal holds it and a
# kill now hits commands in flight. Checking the SSD and then killing a
# running leapiod is a race the guest's slow trickle of I/O loses (in CI
# five kills in a row found the journal empty). One try per I/O the SSD
# does, within 300 s; the tries in $froze_tries.
freeze_with_io() {
	froze_tries=0
	_until=$(($(date +%s) + 300))
	while [ "$(date +%s)" -lt $_until ]; do
		froze_tries=$((froze_tries + 1))
		kill -STOP $pid 2>/dev/null || return 1
		ssd_busy && return 0
		kill -CONT $pid
		wait_for 60 ssd_did $(($(ssd_ios) + 1)) || return 1
	done
	return 1
}

# make card-l2: the faults below happen while the guest's first fio phase
# runs, which L1 ends only once told here, in the directory both VMs
# share (/ctl/soc-faults, tests/vm/card/l1-soc-l2.sh): "done" once the
# kills and the reset happened and the guest's I/O went on after them,
# else "failed <what>". Written whole (aside, then renamed).
faults=0
grep -qw 'leapio_soc_faults=1' /proc/cmdline && faults=1
ctl=/ctl
faults_say() {
	echo "$*" > "$ctl/soc-faults.tmp" && mv "$ctl/soc-faults.tmp" "$ctl/soc-faults"
}
if [ $faults = 1 ]; then
	mkdir -p $ctl
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 cardctl $ctl
	tap $((! $?)) "the directory shared with L1 is mounted at $ctl$sfx"
fi

# The runtime killed with the guest's I/O in flight and started again
# (make card-l2 only: leapio_soc_faults=1 on the card's command line; not
# make demo-soc or the benchmark): once the guest's I/O flows (32
# SSD I/Os after the attach), kill -9; the new leapiod finds the vdev's
# slot still the card's, attaches, and takes over what the journal in
# the region says was in flight. The guest's fio must not notice (L1
# judges it). Each kill comes with leapiod frozen while commands of it
# are at the SSD (freeze_with_io; card.mk throttles the SSD so that they
# stay there longer); two kills, each after 16 more I/Os, and after each
# the new leapiod's log must say it took commands over from the journal:
# that is the fault this asserts. Killed logs: leapiod-killed-N.log.
if [ $boot = 1 ] && [ $faults = 1 ]; then
	kills=0
	journaled=0
	missing=
	if wait_for "$wait_s" attached_in "$log"; then
		want=$(($(ssd_ios) + 32))
		# The first I/O comes once the nested guest has booted (minutes
		# under TCG in TCG, after the hand-over this attach followed):
		# that wait is the card's whole bound; each next, 300 s.
		bound=$wait_s
		while [ $kills -lt 2 ] && wait_for "$bound" ssd_did "$want"; do
			bound=300
			freeze_with_io || break
			kill -KILL $pid
			wait $pid
			kills=$((kills + 1))
			say "kill $kills: leapiod frozen with commands at the SSD (try $froze_tries)"
			mv "$log" "$RESULTS/leapiod-killed-$kills.log"
			"$arm/leapiod" --config "$conf" > "$log" 2>&1 &
			pid=$!
			wait_for 120 attached_in "$log" || break
			found=$(grep "vdev $SOC_VDEV_UUID: from the journal" "$log")
			if [ -n "$found" ]; then
				journaled=$((journaled + 1))
				say "kill $kills: $found"
			else
				missing="after kill $kills its log has no 'from the journal' line"
			fi
			want=$(($(ssd_ios) + 16))
		done
	fi
	tap $((kills == 2)) "leapiod killed (-9) twice, frozen with commands of the guest at the SSD ($kills times)"
	attached_in "$log"
	tap $((! $?)) "a new leapiod attached the vdev after each kill, with no hand-over" \
		"$(tail -n 20 "$log")"
	tap $((kills == 2 && journaled == kills)) "each kill hit commands in flight: the new leapiod took them over from the journal" \
		"${missing:-$journaled of $kills kills}"

	# The card reset with the guest's I/O in flight (make card-l2 only):
	# once 16 more I/Os went by and commands are at the SSD, a reset
	# with no shutdown and no sync, as a card's watchdog would do; the
	# VM resets in place (run-card.sh's LEAPIO_CARD_RESETS) and its
	# init runs this script again, which sees card-reboot. Card DRAM,
	# kept by the ivshmem server, and the SSD outlive the reset: the
	# next leapiod attaches and takes over from the journal, and the
	# guest, whose I/O waited meanwhile, goes on (L1 judges it).
	# No reset without the guest's I/O at the SSD: L1 holds the guest in
	# its first fio until told, so the I/O is there unless something
	# broke, which is then a failure, said to L1 too. Between two of its
	# rounds (fio starting again, nested under TCG) the SSD may idle for
	# half a minute: the waits for I/O allow minutes.
	if wait_for 300 ssd_did $(($(ssd_ios) + 16)) && wait_for 300 ssd_busy; then
		say "resetting the card with I/O in flight"
		mv "$log" "$RESULTS/leapiod-boot1.log"
		echo "$tap_n" > "$RESULTS/card-reboot"
		echo b > /proc/sysrq-trigger
		sleep 60
		tap 0 "the card reset (sysrq b)"
		card_finish
	fi
	tap 0 "the guest's I/O at the card's SSD, for the reset" \
		"$(cat /sys/block/nvme0n1/stat /sys/block/nvme0n1/inflight)"
	faults_say "failed: no guest I/O at the card's SSD to reset under"
fi
if [ $boot = 2 ]; then
	wait_for 300 attached_in "$log"
	attached=$?
	tap $((! attached)) "after the card's reset a new leapiod attached the vdev, with no hand-over" \
		"$(tail -n 20 "$log")"
	# Whether the reset caught commands in the journal is the moment's
	# luck (one reset, where the kills above retry until one does): said,
	# not asserted; the guest's fio, judged by L1, is what must hold.
	found=$(grep "vdev $SOC_VDEV_UUID: from the journal" "$log")
	echo "# after the reset: ${found:-the journal was empty}" >&3
	# The guest's I/O goes on, served by this leapiod, before L1 is told.
	wait_for 300 ssd_did $(($(ssd_ios) + 16))
	went_on=$?
	tap $((! went_on)) "the guest's I/O went on after the card's reset (16 more at the SSD)" \
		"$(cat /sys/block/nvme0n1/stat)"
	if [ $attached = 0 ] && [ $went_on = 0 ]; then
		faults_say "done"
	else
		faults_say "failed: after the reset, attached $((! attached)), the guest's I/O went on $((! went_on))"
	fi
fi

# Served until L1 lets the card go (it unbinds it last): the log says so
# (leapiod.rst, "Card mode"). Bounded by the clock; leapiod dying ends
# the wait too.
t=0
while ! grep -q "card: the host driver let the card go" "$log" &&
	kill -0 $pid 2>/dev/null && [ $t -lt "$wait_s" ]; do
	sleep 1
	t=$((t + 1))
done
alive=0
kill -0 $pid 2>/dev/null && alive=1
tap $alive "leapiod ran until L1 let the card go (${t} s)" "$(tail -n 20 "$log")"
# Each hand-over to the card attaches, each to the host lets go: L1 hands
# the vdev to the card first and takes it back last, so the two counts
# are equal (one each, or more with make card-l2's hand-overs; a leapiod
# started after a kill attaches without a hand-over, in place of the one
# killed, whose log is apart).
na=$(grep -c "vdev $SOC_VDEV_UUID: attached" "$log")
nh=$(grep -c "vdev $SOC_VDEV_UUID: handed over to the host" "$log")
tap $((na >= 1)) "leapiod attached the vdev when it was the card's ($na times)"
tap $((nh == na)) "leapiod let the vdev go each time L1 took it back ($nh of $na)"

kill -TERM $pid 2>/dev/null
wait $pid
lrc=$?
tap $((lrc == 0)) "leapiod exits 0 on SIGTERM (exit $lrc)" "$(tail -n 20 "$log")"
say "leapiod's log:"
cat "$log"

# The guest's writes are on the card's SSD (a fresh, zeroed file each
# run): its first MiB, where the guest's fio wrote, is not all zeroes.
echo 3 > /proc/sys/vm/drop_caches
nz=$(dd if=$ssd bs=1048576 count=1 2>/dev/null | tr -d '\000' | wc -c)
tap $((nz > 0)) "the card's SSD holds the guest's data ($nz non-zero bytes in its first MiB)"

rmmod leapio_soc
tap $((! $?)) "leapio_soc.ko unloads"
card_finish
