#!/bin/busybox sh
# /init of the L1 (host VM) initramfs. Mounts this machine's root, read-only
# over 9p, as the VM's root, runs one test script in it and powers off.
# What to run comes from /results/l1.env, written by run-l1.sh:
#   LEAPIO_TOP  the repository (same path in the VM: the root is shared)
#   KVER        the kernel we are
#   L1_SCRIPT   the script, run as `bash <script>` from LEAPIO_TOP
# The script's exit status goes to /results/l1-exit-status and then, last,
# the marker /results/l1-done: its absence tells the host that the VM died
# (panic, timeout) before the script finished.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin

fail() {
	echo "init-l1: $*"
	poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev

while read -r m; do
	insmod "$m" || fail "insmod $m"
done < /etc/modules.order

# The new root: a tmpfs holding a bind mount of each top-level directory of
# the shared root. The shared root is read-only, so this is how /results,
# /tmp and /run get mount points without touching this machine's /.
opts=trans=virtio,version=9p2000.L,msize=262144
mkdir -p /host /newroot
mount -t 9p -o "$opts,cache=loose,ro" hostroot /host || fail "mount hostroot"
mount -t tmpfs -o mode=755 root /newroot
for e in /host/* /host/.[!.]*; do
	n=${e#/host/}
	case $n in
	proc|sys|dev|tmp|run|results|lost+found|'.[!.]*'|'*') continue ;;
	esac
	if [ -L "$e" ]; then
		cp -a "$e" "/newroot/$n"
	elif [ -d "$e" ]; then
		mkdir "/newroot/$n"
		mount -o bind,ro "$e" "/newroot/$n"
	fi
done
for d in proc sys dev tmp run results; do mkdir -p "/newroot/$d"; done
mount -t proc proc /newroot/proc
mount -t sysfs sys /newroot/sys
mount -t devtmpfs dev /newroot/dev
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts devpts /newroot/dev/pts
mount -t tmpfs tmp /newroot/dev/shm
mount -t tmpfs tmp /newroot/tmp
mount -t tmpfs run /newroot/run
mount -t 9p -o "$opts" results /newroot/results || fail "mount results"

. /newroot/results/l1.env
# A kernel that is not installed (the debug kernel) brings its modules:
# they take the place of the shared root's, so modprobe finds them.
if [ -n "${L1_MODROOT:-}" ]; then
	mods=/newroot/lib/modules
	[ -L /newroot/lib ] && mods=/newroot/usr/lib/modules
	mount -t tmpfs -o mode=755 modules "$mods" || fail "mount $mods"
	mkdir -p "$mods/$KVER"
	mount -o bind,ro "/host$L1_MODROOT/lib/modules/$KVER" "$mods/$KVER" ||
		fail "mount $L1_MODROOT"
fi
# The repository again, at its own path, from a share of its own: a clone
# under /tmp or /run (CI's may be) is hidden by the VM's own tmpfs there.
mkdir -p "/newroot$LEAPIO_TOP"
mount -t 9p -o "$opts,cache=loose,ro" repo "/newroot$LEAPIO_TOP" || fail "mount repo"
# L1_STATE: what outlives this boot (run-l1.sh LEAPIO_L1_STATE) at /state.
if [ -n "${L1_STATE:-}" ]; then
	mkdir -p /newroot/state
	mount -t 9p -o "$opts" state /newroot/state || fail "mount state"
fi
# L1_INIT=systemd: systemd is init instead (tests/vm/l1-systemd.sh), and
# the script runs as a service of it that records its exit status and the
# marker as below, then powers off. The units go in /run/systemd/system,
# which systemd reads and, /run being mounted already, keeps.
if [ "${L1_INIT:-}" = systemd ]; then
	u=/newroot/run/systemd/system
	mkdir -p "$u"
	# A host's persistent settings, from /state: the mdev definitions
	# where mdevctl and its udev rule look, and the units (and the links
	# of those enabled) as /etc/systemd/system would hold them. The
	# test's target stands for multi-user.target.
	if [ -n "${L1_STATE:-}" ]; then
		mkdir -p /newroot/state/mdevctl.d /newroot/state/systemd
		mount -o bind /newroot/state/mdevctl.d /newroot/etc/mdevctl.d ||
			fail "bind /state/mdevctl.d"
		cp -a /newroot/state/systemd/. "$u/" || fail "units from /state"
		# udev rules a package installed (/lib/udev/rules.d)
		if [ -d /newroot/state/udev ]; then
			mkdir -p /newroot/run/udev/rules.d
			cp /newroot/state/udev/*.rules /newroot/run/udev/rules.d/ ||
				fail "udev rules from /state"
		fi
	fi
	cat > "$u/leapio-l1.target" <<-EOF
	[Unit]
	Description=LeapIO L1 test run
	Wants=leapio-l1-test.service
	AllowIsolate=yes
	EOF
	cat > "$u/leapio-l1-test.service" <<-EOF
	[Unit]
	Description=LeapIO L1 test script $L1_SCRIPT
	After=basic.target
	[Service]
	Type=oneshot
	Environment=LEAPIO_TOP=$LEAPIO_TOP KVER=$KVER RESULTS=/results HOME=/tmp TERM=dumb LANG=C.UTF-8
	WorkingDirectory=$LEAPIO_TOP
	StandardOutput=file:/results/l1-script.log
	StandardError=inherit
	ExecStart=/bin/bash -c 'bash "\$\$0"; echo \$\$? > /results/l1-exit-status; echo done > /results/l1-done; sync' $L1_SCRIPT
	ExecStartPost=/bin/systemctl poweroff --force --force
	EOF
	echo "init-l1: systemd runs $L1_SCRIPT on $(uname -r)"
	exec switch_root /newroot /lib/systemd/systemd
fi
echo "init-l1: running $L1_SCRIPT on $(uname -r)"
# env -i: nothing of the initramfs's environment leaks into the test.
{
	chroot /newroot /usr/bin/env -i \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/tmp TERM=dumb LANG=C.UTF-8 \
		LEAPIO_TOP="$LEAPIO_TOP" KVER="$KVER" RESULTS=/results \
		LEAPIO_KSFT_TESTS="${LEAPIO_KSFT_TESTS:-}" L2_KVER="${L2_KVER:-}" \
		LEAPIO_L2_SETS="${LEAPIO_L2_SETS:-}" \
		${LEAPIO_L2_TIMEOUT:+LEAPIO_L2_TIMEOUT="$LEAPIO_L2_TIMEOUT"} \
		/bin/bash -c 'cd "$LEAPIO_TOP" && exec bash "$0"' "$L1_SCRIPT" 2>&1
	echo $? > /newroot/results/l1-exit-status
} | tee /newroot/results/l1-script.log
echo "init-l1: script exit status $(cat /newroot/results/l1-exit-status)"
echo done > /newroot/results/l1-done
sync
poweroff -f
