// SPDX-License-Identifier: GPL-2.0
/*
 * Asynchronous events: the AERs the host leaves outstanding, the events
 * waiting for one, and the masking of each event type between its report
 * and the host reading the log page that goes with it.
 */
#include "vctrl.h"

static u8 lio_aer_type(u32 dw0)
{
	return dw0 & 7;
}

u16 lio_admin_async_event(struct lio_vctrl *c, struct lio_req *req)
{
	struct lio_aer *a = &c->aer;

	if (a->nr >= ARRAY_SIZE(a->cid))
		return NVME_SC_ASYNC_LIMIT;
	/* An event waiting for just this AER goes at the flush that
	 * follows every admin command.
	 */
	a->cid[a->nr++] = le16_to_cpu(req->sqe.cid);
	req->deferred = true;
	return NVME_SC_SUCCESS;
}

void lio_aer_event(struct lio_vctrl *c, u32 dw0)
{
	struct lio_aer *a = &c->aer;
	u8 i;

	/* The same event waiting already says all this one would. When the
	 * queue is full the event is lost: the host still finds the
	 * condition in the log pages.
	 */
	for (i = 0; i < a->nr_pending; i++)
		if (a->pending[i] == dw0)
			break;
	if (i == a->nr_pending && a->nr_pending < ARRAY_SIZE(a->pending))
		a->pending[a->nr_pending++] = dw0;
	lio_aer_flush(c);
}

static void lio_aer_drop_pending(struct lio_aer *a, u8 i)
{
	memmove(&a->pending[i], &a->pending[i + 1],
		(a->nr_pending - i - 1) * sizeof(a->pending[0]));
	a->nr_pending--;
}

static void lio_aer_drop_oldest_cid(struct lio_aer *a)
{
	memmove(&a->cid[0], &a->cid[1], (a->nr - 1) * sizeof(a->cid[0]));
	a->nr--;
}

void lio_aer_flush(struct lio_vctrl *c)
{
	struct lio_aer *a = &c->aer;
	bool posted = false;
	u8 i = 0;

	/* lio_sq_run flushes again once the command's CQE is posted. */
	if (c->in_admin)
		return;
	while (i < a->nr_pending && a->nr) {
		u32 dw0 = a->pending[i];
		u8 type = lio_aer_type(dw0);

		if (a->masked & (1U << type)) {
			i++;
			continue;
		}
		/* A full CQ (or a broken one) keeps the event for later. */
		if (lio_cq_post(c, 0, 0, a->cid[0], NVME_SC_SUCCESS, dw0))
			break;
		posted = true;
		a->masked |= 1U << type;
		lio_aer_drop_oldest_cid(a);
		lio_aer_drop_pending(a, i);
	}
	if (posted)
		lio_irq_cq(c, 0);
}

void lio_aer_log_read(struct lio_vctrl *c, u8 lid)
{
	struct lio_aer *a = &c->aer;
	u8 type;

	/* The log page each event type we raise points at. */
	switch (lid) {
	case NVME_LOG_ERROR:
		type = NVME_AER_TYPE_ERROR;
		break;
	case NVME_LOG_SMART:
		type = NVME_AER_TYPE_SMART;
		break;
	case NVME_LOG_CHANGED_NS:
		type = NVME_AER_TYPE_NOTICE;
		break;
	default:
		return;
	}
	a->masked &= ~(1U << type);
}

void lio_aer_reset(struct lio_vctrl *c)
{
	memset(&c->aer, 0, sizeof(c->aer));
}
