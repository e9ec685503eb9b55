#!/bin/bash
# L1's side of the card VM's kselftests (tests/vm/card/run-pair.sh, `make
# card-ksft`; the card's side is card-agent.sh): the data path kselftests
# with the card serving (tests/kselftest/run.sh --card-vm-list, or
# LEAPIO_KSFT_TESTS) run here against the aarch64 card VM: each test's
# leapiod is the card's arm64 one, started and stopped by the card's
# agent through the directory both VMs share (9p tag cardctl, mounted at
# /cardctl), serving a slice of the card's SSD, which the tests read and
# write through L1's virtio disk leapio-card-ssd (tests/kselftest/lib/
# card_vm.h) -> $RESULTS/kselftest.tap. Then the agent is told to quit,
# and L1's kernel log must be clean -> $RESULTS/l1.tap. Exit 1 if
# anything failed.
set -euo pipefail

here=$LEAPIO_TOP/tests/vm
# shellcheck source=tests/vm/tap.sh
. "$here/tap.sh"
# shellcheck source=tests/vm/l1-lib.sh
. "$here/l1-lib.sh"

l1_tap_begin
ctl=/cardctl
log() { echo "l1-card-vm-ksft: $*"; }


# One request to the card's agent (card-agent.sh's protocol): prints its
# answer; bounded by the clock (agent_wait seconds).
agent_wait=60
agent() {
	local n=1 t=$((SECONDS + agent_wait))
	while [ -e "$ctl/req.$n" ]; do n=$((n + 1)); done
	echo "$*" > "$ctl/.req.$n.tmp"
	mv "$ctl/.req.$n.tmp" "$ctl/req.$n"
	until [ -e "$ctl/resp.$n" ]; do
		[ $SECONDS -lt $t ] || { echo "no answer in $agent_wait s"; return 1; }
		sleep 0.1
	done
	cat "$ctl/resp.$n"
}

mkdir -p "$ctl"
if mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 cardctl "$ctl"; then
	tap 1 "the directory shared with the card is mounted at $ctl"
else
	tap 0 "the directory shared with the card (9p tag cardctl) is mounted"
	l1_finish; exit 1
fi
if ! l1_load_vfio; then
	tap 0 "modprobe ${L1_MODULES[*]}"
	l1_finish; exit 1
fi
if disk=$(l1_card_ssd 2> /tmp/ssd.err); then
	tap 1 "the card's SSD is L1's disk $disk"
else
	tap 0 "the card's SSD is L1's disk" "$(cat /tmp/ssd.err)"
	l1_finish; exit 1
fi
# The agent answers once the card VM has booted and bound its driver.
agent_wait=600
answer=$(agent alive) || true
agent_wait=60
tap_is "the card's agent answers" "$answer" "ok 0"
kmsg_start=$(dmesg | wc -l)

log "the card VM's kselftests"
start=$SECONDS
tests=${LEAPIO_KSFT_TESTS:-$("$LEAPIO_TOP/tests/kselftest/run.sh" --card-vm-list | tr '\n' ' ')}
LEAPIO_KSFT_TESTS=$tests LEAPIO_KO=$LEAPIO_KO LEAPIO_CARD_VM=$ctl \
	LEAPIO_CARD_VM_DISK=$disk LEAPIO_CARD_VM_SSD=/dev/nvme0n1 \
	"$LEAPIO_TOP/tests/kselftest/run.sh" \
	> "$RESULTS/kselftest.tap" 2> "$RESULTS/kselftest.stderr" || rc=1
log "the card VM's kselftests done in $((SECONDS - start)) s"

answer=$(agent quit) || true
tap_is "the card's agent ends the session" "$answer" ok
[ ! -d /sys/module/leapio_host ] || tap "$(ok_if rmmod leapio_host)" "rmmod leapio_host"
bad=$(dmesg | tail -n +"$((kmsg_start + 1))" | "$here/kmsg-reports.sh")
tap "$(ok_if [ -z "$bad" ])" "kernel log clean while the card VM served the kselftests" "$bad"

l1_finish
