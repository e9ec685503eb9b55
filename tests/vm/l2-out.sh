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
