#!/bin/busybox sh
# /init of the nested guest (L2). A stock kernel and its stock nvme driver
# meet the device the L1 QEMU passes through; this init loads nvme, waits
# (bounded) for the controller and its namespace, and runs the commands of
# /etc/l2-plan, one "label|command" per line. Each command's output goes to
# the second serial port (ttyS1), kept apart from the kernel console, as
#   === LEAPIO-BEGIN <label> ===
#   ...output, stdout and stderr...
#   === LEAPIO-END <label> rc=<exit status> t=<uptime> ===
# and "=== LEAPIO-L2-DONE t=<uptime> ===" after the last, so the reader in
# L1 can tell a guest that finished from one that died. Then it powers off,
# which runs the nvme driver's shutdown (CC.SHN) like any guest's poweroff.
/bin/busybox --install -s /bin
export PATH=/usr/local/bin:/usr/bin:/usr/sbin:/bin:/sbin

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev

# Opened once and held: the last close of a serial port waits at most
# 30 s (the port's closing_wait) for its output to drain, then discards the
# rest, and the checks in L1 read what the guest wrote and nothing else.
# Held open, output only ever waits; drain() at the end waits with no bound.
tty=/dev/ttyS1
exec 3> "$tty"
stty -F "$tty" raw -echo 2>/dev/null
msg() { echo "=== LEAPIO-$* ===" >&3; }
# stty sets the mode with TCSADRAIN: it returns once all output is sent.
drain() { stty -F "$tty" raw -echo; }

uptime_s() { cut -d. -f1 /proc/uptime; }

# wait_for <path> <seconds>: poll until it exists, bounded by the clock (a
# count of polls is no bound: nested under TCG each one costs a fork and
# exec of its own, far more than the 0.1 s it sleeps).
wait_for() {
	deadline=$(($(uptime_s) + $2))
	while [ ! -e "$1" ]; do
		[ "$(uptime_s)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

# L1's word to the guest: with leapio_l2_ctl=1 on the command line
# (l2-run.sh's LEAPIO_L2_CTL) the third serial port (ttyS2) carries lines
# from L1, each one word; a reader in the background marks each word
# heard as /tmp/ctl.<word>, which a plan's command looks for. Opened once
# and held like ttyS1: the driver clears the UART's FIFO at each open, and
# a word sent while the port is closed would be lost.
ctl_port=
if grep -qw leapio_l2_ctl=1 /proc/cmdline; then
	ctl_port=/dev/ttyS2
	stty -F "$ctl_port" raw -echo
	(while read -r w; do
		case $w in *[!a-z0-9-]*|'') continue ;; esac
		: > "/tmp/ctl.$w"
	done < "$ctl_port") &
fi

# fio_rounds <word> <fio arguments...>: the fio job again and again, each
# round verifying what it wrote, until L1 says <word> (a phase whose length
# L1 decides, as make card-l2 does for the card's faults: they need the
# guest's I/O in flight however long they take); bounded by 900 s of
# rounds. Once only when L1 has no word for the guest (no ctl port).
# Fails with the first round that fails, or at the bound.
fio_rounds() {
	_w=$1
	shift
	_n=0
	_end=$(($(uptime_s) + 900))
	while :; do
		_n=$((_n + 1))
		fio "$@" || { echo "fio_rounds: round $_n failed"; return 1; }
		[ -n "$ctl_port" ] || break
		[ -e "/tmp/ctl.$_w" ] && break
		if [ "$(uptime_s)" -ge "$_end" ]; then
			echo "fio_rounds: no '$_w' from L1 after $_n rounds (900 s)"
			return 1
		fi
	done
	echo "fio_rounds: $_n rounds, each verified"
}

# What the PCI bus shows, as "address vendor device class driver".
pci_info() {
	for d in /sys/bus/pci/devices/*; do
		drv=-
		[ -L "$d/driver" ] && drv=$(basename "$(readlink "$d/driver")")
		echo "${d##*/} $(cat "$d/vendor") $(cat "$d/device") $(cat "$d/class") $drv"
	done
}

# The controller's identity as the driver saw it at probe.
nvme_sysfs() {
	for a in vendor device subsystem_vendor subsystem_device; do
		echo "device/$a=$(cat /sys/class/nvme/nvme0/device/$a)"
	done
	for a in model serial firmware_rev subsysnqn state queue_count; do
		[ -r /sys/class/nvme/nvme0/$a ] &&
			echo "$a=$(cat /sys/class/nvme/nvme0/$a)"
	done
	return 0
}

# The namespace's logical block size, for commands that count in blocks.
ns_lbs() { cat /sys/block/nvme0n1/queue/logical_block_size; }

# dd_roundtrip <byte offset> <bytes>: random data written to the namespace
# and read back, both with O_DIRECT (the page cache would answer the read
# itself); prints the digests of both for the checker to compare.
dd_roundtrip() {
	bs=$(ns_lbs) || return 1
	n=$(($2 / bs))
	dd if=/dev/urandom of=/tmp/rt.w bs="$bs" count="$n" 2>/dev/null || return 1
	dd if=/tmp/rt.w of=/dev/nvme0n1 bs="$bs" seek=$(($1 / bs)) count="$n" \
		oflag=direct conv=notrunc || return 1
	dd if=/dev/nvme0n1 of=/tmp/rt.r bs="$bs" skip=$(($1 / bs)) count="$n" \
		iflag=direct || return 1
	echo "written=$(md5sum < /tmp/rt.w | cut -d' ' -f1)"
	echo "readback=$(md5sum < /tmp/rt.r | cut -d' ' -f1)"
}

# dsm_dealloc <byte offset> <blocks>: fill the blocks with random data,
# deallocate them with nvme dsm --ad, read them back (O_DIRECT); prints the
# digest of what came back and of as many zeroes. When they differ, also
# what each block held (z zeroes, w what was written, x neither) and the
# digest of a second read: enough to tell a deallocation that never
# happened from one that happened late or to other blocks.
dsm_dealloc() {
	bs=$(ns_lbs) || return 1
	slba=$(($1 / bs))
	head -c $(($2 * bs)) /dev/urandom > /tmp/dsm.w || return 1
	dd if=/tmp/dsm.w of=/dev/nvme0n1 bs="$bs" seek="$slba" count="$2" \
		oflag=direct conv=notrunc || return 1
	nvme dsm /dev/nvme0 -n 1 --ad -s "$slba" -b "$2" || return 1
	dd if=/dev/nvme0n1 of=/tmp/dsm.r bs="$bs" skip="$slba" count="$2" \
		iflag=direct || return 1
	after=$(md5sum < /tmp/dsm.r | cut -d' ' -f1)
	zeroes=$(head -c $(($2 * bs)) /dev/zero | md5sum | cut -d' ' -f1)
	echo "after=$after"
	echo "zeroes=$zeroes"
	[ "$after" != "$zeroes" ] || return 0
	zb=$(head -c "$bs" /dev/zero | md5sum | cut -d' ' -f1)
	map= i=0
	while [ $i -lt "$2" ]; do
		b=$(dd if=/tmp/dsm.r bs="$bs" skip=$i count=1 2>/dev/null | md5sum | cut -d' ' -f1)
		w=$(dd if=/tmp/dsm.w bs="$bs" skip=$i count=1 2>/dev/null | md5sum | cut -d' ' -f1)
		if [ "$b" = "$zb" ]; then map=${map}z; elif [ "$b" = "$w" ]; then map=${map}w; else map=${map}x; fi
		i=$((i + 1))
	done
	echo "blocks=$map"
	echo "reread=$(dd if=/dev/nvme0n1 bs="$bs" skip="$slba" count="$2" \
		iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)"
}

# nvm_cmds <byte offset>: the optional NVM commands with nvme-cli, on 16
# blocks of random data there (n = 8 a half). Prints key=value lines:
#   verify           nvme verify of the 16 blocks: exit status
#   copy             nvme copy of the two halves, swapped, 32 blocks on
#   copied, swapped  digests of what the copy wrote and of the halves
#                    swapped: equal when the copy did its work
#   uncor            nvme write-uncor of block 1: exit status
#   read_marked      nvme read of block 1 afterwards: its status (the
#                    line nvme-cli prints), verify_marked the same of Verify
#   rewrite          block 1 written again (O_DIRECT dd): exit status
#   reread           nvme read of it, then: exit status
# nvme-cli's counts (-c, --blocks) are 0's based, as the commands' fields.
nvm_cmds() {
	bs=$(ns_lbs) || return 1
	s=$(($1 / bs)) n=8
	echo "slba=$s"
	head -c $((2 * n * bs)) /dev/urandom > /tmp/nvm.w || return 1
	dd if=/tmp/nvm.w of=/dev/nvme0n1 bs="$bs" seek="$s" count=$((2 * n)) \
		oflag=direct conv=notrunc 2>/dev/null || return 1
	nvme verify /dev/nvme0n1 -s "$s" -c $((2 * n - 1))
	echo "verify=$?"
	nvme copy /dev/nvme0n1 --sdlba=$((s + 4 * n)) --slbs=$((s + n)),"$s" \
		--blocks=$((n - 1)),$((n - 1))
	echo "copy=$?"
	echo "copied=$(dd if=/dev/nvme0n1 bs="$bs" skip=$((s + 4 * n)) \
		count=$((2 * n)) iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)"
	echo "swapped=$({ dd if=/tmp/nvm.w bs="$bs" skip="$n" count="$n"; \
		dd if=/tmp/nvm.w bs="$bs" count="$n"; } 2>/dev/null |
		md5sum | cut -d' ' -f1)"
	nvme write-uncor /dev/nvme0n1 -s $((s + 1)) -c 0
	echo "uncor=$?"
	echo "read_marked=$(nvme read /dev/nvme0n1 -s $((s + 1)) -c 0 -z "$bs" \
		-d /tmp/nvm.r 2>&1 | grep -i status | head -n 1)"
	echo "verify_marked=$(nvme verify /dev/nvme0n1 -s $((s + 1)) -c 0 2>&1 |
		grep -i status | head -n 1)"
	# Get LBA Status (tracked) of the 64 blocks from s: the marked block
	# alone. Through admin-passthru: Debian 12's nvme get-lba-status
	# sends no data buffer (libnvme 1.3 leaves its data_len 0).
	echo "lba_status=$(nvme admin-passthru /dev/nvme0 --opcode=0x86 \
		--namespace-id=1 --cdw10="$s" --cdw12=63 \
		--cdw13=$((0x11 << 24 | 64)) --data-len=256 --read -b \
		2>/dev/null | head -c 24 | od -A n -t x1 -v | tr -d ' \n')"
	dd if=/tmp/nvm.w of=/dev/nvme0n1 bs="$bs" seek=$((s + 1)) count=1 \
		oflag=direct conv=notrunc 2>/dev/null
	echo "rewrite=$?"
	nvme read /dev/nvme0n1 -s $((s + 1)) -c 0 -z "$bs" -d /tmp/nvm.r > /dev/null
	echo "reread=$?"
}

# format_ns: Format NVM from nvme-cli, to 4 KiB blocks with the user data
# erased, then back to 512 bytes: the block device's logical block size
# follows each (Linux revalidates the namespace), the first 64 KiB read
# back as zeroes after the erase (nonzero bytes counted), and fio verifies
# 4 KiB blocks in between.
format_ns() {
	head -c $((64 << 10)) /dev/urandom |
		dd of=/dev/nvme0n1 bs=4096 oflag=direct conv=notrunc 2>/dev/null
	nvme format /dev/nvme0n1 --lbaf=1 --ses=1 --force
	echo "format=$?"
	echo "lbs=$(ns_lbs)"
	echo "nonzero=$(dd if=/dev/nvme0n1 bs=4096 count=16 iflag=direct \
		2>/dev/null | tr -d '\0' | wc -c)"
	fio --name=f4k --filename=/dev/nvme0n1 --rw=randrw --bs=4k --iodepth=8 \
		--ioengine=libaio --direct=1 --size=1M --eta=never \
		--verify=crc32c --do_verify=1 --verify_fatal=1 > /tmp/f4k.log 2>&1
	f=$?
	echo "fio=$f"
	[ $f = 0 ] || tail -n 20 /tmp/f4k.log
	nvme format /dev/nvme0n1 --lbaf=0 --ses=0 --force
	echo "format_back=$?"
	echo "lbs_back=$(ns_lbs)"
}

# resize_under_fio: fio writes and verifies (its own 8 MiB) while the
# namespace grows: the marker line asks L1 (l1-lib.sh l1_l2_check) to
# double the vdev, then the block device's size is awaited (60 s).
# Prints before= and after= (512-byte sectors), fio_running=1 if fio was
# still running when the size changed, then fio's output and fio=<its
# exit status>.
resize_under_fio() {
	before=$(cat /sys/block/nvme0n1/size)
	echo "before=$before"
	fio --name=rs --filename=/dev/nvme0n1 --rw=randrw --bs=4k --iodepth=8 \
		--ioengine=libaio --direct=1 --size=8M --offset=32M --time_based \
		--runtime=20 --verify=crc32c --do_verify=1 --verify_fatal=1 \
		--verify_backlog=64 \
		--eta=never > /tmp/rs.log 2>&1 &
	fpid=$!
	msg RESIZE-NOW
	i=0
	while [ "$(cat /sys/block/nvme0n1/size)" = "$before" ] && [ $i -lt 120 ]; do
		sleep 0.5
		i=$((i + 1))
	done
	echo "after=$(cat /sys/block/nvme0n1/size)"
	# The size changed under I/O, not after it.
	kill -0 "$fpid" 2>/dev/null && echo "fio_running=1"
	wait "$fpid"
	rc=$?
	cat /tmp/rs.log
	echo "fio=$rc"
}

# ns2_check: the second namespace, when L1 makes one (leapio_l2_ns2=1 on
# the command line: make check's L1, from a backend of its own): asked for
# with the marker line while the guest runs (l1-lib.sh
# l1_l2_resize_when_asked), awaited as /dev/nvme0n2 (60 s: the driver
# rescans on Namespace Attribute Changed); then its NSID, its size in
# blocks as Identify and the block device say (nsid=, nsze=, sectors=),
# and fio writing and verifying it (fio=, its output). Without the flag,
# or if it never comes: ns2=none.
ns2_check() {
	if grep -qw leapio_l2_ns2=1 /proc/cmdline; then
		msg NS2-NOW
		wait_for /dev/nvme0n2 60
	fi
	[ -b /dev/nvme0n2 ] || { echo "ns2=none"; return 0; }
	echo "ns2=present"
	echo "nsid=$(cat /sys/block/nvme0n2/nsid)"
	nvme id-ns /dev/nvme0 -n 2 -o json | sed -n 's/^  "nsze":\([0-9]*\),$/nsze=\1/p'
	echo "sectors=$(cat /sys/block/nvme0n2/size)"
	fio --name=ns2 --filename=/dev/nvme0n2 --rw=randrw --bs=4k --iodepth=8 \
		--ioengine=libaio --direct=1 --size=1M --eta=never \
		--verify=crc32c --do_verify=1 --verify_fatal=1 > /tmp/ns2.log 2>&1
	f=$?
	cat /tmp/ns2.log
	echo "fio=$f"
	ns2_attach_detach
	ns_pool_create
}

# Namespace Attachment from nvme-cli on namespace 2 (ns2_check): detached,
# /dev/nvme0n2 goes (the driver rescans: the command's effects say NIC);
# attached again it comes back with the blocks it had (their md5 before
# and after); deleted, it goes for good. detach=, gone=, attach=, back=,
# same=, delete=, deleted_gone= (1: yes), allocated= (namespaces left).
wait_gone() {
	deadline=$(($(uptime_s) + $2))
	while [ -e "$1" ]; do
		[ "$(uptime_s)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}
ns2_attach_detach() {
	cntlid=$(cat /sys/class/nvme/nvme0/cntlid)
	sum=$(dd if=/dev/nvme0n2 bs=64k count=1 iflag=direct 2>/dev/null | md5sum)
	nvme detach-ns /dev/nvme0 -n 2 -c "$cntlid"
	echo "detach=$?"
	wait_gone /dev/nvme0n2 60 && echo "gone=1" || echo "gone=0"
	nvme attach-ns /dev/nvme0 -n 2 -c "$cntlid"
	echo "attach=$?"
	wait_for /dev/nvme0n2 60 && echo "back=1" || echo "back=0"
	now=$(dd if=/dev/nvme0n2 bs=64k count=1 iflag=direct 2>/dev/null | md5sum)
	[ "$sum" = "$now" ] && echo "same=1" || echo "same=0"
	# Namespace Management: deleted, it goes from the device and from
	# the allocated list (nvme list-ns --all: "[   0]:0x1" lines).
	nvme delete-ns /dev/nvme0 -n 2
	echo "delete=$?"
	wait_gone /dev/nvme0n2 60 && echo "deleted_gone=1" || echo "deleted_gone=0"
	echo "allocated=$(nvme list-ns /dev/nvme0 --all | grep -c ']:0x')"
}

# The block device of namespace $1, waited for (bounded by $2 s): its path.
wait_ns_dev() {
	deadline=$(($(uptime_s) + $2))
	while :; do
		for d in /sys/block/nvme0n*; do
			[ "$(cat "$d/nsid" 2>/dev/null)" = "$1" ] &&
				{ echo "/dev/${d##*/}"; return 0; }
		done
		[ "$(uptime_s)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

# Namespace Management's create from the pool L1 gave leapiod
# (leapio_l2_pool=1 on the command line; else pool=none): nvme create-ns
# of 4096 blocks of 512 bytes (pool_create=, its output, pool_nsid= as
# nvme-cli says), attach-ns (pool_attach=), its block device found by
# NSID (pool_dev=), fio writing and verifying it (pool_fio=), delete-ns
# (pool_delete=) and the device gone (pool_gone=1).
ns_pool_create() {
	grep -qw leapio_l2_pool=1 /proc/cmdline || { echo "pool=none"; return 0; }
	cntlid=$(cat /sys/class/nvme/nvme0/cntlid)
	out=$(nvme create-ns /dev/nvme0 --nsze=4096 --ncap=4096 --flbas=0 2>&1)
	echo "pool_create=$?"
	echo "$out"
	nsid=$(echo "$out" | sed -n 's/.*created nsid:[^0-9]*\([0-9]*\).*/\1/p')
	echo "pool_nsid=$nsid"
	nvme attach-ns /dev/nvme0 -n "$nsid" -c "$cntlid"
	echo "pool_attach=$?"
	dev=$(wait_ns_dev "$nsid" 60) || dev=none
	echo "pool_dev=$dev"
	echo "pool_sectors=$(cat "/sys/block/${dev#/dev/}/size" 2>/dev/null)"
	fio --name=pool --filename="$dev" --rw=randrw --bs=4k --iodepth=8 \
		--ioengine=libaio --direct=1 --size=1M --eta=never \
		--verify=crc32c --do_verify=1 --verify_fatal=1 > /tmp/pool.log 2>&1
	echo "pool_fio=$?"
	grep -Eo 'err= *[0-9]+' /tmp/pool.log | tr -d ' ' | sort -u | sed 's/^/pool_/'
	nvme delete-ns /dev/nvme0 -n "$nsid"
	echo "pool_delete=$?"
	wait_gone "$dev" 60 && echo "pool_gone=1" || echo "pool_gone=0"
}

# The benchmark's disk: the NVMe namespace or the virtio-blk disk.
bench_disk() {
	for d in /dev/nvme0n1 /dev/vda; do
		[ -b "$d" ] && { echo "$d"; return 0; }
	done
	return 1
}

msg "BOOT kernel=$(uname -r) t=$(cut -d' ' -f1 /proc/uptime)"
# Like modprobe, give each module its <module>.<param>= options from the
# kernel command line: busybox insmod does not look there.
while read -r m; do
	name=$(basename "$m" .ko | tr - _)
	# shellcheck disable=SC2046
	insmod "$m" $(tr ' ' '\n' < /proc/cmdline | sed -n "s/^$name\.//p") ||
		echo "insmod $m failed" >&3
done < /etc/modules.order

# The controller first (reset, identify), then its namespace (scan). Bounds
# are generous for TCG inside TCG; no driver, nothing to wait for.
# Only when there is an NVMe function (class 010802): the benchmark's
# virtio-blk guest has none.
if [ -d /sys/module/nvme ] && grep -qx 0x010802 /sys/bus/pci/devices/*/class; then
	wait_for /dev/nvme0 60 || echo "no /dev/nvme0 after 60 s" >&3
	wait_for /dev/nvme0n1 60 || echo "no /dev/nvme0n1 after 60 s" >&3
fi
if [ -d /sys/module/virtio_blk ] && grep -qx 0x1af4 /sys/bus/pci/devices/*/vendor; then
	wait_for /dev/vda 60 || echo "no /dev/vda after 60 s" >&3
fi

while IFS='|' read -r label cmd; do
	case $label in ''|'#'*) continue ;; esac
	msg "BEGIN $label"
	eval "$cmd" >&3 2>&1
	rc=$?
	msg "END $label rc=$rc t=$(cut -d' ' -f1 /proc/uptime)"
done < /etc/l2-plan

msg "L2-DONE t=$(cut -d' ' -f1 /proc/uptime)"
drain
poweroff -f
