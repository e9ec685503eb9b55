#!/bin/bash
# Unpack the ELF vmlinux from a bzImage:
#   tests/vm/extract-vmlinux.sh <bzImage> <out>
# QEMU boots an ELF vmlinux through its PVH entry (CONFIG_PVH, set in both
# Debian kernels) with no decompression in the guest: nested under TCG the
# 6.1 kernel's xz unpacking alone costs tens of seconds of each L2 boot.
# The payload's place comes from the boot protocol's setup header: the
# protected-mode part starts after (setup_sects + 1) sectors, and
# payload_offset/payload_length (at 0x248/0x24c) locate the compressed
# kernel inside it.
set -euo pipefail

bz=$1 out=$2
le() { od -An -t u"$2" -j "$1" -N "$2" "$bz" | tr -d ' '; }

setup_sects=$(le 0x1f1 1)
[ "$setup_sects" = 0 ] && setup_sects=4
off=$(( (setup_sects + 1) * 512 + $(le 0x248 4) ))
len=$(le 0x24c 4)

# The last 4 bytes of the payload are the unpacked size, not compressed data.
payload() { dd if="$bz" iflag=skip_bytes,count_bytes skip="$off" count="$((len - 4))" bs=1M status=none; }
case $(payload | od -An -t x1 -N 4 | tr -d ' ') in
fd377a58) payload | xz -dc > "$out.tmp" ;;
28b52ffd) payload | zstd -qdc > "$out.tmp" ;;
1f8b*)    payload | gzip -dc > "$out.tmp" ;;
*) echo "extract-vmlinux: unknown compression in $bz" >&2; exit 1 ;;
esac
[ "$(head -c 4 "$out.tmp" | od -An -t x1 | tr -d ' ')" = 7f454c46 ] ||
	{ echo "extract-vmlinux: $bz did not unpack to an ELF" >&2; rm -f "$out.tmp"; exit 1; }
mv "$out.tmp" "$out"
