// SPDX-License-Identifier: GPL-2.0
/*
 * Submission and completion queues: running commands, posting with the
 * phase tag, a full CQ and the resume when its head moves, DMA failures,
 * Create/Delete I/O SQ/CQ with every status, doorbells the controller
 * must refuse (and the event each raises), shadow doorbells.
 */
#include <stdlib.h>

#include "../lib/lio_harness.h"
#include "fake_guest.h"

#define CQ1		(FG_FREE)
#define SQ1		(FG_FREE + 0x10000)
#define CQ2		(FG_FREE + 0x20000)
#define SQ2		(FG_FREE + 0x30000)
#define SHADOW		(FG_FREE + 0x100000)	/* (nr_ioq + 1) * 8 KiB each */
#define EVENTIDX	(FG_FREE + 0x200000)
#define OUTSIDE		(FG_MEM_BASE + FG_MEM_SIZE)
#define NR_IOQ		4

#define DB_REG		NVME_AER_ERROR_INVALID_DB_REG
#define DB_VAL		NVME_AER_ERROR_INVALID_DB_VAL

/* What io.c answers a good I/O command while no data path serves it. */
#define IO_STATUS	(NVME_SC_NS_NOT_READY | NVME_STATUS_DNR)

FIXTURE(q) {
	struct fake_guest *g;
	u8 *saved;
};

FIXTURE_SETUP(q)
{
	self->g = fg_new(NR_IOQ);
	self->saved = NULL;
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g));
}

FIXTURE_TEARDOWN(q)
{
	free(self->saved);
	fg_free(self->g);
}

static void put_flush(struct fake_guest *g, struct fg_ioq *q)
{
	struct nvme_sqe sqe;

	nb_flush(&sqe, 1);
	fg_ioq_put(g, q, &sqe);
}

/* An admin command with every field that queue commands use. */
static u16 admin_raw(struct fake_guest *g, u8 opcode, u32 cdw10, u32 cdw11,
		     u64 prp1, u64 prp2)
{
	struct nvme_sqe sqe = { .opcode = opcode };
	struct nvme_cqe cqe;

	sqe.cdw10 = cpu_to_le32(cdw10);
	sqe.cdw11 = cpu_to_le32(cdw11);
	sqe.prp1 = cpu_to_le64(prp1);
	sqe.prp2 = cpu_to_le64(prp2);
	if (fg_admin(g, &sqe, &cqe))
		return 0xffff;
	return fg_status(&cqe);
}

#define CQ_FLAGS	(NVME_QUEUE_PHYS_CONTIG | NVME_CQ_IRQ_ENABLED)
#define QDW10(qid, entries)	((u32)((entries) - 1) << 16 | (qid))

/*
 * The admin command failed with status (and Do Not Retry), and the error
 * log says the same and points at loc.
 */
#define EXPECT_FAIL(g, st, expected, loc) do {				\
	struct nvme_error_log_entry __e;				\
	ASSERT_EQ(FG_ADMIN_ERR(expected), (st));			\
	ASSERT_EQ(0, fg_err_log_newest(g, &__e));			\
	ASSERT_EQ(FG_ADMIN_ERR(expected),				\
		  le16_to_cpu(__e.status_field) & ~1);			\
	ASSERT_EQ((u16)(loc), le16_to_cpu(__e.param_error_location));	\
} while (0)

/* Number of Queues: n I/O SQs and CQs allocated. */
static u16 set_nr_queues(struct fake_guest *g, u16 n)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_set_features(&sqe, NVME_FEAT_NUM_QUEUES, false,
			(u32)(n - 1) << 16 | (n - 1));
	if (fg_admin(g, &sqe, &cqe))
		return 0xffff;
	return fg_status(&cqe);
}

static u16 get_arbitration(struct fake_guest *g)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_get_features(&sqe, NVME_FEAT_ARBITRATION, NVME_FEAT_SEL_CURRENT, 0);
	if (fg_admin(g, &sqe, &cqe))
		return 0xffff;
	return fg_status(&cqe);
}

static u16 submit_aer(struct fake_guest *g)
{
	struct nvme_sqe sqe;

	nb_aer(&sqe);
	fg_admin_submit(g, &sqe);
	return le16_to_cpu(sqe.cid);
}

/* Reading the Error log with RAE clear re-arms error events. */
static void read_error_log(struct __test_metadata *_metadata,
			   struct fake_guest *g)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_get_log(&sqe, NVME_LOG_ERROR, 0xffffffff, 64, FG_HELPER_BUF, false);
	ASSERT_EQ(0, fg_admin(g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
}

/*
 * A doorbell write the controller must refuse: an Error event (the AER
 * left outstanding completes with it) and nothing else in guest memory.
 */
static void bad_doorbell(struct __test_metadata *_metadata,
			 struct fake_guest *g, u64 off, u32 val, u8 info)
{
	u16 cid = submit_aer(g);
	struct nvme_cqe cqe;
	u8 *saved = fg_mem_save(g);

	fg_write32(g, off, val);
	ASSERT_TRUE(fg_mem_unchanged(g, saved));
	free(saved);
	ASSERT_EQ(0, fg_admin_reap(g, &cqe)) {
		TH_LOG("doorbell %#llx = %#x: no event",
		       (unsigned long long)off, val);
	}
	ASSERT_EQ(cid, le16_to_cpu(cqe.cid));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	ASSERT_EQ(NVME_AER_DW0(NVME_AER_TYPE_ERROR, info, NVME_LOG_ERROR),
		  le32_to_cpu(cqe.dw0)) {
		TH_LOG("doorbell %#llx = %#x", (unsigned long long)off, val);
	}
	read_error_log(_metadata, g);
}

TEST_F(q, io_round_trip)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;
	struct nvme_cqe cqe;
	int i;

	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 8, SQ1, CQ1, 1));
	ASSERT_TRUE(lio_ioq_exists(g->c));
	for (i = 0; i < 3; i++)
		put_flush(g, &q);
	fg_ioq_ring(g, &q);
	/* All three at once, with one interrupt for them. */
	ASSERT_EQ(1U, g->msix_count[1]);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, fg_ioq_take(g, &q, &cqe));
		ASSERT_EQ(i, le16_to_cpu(cqe.cid));
		ASSERT_EQ(1, le16_to_cpu(cqe.sq_id));
		ASSERT_EQ(i + 1, le16_to_cpu(cqe.sq_head));
		ASSERT_EQ(IO_STATUS, fg_status(&cqe));
		ASSERT_EQ(0U, le32_to_cpu(cqe.dw1));
	}
	ASSERT_EQ(-1, fg_ioq_take(g, &q, &cqe));
	fg_ioq_ack(g, &q);
	ASSERT_EQ(1U, g->msix_count[1]);
}

TEST_F(q, phase_tag_wraps)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;
	struct nvme_cqe cqe;
	int i;

	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 4, SQ1, CQ1, 1));
	for (i = 0; i < 11; i++) {
		struct nvme_cqe *slot = fg_ptr(g, CQ1 + (i % 4) * NVME_CQE_SIZE);

		put_flush(g, &q);
		fg_ioq_ring(g, &q);
		/* The slot of round r carries phase 1 on even rounds. */
		ASSERT_EQ((i / 4) % 2 ? 0 : 1, le16_to_cpu(slot->status) & 1);
		ASSERT_EQ(0, fg_ioq_take(g, &q, &cqe)) {
			TH_LOG("command %d", i);
		}
		ASSERT_EQ(i, le16_to_cpu(cqe.cid));
		ASSERT_EQ((i + 1) % 4, le16_to_cpu(cqe.sq_head));
		fg_ioq_ack(g, &q);
		/* The next slot still has the old phase: not new. */
		ASSERT_EQ(-1, fg_ioq_take(g, &q, &cqe));
	}
	ASSERT_EQ(11U, g->msix_count[1]);
}

TEST_F(q, full_cq_stops_and_resumes)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;
	struct nvme_cqe cqe;
	int i;

	/* An 8-entry SQ on a 4-entry CQ: the CQ holds 3. */
	ASSERT_EQ(0, fg_create_cq(g, 1, 4, CQ1, 1, true));
	ASSERT_EQ(0, fg_create_sq(g, 1, 8, SQ1, 1));
	memset(&q, 0, sizeof(q));
	q.qid = 1;
	q.size = 8;
	q.sq = SQ1;
	for (i = 0; i < 7; i++)
		put_flush(g, &q);
	fg_ioq_ring(g, &q);
	ASSERT_EQ(3, g->c->sq[1].head);
	ASSERT_TRUE(lio_cq_full(g->c, 1));
	ASSERT_TRUE(fg_filled(fg_ptr(g, CQ1 + 3 * NVME_CQE_SIZE), 0,
			      NVME_CQE_SIZE));
	ASSERT_EQ(1U, g->msix_count[1]);

	/* The guest reads them but has not rung: still stopped. */
	q.size = 4;
	q.cq = CQ1;
	q.cq_phase = 1;
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, fg_ioq_take(g, &q, &cqe));
		ASSERT_EQ(i, le16_to_cpu(cqe.cid));
		ASSERT_EQ(i + 1, le16_to_cpu(cqe.sq_head));
	}
	fg_write32(g, LEAPIO_SQ_DB(1), 7);
	ASSERT_EQ(3, g->c->sq[1].head);

	/* Its head doorbell frees three slots: three more run. */
	fg_ioq_ack(g, &q);
	ASSERT_EQ(6, g->c->sq[1].head);
	ASSERT_EQ(2U, g->msix_count[1]);
	for (i = 3; i < 6; i++) {
		ASSERT_EQ(0, fg_ioq_take(g, &q, &cqe));
		ASSERT_EQ(i, le16_to_cpu(cqe.cid));
		ASSERT_EQ(i + 1, le16_to_cpu(cqe.sq_head));
	}
	ASSERT_EQ(-1, fg_ioq_take(g, &q, &cqe));
	fg_ioq_ack(g, &q);
	ASSERT_EQ(0, fg_ioq_take(g, &q, &cqe));
	ASSERT_EQ(6, le16_to_cpu(cqe.cid));
	ASSERT_EQ(7, le16_to_cpu(cqe.sq_head));
	ASSERT_EQ(3U, g->msix_count[1]);

	/* A head write that frees nothing runs nothing and is no error. */
	fg_ioq_ack(g, &q);
	fg_ioq_ack(g, &q);
	ASSERT_EQ(0, g->c->aer.nr_pending);
	ASSERT_EQ(3U, g->msix_count[1]);
}

TEST_F(q, two_sqs_share_a_full_cq)
{
	struct fake_guest *g = self->g;
	struct fg_ioq a, b, c;
	struct nvme_cqe cqe;
	int i, n = 0;

	ASSERT_EQ(0, fg_create_cq(g, 1, 4, CQ1, 1, true));
	ASSERT_EQ(0, fg_create_sq(g, 1, 8, SQ1, 1));
	ASSERT_EQ(0, fg_create_sq(g, 2, 8, SQ2, 1));
	memset(&a, 0, sizeof(a));
	a.qid = 1;
	a.size = 8;
	a.sq = SQ1;
	b = a;
	b.qid = 2;
	b.sq = SQ2;
	b.next_cid = 100;
	for (i = 0; i < 3; i++) {
		put_flush(g, &a);
		put_flush(g, &b);
	}
	fg_ioq_ring(g, &a);
	fg_ioq_ring(g, &b);
	ASSERT_EQ(3, g->c->sq[1].head);
	ASSERT_EQ(0, g->c->sq[2].head);

	/* Reap everything as it comes; both SQs drain. */
	memset(&c, 0, sizeof(c));
	c.qid = 1;
	c.size = 4;
	c.cq = CQ1;
	c.cq_phase = 1;
	for (i = 0; i < 4 && n < 6; i++) {
		while (!fg_ioq_take(g, &c, &cqe))
			n++;
		fg_ioq_ack(g, &c);
	}
	ASSERT_EQ(6, n);
	ASSERT_EQ(3, g->c->sq[2].head);
}

/* Admin queues of their own sizes, driven by hand. */
struct admin_q {
	u16 sqsize, cqsize, tail, head;
	u8 phase;
};

static void admin_put(struct fake_guest *g, struct admin_q *a, u16 cid)
{
	struct nvme_sqe *slot = fg_ptr(g, FG_ASQ + a->tail * NVME_SQE_SIZE);

	nb_get_features(slot, NVME_FEAT_ARBITRATION, NVME_FEAT_SEL_CURRENT, 0);
	slot->cid = cpu_to_le16(cid);
	a->tail = (a->tail + 1) % a->sqsize;
}

static int admin_take(struct fake_guest *g, struct admin_q *a,
		      struct nvme_cqe *cqe)
{
	struct nvme_cqe *slot = fg_ptr(g, FG_ACQ + a->head * NVME_CQE_SIZE);

	if ((le16_to_cpu(slot->status) & 1) != a->phase)
		return -1;
	*cqe = *slot;
	if (++a->head == a->cqsize) {
		a->head = 0;
		a->phase ^= 1;
	}
	return 0;
}

TEST_F(q, full_admin_cq)
{
	struct fake_guest *g = self->g;
	struct admin_q a = { .sqsize = 8, .cqsize = 2, .phase = 1 };
	struct nvme_cqe cqe;
	u16 i;

	fg_disable(g);
	memset(fg_ptr(g, FG_ACQ), 0, 0x1000);
	fg_write32(g, NVME_REG_AQA, 1U << 16 | 7U);
	fg_write32(g, NVME_REG_CC, (NVME_CQES_LOG2 << NVME_CC_IOCQES_SHIFT) |
		   (NVME_SQES_LOG2 << NVME_CC_IOSQES_SHIFT) | NVME_CC_EN);
	ASSERT_EQ(NVME_CSTS_RDY, fg_read32(g, NVME_REG_CSTS));

	for (i = 0; i < 5; i++)
		admin_put(g, &a, 10 + i);
	fg_write32(g, LEAPIO_SQ_DB(0), a.tail);
	/* One slot of two: one completion, one command fetched. */
	ASSERT_EQ(1, g->c->sq[0].head);
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, admin_take(g, &a, &cqe));
		ASSERT_EQ(10 + i, le16_to_cpu(cqe.cid));
		ASSERT_EQ(i + 1, le16_to_cpu(cqe.sq_head));
		ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
		ASSERT_EQ(-1, admin_take(g, &a, &cqe));
		fg_write32(g, LEAPIO_CQ_DB(0), a.head);
	}
	ASSERT_EQ(5, g->c->sq[0].head);
	ASSERT_EQ(0, g->c->aer.nr_pending);
}

TEST_F(q, deferred_command_posts_nothing)
{
	struct fake_guest *g = self->g;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	u16 aer;

	aer = submit_aer(g);
	nb_get_features(&sqe, NVME_FEAT_ARBITRATION, NVME_FEAT_SEL_CURRENT, 0);
	ASSERT_EQ(0, fg_admin(g, &sqe, &cqe));
	ASSERT_EQ(le16_to_cpu(sqe.cid), le16_to_cpu(cqe.cid));
	ASSERT_NE(aer, le16_to_cpu(cqe.cid));
	ASSERT_EQ(2, le16_to_cpu(cqe.sq_head));
	ASSERT_EQ(-1, fg_admin_reap(g, &cqe));
}

TEST_F(q, sqe_fetch_failure_is_fatal)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	/* Creating needs no DMA: the bad address shows at the fetch. */
	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 8, OUTSIDE, CQ1, 1));
	self->saved = fg_mem_save(g);
	fg_write32(g, LEAPIO_SQ_DB(1), 1);
	ASSERT_EQ(NVME_CSTS_RDY | NVME_CSTS_CFS, fg_read32(g, NVME_REG_CSTS));
	ASSERT_TRUE(fg_mem_unchanged(g, self->saved));
	ASSERT_EQ(0U, g->msix_count[1]);

	/* Fatal: nothing runs until a reset. */
	nb_get_features(&sqe, NVME_FEAT_ARBITRATION, NVME_FEAT_SEL_CURRENT, 0);
	ASSERT_EQ(-1, fg_admin(g, &sqe, &cqe));
	ASSERT_EQ(0U, fg_disable(g));
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	ASSERT_EQ(0, fg_admin(g, &sqe, &cqe));
}

TEST_F(q, cqe_write_failure_is_fatal)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;

	ASSERT_EQ(0, fg_create_cq(g, 1, 8, OUTSIDE, 1, true));
	ASSERT_EQ(0, fg_create_sq(g, 1, 8, SQ1, 1));
	memset(&q, 0, sizeof(q));
	q.qid = 1;
	q.size = 8;
	q.sq = SQ1;
	put_flush(g, &q);
	put_flush(g, &q);
	fg_ioq_ring(g, &q);
	ASSERT_EQ(NVME_CSTS_RDY | NVME_CSTS_CFS, fg_read32(g, NVME_REG_CSTS));
	/* Stopped at the first: the second was not even fetched. */
	ASSERT_EQ(1, g->c->sq[1].head);
	ASSERT_EQ(0U, g->msix_count[1]);
}

TEST_F(q, no_bus_master_is_fatal)
{
	struct fake_guest *g = self->g;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	u8 *acq = malloc(0x1000);

	ASSERT_NE(NULL, acq);
	fg_cfg_write(g, 0x04, 0x0002, 2);
	memcpy(acq, fg_ptr(g, FG_ACQ), 0x1000);
	nb_get_features(&sqe, NVME_FEAT_ARBITRATION, NVME_FEAT_SEL_CURRENT, 0);
	ASSERT_EQ(-1, fg_admin(g, &sqe, &cqe));
	ASSERT_EQ(NVME_CSTS_RDY | NVME_CSTS_CFS, fg_read32(g, NVME_REG_CSTS));
	ASSERT_EQ(0, memcmp(acq, fg_ptr(g, FG_ACQ), 0x1000));
	ASSERT_EQ(0U, g->dma_faults);
	free(acq);
}

TEST_F(q, create_cq_checks)
{
	static const struct {
		u32 cdw10, cdw11;
		u64 prp1;
		u16 status, loc;
	} bad[] = {
		{ QDW10(0, 8), CQ_FLAGS, CQ1, NVME_SC_QID_INVALID, 40 },
		{ QDW10(NR_IOQ + 1, 8), CQ_FLAGS, CQ1, NVME_SC_QID_INVALID, 40 },
		{ QDW10(0xffff, 8), CQ_FLAGS, CQ1, NVME_SC_QID_INVALID, 40 },
		{ QDW10(1, 1), CQ_FLAGS, CQ1, NVME_SC_QUEUE_SIZE, 42 },
		{ QDW10(1, LIO_MQES + 2), CQ_FLAGS, CQ1, NVME_SC_QUEUE_SIZE, 42 },
		{ 0xffff0001, CQ_FLAGS, CQ1, NVME_SC_QUEUE_SIZE, 42 },
		{ QDW10(1, 8), NVME_CQ_IRQ_ENABLED, CQ1, NVME_SC_INVALID_FIELD, 44 },
		{ QDW10(1, 8), 0, CQ1, NVME_SC_INVALID_FIELD, 44 },
		{ QDW10(1, 8), CQ_FLAGS, CQ1 + 4, NVME_SC_INVALID_FIELD, 24 },
		{ QDW10(1, 8), CQ_FLAGS, CQ1 + 0x800, NVME_SC_INVALID_FIELD, 24 },
		{ QDW10(1, 8), CQ_FLAGS | (NR_IOQ + 1) << 16, CQ1,
		  NVME_SC_INVALID_VECTOR, 46 },
		{ QDW10(1, 8), CQ_FLAGS | 0xffffU << 16, CQ1,
		  NVME_SC_INVALID_VECTOR, 46 },
	};
	struct fake_guest *g = self->g;
	unsigned int i;
	u16 st;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		st = admin_raw(g, nvme_admin_create_cq, bad[i].cdw10,
			       bad[i].cdw11, bad[i].prp1, 0);
		EXPECT_FAIL(g, st, bad[i].status, bad[i].loc);
		ASSERT_FALSE(lio_ioq_exists(g->c)) {
			TH_LOG("case %u", i);
		}
	}

	/* The limits themselves are fine. */
	ASSERT_EQ(0, admin_raw(g, nvme_admin_create_cq, QDW10(1, LIO_MQES + 1),
			       CQ_FLAGS | NR_IOQ << 16, CQ1, 0));
	ASSERT_EQ(0, admin_raw(g, nvme_admin_create_cq, QDW10(NR_IOQ, 2),
			       CQ_FLAGS, CQ2, 0));
	/* Without interrupts the vector is not looked at. */
	ASSERT_EQ(0, admin_raw(g, nvme_admin_create_cq, QDW10(2, 8),
			       NVME_QUEUE_PHYS_CONTIG | 0xffffU << 16, CQ2 + 0x1000, 0));
	/* In use. */
	st = admin_raw(g, nvme_admin_create_cq, QDW10(1, 8), CQ_FLAGS, CQ1, 0);
	EXPECT_FAIL(g, st, NVME_SC_QID_INVALID, 40);
	ASSERT_EQ(1024, g->c->cq[1].size);
	ASSERT_EQ(NR_IOQ, g->c->cq[1].vector);
	ASSERT_TRUE(g->c->cq[1].ien);
	ASSERT_FALSE(g->c->cq[2].ien);
}

TEST_F(q, create_cq_beyond_allocated_queues)
{
	struct fake_guest *g = self->g;
	u16 st;

	ASSERT_EQ(0, set_nr_queues(g, 2));
	st = admin_raw(g, nvme_admin_create_cq, QDW10(3, 8), CQ_FLAGS, CQ1, 0);
	EXPECT_FAIL(g, st, NVME_SC_QID_INVALID, 40);
	st = admin_raw(g, nvme_admin_create_sq, QDW10(3, 8),
		       NVME_QUEUE_PHYS_CONTIG | 1U << 16, SQ1, 0);
	EXPECT_FAIL(g, st, NVME_SC_QID_INVALID, 40);
	ASSERT_EQ(0, fg_create_cq(g, 2, 8, CQ1, 2, true));
	ASSERT_EQ(0, fg_create_sq(g, 2, 8, SQ1, 2));
}

TEST_F(q, create_sq_checks)
{
	static const struct {
		u32 cdw10, cdw11;
		u64 prp1;
		u16 status, loc;
	} bad[] = {
		{ QDW10(0, 8), 1U << 16 | 1, SQ1, NVME_SC_QID_INVALID, 40 },
		{ QDW10(NR_IOQ + 1, 8), 1U << 16 | 1, SQ1, NVME_SC_QID_INVALID, 40 },
		{ QDW10(0xffff, 8), 1U << 16 | 1, SQ1, NVME_SC_QID_INVALID, 40 },
		{ QDW10(2, 8), 0U << 16 | 1, SQ1, NVME_SC_CQ_INVALID, 46 },
		{ QDW10(2, 8), 2U << 16 | 1, SQ1, NVME_SC_CQ_INVALID, 46 },
		{ QDW10(2, 8), (NR_IOQ + 1U) << 16 | 1, SQ1, NVME_SC_CQ_INVALID, 46 },
		{ QDW10(2, 8), 0xffffU << 16 | 1, SQ1, NVME_SC_CQ_INVALID, 46 },
		{ QDW10(2, 1), 1U << 16 | 1, SQ1, NVME_SC_QUEUE_SIZE, 42 },
		{ QDW10(2, LIO_MQES + 2), 1U << 16 | 1, SQ1, NVME_SC_QUEUE_SIZE, 42 },
		{ QDW10(2, 8), 1U << 16, SQ1, NVME_SC_INVALID_FIELD, 44 },
		{ QDW10(2, 8), 1U << 16 | 1, SQ1 + 0x40, NVME_SC_INVALID_FIELD, 24 },
		{ QDW10(2, 8), 1U << 16 | 1, SQ1 + 0xffc, NVME_SC_INVALID_FIELD, 24 },
	};
	struct fake_guest *g = self->g;
	unsigned int i;
	u16 st;

	ASSERT_EQ(0, fg_create_cq(g, 1, 8, CQ1, 1, true));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		st = admin_raw(g, nvme_admin_create_sq, bad[i].cdw10,
			       bad[i].cdw11, bad[i].prp1, 0);
		EXPECT_FAIL(g, st, bad[i].status, bad[i].loc);
		ASSERT_EQ(0, g->c->cq[1].nr_sqs) {
			TH_LOG("case %u", i);
		}
	}

	/* Two SQs on CQ 1, any priority (round robin ignores it). */
	ASSERT_EQ(0, admin_raw(g, nvme_admin_create_sq, QDW10(2, LIO_MQES + 1),
			       1U << 16 | 3U << 1 | 1, SQ1, 0));
	ASSERT_EQ(0, admin_raw(g, nvme_admin_create_sq, QDW10(1, 2),
			       1U << 16 | 1, SQ2, 0));
	ASSERT_EQ(2, g->c->cq[1].nr_sqs);
	st = admin_raw(g, nvme_admin_create_sq, QDW10(2, 8), 1U << 16 | 1, SQ2, 0);
	EXPECT_FAIL(g, st, NVME_SC_QID_INVALID, 40);
	ASSERT_EQ(1024, g->c->sq[2].size);
}

TEST_F(q, delete_checks)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;
	u16 st;

	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 8, SQ1, CQ1, 1));
	ASSERT_EQ(0, fg_create_sq(g, 2, 8, SQ2, 1));

	st = fg_delete_sq(g, 0);
	EXPECT_FAIL(g, st, NVME_SC_QID_INVALID, 40);
	st = fg_delete_sq(g, 3);
	EXPECT_FAIL(g, st, NVME_SC_QID_INVALID, 40);
	st = fg_delete_sq(g, NR_IOQ + 1);
	EXPECT_FAIL(g, st, NVME_SC_QID_INVALID, 40);
	st = fg_delete_sq(g, 0xffff);
	EXPECT_FAIL(g, st, NVME_SC_QID_INVALID, 40);
	st = fg_delete_cq(g, 0);
	EXPECT_FAIL(g, st, NVME_SC_QID_INVALID, 40);
	st = fg_delete_cq(g, 2);
	EXPECT_FAIL(g, st, NVME_SC_QID_INVALID, 40);
	st = fg_delete_cq(g, 0xffff);
	EXPECT_FAIL(g, st, NVME_SC_QID_INVALID, 40);

	/* CQ 1 has two SQs: it goes only after both. */
	st = fg_delete_cq(g, 1);
	EXPECT_FAIL(g, st, NVME_SC_INVALID_QUEUE_DELETION, 40);
	ASSERT_EQ(0, fg_delete_sq(g, 1));
	st = fg_delete_sq(g, 1);
	EXPECT_FAIL(g, st, NVME_SC_QID_INVALID, 40);
	st = fg_delete_cq(g, 1);
	EXPECT_FAIL(g, st, NVME_SC_INVALID_QUEUE_DELETION, 40);
	ASSERT_EQ(0, fg_delete_sq(g, 2));
	ASSERT_TRUE(lio_ioq_exists(g->c));
	ASSERT_EQ(0, fg_delete_cq(g, 1));
	ASSERT_FALSE(lio_ioq_exists(g->c));
	st = fg_delete_cq(g, 1);
	EXPECT_FAIL(g, st, NVME_SC_QID_INVALID, 40);

	/* The admin queue is still there. */
	ASSERT_EQ(0, get_arbitration(g));
}

TEST_F(q, recreated_queue_starts_over)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;
	struct nvme_cqe cqe;
	int i;

	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 4, SQ1, CQ1, 1));
	for (i = 0; i < 6; i++) {
		put_flush(g, &q);
		fg_ioq_ring(g, &q);
		ASSERT_EQ(0, fg_ioq_take(g, &q, &cqe));
		fg_ioq_ack(g, &q);
	}
	ASSERT_EQ(0, fg_delete_sq(g, 1));
	ASSERT_EQ(0, fg_delete_cq(g, 1));
	/* A deleted queue's doorbell is a doorbell of no queue. */
	bad_doorbell(_metadata, g, LEAPIO_SQ_DB(1), 1, DB_REG);
	bad_doorbell(_metadata, g, LEAPIO_CQ_DB(1), 1, DB_REG);

	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 4, SQ1, CQ1, 1));
	put_flush(g, &q);
	fg_ioq_ring(g, &q);
	ASSERT_EQ(0, fg_ioq_take(g, &q, &cqe));
	ASSERT_EQ(1, le16_to_cpu(cqe.sq_head));
	ASSERT_EQ(1, le16_to_cpu(cqe.status) & 1);
}

TEST_F(q, bad_doorbells)
{
	struct fake_guest *g = self->g;
	u64 bar0 = lio_bar0_size(NR_IOQ);
	struct fg_ioq q;

	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 8, SQ1, CQ1, 1));

	/* Queues that don't exist, within the type and beyond it. */
	bad_doorbell(_metadata, g, LEAPIO_SQ_DB(2), 0, DB_REG);
	bad_doorbell(_metadata, g, LEAPIO_CQ_DB(2), 0, DB_REG);
	bad_doorbell(_metadata, g, LEAPIO_SQ_DB(NR_IOQ), 1, DB_REG);
	bad_doorbell(_metadata, g, LEAPIO_SQ_DB(NR_IOQ + 1), 1, DB_REG);
	bad_doorbell(_metadata, g, LEAPIO_CQ_DB(NR_IOQ + 1), 1, DB_REG);
	bad_doorbell(_metadata, g, bar0 - LEAPIO_DB_STRIDE, 1, DB_REG);
	bad_doorbell(_metadata, g, bar0 - 2 * LEAPIO_DB_STRIDE, 1, DB_REG);

	/* Values past the queue's end. */
	bad_doorbell(_metadata, g, LEAPIO_SQ_DB(1), 8, DB_VAL);
	bad_doorbell(_metadata, g, LEAPIO_SQ_DB(1), 0xffff, DB_VAL);
	bad_doorbell(_metadata, g, LEAPIO_SQ_DB(1), 0x10001, DB_VAL);
	bad_doorbell(_metadata, g, LEAPIO_SQ_DB(1), 0xffffffff, DB_VAL);
	bad_doorbell(_metadata, g, LEAPIO_CQ_DB(1), 8, DB_VAL);
	bad_doorbell(_metadata, g, LEAPIO_SQ_DB(0), FG_ADMIN_QSIZE, DB_VAL);
	bad_doorbell(_metadata, g, LEAPIO_CQ_DB(0), FG_ADMIN_QSIZE, DB_VAL);

	/* Nothing was taken from any of them. */
	ASSERT_EQ(0, g->c->sq[1].tail);
	ASSERT_EQ(0, g->c->sq[1].head);
	ASSERT_EQ(0, g->c->cq[1].head);
}

TEST_F(q, every_doorbell_of_the_largest_type)
{
	struct fake_guest *g = fg_new(LIO_MAX_IOQ);
	u64 bar0 = lio_bar0_size(LIO_MAX_IOQ);
	u64 off;

	/* BAR0 rounds up to a power of two: past queue 64 are doorbell
	 * pages of queues that can never exist.
	 */
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	ASSERT_GT(bar0, (u64)LEAPIO_CQ_DB(LIO_MAX_QUEUES));
	for (off = LEAPIO_SQ_DB(1); off < bar0; off += LEAPIO_DB_STRIDE)
		bad_doorbell(_metadata, g, off, 0, DB_REG);
	fg_free(g);
}

TEST_F(q, cq_head_may_not_pass_the_tail)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;
	int i;

	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 8, SQ1, CQ1, 1));
	/* Empty: any head but the current one passes the tail. */
	bad_doorbell(_metadata, g, LEAPIO_CQ_DB(1), 1, DB_VAL);
	bad_doorbell(_metadata, g, LEAPIO_CQ_DB(1), 7, DB_VAL);

	/* Two posted: 1 and 2 are fine, 3 is not. */
	put_flush(g, &q);
	put_flush(g, &q);
	fg_ioq_ring(g, &q);
	bad_doorbell(_metadata, g, LEAPIO_CQ_DB(1), 3, DB_VAL);
	ASSERT_EQ(0, g->c->cq[1].head);
	fg_write32(g, LEAPIO_CQ_DB(1), 1);
	ASSERT_EQ(1, g->c->cq[1].head);
	/* Nor backwards past it. */
	bad_doorbell(_metadata, g, LEAPIO_CQ_DB(1), 0, DB_VAL);
	fg_write32(g, LEAPIO_CQ_DB(1), 2);
	ASSERT_EQ(2, g->c->cq[1].head);

	/* Wrapped: four more consumed, then three posted over the end:
	 * tail at 1, head at 6.
	 */
	for (i = 0; i < 4; i++)
		put_flush(g, &q);
	fg_ioq_ring(g, &q);
	fg_write32(g, LEAPIO_CQ_DB(1), 6);
	for (i = 0; i < 3; i++)
		put_flush(g, &q);
	fg_ioq_ring(g, &q);
	ASSERT_EQ(1, g->c->cq[1].tail);
	ASSERT_EQ(6, g->c->cq[1].head);
	bad_doorbell(_metadata, g, LEAPIO_CQ_DB(1), 2, DB_VAL);
	bad_doorbell(_metadata, g, LEAPIO_CQ_DB(1), 5, DB_VAL);
	fg_write32(g, LEAPIO_CQ_DB(1), 0);
	fg_write32(g, LEAPIO_CQ_DB(1), 1);
	ASSERT_EQ(1, g->c->cq[1].head);
	ASSERT_EQ(0, g->c->aer.nr_pending);
}

TEST_F(q, refused_doorbell_is_ignored)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;
	struct nvme_cqe cqe;
	int i;

	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 8, SQ1, CQ1, 1));
	for (i = 0; i < 7; i++)
		put_flush(g, &q);
	/* Refused: none of the seven runs... */
	bad_doorbell(_metadata, g, LEAPIO_SQ_DB(1), 9, DB_VAL);
	ASSERT_EQ(-1, fg_ioq_take(g, &q, &cqe));
	/* ...and a good value later runs exactly what it says. */
	fg_write32(g, LEAPIO_SQ_DB(1), 2);
	ASSERT_EQ(0, fg_ioq_take(g, &q, &cqe));
	ASSERT_EQ(0, fg_ioq_take(g, &q, &cqe));
	ASSERT_EQ(-1, fg_ioq_take(g, &q, &cqe));
}

/*
 * Bits 31:16 of a doorbell are reserved: a value with any set is refused
 * whole (common/nvme/queue_rules.h), never taken as its low 16 bits,
 * which here would name a good tail or head.
 */
TEST_F(q, doorbell_bits_31_16_are_not_the_value)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;
	struct nvme_cqe cqe;
	int i;

	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 8, SQ1, CQ1, 1));
	for (i = 0; i < 7; i++)
		put_flush(g, &q);
	bad_doorbell(_metadata, g, LEAPIO_SQ_DB(1), 0x10000 | 2, DB_VAL);
	bad_doorbell(_metadata, g, LEAPIO_SQ_DB(1), 0x80000000U | 2, DB_VAL);
	bad_doorbell(_metadata, g, LEAPIO_SQ_DB(1), 0xffff0002U, DB_VAL);
	ASSERT_EQ(0, g->c->sq[1].tail);
	ASSERT_EQ(-1, fg_ioq_take(g, &q, &cqe));
	/* The same low bits alone: two run, two CQEs posted. */
	fg_write32(g, LEAPIO_SQ_DB(1), 2);
	ASSERT_EQ(2, g->c->cq[1].tail);
	/* Head 2 would release both; with bit 16 or 31 it is refused. */
	bad_doorbell(_metadata, g, LEAPIO_CQ_DB(1), 0x10000 | 2, DB_VAL);
	bad_doorbell(_metadata, g, LEAPIO_CQ_DB(1), 0x80000000U | 2, DB_VAL);
	bad_doorbell(_metadata, g, LEAPIO_CQ_DB(1), 0xffffffffU, DB_VAL);
	ASSERT_EQ(0, g->c->cq[1].head);
	fg_write32(g, LEAPIO_CQ_DB(1), 2);
	ASSERT_EQ(2, g->c->cq[1].head);
	/* The admin queue's doorbells too. */
	bad_doorbell(_metadata, g, LEAPIO_SQ_DB(0), 0x10000 | g->asq_tail,
		     DB_VAL);
}

TEST_F(q, doorbell_page_padding_is_not_a_register)
{
	struct fake_guest *g = self->g;
	struct nvme_cqe cqe;
	struct fg_ioq q;

	submit_aer(g);
	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 8, SQ1, CQ1, 1));
	put_flush(g, &q);
	self->saved = fg_mem_save(g);
	fg_write32(g, LEAPIO_SQ_DB(1) + 4, 1);
	fg_write32(g, LEAPIO_SQ_DB(1) + 0xffc, 1);
	fg_write32(g, LEAPIO_CQ_DB(2) + 8, 0xffffffff);
	fg_write64(g, LEAPIO_SQ_DB(3) + 8, ~0ULL);
	ASSERT_TRUE(fg_mem_unchanged(g, self->saved));
	ASSERT_EQ(-1, fg_admin_reap(g, &cqe));
	ASSERT_EQ(0, g->c->aer.nr_pending);
	/* An 8-byte write at a doorbell is the doorbell and its padding. */
	fg_write64(g, LEAPIO_SQ_DB(1), 0xffffffff00000001ULL);
	ASSERT_EQ(0, fg_ioq_take(g, &q, &cqe));
}

TEST_F(q, cq_post_and_full)
{
	struct lio_vctrl *c = self->g->c;
	struct nvme_cqe *e = fg_ptr(self->g, CQ1);

	ASSERT_EQ(0, fg_create_cq(self->g, 1, 2, CQ1, 1, true));
	/* Missing CQs have no room and take nothing. */
	ASSERT_TRUE(lio_cq_full(c, 2));
	ASSERT_EQ(-EINVAL, lio_cq_post(c, 2, 1, 7, 0, 0));
	ASSERT_EQ(-EINVAL, lio_cq_post(c, LIO_MAX_QUEUES, 1, 7, 0, 0));
	ASSERT_EQ(-EINVAL, lio_cq_post(c, 0xffff, 1, 7, 0, 0));
	ASSERT_EQ(-EINVAL, lio_cq_post(c, 1, LIO_MAX_QUEUES, 7, 0, 0));
	ASSERT_EQ(-EINVAL, lio_cq_post(c, 1, 0xffff, 7, 0, 0));

	/* Two entries hold one. */
	ASSERT_FALSE(lio_cq_full(c, 1));
	ASSERT_EQ(0, lio_cq_post(c, 1, 1, 7, NVME_SC_INVALID_FIELD, 0xabcd));
	ASSERT_TRUE(lio_cq_full(c, 1));
	ASSERT_EQ(-ENOSPC, lio_cq_post(c, 1, 1, 8, 0, 0));
	ASSERT_EQ(0xabcdU, le32_to_cpu(e[0].dw0));
	ASSERT_EQ(7, le16_to_cpu(e[0].cid));
	ASSERT_EQ(1, le16_to_cpu(e[0].sq_id));
	ASSERT_EQ(NVME_SC_INVALID_FIELD | 1, le16_to_cpu(e[0].status));

	/* Around the end: the phase flips, whatever bit 0 was passed. */
	fg_write32(self->g, LEAPIO_CQ_DB(1), 1);
	ASSERT_EQ(0, lio_cq_post(c, 1, 1, 8, NVME_SC_SUCCESS, 0));
	ASSERT_EQ(1, le16_to_cpu(e[1].status));
	fg_write32(self->g, LEAPIO_CQ_DB(1), 0);
	ASSERT_EQ(0, lio_cq_post(c, 1, 1, 9, NVME_SC_INVALID_FIELD | 1, 0));
	ASSERT_EQ(NVME_SC_INVALID_FIELD, le16_to_cpu(e[0].status));
	ASSERT_EQ(9, le16_to_cpu(e[0].cid));
	ASSERT_EQ(0, self->g->c->aer.nr_pending);

	/* A failed controller posts nothing. */
	self->g->c->csts |= NVME_CSTS_CFS;
	fg_write32(self->g, LEAPIO_CQ_DB(1), 1);
	ASSERT_EQ(-EINVAL, lio_cq_post(c, 1, 1, 10, 0, 0));
}

/* ---- Doorbell Buffer Config ---- */

static u32 slot(struct fake_guest *g, u64 base, u32 idx)
{
	return le32_to_cpu(*(__le32 *)fg_ptr(g, base + (u64)idx * LEAPIO_DB_STRIDE));
}

static u16 dbbuf(struct fake_guest *g, u64 shadow, u64 ei)
{
	return admin_raw(g, nvme_admin_dbbuf, 0, 0, shadow, ei);
}

/* Linux's test whether a shadow doorbell update needs the MMIO write. */
static bool need_event(u16 event_idx, u16 new_idx, u16 old)
{
	return (u16)(new_idx - event_idx - 1) < (u16)(new_idx - old);
}

TEST_F(q, dbbuf_checks)
{
	struct fake_guest *g = self->g;
	u16 st;

	st = dbbuf(g, 0, EVENTIDX);
	EXPECT_FAIL(g, st, NVME_SC_INVALID_FIELD, 24);
	st = dbbuf(g, SHADOW + 4, EVENTIDX);
	EXPECT_FAIL(g, st, NVME_SC_INVALID_FIELD, 24);
	st = dbbuf(g, SHADOW + 0x800, EVENTIDX);
	EXPECT_FAIL(g, st, NVME_SC_INVALID_FIELD, 24);
	st = dbbuf(g, SHADOW, 0);
	EXPECT_FAIL(g, st, NVME_SC_INVALID_FIELD, 32);
	st = dbbuf(g, SHADOW, EVENTIDX + 8);
	EXPECT_FAIL(g, st, NVME_SC_INVALID_FIELD, 32);
	ASSERT_FALSE(g->c->dbbuf);
	ASSERT_EQ(NVME_SC_SUCCESS, dbbuf(g, SHADOW, EVENTIDX));
	ASSERT_TRUE(g->c->dbbuf);
}

TEST_F(q, dbbuf_write_back)
{
	struct fake_guest *g = self->g;
	u32 size = (NR_IOQ + 1) * 2 * LEAPIO_DB_STRIDE;
	struct fg_ioq q, q2;
	struct nvme_cqe cqe;
	u16 next;

	memset(fg_ptr(g, SHADOW), 0xaa, size);
	memset(fg_ptr(g, EVENTIDX), 0xaa, size);
	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 8, SQ1, CQ1, 1));
	put_flush(g, &q);
	put_flush(g, &q);
	fg_ioq_ring(g, &q);
	ASSERT_EQ(0, fg_ioq_take(g, &q, &cqe));
	fg_ioq_ack(g, &q);

	/* The buffers start out with the doorbells as they stand, in
	 * slots spaced like the registers (Linux's layout).
	 */
	ASSERT_EQ(NVME_SC_SUCCESS, dbbuf(g, SHADOW, EVENTIDX));
	ASSERT_EQ(g->asq_tail, slot(g, SHADOW, 0));
	ASSERT_EQ(g->asq_tail, slot(g, EVENTIDX, 0));
	ASSERT_EQ(g->c->cq[0].head, slot(g, SHADOW, 1));
	ASSERT_EQ(2U, slot(g, SHADOW, 2));
	ASSERT_EQ(2U, slot(g, EVENTIDX, 2));
	ASSERT_EQ(1U, slot(g, SHADOW, 3));
	ASSERT_EQ(1U, slot(g, EVENTIDX, 3));
	ASSERT_EQ(0xaaaaaaaaU, slot(g, SHADOW, 4));
	ASSERT_EQ(0xaaaaaaaaU, slot(g, EVENTIDX, 9));

	/* Every doorbell written is reflected, EventIdx at the value. */
	put_flush(g, &q);
	fg_ioq_ring(g, &q);
	ASSERT_EQ(3U, slot(g, SHADOW, 2));
	ASSERT_EQ(3U, slot(g, EVENTIDX, 2));
	fg_ioq_take(g, &q, &cqe);
	fg_ioq_take(g, &q, &cqe);
	fg_ioq_ack(g, &q);
	ASSERT_EQ(3U, slot(g, SHADOW, 3));
	ASSERT_EQ(3U, slot(g, EVENTIDX, 3));
	/* So the guest rings for its next update, whatever it is. */
	for (next = 0; next < 8; next++) {
		if (next != 3)
			ASSERT_TRUE(need_event(slot(g, EVENTIDX, 2), next, 3));
	}

	/* The admin queue's too. */
	ASSERT_EQ(0, get_arbitration(g));
	ASSERT_EQ(g->asq_tail, slot(g, SHADOW, 0));
	ASSERT_EQ(g->acq_head, slot(g, SHADOW, 1));
	ASSERT_EQ(g->acq_head, slot(g, EVENTIDX, 1));

	/* A queue created later starts with clean slots. */
	ASSERT_EQ(0, fg_ioq_create(g, &q2, 2, 8, SQ2, CQ2, 2));
	ASSERT_EQ(0U, slot(g, SHADOW, 4));
	ASSERT_EQ(0U, slot(g, EVENTIDX, 4));
	ASSERT_EQ(0U, slot(g, SHADOW, 5));
	ASSERT_EQ(0U, slot(g, EVENTIDX, 5));
	ASSERT_EQ(0xaaaaaaaaU, slot(g, SHADOW, 6));

	/* A refused doorbell writes nothing back. */
	bad_doorbell(_metadata, g, LEAPIO_SQ_DB(2), 9, DB_VAL);
	ASSERT_EQ(0U, slot(g, SHADOW, 4));
	bad_doorbell(_metadata, g, LEAPIO_SQ_DB(3), 1, DB_REG);
	ASSERT_EQ(0xaaaaaaaaU, slot(g, SHADOW, 6));
}

TEST_F(q, dbbuf_off_after_reset)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;

	ASSERT_EQ(NVME_SC_SUCCESS, dbbuf(g, SHADOW, EVENTIDX));
	fg_disable(g);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 8, SQ1, CQ1, 1));
	memset(fg_ptr(g, SHADOW), 0x55, 4 * LEAPIO_DB_STRIDE);
	memset(fg_ptr(g, EVENTIDX), 0x55, 4 * LEAPIO_DB_STRIDE);
	put_flush(g, &q);
	fg_ioq_ring(g, &q);
	ASSERT_TRUE(fg_filled(fg_ptr(g, SHADOW), 0x55, 4 * LEAPIO_DB_STRIDE));
	ASSERT_TRUE(fg_filled(fg_ptr(g, EVENTIDX), 0x55, 4 * LEAPIO_DB_STRIDE));
}

TEST_HARNESS_MAIN
