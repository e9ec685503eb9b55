# The stages of a whole run (tests/vm/check.sh, tests/vm/check-debug.sh),
# sourced after tap.sh: each stage's verdict a TAP line, its output on
# the terminal and in a log of its own.
#   stage_init <results dir> <logs dir> <TAP file name> <prefix>
#   stage <log name> <description> <command...>   returns the command's status

stage_init() {
	STAGE_LOGS=$2 STAGE_PREFIX=$4
	rm -rf "$1" "$2"
	mkdir -p "$1" "$2"
	exec 3> "$1/$3"
	TAP_FD=3
	echo "TAP version 13" >&3
}

stage() {
	local name=$1 what=$2 start=$SECONDS rc=0
	shift 2
	echo "=== $STAGE_PREFIX: $what"
	"$@" 2>&1 | tee "$STAGE_LOGS/$name.log" || rc=${PIPESTATUS[0]}
	echo "=== $STAGE_PREFIX: $what: $([ $rc = 0 ] && echo ok || echo "FAILED ($rc)") in $((SECONDS - start)) s"
	tap "$(ok_if [ $rc = 0 ])" "$what # $((SECONDS - start))s"
	return $rc
}
