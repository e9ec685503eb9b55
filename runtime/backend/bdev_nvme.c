// SPDX-License-Identifier: GPL-2.0
/*
 * The NVMe passthrough backend: an NVMe generic character device
 * (/dev/ngXnY) driven with IORING_OP_URING_CMD, so a guest command
 * becomes one command of the backing namespace with no block layer
 * request merging or splitting in between. The poller's ring must be big
 * (SQE128 for struct nvme_uring_cmd, CQE32). The kernel maps the iovec
 * itself (and copies through its own bounce buffer where the device's DMA
 * alignment asks), so no alignment check here.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/nvme_ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bdev_internal.h"
#include "ring_internal.h"

/* Dataset Management's range lives until the command completes. */
struct lio_nvme_dsm {
	struct lio_io	io;
	struct lio_io	*orig;
	struct {
		__le32	cattr;
		__le32	nlb;
		__le64	slba;
	} range;
};

#define NVME_RW_FUA_BIT		(1U << 30)
#define NVME_DSM_AD		(1U << 2)

static void dsm_done(struct lio_io *io)
{
	struct lio_nvme_dsm *d = (struct lio_nvme_dsm *)io;
	struct lio_io *orig = d->orig;
	int32_t res = io->res;

	/* Deallocation is a hint: a namespace without it keeps the data. */
	if (res == NVME_SC_INVALID_OPCODE || res == NVME_SC_INVALID_FIELD)
		res = 0;
	free(d);
	orig->res = res;
	orig->done(orig);
}

int lio_nvme_submit(struct lio_bdev *b, struct lio_io *io)
{
	const struct lio_nvme *n = b->priv;
	struct lio_nvme_dsm *dsm = NULL;
	struct io_uring_sqe *sqe;
	struct nvme_uring_cmd *c;
	uint64_t slba, nlb;

	if (b->cfg.readonly && io->op != LIO_IO_READ && io->op != LIO_IO_FLUSH)
		return -EROFS;
	slba = (b->cfg.offset + io->offset) >> n->lba_shift;
	nlb = io->len >> n->lba_shift;
	if (io->op != LIO_IO_FLUSH) {
		uint64_t mask = (1ULL << n->lba_shift) - 1;

		/* The guest's LBAs are smaller than the backend's, or a
		 * Write Zeroes too long for one command: not carried.
		 */
		if (((b->cfg.offset + io->offset) | io->len) & mask || !nlb)
			return -EINVAL;
		if (io->op == LIO_IO_DISCARD ? nlb > UINT32_MAX : nlb > 0x10000)
			return -EINVAL;
	}
	if (io->op == LIO_IO_DISCARD) {
		dsm = calloc(1, sizeof(*dsm));
		if (!dsm)
			return -ENOMEM;
		dsm->io.op = io->op;
		dsm->io.done = dsm_done;
		dsm->orig = io;
		dsm->range.nlb = htole32((uint32_t)nlb);
		dsm->range.slba = htole64(slba);
	}
	sqe = lio_ring_sqe(b->ring);
	if (!sqe) {
		free(dsm);
		return -EAGAIN;
	}
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = b->fd;
	sqe->cmd_op = NVME_URING_CMD_IO;
	c = (struct nvme_uring_cmd *)sqe->cmd;
	c->nsid = n->nsid;
	c->cdw10 = (uint32_t)slba;
	c->cdw11 = (uint32_t)(slba >> 32);
	c->cdw12 = (uint32_t)(nlb - 1);
	switch (io->op) {
	case LIO_IO_READ:
	case LIO_IO_WRITE:
		c->opcode = io->op == LIO_IO_READ ? nvme_cmd_read : nvme_cmd_write;
		if (io->fua)
			c->cdw12 |= NVME_RW_FUA_BIT;
		if (io->iovcnt == 1) {
			c->addr = (uintptr_t)io->iov[0].iov_base;
			c->data_len = (uint32_t)io->iov[0].iov_len;
		} else {
			sqe->cmd_op = NVME_URING_CMD_IO_VEC;
			c->addr = (uintptr_t)io->iov;
			c->data_len = io->iovcnt;
		}
		break;
	case LIO_IO_FLUSH:
		c->opcode = nvme_cmd_flush;
		c->cdw10 = c->cdw11 = c->cdw12 = 0;
		break;
	case LIO_IO_WRITE_ZEROES:
		c->opcode = nvme_cmd_write_zeroes;
		break;
	case LIO_IO_DISCARD:
		c->opcode = nvme_cmd_dsm;
		c->cdw10 = 0;		/* one range */
		c->cdw11 = NVME_DSM_AD;
		c->cdw12 = 0;
		c->addr = (uintptr_t)&dsm->range;
		c->data_len = sizeof(dsm->range);
		lio_ring_commit(b->ring, sqe, &dsm->io, LIO_RES_NVME);
		return 0;
	}
	lio_ring_commit(b->ring, sqe, io, LIO_RES_NVME);
	return 0;
}

static void nvme_close(struct lio_bdev *b)
{
	free(b->priv);
	b->priv = NULL;
}

static const struct lio_bdev_ops lio_nvme_ops = {
	.submit	= lio_nvme_submit,
	.close	= nvme_close,
};

/* Identify Namespace through the admin passthrough ioctl (root only). */
static int nvme_identify(struct lio_bdev *b, const char *dev, uint32_t nsid,
			 struct lio_nvme *n, uint64_t *total, char *err, size_t errlen)
{
	struct nvme_passthru_cmd cmd;
	struct nvme_id_ns *id;
	unsigned int fmt;
	int ret;

	id = aligned_alloc(4096, sizeof(*id));
	if (!id)
		return lio_bdev_err(-ENOMEM, err, errlen, "out of memory");
	memset(id, 0, sizeof(*id));
	memset(&cmd, 0, sizeof(cmd));
	cmd.opcode = nvme_admin_identify;
	cmd.nsid = nsid;
	cmd.addr = (uintptr_t)id;
	cmd.data_len = sizeof(*id);
	cmd.cdw10 = NVME_ID_CNS_NS;
	ret = ioctl(b->fd, NVME_IOCTL_ADMIN_CMD, &cmd);
	if (ret) {
		ret = ret < 0 ? lio_bdev_err(-errno, err, errlen,
					     "%s: Identify Namespace %u failed: %m%s",
					     dev, nsid,
					     errno == EACCES || errno == EPERM ?
					     " (leapiod needs CAP_SYS_ADMIN)" : "") :
			lio_bdev_err(-EIO, err, errlen,
				     "%s: Identify Namespace %u failed with NVMe status %#x",
				     dev, nsid, ret);
		goto out;
	}
	fmt = id->flbas & 0xf;
	if (id->nlbaf >= 16)
		fmt |= ((id->flbas >> 5) & 3) << 4;
	if (le16toh(id->lbaf[fmt].ms)) {
		ret = lio_bdev_err(-EOPNOTSUPP, err, errlen,
				   "%s: namespace %u is formatted with %u bytes of metadata "
				   "per block: not supported", dev, nsid,
				   le16toh(id->lbaf[fmt].ms));
		goto out;
	}
	if (id->lbaf[fmt].ds < 9 || id->lbaf[fmt].ds > 16) {
		ret = lio_bdev_err(-EOPNOTSUPP, err, errlen,
				   "%s: namespace %u has an LBA size of 2^%u bytes: not supported",
				   dev, nsid, id->lbaf[fmt].ds);
		goto out;
	}
	n->nsid = nsid;
	n->lba_shift = id->lbaf[fmt].ds;
	*total = le64toh(id->nsze) << n->lba_shift;
	ret = 0;
out:
	free(id);
	return ret;
}

int lio_nvme_open_dev(struct lio_bdev *b, const char *dev, struct lio_nvme *n,
		      char *err, size_t errlen)
{
	struct lio_bdev_cfg c = b->cfg;
	uint64_t total = 0;
	int ret, nsid;

	if (!b->ring || !b->ring->big)
		return lio_bdev_err(-EINVAL, err, errlen,
				    "%s: NVMe passthrough needs a poller ring created big "
				    "(SQE128/CQE32)", dev);
	snprintf(c.path, sizeof(c.path), "%s", dev);
	b->fd = lio_bdev_open_path(&c, 0, err, errlen);
	if (b->fd < 0)
		return b->fd;
	nsid = ioctl(b->fd, NVME_IOCTL_ID);
	if (nsid <= 0) {
		ret = lio_bdev_err(-ENOTTY, err, errlen,
				   "%s is a character device but not an NVMe generic "
				   "device (/dev/ngXnY)", dev);
		goto fail;
	}
	ret = nvme_identify(b, dev, (uint32_t)nsid, n, &total, err, errlen);
	if (!ret) {
		b->block_size = 1U << n->lba_shift;
		ret = lio_bdev_fit(b, total, err, errlen);
	}
	if (!ret)
		return 0;
fail:
	close(b->fd);
	b->fd = -1;
	return ret;
}

int lio_bdev_open_nvme(struct lio_bdev *b, char *err, size_t errlen)
{
	struct lio_nvme *n;
	struct stat st;
	int ret;

	ret = lio_bdev_stat_path(&b->cfg, &st, err, errlen);
	if (ret)
		return ret;
	n = calloc(1, sizeof(*n));
	if (!n)
		return lio_bdev_err(-ENOMEM, err, errlen, "out of memory");
	ret = lio_nvme_open_dev(b, b->cfg.path, n, err, errlen);
	if (ret) {
		free(n);
		return ret;
	}
	b->priv = n;
	b->ops = &lio_nvme_ops;
	return 0;
}
