#!/bin/bash
# Install everything LeapIO builds and tests with, on Debian 12, as root.
#   scripts/setup.sh              install (apt-get update first)
#   scripts/setup.sh --if-needed  only if a package below is missing
set -euo pipefail

PKGS=(
	build-essential make gcc libc6-dev bc kmod cpio xz-utils zstd
	# the debug kernel (tests/vm/debug-kernel.sh)
	flex bison libelf-dev libssl-dev patch
	linux-headers-amd64 linux-image-amd64
	linux-headers-6.12-amd64 linux-image-6.12-amd64
	linux-source-6.1 linux-source-6.12
	qemu-system-x86 qemu-utils busybox-static
	nvme-cli fio pciutils sparse perl python3 clang libfuzzer-14-dev
	# clang's sanitizer and libFuzzer runtimes: only a Recommends of clang.
	libclang-rt-14-dev
	liburing-dev libjansson-dev libnvme-dev
	# leapiod under systemd (Type=notify, the watchdog)
	libsystemd-dev
	# the Debian packages (make deb) and DKMS; man pages from the rst
	debhelper dh-dkms dkms lintian python3-docutils
	# persistent mdevs (the mdevctl call-out, tests/vm/l1-mdevctl.sh)
	mdevctl
	# leapiod.service under a real systemd (L1 boots it: tests/vm/l1-systemd.sh);
	# its ExecReload runs /bin/kill (the leapiod package depends on procps)
	systemd procps
	# remote drives (tests/kselftest/lib/nvmet.c): network namespaces,
	# the veth pair, soft-RoCE links
	iproute2
	# the emulated card (tests/vm/card/): its VM, cross builds for arm64;
	# the arm64 kernels and libraries are unpacked, not installed
	# (tests/vm/card/arm64-kit.sh), from the arm64 APT lists
	qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross
)

missing() {
	local p
	for p in "${PKGS[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || echo "$p"
	done
	dpkg --print-foreign-architectures | grep -qx arm64 || echo "arm64 (dpkg architecture)"
}

if [ "${1:-}" = --if-needed ] && [ -z "$(missing)" ]; then
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "setup: needs root to apt-get install: $(missing | tr '\n' ' ')" >&2
	exit 1
fi

# The 6.12 kernel and the current 6.1 ABI come from the security suite. An
# installed Debian 12 has it in its APT sources; a root made by debootstrap
# does not: add it, from the mirror the main suite already comes from.
security_suite() {
	local uri list=/etc/apt/sources.list.d/leapio-bookworm-security.list
	[ -n "$(apt-cache madison linux-image-6.12-amd64 2>/dev/null)" ] && return 0
	# (Some of these files may not exist: no pipefail verdict from cat.)
	uri=$({ cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null || true; } |
		sed -nE 's,^(deb(\s+\[[^]]*\])?|URIs:)\s+(\S+/debian)/?(\s.*)?$,\3,p' |
		head -n 1)
	if [ -z "$uri" ]; then
		echo "setup: no APT source of Debian's main archive to derive bookworm-security from" >&2
		return 1
	fi
	echo "setup: adding bookworm-security ($uri-security) to the APT sources"
	echo "deb $uri-security bookworm-security main" > "$list"
	apt-get update -q
}

export DEBIAN_FRONTEND=noninteractive
dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
apt-get update -q
security_suite
apt-get install -y -q --no-install-recommends "${PKGS[@]}"
