// SPDX-License-Identifier: GPL-2.0
/*
 * Format NVM (admin 80h) in the controller model (kernel/host/vctrl/
 * format.c) with a recording data path: each bad field with the status
 * the specification gives it and no request made of the data path; a
 * good command deferred until the data path answers, then completed
 * with its answer, the namespace in its new LBA format (Identify, whole
 * blocks) and the new geometry given to the data path first; a data path
 * that cannot take it, a second Format while one runs, answers that are
 * stale or not a status Format NVM can have, and a reset that drops the
 * command but not the format. OACS and the effects log say so.
 */
#include <stdlib.h>

#include "../lib/lio_harness.h"
#include "fake_guest.h"

#define BUF		FG_DATA
#define NS_BYTES	(64ULL << 20)

FIXTURE(fmt) {
	struct fake_guest *g;
	struct fg_dp dp;
	u8 *buf;
};

FIXTURE_SETUP(fmt)
{
	self->g = fg_new(2);
	fg_dp_attach(self->g, &self->dp);
	ASSERT_EQ(0, lio_vctrl_set_ns(self->g->c, 1, NS_BYTES, 512));
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g) & NVME_CSTS_RDY);
	self->buf = fg_ptr(self->g, BUF);
}

FIXTURE_TEARDOWN(fmt)
{
	fg_free(self->g);
}

/* Submit Format NVM: its status, or 0xffff while it waits for an answer. */
static u16 format(struct fake_guest *g, u32 nsid, u8 lbaf, u8 ses, u8 pi,
		  u16 *cid)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_format(&sqe, nsid, lbaf, ses, pi);
	if (fg_admin(g, &sqe, &cqe)) {
		if (cid)
			*cid = le16_to_cpu(sqe.cid);
		return 0xffff;
	}
	return fg_status(&cqe);
}


static u8 flbas(struct fake_guest *g, u64 *nsze)
{
	struct nvme_id_ns *ns = fg_ptr(g, BUF);
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_identify(&sqe, NVME_ID_CNS_NS, 1, BUF);
	if (fg_admin(g, &sqe, &cqe) || fg_status(&cqe))
		return 0xff;
	*nsze = le64_to_cpu(ns->nsze);
	return ns->flbas;
}

TEST_F(fmt, oacs_and_effects_say_it_is_there)
{
	struct nvme_id_ctrl *id = (void *)self->buf;
	struct nvme_effects_log *e = (void *)self->buf;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, BUF);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	EXPECT_NE(0U, le16_to_cpu(id->oacs) & (u32)NVME_CTRL_OACS_FORMAT);
	EXPECT_EQ(0, id->fna);
	nb_get_log(&sqe, NVME_LOG_CMD_EFFECTS, 0, sizeof(*e), BUF, false);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	EXPECT_EQ(NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC |
		  NVME_CMD_EFFECTS_NCC | NVME_CMD_EFFECTS_NIC | 1U << 16,
		  le32_to_cpu(e->acs[nvme_admin_format_nvm]));
}

TEST_F(fmt, to_4k_and_back_when_the_data_path_answers)
{
	struct lio_vctrl *c = self->g->c;
	u64 nsze = 0;
	int i;
	u16 cid;

	ASSERT_EQ(0xffff, format(self->g, 1, 1, NVME_FORMAT_SES_USER_DATA, 0, &cid));
	i = fg_dp_find(&self->dp, 0, FG_DP_FORMAT);
	ASSERT_LE(0, i);
	EXPECT_EQ(1U, self->dp.rec[i].arg);
	EXPECT_EQ(12U | 1U << 8, self->dp.rec[i].val);
	/* Not answered: nothing posted, the format not yet the namespace's. */
	ASSERT_EQ(0xffff, fg_admin_reaped(self->g, cid, NULL));
	ASSERT_EQ(0, flbas(self->g, &nsze));
	ASSERT_EQ(NS_BYTES / 512, nsze);

	ASSERT_EQ(0, lio_vctrl_format_done(c, 1, NVME_SC_SUCCESS));
	/* The data path has the geometry before the host hears. */
	ASSERT_LT(i, fg_dp_find(&self->dp, i, FG_DP_UPDATE));
	EXPECT_EQ(LIO_DP_GEOMETRY, self->dp.rec[fg_dp_find(&self->dp, i, FG_DP_UPDATE)].arg);
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_reaped(self->g, cid, NULL));
	ASSERT_EQ(1, flbas(self->g, &nsze));
	ASSERT_EQ(NS_BYTES / 4096, nsze);
	EXPECT_EQ(12, c->ns[0].lba_shift);
	EXPECT_EQ(-ESTALE, lio_vctrl_format_done(c, 1, NVME_SC_SUCCESS));

	/* Every namespace (FFFFFFFFh), back to 512 bytes, no erase. */
	ASSERT_EQ(0xffff, format(self->g, NVME_NSID_ALL, 0, 0, 0, &cid));
	i = fg_dp_find(&self->dp, i + 1, FG_DP_FORMAT);
	ASSERT_LE(0, i);
	EXPECT_EQ(2U, self->dp.rec[i].arg);
	EXPECT_EQ(9U, self->dp.rec[i].val);
	ASSERT_EQ(0, lio_vctrl_format_done(c, 2, NVME_SC_SUCCESS));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_reaped(self->g, cid, NULL));
	ASSERT_EQ(0, flbas(self->g, &nsze));
	ASSERT_EQ(NS_BYTES / 512, nsze);
}

TEST_F(fmt, bad_fields_ask_nothing_of_the_data_path)
{
	const struct {
		u32 nsid;
		u8 lbaf, ses, pi;
		u16 status;
		u16 loc;
	} bad[] = {
		{ 0, 0, 0, 0, NVME_SC_INVALID_NS, NVME_SQE_OFF_NSID },
		{ 2, 0, 0, 0, NVME_SC_INVALID_NS, NVME_SQE_OFF_NSID },
		{ 0xfffffffe, 1, 0, 0, NVME_SC_INVALID_NS, NVME_SQE_OFF_NSID },
		{ 1, 2, 0, 0, NVME_SC_INVALID_FORMAT, NVME_SQE_OFF_CDW10 },
		{ 1, 15, 0, 0, NVME_SC_INVALID_FORMAT, NVME_SQE_OFF_CDW10 },
		{ 1, 0x10, 0, 0, NVME_SC_INVALID_FORMAT, NVME_SQE_OFF_CDW10 },
		{ 1, 0, 0, 1, NVME_SC_INVALID_FORMAT, NVME_ERR_LOC(NVME_SQE_OFF_CDW10, 5) },
		{ 1, 1, 0, 7, NVME_SC_INVALID_FORMAT, NVME_ERR_LOC(NVME_SQE_OFF_CDW10, 5) },
		{ 1, 0, NVME_FORMAT_SES_CRYPTO, 0, NVME_SC_INVALID_FIELD,
		  NVME_ERR_LOC(NVME_SQE_OFF_CDW10 + 1, 1) },
		{ 1, 1, 7, 0, NVME_SC_INVALID_FIELD, NVME_ERR_LOC(NVME_SQE_OFF_CDW10 + 1, 1) },
	};
	struct nvme_error_log_entry e;
	unsigned int i;
	u64 nsze;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(FG_ADMIN_ERR(bad[i].status),
			  format(self->g, bad[i].nsid, bad[i].lbaf, bad[i].ses,
				 bad[i].pi, NULL))
			TH_LOG("case %u", i);
		ASSERT_EQ(0, fg_err_log_newest(self->g, &e));
		EXPECT_EQ(bad[i].loc, le16_to_cpu(e.param_error_location))
			TH_LOG("case %u", i);
		EXPECT_EQ(FG_ADMIN_ERR(bad[i].status), le16_to_cpu(e.status_field));
	}
	EXPECT_EQ(0U, fg_dp_count(&self->dp, FG_DP_FORMAT));
	ASSERT_EQ(0, flbas(self->g, &nsze));
}

/*
 * With namespaces 1, 2 and 5: one NSID formats that namespace alone, the
 * data path told which; FFFFFFFFh formats every one, and is refused
 * whole if one of them is smaller than a block of the format; an NSID
 * with no namespace is Invalid Namespace.
 */
TEST(several_namespaces)
{
	struct fake_guest *g = fg_new(1);
	struct lio_vctrl *c;
	struct fg_dp dp;
	u16 cid;

	ASSERT_NE(NULL, g);
	c = g->c;
	fg_dp_attach(g, &dp);
	ASSERT_EQ(0, lio_vctrl_set_ns(c, 1, NS_BYTES, 512));
	ASSERT_EQ(0, lio_vctrl_set_ns(c, 2, 2 * NS_BYTES, 512));
	ASSERT_EQ(0, lio_vctrl_set_ns(c, 5, 3 * 512, 512));
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g) & NVME_CSTS_RDY);

	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS), format(g, 3, 1, 0, 0, NULL));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
		  format(g, LIO_NN + 1, 1, 0, 0, NULL));
	/* Namespace 5 holds no 4 KiB block: all of them refused. */
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FORMAT),
		  format(g, NVME_NSID_ALL, 1, 0, 0, NULL));
	ASSERT_EQ(0U, fg_dp_count(&dp, FG_DP_FORMAT));

	ASSERT_EQ(0xffff, format(g, 2, 1, 0, 0, &cid));
	EXPECT_EQ(2U, dp.format_nsid);
	ASSERT_EQ(0, lio_vctrl_format_done(c, 1, NVME_SC_SUCCESS));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_reaped(g, cid, NULL));
	EXPECT_EQ(9, c->ns[0].lba_shift);
	EXPECT_EQ(12, c->ns[1].lba_shift);
	EXPECT_EQ(2 * NS_BYTES, c->ns[1].size);
	EXPECT_EQ(9, c->ns[4].lba_shift);

	/* All of them, to 512 bytes: namespace 5 has its three blocks. */
	ASSERT_EQ(0xffff, format(g, NVME_NSID_ALL, 0, 0, 0, &cid));
	EXPECT_EQ(NVME_NSID_ALL, dp.format_nsid);
	ASSERT_EQ(0, lio_vctrl_format_done(c, 2, NVME_SC_SUCCESS));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_reaped(g, cid, NULL));
	EXPECT_EQ(9, c->ns[0].lba_shift);
	EXPECT_EQ(9, c->ns[1].lba_shift);
	EXPECT_EQ(3ULL * 512, c->ns[4].size);

	/* A failed one leaves the namespace as it was. */
	ASSERT_EQ(0xffff, format(g, 2, 1, 0, 0, &cid));
	ASSERT_EQ(0, lio_vctrl_format_done(c, 3, NVME_SC_WRITE_FAULT));
	ASSERT_EQ(NVME_SC_WRITE_FAULT, fg_admin_reaped(g, cid, NULL));
	EXPECT_EQ(9, c->ns[1].lba_shift);
	fg_free(g);
}

TEST_F(fmt, a_namespace_smaller_than_a_block_of_the_format)
{
	struct fake_guest *g = fg_new(1);
	struct fg_dp dp;
	u64 nsze;

	ASSERT_NE(NULL, g);
	fg_dp_attach(g, &dp);
	ASSERT_EQ(0, lio_vctrl_set_ns(g->c, 1, 3 * 512, 512));
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g) & NVME_CSTS_RDY);
	EXPECT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FORMAT), format(g, 1, 1, 0, 0, NULL));
	EXPECT_EQ(0U, fg_dp_count(&dp, FG_DP_FORMAT));
	ASSERT_EQ(0, flbas(g, &nsze));
	ASSERT_EQ(3U, nsze);
	fg_free(g);
}

TEST_F(fmt, a_size_of_no_whole_4k_blocks_rounds_down)
{
	struct fake_guest *g = fg_new(1);
	struct fg_dp dp;
	u64 nsze;
	u16 cid;

	ASSERT_NE(NULL, g);
	fg_dp_attach(g, &dp);
	ASSERT_EQ(0, lio_vctrl_set_ns(g->c, 1, 4096 * 5 + 512, 512));
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g) & NVME_CSTS_RDY);
	ASSERT_EQ(0xffff, format(g, 1, 1, 0, 0, &cid));
	ASSERT_EQ(0, lio_vctrl_format_done(g->c, 1, NVME_SC_SUCCESS));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_reaped(g, cid, NULL));
	ASSERT_EQ(1, flbas(g, &nsze));
	ASSERT_EQ(5U, nsze);
	EXPECT_EQ(4096ULL * 5, g->c->ns[0].size);
	fg_free(g);
}

TEST_F(fmt, no_data_path_to_take_it_is_not_ready)
{
	u64 nsze;
	u16 cid;

	self->dp.refuse_format = -ENOLINK;
	EXPECT_EQ(FG_ADMIN_ERR(NVME_SC_NS_NOT_READY),
		  format(self->g, 1, 1, 0, 0, NULL));
	EXPECT_EQ(-ESTALE, lio_vctrl_format_done(self->g->c, 1, NVME_SC_SUCCESS));
	ASSERT_EQ(0, flbas(self->g, &nsze));
	/* The refused request used no generation. */
	self->dp.refuse_format = 0;
	ASSERT_EQ(0xffff, format(self->g, 1, 1, 0, 0, &cid));
	ASSERT_EQ(2U, fg_dp_count(&self->dp, FG_DP_FORMAT));
	/* Both asked as generation 1: the first was refused. */
	EXPECT_EQ(1U, self->dp.rec[fg_dp_find(&self->dp, 0, FG_DP_FORMAT)].arg);
	EXPECT_EQ(1U, self->dp.rec[fg_dp_find(&self->dp,
					      fg_dp_find(&self->dp, 0, FG_DP_FORMAT) + 1,
					      FG_DP_FORMAT)].arg);
	ASSERT_EQ(0, lio_vctrl_format_done(self->g->c, 1, NVME_SC_SUCCESS));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_reaped(self->g, cid, NULL));
}

TEST_F(fmt, one_at_a_time)
{
	u16 cid;

	ASSERT_EQ(0xffff, format(self->g, 1, 1, 0, 0, &cid));
	EXPECT_EQ(FG_ADMIN_ERR(NVME_SC_FORMAT_IN_PROGRESS),
		  format(self->g, 1, 0, 0, 0, NULL));
	EXPECT_EQ(1U, fg_dp_count(&self->dp, FG_DP_FORMAT));
	EXPECT_EQ(-ESTALE, lio_vctrl_format_done(self->g->c, 2, NVME_SC_SUCCESS));
	ASSERT_EQ(0, lio_vctrl_format_done(self->g->c, 1, NVME_SC_SUCCESS));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_reaped(self->g, cid, NULL));
}

TEST_F(fmt, a_failed_format_keeps_the_namespace_as_it_was)
{
	struct lio_vctrl *c = self->g->c;
	u64 nsze;
	u16 cid;

	ASSERT_EQ(0xffff, format(self->g, 1, 1, 1, 0, &cid));
	ASSERT_EQ(0, lio_vctrl_format_done(c, 1, NVME_SC_WRITE_FAULT));
	ASSERT_EQ(NVME_SC_WRITE_FAULT, fg_admin_reaped(self->g, cid, NULL));
	ASSERT_EQ(0, flbas(self->g, &nsze));
	ASSERT_EQ(NS_BYTES / 512, nsze);
	/* The data path was told all the same: it takes I/O again. */
	ASSERT_LE(0, fg_dp_find(&self->dp, fg_dp_find(&self->dp, 0, FG_DP_FORMAT),
				FG_DP_UPDATE));

	/* A status Format NVM cannot have is the data path's bug. */
	ASSERT_EQ(0xffff, format(self->g, 1, 1, 1, 0, &cid));
	ASSERT_EQ(0, lio_vctrl_format_done(c, 2, NVME_SC_LBA_RANGE));
	ASSERT_EQ(NVME_SC_INTERNAL, fg_admin_reaped(self->g, cid, NULL));
	ASSERT_EQ(0, flbas(self->g, &nsze));
}

TEST_F(fmt, a_reset_drops_the_command_not_the_format)
{
	struct lio_vctrl *c = self->g->c;
	struct nvme_cqe cqe;
	u64 nsze;
	u16 cid;

	ASSERT_EQ(0xffff, format(self->g, 1, 1, 0, 0, &cid));
	fg_disable(self->g);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g) & NVME_CSTS_RDY);
	ASSERT_EQ(0, lio_vctrl_format_done(c, 1, NVME_SC_SUCCESS));
	/* Nothing on the new admin queue... */
	EXPECT_EQ(-1, fg_admin_reap(self->g, &cqe));
	/* ... and the namespace formatted. */
	ASSERT_EQ(1, flbas(self->g, &nsze));
	ASSERT_EQ(NS_BYTES / 4096, nsze);
}

/*
 * The operator's namespaces (lio_vctrl_resize_ns()) stay as they are
 * while a Format NVM covers them: the data path erases what it was given
 * and the answer sets the LBA size of each namespace it covers.
 */
TEST_F(fmt, namespaces_stay_while_formatted)
{
	struct lio_vctrl *c = self->g->c;
	u16 cid;

	ASSERT_EQ(0, lio_vctrl_resize_ns(c, 2, NS_BYTES));
	ASSERT_EQ(0xffff, format(self->g, 2, 1, 0, 0, &cid));
	EXPECT_EQ(-EBUSY, lio_vctrl_resize_ns(c, 2, 2 * NS_BYTES));
	EXPECT_EQ(-EBUSY, lio_vctrl_resize_ns(c, 2, 0));
	/* Others are not its business; the same size changes nothing. */
	EXPECT_EQ(0, lio_vctrl_resize_ns(c, 2, NS_BYTES));
	EXPECT_EQ(0, lio_vctrl_resize_ns(c, 3, NS_BYTES));
	EXPECT_EQ(0, lio_vctrl_resize_ns(c, 3, 0));
	ASSERT_EQ(0, lio_vctrl_format_done(c, 1, NVME_SC_SUCCESS));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_reaped(self->g, cid, NULL));
	EXPECT_EQ(12, c->ns[1].lba_shift);
	EXPECT_EQ(-EINVAL, lio_vctrl_resize_ns(c, 2, 2 * NS_BYTES + 512));
	EXPECT_EQ(0, lio_vctrl_resize_ns(c, 2, 2 * NS_BYTES));

	/* All of them: none comes or goes meanwhile. */
	ASSERT_EQ(0xffff, format(self->g, NVME_NSID_ALL, 0, 0, 0, &cid));
	EXPECT_EQ(-EBUSY, lio_vctrl_resize_ns(c, 3, NS_BYTES));
	EXPECT_EQ(-EBUSY, lio_vctrl_resize_ns(c, 2, 0));
	ASSERT_EQ(0, lio_vctrl_format_done(c, 2, NVME_SC_SUCCESS));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_reaped(self->g, cid, NULL));
	EXPECT_EQ(0, lio_vctrl_resize_ns(c, 2, 0));
	EXPECT_EQ(NULL, lio_ns_get(c, 2));
}

TEST_HARNESS_MAIN
