#!/bin/busybox sh
# /init of the card VM's initramfs (tests/vm/card/run-card.sh): busybox
# and the kernel's modules for 9p and NVMe, nothing else. Mounts the
# repository (read-only) at its own path and the results directory
# (writable) at /results over 9p, runs the script named in
# /results/card.env with busybox sh, and powers off. The exit status goes
# to /results/card-exit-status, then, last, the marker /results/card-done.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin

fail() {
	echo "init-card: $*"
	poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp

while read -r m; do
	insmod "$m" || fail "insmod $m"
done < /etc/modules.order

opts=trans=virtio,version=9p2000.L,msize=262144
mkdir -p /results
mount -t 9p -o "$opts" results /results || fail "mount results"
. /results/card.env
# A reboot the script asked for (it wrote card-reboot: run-card.sh's
# LEAPIO_CARD_RESETS) runs it again, once; any other, a panic's, is a
# failure.
if [ -e /results/card-boots ] && { [ ! -e /results/card-reboot ] ||
	[ "$(wc -l < /results/card-boots)" -ge 2 ]; }; then
	echo "init-card: the card rebooted unasked (a panic?): failing the run"
	echo 1 > /results/card-exit-status
	echo done > /results/card-done
	poweroff -f
fi
echo boot >> /results/card-boots
mkdir -p "$LEAPIO_TOP"
mount -t 9p -o "$opts,cache=loose,ro" repo "$LEAPIO_TOP" || fail "mount repo"
echo "init-card: running $CARD_SCRIPT on $(uname -r)"
{
	cd "$LEAPIO_TOP" && env LEAPIO_TOP="$LEAPIO_TOP" KVER="$KVER" \
		RESULTS=/results LEAPIO_CARD_LOWMEM="$LEAPIO_CARD_LOWMEM" \
		LEAPIO_CARD_DBELL="$LEAPIO_CARD_DBELL" \
		LEAPIO_CARD_HOSTWIN="$LEAPIO_CARD_HOSTWIN" \
		sh "$CARD_SCRIPT" 2>&1
	echo $? > /results/card-exit-status
} | tee -a /results/card-script.log
echo "init-card: script exit status $(cat /results/card-exit-status)"
echo done > /results/card-done
sync
poweroff -f
