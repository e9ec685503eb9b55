// SPDX-License-Identifier: GPL-2.0
/*
 * PCI configuration space: identity, BAR sizing, what every byte lets a
 * guest write, the capability chain (PM, MSI-X, PCI Express), function
 * level reset, and accesses the model must refuse.
 */
#include <stdlib.h>

#include "../lib/lio_harness.h"
#include "fake_guest.h"

#define CMD		0x04
#define STATUS		0x06
#define BAR(n)		(0x10 + 4 * (n))
#define ROM		0x30
#define PM		0x40
#define MSIX		0x50
#define EXP		0x60

/* The controller back to what lio_vctrl_init() makes, with new params. */
static void reinit(struct fake_guest *g, const struct lio_vctrl_params *p)
{
	struct lio_vctrl_params copy = p ? *p : g->c->p;

	lio_vctrl_init(g->c, &copy, g->c->ops, g);
}

static int cfg_rd(struct fake_guest *g, u32 off, u32 len, u32 *val)
{
	__le32 v = 0;
	int ret = lio_vctrl_cfg_read(g->c, off, &v, len);

	*val = le32_to_cpu(v);
	return ret;
}

static int cfg_wr(struct fake_guest *g, u32 off, u32 len, u32 val)
{
	__le32 v = cpu_to_le32(val);

	return lio_vctrl_cfg_write(g->c, off, &v, len);
}

/* Bits a guest may change in the byte at off of an nr_ioq controller. */
static u8 expected_wmask(u16 nr_ioq, u32 off)
{
	u32 bar0 = (u32)~(lio_bar0_size(nr_ioq) - 1) & ~0xfU;

	if (off >= BAR(0) && off < BAR(0) + 4)
		return bar0 >> (8 * (off - BAR(0)));
	if (off >= BAR(1) && off < BAR(1) + 4)
		return 0xff;
	if (off >= BAR(4) && off < BAR(4) + 4)
		return (u32)~(LEAPIO_MSIX_BAR_SIZE - 1) >> (8 * (off - BAR(4)));
	switch (off) {
	case CMD:
		return 0x46;	/* memory, bus master, parity */
	case CMD + 1:
		return 0x05;	/* SERR, INTx disable */
	case 0x0c:		/* cache line size */
	case 0x3c:		/* interrupt line */
		return 0xff;
	case PM + 4:
		return 0x03;	/* power state */
	case MSIX + 3:
		return 0xc0;	/* enable, function mask */
	case EXP + 8:
		return 0xff;	/* DevCtl: error enables, RO, MPS */
	case EXP + 9:
		return 0x78;	/* DevCtl: no snoop, MRRS */
	case EXP + 16:
		return 0xcb;	/* LnkCtl */
	default:
		return 0;
	}
}

FIXTURE(cfg) {
	struct fake_guest *g;
};

FIXTURE_SETUP(cfg)
{
	self->g = fg_new(4);
}

FIXTURE_TEARDOWN(cfg)
{
	fg_free(self->g);
}

TEST_F(cfg, identity)
{
	struct fake_guest *g = self->g;
	struct lio_vctrl_params p = g->c->p;

	ASSERT_EQ((u32)LEAPIO_PCI_VENDOR_ID, fg_cfg_read(g, 0x00, 2));
	ASSERT_EQ((u32)LEAPIO_PCI_DEVICE_ID, fg_cfg_read(g, 0x02, 2));
	ASSERT_EQ((u32)LEAPIO_PCI_REVISION, fg_cfg_read(g, 0x08, 1));
	ASSERT_EQ(0x02U, fg_cfg_read(g, 0x09, 1));	/* NVMe */
	ASSERT_EQ(0x08U, fg_cfg_read(g, 0x0a, 1));	/* NVM */
	ASSERT_EQ(0x01U, fg_cfg_read(g, 0x0b, 1));	/* mass storage */
	ASSERT_EQ((u32)(LEAPIO_PCI_CLASS << 8 | LEAPIO_PCI_REVISION),
		  fg_cfg_read(g, 0x08, 4));
	ASSERT_EQ(0U, fg_cfg_read(g, 0x0e, 1));		/* header type 0 */
	ASSERT_EQ(0U, fg_cfg_read(g, 0x0f, 1));		/* no BIST */
	ASSERT_EQ((u32)LEAPIO_PCI_SUBSYS_VENDOR_ID, fg_cfg_read(g, 0x2c, 2));
	ASSERT_EQ((u32)LEAPIO_PCI_SUBSYS_ID, fg_cfg_read(g, 0x2e, 2));
	ASSERT_EQ(0U, fg_cfg_read(g, 0x28, 4));		/* no CardBus CIS */
	ASSERT_EQ(0U, fg_cfg_read(g, 0x3e, 2));		/* min gnt, max lat */

	/* The ids come from the parameters. */
	p.pci_vendor = 0x1af4;
	p.pci_device = 0x1234;
	p.pci_subsys_vendor = 0x8086;
	p.pci_subsys_device = 0xabcd;
	reinit(g, &p);
	ASSERT_EQ(0x12341af4U, fg_cfg_read(g, 0x00, 4));
	ASSERT_EQ(0xabcd8086, fg_cfg_read(g, 0x2c, 4));
	ASSERT_EQ((u32)LEAPIO_PCI_CLASS, fg_cfg_read(g, 0x08, 4) >> 8);
}

TEST_F(cfg, power_on_values)
{
	struct fake_guest *g = self->g;

	reinit(g, NULL);
	ASSERT_EQ(0U, fg_cfg_read(g, CMD, 2));
	ASSERT_EQ(0x0010U, fg_cfg_read(g, STATUS, 2));	/* capabilities */
	ASSERT_EQ(0x4U, fg_cfg_read(g, BAR(0), 4));	/* 64-bit memory */
	ASSERT_EQ(0U, fg_cfg_read(g, BAR(1), 4));
	ASSERT_EQ(0U, fg_cfg_read(g, BAR(4), 4));	/* 32-bit memory */
	ASSERT_EQ(0U, fg_cfg_read(g, 0x0c, 4));
	ASSERT_EQ(0x0100U, fg_cfg_read(g, 0x3c, 2));	/* INTA, no line */
	ASSERT_EQ((u32)PM, fg_cfg_read(g, 0x34, 1));
	ASSERT_EQ(0x0008U, fg_cfg_read(g, PM + 4, 2));	/* D0, No_Soft_Reset */
	ASSERT_EQ(g->c->nr_vectors - 1U, fg_cfg_read(g, MSIX + 2, 2));
	ASSERT_EQ(0x2810U, fg_cfg_read(g, EXP + 8, 2));
	ASSERT_FALSE(lio_pci_bus_master(g->c));
	ASSERT_FALSE(lio_pci_intx_disabled(g->c));
	ASSERT_FALSE(lio_pci_msix_masked(g->c));
}

TEST_F(cfg, write_masks_of_every_byte)
{
	struct fake_guest *g = self->g;
	u32 off;

	for (off = 0; off < 0x100; off++) {
		u8 wm = expected_wmask(g->c->p.nr_ioq, off);
		/* Setting FLR would reset the function: tested apart. */
		u8 ones = off == EXP + 9 ? 0x7f : 0xff;
		u32 before, after;

		reinit(g, NULL);
		ASSERT_EQ(0, cfg_rd(g, off, 1, &before));
		ASSERT_EQ(0, cfg_wr(g, off, 1, ones));
		ASSERT_EQ(0, cfg_rd(g, off, 1, &after));
		ASSERT_EQ((before & ~wm) | (ones & wm), after) {
			TH_LOG("byte %#x: before %#x", off, before);
		}
		ASSERT_EQ(0, cfg_wr(g, off, 1, 0));
		ASSERT_EQ(0, cfg_rd(g, off, 1, &after));
		ASSERT_EQ(before & ~wm, after) {
			TH_LOG("byte %#x: before %#x", off, before);
		}
	}
}

TEST_F(cfg, read_only_with_wide_writes)
{
	struct fake_guest *g = self->g;
	u32 before[64], off;

	/* Every dword written with ones and zeros: only writable bits move
	 * (FLR aside: DevCtl/DevSta get ones without bit 15).
	 */
	reinit(g, NULL);
	for (off = 0; off < 0x100; off += 4)
		before[off / 4] = fg_cfg_read(g, off, 4);
	for (off = 0; off < 0x100; off += 4) {
		u32 ones = off == EXP + 8 ? 0xffff7fff : 0xffffffff;
		u32 wm = 0, i;

		for (i = 0; i < 4; i++)
			wm |= (u32)expected_wmask(g->c->p.nr_ioq, off + i) << (8 * i);
		reinit(g, NULL);
		fg_cfg_write(g, off, ones, 4);
		ASSERT_EQ((before[off / 4] & ~wm) | (ones & wm),
			  fg_cfg_read(g, off, 4)) {
			TH_LOG("dword %#x", off);
		}
		fg_cfg_write(g, off, 0, 4);
		ASSERT_EQ(before[off / 4] & ~wm, fg_cfg_read(g, off, 4)) {
			TH_LOG("dword %#x", off);
		}
	}
}

TEST_F(cfg, extended_space_is_zero)
{
	struct fake_guest *g = self->g;
	u32 off, v;

	for (off = 0x100; off < 0x1000; off += 4) {
		ASSERT_EQ(0, cfg_wr(g, off, 4, 0xffffffff));
		ASSERT_EQ(0, cfg_rd(g, off, 4, &v));
		ASSERT_EQ(0U, v);
	}
	ASSERT_EQ(0, cfg_wr(g, 0xfff, 1, 0xff));
	ASSERT_EQ(0U, fg_cfg_read(g, 0xfff, 1));
	ASSERT_EQ(0, cfg_wr(g, 0x102, 2, 0xffff));
	ASSERT_EQ(0U, fg_cfg_read(g, 0x102, 2));
	/* Past the last capability, up to 0xff, too. */
	for (off = 0xa0; off < 0x100; off += 4)
		ASSERT_EQ(0U, fg_cfg_read(g, off, 4));
}

TEST_F(cfg, bar0_size_per_type)
{
	static const u16 types[] = { 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64 };
	unsigned int i;

	ASSERT_EQ(0x8000ULL, lio_bar0_size(1));
	ASSERT_EQ(0x10000ULL, lio_bar0_size(4));
	ASSERT_EQ(0x20000ULL, lio_bar0_size(8));
	ASSERT_EQ(0x100000ULL, lio_bar0_size(64));
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		u64 size = lio_bar0_size(types[i]);
		u64 need = LEAPIO_CQ_DB(types[i]) + LEAPIO_DB_STRIDE;
		struct fake_guest *g = fg_new(types[i]);

		/* A power of two, the smallest that holds every doorbell page. */
		ASSERT_EQ(0ULL, size & (size - 1));
		ASSERT_LE(need, size);
		ASSERT_GT(need, size / 2);

		/* The BAR sizes itself that way. */
		fg_cfg_write(g, BAR(0), 0xffffffff, 4);
		fg_cfg_write(g, BAR(1), 0xffffffff, 4);
		ASSERT_EQ(((u32)~(size - 1) & ~0xfU) | 0x4, fg_cfg_read(g, BAR(0), 4));
		ASSERT_EQ(0xffffffff, fg_cfg_read(g, BAR(1), 4));
		ASSERT_EQ(size, ~((u64)fg_cfg_read(g, BAR(1), 4) << 32 |
				  (fg_cfg_read(g, BAR(0), 4) & ~0xfU)) + 1);
		fg_free(g);
	}
}

TEST_F(cfg, bar_sizing_and_programming)
{
	struct fake_guest *g = self->g;
	u32 n;

	/* BAR4: 32-bit, non-prefetchable, 4 KiB. */
	fg_cfg_write(g, BAR(4), 0xffffffff, 4);
	ASSERT_EQ(~(LEAPIO_MSIX_BAR_SIZE - 1U), fg_cfg_read(g, BAR(4), 4));
	fg_cfg_write(g, BAR(4), 0xfebf1234, 4);
	ASSERT_EQ(0xfebf1000, fg_cfg_read(g, BAR(4), 4));

	/* BAR0/1: an address, low bits beyond the size dropped. */
	fg_cfg_write(g, BAR(0), 0xfe012345, 4);
	fg_cfg_write(g, BAR(1), 0x00000001, 4);
	ASSERT_EQ((0xfe012345 & (u32)~(lio_bar0_size(4) - 1)) | 0x4,
		  fg_cfg_read(g, BAR(0), 4));
	ASSERT_EQ(1U, fg_cfg_read(g, BAR(1), 4));

	/* Byte and word writes reach the same bits. */
	fg_cfg_write(g, BAR(4) + 3, 0xab, 1);
	ASSERT_EQ(0xabbf1000, fg_cfg_read(g, BAR(4), 4));
	fg_cfg_write(g, BAR(4), 0xffff, 2);
	ASSERT_EQ(0xabbff000, fg_cfg_read(g, BAR(4), 4));

	/* Unimplemented BARs and the expansion ROM stay 0. */
	for (n = 2; n < 6; n++) {
		if (n == 4)
			continue;
		fg_cfg_write(g, BAR(n), 0xffffffff, 4);
		ASSERT_EQ(0U, fg_cfg_read(g, BAR(n), 4));
	}
	fg_cfg_write(g, ROM, 0xffffffff, 4);
	ASSERT_EQ(0U, fg_cfg_read(g, ROM, 4));
	fg_cfg_write(g, ROM, 0xfffff801, 4);
	ASSERT_EQ(0U, fg_cfg_read(g, ROM, 4));
}

TEST_F(cfg, command_register)
{
	struct fake_guest *g = self->g;

	fg_cfg_write(g, CMD, 0xffff, 2);
	ASSERT_EQ(0x0546U, fg_cfg_read(g, CMD, 2));
	ASSERT_TRUE(lio_pci_bus_master(g->c));
	ASSERT_TRUE(lio_pci_intx_disabled(g->c));

	/* No I/O BAR, so no I/O space enable. */
	fg_cfg_write(g, CMD, 0x0001, 2);
	ASSERT_EQ(0U, fg_cfg_read(g, CMD, 2));
	ASSERT_FALSE(lio_pci_bus_master(g->c));
	ASSERT_FALSE(lio_pci_intx_disabled(g->c));

	fg_cfg_write(g, CMD, 0x0004, 2);
	ASSERT_TRUE(lio_pci_bus_master(g->c));
	/* A byte write to the high half leaves the low one. */
	fg_cfg_write(g, CMD + 1, 0x04, 1);
	ASSERT_EQ(0x0404U, fg_cfg_read(g, CMD, 2));
	ASSERT_TRUE(lio_pci_intx_disabled(g->c));
	ASSERT_TRUE(lio_pci_bus_master(g->c));
}

TEST_F(cfg, status_error_bits_are_rw1c)
{
	struct fake_guest *g = self->g;

	/* Nothing sets them yet: put them there as a device would. */
	g->c->pci.cfg[STATUS + 1] = 0xf9;
	ASSERT_EQ(0xf910U, fg_cfg_read(g, STATUS, 2));
	/* Zeros and read-only bits leave everything. */
	fg_cfg_write(g, STATUS, 0x06ef, 2);
	ASSERT_EQ(0xf910U, fg_cfg_read(g, STATUS, 2));
	/* Ones clear exactly their bits. */
	fg_cfg_write(g, STATUS, 0x0100, 2);
	ASSERT_EQ(0xf810U, fg_cfg_read(g, STATUS, 2));
	fg_cfg_write(g, STATUS + 1, 0x80, 1);
	ASSERT_EQ(0x7810U, fg_cfg_read(g, STATUS, 2));
	/* A dword write through Command: its status half clears too. */
	fg_cfg_write(g, CMD, 0x78000006, 4);
	ASSERT_EQ(0x0010U, fg_cfg_read(g, STATUS, 2));
	ASSERT_EQ(0x0006U, fg_cfg_read(g, CMD, 2));
}

/* One admin completion left in the CQ: the controller requests INTx. */
static void admin_completion_pending(struct __test_metadata *_metadata,
				     struct fake_guest *g)
{
	struct nvme_sqe sqe;

	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_INTX);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	nb_get_features(&sqe, NVME_FEAT_ARBITRATION, NVME_FEAT_SEL_CURRENT, 0);
	fg_admin_submit(g, &sqe);
}

TEST_F(cfg, interrupt_status)
{
	struct fake_guest *g = self->g;
	struct nvme_cqe cqe;

	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_INTX);
	ASSERT_EQ(0U, fg_cfg_read(g, STATUS, 2) & 0x0008);
	admin_completion_pending(_metadata, g);
	ASSERT_EQ(0x0008U, fg_cfg_read(g, STATUS, 2) & 0x0008);
	ASSERT_EQ(0x0008U, fg_cfg_read(g, CMD, 4) >> 16 & 0x0008);
	ASSERT_EQ(0x08U, fg_cfg_read(g, STATUS, 1) & 0x08);
	ASSERT_TRUE(g->intx_level);

	/* INTx Disable keeps the line low; the status still tells. */
	fg_cfg_write(g, CMD, 0x0406, 2);
	ASSERT_FALSE(g->intx_level);
	ASSERT_EQ(0x0008U, fg_cfg_read(g, STATUS, 2) & 0x0008);
	fg_cfg_write(g, CMD, 0x0006, 2);
	ASSERT_TRUE(g->intx_level);

	/* INTMS masks the request itself. */
	fg_write32(g, NVME_REG_INTMS, 1);
	ASSERT_FALSE(g->intx_level);
	ASSERT_EQ(0U, fg_cfg_read(g, STATUS, 2) & 0x0008);
	fg_write32(g, NVME_REG_INTMC, 1);
	ASSERT_TRUE(g->intx_level);
	ASSERT_EQ(0x0008U, fg_cfg_read(g, STATUS, 2) & 0x0008);

	/* The status bit is not writable. */
	fg_cfg_write(g, STATUS, 0x0008, 2);
	ASSERT_EQ(0x0018U, fg_cfg_read(g, STATUS, 2));

	/* The guest consumes the entry: request gone. */
	ASSERT_EQ(0, fg_admin_reap(g, &cqe));
	ASSERT_EQ(0U, fg_cfg_read(g, STATUS, 2) & 0x0008);
	ASSERT_FALSE(g->intx_level);
}

TEST_F(cfg, interrupt_status_not_set_with_msix)
{
	struct fake_guest *g = self->g;

	admin_completion_pending(_metadata, g);
	ASSERT_EQ(0x0008U, fg_cfg_read(g, STATUS, 2) & 0x0008);
	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_MSIX);
	ASSERT_EQ(0U, fg_cfg_read(g, STATUS, 2) & 0x0008);
	ASSERT_FALSE(g->intx_level);
}

TEST_F(cfg, interrupt_line_and_pin)
{
	struct fake_guest *g = self->g;

	fg_cfg_write(g, 0x3c, 0xffff, 2);
	ASSERT_EQ(0x01ffU, fg_cfg_read(g, 0x3c, 2));
	fg_cfg_write(g, 0x3c, 0x000b, 2);
	ASSERT_EQ(0x010bU, fg_cfg_read(g, 0x3c, 2));
	fg_cfg_write(g, 0x3d, 0x04, 1);
	ASSERT_EQ(1U, fg_cfg_read(g, 0x3d, 1));
}

TEST_F(cfg, capability_chain)
{
	static const u8 ids[] = { 0x01, 0x11, 0x10 };	/* PM, MSI-X, PCIe */
	static const u8 where[] = { PM, MSIX, EXP };
	struct fake_guest *g = self->g;
	u32 ptr = fg_cfg_read(g, 0x34, 1);
	unsigned int n = 0;

	ASSERT_EQ(0x0010U, fg_cfg_read(g, STATUS, 2) & 0x0010);
	while (ptr) {
		ASSERT_LT(n, ARRAY_SIZE(ids));
		ASSERT_EQ(where[n], ptr);
		ASSERT_EQ(ids[n], fg_cfg_read(g, ptr, 1));
		ptr = fg_cfg_read(g, ptr + 1, 1);
		n++;
	}
	ASSERT_EQ(ARRAY_SIZE(ids), n);
	/* The pointers can't be rewritten. */
	fg_cfg_write(g, 0x34, 0x80, 1);
	fg_cfg_write(g, PM, 0xffff, 2);
	fg_cfg_write(g, MSIX, 0xffff, 2);
	fg_cfg_write(g, EXP, 0xffff, 2);
	ASSERT_EQ((u32)PM, fg_cfg_read(g, 0x34, 1));
	ASSERT_EQ((u32)(MSIX << 8 | 0x01), fg_cfg_read(g, PM, 2));
	ASSERT_EQ((u32)(EXP << 8 | 0x11), fg_cfg_read(g, MSIX, 2));
	ASSERT_EQ(0x10U, fg_cfg_read(g, EXP, 2));
}

TEST_F(cfg, power_management)
{
	struct fake_guest *g = self->g;

	/* v3, no D1/D2, no PME, no aux current. */
	ASSERT_EQ(0x0003U, fg_cfg_read(g, PM + 2, 2));
	ASSERT_EQ(0U, fg_cfg_read(g, PM + 6, 2));	/* BSE, data */

	/* D3hot and back; No_Soft_Reset stays. */
	fg_cfg_write(g, PM + 4, 0x0003, 2);
	ASSERT_EQ(0x000bU, fg_cfg_read(g, PM + 4, 2));
	/* D1 and D2 don't exist: the state does not change. */
	fg_cfg_write(g, PM + 4, 0x0001, 2);
	ASSERT_EQ(0x000bU, fg_cfg_read(g, PM + 4, 2));
	fg_cfg_write(g, PM + 4, 0x0002, 2);
	ASSERT_EQ(0x000bU, fg_cfg_read(g, PM + 4, 2));
	fg_cfg_write(g, PM + 4, 0x0000, 2);
	ASSERT_EQ(0x0008U, fg_cfg_read(g, PM + 4, 2));
	fg_cfg_write(g, PM + 4, 0x0001, 2);
	ASSERT_EQ(0x0008U, fg_cfg_read(g, PM + 4, 2));
	/* PME_En, data select, PME status: nothing to write. */
	fg_cfg_write(g, PM + 4, 0xfffc, 2);
	ASSERT_EQ(0x0008U, fg_cfg_read(g, PM + 4, 2));
}

TEST_F(cfg, d3hot_keeps_the_controller)
{
	struct fake_guest *g = self->g;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	/* No_Soft_Reset: D3hot -> D0 resets nothing. */
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	fg_cfg_write(g, PM + 4, 0x0003, 2);
	fg_cfg_write(g, PM + 4, 0x0000, 2);
	ASSERT_EQ(NVME_CSTS_RDY, fg_read32(g, NVME_REG_CSTS));
	ASSERT_EQ(0x0006U, fg_cfg_read(g, CMD, 2));
	nb_get_features(&sqe, NVME_FEAT_ARBITRATION, NVME_FEAT_SEL_CURRENT, 0);
	ASSERT_EQ(0, fg_admin(g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
}

TEST_F(cfg, msix_capability)
{
	static const u16 types[] = { 1, 4, 31, 64 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		struct fake_guest *g = fg_new(types[i]);

		ASSERT_EQ(types[i] + 1U, g->c->nr_vectors);
		/* Table size (0's based), table in BAR4 at 0, PBA at 0x800. */
		ASSERT_EQ(types[i], fg_cfg_read(g, MSIX + 2, 2));
		ASSERT_EQ((u32)(LEAPIO_MSIX_TABLE_OFFSET | LEAPIO_BAR_MSIX),
			  fg_cfg_read(g, MSIX + 4, 4));
		ASSERT_EQ((u32)(LEAPIO_MSIX_PBA_OFFSET | LEAPIO_BAR_MSIX),
			  fg_cfg_read(g, MSIX + 8, 4));
		fg_cfg_write(g, MSIX + 4, 0xffffffff, 4);
		fg_cfg_write(g, MSIX + 8, 0xffffffff, 4);
		ASSERT_EQ((u32)LEAPIO_BAR_MSIX, fg_cfg_read(g, MSIX + 4, 4));
		ASSERT_EQ((u32)(LEAPIO_MSIX_PBA_OFFSET | LEAPIO_BAR_MSIX),
			  fg_cfg_read(g, MSIX + 8, 4));

		/* Enable and function mask are the writable bits. */
		fg_cfg_write(g, MSIX + 2, 0xffff, 2);
		ASSERT_EQ(0xc000U | types[i], fg_cfg_read(g, MSIX + 2, 2));
		ASSERT_TRUE(lio_pci_msix_masked(g->c));
		fg_cfg_write(g, MSIX + 2, 0x8000, 2);
		ASSERT_EQ(0x8000U | types[i], fg_cfg_read(g, MSIX + 2, 2));
		ASSERT_FALSE(lio_pci_msix_masked(g->c));
		fg_free(g);
	}
}

TEST_F(cfg, pci_express_capability)
{
	struct fake_guest *g = self->g;
	u32 devcap = fg_cfg_read(g, EXP + 4, 4);

	ASSERT_EQ(0x0002U, fg_cfg_read(g, EXP + 2, 2));	/* v2 endpoint */
	ASSERT_EQ(1U, devcap & 7);			/* 256-byte payloads */
	ASSERT_TRUE(!!(devcap & BIT(28)));			/* FLR */
	ASSERT_TRUE(!!(devcap & BIT(15)));			/* role-based errors */
	ASSERT_EQ(0U, devcap & (BIT(5) | 3U << 3));	/* no ext tags, phantoms */
	ASSERT_EQ(0x00000011U, fg_cfg_read(g, EXP + 12, 4));	/* x1, 2.5 GT/s */
	ASSERT_EQ(0x0011U, fg_cfg_read(g, EXP + 18, 2));
	ASSERT_EQ(0U, fg_cfg_read(g, EXP + 36, 4));	/* DevCap2 */
	ASSERT_EQ(0x00000002U, fg_cfg_read(g, EXP + 44, 4));
	ASSERT_EQ(0x0001U, fg_cfg_read(g, EXP + 48, 2));

	/* DevCtl: MPS to 256 and MRRS to 4096, as a host may. */
	fg_cfg_write(g, EXP + 8, 0x5830, 2);
	ASSERT_EQ(0x5830U, fg_cfg_read(g, EXP + 8, 2));
	fg_cfg_write(g, EXP + 8, 0x7fff, 2);
	ASSERT_EQ(0x78ffU, fg_cfg_read(g, EXP + 8, 2));

	/* DevSta: error bits RW1C, the rest read-only. */
	g->c->pci.cfg[EXP + 10] = 0x0f;
	fg_cfg_write(g, EXP + 10, 0xfff0, 2);
	ASSERT_EQ(0x000fU, fg_cfg_read(g, EXP + 10, 2));
	fg_cfg_write(g, EXP + 10, 0x0005, 2);
	ASSERT_EQ(0x000aU, fg_cfg_read(g, EXP + 10, 2));
	fg_cfg_write(g, EXP + 10, 0xffff, 2);
	ASSERT_EQ(0U, fg_cfg_read(g, EXP + 10, 2));

	/* LnkCtl: ASPM, RCB, common clock, extended synch. */
	fg_cfg_write(g, EXP + 16, 0xffff, 2);
	ASSERT_EQ(0x00cbU, fg_cfg_read(g, EXP + 16, 2));
	/* DevCtl2 offers nothing; LnkSta is read-only. */
	fg_cfg_write(g, EXP + 40, 0xffff, 2);
	ASSERT_EQ(0U, fg_cfg_read(g, EXP + 40, 2));
	fg_cfg_write(g, EXP + 18, 0xffff, 2);
	ASSERT_EQ(0x0011U, fg_cfg_read(g, EXP + 18, 2));
}

TEST_F(cfg, function_level_reset)
{
	struct fake_guest *g = self->g;
	struct fake_guest *fresh = fg_new(4);
	u32 off;

	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	ASSERT_EQ(0, fg_create_cq(g, 1, 16, FG_FREE, 1, true));
	ASSERT_EQ(0, fg_create_sq(g, 1, 16, FG_FREE + 0x1000, 1));
	fg_cfg_write(g, BAR(0), 0xfe000000, 4);
	fg_cfg_write(g, BAR(4), 0xfd000000, 4);
	fg_cfg_write(g, 0x3c, 11, 1);
	fg_cfg_write(g, PM + 4, 3, 2);
	fg_cfg_write(g, MSIX + 2, 0xc000, 2);
	fg_cfg_write(g, EXP + 8, 0x0030, 2);

	/* Initiate FLR: the bit itself always reads 0. */
	fg_cfg_write(g, EXP + 8, 0x8030, 2);
	ASSERT_EQ(0x2810U, fg_cfg_read(g, EXP + 8, 2));
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_CSTS));
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_CC));
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_AQA));
	ASSERT_EQ(0ULL, fg_read64(g, NVME_REG_ASQ));
	ASSERT_EQ(0ULL, fg_read64(g, NVME_REG_ACQ));
	ASSERT_FALSE(lio_ioq_exists(g->c));
	/* Config space as at power on. */
	reinit(fresh, NULL);
	for (off = 0; off < 0x1000; off += 4)
		ASSERT_EQ(fg_cfg_read(fresh, off, 4), fg_cfg_read(g, off, 4)) {
			TH_LOG("dword %#x", off);
		}
	fg_free(fresh);
}

TEST_F(cfg, function_reset_restores_config)
{
	struct fake_guest *g = self->g;
	struct fake_guest *fresh = fg_new(4);
	u32 off;

	fg_cfg_write(g, CMD, 0x0546, 2);
	fg_cfg_write(g, BAR(0), 0xffffffff, 4);
	fg_cfg_write(g, BAR(1), 0x12345678, 4);
	fg_cfg_write(g, 0x0c, 0x10, 1);
	fg_cfg_write(g, EXP + 16, 0x00cb, 2);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	lio_vctrl_function_reset(g->c);
	reinit(fresh, NULL);
	for (off = 0; off < 0x1000; off += 4)
		ASSERT_EQ(fg_cfg_read(fresh, off, 4), fg_cfg_read(g, off, 4)) {
			TH_LOG("dword %#x", off);
		}
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_CSTS));
	fg_free(fresh);
}

TEST_F(cfg, bad_accesses_refused)
{
	static const struct { u32 off, len; } bad[] = {
		{ 0, 0 }, { 0, 3 }, { 0, 5 }, { 0, 8 }, { 0, 16 },
		{ 1, 2 }, { 3, 2 }, { 1, 4 }, { 2, 4 }, { 6, 4 },
		{ 0x1000, 1 }, { 0x1000, 4 }, { 0xfff, 2 }, { 0xffe, 4 },
		{ 0xffffffff, 1 }, { 0xfffffffc, 4 },
	};
	struct fake_guest *g = self->g;
	unsigned int i;
	u8 before[0x100];

	for (i = 0; i < sizeof(before); i++)
		before[i] = fg_cfg_read(g, i, 1);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		u8 buf[16];

		memset(buf, 0xff, sizeof(buf));
		ASSERT_EQ(-EINVAL, lio_vctrl_cfg_read(g->c, bad[i].off, buf,
						      bad[i].len)) {
			TH_LOG("read %#x len %u", bad[i].off, bad[i].len);
		}
		ASSERT_EQ(-EINVAL, lio_vctrl_cfg_write(g->c, bad[i].off, buf,
						       bad[i].len)) {
			TH_LOG("write %#x len %u", bad[i].off, bad[i].len);
		}
	}
	/* Refused writes changed nothing. */
	for (i = 0; i < sizeof(before); i++)
		ASSERT_EQ(before[i], fg_cfg_read(g, i, 1));

	/* The last byte, word and dword are fine. */
	ASSERT_EQ(0, cfg_rd(g, 0xfff, 1, &i));
	ASSERT_EQ(0, cfg_rd(g, 0xffe, 2, &i));
	ASSERT_EQ(0, cfg_rd(g, 0xffc, 4, &i));
}

TEST_F(cfg, access_widths_agree)
{
	struct fake_guest *g = self->g;
	u32 off;

	for (off = 0; off < 0x100; off += 4) {
		u32 d = fg_cfg_read(g, off, 4);

		ASSERT_EQ(d & 0xffff, fg_cfg_read(g, off, 2));
		ASSERT_EQ(d >> 16, fg_cfg_read(g, off + 2, 2));
		ASSERT_EQ(d & 0xff, fg_cfg_read(g, off, 1));
		ASSERT_EQ(d >> 8 & 0xff, fg_cfg_read(g, off + 1, 1));
		ASSERT_EQ(d >> 16 & 0xff, fg_cfg_read(g, off + 2, 1));
		ASSERT_EQ(d >> 24, fg_cfg_read(g, off + 3, 1));
	}
}

TEST_HARNESS_MAIN
