// SPDX-License-Identifier: GPL-2.0
/*
 * The data path with leapiod serving the mdev from a loop device: data
 * written reads back and lands at the right place of the backing device,
 * for every PRP shape (PRP1 alone, PRP1 + PRP2, lists spanning pages and
 * chained, unaligned PRP1 offsets, scattered pages, the maximum transfer);
 * queues wrapping, many queues at once, a CQ smaller than the commands in
 * flight; Flush, Write Zeroes, Dataset Management, Compare, FUA; SMART
 * counters; interrupts on the CQ's vector; doorbells rung through the
 * device file, through the mmapped doorbell pages and with shadow
 * doorbells. Every CQE is checked: SQ id, CID, phase, SQ head, status.
 */
#include "lio_dp.h"

/*
 * The cases about how doorbells and interrupts reach leapiod rather than
 * about its backend: the remote variants (test_remote_io.c,
 * test_remote_rdma_io.c) set this to 0 and leave them out, a minute of
 * make check; the card's keep them (its doorbells are its own).
 */
#ifndef LIO_DP_FRONT_END_CASES
#define LIO_DP_FRONT_END_CASES	1
#endif

FIXTURE(io) {
	struct dp dp;
};

FIXTURE_SETUP(io)
{
	dp_setup(_metadata, &self->dp, 0);
}

FIXTURE_TEARDOWN(io)
{
	dp_teardown(_metadata, &self->dp);
}

/* Blocks per 4 KiB page. */
static uint32_t bpp(struct dp *dp)
{
	return GMEM_PAGE >> dp->io.lba_shift;
}

/* Write nlb blocks from guest memory at iova (filled with seed), read them
 * back into a second buffer at the same page offset, compare, and check
 * the backing device.
 */
static void round_trip(struct __test_metadata *_metadata, struct dp *dp,
		       uint16_t qid, uint64_t slba, uint32_t nlb, size_t offset,
		       uint32_t seed)
{
	size_t len = nio_bytes(&dp->io, nlb);
	uint64_t wi = 0, ri = 0;
	uint8_t *w = gmem_alloc_pages(&dp->l.mem, len + offset, &wi);
	uint8_t *r = gmem_alloc_pages(&dp->l.mem, len + offset, &ri);

	ASSERT_NE(NULL, w);
	ASSERT_NE(NULL, r);
	TH_LOG("qid %u: %u blocks at %llu, buffer offset %#zx", qid, nlb,
	       (unsigned long long)slba, offset);
	nio_fill(w + offset, len, seed);
	memset(r, 0xee, len + offset);
	DP_RW_OK(dp, qid, nvme_cmd_write, slba, nlb, wi + offset);
	DP_RW_OK(dp, qid, nvme_cmd_read, slba, nlb, ri + offset);
	ASSERT_EQ(len, nio_check(r + offset, len, seed));
	/* Nothing before the buffer was touched. */
	ASSERT_EQ(offset, nio_check_byte(r, offset, 0xee));
	dp_backing_seed(_metadata, dp, 0, slba, nlb, seed);
}

TEST_F(io, prp1_only)
{
	struct dp *dp = &self->dp;
	uint32_t nlb = bpp(dp);
	uint64_t iova = 0;
	uint8_t *buf;

	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	round_trip(_metadata, dp, 1, 0, 1, 0, 1);
	round_trip(_metadata, dp, 1, 8, nlb, 0, 2);
	/* The last block of the namespace. */
	round_trip(_metadata, dp, 1, dp->io.nsze - 1, 1, 0, 3);

	/* What the backing device holds is what a read returns. */
	buf = malloc(GMEM_PAGE);
	ASSERT_NE(NULL, buf);
	nio_fill(buf, GMEM_PAGE, 4);
	ASSERT_EQ(0, backing_write(&dp->bk, 64 << dp->io.lba_shift, buf, GMEM_PAGE));
	free(buf);
	ASSERT_NE(NULL, gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova));
	DP_RW_OK(dp, 1, nvme_cmd_read, 64, nlb, iova);
	ASSERT_EQ(GMEM_PAGE, nio_check(gmem_ptr(&dp->l.mem, iova), GMEM_PAGE, 4));
}

TEST_F(io, prp1_prp2)
{
	struct dp *dp = &self->dp;

	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	/* Two pages: PRP2 is the second page itself, not a list. */
	round_trip(_metadata, dp, 1, 16, 2 * bpp(dp), 0, 10);
	/* One page from an offset: PRP2 holds the rest. */
	round_trip(_metadata, dp, 1, 40, bpp(dp), 0x800, 11);
}

TEST_F(io, prp_list)
{
	struct dp *dp = &self->dp;

	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	round_trip(_metadata, dp, 1, 100, 3 * bpp(dp), 0, 20);
	round_trip(_metadata, dp, 1, 200, 16 * bpp(dp), 0, 21);
}

/* The list's pages in reverse order: the runtime must follow every entry,
 * not assume the data is contiguous. The lists start inside their pages
 * (a list pointer may carry an offset).
 */
TEST_F(io, prp_list_scattered)
{
	struct dp *dp = &self->dp;
	const unsigned int pages = 6;
	uint32_t nlb = pages * bpp(dp);
	uint64_t list_iova = 0, page_iova[6], rd_iova[6], rlist = 0;
	uint64_t *list, *rl;
	uint8_t *pg[6], *rp[6];
	u64 wr_pages[6], rd_pages[6];	/* in transfer order */
	struct nb_prp wr, rd;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	unsigned int i;

	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	for (i = 0; i < pages; i++) {
		pg[i] = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &page_iova[i]);
		rp[i] = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &rd_iova[i]);
		ASSERT_NE(NULL, pg[i]);
		ASSERT_NE(NULL, rp[i]);
	}
	list = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &list_iova);
	rl = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &rlist);
	ASSERT_NE(NULL, list);
	ASSERT_NE(NULL, rl);
	list += 3;
	list_iova += 3 * 8;
	rl += 5;
	rlist += 5 * 8;
	/* Data page k of the transfer is pg[pages - 1 - k]. */
	for (i = 0; i < pages; i++) {
		nio_fill(pg[pages - 1 - i], GMEM_PAGE, 30 + i);
		wr_pages[i] = page_iova[pages - 1 - i];
		rd_pages[i] = rd_iova[pages - 1 - i];
	}
	ASSERT_EQ(0, nb_prp_pages(&wr, GMEM_PAGE, wr_pages, pages, 0,
				  pages * GMEM_PAGE, &(struct nb_prp_list){
					(__le64 *)list, list_iova, GMEM_PAGE - 3 * 8 }));
	ASSERT_EQ(0, nb_prp_pages(&rd, GMEM_PAGE, rd_pages, pages, 0,
				  pages * GMEM_PAGE, &(struct nb_prp_list){
					(__le64 *)rl, rlist, GMEM_PAGE - 5 * 8 }));
	ASSERT_EQ(list_iova, wr.prp2);
	nb_rw(&sqe, nvme_cmd_write, NIO_NSID, 300, nlb, 0, 0);
	nb_set_prp(&sqe, &wr);
	ASSERT_EQ(0, nio_cmd(&dp->io, 1, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
	nb_rw(&sqe, nvme_cmd_read, NIO_NSID, 300, nlb, 0, 0);
	nb_set_prp(&sqe, &rd);
	ASSERT_EQ(0, nio_cmd(&dp->io, 1, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
	for (i = 0; i < pages; i++) {
		ASSERT_EQ(GMEM_PAGE, nio_check(rp[pages - 1 - i], GMEM_PAGE, 30 + i));
		dp_backing_seed(_metadata, dp, 0, 300 + i * bpp(dp), bpp(dp), 30 + i);
	}
}

TEST_F(io, prp_unaligned_offsets)
{
	struct dp *dp = &self->dp;
	static const size_t offs[] = { 4, 0x200, 0x7fc, 0xffc };
	unsigned int i;

	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		/* One block, and two pages' worth spanning three pages. */
		round_trip(_metadata, dp, 1, 500 + 64 * i, 1, offs[i], 40 + i);
		round_trip(_metadata, dp, 1, 520 + 64 * i, 2 * bpp(dp), offs[i], 50 + i);
	}
}

TEST_F(io, max_transfer)
{
	struct dp *dp = &self->dp;
	uint32_t nlb;

	ASSERT_NE(0, dp->io.mdts_bytes);
	nlb = dp->io.mdts_bytes >> dp->io.lba_shift;
	TH_LOG("MDTS: %u bytes, %u blocks", dp->io.mdts_bytes, nlb);
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	round_trip(_metadata, dp, 1, 1024, nlb, 0, 60);
	/* From an offset the same length spans one more page. */
	round_trip(_metadata, dp, 1, 2048, nlb, 0x100, 61);
}

/* More commands than entries: the SQ and CQ wrap, the phase flips. */
static void wrap(struct __test_metadata *_metadata, struct dp *dp)
{
	const uint16_t entries = 8;
	struct nvd *n = &dp->l.nvd;
	struct nvme_cqe cqe;
	struct nvme_sqe sqe;
	uint64_t iova = 0;
	uint8_t *buf;
	unsigned int i, j, round, got;
	bool seen[8];
	int cid;

	ASSERT_EQ(0, nvd_create_io_pair(n, 1, entries, 1));
	buf = gmem_alloc_pages(&dp->l.mem, (size_t)entries * GMEM_PAGE, &iova);
	ASSERT_NE(NULL, buf);
	/* One at a time, three times round. */
	for (i = 0; i < 3 * entries + 1; i++)
		round_trip(_metadata, dp, 1, 8 * i, 1, 0, 100 + i);
	/* Full SQs (entries - 1 commands) at once, four times. */
	for (round = 0; round < 4; round++) {
		memset(seen, 0, sizeof(seen));
		for (j = 0; j < entries - 1U; j++) {
			nio_fill(buf + j * GMEM_PAGE, GMEM_PAGE, 200 + 10 * round + j);
			nb_rw(&sqe, nvme_cmd_write, NIO_NSID, 1000 + 8 * j, bpp(dp),
				   iova + j * GMEM_PAGE, 0);
			cid = nvd_queue_sqe(n, 1, &sqe);
			ASSERT_GE(cid, 0);
		}
		ASSERT_EQ(-EBUSY, nvd_queue_sqe(n, 1, &sqe));
		ASSERT_EQ(0, nio_ring_sq(&dp->io, 1));
		for (got = 0; got < entries - 1U; got++) {
			uint8_t phase = n->q[1].phase;

			ASSERT_EQ(0, nio_reap(&dp->io, 1, &cqe, NIO_TIMEOUT_MS));
			ASSERT_EQ(phase, nvd_phase(&cqe));
			ASSERT_EQ(1, le16toh(cqe.sq_id));
			ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
			ASSERT_LT(le16toh(cqe.sq_head), entries);
			/* CIDs of this round are the last entries - 1 given. */
			j = (uint16_t)(le16toh(cqe.cid) - (n->q[1].next_cid - (entries - 1)));
			ASSERT_LT(j, entries - 1U);
			ASSERT_FALSE(seen[j]);
			seen[j] = true;
		}
		/* Every command was fetched: the head is the tail. */
		ASSERT_EQ(n->q[1].sq_tail, le16toh(cqe.sq_head));
		for (j = 0; j < entries - 1U; j++)
			dp_read_seed(_metadata, dp, 1, 1000 + 8 * j, bpp(dp),
				     200 + 10 * round + j);
	}
}

TEST_F(io, queue_wraps)
{
	wrap(_metadata, &self->dp);
}

#if LIO_DP_FRONT_END_CASES
TEST_F(io, queue_wraps_mmap_doorbells)
{
	int err = nio_map_doorbells(&self->dp.io);

	if (err)
		TH_LOG("BAR0 doorbell mmap: %s", strerror(-err));
	ASSERT_EQ(0, err);
	wrap(_metadata, &self->dp);
}
#endif

TEST_F(io, many_queues)
{
	struct dp *dp = &self->dp;
	struct nvd *n = &dp->l.nvd;
	const unsigned int per = 6;
	unsigned int q, j, total = 0, got;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint64_t iova = 0;
	uint8_t *buf;

	buf = gmem_alloc_pages(&dp->l.mem, (size_t)dp->nr * per * GMEM_PAGE, &iova);
	ASSERT_NE(NULL, buf);
	for (q = 1; q <= dp->nr; q++)
		ASSERT_EQ(0, nvd_create_io_pair(n, q, 16, q));
	/* Every queue loaded before any completion is looked at. */
	for (q = 1; q <= dp->nr; q++) {
		for (j = 0; j < per; j++) {
			size_t k = (q - 1) * per + j;

			nio_fill(buf + k * GMEM_PAGE, GMEM_PAGE, 300 + k);
			nb_rw(&sqe, nvme_cmd_write, NIO_NSID, 8 * k, bpp(dp),
				   iova + k * GMEM_PAGE, 0);
			ASSERT_GE(nvd_queue_sqe(n, q, &sqe), 0);
		}
		ASSERT_EQ(0, nio_ring_sq(&dp->io, q));
	}
	for (q = 1; q <= dp->nr; q++) {
		for (got = 0; got < per; got++) {
			ASSERT_EQ(0, nio_reap(&dp->io, q, &cqe, NIO_TIMEOUT_MS));
			ASSERT_EQ(q, le16toh(cqe.sq_id));
			ASSERT_LT(le16toh(cqe.cid), per);
			ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
			total++;
		}
		ASSERT_FALSE(nvd_cqe_ready(n, q));
	}
	ASSERT_EQ(dp->nr * per, total);
	/* Each block read back through another queue than wrote it. */
	for (q = 1; q <= dp->nr; q++)
		for (j = 0; j < per; j++) {
			size_t k = (q - 1) * per + j;

			dp_read_seed(_metadata, dp, q % dp->nr + 1, 8 * k, bpp(dp), 300 + k);
		}
}

/*
 * A 4-entry CQ (room for 3) behind 8 commands: the runtime must never
 * write a slot the host has not freed. After it has certainly had its
 * chance (a full round trip on another queue pair of the same poller),
 * the CQ still holds 3 new entries and the fourth slot is untouched.
 */
TEST_F(io, cq_full)
{
	struct dp *dp = &self->dp;
	struct nvd *n = &dp->l.nvd;
	struct nvme_cqe cqe, slot;
	struct nvme_sqe sqe;
	uint16_t status;
	uint64_t iova = 0;
	uint8_t *buf;
	unsigned int i, got = 0, batch;
	uint32_t seen = 0;

	ASSERT_EQ(0, nvd_create_cq(n, 1, 4, 1, true, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);
	ASSERT_EQ(0, nvd_create_sq(n, 1, 16, 1, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);
	ASSERT_EQ(0, nvd_create_io_pair(n, 2, 8, 2));
	buf = gmem_alloc_pages(&dp->l.mem, 8 * GMEM_PAGE, &iova);
	ASSERT_NE(NULL, buf);
	for (i = 0; i < 8; i++) {
		nio_fill(buf + i * GMEM_PAGE, GMEM_PAGE, 400 + i);
		nb_rw(&sqe, nvme_cmd_write, NIO_NSID, 8 * i, bpp(dp), iova + i * GMEM_PAGE, 0);
		ASSERT_EQ(i, nvd_queue_sqe(n, 1, &sqe));
	}
	ASSERT_EQ(0, nio_ring_sq(&dp->io, 1));

	while (got < 8) {
		unsigned int want = got + 3 <= 8 ? 3 : 8 - got;

		/* Wait for the batch the CQ can hold, without freeing it. */
		for (batch = 0; batch < want; batch++) {
			ASSERT_EQ(0, nvd_reap(n, 1, &cqe, NIO_TIMEOUT_MS));
			ASSERT_EQ(1, le16toh(cqe.sq_id));
			ASSERT_LT(le16toh(cqe.cid), 8);
			ASSERT_EQ(0, seen & (1U << le16toh(cqe.cid)));
			seen |= 1U << le16toh(cqe.cid);
			ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
		}
		got += batch;
		memcpy(&slot, &n->q[1].cq[n->q[1].cq_head], sizeof(slot));
		/* The synchronisation point: the poller went round. */
		dp_write_seed(_metadata, dp, 2, 4096 + got, 1, 450 + got);
		ASSERT_FALSE(nvd_cqe_ready(n, 1));
		ASSERT_EQ(0, memcmp(&slot, &n->q[1].cq[n->q[1].cq_head], sizeof(slot)));
		TH_LOG("batch of %u after %u", batch, got - batch);
		ASSERT_EQ(0, nio_ring_cq(&dp->io, 1));
	}
	ASSERT_EQ(0xff, seen);
	for (i = 0; i < 8; i++)
		dp_read_seed(_metadata, dp, 2, 8 * i, bpp(dp), 400 + i);
}

TEST_F(io, flush)
{
	struct dp *dp = &self->dp;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	dp_write_seed(_metadata, dp, 1, 0, 8, 500);
	nb_flush(&sqe, NIO_NSID);
	ASSERT_EQ(0, nio_cmd(&dp->io, 1, &sqe, &cqe));
	CQE_IS(&cqe, 1, le16toh(sqe.cid), NVME_SC_SUCCESS);
	/* VWC's "flush all namespaces" NSID. */
	nb_flush(&sqe, 0xffffffff);
	ASSERT_EQ(0, nio_cmd(&dp->io, 1, &sqe, &cqe));
	CQE_IS(&cqe, 1, le16toh(sqe.cid), NVME_SC_SUCCESS);
	dp_read_seed(_metadata, dp, 1, 0, 8, 500);
}

TEST_F(io, fua_write)
{
	struct dp *dp = &self->dp;
	uint64_t iova = 0;
	uint8_t *buf = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	nio_fill(buf, GMEM_PAGE, 510);
	ASSERT_EQ(NVME_SC_SUCCESS, dp_rw(_metadata, dp, 1, nvme_cmd_write, 24,
					 bpp(dp), iova, NVME_RW_FUA));
	dp_backing_seed(_metadata, dp, 0, 24, bpp(dp), 510);
	dp_read_seed(_metadata, dp, 1, 24, bpp(dp), 510);
}

/* Blocks [slba, slba + nlb) read back as zeroes, on the device too. */
static void check_zeroes(struct __test_metadata *_metadata, struct dp *dp,
			 uint64_t slba, uint32_t nlb)
{
	size_t len = nio_bytes(&dp->io, nlb);
	uint64_t iova = 0;
	uint8_t *buf = gmem_alloc_pages(&dp->l.mem, len, &iova), *b;

	ASSERT_NE(NULL, buf);
	memset(buf, 0xee, len);
	DP_RW_OK(dp, 1, nvme_cmd_read, slba, nlb, iova);
	ASSERT_EQ(len, nio_check_byte(buf, len, 0));
	b = malloc(len);
	ASSERT_NE(NULL, b);
	ASSERT_EQ(0, backing_read(&dp->bk, slba << dp->io.lba_shift, b, len));
	EXPECT_EQ(len, nio_check_byte(b, len, 0));
	free(b);
}

TEST_F(io, write_zeroes)
{
	struct dp *dp = &self->dp;
	uint32_t n = 4 * bpp(dp);
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	dp_write_seed(_metadata, dp, 1, 64, n, 520);
	/* The middle two pages' worth. */
	nb_write_zeroes(&sqe, NIO_NSID, 64 + bpp(dp), 2 * bpp(dp), 0);
	ASSERT_EQ(0, nio_cmd(&dp->io, 1, &sqe, &cqe));
	CQE_IS(&cqe, 1, le16toh(sqe.cid), NVME_SC_SUCCESS);
	check_zeroes(_metadata, dp, 64 + bpp(dp), 2 * bpp(dp));
	/* Around it the data stayed. */
	dp_backing_seed(_metadata, dp, 0, 64, bpp(dp), 520);
	dp_read_seed(_metadata, dp, 1, 64, bpp(dp), 520);
}

TEST_F(io, dsm_deallocate)
{
	struct dp *dp = &self->dp;
	struct nvme_dsm_range *r;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint64_t iova = 0;

	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	dp_write_seed(_metadata, dp, 1, 256, 8 * bpp(dp), 530);
	dp_write_seed(_metadata, dp, 1, 1024, 2 * bpp(dp), 531);
	dp_write_seed(_metadata, dp, 1, 1024 + 2 * bpp(dp), 2 * bpp(dp), 532);
	r = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);
	ASSERT_NE(NULL, r);
	/* Two ranges, page-aligned on the loop device: it punches holes. */
	r[0].nlb = htole32(8 * bpp(dp));
	r[0].slba = htole64(256);
	r[1].nlb = htole32(2 * bpp(dp));
	r[1].slba = htole64(1024);
	nb_dsm(&sqe, NIO_NSID, NB_DSM_AD, 2, iova);
	ASSERT_EQ(0, nio_cmd(&dp->io, 1, &sqe, &cqe));
	CQE_IS(&cqe, 1, le16toh(sqe.cid), NVME_SC_SUCCESS);
	TH_LOG("DLFEAT %#x", dp->io.dlfeat);
	check_zeroes(_metadata, dp, 256, 8 * bpp(dp));
	check_zeroes(_metadata, dp, 1024, 2 * bpp(dp));
	/* Blocks after the second range were not deallocated. */
	dp_read_seed(_metadata, dp, 1, 1024 + 2 * bpp(dp), 2 * bpp(dp), 532);
}

TEST_F(io, compare)
{
	struct dp *dp = &self->dp;
	size_t len = 2 * GMEM_PAGE;
	uint64_t iova = 0;
	uint8_t *buf = gmem_alloc_pages(&dp->l.mem, len, &iova);

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	dp_write_seed(_metadata, dp, 1, 128, 2 * bpp(dp), 540);
	nio_fill(buf, len, 540);
	ASSERT_EQ(NVME_SC_SUCCESS, dp_rw(_metadata, dp, 1, nvme_cmd_compare, 128,
					 2 * bpp(dp), iova, 0));
	/* Compare does not write the guest's buffer. */
	ASSERT_EQ(len, nio_check(buf, len, 540));
	/* One byte off, in the last block. */
	buf[len - 1] ^= 1;
	ASSERT_EQ(NVME_SC_COMPARE_FAILED, dp_rw(_metadata, dp, 1, nvme_cmd_compare,
						128, 2 * bpp(dp), iova, 0));
	/* Nor does a failed one change the data. */
	dp_read_seed(_metadata, dp, 1, 128, 2 * bpp(dp), 540);
}

/* Write Zeroes of one block inside a page: no hole to punch there. */
TEST_F(io, write_zeroes_one_block)
{
	struct dp *dp = &self->dp;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	if (bpp(dp) == 1)
		SKIP(return, "4 KiB blocks: no block smaller than a page");
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	dp_write_seed(_metadata, dp, 1, 32, 1, 545);
	dp_write_seed(_metadata, dp, 1, 33, 1, 546);
	dp_write_seed(_metadata, dp, 1, 34, 1, 547);
	nb_write_zeroes(&sqe, NIO_NSID, 33, 1, 0);
	ASSERT_EQ(0, nio_cmd(&dp->io, 1, &sqe, &cqe));
	CQE_IS(&cqe, 1, le16toh(sqe.cid), NVME_SC_SUCCESS);
	check_zeroes(_metadata, dp, 33, 1);
	dp_read_seed(_metadata, dp, 1, 32, 1, 545);
	dp_read_seed(_metadata, dp, 1, 34, 1, 547);
}

/* SMART counters of a fresh controller move by exactly what was done:
 * Data Units are thousands of 512-byte units, rounded up.
 */
TEST_F(io, smart_counters)
{
	struct dp *dp = &self->dp;
	struct nvme_smart_log *s;
	uint64_t iova = 0, buf_iova = 0;
	uint32_t nlb250 = 250 * 512 >> dp->io.lba_shift;
	uint16_t st;
	unsigned int i;

	if (dp->io.lba_shift != 9)
		SKIP(return, "counts written for 512-byte blocks");
	s = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);
	ASSERT_NE(NULL, s);
	ASSERT_NE(NULL, gmem_alloc_pages(&dp->l.mem, 500 * 512, &buf_iova));
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 2, 16, 2));
	ASSERT_EQ(0, nio_smart(&dp->io, 0xffffffff, s, iova, &st));
	ASSERT_EQ(NVME_SC_SUCCESS, st);
	ASSERT_EQ(0, nio_u128_lo(s->host_writes));
	ASSERT_EQ(0, nio_u128_lo(s->host_reads));
	ASSERT_EQ(0, nio_u128_lo(s->data_units_written));
	ASSERT_EQ(0, nio_u128_lo(s->data_units_read));

	/* 1000 blocks written in 4 commands over 2 queues: one unit. */
	for (i = 0; i < 4; i++)
		DP_RW_OK(dp, 1 + i % 2, nvme_cmd_write, 250 * i, nlb250, buf_iova);
	ASSERT_EQ(0, nio_smart(&dp->io, 0xffffffff, s, iova, &st));
	EXPECT_EQ(4, nio_u128_lo(s->host_writes));
	EXPECT_EQ(1, nio_u128_lo(s->data_units_written));
	EXPECT_EQ(0, nio_u128_lo(s->host_reads));
	EXPECT_EQ(0, nio_u128_lo(s->data_units_read));
	/* One block more: rounded up to two. */
	DP_RW_OK(dp, 1, nvme_cmd_write, 2000, 1, buf_iova);
	/* 500 blocks read in 2 commands: one unit. */
	DP_RW_OK(dp, 1, nvme_cmd_read, 0, 500, buf_iova);
	DP_RW_OK(dp, 2, nvme_cmd_read, 0, 1, buf_iova);
	ASSERT_EQ(0, nio_smart(&dp->io, 0xffffffff, s, iova, &st));
	EXPECT_EQ(5, nio_u128_lo(s->host_writes));
	EXPECT_EQ(2, nio_u128_lo(s->data_units_written));
	EXPECT_EQ(2, nio_u128_lo(s->host_reads));
	EXPECT_EQ(1, nio_u128_lo(s->data_units_read));
}

#if LIO_DP_FRONT_END_CASES
/*
 * Each completion interrupts on its CQ's vector, and on no other; and the
 * CQE is in memory by the time the interrupt arrives (a driver that reaps
 * on the interrupt must find it there).
 */
TEST_F(io, irq_on_cq_vector)
{
	struct dp *dp = &self->dp;
	struct lio *l = &dp->l;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint64_t iova = 0;
	unsigned int q, v;
	int cid;

	ASSERT_NE(NULL, gmem_alloc_pages(&l->mem, GMEM_PAGE, &iova));
	for (q = 1; q <= dp->nr; q++) {
		uint16_t vec = dp->nr + 1 - q;	/* reversed: the CQ's own */

		ASSERT_EQ(0, nvd_create_io_pair(&l->nvd, q, 16, vec));
		for (v = 0; v < l->nr_msix; v++)
			evfd_take(l->msix_fd[v]);
		nb_rw(&sqe, nvme_cmd_write, NIO_NSID, 8 * q, 1, iova, 0);
		cid = nio_submit(&dp->io, q, &sqe);
		ASSERT_GE(cid, 0);
		ASSERT_GE(evfd_wait(l->msix_fd[vec], NIO_TIMEOUT_MS), 1);
		ASSERT_TRUE(nvd_cqe_ready(&l->nvd, q));
		ASSERT_EQ(0, nio_reap(&dp->io, q, &cqe, 0));
		CQE_IS(&cqe, q, cid, NVME_SC_SUCCESS);
		for (v = 0; v < l->nr_msix; v++) {
			if (v == vec)
				continue;
			TH_LOG("queue %u: vector %u quiet", q, v);
			ASSERT_EQ(0, evfd_take(l->msix_fd[v]));
		}
	}
}

/* A CQ created without interrupts raises none. */
TEST_F(io, no_irq_without_ien)
{
	struct dp *dp = &self->dp;
	struct lio *l = &dp->l;
	uint16_t status;

	ASSERT_EQ(0, nvd_create_cq(&l->nvd, 1, 16, 1, false, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);
	ASSERT_EQ(0, nvd_create_sq(&l->nvd, 1, 16, 1, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);
	evfd_take(l->msix_fd[1]);
	dp_write_seed(_metadata, dp, 1, 0, 1, 650);
	dp_write_seed(_metadata, dp, 1, 1, 1, 651);
	ASSERT_EQ(0, evfd_take(l->msix_fd[1]));
}

/*
 * Shadow doorbells with EventIdx: the driver rings only when EventIdx
 * says so; every command must still be seen and completed.
 */
static void dbbuf_io(struct __test_metadata *_metadata, struct dp *dp)
{
	uint16_t status;
	unsigned int i;

	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 8, 1));
	ASSERT_EQ(0, nio_dbbuf_on(&dp->io, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 2, 8, 2));
	for (i = 0; i < 20; i++) {
		dp_write_seed(_metadata, dp, 1 + i % 2, 8 * i, 1, 700 + i);
		dp_read_seed(_metadata, dp, 2 - i % 2, 8 * i, 1, 700 + i);
	}
}

TEST_F(io, dbbuf_trapped)
{
	dbbuf_io(_metadata, &self->dp);
}

TEST_F(io, dbbuf_mmap_doorbells)
{
	ASSERT_EQ(0, nio_map_doorbells(&self->dp.io));
	dbbuf_io(_metadata, &self->dp);
}

/* Commands issued through mmapped doorbells only, queue after queue. */
TEST_F(io, mmap_doorbells_many_queues)
{
	struct dp *dp = &self->dp;
	unsigned int q;

	ASSERT_EQ(0, nio_map_doorbells(&dp->io));
	ASSERT_NE(NULL, nio_db_ptr(&dp->io, LEAPIO_SQ_DB(dp->nr)));
	for (q = 1; q <= dp->nr; q++) {
		ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, q, 8, q));
		round_trip(_metadata, dp, q, 16 * q, bpp(dp), 0, 800 + q);
	}
}
#endif

/* 4 KiB blocks: one block per page, the other LBA format. */
FIXTURE(io4k) {
	struct dp dp;
};

FIXTURE_SETUP(io4k)
{
	dp_setup(_metadata, &self->dp, 4096);
	ASSERT_EQ(12, self->dp.io.lba_shift);
	ASSERT_EQ(0, nvd_create_io_pair(&self->dp.l.nvd, 1, 16, 1));
}

FIXTURE_TEARDOWN(io4k)
{
	dp_teardown(_metadata, &self->dp);
}

TEST_F(io4k, round_trips)
{
	struct dp *dp = &self->dp;

	round_trip(_metadata, dp, 1, 0, 1, 0, 900);
	round_trip(_metadata, dp, 1, 1, 2, 0, 901);
	round_trip(_metadata, dp, 1, 3, 5, 0x204, 902);
	round_trip(_metadata, dp, 1, dp->io.nsze - 1, 1, 0xffc, 903);
	round_trip(_metadata, dp, 1, 64, dp->io.mdts_bytes >> 12, 0, 904);
	dp_backing_seed(_metadata, dp, 0, 1, 2, 901);
}

TEST_HARNESS_MAIN
