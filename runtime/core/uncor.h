/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Write Uncorrectable's marks on one namespace: the LBAs whose reads
 * fail with Unrecovered Read Error until they are written again. The
 * marks are part of the namespace's content, so they are kept where the
 * data outlives leapiod: a file in its state directory (state_dir.h),
 * "uncor-<vdev UUID>-<NSID>", rewritten (to a temporary file, fsync,
 * rename) before the command that changed them completes. The file
 * names the backend it was made for: marks for another are dropped.
 *
 * In memory: sorted, disjoint, non-adjacent extents. Every change is
 * made on a copy that replaces the set only once the file has it, so a
 * failed write leaves memory and file as they were.
 */
#ifndef LEAPIOD_UNCOR_H
#define LEAPIOD_UNCOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The most extents a namespace keeps: a guest marking every other block
 * gets Capacity Exceeded beyond it, not a file of gigabytes.
 */
#define LIO_UNCOR_MAX_EXTENTS	4096

struct lio_uncor_ext {
	uint64_t	lo, hi;		/* [lo, hi) */
};

struct lio_uncor {
	struct lio_uncor_ext *x;
	uint32_t	n;
	char		*path;		/* NULL: kept in memory only */
	char		*backend;	/* what the file says it is for */
	/* The file was for another backend: its marks, and any copy of
	 * them elsewhere (the region's), are not this backend's.
	 */
	bool		other_backend;
	/* After every change the file has: the region's copy (lbas.c). */
	void		(*changed)(const struct lio_uncor *u, void *ctx);
	void		*changed_ctx;
};

/*
 * The marks of namespace nsid of vdev uuid on backend, from the state
 * directory when a file is there. 0, or -errno with a sentence in err
 * (a file that cannot be read or parsed: nothing is guessed).
 */
int lio_uncor_open(struct lio_uncor *u, const char *uuid, uint32_t nsid,
		   const char *backend, char *err, size_t errlen);
/* Only in memory (tests, and what has no UUID). */
void lio_uncor_init_mem(struct lio_uncor *u);
void lio_uncor_close(struct lio_uncor *u);

/* Any mark in [slba, slba + nlb)? *first the lowest marked LBA there. */
bool lio_uncor_find(const struct lio_uncor *u, uint64_t slba, uint64_t nlb,
		    uint64_t *first);

static inline bool lio_uncor_any(const struct lio_uncor *u)
{
	return u->n != 0;
}

/*
 * Mark or clear [slba, slba + nlb), kept before returning: 0, -ENOSPC
 * past LIO_UNCOR_MAX_EXTENTS, -ENOMEM, or the file's -errno. Nothing
 * changes on failure. Clearing what holds no mark writes nothing.
 */
int lio_uncor_mark(struct lio_uncor *u, uint64_t slba, uint64_t nlb);
int lio_uncor_clear(struct lio_uncor *u, uint64_t slba, uint64_t nlb);

/*
 * Make x[0..n) the set (copied; sorted, disjoint, non-adjacent, non-empty
 * extents, else -EINVAL), kept before returning as by lio_uncor_mark().
 */
int lio_uncor_set(struct lio_uncor *u, const struct lio_uncor_ext *x,
		  uint32_t n);

/* The namespace moved to another backend, its marks with it: 0/-errno. */
int lio_uncor_rebind(struct lio_uncor *u, const char *backend);

#endif /* LEAPIOD_UNCOR_H */
