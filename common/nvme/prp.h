/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Walking an NVMe command's PRP1/PRP2 data pointer: pure logic shared by
 * the host module's admin path and the user-space data path. The walker
 * does no memory access itself: the caller reads PRP list pages and takes
 * the (guest address, length) segments.
 */
#ifndef LEAPIO_NVME_PRP_H
#define LEAPIO_NVME_PRP_H

#include "lio_env.h"
#include "nvme_spec.h"

struct nvme_prp_walk {
	u64	prp1;
	u64	prp2;
	u32	len;		/* bytes the command transfers */
	u32	page_size;	/* CC.MPS, a power of two >= 4096 */
	/* Read n 8-byte entries of a PRP list at gpa: 0 or -errno. */
	int	(*read_list)(void *ctx, u64 gpa, __le64 *entries, u32 n);
	/* One contiguous piece of the transfer, in order: 0 or -errno. */
	int	(*segment)(void *ctx, u64 gpa, u32 len);
	void	*ctx;
};

/*
 * Returns an NVMe status: success, PRP Offset Invalid for a misaligned
 * entry, Data Transfer Error when a callback fails. On error *err_loc is
 * the SQE byte offset of the PRP entry at fault (PRP2 for anything found
 * through a list). PRP1 and PRP2 are checked before the first segment;
 * list entries are checked as they are read, so a bad one part-way
 * through comes after the segments before it (the command's buffer is
 * then undefined, as the spec allows).
 */
u16 nvme_prp_walk(const struct nvme_prp_walk *w, u16 *err_loc);

#endif /* LEAPIO_NVME_PRP_H */
