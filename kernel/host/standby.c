// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O queues while no runtime is attached (Documentation/design/
 * data-path.rst, "When the runtime does not answer"). A work item, under
 * lio_mdev.lock:
 *
 *   - a runtime that served the queues went away (exited, killed,
 *     revoked): its queues, journal and unfetched SQ entries wait in the
 *     region for the next runtime for the grace period (the mdev's
 *     runtime_grace_ms); past it the model takes them back, the reverse
 *     of lio_dp_attach(): positions from the region, what the journal
 *     holds completed (Namespace Not Ready, DNR), the SQs run by the
 *     model from then on;
 *   - the model holds the queues and the guest writes BAR0's mmapped
 *     doorbell pages, which trap nothing: the work reads them every
 *     LIO_SB_POLL_MS and hands changed values to the model as doorbell
 *     writes.
 *
 * It stops when a runtime attaches (lio_dp_attach() hands the queues
 * over) or the controller is not ready; enable, a runtime going away and
 * a doorbell mmap start it.
 */
#include <linux/jiffies.h>
#include <linux/workqueue.h>

#include "lio_host.h"

#define LIO_SB_POLL_MS		10
/* The mdev's runtime_grace_ms at creation: a supervisor's restart fits. */
#define LIO_DP_GRACE_MS_DEFAULT	10000
#define LIO_SB_NONE		U32_MAX
/* A command the runtime fetched and never finished, past the grace period. */
#define LIO_SB_DONE		(NVME_SC_NS_NOT_READY | NVME_STATUS_DNR)

static struct leapio_inflight *lio_sb_journal(struct lio_region *r, u16 q,
					      u32 tag)
{
	return &r->inflight[(u32)(q - 1) * LEAPIO_INFLIGHT_PER_SQ + tag];
}

/* The doorbell idx as the guest last gave it: shadow or register page. */
static u32 lio_sb_db(struct lio_mdev *lm, u32 idx)
{
	struct lio_vctrl *vc = lm->vc;
	__le32 v;

	if (vc->dbbuf &&
	    !lio_dma_read_guest(lm, vc->dbbuf_shadow +
				(u64)idx * LEAPIO_DB_STRIDE, &v, sizeof(v)))
		return le32_to_cpu(v);
	return READ_ONCE(*(u32 *)(lm->region.base +
				  lio_region_db_offset(&lm->region, idx)));
}

/*
 * The guest rings MMIO again at its next update: EventIdx at the value
 * it gave (the runtime kept it behind while it polled).
 */
static void lio_sb_eventidx(struct lio_mdev *lm, u32 idx, u32 val)
{
	struct lio_vctrl *vc = lm->vc;
	__le32 v = cpu_to_le32(val);

	if (vc->dbbuf)
		lio_dma_write_guest(lm, vc->dbbuf_eventidx +
				    (u64)idx * LEAPIO_DB_STRIDE, &v, sizeof(v));
}

/*
 * A fetch killed between the journal's ISSUED and the head's advance left
 * the command at the head too (a guest has one command per CID
 * outstanding on an SQ): it is the journal's, the head moves past it.
 */
static u16 lio_sb_head(struct lio_mdev *lm, u16 q, u16 head, u16 tail)
{
	struct lio_region *r = &lm->region;
	struct lio_sq *sq = &lm->vc->sq[q];
	u8 sqe[NVME_SQE_SIZE];
	u32 tag;

	if (head == tail || head >= sq->size ||
	    lio_dma_read_guest(lm, sq->gpa + (u64)head * NVME_SQE_SIZE, sqe,
			       sizeof(sqe)))
		return head;
	for (tag = 0; tag < LEAPIO_INFLIGHT_PER_SQ; tag++) {
		struct leapio_inflight *e = lio_sb_journal(r, q, tag);

		if (READ_ONCE(e->state) == LEAPIO_INFLIGHT_ISSUED &&
		    READ_ONCE(e->sqid) == q && !memcmp(e->sqe, sqe, sizeof(sqe)))
			return head + 1 == sq->size ? 0 : head + 1;
	}
	return head;
}

/*
 * What the journal of SQ q holds of this generation and queue: an ISSUED
 * command completes with the terminal status, a COMPLETING one whose CQE
 * did not get past the tail is written again. false: a CQ was full, try
 * again later.
 */
static bool lio_sb_journal_complete(struct lio_mdev *lm, u16 q)
{
	struct lio_region *r = &lm->region;
	struct lio_vctrl *vc = lm->vc;
	u32 qgen = READ_ONCE(r->sq[q].qgen), tag;
	bool all = true;

	for (tag = 0; tag < LEAPIO_INFLIGHT_PER_SQ; tag++) {
		struct leapio_inflight *e = lio_sb_journal(r, q, tag);
		u32 st = READ_ONCE(e->state);
		struct nvme_sqe *sqe = (struct nvme_sqe *)e->sqe;
		int ret = 0;

		if (st == LEAPIO_INFLIGHT_FREE)
			continue;
		if (READ_ONCE(e->generation) == READ_ONCE(r->ctrl->generation) &&
		    READ_ONCE(e->qgen) == qgen && READ_ONCE(e->sqid) == q) {
			u16 cid = le16_to_cpu(sqe->cid);

			if (st == LEAPIO_INFLIGHT_ISSUED)
				ret = lio_vctrl_dp_complete(vc, q, cid, LIO_SB_DONE,
							    0);
			else if (st == LEAPIO_INFLIGHT_COMPLETING &&
				 READ_ONCE(e->cq_pos) == vc->cq[vc->sq[q].cqid].tail)
				ret = lio_vctrl_dp_complete(vc, q, cid,
							    READ_ONCE(e->status) & ~1,
							    READ_ONCE(e->dw0));
		}
		if (ret == -ENOSPC) {
			all = false;
			continue;
		}
		WRITE_ONCE(e->state, LEAPIO_INFLIGHT_FREE);
	}
	return all;
}

/* No runtime came within the grace period: the queues are the model's. */
static void lio_sb_takeback(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;
	struct lio_vctrl *vc = lm->vc;
	u16 q;

	dev_info(lm->vdev.dev,
		 "no runtime within %u ms: I/O fails (Namespace Not Ready) until one attaches\n",
		 vc->nodp.grace_ms);
	for (q = 1; q <= vc->p.nr_ioq; q++) {
		struct lio_ioq_pos pos = {
			.sq_valid	= vc->sq[q].valid,
			.cq_valid	= vc->cq[q].valid,
		};

		if (pos.sq_valid) {
			pos.sq_tail = lio_sb_db(lm, 2 * q);
			pos.sq_head = lio_sb_head(lm, q, READ_ONCE(r->sq[q].head),
						  pos.sq_tail);
			lio_sb_eventidx(lm, 2 * q, pos.sq_tail);
		}
		if (pos.cq_valid) {
			pos.cq_tail = READ_ONCE(r->cq[q].tail);
			pos.cq_phase = READ_ONCE(r->cq[q].phase);
			pos.cq_head = lio_sb_db(lm, 2 * q + 1);
			lio_sb_eventidx(lm, 2 * q + 1, pos.cq_head);
		}
		lio_vctrl_dp_takeback(vc, q, &pos);
	}
	r->dp_served = false;
	r->sb_journal = true;
}

/* The guest's stores to mmapped doorbell pages, as doorbell writes. */
static void lio_sb_doorbells(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;
	struct lio_vctrl *vc = lm->vc;
	u32 idx;

	for (idx = 2; idx < r->layout.nr_db; idx++) {
		u16 q = idx / 2;
		bool cq = idx & 1;
		u32 qgen, v, have;
		__le32 w;

		if (!(cq ? vc->cq[q].valid : vc->sq[q].valid))
			continue;
		v = READ_ONCE(*(u32 *)(r->base + lio_region_db_offset(r, idx)));
		have = cq ? vc->cq[q].head : vc->sq[q].tail;
		qgen = cq ? READ_ONCE(r->cq[q].qgen) : READ_ONCE(r->sq[q].qgen);
		/* A value the model refused is not given again (one AEN). */
		if (v == have || (v == r->sb_bad[idx] && qgen == r->sb_qgen[idx]))
			continue;
		w = cpu_to_le32(v);
		lio_vctrl_bar_write(vc, LEAPIO_BAR_REGS,
				    LEAPIO_DB_OFFSET + (u64)idx * LEAPIO_DB_STRIDE,
				    &w, sizeof(w));
		have = cq ? vc->cq[q].head : vc->sq[q].tail;
		r->sb_bad[idx] = v == have ? LIO_SB_NONE : v;
		r->sb_qgen[idx] = qgen;
	}
}

static void lio_sb_work(struct work_struct *work)
{
	struct lio_region *r = container_of(to_delayed_work(work),
					    struct lio_region, sb_work);
	struct lio_mdev *lm = container_of(r, struct lio_mdev, region);
	struct lio_vctrl *vc = lm->vc;
	unsigned long delay = 0;
	u16 q;

	mutex_lock(&lm->lock);
	if (xchg(&r->sb_detached, false) && !lio_region_attached(lm))
		lio_vctrl_dp_wait(vc);
	if (lio_region_attached(lm) || !lio_vctrl_ready(vc))
		goto out;
	if (r->dp_served) {
		if (lio_vctrl_dp_waiting(vc)) {
			delay = msecs_to_jiffies((u32)(vc->nodp.deadline_ms -
						       lio_now_ms(lm))) + 1;
			goto out;
		}
		lio_sb_takeback(lm);
	}
	if (r->sb_journal) {
		r->sb_journal = false;
		for (q = 1; q <= vc->p.nr_ioq; q++)
			if (vc->sq[q].valid && !lio_sb_journal_complete(lm, q))
				r->sb_journal = true;
		lio_vctrl_dp_run(vc);
	}
	if (READ_ONCE(r->dp_db_mapped))
		lio_sb_doorbells(lm);
	if (READ_ONCE(r->dp_db_mapped) || r->sb_journal)
		delay = msecs_to_jiffies(LIO_SB_POLL_MS);
out:
	if (delay)
		mod_delayed_work(system_wq, &r->sb_work, delay);
	mutex_unlock(&lm->lock);
}

void lio_standby_kick(struct lio_mdev *lm)
{
	mod_delayed_work(system_wq, &lm->region.sb_work, 0);
}

void lio_standby_detached(struct lio_mdev *lm)
{
	WRITE_ONCE(lm->region.sb_detached, true);
	lio_standby_kick(lm);
}

void lio_standby_init(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;

	lio_vctrl_set_dp_grace(lm->vc, LIO_DP_GRACE_MS_DEFAULT);
	INIT_DELAYED_WORK(&r->sb_work, lio_sb_work);
	memset(r->sb_bad, 0xff, sizeof(r->sb_bad));
}

void lio_standby_fini(struct lio_mdev *lm)
{
	cancel_delayed_work_sync(&lm->region.sb_work);
}
