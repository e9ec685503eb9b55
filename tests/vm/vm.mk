# The QEMU rig (included from the top Makefile): per-kernel module builds,
# the VM tests, `make check` and `make demo`. See Documentation/dev-tools/
# testing.rst.
#   make kmod [KVER=<v>]    build/kmod/<v>/kernel/host/leapio_host.ko
#   make kmod-all           the module for both Debian kernels
#   make vm-test [KVER=<v>] L1 (kselftests) + L2 (stock nvme driver) on one kernel
#   make check              everything, both kernels; last line "N passed, N failed"
#   make demo [KVER=<v>]    boot L1 and a guest, show what nvme-cli and fio see

KMOD_OUT	 = build/kmod/$(KVER)

# Each kernel builds in its own copy of the sources: Kbuild writes objects
# beside them, so one tree would mix 6.1 and 6.12 objects.
# KDIR= builds for a kernel that is not installed (the debug kernel,
# tests/vm/check-debug.sh); KVER then names its release.
kmod:
	@test -n "$(KVER)" -a -d "$(KDIR)" || { echo "kmod: no headers for '$(KVER)' at '$(KDIR)': run make setup (as root), or set KVER=" >&2; exit 1; }
	@tests/vm/kmod-sync.sh $(CURDIR) $(KMOD_OUT)
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(KMOD_OUT) modules

# Every required kernel (scripts/kvers.sh), looked up when this runs.
kmod-all:
	@set -e; kvers=$$(scripts/kvers.sh); \
	for v in $$kvers; do $(MAKE) --no-print-directory kmod KVER=$$v; done

.PHONY: kmod kmod-all

# ---- images ----
# Nested-guest initramfs: busybox, nvme-cli and fio and exactly their
# libraries, nvme.ko and its dependencies. Built here on the host,
# since L1 sees this tree read-only.
VM_IMG		 = build/vm/$(KVER)
# A kernel or nvme-cli update rebuilds them too.
VM_INITRAMFS_DEPS := tests/vm/mk-initramfs.sh tests/vm/mod-closure.sh tests/vm/init-l2.sh \
		     /usr/sbin/nvme

build/vm/%/l2-check.cpio: tests/vm/l2-plan-check $(VM_INITRAMFS_DEPS) /lib/modules/%/modules.dep /usr/bin/fio
	@mkdir -p $(@D)
	tests/vm/mk-initramfs.sh $* tests/vm/init-l2.sh $@ -m nvme \
		-b /usr/sbin/nvme -b /usr/bin/fio -f $<:/etc/l2-plan

build/vm/%/l2-demo.cpio: tests/vm/l2-plan-demo $(VM_INITRAMFS_DEPS) /lib/modules/%/modules.dep /usr/bin/fio
	@mkdir -p $(@D)
	tests/vm/mk-initramfs.sh $* tests/vm/init-l2.sh $@ -m nvme \
		-b /usr/sbin/nvme -b /usr/bin/fio -f $<:/etc/l2-plan

build/vm/%/l2-remote.cpio: tests/vm/l2-plan-remote $(VM_INITRAMFS_DEPS) /lib/modules/%/modules.dep /usr/bin/fio
	@mkdir -p $(@D)
	tests/vm/mk-initramfs.sh $* tests/vm/init-l2.sh $@ -m nvme \
		-b /usr/sbin/nvme -b /usr/bin/fio -f $<:/etc/l2-plan

build/vm/%/vmlinux: tests/vm/extract-vmlinux.sh /boot/vmlinuz-%
	@mkdir -p $(@D)
	tests/vm/extract-vmlinux.sh /boot/vmlinuz-$* $@

vm-images: $(VM_IMG)/vmlinux $(VM_IMG)/l2-check.cpio $(VM_IMG)/l2-demo.cpio \
	   $(VM_IMG)/l2-remote.cpio

.PHONY: vm-images

# ---- tests ----
VM_OUT		 = build/results/vm-$(KVER)

# The kselftest binaries run in L1 come from the host's build.
vm-test: kmod vm-images $(if $(wildcard tests/kselftest/kselftest.mk),kselftest-build)
	tests/vm/run-l1.sh $(KVER) tests/vm/l1-main.sh $(VM_OUT)
	tests/summary.sh $(VM_OUT)

# leapiod.service as shipped, under a real systemd: L1 booted with systemd
# as init (tests/vm/l1-systemd.sh). Not the host's fstab, nor its network
# (the unit wants network-online.target for remote drives: masked here).
# Then the walk-through's reboot: two boots of one host whose disk,
# mdevctl definitions and units live in SYSTEMD_STATE (tests/vm/
# l1-reboot.sh; the module DKMS built comes from make deb-check). Every
# boot runs whatever the one before did; the TAP files tell.
SYSTEMD_OUT	= build/results/systemd-$(KVER)
SYSTEMD_STATE	= build/vm/reboot-state-$(KVER)
SYSTEMD_L1	= LEAPIO_L1_INIT=systemd \
	LEAPIO_L1_APPEND="systemd.unit=leapio-l1.target fstab=0 systemd.mask=network-online.target systemd.show_status=0"
systemd-test: kmod runtime/leapiod leapioctl kselftest-build
	-$(SYSTEMD_L1) tests/vm/run-l1.sh $(KVER) tests/vm/l1-systemd.sh $(SYSTEMD_OUT)
	rm -rf $(SYSTEMD_STATE) $(SYSTEMD_OUT)/reboot-*
	mkdir -p $(SYSTEMD_STATE)
	truncate -s 16M $(SYSTEMD_STATE)/disk.img
	-$(SYSTEMD_L1) LEAPIO_L1_STATE=$(SYSTEMD_STATE) \
		tests/vm/run-l1.sh $(KVER) tests/vm/l1-reboot.sh $(SYSTEMD_OUT)/reboot-1
	-$(SYSTEMD_L1) LEAPIO_L1_STATE=$(SYSTEMD_STATE) \
		tests/vm/run-l1.sh $(KVER) tests/vm/l1-reboot.sh $(SYSTEMD_OUT)/reboot-2
	tests/summary.sh $(SYSTEMD_OUT)

.PHONY: systemd-test

# The rig's own test: the nested guest and its checker against QEMU's
# emulated NVMe controller, no LeapIO module involved.
vm-selftest: vm-images
	tests/vm/run-l1.sh $(KVER) tests/vm/l1-standin.sh build/results/vm-selftest-$(KVER)
	tests/summary.sh build/results/vm-selftest-$(KVER)

# check.sh installs what is missing, then finds the kernels itself.
check:
	@tests/vm/check.sh

# The kselftests and the L1 stages on the rig's debug kernel (KASAN,
# UBSAN, kmemleak, lockdep; built once, cached: tests/vm/debug-kernel.sh).
check-debug:
	@tests/vm/check-debug.sh

# Install first, then a new make that finds the kernels just installed.
demo:
	@scripts/setup.sh --if-needed
	@$(MAKE) --no-print-directory demo-run

demo-run: kmod vm-images
	@LEAPIO_VM_TTY=1 LEAPIO_L1_APPEND=quiet \
		tests/vm/run-l1.sh $(KVER) tests/vm/l1-demo.sh build/demo/$(KVER)

.PHONY: vm-test vm-selftest check check-debug demo demo-run

# ---- benchmark (not part of make check) ----
# make bench-e2e [KVER=<v>]: the same fio job in a nested guest through
# LeapIO, QEMU's emulated NVMe and virtio-blk, on one backing device; the
# table and ratios on stdout (Documentation/benchmarks.rst).
build/vm/%/l2-bench.cpio: bench/e2e/l2-plan-bench $(VM_INITRAMFS_DEPS) /lib/modules/%/modules.dep /usr/bin/fio
	@mkdir -p $(@D)
	tests/vm/mk-initramfs.sh $* tests/vm/init-l2.sh $@ -m nvme -m virtio_pci -m virtio_blk \
		-b /usr/bin/fio -f $<:/etc/l2-plan

BENCH_OUT	 = build/bench/e2e-$(KVER)

bench-e2e: kmod $(VM_IMG)/vmlinux $(VM_IMG)/l2-bench.cpio
	LEAPIO_L1_CHECKERS=0 LEAPIO_L1_TIMEOUT=2400 tests/vm/run-l1.sh $(KVER) bench/e2e/l1-bench.sh $(BENCH_OUT) || true
	@bench/e2e/report.py $(BENCH_OUT) | tee $(BENCH_OUT)/report.txt

.PHONY: bench-e2e

# The emulated card: L1 with its windows, the arm64 kit, the card VM.
include tests/vm/card/card.mk
