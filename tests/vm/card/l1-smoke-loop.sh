#!/bin/bash
# The emulated card's windows and doorbells inside one L1, for `make
# card-smoke-loop` (tests/vm/card/run-l1-card.sh provides the devices, see
# there): card-smoke's card side on the loopback devices (00:11.0 card DRAM
# and doorbells, 00:12.0 L1's own RAM as the host-DRAM window), its L1
# side on the host-facing function 00:10.0. TAP in $RESULTS/card.tap and
# $RESULTS/l1.tap.
set -u
. "$LEAPIO_TOP/tests/vm/card/card-bind.sh"
smoke=$LEAPIO_TOP/build/card/x86_64/card-smoke
lowmem=$(sed -n 's/.*leapio_card_lowmem=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$lowmem" ] || { echo "no leapio_card_lowmem= on the command line" >&2; exit 1; }

card_dbell_bind "$LEAPIO_TOP/build/card/kmod/$KVER/card_dbell.ko" \
	0000:00:10.0 0000:00:11.0 || exit 1
"$smoke" card 0000:00:11.0 0000:00:12.0 "$lowmem" > "$RESULTS/card.tap" 2>&1 &
card=$!
"$smoke" l1 0000:00:10.0 > "$RESULTS/l1.tap" 2>&1
rc=$?
wait "$card" || rc=1
dmesg > "$RESULTS/dmesg.txt" 2>/dev/null
exit $rc
