// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lio_env.h"
#include "../../common/leapio/region_layout.h"
#include "../core/plat.h"
#include "host_dev.h"

int lio_host_attach(const char *uuid, struct lio_host_vdev *h, char *err,
		    size_t errlen)
{
	struct leapio_attach a;
	const char *why;
	int dev, ret, one;

	memset(h, 0, sizeof(*h));
	h->fd = h->wake_fd = -1;
	memset(&a, 0, sizeof(a));
	if (lio_uuid_bytes(uuid, a.uuid)) {
		snprintf(err, errlen, "'%s' is not a UUID", uuid);
		return -EINVAL;
	}
	dev = open("/dev/" LEAPIO_DEV_NAME, O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		ret = -errno;
		snprintf(err, errlen, "/dev/%s: %s (is leapio_host loaded?)",
			 LEAPIO_DEV_NAME, strerror(errno));
		return ret == -ENOENT ? -ENODEV : ret;
	}
	ret = ioctl(dev, LEAPIO_IOC_ATTACH, &a) ? -errno : 0;
	close(dev);
	if (ret) {
		snprintf(err, errlen, "attach: %s%s", strerror(-ret),
			 ret == -EBUSY ? " (another runtime serves it)" :
			 ret == -ENODEV ? " (no such mdev)" : "");
		return ret;
	}
	h->fd = a.fd;
	h->region_size = a.region_size;
	h->gmem_size = a.guest_size;
	h->region = mmap(NULL, h->region_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, h->fd, LEAPIO_MMAP_REGION_OFFSET);
	if (h->region == MAP_FAILED) {
		ret = -errno;
		h->region = NULL;
		snprintf(err, errlen, "mmap of the region: %s", strerror(-ret));
		goto fail;
	}
	ret = leapio_region_check(h->region, h->region_size, &why);
	if (ret) {
		snprintf(err, errlen, "the region's header is unusable: %s%s",
			 why, ret == -EPROTO ?
			 " (leapiod and leapio_host are of different versions)" : "");
		goto fail;
	}
	h->gmem = mmap(NULL, h->gmem_size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_NORESERVE, h->fd,
		       LEAPIO_MMAP_GUEST_OFFSET);
	if (h->gmem == MAP_FAILED) {
		ret = -errno;
		h->gmem = NULL;
		snprintf(err, errlen, "mmap of the guest window: %s",
			 strerror(-ret));
		goto fail;
	}
	h->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	one = h->wake_fd;
	if (h->wake_fd < 0 || ioctl(h->fd, LEAPIO_VDEV_IOC_SET_WAKE, &one)) {
		ret = -errno;
		snprintf(err, errlen, "wake eventfd: %s", strerror(-ret));
		goto fail;
	}
	return 0;
fail:
	lio_host_detach(h);
	return ret;
}

void lio_host_detach(struct lio_host_vdev *h)
{
	if (h->gmem)
		munmap(h->gmem, h->gmem_size);
	if (h->region)
		munmap(h->region, h->region_size);
	if (h->wake_fd >= 0)
		close(h->wake_fd);
	if (h->fd >= 0)
		close(h->fd);
	h->gmem = NULL;
	h->region = NULL;
	h->fd = h->wake_fd = -1;
}

int lio_host_kick(struct lio_host_vdev *h)
{
	return ioctl(h->fd, LEAPIO_VDEV_IOC_KICK) ? -errno : 0;
}

int lio_host_irqfd(struct lio_host_vdev *h, uint16_t vector, uint32_t *irq_seq)
{
	struct leapio_irqfd q = { .vector = vector, .fd = -1 };

	if (ioctl(h->fd, LEAPIO_VDEV_IOC_GET_IRQFD, &q))
		return -errno;
	*irq_seq = q.irq_seq;
	return q.fd;
}
