// SPDX-License-Identifier: GPL-2.0
/*
 * The VFIO device file of an mdev: region reads and writes, ioctls, mmap.
 * What they reach is laid out in regions.c and irq.c.
 */
#include <linux/uaccess.h>

#include "lio_host.h"

static int lio_vfio_open(struct vfio_device *vdev)
{
	struct lio_mdev *lm = to_lio_mdev(vdev);

	mutex_lock(&lm->lock);
	lm->open = true;
	mutex_unlock(&lm->lock);
	lio_pin_open(lm);
	return 0;
}

/* The VM is gone: drop its interrupts, and power the controller off. */
static void lio_vfio_close(struct vfio_device *vdev)
{
	struct lio_mdev *lm = to_lio_mdev(vdev);

	lio_irq_teardown(lm);
	mutex_lock(&lm->lock);
	/* A reset: the data path drains (dp_reset waits for the ack). */
	lio_vctrl_power_off(lm->vc);
	lm->open = false;
	mutex_unlock(&lm->lock);
	/* Its mappings, doorbells included, went with its file. */
	lio_dp_db_mapped(lm, false);
	/* After the reset's ack; vfio_unpin_pages() needs the device open. */
	lio_pin_release_all(lm);
}

/* The widest access, at most 8 bytes, that pos is aligned for. */
static u32 lio_access_len(u64 pos, size_t left)
{
	u32 len = 8;

	while (len > 1 && (len > left || (pos & (len - 1))))
		len >>= 1;
	return len;
}

/*
 * QEMU forwards each guest access as one read or write of the guest's
 * width; a longer one (a debugger, a dump) is cut into naturally aligned
 * pieces, each one access to the device.
 */
static ssize_t lio_vfio_rw(struct lio_mdev *lm, char __user *ubuf,
			   size_t count, loff_t *ppos, bool write)
{
	u64 pos = *ppos;
	size_t done = 0;
	int ret = 0;

	while (done < count) {
		u32 len = lio_access_len(pos, count - done);
		u64 val = 0;

		if (write && copy_from_user(&val, ubuf + done, len)) {
			ret = -EFAULT;
			break;
		}
		ret = lio_region_access(lm, pos, &val, len, write);
		if (ret)
			break;
		if (!write && copy_to_user(ubuf + done, &val, len)) {
			ret = -EFAULT;
			break;
		}
		pos += len;
		done += len;
	}
	if (!done)
		return ret;
	*ppos = pos;
	return done;
}

static ssize_t lio_vfio_read(struct vfio_device *vdev, char __user *buf,
			     size_t count, loff_t *ppos)
{
	return lio_vfio_rw(to_lio_mdev(vdev), buf, count, ppos, false);
}

static ssize_t lio_vfio_write(struct vfio_device *vdev, const char __user *buf,
			      size_t count, loff_t *ppos)
{
	/* lio_vfio_rw() only reads from buf when write is true */
	return lio_vfio_rw(to_lio_mdev(vdev), (char __user *)buf, count, ppos,
			   true);
}

static long lio_vfio_ioctl(struct vfio_device *vdev, unsigned int cmd,
			   unsigned long arg)
{
	struct lio_mdev *lm = to_lio_mdev(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return lio_ioctl_device_info(lm, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return lio_ioctl_region_info(lm, uarg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return lio_ioctl_irq_info(lm, uarg);
	case VFIO_DEVICE_SET_IRQS:
		return lio_ioctl_set_irqs(lm, uarg);
	case VFIO_DEVICE_RESET:
		mutex_lock(&lm->lock);
		lio_vctrl_function_reset(lm->vc);
		mutex_unlock(&lm->lock);
		return 0;
	}
	return -ENOTTY;
}

static int lio_vfio_mmap(struct vfio_device *vdev, struct vm_area_struct *vma)
{
	return lio_region_mmap(to_lio_mdev(vdev), vma);
}

/*
 * The VFIO user unmapped guest memory: the data path's pins in the range
 * go (pin.c, after the runtime's ack). Never under lio_mdev.lock: a
 * vfio_dma_rw() under that lock may be waiting on the IOMMU driver that
 * is calling us.
 */
static void lio_vfio_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length)
{
	lio_pin_unmap(to_lio_mdev(vdev), iova, length);
}

const struct vfio_device_ops lio_vfio_ops = {
	.name		= "vfio-leapio",
	.init		= lio_vdev_init,
	.release	= lio_vdev_release,
#ifdef LIO_HAVE_VFIO_IOMMUFD
	/* iommufd gives an emulated device an access, not a domain. */
	.bind_iommufd	= vfio_iommufd_emulated_bind,
	.unbind_iommufd	= vfio_iommufd_emulated_unbind,
	.attach_ioas	= vfio_iommufd_emulated_attach_ioas,
#ifdef LIO_HAVE_VFIO_DETACH_IOAS
	.detach_ioas	= vfio_iommufd_emulated_detach_ioas,
#endif
#endif
	.open_device	= lio_vfio_open,
	.close_device	= lio_vfio_close,
	.read		= lio_vfio_read,
	.write		= lio_vfio_write,
	.ioctl		= lio_vfio_ioctl,
	.mmap		= lio_vfio_mmap,
	.dma_unmap	= lio_vfio_dma_unmap,
};
