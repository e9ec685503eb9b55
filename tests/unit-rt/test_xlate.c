// SPDX-License-Identifier: GPL-2.0
/*
 * I/O through 4 KiB translations: the fake host's MAP answers with L2
 * table leaves (fake_host.map_mode), written by the module's own region
 * writer, for exactly the pages asked for. The core's table walk, its
 * MAP requests for the pages a transfer reaches, and its leaf cache (one
 * 4 KiB leaf is not a 2 MiB one) are what is tested: transfers inside a
 * leaf, across leaves of one table, across two tables and across a table
 * and a 2 MiB leaf, and a leaf taken away and given back.
 */
#include <string.h>

#include "../lib/lio_harness.h"
#include "fake_host.h"

#define NSZE		8192		/* 512-byte LBAs: 4 MiB */
#define SQ_GPA		0x10000
#define CQ_GPA		0x20000
#define QSIZE		16
#define MB2		(1ULL << 21)
/* block 3: 4 KiB leaves in both modes */
#define DATA_GPA	(3 * MB2 + 0x40000)
#define LIST_GPA	(3 * MB2 + 0x100000)
/* the end of block 2 (4 KiB or 2 MiB leaves) and block 3 after it */
#define EDGE_GPA	(3 * MB2 - 0x4000)

FIXTURE(xlate) {
	struct fake_host h;
};

FIXTURE_VARIANT(xlate) {
	enum fh_map_mode mode;
};

/* Everything in 4 KiB leaves, queues included. */
FIXTURE_VARIANT_ADD(xlate, all_4k) {
	.mode = FH_MAP_4K,
};

/* Odd blocks in 4 KiB leaves, even ones (the queues') 2 MiB. */
FIXTURE_VARIANT_ADD(xlate, mixed) {
	.mode = FH_MAP_MIXED,
};

FIXTURE_SETUP(xlate)
{
	fh_init(&self->h, 1, NSZE, 9);
	self->h.map_mode = variant->mode;
	ASSERT_EQ(0, fh_create_cq(&self->h, 1, CQ_GPA, QSIZE, 1, true));
	ASSERT_EQ(0, fh_create_sq(&self->h, 1, SQ_GPA, QSIZE, 1));
	fh_poll(&self->h, 2);
}

FIXTURE_TEARDOWN(xlate)
{
	fh_release(&self->h, 0);
	fh_fini(&self->h);
}

/* Submit one command, poll, reap its CQE: the status field (no phase). */
static u16 run1(struct fake_host *h, const struct nvme_sqe *s)
{
	struct nvme_cqe cqe;
	int i;

	fh_submit(h, 1, s);
	for (i = 0; i < 8; i++) {
		fh_poll(h, 1);
		if (fh_reap(h, 1, &cqe))
			return le16_to_cpu(cqe.status) & ~1U;
	}
	return 0xffff;
}

static void fill(u8 *p, size_t n, u8 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(seed + i * 13);
}

/* The L2 leaf of gpa as the region has it, 0 if none (or no table). */
static u64 l2_leaf(struct fake_host *h, u64 gpa)
{
	u64 e = le64_to_cpu(h->r.l1[gpa >> LEAPIO_L1_SHIFT]);

	if (!(e & LEAPIO_XLATE_VALID) || (e & LEAPIO_XLATE_LEAF))
		return 0;
	return le64_to_cpu(h->r.l2[(u64)LEAPIO_XLATE_TABLE(e) * LEAPIO_L2_ENTRIES +
				   ((gpa >> LEAPIO_L2_SHIFT) &
				    (LEAPIO_L2_ENTRIES - 1))]);
}

static bool poll_ack(struct fake_host *h)
{
	unsigned int i;

	for (i = 0; i < 1000 && !fh_acked(h); i++)
		fh_poll(h, 1);
	return fh_acked(h);
}

/* Two 4 KiB leaves, PRP1 and PRP2; only the pages used are translated. */
TEST_F(xlate, write_read_two_leaves)
{
	struct fake_host *h = &self->h;
	u8 *g = h->gmem;
	struct nvme_sqe s;

	fill(g + DATA_GPA, 8192, 5);
	fh_rw_sqe(&s, nvme_cmd_write, 1, 8, 16, DATA_GPA, DATA_GPA + 4096);
	ASSERT_EQ(0, run1(h, &s));
	EXPECT_EQ(0, memcmp(h->store + 8 * 512, g + DATA_GPA, 8192));
	EXPECT_EQ(LEAPIO_XLATE_VALID | LEAPIO_XLATE_LEAF | LEAPIO_XLATE_WRITE |
		  (FH_HPA + DATA_GPA), l2_leaf(h, DATA_GPA));
	EXPECT_NE(0, l2_leaf(h, DATA_GPA + 4096));
	EXPECT_EQ(0, l2_leaf(h, DATA_GPA + 8192));
	EXPECT_EQ(0, l2_leaf(h, DATA_GPA - 4096));

	memset(g + DATA_GPA, 0, 8192);
	fh_rw_sqe(&s, nvme_cmd_read, 2, 8, 16, DATA_GPA, DATA_GPA + 4096);
	ASSERT_EQ(0, run1(h, &s));
	EXPECT_EQ(0, memcmp(h->store + 8 * 512, g + DATA_GPA, 8192));
}

/*
 * A PRP list transfer from the last pages of block 2 into block 3: two
 * L2 tables (all_4k) or a 2 MiB leaf then a table (mixed), data at an
 * offset so that every page boundary falls inside a command.
 */
TEST_F(xlate, prp_list_across_blocks)
{
	struct fake_host *h = &self->h;
	__le64 *list = (__le64 *)(h->gmem + LIST_GPA);
	u32 len = 8 * 4096;
	u64 p1 = EDGE_GPA + 0x200;
	u8 *g = h->gmem;
	unsigned int i;
	struct nvme_sqe s;

	/* pages EDGE_GPA + 4 KiB ... : 3 in block 2, 5 in block 3 */
	for (i = 0; i < 8; i++)
		list[i] = cpu_to_le64(EDGE_GPA + (u64)(i + 1) * 4096);
	fill(h->store, len, 9);
	fh_rw_sqe(&s, nvme_cmd_read, 3, 0, len / 512, p1, LIST_GPA);
	ASSERT_EQ(0, run1(h, &s));
	EXPECT_EQ(0, memcmp(g + p1, h->store, len));
	EXPECT_NE(0, l2_leaf(h, 3 * MB2));
	if (variant->mode == FH_MAP_4K)
		EXPECT_NE(0, l2_leaf(h, EDGE_GPA));

	/* and back: the same pages written to another LBA range */
	fh_rw_sqe(&s, nvme_cmd_write, 4, 128, len / 512, p1, LIST_GPA);
	ASSERT_EQ(0, run1(h, &s));
	EXPECT_EQ(0, memcmp(h->store + 128 * 512, g + p1, len));
}

/*
 * The leaf found last is a 4 KiB one: the next page, not translated, is
 * asked for, not taken as part of the same leaf.
 */
TEST_F(xlate, leaf_cache_is_one_page)
{
	struct fake_host *h = &self->h;
	struct nvme_sqe s;
	unsigned int maps;

	fh_rw_sqe(&s, nvme_cmd_read, 5, 0, 1, DATA_GPA + 0x800, 0);
	ASSERT_EQ(0, run1(h, &s));
	maps = h->maps;
	/* the same leaf: nothing to ask */
	fh_rw_sqe(&s, nvme_cmd_read, 6, 0, 1, DATA_GPA + 0x200, 0);
	ASSERT_EQ(0, run1(h, &s));
	EXPECT_EQ(maps, h->maps);
	EXPECT_EQ(0, l2_leaf(h, DATA_GPA + 0x1000));
	/* the next page and the one before: a MAP of their own each */
	fh_rw_sqe(&s, nvme_cmd_read, 7, 0, 1, DATA_GPA + 0x1000, 0);
	ASSERT_EQ(0, run1(h, &s));
	EXPECT_EQ(maps + 1, h->maps);
	EXPECT_NE(0, l2_leaf(h, DATA_GPA + 0x1000));
	fh_rw_sqe(&s, nvme_cmd_read, 8, 0, 1, DATA_GPA + 0x800, 0);
	ASSERT_EQ(0, run1(h, &s));
	EXPECT_EQ(0, l2_leaf(h, DATA_GPA - 0x1000));
	fh_rw_sqe(&s, nvme_cmd_read, 9, 0, 1, DATA_GPA - 0x1000, 0);
	ASSERT_EQ(0, run1(h, &s));
	EXPECT_EQ(maps + 2, h->maps);
	EXPECT_NE(0, l2_leaf(h, DATA_GPA - 0x1000));
}

/*
 * Leaves taken away (unmap, acked) are not used from the cache: the
 * command fails with nothing at the backend; mapped back, it goes
 * through a table handed out afresh.
 */
TEST_F(xlate, leaves_taken_away_and_back)
{
	struct fake_host *h = &self->h;
	struct nvme_sqe s;
	unsigned int sub;

	fh_rw_sqe(&s, nvme_cmd_write, 8, 0, 8, DATA_GPA, 0);
	ASSERT_EQ(0, run1(h, &s));
	ASSERT_NE(0, l2_leaf(h, DATA_GPA));

	fh_unmap(h, 3 * MB2, MB2);
	ASSERT_TRUE(poll_ack(h));
	EXPECT_EQ(0, le64_to_cpu(h->r.l1[3]));
	sub = h->submitted;
	fh_rw_sqe(&s, nvme_cmd_write, 9, 0, 8, DATA_GPA, 0);
	EXPECT_EQ(NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR, run1(h, &s));
	EXPECT_EQ(sub, h->submitted);

	fh_map_back(h);
	fh_rw_sqe(&s, nvme_cmd_write, 10, 0, 8, DATA_GPA, 0);
	EXPECT_EQ(0, run1(h, &s));
	EXPECT_EQ(sub + 1, h->submitted);
	EXPECT_NE(0, l2_leaf(h, DATA_GPA));
}

/* MAP refusals: outside guest memory, or in the hole; nothing written. */
TEST_F(xlate, map_refusals)
{
	struct fake_host *h = &self->h;
	u64 l1 = le64_to_cpu(h->r.l1[3]);

	EXPECT_EQ(-EFAULT, fh_map(h, FH_GMEM_SIZE - 4096, 8192));
	EXPECT_EQ(-EFAULT, fh_map(h, ~0ULL - 4095, 8192));
	EXPECT_EQ(-EFAULT, fh_map(h, DATA_GPA, 0));
	h->hole_start = DATA_GPA;
	h->hole_len = 4096;
	EXPECT_EQ(-EFAULT, fh_map(h, DATA_GPA - 4096, 8192));
	EXPECT_EQ(l1, le64_to_cpu(h->r.l1[3]));
	EXPECT_EQ(0, l2_leaf(h, DATA_GPA - 4096));
	EXPECT_EQ(0, fh_map(h, DATA_GPA + 4096, 4096));
	EXPECT_NE(0, l2_leaf(h, DATA_GPA + 4096));
}

TEST_HARNESS_MAIN
