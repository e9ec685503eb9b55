# leapiod's unit tests (included from the top Makefile). Every
# tests/unit-rt/test_*.c is one kselftest-harness binary linked with the
# runtime's sources (all but main.c), the pure logic it shares with the
# module, and the tests' own fakes (tests/unit-rt/fake_*.c); ASan and
# UBSan on.

URT_OUT		:= build/unit-rt
URT_CFLAGS	:= -std=gnu11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror \
		   -Wno-unused-parameter -Wno-missing-field-initializers -Wno-clobbered -Wno-sign-compare \
		   -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer \
		   -Icommon/env -I. -I$(KSRC_UNIT)/tools/testing/selftests
URT_SRCS	:= $(filter-out runtime/main.c,$(sort $(shell find runtime -name '*.c'))) \
		   $(wildcard common/nvme/*.c common/leapio/*.c) \
		   $(wildcard tests/unit-rt/fake_*.c) tests/lib/nvme_build.c \
		   $(filter-out %/main.c,$(wildcard tools/leapioctl/*.c))
URT_HDRS	:= $(shell find runtime common uapi tests/unit-rt tests/lib tools/leapioctl \
			-name '*.h')
URT_TESTS	:= $(patsubst tests/unit-rt/%.c,$(URT_OUT)/%,$(wildcard tests/unit-rt/test_*.c))

# The shared sources compiled once (ASan makes each compile slow; every
# test binary recompiling all of them cost minutes of make check), the
# objects linked whole into each test, as the sources were before.
URT_OBJS	:= $(patsubst %.c,$(URT_OUT)/lib/%.o,$(URT_SRCS))

$(URT_OUT)/lib/%.o: %.c $(URT_HDRS) $(KSRC_UNIT)/.stamp
	@mkdir -p $(@D)
	$(CC) $(URT_CFLAGS) -c -o $@ $<

# The test file at -O0, as tests/unit/unit.mk says why.
$(URT_OUT)/%: tests/unit-rt/%.c $(URT_OBJS) $(URT_HDRS) $(KSRC_UNIT)/.stamp
	@mkdir -p $(@D)/obj
	$(CC) $(URT_CFLAGS) -O0 -c -o $(@D)/obj/$(@F).o $<
	$(CC) $(URT_CFLAGS) -o $@ $(@D)/obj/$(@F).o $(URT_OBJS) -luring -ljansson -lnvme -lsystemd -lpthread

unit-rt-build: $(URT_TESTS)

# Each binary prints TAP; the summary counts it. writer_shared.sh checks
# that the module and the fake host link one region writer.
# leapioctl_cli.sh runs both binaries. leapioctl by its path: its
# makefile is included after this one, so $(LCTL_BIN) is empty here.
unit-rt: unit-rt-build $(RT_BIN) tools/leapioctl/leapioctl
	@mkdir -p build/results
	@( rc=0; for t in $(URT_TESTS) tests/unit-rt/writer_shared.sh \
			tests/unit-rt/core_includes.sh tests/unit-rt/leapioctl_cli.sh; do \
		echo "# $$t"; $$t || rc=1; \
	done; exit $$rc ) 2>&1 | tee build/results/unit-rt.tap; \
	exit $${PIPESTATUS[0]}

.PHONY: unit-rt unit-rt-build
