// SPDX-License-Identifier: GPL-2.0
/* A loop device over a memfd for leapiod; see backing.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/fs.h>
#include <linux/loop.h>

#include "backing.h"
#include "card_vm.h"

#define SLICE_ALIGN	(1ULL << 20)
#define DIO_ALIGN	4096ULL

/* The card VM's SSD: slices handed out in this process, and how many live. */
static uint64_t slice_next;
static unsigned int slices_live;

static int slice_create(struct backing *b, uint64_t size)
{
	const char *disk = card_vm_disk(), *ssd = card_vm_ssd();
	uint64_t range[2], dev_size = 0;
	int fd;

	if (!disk || !ssd)
		return -ENODEV;
	fd = open(disk, O_RDWR | O_DIRECT | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, BLKGETSIZE64, &dev_size)) {
		close(fd);
		return -errno;
	}
	if (!slices_live)
		slice_next = 0;
	if (slice_next + size > dev_size) {
		close(fd);
		return -ENOSPC;
	}
	/* Zeroed, as a fresh loop device is: tests check untouched blocks. */
	range[0] = slice_next;
	range[1] = size;
	if (ioctl(fd, BLKZEROOUT, range)) {
		close(fd);
		return -errno;
	}
	b->loop = fd;
	b->base = slice_next;
	b->size = size;
	snprintf(b->path, sizeof(b->path), "%s", ssd);
	slice_next += (size + SLICE_ALIGN - 1) & ~(SLICE_ALIGN - 1);
	slices_live++;
	return 0;
}

/* [off, off + len) of a slice through an aligned bounce buffer (O_DIRECT). */
static int slice_io(struct backing *b, uint64_t off, void *buf, size_t len,
		    bool write)
{
	uint64_t at = b->base + off;
	uint64_t start = at & ~(DIO_ALIGN - 1);
	uint64_t end = (at + len + DIO_ALIGN - 1) & ~(DIO_ALIGN - 1);
	size_t n = end - start;
	void *bounce;
	int err = 0;

	if (off + len > b->size)
		return -ERANGE;
	if (posix_memalign(&bounce, DIO_ALIGN, n))
		return -ENOMEM;
	/* Read first: a write of part of a block keeps the rest. */
	if (pread(b->loop, bounce, n, (off_t)start) != (ssize_t)n)
		err = -EIO;
	if (!err && !write)
		memcpy(buf, (char *)bounce + (at - start), len);
	if (!err && write) {
		memcpy((char *)bounce + (at - start), buf, len);
		if (pwrite(b->loop, bounce, n, (off_t)start) != (ssize_t)n)
			err = -EIO;
	}
	free(bounce);
	return err;
}

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
	if (card_vm())
		return slice_create(b, size);
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

int backing_alias(const struct backing *b, struct backing *alias)
{
	int err;

	memset(alias, 0, sizeof(*alias));
	alias->file = alias->loop = -1;
	if (b->file < 0)
		return -EINVAL;
	alias->file = dup(b->file);
	if (alias->file < 0)
		return -errno;
	alias->size = b->size;
	err = loop_attach(alias, 0);
	if (err)
		backing_destroy(alias);
	return err;
}

int backing_grow(struct backing *b, uint64_t size)
{
	/* Only a loop device over our memfd: not a card VM's slice. */
	if (b->file < 0 || size < b->size || size % 4096)
		return -EINVAL;
	if (ftruncate(b->file, (off_t)size) ||
	    ioctl(b->loop, LOOP_SET_CAPACITY, 0))
		return -errno;
	b->size = size;
	return 0;
}

void backing_destroy(struct backing *b)
{
	/* Autoclear detaches the loop device once leapiod and we are gone. */
	if (b->loop >= 0 && b->file < 0 && slices_live)
		slices_live--;		/* a slice of the card's SSD */
	if (b->loop >= 0)
		close(b->loop);
	if (b->file >= 0)
		close(b->file);
	b->loop = b->file = -1;
}

int backing_read(struct backing *b, uint64_t off, void *buf, size_t len)
{
	ssize_t n;

	if (b->file < 0)
		return slice_io(b, off, buf, len, false);
	n = pread(b->file, buf, len, (off_t)off);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int backing_write(struct backing *b, uint64_t off, const void *buf, size_t len)
{
	ssize_t n;

	if (b->file < 0)
		return slice_io(b, off, (void *)buf, len, true);
	n = pwrite(b->file, buf, len, (off_t)off);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}
