# shellcheck shell=bash disable=SC2154
# The nested guest's output as tests/vm/init-l2.sh writes it: each command
# of the plan between "=== LEAPIO-BEGIN <label> ===" and "=== LEAPIO-END
# <label> rc=<status>". Sourced by the scripts that judge a guest; they
# keep the output, CRs dropped, in $log.
#   section <label>   what the command printed
#   rc_of <label>     its exit status
# Filters here read all their input: one that quit early would kill its
# writer with SIGPIPE, and pipefail would make that a failure.
section() {
	printf '%s\n' "$log" | awk -v b="=== LEAPIO-BEGIN $1 ===" \
		-v e="=== LEAPIO-END $1 rc=" \
		'index($0, e) == 1 {on = 0} on {print} $0 == b {on = 1}'
}
rc_of() {
	printf '%s\n' "$log" | sed -n "s/^=== LEAPIO-END $1 rc=\([0-9]*\).*/\1/p"
}

# The guest kernel's console log on stdin (the command line, which says
# oops=panic, is no report):
#   guest_oopses     warnings, oopses, panics, each with the lines after it
#                    (registers and trace say where), at most 120 lines
#   guest_io_errors  I/O errors, NVMe timeouts, aborts, controller resets
# Empty when there are none.
guest_oopses() {
	{ grep -vi 'command line:' |
		grep -E -B 2 -A 30 'WARNING:|BUG:|Oops|Kernel panic|Call Trace' || true; } |
		sed -n 1,120p
}
guest_io_errors() {
	{ grep -vi 'command line:' |
		grep -Ei 'I/O error|nvme.*(timeout|abort)|resetting controller' || true; }
}
