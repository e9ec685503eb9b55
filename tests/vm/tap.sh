# TAP output helpers, sourced by the rig's scripts. Lines go to fd TAP_FD
# (default 1) so a script can log on stdout and keep its TAP in a file.
#   tap <1|0> <description> [diagnostic]   one test, 1 = pass
#   tap_is <description> <seen> <expected> [diagnostic on a mismatch]
#   tap_plan                              the closing "1..N"
#   ok_if <command...>                    prints 1 if the command succeeds, else 0
# tap_failed is 1 once anything failed.
tap_n=0
tap_failed=0

tap() {
	tap_n=$((tap_n + 1))
	if [ "$1" = 1 ]; then
		echo "ok $tap_n $2" >&"${TAP_FD:-1}"
	else
		echo "not ok $tap_n $2" >&"${TAP_FD:-1}"
		[ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/# /' >&"${TAP_FD:-1}"
		tap_failed=1
	fi
	return 0
}

tap_is() {
	if [ "$2" = "$3" ]; then
		tap 1 "$1"
	else
		tap 0 "$1" "seen '$2', expected '$3'${4:+$'\n'$4}"
	fi
}

tap_plan() {
	echo "1..$tap_n" >&"${TAP_FD:-1}"
}

# The command's own stdout goes to stderr: only the verdict is printed.
ok_if() {
	if "$@" >&2; then echo 1; else echo 0; fi
}
