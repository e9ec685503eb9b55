// SPDX-License-Identifier: GPL-2.0
/*
 * The controller model's data path hooks (struct lio_vctrl_ops, dp_*):
 * each event of the model becomes region contents a runtime follows
 * (Documentation/design/data-path.rst, "Who does what"). Everything here
 * runs under lio_mdev.lock, the model's serialisation.
 *
 * Every write to the region is the region writer's
 * (common/leapio/region_writer.c, shared with the unit tests' fake host),
 * and a change is announced by lio_region_bump(), whose barrier orders it
 * before the new seq. Nothing is read back from the region to decide
 * anything but the runtime's own fields (counters, positions), since the
 * runtime can write anywhere in its mapping. The writer refuses only a
 * qid or doorbell outside the layout, which the model never passes: a
 * WARN if it ever does.
 */
#include <linux/bitmap.h>
#include <linux/build_bug.h>
#include <linux/lockdep.h>
#include <linux/log2.h>

#include "lio_host.h"

static struct lio_mdev *lio_dp_lm(void *opaque)
{
	struct lio_mdev *lm = opaque;

	lockdep_assert_held(&lm->lock);
	return lm;
}

/* The dword of doorbell page idx that a runtime polls. */
static u32 *lio_dp_db(struct lio_region *r, u32 idx)
{
	return r->base + lio_region_db_offset(r, idx);
}

/*
 * The namespace table (region minor 7): every NSID's entry, namespace 1
 * also in ctrl.nsze/lba_shift for a runtime before minor 7.
 */
static void lio_dp_put_ns_table(struct lio_mdev *lm)
{
	struct lio_vctrl *vc = lm->vc;
	u32 nsid;

	for (nsid = 1; nsid <= LIO_NN; nsid++) {
		struct lio_ns *ns = lio_ns_get(vc, nsid);
		u8 state = !ns ? LEAPIO_NS_ABSENT : ns->attached ?
			   LEAPIO_NS_ATTACHED : LEAPIO_NS_ALLOCATED;

		WARN_ON_ONCE(leapio_wr_put_ns(&lm->region.view, nsid, state,
					      ns ? ns->lba_shift : 9,
					      ns ? lio_ns_blocks(ns) : 0,
					      ns && ns->pooled));
	}
}

static void lio_dp_put_geometry(struct lio_mdev *lm)
{
	struct lio_vctrl *vc = lm->vc;
	/* A runtime before the table knows no detached NSID 1: no LBAs. */
	struct leapio_wr_geometry g = {
		.nsze = lio_ns_active(vc, 1) ? lio_ns_blocks(&vc->ns[0]) : 0,
		.lba_shift = vc->ns[0].lba_shift,
		.mdts = LIO_MDTS,
		.page_shift = ilog2(lio_page_size(vc)),
	};

	leapio_wr_put_geometry(&lm->region.view, &g);
	lio_dp_put_ns_table(lm);
	/* With the geometry the last answered Format NVM gave (format.c). */
	leapio_wr_put_format_applied(&lm->region.view,
				     vc->format.gen - vc->format.busy);
	/* ... and the last answered create, its namespace in the table. */
	leapio_wr_put_nscreate_done(&lm->region.view,
				    vc->nscreate.gen - vc->nscreate.busy);
}

/*
 * The operator changed a namespace (sysfs.c). The model gives a data
 * path the table only while the controller is ready (lio_ns_changed());
 * a runtime attached to one that is not gets it now all the same, so
 * that it takes up or lets go of a namespace's backend when the operator
 * says, not at the guest's next enable. No I/O comes from a controller
 * that is not ready: there is nothing to wait for, no ack.
 */
void lio_dp_ns_changed(struct lio_mdev *lm)
{
	lockdep_assert_held(&lm->lock);
	if (lio_vctrl_ready(lm->vc) || !lio_region_attached(lm))
		return;
	lio_dp_put_geometry(lm);
	lio_region_bump(lm);
}

static void lio_dp_put_features(struct lio_mdev *lm)
{
	struct lio_features *f = &lm->vc->feat;
	struct leapio_wr_features wf = {
		.vwc = f->vwc,
		.irq_coalesce = f->irq_coalesce,
	};
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(f->irq_cd) > LEAPIO_VECTOR_WORDS);
	for (i = 0; i < ARRAY_SIZE(f->irq_cd); i++)
		wf.irq_cd[i] = f->irq_cd[i];
	leapio_wr_put_features(&lm->region.view, &wf);
}

static u32 lio_dp_irq_mode(enum lio_irq_mode mode)
{
	switch (mode) {
	case LIO_IRQ_INTX:
		return LEAPIO_IRQ_INTX;
	case LIO_IRQ_MSIX:
		return LEAPIO_IRQ_MSIX;
	default:
		return LEAPIO_IRQ_NONE;
	}
}

static void lio_dp_put_irq(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;
	struct lio_vctrl *vc = lm->vc;
	struct leapio_wr_irq irq = {
		.mode = lio_dp_irq_mode(vc->irq_mode),
		.irq_seq = r->dp_irq_seq,
	};
	u16 v;

	BUILD_BUG_ON(LEAPIO_VECTOR_WORDS * 64 < LIO_MAX_VECTORS);
	for (v = 0; v < vc->nr_vectors; v++)
		if (lio_vctrl_vector_masked(vc, v))
			irq.masked[v / 64] |= 1ULL << (v % 64);
	leapio_wr_put_irq(&lm->region.view, &irq);

	/* The card's interrupt requests go by the same (card_slot.c). */
	spin_lock(&r->seq_lock);
	r->irq_msix = irq.mode == LEAPIO_IRQ_MSIX;
	bitmap_zero(r->irq_masked, LEAPIO_VECTOR_WORDS * 64);
	for (v = 0; v < vc->nr_vectors; v++)
		if (irq.masked[v / 64] & 1ULL << (v % 64))
			__set_bit(v, r->irq_masked);
	spin_unlock(&r->seq_lock);
}

static void lio_dp_put_dbbuf(struct lio_mdev *lm)
{
	struct lio_vctrl *vc = lm->vc;

	leapio_wr_put_dbbuf(&lm->region.view, vc->dbbuf, vc->dbbuf_shadow,
			    vc->dbbuf_eventidx);
}

/*
 * The shadow doorbell and EventIdx slots of doorbell idx: the runtime
 * reads and writes them through its guest window, so they are pinned
 * and translated like the queues.
 */
static int lio_dp_pin_dbbuf_slot(struct lio_mdev *lm, u32 idx)
{
	struct lio_vctrl *vc = lm->vc;
	u64 off = (u64)idx * LEAPIO_DB_STRIDE;
	int ret;

	ret = lio_pin_range(lm, vc->dbbuf_shadow + off, sizeof(u32));
	if (!ret)
		ret = lio_pin_range(lm, vc->dbbuf_eventidx + off, sizeof(u32));
	return ret;
}

/* A gone SQ's counters go on counting for SMART after its descriptor. */
static void lio_dp_fold_sq(struct lio_region *r, u16 qid)
{
	WARN_ON_ONCE(leapio_wr_fold_sq(&r->dp_wr, &r->view, qid));
}

static int lio_dp_publish_cq(struct lio_mdev *lm, u16 qid)
{
	struct lio_region *r = &lm->region;
	struct lio_cq *cq = &lm->vc->cq[qid];
	struct leapio_wr_cq d = {
		.gpa = cq->gpa,
		.size = cq->size,
		.vector = cq->vector,
		.ien = cq->ien,
	};

	return leapio_wr_publish_cq(&r->dp_wr, &r->view, qid, &d);
}

static int lio_dp_publish_sq(struct lio_mdev *lm, u16 qid)
{
	struct lio_region *r = &lm->region;
	struct lio_sq *sq = &lm->vc->sq[qid];
	struct leapio_wr_sq d = {
		.gpa = sq->gpa,
		.size = sq->size,
		.cqid = sq->cqid,
		.prio = sq->prio,
	};

	return leapio_wr_publish_sq(&r->dp_wr, &r->view, qid, &d);
}

/* Create I/O SQ/CQ: pin the queue (and its shadow slots), then publish. */
int lio_dp_create(void *opaque, u16 qid, bool cq)
{
	struct lio_mdev *lm = lio_dp_lm(opaque);
	struct lio_vctrl *vc = lm->vc;
	u64 gpa, len;
	int ret;

	if (cq) {
		gpa = vc->cq[qid].gpa;
		len = (u64)vc->cq[qid].size * NVME_CQE_SIZE;
	} else {
		gpa = vc->sq[qid].gpa;
		len = (u64)vc->sq[qid].size * NVME_SQE_SIZE;
	}
	ret = lio_pin_range(lm, gpa, len);
	if (!ret && vc->dbbuf)
		ret = lio_dp_pin_dbbuf_slot(lm, 2 * qid + cq);
	if (ret) {
		dev_dbg(lm->vdev.dev, "I/O %s %u at %#llx refused: %d\n",
			cq ? "CQ" : "SQ", qid, gpa, ret);
		return ret;
	}
	ret = cq ? lio_dp_publish_cq(lm, qid) : lio_dp_publish_sq(lm, qid);
	if (WARN_ON_ONCE(ret))
		return ret;
	lio_region_bump(lm);
	return 0;
}

/*
 * Delete I/O SQ: once the runtime acks, every command it fetched from
 * the SQ has its CQE posted and nothing more is fetched.
 */
void lio_dp_sq_delete(void *opaque, u16 qid)
{
	struct lio_mdev *lm = lio_dp_lm(opaque);
	struct lio_region *r = &lm->region;

	if (WARN_ON_ONCE(leapio_wr_sq_invalidate(&r->view, qid)))
		return;
	/* A runtime that does not answer is revoked: the controller fails. */
	if (lio_region_wait_ack(lm, lio_region_bump(lm)))
		lio_vctrl_dp_lost(lm->vc);
	lio_dp_fold_sq(r, qid);
}

/*
 * Delete I/O CQ: once the runtime acks, it no longer reads the CQ's head
 * doorbell, so a store the guest makes there after the Delete completed
 * is judged by nobody (no Invalid Doorbell event for a queue gone).
 */
void lio_dp_cq_deleted(void *opaque, u16 qid)
{
	struct lio_mdev *lm = lio_dp_lm(opaque);

	if (WARN_ON_ONCE(leapio_wr_cq_invalidate(&lm->region.view, qid)))
		return;
	/* A runtime that does not answer is revoked: the controller fails. */
	if (lio_region_wait_ack(lm, lio_region_bump(lm)))
		lio_vctrl_dp_lost(lm->vc);
}

/*
 * Controller reset, shutdown, function reset, power off: a new
 * generation with no queue. After the ack no backend request of the old
 * generation is outstanding, and none will complete.
 */
void lio_dp_reset(void *opaque)
{
	struct lio_mdev *lm = lio_dp_lm(opaque);
	struct lio_region *r = &lm->region;
	struct lio_vctrl *vc = lm->vc;
	u16 q;

	leapio_wr_reset(&r->dp_wr, &r->view);
	/* A runtime that does not answer is revoked: the controller fails. */
	if (lio_region_wait_ack(lm, lio_region_bump(lm)))
		lio_vctrl_dp_lost(lm->vc);
	for (q = 1; q <= vc->p.nr_ioq; q++)
		if (vc->sq[q].valid)
			lio_dp_fold_sq(r, q);
}

/*
 * CSTS.RDY 0 -> 1. A runtime attached now serves the queues to come;
 * without one the model answers I/O itself until one attaches.
 */
void lio_dp_enabled(void *opaque)
{
	struct lio_mdev *lm = lio_dp_lm(opaque);
	struct lio_region *r = &lm->region;

	lio_dp_put_geometry(lm);
	lio_dp_put_features(lm);
	lio_dp_put_irq(lm);
	lio_dp_put_dbbuf(lm);
	r->dp_served = lio_region_attached(lm);
	leapio_wr_set_state(&r->view, LEAPIO_VDEV_READY);
	lio_region_bump(lm);
	/* None attached: the model answers, or waits for one (standby.c). */
	lio_standby_kick(lm);
}

/*
 * Doorbell Buffer Config: pin the slots in use, and give the queues a
 * runtime serves their doorbells as the guest last wrote them (the model
 * wrote its own, stale, values).
 */
static int lio_dp_dbbuf(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;
	struct lio_vctrl *vc = lm->vc;
	int ret = 0;
	u16 q;

	/* The admin queue's slots are the model's, reached by vfio_dma_rw(). */
	for (q = 1; !ret && q <= vc->p.nr_ioq; q++) {
		if (vc->sq[q].valid)
			ret = lio_dp_pin_dbbuf_slot(lm, 2 * q);
		if (!ret && vc->cq[q].valid)
			ret = lio_dp_pin_dbbuf_slot(lm, 2 * q + 1);
	}
	if (ret)
		return ret;

	for (q = 1; r->dp_served && q <= vc->p.nr_ioq; q++) {
		u32 idx;

		for (idx = 2 * q; idx <= 2 * q + 1; idx++) {
			u64 off = (u64)idx * LEAPIO_DB_STRIDE;
			__le32 v = cpu_to_le32(READ_ONCE(*lio_dp_db(r, idx)));

			if (!(idx & 1 ? vc->cq[q].valid : vc->sq[q].valid))
				continue;
			lio_dma_write_guest(lm, vc->dbbuf_shadow + off, &v,
					    sizeof(v));
			lio_dma_write_guest(lm, vc->dbbuf_eventidx + off, &v,
					    sizeof(v));
		}
	}
	lio_dp_put_dbbuf(lm);
	return 0;
}

int lio_dp_update(void *opaque, u32 what)
{
	struct lio_mdev *lm = lio_dp_lm(opaque);
	int ret = 0;
	u32 seq;

	if (what & LIO_DP_FEATURES)
		lio_dp_put_features(lm);
	if (what & LIO_DP_GEOMETRY)
		lio_dp_put_geometry(lm);
	if (what & LIO_DP_DBBUF)
		ret = lio_dp_dbbuf(lm);
	if (what & LIO_DP_IRQ)
		lio_dp_put_irq(lm);
	if (what & LIO_DP_FATAL)
		leapio_wr_set_state(&lm->region.view, LEAPIO_VDEV_FATAL);
	if (ret)
		return ret;
	seq = lio_region_bump(lm);
	/* A larger namespace is the runtime's before the guest hears of it. */
	if ((what & LIO_DP_GEOMETRY) && lio_region_wait_ack(lm, seq))
		return -ETIMEDOUT;
	return 0;
}

/*
 * A trapped I/O doorbell the model checked: into the page the runtime
 * polls, and wake it (it may sleep while every doorbell traps).
 *
 * Without a runtime the model takes it, and the page gets it all the
 * same: the page must hold what the guest last wrote whichever way it
 * wrote it (QEMU traps a mapped BAR's accesses for a while after an
 * INTx), since the standby work gives the model the mmapped pages'
 * values that differ from its own, and lio_dp_attach() leaves mapped
 * pages as they are. The model had this value once: the standby work
 * is told not to give it again (sb_bad), whether the model took it or
 * refused it.
 */
bool lio_dp_doorbell(void *opaque, u32 idx, u32 val)
{
	struct lio_mdev *lm = lio_dp_lm(opaque);
	struct lio_region *r = &lm->region;
	u16 q = idx / 2;

	if (WARN_ON_ONCE(leapio_wr_doorbell(&r->view, idx, val)))
		return false;
	if (!r->dp_served) {
		r->sb_bad[idx] = val;
		r->sb_qgen[idx] = idx & 1 ? READ_ONCE(r->cq[q].qgen) :
					    READ_ONCE(r->sq[q].qgen);
		return false;
	}
	lio_region_wake(lm);
	return true;
}

/*
 * The controller's figures are its SQs' (those gone and those live), a
 * namespace's its own table entry's: both counted by the runtime.
 */
void lio_dp_smart(void *opaque, u32 nsid, struct lio_dp_smart *s)
{
	struct lio_mdev *lm = lio_dp_lm(opaque);
	struct lio_region *r = &lm->region;
	struct leapio_wr_smart sum = {};
	u16 q;

	if (nsid != NVME_NSID_ALL) {
		/* The model checked nsid: an active namespace's entry. */
		WARN_ON_ONCE(leapio_wr_smart_ns(&r->view, nsid, &sum));
	} else {
		leapio_wr_smart_gone(&r->dp_wr, &sum);
		for (q = 1; q <= lm->vc->p.nr_ioq; q++)
			if (lm->vc->sq[q].valid)
				WARN_ON_ONCE(leapio_wr_smart_sq(&r->view, q, &sum));
	}
	s->cmds_read += sum.cmds_read;
	s->cmds_written += sum.cmds_written;
	s->bytes_read += sum.bytes_read;
	s->bytes_written += sum.bytes_written;
}

int lio_dp_lbas(void *opaque, u32 nsid, u64 slba, struct leapio_lba_range *r,
		u32 max, struct leapio_lbas_info *info)
{
	struct lio_mdev *lm = lio_dp_lm(opaque);

	/*
	 * Memory the runtime writes (card DRAM in SoC mode): a sequence
	 * count read, every extent checked, bounded. The part outlives a
	 * runtime: marks are the media's, not the runtime's.
	 */
	return leapio_lbas_read(lm->region.view.lbas, nsid, slba, r, max, info);
}

/*
 * Format NVM (kernel/host/vctrl/format.c): asked of the runtime in the
 * region with a seq, not waited for: it answers once it is done (an
 * erase takes as long as the backend does), through the mailbox. A
 * runtime that comes later finds the request and carries it out; with
 * none serving now the command fails (Namespace Not Ready), as I/O does.
 */
int lio_dp_format(void *opaque, u32 gen, u32 nsid, u8 lba_shift, u8 ses)
{
	struct lio_mdev *lm = lio_dp_lm(opaque);

	lockdep_assert_held(&lm->lock);
	if (!lio_region_attached(lm))
		return -ENOLINK;
	leapio_wr_put_format(&lm->region.view, gen, nsid, lba_shift, ses);
	lio_region_bump(lm);
	dev_info(lm->vdev.dev, "Format NVM %u: to %u-byte blocks%s, asked of the runtime\n",
		 gen, 1U << lba_shift, ses ? ", user data erased" : "");
	return 0;
}

/*
 * The runtime's pool (ctrl.pool_bytes and pool_nsids, the runtime's to
 * write): bounded so that the capacities the model adds up (TNVMCAP)
 * cannot wrap. The last runtime's stays while none is attached (UNVMCAP
 * does not change with it); a create then is Namespace Not Ready.
 */
u64 lio_dp_pool_bytes(void *opaque, u32 *nsids)
{
	struct lio_mdev *lm = lio_dp_lm(opaque);

	/* Namespace 1 is the mdev's own, and NSIDs stop at the table's. */
	*nsids = READ_ONCE(lm->region.ctrl->pool_nsids) &
		 GENMASK(LEAPIO_MAX_NS - 1, 1);
	return min_t(u64, READ_ONCE(lm->region.ctrl->pool_bytes),
		     LEAPIO_NS_SIZE_MAX);
}

/*
 * Namespace Management's create (kernel/host/vctrl/ns_mgmt.c): asked of
 * the runtime as Format NVM is, answered through the mailbox
 * (LEAPIO_MBOX_NS_CREATED) once the backend is made.
 */
int lio_dp_ns_create(void *opaque, u32 gen, u32 nsid, u64 nsze, u8 lba_shift)
{
	struct lio_mdev *lm = lio_dp_lm(opaque);

	if (!lio_region_attached(lm))
		return -ENOLINK;
	leapio_wr_put_nscreate(&lm->region.view, gen, nsid, nsze, lba_shift);
	lio_region_bump(lm);
	dev_info(lm->vdev.dev, "namespace create %u: namespace %u, %llu blocks of %u bytes, asked of the runtime's pool\n",
		 gen, nsid, nsze, 1U << lba_shift);
	return 0;
}

/* ---- dp.h: the mailbox's requests and the runtime's arrival ---- */

void lio_dp_raise_irq(struct lio_mdev *lm, u16 vector)
{
	lockdep_assert_held(&lm->lock);
	lio_vctrl_raise_irq(lm->vc, vector);
}

void lio_dp_post_aen(struct lio_mdev *lm, u32 dw0)
{
	lockdep_assert_held(&lm->lock);
	lio_vctrl_post_aen(lm->vc, dw0);
}

void lio_dp_fatal(struct lio_mdev *lm)
{
	lockdep_assert_held(&lm->lock);
	/* The model's fatal path publishes FATAL (dp_update). */
	lio_vctrl_fatal(lm->vc);
}

/*
 * A runtime attached. If the model has been running the queues (no
 * runtime since the controller was enabled), the runtime goes on from
 * where the model is: SQ heads, CQ tails and phases, and the doorbells
 * as the guest last wrote them, unless the guest writes the mmapped
 * doorbell pages itself (then those are right already).
 */
void lio_dp_attach(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;
	struct lio_vctrl *vc = lm->vc;
	bool db_mapped = READ_ONCE(r->dp_db_mapped);
	u16 q;

	lockdep_assert_held(&lm->lock);
	/*
	 * The namespace, for the runtime to check against its backend now
	 * (sysfs keeps it fixed while a runtime is attached).
	 */
	lio_dp_put_geometry(lm);
	if (!(vc->csts & NVME_CSTS_RDY) || r->dp_served)
		return;
	for (q = 1; q <= vc->p.nr_ioq; q++) {
		struct lio_sq *sq = &vc->sq[q];
		struct lio_cq *cq = &vc->cq[q];

		if (sq->valid)
			WARN_ON_ONCE(leapio_wr_handover_sq(&r->view, q, sq->head,
							   sq->tail, !db_mapped));
		if (cq->valid)
			WARN_ON_ONCE(leapio_wr_handover_cq(&r->view, q, cq->tail,
							   cq->phase, cq->head,
							   !db_mapped));
	}
	r->dp_served = true;
	lio_region_bump(lm);
}

/* irq.c changed the VFIO user's eventfds or the interrupt mode. */
void lio_dp_irq_changed(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;

	lockdep_assert_held(&lm->lock);
	spin_lock(&r->seq_lock);
	r->dp_irq_seq++;
	spin_unlock(&r->seq_lock);
	lio_dp_put_irq(lm);
	lio_region_bump(lm);
}

/*
 * Not under lio_mdev.lock: mmap holds the VFIO user's mmap_lock, which a
 * vfio_dma_rw() under lio_mdev.lock may need.
 */
void lio_dp_db_mapped(struct lio_mdev *lm, bool mapped)
{
	struct lio_region *r = &lm->region;

	WRITE_ONCE(r->dp_db_mapped, mapped);
	leapio_wr_put_db_mapped(&r->view, mapped);
	lio_region_bump(lm);
	if (mapped)
		lio_standby_kick(lm);
}
