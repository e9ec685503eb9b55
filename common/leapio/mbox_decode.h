/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The driver's reading of the runtime's mailbox (struct leapio_mbox in
 * uapi/linux/leapio_region.h): how many requests are waiting, and each
 * request decoded and checked. Everything in the mailbox is the
 * runtime's to get wrong, so this is pure logic over values the caller
 * read once: built into the host module (kernel/host/mbox.c, which keeps
 * the locking and carries the requests out) and into the fuzzer
 * (tests/fuzz/fuzz_region.c).
 */
#ifndef LEAPIO_MBOX_DECODE_H
#define LEAPIO_MBOX_DECODE_H

#include "region_layout.h"
#include "../nvme/io_cmd.h"
#include "../../uapi/linux/leapio.h"

/* One request, checked: op says which member holds its arguments. */
struct leapio_mbox_req {
	u32	op;		/* enum leapio_mbox_op */
	union {
		struct {
			u64	gpa;
			u64	len;
		} map;		/* checked by the pinning code */
		u16	vector;	/* 0..nr_ioq */
		u32	aen;	/* Asynchronous Event dword 0 */
		struct {
			u64	size;	/* bytes */
			u32	nsid;	/* 1..LEAPIO_MAX_NS */
		} ns_grow;	/* LEAPIO_MBOX_NS_GROW */
		struct nvme_io_error err;
		struct {
			u32	gen;
			u16	status;	/* phase bit 0 */
		} format;	/* LEAPIO_MBOX_FORMAT_DONE, _NS_CREATED */
	};
};

/*
 * Requests between the driver's cons and the runtime's prod (both free
 * running), or -EINVAL when prod claims more than the ring holds.
 */
int leapio_mbox_pending(u32 cons, u32 prod);

/*
 * Decode request op (arg0, arg1, rsvd as the runtime wrote them) for a
 * controller with nr_ioq I/O queue pairs into *req. 0, or -EINVAL for an
 * unknown op or arguments out of range (*req is then undefined).
 */
int leapio_mbox_decode(u32 op, u64 arg0, u64 arg1, u64 rsvd, u16 nr_ioq,
		       struct leapio_mbox_req *req);

#endif /* LEAPIO_MBOX_DECODE_H */
