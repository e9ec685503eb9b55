#!/bin/bash
# L1's side of `make card-smoke` (tests/vm/card/run-pair.sh): card-smoke's
# L1 side on the card's host-facing function 00:10.0, against the card VM
# (tests/vm/card/card-smoke-card.sh). TAP in $RESULTS/l1.tap.
set -u
. "$LEAPIO_TOP/tests/vm/card/card-bind.sh"
card_dbell_bind "$LEAPIO_TOP/build/card/kmod/$KVER/card_dbell.ko" 0000:00:10.0 || exit 1
"$LEAPIO_TOP/build/card/x86_64/card-smoke" l1 0000:00:10.0 > "$RESULTS/l1.tap" 2>&1
rc=$?
dmesg > "$RESULTS/dmesg.txt" 2>/dev/null
exit $rc
