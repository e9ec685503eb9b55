// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl_client.h"

/* A change may connect a remote drive: seconds under TCG. */
#define CTL_TIMEOUT_MS	30000

int ctl_call(const char *path, const char *method, const char *params,
	     char *buf, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char req[4096];
	size_t have = 0;
	int fd, n, ret = -ETIMEDOUT;

	if (strlen(path) >= sizeof(sa.sun_path) || len < 2)
		return -EINVAL;
	strcpy(sa.sun_path, path);
	n = snprintf(req, sizeof(req), "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"%s\"%s%s}\n",
		     method, params ? ", \"params\": " : "", params ? params : "");
	if (n < 0 || (size_t)n >= sizeof(req))
		return -E2BIG;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    send(fd, req, n, MSG_NOSIGNAL) != n) {
		ret = -errno;
		goto out;
	}
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t got;
		char *nl;

		if (poll(&p, 1, CTL_TIMEOUT_MS) <= 0)
			break;
		got = recv(fd, buf + have, len - 1 - have, 0);
		if (got <= 0) {
			ret = got ? -errno : -ECONNRESET;
			break;
		}
		have += got;
		buf[have] = '\0';
		nl = strchr(buf, '\n');
		if (nl) {
			*nl = '\0';
			ret = 0;
			break;
		}
		if (have == len - 1) {
			ret = -EMSGSIZE;
			break;
		}
	}
out:
	close(fd);
	return ret;
}
