# shellcheck shell=sh
# The card's side of the card VM's kselftests (run-pair.sh with
# tests/vm/card/l1-card-vm-ksft.sh in L1): the arm64 leapio_soc.ko binds
# the card's functions, then this agent starts and stops the arm64
# leapiod in card mode as the kselftests in L1 ask, through files in the
# directory both VMs share (card-lib.sh's ctl, mounted at /ctl). The
# kselftests' side is tests/kselftest/lib/card_vm.c.
#
# Protocol: L1 writes request N as /ctl/req.N (whole: written aside and
# renamed), N = 1, 2, ...; the agent handles them in order and answers
# each with /ctl/resp.N, "ok [value]" or "err <why>". Requests:
#   start <uuid>=<offset> ...  leapiod serving those vdevs from the card's
#                              SSD, each namespace <offset> bytes in;
#                              answers ok <pid> (it attaches once L1
#                              hands each vdev to the card)
#   alive                      ok 1 while it runs, ok 0 once it exited
#   stop <signal number>       sends it (15, 9, ...) and reaps it:
#                              ok <exit code, or 128 + the signal>
#   log                        its output so far copied to /ctl/leapiod.log
#   quit                       ok, and the agent ends (stopping leapiod)
# The agent ends by itself after LEAPIO_CARD_AGENT_IDLE seconds (default
# 600) without a request: an L1 that died does not keep the card.
# TAP in $RESULTS/card-agent.tap: the driver bound, every request served,
# leapiod's exits, the driver unloaded; its last log in $RESULTS.
set -u
arm=$LEAPIO_TOP/build/arm64
idle_s=${LEAPIO_CARD_AGENT_IDLE:-600}
ctl=/ctl
ssd=/dev/nvme0n1
log=/tmp/leapiod.log
conf=/tmp/leapiod.json
# shellcheck source=tests/vm/card/card-side.sh
. "$LEAPIO_TOP/tests/vm/card/card-side.sh"
pid=
card_tap_begin "$RESULTS/card-agent.tap"
say() { echo "card-agent: $*"; }

mkdir -p $ctl
if mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 cardctl $ctl; then
	tap 1 "the directory shared with L1 is mounted at $ctl"
else
	tap 0 "the directory shared with L1 (9p tag cardctl) is mounted"
	card_finish
fi
if card_bind_soc; then
	tap 1 "leapio_soc.ko binds $LEAPIO_CARD_DBELL and $LEAPIO_CARD_HOSTWIN"
else
	tap 0 "leapio_soc.ko binds the card's functions" "$(dmesg | grep leapio_soc)"
	card_finish
fi

# Each request's handler sets resp; it runs in this shell, so that
# leapiod is this shell's child (wait reaps it).
# start <uuid>=<offset> ...: the configuration, then leapiod.
start() {
	[ -z "$pid" ] || { resp="err leapiod runs already (pid $pid)"; return; }
	vd=
	for a in "$@"; do
		u=${a%%=*}
		o=${a#*=}
		case $o in ''|*[!0-9]*) resp="err bad offset in '$a'"; return ;; esac
		vd="$vd${vd:+,
}    {\"uuid\": \"$u\", \"backend\": {\"type\": \"block\", \"path\": \"$ssd\", \"offset\": $o}}"
	done
	card_leapiod_conf $conf "$vd"
	"$arm/leapiod" --config $conf > $log 2>&1 &
	pid=$!
	starts=$((starts + 1))
	resp="ok $pid"
}

# stop <signal number>: its exit, reaped.
stop() {
	[ -n "$pid" ] || { resp="err leapiod is not running"; return; }
	kill -"$1" "$pid" 2>/dev/null
	wait "$pid"
	st=$?
	pid=
	[ "$1" != 15 ] || [ $st = 0 ] || bad_exits="$bad_exits $st"
	resp="ok $st"
}

alive() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
		! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
		resp="ok 1"
	else
		resp="ok 0"
	fi
}

starts=0
served=0
bad_exits=
cmd=
seq=1
idle=0
say "serving requests in $ctl (idle bound ${idle_s} s)"
while :; do
	req=$ctl/req.$seq
	if [ ! -f "$req" ]; then
		idle=$((idle + 1))
		[ $idle -lt $((idle_s * 20)) ] || { say "no request for ${idle_s} s: ending"; break; }
		sleep 0.05
		continue
	fi
	idle=0
	read -r cmd args < "$req"
	# shellcheck disable=SC2086 # the request's words are the arguments
	case $cmd in
	start) start $args ;;
	stop) stop "$args" ;;
	alive) alive ;;
	log) cp $log $ctl/leapiod.log.tmp && mv $ctl/leapiod.log.tmp $ctl/leapiod.log &&
		resp="ok" || resp="err no log" ;;
	quit) resp="ok" ;;
	*) resp="err unknown request '$cmd'" ;;
	esac
	echo "$resp" > "$ctl/resp.$seq.tmp"
	mv "$ctl/resp.$seq.tmp" "$ctl/resp.$seq"
	served=$((served + 1))
	seq=$((seq + 1))
	[ "$cmd" != quit ] || break
done

if [ -n "$pid" ]; then
	say "leapiod still running at the end: stopped"
	stop 15
fi
cp $log "$RESULTS/leapiod-last.log" 2>/dev/null
say "$served requests served, leapiod started $starts times"
tap $((served > 0)) "requests served ($served; leapiod started $starts times)"
tap "$([ "$cmd" = quit ] 2>/dev/null && echo 1 || echo 0)" "L1 ended the session (quit)" \
	"the agent ended after ${idle_s} s without a request"
tap "$([ -z "$bad_exits" ] && echo 1 || echo 0)" "every leapiod stopped with SIGTERM exited 0" \
	"exits:$bad_exits"
rmmod leapio_soc
tap $((! $?)) "leapio_soc.ko unloads"
card_finish
