# shellcheck shell=sh
# What the card VM's scripts (card-soc-serve.sh, card-agent.sh; busybox
# sh, run by run-card.sh) share: their TAP, through tests/vm/tap.sh on
# fd 3, and leapiod's card-mode configuration.
#   card_tap_begin <file> [append]  TAP to <file>; with append, go on
#                                   after tap_n results already there
#   card_finish                     the plan, the kernel log kept; exits 1
#                                   if anything failed
#   card_bind_soc                   the arm64 leapio_soc.ko on the card's
#                                   functions: /dev/leapio_soc is there
#   card_leapiod_conf <file> <vdevs>
#       the configuration: one poller that sleeps 1 ms between looks once
#       idle (the guest's doorbell stores land in card DRAM unannounced,
#       so it never sleeps on its wake eventfd, and the card's one
#       emulated core spinning flat out would take a host core from L1);
#       the card section with the host-DRAM window map (L1's RAM below
#       LEAPIO_CARD_LOWMEM at offset 0, the rest from 4 GiB right after
#       it: q35's split; the window is BAR2 of LEAPIO_CARD_HOSTWIN, line
#       3 of its resource file); <vdevs>, the members of "vdevs".
# shellcheck source=tests/vm/tap.sh
. "$LEAPIO_TOP/tests/vm/tap.sh"
TAP_FD=3

card_tap_begin() {
	if [ "${2:-}" = append ]; then
		exec 3>> "$1"
	else
		exec 3> "$1"
		echo "TAP version 13" >&3
	fi
}

card_finish() {
	tap_plan
	dmesg > "$RESULTS/dmesg.txt"
	exit "$tap_failed"
}

card_bind_soc() {
	insmod "$LEAPIO_TOP/build/arm64/kmod/$KVER/kernel/soc/leapio_soc.ko" \
		dram="$LEAPIO_CARD_DBELL" hostmem="$LEAPIO_CARD_HOSTWIN" &&
		[ -c /dev/leapio_soc ]
}

card_leapiod_conf() {
	# shellcheck disable=SC2046 # split into start, end, flags on purpose
	set -- "$1" "$2" $(sed -n 3p "/sys/bus/pci/devices/$LEAPIO_CARD_HOSTWIN/resource")
	cat > "$1" <<EOT
{
  "pollers": [{"spin_us": 0, "idle_poll_us": 1000}],
  "card": {"device": "/dev/leapio_soc",
           "host_window": [{"phys": 0, "len": $LEAPIO_CARD_LOWMEM, "offset": 0},
                           {"phys": $((4 << 30)), "len": $(($4 - $3 + 1 - LEAPIO_CARD_LOWMEM)), "offset": $LEAPIO_CARD_LOWMEM}]},
  "vdevs": [
$2
  ]
}
EOT
}
