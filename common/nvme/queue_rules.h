/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rules of a controller's queues that both the controller model
 * (kernel/host/vctrl/queue.c) and leapiod (runtime/core/) apply: which
 * doorbell values are valid, and how a completion queue entry is built
 * and made visible. Pure functions over the queue's numbers, inline and
 * without a division: leapiod runs them for every command.
 *
 * Each side keeps its own way of storing an entry into guest memory (the
 * model through its DMA callbacks, leapiod by a release store); both
 * store the entry's last dword, which holds the phase tag, after the rest,
 * so that a host polling the queue never sees a new phase tag with old
 * contents.
 */
#ifndef LEAPIO_NVME_QUEUE_RULES_H
#define LEAPIO_NVME_QUEUE_RULES_H

#include "lio_env.h"
#include "nvme_spec.h"

/* The Asynchronous Event a bad doorbell value is reported with. */
#define NVME_AEN_INVALID_DB_VAL \
	NVME_AER_DW0(NVME_AER_TYPE_ERROR, NVME_AER_ERROR_INVALID_DB_VAL, \
		     NVME_LOG_ERROR)

/* The slot after idx in a queue of size entries. */
static inline u16 nvme_q_next(u16 idx, u16 size)
{
	return idx + 1 == size ? 0 : idx + 1;
}

/* Entries from head up to tail (exclusive) in a queue of size entries. */
static inline u16 nvme_q_used(u16 head, u16 tail, u16 size)
{
	return tail >= head ? tail - head : tail + size - head;
}

/* A queue whose tail is one behind its head holds size - 1: it is full. */
static inline bool nvme_q_full(u16 head, u16 tail, u16 size)
{
	return nvme_q_next(tail, size) == head;
}

/*
 * A doorbell value naming an entry of a queue of size entries. A doorbell
 * is a 32-bit register whose value is bits 15:0; bits 31:16 are reserved,
 * which the host writes as 0. A value with any of them set names no entry
 * (it is an Invalid Doorbell Write Value, not its low 16 bits): so for
 * the register (the model), the mmapped doorbell page and the shadow
 * doorbell (leapiod), each read whole as 32 bits. An invalid value is
 * told by an Asynchronous Event (NVME_AEN_INVALID_DB_VAL) and has no
 * other effect: the queue goes on from its last valid value.
 */
static inline bool nvme_db_in_queue(u16 size, u32 val)
{
	return !(val >> 16) && val < size;
}

/* An SQ tail doorbell value: any entry of the queue. */
static inline bool nvme_sq_tail_valid(u16 size, u32 val)
{
	return nvme_db_in_queue(size, val);
}

/*
 * A CQ head doorbell value, the CQ's head being head and its tail (the
 * next slot the controller writes) tail: an entry of the queue that
 * releases only entries the controller posted, i.e. within [head, tail]
 * going round the queue.
 */
static inline bool nvme_cq_head_valid(u16 size, u16 head, u16 tail, u32 val)
{
	if (!nvme_db_in_queue(size, val))
		return false;
	return nvme_q_used(head, (u16)val, size) <= nvme_q_used(head, tail, size);
}

/*
 * The last dword of a CQE: CID, and the status with the phase tag (0 or
 * 1) in bit 0, where a status keeps no bit of its own.
 */
static inline __le32 nvme_cqe_dw3(u16 cid, u16 status, u8 phase)
{
	return cpu_to_le32((u32)cid | (u32)((status & ~1U) | phase) << 16);
}

/* Offset of that dword: bytes before it are stored first. */
#define NVME_CQE_DW3	12

/* Bytes 0-11 of a CQE: the command's dword 0, the SQ and its head. */
static inline void nvme_cqe_fill_head(struct nvme_cqe *e, u32 dw0,
				      u16 sq_head, u16 sqid)
{
	e->dw0 = cpu_to_le32(dw0);
	e->dw1 = 0;
	e->sq_head = cpu_to_le16(sq_head);
	e->sq_id = cpu_to_le16(sqid);
}

/*
 * A whole CQE in e. Storing it, the caller stores bytes 0-11 first and
 * then the last dword, nvme_cqe_dw3().
 */
static inline void nvme_cqe_build(struct nvme_cqe *e, u32 dw0, u16 sq_head,
				  u16 sqid, u16 cid, u16 status, u8 phase)
{
	nvme_cqe_fill_head(e, dw0, sq_head, sqid);
	/* The last dword, as nvme_cqe_dw3() has it. */
	e->cid = cpu_to_le16(cid);
	e->status = cpu_to_le16((status & ~1U) | phase);
}

#endif /* LEAPIO_NVME_QUEUE_RULES_H */
