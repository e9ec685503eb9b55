// SPDX-License-Identifier: GPL-2.0
/*
 * Completing commands: the journal's COMPLETING protocol, a CQ that never
 * gets an entry the guest hasn't consumed, SMART counters, and the
 * interrupts, coalesced as the guest set them.
 */
#include <errno.h>
#include <unistd.h>

#include "vdev.h"

void lio_cq_head_resync(struct lio_rcq *cq)
{
	/* One past the tail: every head value is within reach once. */
	cq->last_head = nvme_q_next(cq->d->tail, cq->size);
}

void lio_db_bad(struct lio_vdev *v, bool *bad, u32 *last_bad, u32 val)
{
	/* Polled, not written: a value that stays is one write, told once. */
	if (!*bad || val != *last_bad)
		lio_mbox_call(v, LEAPIO_MBOX_AEN, NVME_AEN_INVALID_DB_VAL, 0);
	*bad = true;
	*last_bad = val;
}

/*
 * The guest's CQ head: the doorbell's value when it is valid (an entry of
 * the queue releasing only entries posted, nvme_cq_head_valid()), else
 * the last valid one. As the controller model takes a bad doorbell write
 * (kernel/host/vctrl/queue.c), a bad value is told by an AEN and has no
 * other effect: the queue goes on from the head it had, never from a
 * value the guest may not write.
 */
u16 lio_cq_head(struct lio_vdev *v, u16 cqid)
{
	struct lio_rcq *cq = &v->cq[cqid];
	u32 head = le32_to_cpu(__atomic_load_n(cq->head_p, __ATOMIC_ACQUIRE));

	if (likely(head == cq->last_head)) {
		cq->bad_db = false;
		return head;
	}
	/*
	 * A value found bad stays bad while it stands, even once the tail
	 * has moved past it: the guest wrote it when it released entries
	 * never posted.
	 */
	if (unlikely((cq->bad_db && head == cq->last_bad) ||
		     !nvme_cq_head_valid(cq->size, cq->last_head, cq->d->tail,
					 head))) {
		lio_db_bad(v, &cq->bad_db, &cq->last_bad, head);
		return cq->last_head;
	}
	cq->bad_db = false;
	cq->last_head = head;
	return head;
}

static void lio_cqe_write(struct lio_rcq *cq, u16 pos, u8 phase, u16 sqid,
			  u16 sq_head, u16 cid, u16 status, u32 dw0)
{
	struct nvme_cqe *slot = (struct nvme_cqe *)(cq->base +
						    (u64)pos * NVME_CQE_SIZE);

	nvme_cqe_fill_head(slot, dw0, sq_head, sqid);
	/* The dword with the phase tag last: a polling guest never sees a
	 * new phase with old contents.
	 */
	__atomic_store_n((__le32 *)((u8 *)slot + NVME_CQE_DW3),
			 nvme_cqe_dw3(cid, status, phase), __ATOMIC_RELEASE);
}

static void lio_cq_advance(struct lio_vdev *v, struct lio_rcq *cq, u64 now)
{
	u16 tail = cq->d->tail + 1;
	u8 phase = cq->d->phase;

	if (tail == cq->size) {
		tail = 0;
		phase ^= 1;
	}
	cq->d->phase = phase;
	__atomic_store_n(&cq->d->tail, tail, __ATOMIC_RELEASE);
	if (!cq->owed++)
		cq->owed_since_ns = now;
	(void)v;
}

void lio_cq_post_journal(struct lio_vdev *v, struct leapio_inflight *e,
			 u16 sqid)
{
	struct lio_rcq *cq = &v->cq[v->sq[sqid].cqid];
	struct nvme_sqe *sqe = (struct nvme_sqe *)e->sqe;

	lio_cqe_write(cq, e->cq_pos, e->cq_phase, sqid, v->sq[sqid].d->head,
		      le16_to_cpu(sqe->cid), e->status, e->dw0);
	lio_cq_advance(v, cq, lio_now_ns());
}

/*
 * The failed commands among the next room of a CQ's backlog (c first),
 * told to the driver for the Error Information log (LEAPIO_MBOX_ERROR)
 * in one kick, before their CQEs are written: a guest that reads the log
 * after seeing a command fail finds it there. Told before the journal
 * entry turns COMPLETING, so a restart that posts it again (it is
 * COMPLETING) does not tell again, and one that redoes it (ISSUED) tells
 * it then.
 */
static void lio_err_report(struct lio_vdev *v, struct lio_cmd *c, u32 room)
{
	bool posted = false;

	for (; c && room; c = c->next, room--) {
		const struct nvme_sqe *sqe = (const struct nvme_sqe *)c->je->sqe;
		u64 arg0;

		if (!c->status || c->reported)
			continue;
		arg0 = (u64)c->sqid | (u64)le16_to_cpu(sqe->cid) << 16 |
		       (u64)(c->status & ~1U) << 32 | (u64)c->err_loc << 48;
		/*
		 * Not posted only when the mailbox is full and the kick that
		 * would empty it fails (the driver is gone): tried again when
		 * the command's CQE is due.
		 */
		if (v->err_reports &&
		    lio_mbox_post(v, LEAPIO_MBOX_ERROR, arg0, c->err_lba,
				  le32_to_cpu(sqe->nsid)))
			break;
		c->reported = true;
		posted |= v->err_reports;
	}
	if (posted)
		lio_mbox_flush(v);
}

void lio_cq_flush(struct lio_vdev *v, u16 cqid)
{
	struct lio_rcq *cq = &v->cq[cqid];
	u16 head = lio_cq_head(v, cqid);
	u64 now = 0;

	while (cq->backlog) {
		struct lio_cmd *c = cq->backlog;
		struct leapio_inflight *e;
		u16 tail = cq->d->tail;

		/* Full as last seen: the guest may have consumed since. */
		if (nvme_q_full(head, tail, cq->size)) {
			head = lio_cq_head(v, cqid);
			if (nvme_q_full(head, tail, cq->size))
				break;	/* full: wait for the guest */
		}
		/* The driver has the error before the guest sees it fail. */
		if (unlikely(c->status && !c->reported))
			lio_err_report(v, c, cq->size - 1 -
				       nvme_q_used(head, tail, cq->size));
		cq->backlog = c->next;
		if (!cq->backlog)
			cq->backlog_tail = NULL;
		if (!now)
			now = lio_now_ns();

		e = c->je;
		e->cq_pos = tail;
		e->cq_phase = cq->d->phase;
		e->status = c->status;
		e->dw0 = c->dw0;
		__atomic_store_n(&e->state, LEAPIO_INFLIGHT_COMPLETING,
				 __ATOMIC_RELEASE);
		lio_cqe_write(cq, tail, cq->d->phase, c->sqid,
			      v->sq[c->sqid].d->head,
			      le16_to_cpu(((struct nvme_sqe *)e->sqe)->cid),
			      c->status, c->dw0);
		lio_cq_advance(v, cq, now);
		v->sq[c->sqid].queued--;
		if (v->io_stats)
			lio_io_account(v->io_stats, c, v->now);
		lio_cmd_free(v, c);
		v->stats->cmds++;
		v->did_work = true;
	}
}

static void lio_count(__u64 *cmds, __u64 *bytes, u64 n)
{
	(*cmds)++;
	*bytes += n;
}

/*
 * SMART's figures of a command that succeeded, in the region: its SQ's
 * (the controller's, summed by the driver) and its namespace's (nsd, NULL
 * without a table: a driver before minor 7, or Flush of FFFFFFFFh).
 */
static void lio_cmd_count(const struct lio_cmd *c, struct leapio_sq_desc *sqd,
			  struct leapio_ns_desc *nsd)
{
	switch (lio_io_class_of(c->opcode)) {
	case LIO_CLASS_READ:
		lio_count(&sqd->cmds_read, &sqd->bytes_read, c->bytes);
		if (nsd)
			lio_count(&nsd->cmds_read, &nsd->bytes_read, c->bytes);
		break;
	case LIO_CLASS_WRITE:
		lio_count(&sqd->cmds_written, &sqd->bytes_written, c->bytes);
		if (nsd)
			lio_count(&nsd->cmds_written, &nsd->bytes_written, c->bytes);
		break;
	default:
		break;
	}
}

void lio_cmd_finish(struct lio_cmd *c, u16 status)
{
	struct lio_vdev *v = c->v;
	struct lio_rsq *sq = &v->sq[c->sqid];
	struct lio_rcq *cq;

	v->inflight--;
	sq->inflight--;
	/* A reset or a deleted queue: the guest must never see it. */
	if (c->abandoned || c->generation != v->generation ||
	    (!sq->live && !sq->dying) ||
	    c->je->qgen != sq->qgen ||
	    !v->cq[sq->cqid].live) {
		lio_cmd_free(v, c);
		return;
	}
	if (!status)
		lio_cmd_count(c, sq->d, lio_rns_desc(v, c->ns));
	c->status = status;
	c->next = NULL;
	sq->queued++;
	cq = &v->cq[sq->cqid];
	if (cq->backlog_tail)
		cq->backlog_tail->next = c;
	else
		cq->backlog = c;
	cq->backlog_tail = c;
	/* Posted at the end of the pass, in one batch per CQ. */
	cq->flush_due = true;
}

/* ---- interrupts ---- */

void lio_irq_fds_close(struct lio_vdev *v)
{
	unsigned int i;

	for (i = 0; i < LIO_NR_VEC; i++) {
		if (v->irqfd[i] >= 0)
			close(v->irqfd[i]);
		v->irqfd[i] = -1;
	}
	v->irq_seq_valid = false;
}

static bool lio_vec_bit(const __u64 *words, u16 vec)
{
	return vec < LIO_NR_VEC &&
	       (__atomic_load_n(&words[vec / 64], __ATOMIC_RELAXED) >> (vec % 64)) & 1;
}

/* The eventfd of vec as of the current irq_seq, or -1. */
static int lio_irq_fd(struct lio_vdev *v, u16 vec)
{
	u32 seq = __atomic_load_n(&v->r.ctrl->irq_seq, __ATOMIC_ACQUIRE);

	if (!v->irq_seq_valid || seq != v->irq_seq) {
		lio_irq_fds_close(v);
		v->irq_seq = seq;
		v->irq_seq_valid = true;
	}
	if (vec >= LIO_NR_VEC)
		return -1;
	if (v->irqfd[vec] < 0) {
		u32 s;
		int fd = v->plat->irqfd(v, vec, &s);

		if (fd < 0)
			return -1;
		v->irqfd[vec] = fd;
	}
	return v->irqfd[vec];
}

static void lio_irq_raise(struct lio_vdev *v, u16 vec)
{
	u32 mode = __atomic_load_n(&v->r.ctrl->irq_mode, __ATOMIC_ACQUIRE);
	u64 one = 1;
	int fd, tries;

	v->stats->irqs++;
	if (v->plat->irq) {
		int ret;

		/* The platform does it all (card mode: irq_post[]). */
		if (mode == LEAPIO_IRQ_NONE)
			return;
		ret = v->plat->irq(v, vec);
		if (ret && !v->irq_warned) {
			lio_log("vdev %s: raising vector %u failed: %d",
				v->cfg.uuid, vec, ret);
			v->irq_warned = true;
		}
		return;
	}
	if (mode == LEAPIO_IRQ_MSIX && !lio_vec_bit(v->r.ctrl->msix_masked, vec)) {
		for (tries = 0; tries < 3; tries++) {
			u32 seq;

			fd = lio_irq_fd(v, vec);
			if (fd < 0)
				break;
			seq = v->irq_seq;	/* what fd is valid for */
			if (write(fd, &one, sizeof(one)) < 0)
				break;
			/* The VFIO user swapped eventfds meanwhile: a spurious
			 * interrupt is harmless, a lost one is not.
			 */
			if (__atomic_load_n(&v->r.ctrl->irq_seq,
					    __ATOMIC_ACQUIRE) == seq)
				return;
		}
		if (fd >= 0)
			return;
	}
	if (mode != LEAPIO_IRQ_NONE)
		lio_mbox_call(v, LEAPIO_MBOX_IRQ, vec, 0);
}

void lio_irq_pass(struct lio_vdev *v, u64 now)
{
	u32 coal = __atomic_load_n(&v->r.ctrl->irq_coalesce, __ATOMIC_RELAXED);
	u32 thr = (coal & 0xff) + 1;
	u64 time_ns = (u64)((coal >> 8) & 0xff) * 100000;
	u16 q;

	for (q = 1; q <= v->nr_ioq; q++) {
		struct lio_rcq *cq = &v->cq[q];

		if (!cq->live || !cq->owed)
			continue;
		if (!cq->ien) {
			cq->owed = 0;
			continue;
		}
		/* Never for vector 0 (the admin queue's), nor for vectors
		 * with Coalescing Disable.
		 */
		if (coal && time_ns && cq->owed < thr && cq->vector &&
		    !lio_vec_bit(v->r.ctrl->irq_cd, cq->vector) &&
		    (s64)(now - cq->owed_since_ns) < (s64)time_ns)
			continue;	/* coalescing: not yet */
		cq->owed = 0;
		lio_irq_raise(v, cq->vector);
	}
}
