/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A batch of commands on one I/O queue, the unit that the fault and
 * hand-over tests hold at the backend (lib/dm_delay.h), fault around and
 * let go: writes at even k, reads of data written beforehand at odd k,
 * each of DPB_PAGES guest pages at LBAs of their own (a queue's batches
 * never overlap another queue's). Every command must complete exactly
 * once, with success; what completed is then checked against the data.
 *
 * The includer defines DPB_CMDS (commands per batch, even) and DPB_PAGES
 * (pages per command) before including this header after lio_dp.h.
 */
#ifndef LEAPIO_KSFT_LIO_DP_BATCH_H
#define LEAPIO_KSFT_LIO_DP_BATCH_H

#include <stdbool.h>
#include <unistd.h>

#include "lio_dp.h"
#include "dm_delay.h"
#include "clock.h"

#if !defined(DPB_CMDS) || !defined(DPB_PAGES)
#error "define DPB_CMDS and DPB_PAGES before including lio_dp_batch.h"
#endif

#define DPB_BYTES	(DPB_PAGES * GMEM_PAGE)

struct batch {
	uint16_t	qid;
	uint8_t		*buf;		/* DPB_CMDS commands of DPB_BYTES */
	uint64_t	iova;
	uint32_t	seed0;
	int		cid[DPB_CMDS];
	unsigned int	done[DPB_CMDS];	/* CQEs seen per command */
};

/* Blocks per guest page. */
static inline uint32_t bpp(struct dp *dp)
{
	return GMEM_PAGE >> dp->io.lba_shift;
}

static inline bool is_write(unsigned int k)
{
	return !(k & 1);
}

static inline uint64_t batch_lba(struct dp *dp, const struct batch *b,
				 unsigned int k)
{
	return ((uint64_t)b->qid * DPB_CMDS + k) * DPB_PAGES * bpp(dp);
}

static inline uint8_t *batch_buf(const struct batch *b, unsigned int k)
{
	return b->buf + (size_t)k * DPB_BYTES;
}

static inline uint64_t batch_iova(const struct batch *b, unsigned int k)
{
	return b->iova + (uint64_t)k * DPB_BYTES;
}

/*
 * Prepare: write the reads' data now (synchronously, acknowledged), fill
 * the write buffers, poison the read buffers. A batch prepared again keeps
 * its buffers: guest memory is a bump allocator.
 */
static inline void batch_prep(struct __test_metadata *_metadata, struct dp *dp,
			      struct batch *b, uint16_t qid, uint32_t seed0)
{
	unsigned int k;

	if (!b->buf)
		b->buf = gmem_alloc_pages(&dp->l.mem, (size_t)DPB_CMDS * DPB_BYTES,
					  &b->iova);
	ASSERT_NE(NULL, b->buf);
	b->qid = qid;
	b->seed0 = seed0;
	memset(b->done, 0, sizeof(b->done));
	for (k = 0; k < DPB_CMDS; k++) {
		b->cid[k] = -1;
		nio_fill(batch_buf(b, k), DPB_BYTES, seed0 + k);
		if (is_write(k))
			continue;
		DP_RW_OK(dp, qid, nvme_cmd_write, batch_lba(dp, b, k),
			 DPB_PAGES * bpp(dp), batch_iova(b, k));
		memset(batch_buf(b, k), 0x5a, DPB_BYTES);
	}
}

/* Queue every command of the batch and ring once. */
static inline void batch_submit(struct __test_metadata *_metadata,
				struct dp *dp, struct batch *b)
{
	uint64_t prp1 = 0, prp2 = 0;
	struct nvme_sqe sqe;
	unsigned int k;

	for (k = 0; k < DPB_CMDS; k++) {
		ASSERT_EQ(0, nio_prp(&dp->io, batch_iova(b, k), DPB_BYTES,
				     &prp1, &prp2));
		nb_rw(&sqe, is_write(k) ? nvme_cmd_write : nvme_cmd_read, NIO_NSID,
		      batch_lba(dp, b, k), DPB_PAGES * bpp(dp), prp1, prp2);
		b->cid[k] = nvd_queue_sqe(&dp->l.nvd, b->qid, &sqe);
		ASSERT_GE(b->cid[k], 0);
	}
	ASSERT_EQ(0, nio_ring_sq(&dp->io, b->qid));
}

/* The batch's command with this CID, or -1. */
static inline int batch_index(const struct batch *b, uint16_t cid)
{
	unsigned int k;

	for (k = 0; k < DPB_CMDS; k++)
		if (b->cid[k] == cid)
			return (int)k;
	return -1;
}

/*
 * Take every CQE of the batch's queue (which completes to its own CQ):
 * each command exactly once, successful.
 */
static inline void batch_collect(struct __test_metadata *_metadata,
				 struct dp *dp, struct batch *b)
{
	struct nvme_cqe cqe;
	unsigned int got;
	int k;

	for (got = 0; got < DPB_CMDS; got++) {
		ASSERT_EQ(0, nio_reap(&dp->io, b->qid, &cqe, NIO_TIMEOUT_MS));
		ASSERT_EQ(b->qid, le16toh(cqe.sq_id));
		k = batch_index(b, le16toh(cqe.cid));
		if (k < 0)
			TH_LOG("SQ %u: a CQE for CID %u, not one of the batch",
			       b->qid, le16toh(cqe.cid));
		ASSERT_GE(k, 0);
		if (++b->done[k] != 1)
			TH_LOG("CID %u of SQ %u completed twice", le16toh(cqe.cid), b->qid);
		ASSERT_EQ(1, b->done[k]);
		ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
	}
}

/*
 * Completed reads hold their data; completed writes read back, through
 * queue qid, into the buffer of the read after them (checked first).
 * Commands that did not complete are the caller's to judge (a reset may
 * drop them): batch_collect() has asserted that every one did.
 */
static inline void batch_verify(struct __test_metadata *_metadata,
				struct dp *dp, struct batch *b, uint16_t qid)
{
	unsigned int k;

	for (k = 1; k < DPB_CMDS; k += 2)
		if (b->done[k])
			ASSERT_EQ(DPB_BYTES, nio_check(batch_buf(b, k), DPB_BYTES,
						       b->seed0 + k));
	for (k = 0; k < DPB_CMDS; k += 2) {
		if (!b->done[k])
			continue;
		memset(batch_buf(b, k + 1), 0xee, DPB_BYTES);
		DP_RW_OK(dp, qid, nvme_cmd_read, batch_lba(dp, b, k),
			 DPB_PAGES * bpp(dp), batch_iova(b, k + 1));
		ASSERT_EQ(DPB_BYTES, nio_check(batch_buf(b, k + 1), DPB_BYTES,
					       b->seed0 + k));
	}
}

/*
 * Wait until the delay device holds at least reads and writes (bounded:
 * leapiod fetches and submits at its own pace), then check it holds
 * exactly that: one backend request per command, none twice.
 */
static inline void held_is(struct __test_metadata *_metadata,
			   struct dm_delay *dm, unsigned int reads,
			   unsigned int writes)
{
	int64_t t0 = mono_ms();
	unsigned int r = 0, w = 0;

	for (;;) {
		ASSERT_EQ(0, dm_delay_held(dm, &r, &w));
		if ((r >= reads && w >= writes) || mono_ms() - t0 > NIO_TIMEOUT_MS)
			break;
		usleep(1000);
	}
	if (r != reads || w != writes)
		TH_LOG("the backend holds %u reads and %u writes, %u and %u expected",
		       r, w, reads, writes);
	ASSERT_EQ(reads, r);
	ASSERT_EQ(writes, w);
}

#endif /* LEAPIO_KSFT_LIO_DP_BATCH_H */
