#!/bin/bash
# leapiod's core alone, null backend: throughput with a synthetic guest
# on another thread, then instructions per command under callgrind
# (counted for lio_vdev_poll and what it calls, after a warm-up).
set -euo pipefail
bin=${1:-build/bench/bench_rt}
n=200000
echo "== throughput (guest and core on two threads, depth 256, 3 runs)"
for i in 1 2 3; do "$bin" threads 2 256; done
echo "== instructions per command (callgrind, $n commands, depth 64)"
out=$(mktemp)
valgrind --tool=callgrind --callgrind-out-file="$out" \
	--toggle-collect=lio_vdev_poll "$bin" inline "$n" 64 >/dev/null 2>&1
ann=$(callgrind_annotate "$out" 2>/dev/null || true)
ir=$(awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }' <<<"$ann")
rm -f "$out"
echo "lio_vdev_poll: $ir instructions for $n commands: $((ir / n)) per command"
echo "(target: <= 400 instructions and >= 5 M commands/s per core)"
