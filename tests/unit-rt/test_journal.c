// SPDX-License-Identifier: GPL-2.0
/*
 * The journal across a runtime killed at each step of its protocol (see
 * struct leapio_inflight): the region is left as the dead process would
 * have left it, a new runtime attaches, and the guest must see every
 * fetched command's CQE exactly once, the next command's CQE right after
 * it, and its data written.
 */
#include <string.h>

#include "../lib/lio_harness.h"
#include "fake_host.h"

#define NSZE		8192
#define SQ_GPA		0x10000
#define CQ_GPA		0x20000
#define DATA_GPA	0x100000
#define QSIZE		16

enum crash_at {
	FETCH_BEFORE_HEAD,	/* ISSUED, the SQ head not yet advanced */
	AT_BACKEND,		/* ISSUED, head advanced */
	BEFORE_COMPLETING,	/* cq_pos written, state still ISSUED */
	COMPLETING_NO_CQE,	/* COMPLETING, CQE not written */
	CQE_NO_TAIL,		/* CQE written, the CQ tail not advanced */
	TAIL_NOT_FREED,		/* tail advanced, state still COMPLETING */
};

FIXTURE(journal) {
	struct fake_host h;
};

FIXTURE_VARIANT(journal) {
	enum crash_at at;
};

FIXTURE_VARIANT_ADD(journal, fetch_before_head) { .at = FETCH_BEFORE_HEAD };
FIXTURE_VARIANT_ADD(journal, at_backend) { .at = AT_BACKEND };
FIXTURE_VARIANT_ADD(journal, before_completing) { .at = BEFORE_COMPLETING };
FIXTURE_VARIANT_ADD(journal, completing_no_cqe) { .at = COMPLETING_NO_CQE };
FIXTURE_VARIANT_ADD(journal, cqe_no_tail) { .at = CQE_NO_TAIL };
FIXTURE_VARIANT_ADD(journal, tail_not_freed) { .at = TAIL_NOT_FREED };

/* One queue pair, served. */
static void setup_pair(struct fake_host *h)
{
	fh_init(h, 2, NSZE, 9);
	fh_create_cq(h, 1, CQ_GPA, QSIZE, 1, true);
	fh_create_sq(h, 1, SQ_GPA, QSIZE, 1);
	fh_poll(h, 2);
}

static void teardown_pair(struct fake_host *h)
{
	fh_release(h, 0);
	fh_fini(h);
}

FIXTURE_SETUP(journal)
{
	setup_pair(&self->h);
}

FIXTURE_TEARDOWN(journal)
{
	teardown_pair(&self->h);
}

/* The journal without a crash point: generations and queues. */
FIXTURE(journal_gen) {
	struct fake_host h;
};

FIXTURE_SETUP(journal_gen)
{
	setup_pair(&self->h);
}

FIXTURE_TEARDOWN(journal_gen)
{
	teardown_pair(&self->h);
}

static void fill(u8 *p, size_t n, u8 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(seed ^ (i * 13));
}

/* Undo the CQE the runtime posted in slot pos: the guest never saw it. */
static void unpost(struct fake_host *h, u16 cqid, u16 pos)
{
	memset(h->gmem + h->r.cq[cqid].gpa + (u64)pos * 16, 0, 16);
}

TEST_F(journal, crash)
{
	struct fake_host *h = &self->h;
	struct leapio_inflight *e;
	struct nvme_sqe s;
	struct nvme_cqe c;
	unsigned int got = 0, i;
	bool held = variant->at <= AT_BACKEND;

	/* Two commands done before, so that the queues are not at 0. */
	for (i = 0; i < 2; i++) {
		fh_rw_sqe(&s, nvme_cmd_read, 100 + i, 0, 1, DATA_GPA, 0);
		fh_submit(h, 1, &s);
		fh_poll(h, 2);
		ASSERT_TRUE(fh_reap(h, 1, &c));
	}
	fill(h->gmem + DATA_GPA, 4096, 0x5a);
	h->hold = held;
	fh_rw_sqe(&s, nvme_cmd_write, 7, 40, 8, DATA_GPA, 0);
	fh_submit(h, 1, &s);
	fh_poll(h, 2);
	e = fh_journal(h, 1, 7);
	ASSERT_NE(NULL, e);
	ASSERT_EQ(3, h->r.sq[1].head);
	if (held) {
		ASSERT_EQ(1, h->nr_held);
		ASSERT_EQ(LEAPIO_INFLIGHT_ISSUED, e->state);
	} else {
		ASSERT_EQ(LEAPIO_INFLIGHT_FREE, e->state);
		ASSERT_EQ(3, h->r.cq[1].tail);
		ASSERT_EQ(2, e->cq_pos);
	}

	/* The runtime dies: whatever its backend held is gone with it. */
	h->nr_held = 0;
	h->hold = false;
	fh_detach(h);
	memset(h->store + 40 * 512, 0, 4096);
	switch (variant->at) {
	case FETCH_BEFORE_HEAD:
		h->r.sq[1].head = 2;
		break;
	case AT_BACKEND:
		break;
	case BEFORE_COMPLETING:
		e->state = LEAPIO_INFLIGHT_ISSUED;
		h->r.cq[1].tail = 2;
		unpost(h, 1, 2);
		break;
	case COMPLETING_NO_CQE:
		e->state = LEAPIO_INFLIGHT_COMPLETING;
		h->r.cq[1].tail = 2;
		unpost(h, 1, 2);
		break;
	case CQE_NO_TAIL:
		e->state = LEAPIO_INFLIGHT_COMPLETING;
		h->r.cq[1].tail = 2;
		break;
	case TAIL_NOT_FREED:
		e->state = LEAPIO_INFLIGHT_COMPLETING;
		break;
	}
	fh_attach(h);
	fh_poll(h, 3);
	/* What the new runtime found in the journal, as it logs it. */
	EXPECT_EQ(variant->at <= BEFORE_COMPLETING, h->v.recovered.redo);
	EXPECT_EQ(variant->at == COMPLETING_NO_CQE || variant->at == CQE_NO_TAIL,
		  h->v.recovered.posted);
	EXPECT_EQ(0, h->v.recovered.stale);

	/* The next command goes right after, in the same CQ. */
	fh_rw_sqe(&s, nvme_cmd_read, 8, 0, 1, DATA_GPA + 0x1000, 0);
	fh_submit(h, 1, &s);
	fh_poll(h, 3);
	while (fh_reap(h, 1, &c)) {
		EXPECT_EQ(got ? 8 : 7, le16_to_cpu(c.cid));
		EXPECT_EQ(0, le16_to_cpu(c.status) & ~1U);
		got++;
	}
	EXPECT_EQ(2, got);
	EXPECT_EQ(4, h->r.sq[1].head);
	EXPECT_EQ(4, h->r.cq[1].tail);
	EXPECT_EQ(1, h->r.cq[1].phase);
	/* The write ran again where it had to (the store lost it). */
	if (variant->at <= BEFORE_COMPLETING)
		EXPECT_EQ(0, memcmp(h->store + 40 * 512, h->gmem + DATA_GPA,
				    4096));
	for (i = 0; i < LEAPIO_INFLIGHT_PER_SQ; i++)
		EXPECT_EQ(LEAPIO_INFLIGHT_FREE,
			  leapio_inflight_ptr(&h->r, 1, i)->state);
}

/* Entries of an older controller generation or queue are dropped. */
TEST_F(journal_gen, stale_entries_dropped)
{
	struct fake_host *h = &self->h;
	struct leapio_inflight *e;
	struct nvme_sqe s;
	struct nvme_cqe c;

	h->hold = true;
	fh_rw_sqe(&s, nvme_cmd_write, 5, 0, 1, DATA_GPA, 0);
	fh_submit(h, 1, &s);
	fh_poll(h, 2);
	e = fh_journal(h, 1, 5);
	ASSERT_NE(NULL, e);
	h->nr_held = 0;
	h->hold = false;
	fh_detach(h);
	/* While no runtime ran, the guest reset and made its queues anew. */
	fh_reset(h);
	h->r.ctrl->state = LEAPIO_VDEV_READY;
	fh_create_cq(h, 1, CQ_GPA, QSIZE, 1, true);
	fh_create_sq(h, 1, SQ_GPA, QSIZE, 1);
	fh_attach(h);
	fh_poll(h, 3);
	EXPECT_FALSE(fh_reap(h, 1, &c));
	EXPECT_EQ(1, h->v.recovered.stale);
	EXPECT_EQ(0, h->v.recovered.redo);
	EXPECT_EQ(LEAPIO_INFLIGHT_FREE, e->state);
	EXPECT_EQ(h->r.ctrl->seq, h->r.ctrl->ack);
	EXPECT_EQ(1, h->submitted);	/* not redone */
}

TEST_HARNESS_MAIN
