# LeapIO top-level Makefile.
#   make [KVER=<version> | KDIR=<dir>]   modules (+ user space, when present)
#   make setup                           install what builds and tests need
#   make check                           every test, both Debian kernels
#   make demo                            boot host VM + guest, show nvme-cli/fio
SHELL		:= /bin/bash
.DEFAULT_GOAL	:= all

# Debian's 6.1 kernel is the default target; the running kernel of these
# machines has no headers, so it is never a sensible default.
KVER_61		:= $(notdir $(firstword $(wildcard /lib/modules/6.1.*-amd64)))
KVER_612	:= $(notdir $(firstword $(wildcard /lib/modules/6.12.*-amd64 /lib/modules/6.12.*+deb12-amd64)))
KVER		?= $(KVER_61)
KDIR		?= /lib/modules/$(KVER)/build

# Kernel sources (harness, checkpatch) come from Debian's linux-source.
KSRC_VER	?= 6.12
KSRC_UNIT	:= build/ksrc-$(KSRC_VER)

all: modules

build/ksrc-%/.stamp:
	scripts/ksrc.sh $* build/ksrc-$*

# ---- kernel modules ----
modules: setup-if-needed
	@test -d "$(KDIR)" || { echo "no kernel headers at $(KDIR): set KVER= or KDIR=, or run make setup" >&2; exit 1; }
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

# ---- setup ----
setup:
	scripts/setup.sh

# Run setup only when a stamp of it is missing or older than the script.
setup-if-needed:
	@scripts/setup.sh --if-needed

clean: modules-clean
	rm -rf build

.PHONY: all modules modules-clean setup setup-if-needed clean
