/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the backends' open functions (one file per backend type);
 * private to runtime/backend/.
 */
#ifndef LEAPIOD_BDEV_INTERNAL_H
#define LEAPIOD_BDEV_INTERNAL_H

#include <stdarg.h>

#include "backend.h"

/* The null backend's size when the configuration gives none: 1 TiB. */
#define LIO_NULL_DEFAULT_SIZE	(1ULL << 40)

/*
 * Each fills b (ops, fd, size, block_size, priv) from b->cfg, or returns
 * -errno with a sentence in err. On failure b's fd is closed again.
 */
int lio_bdev_open_file(struct lio_bdev *b, char *err, size_t errlen);
int lio_bdev_open_block(struct lio_bdev *b, char *err, size_t errlen);
int lio_bdev_open_nvme(struct lio_bdev *b, char *err, size_t errlen);
int lio_bdev_open_null(struct lio_bdev *b, char *err, size_t errlen);
int lio_bdev_open_nvmf(struct lio_bdev *b, char *err, size_t errlen);

/*
 * The NVMe passthrough backend's state and its submit, which the remote
 * backend drives too: b->priv starts with a struct lio_nvme. Open dev
 * (an NVMe generic character device) into b->fd and fill n, the block
 * size and the usable size. 0 or -errno with err.
 */
struct lio_nvme {
	uint32_t	nsid;
	unsigned int	lba_shift;
};

int lio_nvme_open_dev(struct lio_bdev *b, const char *dev, struct lio_nvme *n,
		      char *err, size_t errlen);
int lio_nvme_submit(struct lio_bdev *b, struct lio_io *io);

/* snprintf into err; returns ret, so that "return lio_bdev_err(...)". */
int lio_bdev_err(int ret, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * The usable size from the backend's whole size: offset and size checked
 * against it and against the block size. 0 or -errno with err set.
 */
int lio_bdev_fit(struct lio_bdev *b, uint64_t total, char *err, size_t errlen);

/* stat(2) of the path, and is it what cfg->type needs? */
struct stat;
int lio_bdev_stat_path(const struct lio_bdev_cfg *cfg, struct stat *st,
		       char *err, size_t errlen);

/* open(2) of b->cfg.path with a sentence per failure. fd or -errno. */
int lio_bdev_open_path(const struct lio_bdev_cfg *cfg, int flags,
		       char *err, size_t errlen);

#endif /* LEAPIOD_BDEV_INTERNAL_H */
