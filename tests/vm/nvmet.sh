#!/bin/bash
# The kernel's NVMe-oF target (nvmet) as the rig's remote drive: the one
# place that knows the test network and how the target is configured
# (configfs). The kselftests (tests/kselftest/lib/nvmet.c) and the L1
# scripts call it.
#   nvmet.sh net-up <tcp|rdma>          modules, the veth pair, soft-RoCE
#   nvmet.sh export <tcp|rdma> <dev> <nqn> <port>
#                                       <dev> as namespace 1 of <nqn> on
#                                       port <port> (1..30000, TCP port
#                                       4420 + <port>); prints the URI
#   nvmet.sh unlink|link <tcp|rdma> <nqn> <port>
#                                       the port stops / starts offering it
#   nvmet.sh unexport <nqn> <port>      undo export (what of it exists)
#   nvmet.sh revalidate <nqn>           the target reads the size again
#   nvmet.sh ctrls <nqn>                this host's controllers to <nqn>
#   nvmet.sh state <nqn>                the first one's state, or nothing
#   nvmet.sh blockdev <nqn>             its namespace 1's block device (the
#                                       multipath head's), once it is there
#
# The network: the initiator (leapiod) in the init namespace on lio-h
# 10.77.0.1, with the soft-RoCE device lio-rxe on it; the TCP target in
# namespace lio-tgt on lio-t 10.77.0.2 (nvmet-tcp opens its socket in the
# namespace of whoever enables the port, so the link is made there).
# nvmet-rdma and nvme-rdma use only the init namespace's RDMA CM: the RDMA
# port is 10.77.0.1, through lio-rxe (remote-drives.rst says so).
set -euo pipefail

NETNS=lio-tgt
HOST_ADDR=10.77.0.1
TCP_ADDR=10.77.0.2
CFS=/sys/kernel/config/nvmet

die() { echo "nvmet.sh: $*" >&2; exit 1; }

traddr() { if [ "$1" = rdma ]; then echo $HOST_ADDR; else echo $TCP_ADDR; fi; }

net_up() {
	local tr=$1
	# Explicitly, what the kernel would load on demand (veth for ip link
	# add, crc32 for rdma_rxe's ICRC): L1 does not load modules on demand.
	local m mods=(veth nvmet-tcp nvme-tcp)
	[ "$tr" = rdma ] && mods=(veth crc32_generic nvmet-rdma nvme-rdma rdma_rxe)
	for m in "${mods[@]}"; do
		modprobe -q "$m" || die "modprobe $m failed"
	done
	[ -d $CFS ] || mount -t configfs none /sys/kernel/config 2>/dev/null || true
	[ -d $CFS ] || die "$CFS missing"
	command -v ip > /dev/null || die "no ip command (iproute2)"
	# Each piece on its own, so that a half-made network is completed.
	[ -e /run/netns/$NETNS ] || ip netns add $NETNS
	if ! ip link show lio-h > /dev/null 2>&1; then
		ip link add lio-h type veth peer name lio-t netns $NETNS
		ip addr add $HOST_ADDR/24 dev lio-h
		ip link set lio-h up
		ip -n $NETNS addr add $TCP_ADDR/24 dev lio-t
		ip -n $NETNS link set lio-t up
		ip -n $NETNS link set lo up
	fi
	if [ "$tr" = rdma ] && ! rdma link show lio-rxe/1 > /dev/null 2>&1; then
		command -v rdma > /dev/null || die "no rdma command (iproute2)"
		rdma link add lio-rxe type rxe netdev lio-h
	fi
}

# In the target's namespace for TCP, here for RDMA. nsenter, not ip
# netns exec: that mounts a sysfs of the namespace's own over /sys, and
# configfs (/sys/kernel/config) with it is gone.
in_target() {
	if [ "$1" = tcp ]; then
		shift
		nsenter --net=/run/netns/$NETNS "$@"
	else
		shift
		"$@"
	fi
}

do_link() {
	local tr=$1 nqn=$2 port=$3
	in_target "$tr" ln -s "$CFS/subsystems/$nqn" "$CFS/ports/$port/subsystems/$nqn"
}

export_dev() {
	local tr=$1 dev=$2 nqn=$3 port=$4 s=$CFS/subsystems/$3 p=$CFS/ports/$4
	mkdir "$s"
	echo 1 > "$s/attr_allow_any_host"
	mkdir "$s/namespaces/1"
	echo "$dev" > "$s/namespaces/1/device_path"
	echo 1 > "$s/namespaces/1/enable"
	mkdir "$p"
	echo "$tr" > "$p/addr_trtype"
	echo ipv4 > "$p/addr_adrfam"
	traddr "$tr" > "$p/addr_traddr"
	echo $((4420 + port)) > "$p/addr_trsvcid"
	do_link "$tr" "$nqn" "$port"
	echo "nvme+$tr://$(traddr "$tr"):$((4420 + port))/$nqn/1"
}

unexport() {
	local nqn=$1 port=$2 s=$CFS/subsystems/$1 p=$CFS/ports/$2
	[ ! -L "$p/subsystems/$nqn" ] || rm -f "$p/subsystems/$nqn"
	[ ! -d "$p" ] || rmdir "$p"
	if [ -d "$s/namespaces/1" ]; then
		echo 0 > "$s/namespaces/1/enable"
		rmdir "$s/namespaces/1"
	fi
	[ ! -d "$s" ] || rmdir "$s"
}

# Controllers of this host connected to nqn, one name a line.
ctrls() {
	local c
	for c in /sys/class/nvme/nvme*; do
		[ -r "$c/subsysnqn" ] || continue
		[ "$(cat "$c/subsysnqn" 2>/dev/null)" = "$1" ] && basename "$c"
	done
	return 0
}

# /dev/nvmeXn1 of the first controller to nqn (nvmeXcYn1 is a path of the
# head nvmeXn1), waiting for the kernel's scan (bounded).
blockdev() {
	local c p i
	for i in $(seq 100); do
		c=$(ctrls "$1" | head -n 1)
		for p in /sys/class/nvme/"$c"/nvme*n1; do
			[ -e "$p" ] || continue
			p=$(basename "$p")
			echo "/dev/${p/c[0-9]*n/n}"
			return 0
		done
		[ "$i" = 100 ] || sleep 0.1
	done
	die "no namespace 1 of $1 on this host"
}

cmd=${1:-}
shift || true
case $cmd in
net-up)		[ $# = 1 ] || die "usage: net-up <tcp|rdma>"; net_up "$1" ;;
export)		[ $# = 4 ] || die "usage: export <tr> <dev> <nqn> <port>"; export_dev "$@" ;;
link)		[ $# = 3 ] || die "usage: link <tr> <nqn> <port>"; do_link "$@" ;;
unlink)		[ $# = 3 ] || die "usage: unlink <tr> <nqn> <port>"
		rm "$CFS/ports/$3/subsystems/$2" ;;
unexport)	[ $# = 2 ] || die "usage: unexport <nqn> <port>"; unexport "$@" ;;
# The exported device's size read again: a change is a Namespace
# Attribute Changed notice to the connected hosts.
revalidate)	[ $# = 1 ] || die "usage: revalidate <nqn>"
		echo 1 > "$CFS/subsystems/$1/namespaces/1/revalidate_size" ;;
ctrls)		[ $# = 1 ] || die "usage: ctrls <nqn>"; ctrls "$1" | wc -l ;;
state)		[ $# = 1 ] || die "usage: state <nqn>"
		c=$(ctrls "$1" | head -n 1)
		[ -z "$c" ] || cat "/sys/class/nvme/$c/state" ;;
blockdev)	[ $# = 1 ] || die "usage: blockdev <nqn>"; blockdev "$1" ;;
*)		die "unknown command '$cmd' (net-up, export, link, unlink, unexport, ctrls, state, blockdev)" ;;
esac
