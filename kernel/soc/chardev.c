// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/leapio_soc (uapi/linux/leapio_soc.h): mmap of the card's two
 * windows at fixed offsets, and the ioctls GET_INFO, SET_IRQFD and RING.
 *
 * The windows are BARs, not RAM the kernel manages: they are PFN
 * mappings, filled page by page by the fault handler, which maps a page
 * only while the file's card is live. When the card goes away (a
 * function unbound) every mapping made from this device is zapped, and
 * faults then answer SIGBUS, so no process keeps a view of a BAR whose
 * address may be given to another device. (Mapping the whole range at
 * mmap time instead would race with the zap: the new vma is linked to
 * the file, where the zap finds it, only after ->mmap returns.) A file
 * opened before that stays dead; it holds a reference on the module, as
 * do its mappings, so the module unloads only once all are gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "lio_soc.h"

/* The card is live and f was opened while it has been. Lock held. */
static bool lio_soc_current(struct lio_soc_card *card, struct lio_soc_file *f)
{
	return card->live && f->gen == card->gen;
}

/* The window mmap offset off falls in, and off's place in it. */
static struct lio_soc_win *lio_soc_win_at(struct lio_soc_card *card, u64 off,
					  u64 *rel)
{
	static const u64 base[LIO_SOC_NR_ROLES] = {
		[LIO_SOC_DRAM]		= LEAPIO_SOC_MMAP_DRAM_OFFSET,
		[LIO_SOC_HOSTMEM]	= LEAPIO_SOC_MMAP_HOSTMEM_OFFSET,
	};
	int r;

	for (r = 0; r < LIO_SOC_NR_ROLES; r++) {
		if (off >= base[r] && off - base[r] < LEAPIO_SOC_WINDOW_MAX) {
			*rel = off - base[r];
			return &card->win[r];
		}
	}
	return NULL;
}

/*
 * One page of a window, if the file's card is still live: the card lock
 * keeps it so until the page is in, and the zap that follows the card's
 * going away takes the page out again.
 */
static vm_fault_t lio_soc_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct lio_soc_file *f = vma->vm_private_data;
	struct lio_soc_card *card = &lio_soc_card;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	struct lio_soc_win *w;
	u64 rel;

	down_read(&card->lock);
	if (lio_soc_current(card, f)) {
		w = lio_soc_win_at(card, (u64)vmf->pgoff << PAGE_SHIFT, &rel);
		if (w && rel < w->size)
			ret = vmf_insert_pfn_prot(vma, vmf->address,
						  (w->phys + rel) >> PAGE_SHIFT,
						  vma->vm_page_prot);
	}
	up_read(&card->lock);
	return ret;
}

static const struct vm_operations_struct lio_soc_vm_ops = {
	.fault	= lio_soc_fault,
};

static int lio_soc_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct lio_soc_file *f = file->private_data;
	struct lio_soc_card *card = &lio_soc_card;
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 len = vma->vm_end - vma->vm_start;
	struct lio_soc_win *w;
	u64 rel;
	int ret;

	/* Both sides see one copy: a private mapping would copy on write. */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	down_read(&card->lock);
	if (!lio_soc_current(card, f)) {
		ret = -ENODEV;
		goto out;
	}
	w = lio_soc_win_at(card, off, &rel);
	if (!w || rel >= w->size || len > w->size - rel) {
		ret = -EINVAL;
		goto out;
	}
	/*
	 * Cacheable where the windows are coherent RAM (ivshmem.c);
	 * otherwise write-combined, the most a PCIe prefetchable BAR allows.
	 * (On x86 PAT gives the pages the type main.c reserved for the BAR.)
	 */
	if (!card->hw->coherent)
		vma->vm_page_prot = pgprot_writecombine(vma->vm_page_prot);
	lio_vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &lio_soc_vm_ops;
	vma->vm_private_data = f;
	ret = 0;
out:
	up_read(&card->lock);
	return ret;
}

static void lio_soc_get_info(struct lio_soc_card *card,
			     struct leapio_soc_info *info)
{
	*info = (struct leapio_soc_info){
		.abi_version	= LEAPIO_SOC_ABI_VERSION,
		.hw		= card->hw->hw,
		.dram_size	= card->win[LIO_SOC_DRAM].size,
		.hostmem_size	= card->win[LIO_SOC_HOSTMEM].size,
		.peer		= card->peer,
		.nr_vectors	= card->nr_vec,
		.flags		= card->hw->coherent ? LEAPIO_SOC_INFO_COHERENT : 0,
	};
}

static long lio_soc_ring(struct lio_soc_card *card,
			 const struct leapio_soc_ring *q)
{
	if (q->flags || q->rsvd || q->peer > LEAPIO_SOC_PEER_MAX ||
	    q->vector >= card->nr_vec)
		return -EINVAL;
	card->hw->ring(card->regs, q->peer, q->vector);
	return 0;
}

/*
 * The argument is copied in before the lock is taken and out after it is
 * dropped: a fault on it takes mmap_lock, which mmap holds while it
 * waits for the lock.
 */
static long lio_soc_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct lio_soc_file *f = file->private_data;
	struct lio_soc_card *card = &lio_soc_card;
	void __user *uarg = (void __user *)arg;
	union {
		struct leapio_soc_info info;
		struct leapio_soc_irqfd irqfd;
		struct leapio_soc_ring ring;
	} u;
	long ret;

	/* The size is part of cmd: a wrong one is an unknown ioctl. */
	switch (cmd) {
	case LEAPIO_SOC_IOC_GET_INFO:
		break;
	case LEAPIO_SOC_IOC_SET_IRQFD:
	case LEAPIO_SOC_IOC_RING:
		if (copy_from_user(&u, uarg, _IOC_SIZE(cmd)))
			return -EFAULT;
		break;
	default:
		return -ENOTTY;
	}
	down_read(&card->lock);
	if (!lio_soc_current(card, f)) {
		ret = -ENODEV;
	} else if (cmd == LEAPIO_SOC_IOC_GET_INFO) {
		lio_soc_get_info(card, &u.info);
		ret = 0;
	} else if (cmd == LEAPIO_SOC_IOC_SET_IRQFD) {
		ret = lio_soc_set_irqfd(card, f, &u.irqfd);
	} else {
		ret = lio_soc_ring(card, &u.ring);
	}
	up_read(&card->lock);
	if (!ret && cmd == LEAPIO_SOC_IOC_GET_INFO &&
	    copy_to_user(uarg, &u.info, sizeof(u.info)))
		ret = -EFAULT;
	return ret;
}

static int lio_soc_open(struct inode *inode, struct file *file)
{
	struct lio_soc_card *card = &lio_soc_card;
	struct lio_soc_file *f;
	int ret = 0;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->file = file;
	down_write(&card->lock);
	if (card->live) {
		f->gen = card->gen;
		list_add_tail(&f->node, &card->files);
	} else {
		ret = -ENODEV;
	}
	up_write(&card->lock);
	if (ret) {
		kfree(f);
		return ret;
	}
	file->private_data = f;
	return 0;
}

/* Its mappings are gone too: each holds the file. */
static int lio_soc_release(struct inode *inode, struct file *file)
{
	struct lio_soc_file *f = file->private_data;
	struct lio_soc_card *card = &lio_soc_card;

	down_write(&card->lock);
	list_del(&f->node);
	if (lio_soc_current(card, f))
		lio_soc_irq_detach(card, f);
	up_write(&card->lock);
	kfree(f);
	return 0;
}

void lio_soc_chardev_kill(struct lio_soc_card *card)
{
	struct lio_soc_file *f;

	lockdep_assert_held_write(&card->lock);
	lio_soc_irq_detach(card, NULL);
	list_for_each_entry(f, &card->files, node)
		unmap_mapping_range(f->file->f_mapping, 0, 0, 1);
}

static const struct file_operations lio_soc_fops = {
	.owner		= THIS_MODULE,
	.open		= lio_soc_open,
	.release	= lio_soc_release,
	.mmap		= lio_soc_mmap,
	.unlocked_ioctl	= lio_soc_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice lio_soc_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= LEAPIO_SOC_DEV_NAME,
	.fops	= &lio_soc_fops,
	.mode	= 0600,
};

int lio_soc_chardev_init(void)
{
	return misc_register(&lio_soc_misc);
}

void lio_soc_chardev_exit(void)
{
	misc_deregister(&lio_soc_misc);
}
