// SPDX-License-Identifier: GPL-2.0
/*
 * Opening and closing a backend: the checks every type shares (offset and
 * size against what the backend has) and the choice of the type.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bdev_internal.h"

static const char *const lio_bdev_names[] = {
	[LIO_BDEV_FILE]		= "file",
	[LIO_BDEV_BLOCK]	= "block",
	[LIO_BDEV_NVME]		= "nvme",
	[LIO_BDEV_NULL]		= "null",
	[LIO_BDEV_NVMF]		= "nvmf",
};

const char *lio_bdev_type_name(enum lio_bdev_type type)
{
	if ((unsigned int)type >= sizeof(lio_bdev_names) / sizeof(lio_bdev_names[0]))
		return "?";
	return lio_bdev_names[type];
}

int lio_bdev_type_of(const char *path, enum lio_bdev_type *type)
{
	struct stat st;

	/* The null backend has no path; "null" names it where a path is
	 * expected (--vdev UUID=null). A file called null is ./null.
	 */
	if (!strcmp(path, "null")) {
		*type = LIO_BDEV_NULL;
		return 0;
	}
	if (lio_nvmf_is_uri(path)) {
		*type = LIO_BDEV_NVMF;
		return 0;
	}
	if (stat(path, &st))
		return -errno;
	if (S_ISREG(st.st_mode))
		*type = LIO_BDEV_FILE;
	else if (S_ISBLK(st.st_mode))
		*type = LIO_BDEV_BLOCK;
	else if (S_ISCHR(st.st_mode))
		*type = LIO_BDEV_NVME;	/* lio_bdev_open checks it is one */
	else
		return -EINVAL;
	return 0;
}

int lio_bdev_err(int ret, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

int lio_bdev_fit(struct lio_bdev *b, uint64_t total, char *err, size_t errlen)
{
	const struct lio_bdev_cfg *c = &b->cfg;
	uint64_t avail;

	if (c->offset % b->block_size || c->size % b->block_size)
		return lio_bdev_err(-EINVAL, err, errlen,
				    "%s: offset %" PRIu64 " and size %" PRIu64
				    " must be multiples of its block size %u",
				    c->path, c->offset, c->size, b->block_size);
	total -= total % b->block_size;
	if (c->offset >= total)
		return lio_bdev_err(-ENOSPC, err, errlen,
				    "%s is too small: offset %" PRIu64
				    " is not below its size %" PRIu64,
				    c->path, c->offset, total);
	avail = total - c->offset;
	if (c->size > avail)
		return lio_bdev_err(-ENOSPC, err, errlen,
				    "%s is too small: size %" PRIu64 " asked at offset %"
				    PRIu64 ", %" PRIu64 " bytes there",
				    c->path, c->size, c->offset, avail);
	b->size = c->size ? c->size : avail;
	return 0;
}

int lio_bdev_open_path(const struct lio_bdev_cfg *cfg, int flags,
		       char *err, size_t errlen)
{
	const char *how = cfg->readonly ? "reading" : "reading and writing";
	int fd;

	fd = open(cfg->path, flags | (cfg->readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	fd = -errno;
	switch (fd) {
	case -ENOENT:
		return lio_bdev_err(fd, err, errlen, "%s does not exist", cfg->path);
	case -EACCES:
	case -EPERM:
		return lio_bdev_err(fd, err, errlen,
				    "%s: permission denied opening it for %s",
				    cfg->path, how);
	case -EROFS:
		return lio_bdev_err(fd, err, errlen,
				    "%s is on a read-only file system or device: set readonly",
				    cfg->path);
	case -EINVAL:
		/*
		 * tmpfs before Linux 6.6, among others. A loop device over
		 * the file is a block device that takes O_DIRECT and does
		 * buffered I/O into the file itself.
		 */
		if (flags & O_DIRECT)
			return lio_bdev_err(fd, err, errlen,
					    "%s: its file system does not support O_DIRECT, "
					    "which leapiod needs: move the file to one that "
					    "does (ext4, xfs), or serve a loop device over it "
					    "(losetup --find --show %s) with type block",
					    cfg->path, cfg->path);
		break;
	case -EBUSY:
		return lio_bdev_err(fd, err, errlen,
				    "%s is in use (mounted, or opened exclusively)",
				    cfg->path);
	}
	return lio_bdev_err(fd, err, errlen, "%s: cannot open it for %s: %s",
			    cfg->path, how, strerror(-fd));
}

int lio_bdev_open(const struct lio_bdev_cfg *cfg, struct lio_ring *ring,
		  struct lio_bdev **out, char *err, size_t errlen)
{
	struct lio_bdev *b;
	int ret;

	if (cfg->type != LIO_BDEV_NULL && !cfg->path[0])
		return lio_bdev_err(-EINVAL, err, errlen,
				    "a %s backend needs a path", lio_bdev_type_name(cfg->type));
	b = calloc(1, sizeof(*b));
	if (!b)
		return lio_bdev_err(-ENOMEM, err, errlen, "out of memory");
	b->cfg = *cfg;
	b->cfg.path[sizeof(b->cfg.path) - 1] = 0;
	b->ring = ring;
	b->fd = -1;
	switch (cfg->type) {
	case LIO_BDEV_FILE:
		ret = lio_bdev_open_file(b, err, errlen);
		break;
	case LIO_BDEV_BLOCK:
		ret = lio_bdev_open_block(b, err, errlen);
		break;
	case LIO_BDEV_NVME:
		ret = lio_bdev_open_nvme(b, err, errlen);
		break;
	case LIO_BDEV_NULL:
		ret = lio_bdev_open_null(b, err, errlen);
		break;
	case LIO_BDEV_NVMF:
		ret = lio_bdev_open_nvmf(b, err, errlen);
		break;
	default:
		ret = lio_bdev_err(-EINVAL, err, errlen, "unknown backend type %d",
				   (int)cfg->type);
	}
	if (ret) {
		free(b);
		return ret;
	}
	*out = b;
	return 0;
}

void lio_bdev_close(struct lio_bdev *b)
{
	if (!b)
		return;
	if (b->ops && b->ops->close)
		b->ops->close(b);
	if (b->fd >= 0)
		close(b->fd);
	free(b);
}
