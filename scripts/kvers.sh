#!/bin/bash
# The Debian kernels LeapIO is built and tested against, as installed now.
#   scripts/kvers.sh            every required kernel's version, one a line
#   scripts/kvers.sh 6.1        only that series' (6.1 or 6.12)
#   scripts/kvers.sh --default  the default build target (the 6.1 one)
# Exit 1, naming what is missing, when a required kernel is not installed
# with its headers and its image: the caller must then fail, not test
# fewer kernels. Run it after `make setup`, never at Makefile parse time on
# a machine that may not have been set up yet.
#
# Each series is found through its Debian metapackage, which depends on
# the newest ABI of that series (several ABIs can stay installed after an
# upgrade; the metapackage names the current one).
#
# Environment, for the suite's own tests (tests/meta/):
#   LEAPIO_SYSROOT   where /lib/modules and /boot are looked up (default /)
#   LEAPIO_KSERIES   the required series (default "6.1 6.12")
set -euo pipefail

root=${LEAPIO_SYSROOT:-}
series=(${LEAPIO_KSERIES:-6.1 6.12})

meta_of() {
	case $1 in
	6.1) echo linux-image-amd64 ;;
	*) echo "linux-image-$1-amd64" ;;
	esac
}

# The kernel version (ABI) of series $1, or a message on stderr.
kver_of() {
	local s=$1 meta deps kver
	meta=$(meta_of "$s")
	if ! deps=$(dpkg-query -W -f='${Status}|${Depends}\n' "$meta" 2>/dev/null) ||
		[ "${deps%%|*}" != "install ok installed" ]; then
		echo "kvers: Debian kernel $s: package $meta is not installed (run make setup as root)" >&2
		return 1
	fi
	kver=$(printf '%s\n' "${deps#*|}" | tr ',' '\n' |
		sed -n 's/^ *linux-image-\([^ ]*\).*/\1/p' | head -n 1)
	if [ -z "$kver" ]; then
		echo "kvers: Debian kernel $s: $meta depends on no linux-image package" >&2
		return 1
	fi
	case $kver in
	"$s".*) ;;
	*) echo "kvers: Debian kernel $s: $meta names $kver, not a $s kernel" >&2
	   return 1 ;;
	esac
	if [ ! -r "$root/boot/vmlinuz-$kver" ]; then
		echo "kvers: Debian kernel $s ($kver): no $root/boot/vmlinuz-$kver" >&2
		return 1
	fi
	if [ ! -e "$root/lib/modules/$kver/build/Makefile" ]; then
		echo "kvers: Debian kernel $s ($kver): no headers at $root/lib/modules/$kver/build (package linux-headers-$kver)" >&2
		return 1
	fi
	echo "$kver"
}

case ${1:-} in
--default) want=(6.1) ;;
"") want=("${series[@]}") ;;
*) want=("$1") ;;
esac

rc=0
for s in "${want[@]}"; do
	kver_of "$s" || rc=1
done
exit $rc
