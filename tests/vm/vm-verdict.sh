#!/bin/bash
# The verdict of one VM run, as TAP for the summary: did the VM run its
# script to the end, and did the script succeed? For tests/vm/run-l1.sh
# and tests/vm/card/run-card.sh.
#   tests/vm/vm-verdict.sh <outdir> <side> <name> <qemu exit> <seconds> <timeout>
# <side> is the prefix of the files the VM's init leaves in <outdir>:
# <side>-done once the script ended, <side>-exit-status its status. Writes
# <outdir>/run.tap, prints it, and exits 0 only for "ok".
set -uo pipefail
[ $# = 6 ] || { echo "usage: $0 <outdir> <side> <name> <qemu exit> <seconds> <timeout>" >&2; exit 2; }
outdir=$1 side=$2 name=$3 qemu_rc=$4 elapsed=$5 timeout_s=$6
{
	echo "TAP version 13"
	echo "1..1"
	if [ ! -e "$outdir/$side-done" ]; then
		why="VM ended before the script did"
		[ "$qemu_rc" = 124 ] && why="timed out after ${timeout_s}s"
		grep -q 'Kernel panic' "$outdir/console.log" && why="kernel panic"
		echo "not ok 1 $name completed # $why (qemu exit $qemu_rc, ${elapsed}s)"
		grep -m1 -B2 -A30 -E '(WARNING|BUG|Oops|Kernel panic)' \
			"$outdir/console.log" | sed 's/^/# /' || true
	else
		status=$(cat "$outdir/$side-exit-status")
		if [ "$status" = 0 ]; then
			echo "ok 1 $name completed # ${elapsed}s"
		else
			echo "not ok 1 $name completed # script exit $status, ${elapsed}s"
		fi
	fi
} > "$outdir/run.tap"
cat "$outdir/run.tap"
grep -q '^ok 1' "$outdir/run.tap"
