# The emulated card (included from tests/vm/vm.mk): L1 with the card's
# windows, the arm64 kit and cross builds, the card VM.
# Documentation/dev-tools/testing.rst, "The emulated card".
#   make kselftest-vm-card [KVER=<v>] [LEAPIO_KSFT_TESTS="test_a test_b"]
#                           the kselftests in an L1 that has the card's
#                           devices (tests/vm/card/run-l1-card.sh)
#   make vm-card-test [KVER=<v>]  the same L1 as make check's, with the
#                           nested guest on a card-served drive
#   make arm64-kit          unpack the arm64 kernels, headers, busybox and
#                           libraries once (cached outside the tree)
#   make arm64              leapiod, leapio_soc.ko (both arm64 kernels) and
#                           the rig's card tools, cross-built, in build/arm64/
#   make card-smoke [KVER=<v>]  L1 and the card VM: windows, doorbells, SSD
#   make card-smoke-loop [KVER=<v>]  the windows and doorbells in one L1
#                           (the card side played in L1 itself)

KSFT_CARD_OUT	 = build/results/kselftest-card-$(KVER)
# ivshmem-server.mk's IVS_BIN, named here: that file is read after this one.
CARD_IVS	:= build/tools/ivshmem-server/ivshmem-server

kselftest-vm-card: kselftest-build kmod $(CARD_IVS)
	tests/vm/card/run-l1-card.sh $(KVER) tests/kselftest/l1.sh $(KSFT_CARD_OUT)
	@grep -E '^(not )?ok ' $(KSFT_CARD_OUT)/kselftest.tap || true

.PHONY: kselftest-vm-card

# make check's loopback-card L1 (tests/vm/card/l1-card-check.sh) with its
# nested guest, which make check leaves out (tests/vm/check.sh, l2_sets):
# the check plan on a card-served drive, hand-overs during its fio.
#   make vm-card-test [KVER=<v>] [LEAPIO_KSFT_TESTS="test_card_io ..."]
vm-card-test: kselftest-build kmod $(CARD_IVS) $(VM_IMG)/vmlinux $(VM_IMG)/l2-check.cpio
	LEAPIO_L2_SETS=card tests/vm/card/run-l1-card.sh $(KVER) tests/vm/card/l1-card-check.sh \
		build/results/vm-card-$(KVER)
	tests/summary.sh build/results/vm-card-$(KVER)

.PHONY: vm-card-test

# ---- the rig's own card tools, x86 (L1) ----
CARD_OUT	 = build/card
CARD_CFLAGS	:= -std=gnu11 -O2 -g -Wall -Wextra -Werror

$(CARD_OUT)/x86_64/card-smoke: tests/vm/card/card-smoke.c
	@mkdir -p $(@D)
	$(CC) $(CARD_CFLAGS) -o $@ $<

# card_dbell.ko (tests/vm/card/kmod/) for L1's kernel, in its own copy.
card-kmod:
	@test -n "$(KVER)" -a -d "$(KDIR)" || { echo "card-kmod: no headers for '$(KVER)'" >&2; exit 1; }
	@mkdir -p $(CARD_OUT)/kmod/$(KVER)
	@cp -p tests/vm/card/kmod/* $(CARD_OUT)/kmod/$(KVER)/
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(CARD_OUT)/kmod/$(KVER) modules

.PHONY: card-kmod

# ---- arm64 ----
arm64-kit:
	@tests/vm/card/arm64-kit.sh

# The kit may take minutes the first time; then a make of its own that
# knows where it is (tests/vm/card/arm64.mk).
arm64:
	@kit=$$(tests/vm/card/arm64-kit.sh) && \
	$(MAKE) --no-print-directory -f tests/vm/card/arm64.mk ARM64_KIT=$$kit \
		arm64-leapiod arm64-kmods arm64-tools

.PHONY: arm64-kit arm64

# ---- smoke tests ----
# The windows and doorbells with both sides in one L1 (the loopback
# devices 00:11.0 and 00:12.0 play the card).
card-smoke-loop: card-kmod $(CARD_OUT)/x86_64/card-smoke $(CARD_IVS)
	tests/vm/card/run-l1-card.sh $(KVER) tests/vm/card/l1-smoke-loop.sh \
		build/results/card-smoke-loop-$(KVER)
	tests/summary.sh build/results/card-smoke-loop-$(KVER)

.PHONY: card-smoke-loop

# L1 and the card VM together (tests/vm/card/run-pair.sh): a pattern at
# L1 physical addresses on both sides of 4 GiB read by the card through
# its host-DRAM window, a value the card writes into card DRAM read by
# L1, a doorbell each way, the card's SSD. The card runs the arm64 kernel
# of L1's ABI (KVER with -arm64 for -amd64).
CARD_KVER	 = $(KVER:-amd64=-arm64)

card-smoke: card-kmod $(CARD_OUT)/x86_64/card-smoke $(CARD_IVS) arm64
	tests/vm/card/run-pair.sh $(KVER) tests/vm/card/l1-smoke-pair.sh \
		$(CARD_KVER) tests/vm/card/card-smoke-card.sh build/results/card-smoke-$(KVER)
	tests/summary.sh build/results/card-smoke-$(KVER)

.PHONY: card-smoke

# ---- the card serving a nested guest ----
# L1 creates a vdev whose region is in card DRAM and hands it to the card
# VM's arm64 leapiod (card mode, the card's own SSD behind it); a nested
# guest in L1 runs the stock nvme driver, nvme-cli and fio on it; no
# leapiod runs on L1 (tests/vm/card/l1-soc-l2.sh, card-soc-serve.sh).
# card-l2 also kills the card's leapiod during the first fio and starts
# it again, then resets the card (leapio_soc_faults=1, LEAPIO_CARD_RESETS),
# and hands the vdev to a host leapiod in L1 and back during the second.
#   make card-l2 [KVER=<v>]   the check plan, judged (check-l2.sh), TAP
#   make demo-soc [KVER=<v>]  the demo plan, shown live, then the proofs
CARD_L2_DEPS	 = kmod $(VM_IMG)/vmlinux $(VM_IMG)/l2-soc.cpio $(CARD_IVS) arm64
# Nested under TCG beside the card VM the guest is slower than make
# check's (its l2-run.sh bound is 480 s).
CARD_L2_TIMEOUT	 = 1200
# The card's SSD throttled under card-l2: each I/O of the card's leapiod
# stays at the SSD long enough that a kill -9 finds commands in flight
# (the guest, TCG in TCG, is otherwise far slower than the card's SSD,
# and the journal is mostly empty).
CARD_L2_SSD_IOPS = 50

# CARD_L2_FAULTS=0: no kills and no reset, the guest's first fio once;
# L1 is told so on its command line (leapio_soc_faults=0). The SSD stays
# throttled: the hand-overs need the second fio to last. make check asks
# the faults of one kernel (tests/vm/check.sh).
CARD_L2_FAULTS	?= 1
ifeq ($(CARD_L2_FAULTS),1)
CARD_L2_ENV	 = LEAPIO_CARD_APPEND=leapio_soc_faults=1 LEAPIO_CARD_RESETS=1
else ifeq ($(CARD_L2_FAULTS),0)
CARD_L2_ENV	 = LEAPIO_L1_APPEND=leapio_soc_faults=0
else
CARD_L2_ENV	 = $(error CARD_L2_FAULTS is 0 or 1, not '$(CARD_L2_FAULTS)')
endif

card-l2: $(CARD_L2_DEPS)
	@rm -rf build/results/card-l2-$(KVER)
	LEAPIO_L2_TIMEOUT=$(CARD_L2_TIMEOUT) $(CARD_L2_ENV) \
		LEAPIO_CARD_SSD_OPTS=throttling.iops-total=$(CARD_L2_SSD_IOPS) \
		tests/vm/card/run-pair.sh $(KVER) tests/vm/card/l1-soc-l2.sh \
		$(CARD_KVER) tests/vm/card/card-soc-serve.sh build/results/card-l2-$(KVER)
	tests/summary.sh build/results/card-l2-$(KVER)

# L1's console live (the nested guest's commands and what they printed),
# the card's console and leapiod's log after; the TAP verdicts last.
demo-soc: $(CARD_L2_DEPS)
	@rm -rf build/demo-soc/$(KVER)
	@LEAPIO_VM_TTY=1 LEAPIO_L1_APPEND="quiet leapio_soc_plan=demo" \
		LEAPIO_L2_TIMEOUT=$(CARD_L2_TIMEOUT) \
		tests/vm/card/run-pair.sh $(KVER) tests/vm/card/l1-soc-l2.sh \
		$(CARD_KVER) tests/vm/card/card-soc-serve.sh build/demo-soc/$(KVER) || \
		{ tests/summary.sh build/demo-soc/$(KVER); exit 1; }
	@tests/summary.sh build/demo-soc/$(KVER)

.PHONY: card-l2 demo-soc

# ---- the card VM serving the kselftests ----
# The data path kselftests with the card serving (run.sh --card-vm-list)
# in L1 against the aarch64 card VM: each test's leapiod is the card's
# arm64 build, started and stopped by the card's agent; backends are
# slices of the card's SSD (tests/vm/card/l1-card-vm-ksft.sh,
# card-agent.sh, tests/kselftest/lib/card_vm.h).
#   make card-ksft [KVER=<v>] [LEAPIO_KSFT_TESTS="test_card_io ..."]
card-ksft: kselftest-build kmod $(CARD_IVS) arm64
	@rm -rf build/results/card-ksft-$(KVER)
	tests/vm/card/run-pair.sh $(KVER) tests/vm/card/l1-card-vm-ksft.sh \
		$(CARD_KVER) tests/vm/card/card-agent.sh build/results/card-ksft-$(KVER)
	tests/summary.sh build/results/card-ksft-$(KVER)

.PHONY: card-ksft

# The nested guest's initramfs for the pair, with its own plan
# (tests/vm/card/l2-plan-soc), made as vm.mk makes the others.
build/vm/%/l2-soc.cpio: tests/vm/card/l2-plan-soc $(VM_INITRAMFS_DEPS) /lib/modules/%/modules.dep /usr/bin/fio
	@mkdir -p $(@D)
	tests/vm/mk-initramfs.sh $* tests/vm/init-l2.sh $@ -m nvme \
		-b /usr/sbin/nvme -b /usr/bin/fio -f $<:/etc/l2-plan

# ---- benchmark (not part of make check) ----
# make bench-soc-tax [KVER=<v>]: the storage tax on L1, host mode against
# card mode, the same fio job in a nested guest (bench/soc-tax/,
# Documentation/benchmarks.rst).
build/vm/%/l2-tax.cpio: bench/soc-tax/l2-plan-tax $(VM_INITRAMFS_DEPS) /lib/modules/%/modules.dep /usr/bin/fio
	@mkdir -p $(@D)
	tests/vm/mk-initramfs.sh $* tests/vm/init-l2.sh $@ -m nvme \
		-b /usr/bin/fio -f $<:/etc/l2-plan

SOC_TAX_OUT	 = build/bench/soc-tax-$(KVER)

bench-soc-tax: kmod $(VM_IMG)/vmlinux $(VM_IMG)/l2-tax.cpio $(CARD_IVS) arm64
	@rm -rf $(SOC_TAX_OUT)
	LEAPIO_L1_CHECKERS=0 LEAPIO_L2_TIMEOUT=$(CARD_L2_TIMEOUT) \
		tests/vm/card/run-pair.sh $(KVER) bench/soc-tax/l1-soc-tax.sh \
		$(CARD_KVER) tests/vm/card/card-soc-serve.sh $(SOC_TAX_OUT) || true
	@bench/soc-tax/report.py $(SOC_TAX_OUT) | tee $(SOC_TAX_OUT)/report.txt

.PHONY: bench-soc-tax
