// SPDX-License-Identifier: GPL-2.0
/* ivshmem-server's shared memory file, listening socket and pid file. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "setup.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int ivs_shm_open(const char *path, uint64_t size, char *err, size_t errlen)
{
	struct stat st;
	int fd, e;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return fail(err, errlen, "memory file %s: %s", path, strerror(errno));
	if (fstat(fd, &st)) {
		e = errno;
		close(fd);
		return fail(err, errlen, "memory file %s: %s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return fail(err, errlen, "memory file %s: not a regular file", path);
	}
	if (ftruncate(fd, (off_t)size)) {
		e = errno;
		close(fd);
		return fail(err, errlen, "memory file %s: cannot set its size to %llu: %s",
			    path, (unsigned long long)size, strerror(e));
	}
	return fd;
}

/* Whether a server answers on the socket file at addr. */
static int answers(const struct sockaddr_un *addr)
{
	int s, ret;

	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	ret = connect(s, (const struct sockaddr *)addr, sizeof(*addr)) ? -errno : 1;
	close(s);
	return ret == -ECONNREFUSED ? 0 : ret;
}

int ivs_listen(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct stat st;
	int s, e, r;

	if (strlen(path) >= sizeof(addr.sun_path))
		return fail(err, errlen, "socket %s: path longer than %zu bytes",
			    path, sizeof(addr.sun_path) - 1);
	strcpy(addr.sun_path, path);

	if (!lstat(path, &st)) {
		if (!S_ISSOCK(st.st_mode))
			return fail(err, errlen, "socket %s: exists and is not a socket", path);
		r = answers(&addr);
		if (r == 1)
			return fail(err, errlen, "socket %s: in use by a running server", path);
		if (r < 0)
			return fail(err, errlen, "socket %s: cannot tell whether it is in use: %s",
				    path, strerror(-r));
		if (unlink(path) && errno != ENOENT)
			return fail(err, errlen, "socket %s: cannot remove the stale socket: %s",
				    path, strerror(errno));
	} else if (errno != ENOENT) {
		return fail(err, errlen, "socket %s: %s", path, strerror(errno));
	}

	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0)
		return fail(err, errlen, "socket %s: %s", path, strerror(errno));
	if (bind(s, (struct sockaddr *)&addr, sizeof(addr)) || listen(s, 16)) {
		e = errno;
		close(s);
		return fail(err, errlen, "socket %s: %s", path, strerror(e));
	}
	return s;
}

int ivs_pidfile_open(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return fail(err, errlen, "pid file %s: %s", path, strerror(errno));
	return fd;
}

int ivs_pidfile_write(int fd, pid_t pid)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)pid);
	int ret;

	errno = 0;
	ret = write(fd, buf, (size_t)n) == n ? 0 : (errno ? -errno : -EIO);
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}
