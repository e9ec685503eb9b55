// SPDX-License-Identifier: GPL-2.0
/*
 * Copy (NVM Command Set, Simple Copy, source range format 0h): the
 * source ranges, in the order of their entries, read into a buffer of
 * leapiod's and written from SDLBA on, MDTS at a time. Nothing crosses
 * guest memory but the entries themselves, which are copied out first
 * (the guest may change them while the command runs).
 *
 * Overlaps: each range is copied as memmove() would, as though it were
 * read whole before written (a range whose destination starts inside it
 * is copied from its end), and a range sees what the ranges before it
 * wrote. On a failure DW0 is the number of the first range not copied
 * (the ranges before it are), as the specification asks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vdev.h"

struct lio_copy_range {
	u64	slba;
	u32	nlb;
};

struct lio_copy {
	u32	nr;
	u32	i;		/* the range being copied */
	u64	dlba;		/* where range i's first block goes */
	u32	left;		/* blocks of range i not copied yet */
	u32	step;		/* blocks of the read or write at the backend */
	u32	chunk;		/* most blocks a step */
	bool	back;		/* range i from its end (overlap) */
	bool	fua;
	void	*buf;
	struct iovec iov;
	struct lio_copy_range r[NVME_IO_COPY_RANGES];
};

static void lio_copy_end(struct lio_cmd *c, u16 st)
{
	struct lio_copy *cp = c->copy;

	/* The lowest range not copied, or 0 when all were. */
	c->dw0 = st ? cp->i : 0;
	free(cp->buf);
	free(cp);
	c->copy = NULL;
	lio_cmd_finish(c, st);
}

/* Blocks [s, s + step) of range i, and where they go. */
static void lio_copy_where(const struct lio_copy *cp, u64 *s, u64 *d)
{
	const struct lio_copy_range *r = &cp->r[cp->i];
	u64 off = cp->back ? cp->left - cp->step : r->nlb - cp->left;

	*s = r->slba + off;
	*d = cp->dlba + off;
}

static void lio_copy_done(struct lio_io *io);

static u16 lio_copy_submit(struct lio_cmd *c, u8 op)
{
	struct lio_vdev *v = c->v;
	struct lio_copy *cp = c->copy;
	struct lio_io *io = &c->io;
	u64 s, d;

	/* A reset: the completion would be dropped, the rest is not done. */
	if (c->abandoned || c->generation != v->generation)
		return NVME_SC_ABORT_REQ;
	lio_copy_where(cp, &s, &d);
	lio_io_init(io, op);
	io->offset = (op == LIO_IO_READ ? s : d) << c->ns->lba_shift;
	io->len = (u64)cp->step << c->ns->lba_shift;
	io->fua = op == LIO_IO_WRITE && cp->fua;
	cp->iov.iov_base = cp->buf;
	cp->iov.iov_len = io->len;
	io->iov = &cp->iov;
	io->iovcnt = 1;
	io->done = lio_copy_done;
	c->err_lba = s;
	return lio_submit(c->ns->bdev, io);
}

/* Range i begins: 0, 0xffff when there is none left, or a status. */
static u16 lio_copy_begin(struct lio_cmd *c)
{
	struct lio_copy *cp = c->copy;
	const struct lio_copy_range *r = &cp->r[cp->i];
	u16 st;

	if (cp->i == cp->nr)
		return 0xffff;
	st = lio_uncor_read_check(c, r->slba, r->nlb);
	if (st)
		return st;
	cp->left = r->nlb;
	cp->back = cp->dlba > r->slba && cp->dlba < r->slba + r->nlb;
	return 0;
}

/* The next piece of range i read: 0 or a status. */
static u16 lio_copy_read(struct lio_cmd *c)
{
	struct lio_copy *cp = c->copy;

	cp->step = cp->left < cp->chunk ? cp->left : cp->chunk;
	return lio_copy_submit(c, LIO_IO_READ);
}

/* The next read, of range i or (it is done) of the next: as begin(). */
static u16 lio_copy_next(struct lio_cmd *c)
{
	struct lio_copy *cp = c->copy;
	u16 st;

	if (!cp->left) {
		cp->dlba += cp->r[cp->i].nlb;
		cp->i++;
		st = lio_copy_begin(c);
		if (st)
			return st;
	}
	return lio_copy_read(c);
}

static void lio_copy_done(struct lio_io *io)
{
	struct lio_cmd *c = (struct lio_cmd *)io;
	struct lio_copy *cp = c->copy;
	u64 s, d;
	u16 st;

	if (io->res) {
		lio_copy_end(c, lio_res_status(io->res));
		return;
	}
	if (io->op == LIO_IO_READ) {
		st = lio_copy_submit(c, LIO_IO_WRITE);
		if (st)
			lio_copy_end(c, st);
		return;
	}
	/* Written: those blocks hold data now, not a mark. */
	lio_copy_where(cp, &s, &d);
	st = lio_uncor_any(c->ns->uncor) ?
	     lio_uncor_status(lio_uncor_clear(c->ns->uncor, d, cp->step)) : 0;
	if (st) {
		lio_copy_end(c, st);
		return;
	}
	cp->left -= cp->step;
	st = lio_copy_next(c);
	if (st == 0xffff)
		lio_copy_end(c, 0);
	else if (st)
		lio_copy_end(c, st);
}

u16 lio_cmd_copy(struct lio_vdev *v, struct lio_cmd *c,
		 const struct nvme_sqe *sqe, struct nvme_io_cmd *cmd)
{
	struct nvme_copy_range e[NVME_IO_COPY_RANGES];
	struct lio_copy *cp;
	u32 i;
	u16 st;

	st = lio_cmd_data_in(v, c, sqe, e, cmd->len);
	if (st)
		return st;
	st = nvme_io_copy_ranges(&c->ns->io, e, cmd);
	if (st) {
		c->err_loc = cmd->err_loc;
		c->err_lba = cmd->err_lba;
		return st;
	}
	if (c->ns->bdev->cfg.readonly)
		return lio_res_status(-EROFS);	/* as a Write */
	cp = calloc(1, sizeof(*cp));
	if (!cp)
		return NVME_SC_INTERNAL;
	cp->nr = cmd->nr;
	for (i = 0; i < cp->nr; i++) {
		cp->r[i].slba = le64_to_cpu(e[i].slba);
		cp->r[i].nlb = (u32)le16_to_cpu(e[i].nlb) + 1;
	}
	cp->dlba = cmd->slba;
	cp->fua = le32_to_cpu(sqe->cdw12) & NVME_RW_FUA;
	/* MDTS a step: what every backend takes in one request. */
	cp->chunk = v->max_xfer >> c->ns->lba_shift;
	cp->buf = aligned_alloc(4096, v->max_xfer);
	if (!cp->buf) {
		free(cp);
		return NVME_SC_INTERNAL;
	}
	c->copy = cp;
	st = lio_copy_begin(c);
	if (!st)
		st = lio_copy_read(c);
	if (st) {
		/* Nothing at the backend: finished by the caller. */
		c->dw0 = cp->i;
		free(cp->buf);
		free(cp);
		c->copy = NULL;
		return st;
	}
	return 0xffff;
}
