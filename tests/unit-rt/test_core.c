// SPDX-License-Identifier: GPL-2.0
/*
 * leapiod's core against a fake host (fake_host.c): data through every
 * PRP shape, every refusal with its status, queues wrapping and filling,
 * the journal across a restart, resets and deletions with requests at the
 * backend, interrupts and SMART counters.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/lio_harness.h"
#include "fake_host.h"
#include "../lib/nvme_build.h"

#define NSZE		8192		/* 512-byte LBAs: 4 MiB */
#define SQ_GPA		0x10000
#define CQ_GPA		0x20000
#define DATA_GPA	0x100000
#define LIST_GPA	0x80000
#define QSIZE		16

#define SC(s)		((le16_to_cpu((s)) >> 1) & 0x7fff)

FIXTURE(core) {
	struct fake_host h;
};

FIXTURE_SETUP(core)
{
	fh_init(&self->h, 4, NSZE, 9);
	fh_create_cq(&self->h, 1, CQ_GPA, QSIZE, 1, true);
	fh_create_sq(&self->h, 1, SQ_GPA, QSIZE, 1);
	fh_poll(&self->h, 2);
}

FIXTURE_TEARDOWN(core)
{
	/* Whatever a test made leapiod ask, the driver found well formed. */
	EXPECT_EQ(0U, self->h.bad_reqs);
	fh_release(&self->h, 0);
	fh_fini(&self->h);
}

/* Submit one command, poll, reap its CQE: the status field (no phase). */
static u16 run1(struct fake_host *h, const struct nvme_sqe *s,
		struct nvme_cqe *out)
{
	struct nvme_cqe cqe;
	int i;

	fh_submit(h, 1, s);
	for (i = 0; i < 8; i++) {
		fh_poll(h, 1);
		if (fh_reap(h, 1, &cqe)) {
			if (out)
				*out = cqe;
			return le16_to_cpu(cqe.status) & ~1U;
		}
	}
	return 0xffff;
}

static void fill(u8 *p, size_t n, u8 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(seed + i * 7);
}

TEST_F(core, write_read_prp1_prp2)
{
	struct nvme_sqe s;
	struct nvme_cqe c;
	u8 *g = self->h.gmem;

	fill(g + DATA_GPA, 8192, 3);
	fh_rw_sqe(&s, nvme_cmd_write, 7, 16, 16, DATA_GPA, DATA_GPA + 4096);
	ASSERT_EQ(0, run1(&self->h, &s, &c));
	EXPECT_EQ(7, le16_to_cpu(c.cid));
	EXPECT_EQ(1, le16_to_cpu(c.sq_id));
	EXPECT_EQ(1, le16_to_cpu(c.sq_head));
	EXPECT_EQ(0, memcmp(self->h.store + 16 * 512, g + DATA_GPA, 8192));

	memset(g + DATA_GPA + 0x10000, 0, 8192);
	fh_rw_sqe(&s, nvme_cmd_read, 8, 16, 16, DATA_GPA + 0x10000,
		  DATA_GPA + 0x11000);
	ASSERT_EQ(0, run1(&self->h, &s, NULL));
	EXPECT_EQ(0, memcmp(g + DATA_GPA + 0x10000, g + DATA_GPA, 8192));
	EXPECT_EQ(1, self->h.r.sq[1].cmds_read);
	EXPECT_EQ(1, self->h.r.sq[1].cmds_written);
	EXPECT_EQ(8192, self->h.r.sq[1].bytes_written);
}

TEST_F(core, prp_list_unaligned_max_transfer)
{
	const struct nb_prp_list list = {
		(__le64 *)(self->h.gmem + LIST_GPA), LIST_GPA, 4096,
	};
	u32 len = 4096U << 6, i;
	u64 p1 = DATA_GPA + 0x200;	/* unaligned first page */
	u64 pages[65];
	struct nvme_sqe s;
	struct nb_prp p;

	/* After the first, pages scattered backwards, so that nothing
	 * merges by luck: 65 pages, a list of 64.
	 */
	pages[0] = DATA_GPA;
	for (i = 0; i < 64; i++)
		pages[i + 1] = DATA_GPA + 0x200000 - (u64)i * 8192;
	ASSERT_EQ(0, nb_prp_pages(&p, 4096, pages, 65, 0x200, len, &list));
	ASSERT_EQ(64 * 8U, p.list_bytes);
	fill(self->h.store, len, 9);
	fh_rw_sqe(&s, nvme_cmd_read, 1, 0, len / 512, p.prp1, p.prp2);
	ASSERT_EQ(0, run1(&self->h, &s, NULL));
	EXPECT_EQ(0, memcmp(self->h.gmem + p1, self->h.store, 4096 - 0x200));
	EXPECT_EQ(0, memcmp(self->h.gmem + DATA_GPA + 0x200000,
			    self->h.store + 4096 - 0x200, 4096));
	/* One block more than MDTS. */
	fh_rw_sqe(&s, nvme_cmd_read, 2, 0, len / 512 + 1, DATA_GPA, LIST_GPA);
	EXPECT_EQ(NVME_SC_INVALID_FIELD | NVME_STATUS_DNR,
		  run1(&self->h, &s, NULL));
}

TEST_F(core, refusals)
{
	struct nvme_sqe s;
	unsigned int before;

	fh_rw_sqe(&s, 0x7f, 1, 0, 1, DATA_GPA, 0);
	EXPECT_EQ(NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR, run1(&self->h, &s, NULL));
	fh_rw_sqe(&s, nvme_cmd_read, 2, 0, 1, DATA_GPA, 0);
	s.nsid = cpu_to_le32(2);
	EXPECT_EQ(NVME_SC_INVALID_NS | NVME_STATUS_DNR, run1(&self->h, &s, NULL));
	fh_rw_sqe(&s, nvme_cmd_read, 3, 0, 1, DATA_GPA, 0);
	s.flags = 0x40;
	EXPECT_EQ(NVME_SC_INVALID_FIELD | NVME_STATUS_DNR, run1(&self->h, &s, NULL));
	fh_rw_sqe(&s, nvme_cmd_read, 4, NSZE - 1, 2, DATA_GPA, 0);
	EXPECT_EQ(NVME_SC_LBA_RANGE | NVME_STATUS_DNR, run1(&self->h, &s, NULL));
	fh_rw_sqe(&s, nvme_cmd_write, 5, ~0ULL, 2, DATA_GPA, 0);
	EXPECT_EQ(NVME_SC_LBA_RANGE | NVME_STATUS_DNR, run1(&self->h, &s, NULL));
	fh_rw_sqe(&s, nvme_cmd_read, 6, 0, 1, DATA_GPA + 2, 0);
	EXPECT_EQ(NVME_SC_PRP_OFFSET_INVALID | NVME_STATUS_DNR,
		  run1(&self->h, &s, NULL));
	/* A GPA the guest never mapped: nothing reaches the backend. */
	self->h.hole_start = 0x400000;
	self->h.hole_len = 0x200000;
	before = self->h.submitted;
	fh_rw_sqe(&s, nvme_cmd_write, 7, 0, 16, DATA_GPA, 0x400000);
	EXPECT_EQ(NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR,
		  run1(&self->h, &s, NULL));
	EXPECT_EQ(before, self->h.submitted);
	fh_rw_sqe(&s, nvme_cmd_write, 8, 0, 1, FH_GMEM_SIZE + 4096, 0);
	EXPECT_EQ(NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR,
		  run1(&self->h, &s, NULL));
	EXPECT_EQ(before, self->h.submitted);
}

TEST_F(core, flush_zeroes_dsm_compare_fua)
{
	struct nvme_sqe s;
	__le64 *r = (__le64 *)(self->h.gmem + LIST_GPA);

	fill(self->h.store, 64 * 512, 1);
	nb_flush(&s, 0xffffffff);
	s.cid = cpu_to_le16(1);
	EXPECT_EQ(0, run1(&self->h, &s, NULL));
	EXPECT_EQ(LIO_IO_FLUSH, self->h.last_op);
	nb_write_zeroes(&s, 1, 0, 8, 0);
	s.cid = cpu_to_le16(2);
	EXPECT_EQ(0, run1(&self->h, &s, NULL));
	EXPECT_EQ(0, self->h.store[0] | self->h.store[8 * 512 - 1]);
	EXPECT_NE(0, self->h.store[8 * 512 + 1]);
	/* DSM deallocate, one range: LBAs 16..23 */
	memset(r, 0, 16);
	((__le32 *)r)[1] = cpu_to_le32(8);
	r[1] = cpu_to_le64(16);
	nb_dsm(&s, 1, NB_DSM_AD, 1, LIST_GPA);
	s.cid = cpu_to_le16(3);
	EXPECT_EQ(0, run1(&self->h, &s, NULL));
	EXPECT_EQ(0, self->h.store[16 * 512] | self->h.store[24 * 512 - 1]);
	/* Compare: equal, then not. */
	memcpy(self->h.gmem + DATA_GPA, self->h.store + 32 * 512, 4096);
	fh_rw_sqe(&s, nvme_cmd_compare, 4, 32, 8, DATA_GPA, 0);
	EXPECT_EQ(0, run1(&self->h, &s, NULL));
	self->h.gmem[DATA_GPA + 100] ^= 1;
	fh_rw_sqe(&s, nvme_cmd_compare, 5, 32, 8, DATA_GPA, 0);
	EXPECT_EQ(NVME_SC_COMPARE_FAILED | NVME_STATUS_DNR,
		  run1(&self->h, &s, NULL));
	fh_rw_sqe(&s, nvme_cmd_write, 6, 0, 1, DATA_GPA, 0);
	s.cdw12 |= cpu_to_le32(NVME_RW_FUA);
	EXPECT_EQ(0, run1(&self->h, &s, NULL));
	EXPECT_TRUE(self->h.last_fua);
}

TEST_F(core, wrap_and_cq_full)
{
	struct nvme_sqe s;
	struct nvme_cqe c;
	unsigned int i, got = 0;

	/* 40 commands through a 16-entry SQ and CQ, reaping late. */
	for (i = 0; i < 40; i++) {
		if (i && !(i % 10)) {
			fh_poll(&self->h, 3);
			/* The CQ holds at most 15: never overwritten. */
			while (fh_reap(&self->h, 1, &c)) {
				EXPECT_EQ(got, le16_to_cpu(c.cid));
				got++;
			}
		}
		fh_rw_sqe(&s, nvme_cmd_read, i, i, 1, DATA_GPA, 0);
		fh_submit(&self->h, 1, &s);
		fh_poll(&self->h, 1);
	}
	for (i = 0; i < 20 && got < 40; i++) {
		fh_poll(&self->h, 2);
		while (fh_reap(&self->h, 1, &c)) {
			EXPECT_EQ(got, le16_to_cpu(c.cid));
			EXPECT_EQ(0, le16_to_cpu(c.status) & ~1U);
			got++;
		}
	}
	EXPECT_EQ(40, got);
}

TEST_F(core, restart_redoes_the_journal)
{
	struct nvme_sqe s;
	struct nvme_cqe c;
	unsigned int i, got = 0;
	bool seen[8] = { 0 };

	self->h.hold = true;
	fill(self->h.gmem + DATA_GPA, 4096, 5);
	for (i = 0; i < 4; i++) {
		fh_rw_sqe(&s, nvme_cmd_write, i, i * 8, 8, DATA_GPA, 0);
		fh_submit(&self->h, 1, &s);
	}
	fh_poll(&self->h, 2);
	EXPECT_EQ(4, self->h.nr_held);
	/* Two complete, then the runtime dies with two at the backend. */
	fh_release(&self->h, 2);
	self->h.nr_held = 0;		/* the process is gone */
	fh_detach(&self->h);
	self->h.hold = false;
	fh_attach(&self->h);
	fh_poll(&self->h, 3);
	while (fh_reap(&self->h, 1, &c)) {
		u16 cid = le16_to_cpu(c.cid);

		ASSERT_LT(cid, 4);
		EXPECT_FALSE(seen[cid]);	/* no duplicate */
		seen[cid] = true;
		got++;
	}
	EXPECT_EQ(4, got);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, memcmp(self->h.store + i * 4096,
				    self->h.gmem + DATA_GPA, 4096));
}

TEST_F(core, reset_with_io_at_the_backend)
{
	struct nvme_sqe s;
	struct nvme_cqe c;

	self->h.hold = true;
	fh_rw_sqe(&s, nvme_cmd_read, 1, 0, 8, DATA_GPA, 0);
	fh_submit(&self->h, 1, &s);
	fh_poll(&self->h, 2);
	ASSERT_EQ(1, self->h.nr_held);
	fh_reset(&self->h);
	fh_poll(&self->h, 3);
	/* Not acked while the backend holds a request of the old run. */
	EXPECT_NE(self->h.r.ctrl->seq, self->h.r.ctrl->ack);
	fh_release(&self->h, 0);
	fh_poll(&self->h, 2);
	EXPECT_EQ(self->h.r.ctrl->seq, self->h.r.ctrl->ack);
	EXPECT_FALSE(fh_reap(&self->h, 1, &c));
}

TEST_F(core, sq_delete_drains)
{
	struct nvme_sqe s;
	struct nvme_cqe c;

	self->h.hold = true;
	fh_rw_sqe(&s, nvme_cmd_read, 9, 0, 8, DATA_GPA, 0);
	fh_submit(&self->h, 1, &s);
	fh_poll(&self->h, 2);
	fh_delete_sq(&self->h, 1);
	fh_poll(&self->h, 2);
	EXPECT_NE(self->h.r.ctrl->seq, self->h.r.ctrl->ack);
	fh_release(&self->h, 0);
	fh_poll(&self->h, 2);
	EXPECT_EQ(self->h.r.ctrl->seq, self->h.r.ctrl->ack);
	ASSERT_TRUE(fh_reap(&self->h, 1, &c));
	EXPECT_EQ(9, le16_to_cpu(c.cid));
}

TEST_F(core, interrupts_and_coalescing)
{
	struct nvme_sqe s;
	struct nvme_cqe c;
	int i;

	fh_irq_count(&self->h, 1);
	fh_rw_sqe(&s, nvme_cmd_read, 1, 0, 1, DATA_GPA, 0);
	ASSERT_EQ(0, run1(&self->h, &s, &c));
	EXPECT_EQ(1, fh_irq_count(&self->h, 1));
	/* Threshold 4 (0's based 3), a long time: three completions wait. */
	self->h.r.ctrl->irq_coalesce = 3 | (255 << 8);
	fh_bump(&self->h);
	for (i = 0; i < 3; i++) {
		fh_rw_sqe(&s, nvme_cmd_read, 2 + i, 0, 1, DATA_GPA, 0);
		fh_submit(&self->h, 1, &s);
	}
	fh_poll(&self->h, 3);
	EXPECT_EQ(0, fh_irq_count(&self->h, 1));
	fh_rw_sqe(&s, nvme_cmd_read, 9, 0, 1, DATA_GPA, 0);
	fh_submit(&self->h, 1, &s);
	fh_poll(&self->h, 2);
	EXPECT_EQ(1, fh_irq_count(&self->h, 1));
	/* Masked: through the mailbox instead. */
	self->h.r.ctrl->irq_coalesce = 0;
	self->h.r.ctrl->msix_masked[0] = 1ULL << 1;
	fh_bump(&self->h);
	fh_rw_sqe(&s, nvme_cmd_read, 10, 0, 1, DATA_GPA, 0);
	fh_submit(&self->h, 1, &s);
	fh_poll(&self->h, 2);
	EXPECT_EQ(0, fh_irq_count(&self->h, 1));
	EXPECT_EQ(1, self->h.irqs_mbox);
	while (fh_reap(&self->h, 1, &c))
		;
}

TEST_F(core, bad_doorbell_is_an_aen)
{
	*leapio_db_ptr(&self->h.r, 2) = cpu_to_le32(QSIZE + 3);
	fh_poll(&self->h, 2);
	EXPECT_EQ(1, self->h.aens);
	EXPECT_EQ(NVME_AER_DW0(NVME_AER_TYPE_ERROR, NVME_AER_ERROR_INVALID_DB_VAL,
			       NVME_LOG_ERROR), self->h.last_aen);
}

TEST_F(core, shadow_doorbells)
{
	struct nvme_sqe s;
	struct nvme_cqe c;
	__le32 *shadow = (__le32 *)(self->h.gmem + 0x300000);
	__le32 *evidx = (__le32 *)(self->h.gmem + 0x340000);

	self->h.r.ctrl->dbbuf = 1;
	self->h.r.ctrl->dbbuf_shadow = 0x300000;
	self->h.r.ctrl->dbbuf_eventidx = 0x340000;
	fh_bump(&self->h);
	fh_poll(&self->h, 2);
	fh_rw_sqe(&s, nvme_cmd_read, 3, 0, 1, DATA_GPA, 0);
	fh_queue(&self->h, 1, &s);
	/* Only the shadow moves: the runtime must still see it. */
	shadow[2 * 1024] = cpu_to_le32(self->h.sq_tail[1]);
	fh_poll(&self->h, 2);
	ASSERT_TRUE(fh_reap(&self->h, 1, &c));
	EXPECT_EQ(3, le16_to_cpu(c.cid));
	/* Polling: EventIdx one behind the tail, so the guest never rings. */
	EXPECT_EQ((u16)(self->h.sq_tail[1] - 1), le32_to_cpu(evidx[2 * 1024]));
}

TEST_HARNESS_MAIN
