// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's decoding of the runtime's mailbox requests
 * (common/leapio/mbox_decode.c, called by kernel/host/mbox.c for each):
 * every op with good arguments, and every malformed field of every op
 * refused: the mailbox is the runtime's to write, so whatever it puts
 * there is decoded before the driver acts on it.
 */
#include "../lib/lio_harness.h"
#include "../../common/leapio/mbox_decode.h"

#define NR_IOQ	4
/* LEAPIO_MBOX_ERROR's arg0 */
#define ERR0(sqid, cid, status, loc) \
	((u64)(sqid) | (u64)(cid) << 16 | (u64)(status) << 32 | (u64)(loc) << 48)
/* The two events a runtime may ask for: bad doorbell writes it found. */
#define AEN_DB_VAL	NVME_AER_DW0(NVME_AER_TYPE_ERROR, \
				     NVME_AER_ERROR_INVALID_DB_VAL, NVME_LOG_ERROR)
#define AEN_DB_REG	NVME_AER_DW0(NVME_AER_TYPE_ERROR, \
				     NVME_AER_ERROR_INVALID_DB_REG, NVME_LOG_ERROR)
/* A good LEAPIO_MBOX_ERROR's status: LBA Out of Range with DNR. */
#define ERR_ST		(NVME_SC_LBA_RANGE | NVME_STATUS_DNR)

static int dec(u32 op, u64 arg0, u64 arg1, u64 rsvd)
{
	struct leapio_mbox_req r;

	return leapio_mbox_decode(op, arg0, arg1, rsvd, NR_IOQ, &r);
}

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
	ASSERT_EQ(0, leapio_mbox_decode(LEAPIO_MBOX_AEN, AEN_DB_VAL, 0, 0,
					NR_IOQ, &r));
	EXPECT_EQ(AEN_DB_VAL, r.aen);
	ASSERT_EQ(0, leapio_mbox_decode(LEAPIO_MBOX_AEN, AEN_DB_REG, 0, 0,
					NR_IOQ, &r));
	EXPECT_EQ(AEN_DB_REG, r.aen);
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
	/* Every location the command has: byte 63 bit 7 the last. */
	ASSERT_EQ(0, leapio_mbox_decode(LEAPIO_MBOX_ERROR,
					ERR0(1, 0, ERR_ST, NVME_ERR_LOC(63, 7)),
					0, 1, NR_IOQ, &r));
	EXPECT_EQ(NVME_ERR_LOC(63, 7), r.err.loc);
	/* A status of another type (a path error), without DNR. */
	EXPECT_EQ(0, dec(LEAPIO_MBOX_ERROR,
			 ERR0(1, 0, NVME_STATUS(NVME_SCT_PATH, 0), 0), 0, 1));
	/* The status code alone, the status code type alone. */
	EXPECT_EQ(0, dec(LEAPIO_MBOX_ERROR,
			 ERR0(1, 0, NVME_STATUS(0, 1), 0), 0, 1));
	EXPECT_EQ(0, dec(LEAPIO_MBOX_ERROR,
			 ERR0(1, 0, NVME_STATUS(1, 0), 0), 0, 1));
	ASSERT_EQ(0, leapio_mbox_decode(LEAPIO_MBOX_NS_GROW, 3ULL << 30, 0, 0,
					NR_IOQ, &r));
	EXPECT_EQ(3ULL << 30, r.ns_grow.size);
	EXPECT_EQ(1U, r.ns_grow.nsid);		/* arg1 0: namespace 1 */
	EXPECT_EQ(0, dec(LEAPIO_MBOX_NS_GROW, 512, 0, 0));
	EXPECT_EQ(0, dec(LEAPIO_MBOX_NS_GROW, LEAPIO_NS_SIZE_MAX, 0, 0));
	/* Region minor 8: any namespace of the table, by arg1. */
	ASSERT_EQ(0, leapio_mbox_decode(LEAPIO_MBOX_NS_GROW, 1 << 20,
					LEAPIO_MAX_NS, 0, NR_IOQ, &r));
	EXPECT_EQ(1U << 20, r.ns_grow.size);
	EXPECT_EQ((u32)LEAPIO_MAX_NS, r.ns_grow.nsid);
	ASSERT_EQ(0, leapio_mbox_decode(LEAPIO_MBOX_NS_GROW, 1 << 20, 1, 0,
					NR_IOQ, &r));
	EXPECT_EQ(1U, r.ns_grow.nsid);
	ASSERT_EQ(0, leapio_mbox_decode(LEAPIO_MBOX_FORMAT_DONE, 0xfffffffe,
					NVME_SC_WRITE_FAULT, 0, NR_IOQ, &r));
	EXPECT_EQ(0xfffffffeU, r.format.gen);
	EXPECT_EQ(NVME_SC_WRITE_FAULT, r.format.status);
	EXPECT_EQ(0, dec(LEAPIO_MBOX_FORMAT_DONE, 1, 0, 0));
	EXPECT_EQ(0, dec(LEAPIO_MBOX_FORMAT_DONE, 0, 0xfffe, 0));
	/* Region minor 9: a create's answer, as a format's. */
	ASSERT_EQ(0, leapio_mbox_decode(LEAPIO_MBOX_NS_CREATED, 7,
					NVME_SC_NS_INSUFFICIENT_CAP, 0, NR_IOQ, &r));
	EXPECT_EQ(7U, r.format.gen);
	EXPECT_EQ(NVME_SC_NS_INSUFFICIENT_CAP, r.format.status);
}

/* A generation and a status field; which request, and the status, the
 * model judges.
 */
TEST(bad_format_and_create_answers_refused)
{
	static const u32 ops[] = { LEAPIO_MBOX_FORMAT_DONE, LEAPIO_MBOX_NS_CREATED };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		TH_LOG("op %u", ops[i]);
		EXPECT_EQ(-EINVAL, dec(ops[i], 1ULL << 32, 0, 0));
		EXPECT_EQ(-EINVAL, dec(ops[i], ~0ULL, 0, 0));
		EXPECT_EQ(-EINVAL, dec(ops[i], 1, 0x10000, 0));
		EXPECT_EQ(-EINVAL, dec(ops[i], 1, 1, 0));
		EXPECT_EQ(-EINVAL, dec(ops[i], 1, NVME_SC_INTERNAL | 1, 0));
	}
}

/*
 * A size the namespace could have, of a namespace the table could have;
 * the model judges both against its own.
 */
TEST(bad_namespace_sizes_refused)
{
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_NS_GROW, 0, 0, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_NS_GROW, 4096 + 1, 0, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_NS_GROW, 256, 0, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_NS_GROW, LEAPIO_NS_SIZE_MAX + 512,
			       0, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_NS_GROW, ~0ULL << 9, 0, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_NS_GROW, 1ULL << 20, LEAPIO_MAX_NS + 1, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_NS_GROW, 1ULL << 20, 1ULL << 32, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_NS_GROW, 1ULL << 20, ~0ULL, 0));
}

TEST(bad_ops_refused)
{
	/* Unknown ops, below, between and above the ones there are. */
	EXPECT_EQ(-EINVAL, dec(0, 0, 0, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_NS_CREATED + 1, 0, 0, 0));
	EXPECT_EQ(-EINVAL, dec(0x80000001, 0, 0, 0));
	EXPECT_EQ(-EINVAL, dec(0xffffffff, 0, 0, 0));
}

/* rsvd is LEAPIO_MBOX_ERROR's NSID; for every other op it is 0. */
TEST(rsvd_refused_but_for_errors)
{
	static const u32 ops[] = {
		LEAPIO_MBOX_MAP, LEAPIO_MBOX_IRQ, LEAPIO_MBOX_AEN,
		LEAPIO_MBOX_FATAL, LEAPIO_MBOX_NS_GROW, LEAPIO_MBOX_FORMAT_DONE,
		LEAPIO_MBOX_NS_CREATED,
	};
	static const u64 good0[] = { 0x200000, 1, AEN_DB_VAL, 0, 1ULL << 20, 1, 1 };
	static const u64 good1[] = { 4096, 0, 0, 0, 0, 0, 0 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		TH_LOG("op %u", ops[i]);
		EXPECT_EQ(0, dec(ops[i], good0[i], good1[i], 0));
		EXPECT_EQ(-EINVAL, dec(ops[i], good0[i], good1[i], 1));
		EXPECT_EQ(-EINVAL, dec(ops[i], good0[i], good1[i], 1ULL << 63));
	}
}

/* Arguments an op does not take are 0: IRQ's arg1, AEN's, FATAL's both. */
TEST(unused_arguments_refused)
{
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_IRQ, 1, 1, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_AEN, AEN_DB_VAL, 1ULL << 40, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_FATAL, 1, 0, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_FATAL, 0, 1, 0));
}

TEST(bad_vectors_refused)
{
	/* Past the MSI-X table (nr_ioq + 1 vectors), in either half. */
	EXPECT_EQ(0, dec(LEAPIO_MBOX_IRQ, 0, 0, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_IRQ, NR_IOQ + 1, 0, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_IRQ, 0xffff, 0, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_IRQ, 1ULL << 32, 0, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_IRQ, ~0ULL, 0, 0));
}

/* Only the doorbell error events, each field of dword 0 in turn. */
TEST(bad_events_refused)
{
	/* wider than dword 0 */
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_AEN, 1ULL << 32 | AEN_DB_VAL, 0, 0));
	/* other types: SMART, notice, command set, vendor */
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_AEN,
			       NVME_AER_DW0(NVME_AER_TYPE_SMART, 0, 2), 0, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_AEN,
			       NVME_AER_DW0(NVME_AER_TYPE_NOTICE, 0, 4), 0, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_AEN,
			       NVME_AER_DW0(NVME_AER_TYPE_VENDOR,
					    NVME_AER_ERROR_INVALID_DB_VAL,
					    NVME_LOG_ERROR), 0, 0));
	/* error events a runtime cannot see */
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_AEN,
			       NVME_AER_DW0(NVME_AER_TYPE_ERROR,
					    NVME_AER_ERROR_PERSIST_INTERNAL,
					    NVME_LOG_ERROR), 0, 0));
	/* another log page than Error Information */
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_AEN,
			       NVME_AER_DW0(NVME_AER_TYPE_ERROR,
					    NVME_AER_ERROR_INVALID_DB_VAL, 2),
			       0, 0));
	/* reserved bits 7:3 and 31:24 */
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_AEN, AEN_DB_VAL | 1U << 3, 0, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_AEN, AEN_DB_VAL | 1U << 24, 0, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_AEN, AEN_DB_VAL | 0x80000000U, 0, 0));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_AEN, 0, 0, 0));
}

/* LEAPIO_MBOX_ERROR: each field of arg0 and rsvd. */
TEST(bad_errors_refused)
{
	/* SQ ID: the admin SQ, one past nr_ioq, the largest */
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_ERROR, ERR0(0, 1, ERR_ST, 0), 0, 1));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_ERROR,
			       ERR0(NR_IOQ + 1, 1, ERR_ST, 0), 0, 1));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_ERROR,
			       ERR0(0xffff, 1, ERR_ST, 0), 0, 1));
	/* Status: success, success with DNR, More or CRD alone, phase bit */
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_ERROR, ERR0(1, 1, 0, 0), 0, 1));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_ERROR,
			       ERR0(1, 1, NVME_STATUS_DNR, 0), 0, 1));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_ERROR,
			       ERR0(1, 1, NVME_STATUS_MORE, 0), 0, 1));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_ERROR, ERR0(1, 1, 3U << 12, 0),
			       0, 1));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_ERROR, ERR0(1, 1, ERR_ST | 1, 0),
			       0, 1));
	/* Location: a byte past the 64-byte command, reserved bits 15:11 */
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_ERROR,
			       ERR0(1, 1, ERR_ST, NVME_ERR_LOC(64, 0)), 0, 1));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_ERROR,
			       ERR0(1, 1, ERR_ST, NVME_ERR_LOC(0xff, 7)), 0, 1));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_ERROR,
			       ERR0(1, 1, ERR_ST, 1U << 11), 0, 1));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_ERROR, ERR0(1, 1, ERR_ST, 0xfffe),
			       0, 1));
	/* rsvd: the NSID in 31:0, 63:32 reserved */
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_ERROR, ERR0(1, 1, ERR_ST, 0), 0,
			       1ULL << 32 | 1));
	EXPECT_EQ(-EINVAL, dec(LEAPIO_MBOX_ERROR, ERR0(1, 1, ERR_ST, 0), 0,
			       ~0ULL));
	/* ... and the same request with each field right goes through */
	EXPECT_EQ(0, dec(LEAPIO_MBOX_ERROR, ERR0(1, 1, ERR_ST, 0), 0, 1));
}

TEST_HARNESS_MAIN
