# Tests of tools/ (included from the top Makefile): `make unit-tools`.
# Every tests/tools/test_*.c is one kselftest-harness binary linked with
# ivshmem-server's sources but main.c; the integration tests start the
# server built with the same sanitizers (UT_SERVER, so LeakSanitizer
# checks the server too), and qemu_ivshmem.sh has QEMU's ivshmem-doorbell
# device connect to it. TAP into build/results/unit-tools.tap.

UT_OUT		:= build/unit-tools
UT_SAN		:= -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer
UT_CFLAGS	:= -std=gnu11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror $(UT_SAN)
UT_SERVER	:= $(UT_OUT)/ivshmem-server
UT_SRV_SRCS	:= $(wildcard tools/ivshmem-server/*.c)
UT_SRV_HDRS	:= $(wildcard tools/ivshmem-server/*.h)
UT_TESTS	:= $(patsubst tests/tools/%.c,$(UT_OUT)/%,$(wildcard tests/tools/test_*.c))

$(UT_SERVER): $(UT_SRV_SRCS) $(UT_SRV_HDRS)
	@mkdir -p $(@D)
	$(CC) $(UT_CFLAGS) -o $@ $(UT_SRV_SRCS)

$(UT_OUT)/%: tests/tools/%.c $(UT_SERVER) $(UT_SRV_SRCS) $(UT_SRV_HDRS) \
		tests/lib/lio_harness.h $(KSRC_UNIT)/.stamp
	@mkdir -p $(@D)
	$(CC) $(UT_CFLAGS) -Wno-unused-parameter -Wno-missing-field-initializers \
		-I$(KSRC_UNIT)/tools/testing/selftests \
		-DIVS_SERVER_BIN='"$(abspath $(UT_SERVER))"' \
		-o $@ $< $(filter-out %/main.c,$(UT_SRV_SRCS))

unit-tools-build: $(UT_TESTS) $(UT_SERVER)

unit-tools: unit-tools-build
	@mkdir -p build/results
	@( rc=0; for t in $(UT_TESTS); do \
		echo "# $$t"; $$t || rc=1; \
	done; echo "# tests/tools/qemu_ivshmem.sh"; \
	tests/tools/qemu_ivshmem.sh $(UT_SERVER) || rc=1; \
	exit $$rc ) 2>&1 | tee build/results/unit-tools.tap; \
	exit $${PIPESTATUS[0]}

.PHONY: unit-tools unit-tools-build
