/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal VFIO user for one mdev, doing what QEMU's vfio-pci does with
 * it: container + group + device fd, region info and access through
 * pread/pwrite at each region's offset, DMA mappings, interrupts wired to
 * eventfds, reset.
 *
 * Functions return 0 or a negative errno. Register-sized accessors refuse
 * short transfers: a partial BAR access is an error, not a value.
 */
#ifndef LEAPIO_KSFT_VFIO_CLIENT_H
#define LEAPIO_KSFT_VFIO_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/vfio.h>

struct vfio_dev {
	int			container;
	int			group;
	int			fd;
	struct vfio_device_info	info;
	struct vfio_region_info	region[VFIO_PCI_NUM_REGIONS];
	struct vfio_irq_info	irq[VFIO_PCI_NUM_IRQS];
	/* -errno of each index's info ioctl (then its size/count reads 0):
	 * kept for the tests to judge rather than failing the open.
	 */
	int			region_err[VFIO_PCI_NUM_REGIONS];
	int			irq_err[VFIO_PCI_NUM_IRQS];
};

/*
 * Open the device named name (an mdev's UUID) of IOMMU group grp with a
 * fresh type1v2 container, and read its device, region and IRQ info.
 */
int vfio_open(struct vfio_dev *d, int grp, const char *name);
/*
 * The same in peer's container, as QEMU puts all of a VM's devices in
 * one: the DMA mappings are the container's, and an unmap reaches every
 * device in it.
 */
int vfio_open_beside(struct vfio_dev *d, int grp, const char *name,
		     const struct vfio_dev *peer);
void vfio_close(struct vfio_dev *d);
bool vfio_is_open(const struct vfio_dev *d);

/* Raw access inside a region: exactly len bytes at off, or an error. */
int vfio_region_read(struct vfio_dev *d, unsigned int index, uint64_t off,
		     void *buf, size_t len);
int vfio_region_write(struct vfio_dev *d, unsigned int index, uint64_t off,
		      const void *buf, size_t len);

/* PCI config space (little endian on the wire, converted here). */
int vfio_cfg_read8(struct vfio_dev *d, uint32_t off, uint8_t *val);
int vfio_cfg_read16(struct vfio_dev *d, uint32_t off, uint16_t *val);
int vfio_cfg_read32(struct vfio_dev *d, uint32_t off, uint32_t *val);
int vfio_cfg_write8(struct vfio_dev *d, uint32_t off, uint8_t val);
int vfio_cfg_write16(struct vfio_dev *d, uint32_t off, uint16_t val);
int vfio_cfg_write32(struct vfio_dev *d, uint32_t off, uint32_t val);

/* BAR registers, one access of the given width (what a CPU MMIO does). */
int vfio_bar_read32(struct vfio_dev *d, unsigned int bar, uint64_t off,
		    uint32_t *val);
int vfio_bar_read64(struct vfio_dev *d, unsigned int bar, uint64_t off,
		    uint64_t *val);
int vfio_bar_write32(struct vfio_dev *d, unsigned int bar, uint64_t off,
		     uint32_t val);
int vfio_bar_write64(struct vfio_dev *d, unsigned int bar, uint64_t off,
		     uint64_t val);

/* Make [vaddr, vaddr + size) reachable by the device at iova. */
int vfio_dma_map(struct vfio_dev *d, void *vaddr, uint64_t iova, uint64_t size);
int vfio_dma_unmap(struct vfio_dev *d, uint64_t iova, uint64_t size);

/*
 * Interrupts of index (VFIO_PCI_INTX_IRQ_INDEX, VFIO_PCI_MSIX_IRQ_INDEX):
 * set_eventfds wires count vectors from start to fds (-1 leaves a vector
 * unwired); disable tears the index down; mask/unmask act on INTx.
 */
int vfio_irq_set_eventfds(struct vfio_dev *d, unsigned int index,
			  unsigned int start, unsigned int count, const int *fds);
int vfio_irq_disable(struct vfio_dev *d, unsigned int index);
int vfio_irq_unmask(struct vfio_dev *d, unsigned int index);
int vfio_irq_mask(struct vfio_dev *d, unsigned int index);
/* VFIO_DEVICE_RESET. */
int vfio_reset(struct vfio_dev *d);

#endif /* LEAPIO_KSFT_VFIO_CLIENT_H */
