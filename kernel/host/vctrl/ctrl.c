// SPDX-License-Identifier: GPL-2.0
/*
 * The controller as a whole: creation, namespace geometry, BAR dispatch,
 * interrupt mode, function reset and power off.
 */
#include "vctrl.h"

u64 lio_bar0_size(u16 nr_ioq)
{
	u64 need = LEAPIO_DB_OFFSET + ((u64)nr_ioq + 1) * 2 * LEAPIO_DB_STRIDE;
	u64 size = LEAPIO_REGS_SIZE;

	while (size < need)
		size <<= 1;
	return size;
}

static u64 lio_cap_value(void)
{
	return (u64)LIO_MQES << NVME_CAP_MQES_SHIFT | NVME_CAP_CQR |
	       (u64)LIO_CAP_TO << NVME_CAP_TO_SHIFT |
	       (u64)LEAPIO_DSTRD << NVME_CAP_DSTRD_SHIFT | NVME_CAP_CSS_NVM |
	       0ULL << NVME_CAP_MPSMIN_SHIFT | 0ULL << NVME_CAP_MPSMAX_SHIFT;
}

void lio_vctrl_init(struct lio_vctrl *c, const struct lio_vctrl_params *p,
		    const struct lio_vctrl_ops *ops, void *opaque)
{
	memset(c, 0, sizeof(*c));
	c->ops = ops;
	c->opaque = opaque;
	c->p = *p;
	if (c->p.nr_ioq < 1)
		c->p.nr_ioq = 1;
	if (c->p.nr_ioq > LIO_MAX_IOQ)
		c->p.nr_ioq = LIO_MAX_IOQ;
	c->nr_vectors = c->p.nr_ioq + 1;
	c->ns.size = LEAPIO_DEFAULT_NS_SIZE;
	c->ns.lba_shift = LEAPIO_DEFAULT_LBA_SIZE == 4096 ? 12 : 9;
	c->cap = lio_cap_value();
	c->vs = NVME_VS(1, 4, 0);
	c->smart.created_ms = ops->now_ms(opaque);

	lio_pci_init(c);
	lio_identity_init(c);
	lio_features_reset(c);
	lio_msix_reset(c);
}

int lio_vctrl_set_ns(struct lio_vctrl *c, u64 size, u32 lba_size)
{
	if (lba_size != 512 && lba_size != 4096)
		return -EINVAL;
	if (!size || size % lba_size)
		return -EINVAL;
	c->ns.size = size;
	c->ns.lba_shift = lba_size == 4096 ? 12 : 9;
	return 0;
}

static bool lio_bar_access_ok(u64 off, u32 len, u64 size)
{
	if (len != 4 && len != 8)
		return false;
	if (off & (len - 1))
		return false;
	return off < size && len <= size - off;
}

int lio_vctrl_bar_read(struct lio_vctrl *c, int bar, u64 off, void *buf,
		       u32 len)
{
	switch (bar) {
	case LEAPIO_BAR_REGS:
		if (!lio_bar_access_ok(off, len, lio_bar0_size(c->p.nr_ioq)))
			return -EINVAL;
		return lio_regs_read(c, off, buf, len);
	case LEAPIO_BAR_MSIX:
		if (!lio_bar_access_ok(off, len, LEAPIO_MSIX_BAR_SIZE))
			return -EINVAL;
		return lio_msix_read(c, off, buf, len);
	default:
		return -EINVAL;
	}
}

int lio_vctrl_bar_write(struct lio_vctrl *c, int bar, u64 off,
			const void *buf, u32 len)
{
	switch (bar) {
	case LEAPIO_BAR_REGS:
		if (!lio_bar_access_ok(off, len, lio_bar0_size(c->p.nr_ioq)))
			return -EINVAL;
		return lio_regs_write(c, off, buf, len);
	case LEAPIO_BAR_MSIX:
		if (!lio_bar_access_ok(off, len, LEAPIO_MSIX_BAR_SIZE))
			return -EINVAL;
		return lio_msix_write(c, off, buf, len);
	default:
		return -EINVAL;
	}
}

void lio_vctrl_set_irq_mode(struct lio_vctrl *c, enum lio_irq_mode mode)
{
	u16 v;

	c->irq_mode = mode;
	if (mode == LIO_IRQ_MSIX) {
		/* The VFIO user has programmed the vectors: they are live. */
		for (v = 0; v < c->nr_vectors; v++)
			c->msix[v].ctrl &= ~1U;
		lio_msix_ctrl_changed(c);
	}
	lio_irq_update_intx(c);
}

bool lio_vctrl_intx_level(struct lio_vctrl *c)
{
	return c->intx_level;
}

void lio_vctrl_function_reset(struct lio_vctrl *c)
{
	lio_ctrl_reset(c);
	c->cc = 0;
	c->aqa = 0;
	c->asq = 0;
	c->acq = 0;
	lio_pci_init(c);
	/*
	 * The table goes back to masked, except that vectors the VFIO user
	 * still has eventfds for stay live: QEMU emulates the guest's view of
	 * the table itself and never writes ours.
	 */
	lio_msix_reset(c);
	if (c->irq_mode == LIO_IRQ_MSIX)
		lio_vctrl_set_irq_mode(c, LIO_IRQ_MSIX);
	lio_irq_update_intx(c);
}

void lio_vctrl_power_off(struct lio_vctrl *c)
{
	if ((c->cc & NVME_CC_EN) && !c->shutdown_done)
		c->smart.unsafe_shutdowns++;
	c->smart.power_cycles++;
	c->irq_mode = LIO_IRQ_NONE;
	lio_vctrl_function_reset(c);
}
