# The card's side of `make card-smoke` (run by tests/vm/card/run-card.sh
# with busybox sh; its environment names the devices): the card's SSD is
# there and keeps what is written to it, then card-smoke's card side on
# the card's doorbell device and host-DRAM window, against L1's side
# (tests/vm/card/l1-smoke-pair.sh); last, the product's leapio_soc.ko
# loads on those functions and unloads. TAP in $RESULTS/card-ssd.tap,
# $RESULTS/card.tap and $RESULTS/card-soc.tap.
set -u
. "$LEAPIO_TOP/tests/vm/card/card-bind.sh"
arm=$LEAPIO_TOP/build/arm64

# The card's own SSD: an NVMe namespace that keeps a block written.
{
	echo "TAP version 13"
	echo "1..1"
	pat=leapio-card-ssd-$$
	if [ -b /dev/nvme0n1 ] &&
		printf '%s' "$pat" | dd of=/dev/nvme0n1 bs=4096 conv=sync,fsync 2>/dev/null &&
		echo 3 > /proc/sys/vm/drop_caches &&
		[ "$(dd if=/dev/nvme0n1 bs=4096 count=1 2>/dev/null |
			head -c ${#pat})" = "$pat" ]; then
		echo "ok 1 the card's NVMe SSD keeps a block written"
	else
		echo "not ok 1 the card's NVMe SSD keeps a block written"
		ls -l /dev/nvme* 2>&1 | sed 's/^/# /'
	fi
} > "$RESULTS/card-ssd.tap"
ssd_ok=0
grep -q '^ok 1' "$RESULTS/card-ssd.tap" || ssd_ok=1

card_dbell_bind "$arm/kmod/$KVER/card_dbell/card_dbell.ko" "$LEAPIO_CARD_DBELL" || exit 1
"$arm/card-smoke" card "$LEAPIO_CARD_DBELL" "$LEAPIO_CARD_HOSTWIN" \
	"$LEAPIO_CARD_LOWMEM" > "$RESULTS/card.tap" 2>&1
rc=$?

# Then the product's card driver on the same functions: leapio_soc.ko,
# built for this arm64 kernel, binds them and /dev/leapio_soc appears.
dbell=/sys/bus/pci/devices/$LEAPIO_CARD_DBELL
{
	echo "TAP version 13"
	echo "1..2"
	echo "$LEAPIO_CARD_DBELL" > /sys/bus/pci/drivers/card_dbell/unbind
	echo > "$dbell/driver_override"
	if insmod "$arm/kmod/$KVER/kernel/soc/leapio_soc.ko" \
		dram="$LEAPIO_CARD_DBELL" hostmem="$LEAPIO_CARD_HOSTWIN" &&
		[ -c /dev/leapio_soc ]; then
		echo "ok 1 leapio_soc.ko binds the card's functions on $KVER"
	else
		echo "not ok 1 leapio_soc.ko binds the card's functions on $KVER"
		dmesg | grep leapio_soc | sed 's/^/# /'
	fi
	if rmmod leapio_soc && [ ! -e /dev/leapio_soc ]; then
		echo "ok 2 leapio_soc.ko unloads"
	else
		echo "not ok 2 leapio_soc.ko unloads"
	fi
} > "$RESULTS/card-soc.tap" 2>&1
soc_ok=0
grep -q '^not ok' "$RESULTS/card-soc.tap" && soc_ok=1
dmesg > "$RESULTS/dmesg.txt"
[ $rc = 0 ] && [ $ssd_ok = 0 ] && [ $soc_ok = 0 ]
