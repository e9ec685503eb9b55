// SPDX-License-Identifier: GPL-2.0
/*
 * Verify, Write Uncorrectable and Copy through leapiod's core, on the
 * fake host's memory backend: what each does to the blocks (every block
 * of the namespace checked where it matters), what reaches the backend,
 * and the status, DW0 and error report of each way they fail.
 */
#include <string.h>

#include "../lib/lio_harness.h"
#include "fake_host.h"
#include "../lib/nvme_build.h"

#define NSZE		8192		/* 512-byte blocks */
#define SQ_GPA		0x10000
#define CQ_GPA		0x20000
#define DATA_GPA	0x100000
#define LIST_GPA	0x80000
#define QSIZE		16
#define POISON		0xa5
/* MDTS 6 (fake_host.c): a step of Copy's is 512 blocks. */
#define CHUNK		512

#define READ_ERROR	(NVME_SC_READ_ERROR | NVME_STATUS_DNR)

FIXTURE(nvm) {
	struct fake_host h;
	u64 id[NSZE];		/* what block b held at the start: id[b] */
};

/* Block b starts with its number (and the rest follows from it). */
static void fill(struct fake_host *h, u64 *id)
{
	u64 b;

	for (b = 0; b < NSZE; b++) {
		u8 *p = h->store + (b << 9);

		memset(p, (int)(b * 7 + 1), 512);
		memcpy(p, &b, sizeof(b));
		id[b] = b;
	}
}

FIXTURE_SETUP(nvm)
{
	fh_init(&self->h, 1, NSZE, 9);
	fh_create_cq(&self->h, 1, CQ_GPA, QSIZE, 1, true);
	fh_create_sq(&self->h, 1, SQ_GPA, QSIZE, 1);
	fh_poll(&self->h, 2);
	fill(&self->h, self->id);
}

FIXTURE_TEARDOWN(nvm)
{
	EXPECT_EQ(0U, self->h.bad_reqs);
	fh_release(&self->h, 0);
	fh_fini(&self->h);
}

static bool filled(const u8 *p, u8 val, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != val)
			return false;
	return true;
}

/* Block b of the store holds what block `from` held at the start. */
static bool holds(const struct fake_host *h, u64 b, u64 from)
{
	const u8 *p = h->store + (b << 9);
	u64 got;

	memcpy(&got, p, sizeof(got));
	return got == from && p[511] == (u8)(from * 7 + 1);
}

/* Every block as id[] says; the first few that are not, logged. */
static void expect_blocks(struct __test_metadata *_metadata,
			  const struct fake_host *h, const u64 *id)
{
	unsigned int bad = 0;
	u64 b;

	for (b = 0; b < NSZE; b++) {
		if (holds(h, b, id[b]))
			continue;
		if (bad++ < 4)
			TH_LOG("block %llu does not hold block %llu",
			       (unsigned long long)b, (unsigned long long)id[b]);
	}
	EXPECT_EQ(0U, bad);
}

/* One command on queue pair 1, its CQE in *cqe: the status. */
static u16 run(struct fake_host *h, struct nvme_sqe *s, u16 cid,
	       struct nvme_cqe *cqe)
{
	int i;

	s->cid = cpu_to_le16(cid);
	fh_submit(h, 1, s);
	for (i = 0; i < 8; i++) {
		fh_poll(h, 1);
		if (fh_reap(h, 1, cqe))
			return le16_to_cpu(cqe->cid) == cid ?
			       le16_to_cpu(cqe->status) & ~1U : 0xfffe;
	}
	return 0xffff;
}

static u16 run1(struct fake_host *h, struct nvme_sqe *s, u16 cid)
{
	struct nvme_cqe cqe;

	return run(h, s, cid, &cqe);
}

static u16 read1(struct fake_host *h, u64 slba, u32 nlb, u16 cid)
{
	struct nvme_sqe s;

	nb_rw(&s, nvme_cmd_read, 1, slba, nlb, DATA_GPA, 0);
	if (nlb > 8)
		nb_data(&s, DATA_GPA, nlb << 9);
	return run1(h, &s, cid);
}

static u16 nodata(struct fake_host *h, u8 op, u64 slba, u32 nlb, u16 cid)
{
	struct nvme_sqe s;

	nb_nodata(&s, op, 1, slba, nlb, 0);
	return run1(h, &s, cid);
}

/* Copy of the n ranges {slba, nlb} to sdlba: status, DW0 in *dw0. */
static u16 copy(struct fake_host *h, const u64 (*r)[2], u32 n, u64 sdlba,
		u16 cid, u32 *dw0)
{
	struct nvme_copy_range *e = (void *)(h->gmem + LIST_GPA);
	struct nvme_sqe s;
	struct nvme_cqe cqe;
	u16 st;
	u32 i;

	for (i = 0; i < n; i++)
		nb_copy_range(&e[i], r[i][0], (u32)r[i][1]);
	nb_copy(&s, 1, sdlba, n, LIST_GPA, 0);
	st = run(h, &s, cid, &cqe);
	*dw0 = le32_to_cpu(cqe.dw0);
	return st;
}

/* What a copy of those ranges to sdlba leaves, in id[], ranges in order. */
static void copy_model(u64 *id, const u64 (*r)[2], u32 n, u64 sdlba)
{
	u64 tmp[NSZE];
	u32 i;

	for (i = 0; i < n; i++) {
		memcpy(tmp, &id[r[i][0]], r[i][1] * sizeof(*id));
		memcpy(&id[sdlba], tmp, r[i][1] * sizeof(*id));
		sdlba += r[i][1];
	}
}

/* Verify reads the blocks at the backend; the guest's memory is not used. */
TEST_F(nvm, verify_reads_without_a_transfer)
{
	u8 *g = self->h.gmem + DATA_GPA;
	struct nvme_sqe s;

	memset(g, POISON, 1 << 20);
	nb_nodata(&s, nvme_cmd_verify, 1, 100, 512, 0);
	s.prp1 = cpu_to_le64(DATA_GPA);		/* ignored: no data */
	ASSERT_EQ(NVME_SC_SUCCESS, run1(&self->h, &s, 1));
	EXPECT_EQ(1U, self->h.submitted);
	EXPECT_EQ((unsigned int)LIO_IO_READ, self->h.last_op);
	/* Blocks never written (zero in the store) verify as well. */
	memset(self->h.store, 0, 8 << 9);
	EXPECT_EQ(NVME_SC_SUCCESS, nodata(&self->h, nvme_cmd_verify, 0, 8, 2));
	EXPECT_EQ(2U, self->h.submitted);
	EXPECT_TRUE(filled(g, POISON, 1 << 20));
	EXPECT_EQ(0U, self->h.nr_errs);
}

/*
 * Write Uncorrectable: nothing reaches the backend; reads, Compare and
 * Verify of a marked block fail (reported with the first marked LBA)
 * until it is written; unmarked neighbours read on.
 */
TEST_F(nvm, write_uncorrectable_until_written)
{
	struct nvme_sqe s;

	ASSERT_EQ(NVME_SC_SUCCESS,
		  nodata(&self->h, nvme_cmd_write_uncor, 10, 4, 1));
	EXPECT_EQ(0U, self->h.submitted);
	EXPECT_EQ(NVME_SC_SUCCESS, read1(&self->h, 2, 8, 2));
	EXPECT_EQ(NVME_SC_SUCCESS, read1(&self->h, 14, 8, 3));
	EXPECT_EQ(READ_ERROR, read1(&self->h, 8, 4, 4));
	ASSERT_EQ(1U, self->h.nr_errs);
	EXPECT_EQ(10ULL, self->h.errs[0].lba);
	EXPECT_EQ(READ_ERROR, nodata(&self->h, nvme_cmd_verify, 13, 1, 5));
	nb_rw(&s, nvme_cmd_compare, 1, 12, 1, DATA_GPA, 0);
	EXPECT_EQ(READ_ERROR, run1(&self->h, &s, 6));
	ASSERT_EQ(3U, self->h.nr_errs);
	EXPECT_EQ(13ULL, self->h.errs[1].lba);
	EXPECT_EQ(12ULL, self->h.errs[2].lba);
	EXPECT_EQ(2U, self->h.submitted);	/* the two good reads */

	/* Block 11 written: it reads; 10, 12 and 13 still do not. */
	nb_rw(&s, nvme_cmd_write, 1, 11, 1, DATA_GPA, 0);
	ASSERT_EQ(NVME_SC_SUCCESS, run1(&self->h, &s, 7));
	EXPECT_EQ(NVME_SC_SUCCESS, read1(&self->h, 11, 1, 8));
	EXPECT_EQ(READ_ERROR, read1(&self->h, 10, 1, 9));
	EXPECT_EQ(READ_ERROR, read1(&self->h, 12, 2, 10));
	/* Write Zeroes over 12..13, DSM deallocate of 10: all read. */
	ASSERT_EQ(NVME_SC_SUCCESS,
		  nodata(&self->h, nvme_cmd_write_zeroes, 12, 2, 11));
	{
		struct nvme_dsm_range *r = (void *)(self->h.gmem + LIST_GPA);

		r->cattr = 0;
		r->nlb = cpu_to_le32(1);
		r->slba = cpu_to_le64(10);
		nb_dsm(&s, 1, NB_DSM_AD, 1, LIST_GPA);
		ASSERT_EQ(NVME_SC_SUCCESS, run1(&self->h, &s, 12));
	}
	EXPECT_EQ(NVME_SC_SUCCESS, read1(&self->h, 8, 8, 13));
	EXPECT_FALSE(lio_uncor_any(self->h.v.ns[0].uncor));
}

/* A failed write leaves the mark: only written blocks lose it. */
TEST_F(nvm, failed_write_keeps_the_mark)
{
	struct nvme_sqe s;

	ASSERT_EQ(NVME_SC_SUCCESS,
		  nodata(&self->h, nvme_cmd_write_uncor, 20, 1, 1));
	/* PRP2 outside guest memory: the write fails before the backend. */
	nb_rw(&s, nvme_cmd_write, 1, 16, 16, DATA_GPA, FH_GMEM_SIZE);
	ASSERT_EQ(NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR,
		  run1(&self->h, &s, 2));
	EXPECT_EQ(READ_ERROR, read1(&self->h, 20, 1, 3));
}

/* Ranges from all over the namespace, one after the other at SDLBA. */
TEST_F(nvm, copy_is_byte_for_byte)
{
	static const u64 r[][2] = { { 100, 3 }, { 7000, 5 }, { 50, 1 },
				    { 8191, 1 } };
	u8 *g = self->h.gmem + DATA_GPA;
	u32 dw0 = 0xdead;

	memset(g, POISON, 1 << 20);
	ASSERT_EQ(NVME_SC_SUCCESS, copy(&self->h, r, 4, 4000, 1, &dw0));
	EXPECT_EQ(0U, dw0);
	copy_model(self->id, r, 4, 4000);
	expect_blocks(_metadata, &self->h, self->id);
	/* A read and a write per range, none through guest memory. */
	EXPECT_EQ(8U, self->h.submitted);
	EXPECT_EQ((unsigned int)LIO_IO_WRITE, self->h.last_op);
	EXPECT_TRUE(filled(g, POISON, 1 << 20));
}

/*
 * A range longer than one step (MDTS) whose destination overlaps it
 * from above: copied from its end, so the result is memmove()'s.
 */
TEST_F(nvm, copy_overlapping_upwards_is_memmove)
{
	static const u64 r[][2] = { { 100, 1200 } };
	u32 dw0;

	ASSERT_EQ(NVME_SC_SUCCESS, copy(&self->h, r, 1, 150, 1, &dw0));
	copy_model(self->id, r, 1, 150);
	expect_blocks(_metadata, &self->h, self->id);
	/* 1200 blocks: three steps, each a read and a write. */
	EXPECT_EQ(6U, self->h.submitted);
}

TEST_F(nvm, copy_overlapping_downwards_is_memmove)
{
	static const u64 r[][2] = { { 1000, 1200 } };
	u32 dw0;

	ASSERT_EQ(NVME_SC_SUCCESS, copy(&self->h, r, 1, 990, 1, &dw0));
	copy_model(self->id, r, 1, 990);
	expect_blocks(_metadata, &self->h, self->id);
}

/* A range reads what the ranges before it wrote. */
TEST_F(nvm, copy_ranges_run_in_order)
{
	static const u64 r[][2] = { { 100, 4 }, { 200, 4 }, { 202, 4 } };
	u32 dw0;

	ASSERT_EQ(NVME_SC_SUCCESS, copy(&self->h, r, 3, 200, 1, &dw0));
	copy_model(self->id, r, 3, 200);
	/* Range 1 copies 200..203 onto 204..207: what range 0 put there. */
	EXPECT_EQ(100ULL, self->id[204]);
	expect_blocks(_metadata, &self->h, self->id);
}

/*
 * Ranges checked before anything is copied: a bad one anywhere, or a
 * destination past the end, and no block moves (DW0 0).
 */
TEST_F(nvm, copy_bad_ranges_copy_nothing)
{
	static const u64 past[][2] = { { 10, 2 }, { NSZE - 1, 2 } };
	static const u64 good[][2] = { { 10, 2 }, { 20, 3 } };
	u32 dw0;

	EXPECT_EQ(NVME_SC_LBA_RANGE | NVME_STATUS_DNR,
		  copy(&self->h, past, 2, 100, 1, &dw0));
	EXPECT_EQ(0U, dw0);
	ASSERT_EQ(1U, self->h.nr_errs);
	EXPECT_EQ((u64)NSZE - 1, self->h.errs[0].lba);
	EXPECT_EQ(NVME_ERR_LOC_NONE, self->h.errs[0].loc);
	/* 5 blocks from NSZE - 4: the destination's end is past the end. */
	EXPECT_EQ(NVME_SC_LBA_RANGE | NVME_STATUS_DNR,
		  copy(&self->h, good, 2, NSZE - 4, 2, &dw0));
	ASSERT_EQ(2U, self->h.nr_errs);
	EXPECT_EQ((u64)NSZE - 4, self->h.errs[1].lba);
	EXPECT_EQ(NVME_ERR_LOC(NVME_SQE_OFF_CDW10, 0), self->h.errs[1].loc);
	EXPECT_EQ(0U, self->h.submitted);
	expect_blocks(_metadata, &self->h, self->id);
}

/* The entries outside guest memory: Data Transfer Error, nothing moved. */
TEST_F(nvm, copy_entries_outside_guest_memory)
{
	struct nvme_sqe s;

	nb_copy(&s, 1, 0, 2, FH_GMEM_SIZE - 32, 0);
	EXPECT_EQ(NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR,
		  run1(&self->h, &s, 1));
	EXPECT_EQ(0U, self->h.submitted);
}

/*
 * A marked block in range 1 of 3: range 0 is copied, the command fails
 * with Unrecovered Read Error and DW0 says range 1 was the first not
 * copied; nothing of ranges 1 and 2 reaches the destination.
 */
TEST_F(nvm, copy_stops_at_a_marked_range)
{
	static const u64 r[][2] = { { 10, 2 }, { 20, 2 }, { 30, 2 } };
	u32 dw0;

	ASSERT_EQ(NVME_SC_SUCCESS,
		  nodata(&self->h, nvme_cmd_write_uncor, 21, 1, 1));
	EXPECT_EQ(READ_ERROR, copy(&self->h, r, 3, 500, 2, &dw0));
	EXPECT_EQ(1U, dw0);
	ASSERT_EQ(1U, self->h.nr_errs);
	EXPECT_EQ(21ULL, self->h.errs[0].lba);
	copy_model(self->id, r, 1, 500);
	expect_blocks(_metadata, &self->h, self->id);
}

/* Blocks a Copy writes lose their marks; its sources keep theirs. */
TEST_F(nvm, copy_writes_clear_marks)
{
	static const u64 r[][2] = { { 10, 4 } };
	u32 dw0;

	ASSERT_EQ(NVME_SC_SUCCESS,
		  nodata(&self->h, nvme_cmd_write_uncor, 600, 8, 1));
	ASSERT_EQ(NVME_SC_SUCCESS, copy(&self->h, r, 1, 602, 2, &dw0));
	EXPECT_EQ(READ_ERROR, read1(&self->h, 600, 2, 3));
	EXPECT_EQ(NVME_SC_SUCCESS, read1(&self->h, 602, 4, 4));
	EXPECT_EQ(READ_ERROR, read1(&self->h, 606, 2, 5));
}

/* Held at the backend, a Copy takes a step at a time, in order. */
TEST_F(nvm, copy_steps_wait_for_the_backend)
{
	static const u64 r[][2] = { { 0, 2 * CHUNK } };
	struct nvme_cqe cqe;
	struct nvme_sqe s;
	u32 i;

	nb_copy_range((struct nvme_copy_range *)(self->h.gmem + LIST_GPA),
		      r[0][0], (u32)r[0][1]);
	nb_copy(&s, 1, 4096, 1, LIST_GPA, NVME_RW_FUA);
	s.cid = cpu_to_le16(1);
	self->h.hold = true;
	fh_submit(&self->h, 1, &s);
	for (i = 0; i < 4; i++) {
		fh_poll(&self->h, 2);
		ASSERT_EQ(1U, self->h.nr_held);
		ASSERT_EQ(i + 1, self->h.submitted);
		ASSERT_FALSE(fh_reap(&self->h, 1, &cqe));
		/* Reads and writes alternate; the writes with FUA. */
		EXPECT_EQ(i % 2 ? (unsigned int)LIO_IO_WRITE :
				  (unsigned int)LIO_IO_READ, self->h.last_op);
		EXPECT_EQ(i % 2 == 1, self->h.last_fua);
		fh_release(&self->h, 0);
	}
	fh_poll(&self->h, 2);
	ASSERT_TRUE(fh_reap(&self->h, 1, &cqe));
	EXPECT_EQ(NVME_SC_SUCCESS, le16_to_cpu(cqe.status) & ~1U);
	copy_model(self->id, r, 1, 4096);
	expect_blocks(_metadata, &self->h, self->id);
}

TEST_HARNESS_MAIN
