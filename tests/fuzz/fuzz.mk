# libFuzzer targets over what a guest, a runtime or an administrator can
# put in front of the code (user-space builds of the pure logic). `make
# fuzz` builds them and runs each for a bounded number of inputs
# (FUZZ_RUNS, at most FUZZ_TIME seconds), as a smoke test inside `make
# check`; `make fuzz FUZZ_SECONDS=3600` fuzzes every target for real, that
# many seconds each, one after the other.
FUZZ_OUT	:= build/fuzz
FUZZ_RUNS	?= 5000
FUZZ_TIME	?= 30
# Fewer inputs in the smoke for fuzz_rt, which builds a fresh fake host
# per input (tens of ms), and for the targets added after it (config,
# --vdev, region, control), to keep `make check` bounded (about a minute on the
# 2-core CI machine); FUZZ_RUNS given on the
# command line sets them all.
FUZZ_CLI_RUNS	:= $(filter command line,$(origin FUZZ_RUNS))
FUZZ_RUNS_fuzz_rt ?= $(if $(FUZZ_CLI_RUNS),$(FUZZ_RUNS),200)
FUZZ_RUNS_small	?= $(if $(FUZZ_CLI_RUNS),$(FUZZ_RUNS),3000)
FUZZ_SECONDS	?=
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
	clang $(FUZZ_CFLAGS) -D_GNU_SOURCE -I. -o $@ $< $(FUZZ_RT_SRCS) -luring -ljansson -lnvme -lsystemd -lpthread

# leapiod's configuration: the JSON file and --vdev arguments.
FUZZ_CFG_SRCS	:= $(sort $(wildcard runtime/config/*.c runtime/backend/*.c runtime/fabrics/*.c)) runtime/card/window.c runtime/core/log.c \
		   runtime/core/state_dir.c
$(FUZZ_OUT)/fuzz_config $(FUZZ_OUT)/fuzz_vdev_arg: $(FUZZ_OUT)/%: tests/fuzz/%.c $(FUZZ_CFG_SRCS) $(shell find runtime -name '*.h')
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -D_GNU_SOURCE -I. -o $@ $< $(FUZZ_CFG_SRCS) -luring -ljansson -lnvme

# The control socket's stream and methods, over the configuration code.
FUZZ_CTL_SRCS	:= $(FUZZ_CFG_SRCS) $(wildcard runtime/control/rpc.c runtime/control/methods.c \
		   runtime/control/stats_json.c runtime/core/hist.c runtime/core/json_file.c)
$(FUZZ_OUT)/fuzz_control: tests/fuzz/fuzz_control.c $(FUZZ_CTL_SRCS) $(shell find runtime -name '*.h')
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -D_GNU_SOURCE -I. -o $@ $< $(FUZZ_CTL_SRCS) -luring -ljansson -lnvme

fuzz-build: $(FUZZ_TARGETS)

# One TAP line per target: ok when libFuzzer finished its runs clean
# (tests/fuzz/smoke.sh: as many targets at once as cores, unless
# FUZZ_SECONDS).
fuzz: fuzz-build
	@mkdir -p build/results $(FUZZ_OUT)/corpus
	@FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_RUNS_fuzz_rt=$(FUZZ_RUNS_fuzz_rt) \
		FUZZ_RUNS_small=$(FUZZ_RUNS_small) FUZZ_TIME=$(FUZZ_TIME) \
		FUZZ_SECONDS=$(FUZZ_SECONDS) \
		tests/fuzz/smoke.sh $(FUZZ_OUT)/corpus $(FUZZ_TARGETS) | \
		tee build/results/fuzz.tap; exit $${PIPESTATUS[0]}

.PHONY: fuzz fuzz-build
