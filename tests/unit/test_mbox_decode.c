// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's decoding of the runtime's mailbox requests
 * (common/leapio/mbox_decode.c, called by kernel/host/mbox.c for each):
 * every op with good arguments, and every refusal the uapi header
 * documents.
 */
#include "../lib/lio_harness.h"
#include "../../common/leapio/mbox_decode.h"

#define NR_IOQ	4
/* LEAPIO_MBOX_ERROR's arg0 */
#define ERR0(sqid, cid, status, loc) \
	((u64)(sqid) | (u64)(cid) << 16 | (u64)(status) << 32 | (u64)(loc) << 48)

TEST(pending_counts_across_the_wrap)
{
	EXPECT_EQ(0, leapio_mbox_pending(7, 7));
	EXPECT_EQ(LEAPIO_MBOX_ENTRIES, leapio_mbox_pending(0, LEAPIO_MBOX_ENTRIES));
	EXPECT_EQ(3, leapio_mbox_pending(0xfffffffe, 1));
	/* more than the ring holds, or prod behind cons */
	EXPECT_EQ(-EINVAL, leapio_mbox_pending(0, LEAPIO_MBOX_ENTRIES + 1));
	EXPECT_EQ(-EINVAL, leapio_mbox_pending(5, 4));
}

TEST(each_op_decoded)
{
	struct leapio_mbox_req r;

	ASSERT_EQ(0, leapio_mbox_decode(LEAPIO_MBOX_MAP, 0x200000, 4096, 0,
					NR_IOQ, &r));
	EXPECT_EQ((u32)LEAPIO_MBOX_MAP, r.op);
	EXPECT_EQ(0x200000ULL, r.map.gpa);
	EXPECT_EQ(4096ULL, r.map.len);
	ASSERT_EQ(0, leapio_mbox_decode(LEAPIO_MBOX_IRQ, NR_IOQ, 0, 0, NR_IOQ, &r));
	EXPECT_EQ(NR_IOQ, (int)r.vector);
	ASSERT_EQ(0, leapio_mbox_decode(LEAPIO_MBOX_AEN, 0xffffffff, 0, 0,
					NR_IOQ, &r));
	EXPECT_EQ(0xffffffffU, r.aen);
	EXPECT_EQ(0, leapio_mbox_decode(LEAPIO_MBOX_FATAL, 0, 0, 0, NR_IOQ, &r));
	ASSERT_EQ(0, leapio_mbox_decode(LEAPIO_MBOX_ERROR,
					ERR0(NR_IOQ, 0xbeef, 0x4004, 0xffff),
					1234, 0xffffffff, NR_IOQ, &r));
	EXPECT_EQ(NR_IOQ, (int)r.err.sqid);
	EXPECT_EQ(0xbeef, (int)r.err.cid);
	EXPECT_EQ(0x4004, (int)r.err.status);
	EXPECT_EQ(0xffff, (int)r.err.loc);
	EXPECT_EQ(1234ULL, r.err.lba);
	EXPECT_EQ(0xffffffffU, r.err.nsid);
}

TEST(bad_requests_refused)
{
	struct leapio_mbox_req r;

	/* unknown ops */
	EXPECT_EQ(-EINVAL, leapio_mbox_decode(0, 0, 0, 0, NR_IOQ, &r));
	EXPECT_EQ(-EINVAL, leapio_mbox_decode(LEAPIO_MBOX_ERROR + 1, 0, 0, 0,
					      NR_IOQ, &r));
	EXPECT_EQ(-EINVAL, leapio_mbox_decode(0xffffffff, 0, 0, 0, NR_IOQ, &r));
	/* a vector past the MSI-X table */
	EXPECT_EQ(-EINVAL, leapio_mbox_decode(LEAPIO_MBOX_IRQ, NR_IOQ + 1, 0, 0,
					      NR_IOQ, &r));
	EXPECT_EQ(-EINVAL, leapio_mbox_decode(LEAPIO_MBOX_IRQ, 1ULL << 32, 0, 0,
					      NR_IOQ, &r));
	/* an AEN dword wider than 32 bits */
	EXPECT_EQ(-EINVAL, leapio_mbox_decode(LEAPIO_MBOX_AEN, 1ULL << 32, 0, 0,
					      NR_IOQ, &r));
	/* errors: the admin SQ, an SQ past nr_ioq, success, phase bit, rsvd */
	EXPECT_EQ(-EINVAL, leapio_mbox_decode(LEAPIO_MBOX_ERROR,
					      ERR0(0, 1, 0x4004, 0), 0, 0,
					      NR_IOQ, &r));
	EXPECT_EQ(-EINVAL, leapio_mbox_decode(LEAPIO_MBOX_ERROR,
					      ERR0(NR_IOQ + 1, 1, 0x4004, 0), 0,
					      0, NR_IOQ, &r));
	EXPECT_EQ(-EINVAL, leapio_mbox_decode(LEAPIO_MBOX_ERROR,
					      ERR0(1, 1, 0, 0), 0, 0, NR_IOQ, &r));
	EXPECT_EQ(-EINVAL, leapio_mbox_decode(LEAPIO_MBOX_ERROR,
					      ERR0(1, 1, 0x4005, 0), 0, 0,
					      NR_IOQ, &r));
	EXPECT_EQ(-EINVAL, leapio_mbox_decode(LEAPIO_MBOX_ERROR,
					      ERR0(1, 1, 0x4004, 0), 0,
					      1ULL << 32, NR_IOQ, &r));
}

TEST_HARNESS_MAIN
