# The card's arm64 builds, run by card.mk as
#   make -f tests/vm/card/arm64.mk ARM64_KIT=<tests/vm/card/arm64-kit.sh's dir> <target>
# (a make of its own: it reads runtime/runtime.mk's source list, which the
# top Makefile includes only after the rig's makefiles).
#   arm64-leapiod   build/arm64/leapiod: leapiod's sources (runtime.mk's
#                   RT_SRCS, RT_CFLAGS), cross-compiled, linked statically
#                   with the kit's liburing and jansson, without libnvme
#                   (LIO_NO_LIBNVME: no remote drives) and libsystemd
#                   (LIO_NO_SYSTEMD: no service manager on the card VM):
#                   the card VM runs it with no library beside it
#   arm64-kmods     for each arm64 kernel of the kit: kernel/soc's
#                   leapio_soc.ko and the rig's card_dbell.ko, under
#                   build/arm64/kmod/<kver>/
#   arm64-tools     build/arm64/card-smoke (static)
SHELL		:= /bin/bash
include runtime/runtime.mk

ifeq ($(ARM64_KIT),)
$(error ARM64_KIT is not set: run this through make arm64)
endif

CROSS		:= aarch64-linux-gnu-
ARM64_OUT	:= build/arm64
ARM64_SYSROOT	:= $(ARM64_KIT)/root
ARM64_KVERS	:= $(shell cat $(ARM64_KIT)/kvers)
ARM64_CFLAGS	:= $(filter-out -MMD -MP,$(RT_CFLAGS)) -MMD -MP -DLIO_NO_LIBNVME -DLIO_NO_SYSTEMD \
		   -isystem $(ARM64_SYSROOT)/usr/include
ARM64_LDFLAGS	:= -static -L$(ARM64_SYSROOT)/usr/lib/aarch64-linux-gnu

ARM64_RT_OBJS	:= $(patsubst %.c,$(ARM64_OUT)/%.o,$(RT_SRCS))

$(ARM64_OUT)/%.o: %.c
	@mkdir -p $(@D)
	$(CROSS)gcc $(ARM64_CFLAGS) -c -o $@ $<

$(ARM64_OUT)/leapiod: $(ARM64_RT_OBJS)
	$(CROSS)gcc $(ARM64_LDFLAGS) -o $@ $^ $(filter-out -lnvme -lsystemd,$(RT_LDLIBS))

-include $(ARM64_RT_OBJS:.o=.d)

arm64-leapiod: $(ARM64_OUT)/leapiod

$(ARM64_OUT)/card-smoke: tests/vm/card/card-smoke.c
	@mkdir -p $(@D)
	$(CROSS)gcc -static -std=gnu11 -O2 -Wall -Wextra -Werror -o $@ $<

arm64-tools: $(ARM64_OUT)/card-smoke

# Kbuild writes beside the sources: each kernel builds in its own copy,
# kernel/soc alone. The copy takes sources only (times kept, so Kbuild
# rebuilds what changed): objects and a leapio_soc.mod.c (the x86
# kernel's symbol versions) that an in-tree build left beside them would
# be taken for this build's.
ARM64_KSRC	:= $(shell find Kbuild kernel common uapi -type f \( -name '*.[ch]' ! -name '*.mod.c' \
		     -o -name Kbuild -o -name '*.include' -o -name Makefile \))

arm64-kmods:
	@set -e; for k in $(ARM64_KVERS); do \
		d=$(CURDIR)/$(ARM64_OUT)/kmod/$$k; \
		mkdir -p $$d/card_dbell; \
		cp -p -u --parents -t $$d $(ARM64_KSRC); \
		cp -p -u -t $$d/card_dbell tests/vm/card/kmod/*; \
		for m in kernel/soc card_dbell; do \
			$(MAKE) ARCH=arm64 CROSS_COMPILE=$(CROSS) \
				-C $(ARM64_SYSROOT)/usr/src/linux-headers-$$k M=$$d/$$m modules; \
		done; \
	done

.PHONY: arm64-leapiod arm64-kmods arm64-tools
