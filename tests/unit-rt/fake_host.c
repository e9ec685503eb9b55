// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "fake_host.h"
#include "../lib/nvme_build.h"


static int fh_kick(struct lio_vdev *v)
{
	struct fake_host *h = v->plat_ctx;
	struct leapio_mbox *mb = h->r.mbox;

	while (mb->cons != mb->prod) {
		struct leapio_mbox_msg *m = &mb->msg[mb->cons % LEAPIO_MBOX_ENTRIES];
		u64 a, end;

		m->result = 0;
		switch (m->op) {
		case LEAPIO_MBOX_MAP:
			end = m->arg0 + m->arg1;
			if (end > FH_GMEM_SIZE || end < m->arg0 ||
			    (m->arg0 < h->hole_start + h->hole_len &&
			     end > h->hole_start)) {
				m->result = -EFAULT;
				break;
			}
			h->maps++;
			for (a = m->arg0 & ~((1ULL << 21) - 1); a < end;
			     a += 1ULL << 21)
				h->r.l1[a >> 21] = cpu_to_le64(LEAPIO_XLATE_VALID |
					LEAPIO_XLATE_LEAF | LEAPIO_XLATE_WRITE |
					(0x100000000ULL + a));
			break;
		case LEAPIO_MBOX_IRQ:
			h->irqs_mbox++;
			break;
		case LEAPIO_MBOX_AEN:
			h->aens++;
			h->last_aen = m->arg0;
			break;
		case LEAPIO_MBOX_FATAL:
			h->fatals++;
			break;
		default:
			m->result = -EINVAL;
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

static void fh_do(struct fake_host *h, struct lio_io *io)
{
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
				memcpy(io->iov[i].iov_base, h->store + off,
				       io->iov[i].iov_len);
			else
				memcpy(h->store + off, io->iov[i].iov_base,
				       io->iov[i].iov_len);
			off += io->iov[i].iov_len;
		}
		break;
	case LIO_IO_WRITE_ZEROES:
	case LIO_IO_DISCARD:
		memset(h->store + off, 0, io->len);
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
		h->held[h->nr_held++] = io;
		return 0;
	}
	fh_do(h, io);
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
		fh_do(h, h->held[i]);
	memmove(h->held, h->held + k, (h->nr_held - k) * sizeof(h->held[0]));
	h->nr_held -= k;
}

/* ---- the driver side ---- */

void fh_bump(struct fake_host *h)
{
	__atomic_add_fetch(&h->r.ctrl->seq, 1, __ATOMIC_RELEASE);
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
	h->r.ctrl->nr_ioq = nr_ioq;
	h->r.ctrl->state = LEAPIO_VDEV_READY;
	h->r.ctrl->generation = 1;
	h->r.ctrl->nsze = nsze;
	h->r.ctrl->lba_shift = lba_shift;
	h->r.ctrl->mdts = 6;
	h->r.ctrl->page_shift = 12;
	h->r.ctrl->irq_mode = LEAPIO_IRQ_MSIX;
	h->r.ctrl->seq = 1;
	for (i = 0; i < LIO_NR_VEC; i++)
		h->irqfd[i] = i < 8 ? eventfd(0, EFD_NONBLOCK) : -1;
	h->store_size = nsze << lba_shift;
	h->store = calloc(1, h->store_size);
	h->bdev.ops = &fh_bdev_ops;
	h->bdev.size = h->store_size;
	h->bdev.block_size = 512;
	h->bdev.priv = h;
	h->bdev.fd = -1;
	lio_ring_create(&h->ring, 64, false);
	h->bdev.ring = h->ring;
	fh_attach(h);
}

void fh_attach(struct fake_host *h)
{
	struct lio_vdev_cfg cfg;

	memset(&cfg, 0, sizeof(cfg));
	strcpy(cfg.uuid, "00000000-0000-0000-0000-000000000001");
	lio_vdev_init(&h->v, &cfg, h->region, h->gmem, FH_GMEM_SIZE, -1,
		      &fh_plat, h, &h->bdev, &h->stats);
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
	free(h->store);
	free(h->gmem);
	free(h->region);
}

void fh_create_cq(struct fake_host *h, u16 qid, u64 gpa, u16 size, u16 vec,
		  bool ien)
{
	struct leapio_cq_desc *d = &h->r.cq[qid];

	d->gpa = gpa;
	d->size = size;
	d->vector = vec;
	d->ien = ien;
	d->qgen++;
	d->tail = 0;
	d->phase = 1;
	d->valid = 1;
	h->cq_head[qid] = 0;
	h->cq_phase[qid] = 1;
	*leapio_db_ptr(&h->r, 2 * qid + 1) = 0;
	memset(h->gmem + gpa, 0, (size_t)size * 16);
	fh_bump(h);
}

void fh_create_sq(struct fake_host *h, u16 qid, u64 gpa, u16 size, u16 cqid)
{
	struct leapio_sq_desc *d = &h->r.sq[qid];

	d->gpa = gpa;
	d->size = size;
	d->cqid = cqid;
	d->qgen++;
	d->head = 0;
	d->valid = 1;
	h->sq_tail[qid] = 0;
	*leapio_db_ptr(&h->r, 2 * qid) = 0;
	fh_bump(h);
}

void fh_delete_sq(struct fake_host *h, u16 qid)
{
	h->r.sq[qid].valid = 0;
	fh_bump(h);
}

void fh_reset(struct fake_host *h)
{
	u16 q;

	for (q = 1; q <= h->r.hdr->nr_ioq; q++) {
		h->r.sq[q].valid = 0;
		h->r.cq[q].valid = 0;
	}
	h->r.ctrl->generation++;
	h->r.ctrl->state = LEAPIO_VDEV_OFF;
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
	u64 a;

	h->hole_start = gpa;
	h->hole_len = len;
	for (a = gpa & ~((1ULL << 21) - 1); a < gpa + len; a += 1ULL << 21)
		h->r.l1[a >> 21] = 0;
	fh_bump(h);
}

void fh_map_back(struct fake_host *h)
{
	h->hole_start = 0;
	h->hole_len = 0;
}

bool fh_acked(struct fake_host *h)
{
	return __atomic_load_n(&h->r.ctrl->ack, __ATOMIC_ACQUIRE) ==
	       h->r.ctrl->seq;
}

void fh_rw_sqe(struct nvme_sqe *s, u8 op, u16 cid, u64 slba, u32 nlb,
	       u64 prp1, u64 prp2)
{
	nb_rw(s, op, 1, slba, nlb, prp1, prp2);
	s->cid = cpu_to_le16(cid);
}
