// SPDX-License-Identifier: GPL-2.0
/*
 * leapiod's core under guest-controlled input: arbitrary SQEs (PRPs, PRP
 * lists and DSM ranges pointing anywhere), 32-bit doorbell values (trapped
 * writes and writes to the mmapped pages, for any queue, created or not),
 * Doorbell Buffer Config with shadow doorbell and EventIdx values the
 * guest writes into its memory, queues deleted (SQ and CQ) and created
 * again with other sizes, places and vectors, resets, guest memory
 * unmapped under the queues and mapped back, backend completions held
 * back and released in any order, and a hand-over asked for at any point
 * (the runtime must drain before it lets go, and then fetch nothing
 * more), against the fake host of the unit tests, whose MAP answers in
 * 2 MiB or 4 KiB leaves. ASan and UBSan report what goes wrong: the core
 * must touch guest memory only through checked translations. Whatever
 * the guest does, every request the core puts in the mailbox must pass
 * the driver's decoding (leapio_mbox_decode(), which the fake's KICK
 * runs): a refused one aborts.
 *
 * What the fake writes as the driver stays within what the controller
 * model lets a guest reach (queue sizes 2..MQES + 1, page-aligned queues,
 * an SQ only on a live CQ, a CQ deleted only when no SQ uses it): the
 * region's descriptors are the driver's word, the guest's memory and
 * doorbells are not.
 *
 * Every input starts from a fresh fake host and runtime and ends by
 * tearing them down, so no state is carried from one input to the next
 * and a crash input reproduces on its own (LeakSanitizer checks the
 * teardown).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit-rt/fake_host.h"
#include "fuzz_input.h"

#define SQ_GPA(q)	(0x10000ULL * (q))
#define CQ_GPA(q)	(0x80000ULL + 0x10000ULL * (q))
#define QSIZE		8
#define NR_IOQ		2
#define QMAX		1024		/* the model's CAP.MQES + 1 */


static void queues(struct fake_host *h)
{
	fh_create_cq(h, 1, CQ_GPA(1), QSIZE, 1, true);
	fh_create_sq(h, 1, SQ_GPA(1), QSIZE, 1);
	fh_create_cq(h, 2, CQ_GPA(2), QSIZE, 0, false);
	fh_create_sq(h, 2, SQ_GPA(2), QSIZE, 2);
}

/* The model refuses Delete I/O CQ while an SQ still completes into it. */
static bool cq_in_use(const struct fake_host *h, u16 cqid)
{
	u16 q;

	for (q = 1; q <= NR_IOQ; q++)
		if (h->r.sq[q].valid && h->r.sq[q].cqid == cqid)
			return true;
	return false;
}

/* The guest's write of a 32-bit value into guest memory, if it is there. */
static void gmem_put32(struct fake_host *h, u64 gpa, u32 val)
{
	__le32 v = cpu_to_le32(val);

	if (gpa <= FH_GMEM_SIZE - 4)
		memcpy(h->gmem + gpa, &v, 4);
}

/* One action of the program; false when the input ran out. */
static bool step(struct fake_host *h, struct prog *pr)
{
	struct nvme_sqe s;
	struct nvme_cqe c;
	uint8_t op, b[8];
	u16 q;
	u32 val, idx;
	u64 gpa;

	if (!take(pr, &op, 1))
		return false;
	q = 1 + (op >> 7);
	switch (op & 15) {
	case 0:		/* an SQE from the input */
		if (!take(pr, &s, sizeof(s)))
			return false;
		fh_submit(h, q, &s);
		break;
	case 1:
		fh_poll(h, 1 + (op >> 4 & 3));
		break;
	case 2:
		fh_release(h, op >> 4);
		break;
	case 3:
		while (fh_reap(h, q, &c))
			;
		break;
	case 4:		/* a 32-bit doorbell value, any queue's, trapped or not */
		if (!take(pr, b, 5))
			return false;
		idx = b[0] % (2 * (NR_IOQ + 1));
		val = b[1] | b[2] << 8 | b[3] << 16 | (u32)b[4] << 24;
		if (op & 0x10)
			leapio_wr_doorbell(&h->r, idx, val);
		else
			*leapio_db_ptr(&h->r, idx) = cpu_to_le32(val);
		break;
	case 5:		/* guest memory: lists, DSM ranges */
		if (!take(pr, b, 1) || pr->n < 8)
			return false;
		memcpy(h->gmem + 0x100000 + (b[0] << 6), pr->p, 8);
		pr->p += 8;
		pr->n -= 8;
		break;
	case 6:
		switch (op >> 4 & 3) {
		case 0:
			h->hold = !h->hold;
			break;
		case 1:	/* queues and data unmapped: held */
			fh_unmap(h, 0, 1ULL << 21);
			break;
		case 2:	/* mapped back; the fixed hole again */
			fh_map_back(h);
			h->hole_start = 0xc00000;
			h->hole_len = 0x100000;
			break;
		case 3:	/* Delete I/O SQ; the driver waits for the ack */
			fh_delete_sq(h, q);
			fh_poll(h, 2);
			break;
		}
		break;
	case 7:		/* reset and bring the queues back */
		fh_release(h, 0);
		fh_reset(h);
		fh_poll(h, 2);
		h->r.ctrl->state = LEAPIO_VDEV_READY;
		queues(h);
		break;
	case 8:		/* Doorbell Buffer Config: on at input pages, or off */
		if (!take(pr, b, 4))
			return false;
		if (op & 0x10)
			leapio_wr_put_dbbuf(&h->r, false, 0, 0);
		else
			leapio_wr_put_dbbuf(&h->r, true,
					    (u64)(b[0] | b[1] << 8) << 12,
					    (u64)(b[2] | b[3] << 8) << 12);
		fh_bump(h);
		break;
	case 9:		/* a shadow doorbell or EventIdx value, 32 bits */
		if (!take(pr, b, 5))
			return false;
		idx = b[0] % (2 * (NR_IOQ + 1));
		val = b[1] | b[2] << 8 | b[3] << 16 | (u32)b[4] << 24;
		gmem_put32(h, (op & 0x10 ? h->r.ctrl->dbbuf_eventidx :
			       h->r.ctrl->dbbuf_shadow) +
			   (u64)idx * LEAPIO_REGION_ALIGN, val);
		break;
	case 10:	/* Delete I/O CQ, when the model would let it go */
		if (cq_in_use(h, q))
			break;
		if (!leapio_wr_cq_invalidate(&h->r, q))
			fh_bump(h);
		fh_poll(h, 2);
		break;
	case 11:	/* Create I/O CQ: place, size, vector, interrupts */
		if (!take(pr, b, 5))
			return false;
		if (h->r.cq[q].valid)
			break;
		fh_create_cq(h, q, (u64)(b[0] | (b[1] & 0xf) << 8) << 12,
			     2 + (b[2] | b[3] << 8) % (QMAX - 1),
			     b[4] % (NR_IOQ + 1), b[4] & 0x80);
		break;
	case 12:	/* Create I/O SQ: anywhere in guest memory, on a live CQ */
		if (!take(pr, b, 4))
			return false;
		idx = 1 + (b[3] & 1);
		gpa = (u64)(b[0] | (b[1] & 0xf) << 8) << 12;
		val = 2 + (b[2] | (b[3] >> 1) << 8) % (QMAX - 1);
		/* the fake guest writes its SQEs there: in its memory */
		if (h->r.sq[q].valid || !h->r.cq[idx].valid ||
		    gpa + (u64)val * 64 > FH_GMEM_SIZE)
			break;
		fh_create_sq(h, q, gpa, val, idx);
		break;
	case 13:	/* an unmap of input pages */
		if (!take(pr, b, 2))
			return false;
		fh_unmap(h, (u64)b[0] << 16, (u64)(b[1] + 1) << 12);
		break;
	case 14:	/* a hand-over: the driver asks; the runtime lets go */
		if (!(op & 0x10)) {
			leapio_wr_put_let_go(&h->r, true);
			fh_bump(h);
			break;
		}
		if (!lio_vdev_let_go(&h->v))
			break;
		/* Acked: nothing was at the backend, and nothing more is
		 * fetched, whatever the SQs still hold. The runtime detaches:
		 * the program ends here.
		 */
		fh_poll(h, 2);
		if (h->v.inflight)
			abort();
		return false;
	default:
		fh_poll(h, 1);
		break;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake_host *h = malloc(sizeof(*h));
	struct prog pr = { data, size };

	if (!h)
		return 0;
	fh_init(h, NR_IOQ, 4096, 9);
	/* Translations in 2 MiB leaves, 4 KiB ones or both (by length). */
	h->map_mode = (enum fh_map_mode)(size % 3);
	h->hole_start = 0xc00000;
	h->hole_len = 0x100000;
	queues(h);
	fh_poll(h, 2);
	while (step(h, &pr))
		;
	h->hold = false;
	fh_release(h, 0);
	fh_poll(h, 2);
	fh_release(h, 0);
	if (h->bad_reqs)
		abort();
	fh_fini(h);
	free(h);
	return 0;
}
