// SPDX-License-Identifier: GPL-2.0
/*
 * The MSI-X eventfds a runtime gets (LEAPIO_VDEV_IOC_GET_IRQFD): not the
 * VFIO user's eventfd files themselves, which the driver could never take
 * back, but a file of ours per request that signals the VFIO user's
 * eventfd on an 8-byte write, as an eventfd would, for as long as the
 * runtime that asked stays attached. Once it detaches or is revoked
 * (lio_chardev_revoke()), a write fails with -ENOLINK and signals
 * nothing: a runtime that goes on after the driver gave up on it cannot
 * interrupt the guest.
 */
#include <linux/anon_inodes.h>
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>

#include "lio_host.h"

struct lio_irqfd {
	struct lio_mdev		*lm;	/* with a reference on its device */
	struct eventfd_ctx	*ctx;	/* the VFIO user's, referenced */
	u32			epoch;	/* lio_region.rt_epoch when given */
};

static ssize_t lio_irqfd_write(struct file *file, const char __user *buf,
			       size_t count, loff_t *ppos)
{
	struct lio_irqfd *q = file->private_data;
	struct lio_region *r = &q->lm->region;
	ssize_t ret = sizeof(u64);
	u64 val;

	if (count < sizeof(val))
		return -EINVAL;
	if (copy_from_user(&val, buf, sizeof(val)))
		return -EFAULT;
	/* Under seq_lock: a runtime cleared after this signals nothing. */
	spin_lock(&r->seq_lock);
	if (r->runtime && r->rt_epoch == q->epoch)
		lio_eventfd_signal(q->ctx);
	else
		ret = -ENOLINK;
	spin_unlock(&r->seq_lock);
	return ret;
}

static int lio_irqfd_release(struct inode *inode, struct file *file)
{
	struct lio_irqfd *q = file->private_data;

	eventfd_ctx_put(q->ctx);
	put_device(&q->lm->vdev.device);
	kfree(q);
	return 0;
}

static const struct file_operations lio_irqfd_fops = {
	.owner		= THIS_MODULE,
	.write		= lio_irqfd_write,
	.release	= lio_irqfd_release,
	.llseek		= noop_llseek,
};

struct file *lio_irqfd_get(struct lio_mdev *lm, u16 vector, u32 *irq_seq)
{
	struct lio_region *r = &lm->region;
	struct eventfd_ctx *ctx;
	struct lio_irqfd *q;
	struct file *f;

	f = lio_irq_get_file(lm, vector, irq_seq);
	if (!f)
		return ERR_PTR(-ENOENT);
	ctx = eventfd_ctx_fileget(f);
	fput(f);
	if (IS_ERR(ctx))
		return ERR_CAST(ctx);
	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q) {
		eventfd_ctx_put(ctx);
		return ERR_PTR(-ENOMEM);
	}
	q->lm = lm;
	q->ctx = ctx;
	spin_lock(&r->seq_lock);
	q->epoch = r->rt_epoch;
	spin_unlock(&r->seq_lock);
	get_device(&lm->vdev.device);
	f = anon_inode_getfile("[leapio-irq]", &lio_irqfd_fops, q,
			       O_WRONLY | O_CLOEXEC);
	if (IS_ERR(f)) {
		put_device(&lm->vdev.device);
		eventfd_ctx_put(ctx);
		kfree(q);
	}
	return f;
}
