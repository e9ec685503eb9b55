// SPDX-License-Identifier: GPL-2.0
/*
 * The null backend, for benchmarks: every request completes at once with
 * success. Reads leave the guest's buffers as they were (no zero fill:
 * that would be a copy, and it measures the data path, not memset);
 * writes go nowhere.
 */
#include <errno.h>
#include <stdio.h>

#include "bdev_internal.h"

static int null_submit(struct lio_bdev *b, struct lio_io *io)
{
	if (b->cfg.readonly && io->op != LIO_IO_READ && io->op != LIO_IO_FLUSH)
		return -EROFS;
	io->res = 0;
	io->done(io);
	return 0;
}

static const struct lio_bdev_ops lio_null_ops = {
	.submit	= null_submit,
};

int lio_bdev_open_null(struct lio_bdev *b, char *err, size_t errlen)
{
	b->block_size = 512;
	b->ops = &lio_null_ops;
	if (!b->cfg.path[0])
		snprintf(b->cfg.path, sizeof(b->cfg.path), "null");
	return lio_bdev_fit(b, b->cfg.offset + (b->cfg.size ? b->cfg.size :
						 LIO_NULL_DEFAULT_SIZE), err, errlen);
}
