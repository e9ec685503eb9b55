// SPDX-License-Identifier: GPL-2.0
/*
 * One fetched I/O command: checked by the rules the controller model
 * applies too (common/nvme/io_cmd.c), its PRPs turned into an iovec
 * straight over guest memory, and handed to the backend. Every failure
 * completes the command at once with the spec's status, before anything
 * reaches the backend, and what the Error Information log wants to know
 * of it is kept for the driver (lio_cmd.err_loc, err_lba).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/nvme/prp.h"
#include "vdev.h"

#define LIO_DSM_MAX_RANGES	256

struct lio_prp_ctx {
	struct lio_vdev	*v;
	struct lio_cmd	*c;
	u32		n;
};

static int lio_prp_read_list(void *ctx, u64 gpa, __le64 *entries, u32 n)
{
	struct lio_prp_ctx *p = ctx;
	void *src = lio_gptr(p->v, gpa, (u64)n * 8);

	if (!src)
		return -EFAULT;
	memcpy(entries, src, (size_t)n * 8);
	return 0;
}

static int lio_prp_segment(void *ctx, u64 gpa, u32 len)
{
	struct lio_prp_ctx *p = ctx;
	u8 *ptr = lio_gptr(p->v, gpa, len);
	struct iovec *last;

	if (!ptr)
		return -EFAULT;
	if (p->n) {
		last = &p->c->iov[p->n - 1];
		if ((u8 *)last->iov_base + last->iov_len == ptr) {
			last->iov_len += len;
			return 0;
		}
	}
	if (p->n == LIO_IOV_MAX)
		return -E2BIG;
	p->c->iov[p->n].iov_base = ptr;
	p->c->iov[p->n].iov_len = len;
	p->n++;
	return 0;
}

/* lio_map_data() past its fast path. */
static __attribute__((noinline)) u16
lio_map_data_slow(struct lio_vdev *v, struct lio_cmd *c,
		  const struct nvme_sqe *sqe, u32 len, u32 *iovcnt)
{
	u64 prp1 = le64_to_cpu(sqe->prp1), prp2 = le64_to_cpu(sqe->prp2);
	u32 psz = v->page_size, first = psz - (prp1 & (psz - 1));
	struct lio_prp_ctx ctx = { .v = v, .c = c };
	struct nvme_prp_walk w;
	u16 err_loc, st;

	/* One or two pages: no list to walk. */
	if (!(prp1 & 3) && len <= (u64)first + psz &&
	    (len <= first || !(prp2 & (psz - 1)))) {
		if (lio_prp_segment(&ctx, prp1, len <= first ? len : first)) {
			c->err_loc = NVME_ERR_LOC(NVME_SQE_OFF_PRP1, 0);
			return NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR;
		}
		if (len > first && lio_prp_segment(&ctx, prp2, len - first)) {
			c->err_loc = NVME_ERR_LOC(NVME_SQE_OFF_PRP2, 0);
			return NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR;
		}
		*iovcnt = ctx.n;
		return 0;
	}
	w = (struct nvme_prp_walk) {
		.prp1		= prp1,
		.prp2		= prp2,
		.len		= len,
		.page_size	= psz,
		.read_list	= lio_prp_read_list,
		.segment	= lio_prp_segment,
		.ctx		= &ctx,
	};
	st = nvme_prp_walk(&w, &err_loc);
	*iovcnt = ctx.n;
	if (!st)
		return 0;
	c->err_loc = err_loc;
	return st | NVME_STATUS_DNR;
}

/* The command's data as an iovec in c->iov: an NVMe status. */
static inline u16 lio_map_data(struct lio_vdev *v, struct lio_cmd *c,
			       const struct nvme_sqe *sqe, u32 len,
			       u32 *iovcnt)
{
	u64 prp1 = le64_to_cpu(sqe->prp1);

	/*
	 * Within one page of the leaf translated last, the common case:
	 * no walk, no lookup. (Differences, so that no sum overflows.)
	 */
	if (likely(!v->plat_mem &&
		   len <= v->page_size - (prp1 & (v->page_size - 1)) &&
		   !(prp1 & 3) && prp1 - v->xl_lo < v->xl_hi - v->xl_lo &&
		   len <= v->xl_hi - prp1)) {
		c->iov[0].iov_base = v->gmem + prp1;
		c->iov[0].iov_len = len;
		*iovcnt = 1;
		return 0;
	}
	return lio_map_data_slow(v, c, sqe, len, iovcnt);
}

static bool lio_iov_equal(const struct iovec *iov, u32 n, const u8 *buf)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (memcmp(iov[i].iov_base, buf, iov[i].iov_len))
			return false;
		buf += iov[i].iov_len;
	}
	return true;
}

u16 lio_res_status(int32_t res)
{
	if (res > 0)
		return (u16)res & ~1U;	/* passthrough: the device's status */
	if (res == -EINVAL || res == -EOPNOTSUPP)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	if (res == -EROFS || res == -EPERM || res == -EACCES)
		return NVME_STATUS(NVME_SCT_MEDIA, 0x80) | NVME_STATUS_DNR;
	/* Guest memory unmapped while the request waited to run (io_uring
	 * pins the pages only when it issues it): the transfer failed.
	 */
	if (res == -EFAULT)
		return NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR;
	return NVME_SC_INTERNAL;
}

/*
 * Staged data (plat.h): a read's goes to the guest now, only if the
 * backend succeeded; the buffer goes back either way. An NVMe status.
 */
static u16 lio_unstage(struct lio_cmd *c, bool read)
{
	struct lio_vdev *v = c->v;

	c->staged = false;
	if (v->plat->stage_out(v, &c->stage, c->iov, c->niov, read))
		return NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR;
	return 0;
}

u16 lio_uncor_status(int ret)
{
	if (!ret)
		return 0;
	/* More scattered marks than kept (uncor.h): no retry helps. */
	if (ret == -ENOSPC)
		return NVME_SC_CAP_EXCEEDED | NVME_STATUS_DNR;
	/* The state directory failed us: perhaps not next time. */
	return NVME_SC_INTERNAL;
}

u16 lio_uncor_read_check(struct lio_cmd *c, u64 slba, u64 nlb)
{
	u64 lba;

	if (!lio_uncor_find(c->ns->uncor, slba, nlb, &lba))
		return 0;
	c->err_lba = lba;
	return NVME_SC_READ_ERROR | NVME_STATUS_DNR;
}

/* Blocks written again hold data, not a mark: a status. */
static u16 lio_uncor_written(struct lio_rns *ns, const struct lio_io *io)
{
	if (likely(!lio_uncor_any(ns->uncor)))
		return 0;
	return lio_uncor_status(lio_uncor_clear(ns->uncor,
						io->offset >> ns->lba_shift,
						io->len >> ns->lba_shift));
}

static void lio_io_done(struct lio_io *io)
{
	struct lio_cmd *c = (struct lio_cmd *)io;
	u16 st = io->res ? lio_res_status(io->res) : 0;

	if (unlikely(c->staged)) {
		u16 ust = lio_unstage(c, !st && io->op == LIO_IO_READ);

		if (!st)
			st = ust;
	}
	if (unlikely(c->bounce)) {
		/* Compare's data is at iov[1..nr_sub); Verify's is dropped. */
		if (!st && c->opcode == nvme_cmd_compare &&
		    !lio_iov_equal(c->iov + 1, c->nr_sub, c->bounce))
			st = NVME_SC_COMPARE_FAILED | NVME_STATUS_DNR;
		free(c->bounce);
		c->bounce = NULL;
	}
	if (!st && (io->op == LIO_IO_WRITE || io->op == LIO_IO_WRITE_ZEROES))
		st = lio_uncor_written(c->ns, io);
	lio_cmd_finish(c, st);
}

/*
 * A command of several backend requests (DSM's ranges, a Flush of every
 * namespace) is held by each one at the backend, and by its start until
 * every one was submitted: the last put finishes it.
 */
static void lio_sub_put(struct lio_cmd *c)
{
	if (--c->nr_sub)
		return;
	free(c->sub);
	c->sub = NULL;
	lio_cmd_finish(c, c->status);
}

static void lio_dsm_sub_done(struct lio_io *io);

/*
 * Room for n of them, the command held by its start: false when there is
 * none (the command fails with Internal Error).
 */
static bool lio_sub_begin(struct lio_cmd *c, u32 n)
{
	c->sub = calloc(n, sizeof(*c->sub));
	if (!c->sub)
		return false;
	c->status = 0;
	c->nr_sub = 1;		/* held until every one is submitted */
	return true;
}

/* One of them to backend b: false when it failed (c->status says why). */
static bool lio_sub_submit(struct lio_cmd *c, struct lio_bdev *b,
			   struct lio_io *io)
{
	u16 st;

	io->iov = (struct iovec *)c;	/* no data: the owner */
	io->done = lio_dsm_sub_done;
	c->nr_sub++;
	st = lio_submit(b, io);
	if (!st)
		return true;
	c->nr_sub--;
	c->status = st;
	return false;
}

static void lio_dsm_sub_done(struct lio_io *io)
{
	struct lio_cmd *c = (struct lio_cmd *)io->iov;	/* the owner */

	if (io->res && !c->status)
		c->status = lio_res_status(io->res);
	/* Deallocated blocks read as DLFEAT says, not as a mark. A Flush
	 * of every namespace has no one namespace, and no LBAs.
	 */
	if (!io->res && !c->status && io->op == LIO_IO_DISCARD)
		c->status = lio_uncor_written(c->ns, io);
	lio_sub_put(c);
}

u16 lio_submit(struct lio_bdev *b, struct lio_io *io)
{
	int ret = lio_bdev_submit(b, io);

	/* A full ring: the command waits in the backend's retry; here it is
	 * reported as a transient error the host retries.
	 */
	if (ret)
		return ret == -EAGAIN ? NVME_SC_NS_NOT_READY :
					lio_res_status(ret);
	return 0;
}

u16 lio_cmd_data_in(struct lio_vdev *v, struct lio_cmd *c,
		    const struct nvme_sqe *sqe, void *buf, u32 len)
{
	u32 iovcnt, i, off = 0;
	u16 st;

	st = lio_map_data(v, c, sqe, len, &iovcnt);
	if (st)
		return st;
	for (i = 0; i < iovcnt; i++) {
		memcpy((u8 *)buf + off, c->iov[i].iov_base, c->iov[i].iov_len);
		off += c->iov[i].iov_len;
	}
	return 0;
}

static u16 lio_cmd_dsm(struct lio_vdev *v, struct lio_cmd *c,
		       const struct nvme_sqe *sqe, u32 len)
{
	u32 nr = len / sizeof(struct nvme_dsm_range);
	struct nvme_dsm_range r[LIO_DSM_MAX_RANGES];
	u32 i;
	u16 st;

	st = lio_cmd_data_in(v, c, sqe, r, len);
	if (st)
		return st;
	for (i = 0; i < nr; i++) {
		st = nvme_io_lba_check(&c->ns->io, le64_to_cpu(r[i].slba),
				       le32_to_cpu(r[i].nlb));
		if (st) {
			/* The range is in the data, not the SQE: no field. */
			c->err_lba = le64_to_cpu(r[i].slba);
			return st;
		}
	}
	if (!(le32_to_cpu(sqe->cdw11) & NVME_DSMGMT_AD))
		return 0;	/* attributes only: nothing to do */
	if (!lio_sub_begin(c, nr))
		return NVME_SC_INTERNAL;
	for (i = 0; i < nr; i++) {
		struct lio_io *io = &c->sub[i];

		if (!r[i].nlb)
			continue;
		io->op = LIO_IO_DISCARD;
		io->offset = le64_to_cpu(r[i].slba) << c->ns->lba_shift;
		io->len = (u64)le32_to_cpu(r[i].nlb) << c->ns->lba_shift;
		if (!lio_sub_submit(c, c->ns->bdev, io))
			break;
	}
	/* Drop the hold: completes now if every range is done already. */
	lio_sub_put(c);
	return 0xffff;		/* finished (or will be) by the sub requests */
}

/*
 * Verify: the blocks read into a buffer of ours and dropped; what fails
 * a Read fails it (a mark of Write Uncorrectable, a backend error).
 */
static u16 lio_cmd_verify(struct lio_cmd *c, const struct nvme_io_cmd *cmd)
{
	struct lio_io *io = &c->io;
	u64 len = (u64)cmd->nlb << c->ns->lba_shift;
	u16 st;

	st = lio_uncor_read_check(c, cmd->slba, cmd->nlb);
	if (st)
		return st;
	/* At most VSL, which is MDTS. */
	c->bounce = aligned_alloc(4096, (len + 4095) & ~4095ULL);
	if (!c->bounce)
		return NVME_SC_INTERNAL;
	lio_io_init(io, LIO_IO_READ);
	io->offset = cmd->slba << c->ns->lba_shift;
	io->len = len;
	c->iov[0].iov_base = c->bounce;
	c->iov[0].iov_len = len;
	io->iov = c->iov;
	io->iovcnt = 1;
	return 0;
}

/* Write Uncorrectable: nothing reaches the backend, the marks change. */
static u16 lio_cmd_write_uncor(struct lio_cmd *c,
			       const struct nvme_io_cmd *cmd)
{
	if (c->ns->bdev->cfg.readonly)
		return lio_res_status(-EROFS);	/* as a Write */
	return lio_uncor_status(lio_uncor_mark(c->ns->uncor, cmd->slba,
					       cmd->nlb));
}

/*
 * The namespace the command names, for the I/O checks: one attached that
 * a backend here serves. NULL for any other NSID (Invalid Namespace, or
 * FFFFFFFFh where the command takes it); one attached with no backend
 * here is not ready (the configuration may give it one later).
 */
static u16 lio_cmd_ns(struct lio_vdev *v, struct lio_cmd *c,
		      const struct nvme_sqe *sqe)
{
	struct lio_rns *ns = lio_rns_get(v, le32_to_cpu(sqe->nsid));

	c->ns = NULL;
	if (!ns || !ns->attached)
		return 0;
	if (unlikely(!ns->bdev))
		return NVME_SC_NS_NOT_READY;
	c->ns = ns;
	return 0;
}

/*
 * A Flush of every namespace (NSID FFFFFFFFh): one at each backend of an
 * attached namespace, as DSM's ranges are (lio_dsm_sub_done() completes
 * the command once the last is done).
 */
static u16 lio_cmd_flush_all(struct lio_vdev *v, struct lio_cmd *c)
{
	unsigned int i, n = 0;

	if (!lio_sub_begin(c, LIO_MAX_NSID))
		return NVME_SC_INTERNAL;
	for (i = 0; i < LIO_MAX_NSID; i++) {
		struct lio_io *io = &c->sub[n];

		if (!v->ns[i].attached || !v->ns[i].bdev)
			continue;
		lio_io_init(io, LIO_IO_FLUSH);
		n++;
		if (!lio_sub_submit(c, v->ns[i].bdev, io))
			break;
	}
	lio_sub_put(c);
	return 0xffff;
}

/* Validate and execute; 0xffff means it is at the backend. */
static u16 lio_cmd_exec(struct lio_vdev *v, struct lio_cmd *c,
			const struct nvme_sqe *sqe)
{
	struct lio_io *io = &c->io;
	struct nvme_io_cmd cmd;
	u32 iovcnt;
	u16 st;

	c->opcode = sqe->opcode;
	st = lio_cmd_ns(v, c, sqe);
	if (unlikely(st))
		return st;
	st = nvme_io_check(sqe, c->ns ? &c->ns->io : NULL, &cmd);
	if (unlikely(st)) {
		c->err_loc = cmd.err_loc;
		c->err_lba = cmd.err_lba;
		return st;
	}
	/* Checked: without a namespace, a command of them all. */
	if (unlikely(!c->ns))
		return lio_cmd_flush_all(v, c);
	/* Errors from here on are about the command's blocks as a whole. */
	c->err_lba = cmd.slba;
	/* By what the table says the command names and moves. */
	switch (cmd.op->xfer) {
	case NVME_IO_XFER_NONE:		/* Flush */
		lio_io_init(io, LIO_IO_FLUSH);
		break;
	case NVME_IO_XFER_LBAS:		/* Read, Write, Compare */
		st = lio_map_data(v, c, sqe, cmd.len, &iovcnt);
		if (st)
			return st;
		lio_io_init(io, sqe->opcode == nvme_cmd_write ? LIO_IO_WRITE :
								LIO_IO_READ);
		io->fua = sqe->opcode == nvme_cmd_write &&
			  (le32_to_cpu(sqe->cdw12) & NVME_RW_FUA);
		io->offset = cmd.slba << c->ns->lba_shift;
		io->len = cmd.len;
		io->iov = c->iov;
		io->iovcnt = iovcnt;
		c->bytes = cmd.len;
		if (unlikely(lio_uncor_any(c->ns->uncor)) &&
		    io->op == LIO_IO_READ) {
			st = lio_uncor_read_check(c, cmd.slba, cmd.nlb);
			if (st)
				return st;
		}
		if (sqe->opcode == nvme_cmd_compare) {
			/* The only copy: the backend's data, to compare. */
			if (iovcnt >= LIO_IOV_MAX)
				return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
			memmove(c->iov + 1, c->iov, iovcnt * sizeof(c->iov[0]));
			c->bounce = aligned_alloc(4096,
						  (cmd.len + 4095) & ~4095U);
			if (!c->bounce)
				return NVME_SC_INTERNAL;
			c->iov[0].iov_base = c->bounce;
			c->iov[0].iov_len = cmd.len;
			io->iov = c->iov;
			io->iovcnt = 1;
			/* lio_io_done() compares c->iov[1..nr_sub] */
			c->nr_sub = iovcnt;
		} else if (unlikely(v->plat_mem) && v->plat->stage_in) {
			/* The backend gets a buffer of the platform's. */
			int ret = v->plat->stage_in(v, c->iov, iovcnt, cmd.len,
						    io->op == LIO_IO_WRITE,
						    &c->stage);

			if (ret == -EAGAIN)
				return NVME_SC_NS_NOT_READY;
			if (ret)
				return NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR;
			c->staged = true;
			c->niov = iovcnt;
			io->iov = &c->stage;
			io->iovcnt = 1;
		}
		break;
	case NVME_IO_XFER_LBAS_NODATA:
		if (sqe->opcode == nvme_cmd_write_uncor)
			return lio_cmd_write_uncor(c, &cmd);
		if (sqe->opcode == nvme_cmd_verify) {
			st = lio_cmd_verify(c, &cmd);
			if (st)
				return st;
			break;
		}
		lio_io_init(io, LIO_IO_WRITE_ZEROES);
		io->offset = cmd.slba << c->ns->lba_shift;
		io->len = (u64)cmd.nlb << c->ns->lba_shift;
		break;
	case NVME_IO_XFER_DSM:
		return lio_cmd_dsm(v, c, sqe, cmd.len);
	case NVME_IO_XFER_COPY:
		return lio_cmd_copy(v, c, sqe, &cmd);
	default:
		/* io_cmd.c describes a command this file cannot carry out. */
		c->err_loc = NVME_ERR_LOC(NVME_SQE_OFF_OPCODE, 0);
		return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
	}
	io->done = lio_io_done;
	st = lio_submit(c->ns->bdev, io);
	if (st) {
		free(c->bounce);
		c->bounce = NULL;
		if (c->staged)
			lio_unstage(c, false);	/* st says what failed */
		return st;
	}
	return 0xffff;
}

void lio_cmd_start(struct lio_vdev *v, struct lio_cmd *c)
{
	struct leapio_inflight *e = c->je;
	u16 st;

	/* The journal's copy is ours alone: the guest can't change it. */
	c->bytes = 0;
	c->bounce = NULL;
	c->copy = NULL;
	c->dw0 = 0;
	c->staged = false;
	c->sub = NULL;
	c->status = 0;
	c->abandoned = false;
	c->reported = false;
	c->err_loc = NVME_ERR_LOC_NONE;
	c->generation = v->generation;
	c->start_ns = v->now;
	v->inflight++;
	v->sq[c->sqid].inflight++;
	st = lio_cmd_exec(v, c, (const struct nvme_sqe *)e->sqe);
	if (st != 0xffff)
		lio_cmd_finish(c, st);
}
