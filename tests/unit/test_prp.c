// SPDX-License-Identifier: GPL-2.0
/*
 * PRP walking: the pure walker of common/nvme/prp.c on its own, with
 * callbacks that record what it asks for, then the controller's copies to
 * and from guest memory that use it (dma.c), then one admin command end
 * to end.
 */
#include <stdlib.h>

#include "../lib/lio_harness.h"
#include "fake_guest.h"
#include "../../common/nvme/prp.h"

#define PG		4096U
/* The walker's own guest: PRP list pages at LMEM, data addresses anywhere. */
#define LMEM		0x40000000ULL
#define LMEM_PAGES	16
#define DATA(n)		(0x80000000ULL + (u64)(n) * PG)
#define MAX_SEGS	2048

struct walk {
	__le64	lmem[LMEM_PAGES * PG / 8];
	u64	seg_gpa[MAX_SEGS];
	u32	seg_len[MAX_SEGS];
	u32	nseg;
	u32	fail_seg;	/* 1-based segment to fail, 0: none */
	u32	nread;		/* read_list calls */
	u64	read_lo[MAX_SEGS];
	u64	read_hi[MAX_SEGS];
};

static int rec_read_list(void *ctx, u64 gpa, __le64 *e, u32 n)
{
	struct walk *w = ctx;

	if (w->nread < MAX_SEGS) {
		w->read_lo[w->nread] = gpa;
		w->read_hi[w->nread] = gpa + (u64)n * 8;
	}
	w->nread++;
	if (gpa < LMEM || gpa + (u64)n * 8 > LMEM + sizeof(w->lmem))
		return -EFAULT;
	memcpy(e, (u8 *)w->lmem + (gpa - LMEM), (size_t)n * 8);
	return 0;
}

static int rec_segment(void *ctx, u64 gpa, u32 len)
{
	struct walk *w = ctx;

	if (w->nseg >= MAX_SEGS)
		return -ENOSPC;
	w->seg_gpa[w->nseg] = gpa;
	w->seg_len[w->nseg] = len;
	w->nseg++;
	if (w->fail_seg == w->nseg)
		return -EFAULT;
	return 0;
}

static u16 do_walk(struct walk *w, u64 prp1, u64 prp2, u32 len, u32 page,
		   u16 *loc)
{
	struct nvme_prp_walk pw = {
		.prp1 = prp1,
		.prp2 = prp2,
		.len = len,
		.page_size = page,
		.read_list = rec_read_list,
		.segment = rec_segment,
		.ctx = w,
	};

	return nvme_prp_walk(&pw, loc);
}

/* Entry i of the list whose page starts at gpa (in LMEM). */
static void set_entry(struct walk *w, u64 gpa, u32 i, u64 val)
{
	__le64 v = cpu_to_le64(val);

	memcpy((u8 *)w->lmem + (gpa - LMEM) + (u64)i * 8, &v, sizeof(v));
}

FIXTURE(prp) {
	struct walk *w;
	u16 loc;
};

FIXTURE_SETUP(prp)
{
	self->w = calloc(1, sizeof(*self->w));
	ASSERT_NE(NULL, self->w);
	self->loc = 0x1234;
}

FIXTURE_TEARDOWN(prp)
{
	free(self->w);
}

#define SEG(i, gpa, len) do {					\
	ASSERT_EQ((u64)(gpa), self->w->seg_gpa[i]);		\
	ASSERT_EQ((u32)(len), self->w->seg_len[i]);		\
} while (0)

TEST_F(prp, zero_length_touches_nothing)
{
	/* Even with pointers that would be refused. */
	ASSERT_EQ(NVME_SC_SUCCESS, do_walk(self->w, 3, 5, 0, PG, &self->loc));
	ASSERT_EQ(0U, self->w->nseg);
	ASSERT_EQ(0U, self->w->nread);
	ASSERT_EQ(0xffff, self->loc);
}

TEST_F(prp, prp1_must_be_dword_aligned)
{
	static const u64 offs[] = { 1, 2, 3, 5, 0x7fe, 0xfff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		self->w->nseg = 0;
		ASSERT_EQ(NVME_SC_PRP_OFFSET_INVALID,
			  do_walk(self->w, DATA(0) + offs[i], DATA(1), 16, PG,
				  &self->loc));
		ASSERT_EQ(NVME_SQE_OFF_PRP1, self->loc);
		ASSERT_EQ(0U, self->w->nseg);
	}
}

TEST_F(prp, within_prp1_page_ignores_prp2)
{
	/* PRP2 holds garbage that would be refused if it were used. */
	ASSERT_EQ(NVME_SC_SUCCESS,
		  do_walk(self->w, DATA(0) + 4, 0x3, 100, PG, &self->loc));
	ASSERT_EQ(1U, self->w->nseg);
	SEG(0, DATA(0) + 4, 100);
	ASSERT_EQ(0U, self->w->nread);
}

TEST_F(prp, up_to_the_end_of_prp1_page)
{
	ASSERT_EQ(NVME_SC_SUCCESS,
		  do_walk(self->w, DATA(0) + 0x800, 0x3, 0x800, PG, &self->loc));
	ASSERT_EQ(1U, self->w->nseg);
	SEG(0, DATA(0) + 0x800, 0x800);

	/* The last dword of a page. */
	self->w->nseg = 0;
	ASSERT_EQ(NVME_SC_SUCCESS,
		  do_walk(self->w, DATA(0) + 0xffc, 0, 4, PG, &self->loc));
	ASSERT_EQ(1U, self->w->nseg);
	SEG(0, DATA(0) + 0xffc, 4);

	/* A whole page from its start. */
	self->w->nseg = 0;
	ASSERT_EQ(NVME_SC_SUCCESS,
		  do_walk(self->w, DATA(0), 0x7, PG, PG, &self->loc));
	ASSERT_EQ(1U, self->w->nseg);
	SEG(0, DATA(0), PG);
}

TEST_F(prp, second_page_is_prp2)
{
	ASSERT_EQ(NVME_SC_SUCCESS,
		  do_walk(self->w, DATA(0) + 0x800, DATA(7), PG, PG, &self->loc));
	ASSERT_EQ(2U, self->w->nseg);
	SEG(0, DATA(0) + 0x800, 0x800);
	SEG(1, DATA(7), 0x800);
	ASSERT_EQ(0U, self->w->nread);

	/* Two whole pages. */
	self->w->nseg = 0;
	ASSERT_EQ(NVME_SC_SUCCESS,
		  do_walk(self->w, DATA(0), DATA(9), 2 * PG, PG, &self->loc));
	ASSERT_EQ(2U, self->w->nseg);
	SEG(0, DATA(0), PG);
	SEG(1, DATA(9), PG);

	/* One byte into the second page. */
	self->w->nseg = 0;
	ASSERT_EQ(NVME_SC_SUCCESS,
		  do_walk(self->w, DATA(0) + 0xffc, DATA(3), 5, PG, &self->loc));
	ASSERT_EQ(2U, self->w->nseg);
	SEG(0, DATA(0) + 0xffc, 4);
	SEG(1, DATA(3), 1);
}

TEST_F(prp, prp2_data_page_must_start_the_page)
{
	static const u64 offs[] = { 4, 8, 0x800, 0xffc, 1, 2 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		self->w->nseg = 0;
		ASSERT_EQ(NVME_SC_PRP_OFFSET_INVALID,
			  do_walk(self->w, DATA(0), DATA(1) + offs[i], 2 * PG,
				  PG, &self->loc));
		ASSERT_EQ(NVME_SQE_OFF_PRP2, self->loc);
		/* Refused before any data moved. */
		ASSERT_EQ(0U, self->w->nseg);
	}
}

TEST_F(prp, list)
{
	u64 l = LMEM;

	set_entry(self->w, l, 0, DATA(10));
	set_entry(self->w, l, 1, DATA(11));
	set_entry(self->w, l, 2, DATA(12));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  do_walk(self->w, DATA(0), l, 3 * PG + 100, PG, &self->loc));
	ASSERT_EQ(4U, self->w->nseg);
	SEG(0, DATA(0), PG);
	SEG(1, DATA(10), PG);
	SEG(2, DATA(11), PG);
	SEG(3, DATA(12), 100);

	/* With an offset in PRP1 the list carries the rest. */
	memset(self->w->seg_gpa, 0, sizeof(self->w->seg_gpa));
	self->w->nseg = 0;
	ASSERT_EQ(NVME_SC_SUCCESS,
		  do_walk(self->w, DATA(0) + 0x200, l, 3 * PG, PG, &self->loc));
	ASSERT_EQ(4U, self->w->nseg);
	SEG(0, DATA(0) + 0x200, 0xe00);
	SEG(1, DATA(10), PG);
	SEG(2, DATA(11), PG);
	SEG(3, DATA(12), 0x200);
}

TEST_F(prp, list_pointer_may_have_a_dword_offset)
{
	u64 l = LMEM + 0x104;

	set_entry(self->w, l, 0, DATA(20));
	set_entry(self->w, l, 1, DATA(21));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  do_walk(self->w, DATA(0), l, 3 * PG, PG, &self->loc));
	ASSERT_EQ(3U, self->w->nseg);
	SEG(1, DATA(20), PG);
	SEG(2, DATA(21), PG);
	ASSERT_EQ(l, self->w->read_lo[0]);
}

TEST_F(prp, list_pointer_not_dword_aligned)
{
	static const u64 offs[] = { 1, 2, 3, 0x101, 0xffe };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		self->w->nseg = 0;
		self->w->nread = 0;
		ASSERT_EQ(NVME_SC_PRP_OFFSET_INVALID,
			  do_walk(self->w, DATA(0), LMEM + offs[i], 3 * PG, PG,
				  &self->loc));
		ASSERT_EQ(NVME_SQE_OFF_PRP2, self->loc);
		ASSERT_EQ(0U, self->w->nseg);
		ASSERT_EQ(0U, self->w->nread);
	}
}

TEST_F(prp, list_entry_with_an_offset)
{
	static const u64 offs[] = { 4, 8, 0x10, 0x800, 0xffc, 1 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		set_entry(self->w, LMEM, 0, DATA(10));
		set_entry(self->w, LMEM, 1, DATA(11) + offs[i]);
		set_entry(self->w, LMEM, 2, DATA(12));
		self->w->nseg = 0;
		ASSERT_EQ(NVME_SC_PRP_OFFSET_INVALID,
			  do_walk(self->w, DATA(0), LMEM, 4 * PG, PG,
				  &self->loc));
		ASSERT_EQ(NVME_SQE_OFF_PRP2, self->loc);
		/* Nothing of the bad entry or after it. */
		ASSERT_EQ(2U, self->w->nseg);
	}
}

TEST_F(prp, list_with_offset_chains_at_its_last_slot)
{
	/* A list starting 16 bytes before the end of its page has two
	 * slots: one data page, then the pointer to the next list.
	 */
	u64 l = LMEM + PG - 16;
	u64 l2 = LMEM + 3 * PG;

	set_entry(self->w, l, 0, DATA(30));
	set_entry(self->w, l, 1, l2);
	set_entry(self->w, l2, 0, DATA(31));
	set_entry(self->w, l2, 1, DATA(32));
	set_entry(self->w, l2, 2, DATA(33));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  do_walk(self->w, DATA(0), l, 5 * PG, PG, &self->loc));
	ASSERT_EQ(5U, self->w->nseg);
	SEG(0, DATA(0), PG);
	SEG(1, DATA(30), PG);
	SEG(2, DATA(31), PG);
	SEG(3, DATA(32), PG);
	SEG(4, DATA(33), PG);

	/* With just two pages left, the last slot is data: no chain. */
	self->w->nseg = 0;
	set_entry(self->w, l, 1, DATA(40));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  do_walk(self->w, DATA(0), l, 3 * PG, PG, &self->loc));
	ASSERT_EQ(3U, self->w->nseg);
	SEG(1, DATA(30), PG);
	SEG(2, DATA(40), PG);
}

/* One list page, full of data entries from DATA(base). */
static void fill_list(struct walk *w, u64 list, u32 n, u32 base)
{
	u32 i;

	for (i = 0; i < n; i++)
		set_entry(w, list, i, DATA(base + i));
}

TEST_F(prp, full_list_page_chains)
{
	u64 l1 = LMEM, l2 = LMEM + 5 * PG;
	u32 i;

	fill_list(self->w, l1, 511, 1);
	set_entry(self->w, l1, 511, l2);
	fill_list(self->w, l2, 89, 512);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  do_walk(self->w, DATA(0), l1, PG + 600 * PG, PG, &self->loc));
	ASSERT_EQ(601U, self->w->nseg);
	for (i = 0; i < 601; i++)
		SEG(i, DATA(i), PG);
	/* Reads stayed within each list, and within what was needed. */
	for (i = 0; i < self->w->nread; i++) {
		u64 lo = self->w->read_lo[i], hi = self->w->read_hi[i];

		ASSERT_TRUE((lo >= l1 && hi <= l1 + PG) ||
			    (lo >= l2 && hi <= l2 + 89 * 8));
	}
}

TEST_F(prp, exactly_one_full_list_page_no_chain)
{
	u32 i;

	/* 512 pages after PRP1: slot 511 is the last data page. */
	fill_list(self->w, LMEM, 512, 1);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  do_walk(self->w, DATA(0), LMEM, 513 * PG, PG, &self->loc));
	ASSERT_EQ(513U, self->w->nseg);
	for (i = 0; i < 513; i++)
		SEG(i, DATA(i), PG);
}

TEST_F(prp, one_page_more_needs_a_chain)
{
	u64 l2 = LMEM + 2 * PG;
	u32 i;

	fill_list(self->w, LMEM, 511, 1);
	set_entry(self->w, LMEM, 511, l2);
	fill_list(self->w, l2, 2, 512);
	/* Garbage after what the transfer needs is never looked at. */
	set_entry(self->w, l2, 2, 0x5);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  do_walk(self->w, DATA(0), LMEM, 514 * PG - 8, PG,
			  &self->loc));
	ASSERT_EQ(514U, self->w->nseg);
	for (i = 0; i < 513; i++)
		SEG(i, DATA(i), PG);
	SEG(513, DATA(513), PG - 8);
}

TEST_F(prp, chain_pointer_must_be_page_aligned)
{
	fill_list(self->w, LMEM, 511, 1);
	set_entry(self->w, LMEM, 511, LMEM + 2 * PG + 8);
	ASSERT_EQ(NVME_SC_PRP_OFFSET_INVALID,
		  do_walk(self->w, DATA(0), LMEM, 600 * PG, PG, &self->loc));
	ASSERT_EQ(NVME_SQE_OFF_PRP2, self->loc);
	ASSERT_EQ(512U, self->w->nseg);
}

TEST_F(prp, walking_stops_at_len)
{
	u32 i;

	/* Every entry past the fourth would be refused. */
	for (i = 0; i < 512; i++)
		set_entry(self->w, LMEM, i, i < 4 ? DATA(i + 1) : 0x3);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  do_walk(self->w, DATA(0), LMEM, 5 * PG, PG, &self->loc));
	ASSERT_EQ(5U, self->w->nseg);
	for (i = 0; i < self->w->nread; i++)
		ASSERT_LE(self->w->read_hi[i], LMEM + 4 * 8);
}

TEST_F(prp, list_outside_memory)
{
	ASSERT_EQ(NVME_SC_DATA_XFER_ERROR,
		  do_walk(self->w, DATA(0), 0x1000, 3 * PG, PG, &self->loc));
	ASSERT_EQ(NVME_SQE_OFF_PRP2, self->loc);
	ASSERT_EQ(1U, self->w->nseg);

	/* A chain to outside. */
	self->w->nseg = 0;
	fill_list(self->w, LMEM, 511, 1);
	set_entry(self->w, LMEM, 511, 0x2000);
	ASSERT_EQ(NVME_SC_DATA_XFER_ERROR,
		  do_walk(self->w, DATA(0), LMEM, 600 * PG, PG, &self->loc));
	ASSERT_EQ(NVME_SQE_OFF_PRP2, self->loc);
	ASSERT_EQ(512U, self->w->nseg);
}

TEST_F(prp, segment_failures_name_their_entry)
{
	/* PRP1's page. */
	self->w->fail_seg = 1;
	ASSERT_EQ(NVME_SC_DATA_XFER_ERROR,
		  do_walk(self->w, DATA(0), DATA(1), 2 * PG, PG, &self->loc));
	ASSERT_EQ(NVME_SQE_OFF_PRP1, self->loc);
	ASSERT_EQ(1U, self->w->nseg);

	/* PRP2 as the second page. */
	self->w->nseg = 0;
	self->w->fail_seg = 2;
	ASSERT_EQ(NVME_SC_DATA_XFER_ERROR,
		  do_walk(self->w, DATA(0), DATA(1), 2 * PG, PG, &self->loc));
	ASSERT_EQ(NVME_SQE_OFF_PRP2, self->loc);

	/* A list entry: the walk goes no further. */
	fill_list(self->w, LMEM, 8, 1);
	self->w->nseg = 0;
	self->w->fail_seg = 3;
	ASSERT_EQ(NVME_SC_DATA_XFER_ERROR,
		  do_walk(self->w, DATA(0), LMEM, 8 * PG, PG, &self->loc));
	ASSERT_EQ(NVME_SQE_OFF_PRP2, self->loc);
	ASSERT_EQ(3U, self->w->nseg);
}

TEST_F(prp, larger_memory_page)
{
	const u32 pg = 2 * PG;

	/* 8 KiB pages: PRP1's page ends at the next 8 KiB boundary. */
	ASSERT_EQ(NVME_SC_SUCCESS,
		  do_walk(self->w, DATA(0) + PG, DATA(2), 3 * PG, pg,
			  &self->loc));
	ASSERT_EQ(2U, self->w->nseg);
	SEG(0, DATA(0) + PG, PG);
	SEG(1, DATA(2), 2 * PG);

	/* 4 KiB alignment is an offset in an 8 KiB page. */
	self->w->nseg = 0;
	ASSERT_EQ(NVME_SC_PRP_OFFSET_INVALID,
		  do_walk(self->w, DATA(0), DATA(3), 2 * pg, pg, &self->loc));
	ASSERT_EQ(NVME_SQE_OFF_PRP2, self->loc);

	/* A list of 8 KiB pages. */
	self->w->nseg = 0;
	set_entry(self->w, LMEM, 0, DATA(4));
	set_entry(self->w, LMEM, 1, DATA(6));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  do_walk(self->w, DATA(0), LMEM, 3 * pg, pg, &self->loc));
	ASSERT_EQ(3U, self->w->nseg);
	SEG(1, DATA(4), pg);
	SEG(2, DATA(6), pg);
	set_entry(self->w, LMEM, 1, DATA(5));
	ASSERT_EQ(NVME_SC_PRP_OFFSET_INVALID,
		  do_walk(self->w, DATA(0), LMEM, 3 * pg, pg, &self->loc));
}

/* ---- Through the controller: dma.c ---- */

#define GBUF		FG_FREE			/* data pages */
#define GLIST		(FG_FREE + 0x40000)	/* PRP lists */
#define OUTSIDE		(FG_MEM_BASE + FG_MEM_SIZE)	/* first GPA past memory */

FIXTURE(dma) {
	struct fake_guest *g;
	struct lio_req req;
	u8 buf[5 * PG];
	u8 *saved;
};

FIXTURE_SETUP(dma)
{
	unsigned int i;

	self->g = fg_new(1);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g) & NVME_CSTS_RDY);
	for (i = 0; i < sizeof(self->buf); i++)
		self->buf[i] = (u8)(i * 7 + 3);
	memset(&self->req, 0, sizeof(self->req));
	self->req.err_loc = LIO_NO_ERR_LOC;
	self->saved = NULL;
}

FIXTURE_TEARDOWN(dma)
{
	free(self->saved);
	fg_free(self->g);
}

static void set_prps(struct lio_req *req, u64 prp1, u64 prp2)
{
	req->sqe.prp1 = cpu_to_le64(prp1);
	req->sqe.prp2 = cpu_to_le64(prp2);
}

static void guest_list(struct fake_guest *g, u64 list, u32 i, u64 val)
{
	__le64 *e = fg_ptr(g, list + (u64)i * 8);

	*e = cpu_to_le64(val);
}

TEST_F(dma, to_guest_across_prp1_offset_and_list)
{
	struct fake_guest *g = self->g;
	u32 len = 3 * PG + 0x100;

	/* Scattered, out of order, around untouched pages. */
	guest_list(g, GLIST, 0, GBUF + 6 * PG);
	guest_list(g, GLIST, 1, GBUF + 2 * PG);
	guest_list(g, GLIST, 2, GBUF + 4 * PG);
	memset(fg_ptr(g, GBUF), 0xee, 8 * PG);
	set_prps(&self->req, GBUF + 0xf00, GLIST);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  lio_prp_to_guest(g->c, &self->req, self->buf, len));
	ASSERT_EQ(LIO_NO_ERR_LOC, self->req.err_loc);

	ASSERT_TRUE(fg_filled(fg_ptr(g, GBUF), 0xee, 0xf00));
	ASSERT_EQ(0, memcmp(fg_ptr(g, GBUF + 0xf00), self->buf, 0x100));
	ASSERT_EQ(0, memcmp(fg_ptr(g, GBUF + 6 * PG), self->buf + 0x100, PG));
	ASSERT_EQ(0, memcmp(fg_ptr(g, GBUF + 2 * PG), self->buf + 0x1100, PG));
	ASSERT_EQ(0, memcmp(fg_ptr(g, GBUF + 4 * PG), self->buf + 0x2100,
			    len - 0x2100));
	ASSERT_TRUE(fg_filled(fg_ptr(g, GBUF + PG), 0xee, PG));
	ASSERT_TRUE(fg_filled(fg_ptr(g, GBUF + 3 * PG), 0xee, PG));
	ASSERT_TRUE(fg_filled(fg_ptr(g, GBUF + 5 * PG), 0xee, PG));
	ASSERT_TRUE(fg_filled(fg_ptr(g, GBUF + 7 * PG), 0xee, PG));
}

TEST_F(dma, to_guest_two_pages_exact)
{
	struct fake_guest *g = self->g;

	memset(fg_ptr(g, GBUF), 0xee, 8 * PG);
	set_prps(&self->req, GBUF + 0x800, GBUF + 5 * PG);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  lio_prp_to_guest(g->c, &self->req, self->buf, PG));
	ASSERT_EQ(0, memcmp(fg_ptr(g, GBUF + 0x800), self->buf, 0x800));
	ASSERT_EQ(0, memcmp(fg_ptr(g, GBUF + 5 * PG), self->buf + 0x800, 0x800));
	ASSERT_TRUE(fg_filled(fg_ptr(g, GBUF + 5 * PG + 0x800), 0xee, 0x800));
	ASSERT_TRUE(fg_filled(fg_ptr(g, GBUF + PG), 0xee, 4 * PG));
}

TEST_F(dma, from_guest)
{
	struct fake_guest *g = self->g;
	u8 in[3 * PG];

	memcpy(fg_ptr(g, GBUF + 0x10), self->buf, PG - 0x10);
	memcpy(fg_ptr(g, GBUF + 3 * PG), self->buf + PG - 0x10, PG);
	memcpy(fg_ptr(g, GBUF + 7 * PG), self->buf + 2 * PG - 0x10, 0x10);
	guest_list(g, GLIST, 0, GBUF + 3 * PG);
	guest_list(g, GLIST, 1, GBUF + 7 * PG);
	memset(in, 0, sizeof(in));
	set_prps(&self->req, GBUF + 0x10, GLIST);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  lio_prp_from_guest(g->c, &self->req, in, 2 * PG));
	ASSERT_EQ(0, memcmp(in, self->buf, 2 * PG));
	ASSERT_TRUE(fg_filled(in + 2 * PG, 0, PG));
}

TEST_F(dma, misaligned_prp1_writes_nothing)
{
	self->saved = fg_mem_save(self->g);
	set_prps(&self->req, GBUF + 2, GBUF + PG);
	ASSERT_EQ(NVME_SC_PRP_OFFSET_INVALID,
		  lio_prp_to_guest(self->g->c, &self->req, self->buf, 0x100));
	ASSERT_EQ(NVME_SQE_OFF_PRP1, self->req.err_loc);
	ASSERT_TRUE(fg_mem_unchanged(self->g, self->saved));
}

TEST_F(dma, misaligned_prp2_writes_nothing)
{
	self->saved = fg_mem_save(self->g);
	set_prps(&self->req, GBUF, GBUF + PG + 0x200);
	ASSERT_EQ(NVME_SC_PRP_OFFSET_INVALID,
		  lio_prp_to_guest(self->g->c, &self->req, self->buf, 2 * PG));
	ASSERT_EQ(NVME_SQE_OFF_PRP2, self->req.err_loc);
	ASSERT_TRUE(fg_mem_unchanged(self->g, self->saved));
}

TEST_F(dma, prp1_outside_guest_memory)
{
	unsigned int faults = self->g->dma_faults;

	set_prps(&self->req, OUTSIDE, 0);
	ASSERT_EQ(NVME_SC_DATA_XFER_ERROR,
		  lio_prp_to_guest(self->g->c, &self->req, self->buf, 64));
	ASSERT_EQ(NVME_SQE_OFF_PRP1, self->req.err_loc);
	ASSERT_LT(faults, self->g->dma_faults);

	/* The last bytes of memory are fine; a PRP2 past them is not. */
	set_prps(&self->req, OUTSIDE - 0x20, OUTSIDE);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  lio_prp_from_guest(self->g->c, &self->req, self->buf, 0x20));
	ASSERT_EQ(NVME_SC_DATA_XFER_ERROR,
		  lio_prp_from_guest(self->g->c, &self->req, self->buf, 0x40));
	ASSERT_EQ(NVME_SQE_OFF_PRP2, self->req.err_loc);

	/* Below memory, and the very top of the address space. */
	set_prps(&self->req, 0x1000, 0);
	ASSERT_EQ(NVME_SC_DATA_XFER_ERROR,
		  lio_prp_to_guest(self->g->c, &self->req, self->buf, 64));
	set_prps(&self->req, 0xfffffffffffff000ULL, 0);
	ASSERT_EQ(NVME_SC_DATA_XFER_ERROR,
		  lio_prp_to_guest(self->g->c, &self->req, self->buf, PG));
}

TEST_F(dma, prp2_outside_guest_memory)
{
	set_prps(&self->req, GBUF, OUTSIDE);
	ASSERT_EQ(NVME_SC_DATA_XFER_ERROR,
		  lio_prp_to_guest(self->g->c, &self->req, self->buf, 2 * PG));
	ASSERT_EQ(NVME_SQE_OFF_PRP2, self->req.err_loc);
}

TEST_F(dma, list_outside_guest_memory)
{
	set_prps(&self->req, GBUF, OUTSIDE + PG);
	ASSERT_EQ(NVME_SC_DATA_XFER_ERROR,
		  lio_prp_to_guest(self->g->c, &self->req, self->buf, 3 * PG));
	ASSERT_EQ(NVME_SQE_OFF_PRP2, self->req.err_loc);

	/* A list in memory whose entry is not. */
	guest_list(self->g, GLIST, 0, GBUF + PG);
	guest_list(self->g, GLIST, 1, OUTSIDE);
	set_prps(&self->req, GBUF, GLIST);
	ASSERT_EQ(NVME_SC_DATA_XFER_ERROR,
		  lio_prp_to_guest(self->g->c, &self->req, self->buf, 3 * PG));
	ASSERT_EQ(NVME_SQE_OFF_PRP2, self->req.err_loc);

	/* The last two entries of memory are a list of two. */
	guest_list(self->g, OUTSIDE - 16, 0, GBUF + PG);
	guest_list(self->g, OUTSIDE - 16, 1, GBUF + 2 * PG);
	set_prps(&self->req, GBUF, OUTSIDE - 16);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  lio_prp_to_guest(self->g->c, &self->req, self->buf, 3 * PG));
	ASSERT_EQ(0, memcmp(fg_ptr(self->g, GBUF + 2 * PG), self->buf + 2 * PG,
			    PG));
}

TEST_F(dma, refused_without_bus_mastering)
{
	u32 cmd = fg_cfg_read(self->g, 0x04, 2);
	u8 tmp[16];

	fg_cfg_write(self->g, 0x04, cmd & ~4U, 2);
	self->saved = fg_mem_save(self->g);
	ASSERT_EQ(-EIO, lio_dma_write(self->g->c, GBUF, self->buf, 16));
	ASSERT_EQ(-EIO, lio_dma_read(self->g->c, GBUF, tmp, 16));
	set_prps(&self->req, GBUF, 0);
	ASSERT_EQ(NVME_SC_DATA_XFER_ERROR,
		  lio_prp_to_guest(self->g->c, &self->req, self->buf, 16));
	ASSERT_EQ(NVME_SQE_OFF_PRP1, self->req.err_loc);
	ASSERT_TRUE(fg_mem_unchanged(self->g, self->saved));
	/* Nothing reached the guest's memory callbacks at all. */
	ASSERT_EQ(0U, self->g->dma_faults);

	fg_cfg_write(self->g, 0x04, cmd, 2);
	ASSERT_EQ(0, lio_dma_write(self->g->c, GBUF, self->buf, 16));
	ASSERT_EQ(0, memcmp(fg_ptr(self->g, GBUF), self->buf, 16));
}

/* ---- End to end: an admin command's data pointer ---- */

TEST_F(dma, identify_with_a_prp1_offset_and_prp2)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	u8 *whole = malloc(PG);

	ASSERT_NE(NULL, whole);
	/* The reference: the same data in one page. */
	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, GBUF);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	memcpy(whole, fg_ptr(self->g, GBUF), PG);

	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, GBUF + 2 * PG + 0xc00);
	sqe.prp2 = cpu_to_le64(GBUF + 6 * PG);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	ASSERT_EQ(0, memcmp(fg_ptr(self->g, GBUF + 2 * PG + 0xc00), whole, 0x400));
	ASSERT_EQ(0, memcmp(fg_ptr(self->g, GBUF + 6 * PG), whole + 0x400, 0xc00));
	free(whole);
}

TEST_F(dma, identify_bad_prps_fail_with_their_location)
{
	struct nvme_error_log_entry e;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	self->saved = fg_mem_save(self->g);
	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, GBUF + 2);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_PRP_OFFSET_INVALID), fg_status(&cqe));
	ASSERT_EQ(0, fg_err_log_newest(self->g, &e));
	ASSERT_EQ(NVME_SQE_OFF_PRP1, le16_to_cpu(e.param_error_location));

	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, GBUF + 0x800);
	sqe.prp2 = cpu_to_le64(GBUF + PG + 0x800);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_PRP_OFFSET_INVALID), fg_status(&cqe));
	ASSERT_EQ(0, fg_err_log_newest(self->g, &e));
	ASSERT_EQ(NVME_SQE_OFF_PRP2, le16_to_cpu(e.param_error_location));
	ASSERT_TRUE(fg_mem_unchanged(self->g, self->saved));

	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, OUTSIDE);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_DATA_XFER_ERROR), fg_status(&cqe));
	ASSERT_EQ(0, fg_err_log_newest(self->g, &e));
	ASSERT_EQ(NVME_SQE_OFF_PRP1, le16_to_cpu(e.param_error_location));
	ASSERT_TRUE(fg_mem_unchanged(self->g, self->saved));
}

TEST_HARNESS_MAIN
