# Steps shared by the scripts that run inside L1 (l1-main.sh, l1-demo.sh).
# Sourced; expects LEAPIO_TOP, KVER and RESULTS from init-l1.sh.

LEAPIO_KO=$LEAPIO_TOP/build/kmod/$KVER/kernel/host/leapio_host.ko
L1_MODULES=(vfio vfio_iommu_type1 mdev)

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
	EXPECT_NN=1
	EXPECT_NSZE=$((ns / lba))
	EXPECT_LBA_SIZE=$lba
	EXPECT_NR_IOQ=$(cat "$a/nr_ioq")
	EXPECT_TEMP_K=313
	EOT
}
