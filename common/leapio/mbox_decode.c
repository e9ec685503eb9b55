// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's reading of the runtime's mailbox: see mbox_decode.h.
 */
#include "mbox_decode.h"

int leapio_mbox_pending(u32 cons, u32 prod)
{
	/* Free-running counters: the difference is right across a wrap. */
	if (prod - cons > LEAPIO_MBOX_ENTRIES)
		return -EINVAL;
	return prod - cons;
}

/* LEAPIO_MBOX_ERROR: the fields as the uapi header lays them out. */
static int leapio_mbox_error(u64 arg0, u64 arg1, u64 rsvd, u16 nr_ioq,
			     struct nvme_io_error *e)
{
	e->sqid = arg0 & 0xffff;
	e->cid = (arg0 >> 16) & 0xffff;
	e->status = (arg0 >> 32) & 0xffff;
	e->loc = arg0 >> 48;
	e->lba = arg1;
	e->nsid = (u32)rsvd;
	/* An I/O SQ, a failure (not success), no phase bit, rsvd [63:32] 0. */
	if (!e->sqid || e->sqid > nr_ioq || !e->status || (e->status & 1) ||
	    rsvd >> 32)
		return -EINVAL;
	return 0;
}

int leapio_mbox_decode(u32 op, u64 arg0, u64 arg1, u64 rsvd, u16 nr_ioq,
		       struct leapio_mbox_req *req)
{
	req->op = op;
	switch (op) {
	case LEAPIO_MBOX_MAP:
		req->map.gpa = arg0;
		req->map.len = arg1;
		return 0;
	case LEAPIO_MBOX_IRQ:
		/* Vectors 0..nr_ioq: the MSI-X table's size. */
		if (arg0 > nr_ioq)
			return -EINVAL;
		req->vector = arg0;
		return 0;
	case LEAPIO_MBOX_AEN:
		if (arg0 >> 32)
			return -EINVAL;
		req->aen = arg0;
		return 0;
	case LEAPIO_MBOX_FATAL:
		return 0;
	case LEAPIO_MBOX_ERROR:
		return leapio_mbox_error(arg0, arg1, rsvd, nr_ioq, &req->err);
	default:
		return -EINVAL;
	}
}
