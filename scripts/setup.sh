#!/bin/bash
# Install everything LeapIO builds and tests with, on Debian 12, as root.
#   scripts/setup.sh              install (apt-get update first)
#   scripts/setup.sh --if-needed  only if a package below is missing
set -euo pipefail

PKGS=(
	build-essential make gcc libc6-dev bc kmod cpio xz-utils zstd
	linux-headers-amd64 linux-image-amd64
	linux-headers-6.12-amd64 linux-image-6.12-amd64
	linux-source-6.1 linux-source-6.12
	qemu-system-x86 qemu-utils busybox-static
	nvme-cli fio pciutils sparse perl python3 clang libfuzzer-14-dev
	liburing-dev libjansson-dev libnvme-dev
)

missing() {
	local p
	for p in "${PKGS[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || echo "$p"
	done
}

if [ "${1:-}" = --if-needed ] && [ -z "$(missing)" ]; then
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "setup: needs root to apt-get install: $(missing | tr '\n' ' ')" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${PKGS[@]}"
