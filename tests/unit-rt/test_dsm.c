// SPDX-License-Identifier: GPL-2.0
/*
 * Dataset Management through leapiod's core: the range list read from
 * guest memory as PRP1 and PRP2 place it, the most ranges a command can
 * have (NR 255: 256 ranges, 4 KiB), a list that starts inside one page
 * and goes on in another that is not the next one, a range split across
 * the two. Each test checks which blocks were deallocated (the fake
 * backend zeroes them) and that no other block was.
 */
#include <string.h>

#include "../lib/lio_harness.h"
#include "fake_host.h"
#include "../lib/nvme_build.h"

#define NSZE		8192		/* 512-byte blocks */
#define SQ_GPA		0x10000
#define CQ_GPA		0x20000
#define LIST_A		0x80000		/* page of PRP1 */
#define LIST_B		0x90000		/* page of PRP2: not LIST_A + 4 KiB */
#define QSIZE		16
#define FILL		0x5a

FIXTURE(dsm) {
	struct fake_host h;
};

FIXTURE_SETUP(dsm)
{
	fh_init(&self->h, 1, NSZE, 9);
	fh_create_cq(&self->h, 1, CQ_GPA, QSIZE, 1, true);
	fh_create_sq(&self->h, 1, SQ_GPA, QSIZE, 1);
	fh_poll(&self->h, 2);
	memset(self->h.store, FILL, (size_t)NSZE << 9);
}

FIXTURE_TEARDOWN(dsm)
{
	EXPECT_EQ(0U, self->h.bad_reqs);
	fh_release(&self->h, 0);
	fh_fini(&self->h);
}

/* Range i of the test: 4 blocks out of every 8, one apart from its neighbours. */
static struct nvme_dsm_range range_of(u32 i)
{
	return (struct nvme_dsm_range) {
		.cattr = cpu_to_le32(0),
		.nlb = cpu_to_le32(4),
		.slba = cpu_to_le64((u64)i * 8 + 1),
	};
}

/*
 * Write n ranges into guest memory as a host would for a list starting
 * at prp1, going on at prp2 when it passes the end of prp1's page.
 */
static void put_ranges(struct fake_host *h, u64 prp1, u64 prp2, u32 n)
{
	u32 first = 4096 - (prp1 & 4095);
	u8 list[256 * sizeof(struct nvme_dsm_range)];
	u32 len = n * sizeof(struct nvme_dsm_range), i;

	for (i = 0; i < n; i++) {
		struct nvme_dsm_range r = range_of(i);

		memcpy(list + i * sizeof(r), &r, sizeof(r));
	}
	memcpy(h->gmem + prp1, list, len < first ? len : first);
	if (len > first)
		memcpy(h->gmem + prp2, list + first, len - first);
}

/* One command on queue pair 1 (fake_host.h, fh_run1()). */
static u16 run1(struct fake_host *h, struct nvme_sqe *s, u16 cid)
{
	return fh_run1(h, 1, s, cid);
}

static void dsm_sqe(struct nvme_sqe *s, u32 nr, u64 prp1, u64 prp2)
{
	nb_dsm(s, 1, NB_DSM_AD, nr, prp1);
	s->prp2 = cpu_to_le64(prp2);
}

/* Exactly ranges 0..n-1 deallocated: every block checked. */
static void expect_deallocated(struct __test_metadata *_metadata,
			       const struct fake_host *h, u32 n)
{
	u32 blk, bad = 0;

	for (blk = 0; blk < NSZE; blk++) {
		bool gone = blk % 8 >= 1 && blk % 8 <= 4 && blk / 8 < n;
		const u8 *b = h->store + ((size_t)blk << 9);
		u8 want = gone ? 0 : FILL;

		if (b[0] != want || b[511] != want) {
			if (bad++ < 4)
				TH_LOG("block %u: %#x, want %#x", blk, b[0], want);
		}
	}
	EXPECT_EQ(0U, bad);
}

/* NR 255: 256 ranges, the whole 4 KiB list in PRP1's page. */
TEST_F(dsm, all_256_ranges)
{
	struct nvme_sqe s;

	put_ranges(&self->h, LIST_A, 0, 256);
	dsm_sqe(&s, 256, LIST_A, 0);
	EXPECT_EQ(255U, le32_to_cpu(s.cdw10));
	ASSERT_EQ(NVME_SC_SUCCESS, run1(&self->h, &s, 1));
	EXPECT_EQ(256U, self->h.submitted);
	EXPECT_EQ((unsigned int)LIO_IO_DISCARD, self->h.last_op);
	expect_deallocated(_metadata, &self->h, 256);
}

/*
 * 256 ranges from the middle of PRP1's page, the second half in PRP2's.
 * The page after PRP1's holds other ranges: a list read straight on
 * from PRP1 deallocates those.
 */
TEST_F(dsm, list_crosses_into_prp2)
{
	struct nvme_sqe s;
	u32 i;

	for (i = 0; i < 4096 / sizeof(struct nvme_dsm_range); i++) {
		struct nvme_dsm_range r = {
			.nlb = cpu_to_le32(1), .slba = cpu_to_le64(4096 + i),
		};

		memcpy(self->h.gmem + LIST_A + 4096 + i * sizeof(r), &r,
		       sizeof(r));
	}
	put_ranges(&self->h, LIST_A + 0x800, LIST_B, 256);
	dsm_sqe(&s, 256, LIST_A + 0x800, LIST_B);
	ASSERT_EQ(NVME_SC_SUCCESS, run1(&self->h, &s, 1));
	EXPECT_EQ(256U, self->h.submitted);
	expect_deallocated(_metadata, &self->h, 256);
}

/* A range split between the pages: 8 of its bytes in each. */
TEST_F(dsm, range_split_across_the_pages)
{
	struct nvme_sqe s;

	put_ranges(&self->h, LIST_A + 0xff8, LIST_B, 3);
	dsm_sqe(&s, 3, LIST_A + 0xff8, LIST_B);
	ASSERT_EQ(NVME_SC_SUCCESS, run1(&self->h, &s, 1));
	EXPECT_EQ(3U, self->h.submitted);
	expect_deallocated(_metadata, &self->h, 3);
}

/*
 * A list that crosses the page needs PRP2: without it, or with one not
 * page aligned, nothing is deallocated and the command fails with the
 * PRP's status, as for any transfer.
 */
TEST_F(dsm, crossing_list_needs_a_good_prp2)
{
	struct nvme_sqe s;

	put_ranges(&self->h, LIST_A + 0x800, LIST_B, 256);
	dsm_sqe(&s, 256, LIST_A + 0x800, LIST_B + 8);
	EXPECT_EQ(NVME_SC_PRP_OFFSET_INVALID | NVME_STATUS_DNR,
		  run1(&self->h, &s, 1));
	dsm_sqe(&s, 256, LIST_A + 0x800, FH_GMEM_SIZE);
	EXPECT_EQ(NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR,
		  run1(&self->h, &s, 2));
	EXPECT_EQ(0U, self->h.submitted);
	expect_deallocated(_metadata, &self->h, 0);
}

/*
 * The last range past the namespace: the command fails as a whole
 * (LBA Out of Range) and none of the 256 is deallocated.
 */
TEST_F(dsm, one_bad_range_of_256_deallocates_nothing)
{
	struct nvme_dsm_range last = {
		.nlb = cpu_to_le32(2), .slba = cpu_to_le64(NSZE - 1),
	};
	struct nvme_sqe s;

	put_ranges(&self->h, LIST_A + 0x800, LIST_B, 256);
	memcpy(self->h.gmem + LIST_B + 0x800 - sizeof(last), &last,
	       sizeof(last));
	dsm_sqe(&s, 256, LIST_A + 0x800, LIST_B);
	EXPECT_EQ(NVME_SC_LBA_RANGE | NVME_STATUS_DNR, run1(&self->h, &s, 1));
	EXPECT_EQ(0U, self->h.submitted);
	expect_deallocated(_metadata, &self->h, 0);
	ASSERT_EQ(1U, self->h.nr_errs);
	EXPECT_EQ((u64)NSZE - 1, self->h.errs[0].lba);
}

TEST_HARNESS_MAIN
