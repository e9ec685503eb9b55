// SPDX-License-Identifier: GPL-2.0
/*
 * Card-mode leapiod's poller thread (runtime/core/poller.c on
 * lio_card_plat) against the fake card: the vdev attached by the poller
 * through its slot, I/O served, the slot handed to the host (the poller
 * drains, detaches and acknowledges) and back (it attaches again). The
 * test waits for each of these with a bound (a failure, not a timing).
 */
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/lio_harness.h"
#include "fake_card.h"
#include "../../runtime/core/lbas.h"
#include "../lib/nvme_build.h"

#define NSZE		8192
#define SQ_GPA		0x10000
#define CQ_GPA		0x20000
#define DATA_GPA	0x100000
#define WAIT_NS		(10ULL * 1000000000ULL)

static bool ack_is(struct fake_card *fc, u32 want)
{
	u64 end = lio_now_ns() + WAIT_NS;

	while (__atomic_load_n(&fc->slot->card_ack, __ATOMIC_ACQUIRE) != want)
		if (lio_now_ns() > end)
			return false;
		else
			sched_yield();
	return true;
}

/* One command on queue 1, reaped: its status, 0xffff if none came. */
static u16 one_cmd(struct fake_card *fc, struct nvme_sqe *sqe, u16 cid)
{
	u64 end = lio_now_ns() + WAIT_NS;
	struct nvme_sqe s = *sqe;
	struct nvme_cqe c;

	s.cid = cpu_to_le16(cid);
	fc_submit(fc, 1, &s);
	while (!fc_reap(fc, 1, &c)) {
		if (lio_now_ns() > end)
			return 0xffff;
		sched_yield();
	}
	return le16_to_cpu(c.cid) == cid ? le16_to_cpu(c.status) & ~1U : 0xfffe;
}

static u16 one_rw(struct fake_card *fc, u8 op, u64 slba, u16 cid)
{
	struct nvme_sqe s;

	nb_rw(&s, op, 1, slba, 1, DATA_GPA, 0);
	return one_cmd(fc, &s, cid);
}

static u16 one_write(struct fake_card *fc, u16 cid)
{
	struct nvme_sqe s;

	nb_rw(&s, nvme_cmd_write, 1, 0, 8, DATA_GPA, 0);
	return one_cmd(fc, &s, cid);
}

/*
 * The fake card with queue pair 1, and a card-mode poller that serves
 * its vdev (a null backend of NSZE blocks), attached: the slot acked.
 */
static void serve(struct __test_metadata *_metadata, struct fake_card *fc,
		  struct lio_poller **p)
{
	struct lio_poller_cfg pc = { .cpu = -1, .spin_us = 50, .idle_poll_us = 20 };
	struct lio_vdev_cfg vc;
	char err[256];

	ASSERT_NE(NULL, fc);
	fc_init(fc, 2, NSZE);
	ASSERT_EQ(0, fc_create_cq(fc, 1, CQ_GPA, 512, 1));
	ASSERT_EQ(0, fc_create_sq(fc, 1, SQ_GPA, 128, 1));
	ASSERT_EQ(0, lio_poller_start(&pc, &lio_card_plat, fc->card, 0, p,
				      err, sizeof(err))) TH_LOG("%s", err);
	memset(&vc, 0, sizeof(vc));
	strcpy(vc.uuid, FC_UUID);
	vc.bdev.type = LIO_BDEV_NULL;
	vc.bdev.size = NSZE * 512ULL;
	ASSERT_EQ(0, lio_poller_add_vdev(*p, &vc, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_TRUE(ack_is(fc, 1));
}

TEST(poller_serves_hands_over_and_back)
{
	struct fake_card *fc = calloc(1, sizeof(*fc));
	struct lio_poller *p;
	struct lio_dma *dma;
	unsigned long long copies;

	serve(_metadata, fc, &p);
	dma = lio_card_dma(fc->card);
	copies = dma->copies;
	EXPECT_EQ(0, one_write(fc, 1));
	EXPECT_LT(copies, dma->copies);		/* staged */
	EXPECT_LE(1U, __atomic_load_n(&fc->slot->irq_post[1], __ATOMIC_ACQUIRE));

	/* To the host: let go and acknowledged. */
	fc_slot_change(fc, LEAPIO_CARD_OWNER_HOST);
	EXPECT_TRUE(ack_is(fc, 2));
	/* And back: attached again, served. */
	fc_slot_change(fc, LEAPIO_CARD_OWNER_CARD);
	EXPECT_TRUE(ack_is(fc, 3));
	EXPECT_EQ(0, one_write(fc, 2));

	lio_poller_stop(p);
	fc_fini(fc);
	free(fc);
}

/*
 * Write Uncorrectable's marks go with the vdev: the card's runtime
 * publishes them in the region; while the host serves (here: another
 * runtime's set written into the region as lbas.c writes it), they
 * change; back on the card, the runtime serves the region's set, not
 * the one its state directory had, and keeps that one there.
 */
TEST(marks_follow_the_vdev_across_hand_overs)
{
	struct fake_card *fc = calloc(1, sizeof(*fc));
	char dir[] = "/tmp/leapio-lbas-XXXXXX", cmd[64];
	struct lio_uncor_ext host_set = { 100, 102 };
	struct lio_uncor other;
	struct lio_poller *p;
	struct nvme_sqe s;

	ASSERT_NE(NULL, mkdtemp(dir));
	setenv("STATE_DIRECTORY", dir, 1);
	serve(_metadata, fc, &p);
	ASSERT_NE(NULL, fc->r.lbas);

	nb_nodata(&s, nvme_cmd_write_uncor, 1, 4, 2, 0);
	ASSERT_EQ(NVME_SC_SUCCESS, one_cmd(fc, &s, 1));
	EXPECT_EQ(NVME_SC_READ_ERROR | NVME_STATUS_DNR,
		  one_rw(fc, nvme_cmd_read, 5, 2));
	EXPECT_EQ(1U, fc->r.lbas->count);
	EXPECT_EQ(4ULL, fc->r.lbas->ext[0].slba);
	EXPECT_EQ(2ULL, fc->r.lbas->ext[0].nlb);

	fc_slot_change(fc, LEAPIO_CARD_OWNER_HOST);
	EXPECT_TRUE(ack_is(fc, 2));
	/* The host's runtime wrote 4..5 and marked 100..101. */
	lio_uncor_init_mem(&other);
	ASSERT_EQ(0, lio_uncor_set(&other, &host_set, 1));
	ASSERT_EQ(0, lio_lbas_publish(fc->r.lbas, 1, &other));
	lio_uncor_close(&other);
	fc_slot_change(fc, LEAPIO_CARD_OWNER_CARD);
	EXPECT_TRUE(ack_is(fc, 3));

	EXPECT_EQ(NVME_SC_SUCCESS, one_rw(fc, nvme_cmd_read, 5, 3));
	EXPECT_EQ(NVME_SC_READ_ERROR | NVME_STATUS_DNR,
		  one_rw(fc, nvme_cmd_read, 101, 4));
	/* Written on the card now: published, the region's set empty. */
	EXPECT_EQ(NVME_SC_SUCCESS, one_rw(fc, nvme_cmd_write, 100, 5));
	EXPECT_EQ(NVME_SC_SUCCESS, one_rw(fc, nvme_cmd_write, 101, 6));
	EXPECT_EQ(0U, fc->r.lbas->count);
	EXPECT_EQ(0U, fc->r.lbas->seq & 1);

	lio_poller_stop(p);
	fc_fini(fc);
	free(fc);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	EXPECT_EQ(0, system(cmd));
	unsetenv("STATE_DIRECTORY");
}

TEST_HARNESS_MAIN
