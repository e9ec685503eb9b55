#!/bin/bash
# L1 and the emulated card together, each running one script:
#   tests/vm/card/run-pair.sh <x86 kver> <L1 script> <arm64 kver> <card script> <outdir>
# One ivshmem server and one set of shared files (card-lib.sh) for both
# VMs: the card VM (run-card.sh, <outdir>/card/) is started first, L1
# (run-l1-card.sh, <outdir>/l1/) next. The card's SSD is L1's too, a
# virtio disk with serial leapio-card-ssd, so that a host-mode leapiod in
# L1 can serve the vdev the card serves from the same blocks (hand-over),
# and both mount card-lib.sh's ctl directory (9p tag cardctl), where the
# card VM's kselftests talk to the card's agent (card-agent.sh). Each writes its own run.tap
# verdict and whatever its script writes. When L1 has ended, the card gets
# LEAPIO_PAIR_GRACE seconds (default 120) to finish too, then is stopped:
# a card script waiting for an L1 that died fails in bounded time. Exit 0
# only if both VMs ran their scripts to the end with status 0.
set -euo pipefail

[ $# = 5 ] || { echo "usage: $0 <x86 kver> <L1 script> <arm64 kver> <card script> <outdir>" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd -P)
. "$here/card-lib.sh"
l1_kver=$1 l1_script=$2 card_kver=$3 card_script=$4 outdir=$5
grace=${LEAPIO_PAIR_GRACE:-120}

# The kit first: on a fresh machine it takes minutes, L1 must not wait.
"$here/arm64-kit.sh" > /dev/null
mkdir -p "$outdir/l1" "$outdir/card"

card_pid=
stop_card() {
	local rc=$?
	if [ -n "$card_pid" ] && kill -0 "$card_pid" 2>/dev/null; then
		kill -TERM -- "-$card_pid" 2>/dev/null || true
		wait "$card_pid" 2>/dev/null || true
	fi
	card_cleanup
	return $rc
}
trap stop_card EXIT
trap 'exit 130' INT TERM
card_setup
export LEAPIO_CARD_DIR=$CARD_DIR

# Its own process group, so that stopping it stops its QEMU too.
mapfile -t ctl < <(card_ctl_args)
setsid "$here/run-card.sh" "$card_kver" "$card_script" "$outdir/card" "${ctl[@]}" \
	> "$outdir/card/run-card.log" 2>&1 &
card_pid=$!

mapfile -t ssd < <(card_ssd_args card-ssd virtio-blk-pci)
l1_rc=0
"$here/run-l1-card.sh" "$l1_kver" "$l1_script" "$outdir/l1" "${ssd[@]}" "${ctl[@]}" || l1_rc=$?

for ((i = 0; i < grace; i++)); do
	kill -0 "$card_pid" 2>/dev/null || break
	sleep 1
done
card_rc=0
if kill -0 "$card_pid" 2>/dev/null; then
	echo "run-pair: the card did not finish within ${grace}s of L1: stopped" >&2
	kill -TERM -- "-$card_pid" 2>/dev/null || true
	card_rc=1
fi
wait "$card_pid" || card_rc=$?
card_pid=
cat "$outdir/card/run-card.log"
[ -f "$outdir/card/run.tap" ] || {
	printf 'TAP version 13\n1..1\nnot ok 1 card %s completed # stopped %ss after L1 ended\n' \
		"$card_kver" "$grace" > "$outdir/card/run.tap"
}
[ "$l1_rc" = 0 ] && [ "$card_rc" = 0 ]
