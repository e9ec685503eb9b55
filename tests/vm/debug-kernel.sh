#!/bin/bash
# Build the rig's debug kernel once and print where it is:
#   tests/vm/debug-kernel.sh [--print-dir]
# From Debian's linux-source-6.12 tarball: x86_64_defconfig, the kernel's
# kvm_guest.config, then tests/vm/debug-kernel.config (KASAN, UBSAN,
# kmemleak, lockdep, DEBUG_ATOMIC_SLEEP, DEBUG_OBJECTS, KFENCE, and what
# L1 boots and tests with), with tests/vm/debug-kernel-patches/*.patch
# applied (fixes to the kernel's own code that its checkers would report
# before reaching ours; each says why). The result is cached outside the
# tree, under
#   ${LEAPIO_CACHE:-/var/cache/leapio}/debug-kernel/<key>/
# where <key> is a hash of everything the build depends on (the source
# package's version, the config fragment, the patches, this script, the
# compiler), so
# a clean clone reuses it and a changed input rebuilds it. The directory
# holds:
#   src/       the configured, built tree (KDIR for leapio_host.ko)
#   bzImage    the kernel L1 boots
#   modroot/   its modules, modroot/lib/modules/<kver>/
#   kver       its release string (uname -r)
#   build-seconds, build.log
# --print-dir prints the directory without building (nothing if absent).
# Documentation/dev-tools/testing.rst, "The debug kernel".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd -P)
series=6.12
tarball=/usr/src/linux-source-$series.tar.xz
fragment=$here/debug-kernel.config
patches=$(find "$here/debug-kernel-patches" -name '*.patch' | sort)
cache=${LEAPIO_CACHE:-/var/cache/leapio}/debug-kernel

die() { echo "debug-kernel: $*" >&2; exit 1; }

[ -f "$tarball" ] || die "$tarball missing (make setup installs linux-source-$series)"
srcver=$(dpkg-query -W -f='${Version}' "linux-source-$series" 2>/dev/null) ||
	die "linux-source-$series is not installed"
key=$({
	echo "$srcver"
	cat "$fragment" "$0" $patches
	gcc --version | head -n 1
} | sha256sum | cut -c1-16)
dir=$cache/$series-$key

if [ "${1:-}" = --print-dir ]; then
	[ -f "$dir/kver" ] && echo "$dir"
	exit 0
fi
[ -f "$dir/kver" ] && { echo "$dir"; exit 0; }

mkdir -p "$cache"
exec 9> "$cache/.lock"
flock 9
# Another build may have finished while we waited.
[ -f "$dir/kver" ] && { echo "$dir"; exit 0; }

rm -rf "$dir.tmp"
mkdir -p "$dir.tmp/src"
log=$dir.tmp/build.log
start=$SECONDS
echo "debug-kernel: building linux $srcver with KASAN, lockdep, kmemleak into $dir (log: $log)" >&2
{
	tar -xJf "$tarball" -C "$dir.tmp/src" --strip-components=1
	cd "$dir.tmp/src"
	for p in $patches; do
		echo "applying $p"
		patch -p1 --forward --batch < "$p"
	done
	make -s x86_64_defconfig
	scripts/kconfig/merge_config.sh -m .config kernel/configs/kvm_guest.config "$fragment"
	make -s olddefconfig
} > "$log" 2>&1 || die "patching or configuring failed; see $log"

# Every line of the fragment must have survived olddefconfig: a dependency
# that silently turned an option off would leave a checker missing.
# An option asked off may also be absent (its menu is off).
bad=$(grep -E '^(CONFIG_[A-Z0-9_]+=|# CONFIG_[A-Z0-9_]+ is not set)' "$fragment" |
	while read -r want; do
		case $want in
		'# '*)	opt=${want#\# }; opt=${opt%% *}
			! grep -q "^$opt=" "$dir.tmp/src/.config" || echo "$want" ;;
		*)	grep -qxF -- "$want" "$dir.tmp/src/.config" || echo "$want" ;;
		esac
	done)
[ -z "$bad" ] || die "options the kernel config did not take: $bad"

jobs=$(nproc)
make -C "$dir.tmp/src" -j"$jobs" bzImage modules >> "$log" 2>&1 ||
	die "build failed; see $log"
make -C "$dir.tmp/src" -s INSTALL_MOD_PATH="$dir.tmp/modroot" INSTALL_MOD_STRIP=1 \
	modules_install >> "$log" 2>&1 || die "modules_install failed; see $log"
cp "$dir.tmp/src/arch/x86/boot/bzImage" "$dir.tmp/bzImage"
make -C "$dir.tmp/src" -s kernelrelease > "$dir.tmp/kver"
echo $((SECONDS - start)) > "$dir.tmp/build-seconds"
# The tree is moved, not copied: its Makefile paths are relative, and
# out-of-tree module builds use it as KDIR.
mv "$dir.tmp" "$dir"
echo "debug-kernel: built $(cat "$dir/kver") in $(cat "$dir/build-seconds") s" >&2
echo "$dir"
