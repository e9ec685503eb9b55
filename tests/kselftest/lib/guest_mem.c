// SPDX-License-Identifier: GPL-2.0
/* "Guest memory" for the VFIO client; see guest_mem.h. */
#define _GNU_SOURCE	/* memfd_create */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest_mem.h"

/* Map p (size bytes, ours) for the device at iova, and remember it. */
static int gmem_map(struct gmem *m, struct vfio_dev *dev, void *p,
		    uint64_t iova, size_t size)
{
	int err;

	madvise(p, size, MADV_DONTFORK);
	err = vfio_dma_map(dev, p, iova, size);
	if (err) {
		munmap(p, size);
		return err;
	}
	m->dev = dev;
	m->base = p;
	m->iova = iova;
	m->size = size;
	m->mapped = 1;
	return 0;
}

int gmem_init(struct gmem *m, struct vfio_dev *dev, uint64_t iova, size_t size)
{
	void *p;

	memset(m, 0, sizeof(*m));
	if (size == 0 || size % GMEM_PAGE || iova % GMEM_PAGE)
		return -EINVAL;
	/* MAP_POPULATE: pinning by the vendor driver then never faults pages
	 * in underneath a test's timing; MADV_DONTFORK keeps the harness's
	 * fork()s from making the pinned pages copy-on-write.
	 */
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	return gmem_map(m, dev, p, iova, size);
}

int gmem_init_memfd(struct gmem *m, struct vfio_dev *dev, uint64_t iova,
		    size_t size)
{
	void *p;
	int fd, err;

	memset(m, 0, sizeof(*m));
	if (size == 0 || size % GMEM_PAGE || iova % GMEM_PAGE)
		return -EINVAL;
	fd = memfd_create("leapio-guest", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size)) {
		err = -errno;
		close(fd);
		return err;
	}
	/* The mapping keeps the file; MADV_DONTFORK as in gmem_init(). */
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		 fd, 0);
	err = p == MAP_FAILED ? -errno : 0;
	close(fd);
	if (err)
		return err;
	return gmem_map(m, dev, p, iova, size);
}

int gmem_carve(struct gmem *part, struct gmem *whole, size_t size)
{
	uint64_t iova;
	void *p;

	memset(part, 0, sizeof(*part));
	if (!size || size % GMEM_PAGE)
		return -EINVAL;
	p = gmem_alloc_pages(whole, size, &iova);
	if (!p)
		return -ENOMEM;
	part->dev = whole->dev;
	part->base = p;
	part->iova = iova;
	part->size = size;
	part->mapped = whole->mapped;
	part->carved = true;
	return 0;
}

void gmem_fini(struct gmem *m)
{
	if (!m->base)
		return;
	if (m->carved) {
		memset(m, 0, sizeof(*m));
		return;
	}
	if (m->mapped && vfio_is_open(m->dev))
		vfio_dma_unmap(m->dev, m->iova, m->size);
	munmap(m->base, m->size);
	memset(m, 0, sizeof(*m));
}

void *gmem_alloc(struct gmem *m, size_t size, size_t align, uint64_t *iova)
{
	size_t start;
	void *p;

	if (!align || (align & (align - 1)))
		return NULL;
	start = (m->used + align - 1) & ~(align - 1);
	if (start > m->size || size > m->size - start)
		return NULL;
	m->used = start + size;
	p = m->base + start;
	memset(p, 0, size);
	if (iova)
		*iova = m->iova + start;
	return p;
}

void *gmem_alloc_pages(struct gmem *m, size_t size, uint64_t *iova)
{
	return gmem_alloc(m, size, GMEM_PAGE, iova);
}

uint64_t gmem_iova(const struct gmem *m, const void *p)
{
	return m->iova + (uint64_t)((const uint8_t *)p - m->base);
}

void *gmem_ptr(const struct gmem *m, uint64_t iova)
{
	if (iova < m->iova || iova - m->iova >= m->size)
		return NULL;
	return m->base + (iova - m->iova);
}

uint64_t gmem_unmapped_iova(const struct gmem *m)
{
	/* A gigabyte above the mapping: the container maps nothing else. */
	return m->iova + m->size + (1ULL << 30);
}
