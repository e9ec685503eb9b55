// SPDX-License-Identifier: GPL-2.0
/*
 * The model and a data path: the calls out to the embedder's optional
 * hooks (struct lio_vctrl_ops, dp_*), and the few things a data path asks
 * of the model (interrupts, events, failure). With no hook set the model
 * behaves as it did without a data path.
 */
#include "vctrl.h"

int lio_hook_create(struct lio_vctrl *c, u16 qid, bool cq)
{
	return c->ops->dp_create ? c->ops->dp_create(c->opaque, qid, cq) : 0;
}

void lio_hook_sq_delete(struct lio_vctrl *c, u16 qid)
{
	if (c->ops->dp_sq_delete)
		c->ops->dp_sq_delete(c->opaque, qid);
}

void lio_hook_cq_deleted(struct lio_vctrl *c, u16 qid)
{
	if (c->ops->dp_cq_deleted)
		c->ops->dp_cq_deleted(c->opaque, qid);
}

void lio_hook_reset(struct lio_vctrl *c)
{
	if (c->ops->dp_reset)
		c->ops->dp_reset(c->opaque);
}

void lio_hook_enabled(struct lio_vctrl *c)
{
	/* A data path is expected from now on, for the grace period. */
	lio_vctrl_dp_wait(c);
	if (c->ops->dp_enabled)
		c->ops->dp_enabled(c->opaque);
}

int lio_hook_update(struct lio_vctrl *c, u32 what)
{
	return c->ops->dp_update ? c->ops->dp_update(c->opaque, what) : 0;
}

bool lio_hook_doorbell(struct lio_vctrl *c, u32 idx, u32 val)
{
	return c->ops->dp_doorbell && c->ops->dp_doorbell(c->opaque, idx, val);
}

void lio_hook_smart(struct lio_vctrl *c, u32 nsid, struct lio_dp_smart *s)
{
	memset(s, 0, sizeof(*s));
	if (c->ops->dp_smart)
		c->ops->dp_smart(c->opaque, nsid, s);
}

int lio_hook_lbas(struct lio_vctrl *c, u32 nsid, u64 slba,
		  struct leapio_lba_range *r, u32 max,
		  struct leapio_lbas_info *info)
{
	memset(info, 0, sizeof(*info));
	if (!c->ops->dp_lbas)
		return -EAGAIN;
	return c->ops->dp_lbas(c->opaque, nsid, slba, r, max, info);
}

bool lio_vctrl_ready(const struct lio_vctrl *c)
{
	return (c->csts & (NVME_CSTS_RDY | NVME_CSTS_CFS |
			   NVME_CSTS_SHST_MASK)) == NVME_CSTS_RDY;
}

/*
 * The data path posted completions to a CQ of this vector. The model's
 * own CQ state is stale for queues a data path serves, so INTx is one
 * assertion (the VFIO user's trigger masks itself until the guest's EOI)
 * rather than a level kept up until the CQ drains.
 */
void lio_vctrl_raise_irq(struct lio_vctrl *c, u16 vector)
{
	if (vector >= c->nr_vectors)
		return;
	switch (c->irq_mode) {
	case LIO_IRQ_MSIX:
		lio_irq_msix_fire(c, vector);
		break;
	case LIO_IRQ_INTX:
		if ((c->intms & 1) || lio_pci_intx_disabled(c) || c->intx_level)
			break;
		c->ops->intx_set(c->opaque, true);
		c->ops->intx_set(c->opaque, false);
		break;
	case LIO_IRQ_NONE:
		break;
	}
}

/* An event found by the data path (a bad mmapped doorbell value). */
void lio_vctrl_post_aen(struct lio_vctrl *c, u32 dw0)
{
	if (!lio_vctrl_ready(c))
		return;
	lio_aer_event(c, dw0);
}

void lio_vctrl_fatal(struct lio_vctrl *c)
{
	if (lio_vctrl_ready(c))
		lio_ctrl_fatal(c);
}

bool lio_hook_has_format(const struct lio_vctrl *c)
{
	return c->ops->dp_format;
}

int lio_hook_format(struct lio_vctrl *c, u32 gen, u32 nsid, u8 lba_shift,
		    u8 ses)
{
	return c->ops->dp_format ?
	       c->ops->dp_format(c->opaque, gen, nsid, lba_shift, ses) :
	       -ENODEV;
}

u64 lio_hook_pool_bytes(struct lio_vctrl *c, u32 *nsids)
{
	*nsids = 0;
	return c->ops->dp_pool_bytes ? c->ops->dp_pool_bytes(c->opaque, nsids) : 0;
}

int lio_hook_ns_create(struct lio_vctrl *c, u32 gen, u32 nsid, u64 nsze,
		       u8 lba_shift)
{
	return c->ops->dp_ns_create ?
	       c->ops->dp_ns_create(c->opaque, gen, nsid, nsze, lba_shift) :
	       -ENODEV;
}
