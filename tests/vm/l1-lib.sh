# Steps shared by the scripts that run inside L1 (l1-main.sh, l1-demo.sh,
# the card's l1-card-check.sh and l1-soc-l2.sh).
# Sourced; expects LEAPIO_TOP, KVER and RESULTS from init-l1.sh.

LEAPIO_KO=$LEAPIO_TOP/build/kmod/$KVER/kernel/host/leapio_host.ko

# A script's own TAP (tests/vm/tap.sh, sourced first) in $RESULTS/l1.tap
# on fd 3; rc is the script's status besides its TAP.
l1_tap_begin() {
	exec 3> "$RESULTS/l1.tap"
	TAP_FD=3
	echo "TAP version 13" >&3
	rc=0
}

# The end of such a script: the kernel log kept, the plan; true only if
# everything passed.
l1_finish() {
	dmesg > "$RESULTS/dmesg.txt" || true
	tap_plan
	[ "$tap_failed" = 0 ] && [ "$rc" = 0 ]
}
L1_MODULES=(vfio vfio_iommu_type1 mdev)

# Whether this run boots the nested guest variant <set> ("remote": the
# remote drives' guest of l1-main.sh; "card": the loopback card's guest of
# l1-card-check.sh; "cardvm": the card VM's, make card-l2). LEAPIO_L2_SETS
# lists them, empty for all: make check gives each kernel its share
# (tests/vm/check.sh, l2_sets), and tests/vm/vm-ran.sh expects the same.
l1_l2_set_on() {
	[ -z "${LEAPIO_L2_SETS:-}" ] || [[ " $LEAPIO_L2_SETS " == *" $1 "* ]]
}

# The VFIO and mdev cores, from the shared root's /lib/modules.
l1_load_vfio() {
	local m
	for m in "${L1_MODULES[@]}"; do
		modprobe "$m" || return 1
	done
}

# insmod does not resolve dependencies: load what modpost recorded in the
# module's depends= first (vfio_virqfd is a module of its own on 6.1).
l1_insmod_leapio() {
	local m
	[ -d /sys/module/leapio_host ] && return 0
	for m in $(modinfo -F depends "$LEAPIO_KO" | tr ',' ' '); do
		modprobe "$m" || return 1
	done
	insmod "$LEAPIO_KO"
}

# l1_mdev_create <type> <ns_size> <lba_size>: a new LeapIO mdev, its
# namespace set up before anything opens it; prints its UUID.
l1_mdev_create() {
	local type=$1 ns_size=$2 lba_size=$3 create uuid dev
	create=$(echo /sys/class/mdev_bus/*/mdev_supported_types/"$type"/create)
	[ -e "$create" ] || { echo "no mdev type $type" >&2; return 1; }
	uuid=$(cat /proc/sys/kernel/random/uuid)
	echo "$uuid" > "$create"
	dev=/sys/bus/mdev/devices/$uuid
	echo "$ns_size" > "$dev/leapio/ns_size"
	echo "$lba_size" > "$dev/leapio/lba_size"
	echo "$uuid"
}

l1_mdev_remove() {
	echo 1 > "/sys/bus/mdev/devices/$1/remove"
}

# What the guest must see for this mdev (for check-l2.sh): the identity the
# ABI (uapi/linux/leapio.h) and the design fix, written out here rather
# than read from the code under test; the per-mdev rest from sysfs.
l1_mdev_expect() {
	local a=/sys/bus/mdev/devices/$1/leapio ns lba
	ns=$(cat "$a/ns_size")
	lba=$(cat "$a/lba_size")
	cat <<-EOT
	EXPECT_VID=0x1e5a
	EXPECT_SSVID=0x1e5a
	EXPECT_MN="LeapIO Virtual NVMe Controller"
	EXPECT_SN="$(cat "$a/serial")"
	EXPECT_SUBNQN="$(cat "$a/subnqn")"
	EXPECT_VER=0x10400
	EXPECT_NN=16
	EXPECT_NSZE=$((ns / lba))
	EXPECT_LBA_SIZE=$lba
	EXPECT_NR_IOQ=$(cat "$a/nr_ioq")
	EXPECT_TEMP_K=313
	EOT
}

# ---- the data path: a backing store and leapiod ----

LEAPIOD=$LEAPIO_TOP/runtime/leapiod
LEAPIOCTL=${LEAPIOCTL:-$LEAPIO_TOP/tools/leapioctl/leapioctl}
LEAPIOD_PID=

# l1_backing_create <file> <bytes>: a loop block device over a sparse file
# in L1's tmpfs; prints its path. Not the file itself: tmpfs refuses
# O_DIRECT before Linux 6.6, and leapiod opens its backends with O_DIRECT.
# The loop device takes O_DIRECT, and its discard punches holes in the
# file, so deallocated blocks read back as zeroes.
l1_backing_create() {
	modprobe loop || return 1
	truncate -s "$2" "$1" || return 1
	losetup -f --show "$1"
}

l1_backing_remove() {
	losetup -d "$1"
}

# l1_pool_create <file> <bytes> <dir>: an ext4 file system on a loop
# device over a sparse file in L1's tmpfs, mounted on <dir>: a directory
# for leapiod's pool whose files take O_DIRECT (tmpfs's do not before
# Linux 6.6); prints the loop device.
l1_pool_create() {
	local dev
	dev=$(l1_backing_create "$1" "$2") || return 1
	modprobe ext4 && mkfs.ext4 -q -F "$dev" && mkdir -p "$3" &&
		mount -t ext4 "$dev" "$3" || { losetup -d "$dev"; return 1; }
	echo "$dev"
}

# l1_pool_remove <dir> <loop device>
l1_pool_remove() {
	umount "$1" && losetup -d "$2"
}

# l1_leapiod_start <uuid> <backend> <log> [<nsid>=<block device> ...]:
# start leapiod for one mdev and wait (bounded by the clock) until the
# kernel shows it attached, i.e. the mdev's runtime_pid is leapiod's pid;
# namespaces besides 1 come from a configuration file written here (its
# "namespaces": --vdev has NSID 1 only). Sets LEAPIOD_PID; call it in the
# script's own shell, not in $(...), so that the job stays ours.
l1_leapiod_start() {
	local uuid=$1 backend=$2 log=$3 conf=/tmp/leapiod-l1.json ns sep=
	shift 3
	if [ $# = 0 ]; then
		l1_leapiod_serve "$log" "$uuid=$backend"
		return
	fi
	{
		printf '{"vdevs": [{"uuid": "%s", "backend": {"type": "block", "path": "%s"},\n  "namespaces": [' \
			"$uuid" "$backend"
		for ns in "$@"; do
			printf '%s{"nsid": %s, "backend": {"type": "block", "path": "%s"}}' \
				"$sep" "${ns%%=*}" "${ns#*=}"
			sep=', '
		done
		printf ']'
		# L1_LEAPIOD_POOL="<dir> <bytes>": the vdev's pool.
		[ -z "${L1_LEAPIOD_POOL:-}" ] ||
			printf ',\n  "pool": {"dir": "%s", "bytes": %s}' ${L1_LEAPIOD_POOL}
		printf '}]}\n'
	} > "$conf"
	L1_LEAPIOD_ARGS="--config $conf" l1_leapiod_serve "$log" "$uuid"
}
L1_LEAPIOD_SOCK=/run/leapiod-l1.sock

# l1_leapiod_serve <log> <uuid>=<backend>[,options] ...: the same for
# several mdevs, one leapiod (a backend may be an nvme+tcp:// URI).
l1_leapiod_serve() {
	local log=$1 v deadline args=()
	shift
	[ -x "$LEAPIOD" ] || { echo "no $LEAPIOD (make)" | tee "$log" >&2; return 1; }
	# L1_LEAPIOD_ARGS: leapiod's arguments in place of --vdev <uuid>=...
	# (then each argument here is a UUID to wait for).
	if [ -n "${L1_LEAPIOD_ARGS:-}" ]; then
		read -r -a args <<< "$L1_LEAPIOD_ARGS"
	else
		for v in "$@"; do args+=(--vdev "$v"); done
	fi
	# A control socket for leapioctl (L1_LEAPIOD_SOCK); its state (Write
	# Uncorrectable's marks) in L1's tmpfs: /var is the shared root's,
	# read-only.
	rm -f "$L1_LEAPIOD_SOCK"
	STATE_DIRECTORY=$(mktemp -d /tmp/leapiod-state.XXXXXX) \
		"$LEAPIOD" "${args[@]}" --control-socket "$L1_LEAPIOD_SOCK" \
		> "$log" 2>&1 &
	LEAPIOD_PID=$!
	deadline=$((SECONDS + 60))
	for v in "$@"; do
		while [ "$(cat "/sys/bus/mdev/devices/${v%%=*}/leapio/runtime_pid" 2>/dev/null)" != "$LEAPIOD_PID" ]; do
			if ! l1_alive "$LEAPIOD_PID"; then
				echo "leapiod exited before attaching:" >&2
				cat "$log" >&2
				return 1
			fi
			[ $SECONDS -lt $deadline ] ||
				{ echo "leapiod not attached to ${v%%=*} after 60 s" | tee -a "$log" >&2; return 1; }
			sleep 0.1
		done
	done
}

# Alive and not yet a zombie (kill -0 succeeds on a zombie).
l1_alive() {
	local st
	st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

# l1_leapiod_stop: SIGTERM (leapiod drains, detaches and exits 0), bounded
# by 30 s, then SIGKILL. Returns leapiod's exit status.
l1_leapiod_stop() {
	local deadline=$((SECONDS + 30)) rc=0
	[ -n "$LEAPIOD_PID" ] || return 1
	kill -TERM "$LEAPIOD_PID" 2>/dev/null || true
	while l1_alive "$LEAPIOD_PID"; do
		if [ $SECONDS -ge $deadline ]; then
			echo "leapiod still running 30 s after SIGTERM: killed" >&2
			kill -KILL "$LEAPIOD_PID"
			break
		fi
		sleep 0.1
	done
	wait "$LEAPIOD_PID" || rc=$?
	LEAPIOD_PID=
	return $rc
}

# l1_bench_client <out> <leapiod log> <backend> <client> [args...]: a
# benchmark's VFIO guest (bench/*/vfio_*.c) run in the background with
# its stdout in <out>; once it printed the mdev's "uuid=", leapiod serves
# that mdev from <backend>; the client runs to its end, then leapiod is
# stopped. Returns 1 if any of it failed (said on stderr).
l1_bench_client() {
	local out=$1 dlog=$2 backend=$3 cpid uuid= rc=0
	shift 3
	"$@" > "$out" 2> "${out%.txt}.err" &
	cpid=$!
	for _ in $(seq 300); do
		uuid=$(sed -n 's/^uuid=//p' "$out")
		[ -n "$uuid" ] && break
		sleep 0.1
	done
	if [ -n "$uuid" ] && l1_leapiod_serve "$dlog" "$uuid=$backend"; then
		wait "$cpid" || rc=1
		l1_leapiod_stop || rc=1
	else
		echo "no mdev from $1, or leapiod did not attach to it" >&2
		kill "$cpid" 2>/dev/null || true
		rc=1
	fi
	return $rc
}

# l1_dkms_modroot <root>: a module tree under <root> (for modprobe -d)
# holding what DKMS built from the leapio-dkms package (make deb-check
# keeps it under build/deb/dkms/$KVER) in updates/dkms, as installed, and
# the kernel's modules it needs (their closure, tests/vm/mod-closure.sh:
# depmod of the whole tree takes minutes under TCG), depmod run on it.
l1_dkms_modroot() {
	local dk=$LEAPIO_TOP/build/deb/dkms/$KVER mods=$1/lib/modules/$KVER m f
	ls "$dk"/leapio_host.ko* > /dev/null 2>&1 || return 1
	mkdir -p "$mods/updates/dkms" || return 1
	cp /lib/modules/"$KVER"/modules.builtin* /lib/modules/"$KVER"/modules.order \
		"$mods/" || return 1
	cp "$dk"/leapio_*.ko* "$mods/updates/dkms/" || return 1
	m=$(modinfo -F depends "$(ls "$dk"/leapio_host.ko* | head -n 1)" | tr ',' ' ')
	for f in $("$LEAPIO_TOP/tests/vm/mod-closure.sh" "$KVER" $m); do
		mkdir -p "$mods/$(dirname "$f")" || return 1
		cp "/lib/modules/$KVER/$f" "$mods/$f" || return 1
	done
	depmod -b "$1" "$KVER"
}

# l1_mdev_attr <uuid> <name>: one of the mdev's leapio/ sysfs attributes.
l1_mdev_attr() {
	cat "/sys/bus/mdev/devices/$1/leapio/$2"
}

# l1_leapiod_start_card <uuid> <backing> <log> <lowmem>: leapiod in card
# mode on the loopback card (leapio_soc bound to 00:11.0 and 00:12.0,
# leapio_host's card= to 00:10.0, the mdev created after), then the vdev
# handed to it: the write of "card" to leapio/runtime returns once the
# card's runtime attached (ETIMEDOUT after CAP.TO). The host-DRAM window
# is L1's RAM file: [0, lowmem) at 0, from 4 GiB on at lowmem.
l1_leapiod_start_card() {
	local uuid=$1 backing=$2 log=$3 lowmem=$4 conf=/tmp/leapiod-card.json
	local start end win
	[ -x "$LEAPIOD" ] || { echo "no $LEAPIOD (make)" | tee "$log" >&2; return 1; }
	# BAR2 of the window's function: its third resource line.
	{ read -r _; read -r _; read -r start end _; } \
		< /sys/bus/pci/devices/0000:00:12.0/resource || return 1
	win=$((end - start + 1))
	cat > "$conf" <<-EOT
	{
	  "card": {"device": "/dev/leapio_soc", "host_window": [
	    {"phys": 0, "len": $lowmem, "offset": 0},
	    {"phys": $((4 << 30)), "len": $((win - lowmem)), "offset": $lowmem}]},
	  "vdevs": [{"uuid": "$uuid", "backend": {"type": "block", "path": "$backing"}}]
	}
	EOT
	rm -f "$L1_LEAPIOD_SOCK"
	STATE_DIRECTORY=$(mktemp -d /tmp/leapiod-state.XXXXXX) \
		"$LEAPIOD" --config "$conf" --control-socket "$L1_LEAPIOD_SOCK" \
		> "$log" 2>&1 &
	LEAPIOD_PID=$!
	if ! echo card > "/sys/bus/mdev/devices/$uuid/leapio/runtime"; then
		echo "hand-over of $uuid to the card failed:" >&2
		cat "$log" >&2
		return 1
	fi
}

# l1_l2_check <uuid> <name> <zeroes> <loop device>: the nested guest of
# `make check` on the mdev, which the leapiod of l1_leapiod_serve serves
# from the loop device: boots L2 on it with the check plan
# (tests/vm/l2-plan-check), whose output tests/vm/check-l2.sh turns into
# $RESULTS/<name>.tap against what the mdev's attributes say
# (<name>-expect.env). <zeroes> is what the backend does with a
# deallocation: 1 when it reads back zeroes (a loop device punches
# holes). While the guest runs, its resize step is answered
# (l1_l2_resize_when_asked). Returns 1 if the guest's checks failed.
# The guest's nvme driver asks for one I/O queue pair per CPU plus its
# write_queues and poll_queues, each at most the CPUs: one vCPU asks for
# three of the four pairs a leapio-4q has, reads on one, writes on
# another (both with an MSI-X vector), and one polled, without
# interrupts. One vCPU because a 6.12 guest with two, under TCG inside
# TCG, loses one of them now and then: a text patch seen half done by the
# other vCPU (int3 in sched_clock_cpu, a GPF in sync_core's iretq) or an
# idle vCPU whose timer never fires again (RCU stalls until the guest's
# timeout). Possible-but-absent CPUs do not help: 6.12 ignores QEMU's
# hotpluggable CPUs on a host without a hypervisor signature, and
# possible_cpus= cannot raise the count.
L1_L2_SMP=1
L1_L2_APPEND="nvme.write_queues=1 nvme.poll_queues=1"
L1_L2_REQ_IOQ=3
l1_l2_check() {
	local uuid=$1 name=$2 zeroes=$3 backing=$4 here=$LEAPIO_TOP/tests/vm live l2pid
	{
		l1_mdev_expect "$uuid"
		echo "EXPECT_REQ_IOQ=$L1_L2_REQ_IOQ"
		echo "EXPECT_DSM_ZEROES=$zeroes"
		# The caller's own expectations (the second namespace's).
		[ -z "${L1_L2_EXPECT:-}" ] || printf '%s\n' "$L1_L2_EXPECT"
	} > "$RESULTS/$name-expect.env"
	# The caller's live output file (the card check watches it too).
	live=${LEAPIO_L2_LIVE:-/tmp/$name-live.log}
	[ -n "${LEAPIO_L2_LIVE:-}" ] || rm -f "$live"
	LEAPIO_L2_LIVE=$live LEAPIO_L2_SMP=$L1_L2_SMP LEAPIO_L2_APPEND=$L1_L2_APPEND \
		"$here/l2-run.sh" check "$name" \
		-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid" &
	l2pid=$!
	l1_l2_resize_when_asked "$l2pid" "$live" "$uuid" "$backing" \
		> "$RESULTS/$name-resize.log" 2>&1
	wait "$l2pid" || true
	"$here/check-l2.sh" "$RESULTS/$name-out.log" "$RESULTS/$name-expect.env" \
		"$RESULTS/$name.status" "$RESULTS/$name-console.log" \
		"$RESULTS/$name-resize.log" > "$RESULTS/$name.tap"
}

# l1_l2_resize_when_asked <l2 pid> <live output> <uuid> <loop device>:
# while the nested guest runs, wait for its RESIZE-NOW line (init-l2.sh
# resize_under_fio), then do what an operator does to grow a volume:
# the loop device's file doubled (losetup -c), then leapioctl vdev
# resize. Prints resize=<leapioctl's exit status> (and its output). With
# L1_L2_NS2, also its NS2-NOW line (init-l2.sh ns2_check): namespace 2
# made, ns2_create=<status>.
l1_l2_resize_when_asked() {
	local pid=$1 live=$2 uuid=$3 loop=$4 file size rc ns2_done= resized=
	local a=/sys/bus/mdev/devices/$3/leapio
	[ -n "${L1_L2_NS2:-}" ] || ns2_done=1
	while l1_alive "$pid" && { [ -z "$resized" ] || [ -z "$ns2_done" ]; }; do
		# L1_L2_NS2="<bytes> <LBA size>": namespace 2 made when the
		# guest asks (init-l2.sh ns2_check), as an operator adds one
		# to a running guest: the guest's driver learns of it from
		# Namespace Attribute Changed, and names it nvme0n2.
		if [ -z "$ns2_done" ] && [ -n "${L1_L2_NS2:-}" ] &&
			grep -q '=== LEAPIO-NS2-NOW' "$live" 2>/dev/null; then
			rc=0
			{ echo "${L1_L2_NS2#* }" > "$a/ns2_lba_size" &&
				echo "${L1_L2_NS2%% *}" > "$a/ns2_size"; } || rc=$?
			echo "ns2_create=$rc"
			ns2_done=1
		fi
		if [ -z "$resized" ] && grep -q '=== LEAPIO-RESIZE-NOW' "$live" 2>/dev/null; then
			file=$(losetup -n -O BACK-FILE "$loop")
			size=$(($(blockdev --getsize64 "$loop") * 2))
			truncate -s "$size" "$file" && losetup -c "$loop"
			rc=0
			"$LEAPIOCTL" -s "$L1_LEAPIOD_SOCK" vdev resize "$uuid" "$size" || rc=$?
			echo "resize=$rc"
			resized=1
		fi
		sleep 0.5
	done
	[ -n "$resized" ] || echo "resize=none: the guest never asked"
}

# The I/Os a block device has completed, reads + writes: l1_dev_ios <dev>
l1_dev_ios() {
	local r w
	read -r r _ _ _ w _ < "/sys/block/${1#/dev/}/stat" || return 1
	echo $((r + w))
}

# The interrupts the card has raised to leapio_host (its leapio_card line
# of /proc/interrupts, all CPUs): the card's leapiod rings the host for
# the completions it posts (and for its acknowledgements).
l1_card_irqs() {
	awk '$NF == "leapio_card" {
		for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++)
			n += $i
		found = 1
	} END { if (!found) exit 1; print n }' /proc/interrupts
}

# l1_hand_over_during <uuid> <guest's live output> <label> <host leapiod
# pid> <card served> <host served>: once the guest's command <label> (a
# fio run) has begun, hand the vdev, which the card serves, to the
# host-mode leapiod (it waits, refused with EREMOTE while the card has it,
# and attaches within runtime_grace_ms), then back to the card, and again:
# four hand-overs, each after the runtime serving has done some of fio's
# I/O (so that each phase really served, and fio is not starved by
# hand-overs alone), or until fio has ended. <card served> and <host
# served> are commands (split into words) printing a count that grows as
# the card's runtime, or the host's, serves: each hand-over waits for 16
# more. Prints the number made while fio ran; the vdev ends on the card.
# Polls bounded conditions.
l1_hand_over_during() {
	local a=/sys/bus/mdev/devices/$1/leapio live=$2 label=$3 hpid=$4 n=0 t io
	local to served
	t=$((SECONDS + 900))
	until grep -q "LEAPIO-BEGIN $label" "$live" 2>/dev/null; do
		[ $SECONDS -lt $t ] || { echo "the guest's $label never began" >&2; return 1; }
		sleep 0.2
	done
	for to in host card host card; do
		# The runtime serving until now: the card before a hand-over
		# to the host, the host before one to the card.
		served=$5
		[ $to = card ] && served=$6
		io=$($served) || { echo "no count from '$served'" >&2; return 1; }
		t=$((SECONDS + 120))
		until [ "$($served)" -ge $((io + 16)) ]; do
			grep -q "LEAPIO-END $label" "$live" && break 2
			[ $SECONDS -lt $t ] || { echo "no I/O served in 120 s before the hand-over to the $to" >&2; return 1; }
			sleep 0.2
		done
		echo "$to" > "$a/runtime" || { echo "hand-over to the $to failed" >&2; return 1; }
		n=$((n + 1))
		[ "$to" = host ] || continue
		t=$((SECONDS + 30))
		until [ "$(cat "$a/runtime_pid")" = "$hpid" ]; do
			[ $SECONDS -lt $t ] || { echo "the host leapiod did not attach" >&2; return 1; }
			sleep 0.1
		done
	done
	# fio ended with the host serving: back to the card, which the rest
	# of the guest's plan expects (its state directory, its socket).
	if [ $((n % 2)) = 1 ]; then
		echo card > "$a/runtime" || { echo "hand-back to the card failed" >&2; return 1; }
	fi
	echo "$n"
}

# The card's SSD as L1 sees it (run-pair.sh: a virtio disk, serial
# leapio-card-ssd): prints /dev/vdX. The disk appears as virtio_blk
# probes it, bounded by the clock.
l1_card_ssd() {
	local b t=$((SECONDS + 30))
	modprobe virtio_blk || return 1
	while [ $SECONDS -lt $t ]; do
		for b in /sys/block/vd*; do
			[ "$(cat "$b/serial" 2>/dev/null)" = leapio-card-ssd ] &&
				{ echo "/dev/${b##*/}"; return 0; }
		done
		sleep 0.2
	done
	echo "no virtio disk with serial leapio-card-ssd in L1" >&2
	return 1
}
