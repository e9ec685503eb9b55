// SPDX-License-Identifier: GPL-2.0
/*
 * The controller while no data path serves its I/O queues: none has
 * attached since the controller was enabled, or the one serving went
 * away (Documentation/design/data-path.rst, "When the runtime does not
 * answer").
 *
 * For a grace period a data path is expected: valid I/O commands the
 * model answers get Namespace Not Ready without DNR, so a host retries
 * them, and, once the host enabled Advanced Command Retry (Host Behavior
 * Support), Command Retry Delay 1, which Identify's CRDT1 sets to a fifth
 * of the grace period (Linux retries a command five times). After it,
 * DNR: retrying will not make a data path appear.
 *
 * A data path that goes away with commands it fetched leaves them to the
 * next one; when none comes within the grace period, the embedder gives
 * the queues back to the model (dp_takeback, dp_complete, dp_run), which
 * completes what was fetched and answers everything after.
 */
#include "vctrl.h"

#define LIO_STATUS_CRD1		((u16)(1U << 12))	/* CRD [13:12] = 1 */

int lio_vctrl_set_dp_grace(struct lio_vctrl *c, u32 ms)
{
	if (ms > LIO_DP_GRACE_MS_MAX)
		return -EINVAL;
	c->nodp.grace_ms = ms;
	return 0;
}

void lio_vctrl_dp_wait(struct lio_vctrl *c)
{
	c->nodp.deadline_ms = c->ops->now_ms(c->opaque) + c->nodp.grace_ms;
}

bool lio_vctrl_dp_waiting(const struct lio_vctrl *c)
{
	/* A grace period set to none ends the one running, too. */
	return c->nodp.grace_ms &&
	       (s64)(c->ops->now_ms(c->opaque) - c->nodp.deadline_ms) < 0;
}

u16 lio_nodp_crdt(const struct lio_vctrl *c)
{
	u32 t = (c->nodp.grace_ms + LIO_DP_RETRIES * 100 - 1) /
		(LIO_DP_RETRIES * 100);

	return t > 0xffff ? 0xffff : t;
}

u16 lio_nodp_status(const struct lio_vctrl *c)
{
	if (!lio_vctrl_dp_waiting(c))
		return NVME_SC_NS_NOT_READY | NVME_STATUS_DNR;
	/* CRD only once the host said it honours it (ACRE). */
	return NVME_SC_NS_NOT_READY | (c->feat.acre ? LIO_STATUS_CRD1 : 0);
}

void lio_vctrl_dp_lost(struct lio_vctrl *c)
{
	/* lio_ctrl_reset() keeps CFS when this comes from its hook. */
	c->nodp.lost = true;
	lio_vctrl_fatal(c);
}

void lio_vctrl_dp_takeback(struct lio_vctrl *c, u16 qid,
			   const struct lio_ioq_pos *pos)
{
	struct lio_sq *sq;
	struct lio_cq *cq;

	if (!qid || qid > c->p.nr_ioq)
		return;
	sq = &c->sq[qid];
	cq = &c->cq[qid];
	/* A position beyond the queue is the data path's bug: start over. */
	if (sq->valid && pos->sq_valid) {
		sq->head = pos->sq_head < sq->size ? pos->sq_head : 0;
		sq->tail = pos->sq_tail < sq->size ? pos->sq_tail : sq->head;
	}
	if (cq->valid && pos->cq_valid) {
		cq->tail = pos->cq_tail < cq->size ? pos->cq_tail : 0;
		cq->phase = pos->cq_phase & 1;
		cq->head = pos->cq_head < cq->size ? pos->cq_head : cq->tail;
	}
}

int lio_vctrl_dp_complete(struct lio_vctrl *c, u16 sqid, u16 cid, u16 status,
			  u32 dw0)
{
	int ret;

	if (!sqid || sqid > c->p.nr_ioq || !c->sq[sqid].valid)
		return -EINVAL;
	ret = lio_cq_post(c, c->sq[sqid].cqid, sqid, cid, status, dw0);
	if (!ret)
		lio_irq_cq(c, c->sq[sqid].cqid);
	return ret;
}

void lio_vctrl_dp_run(struct lio_vctrl *c)
{
	u16 q;

	for (q = 1; q <= c->p.nr_ioq; q++)
		if (c->sq[q].valid)
			lio_sq_run(c, q);
}
