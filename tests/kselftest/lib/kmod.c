// SPDX-License-Identifier: GPL-2.0
/* Kernel modules by system call; see kmod.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kmod.h"
#include "mdev_sysfs.h"

int kmod_load(const char *path, const char *params)
{
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, params ? params : "", 0) < 0)
		err = -errno;
	close(fd);
	return err;
}

int kmod_unload(const char *name)
{
	/* O_NONBLOCK: fail at once while the module is in use, rather than
	 * wait for its users (an open mdev) to go away.
	 */
	return syscall(SYS_delete_module, name, O_NONBLOCK) < 0 ? -errno : 0;
}

bool kmod_loaded(const char *name)
{
	char path[PATH_MAX], state[32];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return sysfs_read(path, state, sizeof(state)) == 0 &&
	       !strcmp(state, "live");
}

int kmod_param(const char *name, const char *param, long *val)
{
	char path[PATH_MAX], buf[64], *end;
	int err;

	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", name, param);
	err = sysfs_read(path, buf, sizeof(buf));
	if (err)
		return err;
	errno = 0;
	*val = strtol(buf, &end, 0);
	if (errno)
		return -errno;
	return end == buf || *end ? -EINVAL : 0;
}
