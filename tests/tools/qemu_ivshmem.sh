#!/bin/bash
# QEMU's own ivshmem-doorbell device against ivshmem-server: one QEMU
# (q35, TCG, never started: -S) with two doorbell devices on the same
# server, as L1 has in the card rig's two-device tests. The devices only
# realise once the server has sent version, id and memory, and BAR2's size
# is that of the memory fd the server sent. TAP on stdout.
#   tests/tools/qemu_ivshmem.sh <ivshmem-server binary>
set -uo pipefail

server=${1:?usage: $0 <ivshmem-server binary>}
top=$(cd "$(dirname "$0")/../.." && pwd -P)
# shellcheck source=tests/vm/tap.sh
. "$top/tests/vm/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
size=2097152
echo "TAP version 13"

if ! command -v qemu-system-x86_64 > /dev/null; then
	tap 0 "qemu-system-x86_64 is installed (make setup installs it)"
	tap_plan
	exit 1
fi

# The server's log through a FIFO: cat ends when the detached server,
# its last writer, has exited.
mkfifo "$tmp/log.fifo"
timeout 60 cat "$tmp/log.fifo" > "$tmp/log" &
cat_pid=$!
"$server" -S "$tmp/sock" -m "$tmp/mem" -l 2M -n 2 -p "$tmp/pid" 2> "$tmp/log.fifo"
rc=$?
tap "$(ok_if [ $rc = 0 ])" "ivshmem-server started" "exit $rc"
if [ $rc != 0 ]; then
	wait $cat_pid
	sed 's/^/# /' "$tmp/log"
	tap_plan
	exit 1
fi

printf '%s\n' '{"execute": "qmp_capabilities"}' '{"execute": "query-pci"}' \
	'{"execute": "quit"}' |
	timeout 30 qemu-system-x86_64 -machine q35 -accel tcg -nodefaults \
		-display none -S -qmp stdio \
		-chardev socket,path="$tmp/sock",id=c0 \
		-device ivshmem-doorbell,chardev=c0,vectors=2 \
		-chardev socket,path="$tmp/sock",id=c1 \
		-device ivshmem-doorbell,chardev=c1,vectors=2 > "$tmp/qmp" 2>&1
rc=$?
tap "$(ok_if [ $rc = 0 ])" "QEMU realised two ivshmem-doorbell devices on the server" \
	"exit $rc: $(cat "$tmp/qmp")"
# 0x1af4:0x1110 is ivshmem.
devs=$(grep -o '"device": 4368, "subsystem-vendor": 6900, "vendor": 6900' "$tmp/qmp" | wc -l)
tap_is "query-pci lists two ivshmem devices" "$devs" 2
bars=$(grep -o "\"bar\": 2, \"size\": $size" "$tmp/qmp" | wc -l)
tap_is "each device's BAR2 is the server's 2 MiB memory" "$bars" 2

kill -TERM "$(cat "$tmp/pid")"
wait $cat_pid
log=$(cat "$tmp/log")
tap "$(ok_if grep -q 'peer 0 connected' <<< "$log")" "the server saw peer 0" "$log"
tap "$(ok_if grep -q 'peer 1 connected' <<< "$log")" "the server saw peer 1" "$log"
tap "$(ok_if grep -q 'stopping on Terminated' <<< "$log")" "the server stopped on SIGTERM" "$log"
tap "$(ok_if [ ! -e "$tmp/sock" ])" "the server removed its socket"
tap_plan
exit $tap_failed
