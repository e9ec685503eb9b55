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

/*
 * An Asynchronous Event the runtime may ask for: an error event about a
 * doorbell write it found bad (the only ones it can see), naming the
 * Error Information log, with dword 0's reserved bits (7:3, 31:24) 0.
 * Anything else would let a runtime make up events the controller never
 * had (SMART, notices) or ones of no log page.
 */
static bool leapio_mbox_aen_ok(u64 dw0)
{
	return dw0 == NVME_AER_DW0(NVME_AER_TYPE_ERROR,
				   NVME_AER_ERROR_INVALID_DB_REG, NVME_LOG_ERROR) ||
	       dw0 == NVME_AER_DW0(NVME_AER_TYPE_ERROR,
				   NVME_AER_ERROR_INVALID_DB_VAL, NVME_LOG_ERROR);
}

/*
 * A Parameter Error Location: none (FFFFh), or a byte of the 64-byte
 * command and a bit of it, bits 15:11 reserved.
 */
static bool leapio_mbox_loc_ok(u16 loc)
{
	return loc == NVME_ERR_LOC_NONE ||
	       (!(loc & 0xf800) && (loc & 0xff) < NVME_SQE_SIZE);
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
	/*
	 * An I/O SQ; a failure: a status code or type that is not success
	 * (DNR, More or CRD alone are not one); no phase bit; a location
	 * the command has; rsvd [63:32] 0.
	 */
	if (!e->sqid || e->sqid > nr_ioq ||
	    !(e->status & NVME_STATUS(7, 0xff)) || (e->status & 1) ||
	    !leapio_mbox_loc_ok(e->loc) || rsvd >> 32)
		return -EINVAL;
	return 0;
}

int leapio_mbox_decode(u32 op, u64 arg0, u64 arg1, u64 rsvd, u16 nr_ioq,
		       struct leapio_mbox_req *req)
{
	req->op = op;
	/* rsvd is an argument of LEAPIO_MBOX_ERROR only, 0 for the rest. */
	if (op != LEAPIO_MBOX_ERROR && rsvd)
		return -EINVAL;
	switch (op) {
	case LEAPIO_MBOX_MAP:
		req->map.gpa = arg0;
		req->map.len = arg1;
		return 0;
	case LEAPIO_MBOX_IRQ:
		/* Vectors 0..nr_ioq: the MSI-X table's size. */
		if (arg0 > nr_ioq || arg1)
			return -EINVAL;
		req->vector = arg0;
		return 0;
	case LEAPIO_MBOX_AEN:
		if (!leapio_mbox_aen_ok(arg0) || arg1)
			return -EINVAL;
		req->aen = arg0;
		return 0;
	case LEAPIO_MBOX_FATAL:
		if (arg0 || arg1)
			return -EINVAL;
		return 0;
	case LEAPIO_MBOX_ERROR:
		return leapio_mbox_error(arg0, arg1, rsvd, nr_ioq, &req->err);
	case LEAPIO_MBOX_NS_GROW:
		/* The LBA size and the namespace are the model's to judge. */
		if (!arg0 || arg0 % 512 || arg0 > LEAPIO_NS_SIZE_MAX ||
		    arg1 > LEAPIO_MAX_NS)
			return -EINVAL;
		req->ns_grow.size = arg0;
		req->ns_grow.nsid = arg1 ? (u32)arg1 : 1;
		return 0;
	case LEAPIO_MBOX_FORMAT_DONE:
	case LEAPIO_MBOX_NS_CREATED:
		/* Which request, and whether the status suits, the model judges. */
		if (arg0 > U32_MAX || arg1 > 0xffff || (arg1 & 1))
			return -EINVAL;
		req->format.gen = (u32)arg0;
		req->format.status = (u16)arg1;
		return 0;
	default:
		return -EINVAL;
	}
}
