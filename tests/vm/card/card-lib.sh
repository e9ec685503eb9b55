# shellcheck shell=bash
# The emulated card's shared pieces, sourced by run-l1-card.sh,
# run-card.sh and run-pair.sh: one directory in /dev/shm holding
#   dram     the card's DRAM (HW1), the ivshmem server's memory: BAR2 of
#            every ivshmem-doorbell device on the server
#   l1ram    L1's RAM (memory-backend-file, share=on), also the card's
#            host-DRAM window (HW2/HW3): an ivshmem-plain device's BAR2
#   sock     the ivshmem server's socket (doorbells, protocol v0 of QEMU's
#            docs/specs/ivshmem-spec)
#   ssd      the card's SSD (LEAPIO_CARD_SSD bytes, sparse): an NVMe
#            device of the card VM (run-card.sh) and, in the pair
#            (run-pair.sh), a virtio disk of L1 too, so that both a
#            host-mode and a card-mode leapiod can serve one vdev from the
#            same blocks, as a dual-ported SSD would let them (hand-over)
#   ctl/     a directory both VMs of the pair mount over 9p (tag cardctl):
#            the card VM's kselftests ask the card's agent for leapiod
#            there (card-agent.sh)
#   server.log, server.pid  (the server is build/tools/ivshmem-server/ivshmem-server,
#            Documentation/admin-guide/ivshmem-server.rst)
# The first user makes the directory and starts the server (card_setup);
# a user finding LEAPIO_CARD_DIR set uses the one it names, so that
# run-pair.sh gives both VMs the same files. card_cleanup undoes only what
# this process made. Documentation/dev-tools/testing.rst, "The emulated card".
#
# Environment:
#   LEAPIO_CARD_DIR       use this directory (made and served by a caller)
#   LEAPIO_CARD_DRAM      card DRAM size (default 64M; a power of two: it
#                         is a BAR)
#   LEAPIO_L1_MEM         L1's memory (default 3G, as run-l1.sh's)
#   LEAPIO_CARD_SSD       the card's SSD size (default 256M)
#   LEAPIO_IVSHMEM_SERVER the server binary (default
#                         build/tools/ivshmem-server/ivshmem-server)

card_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd -P)

# MSI-X vectors of each ivshmem-doorbell device, and eventfds per peer the
# server hands out: the two must agree (QEMU refuses more eventfds than
# vectors). uapi/linux/leapio_card.h uses vector 0 each way.
CARD_VECTORS=4
CARD_DRAM=${LEAPIO_CARD_DRAM:-64M}
CARD_L1_MEM=${LEAPIO_L1_MEM:-3G}
CARD_SSD=${LEAPIO_CARD_SSD:-256M}
# The host-DRAM window is a BAR: a power of two at least L1's memory. The
# file is L1's RAM and this long; L1 uses its first CARD_L1_MEM bytes.
CARD_WIN=4G

card_made_dir=
card_server_pid=

card_die() { echo "card: $*" >&2; exit 2; }

# Bytes of a QEMU size (64M, 3G, 4096).
card_bytes() {
	numfmt --from=iec "$1"
}

card_pow2() {
	local b
	b=$(card_bytes "$1")
	[ "$b" -gt 0 ] && [ $((b & (b - 1))) = 0 ]
}

# Bytes of L1's RAM below 4 GiB, QEMU 7.2's q35 rule: all of it up to
# 2.75 GiB, else 2 GiB (the rest at 4 GiB). An L1 physical address P is at
# host-DRAM window offset P below this and P - 4 GiB + lowmem at 4 GiB up.
card_lowmem() {
	local ram
	ram=$(card_bytes "$CARD_L1_MEM")
	if [ "$ram" -ge $((0xb0000000)) ]; then
		echo $((0x80000000))
	else
		echo "$ram"
	fi
}

# Make the directory, the two files and start the server, unless the
# caller already did (LEAPIO_CARD_DIR).
card_setup() {
	if [ -n "${LEAPIO_CARD_DIR:-}" ]; then
		CARD_DIR=$LEAPIO_CARD_DIR
		[ -S "$CARD_DIR/sock" ] && [ -f "$CARD_DIR/dram" ] &&
			[ -f "$CARD_DIR/l1ram" ] && [ -f "$CARD_DIR/ssd" ] &&
			[ -d "$CARD_DIR/ctl" ] ||
			card_die "LEAPIO_CARD_DIR=$CARD_DIR has no sock, dram, l1ram, ssd and ctl"
		return 0
	fi
	card_pow2 "$CARD_DRAM" || card_die "LEAPIO_CARD_DRAM=$CARD_DRAM is not a power of two"
	[ "$(card_bytes "$CARD_L1_MEM")" -le "$(card_bytes "$CARD_WIN")" ] ||
		card_die "L1 memory $CARD_L1_MEM is larger than the window $CARD_WIN"
	local server=${LEAPIO_IVSHMEM_SERVER:-$card_top/build/tools/ivshmem-server/ivshmem-server}
	[ -x "$server" ] || card_die "no ivshmem server at $server (make ivshmem-server, or set LEAPIO_IVSHMEM_SERVER)"

	CARD_DIR=$(mktemp -d /dev/shm/leapio-card.XXXXXX)
	card_made_dir=$CARD_DIR
	truncate -s "$CARD_WIN" "$CARD_DIR/l1ram"
	truncate -s "$CARD_SSD" "$CARD_DIR/ssd"
	mkdir "$CARD_DIR/ctl"
	# Without -F the server returns once it listens (the QEMUs connect
	# at start), its pid in server.pid; it makes dram itself.
	"$server" -S "$CARD_DIR/sock" -m "$CARD_DIR/dram" -l "$CARD_DRAM" \
		-n "$CARD_VECTORS" -p "$CARD_DIR/server.pid" \
		> "$CARD_DIR/server.log" 2>&1 || {
		cat "$CARD_DIR/server.log" >&2
		card_die "the ivshmem server did not start (exit $?)"
	}
	card_server_pid=$(cat "$CARD_DIR/server.pid")
}

# An EXIT trap: keeps the exit status it was called with.
card_cleanup() {
	local rc=$?
	if [ -n "$card_server_pid" ]; then
		kill "$card_server_pid" 2>/dev/null || true
		card_server_pid=
	fi
	if [ -n "$card_made_dir" ]; then
		rm -rf "$card_made_dir"
		card_made_dir=
	fi
	return $rc
}

# QEMU arguments of an ivshmem-doorbell device on the server, at a fixed
# address: card_doorbell_args <id> <bus> <slot>
card_doorbell_args() {
	printf '%s\n' -chardev "socket,path=$CARD_DIR/sock,id=$1" \
		-device "ivshmem-doorbell,chardev=$1,vectors=$CARD_VECTORS,bus=$2,addr=$3"
}

# QEMU arguments of an ivshmem-plain device whose BAR2 is L1's RAM file:
# card_hostwin_args <id> <bus> <slot>
card_hostwin_args() {
	printf '%s\n' -object "memory-backend-file,id=$1,size=$CARD_WIN,mem-path=$CARD_DIR/l1ram,share=on" \
		-device "ivshmem-plain,memdev=$1,bus=$2,addr=$3"
}

# QEMU arguments of a drive on the card's SSD file: card_ssd_args <id>
# <device> [drive options] (nvme on the card, virtio-blk-pci in L1;
# options such as throttling.iops-total=N). Both VMs' QEMUs
# write the one file through the page cache of this machine (cache
# writeback, QEMU's default), which keeps them coherent; QEMU's image
# locking is off, since each would otherwise refuse the other's writes.
# Deallocation punches holes in the file (discard=unmap), so deallocated
# blocks read zeroes, as on most SSDs (and as the kselftests' loop
# devices do).
card_ssd_args() {
	printf '%s\n' -drive "file=$CARD_DIR/ssd,if=none,id=$1,format=raw,file.locking=off,discard=unmap${3:+,$3}" \
		-device "$2,drive=$1,serial=leapio-card-ssd"
}

# QEMU arguments sharing the ctl directory over 9p (tag cardctl).
card_ctl_args() {
	printf '%s\n' -virtfs "local,path=$CARD_DIR/ctl,mount_tag=cardctl,security_model=none,multidevs=remap"
}
