// SPDX-License-Identifier: GPL-2.0
/*
 * The driver asks leapiod's core to let go of a vdev (region minor 2,
 * leapio_region.h "Letting go": the hand-over to the card's runtime):
 * nothing more is fetched, what is at the backend finishes and is
 * posted, the seq is acked, and only then let_go_ack says so
 * (lio_vdev_let_go()). The next runtime finds nothing of the first in
 * flight and every command completes once. The request goes through the
 * module's own region writer (leapio_wr_put_let_go()).
 */
#include <string.h>

#include "../lib/lio_harness.h"
#include "fake_host.h"
#include "../lib/nvme_build.h"

#define NSZE		8192		/* 512-byte LBAs: 4 MiB */
#define SQ_GPA		0x10000
#define CQ_GPA		0x20000
#define DATA_GPA	0x100000
#define QSIZE		16

FIXTURE(let_go) {
	struct fake_host h;
};

FIXTURE_SETUP(let_go)
{
	fh_init(&self->h, 4, NSZE, 9);
	fh_create_cq(&self->h, 1, CQ_GPA, QSIZE, 1, true);
	fh_create_sq(&self->h, 1, SQ_GPA, QSIZE, 1);
	fh_poll(&self->h, 2);
}

FIXTURE_TEARDOWN(let_go)
{
	EXPECT_EQ(0U, self->h.bad_reqs);
	fh_release(&self->h, 0);
	fh_fini(&self->h);
}

/* The driver's request, as lio_chardev_let_go() makes it. */
static u32 ask(struct fake_host *h)
{
	leapio_wr_put_let_go(&h->r, true);
	fh_bump(h);
	return h->seq;
}

static u32 let_go_ack(struct fake_host *h)
{
	return __atomic_load_n(&h->r.ctrl->let_go_ack, __ATOMIC_ACQUIRE);
}

/* Writes of 8 blocks each, cids first.., from one guest buffer. */
static void submit_writes(struct fake_host *h, u16 first, unsigned int n)
{
	struct nvme_sqe s;
	unsigned int i;

	for (i = 0; i < n; i++) {
		fh_rw_sqe(&s, nvme_cmd_write, first + i, (first + i) * 8, 8,
			  DATA_GPA, 0);
		fh_submit(h, 1, &s);
	}
}

/* Reap every CQE there is: each cid < max must come once, successful. */
static unsigned int reap_all(struct __test_metadata *_metadata,
			     struct fake_host *h, bool *seen, u16 max)
{
	struct nvme_cqe c;
	unsigned int got = 0;

	while (fh_reap(h, 1, &c)) {
		u16 cid = le16_to_cpu(c.cid);

		EXPECT_LT(cid, max);
		if (cid >= max)
			continue;
		EXPECT_FALSE(seen[cid]);	/* no duplicate */
		EXPECT_EQ(0, le16_to_cpu(c.status) >> 1);
		seen[cid] = true;
		got++;
	}
	return got;
}

TEST_F(let_go, not_asked_nothing_changes)
{
	bool seen[4] = { 0 };

	EXPECT_FALSE(lio_vdev_let_go(&self->h.v));
	submit_writes(&self->h, 0, 2);
	fh_poll(&self->h, 3);
	EXPECT_EQ(2U, reap_all(_metadata, &self->h, seen, 4));
	EXPECT_FALSE(lio_vdev_let_go(&self->h.v));
	EXPECT_EQ(0U, let_go_ack(&self->h));
}

TEST_F(let_go, drains_the_backend_then_acks)
{
	struct leapio_sq_desc *d = &self->h.r.sq[1];
	bool seen[8] = { 0 };
	unsigned int got, i;
	u16 head;
	u32 seq;

	self->h.hold = true;
	memset(self->h.gmem + DATA_GPA, 0x5a, 4096);
	submit_writes(&self->h, 0, 3);
	fh_poll(&self->h, 2);
	ASSERT_EQ(3U, self->h.nr_held);
	seq = ask(&self->h);
	/* Submitted after the request: stays in the SQ for the next one. */
	submit_writes(&self->h, 3, 2);
	fh_poll(&self->h, 4);
	head = d->head;
	EXPECT_EQ(3, head);
	EXPECT_EQ(3U, self->h.nr_held);
	EXPECT_FALSE(lio_vdev_let_go(&self->h.v));
	EXPECT_NE(seq, let_go_ack(&self->h));
	/* The seq's ack waits for the backend too. */
	EXPECT_FALSE(fh_acked(&self->h));

	fh_release(&self->h, 2);
	fh_poll(&self->h, 2);
	EXPECT_FALSE(lio_vdev_let_go(&self->h.v));
	fh_release(&self->h, 0);
	fh_poll(&self->h, 2);
	EXPECT_TRUE(fh_acked(&self->h));
	ASSERT_TRUE(lio_vdev_let_go(&self->h.v));
	EXPECT_TRUE(leapio_wr_acked(let_go_ack(&self->h), seq));
	/* Fetched nothing more, posted all three, journal empty. */
	EXPECT_EQ(3, d->head);
	EXPECT_EQ(3U, reap_all(_metadata, &self->h, seen, 8));
	for (i = 0; i < 3; i++)
		EXPECT_EQ(LEAPIO_INFLIGHT_FREE, fh_journal(&self->h, 1, i)->state);

	/* The next runtime (the card's) is given the region. */
	fh_detach(&self->h);
	leapio_wr_put_let_go(&self->h.r, false);
	self->h.hold = false;
	fh_attach(&self->h);
	fh_poll(&self->h, 3);
	EXPECT_FALSE(lio_vdev_let_go(&self->h.v));
	got = reap_all(_metadata, &self->h, seen, 8);
	EXPECT_EQ(2U, got);
	for (i = 0; i < 5; i++)
		EXPECT_TRUE(seen[i]);
	for (i = 0; i < 5; i++)
		EXPECT_EQ(0, memcmp(self->h.store + i * 4096,
				    self->h.gmem + DATA_GPA, 4096));
}

TEST_F(let_go, nothing_in_flight_lets_go_at_once)
{
	u32 seq = ask(&self->h);

	fh_poll(&self->h, 1);
	ASSERT_TRUE(lio_vdev_let_go(&self->h.v));
	EXPECT_EQ(seq, let_go_ack(&self->h));
}

/* Asked between the driver's attach and the runtime's first look. */
TEST_F(let_go, asked_before_it_looked)
{
	fh_detach(&self->h);
	ask(&self->h);
	fh_attach(&self->h);
	fh_poll(&self->h, 1);
	EXPECT_TRUE(lio_vdev_let_go(&self->h.v));
}

/* A request cleared (a runtime was given the region) asks nothing. */
TEST_F(let_go, cleared_request_is_none)
{
	bool seen[4] = { 0 };

	leapio_wr_put_let_go(&self->h.r, true);
	leapio_wr_put_let_go(&self->h.r, false);
	fh_bump(&self->h);
	fh_poll(&self->h, 2);
	EXPECT_FALSE(lio_vdev_let_go(&self->h.v));
	submit_writes(&self->h, 0, 1);
	fh_poll(&self->h, 2);
	EXPECT_EQ(1U, reap_all(_metadata, &self->h, seen, 4));
}

/*
 * The guest's CQ is full: what is done but cannot be posted stays in
 * the journal, ISSUED, with nothing of it at the backend; the runtime
 * lets go anyway, and the next one completes it, once.
 */
TEST_F(let_go, full_cq_leaves_the_rest_to_the_next_runtime)
{
	bool seen[QSIZE + 4] = { 0 };
	unsigned int got;

	self->h.hold = true;
	memset(self->h.gmem + DATA_GPA, 0xa5, 4096);
	/* QSIZE - 1 fit in the CQ; fetch them all, then four more. */
	submit_writes(&self->h, 0, QSIZE - 1);
	fh_poll(&self->h, 2);
	ASSERT_EQ(QSIZE - 1, self->h.nr_held);
	fh_release(&self->h, 0);
	fh_poll(&self->h, 2);
	submit_writes(&self->h, QSIZE - 1, 4);
	fh_poll(&self->h, 2);
	ask(&self->h);
	fh_poll(&self->h, 2);
	fh_release(&self->h, 0);
	fh_poll(&self->h, 3);
	ASSERT_TRUE(lio_vdev_let_go(&self->h.v));
	EXPECT_EQ(0U, self->h.nr_held);

	fh_detach(&self->h);
	leapio_wr_put_let_go(&self->h.r, false);
	self->h.hold = false;
	got = reap_all(_metadata, &self->h, seen, QSIZE + 4);
	fh_attach(&self->h);
	fh_poll(&self->h, 3);
	got += reap_all(_metadata, &self->h, seen, QSIZE + 4);
	fh_poll(&self->h, 3);
	got += reap_all(_metadata, &self->h, seen, QSIZE + 4);
	EXPECT_EQ(QSIZE + 3, got);
}

TEST_HARNESS_MAIN
