// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O command rules of common/nvme/ as leapiod's core applies them:
 * every bad command of the shared table (tests/lib/io_rules_cases.h, the
 * one the controller model answers in tests/unit/test_io_rules.c) gets
 * the same status and DNR, and is reported to the driver for the Error
 * Information log (LEAPIO_MBOX_ERROR) once, with the same Parameter Error
 * Location and LBA, before its CQE is written. Errors found later (PRPs,
 * DSM ranges) are reported too; successes never are.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/lio_harness.h"
#include "fake_host.h"
#include "../lib/io_rules_cases.h"

#define SQ_GPA		0x10000
#define CQ_GPA		0x20000
#define LIST_GPA	0x80000
#define DATA_GPA	0x100000
#define QSIZE		128

FIXTURE(rules) {
	struct fake_host h;
};

FIXTURE_SETUP(rules)
{
	fh_init(&self->h, 2, IOR_NSZE, IOR_LBA_SHIFT);
	fh_create_cq(&self->h, 1, CQ_GPA, QSIZE, 1, true);
	fh_create_sq(&self->h, 1, SQ_GPA, QSIZE, 1);
	fh_poll(&self->h, 2);
}

FIXTURE_TEARDOWN(rules)
{
	fh_release(&self->h, 0);
	fh_fini(&self->h);
}

/* One command on queue pair 1 (fake_host.h, fh_run1()). */
static u16 run1(struct fake_host *h, struct nvme_sqe *s, u16 cid)
{
	return fh_run1(h, 1, s, cid);
}

static void expect_report(struct __test_metadata *_metadata,
			  const struct nvme_io_error *e, u16 cid, u16 status,
			  u16 loc, u64 lba, u32 nsid)
{
	EXPECT_EQ(1, e->sqid);
	EXPECT_EQ(cid, e->cid);
	EXPECT_EQ(status, e->status);
	EXPECT_EQ(loc, e->loc);
	EXPECT_EQ(lba, e->lba);
	EXPECT_EQ(nsid, e->nsid);
}

static struct nb_prp_list rt_list(struct fake_host *h)
{
	return (struct nb_prp_list) {
		.entries = (__le64 *)(h->gmem + LIST_GPA), .gpa = LIST_GPA,
		.bytes = 4096,
	};
}

TEST_F(rules, bad_commands_get_the_table_answer_and_are_reported)
{
	struct nb_prp_list l = rt_list(&self->h);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(io_rules_cases); i++) {
		const struct io_rules_case *t = &io_rules_cases[i];
		struct nvme_sqe sqe;
		u16 cid = 0x100 + i;

		TH_LOG("%s", t->what);
		io_rules_sqe(&sqe, t, DATA_GPA, &l);
		ASSERT_EQ(t->status, run1(&self->h, &sqe, cid));
		/* Reported once, by the time the guest saw it fail. */
		ASSERT_EQ(i + 1, self->h.nr_errs);
		expect_report(_metadata, &self->h.errs[i], cid, t->status,
			      t->loc, t->lba, t->nsid);
	}
	EXPECT_EQ(0U, self->h.bad_errs);
	/* Nothing reached the backend. */
	EXPECT_EQ(0U, self->h.submitted);
}

TEST_F(rules, good_commands_succeed_unreported)
{
	struct nb_prp_list l = rt_list(&self->h);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(io_rules_good); i++) {
		const struct io_rules_case *t = &io_rules_good[i];
		struct nvme_sqe sqe;

		TH_LOG("%s", t->what);
		io_rules_sqe(&sqe, t, DATA_GPA, &l);
		ASSERT_EQ(NVME_SC_SUCCESS, run1(&self->h, &sqe, 0x200 + i));
	}
	EXPECT_EQ(0U, self->h.nr_errs);
	EXPECT_EQ(ARRAY_SIZE(io_rules_good), self->h.submitted);
}

/* Errors found past the SQE's checks: their field, the command's LBA. */
TEST_F(rules, data_errors_are_reported)
{
	struct nvme_dsm_range *r = (void *)(self->h.gmem + DATA_GPA);
	struct nvme_sqe sqe;

	/* PRP1 not dword aligned. */
	nb_rw(&sqe, nvme_cmd_read, 1, 5, 1, DATA_GPA + 2, 0);
	ASSERT_EQ(NVME_SC_PRP_OFFSET_INVALID | NVME_STATUS_DNR,
		  run1(&self->h, &sqe, 1));
	ASSERT_EQ(1U, self->h.nr_errs);
	expect_report(_metadata, &self->h.errs[0], 1,
		      NVME_SC_PRP_OFFSET_INVALID | NVME_STATUS_DNR,
		      NVME_ERR_LOC(NVME_SQE_OFF_PRP1, 0), 5, 1);
	/* PRP2 outside guest memory. */
	nb_rw(&sqe, nvme_cmd_write, 1, 6, 16, DATA_GPA, FH_GMEM_SIZE);
	ASSERT_EQ(NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR,
		  run1(&self->h, &sqe, 2));
	ASSERT_EQ(2U, self->h.nr_errs);
	expect_report(_metadata, &self->h.errs[1], 2,
		      NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR,
		      NVME_ERR_LOC(NVME_SQE_OFF_PRP2, 0), 6, 1);
	/* A DSM range past the end: in the data, no SQE field. */
	memset(r, 0, 2 * sizeof(*r));
	r[0].slba = cpu_to_le64(0);
	r[0].nlb = cpu_to_le32(1);
	r[1].slba = cpu_to_le64(IOR_NSZE - 1);
	r[1].nlb = cpu_to_le32(2);
	nb_dsm(&sqe, 1, NB_DSM_AD, 2, DATA_GPA);
	ASSERT_EQ(NVME_SC_LBA_RANGE | NVME_STATUS_DNR, run1(&self->h, &sqe, 3));
	ASSERT_EQ(3U, self->h.nr_errs);
	expect_report(_metadata, &self->h.errs[2], 3,
		      NVME_SC_LBA_RANGE | NVME_STATUS_DNR, NVME_ERR_LOC_NONE,
		      IOR_NSZE - 1, 1);
	EXPECT_EQ(0U, self->h.submitted);
}

/* More failures in one pass than the mailbox holds: each told once, in order. */
TEST_F(rules, many_failures_in_one_pass)
{
	struct nvme_cqe cqe;
	struct nvme_sqe sqe;
	unsigned int i, n = 0;

	for (i = 0; i < 100; i++) {
		nb_rw(&sqe, 0x7e, 1, 0, 1, DATA_GPA, 0);
		sqe.cid = cpu_to_le16(i);
		fh_queue(&self->h, 1, &sqe);
	}
	fh_ring(&self->h, 1);
	fh_poll(&self->h, 4);
	while (fh_reap(&self->h, 1, &cqe)) {
		ASSERT_EQ(n, le16_to_cpu(cqe.cid));
		ASSERT_EQ(IOR_BAD_OPCODE, le16_to_cpu(cqe.status) & ~1U);
		n++;
	}
	ASSERT_EQ(100U, n);
	ASSERT_EQ(100U, self->h.nr_errs);
	for (i = 0; i < 100; i++)
		expect_report(_metadata, &self->h.errs[i], i, IOR_BAD_OPCODE,
			      IOR_LOC_OPCODE, 0, 1);
}

/* A full CQ: failures wait with their CQEs, and are told when those go. */
TEST_F(rules, reported_when_their_completion_is_posted)
{
	struct nvme_cqe cqe;
	struct nvme_sqe sqe;
	unsigned int i;

	fh_create_cq(&self->h, 2, CQ_GPA + 0x8000, 4, 2, true);
	fh_create_sq(&self->h, 2, SQ_GPA + 0x8000, 8, 2);
	fh_poll(&self->h, 2);
	for (i = 0; i < 6; i++) {
		nb_rw(&sqe, nvme_cmd_read, 9, 0, 1, DATA_GPA, 0);
		sqe.cid = cpu_to_le16(i);
		fh_queue(&self->h, 2, &sqe);
	}
	fh_ring(&self->h, 2);
	fh_poll(&self->h, 4);
	/* Room for 3 CQEs: 3 told, 3 waiting. */
	ASSERT_EQ(3U, self->h.nr_errs);
	for (i = 0; i < 3; i++) {
		ASSERT_TRUE(fh_reap(&self->h, 2, &cqe));
		ASSERT_EQ(i, le16_to_cpu(cqe.cid));
	}
	ASSERT_FALSE(fh_reap(&self->h, 2, &cqe));
	fh_poll(&self->h, 4);
	ASSERT_EQ(6U, self->h.nr_errs);
	for (i = 3; i < 6; i++) {
		ASSERT_TRUE(fh_reap(&self->h, 2, &cqe));
		ASSERT_EQ(i, le16_to_cpu(cqe.cid));
	}
	for (i = 0; i < 6; i++) {
		EXPECT_EQ(2, self->h.errs[i].sqid);
		EXPECT_EQ(i, self->h.errs[i].cid);
		EXPECT_EQ(IOR_BAD_NS, self->h.errs[i].status);
		EXPECT_EQ(9U, self->h.errs[i].nsid);
	}
}

/*
 * Write Zeroes to WZSL: the limit the model advertises for the MDTS the
 * driver publishes (nvme_io_nodata_sl()), here MDTS 3 (32 KiB, 64 blocks)
 * instead of the table's 6. Exactly the blocks named are zeroed; one
 * block more is refused, reported, and nothing reaches the backend.
 */
TEST_F(rules, write_zeroes_limit_follows_the_published_mdts)
{
	const struct leapio_wr_geometry g = {
		.nsze = IOR_NSZE, .lba_shift = IOR_LBA_SHIFT, .mdts = 3,
		.page_shift = 12,
	};
	u32 max_nlb = (4096U << nvme_io_nodata_sl(g.mdts)) >> IOR_LBA_SHIFT;
	u8 *st = self->h.store;
	struct nvme_sqe sqe;

	ASSERT_EQ(64U, max_nlb);
	fh_put_geometry(&self->h, &g);
	fh_bump(&self->h);
	fh_poll(&self->h, 2);
	memset(st, 0xa5, IOR_NSZE << IOR_LBA_SHIFT);

	nb_write_zeroes(&sqe, 1, 10, max_nlb, 0);
	ASSERT_EQ(NVME_SC_SUCCESS, run1(&self->h, &sqe, 1));
	EXPECT_EQ(1U, self->h.submitted);
	EXPECT_EQ(0xa5, st[(10 << IOR_LBA_SHIFT) - 1]);
	EXPECT_EQ(0, st[10 << IOR_LBA_SHIFT]);
	EXPECT_EQ(0, st[((10 + max_nlb) << IOR_LBA_SHIFT) - 1]);
	EXPECT_EQ(0xa5, st[(10 + max_nlb) << IOR_LBA_SHIFT]);

	nb_write_zeroes(&sqe, 1, 100, max_nlb + 1, 0);
	ASSERT_EQ(IOR_BAD_FIELD, run1(&self->h, &sqe, 2));
	EXPECT_EQ(1U, self->h.submitted);
	EXPECT_EQ(0xa5, st[100 << IOR_LBA_SHIFT]);
	ASSERT_EQ(1U, self->h.nr_errs);
	expect_report(_metadata, &self->h.errs[0], 2, IOR_BAD_FIELD,
		      IOR_LOC_NLB, 0, 1);
	/* Past the namespace is its LBA range's fault, whatever the size. */
	nb_write_zeroes(&sqe, 1, IOR_NSZE - 1, max_nlb + 1, 0);
	ASSERT_EQ(IOR_BAD_LBA, run1(&self->h, &sqe, 3));
	EXPECT_EQ(1U, self->h.submitted);
}

/* A driver of region version 1.0 does not take them: none is sent. */
TEST_F(rules, older_driver_gets_no_reports)
{
	struct nvme_sqe sqe;

	fh_detach(&self->h);
	self->h.r.hdr->version_minor = 0;
	fh_attach(&self->h);
	fh_poll(&self->h, 2);
	nb_rw(&sqe, 0x7e, 1, 0, 1, DATA_GPA, 0);
	ASSERT_EQ(IOR_BAD_OPCODE, run1(&self->h, &sqe, 4));
	EXPECT_EQ(0U, self->h.nr_errs);
	EXPECT_EQ(0U, self->h.bad_errs);
}

TEST_HARNESS_MAIN
