#!/bin/bash
# The card VM's initramfs (uncompressed newc cpio), from the arm64 kit:
#   tests/vm/card/mk-card-initramfs.sh <kit dir> <arm64 kver> <out.cpio>
# busybox (static, arm64), tests/vm/card/init-card.sh as /init, and the
# modules 9p over virtio and the card's NVMe SSD need, with their
# dependencies, decompressed (busybox insmod reads no .ko.xz), in load
# order in /etc/modules.order. Rebuilt only when an input is newer.
set -euo pipefail

kit=$1 kver=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd -P)
mods=(virtio_pci 9pnet_virtio 9p nvme)
modsrc=$kit/root/lib/modules/$kver

if [ -f "$out" ] && [ "$out" -nt "$here/init-card.sh" ] && [ "$out" -nt "$0" ] &&
	[ "$out" -nt "$modsrc/modules.dep" ]; then
	exit 0
fi
mkdir -p "$(dirname "$out")"
stage=$(mktemp -d "${out}.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,sbin,etc,proc,sys,dev,tmp,results,lib/modules}
cp "$kit/root/bin/busybox" "$stage/bin/busybox"
install -m 755 "$here/init-card.sh" "$stage/init"
: > "$stage/etc/modules.order"
LEAPIO_MODDIR=$kit/root/lib/modules "$here/../mod-closure.sh" "$kver" "${mods[@]}" |
	while read -r rel; do
		dst=$stage/lib/modules/${rel%.xz}
		mkdir -p "$(dirname "$dst")"
		case $rel in
		*.xz) xz -dc "$modsrc/$rel" > "$dst" ;;
		*) cp "$modsrc/$rel" "$dst" ;;
		esac
		echo "/lib/modules/${dst#"$stage"/lib/modules/}" >> "$stage/etc/modules.order"
	done
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0) > "$out.tmp"
mv "$out.tmp" "$out"
