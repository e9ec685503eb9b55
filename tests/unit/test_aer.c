// SPDX-License-Identifier: GPL-2.0
/*
 * Asynchronous Event Requests: holding them, the limit, events waiting
 * for one, masking of a reported type until its log page is read with
 * RAE clear, a full admin CQ, and resets; namespaces growing, created and
 * removed under a live controller.
 *
 * The temperature threshold is the event a guest can cause; the other
 * event types are raised directly with lio_aer_event(), as the parts of
 * the controller that detect them do.
 */
#include "../lib/lio_harness.h"
#include "fake_guest.h"

#define BUF	FG_DATA

#define EV_TEMP	NVME_AER_DW0(NVME_AER_TYPE_SMART, NVME_AER_SMART_TEMP_THRESH, \
			     NVME_LOG_SMART)
#define EV_REL	NVME_AER_DW0(NVME_AER_TYPE_SMART, NVME_AER_SMART_RELIABILITY, \
			     NVME_LOG_SMART)
#define EV_DB	NVME_AER_DW0(NVME_AER_TYPE_ERROR, NVME_AER_ERROR_INVALID_DB_VAL, \
			     NVME_LOG_ERROR)
#define EV_NS	NVME_AER_DW0(NVME_AER_TYPE_NOTICE, NVME_AER_NOTICE_NS_CHANGED, \
			     NVME_LOG_CHANGED_NS)

FIXTURE(aer) {
	struct fake_guest *g;
};

FIXTURE_SETUP(aer)
{
	self->g = fg_new(2);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g) & NVME_CSTS_RDY);
}

FIXTURE_TEARDOWN(aer)
{
	fg_free(self->g);
}

/* Submit an AER: its CID, or -1 if it completed at once (cqe then). */
static int aer(struct fake_guest *g, struct nvme_cqe *cqe)
{
	struct nvme_sqe sqe;

	nb_aer(&sqe);
	if (!fg_admin(g, &sqe, cqe))
		return -1;
	return le16_to_cpu(sqe.cid);
}

static u16 set_feature(struct fake_guest *g, u8 fid, u32 cdw11)
{
	struct nvme_sqe sqe;

	nb_set_features(&sqe, fid, false, cdw11);
	return fg_admin_status(g, &sqe);
}

static u16 read_log(struct fake_guest *g, u8 lid, bool rae)
{
	struct nvme_sqe sqe;

	nb_get_log(&sqe, lid, 0xffffffff, 512, BUF, rae);
	return fg_admin_status(g, &sqe);
}

/* The completion of AER cid with event dw0. */
static void expect_event(struct __test_metadata *_metadata,
			 const struct nvme_cqe *cqe, int cid, u32 dw0)
{
	ASSERT_EQ(cid, le16_to_cpu(cqe->cid));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(cqe));
	ASSERT_EQ(dw0, le32_to_cpu(cqe->dw0));
	ASSERT_EQ(0, le16_to_cpu(cqe->sq_id));
}

TEST_F(aer, held_until_an_event)
{
	struct nvme_cqe cqe;
	unsigned int irqs;
	int cid;

	cid = aer(self->g, &cqe);
	ASSERT_LE(0, cid);
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));

	/* Other commands complete meanwhile. */
	ASSERT_EQ(NVME_SC_SUCCESS, set_feature(self->g, NVME_FEAT_KATO, 0));
	ASSERT_EQ(NVME_SC_SUCCESS, set_feature(self->g, NVME_FEAT_ASYNC_EVENT,
					       NVME_SMART_CRIT_TEMPERATURE));
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));

	/* Crossing the over threshold raises SMART / temperature. */
	irqs = self->g->msix_count[0];
	ASSERT_EQ(NVME_SC_SUCCESS,
		  set_feature(self->g, NVME_FEAT_TEMP_THRESH, LIO_TEMP_KELVIN - 10));
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid, EV_TEMP);
	ASSERT_LT(irqs, self->g->msix_count[0]);
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));
}

TEST_F(aer, under_threshold_event)
{
	struct nvme_cqe cqe;
	int cid = aer(self->g, &cqe);

	ASSERT_LE(0, cid);
	ASSERT_EQ(NVME_SC_SUCCESS, set_feature(self->g, NVME_FEAT_ASYNC_EVENT,
					       NVME_SMART_CRIT_TEMPERATURE));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  set_feature(self->g, NVME_FEAT_TEMP_THRESH,
			      1U << 20 | (LIO_TEMP_KELVIN + 5)));
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid, EV_TEMP);
}

TEST_F(aer, temperature_event_needs_enabling)
{
	struct nvme_cqe cqe;

	ASSERT_LE(0, aer(self->g, &cqe));
	/* Async Event Configuration is 0 after reset; Linux sets only the
	 * notice bits.
	 */
	ASSERT_EQ(NVME_SC_SUCCESS,
		  set_feature(self->g, NVME_FEAT_ASYNC_EVENT, NVME_AEC_NS_ATTR));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  set_feature(self->g, NVME_FEAT_TEMP_THRESH, LIO_TEMP_KELVIN - 10));
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));
	/* Still crossed when enabled later: no new crossing, no event. */
	ASSERT_EQ(NVME_SC_SUCCESS, set_feature(self->g, NVME_FEAT_ASYNC_EVENT,
					       NVME_SMART_CRIT_TEMPERATURE));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  set_feature(self->g, NVME_FEAT_TEMP_THRESH, LIO_TEMP_KELVIN - 20));
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));
}

TEST_F(aer, threshold_not_crossed_no_event)
{
	struct nvme_cqe cqe;

	ASSERT_LE(0, aer(self->g, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  set_feature(self->g, NVME_FEAT_ASYNC_EVENT, 0xff));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  set_feature(self->g, NVME_FEAT_TEMP_THRESH, LIO_TEMP_KELVIN + 1));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  set_feature(self->g, NVME_FEAT_TEMP_THRESH,
			      1U << 20 | (LIO_TEMP_KELVIN - 1)));
	/* A refused Set changes nothing either. */
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
		  set_feature(self->g, NVME_FEAT_TEMP_THRESH, 1U << 16 | 200));
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));
}

TEST_F(aer, limit)
{
	struct nvme_error_log_entry e;
	struct nvme_cqe cqe;
	int cid[LIO_AERL + 1];
	int i;

	for (i = 0; i <= LIO_AERL; i++) {
		cid[i] = aer(self->g, &cqe);
		ASSERT_LE(0, cid[i]);
	}
	/* AERL + 1 outstanding: one more is refused at once. */
	ASSERT_EQ(-1, aer(self->g, &cqe));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_ASYNC_LIMIT), fg_status(&cqe));
	ASSERT_EQ(self->g->next_cid - 1, le16_to_cpu(cqe.cid));
	ASSERT_EQ(0, fg_err_log_newest(self->g, &e));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_ASYNC_LIMIT), le16_to_cpu(e.status_field));
	ASSERT_EQ(self->g->next_cid - 2, le16_to_cpu(e.cmdid));

	/* The held ones complete oldest first, one per event type. */
	lio_aer_event(self->g->c, EV_DB);
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid[0], EV_DB);
	lio_aer_event(self->g->c, EV_NS);
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid[1], EV_NS);

	/* Room for two more now. */
	ASSERT_LE(0, aer(self->g, &cqe));
	ASSERT_LE(0, aer(self->g, &cqe));
	ASSERT_EQ(-1, aer(self->g, &cqe));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_ASYNC_LIMIT), fg_status(&cqe));
}

TEST_F(aer, event_waits_for_an_aer)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_aer(&sqe);
	lio_aer_event(self->g->c, EV_DB);
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));
	/* Completed as it arrives. */
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	expect_event(_metadata, &cqe, le16_to_cpu(sqe.cid), EV_DB);
}

TEST_F(aer, masked_until_log_read_without_rae)
{
	struct nvme_cqe cqe;
	int cid[2];

	cid[0] = aer(self->g, &cqe);
	cid[1] = aer(self->g, &cqe);
	ASSERT_LE(0, cid[1]);

	lio_aer_event(self->g->c, EV_TEMP);
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid[0], EV_TEMP);

	/* SMART is masked: another SMART event waits. */
	lio_aer_event(self->g->c, EV_REL);
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));
	/* Reading other logs, or SMART with RAE set, unmasks nothing. */
	ASSERT_EQ(NVME_SC_SUCCESS, read_log(self->g, NVME_LOG_SMART, true));
	ASSERT_EQ(NVME_SC_SUCCESS, read_log(self->g, NVME_LOG_ERROR, false));
	ASSERT_EQ(NVME_SC_SUCCESS, read_log(self->g, NVME_LOG_FW_SLOT, false));
	ASSERT_EQ(NVME_SC_SUCCESS, read_log(self->g, NVME_LOG_CHANGED_NS, false));
	ASSERT_EQ(NVME_SC_SUCCESS, read_log(self->g, NVME_LOG_CMD_EFFECTS, false));
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));

	/* The SMART log read with RAE clear: the waiting event goes. Its
	 * completion follows the Get Log Page's.
	 */
	ASSERT_EQ(NVME_SC_SUCCESS, read_log(self->g, NVME_LOG_SMART, false));
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid[1], EV_REL);
}

TEST_F(aer, failed_log_read_unmasks_nothing)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	int cid;

	ASSERT_LE(0, aer(self->g, &cqe));
	lio_aer_event(self->g->c, EV_TEMP);
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	cid = aer(self->g, &cqe);
	ASSERT_LE(0, cid);
	lio_aer_event(self->g->c, EV_REL);

	/* Bad PRP, bad offset, bad NSID: the host has read nothing. */
	nb_get_log(&sqe, NVME_LOG_SMART, 0, 512, FG_MEM_BASE + FG_MEM_SIZE, false);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_DATA_XFER_ERROR), fg_admin_status(self->g, &sqe));
	nb_get_log_page(&sqe, &(struct nb_log){ .lid = NVME_LOG_SMART,
					       .lpo = 512, .len = 512,
					       .buf = BUF });
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), fg_admin_status(self->g, &sqe));
	nb_get_log(&sqe, NVME_LOG_SMART, 5, 512, BUF, false);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS), fg_admin_status(self->g, &sqe));
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));

	ASSERT_EQ(NVME_SC_SUCCESS, read_log(self->g, NVME_LOG_SMART, false));
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid, EV_REL);
}

TEST_F(aer, types_masked_independently)
{
	struct nvme_cqe cqe;
	int cid[3], i;

	for (i = 0; i < 3; i++)
		cid[i] = aer(self->g, &cqe);
	ASSERT_LE(0, cid[2]);

	lio_aer_event(self->g->c, EV_TEMP);
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid[0], EV_TEMP);
	lio_aer_event(self->g->c, EV_REL);	/* masked: waits */
	lio_aer_event(self->g->c, EV_DB);	/* another type: goes */
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid[1], EV_DB);
	lio_aer_event(self->g->c, EV_NS);
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid[2], EV_NS);
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));

	/* Each log unmasks its own type. */
	cid[0] = aer(self->g, &cqe);
	lio_aer_event(self->g->c, EV_DB);
	lio_aer_event(self->g->c, EV_NS);
	ASSERT_EQ(NVME_SC_SUCCESS, read_log(self->g, NVME_LOG_CHANGED_NS, false));
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid[0], EV_NS);

	cid[0] = aer(self->g, &cqe);
	ASSERT_EQ(NVME_SC_SUCCESS, read_log(self->g, NVME_LOG_ERROR, false));
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid[0], EV_DB);

	cid[0] = aer(self->g, &cqe);
	ASSERT_EQ(NVME_SC_SUCCESS, read_log(self->g, NVME_LOG_SMART, false));
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid[0], EV_REL);
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));
}

TEST_F(aer, same_event_reported_once)
{
	struct nvme_cqe cqe;
	int cid;

	lio_aer_event(self->g->c, EV_DB);
	lio_aer_event(self->g->c, EV_DB);
	lio_aer_event(self->g->c, EV_DB);
	cid = aer(self->g, &cqe);
	ASSERT_EQ(-1, cid);
	ASSERT_EQ(EV_DB, le32_to_cpu(cqe.dw0));
	ASSERT_EQ(NVME_SC_SUCCESS, read_log(self->g, NVME_LOG_ERROR, false));
	ASSERT_LE(0, aer(self->g, &cqe));
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));
}

TEST_F(aer, pending_events_bounded)
{
	struct nvme_cqe cqe;
	unsigned int i, n = 0;

	/* More distinct events than can wait: the newest are lost. */
	for (i = 0; i < LIO_NR_PENDING_EVENTS + 4; i++)
		lio_aer_event(self->g->c,
			      NVME_AER_DW0(NVME_AER_TYPE_ERROR, i, NVME_LOG_ERROR));
	for (;;) {
		if (aer(self->g, &cqe) >= 0)
			break;
		ASSERT_EQ(NVME_AER_DW0(NVME_AER_TYPE_ERROR, n, NVME_LOG_ERROR),
			  le32_to_cpu(cqe.dw0));
		n++;
		ASSERT_EQ(NVME_SC_SUCCESS, read_log(self->g, NVME_LOG_ERROR, false));
		ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));
	}
	ASSERT_EQ((unsigned int)LIO_NR_PENDING_EVENTS, n);
}

TEST_F(aer, full_admin_cq_keeps_the_event)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	int cid, i;

	cid = aer(self->g, &cqe);
	ASSERT_LE(0, cid);
	/* Fill the admin CQ (size - 1 entries) without reaping. */
	for (i = 0; i < FG_ADMIN_QSIZE - 1; i++) {
		nb_keep_alive(&sqe);
		fg_admin_submit(self->g, &sqe);
	}
	lio_aer_event(self->g->c, EV_DB);
	for (i = 0; i < FG_ADMIN_QSIZE - 1; i++) {
		ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
		ASSERT_NE(cid, le16_to_cpu(cqe.cid));
	}
	/* The head doorbells gave room: the event went out. */
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid, EV_DB);
}

TEST_F(aer, event_waits_behind_the_command_that_raised_it)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	int cid, i;

	cid = aer(self->g, &cqe);
	ASSERT_LE(0, cid);
	ASSERT_EQ(NVME_SC_SUCCESS, set_feature(self->g, NVME_FEAT_ASYNC_EVENT,
					       NVME_SMART_CRIT_TEMPERATURE));
	/* One free slot in the admin CQ, for the Set Features below. */
	for (i = 0; i < FG_ADMIN_QSIZE - 2; i++) {
		nb_keep_alive(&sqe);
		fg_admin_submit(self->g, &sqe);
	}
	nb_set_features(&sqe, NVME_FEAT_TEMP_THRESH, false, LIO_TEMP_KELVIN - 1);
	fg_admin_submit(self->g, &sqe);
	for (i = 0; i < FG_ADMIN_QSIZE - 2; i++)
		ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	/* The Set's own completion, then the event it raised. */
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	ASSERT_EQ(le16_to_cpu(sqe.cid), le16_to_cpu(cqe.cid));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid, EV_TEMP);
}

TEST_F(aer, abort_does_not_abort_an_aer)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	int cid = aer(self->g, &cqe);

	ASSERT_LE(0, cid);
	nb_abort(&sqe, 0, cid);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	ASSERT_EQ(1U, le32_to_cpu(cqe.dw0));
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));
	lio_aer_event(self->g->c, EV_DB);
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid, EV_DB);
}

TEST_F(aer, reset_drops_aers_and_events)
{
	struct nvme_cqe cqe;
	int i;

	for (i = 0; i <= LIO_AERL; i++)
		ASSERT_LE(0, aer(self->g, &cqe));
	lio_aer_event(self->g->c, EV_TEMP);
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	lio_aer_event(self->g->c, EV_REL);	/* waits: SMART masked */

	fg_disable(self->g);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g) & NVME_CSTS_RDY);

	/* No completion for the old AERs, ever; the waiting event and the
	 * masking are gone too.
	 */
	lio_aer_event(self->g->c, EV_DB);
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));
	ASSERT_EQ(-1, aer(self->g, &cqe));
	ASSERT_EQ(EV_DB, le32_to_cpu(cqe.dw0));
	ASSERT_LE(0, aer(self->g, &cqe));
	lio_aer_event(self->g->c, EV_TEMP);
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	ASSERT_EQ(EV_TEMP, le32_to_cpu(cqe.dw0));
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));
}

/* The Changed Namespace List's first two entries, read with rae. */
static void changed_ns(struct __test_metadata *_metadata, struct fake_guest *g,
		       bool rae, u32 first, u32 second)
{
	struct nvme_changed_ns_log *log = fg_ptr(g, BUF);

	ASSERT_EQ(NVME_SC_SUCCESS, read_log(g, NVME_LOG_CHANGED_NS, rae));
	ASSERT_EQ(first, le32_to_cpu(log->nsid[0]));
	ASSERT_EQ(second, le32_to_cpu(log->nsid[1]));
}

/*
 * The namespace grows under a live controller (its backend grew,
 * lio_vctrl_grow_ns()): a Namespace Attribute Changed notice, 1, NSID 1 in
 * the Changed Namespace List until read with RAE clear, the new size in
 * Identify, the data path told.
 */
TEST_F(aer, namespace_grown_is_a_notice)
{
	struct lio_vctrl *c = self->g->c;
	struct nvme_id_ns *id = fg_ptr(self->g, BUF);
	u64 size = c->ns[0].size, lba = 1ULL << c->ns[0].lba_shift;
	struct fg_dp dp;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	int cid, i;

	fg_dp_attach(self->g, &dp);
	/* Smaller, not by whole blocks, or the same: nothing changes. */
	ASSERT_EQ(-EBUSY, lio_vctrl_grow_ns(c, 1, size - lba));
	ASSERT_EQ(-EINVAL, lio_vctrl_grow_ns(c, 1, size + 1));
	ASSERT_EQ(-EINVAL, lio_vctrl_grow_ns(c, 1, 0));
	ASSERT_EQ(0, lio_vctrl_grow_ns(c, 1, size));
	ASSERT_EQ(size, c->ns[0].size);
	ASSERT_EQ(0U, fg_dp_count(&dp, FG_DP_UPDATE));
	changed_ns(_metadata, self->g, false, 0, 0);

	cid = aer(self->g, &cqe);
	ASSERT_LE(0, cid);
	ASSERT_EQ(NVME_SC_SUCCESS, set_feature(self->g, NVME_FEAT_ASYNC_EVENT,
					       NVME_AEC_NS_ATTR));
	ASSERT_EQ(0, lio_vctrl_grow_ns(c, 1, 2 * size));
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid, EV_NS);
	i = fg_dp_find(&dp, 0, FG_DP_UPDATE);
	ASSERT_LE(0, i);
	ASSERT_EQ(LIO_DP_GEOMETRY, dp.rec[i].arg);

	nb_identify(&sqe, NVME_ID_CNS_NS, 1, BUF);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	ASSERT_EQ(2 * size / lba, le64_to_cpu(id->nsze));
	ASSERT_EQ(2 * size / lba, le64_to_cpu(id->ncap));

	changed_ns(_metadata, self->g, true, 1, 0);
	changed_ns(_metadata, self->g, false, 1, 0);
	changed_ns(_metadata, self->g, false, 0, 0);
	/* Masked until that read; unmasked, the next growth is told. */
	cid = aer(self->g, &cqe);
	ASSERT_LE(0, cid);
	ASSERT_EQ(0, lio_vctrl_grow_ns(c, 1, 3 * size));
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid, EV_NS);
}

/*
 * Another namespace grows with its backend too (region minor 8's NS_GROW
 * of its NSID): the notice names it, not namespace 1; an NSID with no
 * namespace has nothing to grow.
 */
TEST_F(aer, other_namespace_grown_is_a_notice)
{
	struct lio_vctrl *c = self->g->c;
	struct nvme_id_ns *id = fg_ptr(self->g, BUF);
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	int cid;

	ASSERT_EQ(0, lio_vctrl_set_ns_lba(c, 3, 4096));
	ASSERT_EQ(0, lio_vctrl_resize_ns(c, 3, 1ULL << 20));
	changed_ns(_metadata, self->g, false, 3, 0);
	ASSERT_EQ(-EINVAL, lio_vctrl_grow_ns(c, 4, 1ULL << 21));
	ASSERT_EQ(-EINVAL, lio_vctrl_grow_ns(c, 3, (1ULL << 21) + 512));
	ASSERT_EQ(-EBUSY, lio_vctrl_grow_ns(c, 3, 1ULL << 19));

	cid = aer(self->g, &cqe);
	ASSERT_LE(0, cid);
	ASSERT_EQ(NVME_SC_SUCCESS, set_feature(self->g, NVME_FEAT_ASYNC_EVENT,
					       NVME_AEC_NS_ATTR));
	ASSERT_EQ(0, lio_vctrl_grow_ns(c, 3, 1ULL << 21));
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid, EV_NS);
	nb_identify(&sqe, NVME_ID_CNS_NS, 3, BUF);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	ASSERT_EQ((1ULL << 21) / 4096, le64_to_cpu(id->nsze));
	changed_ns(_metadata, self->g, false, 3, 0);
}

/* A host that did not ask for the notice still finds the list. */
TEST_F(aer, namespace_grown_without_the_notice_enabled)
{
	struct lio_vctrl *c = self->g->c;
	struct nvme_cqe cqe;

	ASSERT_LE(0, aer(self->g, &cqe));
	ASSERT_EQ(0, lio_vctrl_grow_ns(c, 1, 2 * c->ns[0].size));
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));
	changed_ns(_metadata, self->g, false, 1, 0);
}

/*
 * Several namespaces grow: the list names each, ascending, once; one
 * that does not exist is refused and named nowhere.
 */
TEST(several_namespaces_grown)
{
	struct fake_guest *g = fg_new(1);
	struct lio_vctrl *c;

	ASSERT_NE(NULL, g);
	c = g->c;
	ASSERT_EQ(0, lio_vctrl_set_ns(c, 4, 1ULL << 20, 4096));
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g) & NVME_CSTS_RDY);
	ASSERT_EQ(-EINVAL, lio_vctrl_grow_ns(c, 3, 1ULL << 21));
	ASSERT_EQ(-EINVAL, lio_vctrl_grow_ns(c, 0, 1ULL << 21));
	ASSERT_EQ(-EINVAL, lio_vctrl_grow_ns(c, LIO_NN + 1, 1ULL << 21));
	/* Whole blocks of its own LBA size: 4 KiB here. */
	ASSERT_EQ(-EINVAL, lio_vctrl_grow_ns(c, 4, (1ULL << 21) + 512));
	ASSERT_EQ(0, lio_vctrl_grow_ns(c, 4, 1ULL << 21));
	ASSERT_EQ(0, lio_vctrl_grow_ns(c, 1, 2 * c->ns[0].size));
	ASSERT_EQ(0, lio_vctrl_grow_ns(c, 4, 1ULL << 22));
	EXPECT_EQ(1ULL << 22, c->ns[3].size);
	changed_ns(_metadata, g, false, 1, 4);
	changed_ns(_metadata, g, false, 0, 0);
	fg_free(g);
}

/* The active NSID list (Identify CNS 02h): is nsid in it? */
static bool ns_listed(struct __test_metadata *_metadata, struct fake_guest *g,
		      u32 nsid)
{
	__le32 *list = fg_ptr(g, BUF);
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	int i;

	nb_identify(&sqe, NVME_ID_CNS_NS_ACTIVE_LIST, 0, BUF);
	EXPECT_EQ(0, fg_admin(g, &sqe, &cqe));
	EXPECT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	for (i = 0; i < 1024 && list[i]; i++)
		if (le32_to_cpu(list[i]) == nsid)
			return true;
	return false;
}

/*
 * The operator creates a namespace under a live controller (sysfs
 * ns<N>_size, lio_vctrl_resize_ns()) in the LBA size given before
 * (ns<N>_lba_size): the data path has the table first, then the notice,
 * the NSID in the Changed Namespace List, the namespace in Identify, with
 * the per namespace features' defaults.
 */
TEST_F(aer, namespace_created_is_a_notice)
{
	struct lio_vctrl *c = self->g->c;
	struct nvme_id_ns *id = fg_ptr(self->g, BUF);
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	struct fg_dp dp;
	int cid, i;

	fg_dp_attach(self->g, &dp);
	c->feat.err_recovery[2] = 0x1234;	/* a Set for FFFFFFFFh, once */
	ASSERT_EQ(NVME_SC_SUCCESS, set_feature(self->g, NVME_FEAT_ASYNC_EVENT,
					       NVME_AEC_NS_ATTR));
	cid = aer(self->g, &cqe);
	ASSERT_LE(0, cid);
	ASSERT_EQ(0, lio_vctrl_set_ns_lba(c, 3, 4096));
	/* Whole blocks of that size, at least one. */
	ASSERT_EQ(-EINVAL, lio_vctrl_resize_ns(c, 3, 512));
	ASSERT_EQ(-EINVAL, lio_vctrl_resize_ns(c, 3, (1ULL << 20) + 512));
	ASSERT_EQ(-ERANGE, lio_vctrl_resize_ns(c, 3, LEAPIO_NS_SIZE_MAX + 4096));
	ASSERT_EQ(NULL, lio_ns_get(c, 3));
	ASSERT_EQ(0U, fg_dp_count(&dp, FG_DP_UPDATE));
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));

	ASSERT_EQ(0, lio_vctrl_resize_ns(c, 3, 1ULL << 20));
	i = fg_dp_find(&dp, 0, FG_DP_UPDATE);
	ASSERT_LE(0, i);
	ASSERT_EQ(LIO_DP_GEOMETRY, dp.rec[i].arg);
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid, EV_NS);
	EXPECT_EQ(0U, c->feat.err_recovery[2]);
	ASSERT_TRUE(ns_listed(_metadata, self->g, 3));
	nb_identify(&sqe, NVME_ID_CNS_NS, 3, BUF);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	ASSERT_EQ((1ULL << 20) / 4096, le64_to_cpu(id->nsze));
	ASSERT_EQ(1, id->flbas & 0xf);
	changed_ns(_metadata, self->g, false, 3, 0);
	/* The same size again is no change. */
	ASSERT_EQ(0, lio_vctrl_resize_ns(c, 3, 1ULL << 20));
	ASSERT_EQ(1U, fg_dp_count(&dp, FG_DP_UPDATE));
	changed_ns(_metadata, self->g, false, 0, 0);
}

/*
 * Removed: the data path is told (its commands to it done by the ack),
 * then the guest; Identify no longer lists it and I/O does not reach it.
 * The LBA size stays for the next one of that NSID.
 */
TEST_F(aer, namespace_removed_is_a_notice)
{
	struct lio_vctrl *c = self->g->c;
	struct nvme_cqe cqe;
	struct fg_dp dp;
	int cid, i;

	ASSERT_EQ(0, lio_vctrl_set_ns_lba(c, LIO_NN, 4096));
	ASSERT_EQ(0, lio_vctrl_resize_ns(c, LIO_NN, 1ULL << 20));
	changed_ns(_metadata, self->g, false, LIO_NN, 0);
	fg_dp_attach(self->g, &dp);
	ASSERT_EQ(NVME_SC_SUCCESS, set_feature(self->g, NVME_FEAT_ASYNC_EVENT,
					       NVME_AEC_NS_ATTR));
	cid = aer(self->g, &cqe);
	ASSERT_LE(0, cid);

	ASSERT_EQ(0, lio_vctrl_resize_ns(c, LIO_NN, 0));
	i = fg_dp_find(&dp, 0, FG_DP_UPDATE);
	ASSERT_LE(0, i);
	ASSERT_EQ(LIO_DP_GEOMETRY, dp.rec[i].arg);
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	expect_event(_metadata, &cqe, cid, EV_NS);
	ASSERT_EQ(NULL, lio_ns_get(c, LIO_NN));
	ASSERT_FALSE(c->ns[LIO_NN - 1].attached);
	ASSERT_FALSE(ns_listed(_metadata, self->g, LIO_NN));
	ASSERT_TRUE(ns_listed(_metadata, self->g, 1));
	changed_ns(_metadata, self->g, false, LIO_NN, 0);
	EXPECT_EQ(12, c->ns[LIO_NN - 1].lba_shift);

	/* Gone already: nothing to tell. */
	ASSERT_EQ(0, lio_vctrl_resize_ns(c, LIO_NN, 0));
	ASSERT_EQ(1U, fg_dp_count(&dp, FG_DP_UPDATE));
	changed_ns(_metadata, self->g, false, 0, 0);
	/* Back, in the LBA size it had. */
	ASSERT_EQ(-EINVAL, lio_vctrl_resize_ns(c, LIO_NN, 512));
	ASSERT_EQ(0, lio_vctrl_resize_ns(c, LIO_NN, 4096));
	ASSERT_EQ(4096ULL, c->ns[LIO_NN - 1].size);
	ASSERT_TRUE(ns_listed(_metadata, self->g, LIO_NN));
}

/*
 * Smaller is refused, whatever the guest does: the blocks past it are
 * its own. Larger grows it as lio_vctrl_grow_ns() does. Namespace 1 is
 * not the operator's to make or remove this way, nor an NSID past NN.
 */
TEST_F(aer, namespace_shrink_refused)
{
	struct lio_vctrl *c = self->g->c;
	struct nvme_cqe cqe;
	struct fg_dp dp;

	ASSERT_EQ(0, lio_vctrl_resize_ns(c, 2, 1ULL << 20));
	changed_ns(_metadata, self->g, false, 2, 0);
	fg_dp_attach(self->g, &dp);
	ASSERT_EQ(NVME_SC_SUCCESS, set_feature(self->g, NVME_FEAT_ASYNC_EVENT,
					       NVME_AEC_NS_ATTR));
	ASSERT_LE(0, aer(self->g, &cqe));

	ASSERT_EQ(-EBUSY, lio_vctrl_resize_ns(c, 2, (1ULL << 20) - 512));
	ASSERT_EQ(-EBUSY, lio_vctrl_resize_ns(c, 2, 512));
	ASSERT_EQ(-EINVAL, lio_vctrl_resize_ns(c, 2, (1ULL << 21) + 1));
	ASSERT_EQ(-EINVAL, lio_vctrl_resize_ns(c, 1, 1ULL << 21));
	ASSERT_EQ(-EINVAL, lio_vctrl_resize_ns(c, 1, 0));
	ASSERT_EQ(-EINVAL, lio_vctrl_resize_ns(c, 0, 1ULL << 21));
	ASSERT_EQ(-EINVAL, lio_vctrl_resize_ns(c, LIO_NN + 1, 1ULL << 21));
	ASSERT_EQ(1ULL << 20, c->ns[1].size);
	ASSERT_EQ(LEAPIO_DEFAULT_NS_SIZE, c->ns[0].size);
	ASSERT_EQ(0U, fg_dp_count(&dp, FG_DP_UPDATE));
	ASSERT_EQ(-1, fg_admin_reap(self->g, &cqe));
	changed_ns(_metadata, self->g, true, 0, 0);

	ASSERT_EQ(0, lio_vctrl_resize_ns(c, 2, 1ULL << 21));
	ASSERT_EQ(1ULL << 21, c->ns[1].size);
	ASSERT_EQ(1U, fg_dp_count(&dp, FG_DP_UPDATE));
	ASSERT_EQ(0, fg_admin_reap(self->g, &cqe));
	ASSERT_EQ(EV_NS, le32_to_cpu(cqe.dw0));
	changed_ns(_metadata, self->g, false, 2, 0);
}

/*
 * The LBA size of a namespace is chosen before it exists; while it does
 * its blocks are the guest's (Format NVM changes them, not the operator).
 */
TEST_F(aer, namespace_lba_size_fixed_while_it_exists)
{
	struct lio_vctrl *c = self->g->c;

	/* What one is created with when not told: ns 1's default. */
	ASSERT_EQ(LEAPIO_DEFAULT_LBA_SIZE, 1 << c->ns[6].lba_shift);
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns_lba(c, 7, 1024));
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns_lba(c, 7, 0));
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns_lba(c, 7, 8192));
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns_lba(c, 1, 4096));
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns_lba(c, 0, 4096));
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns_lba(c, LIO_NN + 1, 4096));
	ASSERT_EQ(0, lio_vctrl_set_ns_lba(c, 7, 4096));
	ASSERT_EQ(0, lio_vctrl_set_ns_lba(c, 7, 512));
	ASSERT_EQ(0, lio_vctrl_set_ns_lba(c, 7, 4096));
	ASSERT_EQ(0, lio_vctrl_resize_ns(c, 7, 8192));

	ASSERT_EQ(-EBUSY, lio_vctrl_set_ns_lba(c, 7, 512));
	ASSERT_EQ(-EBUSY, lio_vctrl_set_ns_lba(c, 7, 4096));
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns_lba(c, 7, 1000));
	ASSERT_EQ(12, c->ns[6].lba_shift);
	ASSERT_EQ(8192ULL, c->ns[6].size);

	ASSERT_EQ(0, lio_vctrl_resize_ns(c, 7, 0));
	ASSERT_EQ(0, lio_vctrl_set_ns_lba(c, 7, 512));
	ASSERT_EQ(0, lio_vctrl_resize_ns(c, 7, 512));
	ASSERT_EQ(9, c->ns[6].lba_shift);
}

/* Before the controller is enabled: the new size only, told to nobody. */
TEST_F(aer, namespace_grown_while_disabled)
{
	struct lio_vctrl *c = self->g->c;
	u64 size = c->ns[0].size;
	struct fg_dp dp;

	ASSERT_EQ(0U, fg_disable(self->g) & NVME_CSTS_RDY);
	fg_dp_attach(self->g, &dp);
	ASSERT_EQ(0, lio_vctrl_grow_ns(c, 1, 2 * size));
	ASSERT_EQ(2 * size, c->ns[0].size);
	/* Made and removed as well: the list has them for the next enable. */
	ASSERT_EQ(0, lio_vctrl_resize_ns(c, 2, 1ULL << 20));
	ASSERT_EQ(0, lio_vctrl_resize_ns(c, 3, 1ULL << 20));
	ASSERT_EQ(0, lio_vctrl_resize_ns(c, 3, 0));
	ASSERT_EQ(0U, fg_dp_count(&dp, FG_DP_UPDATE));
	ASSERT_EQ(0x7U, c->ns_changed);
}

TEST_HARNESS_MAIN
