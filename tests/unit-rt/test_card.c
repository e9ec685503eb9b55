// SPDX-License-Identifier: GPL-2.0
/*
 * Card-mode leapiod (runtime/card/) against a fake card (fake_card.c):
 * attached through its slot in card DRAM, data through staging buffers
 * and the DMA-engine interface, interrupts as irq_post/irq_any and a
 * ring, MAP misses through the mailbox, the window map's holes as Data
 * Transfer Errors, and the slot handed over to the host and back.
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../lib/lio_harness.h"
#include "fake_card.h"
#include "../lib/nvme_build.h"

#define NSZE		8192
#define SQ_GPA		0x10000		/* 2 pages: scattered in the host */
#define CQ_GPA		0x20000
#define DATA_GPA	0x100000
#define DATA2_GPA	0x140000
#define QS		128		/* SQ: 8 KiB */
#define CQS		512		/* CQ: 8 KiB */

FIXTURE(card) {
	struct fake_card fc;
};

FIXTURE_SETUP(card)
{
	char err[256];

	fc_init(&self->fc, 2, NSZE);
	ASSERT_EQ(0, fc_attach(&self->fc, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, fc_create_cq(&self->fc, 1, CQ_GPA, CQS, 1));
	ASSERT_EQ(0, fc_create_sq(&self->fc, 1, SQ_GPA, QS, 1));
	fc_poll(&self->fc, 4);
}

FIXTURE_TEARDOWN(card)
{
	EXPECT_EQ(0U, self->fc.bad_reqs);
	fc_fini(&self->fc);
}

static void fill(struct fake_card *fc, u64 gpa, u32 n, u8 seed)
{
	u32 i;

	for (i = 0; i < n; i++)
		*fc_g(fc, gpa + i) = (u8)(seed + i * 7);
}

static bool same(struct fake_card *fc, u64 gpa, const u8 *p, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (*fc_g(fc, gpa + i) != p[i])
			return false;
	return true;
}

static void rw(struct nvme_sqe *s, u8 op, u64 slba, u32 nlb, u64 p1, u64 p2)
{
	nb_rw(s, op, 1, slba, nlb, p1, p2);
}

TEST_F(card, attached_via_slot)
{
	struct fake_card *fc = &self->fc;

	/* Attach acknowledged the slot's gen and rang the host. */
	EXPECT_EQ(1U, fc->slot->card_ack);
	EXPECT_LE(1U, fc->rings);
	EXPECT_EQ((u32)FC_HOST_PEER, fc->last_peer);
	/* Up for this bind, and where the host rings it. */
	EXPECT_EQ(5U, fc->hdr->card_ready);
	EXPECT_EQ((u32)FC_CARD_PEER, fc->hdr->card_peer);
	/* The queues' pages were asked for (MAP) and are served. */
	EXPECT_LE(2U, fc->maps);
	EXPECT_TRUE(fc->pinned[SQ_GPA >> 12] && fc->pinned[(SQ_GPA >> 12) + 1]);
	EXPECT_TRUE(fc->v.sq[1].live && !fc->v.sq[1].held);
	EXPECT_TRUE(fc->v.cq[1].live && !fc->v.cq[1].held);
	/* Scattered in the host: seen through leapiod's linear mapping. */
	EXPECT_EQ(fc->att.gmem + SQ_GPA, fc->v.sq[1].base);
	EXPECT_EQ(fc->att.gmem + CQ_GPA, fc->v.cq[1].base);
	EXPECT_EQ(fc->r.ctrl->seq, fc->r.ctrl->ack);
}

TEST_F(card, write_read_through_staging)
{
	struct fake_card *fc = &self->fc;
	struct lio_dma *dma = lio_card_dma(fc->card);
	unsigned long long copies = dma->copies;
	struct nvme_sqe s;
	u8 *want = malloc(8192);
	u32 i;

	/* Two guest pages, one below 4 GiB and one above, in the host. */
	fill(fc, DATA_GPA, 8192, 3);
	for (i = 0; i < 8192; i++)
		want[i] = *fc_g(fc, DATA_GPA + i);
	rw(&s, nvme_cmd_write, 16, 16, DATA_GPA, DATA_GPA + 4096);
	ASSERT_EQ(0, fc_run1(fc, 1, &s, 7));
	EXPECT_EQ(0, memcmp(fc->store + 16 * 512, want, 8192));
	EXPECT_EQ(copies + 2, dma->copies);	/* one per guest page */

	rw(&s, nvme_cmd_read, 16, 16, DATA2_GPA, DATA2_GPA + 4096);
	ASSERT_EQ(0, fc_run1(fc, 1, &s, 8));
	EXPECT_TRUE(same(fc, DATA2_GPA, want, 8192));
	EXPECT_EQ(copies + 4, dma->copies);
	EXPECT_EQ(1U, fc->r.sq[1].cmds_read);
	EXPECT_EQ(8192U, fc->r.sq[1].bytes_written);
	/* Every staging buffer back: all 4 can be had again. */
	EXPECT_TRUE(lio_card_plat.room(&fc->v));
	free(want);
}

TEST_F(card, staging_buffers_run_out)
{
	struct fake_card *fc = &self->fc;
	struct iovec b[5];
	int i;

	/* FC_RESERVE holds 4 buffers; no room for a fifth. */
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, lio_card_plat.stage_in(&fc->v, NULL, 0, 4096, false,
						    &b[i]));
	EXPECT_FALSE(lio_card_plat.room(&fc->v));
	EXPECT_EQ(-EAGAIN, lio_card_plat.stage_in(&fc->v, NULL, 0, 4096, false,
						  &b[4]));
	/* In card DRAM's last card_reserve bytes. */
	for (i = 0; i < 4; i++) {
		EXPECT_LE(fc->dev.dram + FC_DRAM_SIZE - FC_RESERVE,
			  (u8 *)b[i].iov_base);
		EXPECT_GE(fc->dev.dram + FC_DRAM_SIZE - LIO_CARD_STAGE_BUF,
			  (u8 *)b[i].iov_base);
	}
	EXPECT_EQ(-EINVAL, lio_card_plat.stage_in(&fc->v, NULL, 0,
						  LIO_CARD_STAGE_BUF + 1,
						  false, &b[4]));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, lio_card_plat.stage_out(&fc->v, &b[i], NULL, 0,
						     false));
	EXPECT_TRUE(lio_card_plat.room(&fc->v));
}

TEST_F(card, interrupt_is_irq_post_and_a_ring)
{
	struct fake_card *fc = &self->fc;
	struct nvme_sqe s;
	unsigned int rings = fc->rings;

	fill(fc, DATA_GPA, 512, 1);
	rw(&s, nvme_cmd_write, 0, 1, DATA_GPA, 0);
	ASSERT_EQ(0, fc_run1(fc, 1, &s, 1));
	EXPECT_EQ(1U, fc->slot->irq_post[1]);
	EXPECT_EQ(1U, fc->slot->irq_any);
	EXPECT_EQ(1U, fc->irqs[1]);	/* the host saw it at a ring */
	EXPECT_LT(rings, fc->rings);
	EXPECT_EQ(0U, fc->irqs_mbox);
	ASSERT_EQ(0, fc_run1(fc, 1, &s, 2));
	EXPECT_EQ(2U, fc->slot->irq_post[1]);
	EXPECT_EQ(2U, fc->slot->irq_any);
	EXPECT_EQ(2U, fc->irqs[1]);
	EXPECT_EQ(0U, fc->slot->irq_post[0]);
}

TEST_F(card, map_miss_through_the_mailbox)
{
	struct fake_card *fc = &self->fc;
	unsigned int maps = fc->maps, rings = fc->rings;
	struct nvme_sqe s;

	EXPECT_FALSE(fc->pinned[DATA_GPA >> 12]);
	fill(fc, DATA_GPA, 512, 9);
	rw(&s, nvme_cmd_write, 3, 1, DATA_GPA, 0);
	ASSERT_EQ(0, fc_run1(fc, 1, &s, 3));
	/* Asked, answered when the card rang, then used. */
	EXPECT_EQ(maps + 1, fc->maps);
	EXPECT_LT(rings, fc->rings);
	EXPECT_TRUE(fc->pinned[DATA_GPA >> 12]);
	EXPECT_EQ(fc->r.mbox->prod, fc->r.mbox->cons);
	EXPECT_TRUE(same(fc, DATA_GPA, fc->store + 3 * 512, 512));
}

TEST_F(card, outside_the_map_or_refused_is_a_transfer_error)
{
	struct fake_card *fc = &self->fc;
	struct nvme_sqe s;

	/* Translated to a host address the window map lacks. */
	fc->bad_blk = 3;
	rw(&s, nvme_cmd_read, 0, 1, 3ULL << 21, 0);
	EXPECT_EQ(NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR, fc_run1(fc, 1, &s, 4));
	/* Not translated at all: MAP refused. */
	fc->hole_blk = 4;
	rw(&s, nvme_cmd_write, 0, 1, 4ULL << 21, 0);
	EXPECT_EQ(NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR, fc_run1(fc, 1, &s, 5));
	EXPECT_EQ(1U, fc->maps_refused);
	/* Past the guest's space. */
	rw(&s, nvme_cmd_write, 0, 1, FC_GMEM_SIZE, 0);
	EXPECT_EQ(NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR, fc_run1(fc, 1, &s, 6));
	/* Nothing of it reached the store, the queue goes on. */
	fill(fc, DATA_GPA, 512, 4);
	rw(&s, nvme_cmd_write, 0, 1, DATA_GPA, 0);
	EXPECT_EQ(0, fc_run1(fc, 1, &s, 7));
}

TEST_F(card, handed_to_the_host_and_back)
{
	struct fake_card *fc = &self->fc;
	struct nvme_sqe s;
	char err[256];
	const char *why;

	ASSERT_EQ(NULL, lio_card_plat.gone(&fc->att));
	fc_slot_change(fc, LEAPIO_CARD_OWNER_HOST);
	why = lio_card_plat.gone(&fc->att);
	ASSERT_NE(NULL, why);
	EXPECT_NE(NULL, strstr(why, "handed over"));
	/* Not acknowledged until let go. */
	EXPECT_EQ(1U, fc->slot->card_ack);
	fc_detach(fc);
	EXPECT_EQ(2U, fc->slot->card_ack);
	EXPECT_EQ(-ENODEV, fc_attach(fc, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "host's"));

	fc_slot_change(fc, LEAPIO_CARD_OWNER_CARD);
	ASSERT_EQ(0, fc_attach(fc, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(3U, fc->slot->card_ack);
	fc_poll(fc, 2);
	fill(fc, DATA_GPA, 1024, 5);
	rw(&s, nvme_cmd_write, 8, 2, DATA_GPA, 0);
	ASSERT_EQ(0, fc_run1(fc, 1, &s, 9));
	EXPECT_TRUE(same(fc, DATA_GPA, fc->store + 8 * 512, 1024));
}

/*
 * The card's again with a new gen while attached: only after the driver
 * gave up on us (revoked while we slept), so this attachment lets go and
 * the next one acknowledges.
 */
TEST_F(card, slot_change_still_ours_is_attached_afresh)
{
	struct fake_card *fc = &self->fc;
	unsigned int rings = fc->rings;
	char err[256];

	fc_slot_change(fc, LEAPIO_CARD_OWNER_CARD);
	EXPECT_NE(NULL, strstr(lio_card_plat.gone(&fc->att) ?: "", "revoked"));
	EXPECT_EQ(1U, fc->slot->card_ack);
	fc_detach(fc);
	EXPECT_EQ(1U, fc->slot->card_ack);
	ASSERT_EQ(0, fc_attach(fc, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(2U, fc->slot->card_ack);
	EXPECT_EQ(rings + 1, fc->rings);
	EXPECT_EQ(NULL, lio_card_plat.gone(&fc->att));
	/* The mdev removed: the slot freed, owner NONE. */
	fc->slot->region_off = 0;
	fc->slot->owner = LEAPIO_CARD_OWNER_NONE;
	fc_slot_change(fc, LEAPIO_CARD_OWNER_NONE);
	EXPECT_NE(NULL, strstr(lio_card_plat.gone(&fc->att) ?: "", "freed"));
	fc_detach(fc);
	EXPECT_EQ(fc->slot->gen, fc->slot->card_ack);
	fc->slot->region_off = LEAPIO_CARD_DATA_OFF;
	fc_slot_change(fc, LEAPIO_CARD_OWNER_CARD);
	ASSERT_EQ(0, fc_attach(fc, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(NULL, lio_card_plat.gone(&fc->att));
	/* The host driver bound the card again: everything let go. */
	fc->hdr->host_gen++;
	EXPECT_NE(NULL, lio_card_plat.gone(&fc->att));
}

TEST_F(card, doorbell_wakes_the_poller)
{
	struct fake_card *fc = &self->fc;
	struct pollfd p = { .fd = fc->att.wake_fd, .events = POLLIN };
	u64 one = 1;

	ASSERT_EQ(0, poll(&p, 1, 0));
	ASSERT_EQ(8, write(fc->dev.wake_fd, &one, sizeof(one)));
	ASSERT_EQ(1, poll(&p, 1, 0));
	lio_card_plat.woken(&fc->att);
	EXPECT_EQ(0, poll(&p, 1, 0));
}

TEST_F(card, kick_bounded_when_the_host_does_not_answer)
{
	struct fake_card *fc = &self->fc;
	unsigned int rings = fc->rings;

	fc->answer = false;
	lio_card_set_kick_timeout(fc->card, 2000000);	/* 2 ms */
	ASSERT_EQ(0, lio_mbox_post(&fc->v, LEAPIO_MBOX_AEN,
				   NVME_AEN_INVALID_DB_VAL, 0, 0));
	EXPECT_EQ(-ETIMEDOUT, lio_card_plat.kick(&fc->v));
	EXPECT_EQ(rings + 1, fc->rings);	/* rung once, then waited */
	/* The host catches up: the same request answered, kick returns. */
	fc->answer = true;
	EXPECT_EQ(0, lio_card_plat.kick(&fc->v));
	EXPECT_EQ(fc->r.mbox->prod, fc->r.mbox->cons);
}

static int fail_copy(struct lio_dma *d, void *dst, const void *src, size_t len)
{
	return -EIO;
}

static const struct lio_dma_ops failing_dma = { .copy = fail_copy };

TEST_F(card, dma_engine_failure_is_a_transfer_error)
{
	struct fake_card *fc = &self->fc;
	struct lio_dma *dma = lio_card_dma(fc->card);
	const struct lio_dma_ops *ops = dma->ops;
	struct nvme_sqe s;

	fill(fc, DATA_GPA, 512, 6);
	rw(&s, nvme_cmd_write, 0, 1, DATA_GPA, 0);
	ASSERT_EQ(0, fc_run1(fc, 1, &s, 1));
	dma->ops = &failing_dma;
	memset(fc->store, 0xee, 512);
	/* A write whose data cannot come in reaches no block. */
	EXPECT_EQ(NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR, fc_run1(fc, 1, &s, 2));
	EXPECT_EQ(0xee, fc->store[0]);
	/* A read whose data cannot go out fails too. */
	rw(&s, nvme_cmd_read, 0, 1, DATA2_GPA, 0);
	EXPECT_EQ(NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR, fc_run1(fc, 1, &s, 3));
	dma->ops = ops;
	EXPECT_TRUE(lio_card_plat.room(&fc->v));
	EXPECT_EQ(0, fc_run1(fc, 1, &s, 4));
	EXPECT_EQ(0xee, *fc_g(fc, DATA2_GPA));
}

TEST_F(card, journal_redo_waits_for_staging_room)
{
	struct fake_card *fc = &self->fc;
	struct iovec taken[4];
	struct nvme_sqe s;
	struct nvme_cqe c;
	char err[256];
	unsigned int i, done = 0;
	u16 cid;

	/* Four writes at the backend hold the four buffers; two wait. */
	fc->hold = true;
	for (cid = 1; cid <= 6; cid++) {
		fill(fc, DATA_GPA + cid * 4096, 512, (u8)cid);
		rw(&s, nvme_cmd_write, cid, 1, DATA_GPA + cid * 4096, 0);
		s.cid = cpu_to_le16(cid);
		fc_submit(fc, 1, &s);
	}
	fc_poll(fc, 4);
	ASSERT_EQ(4U, fc->nr_held);
	EXPECT_FALSE(lio_card_plat.room(&fc->v));
	/* leapiod dies with them there: the buffers stay taken. */
	for (i = 0; i < 4; i++)
		taken[i] = fc->held[i]->iov[0];
	fc->nr_held = 0;
	fc_detach(fc);

	/* The next attach finds four to redo and no room for any. */
	ASSERT_EQ(0, fc_attach(fc, err, sizeof(err))) TH_LOG("%s", err);
	fc_poll(fc, 4);
	EXPECT_EQ(0U, fc->nr_held);
	EXPECT_FALSE(fc_reap(fc, 1, &c));	/* none failed for want of it */
	EXPECT_TRUE(fc->v.any_redo);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, lio_card_plat.stage_out(&fc->v, &taken[i], NULL, 0,
						     false));
	/* Room again: redone, then the two never fetched. */
	fc->hold = false;
	fc_poll(fc, 4);
	EXPECT_FALSE(fc->v.any_redo);
	while (fc_reap(fc, 1, &c)) {
		EXPECT_EQ(0, le16_to_cpu(c.status) & ~1U);
		done++;
	}
	EXPECT_EQ(6U, done);
	for (cid = 1; cid <= 6; cid++)
		EXPECT_TRUE(same(fc, DATA_GPA + cid * 4096,
				 fc->store + cid * 512, 512));
}

/*
 * The driver revoked the slot (no ack within CAP.TO: owner REVOKED, no
 * gen bump) while a read waited at the backend: its data does not go to
 * guest memory when it completes, no write's data is read from guest
 * memory, the poller is told to let go, attaching again is refused until
 * the vdev is handed to the card again, and a freed slot is acknowledged
 * while detached.
 */
TEST_F(card, revoked_touches_no_guest_memory)
{
	struct fake_card *fc = &self->fc;
	struct iovec in = { 0 }, buf = { 0 };
	struct nvme_sqe s;
	struct nvme_cqe c;
	u8 data[512];
	char err[256];
	const char *why;
	u32 i;

	fill(fc, DATA_GPA, 512, 9);
	rw(&s, nvme_cmd_write, 4, 1, DATA_GPA, 0);
	ASSERT_EQ(0, fc_run1(fc, 1, &s, 1));
	memset(fc_g(fc, DATA2_GPA), 0xc3, 512);
	fc->hold = true;
	rw(&s, nvme_cmd_read, 4, 1, DATA2_GPA, 0);
	s.cid = cpu_to_le16(2);
	fc_submit(fc, 1, &s);
	fc_poll(fc, 4);
	ASSERT_EQ(1U, fc->nr_held);
	ASSERT_EQ(NULL, lio_card_plat.gone(&fc->att));

	fc->slot->owner = LEAPIO_CARD_OWNER_REVOKED;
	why = lio_card_plat.gone(&fc->att);
	ASSERT_NE(NULL, why);
	EXPECT_NE(NULL, strstr(why, "revoked"));
	fc_release(fc);
	fc_poll(fc, 2);
	for (i = 0; i < 512; i++)
		ASSERT_EQ(0xc3, *fc_g(fc, DATA2_GPA + i));
	/* Failed, not served (the controller fails anyway). */
	ASSERT_TRUE(fc_reap(fc, 1, &c));
	EXPECT_EQ(NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR,
		  le16_to_cpu(c.status) & ~1U);
	memset(data, 0x11, sizeof(data));
	in.iov_base = data;
	in.iov_len = sizeof(data);
	EXPECT_EQ(-EFAULT, lio_card_plat.stage_in(&fc->v, &in, 1, 512, true, &buf));
	EXPECT_TRUE(lio_card_plat.room(&fc->v));

	fc_detach(fc);
	EXPECT_EQ(-ENODEV, fc_attach(fc, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "revoked"));
	/* Removed meanwhile: the freed slot acknowledged, we hold none. */
	fc->slot->region_off = 0;
	fc_slot_change(fc, LEAPIO_CARD_OWNER_NONE);
	lio_card_plat.idle(fc->card, FC_UUID);
	EXPECT_EQ(fc->slot->gen, fc->slot->card_ack);
	/* Handed to the card again: served as before. */
	fc->slot->region_off = LEAPIO_CARD_DATA_OFF;
	fc_slot_change(fc, LEAPIO_CARD_OWNER_CARD);
	ASSERT_EQ(0, fc_attach(fc, err, sizeof(err))) TH_LOG("%s", err);
	fc_poll(fc, 2);
	rw(&s, nvme_cmd_read, 4, 1, DATA2_GPA, 0);
	s.cid = cpu_to_le16(3);
	fc_submit(fc, 1, &s);
	fc_poll(fc, 4);
	ASSERT_EQ(1U, fc->nr_held);

	/*
	 * Revoked and handed to the card again while we did not look (owner
	 * REVOKED, then CARD with a new gen): the read of before still
	 * reaches nothing, and this attachment lets go.
	 */
	fc->slot->owner = LEAPIO_CARD_OWNER_REVOKED;
	fc_slot_change(fc, LEAPIO_CARD_OWNER_CARD);
	fc_release(fc);
	fc_poll(fc, 2);
	for (i = 0; i < 512; i++)
		ASSERT_EQ(0xc3, *fc_g(fc, DATA2_GPA + i));
	EXPECT_NE(NULL, strstr(lio_card_plat.gone(&fc->att) ?: "", "revoked"));
	fc_detach(fc);
	ASSERT_EQ(0, fc_attach(fc, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(fc->slot->gen, fc->slot->card_ack);
	fc->hold = false;
	fc_poll(fc, 2);
	while (fc_reap(fc, 1, &c))
		;
	rw(&s, nvme_cmd_read, 4, 1, DATA2_GPA, 0);
	ASSERT_EQ(0, fc_run1(fc, 1, &s, 4));
	EXPECT_TRUE(same(fc, DATA2_GPA, fc->store + 4 * 512, 512));
}

TEST(staging_outside_a_pfn_mapped_dram)
{
	struct fake_card *fc = malloc(sizeof(*fc));
	struct nvme_sqe s;
	struct iovec buf;
	u8 *b;
	char err[256];

	/* As the rig's ivshmem BAR: buffers in leapiod's own memory. */
	fc_init(fc, 2, NSZE);
	fc->dev.dram_pfnmap = true;
	ASSERT_EQ(0, fc_attach(fc, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, fc_create_cq(fc, 1, CQ_GPA, CQS, 1));
	ASSERT_EQ(0, fc_create_sq(fc, 1, SQ_GPA, QS, 1));
	fc_poll(fc, 4);
	fill(fc, DATA_GPA, 4096, 8);
	rw(&s, nvme_cmd_write, 0, 8, DATA_GPA, 0);
	ASSERT_EQ(0, fc_run1(fc, 1, &s, 1));
	EXPECT_TRUE(same(fc, DATA_GPA, fc->store, 4096));
	ASSERT_EQ(0, lio_card_plat.stage_in(&fc->v, NULL, 0, 512, false, &buf));
	b = buf.iov_base;
	EXPECT_TRUE(b < fc->dev.dram || b >= fc->dev.dram + FC_DRAM_SIZE);
	EXPECT_EQ(0, lio_card_plat.stage_out(&fc->v, &buf, NULL, 0, false));
	fc_fini(fc);
	free(fc);
}

TEST(pfnmap_probe)
{
	void *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, m);
	/* Ordinary memory is not; an address not mapped is no answer. */
	EXPECT_EQ(0, lio_is_pfnmap(m));
	EXPECT_EQ(0, lio_is_pfnmap((u8 *)m + 4096));
	munmap(m, 8192);
	EXPECT_EQ(-ENOENT, lio_is_pfnmap(m));
}

TEST(card_attach_refusals)
{
	struct fake_card *fc = malloc(sizeof(*fc));
	char err[256];

	fc_init(fc, 2, NSZE);
	/* The host's: not attached, but its change acknowledged. */
	fc_slot_change(fc, LEAPIO_CARD_OWNER_HOST);
	EXPECT_EQ(-ENODEV, fc_attach(fc, err, sizeof(err)));
	EXPECT_NE(2U, fc->slot->card_ack);
	lio_card_plat.idle(fc->card, FC_UUID);
	EXPECT_EQ(2U, fc->slot->card_ack);
	fc_slot_change(fc, LEAPIO_CARD_OWNER_CARD);

	/* Another vdev's region behind our slot. */
	fc->r.ctrl->uuid[0] ^= 1;
	EXPECT_EQ(-EPROTO, fc_attach(fc, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "another vdev"));
	fc->r.ctrl->uuid[0] ^= 1;
	/* A region outside the card's share of DRAM. */
	fc->slot->region_off = FC_DRAM_SIZE - FC_RESERVE;
	EXPECT_EQ(-EPROTO, fc_attach(fc, err, sizeof(err)));
	fc->slot->region_off = LEAPIO_CARD_DATA_OFF;
	/* No slot has it. */
	fc->slot->uuid[15] ^= 1;
	EXPECT_EQ(-ENODEV, fc_attach(fc, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "no slot"));
	fc->slot->uuid[15] ^= 1;
	/* Another major version of the directory. */
	fc->hdr->version_major++;
	EXPECT_EQ(-EPROTO, fc_attach(fc, err, sizeof(err)));
	fc->hdr->version_major--;
	/* The host driver has not bound the card. */
	fc->hdr->magic = 0;
	EXPECT_EQ(-ENODEV, fc_attach(fc, err, sizeof(err)));
	fc->hdr->magic = LEAPIO_CARD_MAGIC;
	EXPECT_EQ(-EINVAL, lio_card_plat.attach(fc->card, "not-a-uuid",
						&fc->att, err, sizeof(err)));
	/* And with all put back, it attaches. */
	ASSERT_EQ(0, fc_attach(fc, err, sizeof(err))) TH_LOG("%s", err);
	fc_fini(fc);
	free(fc);
}

/*
 * The host driver's bind as the card sees it: bound once attached, let go
 * when the magic goes (an unbind), bound again at the next generation;
 * each change is logged once (card.c, lio_card_watch_host).
 */
TEST(host_bind_is_watched)
{
	struct fake_card *fc = malloc(sizeof(*fc));
	char err[256];
	u32 g, seen = 0;

	fc_init(fc, 2, NSZE);
	EXPECT_FALSE(lio_card_host_bound(fc->card, &seen));
	ASSERT_EQ(0, fc_attach(fc, err, sizeof(err))) TH_LOG("%s", err);
	g = fc->hdr->host_gen;
	EXPECT_TRUE(lio_card_host_bound(fc->card, &seen));
	EXPECT_EQ(g, seen);
	fc_detach(fc);

	/* Unbound: the magic goes. */
	fc->hdr->magic = 0;
	lio_card_plat.idle(fc->card, FC_UUID);
	EXPECT_FALSE(lio_card_host_bound(fc->card, &seen));
	EXPECT_EQ(-ENODEV, fc_attach(fc, err, sizeof(err)));
	EXPECT_FALSE(lio_card_host_bound(fc->card, &seen));

	/* Bound again: a new generation, and the card ready for it. */
	fc->hdr->host_gen = g + 1;
	fc->hdr->magic = LEAPIO_CARD_MAGIC;
	lio_card_plat.idle(fc->card, FC_UUID);
	EXPECT_TRUE(lio_card_host_bound(fc->card, &seen));
	EXPECT_EQ(g + 1, seen);
	EXPECT_EQ(g + 1, fc->hdr->card_ready);
	fc_fini(fc);
	free(fc);
}

/*
 * The namespace is checked against the backend at attach, whatever the
 * platform: larger than it, or with LBAs smaller than its blocks (a
 * remote namespace formatted with 4 KiB blocks under a 512-byte vdev),
 * the vdev is refused with a sentence saying what to change.
 */
TEST(namespace_must_fit_backend)
{
	struct fake_card fc;
	char err[256] = "";

	fc_init(&fc, 1, NSZE);
	fc.bdev.block_size = 4096;
	EXPECT_EQ(-EINVAL, fc_attach(&fc, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "LBA size (512 bytes) is smaller than the block size"))
		TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "give the mdev lba_size 4096")) TH_LOG("%s", err);
	fc.bdev.block_size = 512;
	fc.bdev.size = (NSZE - 8) * 512;
	EXPECT_EQ(-EFBIG, fc_attach(&fc, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "is larger than its backend")) TH_LOG("%s", err);
	fc.bdev.size = NSZE * 512;
	ASSERT_EQ(0, fc_attach(&fc, err, sizeof(err))) TH_LOG("%s", err);
	fc_fini(&fc);
}

TEST_HARNESS_MAIN
