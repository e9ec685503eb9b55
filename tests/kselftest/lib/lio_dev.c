// SPDX-License-Identifier: GPL-2.0
/* One LeapIO test device; see lio_dev.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evfd.h"
#include "lio_dev.h"

const char *lio_default_type(void)
{
	static struct lio_mdev_type types[MDEV_MAX_TYPES];
	const char *env = getenv("LEAPIO_TYPE");
	int n, i;

	if (env && *env)
		return env;
	n = mdev_list_types(types, MDEV_MAX_TYPES);
	if (n <= 0)
		return NULL;
	for (i = 0; i < n; i++)
		if (types[i].nr_ioq >= 4)
			return types[i].name;
	return types[n - 1].name;
}

static void lio_init_fds(struct lio *l)
{
	unsigned int i;

	for (i = 0; i < LEAPIO_MAX_IOQ + 1; i++)
		l->msix_fd[i] = -1;
	l->nr_msix = 0;
	l->intx_fd = -1;
}

/*
 * Guest memory of its own (anonymous, or a memfd when shared), or with a
 * peer: in its container, carved from its memory.
 */
static int lio_open_mem(struct lio *l, bool shared, struct lio *peer)
{
	int grp, err;

	lio_init_fds(l);
	grp = mdev_iommu_group(&l->mdev);
	if (grp < 0) {
		fprintf(stderr, "# %s: iommu group: %s\n", l->mdev.uuid, strerror(-grp));
		return grp;
	}
	err = peer ? vfio_open_beside(&l->dev, grp, l->mdev.uuid, &peer->dev) :
		     vfio_open(&l->dev, grp, l->mdev.uuid);
	if (err) {
		fprintf(stderr, "# %s: vfio open (group %d): %s\n", l->mdev.uuid,
			grp, strerror(-err));
		return err;
	}
	if (peer)
		err = gmem_carve(&l->mem, &peer->mem, GMEM_DEFAULT_SIZE / 2);
	else
		err = (shared ? gmem_init_memfd : gmem_init)(&l->mem, &l->dev,
							  GMEM_IOVA_BASE,
							  GMEM_DEFAULT_SIZE);
	if (err) {
		fprintf(stderr, "# %s: guest memory: %s\n", l->mdev.uuid, strerror(-err));
		vfio_close(&l->dev);
		return err;
	}
	err = nvd_init(&l->nvd, &l->dev, &l->mem);
	if (err) {
		fprintf(stderr, "# %s: driver init: %s\n", l->mdev.uuid, strerror(-err));
		lio_close(l);
		return err;
	}
	return 0;
}

int lio_open(struct lio *l)
{
	return lio_open_mem(l, false, NULL);
}

int lio_open_shared(struct lio *l)
{
	return lio_open_mem(l, true, NULL);
}

int lio_open_beside(struct lio *l, struct lio *peer)
{
	return lio_open_mem(l, true, peer);
}

void lio_close(struct lio *l)
{
	if (vfio_is_open(&l->dev))
		lio_irq_off(l);
	gmem_fini(&l->mem);
	vfio_close(&l->dev);
}

void lio_init(struct lio *l)
{
	memset(l, 0, sizeof(*l));
	l->dev.fd = l->dev.group = l->dev.container = -1;
	lio_init_fds(l);
}

int lio_setup(struct lio *l, const struct lio_opts *o)
{
	const char *type = o && o->type ? o->type : lio_default_type();
	int err;

	lio_init(l);
	if (!type) {
		fprintf(stderr, "# no LeapIO mdev type registered (module not loaded?)\n");
		return -ENODEV;
	}
	err = mdev_create(&l->mdev, type);
	if (err) {
		fprintf(stderr, "# create %s: %s\n", type, strerror(-err));
		return err;
	}
	if (o && o->lba_size) {
		err = mdev_attr_write_u64(&l->mdev, LEAPIO_SYSFS_LBA_SIZE, o->lba_size);
		if (err) {
			fprintf(stderr, "# %s: lba_size %u: %s\n", l->mdev.uuid,
				o->lba_size, strerror(-err));
			goto fail;
		}
	}
	if (o && o->ns_size) {
		err = mdev_attr_write_u64(&l->mdev, LEAPIO_SYSFS_NS_SIZE, o->ns_size);
		if (err) {
			fprintf(stderr, "# %s: ns_size %llu: %s\n", l->mdev.uuid,
				o->ns_size, strerror(-err));
			goto fail;
		}
	}
	if (o && o->no_open)
		return 0;
	err = lio_open(l);
	if (err)
		goto fail;
	return 0;
fail:
	mdev_remove(&l->mdev);
	return err;
}

int lio_teardown(struct lio *l)
{
	lio_close(l);
	return mdev_remove(&l->mdev);
}

int lio_msix_on(struct lio *l)
{
	unsigned int i, count = l->dev.irq[VFIO_PCI_MSIX_IRQ_INDEX].count;
	int err;

	if (count == 0 || count > LEAPIO_MAX_IOQ + 1)
		return -ERANGE;
	for (i = 0; i < count; i++) {
		if (l->msix_fd[i] < 0)
			l->msix_fd[i] = evfd_new();
		if (l->msix_fd[i] < 0)
			return l->msix_fd[i];
	}
	err = vfio_irq_set_eventfds(&l->dev, VFIO_PCI_MSIX_IRQ_INDEX, 0, count,
				    l->msix_fd);
	if (err)
		return err;
	l->nr_msix = count;
	return 0;
}

int lio_intx_on(struct lio *l)
{
	if (l->intx_fd < 0)
		l->intx_fd = evfd_new();
	if (l->intx_fd < 0)
		return l->intx_fd;
	return vfio_irq_set_eventfds(&l->dev, VFIO_PCI_INTX_IRQ_INDEX, 0, 1,
				     &l->intx_fd);
}

void lio_irq_off(struct lio *l)
{
	unsigned int i;

	if (l->nr_msix)
		vfio_irq_disable(&l->dev, VFIO_PCI_MSIX_IRQ_INDEX);
	if (l->intx_fd >= 0)
		vfio_irq_disable(&l->dev, VFIO_PCI_INTX_IRQ_INDEX);
	for (i = 0; i < LEAPIO_MAX_IOQ + 1; i++)
		evfd_close(&l->msix_fd[i]);
	evfd_close(&l->intx_fd);
	l->nr_msix = 0;
}
