# leapioctl, the operator's command line (included from the top Makefile;
# part of plain `make`). It links leapiod's objects but main.c: a vdev is
# parsed by leapiod's own --vdev parser. Binary: tools/leapioctl/leapioctl.

LCTL_DIR	:= tools/leapioctl
LCTL_OUT	:= build/tools/leapioctl
LCTL_BIN	:= $(LCTL_DIR)/leapioctl
LCTL_SRCS	:= $(wildcard $(LCTL_DIR)/*.c)
LCTL_OBJS	:= $(patsubst $(LCTL_DIR)/%.c,$(LCTL_OUT)/%.o,$(LCTL_SRCS))
LCTL_RT_OBJS	= $(filter-out %/runtime/main.o,$(RT_OBJS))

ifneq ($(wildcard runtime/core/*.c),)
all: $(LCTL_BIN)
endif

$(LCTL_OUT)/%.o: $(LCTL_DIR)/%.c
	@mkdir -p $(@D)
	$(CC) $(RT_CFLAGS) -c -o $@ $<

$(LCTL_BIN): $(LCTL_OBJS) $(LCTL_RT_OBJS)
	$(CC) -o $@ $^ $(RT_LDLIBS)

leapioctl: $(LCTL_BIN)

-include $(LCTL_OBJS:.o=.d)

leapioctl-clean:
	rm -rf $(LCTL_OUT) $(LCTL_BIN)

clean: leapioctl-clean

.PHONY: leapioctl leapioctl-clean
