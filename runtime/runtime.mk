# leapiod, the user-space data path (included from the top Makefile).
# Built from every runtime/**/*.c and the pure logic it shares with the
# module (common/); objects under build/runtime/, the binary in place at
# runtime/leapiod, where the test rig and the kselftests look for it.

RT_OUT		:= build/runtime
RT_BIN		:= runtime/leapiod
RT_CFLAGS	:= -std=gnu11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
		   -Icommon/env -I. -MMD -MP
RT_LDLIBS	:= -luring -ljansson -lnvme -lsystemd -lpthread
RT_SRCS		:= $(sort $(shell find runtime -name '*.c')) \
		   $(wildcard common/nvme/*.c common/leapio/*.c)
RT_OBJS		:= $(patsubst %.c,$(RT_OUT)/%.o,$(RT_SRCS))

# Part of plain `make` once the core exists: until runtime/core/ has its
# sources, linking would fail for everyone building the module.
ifneq ($(wildcard runtime/core/*.c),)
all: $(RT_BIN)
endif

$(RT_OUT)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(RT_CFLAGS) -c -o $@ $<

$(RT_BIN): $(RT_OBJS)
	$(CC) -o $@ $^ $(RT_LDLIBS)

-include $(RT_OBJS:.o=.d)

runtime-clean:
	rm -rf $(RT_OUT) $(RT_BIN)

clean: runtime-clean

.PHONY: runtime-clean
