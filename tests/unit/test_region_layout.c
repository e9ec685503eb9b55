// SPDX-License-Identifier: GPL-2.0
/*
 * Where the parts of a region go and which headers a reader accepts
 * (common/leapio/region_layout.c): the layout passes its own check, each
 * part page aligned after the one before, the lbas part (minor 4) after
 * the L2 tables and the namespace table (minor 7) last; a header of
 * minor 3 (no lbas part) or 6 (no namespace table) is still usable, with
 * neither in the view; a header that is short for its minor, or whose
 * lbas part or namespace table is too small, overlaps the part before or
 * leaves the region, is refused.
 */
#include <stdlib.h>

#pragma GCC diagnostic ignored "-Wsign-compare"

#include "../lib/lio_harness.h"
#include "../../common/leapio/region_layout.h"

#define NR_IOQ		4
#define L1_ENTRIES	8
#define L2_TABLES	4

FIXTURE(lay) {
	struct leapio_region_hdr h;
	u64 size;
	const char *why;
};

FIXTURE_SETUP(lay)
{
	self->size = leapio_region_layout(&self->h, NR_IOQ, L1_ENTRIES,
					  L2_TABLES);
	self->why = NULL;
}

FIXTURE_TEARDOWN(lay)
{
}

TEST_F(lay, layout_passes_its_check)
{
	EXPECT_EQ(0, leapio_region_check(&self->h, self->size, &self->why));
	EXPECT_EQ(NULL, self->why);
	EXPECT_EQ(9, self->h.version_minor);
	EXPECT_EQ(sizeof(self->h), self->h.hdr_size);
	EXPECT_EQ(0, self->size % LEAPIO_REGION_ALIGN);
}

TEST_F(lay, lbas_part_follows_the_l2_tables_whole)
{
	u64 l2_end = self->h.l2_off + self->h.l2_tables * LEAPIO_L2_ENTRIES * 8;

	EXPECT_EQ(sizeof(struct leapio_lbas), self->h.lbas_size);
	EXPECT_EQ(0, self->h.lbas_off % LEAPIO_REGION_ALIGN);
	EXPECT_LE(l2_end, self->h.lbas_off);
	EXPECT_LE(self->h.lbas_off + self->h.lbas_size, self->h.ns_off);
	EXPECT_TRUE(leapio_region_has_lbas(&self->h));
}

TEST_F(lay, ns_table_is_last_and_whole)
{
	EXPECT_EQ(sizeof(struct leapio_ns_desc), self->h.ns_desc_size);
	EXPECT_EQ(LEAPIO_MAX_NS, self->h.nr_ns);
	EXPECT_EQ(0, self->h.ns_off % LEAPIO_REGION_ALIGN);
	EXPECT_LE(self->h.lbas_off + self->h.lbas_size, self->h.ns_off);
	EXPECT_LE(self->h.ns_off + self->h.nr_ns * self->h.ns_desc_size,
		  self->size);
	EXPECT_TRUE(leapio_region_has_ns(&self->h));
	/* Each writer's fields on cache lines of their own. */
	EXPECT_EQ(0, sizeof(struct leapio_ns_desc) % LEAPIO_CACHELINE);
	EXPECT_EQ(LEAPIO_CACHELINE, offsetof(struct leapio_ns_desc, cmds_read));
}

/*
 * Minor 9's fields took reserved words: the control block keeps its size,
 * the driver's fields stay before the runtime's cache line, pool_bytes
 * in it, and the table entry's pooled byte among the driver's.
 */
TEST_F(lay, pool_fields_where_reserved_ones_were)
{
	EXPECT_EQ(256, sizeof(struct leapio_vdev_ctrl));
	EXPECT_EQ(32, offsetof(struct leapio_vdev_ctrl, instance));
	EXPECT_EQ(64, offsetof(struct leapio_vdev_ctrl, state));
	EXPECT_LT(offsetof(struct leapio_vdev_ctrl, nscreate_lba_shift),
		  offsetof(struct leapio_vdev_ctrl, state));
	EXPECT_GT(offsetof(struct leapio_vdev_ctrl, pool_bytes),
		  offsetof(struct leapio_vdev_ctrl, backend_bytes));
	EXPECT_GE(offsetof(struct leapio_vdev_ctrl, pool_bytes),
		  offsetof(struct leapio_vdev_ctrl, ack));
	EXPECT_EQ(0, offsetof(struct leapio_vdev_ctrl, pool_bytes) % 8);
	EXPECT_EQ(2, offsetof(struct leapio_ns_desc, pooled));
	EXPECT_EQ(4, offsetof(struct leapio_ns_desc, gen));
}

TEST_F(lay, view_points_at_lbas)
{
	void *base = aligned_alloc(LEAPIO_REGION_ALIGN, self->size);
	struct leapio_region_view v;

	ASSERT_NE(NULL, base);
	memcpy(base, &self->h, sizeof(self->h));
	leapio_region_view(&v, base);
	EXPECT_EQ((u8 *)base + self->h.lbas_off, (u8 *)v.lbas);
	free(base);
}

TEST_F(lay, view_points_at_the_ns_table)
{
	void *base = aligned_alloc(LEAPIO_REGION_ALIGN, self->size);
	struct leapio_region_view v;

	ASSERT_NE(NULL, base);
	memcpy(base, &self->h, sizeof(self->h));
	leapio_region_view(&v, base);
	EXPECT_EQ((u8 *)base + self->h.ns_off, (u8 *)v.ns);
	EXPECT_EQ(v.ns, leapio_ns_ptr(&v, 1));
	EXPECT_EQ(&v.ns[LEAPIO_MAX_NS - 1], leapio_ns_ptr(&v, LEAPIO_MAX_NS));
	EXPECT_EQ(NULL, leapio_ns_ptr(&v, 0));
	EXPECT_EQ(NULL, leapio_ns_ptr(&v, LEAPIO_MAX_NS + 1));
	EXPECT_EQ(NULL, leapio_ns_ptr(&v, 0xffffffff));
	free(base);
}

/* What a driver of minor 6 wrote: no namespace table, a shorter header. */
TEST_F(lay, minor6_header_is_usable_without_ns_table)
{
	struct leapio_region_view v;
	void *base;

	self->size = self->h.ns_off;
	self->h.version_minor = 6;
	self->h.hdr_size = offsetof(struct leapio_region_hdr, ns_off);
	self->h.region_size = self->size;
	self->h.ns_off = 0;
	self->h.ns_desc_size = 0;
	self->h.nr_ns = 0;
	EXPECT_EQ(0, leapio_region_check(&self->h, self->size, &self->why));
	EXPECT_FALSE(leapio_region_has_ns(&self->h));
	EXPECT_TRUE(leapio_region_has_lbas(&self->h));
	base = aligned_alloc(LEAPIO_REGION_ALIGN, self->size);
	ASSERT_NE(NULL, base);
	memcpy(base, &self->h, sizeof(self->h));
	leapio_region_view(&v, base);
	EXPECT_EQ(NULL, v.ns);
	EXPECT_EQ(NULL, leapio_ns_ptr(&v, 1));
	EXPECT_NE(NULL, v.lbas);
	free(base);
}

TEST_F(lay, minor7_with_a_minor6_header_size_is_refused)
{
	self->h.hdr_size = offsetof(struct leapio_region_hdr, ns_off);
	EXPECT_EQ(-EINVAL, leapio_region_check(&self->h, self->size, &self->why));
}

TEST_F(lay, bad_ns_tables_are_refused)
{
	struct leapio_region_hdr good = self->h;

	self->h.ns_desc_size = sizeof(struct leapio_ns_desc) - 1;
	EXPECT_EQ(-EINVAL, leapio_region_check(&self->h, self->size, &self->why));
	self->h = good;
	self->h.nr_ns = 0;
	EXPECT_EQ(-EINVAL, leapio_region_check(&self->h, self->size, &self->why));
	self->h.nr_ns = LEAPIO_MAX_NS + 1;
	EXPECT_EQ(-EINVAL, leapio_region_check(&self->h, self->size, &self->why));
	self->h = good;
	self->h.ns_off = self->h.lbas_off;	/* over the lbas part */
	EXPECT_EQ(-EINVAL, leapio_region_check(&self->h, self->size, &self->why));
	self->h.ns_off = good.ns_off + LEAPIO_REGION_ALIGN;	/* past the end */
	EXPECT_EQ(-EINVAL, leapio_region_check(&self->h, self->size, &self->why));
	self->h.ns_off = good.ns_off + 64;	/* not page aligned */
	EXPECT_EQ(-EINVAL, leapio_region_check(&self->h, self->size, &self->why));
	self->h = good;
	EXPECT_EQ(0, leapio_region_check(&self->h, self->size, &self->why));
}

/* What a driver of minor 3 wrote: the same parts, a shorter header. */
static void make_minor3(struct leapio_region_hdr *h, u64 *size)
{
	*size = h->lbas_off;
	h->ns_off = 0;
	h->ns_desc_size = 0;
	h->nr_ns = 0;
	h->version_minor = 3;
	h->hdr_size = offsetof(struct leapio_region_hdr, lbas_off);
	h->region_size = *size;
	h->lbas_off = 0;
	h->lbas_size = 0;
}

TEST_F(lay, minor3_header_is_usable_without_lbas)
{
	void *base;
	struct leapio_region_view v;

	make_minor3(&self->h, &self->size);
	EXPECT_EQ(0, leapio_region_check(&self->h, self->size, &self->why));
	EXPECT_FALSE(leapio_region_has_lbas(&self->h));
	base = aligned_alloc(LEAPIO_REGION_ALIGN, self->size);
	ASSERT_NE(NULL, base);
	memcpy(base, &self->h, sizeof(self->h));
	leapio_region_view(&v, base);
	EXPECT_EQ(NULL, v.lbas);
	free(base);
}

TEST_F(lay, minor4_with_a_minor3_header_size_is_refused)
{
	self->h.hdr_size = offsetof(struct leapio_region_hdr, lbas_off);
	EXPECT_EQ(-EINVAL, leapio_region_check(&self->h, self->size, &self->why));
	EXPECT_NE(NULL, self->why);
}

TEST_F(lay, lbas_part_too_small_is_refused)
{
	self->h.lbas_size = sizeof(struct leapio_lbas) - 1;
	EXPECT_EQ(-EINVAL, leapio_region_check(&self->h, self->size, &self->why));
}

TEST_F(lay, lbas_part_over_the_l2_tables_is_refused)
{
	self->h.lbas_off = self->h.l2_off;
	EXPECT_EQ(-EINVAL, leapio_region_check(&self->h, self->size, &self->why));
}

TEST_F(lay, lbas_part_past_the_region_is_refused)
{
	self->h.lbas_off += LEAPIO_REGION_ALIGN;
	EXPECT_EQ(-EINVAL, leapio_region_check(&self->h, self->size, &self->why));
	self->h.lbas_off = 1ULL << 62;
	EXPECT_EQ(-EINVAL, leapio_region_check(&self->h, self->size, &self->why));
}

TEST_F(lay, later_minor_is_accepted)
{
	self->h.version_minor = 9;
	EXPECT_EQ(0, leapio_region_check(&self->h, self->size, &self->why));
}

TEST_HARNESS_MAIN
