#!/bin/bash
# make fuzz's runs: each target for a bounded number of inputs, as many
# at once as there are cores (the smoke of make check), or, with
# FUZZ_SECONDS set, each that many seconds, one after the other (real
# fuzzing wants every core for one target). TAP on stdout, in the
# targets' order: ok when libFuzzer finished clean, else not ok naming
# its log (<target>.log) and the crashing input beside it.
#   tests/fuzz/smoke.sh <corpus dir> <target>...
# Environment: FUZZ_RUNS (fuzz_vctrl's), FUZZ_RUNS_fuzz_rt,
# FUZZ_RUNS_small (the others'), FUZZ_TIME (seconds at most, each),
# FUZZ_SECONDS.
set -uo pipefail

corpus=$1
shift
: "${FUZZ_RUNS:?}" "${FUZZ_RUNS_fuzz_rt:?}" "${FUZZ_RUNS_small:?}" "${FUZZ_TIME:?}"
jobs=$(nproc)
[ -z "${FUZZ_SECONDS:-}" ] || jobs=1

run_one() {
	local t=$1 name c runs lim
	name=$(basename "$t")
	c=$corpus/$name
	mkdir -p "$c"
	case $name in
	fuzz_vctrl) runs=$FUZZ_RUNS ;;
	fuzz_rt) runs=$FUZZ_RUNS_fuzz_rt ;;
	*) runs=$FUZZ_RUNS_small ;;
	esac
	lim="-runs=$runs -max_total_time=$FUZZ_TIME"
	[ -z "${FUZZ_SECONDS:-}" ] || lim="-runs=-1 -max_total_time=$FUZZ_SECONDS"
	# shellcheck disable=SC2086
	"$t" $lim -max_len=4096 -artifact_prefix="$t-" "$c" \
		"tests/fuzz/seeds/$name" > "$t.log" 2>&1
	echo $? > "$t.rc"
}

echo "TAP version 13"
echo "1..$#"
running=0
for t in "$@"; do
	rm -f "$t.rc"
	run_one "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait
n=0 rc=0
for t in "$@"; do
	n=$((n + 1))
	if [ "$(cat "$t.rc" 2>/dev/null)" = 0 ]; then
		echo "ok $n $(basename "$t")"
	else
		echo "not ok $n $(basename "$t") # see $t.log"
		rc=1
	fi
done
exit $rc
