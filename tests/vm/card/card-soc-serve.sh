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
n=0
failed=0

exec 3> "$RESULTS/card-soc.tap"
echo "TAP version 13" >&3
tap() {
	n=$((n + 1))
	if [ "$1" = 1 ]; then
		echo "ok $n $2" >&3
	else
		echo "not ok $n $2" >&3
		[ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/# /' >&3
		failed=1
	fi
}
finish() {
	echo "1..$n" >&3
	dmesg > "$RESULTS/dmesg.txt"
	exit $failed
}
say() { echo "card-soc: $*"; }

# The SSD holds the namespace.
ssd_bytes=$(($(cat /sys/block/nvme0n1/size 2>/dev/null || echo 0) * 512))
if [ -b $ssd ] && [ "$ssd_bytes" -ge "$SOC_NS_SIZE" ]; then
	tap 1 "the card's SSD $ssd ($ssd_bytes bytes) holds the vdev's namespace ($SOC_NS_SIZE)"
else
	tap 0 "the card's SSD $ssd holds the vdev's namespace ($SOC_NS_SIZE bytes)" \
		"$(ls -l /dev/nvme* 2>&1) size $ssd_bytes"
	finish
fi

# The card driver on the card's functions.
if insmod "$arm/kmod/$KVER/kernel/soc/leapio_soc.ko" \
	dram="$LEAPIO_CARD_DBELL" hostmem="$LEAPIO_CARD_HOSTWIN" &&
	[ -c /dev/leapio_soc ]; then
	tap 1 "leapio_soc.ko binds $LEAPIO_CARD_DBELL (DRAM, doorbells) and $LEAPIO_CARD_HOSTWIN (host-DRAM window)"
else
	tap 0 "leapio_soc.ko binds the card's functions" "$(dmesg | grep leapio_soc)"
	finish
fi

# The host-DRAM window map: L1's RAM below lowmem at offset 0, the rest
# from 4 GiB right after it (q35's split, run-card.sh); the window is
# BAR2 of the host-window function, line 3 of its resource file.
# shellcheck disable=SC2046 # split into start, end, flags on purpose
set -- $(sed -n 3p "/sys/bus/pci/devices/$LEAPIO_CARD_HOSTWIN/resource")
win=$(($2 - $1 + 1))
low=$LEAPIO_CARD_LOWMEM
# One poller that sleeps 1 ms between looks once idle: the guest's
# doorbell stores land in card DRAM unannounced, so the poller never
# sleeps on its wake eventfd, and the card VM's one emulated core
# spinning flat out would take a host core from L1 and its guest.
cat > "$conf" <<EOF
{
  "pollers": [{"spin_us": 0, "idle_poll_us": 1000}],
  "card": {"device": "/dev/leapio_soc",
           "host_window": [{"phys": 0, "len": $low, "offset": 0},
                           {"phys": $((4 << 30)), "len": $((win - low)), "offset": $low}]},
  "vdevs": [{"uuid": "$SOC_VDEV_UUID",
             "backend": {"type": "block", "path": "$ssd"}}]
}
EOF
say "leapiod config:"
cat "$conf"

"$arm/leapiod" --config "$conf" > "$log" 2>&1 &
pid=$!
say "started $arm/leapiod (pid $pid), waiting up to ${wait_s} s for L1"

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
# are equal (one each, or more with make card-l2's hand-overs).
na=$(grep -c "vdev $SOC_VDEV_UUID: attached" "$log")
nh=$(grep -c "vdev $SOC_VDEV_UUID: handed over to the host" "$log")
tap $((na >= 1)) "leapiod attached the vdev when L1 handed it to the card ($na times)"
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
finish
