# kselftest-harness tests of leapio_host.ko, run as root inside the rig's
# host VM (L1) by tests/kselftest/run.sh (included from the top Makefile).
# Every tests/kselftest/test_*.c is one binary linked with the VFIO client
# library in tests/kselftest/lib/. Built here, run in L1 from the same path
# (L1's root is this machine's root over 9p).
#
# -Wno-unused-parameter: the harness's TEST_F functions all receive
# _metadata, self and variant, and most tests use only some of them.
# Test files also get -Wno-sign-compare: the harness compares expected and
# seen with their own types, and ASSERT_EQ(0, unsigned value) is its idiom.
# The library keeps the warning. Test files are built at -O0: the harness
# reads locals after longjmp() that are not volatile (gcc's -Wclobbered
# flags them at -O2), and only unoptimised code keeps them in memory.

KSFT_OUT	:= build/kselftest
KSFT_KSRC	:= build/ksrc-6.12
KSFT_CFLAGS	:= -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
		   -DLIO_ENV_UAPI_INTS -Icommon/env -Itests/kselftest/lib \
		   -I$(KSFT_KSRC)/tools/testing/selftests
KSFT_TEST_CFLAGS := $(KSFT_CFLAGS) -O0 -Wno-sign-compare
# tests/lib/: the SQE builders the three test drivers share, built here
# with the client's lio_env.h.
KSFT_LIB_SRC	:= $(wildcard tests/kselftest/lib/*.c tests/lib/*.c)
KSFT_LIB_OBJ	:= $(patsubst %.c,$(KSFT_OUT)/lib/%.o,$(notdir $(KSFT_LIB_SRC)))
KSFT_HDRS	:= $(wildcard tests/kselftest/*.h tests/kselftest/lib/*.h \
		   common/env/*.h tests/lib/*.h common/nvme/*.h uapi/linux/*.h)
KSFT_TESTS	:= $(patsubst tests/kselftest/%.c,$(KSFT_OUT)/%,$(wildcard tests/kselftest/test_*.c))

$(KSFT_OUT)/lib/%.o: tests/kselftest/lib/%.c $(KSFT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(KSFT_CFLAGS) -c -o $@ $<

$(KSFT_OUT)/lib/%.o: tests/lib/%.c $(KSFT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(KSFT_CFLAGS) -c -o $@ $<

# -MMD: a test_card_<set>.c or test_remote_<set>.c is built from the set's
# own .c, which it includes; the dependency file says so.
$(KSFT_OUT)/%: tests/kselftest/%.c $(KSFT_LIB_OBJ) $(KSFT_HDRS) $(KSFT_KSRC)/.stamp \
		tests/kselftest/kselftest.mk
	@mkdir -p $(@D)
	$(CC) $(KSFT_TEST_CFLAGS) -MMD -MP -MF $@.d -MT $@ -o $@ $< $(KSFT_LIB_OBJ)

-include $(KSFT_TESTS:=.d)

# Objects only named in pattern rules would be deleted as intermediates.
.SECONDARY: $(KSFT_LIB_OBJ)

kselftest-build: $(KSFT_TESTS)

.PHONY: kselftest-build

# The kselftests alone in an L1 VM of one kernel (the rig's `make vm-test`
# runs them too, with the nested guest): TAP in build/results/.
KSFT_VM_OUT	 = build/results/kselftest-$(KVER)

kselftest-vm: kselftest-build kmod
	tests/vm/run-l1.sh $(KVER) tests/kselftest/l1.sh $(KSFT_VM_OUT)
	@grep -E '^(not )?ok ' $(KSFT_VM_OUT)/kselftest.tap || true

.PHONY: kselftest-vm
