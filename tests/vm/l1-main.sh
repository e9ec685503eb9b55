#!/bin/bash
# The test run inside L1 (started by run-l1.sh from `make check`):
#   1. load vfio, vfio_iommu_type1, mdev and leapio_host.ko;
#   2. tests/kselftest/run.sh, the user-space VFIO client tests, if present
#      -> $RESULTS/l1-kselftest.tap;
#   3. a leapio-4q mdev, served by leapiod from a loop device, given to a
#      nested guest (L2) whose stock nvme driver, nvme-cli and fio must see
#      the controller and its data -> $RESULTS/l2.tap; leapiod must exit 0
#      and leave nothing pinned;
#   3b. mdevctl defines, starts and stops a leapio device through the
#      call-out (l1-mdevctl.sh) -> $RESULTS/l1.tap;
#   4. a nested guest on two remote drives, NVMe-oF over TCP and RDMA
#      (l1-remote-l2.sh) -> $RESULTS/l2-remote.tap;
#   5. the module unloads; 6. the module DKMS built from the leapio-dkms
#      package (make deb-check) loads by name and serves an mdev; the
#      kernel log stayed clean -> $RESULTS/l1.tap.
# Each step records its verdict and the next still runs; exit 1 if any
# failed.
set -euo pipefail

here=$LEAPIO_TOP/tests/vm
# shellcheck source=tests/vm/tap.sh
. "$here/tap.sh"
# shellcheck source=tests/vm/l1-lib.sh
. "$here/l1-lib.sh"

l1_tap_begin
log() { echo "l1-main: $*"; }

# The namespace the nested guest gets: 4 KiB blocks (not the default 512)
# so that the LBA format in use is really read from the device.
NS_SIZE=$((512 << 20))
LBA_SIZE=4096
NS2_SIZE=$((16 << 20))


if ! l1_load_vfio; then
	tap 0 "modprobe ${L1_MODULES[*]}"
	l1_finish; exit 1
fi
tap 1 "modprobe ${L1_MODULES[*]}"
if [ ! -f "$LEAPIO_KO" ]; then
	tap 0 "leapio_host.ko built for $KVER" "no $LEAPIO_KO (make kmod KVER=$KVER)"
	l1_finish; exit 1
fi
# The debug kernel (tests/vm/debug-kernel.config names it): its checkers
# must have started, and kmemleak forgets what boot left behind so that a
# report at the end is ours.
debug_kernel=0
case $KVER in *-leapio-debug) debug_kernel=1 ;; esac
kmemleak=/sys/kernel/debug/kmemleak
if [ $debug_kernel = 1 ]; then
	mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
	boot_log=$(dmesg)
	tap "$(ok_if grep -q 'KernelAddressSanitizer initialized' <<< "$boot_log")" "KASAN initialized"
	tap "$(ok_if grep -q 'Lock dependency validator' <<< "$boot_log")" "lockdep initialized"
	tap "$(ok_if grep -q 'kmemleak: Kernel memory leak detector initialized' <<< "$boot_log")" "kmemleak initialized"
	tap "$(ok_if grep -q 'kfence: initialized' <<< "$boot_log")" "KFENCE initialized"
	tap "$(ok_if sh -c "echo clear > $kmemleak")" "kmemleak cleared before insmod"
fi
kmsg_start=$(dmesg | wc -l)
tap "$(ok_if l1_insmod_leapio)" "insmod leapio_host.ko"

# The checkers this stock kernel has are on (run-l1.sh's command line):
# a clean log means something only if they were looking.
slab=/sys/kernel/slab/kmalloc-64
tap_is "SLUB debugging on (kmalloc-64: sanity_checks red_zone poison store_user)" \
	"$(cat $slab/sanity_checks $slab/red_zone $slab/poison $slab/store_user 2>&1 | tr '\n' ' ')" \
	"1 1 1 1 "
tap_is "page poisoning on (page_poison=1 on the command line)" \
	"$(grep -o 'page_poison=1' /proc/cmdline)" page_poison=1
if grep -qs '^CONFIG_KFENCE=y' "/boot/config-$KVER"; then
	tap "$(ok_if grep -q 'kfence: initialized' <<< "$(dmesg)")" "KFENCE initialized (kfence.sample_interval)"
fi

# 2. kselftests, with their own TAP.
if [ -x "$LEAPIO_TOP/tests/kselftest/run.sh" ]; then
	log "kselftests"
	start=$SECONDS
	LEAPIO_KO=$LEAPIO_KO "$LEAPIO_TOP/tests/kselftest/run.sh" \
		> "$RESULTS/l1-kselftest.tap" 2> "$RESULTS/l1-kselftest.stderr" || rc=1
	log "kselftests done in $((SECONDS - start)) s"
	# test_lifecycle unloads and reloads the module; the guest needs it.
	l1_insmod_leapio || true
else
	log "no tests/kselftest/run.sh: kselftests not run"
fi

# 3. The nested guest.
if [ -d /sys/module/leapio_host ] &&
	uuid=$(l1_mdev_create leapio-4q "$NS_SIZE" "$LBA_SIZE"); then
	tap 1 "mdev leapio-4q created ($uuid)"
	# The data path: leapiod serves the mdev from a loop device, attached
	# before the guest's QEMU opens the mdev.
	backing=
	if backing=$(l1_backing_create /tmp/l2-backing.img "$NS_SIZE"); then
		tap 1 "backing store: loop device $backing over a tmpfs file"
	else
		tap 0 "backing store: loop device over a tmpfs file"
	fi
	# A second namespace of 512-byte blocks (namespace 1's are 4 KiB),
	# served from a backend of its own: leapiod knows its backend from
	# the start, the mdev gets it while the guest runs, when the guest
	# asks (l1_l2_resize_when_asked), so that the guest's driver finds
	# it from Namespace Attribute Changed, and names it nvme0n2 (both at
	# probe, the driver's scan may name either nvme0n1).
	backing2=
	append=$L1_L2_APPEND
	if backing2=$(l1_backing_create /tmp/l2-ns2.img "$NS2_SIZE"); then
		tap 1 "namespace 2's backend: loop device $backing2"
		L1_L2_NS2="$NS2_SIZE 512"
		L1_L2_APPEND="$append leapio_l2_ns2=1"
		L1_L2_EXPECT="EXPECT_NS2_NSZE=$((NS2_SIZE / 512))
EXPECT_NS2_LBA_SIZE=512"
	else
		tap 0 "namespace 2's backend: a loop device of its own"
		backing2=
	fi
	# A pool for the guest's create-ns (init-l2.sh ns_pool_create), on
	# ext4: 16 MiB, NSIDs but 1 and 2 (the configuration's).
	pool_dir=/tmp/l2-pool pool_dev=
	if [ -n "$backing2" ] &&
	   pool_dev=$(l1_pool_create /tmp/l2-pool.img $((64 << 20)) "$pool_dir"); then
		tap 1 "the pool's file system: ext4 on $pool_dev at $pool_dir"
		export L1_LEAPIOD_POOL="$pool_dir $((16 << 20))"
		L1_L2_APPEND="$L1_L2_APPEND leapio_l2_pool=1"
		L1_L2_EXPECT="$L1_L2_EXPECT
EXPECT_POOL=1"
	elif [ -n "$backing2" ]; then
		tap 0 "the pool's file system: ext4 on a loop device"
		pool_dev=
	fi
	if [ -n "$backing" ] && l1_leapiod_start "$uuid" "$backing" "$RESULTS/leapiod.log" \
		${backing2:+"2=$backing2"}; then
		tap 1 "leapiod attached to mdev $uuid (runtime_pid $LEAPIOD_PID)"
	else
		tap 0 "leapiod attached to mdev $uuid" "$(tail -n 20 "$RESULTS/leapiod.log" 2>/dev/null)"
	fi
	log "nested guest on mdev $uuid"
	# A loop device punches holes: deallocated blocks read zeroes.
	l1_l2_check "$uuid" l2 1 "$backing" || rc=1
	# This guest's alone.
	L1_L2_APPEND=$append
	L1_L2_NS2=''
	L1_L2_EXPECT=''
	# QEMU has closed the device: nothing of the guest stays pinned.
	tap_is "pinned_pages 0 after the guest's QEMU exited" \
		"$(l1_mdev_attr "$uuid" pinned_pages 2>&1)" 0
	if [ -n "$LEAPIOD_PID" ]; then
		lrc=0
		l1_leapiod_stop || lrc=$?
		tap_is "leapiod exits 0 on SIGTERM" "$lrc" 0
		tap_is "runtime_pid 0 after leapiod exited" \
			"$(l1_mdev_attr "$uuid" runtime_pid 2>&1)" 0
		tap_is "pinned_pages 0 after leapiod exited" \
			"$(l1_mdev_attr "$uuid" pinned_pages 2>&1)" 0
	fi
	if [ -n "$pool_dev" ]; then
		# The guest made a namespace and deleted it: leapiod made its
		# file and removed it; the record names none.
		tap_is "leapiod made the guest's namespace in the pool and removed it at delete-ns" \
			"$(grep -c "made from the pool" "$RESULTS/leapiod.log") $(grep -c "deleted: its file is removed" "$RESULTS/leapiod.log") $(find "$pool_dir" -name '*.img' | wc -l)" \
			"1 1 0" "$(grep -i pool "$RESULTS/leapiod.log" | tail -n 5)"
		unset L1_LEAPIOD_POOL
		l1_pool_remove "$pool_dir" "$pool_dev" || true
	fi
	[ -z "$backing" ] || l1_backing_remove "$backing" || true
	[ -z "$backing2" ] || l1_backing_remove "$backing2" || true
	tap "$(ok_if l1_mdev_remove "$uuid")" "mdev removed after the guest"
else
	tap 0 "mdev leapio-4q created"
fi

# 3b. mdevctl: a persistent leapio device and the call-out (l1-mdevctl.sh).
# shellcheck source=tests/vm/l1-mdevctl.sh
. "$here/l1-mdevctl.sh"
if [ -d /sys/module/leapio_host ]; then
	log "mdevctl"
	l1_mdevctl_check
fi

# 4. Remote drives under a nested guest.
if ! l1_l2_set_on remote; then
	log "nested guest on remote drives: not in this run (LEAPIO_L2_SETS=$LEAPIO_L2_SETS)"
elif [ -d /sys/module/leapio_host ]; then
	log "nested guest on remote drives"
	"$here/l1-remote-l2.sh" > "$RESULTS/l2-remote.tap" 2> "$RESULTS/l2-remote.stderr" || rc=1
fi

# 5. The module goes away cleanly, having made the kernel complain about
# nothing (a WARN would have panicked already: panic_on_warn).
tap "$(ok_if rmmod leapio_host)" "rmmod leapio_host"

# 6. The module as the leapio-dkms package installs it (l1-dkms.sh): in
# make check, whose deb stage made it; elsewhere only when there is one.
# shellcheck source=tests/vm/l1-dkms.sh
. "$here/l1-dkms.sh"
if [ -d "$LEAPIO_TOP/build/deb/dkms/$KVER" ]; then
	log "the module DKMS built"
	l1_dkms_check
fi
if [ $debug_kernel = 1 ]; then
	# kmemleak reports an object only once it is msecs_min_age (5 s) old:
	# wait that long after the last free (the mdev's removal above), then
	# scan twice, as its documentation advises.
	sleep 5
	echo scan > $kmemleak && echo scan > $kmemleak
	leaks=$(cat $kmemleak)
	tap "$(ok_if [ -z "$leaks" ])" "kmemleak: no unreferenced object after an explicit scan" \
		"$(head -n 60 <<< "$leaks")"
	# lockdep turns itself off after its first report, or when it runs
	# out of room: then the clean log below would have checked nothing.
	tap "$(ok_if grep -Eq 'debug_locks: +1$' /proc/lockdep_stats)" \
		"lockdep still on after the run (debug_locks 1)" \
		"$(grep debug_locks /proc/lockdep_stats)"
fi
bad=$(dmesg | tail -n +"$((kmsg_start + 1))" | "$here/kmsg-reports.sh")
tap "$(ok_if [ -z "$bad" ])" "kernel log clean (no WARN/BUG, KASAN, UBSAN, lockdep, SLUB, KFENCE or page poison report) while leapio_host was loaded" "$bad"

l1_finish
