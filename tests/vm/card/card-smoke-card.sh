# The card's side of `make card-smoke` (run by tests/vm/card/run-card.sh
# with busybox sh; its environment names the devices): the card's SSD is
# there and keeps what is written to it, then card-smoke's card side on
# the card's doorbell device and host-DRAM window, against L1's side
# (tests/vm/card/l1-smoke-pair.sh). TAP in $RESULTS/card-ssd.tap and
# $RESULTS/card.tap.
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
dmesg > "$RESULTS/dmesg.txt"
[ $rc = 0 ] && [ $ssd_ok = 0 ]
