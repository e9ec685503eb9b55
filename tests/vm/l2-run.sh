#!/bin/bash
# Inside L1: boot the nested guest (L2) on the same Debian kernel (or
# L2_KVER's) with the
# lean initramfs built on the host, and the devices given as arguments:
#   tests/vm/l2-run.sh <check|demo> <name> <qemu device args...>
# Writes $RESULTS/<name>-console.log (kernel console), <name>-out.log (the
# guest's command output, see init-l2.sh) and <name>.status ("exit=<qemu
# status> seconds=<wall>"). QEMU writes the logs to L1's tmpfs first: a
# serial port writes byte by byte, and each write to the 9p results share is
# a round trip through L1's virtio, which more than doubled the guest's
# time.
# Environment: LEAPIO_L2_TTY=1 also shows the command output live on
# stdout; LEAPIO_L2_TIMEOUT bounds the guest (default 1500 s: the check's
# guest took 725 s alone on a 2-core machine with its plan of NVM commands,
# resize, Format and a second namespace, and CI machines are slower; a
# bound, not a measure); LEAPIO_L2_APPEND adds
# to its kernel command line;
# LEAPIO_L2_SMP is its -smp (default 1); LEAPIO_L2_LIVE see below;
# LEAPIO_L2_CTL=<path>: the guest's third serial port (ttyS2) reads what
# is written to the FIFO <path>.in (the caller makes <path>.in and
# <path>.out with mkfifo and holds <path>.in open for writing), one word
# per line (init-l2.sh's fio_rounds waits for one).
# Guest memory is a shared memfd, not QEMU's default anonymous memory:
# leapiod maps guest pages through the kernel (/dev/leapio), which can
# hand out pages of a file only (Documentation/design/data-path.rst).
set -euo pipefail

plan=$1 name=$2
shift 2
# Both built on the host by make (vm.mk): L1 sees this tree read-only. The
# kernel is the unpacked vmlinux, booted through its PVH entry: nested
# under TCG, unpacking a bzImage costs about 30 s of every boot.
# L2_KVER: a stock kernel for the guest when L1 runs one that is not
# installed (the debug kernel: the guest's driver is the stock one).
l2_kver=${L2_KVER:-$KVER}
img=$LEAPIO_TOP/build/vm/$l2_kver
initrd=$img/l2-$plan.cpio
for f in "$img/vmlinux" "$initrd"; do
	[ -r "$f" ] || { echo "l2-run: no $f (make vm-images KVER=$l2_kver)" >&2; exit 2; }
done
timeout_s=${LEAPIO_L2_TIMEOUT:-1500}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# LEAPIO_L2_LIVE: where the command output goes while the guest runs (a
# file in L1 that a script beside the guest watches), else a temporary.
out=${LEAPIO_L2_LIVE:-$tmp/out.log}

if [ "${LEAPIO_L2_TTY:-0}" = 1 ]; then
	ttys1=(-chardev "stdio,id=out,signal=off,logfile=$out" -serial chardev:out)
else
	ttys1=(-serial "file:$out")
fi

ctl=()
append=${LEAPIO_L2_APPEND:-}
if [ -n "${LEAPIO_L2_CTL:-}" ]; then
	ctl=(-chardev "pipe,id=ctl,path=$LEAPIO_L2_CTL" -serial chardev:ctl)
	append="$append leapio_l2_ctl=1"
fi

start=$SECONDS
mem=640M
boot=0
while :; do
	boot=$((boot + 1))
	set +e
	timeout -k 10 "$timeout_s" qemu-system-x86_64 -accel tcg \
		-object "memory-backend-memfd,id=mem0,size=$mem,share=on" \
		-machine q35,memory-backend=mem0 -m "$mem" -smp "${LEAPIO_L2_SMP:-1}" \
		-nodefaults -display none -no-reboot \
		-kernel "$img/vmlinux" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 panic_on_warn=1 oops=panic tsc=unstable $append" \
		-serial "file:$tmp/console.log" "${ttys1[@]}" "${ctl[@]}" \
		"$@" < /dev/null
	rc=$?
	set -e
	# The emulator, not the guest: nested TCG has crashed Debian's
	# 6.12 guest in early boot (start_kernel, long before any PCI
	# device is probed; EFLAGS holding garbage), and later in its boot
	# on the int3 or sync_core of a static key's text patch (seen in
	# sched_clock_cpu, which tsc=unstable above keeps from flipping at
	# run time, and in a DO_ONCE key's). A guest that panicked before
	# its init wrote its first line boots again, up to three boots; each
	# crash is kept as <name>-console-boot<N>.log and said in
	# <name>.status.
	if [ $boot -lt 3 ] && ! grep -q '=== LEAPIO-BOOT ' "$out" 2> /dev/null &&
		grep -q 'Kernel panic' "$tmp/console.log"; then
		cp "$tmp/console.log" "$RESULTS/$name-console-boot$boot.log"
		echo "l2-run: $name: the guest panicked before its init ran: booting it again" >&2
		continue
	fi
	break
done
cp "$tmp/console.log" "$RESULTS/$name-console.log"
cp "$out" "$RESULTS/$name-out.log"
echo "exit=$rc seconds=$((SECONDS - start)) boots=$boot" > "$RESULTS/$name.status"
echo "l2-run: $name: qemu exit $rc after $((SECONDS - start)) s"
exit $rc
