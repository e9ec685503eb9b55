#!/bin/bash
# Build a small busybox initramfs (uncompressed newc cpio: nothing to inflate
# at boot, which matters under TCG, and more so nested):
#   tests/vm/mk-initramfs.sh <kver> <init> <out.cpio> [options]
#     -m <module>   load this module and its dependencies at boot (repeat)
#     -b <binary>   add a dynamically linked binary and the libraries ldd
#                   names for it, at their own paths (repeat)
#     -f <src>:<dst> add a plain file (repeat)
# The init finds the modules to insmod, in order, in /etc/modules.order.
# Modules are stored decompressed: busybox insmod reads no .ko.xz.
set -euo pipefail

kver=$1 init=$2 out=$3
shift 3
mods=() bins=() files=()
while getopts m:b:f: opt; do
	case $opt in
	m) mods+=("$OPTARG") ;;
	b) bins+=("$OPTARG") ;;
	f) files+=("$OPTARG") ;;
	*) exit 2 ;;
	esac
done

here=$(dirname "$0")
stage=$(mktemp -d "${out}.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,sbin,etc,proc,sys,dev,tmp,run,mnt,lib/modules}
cp /bin/busybox "$stage/bin/busybox"
install -m 755 "$init" "$stage/init"

modsrc=/lib/modules/$kver
: > "$stage/etc/modules.order"
if [ ${#mods[@]} -gt 0 ]; then
	"$here/mod-closure.sh" "$kver" "${mods[@]}" | while read -r rel; do
		dst=$stage/lib/modules/${rel%.xz}
		dst=${dst%.zst}
		mkdir -p "$(dirname "$dst")"
		case $rel in
		*.xz)  xz -dc "$modsrc/$rel" > "$dst" ;;
		*.zst) zstd -qdc "$modsrc/$rel" > "$dst" ;;
		*)     cp "$modsrc/$rel" "$dst" ;;
		esac
		echo "/lib/modules/${dst#"$stage"/lib/modules/}" >> "$stage/etc/modules.order"
	done
fi

# A binary and what the dynamic loader will look for, at the same paths.
add_path() {
	mkdir -p "$stage$(dirname "$1")"
	cp -L "$1" "$stage$1"
}
for b in ${bins[@]+"${bins[@]}"}; do
	add_path "$b"
	ldd "$b" | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}' |
		while read -r lib; do add_path "$lib"; done
done
for f in ${files[@]+"${files[@]}"}; do
	mkdir -p "$stage$(dirname "${f#*:}")"
	cp -L "${f%%:*}" "$stage${f#*:}"
done

(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0) > "$out.tmp"
mv "$out.tmp" "$out"
