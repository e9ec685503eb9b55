// SPDX-License-Identifier: GPL-2.0
/*
 * PCI configuration space of a LeapIO function as a guest's PCI core sees
 * it through VFIO: identity, capability chain, BAR sizing, read-only
 * fields, MSI-X table size per type (Documentation/abi/pci-function.rst).
 */
#include <linux/pci_regs.h>

#include "lio_test.h"

FIXTURE(config) {
	struct lio l;
};

FIXTURE_SETUP(config)
{
	LIO_SETUP(&self->l, NULL);
}

FIXTURE_TEARDOWN(config)
{
	LIO_TEARDOWN(&self->l);
}

TEST_F(config, ids)
{
	struct lio *l = &self->l;

	ASSERT_EQ(LEAPIO_PCI_VENDOR_ID, CFG_RD16(l, PCI_VENDOR_ID));
	ASSERT_EQ(LEAPIO_PCI_DEVICE_ID, CFG_RD16(l, PCI_DEVICE_ID));
	ASSERT_EQ(LEAPIO_PCI_SUBSYS_VENDOR_ID, CFG_RD16(l, PCI_SUBSYSTEM_VENDOR_ID));
	ASSERT_EQ(LEAPIO_PCI_SUBSYS_ID, CFG_RD16(l, PCI_SUBSYSTEM_ID));
	ASSERT_EQ(LEAPIO_PCI_REVISION, CFG_RD8(l, PCI_REVISION_ID));
	/* Class 01-08-02 is what nvme-pci binds by: base, sub, prog-if. */
	ASSERT_EQ(0x01, CFG_RD8(l, PCI_CLASS_DEVICE + 1));
	ASSERT_EQ(0x08, CFG_RD8(l, PCI_CLASS_DEVICE));
	ASSERT_EQ(0x02, CFG_RD8(l, PCI_CLASS_PROG));
	ASSERT_EQ((uint32_t)LEAPIO_PCI_CLASS << 8 | LEAPIO_PCI_REVISION,
		  CFG_RD32(l, PCI_CLASS_REVISION));
	/* Header type 0, single function; INTA. */
	ASSERT_EQ(PCI_HEADER_TYPE_NORMAL, CFG_RD8(l, PCI_HEADER_TYPE));
	ASSERT_EQ(1, CFG_RD8(l, PCI_INTERRUPT_PIN));
}

TEST_F(config, capability_chain)
{
	static const uint8_t want_id[] = { PCI_CAP_ID_PM, PCI_CAP_ID_MSIX, PCI_CAP_ID_EXP };
	static const uint8_t want_off[] = { 0x40, 0x50, 0x60 };
	struct lio *l = &self->l;
	unsigned int i;
	uint8_t pos;

	ASSERT_NE(0, CFG_RD16(l, PCI_STATUS) & PCI_STATUS_CAP_LIST);
	pos = CFG_RD8(l, PCI_CAPABILITY_LIST);
	for (i = 0; i < sizeof(want_id); i++) {
		TH_LOG("capability %u at 0x%02x", i, pos);
		ASSERT_EQ(want_off[i], pos);
		ASSERT_EQ(want_id[i], CFG_RD8(l, pos + PCI_CAP_LIST_ID));
		pos = CFG_RD8(l, pos + PCI_CAP_LIST_NEXT);
	}
	ASSERT_EQ(0, pos);	/* PCIe is the last one */

	/* PM version 3; PCIe capability version 2, endpoint. */
	ASSERT_EQ(3, CFG_RD16(l, 0x40 + PCI_PM_PMC) & PCI_PM_CAP_VER_MASK);
	ASSERT_EQ(2, CFG_RD16(l, 0x60 + PCI_EXP_FLAGS) & PCI_EXP_FLAGS_VERS);
	ASSERT_EQ(PCI_EXP_TYPE_ENDPOINT,
		  (CFG_RD16(l, 0x60 + PCI_EXP_FLAGS) & PCI_EXP_FLAGS_TYPE) >> 4);

	/* Extended configuration space reads as zeros: no extended caps. */
	ASSERT_EQ(0, CFG_RD32(l, 0x100));
}

/* Size a BAR the way a PCI core does: all-ones, read back, restore. */
static uint64_t size_bar(struct __test_metadata *_metadata, struct lio *l,
			 unsigned int bar, bool is64, uint32_t *flags)
{
	uint32_t off = PCI_BASE_ADDRESS_0 + 4 * bar;
	uint32_t lo, hi = 0, olo, ohi = 0;
	uint64_t mask;

	olo = CFG_RD32(l, off);
	if (is64)
		ohi = CFG_RD32(l, off + 4);
	CFG_WR32(l, off, 0xffffffff);
	if (is64)
		CFG_WR32(l, off + 4, 0xffffffff);
	lo = CFG_RD32(l, off);
	if (is64)
		hi = CFG_RD32(l, off + 4);
	CFG_WR32(l, off, olo);
	if (is64)
		CFG_WR32(l, off + 4, ohi);
	EXPECT_EQ(olo, CFG_RD32(l, off));
	if (is64)
		EXPECT_EQ(ohi, CFG_RD32(l, off + 4));

	*flags = lo & ~PCI_BASE_ADDRESS_MEM_MASK;
	mask = (uint64_t)(is64 ? hi : 0xffffffff) << 32 | (lo & PCI_BASE_ADDRESS_MEM_MASK);
	return ~mask + 1;
}

static void check_bar0(struct __test_metadata *_metadata, struct lio *l)
{
	uint32_t flags;
	uint64_t size;

	size = size_bar(_metadata, l, 0, true, &flags);
	TH_LOG("%s: BAR0 %#llx bytes, flags %#x", l->mdev.type,
	       (unsigned long long)size, flags);
	ASSERT_EQ(PCI_BASE_ADDRESS_SPACE_MEMORY, flags & PCI_BASE_ADDRESS_SPACE);
	ASSERT_EQ(PCI_BASE_ADDRESS_MEM_TYPE_64, flags & PCI_BASE_ADDRESS_MEM_TYPE_MASK);
	ASSERT_EQ(0, flags & PCI_BASE_ADDRESS_MEM_PREFETCH);
	ASSERT_TRUE(is_pow2(size));
	ASSERT_GE(size, lio_bar0_min(l->mdev.nr_ioq));
	ASSERT_EQ(l->dev.region[VFIO_PCI_BAR0_REGION_INDEX].size, size);
}

TEST_F(config, bar0_sizing)
{
	check_bar0(_metadata, &self->l);
}

TEST_F(config, bar4_sizing)
{
	struct lio *l = &self->l;
	uint32_t flags;
	uint64_t size;
	unsigned int bar;

	size = size_bar(_metadata, l, 4, false, &flags);
	ASSERT_EQ(PCI_BASE_ADDRESS_SPACE_MEMORY, flags & PCI_BASE_ADDRESS_SPACE);
	ASSERT_EQ(PCI_BASE_ADDRESS_MEM_TYPE_32, flags & PCI_BASE_ADDRESS_MEM_TYPE_MASK);
	ASSERT_EQ(LEAPIO_MSIX_BAR_SIZE, size);
	ASSERT_EQ(l->dev.region[VFIO_PCI_BAR4_REGION_INDEX].size, size);

	/* BARs 2, 3 and 5 are not implemented: they stay zero. */
	for (bar = 2; bar <= 5; bar++) {
		if (bar == 4)
			continue;
		CFG_WR32(l, PCI_BASE_ADDRESS_0 + 4 * bar, 0xffffffff);
		ASSERT_EQ(0, CFG_RD32(l, PCI_BASE_ADDRESS_0 + 4 * bar));
	}
	/* No expansion ROM. */
	CFG_WR32(l, PCI_ROM_ADDRESS, 0xffffffff);
	ASSERT_EQ(0, CFG_RD32(l, PCI_ROM_ADDRESS));
}

TEST_F(config, read_only_bits)
{
	static const uint32_t ro[] = {
		PCI_VENDOR_ID,			/* vendor + device */
		PCI_CLASS_REVISION,
		PCI_SUBSYSTEM_VENDOR_ID,	/* + subsystem id */
		0x40, 0x60,			/* PM + PMC, PCIe + its caps */
		0x50 + PCI_MSIX_TABLE,
		0x50 + PCI_MSIX_PBA,
		0x100,
	};
	struct lio *l = &self->l;
	uint16_t msgctl;
	uint32_t before;
	unsigned int i;
	uint8_t b;

	for (i = 0; i < ARRAY_SIZE(ro); i++) {
		before = CFG_RD32(l, ro[i]);
		CFG_WR32(l, ro[i], ~before);
		TH_LOG("dword at 0x%03x", ro[i]);
		ASSERT_EQ(before, CFG_RD32(l, ro[i]));
	}
	/* The MSI-X header's ID and next pointer (its Message Control has
	 * writable Enable and Function Mask bits, checked below).
	 */
	msgctl = CFG_RD16(l, 0x50);
	CFG_WR16(l, 0x50, ~msgctl);
	ASSERT_EQ(msgctl, CFG_RD16(l, 0x50));
	/* Byte-wide fields a guest could poke one at a time. */
	b = CFG_RD8(l, PCI_CAPABILITY_LIST);
	CFG_WR8(l, PCI_CAPABILITY_LIST, ~b);
	ASSERT_EQ(b, CFG_RD8(l, PCI_CAPABILITY_LIST));
	b = CFG_RD8(l, PCI_HEADER_TYPE);
	CFG_WR8(l, PCI_HEADER_TYPE, ~b);
	ASSERT_EQ(b, CFG_RD8(l, PCI_HEADER_TYPE));
	b = CFG_RD8(l, PCI_INTERRUPT_PIN);
	CFG_WR8(l, PCI_INTERRUPT_PIN, ~b);
	ASSERT_EQ(b, CFG_RD8(l, PCI_INTERRUPT_PIN));

	/* MSI-X Table Size is read-only; Enable and Function Mask are not. */
	msgctl = CFG_RD16(l, 0x50 + PCI_MSIX_FLAGS);
	CFG_WR16(l, 0x50 + PCI_MSIX_FLAGS, msgctl ^ PCI_MSIX_FLAGS_QSIZE);
	ASSERT_EQ(msgctl & PCI_MSIX_FLAGS_QSIZE,
		  CFG_RD16(l, 0x50 + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_QSIZE);

	/* The command register's memory and bus-master bits do stick. */
	CFG_WR16(l, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	ASSERT_EQ(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER,
		  CFG_RD16(l, PCI_COMMAND) & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
	CFG_WR16(l, PCI_COMMAND, 0);
	ASSERT_EQ(0, CFG_RD16(l, PCI_COMMAND) & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
}

/* One device of each type in turn; the teardown removes the current one
 * if an assertion ends the test half way.
 */
FIXTURE(types) {
	struct lio l;
	struct lio_mdev_type t[MDEV_MAX_TYPES];
	int nr;
};

FIXTURE_SETUP(types)
{
	lio_init(&self->l);
	self->nr = mdev_list_types(self->t, MDEV_MAX_TYPES);
	ASSERT_GT(self->nr, 0);
}

FIXTURE_TEARDOWN(types)
{
	LIO_TEARDOWN(&self->l);
}

TEST_F(types, msix_table_size)
{
	struct lio *l = &self->l;
	struct lio_opts o = { 0 };
	uint32_t table, pba;
	int i;

	for (i = 0; i < self->nr; i++) {
		o.type = self->t[i].name;
		LIO_SETUP(l, &o);
		TH_LOG("%s", o.type);
		ASSERT_EQ(self->t[i].nr_ioq,
			  CFG_RD16(l, 0x50 + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_QSIZE);
		table = CFG_RD32(l, 0x50 + PCI_MSIX_TABLE);
		pba = CFG_RD32(l, 0x50 + PCI_MSIX_PBA);
		ASSERT_EQ(LEAPIO_BAR_MSIX, table & PCI_MSIX_TABLE_BIR);
		ASSERT_EQ(LEAPIO_MSIX_TABLE_OFFSET, table & PCI_MSIX_TABLE_OFFSET);
		ASSERT_EQ(LEAPIO_BAR_MSIX, pba & PCI_MSIX_PBA_BIR);
		ASSERT_EQ(LEAPIO_MSIX_PBA_OFFSET, pba & PCI_MSIX_PBA_OFFSET);
		/* The table (16 bytes a vector) fits below the PBA. */
		ASSERT_LE((self->t[i].nr_ioq + 1) * 16, LEAPIO_MSIX_PBA_OFFSET);
		ASSERT_LE(1, VFIO_PCI_MSIX_IRQ_INDEX < l->dev.info.num_irqs);
		ASSERT_EQ(self->t[i].nr_ioq + 1, l->dev.irq[VFIO_PCI_MSIX_IRQ_INDEX].count);
		check_bar0(_metadata, l);
		ASSERT_EQ(0, lio_teardown(l));
	}
}

TEST_HARNESS_MAIN
