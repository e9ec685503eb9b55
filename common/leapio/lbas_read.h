/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the region's lbas part (uapi/linux/leapio_region.h, minor 4:
 * the LBAs reads fail on, which the runtime publishes) from the other
 * side: the driver's Get LBA Status and LBA Status Information log.
 * Pure logic, in the module and the unit tests.
 */
#ifndef LEAPIO_LBAS_READ_H
#define LEAPIO_LBAS_READ_H

#include "lio_env.h"
#include "../../uapi/linux/leapio_region.h"

/* Copies taken while the runtime rewrites the part before giving up. */
#define LEAPIO_LBAS_TRIES	64

/* nlb LBAs from slba. */
struct leapio_lba_range {
	u64	slba;
	u64	nlb;
};

/* What a read found of one namespace's set. */
struct leapio_lbas_info {
	u32	gen;		/* the part's generation */
	u32	n;		/* ranges copied */
	u32	total;		/* the namespace's extents */
	u64	blocks;		/* LBAs in them */
	u64	last_end;	/* the LBA after the last of them (0: none) */
};

/*
 * The part's rule for extent i (nsid, slba, nlb) after the one before,
 * which was of namespace *prev and ended at *end: non-empty, no wrap,
 * sorted by nsid then slba, neither overlapping nor touching. On true,
 * *prev and *end move to this one. The runtime checks a part it finds
 * with it, the driver every extent it reads.
 */
static inline bool leapio_lbas_ext_follows(u32 i, u32 nsid, u64 slba, u64 nlb,
					   u32 *prev, u64 *end)
{
	if (!nlb || slba + nlb < slba || nsid < *prev ||
	    (i && nsid == *prev && slba <= *end))
		return false;
	*prev = nsid;
	*end = slba + nlb;
	return true;
}

/*
 * Namespace nsid's extents that end after slba, in order, up to max of
 * them into r, and *info. A sequence-count read of memory the runtime
 * writes: copies taken while it rewrites the part are taken again, at
 * most LEAPIO_LBAS_TRIES times. 0; -EAGAIN: nothing to be had (no
 * runtime published yet, or every copy torn); -EINVAL: the part breaks
 * its own rules (unsorted, overlapping, empty, too many extents).
 */
int leapio_lbas_read(const struct leapio_lbas *l, u32 nsid, u64 slba,
		     struct leapio_lba_range *r, u32 max,
		     struct leapio_lbas_info *info);

#endif /* LEAPIO_LBAS_READ_H */
