/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Card mode: the DMA-engine interface, between guest memory (through the
 * host-DRAM window) and staging buffers in card DRAM. The first (and so
 * far only) implementation is the CPU's memcpy through both mappings; an
 * engine's turns each pointer back into its window or card-DRAM offset
 * (both are inside the card device's mappings) and queues a descriptor.
 * Either way the copy is done when copy() returns.
 */
#ifndef LEAPIOD_CARD_DMA_H
#define LEAPIOD_CARD_DMA_H

#include <stddef.h>

struct lio_dma;

struct lio_dma_ops {
	/* 0, or -EIO: the engine failed (the command gets a Data
	 * Transfer Error).
	 */
	int	(*copy)(struct lio_dma *d, void *dst, const void *src,
			size_t len);
};

struct lio_dma {
	const struct lio_dma_ops *ops;
	void	*priv;
	unsigned long long copies, bytes;	/* counted, for the tests */
};

extern const struct lio_dma_ops lio_dma_memcpy;

static inline int lio_dma_copy(struct lio_dma *d, void *dst, const void *src,
			       size_t len)
{
	int ret = d->ops->copy(d, dst, src, len);

	/* Pollers share the engine. */
	if (!ret) {
		__atomic_fetch_add(&d->copies, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&d->bytes, len, __ATOMIC_RELAXED);
	}
	return ret;
}

#endif /* LEAPIOD_CARD_DMA_H */
