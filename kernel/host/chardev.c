// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/leapio: a data path runtime attaches to an mdev by UUID and gets a
 * vdev file. Its mmap offset 0 is the shared region, offset
 * LEAPIO_MMAP_GUEST_OFFSET the guest window (pinned guest pages, at their
 * GPA); its ioctls answer the mailbox, set the wake eventfd and hand out
 * the guest's MSI-X eventfds (uapi/linux/leapio_region.h).
 *
 * A vdev file holds a reference on the vfio_device, so the mdev's state
 * (and its region) outlives the mdev's removal until the runtime closes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "card.h"
#include "lio_host.h"

/* The mdevs a runtime can attach to: from probe to remove. */
static LIST_HEAD(lio_live);
static DEFINE_MUTEX(lio_live_lock);

/*
 * Each vdev file gets an inode of its own, from this pseudo filesystem:
 * the guest window is zapped through the file's address_space with
 * unmap_mapping_range(), and the anon_inode files all share one.
 */
#define LIO_FS_MAGIC	0x4c45414cU	/* "LEAL" */

static int lio_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, LIO_FS_MAGIC) ? 0 : -ENOMEM;
}

/* No .owner: the kernel mount would pin the module that unmounts it. */
static struct file_system_type lio_fs_type = {
	.name		= "leapio_vdev",
	.init_fs_context = lio_fs_init_fs_context,
	.kill_sb	= kill_anon_super,
};

static struct vfsmount *lio_mnt;

void lio_chardev_add(struct lio_mdev *lm)
{
	mutex_lock(&lio_live_lock);
	list_add_tail(&lm->region.live, &lio_live);
	mutex_unlock(&lio_live_lock);
}

/* No runtime can attach from now on (mdev.c then publishes REMOVED). */
void lio_chardev_remove(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;

	mutex_lock(&lio_live_lock);
	list_del_init(&r->live);
	mutex_unlock(&lio_live_lock);

	spin_lock(&r->seq_lock);
	r->removed = true;
	spin_unlock(&r->seq_lock);
}

pid_t lio_chardev_runtime_pid(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;
	pid_t pid;

	spin_lock(&r->seq_lock);
	pid = r->runtime_pid;
	spin_unlock(&r->seq_lock);
	return pid;
}

u32 lio_chardev_revoked(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;
	u32 n;

	spin_lock(&r->seq_lock);
	n = r->revoked;
	spin_unlock(&r->seq_lock);
	return n;
}

/* The live mdev with this UUID, with a reference on its vfio_device. */
static struct lio_mdev *lio_find_get(const u8 *uuid)
{
	struct lio_mdev *lm, *found = NULL;

	mutex_lock(&lio_live_lock);
	list_for_each_entry(lm, &lio_live, region.live) {
		if (!memcmp(lm->vc->p.uuid, uuid, sizeof(lm->vc->p.uuid))) {
			get_device(&lm->vdev.device);
			found = lm;
			break;
		}
	}
	mutex_unlock(&lio_live_lock);
	return found;
}

/* ---- the vdev file ---- */

static vm_fault_t lio_window_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;

	return lio_pin_fault(vma->vm_file->private_data, vma, vmf->address,
			     vmf->pgoff -
			     (LEAPIO_MMAP_GUEST_OFFSET >> PAGE_SHIFT));
}

static const struct vm_operations_struct lio_window_ops = {
	.fault	= lio_window_fault,
};

/*
 * The region is mapped whole at mmap time; a page is missing only once
 * lio_chardev_revoke() zapped it: the runtime lost the vdev.
 */
static vm_fault_t lio_region_fault(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct lio_region_vm_ops = {
	.fault	= lio_region_fault,
};

/* This vdev file is the mdev's runtime (not detached, not revoked). */
static bool lio_vdevf_current(struct file *file)
{
	struct lio_mdev *lm = file->private_data;

	return READ_ONCE(lm->region.runtime) == file;
}

static int lio_vdevf_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct lio_mdev *lm = file->private_data;
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 len = vma->vm_end - vma->vm_start;
	u64 win = lio_pin_window_size(lm);

	if (!lio_vdevf_current(file))
		return -ENOLINK;
	/* Both sides see one copy: a private mapping would copy on write. */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (off == LEAPIO_MMAP_REGION_OFFSET) {
		if (len > lm->region.size)
			return -EINVAL;
		vma->vm_ops = &lio_region_vm_ops;
		/* SoC mode: the region is card DRAM, BAR pages. */
		if (lm->region.card)
			return lio_card_region_mmap(lm, vma, 0, len);
		return remap_vmalloc_range(vma, lm->region.base, 0);
	}
	if (off < LEAPIO_MMAP_GUEST_OFFSET ||
	    off - LEAPIO_MMAP_GUEST_OFFSET >= win ||
	    len > win - (off - LEAPIO_MMAP_GUEST_OFFSET))
		return -EINVAL;
	/* Pages come one by one from the fault handler, never moved. */
	lio_vm_flags_set(vma, VM_MIXEDMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &lio_window_ops;
	return 0;
}

static long lio_set_wake(struct lio_mdev *lm, s32 __user *arg)
{
	struct lio_region *r = &lm->region;
	struct eventfd_ctx *ctx = NULL, *old;
	s32 fd;

	if (get_user(fd, arg))
		return -EFAULT;
	if (fd != -1) {
		ctx = eventfd_ctx_fdget(fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	}
	spin_lock(&r->seq_lock);
	old = r->wake;
	r->wake = ctx;
	spin_unlock(&r->seq_lock);
	if (old)
		eventfd_ctx_put(old);
	return 0;
}

static long lio_get_irqfd(struct lio_mdev *lm, struct leapio_irqfd __user *arg)
{
	struct leapio_irqfd q;
	struct file *f;
	int fd;

	if (copy_from_user(&q, arg, sizeof(q)))
		return -EFAULT;
	/* Vectors are nr_ioq + 1: one per I/O CQ and the admin CQ's. */
	if (q.vector > lm->region.layout.nr_ioq)
		return -EINVAL;
	/* Ours, not the VFIO user's file: it can be revoked (irqfd.c). */
	f = lio_irqfd_get(lm, q.vector, &q.irq_seq);
	if (IS_ERR(f))
		return PTR_ERR(f);
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		fput(f);
		return fd;
	}
	q.fd = fd;
	if (copy_to_user(arg, &q, sizeof(q))) {
		put_unused_fd(fd);
		fput(f);
		return -EFAULT;
	}
	fd_install(fd, f);
	return 0;
}

static long lio_vdevf_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	struct lio_mdev *lm = file->private_data;
	long ret;

	/* A revoked runtime asks nothing of the driver any more. */
	if (!lio_vdevf_current(file))
		return -ENOLINK;
	switch (cmd) {
	case LEAPIO_VDEV_IOC_KICK:
		ret = lio_mbox_kick(lm);
		/* A kick also says ack may have moved. */
		wake_up_all(&lm->region.ack_wq);
		return ret;
	case LEAPIO_VDEV_IOC_SET_WAKE:
		return lio_set_wake(lm, (s32 __user *)arg);
	case LEAPIO_VDEV_IOC_GET_IRQFD:
		return lio_get_irqfd(lm, (struct leapio_irqfd __user *)arg);
	}
	return -ENOTTY;
}

/*
 * The runtime (file) is gone, detached or revoked: whoever waits for its
 * ack waits no more, and the controller waits for another runtime
 * (standby.c). Under seq_lock; *wake is the eventfd to put.
 */
static bool lio_runtime_clear(struct lio_region *r, struct file *file,
			      struct eventfd_ctx **wake)
{
	if (r->runtime != file)
		return false;
	WRITE_ONCE(r->runtime, NULL);
	/* The eventfds it was given signal nothing any more. */
	r->rt_epoch++;
	r->runtime_pid = 0;
	WRITE_ONCE(r->ctrl->runtime_pid, 0);
	*wake = r->wake;
	r->wake = NULL;
	return true;
}

/* Detach: queues and pins stay for the next runtime. */
static int lio_vdevf_release(struct inode *inode, struct file *file)
{
	struct lio_mdev *lm = file->private_data;
	struct lio_region *r = &lm->region;
	struct eventfd_ctx *wake = NULL;
	bool was;

	mutex_lock(&r->pin_lock);
	if (r->window_mapping == file->f_mapping)
		r->window_mapping = NULL;
	mutex_unlock(&r->pin_lock);

	spin_lock(&r->seq_lock);
	was = lio_runtime_clear(r, file, &wake);
	spin_unlock(&r->seq_lock);
	if (wake)
		eventfd_ctx_put(wake);
	wake_up_all(&r->ack_wq);
	if (was)
		lio_standby_detached(lm);
	put_device(&lm->vdev.device);
	return 0;
}

/*
 * Take the vdev file away from its runtime, if it still has it: revoked
 * (counted here, in runtime_revoked), or after it let go (counted by
 * lio_chardev_let_go(), which knows whether it acked).
 */
static void lio_chardev_cut(struct lio_mdev *lm, bool revoke)
{
	struct lio_region *r = &lm->region;
	struct eventfd_ctx *wake = NULL;
	struct inode *inode = NULL;
	struct file *file;

	spin_lock(&r->seq_lock);
	file = r->runtime;
	/*
	 * Its release has not run past lio_runtime_clear() (it would have
	 * found the file still the runtime), so the inode is alive.
	 */
	if (file && lio_runtime_clear(r, file, &wake)) {
		inode = file_inode(file);
		ihold(inode);
		if (revoke)
			r->revoked++;
	}
	spin_unlock(&r->seq_lock);
	if (!inode)
		return;
	if (wake)
		eventfd_ctx_put(wake);

	mutex_lock(&r->pin_lock);
	if (r->window_mapping == inode->i_mapping)
		r->window_mapping = NULL;
	mutex_unlock(&r->pin_lock);
	/*
	 * A fault that found the file still the runtime has mapped its page
	 * once win_lock is free; later ones refuse (lio_pin_fault()). Then
	 * every page of the file goes from the runtime's address space:
	 * the guest window and the region. Its next touch of either is a
	 * SIGBUS, so nothing it was about to write reaches the guest or
	 * the region the next runtime takes over. A runtime that let go
	 * touches neither again: the zap only holds it to that.
	 */
	mutex_lock(&r->win_lock);
	mutex_unlock(&r->win_lock);
	unmap_mapping_range(inode->i_mapping, 0, 0, 1);
	iput(inode);
	wake_up_all(&r->ack_wq);
	lio_standby_detached(lm);
}

void lio_chardev_revoke(struct lio_mdev *lm)
{
	lio_chardev_cut(lm, true);
}

/*
 * The runtime asked to let go at seq has: it acked letting go, or it
 * went (closed its vdev file).
 */
static bool lio_let_go_done(struct lio_region *r, struct file *file, u32 seq)
{
	if (READ_ONCE(r->runtime) != file)
		return true;
	/* pairs with its release of let_go_ack: its last CQE is before */
	return leapio_wr_acked(smp_load_acquire(&r->ctrl->let_go_ack), seq);
}

int lio_chardev_let_go(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;
	struct file *file;
	pid_t pid;
	u32 seq;

	lockdep_assert_held(&lm->lock);
	spin_lock(&r->seq_lock);
	file = r->runtime;
	pid = r->runtime_pid;
	spin_unlock(&r->seq_lock);
	if (!file)
		return 0;
	leapio_wr_put_let_go(&r->view, true);
	seq = lio_region_bump(lm);
	if (wait_event_timeout(r->ack_wq, lio_let_go_done(r, file, seq),
			       LIO_ACK_TIMEOUT)) {
		/*
		 * Nothing of it in flight: its file goes, if it has not
		 * closed it already, and nothing fails. It let go when it
		 * acked this request, whether or not it closed its file
		 * before this woke; one that went without acking did not.
		 * No runtime attached in between (that takes lm->lock, held
		 * here).
		 */
		lio_chardev_cut(lm, false);
		/* pairs with its release of let_go_ack, as in lio_let_go_done() */
		if (leapio_wr_acked(smp_load_acquire(&r->ctrl->let_go_ack), seq)) {
			spin_lock(&r->seq_lock);
			r->let_go++;
			spin_unlock(&r->seq_lock);
		}
		return 0;
	}
	/*
	 * Stopped, wedged or too old to know the request (region minor
	 * version 2): revoked as at a runtime replacement, the next runtime
	 * redoes its journal.
	 */
	dev_warn(lm->vdev.dev,
		 "runtime (pid %d) did not let go (change %u) within %u s: revoked, its commands in flight are redone from the journal\n",
		 pid, seq, LIO_ACK_TIMEOUT / HZ);
	lio_chardev_cut(lm, true);
	return -ETIMEDOUT;
}

u32 lio_chardev_let_go_count(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;
	u32 n;

	spin_lock(&r->seq_lock);
	n = r->let_go;
	spin_unlock(&r->seq_lock);
	return n;
}

static const struct file_operations lio_vdev_fops = {
	.owner		= THIS_MODULE,
	.release	= lio_vdevf_release,
	.mmap		= lio_vdevf_mmap,
	.unlocked_ioctl	= lio_vdevf_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

/* A file on an inode of its own (see lio_fs_type). */
static struct file *lio_vdevf_new(struct lio_mdev *lm)
{
	struct inode *inode;
	struct file *file;

	inode = alloc_anon_inode(lio_mnt->mnt_sb);
	if (IS_ERR(inode))
		return ERR_CAST(inode);
	/* alloc_file_pseudo() takes none for f_op; __fput() drops one. */
	__module_get(THIS_MODULE);
	file = alloc_file_pseudo(inode, lio_mnt, "[leapio-vdev]", O_RDWR,
				 &lio_vdev_fops);
	if (IS_ERR(file)) {
		module_put(THIS_MODULE);
		iput(inode);
		return file;
	}
	file->private_data = lm;
	return file;
}

/*
 * Make file the runtime of lm: -EBUSY if it has one already, -EREMOTE if
 * the card's runtime owns it.
 */
static int lio_attach_file(struct lio_mdev *lm, struct file *file)
{
	struct lio_region *r = &lm->region;
	pid_t pid = task_tgid_nr(current);
	int ret = 0;

	mutex_lock(&lm->lock);
	spin_lock(&r->seq_lock);
	if (r->removed) {
		ret = -ENODEV;
	} else if (r->card && r->card_owner == LEAPIO_CARD_OWNER_CARD) {
		/* The card's runtime serves it (SoC mode, card_slot.c). */
		ret = -EREMOTE;
	} else if (r->runtime) {
		ret = -EBUSY;
	} else {
		WRITE_ONCE(r->runtime, file);
		r->runtime_pid = pid;
		WRITE_ONCE(r->ctrl->runtime_pid, pid);
		/* A request to let go was for a runtime before it. */
		leapio_wr_put_let_go(&r->view, false);
	}
	spin_unlock(&r->seq_lock);
	if (!ret) {
		mutex_lock(&r->pin_lock);
		r->window_mapping = file->f_mapping;
		mutex_unlock(&r->pin_lock);
		lio_mbox_attach(lm);
		lio_dp_attach(lm);
	}
	mutex_unlock(&lm->lock);
	return ret;
}

static long lio_attach(struct leapio_attach __user *arg)
{
	struct leapio_attach a;
	struct lio_mdev *lm;
	struct file *file;
	int fd, ret;

	if (copy_from_user(&a, arg, sizeof(a)))
		return -EFAULT;
	if (a.flags)
		return -EINVAL;

	lm = lio_find_get(a.uuid);
	if (!lm)
		return -ENODEV;
	file = lio_vdevf_new(lm);
	if (IS_ERR(file)) {
		put_device(&lm->vdev.device);
		return PTR_ERR(file);
	}
	/* From here the file's release drops the device reference. */
	ret = lio_attach_file(lm, file);
	if (ret)
		goto err_file;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto err_file;
	}
	a.fd = fd;
	a.region_size = lm->region.size;
	a.guest_size = lio_pin_window_size(lm);
	if (copy_to_user(arg, &a, sizeof(a))) {
		put_unused_fd(fd);
		ret = -EFAULT;
		goto err_file;
	}
	fd_install(fd, file);
	return 0;

err_file:
	fput(file);
	return ret;
}

static long lio_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	if (cmd == LEAPIO_IOC_ATTACH)
		return lio_attach((struct leapio_attach __user *)arg);
	return -ENOTTY;
}

static const struct file_operations lio_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= lio_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice lio_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= LEAPIO_DEV_NAME,
	.fops	= &lio_dev_fops,
	.mode	= 0600,
};

int lio_chardev_init(void)
{
	int ret;

	lio_mnt = kern_mount(&lio_fs_type);
	if (IS_ERR(lio_mnt))
		return PTR_ERR(lio_mnt);
	ret = misc_register(&lio_misc);
	if (ret)
		kern_unmount(lio_mnt);
	return ret;
}

/* No vdev file is open: each holds a reference on the module. */
void lio_chardev_exit(void)
{
	misc_deregister(&lio_misc);
	kern_unmount(lio_mnt);
}
