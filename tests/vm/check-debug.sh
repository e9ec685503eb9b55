#!/bin/bash
# `make check-debug`: the kselftests and every L1 stage (the nested guest
# included) with leapio_host.ko loaded into the rig's debug kernel: KASAN
# (generic, inline), UBSAN, kmemleak (scanned at the end), lockdep
# (PROVE_LOCKING), DEBUG_ATOMIC_SLEEP, DEBUG_OBJECTS, KFENCE, and the stock
# kernels' SLUB and page poisoning. Any report fails it. Last line
# "N passed, N failed, N skipped", as make check.
#   tests/vm/check-debug.sh
# The kernel is built once and cached (tests/vm/debug-kernel.sh); the
# nested guest boots the stock 6.12 kernel, as a user's guest would.
# Documentation/dev-tools/testing.rst, "The debug kernel".
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd -P)
cd "$top"
results=build/results-debug logs=build/check-debug-logs

# shellcheck source=tests/vm/tap.sh
. tests/vm/tap.sh
# shellcheck source=tests/vm/stage.sh
. tests/vm/stage.sh
stage_init "$results" "$logs" check-debug.tap check-debug

finish() {
	tap_plan
	exec tests/summary.sh "$results"
}

stage setup "setup (install what is missing)" make --no-print-directory setup-if-needed || finish
stage debug-kernel "the debug kernel (built once, cached)" tests/vm/debug-kernel.sh || finish
dir=$(tail -n 1 "$logs/debug-kernel.log")
dkver=$(cat "$dir/kver")
echo "=== check-debug: $dkver, built in $(cat "$dir/build-seconds") s, at $dir"
# The guest's kernel: the stock 6.12 the required list names.
l2kver=$(scripts/kvers.sh 2> "$logs/kvers.log" | grep '^6\.12\.' | head -n 1) ||
	{ tap 0 "the stock 6.12 kernel for the nested guest" "$(cat "$logs/kvers.log")"; finish; }

rm -f "build/kmod/$dkver/kernel/host/leapio_host.ko"
stage kmod "leapio_host.ko for $dkver" \
	make --no-print-directory kmod KVER="$dkver" KDIR="$dir/src" || true
stage kselftest-build "kselftest binaries" make --no-print-directory kselftest-build || true
stage vm-images "nested-guest images ($l2kver)" make --no-print-directory vm-images KVER="$l2kver" || true

echo "=== check-debug: VM tests on $dkver"
start=$SECONDS
# KASAN, lockdep and kmemleak slow L1 down: its kselftests take about
# three times as long, and the nested guest, whose QEMU it runs, reached
# its /init after 312 s (480 s is the stock kernels' bound).
LEAPIO_L1_KERNEL=$dir/bzImage LEAPIO_L1_MODROOT=$dir/modroot L2_KVER=$l2kver \
	LEAPIO_L1_TIMEOUT=${LEAPIO_L1_TIMEOUT:-3600} \
	LEAPIO_L2_TIMEOUT=${LEAPIO_L2_TIMEOUT:-1500} \
	tests/vm/run-l1.sh "$dkver" tests/vm/l1-main.sh "$results/vm-$dkver" || true
echo "=== check-debug: VM tests on $dkver: $((SECONDS - start)) s"
if tests/vm/vm-ran.sh "$dkver" "$results/vm-$dkver" build/kselftest \
	> "$logs/vm-ran.log" 2>&1; then ran=1; else ran=0; fi
sed 's/^/=== check-debug: /' "$logs/vm-ran.log"
tap "$ran" "VM tests ran on $dkver: $(tail -n 1 "$logs/vm-ran.log")" \
	"$(head -n -1 "$logs/vm-ran.log")"
finish
