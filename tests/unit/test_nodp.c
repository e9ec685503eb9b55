// SPDX-License-Identifier: GPL-2.0
/*
 * The controller while no data path serves its I/O (vctrl/nodp.c): the
 * grace period and its statuses (Namespace Not Ready without DNR, with
 * CRD 1 once the host enabled ACRE, with DNR after), CRDT1 in Identify,
 * the Host Behavior Support feature, a data path lost during a reset or
 * while running (CSTS.CFS), and the queues taken back from a data path:
 * positions, completions of what it had fetched, the model running them.
 * The clock is the fake guest's.
 */
#include <stdlib.h>

#include "../lib/lio_harness.h"
#include "fake_guest.h"

#define NR_IOQ		2
#define QSIZE		8
#define CQ1		(FG_FREE)
#define SQ1		(FG_FREE + 0x10000)
#define GRACE_MS	2000U
#define BUF		FG_DATA
#define HB_SIZE		512
#define CRD(s)		(((s) >> 12) & 3)

FIXTURE(nodp) {
	struct fake_guest *g;
	struct fg_dp dp;
	struct fg_ioq q;
};

FIXTURE_SETUP(nodp)
{
	self->g = fg_new(NR_IOQ);
	fg_dp_attach(self->g, &self->dp);
	ASSERT_EQ(0, lio_vctrl_set_dp_grace(self->g->c, GRACE_MS));
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g));
	ASSERT_EQ(0, fg_ioq_create(self->g, &self->q, 1, QSIZE, SQ1, CQ1, 1));
}

FIXTURE_TEARDOWN(nodp)
{
	fg_free(self->g);
}

/* One flush on queue 1, rung; its status (0xffff: no completion). */
static u16 io(struct fake_guest *g, struct fg_ioq *q)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_flush(&sqe, 1);
	fg_ioq_put(g, q, &sqe);
	fg_ioq_ring(g, q);
	if (fg_ioq_take(g, q, &cqe))
		return 0xffff;
	fg_ioq_ack(g, q);
	/* The whole status field: DNR and CRD included. */
	return le16_to_cpu(cqe.status) & ~1;
}

/* Host Behavior Support: Set with byte 0 = acre, or Get into BUF. */
static u16 host_behavior(struct fake_guest *g, bool set, u8 acre, u8 sel)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	u8 *buf = fg_ptr(g, BUF);

	memset(buf, 0xa5, HB_SIZE);
	if (set) {
		memset(buf, 0, HB_SIZE);
		buf[0] = acre;
		nb_set_features(&sqe, NVME_FEAT_HOST_BEHAVIOR, false, 0);
	} else {
		nb_get_features(&sqe, NVME_FEAT_HOST_BEHAVIOR, sel, 0);
	}
	nb_data(&sqe, BUF, HB_SIZE);
	if (fg_admin(g, &sqe, &cqe))
		return 0xffff;
	return fg_status(&cqe);
}

static u16 crdt1(struct fake_guest *g)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	struct nvme_id_ctrl *id = fg_ptr(g, BUF);

	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, BUF);
	if (fg_admin(g, &sqe, &cqe) || fg_status(&cqe))
		return 0xffff;
	return le16_to_cpu(id->crdt1);
}

TEST_F(nodp, retry_status_within_grace_then_dnr)
{
	struct fake_guest *g = self->g;

	/* Without ACRE: retry, no delay. */
	ASSERT_EQ(NVME_SC_NS_NOT_READY, io(g, &self->q));
	ASSERT_EQ(NVME_SC_SUCCESS, host_behavior(g, true, 1, 0));
	g->now_ms += GRACE_MS - 1;
	ASSERT_EQ(NVME_SC_NS_NOT_READY | 1U << 12, io(g, &self->q));
	/* The grace period is over: retrying will not help. */
	g->now_ms += 1;
	ASSERT_EQ(NVME_SC_NS_NOT_READY | NVME_STATUS_DNR, io(g, &self->q));
	/* A data path went away: it starts again. */
	lio_vctrl_dp_wait(g->c);
	ASSERT_TRUE(lio_vctrl_dp_waiting(g->c));
	ASSERT_EQ(1, CRD(io(g, &self->q)));
	g->now_ms += GRACE_MS;
	ASSERT_FALSE(lio_vctrl_dp_waiting(g->c));
	ASSERT_EQ(NVME_SC_NS_NOT_READY | NVME_STATUS_DNR, io(g, &self->q));
}

TEST_F(nodp, grace_restarts_at_enable)
{
	struct fake_guest *g = self->g;

	g->now_ms += GRACE_MS;
	ASSERT_EQ(NVME_SC_NS_NOT_READY | NVME_STATUS_DNR, io(g, &self->q));
	ASSERT_EQ(0U, fg_disable(g));
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	ASSERT_EQ(0, fg_ioq_create(g, &self->q, 1, QSIZE, SQ1, CQ1, 1));
	/* ACRE went with the reset: no CRD. */
	ASSERT_EQ(NVME_SC_NS_NOT_READY, io(g, &self->q));
}

TEST_F(nodp, no_grace_fails_at_once)
{
	struct fake_guest *g = self->g;

	ASSERT_EQ(0, lio_vctrl_set_dp_grace(g->c, 0));
	ASSERT_EQ(NVME_SC_NS_NOT_READY | NVME_STATUS_DNR, io(g, &self->q));
	ASSERT_EQ(0, crdt1(g));
}

TEST_F(nodp, grace_bounded)
{
	ASSERT_EQ(-EINVAL, lio_vctrl_set_dp_grace(self->g->c,
						  LIO_DP_GRACE_MS_MAX + 1));
	ASSERT_EQ(GRACE_MS, self->g->c->nodp.grace_ms);
	ASSERT_EQ(0, lio_vctrl_set_dp_grace(self->g->c, LIO_DP_GRACE_MS_MAX));
	/* 600 s over 5 retries: 120 s, in 100 ms units. */
	ASSERT_EQ(1200, crdt1(self->g));
}

TEST_F(nodp, crdt1_spreads_retries_over_grace)
{
	/* 2000 ms / 5 retries = 400 ms: 4 units of 100 ms. */
	ASSERT_EQ(4, crdt1(self->g));
	ASSERT_EQ(0, lio_vctrl_set_dp_grace(self->g->c, 2001));
	ASSERT_EQ(5, crdt1(self->g));
	ASSERT_EQ(0, lio_vctrl_set_dp_grace(self->g->c, 1));
	ASSERT_EQ(1, crdt1(self->g));
}

TEST_F(nodp, host_behavior_feature)
{
	struct fake_guest *g = self->g;
	u8 *buf = fg_ptr(g, BUF);
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	ASSERT_EQ(NVME_SC_SUCCESS, host_behavior(g, false, 0, NVME_FEAT_SEL_CURRENT));
	ASSERT_EQ(0, buf[0]);
	ASSERT_TRUE(fg_filled(buf + 1, 0, HB_SIZE - 1));
	ASSERT_EQ(NVME_SC_SUCCESS, host_behavior(g, true, 1, 0));
	ASSERT_EQ(NVME_SC_SUCCESS, host_behavior(g, false, 0, NVME_FEAT_SEL_CURRENT));
	ASSERT_EQ(1, buf[0]);
	ASSERT_TRUE(fg_filled(buf + 1, 0, HB_SIZE - 1));
	/* The default is off; nothing is saveable. */
	ASSERT_EQ(NVME_SC_SUCCESS, host_behavior(g, false, 0, NVME_FEAT_SEL_DEFAULT));
	ASSERT_EQ(0, buf[0]);
	nb_get_features(&sqe, NVME_FEAT_HOST_BEHAVIOR, NVME_FEAT_SEL_SUPPORTED, 0);
	ASSERT_EQ(0, fg_admin(g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	ASSERT_EQ(NVME_FEAT_CAP_CHANGE, le32_to_cpu(cqe.dw0));
	/* ACRE is 0 or 1: anything else is refused and changes nothing. */
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), host_behavior(g, true, 2, 0));
	ASSERT_EQ(NVME_SC_SUCCESS, host_behavior(g, false, 0, NVME_FEAT_SEL_CURRENT));
	ASSERT_EQ(1, buf[0]);
	ASSERT_EQ(NVME_SC_SUCCESS, host_behavior(g, true, 0, 0));
	ASSERT_EQ(NVME_SC_SUCCESS, host_behavior(g, false, 0, NVME_FEAT_SEL_CURRENT));
	ASSERT_EQ(0, buf[0]);
	/* Saving it is refused. */
	nb_set_features(&sqe, NVME_FEAT_HOST_BEHAVIOR, true, 0);
	nb_data(&sqe, BUF, HB_SIZE);
	ASSERT_EQ(0, fg_admin(g, &sqe, &cqe));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_FEATURE_NOT_SAVEABLE), fg_status(&cqe));
}

TEST_F(nodp, host_behavior_bad_prp)
{
	struct fake_guest *g = self->g;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_set_features(&sqe, NVME_FEAT_HOST_BEHAVIOR, false, 0);
	/* PRP1 with a dword offset that is not dword aligned. */
	nb_data(&sqe, BUF + 1, HB_SIZE);
	ASSERT_EQ(0, fg_admin(g, &sqe, &cqe));
	ASSERT_NE(NVME_SC_SUCCESS, fg_status(&cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, host_behavior(g, false, 0, NVME_FEAT_SEL_CURRENT));
	ASSERT_EQ(0, ((u8 *)fg_ptr(g, BUF))[0]);
}

/* A dp_reset hook whose data path does not answer. */
static const struct lio_vctrl_ops *lost_saved;

static void lost_reset(void *opaque)
{
	struct fake_guest *g = opaque;

	lost_saved->dp_reset(opaque);
	lio_vctrl_dp_lost(g->c);
}

TEST_F(nodp, lost_during_reset_leaves_cfs_until_enable)
{
	struct fake_guest *g = self->g;
	struct lio_vctrl_ops ops = *g->c->ops;

	lost_saved = g->c->ops;
	ops.dp_reset = lost_reset;
	g->c->ops = &ops;
	ASSERT_EQ(NVME_CSTS_CFS, fg_disable(g));
	g->c->ops = lost_saved;
	/* The next enable starts clean; the reset after it too. */
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	ASSERT_EQ(0U, fg_disable(g));
}

TEST_F(nodp, lost_while_running_is_cfs)
{
	struct fake_guest *g = self->g;

	lio_vctrl_dp_lost(g->c);
	ASSERT_EQ(NVME_CSTS_RDY | NVME_CSTS_CFS, fg_read32(g, NVME_REG_CSTS));
	/* The guest's reset recovers it. */
	ASSERT_EQ(0U, fg_disable(g));
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
}

TEST_F(nodp, takeback_completes_fetched_then_runs)
{
	struct fake_guest *g = self->g;
	struct lio_ioq_pos pos = { .sq_valid = true, .cq_valid = true };
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	unsigned int k;

	/*
	 * A data path served queue 1: it fetched 3 commands (CIDs 0-2),
	 * completed the first two (the guest consumed one), and the guest
	 * queued 2 more it never fetched. The model's own positions are
	 * stale (the data path took every doorbell).
	 */
	self->dp.serve = true;
	for (k = 0; k < 5; k++) {
		nb_flush(&sqe, 1);
		fg_ioq_put(g, &self->q, &sqe);
	}
	fg_ioq_ring(g, &self->q);
	self->dp.serve = false;
	for (k = 0; k < 2; k++) {
		struct nvme_cqe *slot = fg_ptr(g, CQ1 + k * 16);

		slot->cid = cpu_to_le16(k);
		slot->sq_id = cpu_to_le16(1);
		slot->status = cpu_to_le16(1);	/* phase 1, success */
	}
	ASSERT_EQ(0, fg_ioq_take(g, &self->q, &cqe));
	/* No data path came within the grace period. */
	g->now_ms += GRACE_MS;
	pos.sq_head = 3;
	pos.sq_tail = 5;
	pos.cq_tail = 2;
	pos.cq_phase = 1;
	pos.cq_head = 1;
	lio_vctrl_dp_takeback(g->c, 1, &pos);
	ASSERT_EQ(0, lio_vctrl_dp_complete(g->c, 1, 2,
					   NVME_SC_NS_NOT_READY | NVME_STATUS_DNR, 0));
	lio_vctrl_dp_run(g->c);

	/* The second the data path posted, then CID 2, then 3 and 4. */
	for (k = 1; k < 5; k++) {
		ASSERT_EQ(0, fg_ioq_take(g, &self->q, &cqe));
		ASSERT_EQ(k, le16_to_cpu(cqe.cid));
		ASSERT_EQ(1, le16_to_cpu(cqe.sq_id));
		if (k >= 2)
			ASSERT_EQ(NVME_SC_NS_NOT_READY | NVME_STATUS_DNR,
				  le16_to_cpu(cqe.status) & ~1);
	}
	ASSERT_EQ(5, le16_to_cpu(cqe.sq_head));
	ASSERT_NE(0, fg_ioq_take(g, &self->q, &cqe));
	fg_ioq_ack(g, &self->q);
}

TEST_F(nodp, takeback_complete_refused_when_full_or_bad)
{
	struct fake_guest *g = self->g;
	struct lio_ioq_pos pos = { .sq_valid = true, .cq_valid = true };

	/* CQ full: tail one behind the head. */
	pos.cq_tail = 2;
	pos.cq_head = 3;
	pos.cq_phase = 1;
	lio_vctrl_dp_takeback(g->c, 1, &pos);
	ASSERT_EQ(-ENOSPC, lio_vctrl_dp_complete(g->c, 1, 7, 0, 0));
	ASSERT_EQ(-EINVAL, lio_vctrl_dp_complete(g->c, 2, 7, 0, 0));
	ASSERT_EQ(-EINVAL, lio_vctrl_dp_complete(g->c, 0, 7, 0, 0));
	ASSERT_EQ(-EINVAL, lio_vctrl_dp_complete(g->c, NR_IOQ + 1, 7, 0, 0));
}

TEST_F(nodp, takeback_positions_out_of_range)
{
	struct fake_guest *g = self->g;
	struct lio_ioq_pos pos = {
		.sq_valid = true, .cq_valid = true,
		.sq_head = QSIZE, .sq_tail = 0xffff,
		.cq_tail = QSIZE + 3, .cq_phase = 0xff, .cq_head = 0xffff,
	};

	lio_vctrl_dp_takeback(g->c, 1, &pos);
	ASSERT_EQ(0, g->c->sq[1].head);
	ASSERT_EQ(0, g->c->sq[1].tail);
	ASSERT_EQ(0, g->c->cq[1].tail);
	ASSERT_EQ(1, g->c->cq[1].phase);
	ASSERT_EQ(0, g->c->cq[1].head);
	/* Queues that do not exist, or qids beyond: nothing changes. */
	lio_vctrl_dp_takeback(g->c, 2, &pos);
	lio_vctrl_dp_takeback(g->c, 0, &pos);
	lio_vctrl_dp_takeback(g->c, NR_IOQ + 1, &pos);
	ASSERT_FALSE(g->c->sq[2].valid);
}

TEST_HARNESS_MAIN
