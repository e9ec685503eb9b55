// SPDX-License-Identifier: GPL-2.0
/*
 * leapiod's core under doorbell values a guest may not write, in the
 * mmapped doorbell page and in its shadow doorbells (Doorbell Buffer
 * Config): a CQ head past the tail, values past the queue, values with
 * the reserved bits 31:16 set. Each is told by an Asynchronous Event
 * (Invalid Doorbell Write Value) once per value, and has no other
 * effect, as in the controller model (tests/unit/test_queues.c): the
 * queue goes on from its last valid value, no SQ entry past it is
 * fetched, no CQ entry the guest has not released is written over.
 */
#include <string.h>

#include "../lib/lio_harness.h"
#include "fake_host.h"
#include "../../uapi/linux/leapio.h"
#include "../lib/nvme_build.h"

#define NSZE		8192
#define SQ_GPA		0x10000
#define CQ_GPA		0x20000
#define DATA_GPA	0x100000
#define SHADOW_GPA	0x300000
#define EVIDX_GPA	0x340000
#define CQSIZE		16
#define SQSIZE		32
#define SQ_DB		2		/* doorbell indices of queue 1 */
#define CQ_DB		3
#define DB_VAL		NVME_AER_DW0(NVME_AER_TYPE_ERROR, \
				     NVME_AER_ERROR_INVALID_DB_VAL, NVME_LOG_ERROR)

FIXTURE(db) {
	struct fake_host h;
	__le32 *shadow;		/* the guest's shadow doorbells, when on */
	__le32 *evidx;
	u16 next_cid;		/* of the next command and CQE expected */
	u16 reaped;
};

FIXTURE_SETUP(db)
{
	fh_init(&self->h, 2, NSZE, 9);
	fh_create_cq(&self->h, 1, CQ_GPA, CQSIZE, 1, true);
	fh_create_sq(&self->h, 1, SQ_GPA, SQSIZE, 1);
	fh_poll(&self->h, 2);
	self->shadow = (__le32 *)(self->h.gmem + SHADOW_GPA);
	self->evidx = (__le32 *)(self->h.gmem + EVIDX_GPA);
}

FIXTURE_TEARDOWN(db)
{
	/* Each AEN the core asked for was one the driver takes. */
	EXPECT_EQ(0U, self->h.bad_reqs);
	fh_release(&self->h, 0);
	fh_fini(&self->h);
}

/* The slot of doorbell idx in the shadow buffer (its stride). */
static __le32 *shadow_slot(FIXTURE_DATA(db) *self, u32 idx)
{
	return self->shadow + idx * LEAPIO_DB_STRIDE / 4;
}

/* The guest writes val to doorbell idx: its page, or its shadow. */
static void ring(FIXTURE_DATA(db) *self, u32 idx, u32 val)
{
	__le32 *p = self->h.r.ctrl->dbbuf ? shadow_slot(self, idx) :
					    leapio_db_ptr(&self->h.r, idx);

	__atomic_store_n(p, cpu_to_le32(val), __ATOMIC_RELEASE);
}

/* Put n one-block reads into SQ 1 (cids in sequence), without ringing. */
static void queue_reads(FIXTURE_DATA(db) *self, unsigned int n)
{
	struct nvme_sqe s;

	while (n--) {
		fh_rw_sqe(&s, nvme_cmd_read, self->next_cid, self->next_cid % NSZE,
			  1, DATA_GPA, 0);
		self->next_cid++;
		fh_queue(&self->h, 1, &s);
	}
}

static void submit_reads(FIXTURE_DATA(db) *self, unsigned int n)
{
	queue_reads(self, n);
	ring(self, SQ_DB, self->h.sq_tail[1]);
}

/*
 * Take every new CQE of CQ 1 without ringing its head doorbell: how many.
 * They must come in submission order, each once, with status success:
 * an entry written over shows as a CID out of sequence.
 */
static unsigned int take(struct __test_metadata *_metadata,
			 FIXTURE_DATA(db) *self)
{
	struct fake_host *h = &self->h;
	unsigned int n = 0;

	for (;;) {
		struct nvme_cqe *e = (struct nvme_cqe *)(h->gmem + CQ_GPA +
							 h->cq_head[1] * 16ULL);

		if ((le16_to_cpu(e->status) & 1) != h->cq_phase[1])
			return n;
		EXPECT_EQ(self->reaped, le16_to_cpu(e->cid));
		EXPECT_EQ(0, le16_to_cpu(e->status) & ~1U);
		self->reaped++;
		n++;
		if (++h->cq_head[1] == CQSIZE) {
			h->cq_head[1] = 0;
			h->cq_phase[1] ^= 1;
		}
	}
}

static void dbbuf_on(FIXTURE_DATA(db) *self)
{
	self->h.r.ctrl->dbbuf_shadow = SHADOW_GPA;
	self->h.r.ctrl->dbbuf_eventidx = EVIDX_GPA;
	self->h.r.ctrl->dbbuf = 1;
	fh_bump(&self->h);
	fh_poll(&self->h, 2);
}

/*
 * A CQ head inside the queue but past the tail releases entries never
 * posted: told, and the head stays where it was. Completions then fill
 * exactly the room the last valid head left, none more, none less.
 */
TEST_F(db, cq_head_past_the_tail)
{
	submit_reads(self, 3);
	fh_poll(&self->h, 2);			/* CQEs 0-2: tail 3 */
	ring(self, CQ_DB, 5);
	fh_poll(&self->h, 2);
	EXPECT_EQ(1U, self->h.aens);
	EXPECT_EQ(DB_VAL, self->h.last_aen);
	/* Head 0, tail 3: room for 12 of 13 (taking 5 would leave 3). */
	submit_reads(self, 13);
	fh_poll(&self->h, 3);
	EXPECT_EQ(15U, take(_metadata, self));
	EXPECT_EQ(1U, self->h.aens);		/* the same value: told once */
	ring(self, CQ_DB, self->h.cq_head[1]);
	fh_poll(&self->h, 2);
	EXPECT_EQ(1U, take(_metadata, self));
	EXPECT_EQ(16, self->reaped);
	EXPECT_EQ(1U, self->h.aens);
}

/* Each bad value the doorbell comes to hold is told once. */
TEST_F(db, each_bad_cq_head_told_once)
{
	submit_reads(self, 2);
	fh_poll(&self->h, 2);			/* tail 2 */
	ring(self, CQ_DB, 9);
	fh_poll(&self->h, 3);
	EXPECT_EQ(1U, self->h.aens);
	ring(self, CQ_DB, 12);			/* another one: told */
	fh_poll(&self->h, 3);
	EXPECT_EQ(2U, self->h.aens);
	ring(self, CQ_DB, CQSIZE);		/* past the queue */
	fh_poll(&self->h, 3);
	EXPECT_EQ(3U, self->h.aens);
	ring(self, CQ_DB, 2);			/* good: both released */
	fh_poll(&self->h, 2);
	EXPECT_EQ(3U, self->h.aens);
	ring(self, CQ_DB, 9);			/* bad again after a good one */
	fh_poll(&self->h, 2);
	EXPECT_EQ(4U, self->h.aens);
	EXPECT_EQ(2U, take(_metadata, self));
}

/*
 * Bits 31:16 are reserved: a head with one set is not its low 16 bits.
 * Taken as 3 it would release the three posted, and all 14 to come
 * would fit; only 12 do.
 */
TEST_F(db, cq_head_beyond_16_bits)
{
	submit_reads(self, 3);
	fh_poll(&self->h, 2);
	ring(self, CQ_DB, 0x10000 | 3);
	fh_poll(&self->h, 2);
	EXPECT_EQ(1U, self->h.aens);
	EXPECT_EQ(DB_VAL, self->h.last_aen);
	submit_reads(self, 14);
	fh_poll(&self->h, 3);
	EXPECT_EQ(15U, take(_metadata, self));
	ring(self, CQ_DB, 0xffffffff);
	fh_poll(&self->h, 2);
	EXPECT_EQ(2U, self->h.aens);
	EXPECT_EQ(0U, take(_metadata, self));
	ring(self, CQ_DB, self->h.cq_head[1]);
	fh_poll(&self->h, 2);
	EXPECT_EQ(2U, take(_metadata, self));
	EXPECT_EQ(17, self->reaped);
}

/*
 * SQ tail values past the queue or with bits 31:16 set: told, and what
 * the last valid tail submitted is still fetched, nothing past it.
 */
TEST_F(db, sq_tail_bad_values)
{
	/* 20 commands: 15 CQEs fit, 5 wait, so the SQ is not fetched. */
	submit_reads(self, 20);
	fh_poll(&self->h, 2);
	submit_reads(self, 4);			/* tail 24: fetched later */
	fh_poll(&self->h, 2);
	EXPECT_EQ(20U, self->h.submitted);
	ring(self, SQ_DB, 40);
	fh_poll(&self->h, 2);
	EXPECT_EQ(1U, self->h.aens);
	EXPECT_EQ(DB_VAL, self->h.last_aen);
	/* Room again: the 5 waiting, and the 4 the good tail submitted. */
	EXPECT_EQ(15U, take(_metadata, self));
	ring(self, CQ_DB, self->h.cq_head[1]);
	fh_poll(&self->h, 3);
	EXPECT_EQ(24U, self->h.submitted);
	EXPECT_EQ(9U, take(_metadata, self));
	ring(self, CQ_DB, self->h.cq_head[1]);
	/* Four more in the SQ, the tail that names them with bit 16 set. */
	queue_reads(self, 4);
	ring(self, SQ_DB, 0x10000 | self->h.sq_tail[1]);
	fh_poll(&self->h, 3);
	EXPECT_EQ(2U, self->h.aens);
	EXPECT_EQ(24U, self->h.submitted);
	ring(self, SQ_DB, 0xffffffff);
	fh_poll(&self->h, 3);
	EXPECT_EQ(3U, self->h.aens);
	EXPECT_EQ(24U, self->h.submitted);
	ring(self, SQ_DB, self->h.sq_tail[1]);
	fh_poll(&self->h, 3);
	EXPECT_EQ(28U, self->h.submitted);
	EXPECT_EQ(4U, take(_metadata, self));
	EXPECT_EQ(3U, self->h.aens);
}

/*
 * Shadow doorbells hold what the guest writes into its own memory: an SQ
 * tail past the queue or beyond 16 bits fetches nothing (no SQ entry
 * past the queue is read), a CQ head past what was posted writes over
 * nothing, and EventIdx is never derived from a bad value.
 */
TEST_F(db, shadow_values_out_of_range)
{
	__le32 *evidx_cq;
	u16 head;

	dbbuf_on(self);
	evidx_cq = self->evidx + CQ_DB * LEAPIO_DB_STRIDE / 4;
	queue_reads(self, 4);
	ring(self, SQ_DB, SQSIZE);
	fh_poll(&self->h, 2);
	EXPECT_EQ(1U, self->h.aens);
	/* Idle, but not asleep on a bad value, nor an EventIdx made of it. */
	EXPECT_FALSE(lio_vdev_may_sleep(&self->h.v));
	EXPECT_NE(SQSIZE, le32_to_cpu(self->evidx[SQ_DB * LEAPIO_DB_STRIDE / 4]));
	ring(self, SQ_DB, 0x10000 | 4);
	fh_poll(&self->h, 2);
	EXPECT_EQ(2U, self->h.aens);
	ring(self, SQ_DB, 0xffffffff);
	fh_poll(&self->h, 2);
	EXPECT_EQ(3U, self->h.aens);
	EXPECT_EQ(0U, self->h.submitted);
	EXPECT_EQ(0, self->h.r.sq[1].head);
	ring(self, SQ_DB, 4);
	fh_poll(&self->h, 2);
	EXPECT_EQ(4U, self->h.submitted);
	EXPECT_EQ(3U, self->h.aens);

	/* CQ: 4 posted, head 0; the guest's shadow says 9. */
	ring(self, CQ_DB, 9);
	fh_poll(&self->h, 2);
	EXPECT_EQ(4U, self->h.aens);
	EXPECT_EQ(0xffffU, le32_to_cpu(*evidx_cq));	/* head 0, minus 1 */
	submit_reads(self, 13);
	fh_poll(&self->h, 3);
	EXPECT_EQ(15U, take(_metadata, self));		/* 11 of 13 fit */
	ring(self, CQ_DB, CQSIZE);
	fh_poll(&self->h, 2);
	EXPECT_EQ(5U, self->h.aens);
	ring(self, CQ_DB, 0x10000 | 15);
	fh_poll(&self->h, 2);
	EXPECT_EQ(6U, self->h.aens);
	EXPECT_EQ(0U, take(_metadata, self));
	head = self->h.cq_head[1];
	ring(self, CQ_DB, head);
	fh_poll(&self->h, 2);
	EXPECT_EQ(2U, take(_metadata, self));
	EXPECT_EQ(17, self->reaped);
	EXPECT_EQ(6U, self->h.aens);
	EXPECT_EQ((u16)(head - 1), le32_to_cpu(*evidx_cq));
}

TEST_HARNESS_MAIN
