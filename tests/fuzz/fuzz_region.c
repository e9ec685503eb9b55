// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the host driver's side of what a runtime writes into
 * the shared region, built as plain C from the same files the module is
 * built from. The input is a runtime's mailbox (prod, the driver's cons
 * and the 64 messages: common/leapio/mbox_decode.c, as
 * kernel/host/mbox.c's KICK reads it) and the runtime's SQ counters the
 * driver folds into SMART (common/leapio/region_writer.c). ASan and UBSan
 * watch the reading; the decoder's promises are checked on what it
 * accepts: a vector the MSI-X table has, an AEN that is a doorbell
 * error event, an error on an I/O SQ with a failure status, no phase bit
 * and a location inside the command, a format's answer without the phase
 * bit, rsvd 0 but for errors, an unknown op refused.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/leapio/mbox_decode.h"
#include "../../common/leapio/region_writer.h"

static void check(const struct leapio_mbox_req *req, u64 rsvd, u16 nr_ioq)
{
	if (req->op != LEAPIO_MBOX_ERROR && rsvd)
		abort();
	switch (req->op) {
	case LEAPIO_MBOX_MAP:
	case LEAPIO_MBOX_FATAL:
		break;
	case LEAPIO_MBOX_IRQ:
		if (req->vector > nr_ioq)
			abort();
		break;
	case LEAPIO_MBOX_AEN:
		/* Error type, Error Information log page, nothing else. */
		if ((req->aen & 7) != NVME_AER_TYPE_ERROR ||
		    ((req->aen >> 16) & 0xff) != NVME_LOG_ERROR ||
		    (req->aen & 0xff0000f8U))
			abort();
		break;
	case LEAPIO_MBOX_ERROR:
		if (!req->err.sqid || req->err.sqid > nr_ioq ||
		    !(req->err.status & NVME_STATUS(7, 0xff)) ||
		    (req->err.status & 1) ||
		    (req->err.loc != NVME_ERR_LOC_NONE &&
		     (req->err.loc & 0xff) >= NVME_SQE_SIZE))
			abort();
		break;
	case LEAPIO_MBOX_NS_GROW:
		/*
		 * Whole 512-byte blocks, within what a file offset holds, of
		 * a namespace the table can have (the driver indexes by it).
		 */
		if (!req->ns_grow.size || req->ns_grow.size % 512 ||
		    req->ns_grow.size > LEAPIO_NS_SIZE_MAX ||
		    !req->ns_grow.nsid || req->ns_grow.nsid > LEAPIO_MAX_NS)
			abort();
		break;
	case LEAPIO_MBOX_FORMAT_DONE:
	case LEAPIO_MBOX_NS_CREATED:
		/* A status without the phase bit; which request, the model. */
		if (req->format.status & 1)
			abort();
		break;
	default:	/* accepted an op the driver does not know */
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct leapio_region_hdr hdr;
	struct leapio_region_view v;
	struct leapio_wr w = {};
	struct leapio_wr_smart s = {};
	struct leapio_mbox_req req;
	struct leapio_mbox *mb;
	u32 cons, nr, i;
	u16 nr_ioq, q;
	void *region;
	u64 region_size;
	int n;

	if (size < 3)
		return 0;
	/* 1..16 I/O queue pairs, as the mdev types offer. */
	nr_ioq = 1 + (data[0] & 15);
	region_size = leapio_region_layout(&hdr, nr_ioq, 8, 1);
	region = aligned_alloc(4096, region_size);
	if (!region)
		return 0;
	memset(region, 0, region_size);
	memcpy(region, &hdr, sizeof(hdr));
	leapio_region_view(&v, region);
	/* The runtime's side of the region, byte for byte from the input. */
	mb = v.mbox;
	memcpy(mb, data + 1, size - 1 < sizeof(*mb) ? size - 1 : sizeof(*mb));
	if (size - 1 > sizeof(*mb)) {
		size_t sq = (nr_ioq + 1) * sizeof(v.sq[0]);
		size_t rest = size - 1 - sizeof(*mb);

		memcpy(v.sq, data + 1 + sizeof(*mb), rest < sq ? rest : sq);
	}
	/* The driver's cons, kept by the driver: the input's, for the wrap. */
	cons = READ_ONCE(mb->cons);
	n = leapio_mbox_pending(cons, READ_ONCE(mb->prod));
	nr = n < 0 ? 0 : n;
	if (n > LEAPIO_MBOX_ENTRIES)
		abort();
	for (i = 0; i < nr; i++, cons++) {
		struct leapio_mbox_msg *m = &mb->msg[cons % LEAPIO_MBOX_ENTRIES];
		int ret;

		ret = leapio_mbox_decode(READ_ONCE(m->op), READ_ONCE(m->arg0),
					 READ_ONCE(m->arg1), READ_ONCE(m->rsvd),
					 nr_ioq, &req);
		if (!ret)
			check(&req, READ_ONCE(m->rsvd), nr_ioq);
		else if (ret != -EINVAL)
			abort();
		WRITE_ONCE(m->result, ret);
	}
	/* SMART: live SQs' counters and those of SQs gone, any qid asked. */
	for (q = 0; q <= nr_ioq + 1; q++) {
		if (leapio_wr_smart_sq(&v, q, &s) != (q && q <= nr_ioq ? 0 : -EINVAL))
			abort();
		if (leapio_wr_fold_sq(&w, &v, q) != (q && q <= nr_ioq ? 0 : -EINVAL))
			abort();
	}
	leapio_wr_smart_gone(&w, &s);
	free(region);
	return 0;
}
