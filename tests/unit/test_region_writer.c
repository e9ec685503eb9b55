// SPDX-License-Identifier: GPL-2.0
/*
 * The region writer (common/leapio/region_writer.c), the one writer of the
 * driver's side of the shared region in leapio_host.ko and in leapiod's
 * fake host: each call's contents, the sequence the module's data path
 * runs (kernel/host/datapath.c: reset, enable, create, delete, reset
 * again, with the SMART fold), the translation entries as the reader
 * (leapio_xlate_lookup(), leapiod's) sees them, and every refusal, which
 * writes nothing. The view's header is a private copy, as in the module:
 * bounds never come from the region a runtime can scribble on.
 */
#include <stdlib.h>

/* The harness compares expected and seen in their own types (EXPECT_EQ(0, u32)). */
#pragma GCC diagnostic ignored "-Wsign-compare"

#include "../lib/lio_harness.h"
#include "../../common/leapio/region_writer.h"

#define NR_IOQ		4
#define L1_ENTRIES	8
#define L2_TABLES	4
#define MB2		(1ULL << 21)
#define HPA		0x4000000000ULL

FIXTURE(wr) {
	void *base;
	void *copy;
	u64 size;
	struct leapio_region_hdr layout;	/* the writer's private copy */
	struct leapio_region_view v;
	struct leapio_wr w;
	u32 seq;
};

FIXTURE_SETUP(wr)
{
	self->size = leapio_region_layout(&self->layout, NR_IOQ, L1_ENTRIES,
					  L2_TABLES);
	self->base = aligned_alloc(4096, self->size);
	self->copy = malloc(self->size);
	ASSERT_NE(NULL, self->base);
	ASSERT_NE(NULL, self->copy);
	memset(self->base, 0, self->size);
	memcpy(self->base, &self->layout, sizeof(self->layout));
	leapio_region_view(&self->v, self->base);
	self->v.hdr = &self->layout;
	memset(&self->w, 0, sizeof(self->w));
	self->seq = 0;
}

FIXTURE_TEARDOWN(wr)
{
	free(self->copy);
	free(self->base);
}

static u32 db(const struct leapio_region_view *v, u32 idx)
{
	return le32_to_cpu(*leapio_db_ptr(v, idx));
}

/* Snapshot the region and the writer's state, to see a refusal change nothing. */
static void snap(FIXTURE_DATA(wr) *self)
{
	memcpy(self->copy, self->base, self->size);
}

static bool unchanged(FIXTURE_DATA(wr) *self)
{
	return !memcmp(self->copy, self->base, self->size);
}

static const struct leapio_wr_sq sq1 = { .gpa = 0x10000, .size = 64,
					 .cqid = 1, .prio = 2 };
static const struct leapio_wr_cq cq1 = { .gpa = 0x20000, .size = 32,
					 .vector = 3, .ien = true };

/* A runtime's leftovers of an earlier queue with the same qid. */
static void scribble_queue(struct leapio_region_view *v, u16 qid)
{
	v->sq[qid].head = 7;
	v->sq[qid].cmds_read = 11;
	v->sq[qid].cmds_written = 12;
	v->sq[qid].bytes_read = 13;
	v->sq[qid].bytes_written = 14;
	v->cq[qid].tail = 9;
	v->cq[qid].phase = 0;
	*leapio_db_ptr(v, 2 * qid) = cpu_to_le32(5);
	*leapio_db_ptr(v, 2 * qid + 1) = cpu_to_le32(6);
}

TEST_F(wr, publish_sq_and_cq)
{
	struct leapio_sq_desc *s = &self->v.sq[2];
	struct leapio_cq_desc *c = &self->v.cq[2];

	scribble_queue(&self->v, 2);
	ASSERT_EQ(0, leapio_wr_publish_cq(&self->w, &self->v, 2, &cq1));
	EXPECT_EQ(1, c->valid);
	EXPECT_EQ(0x20000, c->gpa);
	EXPECT_EQ(32, c->size);
	EXPECT_EQ(3, c->vector);
	EXPECT_EQ(1, c->ien);
	EXPECT_EQ(1, c->qgen);
	EXPECT_EQ(0, c->tail);
	EXPECT_EQ(1, c->phase);
	EXPECT_EQ(0, db(&self->v, 5));
	EXPECT_EQ(5, db(&self->v, 4));	/* the SQ's is not the CQ's business */

	ASSERT_EQ(0, leapio_wr_publish_sq(&self->w, &self->v, 2, &sq1));
	EXPECT_EQ(1, s->valid);
	EXPECT_EQ(0x10000, s->gpa);
	EXPECT_EQ(64, s->size);
	EXPECT_EQ(1, s->cqid);
	EXPECT_EQ(2, s->prio);
	EXPECT_EQ(2, s->qgen);
	EXPECT_EQ(0, s->head);
	EXPECT_EQ(0, s->cmds_read + s->cmds_written + s->bytes_read +
		     s->bytes_written);
	EXPECT_EQ(0, db(&self->v, 4));
	/* Nothing of the other queues moved. */
	EXPECT_EQ(0, self->v.sq[1].valid | self->v.cq[1].valid |
		     self->v.sq[3].valid | self->v.cq[3].valid);
}

/* One generation counter for all queues: a qid reused is a new queue. */
TEST_F(wr, qgen_grows_across_queues)
{
	ASSERT_EQ(0, leapio_wr_publish_cq(&self->w, &self->v, 1, &cq1));
	ASSERT_EQ(0, leapio_wr_publish_sq(&self->w, &self->v, 1, &sq1));
	ASSERT_EQ(0, leapio_wr_publish_cq(&self->w, &self->v, 4, &cq1));
	ASSERT_EQ(0, leapio_wr_sq_invalidate(&self->v, 1));
	EXPECT_EQ(0, self->v.sq[1].valid);
	EXPECT_EQ(2, self->v.sq[1].qgen);	/* kept for the journal */
	ASSERT_EQ(0, leapio_wr_publish_sq(&self->w, &self->v, 1, &sq1));
	EXPECT_EQ(1, self->v.cq[1].qgen);
	EXPECT_EQ(3, self->v.cq[4].qgen);
	EXPECT_EQ(4, self->v.sq[1].qgen);
	EXPECT_EQ(4, self->w.qgen);
	ASSERT_EQ(0, leapio_wr_cq_invalidate(&self->v, 4));
	EXPECT_EQ(0, self->v.cq[4].valid);
	EXPECT_EQ(1, self->v.cq[1].valid);
}

TEST_F(wr, bad_qid_writes_nothing)
{
	struct leapio_wr_smart s = {};
	struct leapio_wr before = self->w;
	u16 bad[] = { 0, NR_IOQ + 1, 0xffff };
	unsigned int i;

	snap(self);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, leapio_wr_publish_sq(&self->w, &self->v,
							bad[i], &sq1));
		EXPECT_EQ(-EINVAL, leapio_wr_publish_cq(&self->w, &self->v,
							bad[i], &cq1));
		EXPECT_EQ(-EINVAL, leapio_wr_sq_invalidate(&self->v, bad[i]));
		EXPECT_EQ(-EINVAL, leapio_wr_cq_invalidate(&self->v, bad[i]));
		EXPECT_EQ(-EINVAL, leapio_wr_fold_sq(&self->w, &self->v, bad[i]));
		EXPECT_EQ(-EINVAL, leapio_wr_smart_sq(&self->v, bad[i], &s));
		EXPECT_EQ(-EINVAL, leapio_wr_handover_sq(&self->v, bad[i], 1, 2,
							 true));
		EXPECT_EQ(-EINVAL, leapio_wr_handover_cq(&self->v, bad[i], 1, 0,
							 2, true));
	}
	EXPECT_EQ(-EINVAL, leapio_wr_doorbell(&self->v, 2 * (NR_IOQ + 1), 1));
	EXPECT_EQ(-EINVAL, leapio_wr_doorbell(&self->v, 0xffffffff, 1));
	EXPECT_TRUE(unchanged(self));
	EXPECT_EQ(0, memcmp(&before, &self->w, sizeof(before)));
	EXPECT_EQ(0, s.cmds_read);
}

/* A runtime that rewrites the header does not move the writer's bounds. */
TEST_F(wr, bounds_from_the_private_header)
{
	struct leapio_region_hdr *shared = self->base;

	shared->nr_ioq = 0xffff;
	shared->nr_db = 0xffffffff;
	shared->l1_entries = ~0ULL;
	shared->l2_tables = ~0ULL;
	snap(self);
	EXPECT_EQ(-EINVAL, leapio_wr_publish_sq(&self->w, &self->v, NR_IOQ + 1,
						&sq1));
	EXPECT_EQ(-EINVAL, leapio_wr_doorbell(&self->v, 2 * NR_IOQ + 2, 1));
	EXPECT_EQ(-EINVAL, leapio_wr_xlate_set_2m(&self->v, L1_ENTRIES, 0));
	EXPECT_EQ(-EINVAL, leapio_wr_xlate_wipe(&self->v, L2_TABLES));
	EXPECT_TRUE(unchanged(self));
}

TEST_F(wr, reset)
{
	struct leapio_vdev_ctrl *c = self->v.ctrl;
	u16 q;

	for (q = 1; q <= NR_IOQ; q++) {
		ASSERT_EQ(0, leapio_wr_publish_cq(&self->w, &self->v, q, &cq1));
		ASSERT_EQ(0, leapio_wr_publish_sq(&self->w, &self->v, q, &sq1));
	}
	leapio_wr_put_dbbuf(&self->v, true, 0x3000, 0x4000);
	leapio_wr_set_state(&self->v, LEAPIO_VDEV_READY);
	EXPECT_EQ(1, leapio_wr_reset(&self->w, &self->v));
	EXPECT_EQ(LEAPIO_VDEV_OFF, c->state);
	EXPECT_EQ(1, c->generation);
	EXPECT_EQ(0, c->dbbuf);
	for (q = 1; q <= NR_IOQ; q++)
		EXPECT_EQ(0, self->v.sq[q].valid | self->v.cq[q].valid);
	EXPECT_EQ(2, leapio_wr_reset(&self->w, &self->v));
	EXPECT_EQ(2, c->generation);
	/* qgen goes on across resets: journal entries stay distinct. */
	ASSERT_EQ(0, leapio_wr_publish_sq(&self->w, &self->v, 1, &sq1));
	EXPECT_EQ(2 * NR_IOQ + 1, self->v.sq[1].qgen);
}

TEST_F(wr, controller_fields)
{
	struct leapio_vdev_ctrl *c = self->v.ctrl;
	struct leapio_wr_geometry g = { .nsze = 1 << 20, .lba_shift = 12,
					.mdts = 6, .page_shift = 13 };
	struct leapio_wr_features f = { .irq_cd = { 5, 1ULL << 63 },
					.irq_coalesce = 0x1203, .vwc = true };
	struct leapio_wr_irq irq = { .masked = { 0x10, 2 },
				     .mode = LEAPIO_IRQ_INTX, .irq_seq = 9 };

	leapio_wr_put_geometry(&self->v, &g);
	leapio_wr_put_features(&self->v, &f);
	leapio_wr_put_irq(&self->v, &irq);
	EXPECT_EQ(1 << 20, c->nsze);
	EXPECT_EQ(12, c->lba_shift);
	EXPECT_EQ(6, c->mdts);
	EXPECT_EQ(13, c->page_shift);
	EXPECT_EQ(1, c->vwc);
	EXPECT_EQ(0x1203, c->irq_coalesce);
	EXPECT_EQ(5, c->irq_cd[0]);
	EXPECT_EQ(1ULL << 63, c->irq_cd[1]);
	EXPECT_EQ(LEAPIO_IRQ_INTX, c->irq_mode);
	EXPECT_EQ(0x10, c->msix_masked[0]);
	EXPECT_EQ(2, c->msix_masked[1]);
	EXPECT_EQ(9, c->irq_seq);

	leapio_wr_put_dbbuf(&self->v, true, 0x3000, 0x4000);
	EXPECT_EQ(1, c->dbbuf);
	EXPECT_EQ(0x3000, c->dbbuf_shadow);
	EXPECT_EQ(0x4000, c->dbbuf_eventidx);
	/* Off: the GPAs go too, whatever the model still holds. */
	leapio_wr_put_dbbuf(&self->v, false, 0x3000, 0x4000);
	EXPECT_EQ(0, c->dbbuf | c->dbbuf_shadow | c->dbbuf_eventidx);

	leapio_wr_put_db_mapped(&self->v, true);
	EXPECT_EQ(1, c->db_mapped);
	leapio_wr_put_db_mapped(&self->v, false);
	EXPECT_EQ(0, c->db_mapped);
	leapio_wr_set_state(&self->v, LEAPIO_VDEV_FATAL);
	EXPECT_EQ(LEAPIO_VDEV_FATAL, c->state);
}

/*
 * Letting go (region minor 2): the request is let_go alone, set and
 * cleared; the runtime's answer (let_go_ack) and every other field stay
 * as they were, and the words are where the reserved ones were.
 */
TEST_F(wr, let_go)
{
	struct leapio_vdev_ctrl *c = self->v.ctrl;

	ASSERT_LE(2, LEAPIO_REGION_VERSION_MINOR);
	ASSERT_EQ(offsetof(struct leapio_vdev_ctrl, let_go) + 8,
		  offsetof(struct leapio_vdev_ctrl, seq));
	ASSERT_EQ(offsetof(struct leapio_vdev_ctrl, runtime_pid) + 4,
		  offsetof(struct leapio_vdev_ctrl, let_go_ack));
	ASSERT_EQ(256, sizeof(struct leapio_vdev_ctrl));
	c->let_go_ack = 7;
	snap(self);
	leapio_wr_put_let_go(&self->v, true);
	EXPECT_EQ(1, c->let_go);
	EXPECT_EQ(7, c->let_go_ack);
	c->let_go = 0;
	EXPECT_TRUE(unchanged(self));
	leapio_wr_put_let_go(&self->v, true);
	leapio_wr_put_let_go(&self->v, false);
	EXPECT_EQ(0, c->let_go);
	EXPECT_TRUE(unchanged(self));
	/* Its own cache line's [drv] part, not the runtime's. */
	EXPECT_LT(offsetof(struct leapio_vdev_ctrl, let_go),
		  offsetof(struct leapio_vdev_ctrl, ack));
	EXPECT_GE(offsetof(struct leapio_vdev_ctrl, let_go_ack),
		  offsetof(struct leapio_vdev_ctrl, ack));
}

/*
 * The namespace table (region minor 7): an entry's fields and its gen,
 * bumped at every write; the runtime's counters zeroed when the namespace
 * is made, left alone after; every bad argument, and a region without the
 * table, refused with nothing written.
 */
TEST_F(wr, namespace_entries)
{
	struct leapio_region_view old = self->v;
	struct leapio_ns_desc *d = leapio_ns_ptr(&self->v, 3);
	struct leapio_wr_smart sum = { .cmds_read = 1 };

	ASSERT_NE(NULL, d);
	/* What a runtime counted for an earlier namespace 3. */
	d->cmds_read = 11;
	d->cmds_written = 12;
	d->bytes_read = 13;
	d->bytes_written = 14;
	ASSERT_EQ(0, leapio_wr_put_ns(&self->v, 3, LEAPIO_NS_ATTACHED, 12, 1000, false));
	EXPECT_EQ(LEAPIO_NS_ATTACHED, d->state);
	EXPECT_EQ(12, d->lba_shift);
	EXPECT_EQ(1000, d->nsze);
	EXPECT_EQ(1, d->gen);
	EXPECT_EQ(0, d->cmds_read);
	EXPECT_EQ(0, d->cmds_written);
	EXPECT_EQ(0, d->bytes_read);
	EXPECT_EQ(0, d->bytes_written);
	/* Counted since: summed, and kept across the entry's changes. */
	d->cmds_read = 5;
	d->cmds_written = 6;
	d->bytes_read = 7;
	d->bytes_written = 8;
	ASSERT_EQ(0, leapio_wr_smart_ns(&self->v, 3, &sum));
	EXPECT_EQ(6, sum.cmds_read);
	EXPECT_EQ(6, sum.cmds_written);
	EXPECT_EQ(7, sum.bytes_read);
	EXPECT_EQ(8, sum.bytes_written);
	ASSERT_EQ(0, leapio_wr_put_ns(&self->v, 3, LEAPIO_NS_ALLOCATED, 12, 1000, false));
	EXPECT_EQ(LEAPIO_NS_ALLOCATED, d->state);
	EXPECT_EQ(2, d->gen);
	EXPECT_EQ(5, d->cmds_read);
	EXPECT_EQ(8, d->bytes_written);
	EXPECT_EQ(-EINVAL, leapio_wr_smart_ns(&self->v, 0, &sum));
	EXPECT_EQ(-EINVAL, leapio_wr_smart_ns(&self->v, LEAPIO_MAX_NS + 1, &sum));
	EXPECT_EQ(6, sum.cmds_read);
	ASSERT_EQ(0, leapio_wr_put_ns(&self->v, LEAPIO_MAX_NS, LEAPIO_NS_ABSENT,
				      9, 0, false));

	snap(self);
	EXPECT_EQ(-EINVAL, leapio_wr_put_ns(&self->v, 0, LEAPIO_NS_ATTACHED, 9, 8, false));
	EXPECT_EQ(-EINVAL, leapio_wr_put_ns(&self->v, LEAPIO_MAX_NS + 1,
					    LEAPIO_NS_ATTACHED, 9, 8, false));
	EXPECT_EQ(-EINVAL, leapio_wr_put_ns(&self->v, 1, 3, 9, 8, false));
	EXPECT_EQ(-EINVAL, leapio_wr_put_ns(&self->v, 1, LEAPIO_NS_ATTACHED, 10, 8, false));
	/* The bounds are the private header's: nr_ns there, not here. */
	self->layout.nr_ns = 2;
	EXPECT_EQ(-EINVAL, leapio_wr_put_ns(&self->v, 3, LEAPIO_NS_ATTACHED, 9, 8, false));
	self->layout.nr_ns = LEAPIO_MAX_NS;
	old.ns = NULL;		/* a region before minor 7 */
	EXPECT_EQ(-EINVAL, leapio_wr_put_ns(&old, 1, LEAPIO_NS_ATTACHED, 9, 8, false));
	EXPECT_EQ(-EINVAL, leapio_wr_smart_ns(&old, 1, &sum));
	EXPECT_TRUE(unchanged(self));
}

TEST_F(wr, handover_and_doorbells)
{
	ASSERT_EQ(0, leapio_wr_handover_sq(&self->v, 3, 17, 21, true));
	ASSERT_EQ(0, leapio_wr_handover_cq(&self->v, 3, 30, 0, 28, true));
	EXPECT_EQ(17, self->v.sq[3].head);
	EXPECT_EQ(21, db(&self->v, 6));
	EXPECT_EQ(30, self->v.cq[3].tail);
	EXPECT_EQ(0, self->v.cq[3].phase);
	EXPECT_EQ(28, db(&self->v, 7));
	/* The guest writes mmapped doorbell pages itself: those stay. */
	ASSERT_EQ(0, leapio_wr_handover_sq(&self->v, 3, 18, 99, false));
	ASSERT_EQ(0, leapio_wr_handover_cq(&self->v, 3, 31, 1, 99, false));
	EXPECT_EQ(18, self->v.sq[3].head);
	EXPECT_EQ(21, db(&self->v, 6));
	EXPECT_EQ(31, self->v.cq[3].tail);
	EXPECT_EQ(1, self->v.cq[3].phase);
	EXPECT_EQ(28, db(&self->v, 7));

	ASSERT_EQ(0, leapio_wr_doorbell(&self->v, 2 * NR_IOQ + 1, 0xabcd));
	EXPECT_EQ(0xabcd, db(&self->v, 2 * NR_IOQ + 1));
}

/*
 * kernel/host/datapath.c's life of a controller, call for call: reset,
 * enable, Create I/O CQ and SQ, I/O counted by the runtime, Delete I/O
 * SQ (bump, ack, fold), a new SQ, reset (bump, ack, fold the live one),
 * SMART summed at each step.
 */
TEST_F(wr, datapath_sequence)
{
	struct leapio_vdev_ctrl *c = self->v.ctrl;
	struct leapio_wr_geometry g = { .nsze = 4096, .lba_shift = 9,
					.mdts = 6, .page_shift = 12 };
	struct leapio_wr_features f = {};
	struct leapio_wr_irq irq = { .mode = LEAPIO_IRQ_MSIX };
	struct leapio_wr_smart s;
	u32 seq;

	/* lio_dp_reset(), no runtime: nothing to wait for */
	leapio_wr_reset(&self->w, &self->v);
	EXPECT_EQ(1, leapio_wr_bump(&self->v, &self->seq));
	EXPECT_EQ(1, c->seq);
	/* lio_dp_enabled() */
	leapio_wr_put_geometry(&self->v, &g);
	leapio_wr_put_features(&self->v, &f);
	leapio_wr_put_irq(&self->v, &irq);
	leapio_wr_put_dbbuf(&self->v, false, 0, 0);
	leapio_wr_set_state(&self->v, LEAPIO_VDEV_READY);
	EXPECT_EQ(2, leapio_wr_bump(&self->v, &self->seq));
	EXPECT_EQ(LEAPIO_VDEV_READY, c->state);
	EXPECT_EQ(1, c->generation);
	/* lio_dp_create() twice */
	ASSERT_EQ(0, leapio_wr_publish_cq(&self->w, &self->v, 1, &cq1));
	leapio_wr_bump(&self->v, &self->seq);
	ASSERT_EQ(0, leapio_wr_publish_sq(&self->w, &self->v, 1, &sq1));
	EXPECT_EQ(4, leapio_wr_bump(&self->v, &self->seq));
	/* the runtime counts */
	self->v.sq[1].cmds_read = 3;
	self->v.sq[1].bytes_read = 3 * 4096;
	self->v.sq[1].cmds_written = 1;
	self->v.sq[1].bytes_written = 512;
	memset(&s, 0, sizeof(s));
	leapio_wr_smart_gone(&self->w, &s);
	ASSERT_EQ(0, leapio_wr_smart_sq(&self->v, 1, &s));
	EXPECT_EQ(3, s.cmds_read);
	EXPECT_EQ(512, s.bytes_written);
	/* lio_dp_sq_delete(): invalidate, bump, the ack, fold */
	ASSERT_EQ(0, leapio_wr_sq_invalidate(&self->v, 1));
	seq = leapio_wr_bump(&self->v, &self->seq);
	EXPECT_FALSE(leapio_wr_acked(c->ack, seq));
	c->ack = seq;
	EXPECT_TRUE(leapio_wr_acked(c->ack, seq));
	ASSERT_EQ(0, leapio_wr_fold_sq(&self->w, &self->v, 1));
	/* a new SQ 1: its counters start at 0, the old ones are kept */
	ASSERT_EQ(0, leapio_wr_publish_sq(&self->w, &self->v, 1, &sq1));
	leapio_wr_bump(&self->v, &self->seq);
	EXPECT_EQ(3, self->v.sq[1].qgen);
	self->v.sq[1].cmds_read = 2;
	self->v.sq[1].bytes_read = 8192;
	memset(&s, 0, sizeof(s));
	leapio_wr_smart_gone(&self->w, &s);
	ASSERT_EQ(0, leapio_wr_smart_sq(&self->v, 1, &s));
	EXPECT_EQ(5, s.cmds_read);
	EXPECT_EQ(5 * 4096, s.bytes_read);
	EXPECT_EQ(1, s.cmds_written);
	EXPECT_EQ(512, s.bytes_written);
	/* lio_dp_reset(): the live SQ folds after the ack */
	EXPECT_EQ(2, leapio_wr_reset(&self->w, &self->v));
	seq = leapio_wr_bump(&self->v, &self->seq);
	EXPECT_EQ(7, seq);
	EXPECT_EQ(0, self->v.sq[1].valid | self->v.cq[1].valid);
	ASSERT_EQ(0, leapio_wr_fold_sq(&self->w, &self->v, 1));
	memset(&s, 0, sizeof(s));
	leapio_wr_smart_gone(&self->w, &s);
	EXPECT_EQ(5, s.cmds_read);
	EXPECT_EQ(5 * 4096, s.bytes_read);
}

TEST_F(wr, seq_and_ack)
{
	self->seq = 0xfffffffe;
	EXPECT_EQ(0xffffffff, leapio_wr_bump(&self->v, &self->seq));
	EXPECT_EQ(0, leapio_wr_bump(&self->v, &self->seq));
	EXPECT_EQ(0, self->v.ctrl->seq);
	EXPECT_TRUE(leapio_wr_acked(5, 5));
	EXPECT_TRUE(leapio_wr_acked(6, 5));	/* a later ack covers it */
	EXPECT_FALSE(leapio_wr_acked(4, 5));
	EXPECT_TRUE(leapio_wr_acked(0, 0xffffffff));	/* across the wrap */
	EXPECT_FALSE(leapio_wr_acked(0xffffffff, 0));
}

/* Entries as the runtime's lookup reads them. */
TEST_F(wr, translations)
{
	u64 span, e;

	/* block 1: a 2 MiB leaf */
	ASSERT_EQ(0, leapio_wr_xlate_set_2m(&self->v, 1, HPA));
	e = leapio_xlate_lookup(&self->v, MB2 + 0x1234, &span);
	EXPECT_EQ(LEAPIO_XLATE_VALID | LEAPIO_XLATE_LEAF | LEAPIO_XLATE_WRITE |
		  HPA, e);
	EXPECT_EQ(MB2 - 0x1234, span);

	/* block 2: two 4 KiB leaves in table 3, then the hook */
	self->v.l2[3 * LEAPIO_L2_ENTRIES + 100] = cpu_to_le64(~0ULL);
	ASSERT_EQ(0, leapio_wr_xlate_wipe(&self->v, 3));
	EXPECT_EQ(0, self->v.l2[3 * LEAPIO_L2_ENTRIES + 100]);
	ASSERT_EQ(0, leapio_wr_xlate_set_4k(&self->v, 3, 5, HPA + 0x5000));
	ASSERT_EQ(0, leapio_wr_xlate_set_4k(&self->v, 3, 6, HPA + 0x9000));
	/* not reachable before the hook */
	EXPECT_EQ(0, leapio_xlate_lookup(&self->v, 2 * MB2 + 0x5000, &span));
	ASSERT_EQ(0, leapio_wr_xlate_hook(&self->v, 2, 3));
	EXPECT_EQ(LEAPIO_XLATE_VALID | (3ULL << 12), le64_to_cpu(self->v.l1[2]));
	e = leapio_xlate_lookup(&self->v, 2 * MB2 + 0x5010, &span);
	EXPECT_EQ(LEAPIO_XLATE_VALID | LEAPIO_XLATE_LEAF | LEAPIO_XLATE_WRITE |
		  (HPA + 0x5000), e);
	EXPECT_EQ(0x1000 - 0x10, span);
	EXPECT_TRUE(leapio_xlate_range_ok(&self->v, 2 * MB2 + 0x5800, 0x1000));
	EXPECT_FALSE(leapio_xlate_range_ok(&self->v, 2 * MB2 + 0x6800, 0x1000));
	EXPECT_EQ(0, leapio_xlate_lookup(&self->v, 2 * MB2 + 0x7000, &span));

	ASSERT_EQ(0, leapio_wr_xlate_clear_4k(&self->v, 3, 5));
	EXPECT_EQ(0, leapio_xlate_lookup(&self->v, 2 * MB2 + 0x5000, &span));
	EXPECT_NE(0, leapio_xlate_lookup(&self->v, 2 * MB2 + 0x6000, &span));
	ASSERT_EQ(0, leapio_wr_xlate_clear(&self->v, 2));
	EXPECT_EQ(0, leapio_xlate_lookup(&self->v, 2 * MB2 + 0x6000, &span));
	ASSERT_EQ(0, leapio_wr_xlate_clear(&self->v, 1));
	EXPECT_EQ(0, leapio_xlate_lookup(&self->v, MB2, &span));
}

TEST_F(wr, bad_translations_write_nothing)
{
	snap(self);
	EXPECT_EQ(-EINVAL, leapio_wr_xlate_set_2m(&self->v, L1_ENTRIES, HPA));
	EXPECT_EQ(-EINVAL, leapio_wr_xlate_set_2m(&self->v, 0, HPA + 0x1000));
	EXPECT_EQ(-EINVAL, leapio_wr_xlate_set_2m(&self->v, 0, 1ULL << 52));
	EXPECT_EQ(-EINVAL, leapio_wr_xlate_set_4k(&self->v, L2_TABLES, 0, HPA));
	EXPECT_EQ(-EINVAL, leapio_wr_xlate_set_4k(&self->v, 0, LEAPIO_L2_ENTRIES,
						  HPA));
	EXPECT_EQ(-EINVAL, leapio_wr_xlate_set_4k(&self->v, 0, 0, HPA + 0x800));
	EXPECT_EQ(-EINVAL, leapio_wr_xlate_set_4k(&self->v, 0, 0, 1ULL << 52));
	EXPECT_EQ(-EINVAL, leapio_wr_xlate_clear_4k(&self->v, L2_TABLES, 0));
	EXPECT_EQ(-EINVAL, leapio_wr_xlate_clear_4k(&self->v, 0,
						    LEAPIO_L2_ENTRIES));
	EXPECT_EQ(-EINVAL, leapio_wr_xlate_wipe(&self->v, L2_TABLES));
	EXPECT_EQ(-EINVAL, leapio_wr_xlate_hook(&self->v, L1_ENTRIES, 0));
	EXPECT_EQ(-EINVAL, leapio_wr_xlate_hook(&self->v, 0, L2_TABLES));
	EXPECT_EQ(-EINVAL, leapio_wr_xlate_clear(&self->v, L1_ENTRIES));
	EXPECT_EQ(-EINVAL, leapio_wr_xlate_clear(&self->v, ~0ULL));
	EXPECT_TRUE(unchanged(self));
}

TEST_HARNESS_MAIN
