#!/bin/bash
# `make check`: every test of the project, on both Debian kernels, then one
# summary of all TAP under build/results whose last line is
# "N passed, N failed, N skipped".
#   tests/vm/check.sh [kver...]
# Each stage's verdict is a TAP line in build/results/check.tap (its log in
# build/check-logs/); a failed stage does not stop the ones after it, so one
# run shows everything that is broken. The VM runs go one after the other:
# each QEMU already keeps both cores of a CI machine busy.
#
# The kernels are found after the setup stage has installed them
# (scripts/kvers.sh): both Debian kernels must be there, and each must
# have built its module and run its VM tests with results, or the run
# fails saying which. Naming kernels on the command line tests only those
# (a developer's shortcut); the check that both are there still runs.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd -P)
cd "$top"
results=build/results logs=build/check-logs

# shellcheck source=tests/vm/tap.sh
. tests/vm/tap.sh
# shellcheck source=tests/vm/stage.sh
. tests/vm/stage.sh
stage_init "$results" "$logs" check.tap check
# l1_l2_set_on: which nested guest variants a kernel's runs boot.
# shellcheck source=tests/vm/l1-lib.sh
KVER='' LEAPIO_TOP=$top . tests/vm/l1-lib.sh

if ! stage setup "setup (install what is missing)" make --no-print-directory setup-if-needed; then
	tap_plan
	exec tests/summary.sh "$results"
fi
# Only now can the kernels be looked up: setup may just have installed them.
required=$(scripts/kvers.sh 2> "$logs/kvers.log") && kvers_rc=0 || kvers_rc=$?
tap "$(ok_if [ "$kvers_rc" = 0 ])" "both Debian kernels installed: $(echo $required)" \
	"$(cat "$logs/kvers.log")"
if [ $# -gt 0 ]; then
	kvers=("$@")
else
	read -r -a kvers <<< "$(echo $required)"
fi
# The builds use both cores; the tests inside a stage still run one
# after the other (each recipe runs its binaries in turn).
jobs=-j$(nproc)
stage meta "the test suite's own guards" tests/meta/run.sh || true
# The modules first: unit-rt checks that they link the region writer.
for v in "${kvers[@]}"; do
	# A failed build must not leave an older module to be tested.
	stage "kmod-$v" "leapio_host.ko for $v" make --no-print-directory "$jobs" kmod KVER="$v" ||
		rm -f "build/kmod/$v/kernel/host/leapio_host.ko"
done
# Every stage always runs: a stage that is not there is a failure, never
# a silent skip.
stage unit "unit tests" make --no-print-directory "$jobs" unit || true
stage unit-rt "leapiod unit tests" make --no-print-directory "$jobs" unit-rt || true
stage unit-tools "tools tests (ivshmem-server)" make --no-print-directory "$jobs" unit-tools || true
stage leapiod "leapiod and leapioctl build" make --no-print-directory "$jobs" runtime/leapiod leapioctl || true
# Before the VMs: L1 loads the module DKMS built from the package.
stage deb "Debian packages: built, lintian, installed, used, removed (make deb-check)" \
	make --no-print-directory deb-check || true
stage ivshmem-server "ivshmem-server build (the card L1's)" \
	make --no-print-directory "$jobs" ivshmem-server || true
stage arm64 "the card's arm64 build (leapiod, leapio_soc.ko for each arm64 kernel)" \
	make --no-print-directory "$jobs" arm64 || true
stage fuzz "fuzz smoke (bounded libFuzzer runs)" make --no-print-directory "$jobs" fuzz || true
stage style "checkpatch (make style)" make --no-print-directory style || true
stage sparse "sparse (make sparse)" make --no-print-directory "$jobs" sparse || true
stage kselftest-build "kselftest binaries" make --no-print-directory "$jobs" kselftest-build || true
for v in "${kvers[@]}"; do
	stage "vm-images-$v" "VM images for $v" make --no-print-directory "$jobs" vm-images KVER="$v" || true
done

# The nested guest variants a kernel boots (tests/vm/l1-lib.sh
# l1_l2_set_on). Each is minutes of TCG in TCG. The regular guest (the
# stock driver of each kernel on a LeapIO drive, every nvme-cli command)
# and the card VM's (make card-l2: the arm64 leapiod serving, hand-overs
# to L1 and back during fio) run on both kernels. The remote drives'
# guest on the first kernel only (make systemd-test and the card's faults
# go with the last): what it adds to the regular guest is leapiod's NVMe-oF
# initiator, the same on both, and each kernel's kselftests
# (test_remote*) run L1's target and leapiod's connections.
# The loopback card's guest (both sides in L1, the check plan on a
# card-served drive) proves nothing the card VM's does not and is left
# to make vm-card-test. One kernel: all.
l2_sets() {
	[ ${#kvers[@]} -gt 1 ] || return 0
	if [ "$1" = "${kvers[0]}" ]; then
		echo "cardvm remote"
	else
		echo "cardvm"
	fi
}

card_l1_tests=$(comm -23 <(tests/kselftest/run.sh --card-list | sort) \
	<(tests/kselftest/run.sh --card-vm-list | sort) | tr '\n' ' ')

# The VM runs of one kernel (each records its own verdicts: run.tap,
# l1.tap, l2.tap and the kselftests' TAP), one after the other, and the
# kernels one after the other too: two L1s side by side ran each nested
# guest 1.7 times slower than alone (the check guest 1550 s against 725;
# the kselftests 600 s against 330), no faster in all, and close to
# their bounds.
#   vm_run <description> <command...>
vm_run() {
	local what=$1 start=$SECONDS
	shift
	echo "=== check: $what"
	"$@" || true
	echo "=== check: $what: $((SECONDS - start)) s"
}

# Is v the last kernel (or the one given)? It runs make systemd-test and
# the card's faults under the card VM's guest.
last_kernel() {
	[ "$1" = "${kvers[-1]}" ]
}

# make <target...>, its output in <log> only.
make_logged() {
	local log=$1
	shift
	make --no-print-directory "$@" > "$log" 2>&1
}

# One kernel's runs, then that each of them is there and holds results.
kernel_vm_runs() {
	local v=$1 faults=0 pairdir='' sysdir='' ran
	LEAPIO_L2_SETS=$(l2_sets "$v")
	export LEAPIO_L2_SETS
	vm_run "VM tests on $v (nested guest variants: ${LEAPIO_L2_SETS:-all})" \
		tests/vm/run-l1.sh "$v" tests/vm/l1-main.sh "$results/vm-$v"
	# The card's kselftests and a nested guest on a card-served drive, in
	# an L1 with the card's devices (a loopback card: both sides in L1):
	# the kselftests only there, the rest ran above; of them, the data
	# path sets run against the card VM below (make card-ksft) instead.
	vm_run "card L1 on $v" env LEAPIO_KSFT_TESTS="$card_l1_tests" \
		tests/vm/card/run-l1-card.sh "$v" tests/vm/card/l1-card-check.sh \
		"$results/vm-card-$v"
	# leapiod.service under a real systemd (L1 booted with it), and the
	# reboot of a host set up as the walk-through says: with the last
	# kernel (the service and the walk-through are user space; each
	# kernel loads the DKMS-built module in its l1-main.sh).
	if last_kernel "$v"; then
		sysdir=$results/systemd-$v
		vm_run "leapiod.service under systemd, and a reboot, on $v" \
			make_logged "$logs/systemd-$v.log" systemd-test KVER="$v"
	fi
	# The real emulated card: the aarch64 card VM's leapiod (the arm64
	# build) serving a nested guest in L1, no leapiod on L1
	# (tests/vm/card/l1-soc-l2.sh, card-soc-serve.sh). The card's
	# faults under the guest (its leapiod killed, then the card reset:
	# minutes of waiting for I/O in flight) with the last kernel only:
	# they are the card's (its arm64 kernel and leapiod, the same for
	# both); each kernel's card L1 runs test_card_faults.
	! last_kernel "$v" || faults=1
	if l1_l2_set_on cardvm; then
		pairdir=$results/card-l2-$v
		vm_run "the card VM serving a nested guest on $v (card faults: $faults)" \
			make_logged "$logs/card-l2-$v.log" card-l2 KVER="$v" CARD_L2_FAULTS=$faults
	fi
	# The data path kselftests against the card VM's leapiod
	# (tests/vm/card/l1-card-vm-ksft.sh, card-agent.sh).
	vm_run "the card VM serving the kselftests on $v" \
		make_logged "$logs/card-ksft-$v.log" card-ksft KVER="$v"
	if tests/vm/vm-ran.sh "$v" "$results/vm-$v" build/kselftest "$results/vm-card-$v" \
		"$pairdir" "$results/card-ksft-$v" "$sysdir" > "$logs/vm-ran-$v.log" 2>&1
	then ran=1; else ran=0; fi
	sed 's/^/=== check: /' "$logs/vm-ran-$v.log"
	tap "$ran" "VM tests ran on $v: $(tail -n 1 "$logs/vm-ran-$v.log")" \
		"$(head -n -1 "$logs/vm-ran-$v.log")"
}

for v in "${kvers[@]}"; do
	kernel_vm_runs "$v"
done
tap_plan

exec tests/summary.sh "$results"
