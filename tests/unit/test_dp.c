// SPDX-License-Identifier: GPL-2.0
/*
 * The model's data path hooks: which are called, in what order and with
 * the model in what state; refusals; trapped I/O doorbells going to a
 * data path instead of the model's own I/O (and bad ones still raising
 * the Invalid Doorbell event); the SMART sum; interrupts, events and
 * failure raised by the data path.
 */
#include <stdlib.h>

#include "../lib/lio_harness.h"
#include "fake_guest.h"

#define CQ1		(FG_FREE)
#define SQ1		(FG_FREE + 0x10000)
#define CQ2		(FG_FREE + 0x20000)
#define SQ2		(FG_FREE + 0x30000)
#define SHADOW		(FG_FREE + 0x100000)
#define EVENTIDX	(FG_FREE + 0x200000)
#define NR_IOQ		4
#define QSIZE		8

FIXTURE(dp) {
	struct fake_guest *g;
	struct fg_dp dp;
};

FIXTURE_SETUP(dp)
{
	self->g = fg_new(NR_IOQ);
	fg_dp_attach(self->g, &self->dp);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g));
}

FIXTURE_TEARDOWN(dp)
{
	fg_free(self->g);
}

static void put_flush(struct fake_guest *g, struct fg_ioq *q)
{
	struct nvme_sqe sqe;

	nb_flush(&sqe, 1);
	fg_ioq_put(g, q, &sqe);
}

static u16 submit_aer(struct fake_guest *g)
{
	struct nvme_sqe sqe;

	nb_aer(&sqe);
	fg_admin_submit(g, &sqe);
	return le16_to_cpu(sqe.cid);
}

static u16 set_feature(struct fake_guest *g, u8 fid, u32 cdw11)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_set_features(&sqe, fid, false, cdw11);
	if (fg_admin(g, &sqe, &cqe))
		return 0xffff;
	return fg_status(&cqe);
}

static u16 dbbuf(struct fake_guest *g, u64 shadow, u64 eventidx)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_dbbuf(&sqe, shadow, eventidx);
	if (fg_admin(g, &sqe, &cqe))
		return 0xffff;
	return fg_status(&cqe);
}

static const struct fg_dp_rec *last(const struct fg_dp *dp)
{
	return &dp->rec[dp->n - 1];
}

TEST_F(dp, enable_is_told_once_ready)
{
	int i = fg_dp_find(&self->dp, 0, FG_DP_ENABLED);

	ASSERT_LE(0, i);
	ASSERT_EQ(NVME_CSTS_RDY, self->dp.rec[i].csts);
	ASSERT_EQ(1U, fg_dp_count(&self->dp, FG_DP_ENABLED));
	/* A failed enable (bad AQA) says nothing. */
	fg_disable(self->g);
	fg_write32(self->g, NVME_REG_AQA, 0);
	fg_write32(self->g, NVME_REG_CC, fg_read32(self->g, NVME_REG_CC) |
		   NVME_CC_EN);
	ASSERT_EQ(NVME_CSTS_CFS, fg_read32(self->g, NVME_REG_CSTS) &
		  (NVME_CSTS_CFS | NVME_CSTS_RDY));
	ASSERT_EQ(1U, fg_dp_count(&self->dp, FG_DP_ENABLED));
}

TEST_F(dp, create_after_the_model_holds_the_queue)
{
	struct fg_ioq q;
	int i;

	ASSERT_EQ(0, fg_ioq_create(self->g, &q, 2, QSIZE, SQ1, CQ1, 1));
	i = fg_dp_find(&self->dp, 0, FG_DP_CREATE_CQ);
	ASSERT_LE(0, i);
	ASSERT_EQ(2U, self->dp.rec[i].arg);
	ASSERT_EQ(1, self->dp.rec[i].ioq_valid);
	i = fg_dp_find(&self->dp, i, FG_DP_CREATE_SQ);
	ASSERT_LE(0, i);
	ASSERT_EQ(2U, self->dp.rec[i].arg);
	ASSERT_EQ(2, self->dp.rec[i].ioq_valid);
	/* The admin queue is the model's: never announced. */
	ASSERT_EQ(1U, fg_dp_count(&self->dp, FG_DP_CREATE_CQ));
	ASSERT_EQ(1U, fg_dp_count(&self->dp, FG_DP_CREATE_SQ));
}

TEST_F(dp, refused_cq_is_invalid_field_and_gone)
{
	self->dp.refuse_create = -EFAULT;
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
		  fg_create_cq(self->g, 1, QSIZE, CQ1, 1, true));
	ASSERT_FALSE(self->g->c->cq[1].valid);
	/* No CQ for an SQ to bind to, and the qid is free again. */
	self->dp.refuse_create = 0;
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_CQ_INVALID),
		  fg_create_sq(self->g, 1, QSIZE, SQ1, 1));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_create_cq(self->g, 1, QSIZE, CQ1, 1, true));
}

TEST_F(dp, refused_sq_leaves_its_cq_deletable)
{
	ASSERT_EQ(NVME_SC_SUCCESS, fg_create_cq(self->g, 1, QSIZE, CQ1, 1, true));
	self->dp.refuse_create = -ENOSPC;
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
		  fg_create_sq(self->g, 1, QSIZE, SQ1, 1));
	ASSERT_FALSE(self->g->c->sq[1].valid);
	ASSERT_EQ(0, self->g->c->cq[1].nr_sqs);
	self->dp.refuse_create = 0;
	ASSERT_EQ(NVME_SC_SUCCESS, fg_delete_cq(self->g, 1));
	/* A refused create is not a delete. */
	ASSERT_EQ(0U, fg_dp_count(&self->dp, FG_DP_SQ_DELETE));
}

TEST_F(dp, delete_sq_drains_first_cq_after)
{
	struct fg_ioq q;
	int i;

	ASSERT_EQ(0, fg_ioq_create(self->g, &q, 1, QSIZE, SQ1, CQ1, 1));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_delete_sq(self->g, 1));
	i = fg_dp_find(&self->dp, 0, FG_DP_SQ_DELETE);
	ASSERT_LE(0, i);
	ASSERT_EQ(1U, self->dp.rec[i].arg);
	/* Called while the SQ still exists. */
	ASSERT_EQ(2, self->dp.rec[i].ioq_valid);
	ASSERT_EQ(NVME_SC_SUCCESS, fg_delete_cq(self->g, 1));
	i = fg_dp_find(&self->dp, i, FG_DP_CQ_DELETED);
	ASSERT_LE(0, i);
	ASSERT_EQ(1U, self->dp.rec[i].arg);
	ASSERT_EQ(0, self->dp.rec[i].ioq_valid);
	/* Refused deletions tell nobody. */
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_QID_INVALID), fg_delete_sq(self->g, 1));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_QID_INVALID), fg_delete_cq(self->g, 1));
	ASSERT_EQ(1U, fg_dp_count(&self->dp, FG_DP_SQ_DELETE));
	ASSERT_EQ(1U, fg_dp_count(&self->dp, FG_DP_CQ_DELETED));
}

/* Every way the queues go calls dp_reset while they are still there. */
static void check_reset(struct __test_metadata *_metadata,
			struct fake_guest *g, struct fg_dp *dp,
			void (*how)(struct fake_guest *g))
{
	struct fg_ioq q1, q2;
	unsigned int from;
	int i;

	ASSERT_EQ(NVME_CSTS_RDY, fg_read32(g, NVME_REG_CSTS) & NVME_CSTS_RDY);
	ASSERT_EQ(0, fg_ioq_create(g, &q1, 1, QSIZE, SQ1, CQ1, 1));
	ASSERT_EQ(0, fg_ioq_create(g, &q2, 2, QSIZE, SQ2, CQ2, 2));
	from = dp->n;
	how(g);
	i = fg_dp_find(dp, from, FG_DP_RESET);
	ASSERT_LE(0, i);
	ASSERT_EQ(4, dp->rec[i].ioq_valid);
	ASSERT_FALSE(g->c->sq[1].valid);
	ASSERT_FALSE(g->c->cq[2].valid);
	/* The queues went without a Delete. */
	ASSERT_EQ(-1, fg_dp_find(dp, from, FG_DP_SQ_DELETE));
}

static void by_disable(struct fake_guest *g)
{
	fg_disable(g);
}

static void by_shutdown(struct fake_guest *g)
{
	fg_write32(g, NVME_REG_CC, fg_read32(g, NVME_REG_CC) |
		   (1 << NVME_CC_SHN_SHIFT));
}

static void by_flr(struct fake_guest *g)
{
	lio_vctrl_function_reset(g->c);
}

static void by_power_off(struct fake_guest *g)
{
	lio_vctrl_power_off(g->c);
}

TEST_F(dp, reset_drains_before_teardown)
{
	check_reset(_metadata, self->g, &self->dp, by_disable);
}

TEST_F(dp, shutdown_drains_before_teardown)
{
	check_reset(_metadata, self->g, &self->dp, by_shutdown);
	ASSERT_EQ(NVME_CSTS_SHST_CMPLT,
		  fg_read32(self->g, NVME_REG_CSTS) & NVME_CSTS_SHST_MASK);
}

TEST_F(dp, function_reset_drains_before_teardown)
{
	check_reset(_metadata, self->g, &self->dp, by_flr);
}

TEST_F(dp, power_off_drains_before_teardown)
{
	check_reset(_metadata, self->g, &self->dp, by_power_off);
}

TEST_F(dp, served_sq_doorbell_runs_nothing)
{
	struct fake_guest *g = self->g;
	struct nvme_cqe cqe;
	struct fg_ioq q;

	self->dp.serve = true;
	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, QSIZE, SQ1, CQ1, 1));
	put_flush(g, &q);
	fg_ioq_ring(g, &q);
	ASSERT_EQ((unsigned int)FG_DP_DOORBELL, (unsigned int)last(&self->dp)->call);
	ASSERT_EQ(2U, last(&self->dp)->arg);
	ASSERT_EQ(1U, last(&self->dp)->val);
	/* No completion, no interrupt, nothing stored in the model. */
	ASSERT_EQ(-1, fg_ioq_take(g, &q, &cqe));
	ASSERT_EQ(0U, g->msix_count[1]);
	ASSERT_EQ(0, g->c->sq[1].tail);
	ASSERT_EQ(0, g->c->sq[1].head);
}

TEST_F(dp, served_cq_doorbell_is_not_checked_against_a_stale_tail)
{
	struct fake_guest *g = self->g;
	struct nvme_cqe cqe;
	struct fg_ioq q;

	submit_aer(g);
	self->dp.serve = true;
	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, QSIZE, SQ1, CQ1, 1));
	/* The data path posted 5 entries the model never saw. */
	fg_write32(g, LEAPIO_CQ_DB(1), 5);
	ASSERT_EQ((unsigned int)FG_DP_DOORBELL, (unsigned int)last(&self->dp)->call);
	ASSERT_EQ(3U, last(&self->dp)->arg);
	ASSERT_EQ(5U, last(&self->dp)->val);
	ASSERT_EQ(0, g->c->cq[1].head);
	/* No Invalid Doorbell event. */
	ASSERT_EQ(-1, fg_admin_reap(g, &cqe));
}

TEST_F(dp, unserved_doorbell_runs_the_model)
{
	struct fake_guest *g = self->g;
	struct nvme_cqe cqe;
	struct fg_ioq q;

	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, QSIZE, SQ1, CQ1, 1));
	put_flush(g, &q);
	fg_ioq_ring(g, &q);
	ASSERT_LE(0, fg_dp_find(&self->dp, 0, FG_DP_DOORBELL));
	ASSERT_EQ(0, fg_ioq_take(g, &q, &cqe));
	ASSERT_EQ(NVME_SC_NS_NOT_READY | NVME_STATUS_DNR, fg_status(&cqe));
	ASSERT_EQ(1U, g->msix_count[1]);
	fg_ioq_ack(g, &q);
	ASSERT_EQ(1, g->c->cq[1].head);
}

/* A doorbell the model refuses: the event, and the data path not told. */
static void bad_doorbell(struct __test_metadata *_metadata,
			 struct fake_guest *g, struct fg_dp *dp, u64 off,
			 u32 val, u8 info)
{
	u16 cid = submit_aer(g);
	unsigned int from = dp->n;
	struct nvme_cqe cqe;

	fg_write32(g, off, val);
	ASSERT_EQ(-1, fg_dp_find(dp, from, FG_DP_DOORBELL));
	ASSERT_EQ(0, fg_admin_reap(g, &cqe));
	ASSERT_EQ(cid, le16_to_cpu(cqe.cid));
	ASSERT_EQ(NVME_AER_DW0(NVME_AER_TYPE_ERROR, info, NVME_LOG_ERROR),
		  le32_to_cpu(cqe.dw0));
	/* Reading the Error log re-arms error events. */
	{
		struct nvme_sqe sqe;

		nb_get_log(&sqe, NVME_LOG_ERROR, 0xffffffff, 64,
			       FG_HELPER_BUF, false);
		ASSERT_EQ(0, fg_admin(g, &sqe, &cqe));
		ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	}
}

TEST_F(dp, bad_doorbells_still_raise_events)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;

	self->dp.serve = true;
	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, QSIZE, SQ1, CQ1, 1));
	bad_doorbell(_metadata, g, &self->dp, LEAPIO_SQ_DB(2), 0,
		     NVME_AER_ERROR_INVALID_DB_REG);
	bad_doorbell(_metadata, g, &self->dp, LEAPIO_CQ_DB(2), 0,
		     NVME_AER_ERROR_INVALID_DB_REG);
	bad_doorbell(_metadata, g, &self->dp, LEAPIO_SQ_DB(NR_IOQ + 1), 0,
		     NVME_AER_ERROR_INVALID_DB_REG);
	bad_doorbell(_metadata, g, &self->dp, LEAPIO_SQ_DB(1), QSIZE,
		     NVME_AER_ERROR_INVALID_DB_VAL);
	bad_doorbell(_metadata, g, &self->dp, LEAPIO_CQ_DB(1), QSIZE,
		     NVME_AER_ERROR_INVALID_DB_VAL);
	/* Reserved bits 31:16 set: refused whole, never handed over. */
	bad_doorbell(_metadata, g, &self->dp, LEAPIO_SQ_DB(1), 0x10000 | 1,
		     NVME_AER_ERROR_INVALID_DB_VAL);
	bad_doorbell(_metadata, g, &self->dp, LEAPIO_CQ_DB(1), 0x10000,
		     NVME_AER_ERROR_INVALID_DB_VAL);
	bad_doorbell(_metadata, g, &self->dp, LEAPIO_CQ_DB(1), 0xffffffffU,
		     NVME_AER_ERROR_INVALID_DB_VAL);
}

TEST_F(dp, admin_doorbells_stay_with_the_model)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	self->dp.serve = true;
	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, FG_DATA);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	ASSERT_EQ(0U, fg_dp_count(&self->dp, FG_DP_DOORBELL));
}

static u64 le128_lo(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return le64_to_cpu(v);
}

TEST_F(dp, smart_adds_the_data_path_counters)
{
	struct nvme_smart_log *s = fg_ptr(self->g, FG_DATA);
	u64 dur, duw, hr, hw;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_get_log(&sqe, NVME_LOG_SMART, 0xffffffff, 512, FG_DATA, false);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	dur = le128_lo(s->data_units_read);
	duw = le128_lo(s->data_units_written);
	hr = le128_lo(s->host_reads);
	hw = le128_lo(s->host_writes);

	/* Data units: thousands of 512-byte units, rounded up. */
	self->dp.smart.cmds_read = 3;
	self->dp.smart.cmds_written = 5;
	self->dp.smart.bytes_read = 2 * 512000 + 1;
	self->dp.smart.bytes_written = 512000;
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	ASSERT_EQ(dur + 3, le128_lo(s->data_units_read));
	ASSERT_EQ(duw + 1, le128_lo(s->data_units_written));
	ASSERT_EQ(hr + 3, le128_lo(s->host_reads));
	ASSERT_EQ(hw + 5, le128_lo(s->host_writes));
	ASSERT_LE(2U, fg_dp_count(&self->dp, FG_DP_SMART));
}

/*
 * SMART of a namespace carries that namespace's I/O figures, of 0 and
 * FFFFFFFFh the controller's: the data path is asked for the NSID given.
 */
TEST_F(dp, smart_is_per_namespace)
{
	struct nvme_smart_log *s = (struct nvme_smart_log *)fg_ptr(self->g, FG_DATA);
	static const u32 nsids[] = { 1, 0, 0xffffffff };
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	unsigned int i;

	self->dp.smart = (struct lio_dp_smart){ .cmds_read = 7, .cmds_written = 9,
		.bytes_read = 3 * 512000, .bytes_written = 4 * 512000 };
	self->dp.smart_ns[0] = (struct lio_dp_smart){ .cmds_read = 2,
		.cmds_written = 1, .bytes_read = 512000, .bytes_written = 1 };
	for (i = 0; i < ARRAY_SIZE(nsids); i++) {
		bool ns1 = nsids[i] == 1;

		self->dp.n = 0;
		nb_get_log(&sqe, NVME_LOG_SMART, nsids[i], 512, FG_DATA, false);
		ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
		ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
		ASSERT_EQ(1U, fg_dp_count(&self->dp, FG_DP_SMART));
		EXPECT_EQ(ns1 ? 1U : 0xffffffffU, last(&self->dp)->arg);
		EXPECT_EQ(ns1 ? 1U : 3U, le128_lo(s->data_units_read));
		EXPECT_EQ(ns1 ? 1U : 4U, le128_lo(s->data_units_written));
		EXPECT_EQ(ns1 ? 2U : 7U, le128_lo(s->host_reads));
		EXPECT_EQ(ns1 ? 1U : 9U, le128_lo(s->host_writes));
	}
}

TEST_F(dp, features_are_republished)
{
	ASSERT_EQ(NVME_SC_SUCCESS, set_feature(self->g, NVME_FEAT_VOLATILE_WC, 1));
	ASSERT_EQ((unsigned int)FG_DP_UPDATE, (unsigned int)last(&self->dp)->call);
	ASSERT_EQ((u32)LIO_DP_FEATURES, last(&self->dp)->arg);
	self->dp.n = 0;
	ASSERT_EQ(NVME_SC_SUCCESS, set_feature(self->g, NVME_FEAT_IRQ_COALESCE, 0x0104));
	ASSERT_EQ(1U, fg_dp_count(&self->dp, FG_DP_UPDATE));
	self->dp.n = 0;
	ASSERT_EQ(NVME_SC_SUCCESS, set_feature(self->g, NVME_FEAT_IRQ_CONFIG,
					       1 | 1U << 16));
	ASSERT_EQ(1U, fg_dp_count(&self->dp, FG_DP_UPDATE));
	/* Features no data path cares about say nothing. */
	self->dp.n = 0;
	ASSERT_EQ(NVME_SC_SUCCESS, set_feature(self->g, NVME_FEAT_ARBITRATION, 0));
	ASSERT_EQ(0U, fg_dp_count(&self->dp, FG_DP_UPDATE));
}

TEST_F(dp, dbbuf_is_published_or_refused)
{
	struct fake_guest *g = self->g;

	self->dp.refuse_dbbuf = -EFAULT;
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), dbbuf(g, SHADOW, EVENTIDX));
	ASSERT_EQ((unsigned int)FG_DP_UPDATE, (unsigned int)last(&self->dp)->call);
	ASSERT_EQ((u32)LIO_DP_DBBUF, last(&self->dp)->arg);
	ASSERT_FALSE(g->c->dbbuf);
	self->dp.refuse_dbbuf = 0;
	ASSERT_EQ(NVME_SC_SUCCESS, dbbuf(g, SHADOW, EVENTIDX));
	ASSERT_TRUE(g->c->dbbuf);
	ASSERT_EQ(SHADOW, g->c->dbbuf_shadow);
}

TEST_F(dp, msix_masks_and_mode_are_republished)
{
	struct fake_guest *g = self->g;
	u32 m = 1;

	self->dp.n = 0;
	/* Mask vector 1 in the table. */
	lio_vctrl_bar_write(g->c, LEAPIO_BAR_MSIX, 16 + 12, &m, 4);
	ASSERT_EQ(1U, fg_dp_count(&self->dp, FG_DP_UPDATE));
	ASSERT_EQ((u32)LIO_DP_IRQ, last(&self->dp)->arg);
	ASSERT_TRUE(lio_vctrl_vector_masked(g->c, 1));
	/* The same value again changes nothing. */
	lio_vctrl_bar_write(g->c, LEAPIO_BAR_MSIX, 16 + 12, &m, 4);
	ASSERT_EQ(1U, fg_dp_count(&self->dp, FG_DP_UPDATE));
	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_INTX);
	ASSERT_EQ(2U, fg_dp_count(&self->dp, FG_DP_UPDATE));
	ASSERT_EQ((u32)LIO_DP_IRQ, last(&self->dp)->arg);
}

TEST_F(dp, raise_irq_msix_and_pba)
{
	struct fake_guest *g = self->g;
	u32 m = 1, pba;

	lio_vctrl_raise_irq(g->c, 2);
	ASSERT_EQ(1U, g->msix_count[2]);
	/* Masked: pending, delivered at unmask. */
	lio_vctrl_bar_write(g->c, LEAPIO_BAR_MSIX, 2 * 16 + 12, &m, 4);
	lio_vctrl_raise_irq(g->c, 2);
	ASSERT_EQ(1U, g->msix_count[2]);
	lio_vctrl_bar_read(g->c, LEAPIO_BAR_MSIX, LEAPIO_MSIX_PBA_OFFSET, &pba, 4);
	ASSERT_EQ(1U << 2, le32_to_cpu(pba));
	m = 0;
	lio_vctrl_bar_write(g->c, LEAPIO_BAR_MSIX, 2 * 16 + 12, &m, 4);
	ASSERT_EQ(2U, g->msix_count[2]);
	/* Vectors past the table do nothing. */
	lio_vctrl_raise_irq(g->c, NR_IOQ + 1);
	lio_vctrl_raise_irq(g->c, 0xffff);
	ASSERT_EQ(0U, g->msix_count[NR_IOQ + 1]);
}

TEST_F(dp, raise_irq_intx_is_one_assertion)
{
	struct fake_guest *g = self->g;

	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_INTX);
	lio_vctrl_raise_irq(g->c, 1);
	ASSERT_EQ(1U, g->intx_raises);
	ASSERT_FALSE(g->intx_level);
	/* INTMS masks it. */
	fg_write32(g, NVME_REG_INTMS, 1);
	lio_vctrl_raise_irq(g->c, 1);
	ASSERT_EQ(1U, g->intx_raises);
	fg_write32(g, NVME_REG_INTMC, 1);
	lio_vctrl_raise_irq(g->c, 0);
	ASSERT_EQ(2U, g->intx_raises);
}

TEST_F(dp, post_aen_completes_an_aer)
{
	struct fake_guest *g = self->g;
	u32 dw0 = NVME_AER_DW0(NVME_AER_TYPE_ERROR,
			       NVME_AER_ERROR_INVALID_DB_VAL, NVME_LOG_ERROR);
	u16 cid = submit_aer(g);
	struct nvme_cqe cqe;

	lio_vctrl_post_aen(g->c, dw0);
	ASSERT_EQ(0, fg_admin_reap(g, &cqe));
	ASSERT_EQ(cid, le16_to_cpu(cqe.cid));
	ASSERT_EQ(dw0, le32_to_cpu(cqe.dw0));
}

TEST_F(dp, fatal_sets_cfs_and_tells_once)
{
	struct fake_guest *g = self->g;

	self->dp.n = 0;
	lio_vctrl_fatal(g->c);
	ASSERT_EQ(NVME_CSTS_CFS, fg_read32(g, NVME_REG_CSTS) & NVME_CSTS_CFS);
	ASSERT_EQ(1U, fg_dp_count(&self->dp, FG_DP_UPDATE));
	ASSERT_EQ((u32)LIO_DP_FATAL, last(&self->dp)->arg);
	lio_vctrl_fatal(g->c);
	ASSERT_EQ(1U, fg_dp_count(&self->dp, FG_DP_UPDATE));
	/* A disabled controller can't fail. */
	fg_disable(g);
	lio_vctrl_fatal(g->c);
	ASSERT_EQ(0UL, fg_read32(g, NVME_REG_CSTS) & NVME_CSTS_CFS);
}

TEST_HARNESS_MAIN
