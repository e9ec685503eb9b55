#!/bin/bash
# leapiod's core alone, null backend: throughput with a synthetic guest
# on another thread, then instructions per command under callgrind
# (counted for lio_vdev_poll and what it calls, after a warm-up), with
# the per-vdev statistics kept and without them: their cost is the
# difference, measured in the same run.
set -euo pipefail
bin=${1:-build/bench/bench_rt}
n=200000
echo "== throughput (guest and core on two threads, depth 256, 3 runs)"
for i in 1 2 3; do "$bin" threads 2 256; done

# Instructions lio_vdev_poll and its callees take for $n commands.
instructions() {
	local out ann
	out=$(mktemp)
	valgrind --tool=callgrind --callgrind-out-file="$out" \
		--toggle-collect=lio_vdev_poll "$bin" inline "$n" 64 >/dev/null 2>&1
	ann=$(callgrind_annotate "$out" 2>/dev/null || true)
	rm -f "$out"
	awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }' <<<"$ann"
}

echo "== instructions per command (callgrind, $n commands, depth 64)"
with=$(instructions)
without=$(LEAPIO_BENCH_NO_STATS=1 instructions)
echo "lio_vdev_poll: $with instructions for $n commands: $((with / n)) per command"
echo "without statistics: $without instructions: $((without / n)) per command"
echo "statistics (counters, latency histogram): $(((with - without) / n)) per command," \
	"$(awk -v a="$with" -v b="$without" 'BEGIN { printf "%.1f", (a - b) * 100 / b }') % of the rest"
echo "(target: <= 400 instructions and >= 5 M commands/s per core)"
