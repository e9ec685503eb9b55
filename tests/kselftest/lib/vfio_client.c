// SPDX-License-Identifier: GPL-2.0
/* A minimal VFIO user for one mdev; see vfio_client.h. */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vfio_client.h"

static int ioctl_err(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

static int vfio_read_info(struct vfio_dev *d)
{
	unsigned int i;
	int err;

	d->info.argsz = sizeof(d->info);
	err = ioctl_err(d->fd, VFIO_DEVICE_GET_INFO, &d->info);
	if (err)
		return err;
	for (i = 0; i < VFIO_PCI_NUM_REGIONS && i < d->info.num_regions; i++) {
		d->region[i].argsz = sizeof(d->region[i]);
		d->region[i].index = i;
		d->region_err[i] = ioctl_err(d->fd, VFIO_DEVICE_GET_REGION_INFO,
					     &d->region[i]);
		if (d->region_err[i])
			d->region[i].size = 0;
	}
	for (i = 0; i < VFIO_PCI_NUM_IRQS && i < d->info.num_irqs; i++) {
		d->irq[i].argsz = sizeof(d->irq[i]);
		d->irq[i].index = i;
		d->irq_err[i] = ioctl_err(d->fd, VFIO_DEVICE_GET_IRQ_INFO, &d->irq[i]);
		if (d->irq_err[i])
			d->irq[i].count = 0;
	}
	return 0;
}

/* Open grp's device name in a fresh container (peer NULL) or in peer's. */
static int vfio_open_in(struct vfio_dev *d, int grp, const char *name,
			const struct vfio_dev *peer)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[64];
	int err, ret;

	memset(d, 0, sizeof(*d));
	d->container = d->group = d->fd = -1;

	/* A descriptor of its own: each vfio_close() closes one. */
	d->container = peer ? fcntl(peer->container, F_DUPFD_CLOEXEC, 0) :
			      open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (d->container < 0)
		goto fail_errno;
	ret = ioctl(d->container, VFIO_GET_API_VERSION);
	if (ret != VFIO_API_VERSION) {
		err = -EPROTO;
		goto fail;
	}
	/* An mdev sits in an emulated IOMMU group: type1v2 accepts it with
	 * no hardware IOMMU, and its DMA goes through the vendor driver's
	 * vfio_dma_rw / vfio_pin_pages on our mappings.
	 */
	ret = ioctl(d->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU);
	if (ret <= 0) {
		err = ret < 0 ? -errno : -EOPNOTSUPP;
		goto fail;
	}

	snprintf(path, sizeof(path), "/dev/vfio/%d", grp);
	d->group = open(path, O_RDWR | O_CLOEXEC);
	if (d->group < 0)
		goto fail_errno;
	err = ioctl_err(d->group, VFIO_GROUP_GET_STATUS, &status);
	if (err)
		goto fail;
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		err = -EBUSY;
		goto fail;
	}
	err = ioctl_err(d->group, VFIO_GROUP_SET_CONTAINER, &d->container);
	if (err)
		goto fail;
	/* A container's IOMMU is set once, by its first group. */
	if (!peer && ioctl(d->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0)
		goto fail_errno;

	d->fd = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, name);
	if (d->fd < 0)
		goto fail_errno;
	err = vfio_read_info(d);
	if (err)
		goto fail;
	return 0;

fail_errno:
	err = -errno;
fail:
	vfio_close(d);
	return err;
}

int vfio_open(struct vfio_dev *d, int grp, const char *name)
{
	return vfio_open_in(d, grp, name, NULL);
}

int vfio_open_beside(struct vfio_dev *d, int grp, const char *name,
		     const struct vfio_dev *peer)
{
	return vfio_open_in(d, grp, name, peer);
}

void vfio_close(struct vfio_dev *d)
{
	/* Device first: closing it is what the vendor driver sees as the VM
	 * going away; then the group leaves the container and the container
	 * drops every DMA mapping.
	 */
	if (d->fd >= 0)
		close(d->fd);
	if (d->group >= 0)
		close(d->group);
	if (d->container >= 0)
		close(d->container);
	d->fd = d->group = d->container = -1;
}

bool vfio_is_open(const struct vfio_dev *d)
{
	return d->fd >= 0;
}

static int region_check(struct vfio_dev *d, unsigned int index, uint64_t off,
			size_t len)
{
	if (index >= VFIO_PCI_NUM_REGIONS || index >= d->info.num_regions)
		return -EINVAL;
	if (off > d->region[index].size || len > d->region[index].size - off)
		return -ERANGE;
	return 0;
}

int vfio_region_read(struct vfio_dev *d, unsigned int index, uint64_t off,
		     void *buf, size_t len)
{
	ssize_t n;
	int err;

	err = region_check(d, index, off, len);
	if (err)
		return err;
	n = pread(d->fd, buf, len, d->region[index].offset + off);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int vfio_region_write(struct vfio_dev *d, unsigned int index, uint64_t off,
		      const void *buf, size_t len)
{
	ssize_t n;
	int err;

	err = region_check(d, index, off, len);
	if (err)
		return err;
	n = pwrite(d->fd, buf, len, d->region[index].offset + off);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int vfio_cfg_read8(struct vfio_dev *d, uint32_t off, uint8_t *val)
{
	return vfio_region_read(d, VFIO_PCI_CONFIG_REGION_INDEX, off, val, 1);
}

int vfio_cfg_read16(struct vfio_dev *d, uint32_t off, uint16_t *val)
{
	uint16_t v;
	int err;

	err = vfio_region_read(d, VFIO_PCI_CONFIG_REGION_INDEX, off, &v, 2);
	if (!err)
		*val = le16toh(v);
	return err;
}

int vfio_cfg_read32(struct vfio_dev *d, uint32_t off, uint32_t *val)
{
	uint32_t v;
	int err;

	err = vfio_region_read(d, VFIO_PCI_CONFIG_REGION_INDEX, off, &v, 4);
	if (!err)
		*val = le32toh(v);
	return err;
}

int vfio_cfg_write8(struct vfio_dev *d, uint32_t off, uint8_t val)
{
	return vfio_region_write(d, VFIO_PCI_CONFIG_REGION_INDEX, off, &val, 1);
}

int vfio_cfg_write16(struct vfio_dev *d, uint32_t off, uint16_t val)
{
	uint16_t v = htole16(val);

	return vfio_region_write(d, VFIO_PCI_CONFIG_REGION_INDEX, off, &v, 2);
}

int vfio_cfg_write32(struct vfio_dev *d, uint32_t off, uint32_t val)
{
	uint32_t v = htole32(val);

	return vfio_region_write(d, VFIO_PCI_CONFIG_REGION_INDEX, off, &v, 4);
}

static int bar_index(unsigned int bar)
{
	return bar <= VFIO_PCI_BAR5_REGION_INDEX ? (int)bar : -1;
}

int vfio_bar_read32(struct vfio_dev *d, unsigned int bar, uint64_t off,
		    uint32_t *val)
{
	uint32_t v;
	int err;

	if (bar_index(bar) < 0)
		return -EINVAL;
	err = vfio_region_read(d, bar, off, &v, sizeof(v));
	if (!err)
		*val = le32toh(v);
	return err;
}

int vfio_bar_read64(struct vfio_dev *d, unsigned int bar, uint64_t off,
		    uint64_t *val)
{
	uint64_t v;
	int err;

	if (bar_index(bar) < 0)
		return -EINVAL;
	err = vfio_region_read(d, bar, off, &v, sizeof(v));
	if (!err)
		*val = le64toh(v);
	return err;
}

int vfio_bar_write32(struct vfio_dev *d, unsigned int bar, uint64_t off,
		     uint32_t val)
{
	uint32_t v = htole32(val);

	if (bar_index(bar) < 0)
		return -EINVAL;
	return vfio_region_write(d, bar, off, &v, sizeof(v));
}

int vfio_bar_write64(struct vfio_dev *d, unsigned int bar, uint64_t off,
		     uint64_t val)
{
	uint64_t v = htole64(val);

	if (bar_index(bar) < 0)
		return -EINVAL;
	return vfio_region_write(d, bar, off, &v, sizeof(v));
}

int vfio_dma_map(struct vfio_dev *d, void *vaddr, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)vaddr,
		.iova = iova,
		.size = size,
	};

	return ioctl_err(d->container, VFIO_IOMMU_MAP_DMA, &map);
}

int vfio_dma_unmap(struct vfio_dev *d, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = iova,
		.size = size,
	};

	return ioctl_err(d->container, VFIO_IOMMU_UNMAP_DMA, &unmap);
}

int vfio_irq_set_eventfds(struct vfio_dev *d, unsigned int index,
			  unsigned int start, unsigned int count, const int *fds)
{
	struct vfio_irq_set *set;
	size_t sz = sizeof(*set) + count * sizeof(int32_t);
	int err;

	set = calloc(1, sz);
	if (!set)
		return -ENOMEM;
	set->argsz = sz;
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = index;
	set->start = start;
	set->count = count;
	memcpy(set->data, fds, count * sizeof(int32_t));
	err = ioctl_err(d->fd, VFIO_DEVICE_SET_IRQS, set);
	free(set);
	return err;
}

static int irq_set_none(struct vfio_dev *d, unsigned int index, uint32_t action,
			uint32_t count)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | action,
		.index = index,
		.start = 0,
		.count = count,
	};

	return ioctl_err(d->fd, VFIO_DEVICE_SET_IRQS, &set);
}

int vfio_irq_disable(struct vfio_dev *d, unsigned int index)
{
	/* DATA_NONE | TRIGGER with count 0 is VFIO's "disable this index". */
	return irq_set_none(d, index, VFIO_IRQ_SET_ACTION_TRIGGER, 0);
}

int vfio_irq_unmask(struct vfio_dev *d, unsigned int index)
{
	return irq_set_none(d, index, VFIO_IRQ_SET_ACTION_UNMASK, 1);
}

int vfio_irq_mask(struct vfio_dev *d, unsigned int index)
{
	return irq_set_none(d, index, VFIO_IRQ_SET_ACTION_MASK, 1);
}

int vfio_reset(struct vfio_dev *d)
{
	return ioctl(d->fd, VFIO_DEVICE_RESET) < 0 ? -errno : 0;
}
