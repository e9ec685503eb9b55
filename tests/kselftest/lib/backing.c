// SPDX-License-Identifier: GPL-2.0
/* A loop device over a memfd for leapiod; see backing.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/loop.h>

#include "backing.h"

/* Another process may take the free device we were told of first. */
#define BACKING_LOOP_TRIES	8

static int loop_attach(struct backing *b, unsigned int block_size)
{
	struct loop_config cfg;
	int ctl, nr, fd, tries, err = -EBUSY;

	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return errno == ENOENT ? -ENODEV : -errno;
	for (tries = 0; tries < BACKING_LOOP_TRIES; tries++) {
		nr = ioctl(ctl, LOOP_CTL_GET_FREE);
		if (nr < 0) {
			err = -errno;
			break;
		}
		snprintf(b->path, sizeof(b->path), "/dev/loop%d", nr);
		fd = open(b->path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			err = -errno;
			break;
		}
		memset(&cfg, 0, sizeof(cfg));
		cfg.fd = (uint32_t)b->file;
		cfg.block_size = block_size;
		cfg.info.lo_flags = LO_FLAGS_AUTOCLEAR;
		if (!ioctl(fd, LOOP_CONFIGURE, &cfg)) {
			b->loop = fd;
			err = 0;
			break;
		}
		err = -errno;
		close(fd);
		if (err != -EBUSY)
			break;
	}
	close(ctl);
	return err;
}

int backing_create(struct backing *b, uint64_t size, unsigned int block_size)
{
	int err;

	memset(b, 0, sizeof(*b));
	b->file = b->loop = -1;
	if (!size || size % 4096)
		return -EINVAL;
	b->file = memfd_create("leapio-backing", MFD_CLOEXEC);
	if (b->file < 0)
		return -errno;
	if (ftruncate(b->file, (off_t)size)) {
		err = -errno;
		goto fail;
	}
	b->size = size;
	err = loop_attach(b, block_size);
	if (err)
		goto fail;
	return 0;
fail:
	backing_destroy(b);
	return err;
}

void backing_destroy(struct backing *b)
{
	/* Autoclear detaches the loop device once leapiod and we are gone. */
	if (b->loop >= 0)
		close(b->loop);
	if (b->file >= 0)
		close(b->file);
	b->loop = b->file = -1;
}

int backing_read(struct backing *b, uint64_t off, void *buf, size_t len)
{
	ssize_t n = pread(b->file, buf, len, (off_t)off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int backing_write(struct backing *b, uint64_t off, const void *buf, size_t len)
{
	ssize_t n = pwrite(b->file, buf, len, (off_t)off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}
