# shellcheck shell=sh
# Bind ivshmem-doorbell functions to the rig's card_dbell module (sourced
# by the smoke scripts, in L1 and on the card; busybox sh is enough):
#   card_dbell_bind <card_dbell.ko> <BDF>...
card_dbell_bind() {
	ko=$1
	shift
	if ! grep -q '^card_dbell ' /proc/modules; then
		insmod "$ko" || { echo "card-bind: insmod $ko failed" >&2; return 1; }
	fi
	for bdf in "$@"; do
		d=/sys/bus/pci/devices/$bdf
		[ -e "$d" ] || { echo "card-bind: no PCI function $bdf" >&2; return 1; }
		echo card_dbell > "$d/driver_override" || return 1
		echo "$bdf" > /sys/bus/pci/drivers_probe || return 1
		[ -e "$d/irq_count" ] ||
			{ echo "card-bind: card_dbell did not bind $bdf" >&2; return 1; }
	done
}
