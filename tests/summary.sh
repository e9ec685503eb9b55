#!/bin/bash
# Count every TAP result under a directory (default build/results) and print,
# as the very last line, "N passed, N failed, N skipped"; before it, the
# counts of each file and of each kernel's VM run (vm-<kver>/). Exit 1 if anything
# failed or nothing ran.
#   tests/summary.sh [dir]
# Nesting: kselftest streams indent a binary's own TAP with "# " and TAP 14
# indents subtests by four spaces; either way a result line with results
# nested above it is their parent, and the children are what gets counted
# (a parent "not ok" whose children all passed - a binary that crashed after
# its last test - still counts as one failure). A plan "1..N" promising more
# results than came counts the missing ones as failed, so a test binary that
# died midway cannot pass by falling silent. "# SKIP" and "# TODO" count as
# skipped; "Bail out!" as a failure, and so does a file with results but no
# plan at all (a checker that died before its trailing plan).
#
# Skips are honest: every one is listed ("SKIPPED <file>: <line>"), and one
# that no line of the expected-skips file matches counts as a failure.
# That file (default tests/expected-skips beside this script; override
# with LEAPIO_EXPECTED_SKIPS) holds one extended regular expression a
# line, matched against "<file>: <result line>"; # starts a comment.
set -euo pipefail

dir=${1:-build/results}
expected=${LEAPIO_EXPECTED_SKIPS:-$(dirname "$0")/expected-skips}
[ -r "$expected" ] || expected=/dev/null
files=$(find "$dir" -name '*.tap' -type f 2>/dev/null | LC_ALL=C sort)
if [ -z "$files" ]; then
	echo "summary: no TAP files under $dir"
	echo "0 passed, 1 failed"
	exit 1
fi

# shellcheck disable=SC2086
awk -v expected="$expected" '
BEGIN {
	maxd = 0; tp = tf = ts = 0; fp = ff = fs = 0; nexp = 0
	while ((getline line < expected) > 0) {
		sub(/[ \t]*#.*$/, "", line)
		if (line != "") exp_re[++nexp] = line
	}
}
# A skip: listed, and expected or else a failure. Returns 1 if expected.
function skip_ok(what,   i) {
	for (i = 1; i <= nexp; i++)
		if (what ~ exp_re[i]) { skipped[++nskip] = what; return 1 }
	failures[++nfail] = what " (a skip not listed in " expected ")"
	return 0
}
function depth_of(line,   d) {
	d = 0
	for (;;) {
		if (substr(line, 1, 2) == "# ") { line = substr(line, 3); d++ }
		else if (substr(line, 1, 4) == "    ") { line = substr(line, 5); d++ }
		else break
	}
	body = line
	return d
}
# Close the block of results at depth d: results a leading plan promised
# but that never came are failures.
function close_block(d) {
	if (plan[d] > 0 && seen[d] < plan[d]) {
		pf[d] += plan[d] - seen[d]
		failures[++nfail] = FILENAME ": " (plan[d] - seen[d]) " result(s) missing of plan 1.." plan[d]
	}
	plan[d] = 0; seen[d] = 0
}
# Fold the pending counts of every depth below d into nothing (they were
# consumed by a parent) or, at end of file, into the file total.
function reset_below(d,   k) {
	for (k = d + 1; k <= maxd; k++) { close_block(k); pp[k] = pf[k] = ps[k] = 0 }
}
# Comment and output lines: the last few before a result are kept, and
# the first few after a failure join its reason.
function context(line,   i) {
	if (line ~ /^[ \t#]*$/) return
	# A harness test starting: what follows is its own, not the reason
	# of the failure before it.
	if (line ~ /#  RUN /) { after = 0; assertion = "" }
	# The harness names the failed assertion (file.c:line:test:) before
	# the log of the test, which can push it out of the last lines.
	if (assertion == "" && line ~ /[A-Za-z0-9_]\.c:[0-9]+:[A-Za-z0-9_]+:Expected /) assertion = line
	if (after && nafter < 6) { why[after] = why[after] "\n    " line; nafter++; return }
	if (npre == 4) { for (i = 1; i < 4; i++) pre[i] = pre[i + 1]; npre = 3 }
	pre[++npre] = line
}
function pre_text(   i, t) {
	t = ""
	if (assertion != "") {
		for (i = 1; i <= npre; i++) if (pre[i] == assertion) break
		if (i > npre) t = "\n    " assertion
	}
	for (i = 1; i <= npre; i++) t = t "\n    " pre[i]
	return t
}
function end_file(   k) {
	if (FILENAME_prev == "") return
	if (!planned && results) {
		ff++; failures[++nfail] = FILENAME_prev ": no plan (1..N): the stream was cut short"
	}
	planned = results = 0
	for (k = maxd; k >= 0; k--) {
		close_block(k)
		fp += pp[k]; ff += pf[k]; fs += ps[k]
		pp[k] = pf[k] = ps[k] = 0
	}
	printf "%s: %d passed, %d failed, %d skipped\n", FILENAME_prev, fp, ff, fs
	tp += fp; tf += ff; ts += fs
	# The VM runs of make check, one directory per kernel: vm-<kver>/.
	if (match(FILENAME_prev, /\/vm-[^\/]+\//)) {
		k = substr(FILENAME_prev, RSTART + 4, RLENGTH - 5)
		if (!(k in gp)) kern[++nkern] = k
		gp[k] += fp; gf[k] += ff; gs[k] += fs
	}
	fp = ff = fs = 0; maxd = 0
}
FNR == 1 { end_file(); FILENAME_prev = FILENAME; npre = 0; after = 0; assertion = "" }
{
	sub(/\r$/, "")
	d = depth_of($0)
	if (d > maxd) maxd = d
	if (body ~ /^TAP version/) { close_block(d); next }
	if (body ~ /^1\.\.[0-9]+/) {
		n = substr(body, 4) + 0
		planned = 1
		if (seen[d] > 0) {	# trailing plan
			if (seen[d] < n) {
				pf[d] += n - seen[d]
				failures[++nfail] = FILENAME ": " (n - seen[d]) " result(s) missing of plan 1.." n
			}
			plan[d] = 0; seen[d] = 0
		} else {
			close_block(d); plan[d] = n
		}
		next
	}
	if (body ~ /^Bail out!/) {
		pf[d]++; failures[++nfail] = FILENAME ": " body; next
	}
	if (body !~ /^(not )?ok([ \t]|$)/) { context($0); next }

	seen[d]++; results++
	nfail_before = nfail
	bad = (body ~ /^not ok/)
	skip = (body ~ /#[ \t]*([Ss][Kk][Ii][Pp]|[Tt][Oo][Dd][Oo])/)
	# Children nested above this line (pending at depth d+1 and deeper).
	cp = cf = cs = 0
	for (k = d + 1; k <= maxd; k++) { close_block(k); cp += pp[k]; cf += pf[k]; cs += ps[k] }
	reset_below(d)
	if (cp + cf + cs > 0) {
		if (bad && !skip && cf == 0) {
			cf = 1; failures[++nfail] = FILENAME ": " body
		}
		pp[d] += cp; pf[d] += cf; ps[d] += cs
	} else if (skip) {
		if (skip_ok(FILENAME ": " body)) ps[d]++; else pf[d]++
	} else if (bad) {
		pf[d]++; failures[++nfail] = FILENAME ": " body
	} else {
		pp[d]++
	}
	# The lines around a failure say why: the harness prints them
	# before its "not ok", tests/vm/tap.sh after.
	if (nfail > nfail_before && bad) {
		why[nfail] = pre_text()
		after = nfail; nafter = 0
	} else {
		after = 0
	}
	npre = 0; assertion = ""
}
END {
	end_file()
	for (i = 1; i <= nkern; i++) {
		k = kern[i]
		printf "VM tests on %s: %d ran (%d passed, %d failed, %d skipped)\n", k, gp[k] + gf[k] + gs[k], gp[k], gf[k], gs[k]
	}
	for (i = 1; i <= nskip; i++) print "SKIPPED " skipped[i]
	for (i = 1; i <= nfail; i++) print "FAILED " failures[i] why[i]
	printf "%d passed, %d failed, %d skipped\n", tp, tf, ts
	exit (tf > 0 || tp + tf + ts == 0) ? 1 : 0
}' $files
