#!/bin/bash
# Sourced by l1-main.sh, leapio_host unloaded: the module DKMS built from
# the leapio-dkms package (tests/pkg/deb-install.sh kept it under
# build/deb/dkms/$KVER) loaded as an installed module is, by name with
# modprobe, which brings what it needs (vfio_virqfd on 6.1: what insmod
# of a bare file does not), then used and unloaded. L1's root is this
# machine's, read only: the module tree modprobe reads is built under
# /tmp, with DKMS's modules and the kernel's modules they need (their
# closure, tests/vm/mod-closure.sh: depmod of the whole tree takes
# minutes under TCG). l1-main.sh runs with set -e: every command that
# may fail here says what then.
l1_dkms_check() {
	local dk=$LEAPIO_TOP/build/deb/dkms/$KVER mr=/tmp/dkms-root m ver got uuid out
	local f

	ver=$(sed -n 's/^#define LEAPIO_VERSION\t*"\(.*\)"/\1/p' \
		"$LEAPIO_TOP/common/leapio/version.h") || true
	if ! ls "$dk"/leapio_host.ko* > /dev/null 2>&1; then
		tap 0 "the module DKMS built from leapio-dkms, loaded" \
			"no $dk/leapio_host.ko* (make deb-check makes it)"
		return
	fi
	m=$(modinfo -F depends "$(ls "$dk"/leapio_host.ko* | head -n 1)" | tr ',' ' ') || true
	tap "$(ok_if l1_dkms_modroot "$mr")" "depmod with the DKMS module in updates/dkms"
	# What it depends on unloaded first (the earlier steps loaded it), so
	# that modprobe has to bring it.
	modprobe -r -a vfio_iommu_type1 $m 2> /dev/null || true
	out=$(modprobe -d "$mr" -n -v leapio_host 2>&1) || true
	tap "$(ok_if modprobe -d "$mr" leapio_host)" \
		"modprobe leapio_host: the DKMS module and what it depends on" "$out"
	for f in $m; do
		tap "$(ok_if test -d "/sys/module/$f")" "... which loaded $f"
	done
	got=$(cat /sys/module/leapio_host/version 2>&1) || true
	tap_is "the loaded leapio_host is version $ver" "$got" "$ver"
	tap_is "... and the DKMS build (srcversion)" \
		"$(cat /sys/module/leapio_host/srcversion 2>&1)" \
		"$(modinfo -F srcversion "$(ls "$dk"/leapio_host.ko* | head -n 1)" 2>&1)"
	out=$("$LEAPIO_TOP/tools/leapioctl/leapioctl" mdev create leapio-1q ns_size=16M 2>&1) || true
	uuid=$(head -n 1 <<< "$out")
	tap "$(ok_if test -e "/sys/bus/mdev/devices/$uuid/leapio/ns_size")" \
		"leapioctl mdev create on the DKMS module" "$out"
	tap "$(ok_if "$LEAPIO_TOP/tools/leapioctl/leapioctl" mdev remove "$uuid")" \
		"leapioctl mdev remove"
	tap "$(ok_if modprobe -d "$mr" -r leapio_host)" "modprobe -r leapio_host"
}
