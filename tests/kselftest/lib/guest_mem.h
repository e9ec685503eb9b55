/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "Guest memory": one anonymous buffer DMA-mapped at a fixed IOVA, handed
 * out page-aligned by a bump allocator. Addresses given to the device are
 * IOVAs (the guest-physical addresses a VM would use).
 */
#ifndef LEAPIO_KSFT_GUEST_MEM_H
#define LEAPIO_KSFT_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vfio_client.h"

/*
 * Away from 0 so that a device bug using address 0 faults instead of
 * hitting memory; and an IOVA range that is never mapped, for Data
 * Transfer Error tests, right above the mapping.
 */
#define GMEM_IOVA_BASE		0x10000000ULL
#define GMEM_DEFAULT_SIZE	(8U << 20)
#define GMEM_PAGE		4096U

struct gmem {
	struct vfio_dev	*dev;
	uint8_t		*base;
	uint64_t	iova;
	size_t		size;
	size_t		used;
	int		mapped;
	bool		carved;		/* a part of another's: not ours to free */
};

/* mmap size bytes and MAP_DMA them at iova. */
int gmem_init(struct gmem *m, struct vfio_dev *dev, uint64_t iova, size_t size);
/*
 * The same from a memfd, MAP_SHARED: guest memory a host-mode runtime can
 * map through /dev/leapio (only pages of a file can be), as QEMU's
 * memory-backend-memfd,share=on gives it.
 */
int gmem_init_memfd(struct gmem *m, struct vfio_dev *dev, uint64_t iova,
		    size_t size);
void gmem_fini(struct gmem *m);
/*
 * size bytes of whole (a multiple of pages) as a buffer of their own, in
 * the same DMA mapping: two devices of one VFIO container then have
 * memory that one unmap takes from both. gmem_fini() of the part only
 * forgets it.
 */
int gmem_carve(struct gmem *part, struct gmem *whole, size_t size);

/* size bytes, zeroed, aligned to align (a power of two, >= 1); NULL when
 * the buffer is exhausted. *iova receives the device address.
 */
void *gmem_alloc(struct gmem *m, size_t size, size_t align, uint64_t *iova);
/* Pages: gmem_alloc(m, size, GMEM_PAGE, iova). */
void *gmem_alloc_pages(struct gmem *m, size_t size, uint64_t *iova);

uint64_t gmem_iova(const struct gmem *m, const void *p);
void *gmem_ptr(const struct gmem *m, uint64_t iova);	/* NULL outside */

/* An IOVA the container has never mapped. */
uint64_t gmem_unmapped_iova(const struct gmem *m);

#endif /* LEAPIO_KSFT_GUEST_MEM_H */
