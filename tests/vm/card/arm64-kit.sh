#!/bin/bash
# The arm64 kit the emulated card is built and booted with, made once and
# printed (its directory):
#   tests/vm/card/arm64-kit.sh [--print-dir]
# For each x86 kernel the rig tests (scripts/kvers.sh) the arm64 kernel of
# the same Debian ABI (6.1.0-57-amd64 -> 6.1.0-57-arm64), whose packages
# must have the version of the installed linux-kbuild: the arm64 headers'
# scripts are that native kbuild's. Packages are fetched with `apt-get
# download` and unpacked with `dpkg -x`, never installed: installing the
# arm64 headers makes apt remove gcc, binutils and the amd64 headers.
# Cached outside the tree, under
#   ${LEAPIO_CACHE:-/var/cache/leapio}/arm64-kit/<key>/
# where <key> hashes this script, the packages' versions and the native
# kbuild versions. The directory holds:
#   root/      every package unpacked: root/boot/vmlinuz-<kver>,
#              root/lib/modules/<kver>/ (with modules.dep),
#              root/usr/src/linux-headers-<kver>/ (a KDIR for
#              ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-), root/bin/busybox,
#              and the arm64 libraries leapiod links and runs with
#              (root/usr/include, root/usr/lib/aarch64-linux-gnu, root/lib)
#   kvers      the arm64 kernel releases, one a line (6.1 first)
#   debs/      what was downloaded
# --print-dir prints the directory without building (nothing if absent).
# Needs (scripts/setup.sh): dpkg --add-architecture arm64 and apt-get update.
# Documentation/dev-tools/testing.rst, "The emulated card".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd -P)
top=$(cd "$here/../../.." && pwd -P)
cache=${LEAPIO_CACHE:-/var/cache/leapio}/arm64-kit

die() { echo "arm64-kit: $*" >&2; exit 1; }

dpkg --print-foreign-architectures | grep -qx arm64 ||
	die "arm64 is not a dpkg architecture here (run make setup as root)"

# The native kbuild package and version the amd64 headers of $1 use.
kbuild_of() {
	local deps
	deps=$(dpkg-query -W -f='${Depends}' "linux-headers-$1") ||
		die "linux-headers-$1 is not installed"
	printf '%s\n' "$deps" | tr ',' '\n' | sed -n 's/^ *\(linux-kbuild-[^ ]*\).*/\1/p' | head -n 1
}

# Candidate versions of every package named, as "<name>=<version>" lines
# (one apt-cache run: each reads all the lists, seconds with arm64's).
declare -A cand
candidates() {
	local name= line
	while IFS= read -r line; do
		case $line in
		[!\ ]*:) name=${line%:} ;;
		*Candidate:*) cand[$name]=${line##*Candidate: } ;;
		esac
	done < <(apt-cache policy "$@" 2>/dev/null)
}
candidate() {
	echo "${cand[$1]:-}"
}

kvers=() kbuilds=()
pkgs=(busybox-static:arm64 libc6:arm64 libgcc-s1:arm64 liburing2:arm64
	liburing-dev:arm64 libjansson4:arm64 libjansson-dev:arm64)
xkvers=$("$top/scripts/kvers.sh")
all=("${pkgs[@]}")
for x in $xkvers; do
	abi=${x%-amd64}
	all+=("linux-image-$abi-arm64:arm64" "linux-headers-$abi-arm64:arm64"
	      "linux-headers-$abi-common")
done
candidates "${all[@]}"
for x in $xkvers; do
	abi=${x%-amd64}
	k=$abi-arm64
	kb=$(kbuild_of "$x")
	[ -n "$kb" ] || die "no linux-kbuild dependency of linux-headers-$x"
	kbv=$(dpkg-query -W -f='${Version}' "$kb") || die "$kb is not installed"
	for p in "linux-image-$k:arm64" "linux-headers-$k:arm64"; do
		v=$(candidate "$p")
		[ -n "$v" ] && [ "$v" != "(none)" ] ||
			die "$p is not in the APT lists (apt-get update; bookworm-security)"
		[ "$v" = "$kbv" ] ||
			die "$p is $v but the native $kb is $kbv: the arm64 headers need the kbuild of their own version"
	done
	kvers+=("$k")
	pkgs+=("linux-image-$k:arm64" "linux-headers-$k:arm64" "linux-headers-$abi-common")
	kbuilds+=("$kb=$kbv")
done

versions=()
for p in "${pkgs[@]}"; do
	v=$(candidate "$p")
	[ -n "$v" ] && [ "$v" != "(none)" ] || die "$p is not in the APT lists"
	versions+=("$p=$v")
done
key=$({
	cat "$0"
	printf '%s\n' "${versions[@]}" "${kbuilds[@]}"
} | sha256sum | cut -c1-16)
dir=$cache/$key

if [ "${1:-}" = --print-dir ]; then
	[ -f "$dir/kvers" ] && echo "$dir"
	exit 0
fi
[ -f "$dir/kvers" ] && { echo "$dir"; exit 0; }

mkdir -p "$cache"
exec 9> "$cache/.lock"
flock 9
[ -f "$dir/kvers" ] && { echo "$dir"; exit 0; }

rm -rf "$dir.tmp"
mkdir -p "$dir.tmp/debs" "$dir.tmp/root"
(cd "$dir.tmp/debs" && apt-get download -q "${versions[@]}" >&2) ||
	die "apt-get download failed"
for d in "$dir.tmp"/debs/*.deb; do
	dpkg -x "$d" "$dir.tmp/root"
done

root=$dir.tmp/root
for kb in "${kbuilds[@]}"; do
	kb=${kb%%=*}
	# The headers' scripts/ and tools/ are links into
	# /usr/lib/linux-kbuild-<ver>, relative: inside root/ they must find
	# the native one.
	kbdir=/usr/lib/${kb}
	[ -d "$kbdir" ] || die "$kbdir is missing"
	rm -rf "${root:?}$kbdir"
	mkdir -p "$root/usr/lib"
	ln -s "$kbdir" "$root$kbdir"
done
for k in "${kvers[@]}"; do
	hdr=$root/usr/src/linux-headers-$k
	[ -f "$hdr/Makefile" ] || die "no $hdr/Makefile in the headers package"
	# Its Makefile includes the -common tree by absolute path: the one
	# unpacked here (the arm64 one needs no amd64 package).
	# ($dir: where root/ will be once complete.)
	sed -i "s#^include /usr/src/#include $dir/root/usr/src/#" "$hdr/Makefile"
	grep -q "^include $dir/root/usr/src/" "$hdr/Makefile" ||
		die "$hdr/Makefile: no include of the -common tree to redirect"
	[ -f "$root/boot/vmlinuz-$k" ] || die "no vmlinuz-$k in the image package"
	depmod -b "$root" "$k" || die "depmod $k failed"
done
printf '%s\n' "${kvers[@]}" > "$dir.tmp/kvers"
mv "$dir.tmp" "$dir"
echo "$dir"
