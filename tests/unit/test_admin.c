// SPDX-License-Identifier: GPL-2.0
/*
 * The admin dispatcher and the I/O fallback: which opcodes exist, what
 * every SQE must satisfy (no fused commands, no SGLs), Abort and Keep
 * Alive, and the Error Information log entry of each failure.
 */
#include <stdlib.h>

#include "../lib/lio_harness.h"
#include "fake_guest.h"

#define BUF	FG_DATA
#define IO_CQ	(FG_FREE)
#define IO_SQ	(FG_FREE + 0x1000)
#define IO_QSIZE	16

FIXTURE(admin) {
	struct fake_guest *g;
	u16 io_tail;		/* SQ 1 */
	u16 io_head;		/* CQ 1 */
	u8 io_phase;
};

FIXTURE_SETUP(admin)
{
	self->g = fg_new(2);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g) & NVME_CSTS_RDY);
	self->io_phase = 1;
}

FIXTURE_TEARDOWN(admin)
{
	fg_free(self->g);
}

static u16 submit(struct fake_guest *g, struct nvme_sqe *sqe, u32 *dw0)
{
	struct nvme_cqe cqe;

	if (fg_admin(g, sqe, &cqe))
		return 0xffff;
	if (dw0)
		*dw0 = le32_to_cpu(cqe.dw0);
	return fg_status(&cqe);
}

static void expect_err(struct __test_metadata *_metadata,
		       struct fake_guest *g, u16 sqid, u16 cid, u16 status,
		       u16 loc, u32 nsid)
{
	struct nvme_error_log_entry e;

	ASSERT_EQ(0, fg_err_log_newest(g, &e));
	ASSERT_EQ(sqid, le16_to_cpu(e.sqid));
	ASSERT_EQ(cid, le16_to_cpu(e.cmdid));
	ASSERT_EQ(status, le16_to_cpu(e.status_field));
	ASSERT_EQ(loc, le16_to_cpu(e.param_error_location));
	ASSERT_EQ(nsid, le32_to_cpu(e.nsid));
}

static bool admin_supported(u8 op)
{
	switch (op) {
	case nvme_admin_delete_sq:
	case nvme_admin_create_sq:
	case nvme_admin_get_log_page:
	case nvme_admin_delete_cq:
	case nvme_admin_create_cq:
	case nvme_admin_identify:
	case nvme_admin_abort_cmd:
	case nvme_admin_set_features:
	case nvme_admin_get_features:
	case nvme_admin_async_event:
	case nvme_admin_keep_alive:
	case nvme_admin_dbbuf:
	case nvme_admin_get_lba_status:
		return true;
	default:
		return false;
	}
}

/* Namespace Management and Attachment: supported, the host rescans after. */
static bool admin_changes_namespaces(u8 op)
{
	return op == nvme_admin_ns_mgmt || op == nvme_admin_ns_attach;
}

TEST_F(admin, unsupported_opcodes)
{
	u8 *saved = fg_mem_save(self->g);
	unsigned int op;

	/* Format, firmware, security, sanitize, self-test, directives,
	 * virtualization, MI, vendor specific...
	 */
	for (op = 0; op < 256; op++) {
		struct nvme_sqe sqe = { .opcode = op };

		if (admin_supported(op) || admin_changes_namespaces(op))
			continue;
		sqe.nsid = cpu_to_le32(1);
		sqe.prp1 = cpu_to_le64(BUF);
		sqe.cdw10 = cpu_to_le32(0xffffffff);
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_OPCODE), submit(self->g, &sqe, NULL)) {
			TH_LOG("opcode %#x", op);
		}
		expect_err(_metadata, self->g, 0, le16_to_cpu(sqe.cid),
			   FG_ADMIN_ERR(NVME_SC_INVALID_OPCODE), NVME_SQE_OFF_OPCODE, 1);
	}
	ASSERT_TRUE(fg_mem_unchanged(self->g, saved));
	free(saved);
}

TEST_F(admin, supported_opcodes_agree_with_effects_log)
{
	unsigned int op;

	for (op = 0; op < 256; op++)
		ASSERT_EQ(admin_supported(op) ? NVME_CMD_EFFECTS_CSUPP :
			  admin_changes_namespaces(op) ?
			  NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_NIC : 0U,
			  lio_admin_cmd_effects(self->g->c, op));
}

TEST_F(admin, fused_and_sgl_refused)
{
	/* FUSE 01b, 10b, 11b; PSDT 01b, 10b, 11b; on commands that would
	 * otherwise succeed.
	 */
	static const u8 flags[] = { 0x01, 0x02, 0x03, 0x40, 0x80, 0xc0, 0x41 };
	u8 *saved = fg_mem_save(self->g);
	struct nvme_sqe sqe;
	unsigned int i;
	u32 dw0;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, BUF);
		sqe.flags = flags[i];
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), submit(self->g, &sqe, NULL));
		expect_err(_metadata, self->g, 0, le16_to_cpu(sqe.cid),
			   FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), NVME_SQE_OFF_FLAGS, 0);

		nb_set_features(&sqe, NVME_FEAT_KATO, false, 1000);
		sqe.flags = flags[i];
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), submit(self->g, &sqe, NULL));

		/* Refused, not held. */
		nb_aer(&sqe);
		sqe.flags = flags[i];
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), submit(self->g, &sqe, NULL));
	}
	ASSERT_TRUE(fg_mem_unchanged(self->g, saved));
	/* The Set Features never happened. */
	nb_get_features(&sqe, NVME_FEAT_KATO, NVME_FEAT_SEL_CURRENT, 0);
	ASSERT_EQ(NVME_SC_SUCCESS, submit(self->g, &sqe, &dw0));
	ASSERT_EQ(0U, dw0);
	free(saved);
}

TEST_F(admin, flags_ignored_bits)
{
	/* Bits 5:2 of CDW0 byte 1 are reserved: no reason to refuse. */
	struct nvme_sqe sqe;

	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, BUF);
	sqe.flags = 0x3c;
	ASSERT_EQ(NVME_SC_SUCCESS, submit(self->g, &sqe, NULL));
}

TEST_F(admin, abort_never_aborts)
{
	struct nvme_sqe sqe;
	u32 dw0 = 0;

	/* Admin SQ, I/O SQ, a CID never used. */
	nb_abort(&sqe, 0, 0);
	ASSERT_EQ(NVME_SC_SUCCESS, submit(self->g, &sqe, &dw0));
	EXPECT_EQ(1U, dw0);
	nb_abort(&sqe, 1, 0x1234);
	dw0 = 0;
	ASSERT_EQ(NVME_SC_SUCCESS, submit(self->g, &sqe, &dw0));
	EXPECT_EQ(1U, dw0);
	sqe.cdw10 = cpu_to_le32(0xffffffff);
	dw0 = 0;
	ASSERT_EQ(NVME_SC_SUCCESS, submit(self->g, &sqe, &dw0));
	EXPECT_EQ(1U, dw0);
}

TEST_F(admin, keep_alive)
{
	struct nvme_sqe sqe;
	u32 dw0 = 0xdead;

	nb_keep_alive(&sqe);
	ASSERT_EQ(NVME_SC_SUCCESS, submit(self->g, &sqe, &dw0));
	EXPECT_EQ(0U, dw0);
}

TEST_F(admin, successes_leave_the_error_log_alone)
{
	struct nvme_sqe sqe;
	struct nvme_error_log_entry e;

	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, BUF);
	ASSERT_EQ(NVME_SC_SUCCESS, submit(self->g, &sqe, NULL));
	nb_keep_alive(&sqe);
	ASSERT_EQ(NVME_SC_SUCCESS, submit(self->g, &sqe, NULL));
	ASSERT_EQ(0, fg_err_log_newest(self->g, &e));
	ASSERT_EQ(0ULL, le64_to_cpu(e.error_count));
}

/* ---- I/O commands with no data path ---- */

static void io_queues(struct __test_metadata *_metadata, FIXTURE_DATA(admin) *self)
{
	ASSERT_EQ(NVME_SC_SUCCESS,
		  fg_create_cq(self->g, 1, IO_QSIZE, IO_CQ, 1, true));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_create_sq(self->g, 1, IO_QSIZE, IO_SQ, 1));
}

/* Submit on SQ 1, reap from CQ 1: the status, or 0xffff if none. */
static u16 io(FIXTURE_DATA(admin) *self, struct nvme_sqe *sqe)
{
	struct fake_guest *g = self->g;
	struct nvme_cqe *cqe;

	sqe->cid = cpu_to_le16(0x4000 | self->io_tail);
	*(struct nvme_sqe *)fg_ptr(g, IO_SQ + self->io_tail * NVME_SQE_SIZE) = *sqe;
	self->io_tail = (self->io_tail + 1) % IO_QSIZE;
	fg_write32(g, LEAPIO_SQ_DB(1), self->io_tail);

	cqe = fg_ptr(g, IO_CQ + self->io_head * NVME_CQE_SIZE);
	if ((le16_to_cpu(cqe->status) & 1) != self->io_phase)
		return 0xffff;
	if (le16_to_cpu(cqe->cid) != le16_to_cpu(sqe->cid))
		return 0xfffe;
	if (++self->io_head == IO_QSIZE) {
		self->io_head = 0;
		self->io_phase ^= 1;
	}
	fg_write32(g, LEAPIO_CQ_DB(1), self->io_head);
	return fg_status(cqe);
}

/* One block at LBA 0 into BUF, laid out as a Read (opcode aside). */
static void io_sqe(struct nvme_sqe *sqe, u8 opcode, u32 nsid)
{
	nb_rw(sqe, opcode, nsid, 0, 1, BUF, 0);
}

TEST_F(admin, io_not_ready)
{
	static const u8 ops[] = { nvme_cmd_flush, nvme_cmd_write, nvme_cmd_read,
				  nvme_cmd_compare, nvme_cmd_write_zeroes,
				  nvme_cmd_dsm };
	struct nvme_sqe sqe;
	unsigned int i;

	io_queues(_metadata, self);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		io_sqe(&sqe, ops[i], 1);
		ASSERT_EQ(NVME_SC_NS_NOT_READY | NVME_STATUS_DNR, io(self, &sqe));
		expect_err(_metadata, self->g, 1, le16_to_cpu(sqe.cid),
			   NVME_SC_NS_NOT_READY | NVME_STATUS_DNR,
			   LIO_NO_ERR_LOC, 1);
	}
	/* Flush of every namespace at once (VWC). */
	io_sqe(&sqe, nvme_cmd_flush, 0xffffffff);
	ASSERT_EQ(NVME_SC_NS_NOT_READY | NVME_STATUS_DNR, io(self, &sqe));
}

TEST_F(admin, io_bad_opcode)
{
	static const u8 ops[] = { nvme_cmd_resv_register, nvme_cmd_resv_report,
				  nvme_cmd_resv_acquire, nvme_cmd_resv_release,
				  0x03, 0x7f, 0x80, 0xc0, 0xff };
	struct nvme_sqe sqe;
	unsigned int i;

	io_queues(_metadata, self);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		io_sqe(&sqe, ops[i], 1);
		/* A permanent error: Do Not Retry, as leapiod says. */
		ASSERT_EQ(NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR,
			  io(self, &sqe));
		expect_err(_metadata, self->g, 1, le16_to_cpu(sqe.cid),
			   NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR,
			   NVME_SQE_OFF_OPCODE, 1);
	}
	for (i = 0; i < 256; i++)
		ASSERT_EQ(nvme_io_cmd_effects(i) != 0,
			  i == nvme_cmd_flush || i == nvme_cmd_write ||
			  i == nvme_cmd_read || i == nvme_cmd_compare ||
			  i == nvme_cmd_write_zeroes || i == nvme_cmd_dsm ||
			  i == nvme_cmd_write_uncor || i == nvme_cmd_verify ||
			  i == nvme_cmd_copy);
}

TEST_F(admin, io_bad_nsid)
{
	static const u32 bad[] = { 0, 2, 0x10000, 0xfffffffe };
	struct nvme_sqe sqe;
	unsigned int i;

	io_queues(_metadata, self);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		io_sqe(&sqe, nvme_cmd_read, bad[i]);
		ASSERT_EQ(NVME_SC_INVALID_NS | NVME_STATUS_DNR, io(self, &sqe));
		expect_err(_metadata, self->g, 1, le16_to_cpu(sqe.cid),
			   NVME_SC_INVALID_NS | NVME_STATUS_DNR,
			   NVME_SQE_OFF_NSID, bad[i]);
		io_sqe(&sqe, nvme_cmd_flush, bad[i]);
		ASSERT_EQ(NVME_SC_INVALID_NS | NVME_STATUS_DNR, io(self, &sqe));
	}
	/* Only flush takes every namespace. */
	io_sqe(&sqe, nvme_cmd_write, 0xffffffff);
	ASSERT_EQ(NVME_SC_INVALID_NS | NVME_STATUS_DNR, io(self, &sqe));
	io_sqe(&sqe, nvme_cmd_dsm, 0xffffffff);
	ASSERT_EQ(NVME_SC_INVALID_NS | NVME_STATUS_DNR, io(self, &sqe));
}

TEST_F(admin, io_fused_and_sgl_refused)
{
	struct nvme_sqe sqe;

	io_queues(_metadata, self);
	/* A fused compare and write. */
	io_sqe(&sqe, nvme_cmd_compare, 1);
	sqe.flags = 0x01;
	ASSERT_EQ(NVME_SC_INVALID_FIELD | NVME_STATUS_DNR, io(self, &sqe));
	expect_err(_metadata, self->g, 1, le16_to_cpu(sqe.cid),
		   NVME_SC_INVALID_FIELD | NVME_STATUS_DNR, NVME_SQE_OFF_FLAGS, 1);
	io_sqe(&sqe, nvme_cmd_write, 1);
	sqe.flags = 0x02;
	ASSERT_EQ(NVME_SC_INVALID_FIELD | NVME_STATUS_DNR, io(self, &sqe));
	/* PSDT: bit 6 of the flags byte. */
	io_sqe(&sqe, nvme_cmd_read, 1);
	sqe.flags = 0x40;
	ASSERT_EQ(NVME_SC_INVALID_FIELD | NVME_STATUS_DNR, io(self, &sqe));
	expect_err(_metadata, self->g, 1, le16_to_cpu(sqe.cid),
		   NVME_SC_INVALID_FIELD | NVME_STATUS_DNR,
		   NVME_ERR_LOC(NVME_SQE_OFF_FLAGS, 6), 1);
}

TEST_HARNESS_MAIN
