#!/bin/bash
# Boot the emulated card (an aarch64 QEMU VM, TCG) and run one script on it:
#   tests/vm/card/run-card.sh <arm64 kver> <script> <outdir> [extra qemu args]
# <arm64 kver> is one of the arm64 kit's kernels (tests/vm/card/arm64-kit.sh,
# e.g. 6.1.0-57-arm64); the script runs with busybox sh as root, from the
# repository's path, with LEAPIO_TOP, KVER, RESULTS=/results and
#   LEAPIO_CARD_DBELL    0000:00:11.0, ivshmem-doorbell on the ivshmem
#                        server: BAR2 card DRAM, BAR0/MSI-X the doorbells
#   LEAPIO_CARD_HOSTWIN  0000:00:12.0, ivshmem-plain: BAR2 is L1's RAM
#                        file, the host-DRAM window (4 GiB)
#   LEAPIO_CARD_LOWMEM   bytes of L1's RAM below 4 GiB: L1 physical P is at
#                        window offset P below it, P - 4 GiB + lowmem from
#                        4 GiB (card-lib.sh)
# (the same addresses as L1's loopback devices, so a card-side script runs
# in both). The card's own SSD is an emulated NVMe device (/dev/nvme0n1,
# LEAPIO_CARD_SSD bytes, default 256M: card-lib.sh's ssd file, which
# run-pair.sh gives L1 too). The repository is shared read-only, <outdir>
# writable at /results.
# The ivshmem server and files are card-lib.sh's: those of LEAPIO_CARD_DIR
# (run-pair.sh) or made here for this run. Afterwards <outdir> holds
# console.log, card-script.log, what the script wrote and run.tap: one TAP
# line, whether the VM ran the script to the end and it exited 0.
# With LEAPIO_CARD_RESETS=1 a reboot of the card resets the VM in place,
# its devices still connected to the ivshmem server, as a card's reset
# leaves it in the host's PCIe tree: a script that writes
# <outdir>/card-reboot and resets the card runs again after the boot
# (init-card.sh; any other reboot, a panic's, ends the run as a failure).
# Without, a reboot ends the VM (-no-reboot).
# Environment: LEAPIO_CARD_TIMEOUT (seconds, default 1500),
# LEAPIO_VM_TTY=1 (console also to this terminal), LEAPIO_CARD_APPEND,
# LEAPIO_CARD_SSD_OPTS (QEMU drive options of the SSD, e.g. throttling).
set -euo pipefail

[ $# -ge 3 ] || { echo "usage: $0 <arm64 kver> <script> <outdir> [qemu args]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd -P)
. "$here/card-lib.sh"
kver=$1 script=$2 outdir=$3
shift 3
top=$card_top
timeout_s=${LEAPIO_CARD_TIMEOUT:-1500}

kit=$("$here/arm64-kit.sh")
grep -qx "$kver" "$kit/kvers" || { echo "run-card: $kver is not a kernel of the kit ($kit/kvers)" >&2; exit 2; }
script=$(realpath "$script")
[ -r "$script" ] || { echo "run-card: no script $script" >&2; exit 2; }
mkdir -p "$outdir"
outdir=$(realpath "$outdir")
exec 8> "$outdir/.lock"
flock -n 8 || { echo "run-card: $outdir is in use by another run" >&2; exit 2; }
rm -f "$outdir"/{console.log,card-script.log,card-exit-status,card-done,run.tap,card-reboot,card-boots}

initrd=$top/build/card/vm/$kver/card-initramfs.cpio
"$here/mk-card-initramfs.sh" "$kit" "$kver" "$initrd"

trap card_cleanup EXIT
trap 'exit 130' INT TERM
card_setup

printf 'LEAPIO_TOP=%q\nKVER=%q\nCARD_SCRIPT=%q\nLEAPIO_CARD_LOWMEM=%q\nLEAPIO_CARD_DBELL=%q\nLEAPIO_CARD_HOSTWIN=%q\n' \
	"$top" "$kver" "$script" "$(card_lowmem)" 0000:00:11.0 0000:00:12.0 \
	> "$outdir/card.env"

mapfile -t dev < <(
	card_doorbell_args card-dram pcie.0 0x11
	card_hostwin_args card-hostwin pcie.0 0x12
	card_ssd_args card-ssd nvme "${LEAPIO_CARD_SSD_OPTS:-}"
)
# -smp 1: the card shares the 2-core machine with L1; -cpu cortex-a72
# rather than max (pointer authentication makes TCG ~3x slower).
qemu=(qemu-system-aarch64 -machine virt,gic-version=3 -cpu cortex-a72
	-accel tcg -smp 1 -m 1G -display none -nodefaults
	-serial stdio -monitor none
	-kernel "$kit/root/boot/vmlinuz-$kver" -initrd "$initrd"
	-append "console=ttyAMA0 panic=-1 panic_on_warn=1 oops=panic ${LEAPIO_CARD_APPEND:-}"
	-virtfs "local,path=$outdir,mount_tag=results,security_model=none,multidevs=remap"
	-virtfs "local,path=$top,mount_tag=repo,security_model=none,readonly=on,multidevs=remap"
	"${dev[@]}" "$@")
[ "${LEAPIO_CARD_RESETS:-0}" = 1 ] || qemu+=(-no-reboot)

name="card $kver: $(basename "$script")"
echo "run-card: $name (timeout ${timeout_s}s), output in $outdir"
"$here/../vm-run.sh" "$outdir" card "$name" "$timeout_s" "${qemu[@]}"
