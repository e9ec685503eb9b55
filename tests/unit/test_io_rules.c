// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O command rules of common/nvme/ as the controller model applies
 * them: every bad command of the shared table (tests/lib/io_rules_cases.h,
 * which leapiod's core answers identically in tests/unit-rt/) gets its
 * status, DNR and Error Information log entry; the command set agrees
 * with Identify and the Commands Supported and Effects log; the doorbell
 * and CQE rules; and errors a data path reports take their place in the
 * log before it is read.
 */
#include <stdlib.h>

#include "../lib/lio_harness.h"
#include "fake_guest.h"
#include "../lib/io_rules_cases.h"

#define BUF		FG_DATA
#define LIST		(FG_FREE + 0x4000)
#define IO_CQ		FG_FREE
#define IO_SQ		(FG_FREE + 0x1000)
#define IO_QSIZE	64
#define SCT_SC(s)	((s) & NVME_STATUS(7, 0xff))

FIXTURE(rules) {
	struct fake_guest *g;
	u16 io_tail;
	u16 io_head;
	u8 io_phase;
};

FIXTURE_SETUP(rules)
{
	self->g = fg_new(2);
	ASSERT_EQ(0, lio_vctrl_set_ns(self->g->c, 1, IOR_NSZE << IOR_LBA_SHIFT,
				      1U << IOR_LBA_SHIFT));
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g) & NVME_CSTS_RDY);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  fg_create_cq(self->g, 1, IO_QSIZE, IO_CQ, 1, true));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  fg_create_sq(self->g, 1, IO_QSIZE, IO_SQ, 1));
	self->io_phase = 1;
}

FIXTURE_TEARDOWN(rules)
{
	fg_free(self->g);
}

/* Submit on SQ 1 with cid, reap from CQ 1: the status, 0xffff if none. */
static u16 io(FIXTURE_DATA(rules) *self, struct nvme_sqe *sqe, u16 cid)
{
	struct fake_guest *g = self->g;
	struct nvme_cqe *cqe;

	sqe->cid = cpu_to_le16(cid);
	*(struct nvme_sqe *)fg_ptr(g, IO_SQ + self->io_tail * NVME_SQE_SIZE) = *sqe;
	self->io_tail = (self->io_tail + 1) % IO_QSIZE;
	fg_write32(g, LEAPIO_SQ_DB(1), self->io_tail);

	cqe = fg_ptr(g, IO_CQ + self->io_head * NVME_CQE_SIZE);
	if ((le16_to_cpu(cqe->status) & 1) != self->io_phase ||
	    le16_to_cpu(cqe->cid) != cid)
		return 0xffff;
	if (++self->io_head == IO_QSIZE) {
		self->io_head = 0;
		self->io_phase ^= 1;
	}
	fg_write32(g, LEAPIO_CQ_DB(1), self->io_head);
	return fg_status(cqe);
}

static const struct nb_prp_list list = {
	.entries = NULL, .gpa = LIST, .bytes = 4096,
};

TEST_F(rules, bad_commands_get_the_table_answer)
{
	struct nb_prp_list l = list;
	unsigned int i;

	l.entries = fg_ptr(self->g, LIST);
	for (i = 0; i < ARRAY_SIZE(io_rules_cases); i++) {
		const struct io_rules_case *t = &io_rules_cases[i];
		struct nvme_error_log_entry e;
		struct nvme_sqe sqe;
		u16 cid = 0x100 + i;

		TH_LOG("%s", t->what);
		io_rules_sqe(&sqe, t, BUF, &l);
		ASSERT_EQ(t->status, io(self, &sqe, cid));
		ASSERT_EQ(0, fg_err_log_newest(self->g, &e));
		EXPECT_EQ(1, le16_to_cpu(e.sqid));
		EXPECT_EQ(cid, le16_to_cpu(e.cmdid));
		EXPECT_EQ(t->status, le16_to_cpu(e.status_field));
		EXPECT_EQ(t->loc, le16_to_cpu(e.param_error_location));
		EXPECT_EQ(t->lba, le64_to_cpu(e.lba));
		EXPECT_EQ(t->nsid, le32_to_cpu(e.nsid));
	}
}

/* Good commands pass every check: only the missing data path fails them. */
TEST_F(rules, good_commands_are_not_ready)
{
	struct nb_prp_list l = list;
	unsigned int i;

	l.entries = fg_ptr(self->g, LIST);
	for (i = 0; i < ARRAY_SIZE(io_rules_good); i++) {
		const struct io_rules_case *t = &io_rules_good[i];
		struct nvme_error_log_entry e;
		struct nvme_sqe sqe;

		TH_LOG("%s", t->what);
		io_rules_sqe(&sqe, t, BUF, &l);
		ASSERT_EQ(NVME_SC_NS_NOT_READY, SCT_SC(io(self, &sqe, 0x200 + i)));
		ASSERT_EQ(0, fg_err_log_newest(self->g, &e));
		EXPECT_EQ(LIO_NO_ERR_LOC, le16_to_cpu(e.param_error_location));
	}
}

/*
 * A second namespace, 16 blocks of 4 KiB: its commands are checked
 * against its own size and LBA size, not namespace 1's.
 */
TEST_F(rules, each_namespace_its_own_bounds)
{
	static const struct io_rules_case ns2[] = {
		{ "Read of namespace 2, its first block", nvme_cmd_read, 0, 2,
		  0, 1, 0, 0, 0 },
		{ "Read of namespace 2, its last block", nvme_cmd_read, 0, 2,
		  15, 1, 0, 0, 0 },
		{ "Read of namespace 2 past its end", nvme_cmd_read, 0, 2,
		  16, 1, IOR_BAD_LBA, IOR_LOC_SLBA, 16 },
		{ "Write of namespace 2 ending past its end", nvme_cmd_write,
		  0, 2, 15, 2, IOR_BAD_LBA, IOR_LOC_NLB, 15 },
		{ "Read of namespace 3, none there", nvme_cmd_read, 0, 3,
		  0, 1, IOR_BAD_NS, IOR_LOC_NSID, 0 },
		{ "Read of namespace 1 where 2 ends", nvme_cmd_read, 0, 1,
		  16, 1, 0, 0, 0 },
	};
	struct nb_prp_list l = list;
	struct fake_guest *g;
	unsigned int i;

	/* Namespaces are set while the device is closed. */
	fg_free(self->g);
	self->g = g = fg_new(2);
	self->io_tail = self->io_head = 0;
	self->io_phase = 1;
	ASSERT_EQ(0, lio_vctrl_set_ns(g->c, 1, IOR_NSZE << IOR_LBA_SHIFT,
				      1U << IOR_LBA_SHIFT));
	ASSERT_EQ(0, lio_vctrl_set_ns(g->c, 2, 16 * 4096, 4096));
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g) & NVME_CSTS_RDY);
	ASSERT_EQ(NVME_SC_SUCCESS, fg_create_cq(g, 1, IO_QSIZE, IO_CQ, 1, true));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_create_sq(g, 1, IO_QSIZE, IO_SQ, 1));

	l.entries = fg_ptr(g, LIST);
	for (i = 0; i < ARRAY_SIZE(ns2); i++) {
		const struct io_rules_case *t = &ns2[i];
		struct nvme_error_log_entry e;
		struct nvme_sqe sqe;

		TH_LOG("%s", t->what);
		io_rules_sqe(&sqe, t, BUF, &l);
		if (!t->status) {
			/* Good: only the missing data path fails it. */
			ASSERT_EQ(NVME_SC_NS_NOT_READY,
				  SCT_SC(io(self, &sqe, 0x300 + i)));
			continue;
		}
		ASSERT_EQ(t->status, io(self, &sqe, 0x300 + i));
		ASSERT_EQ(0, fg_err_log_newest(g, &e));
		EXPECT_EQ(t->loc, le16_to_cpu(e.param_error_location));
		EXPECT_EQ(t->lba, le64_to_cpu(e.lba));
		EXPECT_EQ(t->nsid, le32_to_cpu(e.nsid));
	}
}

/* The opcode table is what Identify and the effects log say. */
TEST_F(rules, command_set_matches_identify_and_effects_log)
{
	struct nvme_effects_log *log = fg_ptr(self->g, BUF);
	struct nvme_id_ctrl *id = fg_ptr(self->g, BUF);
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	u16 oncs;
	u32 op;

	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, BUF);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	oncs = le16_to_cpu(id->oncs);
	ASSERT_EQ(!!(oncs & NVME_CTRL_ONCS_COMPARE),
		  !!nvme_io_cmd_effects(nvme_cmd_compare));
	ASSERT_EQ(!!(oncs & NVME_CTRL_ONCS_DSM), !!nvme_io_cmd_effects(nvme_cmd_dsm));
	ASSERT_EQ(!!(oncs & NVME_CTRL_ONCS_WRITE_ZEROES),
		  !!nvme_io_cmd_effects(nvme_cmd_write_zeroes));
	ASSERT_EQ(!!(oncs & NVME_CTRL_ONCS_WRITE_UNCOR),
		  !!nvme_io_cmd_effects(nvme_cmd_write_uncor));
	ASSERT_EQ(!!(oncs & NVME_CTRL_ONCS_VERIFY),
		  !!nvme_io_cmd_effects(nvme_cmd_verify));
	ASSERT_EQ(!!(oncs & NVME_CTRL_ONCS_COPY),
		  !!nvme_io_cmd_effects(nvme_cmd_copy));
	/* Copy's one source range format, and no other. */
	if (oncs & NVME_CTRL_ONCS_COPY)
		ASSERT_EQ(NVME_CTRL_OCFS_FORMAT0, le16_to_cpu(id->ocfs));
	ASSERT_EQ(!!(oncs & NVME_CTRL_ONCS_RESERVATIONS),
		  !!nvme_io_cmd_effects(nvme_cmd_resv_register));
	/* Flush of every namespace at once: VWC says so. */
	ASSERT_TRUE(nvme_io_ops[nvme_cmd_flush].nsid_all);
	ASSERT_EQ(NVME_CTRL_VWC_FLUSH_NSID_ALL,
		  id->vwc & NVME_CTRL_VWC_FLUSH_NSID_ALL);

	nb_get_log(&sqe, NVME_LOG_CMD_EFFECTS, 0, sizeof(*log), BUF, false);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	for (op = 0; op < 256; op++)
		ASSERT_EQ(nvme_io_cmd_effects(op), le32_to_cpu(log->iocs[op]));
	/* Writes change the blocks; reads do not. */
	ASSERT_TRUE(!!(le32_to_cpu(log->iocs[nvme_cmd_write]) &
		       NVME_CMD_EFFECTS_LBCC));
	ASSERT_FALSE(!!(le32_to_cpu(log->iocs[nvme_cmd_read]) &
			NVME_CMD_EFFECTS_LBCC));
}

/*
 * Write Zeroes: as long as Identify's WZSL (CNS 06h, in 4 KiB pages as a
 * power of two) says and no longer, the limit read from what the guest
 * sees, not from the model's constants.
 */
TEST_F(rules, write_zeroes_limit_is_what_identify_says)
{
	struct nvme_id_ctrl_nvm *id = fg_ptr(self->g, BUF);
	struct nvme_error_log_entry e;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	u32 max_nlb;

	nb_identify_csi(&sqe, NVME_ID_CNS_CS_CTRL, NVME_CSI_NVM, 0, BUF);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	/* 0 would be no limit: one is advertised, within the namespace. */
	ASSERT_NE(0, id->wzsl);
	max_nlb = (4096U << id->wzsl) >> IOR_LBA_SHIFT;
	ASSERT_LE(max_nlb, IOR_NSZE);
	ASSERT_LE(max_nlb, 0x10000U);		/* NLB can name it */

	nb_write_zeroes(&sqe, 1, 0, max_nlb, 0);
	ASSERT_EQ(NVME_SC_NS_NOT_READY, SCT_SC(io(self, &sqe, 0x300)));
	nb_write_zeroes(&sqe, 1, 0, max_nlb + 1, 0);
	ASSERT_EQ(IOR_BAD_FIELD, io(self, &sqe, 0x301));
	ASSERT_EQ(0, fg_err_log_newest(self->g, &e));
	EXPECT_EQ(IOR_LOC_NLB, le16_to_cpu(e.param_error_location));
	EXPECT_EQ(0x301, le16_to_cpu(e.cmdid));
}

/*
 * The check takes Write Zeroes to WZSL and transfers to MDTS, each its
 * own limit: with the two apart, neither stands in for the other.
 */
/*
 * Copy's source ranges (nvme_io_copy_ranges(), which leapiod runs once it
 * has read them): MSSRL per range, each within the namespace, MCL for
 * the sum, then the destination; the first entry at fault decides, and
 * the error carries its LBA. On a namespace big enough for the limits.
 */
TEST(copy_ranges_against_the_limits)
{
	const u64 nsze = 1ULL << 24;
	struct nvme_copy_range r[4];
	struct nvme_io_cmd cmd;
	struct nvme_io_ns ns;
	struct nvme_sqe sqe;

	nvme_io_ns_set(&ns, nsze, 9, 256 << 10, 256 << 10);
	ASSERT_EQ(65535, ns.copy_mssrl);
	ASSERT_EQ(131072U, ns.copy_mcl);

	/* Two ranges to 1000, of 65535 and 10 blocks: good. */
	nb_copy(&sqe, 1, 1000, 2, 0x1000, 0);
	nb_copy_range(&r[0], 0, 65535);
	nb_copy_range(&r[1], nsze - 10, 10);
	ASSERT_EQ(0, nvme_io_check(&sqe, &ns, &cmd));
	EXPECT_EQ(2U, cmd.nr);
	EXPECT_EQ(64U, cmd.len);
	EXPECT_EQ(1000ULL, cmd.slba);
	ASSERT_EQ(0, nvme_io_copy_ranges(&ns, r, &cmd));
	EXPECT_EQ(65545U, cmd.nlb);

	/* A range of 65536 blocks: past MSSRL, though NLB can say it. */
	nb_copy_range(&r[1], 5000, 65536);
	EXPECT_EQ(IOR_SIZE_LIMIT, nvme_io_copy_ranges(&ns, r, &cmd));
	EXPECT_EQ(5000ULL, cmd.err_lba);
	EXPECT_EQ(NVME_ERR_LOC_NONE, cmd.err_loc);
	/* Ending past the namespace: its LBA. */
	nb_copy_range(&r[1], nsze - 10, 11);
	EXPECT_EQ(IOR_BAD_LBA, nvme_io_copy_ranges(&ns, r, &cmd));
	EXPECT_EQ(nsze - 10, cmd.err_lba);
	/* Wrapping around 2^64 is out of range too. */
	nb_copy_range(&r[1], ~0ULL, 2);
	EXPECT_EQ(IOR_BAD_LBA, nvme_io_copy_ranges(&ns, r, &cmd));

	/* Three of 65535: each good, their sum past MCL (131072). */
	nb_copy(&sqe, 1, 0, 3, 0x1000, 0);
	ASSERT_EQ(0, nvme_io_check(&sqe, &ns, &cmd));
	nb_copy_range(&r[0], 0, 65535);
	nb_copy_range(&r[1], 0, 65535);
	nb_copy_range(&r[2], 0, 3);
	EXPECT_EQ(IOR_SIZE_LIMIT, nvme_io_copy_ranges(&ns, r, &cmd));
	EXPECT_EQ(IOR_LOC_NLB, cmd.err_loc);
	/* Exactly MCL is allowed. */
	nb_copy_range(&r[2], 0, 2);
	EXPECT_EQ(0, nvme_io_copy_ranges(&ns, r, &cmd));
	EXPECT_EQ(131072U, cmd.nlb);

	/* The destination: its end past the namespace, SDLBA reported. */
	nb_copy(&sqe, 1, nsze - 4, 1, 0x1000, 0);
	ASSERT_EQ(0, nvme_io_check(&sqe, &ns, &cmd));
	nb_copy_range(&r[0], 0, 5);
	EXPECT_EQ(IOR_BAD_LBA, nvme_io_copy_ranges(&ns, r, &cmd));
	EXPECT_EQ(nsze - 4, cmd.err_lba);
	EXPECT_EQ(IOR_LOC_SLBA, cmd.err_loc);
	nb_copy_range(&r[0], 0, 4);
	EXPECT_EQ(0, nvme_io_copy_ranges(&ns, r, &cmd));

	/* MSRC: 128 ranges take, 129 do not; format 1h is not offered. */
	nb_copy(&sqe, 1, 0, 128, 0x1000, 0);
	EXPECT_EQ(0, nvme_io_check(&sqe, &ns, &cmd));
	EXPECT_EQ(4096U, cmd.len);
	nb_copy(&sqe, 1, 0, 129, 0x1000, 0);
	EXPECT_EQ(IOR_SIZE_LIMIT, nvme_io_check(&sqe, &ns, &cmd));
	nb_copy(&sqe, 1, 0, 1, 0x1000, NB_COPY_FORMAT(2));
	EXPECT_EQ(IOR_BAD_FIELD, nvme_io_check(&sqe, &ns, &cmd));
}

TEST(write_zeroes_and_transfers_have_their_own_limits)
{
	struct nvme_io_ns ns;
	struct nvme_io_cmd cmd;
	struct nvme_sqe sqe;

	/* MDTS 64 KiB (128 blocks), WZSL 256 KiB (512 blocks). */
	nvme_io_ns_set(&ns, 4096, 9, 64 << 10, 256 << 10);
	nb_write_zeroes(&sqe, 1, 0, 512, 0);
	EXPECT_EQ(0, nvme_io_check(&sqe, &ns, &cmd));
	EXPECT_EQ(512U, cmd.nlb);
	EXPECT_EQ(0U, cmd.len);			/* no data moves */
	nb_write_zeroes(&sqe, 1, 0, 513, 0);
	EXPECT_EQ(IOR_BAD_FIELD, nvme_io_check(&sqe, &ns, &cmd));
	EXPECT_EQ(IOR_LOC_NLB, cmd.err_loc);
	nb_rw(&sqe, nvme_cmd_write, 1, 0, 129, 0x1000, 0x2000);
	EXPECT_EQ(IOR_BAD_FIELD, nvme_io_check(&sqe, &ns, &cmd));
	/* And the other way round: WZSL below MDTS. */
	nvme_io_ns_set(&ns, 4096, 9, 256 << 10, 64 << 10);
	nb_write_zeroes(&sqe, 1, 0, 129, 0);
	EXPECT_EQ(IOR_BAD_FIELD, nvme_io_check(&sqe, &ns, &cmd));
	EXPECT_EQ(IOR_LOC_NLB, cmd.err_loc);
	nb_write_zeroes(&sqe, 1, 0, 128, 0);
	EXPECT_EQ(0, nvme_io_check(&sqe, &ns, &cmd));
	nb_rw(&sqe, nvme_cmd_write, 1, 0, 512, 0x1000, 0x2000);
	EXPECT_EQ(0, nvme_io_check(&sqe, &ns, &cmd));
	/* Past the namespace first: an LBA range error, not a size one. */
	nb_write_zeroes(&sqe, 1, 4000, 129, 0);
	EXPECT_EQ(IOR_BAD_LBA, nvme_io_check(&sqe, &ns, &cmd));
}

/*
 * Dataset Management: NR is 0's based, 256 ranges of 16 bytes at most,
 * a 4 KiB list that may start inside a page and go on at PRP2. The model
 * passes such a command through every check (the data path reads the
 * ranges: tests/unit-rt/test_dsm.c).
 */
TEST_F(rules, dsm_of_256_ranges_passes_the_checks)
{
	struct nvme_io_ns ns;
	struct nvme_io_cmd cmd;
	struct nvme_sqe sqe;

	nvme_io_ns_set(&ns, IOR_NSZE, IOR_LBA_SHIFT, IOR_MAX_XFER,
		       IOR_MAX_XFER);
	nb_dsm(&sqe, 1, NB_DSM_AD, 256, BUF + 0x800);
	EXPECT_EQ(255U, le32_to_cpu(sqe.cdw10));
	ASSERT_EQ(0, nvme_io_check(&sqe, &ns, &cmd));
	EXPECT_EQ(4096U, cmd.len);
	nb_dsm(&sqe, 1, NB_DSM_AD, 1, BUF);
	ASSERT_EQ(0, nvme_io_check(&sqe, &ns, &cmd));
	EXPECT_EQ(16U, cmd.len);
	/* The model, without a data path: not ready, no error of its own. */
	nb_dsm(&sqe, 1, NB_DSM_AD, 256, BUF + 0x800);
	sqe.prp2 = cpu_to_le64(LIST);
	ASSERT_EQ(NVME_SC_NS_NOT_READY, SCT_SC(io(self, &sqe, 0x400)));
}

/* ---- errors a data path reports (the dp_errors hook) ---- */

static struct nvme_io_error dp_pending[4];
static unsigned int dp_nr_pending;
static unsigned int dp_hook_calls;

static void dp_errors(void *opaque)
{
	struct fake_guest *g = opaque;
	unsigned int i;

	dp_hook_calls++;
	for (i = 0; i < dp_nr_pending; i++)
		lio_vctrl_log_error(g->c, &dp_pending[i]);
	dp_nr_pending = 0;
}

TEST_F(rules, data_path_errors_enter_the_log_before_it_is_read)
{
	const struct lio_vctrl_ops *saved = self->g->c->ops;
	struct lio_vctrl_ops ops = *saved;
	struct nvme_error_log_entry e;
	struct nvme_sqe sqe;

	ops.dp_errors = dp_errors;
	self->g->c->ops = &ops;
	dp_pending[0] = (struct nvme_io_error) {
		.sqid = 2, .cid = 0x77, .status = IOR_BAD_LBA,
		.loc = IOR_LOC_SLBA, .nsid = 1, .lba = 12345,
	};
	dp_nr_pending = 1;
	ASSERT_EQ(0, fg_err_log_newest(self->g, &e));
	ASSERT_NE(0U, dp_hook_calls);
	EXPECT_EQ(1ULL, le64_to_cpu(e.error_count));
	EXPECT_EQ(2, le16_to_cpu(e.sqid));
	EXPECT_EQ(0x77, le16_to_cpu(e.cmdid));
	EXPECT_EQ(IOR_BAD_LBA, le16_to_cpu(e.status_field));
	EXPECT_EQ(IOR_LOC_SLBA, le16_to_cpu(e.param_error_location));
	EXPECT_EQ(12345ULL, le64_to_cpu(e.lba));
	EXPECT_EQ(1U, le32_to_cpu(e.nsid));

	/* Reported before the model's own next error: logged before it. */
	dp_pending[0].cid = 0x78;
	dp_nr_pending = 1;
	nb_rw(&sqe, 0x7e, 1, 0, 1, BUF, 0);
	ASSERT_EQ(IOR_BAD_OPCODE, io(self, &sqe, 0x79));
	ASSERT_EQ(0, fg_err_log_newest(self->g, &e));
	EXPECT_EQ(3ULL, le64_to_cpu(e.error_count));
	EXPECT_EQ(0x79, le16_to_cpu(e.cmdid));
	self->g->c->ops = saved;	/* ops lives on this stack */
}

/* Errors replaced before they reached the log still count. */
TEST_F(rules, errors_counted_only)
{
	struct nvme_error_log_entry e;
	struct nvme_io_error err = {
		.sqid = 1, .cid = 5, .status = IOR_BAD_NS, .loc = IOR_LOC_NSID,
		.nsid = 9,
	};

	lio_vctrl_count_errors(self->g->c, 1000);
	lio_vctrl_log_error(self->g->c, &err);
	ASSERT_EQ(0, fg_err_log_newest(self->g, &e));
	EXPECT_EQ(1001ULL, le64_to_cpu(e.error_count));
	EXPECT_EQ(5, le16_to_cpu(e.cmdid));
}

/* ---- queue rules ---- */

/* Every value of [head, tail] going round, and no other, is a valid head. */
TEST(cq_head_rule_exhaustive)
{
	u16 size, head, tail;
	u32 val;

	for (size = 2; size <= 9; size++)
		for (head = 0; head < size; head++)
			for (tail = 0; tail < size; tail++) {
				bool ok[16] = { false };
				u16 i = head;

				ok[i] = true;
				while (i != tail) {
					i = nvme_q_next(i, size);
					ok[i] = true;
				}
				for (val = 0; val < 16; val++)
					ASSERT_EQ(ok[val],
						  nvme_cq_head_valid(size, head,
								     tail, val));
				ASSERT_FALSE(nvme_cq_head_valid(size, head, tail,
								0xffffffffU));
			}
}

TEST(cq_head_rule_examples)
{
	/* Two posted (head 1, tail 3): up to both released. */
	EXPECT_TRUE(nvme_cq_head_valid(4, 1, 3, 1));
	EXPECT_TRUE(nvme_cq_head_valid(4, 1, 3, 3));
	EXPECT_FALSE(nvme_cq_head_valid(4, 1, 3, 0));
	/* Wrapped: head 3, tail 1. */
	EXPECT_TRUE(nvme_cq_head_valid(4, 3, 1, 0));
	EXPECT_FALSE(nvme_cq_head_valid(4, 3, 1, 2));
	/* Nothing posted: only the head itself. */
	EXPECT_TRUE(nvme_cq_head_valid(1024, 7, 7, 7));
	EXPECT_FALSE(nvme_cq_head_valid(1024, 7, 7, 8));
	/* Beyond the queue. */
	EXPECT_FALSE(nvme_cq_head_valid(1024, 0, 1023, 1024));
	EXPECT_FALSE(nvme_cq_head_valid(65535, 0, 1, 65535));
	/* Reserved bits 31:16 set: not the low 16 bits, which are good. */
	EXPECT_TRUE(nvme_cq_head_valid(16, 0, 15, 3));
	EXPECT_FALSE(nvme_cq_head_valid(16, 0, 15, 0x10000 | 3));
	EXPECT_FALSE(nvme_cq_head_valid(16, 0, 15, 0x80000000U | 3));
	EXPECT_FALSE(nvme_sq_tail_valid(65535, 0x10000 | 3));
	EXPECT_FALSE(nvme_db_in_queue(65535, 0xffff0000U));
}

TEST(sq_tail_rule)
{
	EXPECT_TRUE(nvme_sq_tail_valid(16, 0));
	EXPECT_TRUE(nvme_sq_tail_valid(16, 15));
	EXPECT_FALSE(nvme_sq_tail_valid(16, 16));
	EXPECT_FALSE(nvme_sq_tail_valid(16, 0x10000));
	EXPECT_FALSE(nvme_sq_tail_valid(16, 0xffffffffU));
	EXPECT_TRUE(nvme_q_full(0, 15, 16));
	EXPECT_TRUE(nvme_q_full(5, 4, 16));
	EXPECT_FALSE(nvme_q_full(5, 5, 16));
	EXPECT_EQ(0, nvme_q_next(15, 16));
	EXPECT_EQ(3, nvme_q_used(14, 1, 16));
}

TEST(cqe_layout)
{
	struct nvme_cqe e;
	u8 raw[16];
	u32 dw3;

	memset(&e, 0xa5, sizeof(e));
	/* Bit 0 of a status is the phase's place: the phase decides it. */
	nvme_cqe_build(&e, 0x11223344, 7, 3, 0xbeef,
		       NVME_SC_INVALID_FIELD | NVME_STATUS_DNR | 1, 0);
	memcpy(raw, &e, sizeof(raw));
	EXPECT_EQ(0x11223344U, le32_to_cpu(e.dw0));
	EXPECT_EQ(0U, le32_to_cpu(e.dw1));
	EXPECT_EQ(7, le16_to_cpu(e.sq_head));
	EXPECT_EQ(3, le16_to_cpu(e.sq_id));
	memcpy(&dw3, raw + NVME_CQE_DW3, 4);
	EXPECT_EQ(0xbeefU | (u32)(NVME_SC_INVALID_FIELD | NVME_STATUS_DNR) << 16,
		  le32_to_cpu(dw3));
	EXPECT_EQ(dw3, nvme_cqe_dw3(0xbeef, NVME_SC_INVALID_FIELD |
					     NVME_STATUS_DNR, 0));
	nvme_cqe_build(&e, 0, 0, 1, 2, 0, 1);
	EXPECT_EQ(1, le16_to_cpu(e.status));
	EXPECT_EQ(2, le16_to_cpu(e.cid));
}

TEST_HARNESS_MAIN
