#!/bin/bash
# One VM run and its verdict, as TAP for the summary: boot it with a
# bound, then did the VM run its script to the end, and did the script
# succeed? For tests/vm/run-l1.sh and tests/vm/card/run-card.sh.
#   tests/vm/vm-run.sh <outdir> <side> <name> <timeout s> <qemu command...>
# The console goes to <outdir>/console.log (and the terminal too with
# LEAPIO_VM_TTY=1). <side> is the prefix of the files the VM's init leaves
# in <outdir>: <side>-done once the script ended, <side>-exit-status its
# status. Writes <outdir>/run.tap, prints it, and exits 0 only for "ok".
set -uo pipefail
[ $# -ge 5 ] || { echo "usage: $0 <outdir> <side> <name> <timeout> <qemu command...>" >&2; exit 2; }
outdir=$1 side=$2 name=$3 timeout_s=$4
shift 4
start=$SECONDS
if [ "${LEAPIO_VM_TTY:-0}" = 1 ]; then
	timeout -k 10 "$timeout_s" "$@" < /dev/null 2>&1 | tee "$outdir/console.log"
	qemu_rc=${PIPESTATUS[0]}
else
	timeout -k 10 "$timeout_s" "$@" < /dev/null > "$outdir/console.log" 2>&1
	qemu_rc=$?
fi
elapsed=$((SECONDS - start))

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
