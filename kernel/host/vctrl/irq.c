// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts: the MSI-X table and PBA in BAR4, and the INTx level.
 *
 * Under QEMU the guest's MSI-X table is emulated by QEMU and ours is never
 * written: a vector is live when the VFIO user gave it an eventfd
 * (lio_vctrl_set_irq_mode unmasks them all). A VFIO user that drives BAR4
 * itself gets the PCI semantics: a masked vector's interrupt sets its
 * pending bit and is delivered when the vector is unmasked.
 */
#include "vctrl.h"

#define MSIX_ENTRY_SIZE		16
#define MSIX_CTRL_MASKED	1U

static bool lio_pba_test(const struct lio_vctrl *c, u16 v)
{
	return c->msix_pba[v / 64] & (1ULL << (v % 64));
}

static void lio_pba_set(struct lio_vctrl *c, u16 v, bool on)
{
	if (on)
		c->msix_pba[v / 64] |= 1ULL << (v % 64);
	else
		c->msix_pba[v / 64] &= ~(1ULL << (v % 64));
}

bool lio_vctrl_vector_masked(const struct lio_vctrl *c, u16 v)
{
	return lio_pci_msix_masked(c) || (c->msix[v].ctrl & MSIX_CTRL_MASKED);
}

void lio_irq_msix_fire(struct lio_vctrl *c, u16 v)
{
	if (v >= c->nr_vectors)
		return;
	if (lio_vctrl_vector_masked(c, v)) {
		lio_pba_set(c, v, true);
		return;
	}
	c->ops->msix_signal(c->opaque, v);
}

bool lio_irq_intx_pending(const struct lio_vctrl *c)
{
	u16 q;

	for (q = 0; q <= c->p.nr_ioq; q++) {
		const struct lio_cq *cq = &c->cq[q];

		if (cq->valid && cq->ien && cq->head != cq->tail)
			return true;
	}
	return false;
}

void lio_irq_update_intx(struct lio_vctrl *c)
{
	bool level = c->irq_mode == LIO_IRQ_INTX && !(c->intms & 1) &&
		     !lio_pci_intx_disabled(c) && lio_irq_intx_pending(c);

	if (level == c->intx_level)
		return;
	c->intx_level = level;
	c->ops->intx_set(c->opaque, level);
}

void lio_irq_cq(struct lio_vctrl *c, u16 cqid)
{
	struct lio_cq *cq = &c->cq[cqid];

	if (!cq->valid || !cq->ien)
		return;
	switch (c->irq_mode) {
	case LIO_IRQ_MSIX:
		lio_irq_msix_fire(c, cq->vector);
		break;
	case LIO_IRQ_INTX:
		lio_irq_update_intx(c);
		break;
	case LIO_IRQ_NONE:
		break;
	}
}

/* Deliver what became pending while masked, now that it may not be. */
void lio_msix_ctrl_changed(struct lio_vctrl *c)
{
	u16 v;

	if (c->irq_mode != LIO_IRQ_MSIX)
		return;
	for (v = 0; v < c->nr_vectors; v++) {
		if (lio_pba_test(c, v) && !lio_vctrl_vector_masked(c, v)) {
			lio_pba_set(c, v, false);
			c->ops->msix_signal(c->opaque, v);
		}
	}
}

void lio_msix_reset(struct lio_vctrl *c)
{
	u16 v;

	memset(c->msix, 0, sizeof(c->msix));
	memset(c->msix_pba, 0, sizeof(c->msix_pba));
	for (v = 0; v < LIO_MAX_VECTORS; v++)
		c->msix[v].ctrl = MSIX_CTRL_MASKED;
}

u32 lio_msix_read32(struct lio_vctrl *c, u64 off)
{
	u64 table_end = (u64)c->nr_vectors * MSIX_ENTRY_SIZE;
	u64 pba_end = LEAPIO_MSIX_PBA_OFFSET + sizeof(c->msix_pba);

	if (off < table_end) {
		const struct lio_msix_entry *e = &c->msix[off / MSIX_ENTRY_SIZE];

		switch (off % MSIX_ENTRY_SIZE) {
		case 0:
			return e->addr_lo;
		case 4:
			return e->addr_hi;
		case 8:
			return e->data;
		default:
			return e->ctrl;
		}
	}
	if (off >= LEAPIO_MSIX_PBA_OFFSET && off < pba_end) {
		u64 bit = (off - LEAPIO_MSIX_PBA_OFFSET) * 8;

		return (u32)(c->msix_pba[bit / 64] >> (bit % 64));
	}
	return 0;
}

void lio_msix_write32(struct lio_vctrl *c, u64 off, u32 val)
{
	u64 table_end = (u64)c->nr_vectors * MSIX_ENTRY_SIZE;
	struct lio_msix_entry *e;
	u16 v;

	/* The PBA is read-only; outside the table nothing is writable. */
	if (off >= table_end)
		return;
	v = off / MSIX_ENTRY_SIZE;
	e = &c->msix[v];
	switch (off % MSIX_ENTRY_SIZE) {
	case 0:
		e->addr_lo = val & ~3U;
		break;
	case 4:
		e->addr_hi = val;
		break;
	case 8:
		e->data = val;
		break;
	default:
		if (e->ctrl == (val & MSIX_CTRL_MASKED))
			break;
		e->ctrl = val & MSIX_CTRL_MASKED;
		if (!(e->ctrl & MSIX_CTRL_MASKED))
			lio_msix_ctrl_changed(c);
		lio_hook_update(c, LIO_DP_IRQ);
		break;
	}
}
