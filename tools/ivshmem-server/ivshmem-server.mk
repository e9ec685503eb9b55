# ivshmem-server, the project's own server for QEMU's ivshmem-doorbell
# devices (included from the top Makefile; part of plain `make`). Objects
# and the binary under build/tools/ivshmem-server/.

IVS_DIR		:= tools/ivshmem-server
IVS_OUT		:= build/tools/ivshmem-server
IVS_BIN		:= $(IVS_OUT)/ivshmem-server
IVS_CFLAGS	:= -std=gnu11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -MMD -MP
IVS_SRCS	:= $(wildcard $(IVS_DIR)/*.c)
IVS_OBJS	:= $(patsubst $(IVS_DIR)/%.c,$(IVS_OUT)/%.o,$(IVS_SRCS))

all: $(IVS_BIN)

$(IVS_OUT)/%.o: $(IVS_DIR)/%.c
	@mkdir -p $(@D)
	$(CC) $(IVS_CFLAGS) -c -o $@ $<

$(IVS_BIN): $(IVS_OBJS)
	$(CC) -o $@ $^

ivshmem-server: $(IVS_BIN)

-include $(IVS_OBJS:.o=.d)

ivshmem-server-clean:
	rm -rf $(IVS_OUT)

clean: ivshmem-server-clean

.PHONY: ivshmem-server ivshmem-server-clean
