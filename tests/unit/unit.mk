# User-space unit tests of the pure logic (included from the top Makefile).
# Every tests/unit/test_*.c is one kselftest-harness binary linked with all
# pure sources (kernel/host/vctrl/*.c, common/nvme/*.c) and the fake guest.

UNIT_OUT	:= build/unit
UNIT_CFLAGS	:= -std=gnu11 -O1 -g -Wall -Wextra -Werror \
		   -Wno-unused-parameter -Wno-missing-field-initializers \
		   -Wno-clobbered \
		   -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer \
		   -Icommon/env -I$(KSRC_UNIT)/tools/testing/selftests
UNIT_PURE	:= $(wildcard kernel/host/vctrl/*.c common/nvme/*.c common/leapio/*.c)
UNIT_SUPPORT	:= tests/unit/fake_guest.c tests/lib/nvme_build.c
UNIT_TESTS	:= $(patsubst tests/unit/%.c,$(UNIT_OUT)/%,$(wildcard tests/unit/test_*.c))
UNIT_HDRS	:= $(wildcard kernel/host/vctrl/*.h common/nvme/*.h common/leapio/*.h uapi/linux/*.h tests/unit/*.h tests/lib/*.h common/env/*.h)

# The shared sources compiled once, linked whole into every test.
UNIT_OBJS	:= $(patsubst %.c,$(UNIT_OUT)/lib/%.o,$(UNIT_PURE) $(UNIT_SUPPORT))

$(UNIT_OUT)/lib/%.o: %.c $(UNIT_HDRS) $(KSRC_UNIT)/.stamp
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) -c -o $@ $<

# The test file itself at -O0: the harness keeps a local it changes after
# setjmp() (the forked child's pid) in a register at -O1, and a failed
# ASSERT's longjmp() then makes the child skip FIXTURE_TEARDOWN.
$(UNIT_OUT)/%: tests/unit/%.c $(UNIT_OBJS) $(UNIT_HDRS) $(KSRC_UNIT)/.stamp
	@mkdir -p $(@D)/obj
	$(CC) $(UNIT_CFLAGS) -O0 -c -o $(@D)/obj/$(@F).o $<
	$(CC) $(UNIT_CFLAGS) -o $@ $(@D)/obj/$(@F).o $(UNIT_OBJS)

unit-build: $(UNIT_TESTS)

# Each binary prints TAP; the summary counts it.
unit: unit-build
	@mkdir -p build/results
	@( rc=0; for t in $(UNIT_TESTS); do \
		echo "# $$t"; $$t || rc=1; \
	done; exit $$rc ) 2>&1 | tee build/results/unit.tap; \
	exit $${PIPESTATUS[0]}

.PHONY: unit unit-build
