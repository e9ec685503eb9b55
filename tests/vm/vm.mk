# The QEMU rig (included from the top Makefile): per-kernel module builds,
# the VM tests, `make check` and `make demo`. See Documentation/dev-tools/
# testing.rst.
#   make kmod [KVER=<v>]    build/kmod/<v>/kernel/host/leapio_host.ko
#   make kmod-all           the module for both Debian kernels
#   make vm-test [KVER=<v>] L1 (kselftests) + L2 (stock nvme driver) on one kernel
#   make check              everything, both kernels; last line "N passed, N failed"
#   make demo [KVER=<v>]    boot L1 and a guest, show what nvme-cli and fio see

VM_KVERS	:= $(KVER_61) $(KVER_612)
KMOD_OUT	 = build/kmod/$(KVER)

# Each kernel builds in its own copy of the sources: Kbuild writes objects
# beside them, so one tree would mix 6.1 and 6.12 objects.
kmod: setup-if-needed
	@test -d /lib/modules/$(KVER)/build || { echo "kmod: no headers for '$(KVER)'" >&2; exit 1; }
	@tests/vm/kmod-sync.sh $(CURDIR) $(KMOD_OUT)
	$(MAKE) -C /lib/modules/$(KVER)/build M=$(CURDIR)/$(KMOD_OUT) modules

kmod-all:
	@set -e; for v in $(VM_KVERS); do $(MAKE) --no-print-directory kmod KVER=$$v; done

.PHONY: kmod kmod-all
