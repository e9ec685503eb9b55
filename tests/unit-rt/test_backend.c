// SPDX-License-Identifier: GPL-2.0
/*
 * leapiod's backends through a real io_uring: the file backend on a
 * temporary file (O_DIRECT, so on a file system that has it: $TMPDIR or
 * /var/tmp), the null backend, and the NVMe passthrough backend's open
 * errors (there is no NVMe device here). What went to the file is checked
 * with pread() behind the backend's back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/lio_harness.h"
#include "../../runtime/backend/backend.h"

#define FILE_SIZE	(1024 * 1024)
#define BACK_OFF	(64 * 1024)	/* the vdev's offset into the file */

struct req {
	struct lio_io	io;
	int		done;
};

static void req_done(struct lio_io *io)
{
	((struct req *)io)->done++;
}

/* Submit and reap until it completes; returns io.res. */
static int run(struct lio_bdev *b, struct req *r)
{
	int ret, spins = 0;

	r->done = 0;
	r->io.res = 1;
	r->io.done = req_done;
	ret = lio_bdev_submit(b, &r->io);
	if (ret)
		return ret;
	while (!r->done) {
		ret = lio_ring_poll(b->ring);
		if (ret < 0)
			return ret;
		if (!r->done && lio_ring_wait(b->ring, 1000000000ULL) < 0)
			return -EIO;
		if (++spins > 100)	/* a lost completion fails, not hangs */
			return -ETIMEDOUT;
	}
	return r->done == 1 ? r->io.res : -EPROTO;
}

static int rw(struct lio_bdev *b, int op, uint64_t off, struct iovec *iov,
	      unsigned int n, bool fua)
{
	struct req r = { .io = { .op = op, .offset = off, .iov = iov, .iovcnt = n,
				 .fua = fua } };
	unsigned int i;

	for (i = 0; i < n; i++)
		r.io.len += iov[i].iov_len;
	return run(b, &r);
}

static int range_op(struct lio_bdev *b, int op, uint64_t off, uint64_t len)
{
	struct req r = { .io = { .op = op, .offset = off, .len = len } };

	return run(b, &r);
}

static const char *tmpdir(void)
{
	const char *d = getenv("TMPDIR");

	return d && *d ? d : "/var/tmp";
}

FIXTURE(file) {
	char path[200];
	int fd;			/* plain, to look behind the backend */
	struct lio_ring *ring;
	struct lio_bdev *b;
	char err[256];
	unsigned char *a, *c;	/* aligned buffers */
};

FIXTURE_SETUP(file)
{
	struct lio_bdev_cfg cfg = { .type = LIO_BDEV_FILE, .offset = BACK_OFF };
	int ret;

	snprintf(self->path, sizeof(self->path), "%s/leapiod-bdev-XXXXXX", tmpdir());
	self->fd = mkstemp(self->path);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ftruncate(self->fd, FILE_SIZE));
	ASSERT_EQ(0, lio_ring_create(&self->ring, 64, false));
	snprintf(cfg.path, sizeof(cfg.path), "%s", self->path);
	ret = lio_bdev_open(&cfg, self->ring, &self->b, self->err, sizeof(self->err));
	if (ret == -EINVAL && strstr(self->err, "O_DIRECT"))
		SKIP(return, "%s (set TMPDIR elsewhere)", self->err);
	ASSERT_EQ(0, ret) TH_LOG("%s", self->err);
	self->a = aligned_alloc(4096, 65536);
	self->c = aligned_alloc(4096, 65536);
	ASSERT_NE(NULL, self->a);
	ASSERT_NE(NULL, self->c);
}

FIXTURE_TEARDOWN(file)
{
	if (self->b) {
		EXPECT_EQ(0U, lio_ring_inflight(self->ring));
		lio_bdev_close(self->b);
	}
	lio_ring_destroy(self->ring);
	free(self->a);
	free(self->c);
	close(self->fd);
	unlink(self->path);
}

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + seed);
}

static bool is_zero(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

TEST_F(file, geometry)
{
	EXPECT_EQ((uint64_t)FILE_SIZE - BACK_OFF, self->b->size);
	EXPECT_EQ(0U, self->b->block_size % 512);
	EXPECT_STREQ("file", lio_bdev_type_name(self->b->cfg.type));
}

/* Two aligned segments straight from "guest memory", at the offset. */
TEST_F(file, aligned_write_read)
{
	struct iovec w[2] = { { self->a, 4096 }, { self->a + 8192, 8192 } };
	struct iovec r[1] = { { self->c, 12288 } };
	unsigned char back[12288];

	fill(self->a, 16384, 1);
	ASSERT_EQ(0, rw(self->b, LIO_IO_WRITE, 8192, w, 2, false));
	/* Behind the backend: file offset = vdev offset + BACK_OFF. */
	ASSERT_EQ(12288, pread(self->fd, back, sizeof(back), BACK_OFF + 8192));
	EXPECT_EQ(0, memcmp(back, self->a, 4096));
	EXPECT_EQ(0, memcmp(back + 4096, self->a + 8192, 8192));
	memset(self->c, 0xee, 12288);
	ASSERT_EQ(0, rw(self->b, LIO_IO_READ, 8192, r, 1, false));
	EXPECT_EQ(0, memcmp(self->c, back, sizeof(back)));
	/* Nothing before the offset was touched. */
	ASSERT_EQ(4096, pread(self->fd, back, 4096, BACK_OFF + 4096));
	EXPECT_TRUE(is_zero(back, 4096));
}

/*
 * Segments O_DIRECT refuses (4-byte aligned, odd lengths) go through the
 * bounce buffer and still land where they belong.
 */
TEST_F(file, unaligned_write_read)
{
	unsigned char *src = self->a + 4, *dst = self->c + 4;
	struct iovec w[3] = { { src, 100 }, { src + 100, 412 }, { src + 512, 3584 } };
	struct iovec r[2] = { { dst, 1000 }, { dst + 1000, 3096 } };
	unsigned char back[4096];

	fill(src, 4096, 3);
	ASSERT_EQ(0, rw(self->b, LIO_IO_WRITE, 4096, w, 3, false));
	ASSERT_EQ(4096, pread(self->fd, back, sizeof(back), BACK_OFF + 4096));
	EXPECT_EQ(0, memcmp(back, src, 4096));
	memset(self->c, 0, 8192);
	ASSERT_EQ(0, rw(self->b, LIO_IO_READ, 4096, r, 2, false));
	EXPECT_EQ(0, memcmp(dst, src, 4096));
	EXPECT_EQ(0, self->c[0]);	/* nothing before the iovec */
	EXPECT_EQ(0, dst[4096]);	/* nor after it */
}

TEST_F(file, fua_and_flush)
{
	struct iovec w = { self->a, 4096 };
	unsigned char back[4096];

	fill(self->a, 4096, 5);
	ASSERT_EQ(0, rw(self->b, LIO_IO_WRITE, 0, &w, 1, true));
	ASSERT_EQ(4096, pread(self->fd, back, sizeof(back), BACK_OFF));
	EXPECT_EQ(0, memcmp(back, self->a, 4096));
	/* Unaligned with FUA: the bounce path keeps RWF_DSYNC. */
	w.iov_base = self->a + 8;
	ASSERT_EQ(0, rw(self->b, LIO_IO_WRITE, 4096, &w, 1, true));
	EXPECT_EQ(0, range_op(self->b, LIO_IO_FLUSH, 0, 0));
}

TEST_F(file, write_zeroes)
{
	struct iovec w = { self->a, 16384 }, r = { self->c, 16384 };

	fill(self->a, 16384, 9);
	ASSERT_EQ(0, rw(self->b, LIO_IO_WRITE, 0, &w, 1, false));
	ASSERT_EQ(0, range_op(self->b, LIO_IO_WRITE_ZEROES, 4096, 8192));
	ASSERT_EQ(0, rw(self->b, LIO_IO_READ, 0, &r, 1, false));
	EXPECT_EQ(0, memcmp(self->c, self->a, 4096));
	EXPECT_TRUE(is_zero(self->c + 4096, 8192));
	EXPECT_EQ(0, memcmp(self->c + 12288, self->a + 12288, 4096));
}

TEST_F(file, discard)
{
	struct iovec w = { self->a, 16384 }, r = { self->c, 16384 };
	struct stat st;

	fill(self->a, 16384, 11);
	ASSERT_EQ(0, rw(self->b, LIO_IO_WRITE, 0, &w, 1, false));
	ASSERT_EQ(0, range_op(self->b, LIO_IO_DISCARD, 4096, 4096));
	ASSERT_EQ(0, rw(self->b, LIO_IO_READ, 0, &r, 1, false));
	/* A punched hole reads zeroes; the rest stays; the size too. */
	EXPECT_TRUE(is_zero(self->c + 4096, 4096));
	EXPECT_EQ(0, memcmp(self->c + 8192, self->a + 8192, 8192));
	ASSERT_EQ(0, fstat(self->fd, &st));
	EXPECT_EQ(FILE_SIZE, st.st_size);
}

/* The ring takes 64; the 65th before a poll is -EAGAIN, then it all lands. */
TEST_F(file, ring_full)
{
	struct req r[80];
	struct iovec iov[80];
	int i, n = 0, eagain = -1, done = 0, spins = 0;

	fill(self->a, 4096, 13);
	for (i = 0; i < 80; i++) {
		iov[i] = (struct iovec){ self->a, 4096 };
		r[i] = (struct req){ .io = { .op = LIO_IO_WRITE, .offset = 4096ULL * (i % 8),
					     .len = 4096, .iov = &iov[i], .iovcnt = 1,
					     .done = req_done } };
		n = lio_bdev_submit(self->b, &r[i].io);
		if (n == -EAGAIN) {
			eagain = i;
			break;
		}
		ASSERT_EQ(0, n);
	}
	EXPECT_EQ(64, eagain);
	EXPECT_EQ(64U, lio_ring_inflight(self->ring));
	while (done < 64 && spins++ < 1000) {
		n = lio_ring_poll(self->ring);
		ASSERT_LE(0, n);
		done += n;
		if (done < 64)
			lio_ring_wait(self->ring, 100000000ULL);
	}
	EXPECT_EQ(64, done);
	for (i = 0; i < 64; i++) {
		EXPECT_EQ(1, r[i].done);
		EXPECT_EQ(0, r[i].io.res);
	}
	EXPECT_EQ(0U, lio_ring_inflight(self->ring));
}

static int open_err(struct lio_bdev_cfg *cfg, struct lio_ring *ring, char *err)
{
	struct lio_bdev *b = NULL;
	int ret;

	err[0] = 0;
	ret = lio_bdev_open(cfg, ring, &b, err, 256);
	if (!ret)
		lio_bdev_close(b);
	return ret;
}

#define OPEN_REFUSED(cfg, ring, want_ret, want) do {			\
	char __e[256];							\
	EXPECT_EQ(want_ret, open_err(cfg, ring, __e));			\
	EXPECT_TRUE(strstr(__e, want) != NULL)				\
		TH_LOG("\"%s\" lacks \"%s\"", __e, want);		\
} while (0)

TEST_F(file, size_and_offset)
{
	struct lio_bdev_cfg cfg = { .type = LIO_BDEV_FILE };
	struct lio_bdev *b;

	snprintf(cfg.path, sizeof(cfg.path), "%s", self->path);
	cfg.offset = 4096;
	cfg.size = 8192;
	ASSERT_EQ(0, lio_bdev_open(&cfg, self->ring, &b, self->err, sizeof(self->err)))
		TH_LOG("%s", self->err);
	EXPECT_EQ(8192U, b->size);
	lio_bdev_close(b);
	cfg.size = FILE_SIZE - 4096;
	ASSERT_EQ(0, lio_bdev_open(&cfg, self->ring, &b, self->err, sizeof(self->err)));
	EXPECT_EQ((uint64_t)FILE_SIZE - 4096, b->size);
	lio_bdev_close(b);
	cfg.size = FILE_SIZE;
	OPEN_REFUSED(&cfg, self->ring, -ENOSPC, "is too small: size 1048576 asked at offset 4096");
	cfg.size = 0;
	cfg.offset = FILE_SIZE;
	OPEN_REFUSED(&cfg, self->ring, -ENOSPC, "is too small: offset 1048576 is not below its size");
	cfg.offset = 100;
	OPEN_REFUSED(&cfg, self->ring, -EINVAL, "must be multiples of its block size");
}

TEST_F(file, readonly)
{
	struct lio_bdev_cfg cfg = { .type = LIO_BDEV_FILE, .readonly = true };
	struct iovec w = { self->a, 4096 };
	struct lio_bdev *b;

	snprintf(cfg.path, sizeof(cfg.path), "%s", self->path);
	ASSERT_EQ(0, lio_bdev_open(&cfg, self->ring, &b, self->err, sizeof(self->err)));
	EXPECT_EQ(-EROFS, rw(b, LIO_IO_WRITE, 0, &w, 1, false));
	EXPECT_EQ(-EROFS, range_op(b, LIO_IO_WRITE_ZEROES, 0, 4096));
	EXPECT_EQ(-EROFS, range_op(b, LIO_IO_DISCARD, 0, 4096));
	EXPECT_EQ(0, rw(b, LIO_IO_READ, 0, &w, 1, false));
	lio_bdev_close(b);
}

TEST_F(file, open_errors)
{
	struct lio_bdev_cfg cfg = { .type = LIO_BDEV_FILE };

	snprintf(cfg.path, sizeof(cfg.path), "%s.missing", self->path);
	OPEN_REFUSED(&cfg, self->ring, -ENOENT, ".missing does not exist");
	snprintf(cfg.path, sizeof(cfg.path), "%s", tmpdir());
	OPEN_REFUSED(&cfg, self->ring, -EINVAL, "is a directory: a backend is a regular file");
	cfg.type = LIO_BDEV_BLOCK;
	snprintf(cfg.path, sizeof(cfg.path), "%s", self->path);
	OPEN_REFUSED(&cfg, self->ring, -EINVAL, "is a regular file, not what type \"block\" needs: use type \"file\"");
	cfg.type = LIO_BDEV_FILE;
	snprintf(cfg.path, sizeof(cfg.path), "/dev/null");
	OPEN_REFUSED(&cfg, self->ring, -EINVAL, "/dev/null is a character device");
	cfg.path[0] = 0;
	OPEN_REFUSED(&cfg, self->ring, -EINVAL, "a file backend needs a path");
	/* An empty file has no room for a namespace. */
	ASSERT_EQ(0, ftruncate(self->fd, 0));
	snprintf(cfg.path, sizeof(cfg.path), "%s", self->path);
	OPEN_REFUSED(&cfg, self->ring, -ENOSPC, "is too small");
	/* Permissions: root passes them, so only for others. */
	if (geteuid()) {
		ASSERT_EQ(0, chmod(self->path, 0400));
		OPEN_REFUSED(&cfg, self->ring, -EACCES, "permission denied opening it for reading and writing");
	}
}

/*
 * tmpfs has no FALLOC_FL_ZERO_RANGE: Write Zeroes falls back to punching
 * holes (and remembers). Skipped where tmpfs has no O_DIRECT (before 6.6).
 */
TEST(write_zeroes_fallback)
{
	struct lio_bdev_cfg cfg = { .type = LIO_BDEV_FILE };
	char path[] = "/dev/shm/leapiod-bdev-XXXXXX", err[256];
	struct lio_ring *ring;
	struct lio_bdev *b;
	unsigned char *buf;
	struct iovec iov;
	int fd, ret, i;

	fd = mkstemp(path);
	if (fd < 0)
		SKIP(return, "no /dev/shm");
	ASSERT_EQ(0, ftruncate(fd, 65536));
	ASSERT_EQ(0, lio_ring_create(&ring, 8, false));
	snprintf(cfg.path, sizeof(cfg.path), "%s", path);
	ret = lio_bdev_open(&cfg, ring, &b, err, sizeof(err));
	if (ret) {
		lio_ring_destroy(ring);
		close(fd);
		unlink(path);
		if (strstr(err, "O_DIRECT"))
			SKIP(return, "%s", err);
	}
	ASSERT_EQ(0, ret) TH_LOG("%s", err);
	buf = aligned_alloc(4096, 16384);
	ASSERT_NE(NULL, buf);
	iov = (struct iovec){ buf, 16384 };
	/* Twice: once finding out, once knowing. */
	for (i = 0; i < 2; i++) {
		fill(buf, 16384, 17 + i);
		ASSERT_EQ(0, rw(b, LIO_IO_WRITE, 0, &iov, 1, false));
		ASSERT_EQ(0, range_op(b, LIO_IO_WRITE_ZEROES, 4096, 8192));
		memset(buf, 0xff, 16384);
		ASSERT_EQ(0, rw(b, LIO_IO_READ, 0, &iov, 1, false));
		EXPECT_NE(0, buf[0]);
		EXPECT_TRUE(is_zero(buf + 4096, 8192));
		EXPECT_NE(0, buf[12288 + 1]);
	}
	free(buf);
	lio_bdev_close(b);
	lio_ring_destroy(ring);
	close(fd);
	unlink(path);
}

/*
 * The block backend on a loop device over a temporary file (autoclear:
 * it goes with our last descriptor). Skipped without loop devices or the
 * right to make one.
 */
static int loop_attach(const char *file, char *dev, size_t len, int *dev_fd)
{
	struct loop_config lc;
	int ctl, n, fd, ffd, ret;

	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return -errno;
	n = ioctl(ctl, LOOP_CTL_GET_FREE);
	close(ctl);
	if (n < 0)
		return -errno;
	snprintf(dev, len, "/dev/loop%d", n);
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ffd = open(file, O_RDWR | O_CLOEXEC);
	if (ffd < 0) {
		close(fd);
		return -errno;
	}
	memset(&lc, 0, sizeof(lc));
	lc.fd = ffd;
	lc.info.lo_flags = LO_FLAGS_AUTOCLEAR;
	ret = ioctl(fd, LOOP_CONFIGURE, &lc) ? -errno : 0;
	close(ffd);
	if (ret) {
		close(fd);
		return ret;
	}
	*dev_fd = fd;
	return 0;
}

TEST(block_backend)
{
	struct lio_bdev_cfg cfg = { .type = LIO_BDEV_BLOCK, .offset = 8192 };
	char file[200], dev[32], err[256];
	unsigned char *buf, back[16384];
	struct lio_ring *ring;
	struct lio_bdev *b;
	struct iovec iov;
	int ffd, lfd, ret;

	snprintf(file, sizeof(file), "%s/leapiod-loop-XXXXXX", tmpdir());
	ffd = mkstemp(file);
	ASSERT_LE(0, ffd);
	ASSERT_EQ(0, ftruncate(ffd, FILE_SIZE));
	ret = loop_attach(file, dev, sizeof(dev), &lfd);
	if (ret) {
		close(ffd);
		unlink(file);
		SKIP(return, "no loop device: %s", strerror(-ret));
	}
	ASSERT_EQ(0, lio_ring_create(&ring, 8, false));
	snprintf(cfg.path, sizeof(cfg.path), "%s", dev);
	ASSERT_EQ(0, lio_bdev_open(&cfg, ring, &b, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ((uint64_t)FILE_SIZE - 8192, b->size);
	EXPECT_EQ(512U, b->block_size);
	buf = aligned_alloc(4096, 16384);
	ASSERT_NE(NULL, buf);
	fill(buf, 16384, 21);
	iov = (struct iovec){ buf, 16384 };
	ASSERT_EQ(0, rw(b, LIO_IO_WRITE, 4096, &iov, 1, true));
	EXPECT_EQ(0, range_op(b, LIO_IO_FLUSH, 0, 0));
	/* Through the loop device into the file, at offset + 4096. */
	ASSERT_EQ(16384, pread(ffd, back, sizeof(back), 8192 + 4096));
	EXPECT_EQ(0, memcmp(back, buf, sizeof(back)));
	ASSERT_EQ(0, range_op(b, LIO_IO_WRITE_ZEROES, 4096, 4096));
	ASSERT_EQ(0, range_op(b, LIO_IO_DISCARD, 8192, 4096));
	memset(buf, 0xff, 16384);
	ASSERT_EQ(0, rw(b, LIO_IO_READ, 4096, &iov, 1, false));
	EXPECT_TRUE(is_zero(buf, 4096));
	ASSERT_EQ(16384, pread(ffd, back, sizeof(back), 8192 + 4096));
	EXPECT_EQ(0, memcmp(back + 12288, buf + 12288, 4096));
	/* Unaligned: the bounce buffer. */
	iov = (struct iovec){ buf + 4, 1024 };
	fill(buf + 4, 1024, 23);
	ASSERT_EQ(0, rw(b, LIO_IO_WRITE, 0, &iov, 1, false));
	ASSERT_EQ(1024, pread(ffd, back, 1024, 8192));
	EXPECT_EQ(0, memcmp(back, buf + 4, 1024));
	free(buf);
	lio_bdev_close(b);
	cfg.type = LIO_BDEV_FILE;
	OPEN_REFUSED(&cfg, ring, -EINVAL, "is a block device, not what type \"file\" needs: use type \"block\"");
	cfg.type = LIO_BDEV_BLOCK;
	cfg.size = FILE_SIZE;
	OPEN_REFUSED(&cfg, ring, -ENOSPC, "is too small");
	lio_ring_destroy(ring);
	close(lfd);
	close(ffd);
	unlink(file);
}

TEST(types)
{
	enum lio_bdev_type t;

	ASSERT_EQ(0, lio_bdev_type_of("null", &t));
	EXPECT_STREQ("null", lio_bdev_type_name(t));
	ASSERT_EQ(0, lio_bdev_type_of("/dev/null", &t));
	EXPECT_STREQ("nvme", lio_bdev_type_name(t));
	ASSERT_EQ(0, lio_bdev_type_of("/proc/self/status", &t));
	EXPECT_STREQ("file", lio_bdev_type_name(t));
	EXPECT_EQ(-EINVAL, lio_bdev_type_of("/proc", &t));
	EXPECT_EQ(-ENOENT, lio_bdev_type_of("/nonexistent/x", &t));
	EXPECT_STREQ("block", lio_bdev_type_name(LIO_BDEV_BLOCK));
}

/* Completes inline; reads leave the buffer as it was (see bdev_null.c). */
TEST(null_backend)
{
	struct lio_bdev_cfg cfg = { .type = LIO_BDEV_NULL, .offset = 4096 };
	unsigned char buf[512];
	struct iovec iov = { buf, sizeof(buf) };
	struct req r = { .io = { .op = LIO_IO_READ, .len = 512, .iov = &iov, .iovcnt = 1,
				 .done = req_done, .res = 1 } };
	struct lio_bdev *b;
	char err[256];

	ASSERT_EQ(0, lio_bdev_open(&cfg, NULL, &b, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(1ULL << 40, b->size);	/* its default, whatever the offset */
	EXPECT_EQ(512U, b->block_size);
	memset(buf, 0xa5, sizeof(buf));
	ASSERT_EQ(0, lio_bdev_submit(b, &r.io));
	EXPECT_EQ(1, r.done);		/* before any poll */
	EXPECT_EQ(0, r.io.res);
	EXPECT_EQ(0xa5, buf[0]);
	EXPECT_EQ(0xa5, buf[511]);
	r.io.op = LIO_IO_WRITE;
	ASSERT_EQ(0, lio_bdev_submit(b, &r.io));
	EXPECT_EQ(2, r.done);
	lio_bdev_close(b);

	cfg.size = 1 << 20;
	cfg.readonly = true;
	ASSERT_EQ(0, lio_bdev_open(&cfg, NULL, &b, err, sizeof(err)));
	EXPECT_EQ((uint64_t)1 << 20, b->size);
	EXPECT_EQ(-EROFS, lio_bdev_submit(b, &r.io));
	lio_bdev_close(b);
}

TEST(nvme_open_errors)
{
	struct lio_bdev_cfg cfg = { .type = LIO_BDEV_NVME, .path = "/dev/null" };
	struct lio_ring *small, *big;
	char file[] = "/tmp/leapiod-ng-XXXXXX";
	int fd;

	ASSERT_EQ(0, lio_ring_create(&small, 8, false));
	ASSERT_EQ(0, lio_ring_create(&big, 8, true));
	OPEN_REFUSED(&cfg, big, -ENOTTY, "/dev/null is a character device but not an NVMe generic device");
	OPEN_REFUSED(&cfg, small, -EINVAL, "needs a poller ring created big");
	snprintf(cfg.path, sizeof(cfg.path), "/dev/ng-leapiod-none");
	OPEN_REFUSED(&cfg, big, -ENOENT, "/dev/ng-leapiod-none does not exist");
	fd = mkstemp(file);
	ASSERT_LE(0, fd);
	close(fd);
	snprintf(cfg.path, sizeof(cfg.path), "%s", file);
	OPEN_REFUSED(&cfg, big, -EINVAL, "is a regular file, not what type \"nvme\" for an NVMe generic device /dev/ngXnY needs");
	unlink(file);
	lio_ring_destroy(small);
	lio_ring_destroy(big);
}

TEST_HARNESS_MAIN
