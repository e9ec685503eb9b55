/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the backends see of a poller's io_uring (struct lio_ring): take an
 * SQE, fill it, commit it with the struct lio_io it carries. Private to
 * runtime/backend/; the core only uses backend.h.
 */
#ifndef LEAPIOD_RING_INTERNAL_H
#define LEAPIOD_RING_INTERNAL_H

#include <liburing.h>

#include "backend.h"

struct lio_ring {
	struct io_uring	uring;
	bool		big;		/* SQE128 | CQE32 */
	unsigned int	inflight;	/* committed, not yet reaped */
	/* Never more in flight than the CQ holds: an overflowing CQ makes
	 * the kernel buffer completions and io_uring_enter return -EBUSY.
	 */
	unsigned int	max_inflight;
};

/*
 * How the reaper turns a CQE's res into lio_io.res: a byte count that
 * must equal io->len (READ, WRITE), 0 on success (everything else), or
 * an NVMe status from a passthrough command.
 */
enum lio_ring_res {
	LIO_RES_BYTES,
	LIO_RES_ZERO,
	LIO_RES_NVME,
};

/*
 * A zeroed SQE to fill, or NULL when the SQ ring or the CQ budget is full
 * (the caller returns -EAGAIN). Every SQE taken must be committed: the
 * SQ tail has moved already.
 */
struct io_uring_sqe *lio_ring_sqe(struct lio_ring *r);
void lio_ring_commit(struct lio_ring *r, struct io_uring_sqe *sqe,
		     struct lio_io *io, enum lio_ring_res kind);

#endif /* LEAPIOD_RING_INTERNAL_H */
