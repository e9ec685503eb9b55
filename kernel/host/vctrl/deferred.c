// SPDX-License-Identifier: GPL-2.0
/*
 * Admin commands whose completion waits for the data path (Format NVM,
 * Namespace Management's create): the command is remembered, not
 * completed, when it is taken; the data path's answer posts its
 * completion. A controller reset or shutdown tears the admin queue down
 * and with it the wait, but not the work: the answer still applies, it
 * is just posted to nobody. An answer that finds the admin CQ full waits
 * for the host to make room (lio_deferred_flush_all() from the admin CQ's
 * head doorbell), as an AER completion does.
 */
#include "vctrl.h"

void lio_deferred_wait(struct lio_deferred *d, struct lio_req *req)
{
	d->cid_valid = true;
	d->posting = false;
	d->cid = le16_to_cpu(req->sqe.cid);
	req->deferred = true;
}

static void lio_deferred_flush(struct lio_vctrl *c, struct lio_deferred *d)
{
	if (!d->posting || c->in_admin)
		return;
	if (lio_cq_post(c, 0, 0, d->cid, d->status, d->dw0) == -ENOSPC)
		return;
	d->posting = false;
	d->cid_valid = false;
	lio_irq_cq(c, 0);
}

void lio_deferred_answer(struct lio_vctrl *c, struct lio_deferred *d,
			 u16 status, u32 dw0)
{
	if (!d->cid_valid || !lio_vctrl_ready(c)) {
		d->cid_valid = false;
		return;
	}
	d->status = status;
	d->dw0 = dw0;
	d->posting = true;
	lio_deferred_flush(c, d);
}

void lio_deferred_reset(struct lio_deferred *d)
{
	d->cid_valid = false;
	d->posting = false;
}

/* Every admin command that may wait for the data path's answer, below. */
void lio_deferred_flush_all(struct lio_vctrl *c)
{
	lio_deferred_flush(c, &c->format.wait);
	lio_deferred_flush(c, &c->nscreate.wait);
}

void lio_deferred_reset_all(struct lio_vctrl *c)
{
	lio_deferred_reset(&c->format.wait);
	lio_deferred_reset(&c->nscreate.wait);
}
