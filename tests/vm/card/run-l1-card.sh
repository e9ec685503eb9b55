#!/bin/bash
# L1 with the emulated card's windows (x86 only), then one script in it:
#   tests/vm/card/run-l1-card.sh <kver> <script> <outdir> [extra qemu args]
# Arguments, environment, outputs and verdict are tests/vm/run-l1.sh's,
# which this calls with the devices below added. Before, it makes the
# card's files and starts the ivshmem server (card-lib.sh; or uses those
# of LEAPIO_CARD_DIR, as run-pair.sh does), and afterwards stops and
# removes what it made.
#
# L1's RAM is the shared file l1ram (memory-backend-file, share=on), so
# the card VM can be given it as its host-DRAM window. Devices in L1, on
# the root bus pcie.0 (1af4:1110 all three; tests name them by address):
#   0000:00:10.0  ivshmem-doorbell  the card's host-facing function as
#                 the host sees it: BAR0 registers (IVPosition at 8,
#                 Doorbell at 12), BAR1 MSI-X (4 vectors), BAR2 card DRAM
#                 (LEAPIO_CARD_DRAM, default 64 MiB) = HW1
# and, for loopback tests whose card side runs in L1 too:
#   0000:00:11.0  ivshmem-doorbell  the card side's view of its DRAM and
#                 doorbells (the same server, memory and protocol as the
#                 card VM's device: a different peer)
#   0000:00:12.0  ivshmem-plain     BAR2 = L1's own RAM file, 4 GiB: the
#                 card's host-DRAM window (HW2/HW3)
# q35 splits L1's RAM at 4 GiB: with 3 GiB (the default) or 4 GiB, lowmem
# = 2 GiB sits at physical 0 and the rest at 4 GiB. An L1 physical
# address P is at window offset P for P < lowmem and P - 4 GiB + lowmem
# for P >= 4 GiB. L1's kernel command line carries it for tests to read:
# leapio_card_lowmem=<bytes> in /proc/cmdline (card-lib.sh's card_lowmem).
set -euo pipefail

[ $# -ge 3 ] || { echo "usage: $0 <kver> <script> <outdir> [qemu args]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd -P)
. "$here/card-lib.sh"

trap card_cleanup EXIT
trap 'exit 130' INT TERM
card_setup

kver=$1 script=$2 outdir=$3
shift 3
mapfile -t dev < <(
	card_doorbell_args card-host pcie.0 0x10
	card_doorbell_args card-loop pcie.0 0x11
	card_hostwin_args card-hostwin pcie.0 0x12
)
export LEAPIO_L1_APPEND="${LEAPIO_L1_APPEND:-} leapio_card_lowmem=$(card_lowmem)"
# run-l1.sh gives -machine q35 -m $LEAPIO_L1_MEM; QEMU merges the second
# -machine into the first.
"$card_top/tests/vm/run-l1.sh" "$kver" "$script" "$outdir" \
	-object "memory-backend-file,id=ram0,size=$CARD_L1_MEM,mem-path=$CARD_DIR/l1ram,share=on" \
	-machine memory-backend=ram0 "${dev[@]}" "$@"
