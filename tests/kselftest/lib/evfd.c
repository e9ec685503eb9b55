// SPDX-License-Identifier: GPL-2.0
/* eventfds standing for interrupt lines; see evfd.h. */
#include <errno.h>
#include <poll.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "evfd.h"
#include "clock.h"

int evfd_new(void)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int64_t evfd_take(int fd)
{
	uint64_t count;
	ssize_t n;

	n = read(fd, &count, sizeof(count));
	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	if (n != sizeof(count))
		return -EIO;
	return (int64_t)count;
}

int64_t evfd_wait(int fd, int timeout_ms)
{
	int64_t deadline = mono_ms() + timeout_ms, left;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int ret;

	for (;;) {
		left = deadline - mono_ms();
		if (left < 0)
			left = 0;
		ret = poll(&p, 1, (int)left);
		if (ret < 0 && errno != EINTR)
			return -errno;
		if (ret > 0)
			return evfd_take(fd);
		if (ret == 0 || left == 0)
			return 0;
	}
}

void evfd_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}
