# libFuzzer targets over the guest-controlled parsers (user-space build of
# the pure logic). `make fuzz` builds them and runs each for a bounded
# number of inputs, as a smoke test inside `make check`; `make fuzz
# FUZZ_RUNS=-1 FUZZ_TIME=600` fuzzes for real.
FUZZ_OUT	:= build/fuzz
FUZZ_RUNS	?= 20000
FUZZ_TIME	?= 120
FUZZ_CFLAGS	:= -std=gnu11 -O1 -g -Wall -Wextra -Werror \
		   -Wno-unused-parameter -Wno-missing-field-initializers \
		   -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		   -Icommon/env
FUZZ_TARGETS	:= $(patsubst tests/fuzz/%.c,$(FUZZ_OUT)/%,$(wildcard tests/fuzz/fuzz_*.c))

$(FUZZ_OUT)/%: tests/fuzz/%.c $(UNIT_PURE) $(UNIT_SUPPORT) $(UNIT_HDRS)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -o $@ $< $(UNIT_PURE) $(UNIT_SUPPORT)

# leapiod's core, with the unit tests' fake host and backend.
FUZZ_RT_SRCS	:= $(filter-out runtime/main.c,$(sort $(shell find runtime -name '*.c'))) \
		   $(wildcard common/nvme/*.c common/leapio/*.c) \
		   tests/unit-rt/fake_host.c tests/lib/nvme_build.c
$(FUZZ_OUT)/fuzz_rt: tests/fuzz/fuzz_rt.c $(FUZZ_RT_SRCS) $(shell find runtime tests/unit-rt tests/lib -name '*.h')
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -D_GNU_SOURCE -I. -o $@ $< $(FUZZ_RT_SRCS) -luring -ljansson -lpthread

fuzz-build: $(FUZZ_TARGETS)

# One TAP line per target: ok when libFuzzer finished its runs clean.
fuzz: fuzz-build
	@mkdir -p build/results $(FUZZ_OUT)/corpus
	@( n=0; rc=0; echo "TAP version 13"; echo "1..$(words $(FUZZ_TARGETS))"; \
	for t in $(FUZZ_TARGETS); do n=$$((n+1)); \
		c=$(FUZZ_OUT)/corpus/$$(basename $$t); mkdir -p $$c; \
		if $$t -runs=$(FUZZ_RUNS) -max_total_time=$(FUZZ_TIME) -max_len=4096 \
			$$c tests/fuzz/seeds/$$(basename $$t) > $$t.log 2>&1; \
		then echo "ok $$n $$(basename $$t)"; \
		else echo "not ok $$n $$(basename $$t) # see $$t.log"; rc=1; fi; \
	done; exit $$rc ) | tee build/results/fuzz.tap; exit $${PIPESTATUS[0]}

.PHONY: fuzz fuzz-build
