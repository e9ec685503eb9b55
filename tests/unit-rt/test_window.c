// SPDX-License-Identifier: GPL-2.0
/*
 * Card mode's host-DRAM window map (runtime/card/window.c): host physical
 * addresses to window offsets on both sides of q35's 4 GiB split, holes
 * and ends refused, and every bad map refused naming its field.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../lib/lio_harness.h"
#include "../../runtime/card/window.h"

#define G	(1ULL << 30)
#define M	(1ULL << 20)

/* q35 with 2 GiB below 4 GiB and 1 GiB above: lowmem = 2 GiB. */
static const struct lio_win q35[2] = {
	{ .phys = 0, .len = 2 * G, .off = 0 },
	{ .phys = 4 * G, .len = 1 * G, .off = 2 * G },
};

TEST(q35_split)
{
	uint64_t off, avail;

	ASSERT_EQ(0, lio_win_check(q35, 2, 3 * G, "card.host_window", NULL, 0));
	/* Below lowmem: the offset is the address. */
	ASSERT_EQ(0, lio_win_xlate(q35, 2, 0, &off, &avail));
	EXPECT_EQ(0ULL, off);
	EXPECT_EQ(2 * G, avail);
	ASSERT_EQ(0, lio_win_xlate(q35, 2, 0x12345678, &off, &avail));
	EXPECT_EQ(0x12345678ULL, off);
	ASSERT_EQ(0, lio_win_xlate(q35, 2, 2 * G - 1, &off, &avail));
	EXPECT_EQ(2 * G - 1, off);
	EXPECT_EQ(1ULL, avail);
	/* Above 4 GiB: phys - 4 GiB + lowmem. */
	ASSERT_EQ(0, lio_win_xlate(q35, 2, 4 * G, &off, &avail));
	EXPECT_EQ(2 * G, off);
	EXPECT_EQ(1 * G, avail);
	ASSERT_EQ(0, lio_win_xlate(q35, 2, 4 * G + 5 * M + 0x123, &off, &avail));
	EXPECT_EQ(2 * G + 5 * M + 0x123, off);
	ASSERT_EQ(0, lio_win_xlate(q35, 2, 5 * G - 1, &off, &avail));
	EXPECT_EQ(3 * G - 1, off);
	EXPECT_EQ(1ULL, avail);
}

TEST(holes_and_ends)
{
	uint64_t off = 7, avail = 7;

	/* The PCI hole between lowmem and 4 GiB. */
	EXPECT_EQ(-EFAULT, lio_win_xlate(q35, 2, 2 * G, &off, &avail));
	EXPECT_EQ(-EFAULT, lio_win_xlate(q35, 2, 3 * G + 12345, &off, &avail));
	EXPECT_EQ(-EFAULT, lio_win_xlate(q35, 2, 4 * G - 1, &off, &avail));
	/* Past the end of high memory, and far past. */
	EXPECT_EQ(-EFAULT, lio_win_xlate(q35, 2, 5 * G, &off, &avail));
	EXPECT_EQ(-EFAULT, lio_win_xlate(q35, 2, ~0ULL, &off, &avail));
	/* Untouched on a miss. */
	EXPECT_EQ(7ULL, off);
	EXPECT_EQ(7ULL, avail);
	/* An empty map covers nothing. */
	EXPECT_EQ(-EFAULT, lio_win_xlate(q35, 0, 0, &off, &avail));
}

/* lio_win_check's sentence for map w names want. */
static bool refused(const struct lio_win *w, unsigned int n, uint64_t size,
		    const char *want)
{
	char err[256] = "";

	if (lio_win_check(w, n, size, "card.host_window", err, sizeof(err)) !=
	    -EINVAL)
		return false;
	if (!strstr(err, want)) {
		fprintf(stderr, "# \"%s\" does not name %s\n", err, want);
		return false;
	}
	return true;
}

TEST(bad_maps_name_the_field)
{
	struct lio_win w[LIO_WIN_MAX + 1];

	memcpy(w, q35, sizeof(q35));
	EXPECT_TRUE(refused(w, 0, 0, "card.host_window: empty"));
	EXPECT_TRUE(refused(w, LIO_WIN_MAX + 1, 0, "at most"));
	/* Outside the window's size. */
	EXPECT_TRUE(refused(w, 2, 3 * G - 4096, "card.host_window[1].offset"));
	EXPECT_TRUE(refused(w, 2, 1 * G, "card.host_window[0].offset"));
	/* Unaligned, each field. */
	w[1].phys = 4 * G + 1;
	EXPECT_TRUE(refused(w, 2, 0, "card.host_window[1].phys"));
	w[1].phys = 4 * G;
	w[1].len = G + 512;
	EXPECT_TRUE(refused(w, 2, 0, "card.host_window[1].len"));
	w[1].len = G;
	w[0].off = 100;
	EXPECT_TRUE(refused(w, 2, 0, "card.host_window[0].offset"));
	w[0].off = 0;
	/* Empty entry, and one that wraps. */
	w[1].len = 0;
	EXPECT_TRUE(refused(w, 2, 0, "card.host_window[1].len"));
	w[1].len = G;
	w[1].phys = ~0ULL - 4095;
	EXPECT_TRUE(refused(w, 2, 0, "card.host_window[1].len"));
	w[1].phys = 4 * G;
	/* Overlapping host physical ranges, overlapping window parts. */
	w[1].phys = 2 * G - 4096;
	EXPECT_TRUE(refused(w, 2, 0, "card.host_window[1].phys"));
	w[1].phys = 4 * G;
	w[1].off = 2 * G - 4096;
	EXPECT_TRUE(refused(w, 2, 0, "card.host_window[1].offset"));
	w[1].off = 2 * G;
	/* And put back, it is fine, also without a size to check. */
	EXPECT_EQ(0, lio_win_check(w, 2, 0, "card.host_window", NULL, 0));
}

TEST_HARNESS_MAIN
