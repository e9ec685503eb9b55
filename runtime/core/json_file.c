// SPDX-License-Identifier: GPL-2.0
/* A JSON document written over a file (json_file.h). */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "json_file.h"

int lio_json_file_replace(const json_t *j, const char *path, mode_t mode,
			  char *why, size_t whylen)
{
	char tmp[4096];
	int fd, ret = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		snprintf(why, whylen, "%s: %s", path, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	errno = 0;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0 || json_dumpfd(j, fd, JSON_INDENT(2) | JSON_ENSURE_ASCII) ||
	    write(fd, "\n", 1) != 1 || fsync(fd))
		ret = errno ? -errno : -EIO;
	if (fd >= 0 && close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		snprintf(why, whylen, "%s: %s", fd < 0 ? tmp : path, strerror(-ret));
		unlink(tmp);
	}
	return ret;
}
