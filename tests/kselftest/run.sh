#!/bin/bash
# Run LeapIO's kselftests inside the rig's host VM (L1), as root.
#   LEAPIO_KO=<leapio_host.ko for the running kernel> LEAPIO_TOP=<repo> \
#       tests/kselftest/run.sh [test_name ...]
# Prints one TAP stream on stdout: each binary's own TAP indented as "# "
# lines, then "ok N name" / "not ok N name" for the binary, and a last
# check that the kernel logged no warning, bug or leak while they ran.
# The binaries come from `make kselftest-build` on the host (same path:
# L1's root is the host's). test_lifecycle reloads the module and runs
# last. Exit status 0 only when everything passed.
set -u

top=${LEAPIO_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
ko=${LEAPIO_KO:-}
bin=$top/build/kselftest
# Per-binary wall-clock bound: the harness bounds each test (30 s), this
# bounds a binary that hangs outside a test.
per_binary_timeout=${LEAPIO_KSFT_TIMEOUT:-900}

# Every binary `make kselftest-build` made from tests/kselftest/test_*.c,
# in name order, except test_lifecycle, which reloads the module: last.
# No list is kept by hand, so a new test file cannot be missed; a source
# without its binary is an error, not a skip. A developer may run some:
# names as arguments, or LEAPIO_KSFT_TESTS="test_a test_b".
#   run.sh --list   print the order and exit
# The card's tests (test_card_*, test_soc_*) need the card's devices: they
# run in the L1 that tests/vm/card/run-l1-card.sh boots (its command line
# says leapio_card_lowmem=), and only there, where every other test runs
# too; `make check` runs both L1s.
# run.sh --card-list prints them (tests/vm/check.sh runs those in the card
# L1); LEAPIO_CARD_L1=0|1 overrides the command line's word.
card_l1=0
grep -q 'leapio_card_lowmem=' /proc/cmdline 2>/dev/null && card_l1=1
card_l1=${LEAPIO_CARD_L1:-$card_l1}
is_card_test() {
	case $1 in test_card_*|test_soc_*) return 0 ;; esac
	return 1
}
# test_unit_*: leapiod as leapiod.service runs it, in the L1 booted with
# systemd as init (tests/vm/l1-systemd.sh, l1-reboot.sh: `make
# systemd-test`), only there, and named there. run.sh --unit-list
# prints them.
is_unit_test() {
	case $1 in test_unit_*) return 0 ;; esac
	return 1
}
# The card VM's set (tests/vm/card/l1-card-vm-ksft.sh): the data path
# sets with the card serving, the test_card_<set>.c files that build
# another file's lio_dp.h tests with LIO_DP_CARD (include "test_<set>.c");
# they run against the aarch64 card VM too (tests/kselftest/lib/card_vm.h).
#   run.sh --card-vm-list   print them
if [ "${1:-}" = --card-vm-list ]; then
	grep -l '^#include "test_[a-z_]*\.c"' "$top"/tests/kselftest/test_card_*.c |
		xargs -n1 basename | sed 's/\.c$//'
	exit 0
fi
# The tests whose name <predicate> takes, in name order.
sources_where() {
	local src name
	for src in "$top"/tests/kselftest/test_*.c; do
		name=$(basename "$src" .c)
		! "$1" "$name" || echo "$name"
	done
}
if [ "${1:-}" = --unit-list ]; then
	sources_where is_unit_test
	exit 0
fi
if [ "${1:-}" = --card-list ]; then
	sources_where is_card_test
	exit 0
fi
discover() {
	local src name last=
	for src in "$top"/tests/kselftest/test_*.c; do
		name=$(basename "$src" .c)
		if is_card_test "$name" && [ "$card_l1" != 1 ]; then continue; fi
		if is_unit_test "$name"; then continue; fi
		if [ "$name" = test_lifecycle ]; then last=$name; continue; fi
		echo "$name"
	done
	[ -z "$last" ] || echo "$last"
}
# A here-string, not < <(...): L1's initramfs has no /dev/fd.
mapfile -t order <<< "$(discover)"
[ -n "${LEAPIO_KSFT_TESTS:-}" ] && read -r -a order <<< "$LEAPIO_KSFT_TESTS"
if [ "${1:-}" = --list ]; then
	printf '%s\n' "${order[@]}"
	exit 0
fi
[ $# -gt 0 ] && order=("$@")

echo "TAP version 13"
echo "1..$((${#order[@]} + 1))"

bail() {
	echo "Bail out! $*"
	exit 1
}

[ "$(id -u)" = 0 ] || bail "run.sh needs root"
[ -n "$ko" ] && [ -f "$ko" ] || bail "LEAPIO_KO is not a module file: '$ko'"
for t in "${order[@]}"; do
	[ -x "$bin/$t" ] || bail "$bin/$t missing: run make kselftest-build"
done

# What leapio_host.ko links against (its modinfo depends=), and the
# type1 IOMMU backend the client asks for; some are built in.
deps=$(modinfo -F depends "$ko" 2>/dev/null | tr ',' ' ')
# loop: the data path tests' backing devices (lib/backing.c); ext4: a
# pool's file system (lib/pool_fs.c).
for m in $deps vfio vfio_iommu_type1 mdev loop ext4; do
	modprobe -q "$m" 2>/dev/null || true
done
if [ ! -d /sys/module/leapio_host ]; then
	insmod "$ko" || bail "insmod $ko failed"
fi
[ -c /dev/vfio/vfio ] || bail "/dev/vfio/vfio missing (vfio not loaded?)"

# Leftover LeapIO mdevs (a test killed mid-way) would skew the next
# binary's instance counts: remove them between binaries. Those that were
# there before run.sh (the caller's: l1-systemd.sh's) stay.
leapio_mdevs() {
	local d t
	for d in /sys/bus/mdev/devices/*; do
		[ -e "$d/mdev_type" ] || continue
		t=$(basename "$(readlink "$d/mdev_type")")
		case $t in leapio-*) echo "$d" ;; esac
	done
}
before=$(leapio_mdevs)
remove_leftovers() {
	local d
	for d in $(leapio_mdevs); do
		grep -qxF "$d" <<< "$before" || echo 1 > "$d/remove" 2>/dev/null
	done
}

kmsg_mark=$(dmesg 2>/dev/null | wc -l)
export LEAPIO_KO="$ko" LEAPIO_TOP="$top"
n=0 rc=0
for t in "${order[@]}"; do
	n=$((n + 1))
	start=$SECONDS
	# The binary's stderr carries the harness's diagnostics; keep them
	# in the stream, in order, as TAP comments, as they come.
	(cd "$top" && timeout -k 10 "$per_binary_timeout" "$bin/$t" 2>&1) |
		sed -u 's/^/# /'
	status=${PIPESTATUS[0]}
	if [ $status = 0 ]; then
		echo "ok $n selftests: leapio: $t"
	else
		[ $status = 124 ] && echo "# $t: timed out after ${per_binary_timeout}s"
		echo "not ok $n selftests: leapio: $t # exit=$status"
		rc=1
	fi
	# Where make check's minutes go (a note, never a verdict).
	echo "# $t: $((SECONDS - start)) s"
	remove_leftovers
done

# The module must not have made the kernel complain. The harness can't
# see this: a WARN_ON fires and the test may still pass.
n=$((n + 1))
# The checkers' reports (tests/vm/kmsg-reports.sh), and our own words.
# (Here-strings, not pipes into process substitutions: L1 has no /dev/fd.)
log=$(dmesg 2>/dev/null | tail -n +"$((kmsg_mark + 1))")
bad=$("$top/tests/vm/kmsg-reports.sh" <<< "$log"
      grep -E 'leapio.*(leak|corrupt)' <<< "$log" || true)
if [ -z "$bad" ]; then
	echo "ok $n selftests: leapio: kernel log clean"
else
	printf '%s\n' "$bad" | sed 's/^/# /'
	echo "not ok $n selftests: leapio: kernel log clean"
	rc=1
fi
exit $rc
