/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leapio_host.ko internals: the per-mdev state that puts one controller
 * model (vctrl/) behind VFIO, and the calls between the glue files.
 *
 * Locking: lio_mdev.lock serialises every lio_vctrl_*() call on the
 * controller, as vctrl.h demands, and the interrupt state the model's
 * callbacks read. The callbacks run with it held.
 */
#ifndef LEAPIO_HOST_H
#define LEAPIO_HOST_H

#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/vfio.h>

#include "dp.h"
#include "vctrl/vctrl.h"

struct eventfd_ctx;
struct virqfd;

/* An mdev type, leapio-<nr_ioq>q. */
struct lio_mdev_type {
	struct mdev_type	type;
	u16			nr_ioq;
};

struct lio_mdev {
	struct vfio_device	vdev;	/* first: vfio_alloc_device() wants it so */
	struct mutex		lock;
	struct lio_vctrl	*vc;	/* kvzalloc'ed: some 30 KiB */
	bool			open;	/* a VFIO user holds the device */
	/*
	 * Let the VFIO user mmap the I/O doorbell pages of BAR0. Only a
	 * runtime polling those pages may turn this on: without one, a
	 * guest's doorbell writes would land in memory nobody reads.
	 */
	bool			db_mmap;

	/* Interrupts as the VFIO user set them up (SET_IRQS). */
	enum lio_irq_mode	irq_mode;
	struct eventfd_ctx	*intx_trigger;
	bool			intx_masked;
	/* Not under lock: vfio_virqfd_*() serialise it themselves. */
	struct virqfd		*intx_unmask;
	struct eventfd_ctx	*msix_trigger[LIO_MAX_VECTORS];
	/* Their files, for a runtime (lio_irq_get_file): under region.seq_lock too. */
	struct file		*msix_file[LIO_MAX_VECTORS];

	/* The shared region a data path runtime attaches to (dp.h). */
	struct lio_region	region;

	/* leapio/backend, under lock: the tools' note, never read here. */
	char			backend[LEAPIO_BACKEND_MAX + 1];
};

static inline struct lio_mdev *to_lio_mdev(struct vfio_device *vdev)
{
	return container_of(vdev, struct lio_mdev, vdev);
}

/* The highest controller ID NVMe allows. */
#define LIO_CNTLID_MAX	0xffef

/* main.c */
extern u16 lio_pci_vendor;
extern u16 lio_pci_device;
/* Count one more mdev against max_instances; false, said why, if none left. */
bool lio_instance_get(struct device *dev);
void lio_instance_put(void);

/* mdev.c */
int lio_mdev_probe(struct mdev_device *mdev);
void lio_mdev_remove(struct mdev_device *mdev);
int lio_vdev_init(struct vfio_device *vdev);
void lio_vdev_release(struct vfio_device *vdev);

/* vfio_ops.c */
extern const struct vfio_device_ops lio_vfio_ops;

/* regions.c */
long lio_ioctl_device_info(struct lio_mdev *lm, void __user *arg);
long lio_ioctl_region_info(struct lio_mdev *lm, void __user *arg);
int lio_region_access(struct lio_mdev *lm, u64 pos, void *buf, u32 len,
		      bool write);
int lio_region_mmap(struct lio_mdev *lm, struct vm_area_struct *vma);
void lio_regions_selftest(void);

/* irq.c */
long lio_ioctl_irq_info(struct lio_mdev *lm, void __user *arg);
long lio_ioctl_set_irqs(struct lio_mdev *lm, void __user *arg);
void lio_irq_teardown(struct lio_mdev *lm);
void lio_msix_signal(void *opaque, u16 vector);
void lio_intx_set(void *opaque, bool level);

/* guest_mem.c */
int lio_dma_read_guest(void *opaque, u64 gpa, void *buf, u32 len);
int lio_dma_write_guest(void *opaque, u64 gpa, const void *buf, u32 len);
u64 lio_now_ms(void *opaque);
u64 lio_wall_ms(void *opaque);

/* sysfs.c */
extern const struct attribute_group *lio_mdev_groups[];
/* Complete lio_mdev_groups: before the driver is registered. */
void lio_sysfs_init(void);

#endif /* LEAPIO_HOST_H */
