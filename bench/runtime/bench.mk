# The runtime benchmark (not part of make check): make bench-runtime.
BRT_OUT		:= build/bench
BRT_CFLAGS	:= -std=gnu11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
		   -Wno-unused-parameter -Icommon/env -I.
BRT_SRCS	:= $(filter-out runtime/main.c,$(sort $(shell find runtime -name '*.c'))) \
		   $(wildcard common/nvme/*.c common/leapio/*.c) \
		   tests/unit-rt/fake_host.c tests/lib/nvme_build.c

$(BRT_OUT)/bench_rt: bench/runtime/bench_rt.c $(BRT_SRCS) $(shell find runtime tests/unit-rt tests/lib -name '*.h')
	@mkdir -p $(@D)
	$(CC) $(BRT_CFLAGS) -o $@ bench/runtime/bench_rt.c $(BRT_SRCS) -luring -ljansson -lnvme -lsystemd -lpthread

bench-runtime: $(BRT_OUT)/bench_rt
	bench/runtime/run.sh $(BRT_OUT)/bench_rt

.PHONY: bench-runtime
