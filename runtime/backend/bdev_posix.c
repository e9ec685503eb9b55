// SPDX-License-Identifier: GPL-2.0
/*
 * The file and block device backends: O_DIRECT, so the guest's pages go
 * to the device without the host's page cache, and readv/writev straight
 * on the core's iovec over guest memory. FUA is RWF_DSYNC on that write,
 * Flush an fdatasync, both through the ring.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bdev_internal.h"
#include "ring_internal.h"

struct lio_posix {
	bool	block;
	/* The file system said EOPNOTSUPP to FALLOC_FL_ZERO_RANGE once:
	 * Write Zeroes punches holes (they read back zeroes) from then on.
	 */
	bool	no_zero_range;
};

/*
 * A request the backend had to wrap: a bounce buffer, or a fallocate
 * whose EOPNOTSUPP needs an answer. The ring completes the wrapper's own
 * lio_io; posix_wrap_done finishes the core's.
 */
struct lio_posix_wrap {
	struct lio_io	io;
	struct lio_io	*orig;
	struct lio_bdev	*b;
	void		*buf;		/* bounce buffer, or NULL */
	int		mode;		/* fallocate mode, or 0 */
};

static const char *mode_name(mode_t m)
{
	if (S_ISREG(m))
		return "regular file";
	if (S_ISBLK(m))
		return "block device";
	if (S_ISCHR(m))
		return "character device";
	if (S_ISDIR(m))
		return "directory";
	if (S_ISFIFO(m))
		return "FIFO";
	if (S_ISSOCK(m))
		return "socket";
	return "special file";
}

/* Is the path what the type says? A sentence per mismatch. */
static int check_kind(const struct lio_bdev_cfg *c, const struct stat *st,
		      char *err, size_t errlen)
{
	static const char *const hint[] = {
		[LIO_BDEV_FILE]		= "type \"file\"",
		[LIO_BDEV_BLOCK]	= "type \"block\"",
		[LIO_BDEV_NVME]		= "type \"nvme\" for an NVMe generic device /dev/ngXnY",
		[LIO_BDEV_NULL]		= "type \"null\"",
	};
	bool ok;

	switch (c->type) {
	case LIO_BDEV_FILE:
		ok = S_ISREG(st->st_mode);
		break;
	case LIO_BDEV_BLOCK:
		ok = S_ISBLK(st->st_mode);
		break;
	default:
		ok = S_ISCHR(st->st_mode);
	}
	if (ok)
		return 0;
	if (S_ISREG(st->st_mode) || S_ISBLK(st->st_mode))
		return lio_bdev_err(-EINVAL, err, errlen,
				    "%s is a %s, not what %s needs: use %s",
				    c->path, mode_name(st->st_mode), hint[c->type],
				    hint[S_ISREG(st->st_mode) ? LIO_BDEV_FILE : LIO_BDEV_BLOCK]);
	return lio_bdev_err(-EINVAL, err, errlen,
			    "%s is a %s: a backend is a regular file, a block device "
			    "or an NVMe generic character device", c->path,
			    mode_name(st->st_mode));
}

int lio_bdev_stat_path(const struct lio_bdev_cfg *c, struct stat *st,
		       char *err, size_t errlen)
{
	if (stat(c->path, st)) {
		int e = -errno;

		if (e == -ENOENT || e == -ENOTDIR)
			return lio_bdev_err(e, err, errlen, "%s does not exist", c->path);
		if (e == -EACCES)
			return lio_bdev_err(e, err, errlen,
					    "%s: permission denied looking it up", c->path);
		return lio_bdev_err(e, err, errlen, "%s: %s", c->path, strerror(-e));
	}
	return check_kind(c, st, err, errlen);
}

/* O_DIRECT wants every segment's address and length block-aligned. */
static bool iov_aligned(const struct lio_bdev *b, const struct lio_io *io)
{
	uintptr_t mask = b->block_size - 1, acc = 0;
	uint32_t i;

	for (i = 0; i < io->iovcnt; i++)
		acc |= (uintptr_t)io->iov[i].iov_base | io->iov[i].iov_len;
	return !(acc & mask);
}

static void iov_copy(const struct lio_io *io, void *buf, bool to_buf)
{
	uint64_t done = 0;
	uint32_t i;

	for (i = 0; i < io->iovcnt && done < io->len; i++) {
		size_t n = io->iov[i].iov_len;

		if (n > io->len - done)
			n = io->len - done;
		if (to_buf)
			memcpy((char *)buf + done, io->iov[i].iov_base, n);
		else
			memcpy(io->iov[i].iov_base, (char *)buf + done, n);
		done += n;
	}
}

/* Zeroes the slow way, in the poller thread: for file systems with
 * neither ZERO_RANGE nor PUNCH_HOLE. Rare, and only ever for Write Zeroes.
 */
static int zero_sync(struct lio_bdev *b, uint64_t off, uint64_t len)
{
	const size_t chunk = 64 * 1024;
	void *z;
	int ret = 0;

	if (!fallocate(b->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off, len))
		return 0;
	if (errno != EOPNOTSUPP)
		return -errno;
	z = aligned_alloc(4096, chunk);
	if (!z)
		return -ENOMEM;
	memset(z, 0, chunk);
	while (len && !ret) {
		size_t n = len < chunk ? len : chunk;
		ssize_t w = pwrite(b->fd, z, n, off);

		if (w < 0)
			ret = -errno;
		else if ((size_t)w != n)
			ret = -EIO;
		off += n;
		len -= n;
	}
	free(z);
	return ret;
}

static void posix_wrap_done(struct lio_io *io)
{
	struct lio_posix_wrap *w = (struct lio_posix_wrap *)io;
	struct lio_io *orig = w->orig;
	struct lio_posix *pp = w->b->priv;
	int32_t res = io->res;

	if (w->buf && !res && orig->op == LIO_IO_READ)
		iov_copy(orig, w->buf, false);
	if (res == -EOPNOTSUPP && orig->op == LIO_IO_DISCARD)
		res = 0;	/* deallocation is a hint; the data may stay */
	if (res == -EOPNOTSUPP && (w->mode & FALLOC_FL_ZERO_RANGE)) {
		pp->no_zero_range = true;
		res = zero_sync(w->b, w->b->cfg.offset + orig->offset, orig->len);
	}
	free(w->buf);
	free(w);
	orig->res = res;
	orig->done(orig);
}

static struct lio_posix_wrap *wrap_new(struct lio_bdev *b, struct lio_io *io)
{
	struct lio_posix_wrap *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->io.op = io->op;
	w->io.offset = io->offset;
	w->io.len = io->len;
	w->io.done = posix_wrap_done;
	w->orig = io;
	w->b = b;
	return w;
}

/*
 * The one copy the data path allows: a guest buffer O_DIRECT cannot take
 * (a segment not aligned to the block size; the spec lets PRPs be 4-byte
 * aligned, Linux guests never do that) goes through an aligned buffer.
 */
static int submit_bounce(struct lio_bdev *b, struct lio_io *io)
{
	struct lio_posix_wrap *w;
	struct io_uring_sqe *sqe;
	uint64_t off = b->cfg.offset + io->offset;

	w = wrap_new(b, io);
	if (!w)
		return -ENOMEM;
	w->buf = aligned_alloc(4096, (io->len + 4095) & ~4095ULL);
	if (!w->buf) {
		free(w);
		return -ENOMEM;
	}
	sqe = lio_ring_sqe(b->ring);
	if (!sqe) {
		free(w->buf);
		free(w);
		return -EAGAIN;
	}
	if (io->op == LIO_IO_READ) {
		io_uring_prep_read(sqe, b->fd, w->buf, io->len, off);
	} else {
		iov_copy(io, w->buf, true);
		io_uring_prep_write(sqe, b->fd, w->buf, io->len, off);
		if (io->fua)
			sqe->rw_flags = RWF_DSYNC;
	}
	lio_ring_commit(b->ring, sqe, &w->io, LIO_RES_BYTES);
	return 0;
}

static int submit_rw(struct lio_bdev *b, struct lio_io *io)
{
	struct io_uring_sqe *sqe;
	uint64_t off = b->cfg.offset + io->offset;

	if (!iov_aligned(b, io))
		return submit_bounce(b, io);
	sqe = lio_ring_sqe(b->ring);
	if (!sqe)
		return -EAGAIN;
	if (io->op == LIO_IO_READ) {
		io_uring_prep_readv(sqe, b->fd, io->iov, io->iovcnt, off);
	} else {
		io_uring_prep_writev(sqe, b->fd, io->iov, io->iovcnt, off);
		if (io->fua)
			sqe->rw_flags = RWF_DSYNC;
	}
	lio_ring_commit(b->ring, sqe, io, LIO_RES_BYTES);
	return 0;
}

static int submit_fallocate(struct lio_bdev *b, struct lio_io *io, int mode)
{
	struct lio_posix_wrap *w;
	struct io_uring_sqe *sqe;

	w = wrap_new(b, io);
	if (!w)
		return -ENOMEM;
	w->mode = mode;
	sqe = lio_ring_sqe(b->ring);
	if (!sqe) {
		free(w);
		return -EAGAIN;
	}
	io_uring_prep_fallocate(sqe, b->fd, mode, b->cfg.offset + io->offset, io->len);
	lio_ring_commit(b->ring, sqe, &w->io, LIO_RES_ZERO);
	return 0;
}

/* BLKDISCARD is synchronous; Dataset Management is rare enough. */
static int discard_block(struct lio_bdev *b, struct lio_io *io)
{
	uint64_t range[2] = { b->cfg.offset + io->offset, io->len };

	io->res = ioctl(b->fd, BLKDISCARD, range) ? -errno : 0;
	if (io->res == -EOPNOTSUPP)
		io->res = 0;	/* a hint: the device may keep the data */
	io->done(io);
	return 0;
}

static int posix_submit(struct lio_bdev *b, struct lio_io *io)
{
	struct lio_posix *pp = b->priv;
	struct io_uring_sqe *sqe;

	if (b->cfg.readonly && io->op != LIO_IO_READ && io->op != LIO_IO_FLUSH)
		return -EROFS;
	switch (io->op) {
	case LIO_IO_READ:
	case LIO_IO_WRITE:
		return submit_rw(b, io);
	case LIO_IO_FLUSH:
		sqe = lio_ring_sqe(b->ring);
		if (!sqe)
			return -EAGAIN;
		io_uring_prep_fsync(sqe, b->fd, IORING_FSYNC_DATASYNC);
		lio_ring_commit(b->ring, sqe, io, LIO_RES_ZERO);
		return 0;
	case LIO_IO_WRITE_ZEROES:
		/* Block devices: blkdev_fallocate zeroes with Write Zeroes
		 * or, failing that, written zeroes (6.1 and 6.12 alike).
		 */
		if (pp->no_zero_range)
			return submit_fallocate(b, io, FALLOC_FL_PUNCH_HOLE |
						FALLOC_FL_KEEP_SIZE);
		return submit_fallocate(b, io, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE);
	case LIO_IO_DISCARD:
		if (pp->block)
			return discard_block(b, io);
		return submit_fallocate(b, io, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE);
	}
	return -EOPNOTSUPP;
}

static void posix_close(struct lio_bdev *b)
{
	free(b->priv);
	b->priv = NULL;
}

static const struct lio_bdev_ops lio_posix_ops = {
	.submit	= posix_submit,
	.close	= posix_close,
};

static int posix_finish(struct lio_bdev *b, bool block, uint64_t total,
			char *err, size_t errlen)
{
	struct lio_posix *pp;
	int ret;

	ret = lio_bdev_fit(b, total, err, errlen);
	if (ret)
		return ret;
	pp = calloc(1, sizeof(*pp));
	if (!pp)
		return lio_bdev_err(-ENOMEM, err, errlen, "out of memory");
	pp->block = block;
	b->priv = pp;
	b->ops = &lio_posix_ops;
	return 0;
}

int lio_bdev_open_file(struct lio_bdev *b, char *err, size_t errlen)
{
	struct statx stx;
	struct stat st;
	int ret;

	ret = lio_bdev_stat_path(&b->cfg, &st, err, errlen);
	if (ret)
		return ret;
	b->fd = lio_bdev_open_path(&b->cfg, O_DIRECT, err, errlen);
	if (b->fd < 0)
		return b->fd;
	if (fstat(b->fd, &st)) {
		ret = lio_bdev_err(-errno, err, errlen, "%s: fstat: %m", b->cfg.path);
		goto fail;
	}
	/* 512 unless the file system asks more of O_DIRECT (6.1+ says). */
	b->block_size = 512;
	if (!statx(b->fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &stx) &&
	    (stx.stx_mask & STATX_DIOALIGN) && stx.stx_dio_offset_align > 512)
		b->block_size = stx.stx_dio_offset_align;
	ret = posix_finish(b, false, st.st_size, err, errlen);
	if (!ret)
		return 0;
fail:
	close(b->fd);
	b->fd = -1;
	return ret;
}

int lio_bdev_open_block(struct lio_bdev *b, char *err, size_t errlen)
{
	uint64_t total;
	struct stat st;
	int ret, lbs;

	ret = lio_bdev_stat_path(&b->cfg, &st, err, errlen);
	if (ret)
		return ret;
	b->fd = lio_bdev_open_path(&b->cfg, O_DIRECT, err, errlen);
	if (b->fd < 0)
		return b->fd;
	if (ioctl(b->fd, BLKGETSIZE64, &total) || ioctl(b->fd, BLKSSZGET, &lbs)) {
		ret = lio_bdev_err(-errno, err, errlen, "%s: cannot read its size: %m",
				   b->cfg.path);
		goto fail;
	}
	b->block_size = lbs > 0 ? (uint32_t)lbs : 512;
	ret = posix_finish(b, true, total, err, errlen);
	if (!ret)
		return 0;
fail:
	close(b->fd);
	b->fd = -1;
	return ret;
}
