// SPDX-License-Identifier: GPL-2.0
/*
 * A vdev in its poller: following the driver's changes (seq/ack),
 * recovering the journal after attach, fetching commands.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vdev.h"

#define LIO_RING_ROOM	260	/* a DSM can take 256 backend requests */

int lio_vdev_init(struct lio_vdev *v, const struct lio_vdev_cfg *cfg,
		  void *region, u8 *gmem, u64 gmem_size, int wake_fd,
		  const struct lio_plat *plat, void *plat_ctx,
		  struct lio_bdev *bdev, struct lio_poller_stats *stats)
{
	unsigned int i;

	memset(v, 0, sizeof(*v));
	v->cfg = *cfg;
	leapio_region_view(&v->r, region);
	v->gmem = gmem;
	v->gmem_size = gmem_size;
	v->wake_fd = wake_fd;
	v->plat = plat;
	v->plat_ctx = plat_ctx;
	v->bdev = bdev;
	v->stats = stats;
	v->nr_ioq = v->r.hdr->nr_ioq;
	for (i = 0; i < LIO_NR_VEC; i++)
		v->irqfd[i] = -1;
	v->sq = calloc(v->nr_ioq + 1, sizeof(*v->sq));
	v->cq = calloc(v->nr_ioq + 1, sizeof(*v->cq));
	if (!v->sq || !v->cq) {
		free(v->sq);
		free(v->cq);
		return -ENOMEM;
	}
	v->generation = v->r.ctrl->generation;
	v->seen_seq = v->r.ctrl->seq - 1;	/* apply everything first */
	v->recovering = true;
	return 0;
}

void lio_vdev_fini(struct lio_vdev *v)
{
	u16 q;

	lio_irq_fds_close(v);
	for (q = 0; q <= v->nr_ioq; q++)
		free(v->sq[q].cmds);
	free(v->sq);
	free(v->cq);
	v->sq = NULL;
	v->cq = NULL;
}

static void lio_fatal(struct lio_vdev *v, const char *what)
{
	lio_log("vdev %s: %s: the controller is failed (CSTS.CFS)",
		v->cfg.uuid, what);
	lio_mbox_call(v, LEAPIO_MBOX_FATAL, 0, 0);
}

/* A doorbell: its shadow when Doorbell Buffer Config is on, else its page. */
static void lio_db_ptrs(struct lio_vdev *v, u32 idx, __le32 **val,
			__le32 **eventidx)
{
	struct leapio_vdev_ctrl *ctrl = v->r.ctrl;
	u64 off = (u64)idx * LEAPIO_REGION_ALIGN;

	*val = lio_db(v, idx);
	*eventidx = NULL;
	if (ctrl->dbbuf) {
		__le32 *s = lio_gptr(v, ctrl->dbbuf_shadow + off, 4);
		__le32 *e = lio_gptr(v, ctrl->dbbuf_eventidx + off, 4);

		if (s && e) {
			*val = s;
			*eventidx = e;
		}
	}
}

static void lio_cq_drop_backlog(struct lio_vdev *v, struct lio_rcq *cq)
{
	while (cq->backlog) {
		struct lio_cmd *c = cq->backlog;
		struct leapio_inflight *e;

		cq->backlog = c->next;
		v->sq[c->sqid].queued--;
		e = leapio_inflight_ptr(&v->r, c->sqid, c->tag);
		__atomic_store_n(&e->state, LEAPIO_INFLIGHT_FREE,
				 __ATOMIC_RELEASE);
		c->busy = false;
		c->next = v->sq[c->sqid].free;
		v->sq[c->sqid].free = c;
	}
	cq->backlog_tail = NULL;
}

static void lio_cq_setup(struct lio_vdev *v, u16 q)
{
	struct leapio_cq_desc *d = &v->r.cq[q];
	struct lio_rcq *cq = &v->cq[q];
	bool valid = __atomic_load_n(&d->valid, __ATOMIC_ACQUIRE);

	cq->d = d;
	if (cq->live && (!valid || d->qgen != cq->qgen)) {
		lio_cq_drop_backlog(v, cq);
		cq->live = false;
	}
	if (cq->live || !valid || v->state != LEAPIO_VDEV_READY)
		return;
	cq->size = d->size;
	cq->qgen = d->qgen;
	cq->vector = d->vector;
	cq->ien = d->ien;
	cq->owed = 0;
	cq->bad_db = false;
	cq->base = lio_gptr(v, d->gpa, (u64)cq->size * 16);
	if (!cq->base || cq->size < 2) {
		lio_fatal(v, "a CQ's memory is unreachable");
		return;
	}
	lio_db_ptrs(v, 2 * q + 1, &cq->head_p, &cq->eventidx_p);
	cq->last_head = d->tail;	/* a new CQ: both 0 */
	cq->live = true;
}

/*
 * A fetch killed between ISSUED and the head's advance left the command
 * both in the journal and at the head: it is the journal's, so the head
 * moves past it. A guest never has two commands with one CID outstanding
 * on an SQ, so an ISSUED entry equal to the SQE at the head is that one.
 */
static void lio_sq_recover_head(struct lio_vdev *v, u16 q)
{
	struct lio_rsq *sq = &v->sq[q];
	u16 head = sq->d->head;
	u32 tail = le32_to_cpu(__atomic_load_n(sq->tail_p, __ATOMIC_ACQUIRE));
	const u8 *slot = sq->base + (u64)head * 64;
	u32 tag;

	if (head >= sq->size || tail >= sq->size || tail == head)
		return;
	for (tag = 0; tag < LEAPIO_INFLIGHT_PER_SQ; tag++) {
		struct leapio_inflight *e = leapio_inflight_ptr(&v->r, q, tag);

		if (sq->cmds[tag].busy && !memcmp(e->sqe, slot, 64)) {
			head = head + 1 == sq->size ? 0 : head + 1;
			__atomic_store_n(&sq->d->head, head, __ATOMIC_RELEASE);
			return;
		}
	}
}

/* Redo the journal of SQ q (see struct leapio_inflight). */
static void lio_sq_recover(struct lio_vdev *v, u16 q)
{
	struct lio_rsq *sq = &v->sq[q];
	u32 tag;

	for (tag = 0; tag < LEAPIO_INFLIGHT_PER_SQ; tag++) {
		struct leapio_inflight *e = leapio_inflight_ptr(&v->r, q, tag);
		u32 st = __atomic_load_n(&e->state, __ATOMIC_ACQUIRE);
		bool mine = e->generation == v->generation &&
			    e->qgen == sq->qgen && e->sqid == q;

		if (st == LEAPIO_INFLIGHT_FREE)
			continue;
		if (mine && st == LEAPIO_INFLIGHT_ISSUED) {
			sq->cmds[tag].busy = true;
			continue;	/* redone below, once the free list is built */
		}
		if (mine && st == LEAPIO_INFLIGHT_COMPLETING &&
		    v->cq[sq->cqid].live &&
		    v->cq[sq->cqid].d->tail == e->cq_pos)
			lio_cq_post_journal(v, e, q);
		__atomic_store_n(&e->state, LEAPIO_INFLIGHT_FREE,
				 __ATOMIC_RELEASE);
	}
	lio_sq_recover_head(v, q);
}

static void lio_sq_setup(struct lio_vdev *v, u16 q)
{
	struct leapio_sq_desc *d = &v->r.sq[q];
	struct lio_rsq *sq = &v->sq[q];
	bool valid = __atomic_load_n(&d->valid, __ATOMIC_ACQUIRE);
	u32 tag, ntags;

	sq->d = d;
	if (sq->live && (!valid || d->qgen != sq->qgen)) {
		sq->live = false;
		/* completions still go out */
		sq->dying = sq->inflight > 0 || sq->queued > 0;
	}
	if (sq->live || !valid || v->state != LEAPIO_VDEV_READY)
		return;
	/*
	 * Descriptors may be newer than the seq this pass applies: the CQ
	 * was looked at before the driver published it, and the SQ after.
	 * The driver's bump for them is still to come; the next pass sets
	 * both up. (The model never publishes an SQ whose CQ doesn't exist.)
	 */
	if (d->cqid < 1 || d->cqid > v->nr_ioq || d->size < 2)
		return;
	if (!v->cq[d->cqid].live)
		lio_cq_setup(v, d->cqid);
	if (!v->cq[d->cqid].live)
		return;
	if (!sq->cmds) {
		sq->cmds = calloc(LEAPIO_INFLIGHT_PER_SQ, sizeof(*sq->cmds));
		if (!sq->cmds) {
			lio_fatal(v, "out of memory");
			return;
		}
	}
	sq->size = d->size;
	sq->qgen = d->qgen;
	sq->cqid = d->cqid;
	sq->bad_db = false;
	sq->dying = false;
	sq->base = lio_gptr(v, d->gpa, (u64)sq->size * 64);
	if (!sq->base) {
		lio_fatal(v, "an SQ's memory is unreachable");
		return;
	}
	lio_db_ptrs(v, 2 * q, &sq->tail_p, &sq->eventidx_p);
	sq->live = true;
	if (v->recovering)
		lio_sq_recover(v, q);

	/* At most size - 1 commands of a queue can be outstanding at once
	 * from a host's view; the journal bounds us at its own size.
	 */
	ntags = LEAPIO_INFLIGHT_PER_SQ;
	sq->free = NULL;
	for (tag = ntags; tag-- > 0;) {
		struct lio_cmd *c = &sq->cmds[tag];

		c->v = v;
		c->sqid = q;
		c->tag = tag;
		if (c->busy)
			continue;
		c->next = sq->free;
		sq->free = c;
	}
	if (v->recovering) {
		for (tag = 0; tag < ntags; tag++) {
			struct leapio_inflight *e =
				leapio_inflight_ptr(&v->r, q, tag);

			if (sq->cmds[tag].busy &&
			    e->state == LEAPIO_INFLIGHT_ISSUED &&
			    e->qgen == sq->qgen)
				lio_cmd_start(v, &sq->cmds[tag]);
		}
	}
}

/* Apply what the driver published since seen_seq. */
static void lio_apply(struct lio_vdev *v)
{
	struct leapio_vdev_ctrl *ctrl = v->r.ctrl;
	u32 gen = __atomic_load_n(&ctrl->generation, __ATOMIC_ACQUIRE);
	u32 mdts;
	u16 q;

	/* Translations may have gone: forget the one remembered. */
	v->xl_lo = v->xl_hi = 0;
	v->state = __atomic_load_n(&ctrl->state, __ATOMIC_ACQUIRE);
	if (gen != v->generation) {
		/* Reset: nothing of the old generation completes. */
		v->generation = gen;
		for (q = 1; q <= v->nr_ioq; q++) {
			lio_cq_drop_backlog(v, &v->cq[q]);
			v->cq[q].live = false;
			v->sq[q].live = false;
			v->sq[q].dying = false;
		}
		v->drain_gen = true;
	}
	if (v->state == LEAPIO_VDEV_OFF || v->state == LEAPIO_VDEV_REMOVED) {
		for (q = 1; q <= v->nr_ioq; q++) {
			lio_cq_drop_backlog(v, &v->cq[q]);
			v->cq[q].live = false;
			v->sq[q].live = false;
		}
		v->drain_gen = true;
	}
	v->nsze = ctrl->nsze;
	v->lba_shift = ctrl->lba_shift;
	mdts = ctrl->mdts;
	v->max_xfer = mdts && mdts <= 8 ? 4096U << mdts :
					  LIO_MAX_XFER_PAGES * 4096U;
	if (v->state == LEAPIO_VDEV_READY && !v->warned_size &&
	    (v->nsze << v->lba_shift) > v->bdev->size) {
		lio_log("vdev %s: the namespace (%llu bytes) is larger than "
			"its backend (%llu bytes): LBAs beyond fail",
			v->cfg.uuid,
			(unsigned long long)(v->nsze << v->lba_shift),
			(unsigned long long)v->bdev->size);
		v->warned_size = true;
	}
	for (q = 1; q <= v->nr_ioq; q++)
		lio_cq_setup(v, q);
	for (q = 1; q <= v->nr_ioq; q++)
		lio_sq_setup(v, q);
	/* Shadow doorbells may have been turned on or off. */
	for (q = 1; q <= v->nr_ioq; q++) {
		struct lio_rcq *cq = &v->cq[q];
		__le32 *old = cq->head_p;

		if (v->sq[q].live)
			lio_db_ptrs(v, 2 * q, &v->sq[q].tail_p,
				    &v->sq[q].eventidx_p);
		if (!cq->live)
			continue;
		lio_db_ptrs(v, 2 * q + 1, &cq->head_p, &cq->eventidx_p);
		/* A head we never saw move: a restart (the journal may
		 * have posted, too), or the doorbell is elsewhere now.
		 */
		if (v->recovering || old != cq->head_p)
			lio_cq_head_resync(cq);
	}
	v->recovering = false;
	v->ack_pending = true;
}

static bool lio_drained(struct lio_vdev *v)
{
	u16 q;

	if (v->drain_gen && v->inflight)
		return false;
	/* A deleted SQ's commands are done once their CQEs are posted. */
	for (q = 1; q <= v->nr_ioq; q++)
		if (v->sq[q].dying && (v->sq[q].inflight || v->sq[q].queued))
			return false;
	return true;
}

static void lio_sync(struct lio_vdev *v)
{
	u32 seq = __atomic_load_n(&v->r.ctrl->seq, __ATOMIC_ACQUIRE);
	u16 q;

	if (seq != v->seen_seq) {
		v->seen_seq = seq;
		lio_apply(v);
		v->did_work = true;
	}
	if (!v->ack_pending || !lio_drained(v))
		return;
	v->drain_gen = false;
	for (q = 1; q <= v->nr_ioq; q++)
		if (!v->sq[q].inflight && !v->sq[q].queued)
			v->sq[q].dying = false;
	__atomic_store_n(&v->r.ctrl->ack, v->seen_seq, __ATOMIC_RELEASE);
	v->ack_pending = false;
	v->plat->kick(v);	/* the driver may be waiting for it */
}

static void lio_sq_fetch(struct lio_vdev *v, u16 q)
{
	struct lio_rsq *sq = &v->sq[q];
	struct lio_rcq *cq = &v->cq[sq->cqid];
	u32 tail = le32_to_cpu(__atomic_load_n(sq->tail_p, __ATOMIC_ACQUIRE));
	u16 head = sq->d->head;

	if (tail >= sq->size) {
		if (!sq->bad_db || tail != sq->last_bad)
			lio_mbox_call(v, LEAPIO_MBOX_AEN,
				      NVME_AER_DW0(NVME_AER_TYPE_ERROR,
						   NVME_AER_ERROR_INVALID_DB_VAL,
						   NVME_LOG_ERROR), 0);
		sq->bad_db = true;
		sq->last_bad = tail;
		return;
	}
	sq->bad_db = false;
	if (sq->eventidx_p && sq->last_tail != tail) {
		/* Polling: keep EventIdx behind, so the guest never rings. */
		__atomic_store_n(sq->eventidx_p, cpu_to_le32((u16)(tail - 1)),
				 __ATOMIC_RELAXED);
		sq->last_tail = tail;
	}
	/* A full CQ holds its SQs: nothing more is fetched. */
	if (cq->backlog)
		return;
	while (head != tail && sq->free &&
	       lio_ring_inflight(v->bdev->ring) + LIO_RING_ROOM < 1024) {
		struct lio_cmd *c = sq->free;
		struct leapio_inflight *e = leapio_inflight_ptr(&v->r, q, c->tag);

		sq->free = c->next;
		c->busy = true;
		memcpy(e->sqe, sq->base + (u64)head * 64, 64);
		e->sqid = q;
		e->qgen = sq->qgen;
		e->generation = v->generation;
		__atomic_store_n(&e->state, LEAPIO_INFLIGHT_ISSUED,
				 __ATOMIC_RELEASE);
		head = head + 1 == sq->size ? 0 : head + 1;
		__atomic_store_n(&sq->d->head, head, __ATOMIC_RELEASE);
		lio_cmd_start(v, c);
		v->did_work = true;
	}
}

void lio_vdev_flush(struct lio_vdev *v)
{
	u16 q;

	for (q = 1; q <= v->nr_ioq; q++) {
		struct lio_rcq *cq = &v->cq[q];

		if (cq->flush_due) {
			cq->flush_due = false;
			if (cq->live)
				lio_cq_flush(v, q);
		}
	}
}

bool lio_vdev_poll(struct lio_vdev *v, u64 now)
{
	u16 q;

	v->did_work = false;
	lio_vdev_flush(v);	/* completions reaped since the last pass */
	lio_sync(v);
	if (v->state != LEAPIO_VDEV_READY)
		return v->did_work;
	for (q = 1; q <= v->nr_ioq; q++) {
		if (!v->cq[q].live)
			continue;
		if (v->cq[q].backlog)
			lio_cq_flush(v, q);
		else
			lio_cq_head(v, q);	/* a bad head: AEN */
		if (v->cq[q].live && v->cq[q].eventidx_p) {
			u32 h = le32_to_cpu(*v->cq[q].head_p);

			__atomic_store_n(v->cq[q].eventidx_p,
					 cpu_to_le32((u16)(h - 1)),
					 __ATOMIC_RELAXED);
		}
	}
	/* While an ack waits (a drain), CQs still take what is done. */
	if (!v->quiesce && !v->ack_pending)
		for (q = 1; q <= v->nr_ioq; q++)
			if (v->sq[q].live)
				lio_sq_fetch(v, q);
	lio_vdev_flush(v);
	lio_irq_pass(v, now);
	return v->did_work;
}

bool lio_vdev_may_sleep(struct lio_vdev *v)
{
	struct leapio_vdev_ctrl *ctrl = v->r.ctrl;
	bool any = false;
	u16 q;

	if (v->inflight || v->ack_pending)
		return false;
	for (q = 1; q <= v->nr_ioq; q++) {
		if (v->cq[q].backlog || v->cq[q].owed)
			return false;
		any |= v->sq[q].live;
	}
	if (!any || v->state != LEAPIO_VDEV_READY)
		return true;
	if (!ctrl->dbbuf || ctrl->db_mapped)
		return false;
	/* Ask for a ring at the next submission, then look once more. */
	for (q = 1; q <= v->nr_ioq; q++) {
		struct lio_rsq *sq = &v->sq[q];
		u32 tail;

		if (!sq->live || !sq->eventidx_p)
			return false;
		tail = le32_to_cpu(*sq->tail_p);
		__atomic_store_n(sq->eventidx_p, cpu_to_le32(tail),
				 __ATOMIC_SEQ_CST);
		sq->last_tail = 0xffff;
		if (le32_to_cpu(__atomic_load_n(sq->tail_p, __ATOMIC_SEQ_CST)) !=
		    sq->d->head)
			return false;
	}
	return true;
}
