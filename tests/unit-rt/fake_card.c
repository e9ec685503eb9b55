// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fake_card.h"

u64 fc_hpa(u64 page)
{
	return page & 1 ? FC_4G + (page / 2) * 4096 : (page / 2) * 4096;
}

u64 fc_win_off(u64 hpa)
{
	return hpa >= FC_4G ? hpa - FC_4G + FC_LOWMEM : hpa;
}

u8 *fc_g(struct fake_card *fc, u64 gpa)
{
	return fc->dev.win + fc_win_off(fc_hpa(gpa >> 12)) + (gpa & 0xfff);
}

/* ---- the host driver, when the card rings ---- */

/* MAP: pin and translate every page of [gpa, gpa + len), 4 KiB leaves. */
static int fc_map(struct fake_card *fc, u64 gpa, u64 len)
{
	u64 p, end = gpa + len;
	int ret;

	if (!len || end > FC_GMEM_SIZE || end < gpa)
		return -EFAULT;
	for (p = gpa >> 12; p <= (end - 1) >> 12; p++)
		if ((p << 12) >> LEAPIO_L1_SHIFT == fc->hole_blk)
			return -EFAULT;
	for (p = gpa >> 12; p <= (end - 1) >> 12; p++) {
		u64 blk = (p << 12) >> LEAPIO_L1_SHIFT;
		/* outside the card's window map: q35's hole below 4 GiB */
		u64 hpa = blk == fc->bad_blk ? FC_LOWMEM + (p & 511) * 4096 :
			  fc_hpa(p);

		if (fc->pinned[p])
			continue;
		ret = leapio_wr_xlate_set_4k(&fc->r, (u32)blk,
					     p & (LEAPIO_L2_ENTRIES - 1), hpa);
		if (ret)
			return ret;
		fc->pinned[p] = true;
	}
	return 0;
}

static void fc_answer(struct fake_card *fc)
{
	struct leapio_mbox *mb = fc->r.mbox;

	while (mb->cons != mb->prod) {
		struct leapio_mbox_msg *m = &mb->msg[mb->cons % LEAPIO_MBOX_ENTRIES];
		struct leapio_mbox_req req;

		m->result = leapio_mbox_decode(m->op, m->arg0, m->arg1, m->rsvd,
					       fc->r.hdr->nr_ioq, &req);
		if (m->result) {
			fc->bad_reqs++;
		} else if (req.op == LEAPIO_MBOX_MAP) {
			m->result = fc_map(fc, req.map.gpa, req.map.len);
			if (m->result)
				fc->maps_refused++;
			else
				fc->maps++;
		} else if (req.op == LEAPIO_MBOX_IRQ) {
			fc->irqs_mbox++;
		}
		__atomic_store_n(&mb->cons, mb->cons + 1, __ATOMIC_RELEASE);
	}
}

static int fc_ring_host(struct lio_card_dev *d, u32 peer)
{
	struct fake_card *fc = d->priv;
	u32 v, any;

	fc->rings++;
	fc->last_peer = peer;
	/* The host's handler: interrupts first, as the driver's does. */
	any = __atomic_load_n(&fc->slot->irq_any, __ATOMIC_ACQUIRE);
	if (any != fc->irq_any_seen) {
		fc->irq_any_seen = any;
		for (v = 0; v < LEAPIO_CARD_VECTORS; v++) {
			u32 n = __atomic_load_n(&fc->slot->irq_post[v],
						__ATOMIC_RELAXED);

			if (n != fc->irq_seen[v]) {
				fc->irq_seen[v] = n;
				fc->irqs[v]++;
			}
		}
	}
	if (fc->answer)
		fc_answer(fc);
	return 0;
}

static int fc_map_window(struct lio_card_dev *d, void *at, u64 off, u64 len)
{
	struct fake_card *fc = d->priv;

	if (mmap(at, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 fc->win_fd, off) == MAP_FAILED)
		return -errno;
	return 0;
}

static void fc_dev_close(struct lio_card_dev *d)
{
	struct fake_card *fc = d->priv;

	munmap(d->win, d->win_size);
	close(fc->win_fd);
	close(d->wake_fd);
	free(d->dram);
}

static const struct lio_card_dev_ops fc_dev_ops = {
	.ring_host	= fc_ring_host,
	.map_window	= fc_map_window,
	.close		= fc_dev_close,
};

/* ---- the memory backend ---- */

static void fc_do(struct fake_card *fc, struct lio_io *io)
{
	u64 off = io->offset;
	u32 i;

	io->res = 0;
	for (i = 0; i < io->iovcnt; i++) {
		if (io->op == LIO_IO_READ)
			memcpy(io->iov[i].iov_base, fc->store + off,
			       io->iov[i].iov_len);
		else if (io->op == LIO_IO_WRITE)
			memcpy(fc->store + off, io->iov[i].iov_base,
			       io->iov[i].iov_len);
		off += io->iov[i].iov_len;
	}
	io->done(io);
}

static int fc_bdev_submit(struct lio_bdev *b, struct lio_io *io)
{
	struct fake_card *fc = b->priv;

	if (fc->hold && fc->nr_held < 16) {
		fc->held[fc->nr_held++] = io;
		return 0;
	}
	fc_do(fc, io);
	return 0;
}

void fc_release(struct fake_card *fc)
{
	unsigned int i, n = fc->nr_held;

	fc->nr_held = 0;
	for (i = 0; i < n; i++)
		fc_do(fc, fc->held[i]);
}

static void fc_bdev_close(struct lio_bdev *b)
{
}

static const struct lio_bdev_ops fc_bdev_ops = {
	.submit	= fc_bdev_submit,
	.close	= fc_bdev_close,
};

/* ---- the host driver binding the card, creating the mdev ---- */

static void fc_bump(struct fake_card *fc)
{
	leapio_wr_bump(&fc->r, &fc->seq);
}

void fc_slot_change(struct fake_card *fc, u32 owner)
{
	u64 one = 1;

	__atomic_store_n(&fc->slot->owner, owner, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&fc->slot->gen, fc->slot->gen + 1, __ATOMIC_RELEASE);
	if (write(fc->dev.wake_fd, &one, sizeof(one)) != sizeof(one))
		abort();
}

void fc_init(struct fake_card *fc, u16 nr_ioq, u64 nsze)
{
	struct leapio_region_hdr rh;
	struct leapio_wr_geometry g = {
		.nsze = nsze, .lba_shift = 9, .mdts = 6, .page_shift = 12,
	};
	struct leapio_wr_features f = {};
	struct leapio_wr_irq irq = { .mode = LEAPIO_IRQ_MSIX };
	char err[256];
	u32 t;

	memset(fc, 0, sizeof(*fc));
	fc->bad_blk = fc->hole_blk = FC_NO_BLK;
	fc->answer = true;
	fc->dev.ops = &fc_dev_ops;
	fc->dev.priv = fc;
	fc->dev.dram_size = FC_DRAM_SIZE;
	fc->dev.peer = FC_CARD_PEER;
	fc->dev.dram = aligned_alloc(4096, FC_DRAM_SIZE);
	memset(fc->dev.dram, 0, FC_DRAM_SIZE);
	fc->win_fd = memfd_create("fake-card-window", MFD_CLOEXEC);
	if (fc->win_fd < 0 || ftruncate(fc->win_fd, FC_WIN_SIZE))
		abort();
	fc->dev.win_size = FC_WIN_SIZE;
	fc->dev.win = mmap(NULL, FC_WIN_SIZE, PROT_READ | PROT_WRITE,
			   MAP_SHARED, fc->win_fd, 0);
	fc->dev.wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (fc->dev.win == MAP_FAILED || fc->dev.wake_fd < 0)
		abort();
	/* The configuration's map: q35's split. */
	fc->map[0] = (struct lio_win){ 0, FC_LOWMEM, 0 };
	fc->map[1] = (struct lio_win){ FC_4G, FC_HIGHMEM, FC_LOWMEM };
	if (lio_card_open(&fc->card, &fc->dev, fc->map, 2, err, sizeof(err)))
		abort();

	/* The region, in card DRAM, one L2 table per block. */
	fc->region = fc->dev.dram + LEAPIO_CARD_DATA_OFF;
	fc->region_size = leapio_region_layout(&rh, nr_ioq, FC_BLOCKS, FC_BLOCKS);
	if (fc->region_size > FC_DRAM_SIZE - FC_RESERVE - LEAPIO_CARD_DATA_OFF)
		abort();
	memcpy(fc->region, &rh, sizeof(rh));
	leapio_region_view(&fc->r, fc->region);
	fc->r.ctrl->nr_ioq = nr_ioq;
	if (lio_uuid_bytes(FC_UUID, fc->r.ctrl->uuid))
		abort();
	for (t = 0; t < FC_BLOCKS; t++)
		if (leapio_wr_xlate_wipe(&fc->r, t) ||
		    leapio_wr_xlate_hook(&fc->r, t, t))
			abort();
	leapio_wr_reset(&fc->w, &fc->r);
	leapio_wr_put_geometry(&fc->r, &g);
	/* NSID 1 in the table too, as the driver has it. */
	leapio_wr_put_ns(&fc->r, 1, LEAPIO_NS_ATTACHED, g.lba_shift, g.nsze, false);
	leapio_wr_put_features(&fc->r, &f);
	leapio_wr_put_irq(&fc->r, &irq);
	leapio_wr_put_dbbuf(&fc->r, false, 0, 0);
	leapio_wr_put_db_mapped(&fc->r, true);	/* doorbells land in card DRAM */
	leapio_wr_set_state(&fc->r, LEAPIO_VDEV_READY);
	fc_bump(fc);

	/* The card header and the slot, magic last. */
	fc->hdr = (struct leapio_card_hdr *)fc->dev.dram;
	fc->hdr->version_major = LEAPIO_CARD_VERSION_MAJOR;
	fc->hdr->hdr_size = sizeof(*fc->hdr);
	fc->hdr->dram_size = FC_DRAM_SIZE;
	fc->hdr->nr_slots = LEAPIO_CARD_SLOTS;
	fc->hdr->slot_size = sizeof(struct leapio_card_slot);
	fc->hdr->host_peer = FC_HOST_PEER;
	fc->hdr->host_gen = 5;
	fc->hdr->card_reserve = FC_RESERVE;
	fc->slot = (struct leapio_card_slot *)(fc->dev.dram +
					       LEAPIO_CARD_PAGE * (1 + FC_SLOT));
	if (lio_uuid_bytes(FC_UUID, fc->slot->uuid))
		abort();
	fc->slot->region_off = LEAPIO_CARD_DATA_OFF;
	fc->slot->region_size = fc->region_size;
	fc->slot->owner = LEAPIO_CARD_OWNER_CARD;
	fc->slot->gen = 1;
	__atomic_store_n(&fc->hdr->magic, LEAPIO_CARD_MAGIC, __ATOMIC_RELEASE);

	fc->store_size = nsze << 9;
	fc->store = calloc(1, fc->store_size);
	fc->bdev.ops = &fc_bdev_ops;
	fc->bdev.size = fc->store_size;
	fc->bdev.block_size = 512;
	fc->bdev.priv = fc;
	fc->bdev.fd = -1;
	lio_ring_create(&fc->ring, 64, false);
	fc->bdev.ring = fc->ring;
}

int fc_attach(struct fake_card *fc, char *err, size_t errlen)
{
	struct lio_vdev_cfg cfg;
	int ret;

	memset(&cfg, 0, sizeof(cfg));
	strcpy(cfg.uuid, FC_UUID);
	ret = lio_card_plat.attach(fc->card, FC_UUID, &fc->att, err, errlen);
	if (ret)
		return ret;
	ret = lio_ns_check(fc->att.region, &fc->bdev, err, errlen);
	if (!ret)
		ret = lio_vdev_init(&fc->v, &cfg, fc->att.region, fc->att.gmem,
				    fc->att.gmem_size, fc->att.wake_fd,
				    &lio_card_plat, fc->att.priv, &fc->bdev,
				    &fc->stats);
	if (ret) {
		lio_card_plat.detach(&fc->att);
		return ret;
	}
	fc->attached = true;
	return 0;
}

void fc_detach(struct fake_card *fc)
{
	if (!fc->attached)
		return;
	lio_vdev_fini(&fc->v);
	lio_card_plat.detach(&fc->att);
	fc->attached = false;
}

void fc_fini(struct fake_card *fc)
{
	fc_detach(fc);
	lio_ring_destroy(fc->ring);
	free(fc->store);
	lio_card_close(fc->card);
}

int fc_create_cq(struct fake_card *fc, u16 qid, u64 gpa, u16 size, u16 vec)
{
	struct leapio_wr_cq cq = { .gpa = gpa, .size = size, .vector = vec,
				   .ien = true };
	u64 i;
	int ret;

	ret = leapio_wr_publish_cq(&fc->w, &fc->r, qid, &cq);
	if (ret)
		return ret;
	for (i = 0; i < (u64)size * 16; i++)
		*fc_g(fc, gpa + i) = 0;
	fc->cq_head[qid] = 0;
	fc->cq_phase[qid] = 1;
	fc_bump(fc);
	return 0;
}

int fc_create_sq(struct fake_card *fc, u16 qid, u64 gpa, u16 size, u16 cqid)
{
	struct leapio_wr_sq sq = { .gpa = gpa, .size = size, .cqid = cqid };
	int ret;

	ret = leapio_wr_publish_sq(&fc->w, &fc->r, qid, &sq);
	if (ret)
		return ret;
	fc->sq_tail[qid] = 0;
	fc_bump(fc);
	return 0;
}

void fc_submit(struct fake_card *fc, u16 sqid, const struct nvme_sqe *sqe)
{
	struct leapio_sq_desc *d = &fc->r.sq[sqid];
	u64 at = d->gpa + (u64)fc->sq_tail[sqid] * 64;
	u32 i;

	/* An SQE never straddles a page: 64-byte slots. */
	for (i = 0; i < 64; i++)
		*fc_g(fc, at + i) = ((const u8 *)sqe)[i];
	fc->sq_tail[sqid] = (fc->sq_tail[sqid] + 1) % d->size;
	__atomic_store_n(leapio_db_ptr(&fc->r, 2 * sqid),
			 cpu_to_le32(fc->sq_tail[sqid]), __ATOMIC_RELEASE);
}

bool fc_reap(struct fake_card *fc, u16 cqid, struct nvme_cqe *cqe)
{
	struct leapio_cq_desc *d = &fc->r.cq[cqid];
	struct nvme_cqe *slot = (struct nvme_cqe *)
		fc_g(fc, d->gpa + (u64)fc->cq_head[cqid] * 16);

	if ((le16_to_cpu(__atomic_load_n(&slot->status, __ATOMIC_ACQUIRE)) & 1) !=
	    fc->cq_phase[cqid])
		return false;
	*cqe = *slot;
	if (++fc->cq_head[cqid] == d->size) {
		fc->cq_head[cqid] = 0;
		fc->cq_phase[cqid] ^= 1;
	}
	__atomic_store_n(leapio_db_ptr(&fc->r, 2 * cqid + 1),
			 cpu_to_le32(fc->cq_head[cqid]), __ATOMIC_RELEASE);
	return true;
}

void fc_poll(struct fake_card *fc, unsigned int n)
{
	while (n--)
		lio_vdev_poll(&fc->v, lio_now_ns());
}

u16 fc_run1(struct fake_card *fc, u16 qid, struct nvme_sqe *s, u16 cid)
{
	struct nvme_cqe cqe;
	int i;

	s->cid = cpu_to_le16(cid);
	fc_submit(fc, qid, s);
	for (i = 0; i < 8; i++) {
		fc_poll(fc, 1);
		if (fc_reap(fc, qid, &cqe))
			return le16_to_cpu(cqe.cid) == cid ?
			       le16_to_cpu(cqe.status) & ~1U : 0xfffe;
	}
	return 0xffff;
}
