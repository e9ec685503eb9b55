// SPDX-License-Identifier: GPL-2.0
/*
 * Get LBA Status (admin 86h) and the LBA Status Information log (0Eh) of
 * the controller model (kernel/host/vctrl/lba_status.c), over a region
 * lbas part read with the driver's reader (common/leapio/lbas_read.c):
 * the descriptors of the marks in a range (clipped to it, split at the
 * 32-bit NLB, stopped at MNDW with CMPC 1), both action types, every
 * bad field with its status, a runtime that never published (Namespace
 * Not Ready), a part that breaks its rules (Internal Error), a set that
 * changes while it is walked (walked again), the log's ranges and its
 * generation, and OACS and the effects log saying so.
 */
#include <stdlib.h>

#pragma GCC diagnostic ignored "-Wsign-compare"

#include "../lib/lio_harness.h"
#include "fake_guest.h"

#define BUF		FG_DATA
#define POISON		0xa5
#define NSZE		(LEAPIO_DEFAULT_NS_SIZE / LEAPIO_DEFAULT_LBA_SIZE)

FIXTURE(lbas) {
	struct fake_guest *g;
	struct fg_dp dp;
	struct leapio_lbas *l;
	u8 *buf;
};

FIXTURE_SETUP(lbas)
{
	self->g = fg_new(2);
	fg_dp_attach(self->g, &self->dp);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g) & NVME_CSTS_RDY);
	self->l = calloc(1, sizeof(*self->l));
	ASSERT_NE(NULL, self->l);
	self->dp.lbas = self->l;
	self->buf = fg_ptr(self->g, BUF);
	memset(self->buf, POISON, 0x10000);
}

FIXTURE_TEARDOWN(lbas)
{
	free(self->l);
	fg_free(self->g);
}

static void put(struct leapio_lbas *l, u32 i, u32 nsid, u64 slba, u64 nlb)
{
	l->ext[i].nsid = nsid;
	l->ext[i].slba = slba;
	l->ext[i].nlb = nlb;
}

static void publish(struct leapio_lbas *l, u32 count, u32 gen)
{
	l->count = count;
	l->gen = gen;
	l->seq = 2 * gen;
}

static u16 lba_status(struct fake_guest *g, u32 nsid, u64 slba, u32 mndw,
		      u16 rl, u8 atype)
{
	struct nvme_sqe sqe;

	nb_get_lba_status(&sqe, nsid, slba, mndw, rl, atype, BUF);
	return fg_admin_status(g, &sqe);
}

/* The returned descriptors as "dslba+nlb ...", then "/cmpc". */
static const char *descs(const u8 *buf)
{
	static char s[512];

	return nb_lba_status_str(buf, s, sizeof(s));
}

TEST_F(lbas, oacs_and_effects_say_it_is_there)
{
	struct nvme_id_ctrl *id = (void *)self->buf;
	struct nvme_effects_log *e = (void *)self->buf;
	struct nvme_sqe sqe;

	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, BUF);
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_status(self->g, &sqe));
	EXPECT_TRUE(le16_to_cpu(id->oacs) & NVME_CTRL_OACS_LBA_STATUS);
	nb_get_log(&sqe, NVME_LOG_CMD_EFFECTS, 0, sizeof(*e), BUF, false);
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_status(self->g, &sqe));
	EXPECT_EQ(NVME_CMD_EFFECTS_CSUPP,
		  le32_to_cpu(e->acs[nvme_admin_get_lba_status]));
}

TEST_F(lbas, marks_in_the_range_clipped_to_it)
{
	put(self->l, 0, 1, 4, 2);
	put(self->l, 1, 1, 10, 10);
	put(self->l, 2, 1, 100, 1);
	publish(self->l, 3, 1);
	ASSERT_EQ(NVME_SC_SUCCESS, lba_status(self->g, 1, 0, 1023, 0,
					      NVME_LBAS_ATYPE_TRACKED));
	EXPECT_STREQ("4+2 10+10 100+1 /2", descs(self->buf));
	/* From inside a mark, over 8 LBAs: the part of it in the range. */
	ASSERT_EQ(NVME_SC_SUCCESS, lba_status(self->g, 1, 12, 1023, 8,
					      NVME_LBAS_ATYPE_SCAN));
	EXPECT_STREQ("12+8 /2", descs(self->buf));
	/* A range with none. */
	ASSERT_EQ(NVME_SC_SUCCESS, lba_status(self->g, 1, 20, 1023, 80,
					      NVME_LBAS_ATYPE_TRACKED));
	EXPECT_STREQ("/2", descs(self->buf));
}

/*
 * As nvme-cli asks: a calloc'ed buffer of (MNDW + 1) * 4 bytes inside a
 * page, over RL LBAs from SLBA, a 4 KiB LBA format.
 */
TEST_F(lbas, small_buffer_inside_a_page)
{
	struct nvme_sqe sqe;

	ASSERT_EQ(0, lio_vctrl_set_ns(self->g->c, 1, 512ULL << 20, 4096));
	put(self->l, 0, 1, 7169, 1);
	publish(self->l, 1, 3);
	nb_get_lba_status(&sqe, 1, 7168, 63, 64, NVME_LBAS_ATYPE_TRACKED,
			  BUF + 0x2a0);
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_status(self->g, &sqe));
	EXPECT_STREQ("7169+1 /2", descs(self->buf + 0x2a0));
	EXPECT_TRUE(fg_filled(self->buf, POISON, 0x2a0));
	EXPECT_TRUE(fg_filled(self->buf + 0x2a0 + 24, POISON, 256 - 24));
}

TEST_F(lbas, other_namespaces_marks_are_not_ours)
{
	put(self->l, 0, 1, 4, 2);
	put(self->l, 1, 2, 0, 64);
	publish(self->l, 2, 3);
	ASSERT_EQ(NVME_SC_SUCCESS, lba_status(self->g, 1, 0, 63, 0,
					      NVME_LBAS_ATYPE_TRACKED));
	EXPECT_STREQ("4+2 /2", descs(self->buf));
}

/* MNDW 5: the header and one descriptor (6 dwords), then CMPC 1. */
TEST_F(lbas, mndw_stops_it_and_says_so)
{
	u32 i;

	for (i = 0; i < 40; i++)
		put(self->l, i, 1, 10ULL * i, 2);
	publish(self->l, 40, 1);
	ASSERT_EQ(NVME_SC_SUCCESS, lba_status(self->g, 1, 0, 5, 0,
					      NVME_LBAS_ATYPE_TRACKED));
	EXPECT_STREQ("0+2 /1", descs(self->buf));
	/* Nothing written past the 24 bytes asked for. */
	EXPECT_TRUE(fg_filled(self->buf + 24, POISON, 64));
	/* Past a batch of the walk (16), all 40 of them. */
	ASSERT_EQ(NVME_SC_SUCCESS, lba_status(self->g, 1, 0, 1023, 0,
					      NVME_LBAS_ATYPE_TRACKED));
	EXPECT_EQ(40U, le32_to_cpu(((struct nvme_lba_status_hdr *)self->buf)->nlsd));
	EXPECT_EQ(NVME_LBAS_CMPC_DONE, self->buf[4]);
	EXPECT_EQ(390ULL, le64_to_cpu(((struct nvme_lba_status_desc *)
				       (self->buf + 8))[39].dslba));
}

TEST_F(lbas, a_long_mark_takes_several_descriptors)
{
	ASSERT_EQ(0, lio_vctrl_set_ns(self->g->c, 1, 1ULL << 46, 512));
	put(self->l, 0, 1, 7, (1ULL << 33) + 5);
	publish(self->l, 1, 1);
	ASSERT_EQ(NVME_SC_SUCCESS, lba_status(self->g, 1, 0, 1023, 0,
					      NVME_LBAS_ATYPE_TRACKED));
	/* 2^33 + 5 = 2 * (2^32 - 1) + 7 */
	EXPECT_STREQ("7+4294967295 4294967302+4294967295 8589934597+7 /2",
		     descs(self->buf));
}

TEST_F(lbas, bad_fields)
{
	put(self->l, 0, 1, 4, 2);
	publish(self->l, 1, 1);
	EXPECT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
		  lba_status(self->g, 2, 0, 63, 0, NVME_LBAS_ATYPE_TRACKED));
	EXPECT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
		  lba_status(self->g, 0, 0, 63, 0, NVME_LBAS_ATYPE_TRACKED));
	EXPECT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
		  lba_status(self->g, 0xffffffff, 0, 63, 0,
			     NVME_LBAS_ATYPE_TRACKED));
	EXPECT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
		  lba_status(self->g, 1, 0, 63, 0, 0x02));
	EXPECT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
		  lba_status(self->g, 1, 0, 63, 0, 0));
	/* MNDW 0: four bytes, no room for the header. */
	EXPECT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
		  lba_status(self->g, 1, 0, 0, 0, NVME_LBAS_ATYPE_TRACKED));
	/* More than a transfer (MDTS). */
	EXPECT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
		  lba_status(self->g, 1, 0, LIO_MAX_XFER / 4, 0,
			     NVME_LBAS_ATYPE_TRACKED));
	EXPECT_EQ(FG_ADMIN_ERR(NVME_SC_LBA_RANGE),
		  lba_status(self->g, 1, NSZE, 63, 0, NVME_LBAS_ATYPE_TRACKED));
	EXPECT_EQ(FG_ADMIN_ERR(NVME_SC_LBA_RANGE),
		  lba_status(self->g, 1, ~0ULL, 63, 0, NVME_LBAS_ATYPE_TRACKED));
	/* Not one of them wrote anything. */
	EXPECT_TRUE(fg_filled(self->buf, POISON, 4096));
}

TEST_F(lbas, no_runtime_yet_is_not_ready)
{
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_NS_NOT_READY),
		  lba_status(self->g, 1, 0, 63, 0, NVME_LBAS_ATYPE_TRACKED));
	self->dp.lbas = NULL;
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_NS_NOT_READY),
		  lba_status(self->g, 1, 0, 63, 0, NVME_LBAS_ATYPE_TRACKED));
	/* Torn for good: a runtime killed while publishing. */
	self->dp.lbas = self->l;
	publish(self->l, 0, 1);
	self->l->seq = 3;
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_NS_NOT_READY),
		  lba_status(self->g, 1, 0, 63, 0, NVME_LBAS_ATYPE_TRACKED));
	EXPECT_TRUE(fg_filled(self->buf, POISON, 4096));
}

TEST_F(lbas, broken_part_is_an_internal_error)
{
	put(self->l, 0, 1, 10, 2);
	put(self->l, 1, 1, 4, 2);
	publish(self->l, 2, 1);
	EXPECT_EQ(FG_ADMIN_ERR(NVME_SC_INTERNAL),
		  lba_status(self->g, 1, 0, 63, 0, NVME_LBAS_ATYPE_TRACKED));
	publish(self->l, LEAPIO_LBAS_MAX + 1, 1);
	EXPECT_EQ(FG_ADMIN_ERR(NVME_SC_INTERNAL),
		  lba_status(self->g, 1, 0, 63, 0, NVME_LBAS_ATYPE_TRACKED));
}

/* The runtime publishes a new set between two batches of the walk. */
static void republish_once(struct fg_dp *dp, unsigned int call)
{
	u32 i;

	if (call != 1)
		return;
	for (i = 0; i < 20; i++)
		put(dp->lbas, i, 1, 10ULL * i + 5, 1);
	publish(dp->lbas, 20, 2);
}

TEST_F(lbas, set_changed_under_the_walk_is_walked_again)
{
	u32 i;

	for (i = 0; i < 20; i++)
		put(self->l, i, 1, 10ULL * i, 2);
	publish(self->l, 20, 1);
	self->dp.lbas_before = republish_once;
	ASSERT_EQ(NVME_SC_SUCCESS, lba_status(self->g, 1, 0, 1023, 0,
					      NVME_LBAS_ATYPE_TRACKED));
	/* All from the new set: none of the old one's 0+2. */
	EXPECT_EQ(20U, le32_to_cpu(((struct nvme_lba_status_hdr *)self->buf)->nlsd));
	EXPECT_EQ(5ULL, le64_to_cpu(((struct nvme_lba_status_desc *)
				     (self->buf + 8))[0].dslba));
	EXPECT_EQ(1U, le32_to_cpu(((struct nvme_lba_status_desc *)
				   (self->buf + 8))[0].nlb));
	EXPECT_LE(3U, self->dp.lbas_calls);
}

static u16 get_lbas_log(struct fake_guest *g, u32 len)
{
	struct nvme_sqe sqe;

	nb_get_log(&sqe, NVME_LOG_LBA_STATUS, 0, len, BUF, false);
	return fg_admin_status(g, &sqe);
}

TEST_F(lbas, log_lists_the_marks_and_their_generation)
{
	const struct nvme_lbas_log_hdr *h = (const void *)self->buf;
	const struct nvme_lbas_ns_elem *e = (const void *)(h + 1);
	const struct nvme_lbas_range_desc *d = (const void *)(e + 1);

	put(self->l, 0, 1, 4, 2);
	put(self->l, 1, 1, 10, 3);
	publish(self->l, 2, 0x10007);
	ASSERT_EQ(NVME_SC_SUCCESS, get_lbas_log(self->g, 4096));
	EXPECT_EQ(16U + 16 + 2 * 16, le32_to_cpu(h->lslplen));
	EXPECT_EQ(1U, le32_to_cpu(h->nlslne));
	EXPECT_EQ(5U, le32_to_cpu(h->estulb));
	EXPECT_EQ(7U, le16_to_cpu(h->lsgc));
	EXPECT_EQ(1U, le32_to_cpu(e->neid));
	EXPECT_EQ(2U, le32_to_cpu(e->nrld));
	EXPECT_EQ(NVME_LBAS_ATYPE_TRACKED, e->ratype);
	EXPECT_EQ(4ULL, le64_to_cpu(d[0].rslba));
	EXPECT_EQ(2U, le32_to_cpu(d[0].rnlb));
	EXPECT_EQ(10ULL, le64_to_cpu(d[1].rslba));
	EXPECT_EQ(3U, le32_to_cpu(d[1].rnlb));
	/* Zero past the log. */
	EXPECT_TRUE(fg_filled(self->buf + 64, 0, 4096 - 64));
}

TEST_F(lbas, log_without_marks_is_a_header)
{
	const struct nvme_lbas_log_hdr *h = (const void *)self->buf;

	publish(self->l, 0, 4);
	ASSERT_EQ(NVME_SC_SUCCESS, get_lbas_log(self->g, 64));
	EXPECT_EQ(16U, le32_to_cpu(h->lslplen));
	EXPECT_EQ(0U, le32_to_cpu(h->nlslne));
	EXPECT_EQ(4U, le16_to_cpu(h->lsgc));
}

/* More marks than the log's page holds: the last range spans the rest. */
TEST_F(lbas, log_of_many_marks_ends_with_a_span)
{
	const struct nvme_lbas_log_hdr *h = (const void *)self->buf;
	const struct nvme_lbas_ns_elem *e = (const void *)(h + 1);
	const struct nvme_lbas_range_desc *d = (const void *)(e + 1);
	u32 i, room = (4096 - 32) / 16;

	for (i = 0; i < 1000; i++)
		put(self->l, i, 1, 4ULL * i, 1);
	publish(self->l, 1000, 1);
	ASSERT_EQ(NVME_SC_SUCCESS, get_lbas_log(self->g, 4096));
	EXPECT_EQ(room, le32_to_cpu(e->nrld));
	EXPECT_EQ(4096U, le32_to_cpu(h->lslplen));
	EXPECT_EQ(1000U, le32_to_cpu(h->estulb));
	EXPECT_EQ(4ULL * (room - 2), le64_to_cpu(d[room - 2].rslba));
	EXPECT_EQ(1U, le32_to_cpu(d[room - 2].rnlb));
	EXPECT_EQ(4ULL * (room - 1), le64_to_cpu(d[room - 1].rslba));
	EXPECT_EQ(4U * 999 + 1 - 4 * (room - 1), le32_to_cpu(d[room - 1].rnlb));
}

/*
 * Namespaces 1 and 3: an element each, in NSID order, at one generation;
 * marks of an NSID with no namespace (2) are in none. Get LBA Status
 * takes namespace 3 and not 2.
 */
TEST(log_of_several_namespaces)
{
	struct leapio_lbas *l = calloc(1, sizeof(*l));
	struct fake_guest *g = fg_new(1);
	const struct nvme_lbas_log_hdr *h;
	const struct nvme_lbas_ns_elem *e;
	const struct nvme_lbas_range_desc *d;
	struct fg_dp dp;
	u8 *buf;

	ASSERT_NE(NULL, l);
	ASSERT_NE(NULL, g);
	fg_dp_attach(g, &dp);
	dp.lbas = l;
	ASSERT_EQ(0, lio_vctrl_set_ns(g->c, 3, 1ULL << 20, 512));
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g) & NVME_CSTS_RDY);
	buf = fg_ptr(g, BUF);
	h = (const void *)buf;
	/* In order, as the part keeps them. */
	put(l, 0, 1, 4, 2);
	put(l, 1, 2, 0, 64);
	put(l, 2, 3, 7, 1);
	put(l, 3, 3, 100, 8);
	publish(l, 4, 9);
	ASSERT_EQ(NVME_SC_SUCCESS, get_lbas_log(g, 4096));
	EXPECT_EQ(16U + (16 + 16) + (16 + 2 * 16), le32_to_cpu(h->lslplen));
	EXPECT_EQ(2U, le32_to_cpu(h->nlslne));
	EXPECT_EQ(2U + 9, le32_to_cpu(h->estulb));
	EXPECT_EQ(9U, le16_to_cpu(h->lsgc));
	e = (const void *)(h + 1);
	d = (const void *)(e + 1);
	EXPECT_EQ(1U, le32_to_cpu(e->neid));
	EXPECT_EQ(1U, le32_to_cpu(e->nrld));
	EXPECT_EQ(4ULL, le64_to_cpu(d[0].rslba));
	e = (const void *)(d + 1);
	d = (const void *)(e + 1);
	EXPECT_EQ(3U, le32_to_cpu(e->neid));
	EXPECT_EQ(2U, le32_to_cpu(e->nrld));
	EXPECT_EQ(7ULL, le64_to_cpu(d[0].rslba));
	EXPECT_EQ(100ULL, le64_to_cpu(d[1].rslba));
	EXPECT_EQ(8U, le32_to_cpu(d[1].rnlb));

	ASSERT_EQ(NVME_SC_SUCCESS, lba_status(g, 3, 0, 63, 0,
					      NVME_LBAS_ATYPE_TRACKED));
	EXPECT_STREQ("7+1 100+8 /2", descs(buf));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
		  lba_status(g, 2, 0, 63, 0, NVME_LBAS_ATYPE_TRACKED));
	fg_free(g);
	free(l);
}

TEST_F(lbas, log_before_a_runtime_is_not_ready)
{
	EXPECT_EQ(FG_ADMIN_ERR(NVME_SC_NS_NOT_READY),
		  get_lbas_log(self->g, 64));
}

TEST_HARNESS_MAIN
