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

/* An LBA size the checks let through (512 or 4096) as a shift. */
static u8 lio_lba_shift(u32 lba_size)
{
	return lba_size == 4096 ? 12 : 9;
}

void lio_vctrl_init(struct lio_vctrl *c, const struct lio_vctrl_params *p,
		    const struct lio_vctrl_ops *ops, void *opaque)
{
	u32 i;

	memset(c, 0, sizeof(*c));
	c->ops = ops;
	c->opaque = opaque;
	c->p = *p;
	if (c->p.nr_ioq < 1)
		c->p.nr_ioq = 1;
	if (c->p.nr_ioq > LIO_MAX_IOQ)
		c->p.nr_ioq = LIO_MAX_IOQ;
	c->nr_vectors = c->p.nr_ioq + 1;
	/* The others are created with the default LBA size unless told. */
	for (i = 0; i < LIO_NN; i++)
		c->ns[i].lba_shift = lio_lba_shift(LEAPIO_DEFAULT_LBA_SIZE);
	c->ns[0].size = LEAPIO_DEFAULT_NS_SIZE;
	c->ns[0].attached = true;
	c->cap = lio_cap_value();
	c->vs = NVME_VS(1, 4, 0);
	c->smart.created_ms = ops->now_ms(opaque);

	lio_pci_init(c);
	lio_identity_init(c);
	lio_features_reset(c);
	lio_msix_reset(c);
}

int lio_vctrl_set_ns(struct lio_vctrl *c, u32 nsid, u64 size, u32 lba_size)
{
	struct lio_ns *ns;
	int ret;

	if (!nsid || nsid > LIO_NN)
		return -EINVAL;
	ns = &c->ns[nsid - 1];
	if (!size && nsid != 1) {
		/* Its LBA size stays: the one it is created with next. */
		ns->size = 0;
		ns->attached = false;
		return 0;
	}
	ret = leapio_ns_geometry_check(size, lba_size);
	if (ret)
		return ret;
	ns->size = size;
	ns->lba_shift = lio_lba_shift(lba_size);
	ns->attached = true;
	return 0;
}

/*
 * Namespace nsid was created, grew or went. The host is told with a
 * Namespace Attribute Changed notice if it asked for one (Asynchronous
 * Event Configuration bit 8), and finds the NSID in the Changed Namespace
 * List either way; a running data path has the new table before the
 * guest is told (a runtime that does not take it fails the controller,
 * as a reset it does not acknowledge does): a namespace that went takes
 * no command once the change is acked. Not ready: the data path gets
 * the table at enable, and no host is there to tell.
 */
void lio_ns_changed(struct lio_vctrl *c, u32 nsid)
{
	c->ns_changed |= 1U << (nsid - 1);
	if (!lio_vctrl_ready(c))
		return;
	if (lio_hook_update(c, LIO_DP_GEOMETRY)) {
		lio_vctrl_dp_lost(c);
		return;
	}
	if (c->feat.async_event_cfg & NVME_AEC_NS_ATTR)
		lio_aer_event(c, NVME_AER_DW0(NVME_AER_TYPE_NOTICE,
					      NVME_AER_NOTICE_NS_CHANGED,
					      NVME_LOG_CHANGED_NS));
}

/*
 * Told as lio_ns_changed() says. Shrinking under a host that may use the
 * blocks beyond would lose them: refused.
 */
int lio_vctrl_grow_ns(struct lio_vctrl *c, u32 nsid, u64 size)
{
	struct lio_ns *ns = lio_ns_get(c, nsid);

	if (!ns || !size || size & ((1ULL << ns->lba_shift) - 1))
		return -EINVAL;
	if (size < ns->size)
		return -EBUSY;
	if (size == ns->size)
		return 0;
	ns->size = size;
	lio_ns_changed(c, nsid);
	return 0;
}

/*
 * A Format NVM of nsid (or of all) is under way: the data path erases
 * the namespace and the answer gives it a new LBA size; a namespace that
 * changes size, goes or comes meanwhile would be erased in part or
 * formatted unasked.
 */
bool lio_format_busy_on(const struct lio_vctrl *c, u32 nsid)
{
	return c->format.busy &&
	       (c->format.nsid == NVME_NSID_ALL || c->format.nsid == nsid);
}

int lio_vctrl_resize_ns(struct lio_vctrl *c, u32 nsid, u64 size)
{
	struct lio_ns *ns;
	int ret;

	if (nsid < 2 || nsid > LIO_NN)
		return -EINVAL;
	ns = &c->ns[nsid - 1];
	/* Removing it is the way down: the operator means to lose it. */
	ret = leapio_nsn_size_check(ns->size, size, 1U << ns->lba_shift);
	if (ret || size == ns->size)
		return ret;
	/* A pool's namespace has the size create-ns gave its backend. */
	if (ns->pooled && size)
		return -EPERM;
	if (lio_format_busy_on(c, nsid))
		return -EBUSY;
	if (!ns->size) {
		/* A new namespace: the per namespace features' defaults. */
		c->feat.err_recovery[nsid - 1] = 0;
		ns->attached = true;
	} else if (!size) {
		ns->attached = false;
		ns->pooled = false;
	}
	ns->size = size;
	lio_ns_changed(c, nsid);
	return 0;
}

int lio_vctrl_set_ns_lba(struct lio_vctrl *c, u32 nsid, u32 lba_size)
{
	int ret;

	if (nsid < 2 || nsid > LIO_NN)
		return -EINVAL;
	ret = leapio_nsn_lba_size_check(c->ns[nsid - 1].size, lba_size);
	if (ret)
		return ret;
	c->ns[nsid - 1].lba_shift = lio_lba_shift(lba_size);
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

/* A BAR's 32-bit registers, and its size. */
struct lio_bar_regs {
	u32	(*read32)(struct lio_vctrl *c, u64 off);
	void	(*write32)(struct lio_vctrl *c, u64 off, u32 val);
	u64	size;
};

static bool lio_bar_regs(struct lio_vctrl *c, int bar, struct lio_bar_regs *r)
{
	switch (bar) {
	case LEAPIO_BAR_REGS:
		r->read32 = lio_regs_read32;
		r->write32 = lio_regs_write32;
		r->size = lio_bar0_size(c->p.nr_ioq);
		return true;
	case LEAPIO_BAR_MSIX:
		r->read32 = lio_msix_read32;
		r->write32 = lio_msix_write32;
		r->size = LEAPIO_MSIX_BAR_SIZE;
		return true;
	default:
		return false;
	}
}

/*
 * Both BARs hold 32-bit registers; an 8-byte access is two 4-byte ones,
 * low first, which is what lo_hi_writeq-style drivers do.
 */
int lio_vctrl_bar_read(struct lio_vctrl *c, int bar, u64 off, void *buf,
		       u32 len)
{
	struct lio_bar_regs r;
	__le32 v[2];

	if (!lio_bar_regs(c, bar, &r) || !lio_bar_access_ok(off, len, r.size))
		return -EINVAL;
	v[0] = cpu_to_le32(r.read32(c, off));
	if (len == 8)
		v[1] = cpu_to_le32(r.read32(c, off + 4));
	memcpy(buf, v, len);
	return 0;
}

int lio_vctrl_bar_write(struct lio_vctrl *c, int bar, u64 off,
			const void *buf, u32 len)
{
	struct lio_bar_regs r;
	__le32 v[2];

	if (!lio_bar_regs(c, bar, &r) || !lio_bar_access_ok(off, len, r.size))
		return -EINVAL;
	memcpy(v, buf, len);
	r.write32(c, off, le32_to_cpu(v[0]));
	if (len == 8)
		r.write32(c, off + 4, le32_to_cpu(v[1]));
	return 0;
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
	lio_hook_update(c, LIO_DP_IRQ);
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
	lio_hook_update(c, LIO_DP_IRQ);
}

void lio_vctrl_power_off(struct lio_vctrl *c)
{
	if ((c->cc & NVME_CC_EN) && !c->shutdown_done)
		c->smart.unsafe_shutdowns++;
	c->smart.power_cycles++;
	c->irq_mode = LIO_IRQ_NONE;
	lio_vctrl_function_reset(c);
}
