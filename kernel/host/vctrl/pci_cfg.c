// SPDX-License-Identifier: GPL-2.0
/*
 * PCI configuration space of the virtual function. Every byte of the
 * standard header and the capabilities has a write mask and a
 * write-one-to-clear mask; a write changes only the bits they allow, so
 * read-only fields (ids, class, capability layout, BAR types) can't be
 * changed by a guest, and BARs size themselves: writing all ones reads
 * back the size mask.
 */
#include "vctrl.h"

#define CFG_COMMAND		0x04
#define CFG_STATUS		0x06
#define CFG_BAR0		0x10
#define CFG_CAP_PTR		0x34
#define CFG_INT_LINE		0x3c

#define CMD_MEMORY		BIT(1)
#define CMD_MASTER		BIT(2)
#define CMD_PARITY		BIT(6)
#define CMD_SERR		BIT(8)
#define CMD_INTX_DISABLE	BIT(10)
#define STATUS_INTX		BIT(3)
#define STATUS_CAP_LIST		BIT(4)
#define STATUS_ERRORS		0xf900U	/* parity, aborts, SERR: RW1C */

#define CAP_PM			0x40
#define CAP_MSIX		0x50
#define CAP_EXP			0x60
#define MSIX_CTRL		(CAP_MSIX + 2)
#define MSIX_CTRL_MASKALL	BIT(14)
#define MSIX_CTRL_ENABLE	BIT(15)
#define PM_CSR			(CAP_PM + 4)
#define EXP_DEVCTL		(CAP_EXP + 8)
#define EXP_DEVCTL_FLR		BIT(15)

static void put8(struct lio_vctrl *c, u32 off, u8 v)
{
	c->pci.cfg[off] = v;
}

static void put16(struct lio_vctrl *c, u32 off, u16 v)
{
	c->pci.cfg[off] = v & 0xff;
	c->pci.cfg[off + 1] = v >> 8;
}

static void put32(struct lio_vctrl *c, u32 off, u32 v)
{
	put16(c, off, v & 0xffff);
	put16(c, off + 2, v >> 16);
}

static u16 get16(const struct lio_vctrl *c, u32 off)
{
	return c->pci.cfg[off] | (u16)c->pci.cfg[off + 1] << 8;
}

static void mask16(struct lio_vctrl *c, u32 off, u16 wmask, u16 w1c)
{
	c->pci.wmask[off] = wmask & 0xff;
	c->pci.wmask[off + 1] = wmask >> 8;
	c->pci.w1c[off] = w1c & 0xff;
	c->pci.w1c[off + 1] = w1c >> 8;
}

static void mask32(struct lio_vctrl *c, u32 off, u32 wmask)
{
	mask16(c, off, wmask & 0xffff, 0);
	mask16(c, off + 2, wmask >> 16, 0);
}

static void lio_pci_init_header(struct lio_vctrl *c)
{
	u64 bar0 = lio_bar0_size(c->p.nr_ioq);

	put16(c, 0x00, c->p.pci_vendor);
	put16(c, 0x02, c->p.pci_device);
	mask16(c, CFG_COMMAND, CMD_MEMORY | CMD_MASTER | CMD_PARITY |
	       CMD_SERR | CMD_INTX_DISABLE, 0);
	put16(c, CFG_STATUS, STATUS_CAP_LIST);
	mask16(c, CFG_STATUS, 0, STATUS_ERRORS);
	put8(c, 0x08, LEAPIO_PCI_REVISION);
	put8(c, 0x09, LEAPIO_PCI_CLASS & 0xff);
	put8(c, 0x0a, (LEAPIO_PCI_CLASS >> 8) & 0xff);
	put8(c, 0x0b, LEAPIO_PCI_CLASS >> 16);
	c->pci.wmask[0x0c] = 0xff;		/* cache line size */

	/* BAR0/1: 64-bit memory, non-prefetchable. */
	put32(c, CFG_BAR0, 0x4);
	c->pci.bar_mask[0] = (u32)~(bar0 - 1) & ~0xfU;
	mask32(c, CFG_BAR0, c->pci.bar_mask[0]);
	c->pci.bar_mask[1] = 0xffffffffU;
	mask32(c, CFG_BAR0 + 4, c->pci.bar_mask[1]);
	/* BAR4: 32-bit memory, the MSI-X table and PBA. */
	c->pci.bar_mask[4] = ~(LEAPIO_MSIX_BAR_SIZE - 1U);
	mask32(c, CFG_BAR0 + 16, c->pci.bar_mask[4]);

	put16(c, 0x2c, c->p.pci_subsys_vendor);
	put16(c, 0x2e, c->p.pci_subsys_device);
	put8(c, CFG_CAP_PTR, CAP_PM);
	c->pci.wmask[CFG_INT_LINE] = 0xff;
	put8(c, 0x3d, 1);			/* INTA */
}

static void lio_pci_init_caps(struct lio_vctrl *c)
{
	/* Power management v3: D0 and D3hot; state kept over D3hot. */
	put8(c, CAP_PM, 0x01);
	put8(c, CAP_PM + 1, CAP_MSIX);
	put16(c, CAP_PM + 2, 0x0003);
	put16(c, PM_CSR, 1U << 3);		/* No_Soft_Reset */
	mask16(c, PM_CSR, 0x0003, 0);

	/* MSI-X: one vector per queue; table and PBA in BAR4. */
	put8(c, CAP_MSIX, 0x11);
	put8(c, CAP_MSIX + 1, CAP_EXP);
	put16(c, MSIX_CTRL, c->nr_vectors - 1);
	mask16(c, MSIX_CTRL, MSIX_CTRL_MASKALL | MSIX_CTRL_ENABLE, 0);
	put32(c, CAP_MSIX + 4, LEAPIO_MSIX_TABLE_OFFSET | LEAPIO_BAR_MSIX);
	put32(c, CAP_MSIX + 8, LEAPIO_MSIX_PBA_OFFSET | LEAPIO_BAR_MSIX);

	/* PCI Express v2, endpoint, x1 at 2.5 GT/s. */
	put8(c, CAP_EXP, 0x10);
	put8(c, CAP_EXP + 1, 0);
	put16(c, CAP_EXP + 2, 0x0002);
	/* DevCap: 256-byte payloads, role-based errors, FLR. */
	put32(c, CAP_EXP + 4, 0x1 | BIT(15) | BIT(28));
	/* DevCtl: error reporting, relaxed ordering, MPS, no snoop, MRRS
	 * (512 bytes by default). Extended tags, phantom functions and aux
	 * power are not in DevCap, so their enables are hardwired to 0.
	 * FLR is handled on write.
	 */
	put16(c, EXP_DEVCTL, 0x2810);
	mask16(c, EXP_DEVCTL, 0x78ff, 0);
	mask16(c, CAP_EXP + 10, 0, 0x000f);	/* DevSta errors RW1C */
	put32(c, CAP_EXP + 12, 0x00000011);	/* LnkCap: 2.5 GT/s x1 */
	mask16(c, CAP_EXP + 16, 0x00cb, 0);	/* LnkCtl */
	put16(c, CAP_EXP + 18, 0x0011);		/* LnkSta */
	/* DevCap2 offers no optional feature, so DevCtl2 is all zeros. */
	put32(c, CAP_EXP + 44, 0x00000002);	/* LnkCap2: 2.5 GT/s */
	put16(c, CAP_EXP + 48, 0x0001);		/* LnkCtl2: target 2.5 GT/s */
}

void lio_pci_init(struct lio_vctrl *c)
{
	memset(&c->pci, 0, sizeof(c->pci));
	lio_pci_init_header(c);
	lio_pci_init_caps(c);
}

bool lio_pci_bus_master(const struct lio_vctrl *c)
{
	return get16(c, CFG_COMMAND) & CMD_MASTER;
}

bool lio_pci_intx_disabled(const struct lio_vctrl *c)
{
	return get16(c, CFG_COMMAND) & CMD_INTX_DISABLE;
}

bool lio_pci_msix_masked(const struct lio_vctrl *c)
{
	return get16(c, MSIX_CTRL) & MSIX_CTRL_MASKALL;
}

/*
 * Interrupt Status: the function requests INTx. INTx Disable keeps the
 * line low but, as PCI says, leaves this bit alone; INTMS masks the
 * request itself.
 */
static bool lio_pci_intx_status(const struct lio_vctrl *c)
{
	return c->irq_mode == LIO_IRQ_INTX && !(c->intms & 1) &&
	       lio_irq_intx_pending(c);
}

static bool lio_cfg_access_ok(u32 off, u32 len)
{
	if (len != 1 && len != 2 && len != 4)
		return false;
	return !(off & (len - 1)) && off < sizeof(((struct lio_pci *)0)->cfg) &&
	       len <= sizeof(((struct lio_pci *)0)->cfg) - off;
}

int lio_vctrl_cfg_read(struct lio_vctrl *c, u32 off, void *buf, u32 len)
{
	u8 *out = buf;
	u32 i;

	if (!lio_cfg_access_ok(off, len))
		return -EINVAL;
	for (i = 0; i < len; i++)
		out[i] = c->pci.cfg[off + i];
	if (off <= CFG_STATUS && off + len > CFG_STATUS &&
	    lio_pci_intx_status(c))
		out[CFG_STATUS - off] |= STATUS_INTX;
	return 0;
}

int lio_vctrl_cfg_write(struct lio_vctrl *c, u32 off, const void *buf,
			u32 len)
{
	u16 old_pmcsr = get16(c, PM_CSR);
	u16 old_msix = get16(c, MSIX_CTRL);
	const u8 *in = buf;
	bool flr = false;
	u32 i;

	if (!lio_cfg_access_ok(off, len))
		return -EINVAL;
	/* The extended space (0x100-0xfff) is all zeros, read-only. */
	if (off >= sizeof(c->pci.wmask))
		return 0;

	for (i = 0; i < len; i++) {
		u32 o = off + i;
		u8 v = in[i];

		if (o == EXP_DEVCTL + 1 && (v & (EXP_DEVCTL_FLR >> 8)))
			flr = true;
		c->pci.cfg[o] = (c->pci.cfg[o] & ~c->pci.wmask[o]) |
				(v & c->pci.wmask[o]);
		c->pci.cfg[o] &= ~(v & c->pci.w1c[o]);
	}

	/* Only D0 and D3hot exist; a write of D1 or D2 changes nothing. */
	if ((get16(c, PM_CSR) & 3) == 1 || (get16(c, PM_CSR) & 3) == 2)
		put16(c, PM_CSR, old_pmcsr);

	if (flr) {
		lio_vctrl_function_reset(c);
		return 0;
	}
	if (get16(c, MSIX_CTRL) != old_msix) {
		lio_msix_ctrl_changed(c);
		lio_hook_update(c, LIO_DP_IRQ);
	}
	if (off <= CFG_COMMAND + 1 && off + len > CFG_COMMAND)
		lio_irq_update_intx(c);
	return 0;
}
