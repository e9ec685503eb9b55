// SPDX-License-Identifier: GPL-2.0
/*
 * Queues whose guest memory loses its translation (the VFIO user unmapped
 * it, as QEMU does for a moment whenever the guest's memory map changes)
 * are held: nothing of them is read or written, no command is fetched,
 * no completion posted, until their memory is translated again; then
 * they go on where they were, and no command is lost or done twice.
 */
#include <string.h>

#include "../lib/lio_harness.h"
#include "fake_host.h"

#define NSZE		8192
#define DATA_GPA	0x100000	/* block 0: stays mapped */
#define Q_BLOCK		0x200000	/* block 1: the queues' */
#define SQ_GPA		(Q_BLOCK + 0x10000)
#define CQ_GPA		(Q_BLOCK + 0x20000)
#define QSIZE		16
#define PASSES_MAX	1000000	/* a bound, never reached when it works */

FIXTURE(held) {
	struct fake_host h;
};

FIXTURE_SETUP(held)
{
	fh_init(&self->h, 2, NSZE, 9);
	fh_create_cq(&self->h, 1, CQ_GPA, QSIZE, 1, true);
	fh_create_sq(&self->h, 1, SQ_GPA, QSIZE, 1);
	fh_poll(&self->h, 2);
}

FIXTURE_TEARDOWN(held)
{
	fh_release(&self->h, 0);
	fh_fini(&self->h);
}

/* Poll until the runtime acks the last change. */
static bool poll_ack(struct fake_host *h)
{
	unsigned int i;

	for (i = 0; i < PASSES_MAX && !fh_acked(h); i++)
		fh_poll(h, 1);
	return fh_acked(h);
}

/* Poll until a CQE comes (held queues are asked for once a millisecond). */
static bool poll_cqe(struct fake_host *h, u16 cqid, struct nvme_cqe *c)
{
	u64 end = lio_now_ns() + 5000000000ULL;

	while (lio_now_ns() < end) {
		fh_poll(h, 1);
		if (fh_reap(h, cqid, c))
			return true;
	}
	return false;
}

static bool zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* The CQ slot the next completion goes to is still empty. */
static bool next_cqe_empty(struct fake_host *h, u16 cqid)
{
	return zero(h->gmem + h->r.cq[cqid].gpa + (u64)h->r.cq[cqid].tail * 16,
		    16);
}

/* A write at the backend (held there), then the queues' memory goes. */
static void write_then_unmap(struct __test_metadata *_metadata,
			     struct fake_host *h, u16 cid)
{
	struct nvme_sqe s;

	h->hold = true;
	fh_rw_sqe(&s, nvme_cmd_write, cid, 0, 8, DATA_GPA, 0);
	fh_submit(h, 1, &s);
	fh_poll(h, 2);
	ASSERT_EQ(1, h->nr_held);
	fh_unmap(h, Q_BLOCK, 1ULL << 21);
	ASSERT_TRUE(poll_ack(h));
}

TEST_F(held, untouched_while_unmapped_then_served)
{
	struct fake_host *h = &self->h;
	struct nvme_sqe s;
	struct nvme_cqe c;
	unsigned int sub;

	memset(h->store, 0x3c, 4096);
	fh_rw_sqe(&s, nvme_cmd_read, 1, 0, 8, DATA_GPA, 0);
	fh_submit(h, 1, &s);
	ASSERT_TRUE(poll_cqe(h, 1, &c));
	EXPECT_EQ(1, le16_to_cpu(c.cid));

	fh_unmap(h, Q_BLOCK, 1ULL << 21);
	ASSERT_TRUE(poll_ack(h));
	sub = h->submitted;
	fh_rw_sqe(&s, nvme_cmd_read, 2, 8, 8, DATA_GPA + 0x1000, 0);
	fh_submit(h, 1, &s);
	fh_poll(h, 1000);
	EXPECT_EQ(sub, h->submitted);
	EXPECT_EQ(1, h->r.sq[1].head);
	EXPECT_TRUE(next_cqe_empty(h, 1));
	EXPECT_EQ(0, h->fatals);

	fh_map_back(h);
	ASSERT_TRUE(poll_cqe(h, 1, &c));
	EXPECT_EQ(2, le16_to_cpu(c.cid));
	EXPECT_EQ(0, le16_to_cpu(c.status) & ~1U);
	EXPECT_EQ(sub + 1, h->submitted);
	EXPECT_EQ(2, h->r.sq[1].head);
	EXPECT_FALSE(fh_reap(h, 1, &c));
}

/* A command at the backend when its CQ went: posted once it is back. */
TEST_F(held, completion_waits_for_its_cq)
{
	struct fake_host *h = &self->h;
	struct nvme_cqe c;

	write_then_unmap(_metadata, h, 5);
	fh_release(h, 0);
	fh_poll(h, 1000);
	EXPECT_TRUE(next_cqe_empty(h, 1));
	EXPECT_EQ(0, h->r.cq[1].tail);

	fh_map_back(h);
	ASSERT_TRUE(poll_cqe(h, 1, &c));
	EXPECT_EQ(5, le16_to_cpu(c.cid));
	EXPECT_FALSE(fh_reap(h, 1, &c));
}

/*
 * Delete I/O SQ while its CQ is held: the ack must not wait for a
 * completion that can never be posted; the command's journal entry goes.
 */
TEST_F(held, sq_delete_with_its_cq_held)
{
	struct fake_host *h = &self->h;
	unsigned int i;

	write_then_unmap(_metadata, h, 6);
	fh_delete_sq(h, 1);
	fh_release(h, 0);
	ASSERT_TRUE(poll_ack(h));
	EXPECT_TRUE(next_cqe_empty(h, 1));
	for (i = 0; i < LEAPIO_INFLIGHT_PER_SQ; i++)
		EXPECT_EQ(LEAPIO_INFLIGHT_FREE,
			  leapio_inflight_ptr(&h->r, 1, i)->state);
}

/* Queues created on memory that is not mappable yet wait for it. */
TEST_F(held, unreachable_at_create)
{
	struct fake_host *h = &self->h;
	struct nvme_sqe s;
	struct nvme_cqe c;

	h->hole_start = 0x400000;
	h->hole_len = 1ULL << 21;
	fh_create_cq(h, 2, 0x400000, QSIZE, 2, true);
	fh_create_sq(h, 2, 0x401000, QSIZE, 2);
	ASSERT_TRUE(poll_ack(h));
	fh_rw_sqe(&s, nvme_cmd_read, 9, 0, 1, DATA_GPA, 0);
	fh_submit(h, 2, &s);
	fh_poll(h, 1000);
	EXPECT_EQ(0, h->r.sq[2].head);
	EXPECT_TRUE(next_cqe_empty(h, 2));
	EXPECT_EQ(0, h->fatals);

	/* The other pair is served all along. */
	fh_rw_sqe(&s, nvme_cmd_read, 3, 0, 1, DATA_GPA, 0);
	fh_submit(h, 1, &s);
	ASSERT_TRUE(poll_cqe(h, 1, &c));
	EXPECT_EQ(3, le16_to_cpu(c.cid));

	fh_map_back(h);
	ASSERT_TRUE(poll_cqe(h, 2, &c));
	EXPECT_EQ(9, le16_to_cpu(c.cid));
	EXPECT_EQ(2, le16_to_cpu(c.sq_id));
}

TEST_HARNESS_MAIN
