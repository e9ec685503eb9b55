// SPDX-License-Identifier: GPL-2.0
/*
 * The regions of the VFIO device file, as vfio-pci lays them out (region
 * index in the offset's bits 40 and up) so that QEMU's vfio-pci handles
 * an mdev like a real PCI function:
 *   CONFIG  4 KiB of PCIe config space
 *   BAR0    NVMe registers and doorbells (64-bit: BAR1 is its upper half)
 *   BAR4    MSI-X table and PBA
 * Every other region is absent (size 0).
 */
#include <linux/align.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "card.h"
#include "lio_host.h"

#define LIO_OFFSET_SHIFT	40
#define LIO_INDEX_TO_OFFSET(i)	((u64)(i) << LIO_OFFSET_SHIFT)
#define LIO_OFFSET_MASK		(LIO_INDEX_TO_OFFSET(1) - 1)
#define LIO_CFG_SIZE		4096

#define LIO_REGION_REGS		(VFIO_PCI_BAR0_REGION_INDEX + LEAPIO_BAR_REGS)
#define LIO_REGION_MSIX		(VFIO_PCI_BAR0_REGION_INDEX + LEAPIO_BAR_MSIX)

/*
 * Off, every doorbell write traps (a VFIO user without mmap, or to
 * measure the difference); the runtime then learns of them through its
 * wake eventfd.
 */
static bool lio_doorbell_mmap = true;
module_param_named(doorbell_mmap, lio_doorbell_mmap, bool, 0444);
MODULE_PARM_DESC(doorbell_mmap,
		 "Let VFIO users mmap BAR0's I/O doorbell pages, polled by the data path runtime (default on)");

static u64 lio_region_size(const struct lio_mdev *lm, u32 index)
{
	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		return LIO_CFG_SIZE;
	case LIO_REGION_REGS:
		return lio_bar0_size(lm->vc->p.nr_ioq);
	case LIO_REGION_MSIX:
		return LEAPIO_MSIX_BAR_SIZE;
	}
	return 0;
}

/*
 * The part of BAR0 a VFIO user could map: the host pages holding I/O
 * queue doorbells and nothing else, since registers and admin doorbells
 * must keep trapping. With 4 KiB pages (CAP.DSTRD puts each doorbell on
 * a page of its own) that is every I/O doorbell; with larger pages the
 * doorbells sharing a page with the admin ones stay trapped. start >= end
 * means nothing can be mapped.
 */
static void lio_db_area(u16 nr_ioq, u64 *start, u64 *end)
{
	*start = ALIGN(LEAPIO_SQ_DB(1), PAGE_SIZE);
	*end = min(ALIGN(LEAPIO_CQ_DB(nr_ioq) + LEAPIO_DB_STRIDE, PAGE_SIZE),
		   lio_bar0_size(nr_ioq));
}

/* BAR0's sparse mmap capability: the doorbell area, if not empty. */
static int lio_db_sparse_cap(u16 nr_ioq, struct vfio_info_cap *caps)
{
	struct vfio_region_info_cap_sparse_mmap *sparse;
	struct vfio_info_cap_header *header;
	u64 start, end;

	lio_db_area(nr_ioq, &start, &end);
	if (start >= end)
		return 0;

	header = vfio_info_cap_add(caps, struct_size(sparse, areas, 1),
				   VFIO_REGION_INFO_CAP_SPARSE_MMAP, 1);
	if (IS_ERR(header))
		return PTR_ERR(header);
	sparse = container_of(header, struct vfio_region_info_cap_sparse_mmap,
			      header);
	sparse->nr_areas = 1;
	sparse->areas[0].offset = start;
	sparse->areas[0].size = end - start;
	return 0;
}

/* The capability of an nr_ioq controller obeys lio_db_area()'s promises. */
static bool lio_db_sparse_cap_ok(u16 nr_ioq)
{
	struct vfio_region_info_cap_sparse_mmap *sparse;
	struct vfio_info_cap caps = {};
	u64 start, end;
	bool ok;
	u16 qid;

	if (lio_db_sparse_cap(nr_ioq, &caps))
		return false;
	if (!caps.size)
		return PAGE_SIZE > LEAPIO_DB_STRIDE;

	sparse = container_of(caps.buf,
			      struct vfio_region_info_cap_sparse_mmap, header);
	start = sparse->areas[0].offset;
	end = start + sparse->areas[0].size;
	ok = caps.size == struct_size(sparse, areas, 1) &&
	     sparse->header.id == VFIO_REGION_INFO_CAP_SPARSE_MMAP &&
	     !sparse->header.next && sparse->nr_areas == 1 &&
	     PAGE_ALIGNED(start) && PAGE_ALIGNED(end) && start < end &&
	     start >= LEAPIO_CQ_DB(0) + LEAPIO_DB_STRIDE &&
	     end <= lio_bar0_size(nr_ioq);
	for (qid = 1; ok && PAGE_SIZE == LEAPIO_DB_STRIDE && qid <= nr_ioq; qid++)
		ok = LEAPIO_SQ_DB(qid) >= start && LEAPIO_CQ_DB(qid) < end;
	kfree(caps.buf);
	return ok;
}

/*
 * The sparse mmap capability is built and checked here at load for every
 * queue count, whether or not doorbell_mmap advertises it.
 */
void lio_regions_selftest(void)
{
	u16 nr_ioq;

	for (nr_ioq = 1; nr_ioq <= LIO_MAX_IOQ; nr_ioq++)
		WARN(!lio_db_sparse_cap_ok(nr_ioq),
		     "leapio: bad doorbell mmap area for %u queues\n", nr_ioq);
}

long lio_ioctl_device_info(struct lio_mdev *lm, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

long lio_ioctl_region_info(struct lio_mdev *lm, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_info_cap caps = {};
	struct vfio_region_info info;
	int ret = 0;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;

	info.offset = LIO_INDEX_TO_OFFSET(info.index);
	info.size = lio_region_size(lm, info.index);
	info.flags = 0;
	info.cap_offset = 0;
	if (info.size)
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;

	if (info.index == LIO_REGION_REGS && lio_doorbell_mmap) {
		ret = lio_db_sparse_cap(lm->vc->p.nr_ioq, &caps);
		if (ret)
			return ret;
	}

	if (caps.size) {
		info.flags |= VFIO_REGION_INFO_FLAG_MMAP |
			      VFIO_REGION_INFO_FLAG_CAPS;
		if (info.argsz < sizeof(info) + caps.size) {
			/* Too small: say how much to ask for next time. */
			info.argsz = sizeof(info) + caps.size;
		} else {
			vfio_info_cap_shift(&caps, sizeof(info));
			if (copy_to_user(arg + sizeof(info), caps.buf,
					 caps.size))
				ret = -EFAULT;
			info.cap_offset = sizeof(info);
		}
		kfree(caps.buf);
	}

	if (!ret && copy_to_user(arg, &info, minsz))
		ret = -EFAULT;
	return ret;
}

/* Config space: the model takes at most a dword at a time. */
static int lio_cfg_access(struct lio_vctrl *vc, u32 off, u8 *buf, u32 len,
			  bool write)
{
	u32 step = min(len, 4U);
	u32 i;
	int ret = 0;

	for (i = 0; !ret && i < len; i += step)
		ret = write ? lio_vctrl_cfg_write(vc, off + i, buf + i, step) :
			      lio_vctrl_cfg_read(vc, off + i, buf + i, step);
	return ret;
}

/*
 * One naturally aligned access of 1, 2, 4 or 8 bytes at a device file
 * offset; buf holds the bytes as the device sees them (little endian).
 */
int lio_region_access(struct lio_mdev *lm, u64 pos, void *buf, u32 len,
		      bool write)
{
	u32 index = pos >> LIO_OFFSET_SHIFT;
	u64 off = pos & LIO_OFFSET_MASK;
	u64 size = lio_region_size(lm, index);
	int bar = index - VFIO_PCI_BAR0_REGION_INDEX;
	int ret;

	if (off >= size || len > size - off)
		return -EINVAL;

	mutex_lock(&lm->lock);
	if (index == VFIO_PCI_CONFIG_REGION_INDEX)
		ret = lio_cfg_access(lm->vc, off, buf, len, write);
	else if (write)
		ret = lio_vctrl_bar_write(lm->vc, bar, off, buf, len);
	else
		ret = lio_vctrl_bar_read(lm->vc, bar, off, buf, len);
	mutex_unlock(&lm->lock);
	return ret;
}

/*
 * Only the doorbell area: each of its pages is the shared region's
 * doorbell page of the same index (BAR0 offset LEAPIO_DB_OFFSET + idx *
 * 4 KiB), which the runtime polls. A guest's doorbell write through the
 * mapping is a store to that memory: no exit, no check by the model (the
 * runtime checks the values and reports bad ones as events).
 */
int lio_region_mmap(struct lio_mdev *lm, struct vm_area_struct *vma)
{
	struct lio_region *r = &lm->region;
	u64 pos = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 off = pos & LIO_OFFSET_MASK;
	u64 len = vma->vm_end - vma->vm_start;
	unsigned long addr;
	u64 start, end;
	int ret;

	BUILD_BUG_ON(LEAPIO_DB_STRIDE != LEAPIO_REGION_ALIGN);
	if (!lio_doorbell_mmap || pos >> LIO_OFFSET_SHIFT != LIO_REGION_REGS ||
	    !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	lio_db_area(lm->vc->p.nr_ioq, &start, &end);
	if (off < start || off >= end || len > end - off)
		return -EINVAL;
	/* Pages of the region are 4 KiB doorbells only with 4 KiB pages. */
	if (PAGE_SIZE != LEAPIO_DB_STRIDE)
		return -EINVAL;

	/* SoC mode: card-DRAM pages, guest stores land on the card. */
	if (r->card) {
		ret = lio_card_region_mmap(lm, vma,
					   lio_region_db_offset(r, (off - LEAPIO_DB_OFFSET) /
								LEAPIO_DB_STRIDE),
					   len);
		if (ret)
			return ret;
		lio_dp_db_mapped(lm, true);
		return 0;
	}
	lio_vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	for (addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
		u32 idx = (off + (addr - vma->vm_start) - LEAPIO_DB_OFFSET) /
			  LEAPIO_DB_STRIDE;
		void *page = r->base + lio_region_db_offset(r, idx);

		ret = vm_insert_page(vma, addr, vmalloc_to_page(page));
		if (ret)
			return ret;
	}
	/* The runtime may no longer count on trapped doorbells waking it. */
	lio_dp_db_mapped(lm, true);
	return 0;
}
