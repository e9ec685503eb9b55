#!/bin/bash
# Boot the L1 (host) VM on a Debian kernel and run one script in it:
#   tests/vm/run-l1.sh <kver> <script> <outdir> [extra qemu args]
# The VM's root is this machine's root, read-only over 9p; <outdir> is
# shared writable at /results. The script runs as root with LEAPIO_TOP,
# KVER and RESULTS=/results set. Afterwards <outdir> holds console.log (the
# kernel console), l1-script.log, whatever the script wrote, and run.tap: one
# TAP line saying whether the VM ran the script to the end and it exited 0.
# A panic, a WARN (panic_on_warn) or a timeout shows there as "not ok".
# Environment:
#   LEAPIO_L1_TIMEOUT  seconds before the VM is killed (default 3000: l1-main's
#                      kselftests, 330 s, and two nested guests, 725 and 450 s
#                      on a 2-core machine; CI's are slower)
#   LEAPIO_L1_MEM      L1 memory (default 3G: L2 takes 640M of it)
#   LEAPIO_VM_TTY=1    also copy the console to this terminal
#   LEAPIO_L1_APPEND   extra kernel command line
#   LEAPIO_KSFT_TESTS  only these kselftest binaries (tests/kselftest/run.sh)
#   LEAPIO_L1_CHECKERS=0  no slub_debug, page_poison, kfence (benchmarks)
#   LEAPIO_L1_KERNEL   boot this kernel image, not /boot/vmlinuz-<kver>; its
#                      drivers for the 9p root are built in, and its modules
#                      are under LEAPIO_L1_MODROOT/lib/modules/<kver> (the
#                      debug kernel, tests/vm/check-debug.sh)
#   L2_KVER            the stock kernel the nested guest boots (default <kver>)
#   LEAPIO_L2_TIMEOUT  the nested guest's bound (tests/vm/l2-run.sh)
#   LEAPIO_L2_SETS     only these nested guest variants (tests/vm/l1-lib.sh
#                      l1_l2_set_on; empty: all)
#   LEAPIO_L1_INIT=systemd  systemd is L1's init, the script one of its
#                      services (tests/vm/l1-systemd.sh)
#   LEAPIO_L1_STATE    a directory that outlives the VM, for a second boot
#                      of "the same host" (tests/vm/l1-reboot.sh): shared
#                      writable at /state; its disk.img, if any, is L1's
#                      virtio disk /dev/vda; with systemd as init, its
#                      mdevctl.d is /etc/mdevctl.d and its systemd/ holds
#                      the units /etc/systemd/system would, its udev/ the
#                      udev rules packages install (init-l1.sh)
set -euo pipefail

[ $# -ge 3 ] || { echo "usage: $0 <kver> <script> <outdir> [qemu args]" >&2; exit 2; }
kver=$1 script=$2 outdir=$3
shift 3

top=$(cd "$(dirname "$0")/../.." && pwd -P)
timeout_s=${LEAPIO_L1_TIMEOUT:-3000}
kernel=${LEAPIO_L1_KERNEL:-/boot/vmlinuz-$kver}
modroot=${LEAPIO_L1_MODROOT:-}
[ -r "$kernel" ] || { echo "run-l1: no $kernel" >&2; exit 2; }
script=$(realpath "$script")
[ -r "$script" ] || { echo "run-l1: no script $script" >&2; exit 2; }

mkdir -p "$outdir"
outdir=$(realpath "$outdir")
# Two runs writing one <outdir> would mix their verdicts: refuse the second.
exec 9> "$outdir/.lock"
flock -n 9 || { echo "run-l1: $outdir is in use by another run" >&2; exit 2; }
rm -f "$outdir"/{console.log,l1-script.log,l1-exit-status,l1-done,run.tap}

initrd=$top/build/vm/$kver/l1-initramfs.cpio
mkdir -p "$(dirname "$initrd")"
boot_mods=(-m virtio_pci -m 9pnet_virtio -m 9p)
[ -z "${LEAPIO_L1_KERNEL:-}" ] || boot_mods=()
"$top/tests/vm/mk-initramfs.sh" "$kver" "$top/tests/vm/init-l1.sh" "$initrd" \
	${boot_mods[@]+"${boot_mods[@]}"}

state=()
if [ -n "${LEAPIO_L1_STATE:-}" ]; then
	sdir=$(realpath "$LEAPIO_L1_STATE")
	state=(-virtfs "local,path=$sdir,mount_tag=state,security_model=none,multidevs=remap")
	[ ! -f "$sdir/disk.img" ] ||
		state+=(-drive "file=$sdir/disk.img,if=virtio,format=raw,cache=writeback")
fi

printf 'LEAPIO_TOP=%q\nKVER=%q\nL1_SCRIPT=%q\nLEAPIO_KSFT_TESTS=%q\nL1_MODROOT=%q\nL2_KVER=%q\nLEAPIO_L2_TIMEOUT=%q\nLEAPIO_L2_SETS=%q\nL1_INIT=%q\nL1_STATE=%q\n' \
	"$top" "$kver" "$script" "${LEAPIO_KSFT_TESTS:-}" "$modroot" "${L2_KVER:-}" \
	"${LEAPIO_L2_TIMEOUT:-}" "${LEAPIO_L2_SETS:-}" "${LEAPIO_L1_INIT:-}" \
	"${state:+1}" > "$outdir/l1.env"

# panic_on_warn/oops=panic: a WARN or oops in our module ends the run and
# shows in console.log; panic=-1 with -no-reboot makes QEMU exit at once.
append="console=ttyS0 panic=-1 panic_on_warn=1 oops=panic"
# tsc=unstable: under TCG the clocksource watchdog or the boot-time sync
# check may find the TSC unstable at any moment (6.1 does at CPU bring-up,
# 6.12 did 107 s into a loaded CI run). The kernel then flips the
# sched_clock static key at run time, and TCG executing that int3 text
# patch on the other vCPU oopsed (int3 in sched_clock_cpu). Deciding at
# boot leaves nothing to patch later.
append+=" tsc=unstable"
# RDRAND (-cpu below) for the same reason: the kernel trusts it and its
# random pool is ready at boot, before the second vCPU runs. Without it
# the pool became ready 24 s in, from a worker that flips the crng_is_ready
# static key, and the other vCPU oopsed on that int3 (get_random_u8).
cpu=qemu64,+rdrand
# The memory checkers Debian's stock kernels have, off by default there:
# SLUB's red zones, poisoning, sanity checks and owner tracking; page
# poisoning; KFENCE sampling where it is built in (6.12). Their reports
# are looked for by tests/vm/kmsg-reports.sh. LEAPIO_L1_CHECKERS=0 (the
# benchmark) boots without them.
if [ "${LEAPIO_L1_CHECKERS:-1}" = 1 ]; then
	append+=" slub_debug=FZPU page_poison=1"
	grep -q '^CONFIG_KFENCE=y' "/boot/config-$kver" 2>/dev/null &&
		append+=" kfence.sample_interval=5"
fi
# Huge pages reserved at boot (32 MiB): the huge-page tests of pin.c
# (test_region.c) get one for certain, not when memory happens to allow.
append+=" hugepages=16"
append+=" ${LEAPIO_L1_APPEND:-}"

# -display none rather than -nographic: the same with the serial port and
# monitor given explicitly, but SeaBIOS then keeps off the serial line (its
# screen clearing would wipe the terminal of `make demo`).
qemu=(qemu-system-x86_64 -accel tcg -machine q35 -cpu "$cpu" -m "${LEAPIO_L1_MEM:-3G}"
	-smp 2 -display none -nodefaults -no-reboot -serial stdio -monitor none
	-kernel "$kernel" -initrd "$initrd" -append "$append"
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$outdir,mount_tag=results,security_model=none,multidevs=remap"
	-virtfs "local,path=$top,mount_tag=repo,security_model=none,readonly=on,multidevs=remap"
	${state[@]+"${state[@]}"} "$@")

name="L1 $kver: $(basename "$script")"
echo "run-l1: $name (timeout ${timeout_s}s), output in $outdir"
exec "$top/tests/vm/vm-run.sh" "$outdir" l1 "$name" "$timeout_s" "${qemu[@]}"
