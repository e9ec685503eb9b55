// SPDX-License-Identifier: GPL-2.0
/*
 * An operator's resize of a vdev's backend (the control socket's
 * vdev_resize): what the backend holds now, and making it hold more.
 * Files grow (ftruncate); a block device must have been grown first
 * (lvextend, a bigger partition); other types grow on their own side
 * (a remote namespace, which leapiod follows by itself) or not at all.
 * And how two backend configurations compare: the same, or the same
 * place with another size (a resize, not a move).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bdev_internal.h"

/* The bytes the backend's device or file has in all: 0 or -errno. */
static int lio_bdev_total(const struct lio_bdev_cfg *cfg, uint64_t *total,
			  char *err, size_t errlen)
{
	struct stat st;
	int fd, ret = 0;

	if (cfg->type == LIO_BDEV_FILE) {
		if (stat(cfg->path, &st))
			return lio_bdev_err(-errno, err, errlen, "%s: %s", cfg->path,
					    strerror(errno));
		*total = (uint64_t)st.st_size;
		return 0;
	}
	fd = open(cfg->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lio_bdev_err(-errno, err, errlen, "%s: %s", cfg->path,
				    strerror(errno));
	if (ioctl(fd, BLKGETSIZE64, total))
		ret = lio_bdev_err(-errno, err, errlen, "%s: its size: %s",
				   cfg->path, strerror(errno));
	close(fd);
	return ret;
}

int lio_bdev_resize_prepare(const struct lio_bdev_cfg *cfg, uint64_t size,
			    char *err, size_t errlen)
{
	uint64_t total = 0, now;
	int ret;

	if (cfg->type != LIO_BDEV_FILE && cfg->type != LIO_BDEV_BLOCK)
		return lio_bdev_err(-EOPNOTSUPP, err, errlen,
				    "a %s backend is not resized by leapiod%s",
				    lio_bdev_type_name(cfg->type),
				    cfg->type == LIO_BDEV_NVMF ?
				    ": grow the namespace on its target, and the "
				    "vdev follows" : "");
	if (cfg->readonly)
		return lio_bdev_err(-EROFS, err, errlen,
				    "%s is read-only: not grown", cfg->path);
	ret = lio_bdev_total(cfg, &total, err, errlen);
	if (ret)
		return ret;
	now = cfg->size ? cfg->size : (total > cfg->offset ? total - cfg->offset : 0);
	if (size < now)
		return lio_bdev_err(-EINVAL, err, errlen,
				    "%" PRIu64 " bytes is less than the %" PRIu64
				    " the vdev has: a namespace is not shrunk "
				    "under a guest", size, now);
	if (total >= cfg->offset + size)
		return 0;
	if (cfg->type == LIO_BDEV_BLOCK)
		return lio_bdev_err(-ENOSPC, err, errlen,
				    "%s holds %" PRIu64 " bytes, %" PRIu64 " from "
				    "offset %" PRIu64 " are asked: grow the device "
				    "first", cfg->path, total, size, cfg->offset);
	if (truncate(cfg->path, (off_t)(cfg->offset + size)))
		return lio_bdev_err(-errno, err, errlen, "%s: growing it to %"
				    PRIu64 " bytes: %s", cfg->path,
				    cfg->offset + size, strerror(errno));
	return 0;
}

bool lio_bdev_cfg_equal(const struct lio_bdev_cfg *a, const struct lio_bdev_cfg *b)
{
	return lio_bdev_same_place(a, b) && a->size == b->size &&
	       a->readonly == b->readonly &&
	       (a->type != LIO_BDEV_NVMF || lio_nvmf_cfg_equal(&a->nvmf, &b->nvmf));
}

bool lio_bdev_same_place(const struct lio_bdev_cfg *a,
			 const struct lio_bdev_cfg *b)
{
	return a->type == b->type && !strcmp(a->path, b->path) &&
	       a->offset == b->offset;
}
