// SPDX-License-Identifier: GPL-2.0
/* A call made from a thread, and where in the kernel it waits. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "blocked_call.h"
#include "clock.h"

static void *blocked_call_main(void *p)
{
	struct blocked_call *bc = p;

	__atomic_store_n(&bc->tid, gettid(), __ATOMIC_RELEASE);
	bc->ret = bc->fn(bc->arg);
	__atomic_store_n(&bc->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

int blocked_call_start(struct blocked_call *bc)
{
	bc->tid = 0;
	bc->done = 0;
	return -pthread_create(&bc->th, NULL, blocked_call_main, bc);
}

int blocked_call_join(struct blocked_call *bc)
{
	return -pthread_join(bc->th, NULL);
}

bool blocked_call_done(struct blocked_call *bc)
{
	return __atomic_load_n(&bc->done, __ATOMIC_ACQUIRE);
}

int blocked_call_in(struct blocked_call *bc, const char *wchan,
		    unsigned int timeout_ms)
{
	int64_t t0 = mono_ms();
	char path[64], seen[64];
	ssize_t len;
	pid_t tid;
	int fd;

	while (mono_ms() - t0 <= timeout_ms) {
		if (blocked_call_done(bc))
			return -EALREADY;
		tid = __atomic_load_n(&bc->tid, __ATOMIC_ACQUIRE);
		if (tid) {
			snprintf(path, sizeof(path), "/proc/self/task/%d/wchan", tid);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				return -errno;
			len = read(fd, seen, sizeof(seen) - 1);
			close(fd);
			if (len > 0) {
				seen[len] = 0;
				if (!strcmp(seen, wchan))
					return 0;
			}
		}
		usleep(1000);
	}
	return -ETIMEDOUT;
}
