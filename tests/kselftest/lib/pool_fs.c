// SPDX-License-Identifier: GPL-2.0
/* A file system for a pool in the test VM (pool_fs.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pool_fs.h"

/* mkfs.ext4 on the device, quietly: 0 or -EIO. */
static int pool_fs_mkfs(const char *dev)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (!pid) {
		execlp("mkfs.ext4", "mkfs.ext4", "-q", "-F", "-E",
		       "lazy_itable_init=0,lazy_journal_init=0", dev, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -errno;
	return WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : -EIO;
}

int pool_fs_create(struct pool_fs *p, uint64_t size)
{
	bool made = false;
	int err;

	p->dir[0] = 0;
	err = backing_create(&p->bk, size, 512);
	if (err)
		return err;
	err = pool_fs_mkfs(p->bk.path);
	strcpy(p->dir, "/tmp/leapio-pool-XXXXXX");
	if (!err) {
		made = mkdtemp(p->dir) != NULL;
		err = made ? 0 : -errno;
	}
	if (!err && mount(p->bk.path, p->dir, "ext4", 0, NULL))
		err = -errno;
	if (err) {
		if (made)
			rmdir(p->dir);
		p->dir[0] = 0;
		backing_destroy(&p->bk);
	}
	return err;
}

void pool_fs_destroy(struct pool_fs *p)
{
	if (!p->dir[0])
		return;
	umount2(p->dir, MNT_DETACH);
	rmdir(p->dir);
	p->dir[0] = 0;
	backing_destroy(&p->bk);
}
