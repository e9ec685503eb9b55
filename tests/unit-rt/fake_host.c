// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "fake_host.h"
#include "../lib/nvme_build.h"

/* fake_host.blk[]: what the L1 entry of a block is. */
enum { FH_BLK_NONE, FH_BLK_LEAF, FH_BLK_TABLE };

/* A fixed table per block, not the block's own index (a mix-up shows). */
static u32 fh_table(u64 blk)
{
	return FH_L2_TABLES - 1 - blk;
}

static bool fh_block_4k(const struct fake_host *h, u64 blk)
{
	return h->map_mode == FH_MAP_4K ||
	       (h->map_mode == FH_MAP_MIXED && (blk & 1));
}

/* Translate [lo, hi) of block blk, as the module's pin.c does. */
static int fh_map_block(struct fake_host *h, u64 blk, u64 lo, u64 hi)
{
	u32 t = fh_table(blk);
	bool hook = false;
	u64 a;
	int ret;

	switch (h->blk[blk]) {
	case FH_BLK_LEAF:
		return 0;
	case FH_BLK_NONE:
		if (!fh_block_4k(h, blk)) {
			ret = leapio_wr_xlate_set_2m(&h->r, blk,
						     FH_HPA + (blk << LEAPIO_L1_SHIFT));
			if (!ret)
				h->blk[blk] = FH_BLK_LEAF;
			return ret;
		}
		/* A table handed out afresh: entries first, then the hook. */
		ret = leapio_wr_xlate_wipe(&h->r, t);
		if (ret)
			return ret;
		hook = true;
		break;
	default:
		/* A block with a table stays one (as in the module). */
		break;
	}
	for (a = lo & ~0xfffULL; a < hi; a += 4096) {
		ret = leapio_wr_xlate_set_4k(&h->r, t,
					     (a >> LEAPIO_L2_SHIFT) & (LEAPIO_L2_ENTRIES - 1),
					     FH_HPA + a);
		if (ret)
			return ret;
	}
	if (hook) {
		ret = leapio_wr_xlate_hook(&h->r, blk, t);
		if (ret)
			return ret;
		h->blk[blk] = FH_BLK_TABLE;
	}
	return 0;
}

int fh_map(struct fake_host *h, u64 gpa, u64 len)
{
	u64 end = gpa + len, blk;
	int ret;

	if (!len || end > FH_GMEM_SIZE || end < gpa ||
	    (gpa < h->hole_start + h->hole_len && end > h->hole_start))
		return -EFAULT;
	for (blk = gpa >> LEAPIO_L1_SHIFT; blk <= (end - 1) >> LEAPIO_L1_SHIFT;
	     blk++) {
		u64 b0 = blk << LEAPIO_L1_SHIFT;

		ret = fh_map_block(h, blk, gpa > b0 ? gpa : b0,
				   end < b0 + (1ULL << LEAPIO_L1_SHIFT) ?
				   end : b0 + (1ULL << LEAPIO_L1_SHIFT));
		if (ret)
			return ret;
	}
	return 0;
}

/* The module's KICK: each request decoded and checked as mbox.c has it. */
static int fh_kick(struct lio_vdev *v)
{
	struct fake_host *h = v->plat_ctx;
	struct leapio_mbox *mb = h->r.mbox;

	while (mb->cons != mb->prod) {
		struct leapio_mbox_msg *m = &mb->msg[mb->cons % LEAPIO_MBOX_ENTRIES];
		struct leapio_mbox_req req;

		m->result = leapio_mbox_decode(m->op, m->arg0, m->arg1, m->rsvd,
					       h->r.hdr->nr_ioq, &req);
		if (m->result) {
			h->bad_reqs++;
			if (m->op == LEAPIO_MBOX_ERROR)
				h->bad_errs++;
			mb->cons++;
			continue;
		}
		switch (req.op) {
		case LEAPIO_MBOX_MAP:
			m->result = fh_map(h, req.map.gpa, req.map.len);
			if (!m->result)
				h->maps++;
			break;
		case LEAPIO_MBOX_IRQ:
			h->irqs_mbox++;
			break;
		case LEAPIO_MBOX_AEN:
			h->aens++;
			h->last_aen = req.aen;
			break;
		case LEAPIO_MBOX_FATAL:
			h->fatals++;
			break;
		case LEAPIO_MBOX_NS_GROW:
			h->ns_grows++;
			h->last_ns_size = req.ns_grow.size;
			h->last_ns_grow_nsid = req.ns_grow.nsid;
			break;
		case LEAPIO_MBOX_FORMAT_DONE:
			h->formats_done++;
			h->format_gen = req.format.gen;
			h->format_status = req.format.status;
			break;
		case LEAPIO_MBOX_NS_CREATED:
			h->creates_done++;
			h->create_gen = req.format.gen;
			h->create_status = req.format.status;
			break;
		case LEAPIO_MBOX_ERROR:
			if (h->nr_errs < FH_MAX_ERRS)
				h->errs[h->nr_errs] = req.err;
			h->nr_errs++;
			break;
		}
		mb->cons++;
	}
	return 0;
}

static int fh_irqfd(struct lio_vdev *v, u16 vec, u32 *seq)
{
	struct fake_host *h = v->plat_ctx;

	*seq = h->r.ctrl->irq_seq;
	if (vec >= LIO_NR_VEC || h->irqfd[vec] < 0)
		return -ENOENT;
	return dup(h->irqfd[vec]);
}

static const struct lio_plat fh_plat = { .kick = fh_kick, .irqfd = fh_irqfd };

/* ---- the memory backend ---- */

/* The memory behind backend b: namespace 1's, or another's (fh_ns). */
static u8 *fh_store(struct fake_host *h, struct lio_bdev *b)
{
	return b == &h->bdev ? h->store : ((struct fh_ns *)b)->store;
}

static void fh_do(struct fake_host *h, struct lio_bdev *b, struct lio_io *io)
{
	u8 *store = fh_store(h, b);
	u64 off = io->offset;
	u32 i;

	io->res = 0;
	if (h->null_backend) {
		io->done(io);
		return;
	}
	switch (io->op) {
	case LIO_IO_READ:
	case LIO_IO_WRITE:
		for (i = 0; i < io->iovcnt; i++) {
			if (io->op == LIO_IO_READ)
				memcpy(io->iov[i].iov_base, store + off,
				       io->iov[i].iov_len);
			else
				memcpy(store + off, io->iov[i].iov_base,
				       io->iov[i].iov_len);
			off += io->iov[i].iov_len;
		}
		break;
	case LIO_IO_WRITE_ZEROES:
		io->res = h->zeroes_res;
		if (!io->res)
			memset(store + off, 0, io->len);
		break;
	case LIO_IO_DISCARD:
		memset(store + off, 0, io->len);
		break;
	default:
		break;
	}
	io->done(io);
}

static int fh_submit_io(struct lio_bdev *b, struct lio_io *io)
{
	struct fake_host *h = b->priv;

	h->submitted++;
	h->last_op = io->op;
	h->last_fua = io->fua;
	if (h->hold && h->nr_held < FH_MAX_HELD) {
		h->held_b[h->nr_held] = b;
		h->held[h->nr_held++] = io;
		return 0;
	}
	fh_do(h, b, io);
	return 0;
}

static void fh_close(struct lio_bdev *b)
{
}

static const struct lio_bdev_ops fh_bdev_ops = {
	.submit = fh_submit_io,
	.close = fh_close,
};

void fh_release(struct fake_host *h, unsigned int n)
{
	unsigned int i, k = n && n < h->nr_held ? n : h->nr_held;

	for (i = 0; i < k; i++)
		fh_do(h, h->held_b[i], h->held[i]);
	memmove(h->held, h->held + k, (h->nr_held - k) * sizeof(h->held[0]));
	memmove(h->held_b, h->held_b + k,
		(h->nr_held - k) * sizeof(h->held_b[0]));
	h->nr_held -= k;
}

/* ---- the driver side ---- */

void fh_bump(struct fake_host *h)
{
	leapio_wr_bump(&h->r, &h->seq);
}

/* As the driver does: NSID 1 in the control block and in the table. */
void fh_put_geometry(struct fake_host *h, const struct leapio_wr_geometry *g)
{
	leapio_wr_put_geometry(&h->r, g);
	leapio_wr_put_ns(&h->r, 1, LEAPIO_NS_ATTACHED, g->lba_shift, g->nsze, false);
}

void fh_enable(struct fake_host *h)
{
	struct leapio_wr_geometry g = {
		.nsze = h->store_size >> h->lba_shift,
		.lba_shift = h->lba_shift,
		.mdts = 6,
		.page_shift = 12,
	};
	struct leapio_wr_features f = {};
	struct leapio_wr_irq irq = { .mode = LEAPIO_IRQ_MSIX };

	fh_put_geometry(h, &g);
	leapio_wr_put_features(&h->r, &f);
	leapio_wr_put_irq(&h->r, &irq);
	leapio_wr_put_dbbuf(&h->r, false, 0, 0);
	leapio_wr_set_state(&h->r, LEAPIO_VDEV_READY);
	fh_bump(h);
}

void fh_format(struct fake_host *h, u32 gen, u8 lba_shift, u8 ses)
{
	leapio_wr_put_format(&h->r, gen, 1, lba_shift, ses);
	fh_bump(h);
}

/* A memory backend of size bytes on the fake's ring (fh_store() finds
 * its memory).
 */
static void fh_bdev_init(struct fake_host *h, struct lio_bdev *b, u64 size)
{
	b->ops = &fh_bdev_ops;
	b->size = size;
	b->block_size = 512;
	b->priv = h;
	b->fd = -1;
	b->ring = h->ring;
}

void fh_format_ns(struct fake_host *h, u32 gen, u32 nsid, u8 lba_shift,
		  u8 ses)
{
	leapio_wr_put_format(&h->r, gen, nsid, lba_shift, ses);
	fh_bump(h);
}

/*
 * The configuration's namespaces, as the poller's would name them: those
 * served (the core looks at their backends' sizes).
 */
static void fh_cfg_ns(const struct fake_host *h, struct lio_vdev_cfg *cfg)
{
	unsigned int i;

	cfg->nr_ns = 0;
	for (i = 1; i < LIO_MAX_NSID; i++)
		if (h->ns[i].served)
			cfg->ns[cfg->nr_ns++].nsid = i + 1;
}

void fh_add_ns(struct fake_host *h, u32 nsid, u64 nsze, u8 lba_shift,
	       bool served)
{
	struct fh_ns *x = &h->ns[nsid - 1];

	free(x->store);
	x->size = nsze << lba_shift;
	x->store = calloc(1, x->size);
	fh_bdev_init(h, &x->bdev, x->size);
	x->served = served;
	fh_cfg_ns(h, &h->v.cfg);
	leapio_wr_put_ns(&h->r, nsid, LEAPIO_NS_ATTACHED, lba_shift, nsze, false);
	if (served)
		lio_vdev_ns_backend(&h->v, nsid, &x->bdev, NULL);
	fh_bump(h);
}

void fh_remove_ns(struct fake_host *h, u32 nsid)
{
	leapio_wr_put_ns(&h->r, nsid, LEAPIO_NS_ABSENT, 9, 0, false);
	fh_bump(h);
}

void fh_format_applied(struct fake_host *h, u32 gen, u8 lba_shift)
{
	struct leapio_wr_geometry g = {
		.nsze = h->store_size >> lba_shift,
		.lba_shift = lba_shift,
		.mdts = 6,
		.page_shift = 12,
	};

	h->lba_shift = lba_shift;
	fh_put_geometry(h, &g);
	leapio_wr_put_format_applied(&h->r, gen);
	fh_bump(h);
}

void fh_init(struct fake_host *h, u16 nr_ioq, u64 nsze, u8 lba_shift)
{
	struct leapio_region_hdr hdr;
	unsigned int i;

	memset(h, 0, sizeof(*h));
	h->region_size = leapio_region_layout(&hdr, nr_ioq, FH_GMEM_SIZE >> 21,
					      16);
	h->region = aligned_alloc(4096, h->region_size);
	memset(h->region, 0, h->region_size);
	memcpy(h->region, &hdr, sizeof(hdr));
	leapio_region_view(&h->r, h->region);
	h->gmem = aligned_alloc(1 << 21, FH_GMEM_SIZE);
	memset(h->gmem, 0, FH_GMEM_SIZE);
	/* identity, written once before the region is handed out */
	h->r.ctrl->nr_ioq = nr_ioq;
	for (i = 0; i < LIO_NR_VEC; i++)
		h->irqfd[i] = i < 8 ? eventfd(0, EFD_NONBLOCK) : -1;
	h->lba_shift = lba_shift;
	h->store_size = nsze << lba_shift;
	h->store = calloc(1, h->store_size);
	lio_ring_create(&h->ring, 64, false);
	fh_bdev_init(h, &h->bdev, h->store_size);
	/* The VFIO user resets and enables the controller. */
	fh_reset(h);
	fh_enable(h);
	fh_attach(h);
}

void fh_attach(struct fake_host *h)
{
	struct lio_vdev_cfg cfg;
	unsigned int i;

	memset(&cfg, 0, sizeof(cfg));
	strcpy(cfg.uuid, "00000000-0000-0000-0000-000000000001");
	fh_cfg_ns(h, &cfg);
	lio_vdev_init(&h->v, &cfg, h->region, h->gmem, FH_GMEM_SIZE, -1,
		      &fh_plat, h, &h->bdev, &h->stats);
	h->v.io_stats = &h->io_stats;
	for (i = 1; i < LIO_MAX_NSID; i++)
		if (h->ns[i].served)
			lio_vdev_ns_backend(&h->v, i + 1, &h->ns[i].bdev, NULL);
}

void fh_detach(struct fake_host *h)
{
	lio_vdev_fini(&h->v);
}

void fh_fini(struct fake_host *h)
{
	unsigned int i;

	fh_detach(h);
	for (i = 0; i < LIO_NR_VEC; i++)
		if (h->irqfd[i] >= 0)
			close(h->irqfd[i]);
	lio_ring_destroy(h->ring);
	for (i = 0; i < LIO_MAX_NSID; i++)
		free(h->ns[i].store);
	free(h->store);
	free(h->gmem);
	free(h->region);
}

int fh_create_cq(struct fake_host *h, u16 qid, u64 gpa, u16 size, u16 vec,
		 bool ien)
{
	struct leapio_wr_cq cq = {
		.gpa = gpa, .size = size, .vector = vec, .ien = ien,
	};
	int ret;

	if (gpa + (u64)size * 16 > FH_GMEM_SIZE)
		return -EINVAL;
	ret = leapio_wr_publish_cq(&h->w, &h->r, qid, &cq);
	if (ret)
		return ret;
	/* the guest's side: an empty CQ, phase 1 expected */
	memset(h->gmem + gpa, 0, (size_t)size * 16);
	h->cq_head[qid] = 0;
	h->cq_phase[qid] = 1;
	fh_bump(h);
	return 0;
}

int fh_create_sq(struct fake_host *h, u16 qid, u64 gpa, u16 size, u16 cqid)
{
	struct leapio_wr_sq sq = { .gpa = gpa, .size = size, .cqid = cqid };
	int ret;

	ret = leapio_wr_publish_sq(&h->w, &h->r, qid, &sq);
	if (ret)
		return ret;
	h->sq_tail[qid] = 0;
	fh_bump(h);
	return 0;
}

/* The module waits for the ack here, then folds the SMART counters. */
int fh_delete_sq(struct fake_host *h, u16 qid)
{
	int ret = leapio_wr_sq_invalidate(&h->r, qid);

	if (!ret)
		fh_bump(h);
	return ret;
}

void fh_reset(struct fake_host *h)
{
	leapio_wr_reset(&h->w, &h->r);
	fh_bump(h);
}

void fh_queue(struct fake_host *h, u16 sqid, const struct nvme_sqe *sqe)
{
	struct leapio_sq_desc *d = &h->r.sq[sqid];

	memcpy(h->gmem + d->gpa + (u64)h->sq_tail[sqid] * 64, sqe, 64);
	h->sq_tail[sqid] = (h->sq_tail[sqid] + 1) % d->size;
}

void fh_ring(struct fake_host *h, u16 sqid)
{
	__atomic_store_n(leapio_db_ptr(&h->r, 2 * sqid),
			 cpu_to_le32(h->sq_tail[sqid]), __ATOMIC_RELEASE);
}

void fh_submit(struct fake_host *h, u16 sqid, const struct nvme_sqe *sqe)
{
	fh_queue(h, sqid, sqe);
	fh_ring(h, sqid);
}

bool fh_reap(struct fake_host *h, u16 cqid, struct nvme_cqe *cqe)
{
	struct leapio_cq_desc *d = &h->r.cq[cqid];
	struct nvme_cqe *slot = (struct nvme_cqe *)(h->gmem + d->gpa +
						    (u64)h->cq_head[cqid] * 16);

	if ((le16_to_cpu(__atomic_load_n(&slot->status, __ATOMIC_ACQUIRE)) & 1) !=
	    h->cq_phase[cqid])
		return false;
	*cqe = *slot;
	if (++h->cq_head[cqid] == d->size) {
		h->cq_head[cqid] = 0;
		h->cq_phase[cqid] ^= 1;
	}
	__atomic_store_n(leapio_db_ptr(&h->r, 2 * cqid + 1),
			 cpu_to_le32(h->cq_head[cqid]), __ATOMIC_RELEASE);
	return true;
}

void fh_poll(struct fake_host *h, unsigned int n)
{
	while (n--)
		lio_vdev_poll(&h->v, lio_now_ns());
}

u64 fh_irq_count(struct fake_host *h, u16 vec)
{
	u64 n = 0;

	if (read(h->irqfd[vec], &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

struct leapio_inflight *fh_journal(struct fake_host *h, u16 sqid, u16 cid)
{
	u32 tag;

	for (tag = 0; tag < LEAPIO_INFLIGHT_PER_SQ; tag++) {
		struct leapio_inflight *e = leapio_inflight_ptr(&h->r, sqid, tag);
		struct nvme_sqe *s = (struct nvme_sqe *)e->sqe;

		if (e->sqid == sqid && s->opcode && le16_to_cpu(s->cid) == cid)
			return e;
	}
	return NULL;
}

void fh_unmap(struct fake_host *h, u64 gpa, u64 len)
{
	u64 blk;

	h->hole_start = gpa;
	h->hole_len = len;
	/* A table unhooked is handed out again only for its own block. */
	for (blk = gpa >> LEAPIO_L1_SHIFT;
	     len && blk <= (gpa + len - 1) >> LEAPIO_L1_SHIFT; blk++) {
		if (leapio_wr_xlate_clear(&h->r, blk))
			break;	/* past what the tables cover */
		h->blk[blk] = FH_BLK_NONE;
	}
	fh_bump(h);
}

void fh_map_back(struct fake_host *h)
{
	h->hole_start = 0;
	h->hole_len = 0;
}

bool fh_acked(struct fake_host *h)
{
	return leapio_wr_acked(__atomic_load_n(&h->r.ctrl->ack,
					       __ATOMIC_ACQUIRE), h->seq);
}

void fh_rw_sqe(struct nvme_sqe *s, u8 op, u16 cid, u64 slba, u32 nlb,
	       u64 prp1, u64 prp2)
{
	nb_rw(s, op, 1, slba, nlb, prp1, prp2);
	s->cid = cpu_to_le16(cid);
}

u16 fh_run1(struct fake_host *h, u16 qid, struct nvme_sqe *s, u16 cid)
{
	struct nvme_cqe cqe;
	int i;

	s->cid = cpu_to_le16(cid);
	fh_submit(h, qid, s);
	for (i = 0; i < 8; i++) {
		fh_poll(h, 1);
		if (fh_reap(h, qid, &cqe))
			return le16_to_cpu(cqe.cid) == cid ?
			       le16_to_cpu(cqe.status) & ~1U : 0xfffe;
	}
	return 0xffff;
}

bool fh_all(const u8 *p, u8 val, u64 len)
{
	u64 i;

	for (i = 0; i < len; i++)
		if (p[i] != val)
			return false;
	return true;
}
