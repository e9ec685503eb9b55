#!/bin/bash
# Did one kernel's VM tests really run? A VM that never booted, a module
# that did not build, or a kselftest binary that was never started leaves
# fewer results, not failed ones: this turns their absence into a failure.
#   tests/vm/vm-ran.sh <kver> <results dir of its run> <kselftest bin dir> \
#       [<results dir of its card L1 run> [<results dir of its card VM run>
#       [<results dir of the card VM's kselftests> [<results dir of its
#       systemd run>]]]]
# The card's kselftests (test_card_*, test_soc_*) run only in the card L1
# (tests/kselftest/run.sh): with a card dir, their verdicts are looked for
# there, and that run's own TAP files (tests/vm/card/l1-card-check.sh's:
# its nested guest on a card-served drive too) must be there; without one
# they are not looked for.
# With the card VM's kselftests' dir (make card-ksft), both VMs' TAP
# files must be there and each binary of tests/kselftest/run.sh
# --card-vm-list that was built must have its verdict in that run (make
# check runs them there, not in the card L1).
# With the systemd run's dir (make systemd-test): its three boots' TAP
# files (l1-systemd.sh's, and l1-reboot.sh's before and after), and the
# verdicts of the kselftests that run only there (run.sh --unit-list).
# LEAPIO_L2_SETS, as given to those runs (tests/vm/l1-lib.sh
# l1_l2_set_on): the nested guest variants left out are not looked for.
# Prints what is missing, one line each, then a last line with the count
# of results found; exits 1 if anything is missing or nothing ran.
set -uo pipefail

kver=$1 dir=$2 bindir=$3 carddir=${4:-} pairdir=${5:-} ksftdir=${6:-} sysdir=${7:-}
here=$(cd "$(dirname "$0")" && pwd)
missing=0
# shellcheck source=tests/vm/l1-lib.sh
KVER=$kver LEAPIO_TOP=$here/../.. . "$here/l1-lib.sh"

miss() {
	echo "$kver: $*"
	missing=1
}

# Results of a TAP file (ok / not ok lines at any depth).
results_in() {
	grep -cE '^([#] |    )*(not )?ok( |$)' "$1" 2>/dev/null || true
}

tapfiles="run.tap l1.tap l1-kselftest.tap l2.tap"
l1_l2_set_on remote && tapfiles+=" l2-remote.tap"
for f in $tapfiles; do
	if [ ! -s "$dir/$f" ]; then
		miss "no $f: that part of the VM run did not run"
	elif [ "$(results_in "$dir/$f")" = 0 ]; then
		miss "$f holds no result"
	fi
done

# Every kselftest binary that was built has its own verdict line.
bins=$(find "$bindir" -maxdepth 1 -type f -name 'test_*' -perm -u+x \
	-printf '%f\n' 2>/dev/null | LC_ALL=C sort)
[ -n "$bins" ] || miss "no kselftest binary in $bindir"
if [ -n "$carddir" ]; then
	tapfiles="run.tap kselftest.tap l1.tap"
	l1_l2_set_on card && tapfiles+=" l2.tap"
	for f in $tapfiles; do
		[ -s "$carddir/$f" ] && [ "$(results_in "$carddir/$f")" != 0 ] ||
			miss "card L1: no results in $f: that run did not run"
	done
fi
# The card VM serving a nested guest (make card-l2): both VMs' verdicts,
# L1's checks with the guest's, the card's own.
if [ -n "$pairdir" ]; then
	for f in l1/run.tap l1/l1.tap card/run.tap card/card-soc.tap; do
		[ -s "$pairdir/$f" ] && [ "$(results_in "$pairdir/$f")" != 0 ] ||
			miss "card VM run: no results in $f: that run did not run"
	done
fi
# The kselftests against the card VM (make card-ksft).
card_vm_list=$("$here/../kselftest/run.sh" --card-vm-list)
if [ -n "$ksftdir" ]; then
	for f in l1/run.tap l1/l1.tap l1/kselftest.tap card/run.tap card/card-agent.tap; do
		[ -s "$ksftdir/$f" ] && [ "$(results_in "$ksftdir/$f")" != 0 ] ||
			miss "card VM kselftests: no results in $f: that run did not run"
	done
	for b in $card_vm_list; do
		grep -qx "$b" <<< "$bins" || continue
		grep -qE "^(not )?ok [0-9]+ selftests: leapio: $b( |$)" \
			"$ksftdir/l1/kselftest.tap" 2>/dev/null ||
			miss "kselftest $b did not run against the card VM"
	done
fi
# leapiod.service's run: each boot, and the kselftests of each.
if [ -n "$sysdir" ]; then
	for f in run.tap l1.tap kselftest-unit.tap reboot-1/run.tap reboot-1/l1.tap \
		reboot-1/kselftest-unit.tap reboot-2/run.tap reboot-2/l1.tap \
		reboot-2/kselftest-unit.tap; do
		[ -s "$sysdir/$f" ] && [ "$(results_in "$sysdir/$f")" != 0 ] ||
			miss "systemd run: no results in $f: that part did not run"
	done
fi
for b in $bins; do
	tapf=$dir/l1-kselftest.tap
	case $b in
	# Only under systemd (make systemd-test), in one of its boots.
	test_unit_*) [ -n "$sysdir" ] || continue
		grep -qsE "^(not )?ok [0-9]+ selftests: leapio: $b( |$)" \
			"$sysdir/kselftest-unit.tap" "$sysdir"/reboot-*/kselftest-unit.tap ||
			miss "kselftest $b did not run (in the systemd run)"
		continue ;;
	# No card L1 in this run (make check-debug): nothing of the card's.
	test_card_*|test_soc_*) [ -n "$carddir" ] || continue
		# The data path sets: against the card VM (looked for above).
		[ -z "$ksftdir" ] || ! grep -qx "$b" <<< "$card_vm_list" || continue
		tapf=$carddir/kselftest.tap ;;
	esac
	[ -s "$tapf" ] || continue	# reported above
	grep -qE "^(not )?ok [0-9]+ selftests: leapio: $b( |$)" "$tapf" ||
		miss "kselftest $b did not run (in $(basename "$(dirname "$tapf")"))"
done

counts="0 passed, 0 failed, 0 skipped" total=0
if [ -n "$(find "$dir" -name '*.tap' 2>/dev/null)" ]; then
	counts=$("$here/../summary.sh" "$dir" 2>/dev/null | tail -n 1)
	read -r p _ f _ s _ <<< "${counts//,/}"
	total=$((${p:-0} + ${f:-0} + ${s:-0}))
fi
[ "$total" -gt 0 ] || miss "no VM test result at all"
echo "$total results ($counts)"
exit $missing
