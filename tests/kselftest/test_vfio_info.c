// SPDX-License-Identifier: GPL-2.0
/*
 * What VFIO says about a LeapIO device before any access: device flags,
 * regions (config, BAR0, BAR4 and nothing else) and interrupts (INTx and
 * one MSI-X vector per queue), for every type.
 */
#include "lio_test.h"

FIXTURE(info) {
	struct lio l;
	struct lio_mdev_type t[MDEV_MAX_TYPES];
	int nr;
};

FIXTURE_SETUP(info)
{
	lio_init(&self->l);
	self->nr = mdev_list_types(self->t, MDEV_MAX_TYPES);
	ASSERT_GT(self->nr, 0);
}

FIXTURE_TEARDOWN(info)
{
	LIO_TEARDOWN(&self->l);
}

TEST_F(info, device_flags)
{
	struct lio *l = &self->l;

	LIO_SETUP(l, NULL);
	ASSERT_EQ(VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET,
		  l->dev.info.flags & (VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET));
	/* vfio-pci's layout, so QEMU's vfio-pci takes it as a PCI function. */
	ASSERT_EQ(VFIO_PCI_NUM_REGIONS, l->dev.info.num_regions);
	ASSERT_EQ(VFIO_PCI_NUM_IRQS, l->dev.info.num_irqs);
}

TEST_F(info, regions)
{
	const uint32_t rw = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
	struct lio *l = &self->l;
	struct lio_opts o = { 0 };
	unsigned int i;
	uint64_t size;
	int t;

	for (t = 0; t < self->nr; t++) {
		o.type = self->t[t].name;
		LIO_SETUP(l, &o);
		TH_LOG("%s", o.type);
		for (i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
			struct vfio_region_info *r = &l->dev.region[i];

			TH_LOG("region %u: size %#llx flags %#x", i,
			       (unsigned long long)r->size, r->flags);
			ASSERT_EQ(0, l->dev.region_err[i]);
			ASSERT_EQ(i, r->index);
			switch (i) {
			case VFIO_PCI_CONFIG_REGION_INDEX:
				/* PCIe: extended config space included. */
				ASSERT_EQ(4096, r->size);
				ASSERT_EQ(rw, r->flags & rw);
				break;
			case VFIO_PCI_BAR0_REGION_INDEX:
				size = r->size;
				ASSERT_TRUE(is_pow2(size));
				ASSERT_GE(size, lio_bar0_min(self->t[t].nr_ioq));
				ASSERT_EQ(rw, r->flags & rw);
				/* Registers and admin doorbells must trap:
				 * only the sparse areas (the I/O doorbell
				 * pages, doorbell_mmap) may be mmapped.
				 */
				if (r->flags & VFIO_REGION_INFO_FLAG_MMAP)
					ASSERT_TRUE(r->flags & VFIO_REGION_INFO_FLAG_CAPS);
				break;
			case VFIO_PCI_BAR4_REGION_INDEX:
				ASSERT_EQ(LEAPIO_MSIX_BAR_SIZE, r->size);
				ASSERT_EQ(rw, r->flags & rw);
				break;
			default:
				/* BAR1 is BAR0's upper half; the rest absent. */
				ASSERT_EQ(0, r->size);
			}
		}
		/* Regions are disjoint in the device file. */
		ASSERT_NE(l->dev.region[0].offset, l->dev.region[4].offset);
		ASSERT_NE(l->dev.region[0].offset,
			  l->dev.region[VFIO_PCI_CONFIG_REGION_INDEX].offset);
		ASSERT_EQ(0, lio_teardown(l));
	}
}

TEST_F(info, region_bounds)
{
	struct lio *l = &self->l;
	uint64_t size, off;
	uint32_t v;
	ssize_t n;

	LIO_SETUP(l, NULL);
	size = l->dev.region[VFIO_PCI_BAR0_REGION_INDEX].size;
	/* Last dword of BAR0 reads; one past it is refused by the device. */
	ASSERT_EQ(0, vfio_bar_read32(&l->dev, 0, size - 4, &v));
	off = l->dev.region[VFIO_PCI_BAR0_REGION_INDEX].offset + size;
	n = pread(l->dev.fd, &v, 4, off);
	ASSERT_EQ(-1, n);
	/* An absent region refuses access. */
	off = l->dev.region[VFIO_PCI_BAR2_REGION_INDEX].offset;
	n = pread(l->dev.fd, &v, 4, off);
	ASSERT_EQ(-1, n);
}

TEST_F(info, irqs)
{
	struct lio *l = &self->l;
	struct lio_opts o = { 0 };
	unsigned int i;
	int t;

	for (t = 0; t < self->nr; t++) {
		o.type = self->t[t].name;
		LIO_SETUP(l, &o);
		TH_LOG("%s", o.type);
		for (i = 0; i < VFIO_PCI_NUM_IRQS; i++) {
			ASSERT_EQ(0, l->dev.irq_err[i]);
		}
		ASSERT_EQ(1, l->dev.irq[VFIO_PCI_INTX_IRQ_INDEX].count);
		ASSERT_NE(0, l->dev.irq[VFIO_PCI_INTX_IRQ_INDEX].flags &
			  VFIO_IRQ_INFO_EVENTFD);
		/* Level-triggered behind an eventfd: masked on delivery. */
		ASSERT_NE(0, l->dev.irq[VFIO_PCI_INTX_IRQ_INDEX].flags &
			  VFIO_IRQ_INFO_AUTOMASKED);
		ASSERT_NE(0, l->dev.irq[VFIO_PCI_INTX_IRQ_INDEX].flags &
			  VFIO_IRQ_INFO_MASKABLE);
		/* No MSI capability: MSI-X only. */
		ASSERT_EQ(0, l->dev.irq[VFIO_PCI_MSI_IRQ_INDEX].count);
		ASSERT_EQ(self->t[t].nr_ioq + 1,
			  l->dev.irq[VFIO_PCI_MSIX_IRQ_INDEX].count);
		ASSERT_NE(0, l->dev.irq[VFIO_PCI_MSIX_IRQ_INDEX].flags &
			  VFIO_IRQ_INFO_EVENTFD);
		ASSERT_EQ(0, lio_teardown(l));
	}
}

TEST_F(info, nr_ioq_attribute)
{
	struct lio *l = &self->l;
	struct lio_opts o = { .no_open = true };
	unsigned long long v;
	int t;

	for (t = 0; t < self->nr; t++) {
		o.type = self->t[t].name;
		LIO_SETUP(l, &o);
		ASSERT_EQ(0, mdev_attr_read_u64(&l->mdev, LEAPIO_SYSFS_NR_IOQ, &v));
		ASSERT_EQ(self->t[t].nr_ioq, v);
		ASSERT_EQ(0, lio_teardown(l));
	}
}

TEST_HARNESS_MAIN
