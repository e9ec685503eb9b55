#!/bin/bash
# The packages of `make deb` installed, used and removed as an operator
# would, in a root of its own: an overlay over this machine's root whose
# upper layer is thrown away afterwards, so the machine itself is never
# changed. The packages' dependencies (dkms, the libraries) are this
# machine's (scripts/setup.sh installs them); LeapIO's are not there
# before. DKMS builds leapio_host.ko and leapio_soc.ko for every kernel
# with headers; the modules it built are kept under <out>/dkms/<kver>/
# for L1 to load (tests/vm/l1-dkms.sh). A TAP stream.
#   tests/pkg/deb-install.sh <dir of the .debs (build/deb)> <out>   as root
set -u

debs=$(realpath "$1") out=$(realpath -m "$2")
# shellcheck source=tests/vm/tap.sh
. "$(dirname "$0")/../vm/tap.sh"
ok() { ok_if "$@" 2> /dev/null; }

echo "TAP version 13"
echo "1..17"
dkms_deb=$(ls "$debs"/leapio-dkms_*_all.deb 2>/dev/null | head -n 1)
daemon_deb=$(ls "$debs"/leapiod_*_"$(dpkg --print-architecture)".deb 2>/dev/null | head -n 1)
ver=$(sed -n 's/^#define LEAPIO_VERSION\t*"\(.*\)"/\1/p' "$(dirname "$0")/../../common/leapio/version.h")
if [ -z "$dkms_deb" ] || [ -z "$daemon_deb" ]; then
	echo "Bail out! no packages in $debs (make deb)"
	exit 1
fi
tap "$(ok test ! -s "$debs/lintian.txt" -o -z "$(grep '^E:' "$debs/lintian.txt")")" \
	"lintian: no errors" "$(cat "$debs/lintian.txt" 2>&1)"

work=$(mktemp -d /var/tmp/leapio-deb.XXXXXX)
root=$work/root
mounted=()
cleanup() {
	local m
	for m in "${mounted[@]}"; do umount -l "$m" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
mnt() { mount "$@" && mounted=("${!#}" "${mounted[@]}"); }
# The upper layer on a tmpfs: the machine's root may itself be an
# overlay, which cannot hold another's upper layer.
mnt -t tmpfs leapio-deb "$work"
mkdir -p "$work/upper" "$work/work" "$root"
if ! mnt -t overlay overlay -o "lowerdir=/,upperdir=$work/upper,workdir=$work/work" "$root"; then
	echo "Bail out! no overlay root (overlayfs)"
	exit 1
fi
mnt -t proc proc "$root/proc"
mnt -t sysfs sys "$root/sys"
mnt --bind /dev "$root/dev"
mnt -t tmpfs tmp "$root/tmp"
mnt -t tmpfs run "$root/run"
cp "$dkms_deb" "$daemon_deb" "$root/tmp/"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C "$@"; }

tap "$(ok test -z "$(in_root dpkg-query -W -f='${Status}' leapiod leapio-dkms 2>/dev/null |
	grep 'install ok installed')")" "neither package installed before"
kvers=()
for b in "$root"/lib/modules/*/build; do
	[ -d "$b" ] && { k=${b%/build}; kvers+=("${k##*/}"); }
done
log=$(in_root dpkg -i "/tmp/${dkms_deb##*/}" "/tmp/${daemon_deb##*/}" 2>&1)
tap "$(ok test $? = 0)" "dpkg -i leapio-dkms leapiod" "$log"
# The postinst builds for the newest kernel (and the running one, if it
# has headers): the others as an operator adds a kernel.
for k in "${kvers[@]}"; do
	in_root dkms install "leapio/$ver" -k "$k" > "$work/dkms-$k.log" 2>&1
done
st=$(in_root dkms status leapio 2>&1)
built=0
for k in "${kvers[@]}"; do
	grep -q "leapio/$ver, $k, .*: installed" <<< "$st" && built=$((built + 1))
done
tap "$([ ${#kvers[@]} -gt 0 ] && [ "$built" = ${#kvers[@]} ] && echo 1 || echo 0)" \
	"DKMS built and installed the modules for each kernel with headers (${kvers[*]})" "$st"
mods_ok=1
for k in "${kvers[@]}"; do
	f=$(ls "$root/lib/modules/$k/updates/dkms/"leapio_host.ko* 2>/dev/null | head -n 1)
	v=$(modinfo -F version "$f" 2>/dev/null)
	if [ "$v" != "$ver" ] || ! ls "$root/lib/modules/$k/updates/dkms/"leapio_soc.ko* > /dev/null 2>&1; then
		mods_ok=0
		continue
	fi
	mkdir -p "$out/dkms/$k"
	cp "$root/lib/modules/$k/updates/dkms/"leapio_*.ko* "$out/dkms/$k/"
	# What modprobe finds: the DKMS module, for L1 to load by name.
	in_root modinfo -n -k "$k" leapio_host > "$out/dkms/$k/modprobe-finds" 2>&1
done
tap "$mods_ok" "leapio_host.ko (version $ver) and leapio_soc.ko in updates/dkms, kept for L1"
tap "$(ok test "$(in_root leapiod --version)" = "leapiod $ver")" "leapiod --version: $ver"
tap "$(ok test "$(in_root leapioctl --version)" = "leapioctl $ver")" "leapioctl --version: $ver"
tap "$(ok cmp "$root/etc/leapio/leapiod.json" "$root/usr/share/leapiod/leapiod.json")" \
	"/etc/leapio/leapiod.json made from the template"
log=$(in_root systemd-analyze verify --man=no /lib/systemd/system/leapiod.service 2>&1)
tap "$(ok test -z "$(grep -v 'network-online.target\|systemd-modules-load' <<< "$log")")" \
	"the unit passes systemd-analyze verify" "$log"
tap "$(ok test -s "$root/usr/share/man/man8/leapioctl.8.gz" -a \
	-s "$root/usr/share/man/man8/leapiod.8.gz")" "the manual pages of leapioctl and leapiod"
out=$(echo '{"attrs": [{"leapio/lba_size": "520"}]}' |
	in_root /etc/mdevctl.d/scripts.d/callouts/leapio -t leapio-1q -e pre -a start \
		-s none -u 6f1a0c8e-0000-4000-8000-0000000000d1 -p leapio 2>&1)
tap "$(ok test $? = 1 -a -n "$(grep 'lba_size=520' <<< "$out")")" \
	"the mdevctl call-out, where mdevctl 1.2 looks, refuses a bad attribute" "$out"
tap "$(ok grep -q 'RUN+="/usr/bin/mdevctl start-parent-mdevs %k"' \
	"$root/lib/udev/rules.d/61-leapio-mdevctl.rules")" \
	"the udev rule that starts leapio's auto devices where mdevctl's cannot"

echo '{"pollers": [{}], "vdevs": [], "x": 1}' > "$root/etc/leapio/leapiod.json"
log=$(in_root dpkg -r leapiod leapio-dkms 2>&1)
tap "$(ok test $? = 0)" "dpkg -r leapiod leapio-dkms" "$log"
tap "$(ok test ! -e "$root/usr/sbin/leapiod" -a ! -e "$root/lib/systemd/system/leapiod.service" \
	-a ! -e "$root/lib/udev/rules.d/61-leapio-mdevctl.rules")" \
	"the daemon, leapioctl and the unit are gone"
left=$(ls "$root"/lib/modules/*/updates/dkms/leapio_* "$root/usr/src/leapio-$ver" 2>&1 |
	grep -v 'No such file')
tap "$(ok test -z "$left")" "DKMS removed the modules and the sources" "$left"
tap "$(ok grep -q '"x": 1' "$root/etc/leapio/leapiod.json")" \
	"the configuration leapiod kept stays after remove"
in_root dpkg -P leapiod > /dev/null 2>&1
tap "$(ok test ! -e "$root/etc/leapio")" "purge takes it"
exit $tap_failed
