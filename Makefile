# LeapIO top-level Makefile.
#   make [KVER=<version> | KDIR=<dir>]   modules (+ user space, when present)
#   make setup                           install what builds and tests need (root)
#   make check                           install what is missing, then every
#                                        test, both Debian kernels
#   make demo                            install what is missing, then boot
#                                        host VM + guest, show nvme-cli/fio
SHELL		:= /bin/bash
.DEFAULT_GOAL	:= all

# Debian's 6.1 kernel is the default target; the running kernel of these
# machines has no headers, so it is never a sensible default. The kernels
# are looked up (scripts/kvers.sh) when a rule first needs one, and once:
# `make check` and `make demo` install them first and only then start the
# make that looks (a list taken before the install would be empty).
KVER		?= $(eval KVER := $(shell scripts/kvers.sh --default 2>/dev/null))$(KVER)
KDIR		?= /lib/modules/$(KVER)/build

# Kernel sources (harness, checkpatch) come from Debian's linux-source.
KSRC_VER	?= 6.12
KSRC_UNIT	:= build/ksrc-$(KSRC_VER)

all: modules arm64-if-kit

# The card's arm64 build (leapiod and leapio_soc.ko, tests/vm/card/arm64.mk)
# is part of every make once its kit exists (`make arm64` or `make check`
# makes it, fetching arm64 packages): a plain make never downloads.
arm64-if-kit:
	@kit=$$(tests/vm/card/arm64-kit.sh --print-dir 2>/dev/null || true); \
	if [ -n "$$kit" ]; then \
		$(MAKE) --no-print-directory -f tests/vm/card/arm64.mk \
			ARM64_KIT=$$kit arm64-leapiod arm64-kmods; \
	else \
		echo "make: no arm64 kit yet: make arm64 builds the card's arm64 leapiod and leapio_soc.ko"; \
	fi

.PHONY: arm64-if-kit

build/ksrc-%/.stamp:
	scripts/ksrc.sh $* build/ksrc-$*

# ---- kernel modules ----
# Plain `make` builds only: it never installs (that is `make setup`, as
# root), so it works as any user once the packages are there.
modules:
	@test -d "$(KDIR)" || { scripts/kvers.sh --default >/dev/null || true; \
		echo "no kernel headers at '$(KDIR)': run make setup (as root), or set KVER= or KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

modules-clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean

include tests/unit/unit.mk
-include tests/vm/vm.mk
-include scripts/style.mk
include tests/fuzz/fuzz.mk
-include tests/kselftest/kselftest.mk
-include runtime/runtime.mk
-include tests/unit-rt/rt.mk
-include bench/runtime/bench.mk
-include bench/remote/remote.mk
-include bench/copy/copy.mk
include tools/ivshmem-server/ivshmem-server.mk
include tools/leapioctl/leapioctl.mk
include tests/tools/tools.mk
include dist/dist.mk

# ---- setup ----
setup:
	scripts/setup.sh

# Run setup only when a package it installs is missing.
setup-if-needed:
	@scripts/setup.sh --if-needed

clean: modules-clean
	rm -rf build

.PHONY: all modules modules-clean setup setup-if-needed clean
