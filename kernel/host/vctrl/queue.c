// SPDX-License-Identifier: GPL-2.0
/*
 * Submission and completion queues: doorbells, fetching and running
 * commands, posting completions, and the admin commands that create and
 * delete I/O queues or set up shadow doorbells.
 */
#include "vctrl.h"

void lio_ctrl_fatal(struct lio_vctrl *c)
{
	/* The host must reset: nothing more is fetched or posted. */
	if (c->csts & NVME_CSTS_CFS)
		return;
	c->csts |= NVME_CSTS_CFS;
	lio_hook_update(c, LIO_DP_FATAL);
}

/* Shadow doorbell and EventIdx of doorbell idx, laid out with the stride. */
static void lio_dbbuf_update(struct lio_vctrl *c, u32 idx, u32 val)
{
	__le32 v = cpu_to_le32(val);
	u64 off = (u64)idx * LEAPIO_DB_STRIDE;

	if (!c->dbbuf)
		return;
	/*
	 * The host's shadow value must match what it wrote to the register;
	 * EventIdx at the value just seen makes the host ring again on its
	 * next update, since every doorbell here is trapped.
	 */
	lio_dma_write(c, c->dbbuf_shadow + off, &v, sizeof(v));
	lio_dma_write(c, c->dbbuf_eventidx + off, &v, sizeof(v));
}

bool lio_cq_full(struct lio_vctrl *c, u16 cqid)
{
	struct lio_cq *cq = &c->cq[cqid];

	/* A CQ that does not exist has room for nothing. */
	if (!cq->valid)
		return true;
	return nvme_q_full(cq->head, cq->tail, cq->size);
}

int lio_cq_post(struct lio_vctrl *c, u16 cqid, u16 sqid, u16 cid,
		u16 status, u32 dw0)
{
	struct lio_cq *cq;
	struct nvme_cqe e;
	u64 slot;

	if (cqid >= LIO_MAX_QUEUES || sqid >= LIO_MAX_QUEUES ||
	    !c->cq[cqid].valid || !lio_vctrl_ready(c))
		return -EINVAL;
	cq = &c->cq[cqid];
	if (lio_cq_full(c, cqid))
		return -ENOSPC;

	nvme_cqe_build(&e, dw0, c->sq[sqid].head, sqid, cid, status,
		       cq->phase);
	/*
	 * The dword holding the phase tag goes last, so a host polling the
	 * queue never sees a new phase with old contents.
	 */
	slot = cq->gpa + (u64)cq->tail * NVME_CQE_SIZE;
	if (lio_dma_write(c, slot, &e, NVME_CQE_DW3) ||
	    lio_dma_write(c, slot + NVME_CQE_DW3, (u8 *)&e + NVME_CQE_DW3,
			  NVME_CQE_SIZE - NVME_CQE_DW3)) {
		lio_ctrl_fatal(c);
		return -EIO;
	}
	if (++cq->tail == cq->size) {
		cq->tail = 0;
		cq->phase ^= 1;
	}
	return 0;
}

void lio_sq_run(struct lio_vctrl *c, u16 sqid)
{
	struct lio_sq *sq = &c->sq[sqid];
	u16 cqid = sq->cqid;
	bool posted = false;

	while (sq->valid && sq->head != sq->tail && lio_vctrl_ready(c) &&
	       !lio_cq_full(c, cqid)) {
		struct lio_req req;
		u16 status;

		memset(&req, 0, sizeof(req));
		req.sqid = sqid;
		req.err_loc = LIO_NO_ERR_LOC;
		if (lio_dma_read(c, sq->gpa + (u64)sq->head * NVME_SQE_SIZE,
				 &req.sqe, sizeof(req.sqe))) {
			lio_ctrl_fatal(c);
			break;
		}
		sq->head = nvme_q_next(sq->head, sq->size);

		if (sqid == 0) {
			c->in_admin = true;
			status = lio_admin_exec(c, &req);
			c->in_admin = false;
		} else {
			status = lio_io_exec(c, &req);
		}
		if (!req.deferred) {
			if (lio_cq_post(c, cqid, sqid, le16_to_cpu(req.sqe.cid),
					status, req.dw0))
				break;
			posted = true;
		}
		/* Events raised by the command complete after it. */
		if (sqid == 0)
			lio_aer_flush(c);
	}
	if (posted)
		lio_irq_cq(c, cqid);
}

void lio_cq_run_sqs(struct lio_vctrl *c, u16 cqid)
{
	u16 q;

	for (q = 0; q <= c->p.nr_ioq; q++)
		if (c->sq[q].valid && c->sq[q].cqid == cqid)
			lio_sq_run(c, q);
	if (cqid == 0) {
		lio_deferred_flush_all(c);
		lio_aer_flush(c);
	}
}

static void lio_db_error(struct lio_vctrl *c, u8 info)
{
	lio_aer_event(c, NVME_AER_DW0(NVME_AER_TYPE_ERROR, info, NVME_LOG_ERROR));
}

static void lio_cq_doorbell(struct lio_vctrl *c, u16 qid, u32 val)
{
	struct lio_cq *cq = &c->cq[qid];

	if (!cq->valid) {
		lio_db_error(c, NVME_AER_ERROR_INVALID_DB_REG);
		return;
	}
	/*
	 * A data path knows where its tail is; the model's is stale, so only
	 * the queue's bounds are checked before the data path takes it (it
	 * checks the rest itself, with the same nvme_cq_head_valid()).
	 */
	if (!nvme_db_in_queue(cq->size, val)) {
		lio_db_error(c, NVME_AER_ERROR_INVALID_DB_VAL);
		return;
	}
	if (qid && lio_hook_doorbell(c, 2 * qid + 1, val))
		return;
	if (!nvme_cq_head_valid(cq->size, cq->head, cq->tail, val)) {
		lio_db_error(c, NVME_AER_ERROR_INVALID_DB_VAL);
		return;
	}
	cq->head = val;
	lio_dbbuf_update(c, 2 * qid + 1, val);
	lio_irq_update_intx(c);
	lio_cq_run_sqs(c, qid);
}

static void lio_sq_doorbell(struct lio_vctrl *c, u16 qid, u32 val)
{
	struct lio_sq *sq = &c->sq[qid];

	if (!sq->valid) {
		lio_db_error(c, NVME_AER_ERROR_INVALID_DB_REG);
		return;
	}
	if (!nvme_sq_tail_valid(sq->size, val)) {
		lio_db_error(c, NVME_AER_ERROR_INVALID_DB_VAL);
		return;
	}
	if (qid && lio_hook_doorbell(c, 2 * qid, val))
		return;
	sq->tail = val;
	lio_dbbuf_update(c, 2 * qid, val);
	lio_sq_run(c, qid);
}

void lio_doorbell_write(struct lio_vctrl *c, u64 off, u32 val)
{
	u64 rel = off - LEAPIO_DB_OFFSET;
	u64 idx = rel / LEAPIO_DB_STRIDE;

	if (!lio_vctrl_ready(c))
		return;
	/* Only the first dword of each doorbell page is a register. */
	if (rel % LEAPIO_DB_STRIDE)
		return;
	/* BAR0 is a power of two: it has doorbells of queues beyond the
	 * type's, which never exist.
	 */
	if (idx / 2 > c->p.nr_ioq) {
		lio_db_error(c, NVME_AER_ERROR_INVALID_DB_REG);
		return;
	}
	if (idx & 1)
		lio_cq_doorbell(c, idx / 2, val);
	else
		lio_sq_doorbell(c, idx / 2, val);
}

void lio_queues_teardown(struct lio_vctrl *c)
{
	memset(c->sq, 0, sizeof(c->sq));
	memset(c->cq, 0, sizeof(c->cq));
	lio_irq_update_intx(c);
}

bool lio_ioq_exists(const struct lio_vctrl *c)
{
	u16 q;

	for (q = 1; q <= c->p.nr_ioq; q++)
		if (c->sq[q].valid || c->cq[q].valid)
			return true;
	return false;
}

/* Queue size and base checks shared by Create I/O SQ and CQ. */
static u16 lio_check_new_queue(struct lio_vctrl *c, struct lio_req *req,
			       u32 qsize)
{
	u32 cdw11 = le32_to_cpu(req->sqe.cdw11);
	u64 base = le64_to_cpu(req->sqe.prp1);

	if (qsize < 2 || qsize > LIO_MQES + 1) {
		req->err_loc = NVME_SQE_OFF_CDW10 + 2;
		return NVME_SC_QUEUE_SIZE;
	}
	/* CAP.CQR: queues must be physically contiguous. */
	if (!(cdw11 & NVME_QUEUE_PHYS_CONTIG)) {
		req->err_loc = NVME_SQE_OFF_CDW11;
		return NVME_SC_INVALID_FIELD;
	}
	if (base & (lio_page_size(c) - 1)) {
		req->err_loc = NVME_SQE_OFF_PRP1;
		return NVME_SC_INVALID_FIELD;
	}
	return NVME_SC_SUCCESS;
}

u16 lio_admin_create_cq(struct lio_vctrl *c, struct lio_req *req)
{
	u32 cdw10 = le32_to_cpu(req->sqe.cdw10);
	u32 cdw11 = le32_to_cpu(req->sqe.cdw11);
	u16 qid = cdw10 & 0xffff;
	u32 qsize = (cdw10 >> 16) + 1;
	u16 iv = cdw11 >> 16;
	bool ien = cdw11 & NVME_CQ_IRQ_ENABLED;
	struct lio_cq *cq;
	u16 st;

	if (!qid || qid > c->p.nr_ioq || qid > c->feat.ncqa + 1U ||
	    c->cq[qid].valid) {
		req->err_loc = NVME_SQE_OFF_CDW10;
		return NVME_SC_QID_INVALID;
	}
	st = lio_check_new_queue(c, req, qsize);
	if (st)
		return st;
	if (ien && iv >= c->nr_vectors) {
		req->err_loc = NVME_SQE_OFF_CDW11 + 2;
		return NVME_SC_INVALID_VECTOR;
	}

	cq = &c->cq[qid];
	memset(cq, 0, sizeof(*cq));
	cq->gpa = le64_to_cpu(req->sqe.prp1);
	cq->size = qsize;
	cq->vector = iv;
	cq->ien = ien;
	cq->phase = 1;
	cq->valid = true;
	/* Slots left over from an earlier queue could hold an EventIdx
	 * that keeps the host from ringing this one.
	 */
	lio_dbbuf_update(c, 2 * qid + 1, 0);
	if (lio_hook_create(c, qid, true)) {
		memset(cq, 0, sizeof(*cq));
		req->err_loc = NVME_SQE_OFF_PRP1;
		return NVME_SC_INVALID_FIELD;
	}
	return NVME_SC_SUCCESS;
}

u16 lio_admin_create_sq(struct lio_vctrl *c, struct lio_req *req)
{
	u32 cdw10 = le32_to_cpu(req->sqe.cdw10);
	u32 cdw11 = le32_to_cpu(req->sqe.cdw11);
	u16 qid = cdw10 & 0xffff;
	u32 qsize = (cdw10 >> 16) + 1;
	u16 cqid = cdw11 >> 16;
	struct lio_sq *sq;
	u16 st;

	if (!qid || qid > c->p.nr_ioq || qid > c->feat.nsqa + 1U ||
	    c->sq[qid].valid) {
		req->err_loc = NVME_SQE_OFF_CDW10;
		return NVME_SC_QID_INVALID;
	}
	if (!cqid || cqid > c->p.nr_ioq || !c->cq[cqid].valid) {
		req->err_loc = NVME_SQE_OFF_CDW11 + 2;
		return NVME_SC_CQ_INVALID;
	}
	st = lio_check_new_queue(c, req, qsize);
	if (st)
		return st;

	sq = &c->sq[qid];
	memset(sq, 0, sizeof(*sq));
	sq->gpa = le64_to_cpu(req->sqe.prp1);
	sq->size = qsize;
	sq->cqid = cqid;
	sq->prio = (cdw11 & NVME_SQ_PRIO_MASK) >> NVME_SQ_PRIO_SHIFT;
	sq->valid = true;
	c->cq[cqid].nr_sqs++;
	lio_dbbuf_update(c, 2 * qid, 0);
	if (lio_hook_create(c, qid, false)) {
		c->cq[cqid].nr_sqs--;
		memset(sq, 0, sizeof(*sq));
		req->err_loc = NVME_SQE_OFF_PRP1;
		return NVME_SC_INVALID_FIELD;
	}
	return NVME_SC_SUCCESS;
}

u16 lio_admin_delete_sq(struct lio_vctrl *c, struct lio_req *req)
{
	u16 qid = le32_to_cpu(req->sqe.cdw10) & 0xffff;
	struct lio_sq *sq;

	if (!qid || qid > c->p.nr_ioq || !c->sq[qid].valid) {
		req->err_loc = NVME_SQE_OFF_CDW10;
		return NVME_SC_QID_INVALID;
	}
	/*
	 * Commands the model fetched ran to completion; a data path's finish
	 * (their CQEs posted) before the hook returns: none is left to abort.
	 */
	lio_hook_sq_delete(c, qid);
	sq = &c->sq[qid];
	c->cq[sq->cqid].nr_sqs--;
	memset(sq, 0, sizeof(*sq));
	return NVME_SC_SUCCESS;
}

u16 lio_admin_delete_cq(struct lio_vctrl *c, struct lio_req *req)
{
	u16 qid = le32_to_cpu(req->sqe.cdw10) & 0xffff;

	if (!qid || qid > c->p.nr_ioq || !c->cq[qid].valid) {
		req->err_loc = NVME_SQE_OFF_CDW10;
		return NVME_SC_QID_INVALID;
	}
	if (c->cq[qid].nr_sqs) {
		req->err_loc = NVME_SQE_OFF_CDW10;
		return NVME_SC_INVALID_QUEUE_DELETION;
	}
	memset(&c->cq[qid], 0, sizeof(c->cq[qid]));
	lio_hook_cq_deleted(c, qid);
	lio_irq_update_intx(c);
	return NVME_SC_SUCCESS;
}

u16 lio_admin_dbbuf(struct lio_vctrl *c, struct lio_req *req)
{
	u64 shadow = le64_to_cpu(req->sqe.prp1);
	u64 eventidx = le64_to_cpu(req->sqe.prp2);
	u32 pmask = lio_page_size(c) - 1;
	u16 q;

	if (!shadow || (shadow & pmask)) {
		req->err_loc = NVME_SQE_OFF_PRP1;
		return NVME_SC_INVALID_FIELD;
	}
	if (!eventidx || (eventidx & pmask)) {
		req->err_loc = NVME_SQE_OFF_PRP2;
		return NVME_SC_INVALID_FIELD;
	}
	c->dbbuf_shadow = shadow;
	c->dbbuf_eventidx = eventidx;
	c->dbbuf = true;

	/* The buffers start out holding the doorbells' current values. */
	for (q = 0; q <= c->p.nr_ioq; q++) {
		if (c->sq[q].valid)
			lio_dbbuf_update(c, 2 * q, c->sq[q].tail);
		if (c->cq[q].valid)
			lio_dbbuf_update(c, 2 * q + 1, c->cq[q].head);
	}
	/*
	 * The data path pins the two pages (and puts the doorbells of queues
	 * it serves, which the model does not know, in them), or the
	 * command fails.
	 */
	if (lio_hook_update(c, LIO_DP_DBBUF)) {
		c->dbbuf = false;
		c->dbbuf_shadow = 0;
		c->dbbuf_eventidx = 0;
		req->err_loc = NVME_SQE_OFF_PRP1;
		return NVME_SC_INVALID_FIELD;
	}
	return NVME_SC_SUCCESS;
}
