// SPDX-License-Identifier: GPL-2.0
/*
 * BAR0: the NVMe controller registers and the doorbells, one 32-bit
 * register at a time; 64-bit ones (CAP, ASQ, ACQ) are two halves.
 * lio_vctrl_bar_read/write (ctrl.c) split wider accesses.
 */
#include "vctrl.h"

#define LIO_ASQ_MASK	(~0xfffULL)
#define LIO_AQA_MASK	(NVME_AQA_ASQS_MASK | NVME_AQA_ACQS_MASK)

u32 lio_page_size(const struct lio_vctrl *c)
{
	return 4096U << ((c->cc & NVME_CC_MPS_MASK) >> NVME_CC_MPS_SHIFT);
}

/*
 * A controller reset. CC keeps what the host wrote (the write that
 * cleared EN), and AQA/ASQ/ACQ survive as the spec says, so a host may
 * enable again without reprogramming them; a function reset clears
 * those too. No command is in flight here, so once the queues, AERs and
 * shadow doorbells are gone nothing from before can reach guest memory.
 */
void lio_ctrl_reset(struct lio_vctrl *c)
{
	/*
	 * A data path finishes what it fetched before the queues go; one
	 * that does not answer makes this reset end with CSTS.CFS.
	 */
	c->nodp.lost = false;
	lio_hook_reset(c);
	lio_queues_teardown(c);
	lio_aer_reset(c);
	lio_deferred_reset_all(c);
	lio_features_reset(c);
	c->dbbuf = false;
	c->dbbuf_shadow = 0;
	c->dbbuf_eventidx = 0;
	c->intms = 0;
	c->csts = c->nodp.lost ? NVME_CSTS_CFS : 0;
	c->nodp.lost = false;
	c->shutdown_done = false;
	c->in_admin = false;
	lio_irq_update_intx(c);
}

u32 lio_regs_read32(struct lio_vctrl *c, u64 off)
{
	switch (off) {
	case NVME_REG_CAP:
		return (u32)c->cap;
	case NVME_REG_CAP + 4:
		return (u32)(c->cap >> 32);
	case NVME_REG_VS:
		return c->vs;
	case NVME_REG_INTMS:
	case NVME_REG_INTMC:
		return c->intms;
	case NVME_REG_CC:
		return c->cc;
	case NVME_REG_CSTS:
		return c->csts;
	case NVME_REG_AQA:
		return c->aqa;
	case NVME_REG_ASQ:
		return (u32)c->asq;
	case NVME_REG_ASQ + 4:
		return (u32)(c->asq >> 32);
	case NVME_REG_ACQ:
		return (u32)c->acq;
	case NVME_REG_ACQ + 4:
		return (u32)(c->acq >> 32);
	default:
		/* Reserved registers, NSSR, CMB and doorbells read as 0. */
		return 0;
	}
}

/* The enable transition: check what the host set up, then go ready. */
static void lio_ctrl_enable(struct lio_vctrl *c)
{
	u32 asqs = (c->aqa & NVME_AQA_ASQS_MASK) + 1;
	u32 acqs = ((c->aqa & NVME_AQA_ACQS_MASK) >> NVME_AQA_ACQS_SHIFT) + 1;
	u32 mps = (c->cc & NVME_CC_MPS_MASK) >> NVME_CC_MPS_SHIFT;
	u32 iosqes = (c->cc & NVME_CC_IOSQES_MASK) >> NVME_CC_IOSQES_SHIFT;
	u32 iocqes = (c->cc & NVME_CC_IOCQES_MASK) >> NVME_CC_IOCQES_SHIFT;
	u32 pmask;

	if (mps != 0 || (c->cc & NVME_CC_CSS_MASK) || (c->cc & NVME_CC_AMS_MASK) ||
	    iosqes != NVME_SQES_LOG2 || iocqes != NVME_CQES_LOG2 ||
	    asqs < 2 || acqs < 2) {
		c->csts |= NVME_CSTS_CFS;
		return;
	}
	pmask = lio_page_size(c) - 1;
	if ((c->asq & pmask) || (c->acq & pmask)) {
		c->csts |= NVME_CSTS_CFS;
		return;
	}

	memset(&c->sq[0], 0, sizeof(c->sq[0]));
	memset(&c->cq[0], 0, sizeof(c->cq[0]));
	c->sq[0].gpa = c->asq;
	c->sq[0].size = asqs;
	c->sq[0].valid = true;
	c->cq[0].gpa = c->acq;
	c->cq[0].size = acqs;
	c->cq[0].phase = 1;
	c->cq[0].ien = true;
	c->cq[0].nr_sqs = 1;
	c->cq[0].valid = true;
	c->shutdown_done = false;
	c->csts = NVME_CSTS_RDY;
	lio_hook_enabled(c);
}

static void lio_cc_write(struct lio_vctrl *c, u32 val)
{
	u32 old = c->cc;
	u32 shn = val & NVME_CC_SHN_MASK;

	val &= NVME_CC_WRITABLE;

	if ((old & NVME_CC_EN) && !(val & NVME_CC_EN)) {
		/* Controller reset: queues gone, registers to reset values. */
		lio_ctrl_reset(c);
		c->cc = val;
		return;
	}
	if (!(old & NVME_CC_EN) && (val & NVME_CC_EN)) {
		c->cc = val;
		lio_ctrl_enable(c);
	} else if (old & NVME_CC_EN) {
		/* Fields other than EN and SHN are fixed while enabled. */
		c->cc = (old & ~NVME_CC_SHN_MASK) | shn;
	} else {
		c->cc = val;
	}

	if (shn && !(old & NVME_CC_SHN_MASK)) {
		/*
		 * Shutdown: no command is in flight (they run synchronously),
		 * so processing is complete at once. Queues are deleted; the
		 * host must reset the controller before using it again.
		 * A data path's commands finish first.
		 */
		lio_hook_reset(c);
		lio_queues_teardown(c);
		lio_aer_reset(c);
		lio_deferred_reset_all(c);
		c->shutdown_done = true;
		c->csts = (c->csts & ~NVME_CSTS_SHST_MASK) | NVME_CSTS_SHST_CMPLT;
		lio_irq_update_intx(c);
	}
}

void lio_regs_write32(struct lio_vctrl *c, u64 off, u32 val)
{
	bool idle = !(c->cc & NVME_CC_EN) && !(c->csts & NVME_CSTS_RDY);

	if (off >= LEAPIO_DB_OFFSET) {
		lio_doorbell_write(c, off, val);
		return;
	}
	switch (off) {
	case NVME_REG_INTMS:
		c->intms |= val;
		lio_irq_update_intx(c);
		break;
	case NVME_REG_INTMC:
		c->intms &= ~val;
		lio_irq_update_intx(c);
		break;
	case NVME_REG_CC:
		lio_cc_write(c, val);
		break;
	case NVME_REG_AQA:
		if (idle)
			c->aqa = val & LIO_AQA_MASK;
		break;
	case NVME_REG_ASQ:
		if (idle)
			c->asq = (c->asq & ~0xffffffffULL) | (val & LIO_ASQ_MASK);
		break;
	case NVME_REG_ASQ + 4:
		if (idle)
			c->asq = (c->asq & 0xffffffffULL) | (u64)val << 32;
		break;
	case NVME_REG_ACQ:
		if (idle)
			c->acq = (c->acq & ~0xffffffffULL) | (val & LIO_ASQ_MASK);
		break;
	case NVME_REG_ACQ + 4:
		if (idle)
			c->acq = (c->acq & 0xffffffffULL) | (u64)val << 32;
		break;
	default:
		/* Read-only and reserved registers; NSSR is not supported. */
		break;
	}
}
