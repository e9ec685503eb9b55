#!/bin/bash
# Tests of the test suite: the guards that make `make check` fail when a
# kernel, a stage or a test binary silently did not run, and the build
# rules that must not look for kernels before setup has installed them.
# Each case builds the situation it checks (a system root lacking a
# kernel, a VM run that left no results, ...) and asserts the guard's
# verdict. TAP on stdout; exit 1 if any case failed.
#   tests/meta/run.sh
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd -P)
cd "$top"
# shellcheck source=tests/vm/tap.sh
. tests/vm/tap.sh

# ok_if with a negated command.
not() {
	! "$@"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "TAP version 13"

# ---- scripts/kvers.sh: which kernels are there ----

# A system root with the given kernels' images and headers.
fake_root() {
	local root=$1 k
	shift
	mkdir -p "$root/boot"
	for k in "$@"; do
		: > "$root/boot/vmlinuz-$k"
		mkdir -p "$root/lib/modules/$k/build"
		: > "$root/lib/modules/$k/build/Makefile"
	done
}

# The kernels Debian's metapackages name here (the real dpkg database).
k61=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null |
	sed -n 's/^linux-image-\([^ ,]*\).*/\1/p')
k612=$(dpkg-query -W -f='${Depends}' linux-image-6.12-amd64 2>/dev/null |
	sed -n 's/^linux-image-\([^ ,]*\).*/\1/p')
tap "$(ok_if [ -n "$k61" ] && [ -n "$k612" ])" \
	"Debian's kernel metapackages are installed ($k61, $k612)"

fake_root "$tmp/both" "$k61" "$k612"
out=$(LEAPIO_SYSROOT=$tmp/both scripts/kvers.sh 2>&1)
tap_is "kvers.sh lists both kernels when both are there" \
	"$(echo $out)" "$k61 $k612"

fake_root "$tmp/no612" "$k61"
out=$(LEAPIO_SYSROOT=$tmp/no612 scripts/kvers.sh 2>&1) && rc=0 || rc=$?
tap "$(ok_if [ $rc != 0 ])" "kvers.sh fails when the 6.12 kernel is missing" \
	"exit $rc: $out"
tap "$(ok_if grep -q "Debian kernel 6.12 ($k612): no .*vmlinuz" <<< "$out")" \
	"... and says which kernel and what of it is missing" "$out"

fake_root "$tmp/noheaders" "$k61" "$k612"
rm -rf "$tmp/noheaders/lib/modules/$k61"
out=$(LEAPIO_SYSROOT=$tmp/noheaders scripts/kvers.sh 2>&1) && rc=0 || rc=$?
tap "$(ok_if [ $rc != 0 ] && grep -q "Debian kernel 6.1 ($k61): no headers" <<< "$out")" \
	"kvers.sh fails, naming it, when a kernel has no headers" "exit $rc: $out"

out=$(LEAPIO_KSERIES="6.1 6.12 5.10" scripts/kvers.sh 2>&1) && rc=0 || rc=$?
tap "$(ok_if [ $rc != 0 ] && grep -q "Debian kernel 5.10: package linux-image-5.10-amd64 is not installed" <<< "$out")" \
	"kvers.sh fails when a required series' package is not installed" "exit $rc: $out"

# ---- tests/vm/vm-ran.sh: did a kernel's VM tests run ----

mkdir -p "$tmp/bin"
for b in test_a test_b test_lifecycle; do
	printf '#!/bin/sh\n' > "$tmp/bin/$b"
	chmod +x "$tmp/bin/$b"
done

# A VM run's results as l1-main.sh leaves them, for binaries "$@".
fake_vm_results() {
	local dir=$1 n=0 b
	shift
	mkdir -p "$dir"
	printf 'TAP version 13\n1..1\nok 1 L1 completed\n' > "$dir/run.tap"
	printf 'TAP version 13\nok 1 insmod\n1..1\n' > "$dir/l1.tap"
	printf 'TAP version 13\nok 1 nvme list\n1..1\n' > "$dir/l2.tap"
	printf 'TAP version 13\nok 1 fio on the tcp drive\n1..1\n' > "$dir/l2-remote.tap"
	{
		echo "TAP version 13"
		echo "1..$#"
		for b in "$@"; do
			n=$((n + 1))
			echo "# ok 1 $b.one"
			echo "ok $n selftests: leapio: $b"
		done
	} > "$dir/l1-kselftest.tap"
}

fake_vm_results "$tmp/vm-all" test_a test_b test_lifecycle
out=$(tests/vm/vm-ran.sh kX "$tmp/vm-all" "$tmp/bin" 2>&1) && rc=0 || rc=$?
tap "$(ok_if [ $rc = 0 ])" "vm-ran.sh accepts a complete VM run" "exit $rc: $out"
tap_is "... and counts its results" "$(tail -n 1 <<< "$out")" \
	"7 results (7 passed, 0 failed, 0 skipped)"

out=$(tests/vm/vm-ran.sh kX "$tmp/vm-none" "$tmp/bin" 2>&1) && rc=0 || rc=$?
tap "$(ok_if [ $rc != 0 ] && grep -q '^kX: no VM test result at all' <<< "$out")" \
	"vm-ran.sh fails a kernel whose VM never ran" "exit $rc: $out"

fake_vm_results "$tmp/vm-short" test_a test_lifecycle
out=$(tests/vm/vm-ran.sh kX "$tmp/vm-short" "$tmp/bin" 2>&1) && rc=0 || rc=$?
tap "$(ok_if [ $rc != 0 ] && grep -q '^kX: kselftest test_b did not run' <<< "$out")" \
	"vm-ran.sh fails, naming it, a built kselftest binary that did not run" \
	"exit $rc: $out"

fake_vm_results "$tmp/vm-nol2" test_a test_b test_lifecycle
rm "$tmp/vm-nol2/l2.tap"
out=$(tests/vm/vm-ran.sh kX "$tmp/vm-nol2" "$tmp/bin" 2>&1) && rc=0 || rc=$?
tap "$(ok_if [ $rc != 0 ] && grep -q '^kX: no l2.tap' <<< "$out")" \
	"vm-ran.sh fails a run whose nested guest left no verdict" "exit $rc: $out"

# A nested guest variant left out of the run (LEAPIO_L2_SETS) is not
# looked for; one in it, or any when none is named, is.
fake_vm_results "$tmp/vm-noremote" test_a test_b test_lifecycle
rm "$tmp/vm-noremote/l2-remote.tap"
out=$(tests/vm/vm-ran.sh kX "$tmp/vm-noremote" "$tmp/bin" 2>&1) && rc=0 || rc=$?
tap "$(ok_if [ $rc != 0 ] && grep -q '^kX: no l2-remote.tap' <<< "$out")" \
	"vm-ran.sh fails a run whose remote drives' guest left no verdict" "exit $rc: $out"
out=$(LEAPIO_L2_SETS=remote tests/vm/vm-ran.sh kX "$tmp/vm-noremote" "$tmp/bin" 2>&1) &&
	rc=0 || rc=$?
tap "$(ok_if [ $rc != 0 ])" "... and one told it ran (LEAPIO_L2_SETS=remote)" "exit $rc: $out"
out=$(LEAPIO_L2_SETS=card tests/vm/vm-ran.sh kX "$tmp/vm-noremote" "$tmp/bin" 2>&1) &&
	rc=0 || rc=$?
tap "$(ok_if [ $rc = 0 ])" "... but not one told it was left out (LEAPIO_L2_SETS=card)" \
	"exit $rc: $out"

fake_vm_results "$tmp/vm-empty" test_a test_b test_lifecycle
printf 'TAP version 13\n1..0\n' > "$tmp/vm-empty/l1.tap"
out=$(tests/vm/vm-ran.sh kX "$tmp/vm-empty" "$tmp/bin" 2>&1) && rc=0 || rc=$?
tap "$(ok_if [ $rc != 0 ] && grep -q '^kX: l1.tap holds no result' <<< "$out")" \
	"vm-ran.sh fails a TAP file with no result in it" "exit $rc: $out"

# The card's runs: the card L1, the card VM's nested guest, and the card
# VM's kselftests (vm-ran.sh's 4th to 6th arguments); a binary of
# run.sh --card-vm-list must have its verdict in the last.
mkdir -p "$tmp/bin2"
for b in test_a test_card_io; do
	printf '#!/bin/sh\n' > "$tmp/bin2/$b"
	chmod +x "$tmp/bin2/$b"
done
fake_tap() {
	mkdir -p "$(dirname "$1")"
	printf 'TAP version 13\n1..1\nok 1 %s\n' "${2:-done}" > "$1"
}
fake_vm_results "$tmp/c/vm" test_a
for f in run.tap l1.tap l2.tap; do fake_tap "$tmp/c/card/$f"; done
fake_tap "$tmp/c/card/kselftest.tap" "selftests: leapio: test_card_io"
for f in l1/run.tap l1/l1.tap card/run.tap card/card-soc.tap; do fake_tap "$tmp/c/pair/$f"; done
for f in l1/run.tap l1/l1.tap card/run.tap card/card-agent.tap; do fake_tap "$tmp/c/ksft/$f"; done
fake_tap "$tmp/c/ksft/l1/kselftest.tap" "selftests: leapio: test_card_io"
vm_ran_card() {
	tests/vm/vm-ran.sh kX "$tmp/c/vm" "$tmp/bin2" "$tmp/c/card" "$tmp/c/pair" "$tmp/c/ksft" 2>&1
}
out=$(vm_ran_card) && rc=0 || rc=$?
tap "$(ok_if [ $rc = 0 ])" "vm-ran.sh accepts complete card runs" "exit $rc: $out"
rm "$tmp/c/card/l2.tap"
out=$(vm_ran_card) && rc=0 || rc=$?
tap "$(ok_if [ $rc != 0 ] && grep -q 'card L1: no results in l2.tap' <<< "$out")" \
	"vm-ran.sh fails a card L1 whose nested guest left no verdict" "exit $rc: $out"
out=$(LEAPIO_L2_SETS=remote vm_ran_card) && rc=0 || rc=$?
tap "$(ok_if [ $rc = 0 ])" "... unless that guest was left out (LEAPIO_L2_SETS=remote)" \
	"exit $rc: $out"
fake_tap "$tmp/c/card/l2.tap"
fake_tap "$tmp/c/ksft/l1/kselftest.tap" "selftests: leapio: test_card_isolation"
out=$(vm_ran_card) && rc=0 || rc=$?
tap "$(ok_if [ $rc != 0 ] && grep -q '^kX: kselftest test_card_io did not run against the card VM' <<< "$out")" \
	"vm-ran.sh fails, naming it, a card VM kselftest that did not run" "exit $rc: $out"
rm "$tmp/c/ksft/card/card-agent.tap"
out=$(vm_ran_card) && rc=0 || rc=$?
tap "$(ok_if [ $rc != 0 ] && grep -q 'card VM kselftests: no results in card/card-agent.tap' <<< "$out")" \
	"vm-ran.sh fails card VM kselftests whose card side left no verdict" "exit $rc: $out"

# ---- tests/summary.sh: what make check's last line says ----

mkdir -p "$tmp/sum"
printf 'TAP version 13\nok 1 unit\nnot ok 2 VM tests ran on kX: 0 results\n1..2\n' \
	> "$tmp/sum/check.tap"
out=$(tests/summary.sh "$tmp/sum" 2>&1) && rc=0 || rc=$?
tap "$(ok_if [ $rc != 0 ])" "summary.sh exits 1 when a kernel's VM tests are missing" \
	"exit $rc: $out"
tap_is "... and its last line counts that as a failure" "$(tail -n 1 <<< "$out")" \
	"1 passed, 1 failed, 0 skipped"

fake_vm_results "$tmp/sum2/vm-kY" test_a
out=$(tests/summary.sh "$tmp/sum2" 2>&1)
tap "$(ok_if grep -qx 'VM tests on kY: 5 ran (5 passed, 0 failed, 0 skipped)' <<< "$out")" \
	"summary.sh names, per kernel, how many VM tests ran" "$out"

# A failure carries its reason: the diagnostic lines after a tap.sh
# "not ok", and the harness's lines before its own.
mkdir -p "$tmp/why"
printf 'TAP version 13\n1..2\nok 1 a\nnot ok 2 zeroes\n# after=ab\nok 3 c\n' > "$tmp/why/a.tap"
printf 'TAP version 13\n1..1\n# 1..1\n# # io.c:9:x:Expected 0 == r (5)\n# not ok 1 io.x\nnot ok 1 test_io\n' \
	> "$tmp/why/b.tap"
out=$(tests/summary.sh "$tmp/why" 2>&1) || true
why_shown() {
	grep -A1 'FAILED .*a.tap: not ok 2 zeroes' <<< "$out" | grep -qx '    # after=ab' &&
		grep -A2 'FAILED .*b.tap: not ok 1 io.x' <<< "$out" | grep -qF 'Expected 0 == r (5)'
}
tap "$(ok_if why_shown)" "summary.sh prints a failure's reason lines under it" "$out"
# Two failures in a row: each keeps its own reason, not the other's too.
printf 'TAP version 13\n1..2\nnot ok 1 a\n# seen x\nnot ok 2 b\n# seen y\n' > "$tmp/why/c.tap"
out=$(tests/summary.sh "$tmp/why" 2>&1) || true
# The indented lines under a FAILED line, joined by |.
reason_of() {
	awk -v f="$1" 'index($0, "FAILED ") == 1 { on = index($0, f) > 0; next }
		on && /^    / { printf "%s|", $0; next } { on = 0 }' <<< "$out"
}
tap_is "... and only its own, when failures follow each other" \
	"$(reason_of 'c.tap: not ok 1 a') $(reason_of 'c.tap: not ok 2 b')" \
	"    # seen x|     # seen y|"

# The harness's assertion line stays, however long the test's log after it.
printf 'TAP version 13\n1..1\n# 1..1\n# #  RUN x.y ...\n# # t.c:5:y:ok so far\n# # t.c:9:y:Expected 1 (1) == n (2)\n# # l1\n# # l2\n# # l3\n# # l4\n# # l5\n# not ok 1 x.y\nnot ok 1 test_t\n' \
	> "$tmp/why/d.tap"
out=$(tests/summary.sh "$tmp/why" 2>&1) || true
tap_is "... and names the failed assertion, before a log longer than the last lines" \
	"$(reason_of 'd.tap: not ok 1 x.y')" \
	"    # # t.c:9:y:Expected 1 (1) == n (2)|    # # l2|    # # l3|    # # l4|    # # l5|"

# A skip counts only when it is expected, and every skip is listed.
mkdir -p "$tmp/skip"
printf 'TAP version 13\n1..2\nok 1 a\nok 2 hugepages # SKIP no THP\n' > "$tmp/skip/k.tap"
: > "$tmp/skip-none"
out=$(LEAPIO_EXPECTED_SKIPS=$tmp/skip-none tests/summary.sh "$tmp/skip" 2>&1) && rc=0 || rc=$?
tap "$(ok_if [ $rc != 0 ] && grep -q 'FAILED .*k.tap: ok 2 hugepages # SKIP no THP (a skip not listed' <<< "$out")" \
	"summary.sh fails a skip that is not listed as expected" "exit $rc: $out"
echo 'k\.tap: ok [0-9]+ hugepages # SKIP   # the reason' > "$tmp/skip-listed"
out=$(LEAPIO_EXPECTED_SKIPS=$tmp/skip-listed tests/summary.sh "$tmp/skip" 2>&1) && rc=0 || rc=$?
tap "$(ok_if [ $rc = 0 ] && grep -q '^SKIPPED .*k.tap: ok 2 hugepages # SKIP no THP' <<< "$out")" \
	"summary.sh lists an expected skip with its reason, and passes" "exit $rc: $out"

# ---- tests/kselftest/run.sh: every built binary runs ----

# In the regular L1 all but the card's tests, in the card L1 (make check
# gives it --card-list) those, in the systemd L1 (--unit-list) the
# unit's: together every source, each once.
listed=$({ LEAPIO_CARD_L1=0 tests/kselftest/run.sh --list
	tests/kselftest/run.sh --card-list
	tests/kselftest/run.sh --unit-list; } | LC_ALL=C sort | tr '\n' ' ')
sources=$(for f in tests/kselftest/test_*.c; do basename "$f" .c; done |
	LC_ALL=C sort | tr '\n' ' ')
tap_is "kselftest run.sh runs every tests/kselftest/test_*.c (regular, card or systemd L1)" \
	"$listed" "$sources"
tap_is "... test_lifecycle (it reloads the module) last" \
	"$(LEAPIO_CARD_L1=0 tests/kselftest/run.sh --list | tail -n 1)" test_lifecycle
tap "$(ok_if [ -n "$(tests/kselftest/run.sh --card-list)" ] &&
	! LEAPIO_CARD_L1=0 tests/kselftest/run.sh --list | grep -qE '^test_(card|soc)_')" \
	"the card's kselftests run in the card L1 only"

# ---- the Makefile: plain make builds only ----

# The rules make knows, read without running anything (-q -p on a target
# that does not exist: make -n would still run the kernel's sub-make).
db=$(make -qp --no-print-directory __meta_no_such_target__ 2>/dev/null)
# Prerequisites of a rule in that database.
deps_of() {
	awk -v t="$1:" '$1 == t { $1 = ""; print; exit }' <<< "$db"
}
for t in all modules kmod runtime/leapiod sparse style unit unit-rt kselftest-build; do
	d=$(deps_of "$t")
	tap "$(ok_if grep -q "^$t:" <<< "$db" && not grep -qw 'setup\|setup-if-needed' <<< "$d")" \
		"make $t never installs (no setup among its prerequisites)" "$t: $d"
done
recipe=$(awk '/^demo:/ { r = 1; next } r && /^$/ { exit } r' <<< "$db")
tap "$(ok_if grep -q 'setup.sh --if-needed' <<< "$recipe")" \
	"make demo installs what is missing before it looks for kernels" "$recipe"
# check.sh finds the kernels only after its setup stage has run.
setup_line=$(grep -n 'stage setup ' tests/vm/check.sh | head -n 1 | cut -d: -f1)
kvers_line=$(grep -n 'scripts/kvers.sh' tests/vm/check.sh | head -n 1 | cut -d: -f1)
tap "$(ok_if [ -n "$setup_line" ] && [ -n "$kvers_line" ] && [ "$kvers_line" -gt "$setup_line" ])" \
	"check.sh looks for the kernels after its setup stage" \
	"setup stage at line ${setup_line:-none}, kvers.sh at ${kvers_line:-none}"
out=$(grep -n '/lib/modules/\*\|wildcard /lib/modules' Makefile tests/*/*.mk \
	scripts/*.mk runtime/*.mk bench/*/*.mk 2>/dev/null || true)
tap_is "no Makefile globs /lib/modules for kernels (scripts/kvers.sh does)" "$out" ""

# ---- leapiod's production build takes nothing from tests/ ----

out=$(grep -nE '^RT_(CFLAGS|SRCS)' -A3 runtime/runtime.mk | grep -n 'tests/' || true)
tap_is "leapiod's build takes no header or source from tests/" "$out" ""

# ---- LeakSanitizer in the unit builds: a leak fails its test ----

# tests/meta/leak_check.c, built as the unit tests are (their flags, their
# harness header), runs tests that leak and tests that do not.
read -ra cflags < <(awk '$1 == "UNIT_CFLAGS" && $2 == ":=" { $1 = $2 = ""; print; exit }' <<< "$db")
ksrc=$(awk '$1 == "KSRC_UNIT" && $2 == ":=" { print $3; exit }' <<< "$db")
out=$(make -s --no-print-directory "$ksrc/.stamp" 2>&1 &&
	"${CC:-cc}" "${cflags[@]}" -o "$tmp/leak_check" tests/meta/leak_check.c -lpthread 2>&1) && rc=0 || rc=$?
tap "$(ok_if [ "$rc" = 0 ] && [ "${#cflags[@]}" -gt 0 ])" \
	"the leak check's test binary builds with the unit build's flags" "$out"
out=$("$tmp/leak_check" 2>&1) && rc=0 || rc=$?
verdicts=$(sed -n 's/^\(\(not \)\{0,1\}ok\) [0-9]* \([^ ]*\).*/\1 \3/p' <<< "$out" | paste -sd ' ')
tap_is "a test that leaks fails, in a TEST, a TEST_F, a fixture and a skip" "$verdicts" \
	"not ok global.leak_in_test ok global.no_leak not ok global.leak_in_skipped_test not ok buf.leak_in_body ok buf.no_leak not ok lost.leak_in_setup"
tap "$(ok_if [ "$rc" != 0 ] && grep -q 'ERROR: LeakSanitizer: detected memory leaks' <<< "$out")" \
	"... the binary fails and LeakSanitizer's report says where" "exit $rc"

# ---- one version (common/leapio/version.h) ----

ver=$(sed -n 's/^#define LEAPIO_VERSION\t*"\(.*\)"/\1/p' common/leapio/version.h)
tap_is "debian/changelog's version is common/leapio/version.h's" \
	"$(sed -n '1s/^leapio (\([^)]*\)).*/\1/p' debian/changelog)" "$ver"
tap "$(ok_if grep -q '@VERSION@' dkms.conf)" "dkms.conf takes the version from the build (@VERSION@)"

tap_plan
[ "$tap_failed" = 0 ]
