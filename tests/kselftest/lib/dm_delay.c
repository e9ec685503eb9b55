// SPDX-License-Identifier: GPL-2.0
/* A device-mapper delay device that holds I/O on request; see dm_delay.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/dm-ioctl.h>
#include <linux/fs.h>

#include "dm_delay.h"

#define DM_CTL_PATH	"/dev/mapper/control"
/* An ioctl's header and payload: a table line or a status line. */
#define DM_BUF_SIZE	4096

/* The ioctl header with payload room, aligned as the kernel reads it. */
union dm_buf {
	struct dm_ioctl	io;
	uint64_t	align;
	char		bytes[DM_BUF_SIZE];
};

/* Interface version 4.0: any 4.x kernel takes it (6.1 has 4.47). */
static void dm_init_hdr(union dm_buf *b, const struct dm_delay *d,
			size_t payload)
{
	memset(b, 0, sizeof(*b));
	b->io.version[0] = DM_VERSION_MAJOR;
	b->io.data_start = sizeof(struct dm_ioctl);
	b->io.data_size = (uint32_t)(sizeof(struct dm_ioctl) + payload);
	snprintf(b->io.name, sizeof(b->io.name), "%s", d->name);
}

static int dm_ioctl(struct dm_delay *d, unsigned long cmd, union dm_buf *b)
{
	return ioctl(d->ctl, cmd, &b->io) ? -errno : 0;
}

/* modprobe dm-delay (and dm-mod with it): 0 or -ENODEV. */
static int dm_delay_module(void)
{
	int status;
	pid_t pid;

	if (!access("/sys/module/dm_delay", F_OK))
		return 0;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		execlp("modprobe", "modprobe", "-q", "dm-delay", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -ENODEV;
}

/* Load a delay table of read_ms / write_ms and make it live. */
static int dm_delay_table(struct dm_delay *d, unsigned int read_ms,
			  unsigned int write_ms)
{
	union dm_buf b;
	struct dm_target_spec *t;
	char *params;
	size_t room, len;
	int n, err;

	dm_init_hdr(&b, d, 0);
	t = (struct dm_target_spec *)(b.bytes + b.io.data_start);
	params = (char *)(t + 1);
	room = sizeof(b) - (size_t)(params - b.bytes);
	/* "<dev> <off> <delay>" for reads, the same again for writes. */
	n = snprintf(params, room, "%s 0 %u %s 0 %u", d->under, read_ms,
		     d->under, write_ms);
	if (n < 0 || (size_t)n >= room)
		return -ENAMETOOLONG;
	len = sizeof(*t) + (size_t)n + 1;
	t->sector_start = 0;
	t->length = d->sectors;
	snprintf(t->target_type, sizeof(t->target_type), "delay");
	b.io.data_size = (uint32_t)(b.io.data_start + len);
	b.io.target_count = 1;
	err = dm_ioctl(d, DM_TABLE_LOAD, &b);
	if (err)
		return err;
	/*
	 * Resume swaps the loaded table in. It suspends first, and that
	 * suspend makes the old table's delay target send what it holds
	 * and waits until every request of the device has completed.
	 */
	dm_init_hdr(&b, d, 0);
	b.io.flags = DM_SKIP_LOCKFS_FLAG;
	return dm_ioctl(d, DM_DEV_SUSPEND, &b);
}

int dm_delay_create(struct dm_delay *d, const char *under_path)
{
	static unsigned int seq;
	union dm_buf b;
	struct stat st;
	uint64_t bytes = 0;
	int fd, err;

	memset(d, 0, sizeof(*d));
	d->ctl = -1;
	fd = open(under_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = fstat(fd, &st) ? -errno : 0;
	if (!err && !S_ISBLK(st.st_mode))
		err = -ENOTBLK;
	if (!err && ioctl(fd, BLKGETSIZE64, &bytes))
		err = -errno;
	close(fd);
	if (err)
		return err;
	if (!bytes || bytes % 512)
		return -EINVAL;
	d->sectors = bytes / 512;
	snprintf(d->under, sizeof(d->under), "%u:%u", major(st.st_rdev),
		 minor(st.st_rdev));
	snprintf(d->name, sizeof(d->name), "leapio-ksft-%d-%u", (int)getpid(),
		 seq++);

	err = dm_delay_module();
	if (err)
		return err;
	d->ctl = open(DM_CTL_PATH, O_RDWR | O_CLOEXEC);
	if (d->ctl < 0)
		return errno == ENOENT ? -ENODEV : -errno;
	dm_init_hdr(&b, d, 0);
	err = dm_ioctl(d, DM_DEV_CREATE, &b);
	if (err)
		goto fail;
	d->created = true;
	snprintf(d->path, sizeof(d->path), "/dev/dm-%u",
		 minor((dev_t)b.io.dev));
	/* The first table adds the disk; devtmpfs has its node on return. */
	err = dm_delay_table(d, 0, 0);
	if (!err && stat(d->path, &st))
		err = -errno;
	if (!err && (!S_ISBLK(st.st_mode) || st.st_rdev != (dev_t)b.io.dev))
		err = -ENODEV;
	if (err)
		goto fail;
	return 0;
fail:
	dm_delay_destroy(d);
	return err;
}

int dm_delay_hold(struct dm_delay *d, bool reads, bool writes)
{
	return dm_delay_table(d, reads ? DM_DELAY_HOLD_MS : 0,
			      writes ? DM_DELAY_HOLD_MS : 0);
}

int dm_delay_release(struct dm_delay *d)
{
	return dm_delay_table(d, 0, 0);
}

int dm_delay_held(struct dm_delay *d, unsigned int *reads,
		  unsigned int *writes)
{
	union dm_buf b;
	struct dm_target_spec *t;
	unsigned int r, w, f;
	int err;

	dm_init_hdr(&b, d, sizeof(b) - sizeof(struct dm_ioctl));
	err = dm_ioctl(d, DM_TABLE_STATUS, &b);
	if (err)
		return err;
	if ((b.io.flags & DM_BUFFER_FULL_FLAG) || b.io.target_count != 1 ||
	    b.io.data_start + sizeof(*t) >= sizeof(b))
		return -EIO;
	t = (struct dm_target_spec *)(b.bytes + b.io.data_start);
	b.bytes[sizeof(b) - 1] = 0;
	/* The target's own count of what it holds: reads, writes, flushes. */
	if (strcmp(t->target_type, "delay") ||
	    sscanf((char *)(t + 1), "%u %u %u", &r, &w, &f) != 3)
		return -EIO;
	*reads = r;
	*writes = w + f;
	return 0;
}

int dm_delay_destroy(struct dm_delay *d)
{
	union dm_buf b;
	int err = 0, err2;

	if (d->ctl < 0)
		return 0;
	if (d->created) {
		err = dm_delay_release(d);
		/*
		 * Deferred: gone once its last opener is (a leapiod's
		 * io_uring may drop its file a little after the process).
		 */
		dm_init_hdr(&b, d, 0);
		b.io.flags = DM_DEFERRED_REMOVE;
		err2 = dm_ioctl(d, DM_DEV_REMOVE, &b);
		if (!err2)
			d->created = false;
		if (!err)
			err = err2;
	}
	close(d->ctl);
	d->ctl = -1;
	return err;
}
