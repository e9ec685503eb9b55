// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts: the VFIO user hands us eventfds (SET_IRQS) and we signal them
 * when the model raises a vector or the INTx line.
 *
 * INTx is level triggered behind an edge-only eventfd, so it works like
 * vfio-pci's: signalling it masks it (AUTOMASKED) until the user unmasks
 * it after the guest's EOI, and an unmask while the level is still high
 * signals again.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/lockdep.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "lio_host.h"

static u32 lio_irq_count(const struct lio_mdev *lm, u32 index)
{
	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		return 1;
	case VFIO_PCI_MSIX_IRQ_INDEX:
		return lm->vc->nr_vectors;
	}
	return 0;
}

long lio_ioctl_irq_info(struct lio_mdev *lm, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;

	info.count = lio_irq_count(lm, info.index);
	switch (info.index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		info.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
			     VFIO_IRQ_INFO_AUTOMASKED;
		break;
	case VFIO_PCI_MSIX_IRQ_INDEX:
		/* The table size is fixed by the type. */
		info.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
		break;
	default:
		info.flags = 0;
	}
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* ---- Model callbacks, under lm->lock ---- */

void lio_msix_signal(void *opaque, u16 vector)
{
	struct lio_mdev *lm = opaque;

	lockdep_assert_held(&lm->lock);
	if (vector < ARRAY_SIZE(lm->msix_trigger) && lm->msix_trigger[vector])
		lio_eventfd_signal(lm->msix_trigger[vector]);
}

static void lio_intx_fire(struct lio_mdev *lm)
{
	if (lm->intx_trigger && !lm->intx_masked) {
		lm->intx_masked = true;
		lio_eventfd_signal(lm->intx_trigger);
	}
}

void lio_intx_set(void *opaque, bool level)
{
	struct lio_mdev *lm = opaque;

	lockdep_assert_held(&lm->lock);
	if (level)
		lio_intx_fire(lm);
}

static void lio_intx_unmask(struct lio_mdev *lm)
{
	lockdep_assert_held(&lm->lock);
	lm->intx_masked = false;
	if (lio_vctrl_intx_level(lm->vc))
		lio_intx_fire(lm);
}

/* ---- INTx ---- */

/* The unmask eventfd fired (KVM's resamplefd: the guest's EOI). */
static void lio_intx_unmask_thread(void *opaque, void *unused)
{
	struct lio_mdev *lm = opaque;

	mutex_lock(&lm->lock);
	if (lm->irq_mode == LIO_IRQ_INTX)
		lio_intx_unmask(lm);
	mutex_unlock(&lm->lock);
}

/*
 * Turn INTx off, as VFIO's count 0 DATA_NONE TRIGGER does: -EINVAL if it
 * was not on (vfio-pci's answer), 0 once it is off.
 */
static int lio_intx_disable(struct lio_mdev *lm)
{
	int ret = -EINVAL;

	/* Not under lm->lock: this waits for the thread, which takes it. */
	vfio_virqfd_disable(&lm->intx_unmask);

	mutex_lock(&lm->lock);
	if (lm->irq_mode == LIO_IRQ_INTX) {
		if (lm->intx_trigger)
			eventfd_ctx_put(lm->intx_trigger);
		lm->intx_trigger = NULL;
		lm->irq_mode = LIO_IRQ_NONE;
		lio_vctrl_set_irq_mode(lm->vc, LIO_IRQ_NONE);
		lio_dp_irq_changed(lm);
		ret = 0;
	}
	mutex_unlock(&lm->lock);
	return ret;
}

/*
 * INTx on with trigger as its eventfd, or with none (fd -1: the line is
 * on and signals nobody until an eventfd is set, as in vfio-pci). The
 * reference to trigger is ours from here on.
 */
static int lio_intx_enable(struct lio_mdev *lm, struct eventfd_ctx *trigger)
{
	int ret = 0;

	mutex_lock(&lm->lock);
	if (lm->irq_mode == LIO_IRQ_MSIX) {
		ret = -EINVAL;
	} else {
		swap(trigger, lm->intx_trigger);
		if (lm->irq_mode == LIO_IRQ_NONE) {
			lm->intx_masked = false;
			lm->irq_mode = LIO_IRQ_INTX;
			lio_vctrl_set_irq_mode(lm->vc, LIO_IRQ_INTX);
			/*
			 * A line already high is delivered now, unless the
			 * model's intx_set() just did.
			 */
			if (lio_vctrl_intx_level(lm->vc))
				lio_intx_fire(lm);
			lio_dp_irq_changed(lm);
		}
	}
	mutex_unlock(&lm->lock);
	if (trigger)
		eventfd_ctx_put(trigger);
	return ret;
}

static int lio_intx_trigger(struct lio_mdev *lm, u32 dtype, u32 count,
			    const void *data)
{
	struct eventfd_ctx *trigger = NULL;
	int ret = 0;

	/* count 0 is only the teardown; the validation left count <= 1. */
	if (!count)
		return dtype == VFIO_IRQ_SET_DATA_NONE ? lio_intx_disable(lm) :
							 -EINVAL;

	if (dtype == VFIO_IRQ_SET_DATA_EVENTFD) {
		s32 fd = *(const s32 *)data;

		if (fd >= 0) {
			trigger = eventfd_ctx_fdget(fd);
			if (IS_ERR(trigger))
				return PTR_ERR(trigger);
		}
		return lio_intx_enable(lm, trigger);
	}

	/* No eventfd: the user fires the interrupt itself, as a test does. */
	mutex_lock(&lm->lock);
	if (lm->irq_mode != LIO_IRQ_INTX)
		ret = -EINVAL;
	else if (dtype == VFIO_IRQ_SET_DATA_NONE || *(const u8 *)data)
		lio_intx_fire(lm);
	mutex_unlock(&lm->lock);
	return ret;
}

static int lio_intx_unmask_fd(struct lio_mdev *lm, s32 fd)
{
	if (fd < 0) {
		vfio_virqfd_disable(&lm->intx_unmask);
		return 0;
	}
	return vfio_virqfd_enable(lm, NULL, lio_intx_unmask_thread, NULL,
				  &lm->intx_unmask, fd);
}

/*
 * MASK and UNMASK act on an enabled INTx, one line (vfio-pci's checks,
 * in its order). An unmask eventfd is KVM's resamplefd; a mask eventfd
 * is not supported, by vfio-pci either (-ENOTTY).
 */
static int lio_intx_mask(struct lio_mdev *lm, const struct vfio_irq_set *hdr,
			 const void *data, bool mask)
{
	u32 dtype = hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	bool on = dtype == VFIO_IRQ_SET_DATA_NONE ||
		  (dtype == VFIO_IRQ_SET_DATA_BOOL && *(const u8 *)data);
	int ret = 0;

	if (READ_ONCE(lm->irq_mode) != LIO_IRQ_INTX || hdr->count != 1)
		return -EINVAL;
	if (dtype == VFIO_IRQ_SET_DATA_EVENTFD)
		return mask ? -ENOTTY :
			      lio_intx_unmask_fd(lm, *(const s32 *)data);

	mutex_lock(&lm->lock);
	if (lm->irq_mode != LIO_IRQ_INTX)
		ret = -EINVAL;
	else if (on && mask)
		lm->intx_masked = true;
	else if (on)
		lio_intx_unmask(lm);
	mutex_unlock(&lm->lock);
	return ret;
}

/* ---- MSI-X ---- */

/*
 * Swap the eventfd and file of vector v for *ctx and *file (either may be
 * NULL), under lm->lock and seq_lock, which is what lio_irq_get_file()
 * and the card's interrupts (card_slot.c) take: neither may wait for
 * lm->lock.
 */
static void lio_msix_swap(struct lio_mdev *lm, u32 v, struct eventfd_ctx **ctx,
			  struct file **file)
{
	spin_lock(&lm->region.seq_lock);
	swap(*ctx, lm->msix_trigger[v]);
	swap(*file, lm->msix_file[v]);
	spin_unlock(&lm->region.seq_lock);
}

/* MSI-X off (count 0 DATA_NONE TRIGGER); -EINVAL if it was not on. */
static int lio_msix_disable(struct lio_mdev *lm)
{
	int ret = -EINVAL;
	u32 i;

	mutex_lock(&lm->lock);
	if (lm->irq_mode == LIO_IRQ_MSIX) {
		lm->irq_mode = LIO_IRQ_NONE;
		lio_vctrl_set_irq_mode(lm->vc, LIO_IRQ_NONE);
		for (i = 0; i < ARRAY_SIZE(lm->msix_trigger); i++) {
			struct eventfd_ctx *ctx = NULL;
			struct file *file = NULL;

			lio_msix_swap(lm, i, &ctx, &file);
			if (ctx)
				eventfd_ctx_put(ctx);
			if (file)
				fput(file);
		}
		lio_dp_irq_changed(lm);
		ret = 0;
	}
	mutex_unlock(&lm->lock);
	return ret;
}

/*
 * Set the eventfds of vectors start..start+count-1 (fd < 0: none), and
 * enable MSI-X if it was off. Every fd is looked up first so that a bad
 * one changes nothing.
 */
static int lio_msix_set_triggers(struct lio_mdev *lm, u32 start, u32 count,
				 const s32 *fds)
{
	struct eventfd_ctx **ctx;
	struct file **file;
	int ret = 0;
	u32 i;

	ctx = kcalloc(count, sizeof(*ctx), GFP_KERNEL);
	file = kcalloc(count, sizeof(*file), GFP_KERNEL);
	if (!ctx || !file) {
		ret = -ENOMEM;
		goto out;
	}

	/* The file, for a runtime to signal the same eventfd (GET_IRQFD). */
	for (i = 0; i < count; i++) {
		if (fds[i] < 0)
			continue;
		ctx[i] = eventfd_ctx_fdget(fds[i]);
		if (IS_ERR(ctx[i])) {
			ret = PTR_ERR(ctx[i]);
			ctx[i] = NULL;
			goto out;
		}
		file[i] = fget(fds[i]);
		if (!file[i]) {
			ret = -EBADF;
			goto out;
		}
	}

	mutex_lock(&lm->lock);
	if (lm->irq_mode == LIO_IRQ_INTX) {
		ret = -EINVAL;
	} else {
		/* ctx[], file[] are left with those replaced, to put below. */
		for (i = 0; i < count; i++)
			lio_msix_swap(lm, start + i, &ctx[i], &file[i]);
		if (lm->irq_mode == LIO_IRQ_NONE) {
			lm->irq_mode = LIO_IRQ_MSIX;
			lio_vctrl_set_irq_mode(lm->vc, LIO_IRQ_MSIX);
		}
		lio_dp_irq_changed(lm);
	}
	mutex_unlock(&lm->lock);
out:
	for (i = 0; ctx && file && i < count; i++) {
		if (ctx[i])
			eventfd_ctx_put(ctx[i]);
		if (file[i])
			fput(file[i]);
	}
	kfree(file);
	kfree(ctx);
	return ret;
}

/* MSI-X TRIGGER (the validation kept start + count within the table). */
static int lio_set_msix(struct lio_mdev *lm, const struct vfio_irq_set *hdr,
			const void *data)
{
	u32 dtype = hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	const u8 *fire = data;
	int ret = 0;
	u32 i;

	/*
	 * count 0 is only the teardown. (vfio-pci also takes count 0 with
	 * data as a no-op once MSI-X is on; nothing needs that.)
	 */
	if (!hdr->count)
		return dtype == VFIO_IRQ_SET_DATA_NONE ? lio_msix_disable(lm) :
							 -EINVAL;

	if (dtype == VFIO_IRQ_SET_DATA_EVENTFD)
		return lio_msix_set_triggers(lm, hdr->start, hdr->count, data);

	/* No eventfd: the user fires the vectors itself, as a test does. */
	mutex_lock(&lm->lock);
	if (lm->irq_mode != LIO_IRQ_MSIX) {
		ret = -EINVAL;
	} else {
		for (i = 0; i < hdr->count; i++) {
			struct eventfd_ctx *trigger =
				lm->msix_trigger[hdr->start + i];

			if (trigger && (dtype == VFIO_IRQ_SET_DATA_NONE ||
					fire[i]))
				lio_eventfd_signal(trigger);
		}
	}
	mutex_unlock(&lm->lock);
	return ret;
}

/*
 * VFIO_DEVICE_SET_IRQS, answered as vfio-pci answers it (include/uapi/
 * linux/vfio.h; Documentation/abi/pci-function.rst lists the cases):
 * vfio_set_irqs_validate_and_prepare() refuses an index, start, count,
 * flag or argsz it cannot take with -EINVAL, including every index
 * with no interrupts (MSI, ERR, REQ); an action the index does not
 * have, no action or several, is -ENOTTY. A request that fails changes
 * nothing.
 */
long lio_ioctl_set_irqs(struct lio_mdev *lm, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	void *data = NULL;
	u32 action;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(&hdr,
						 lio_irq_count(lm, hdr.index),
						 VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	if (data_size) {
		data = memdup_user(arg + minsz, data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}

	action = hdr.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
	switch (hdr.index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		if (action == VFIO_IRQ_SET_ACTION_TRIGGER)
			ret = lio_intx_trigger(lm, hdr.flags &
					       VFIO_IRQ_SET_DATA_TYPE_MASK,
					       hdr.count, data);
		else if (action == VFIO_IRQ_SET_ACTION_MASK ||
			 action == VFIO_IRQ_SET_ACTION_UNMASK)
			ret = lio_intx_mask(lm, &hdr, data,
					    action == VFIO_IRQ_SET_ACTION_MASK);
		else
			ret = -ENOTTY;
		break;
	case VFIO_PCI_MSIX_IRQ_INDEX:
		/* Vectors are masked in the MSI-X table, which the model emulates. */
		if (action == VFIO_IRQ_SET_ACTION_TRIGGER)
			ret = lio_set_msix(lm, &hdr, data);
		else
			ret = -ENOTTY;
		break;
	default:
		/* Not reached: an index without interrupts fails validation. */
		ret = -EINVAL;
	}
	kfree(data);
	return ret;
}

struct file *lio_irq_get_file(struct lio_mdev *lm, u16 vector, u32 *irq_seq)
{
	struct lio_region *r = &lm->region;
	struct file *f = NULL;

	spin_lock(&r->seq_lock);
	if (vector < ARRAY_SIZE(lm->msix_file) && lm->msix_file[vector])
		f = get_file(lm->msix_file[vector]);
	*irq_seq = r->dp_irq_seq;
	spin_unlock(&r->seq_lock);
	return f;
}

/* The VFIO user is gone: forget its eventfds, interrupts off. */
void lio_irq_teardown(struct lio_mdev *lm)
{
	/* Whichever was on: the other says -EINVAL, which is fine here. */
	lio_intx_disable(lm);
	lio_msix_disable(lm);
}
