// SPDX-License-Identifier: GPL-2.0
/*
 * BAR0 registers and the controller's life: CAP/VS, INTMS/INTMC, CC and
 * its enable checks, the admin queue registers, shutdown, controller and
 * function reset, power off, BAR access checks, namespace geometry.
 */
#include <stdlib.h>

#include "../lib/lio_harness.h"
#include "fake_guest.h"

#define CC_GOOD		((NVME_CQES_LOG2 << NVME_CC_IOCQES_SHIFT) | \
			 (NVME_SQES_LOG2 << NVME_CC_IOSQES_SHIFT) | NVME_CC_EN)
#define AQA_64		((63U << NVME_AQA_ACQS_SHIFT) | 63U)
#define IO_CQ		(FG_FREE)
#define IO_SQ		(FG_FREE + 0x10000)
#define DBBUF_SHADOW	(FG_FREE + 0x100000)
#define DBBUF_EI	(FG_FREE + 0x200000)

/* Admin queue registers as fg_enable sets them, then CC; returns CSTS. */
static u32 enable_with(struct fake_guest *g, u32 aqa, u32 cc)
{
	g->asq_tail = 0;
	g->acq_head = 0;
	g->acq_phase = 1;
	memset(fg_ptr(g, FG_ACQ), 0, FG_ADMIN_QSIZE * NVME_CQE_SIZE);
	fg_write32(g, NVME_REG_AQA, aqa);
	fg_write64(g, NVME_REG_ASQ, FG_ASQ);
	fg_write64(g, NVME_REG_ACQ, FG_ACQ);
	fg_write32(g, NVME_REG_CC, cc);
	return fg_read32(g, NVME_REG_CSTS);
}

static int bar_rd(struct fake_guest *g, int bar, u64 off, u32 len)
{
	u64 v;

	return lio_vctrl_bar_read(g->c, bar, off, &v, len);
}

static int bar_wr(struct fake_guest *g, int bar, u64 off, u32 len, u64 val)
{
	u64 v = cpu_to_le64(val);

	return lio_vctrl_bar_write(g->c, bar, off, &v, len);
}

/* An admin command that must succeed: the controller works. */
static void admin_works(struct __test_metadata *_metadata,
			struct fake_guest *g)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, FG_DATA);
	ASSERT_EQ(0, fg_admin(g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
}

static u16 submit_aer(struct fake_guest *g)
{
	struct nvme_sqe sqe;

	nb_aer(&sqe);
	fg_admin_submit(g, &sqe);
	return le16_to_cpu(sqe.cid);
}

FIXTURE(regs) {
	struct fake_guest *g;
};

FIXTURE_SETUP(regs)
{
	self->g = fg_new(4);
}

FIXTURE_TEARDOWN(regs)
{
	fg_free(self->g);
}

TEST_F(regs, cap)
{
	struct fake_guest *g = self->g;
	u64 cap = fg_read64(g, NVME_REG_CAP);

	ASSERT_EQ((u64)LIO_MQES, cap & 0xffff);
	ASSERT_EQ(1023ULL, cap & 0xffff);
	ASSERT_TRUE(!!(cap & NVME_CAP_CQR));
	ASSERT_EQ(0ULL, (cap >> NVME_CAP_AMS_SHIFT) & 3);	/* RR only */
	ASSERT_EQ((u64)LIO_CAP_TO, (cap >> NVME_CAP_TO_SHIFT) & 0xff);
	ASSERT_EQ((u64)LEAPIO_DSTRD, (cap >> NVME_CAP_DSTRD_SHIFT) & 0xf);
	ASSERT_EQ(0ULL, cap & NVME_CAP_NSSRS);
	ASSERT_EQ(1ULL, (cap >> NVME_CAP_CSS_SHIFT) & 0xff);	/* NVM only */
	ASSERT_EQ(0ULL, cap & NVME_CAP_BPS);
	ASSERT_EQ(0ULL, (cap >> NVME_CAP_MPSMIN_SHIFT) & 0xf);	/* 4 KiB */
	ASSERT_EQ(0ULL, (cap >> NVME_CAP_MPSMAX_SHIFT) & 0xf);
	ASSERT_EQ(0ULL, cap >> 56);
	ASSERT_EQ(LIO_MQES | NVME_CAP_CQR | (u64)LIO_CAP_TO << 24 |
		  (u64)LEAPIO_DSTRD << 32 | NVME_CAP_CSS_NVM, cap);
	/* Two dword reads say the same. */
	ASSERT_EQ((u32)cap, fg_read32(g, NVME_REG_CAP));
	ASSERT_EQ((u32)(cap >> 32), fg_read32(g, NVME_REG_CAP + 4));
	ASSERT_EQ(4096U, lio_page_size(g->c));
}

TEST_F(regs, version)
{
	ASSERT_EQ(0x00010400U, fg_read32(self->g, NVME_REG_VS));
}

TEST_F(regs, power_on_values)
{
	struct fake_guest *g = self->g;
	u64 off;

	ASSERT_EQ(0U, fg_read32(g, NVME_REG_CC));
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_CSTS));
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_AQA));
	ASSERT_EQ(0ULL, fg_read64(g, NVME_REG_ASQ));
	ASSERT_EQ(0ULL, fg_read64(g, NVME_REG_ACQ));
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_INTMS));
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_INTMC));
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_NSSR));
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_CMBLOC));
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_CMBSZ));
	for (off = 0x38; off < LEAPIO_REGS_SIZE; off += 4)
		ASSERT_EQ(0U, fg_read32(g, off));
}

TEST_F(regs, read_only_registers)
{
	struct fake_guest *g = self->g;
	u64 cap = fg_read64(g, NVME_REG_CAP);
	u64 off;

	fg_write64(g, NVME_REG_CAP, ~0ULL);
	fg_write32(g, NVME_REG_CAP, 0);
	fg_write32(g, NVME_REG_CAP + 4, 0);
	fg_write32(g, NVME_REG_VS, 0xffffffff);
	fg_write32(g, NVME_REG_CSTS, 0xffffffff);
	for (off = 0x38; off < LEAPIO_REGS_SIZE; off += 4)
		fg_write32(g, off, 0xffffffff);
	fg_write32(g, 0x18, 0xffffffff);
	ASSERT_EQ(cap, fg_read64(g, NVME_REG_CAP));
	ASSERT_EQ(0x00010400U, fg_read32(g, NVME_REG_VS));
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_CSTS));
	ASSERT_EQ(0U, fg_read32(g, 0x18));
	for (off = 0x38; off < LEAPIO_REGS_SIZE; off += 4)
		ASSERT_EQ(0U, fg_read32(g, off));

	/* CSTS can't be written while enabled either. */
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	fg_write32(g, NVME_REG_CSTS, 0);
	fg_write32(g, NVME_REG_CSTS, NVME_CSTS_CFS | NVME_CSTS_SHST_MASK);
	ASSERT_EQ(NVME_CSTS_RDY, fg_read32(g, NVME_REG_CSTS));
}

TEST_F(regs, nssr_not_supported)
{
	struct fake_guest *g = self->g;

	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	fg_write32(g, NVME_REG_NSSR, 0x4e564d65);	/* "NVMe" */
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_NSSR));
	ASSERT_EQ(NVME_CSTS_RDY, fg_read32(g, NVME_REG_CSTS));
	admin_works(_metadata, g);
}

TEST_F(regs, intms_intmc)
{
	struct fake_guest *g = self->g;

	fg_write32(g, NVME_REG_INTMS, 0x21);
	ASSERT_EQ(0x21U, fg_read32(g, NVME_REG_INTMS));
	ASSERT_EQ(0x21U, fg_read32(g, NVME_REG_INTMC));
	/* Set is cumulative, zeros change nothing. */
	fg_write32(g, NVME_REG_INTMS, 0x100);
	fg_write32(g, NVME_REG_INTMS, 0);
	ASSERT_EQ(0x121U, fg_read32(g, NVME_REG_INTMS));
	fg_write32(g, NVME_REG_INTMC, 0x20);
	ASSERT_EQ(0x101U, fg_read32(g, NVME_REG_INTMS));
	fg_write32(g, NVME_REG_INTMC, 0);
	ASSERT_EQ(0x101U, fg_read32(g, NVME_REG_INTMC));
	fg_write32(g, NVME_REG_INTMC, 0xffffffff);
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_INTMS));
	fg_write32(g, NVME_REG_INTMS, 0xffffffff);
	ASSERT_EQ(0xffffffffU, fg_read32(g, NVME_REG_INTMC));

	/* A controller reset clears the mask. */
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	ASSERT_EQ(0xffffffffU, fg_read32(g, NVME_REG_INTMS));
	fg_disable(g);
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_INTMS));
}

TEST_F(regs, cc_writable_bits)
{
	struct fake_guest *g = self->g;

	/* Everything but EN and SHN (which act): reserved bits drop. */
	fg_write32(g, NVME_REG_CC, 0xffff3ffe);
	ASSERT_EQ(0x00ff3ff0U, fg_read32(g, NVME_REG_CC));
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_CSTS));
	fg_write32(g, NVME_REG_CC, 0);
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_CC));
}

TEST_F(regs, enable)
{
	struct fake_guest *g = self->g;

	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	ASSERT_EQ((u32)CC_GOOD, fg_read32(g, NVME_REG_CC));
	ASSERT_EQ(AQA_64, fg_read32(g, NVME_REG_AQA));
	ASSERT_EQ(FG_ASQ, fg_read64(g, NVME_REG_ASQ));
	ASSERT_EQ(FG_ACQ, fg_read64(g, NVME_REG_ACQ));
	admin_works(_metadata, g);
}

/* CC.EN 0 -> 1 with something wrong: fatal, not ready, and inert. */
static void bad_enable(struct __test_metadata *_metadata, struct fake_guest *g,
		       u32 aqa, u32 cc)
{
	struct nvme_sqe *slot = fg_ptr(g, FG_ASQ);
	u8 *before = malloc(FG_MEM_SIZE);
	unsigned int irqs;

	ASSERT_NE(NULL, before);
	nb_identify(slot, NVME_ID_CNS_CTRL, 0, FG_DATA);

	ASSERT_EQ(NVME_CSTS_CFS, enable_with(g, aqa, cc)) {
		TH_LOG("AQA %#x CC %#x", aqa, cc);
	}
	/* A doorbell does nothing: no command runs, nothing is written. */
	irqs = g->msix_count[0];
	memcpy(before, g->mem, FG_MEM_SIZE);
	fg_write32(g, LEAPIO_SQ_DB(0), 1);
	ASSERT_EQ(0, memcmp(before, g->mem, FG_MEM_SIZE));
	ASSERT_EQ(irqs, g->msix_count[0]);
	free(before);

	/* A reset clears the failure; a good enable works. */
	ASSERT_EQ(0U, fg_disable(g));
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	admin_works(_metadata, g);
	ASSERT_EQ(0U, fg_disable(g));
}

TEST_F(regs, enable_checks)
{
	static const u32 bad_cc[] = {
		CC_GOOD | 1U << NVME_CC_MPS_SHIFT,		/* 8 KiB pages */
		CC_GOOD | 0xfU << NVME_CC_MPS_SHIFT,
		CC_GOOD | 1U << NVME_CC_CSS_SHIFT,		/* no such set */
		CC_GOOD | 6U << NVME_CC_CSS_SHIFT,		/* CAP.CSS bit 6 clear */
		CC_GOOD | 7U << NVME_CC_CSS_SHIFT,		/* admin only: not offered */
		CC_GOOD | 1U << NVME_CC_AMS_SHIFT,		/* WRR */
		CC_GOOD | 7U << NVME_CC_AMS_SHIFT,		/* vendor */
		(CC_GOOD & ~NVME_CC_IOSQES_MASK),
		(CC_GOOD & ~NVME_CC_IOSQES_MASK) | 5U << NVME_CC_IOSQES_SHIFT,
		(CC_GOOD & ~NVME_CC_IOSQES_MASK) | 7U << NVME_CC_IOSQES_SHIFT,
		(CC_GOOD & ~NVME_CC_IOSQES_MASK) | 0xfU << NVME_CC_IOSQES_SHIFT,
		(CC_GOOD & ~NVME_CC_IOCQES_MASK),
		(CC_GOOD & ~NVME_CC_IOCQES_MASK) | 3U << NVME_CC_IOCQES_SHIFT,
		(CC_GOOD & ~NVME_CC_IOCQES_MASK) | 5U << NVME_CC_IOCQES_SHIFT,
		(CC_GOOD & ~NVME_CC_IOCQES_MASK) | 0xfU << NVME_CC_IOCQES_SHIFT,
	};
	static const u32 bad_aqa[] = {
		0,				/* one entry each */
		63U << NVME_AQA_ACQS_SHIFT,	/* one-entry SQ */
		63U,				/* one-entry CQ */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_cc); i++)
		bad_enable(_metadata, self->g, AQA_64, bad_cc[i]);
	for (i = 0; i < ARRAY_SIZE(bad_aqa); i++)
		bad_enable(_metadata, self->g, bad_aqa[i], CC_GOOD);
}

TEST_F(regs, admin_queue_sizes)
{
	struct fake_guest *g = self->g;

	/* Two entries each is the least; 4096 the most. */
	ASSERT_EQ(NVME_CSTS_RDY, enable_with(g, 1U << 16 | 1U, CC_GOOD));
	ASSERT_EQ(2, g->c->sq[0].size);
	ASSERT_EQ(2, g->c->cq[0].size);
	fg_disable(g);
	ASSERT_EQ(NVME_CSTS_RDY, enable_with(g, 0x0fff0fff, CC_GOOD));
	ASSERT_EQ(4096, g->c->sq[0].size);
	ASSERT_EQ(4096, g->c->cq[0].size);
	fg_disable(g);
	/* Reserved bits of AQA drop. */
	fg_write32(g, NVME_REG_AQA, 0xffffffff);
	ASSERT_EQ(0x0fff0fffU, fg_read32(g, NVME_REG_AQA));
}

TEST_F(regs, asq_acq_low_bits_reserved)
{
	struct fake_guest *g = self->g;

	fg_write64(g, NVME_REG_ASQ, 0x123456789abcdfffULL);
	fg_write64(g, NVME_REG_ACQ, 0xfedcba9876543210ULL);
	ASSERT_EQ(0x123456789abcd000ULL, fg_read64(g, NVME_REG_ASQ));
	ASSERT_EQ(0xfedcba9876543000ULL, fg_read64(g, NVME_REG_ACQ));

	/* Two dword writes, either order, are the same register. */
	fg_write32(g, NVME_REG_ASQ + 4, 0x1);
	fg_write32(g, NVME_REG_ASQ, 0x2000);
	ASSERT_EQ(0x100002000ULL, fg_read64(g, NVME_REG_ASQ));
	ASSERT_EQ(0x2000U, fg_read32(g, NVME_REG_ASQ));
	ASSERT_EQ(0x1U, fg_read32(g, NVME_REG_ASQ + 4));
	fg_write32(g, NVME_REG_ACQ, 0x3fff);
	fg_write32(g, NVME_REG_ACQ + 4, 0);
	ASSERT_EQ(0x3000ULL, fg_read64(g, NVME_REG_ACQ));
}

TEST_F(regs, admin_queue_registers_frozen_while_enabled)
{
	struct fake_guest *g = self->g;

	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	fg_write32(g, NVME_REG_AQA, 0x00010001);
	fg_write64(g, NVME_REG_ASQ, FG_DATA);
	fg_write32(g, NVME_REG_ACQ, 0x5000);
	fg_write32(g, NVME_REG_ACQ + 4, 0x5);
	ASSERT_EQ(AQA_64, fg_read32(g, NVME_REG_AQA));
	ASSERT_EQ(FG_ASQ, fg_read64(g, NVME_REG_ASQ));
	ASSERT_EQ(FG_ACQ, fg_read64(g, NVME_REG_ACQ));
	admin_works(_metadata, g);

	/* So are they after a failed enable: EN is still 1. */
	fg_disable(g);
	ASSERT_EQ(NVME_CSTS_CFS, enable_with(g, 0, CC_GOOD));
	fg_write32(g, NVME_REG_AQA, AQA_64);
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_AQA));

	/* A controller reset keeps them, and they are writable again. */
	fg_disable(g);
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_AQA));
	ASSERT_EQ(FG_ASQ, fg_read64(g, NVME_REG_ASQ));
	fg_write32(g, NVME_REG_AQA, AQA_64);
	ASSERT_EQ(AQA_64, fg_read32(g, NVME_REG_AQA));
}

TEST_F(regs, cc_fixed_while_enabled)
{
	struct fake_guest *g = self->g;

	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	fg_write32(g, NVME_REG_CC, (CC_GOOD & ~NVME_CC_IOSQES_MASK) |
		   5U << NVME_CC_IOSQES_SHIFT | 1U << NVME_CC_MPS_SHIFT);
	ASSERT_EQ((u32)CC_GOOD, fg_read32(g, NVME_REG_CC));
	ASSERT_EQ(NVME_CSTS_RDY, fg_read32(g, NVME_REG_CSTS));
	ASSERT_EQ(4096U, lio_page_size(g->c));
	admin_works(_metadata, g);
}

TEST_F(regs, enable_disable_cycles)
{
	struct fake_guest *g = self->g;
	int i;

	for (i = 0; i < 5; i++) {
		ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
		/* The admin queues start over at slot 0, phase 1. */
		admin_works(_metadata, g);
		ASSERT_EQ(1, g->acq_head);
		admin_works(_metadata, g);
		ASSERT_EQ(0U, fg_disable(g));
		ASSERT_EQ(CC_GOOD & ~NVME_CC_EN, fg_read32(g, NVME_REG_CC));
		/* Disabling again changes nothing. */
		ASSERT_EQ(0U, fg_disable(g));
	}
}

TEST_F(regs, doorbells_ignored_while_disabled)
{
	struct fake_guest *g = self->g;
	u8 *before = malloc(FG_MEM_SIZE);
	struct nvme_sqe *slot = fg_ptr(g, FG_ASQ);
	struct nvme_cqe cqe;

	ASSERT_NE(NULL, before);
	nb_identify(slot, NVME_ID_CNS_CTRL, 0, FG_DATA);
	memcpy(before, g->mem, FG_MEM_SIZE);
	fg_write32(g, LEAPIO_SQ_DB(0), 1);
	fg_write32(g, LEAPIO_CQ_DB(0), 1);
	fg_write32(g, LEAPIO_SQ_DB(1), 1);
	ASSERT_EQ(0, memcmp(before, g->mem, FG_MEM_SIZE));

	/* Nothing was remembered either: the queues start empty. */
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	ASSERT_EQ(-1, fg_admin_reap(g, &cqe));
	ASSERT_EQ(0, g->c->sq[0].tail);
	admin_works(_metadata, g);
	free(before);
}

/*
 * The controller reset of the brief: I/O queues, shadow doorbells and an
 * outstanding AER, then EN 1 -> 0 and a fresh enable. Nothing from before
 * may reach guest memory afterwards.
 */
TEST_F(regs, reset_with_io_queues)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	u8 *before = malloc(FG_MEM_SIZE);
	unsigned int irqs;
	int i;

	ASSERT_NE(NULL, before);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 16, IO_SQ, IO_CQ, 1));
	nb_dbbuf(&sqe, DBBUF_SHADOW, DBBUF_EI);
	ASSERT_EQ(0, fg_admin(g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	submit_aer(g);
	/* I/O completions waiting in a full CQ. */
	for (i = 0; i < 15; i++) {
		nb_flush(&sqe, 1);
		fg_ioq_put(g, &q, &sqe);
	}
	fg_ioq_ring(g, &q);
	ASSERT_TRUE(lio_ioq_exists(g->c));
	ASSERT_EQ(1, g->c->aer.nr);

	ASSERT_EQ(0U, fg_disable(g));
	ASSERT_FALSE(lio_ioq_exists(g->c));
	ASSERT_FALSE(g->c->dbbuf);
	ASSERT_EQ(0, g->c->aer.nr);
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_CSTS));
	/* The admin queue registers survive a controller reset. */
	ASSERT_EQ(AQA_64, fg_read32(g, NVME_REG_AQA));

	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	irqs = g->msix_count[0] + g->msix_count[1];
	memcpy(before, g->mem, FG_MEM_SIZE);
	/* The old queues' doorbells, with values that were good. */
	fg_write32(g, LEAPIO_SQ_DB(1), 0);
	fg_write32(g, LEAPIO_SQ_DB(1), 15);
	fg_write32(g, LEAPIO_CQ_DB(1), 14);
	fg_write32(g, LEAPIO_CQ_DB(1), 0);
	/* The event they raise finds no AER: the old one is gone. */
	ASSERT_EQ(0, memcmp(before, g->mem, FG_MEM_SIZE));
	ASSERT_EQ(irqs, g->msix_count[0] + g->msix_count[1]);

	/* The queue id is free again, and starts from scratch. */
	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 16, IO_SQ, IO_CQ, 1));
	ASSERT_EQ(0, g->c->sq[1].head);
	ASSERT_EQ(0, g->c->cq[1].tail);
	free(before);
}

TEST_F(regs, reset_restores_features_and_intms)
{
	struct fake_guest *g = self->g;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	nb_set_features(&sqe, NVME_FEAT_NUM_QUEUES, false, 0x00000000);
	ASSERT_EQ(0, fg_admin(g, &sqe, &cqe));
	ASSERT_TRUE(g->c->feat.nr_queues_set);
	ASSERT_EQ(0, g->c->feat.nsqa);
	fg_write32(g, NVME_REG_INTMS, 1);
	fg_disable(g);
	ASSERT_FALSE(g->c->feat.nr_queues_set);
	ASSERT_EQ(3, g->c->feat.nsqa);
	ASSERT_EQ(0U, g->c->intms);
}

static void shutdown(struct __test_metadata *_metadata, struct fake_guest *g,
		     u32 shn)
{
	struct fg_ioq q;
	u8 *before = malloc(FG_MEM_SIZE);
	u64 unsafe = g->c->smart.unsafe_shutdowns;
	u64 cycles = g->c->smart.power_cycles;

	ASSERT_NE(NULL, before);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 16, IO_SQ, IO_CQ, 1));
	submit_aer(g);

	fg_write32(g, NVME_REG_CC, CC_GOOD | shn);
	ASSERT_EQ(NVME_CSTS_RDY | NVME_CSTS_SHST_CMPLT,
		  fg_read32(g, NVME_REG_CSTS));
	ASSERT_EQ(CC_GOOD | shn, fg_read32(g, NVME_REG_CC));
	ASSERT_FALSE(lio_ioq_exists(g->c));

	/* Shut down: doorbells do nothing, not even raise events. */
	memcpy(before, g->mem, FG_MEM_SIZE);
	fg_write32(g, LEAPIO_SQ_DB(0), g->asq_tail + 1);
	fg_write32(g, LEAPIO_SQ_DB(1), 1);
	fg_write32(g, LEAPIO_CQ_DB(0), 0);
	ASSERT_EQ(0, memcmp(before, g->mem, FG_MEM_SIZE));
	ASSERT_EQ(0, g->c->aer.nr_pending);
	free(before);

	/* Power lost after a completed shutdown is safe. */
	lio_vctrl_power_off(g->c);
	ASSERT_EQ(unsafe, g->c->smart.unsafe_shutdowns);
	ASSERT_EQ(cycles + 1, g->c->smart.power_cycles);
}

TEST_F(regs, shutdown_normal)
{
	shutdown(_metadata, self->g, NVME_CC_SHN_NORMAL);
}

TEST_F(regs, shutdown_abrupt)
{
	shutdown(_metadata, self->g, NVME_CC_SHN_ABRUPT);
}

TEST_F(regs, reset_after_shutdown)
{
	struct fake_guest *g = self->g;

	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	fg_write32(g, NVME_REG_CC, CC_GOOD | NVME_CC_SHN_NORMAL);
	ASSERT_EQ(NVME_CSTS_SHST_CMPLT,
		  fg_read32(g, NVME_REG_CSTS) & NVME_CSTS_SHST_MASK);
	/* Re-writing SHN does not start another one. */
	fg_write32(g, NVME_REG_CC, CC_GOOD | NVME_CC_SHN_NORMAL);
	ASSERT_EQ(NVME_CSTS_RDY | NVME_CSTS_SHST_CMPLT,
		  fg_read32(g, NVME_REG_CSTS));
	/* EN 1 -> 0 brings it back, SHST cleared. */
	ASSERT_EQ(0U, fg_disable(g));
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	admin_works(_metadata, g);
}

TEST_F(regs, unsafe_shutdowns)
{
	struct fake_guest *g = self->g;
	struct lio_smart *s = &g->c->smart;

	/* Never enabled: nothing at risk. */
	lio_vctrl_power_off(g->c);
	ASSERT_EQ(0ULL, s->unsafe_shutdowns);
	ASSERT_EQ(1ULL, s->power_cycles);

	/* Enabled, no shutdown. */
	fg_cfg_write(g, 0x04, 0x0006, 2);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	lio_vctrl_power_off(g->c);
	ASSERT_EQ(1ULL, s->unsafe_shutdowns);

	/* Shut down, then reset and enabled again: unsafe again. */
	fg_cfg_write(g, 0x04, 0x0006, 2);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	fg_write32(g, NVME_REG_CC, CC_GOOD | NVME_CC_SHN_NORMAL);
	fg_disable(g);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	lio_vctrl_power_off(g->c);
	ASSERT_EQ(2ULL, s->unsafe_shutdowns);

	/* Disabled by the host before the power went: safe. */
	fg_cfg_write(g, 0x04, 0x0006, 2);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	fg_disable(g);
	lio_vctrl_power_off(g->c);
	ASSERT_EQ(2ULL, s->unsafe_shutdowns);

	/* A function reset is not a power loss. */
	fg_cfg_write(g, 0x04, 0x0006, 2);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	lio_vctrl_function_reset(g->c);
	ASSERT_EQ(2ULL, s->unsafe_shutdowns);
	ASSERT_EQ(4ULL, s->power_cycles);
}

TEST_F(regs, power_off_state)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;
	unsigned int v;

	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 16, IO_SQ, IO_CQ, 1));
	lio_vctrl_power_off(g->c);
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_CSTS));
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_CC));
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_AQA));
	ASSERT_EQ(0ULL, fg_read64(g, NVME_REG_ASQ));
	ASSERT_FALSE(lio_ioq_exists(g->c));
	ASSERT_EQ(0U, fg_cfg_read(g, 0x04, 2));
	ASSERT_TRUE(g->c->irq_mode == LIO_IRQ_NONE);
	for (v = 0; v < g->c->nr_vectors; v++)
		ASSERT_EQ(1U, fg_msix_read32(g, v * 16 + 12));
}

TEST_F(regs, function_reset)
{
	struct fake_guest *g = self->g;

	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	fg_write32(g, NVME_REG_INTMS, 3);
	lio_vctrl_function_reset(g->c);
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_CSTS));
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_CC));
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_AQA));
	ASSERT_EQ(0ULL, fg_read64(g, NVME_REG_ASQ));
	ASSERT_EQ(0ULL, fg_read64(g, NVME_REG_ACQ));
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_INTMS));
	ASSERT_EQ(0U, fg_cfg_read(g, 0x04, 2));
	/* And it comes back as a driver's probe brings it. */
	fg_cfg_write(g, 0x04, 0x0006, 2);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	admin_works(_metadata, g);
}

TEST_F(regs, bar_access_checks)
{
	static const struct { u64 off; u32 len; } bad[] = {
		{ 0, 0 }, { 0, 1 }, { 0, 2 }, { 0, 3 }, { 0, 16 },
		{ 0x14, 1 }, { 0x14, 2 }, { 0x16, 2 },
		{ 2, 4 }, { 0x15, 4 }, { 4, 8 }, { 0x14, 8 },
		{ 0x1002, 4 }, { 0x1004, 8 },
		{ ~0ULL - 3, 4 }, { ~0ULL - 7, 8 }, { 1ULL << 63, 4 },
	};
	static const int bars[] = { -1, 1, 2, 3, 5, 6, 7, 0x7fffffff };
	struct fake_guest *g = self->g;
	u64 size = lio_bar0_size(g->c->p.nr_ioq);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(-EINVAL, bar_rd(g, LEAPIO_BAR_REGS, bad[i].off, bad[i].len)) {
			TH_LOG("off %#llx len %u", (unsigned long long)bad[i].off,
			       bad[i].len);
		}
		ASSERT_EQ(-EINVAL, bar_wr(g, LEAPIO_BAR_REGS, bad[i].off,
					  bad[i].len, ~0ULL));
	}
	/* The refused writes did not enable anything. */
	ASSERT_EQ(0U, fg_read32(g, NVME_REG_CC));

	/* The end of the BAR. */
	ASSERT_EQ(-EINVAL, bar_rd(g, LEAPIO_BAR_REGS, size, 4));
	ASSERT_EQ(-EINVAL, bar_wr(g, LEAPIO_BAR_REGS, size, 4, 0));
	ASSERT_EQ(-EINVAL, bar_rd(g, LEAPIO_BAR_REGS, size + 0x1000, 8));
	ASSERT_EQ(0, bar_rd(g, LEAPIO_BAR_REGS, size - 4, 4));
	ASSERT_EQ(0, bar_rd(g, LEAPIO_BAR_REGS, size - 8, 8));
	ASSERT_EQ(0, bar_wr(g, LEAPIO_BAR_REGS, size - 8, 8, 0));

	/* BAR4 is its own size. */
	ASSERT_EQ(-EINVAL, bar_rd(g, LEAPIO_BAR_MSIX, LEAPIO_MSIX_BAR_SIZE, 4));
	ASSERT_EQ(-EINVAL, bar_wr(g, LEAPIO_BAR_MSIX, LEAPIO_MSIX_BAR_SIZE, 4, 0));
	ASSERT_EQ(-EINVAL, bar_rd(g, LEAPIO_BAR_MSIX, 0, 2));
	ASSERT_EQ(-EINVAL, bar_rd(g, LEAPIO_BAR_MSIX, 2, 4));
	ASSERT_EQ(-EINVAL, bar_wr(g, LEAPIO_BAR_MSIX, 12, 1, 0));
	ASSERT_EQ(0, bar_rd(g, LEAPIO_BAR_MSIX, LEAPIO_MSIX_BAR_SIZE - 4, 4));
	ASSERT_EQ(0, bar_rd(g, LEAPIO_BAR_MSIX, LEAPIO_MSIX_BAR_SIZE - 8, 8));

	/* No other BAR exists. */
	for (i = 0; i < ARRAY_SIZE(bars); i++) {
		ASSERT_EQ(-EINVAL, bar_rd(g, bars[i], 0, 4));
		ASSERT_EQ(-EINVAL, bar_wr(g, bars[i], 0, 4, 0));
	}
}

TEST_F(regs, eight_byte_accesses_are_two_dwords)
{
	struct fake_guest *g = self->g;

	fg_write32(g, NVME_REG_INTMS, 0x5);
	/* VS and INTMS together; CSTS in the high half at 0x18. */
	ASSERT_EQ(0x0000000500010400ULL, fg_read64(g, NVME_REG_VS));
	ASSERT_EQ(0ULL, fg_read64(g, 0x18));
	/* INTMC and CC in one write: clear the mask, set CC. */
	fg_write64(g, NVME_REG_INTMC, (u64)0x00460000 << 32 | 0x4);
	ASSERT_EQ(0x1U, fg_read32(g, NVME_REG_INTMS));
	ASSERT_EQ(0x00460000U, fg_read32(g, NVME_REG_CC));
	/* NSSR and AQA: AQA takes the high half. */
	fg_write64(g, NVME_REG_NSSR, (u64)AQA_64 << 32 | 0x4e564d65);
	ASSERT_EQ(AQA_64, fg_read32(g, NVME_REG_AQA));
	ASSERT_EQ((u64)AQA_64 << 32, fg_read64(g, NVME_REG_NSSR));
}

TEST_F(regs, doorbells_read_zero)
{
	struct fake_guest *g = self->g;
	u16 q;

	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	admin_works(_metadata, g);
	for (q = 0; q <= g->c->p.nr_ioq; q++) {
		ASSERT_EQ(0U, fg_read32(g, LEAPIO_SQ_DB(q)));
		ASSERT_EQ(0U, fg_read32(g, LEAPIO_CQ_DB(q)));
		ASSERT_EQ(0ULL, fg_read64(g, LEAPIO_SQ_DB(q)));
	}
	ASSERT_EQ(0U, fg_read32(g, LEAPIO_SQ_DB(0) + 4));
	ASSERT_EQ(0U, fg_read32(g, LEAPIO_CQ_DB(0) + 0xffc));
}

TEST_F(regs, init_state)
{
	static const u16 types[] = { 1, 2, 4, 16, 64 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		struct fake_guest *g = fg_new(types[i]);

		ASSERT_EQ(types[i], g->c->p.nr_ioq);
		ASSERT_EQ(types[i] + 1, g->c->nr_vectors);
		ASSERT_EQ(1000ULL, g->c->smart.created_ms);
		ASSERT_EQ(LEAPIO_DEFAULT_NS_SIZE, g->c->ns[0].size);
		ASSERT_EQ(9, g->c->ns[0].lba_shift);
		/* Features at their defaults: every queue allocated. */
		ASSERT_EQ(types[i] - 1, g->c->feat.nsqa);
		ASSERT_EQ(types[i] - 1, g->c->feat.ncqa);
		ASSERT_FALSE(lio_ioq_exists(g->c));
		fg_free(g);
	}
}

TEST_F(regs, namespace_geometry)
{
	struct lio_vctrl *c = self->g->c;

	ASSERT_EQ(0, lio_vctrl_set_ns(c, 1, 1ULL << 40, 4096));
	ASSERT_EQ(1ULL << 40, c->ns[0].size);
	ASSERT_EQ(12, c->ns[0].lba_shift);
	ASSERT_EQ(0, lio_vctrl_set_ns(c, 1, 512, 512));
	ASSERT_EQ(512ULL, c->ns[0].size);
	ASSERT_EQ(9, c->ns[0].lba_shift);
	ASSERT_EQ(0, lio_vctrl_set_ns(c, 1, LEAPIO_NS_SIZE_MAX, 4096));
	ASSERT_EQ(0, lio_vctrl_set_ns(c, 1, 4096 * 3, 4096));

	/* Refused: nothing changes. */
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns(c, 1, 0, 512));
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns(c, 1, 0, 4096));
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns(c, 1, 1000, 512));
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns(c, 1, 4096 + 512, 4096));
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns(c, 1, 1ULL << 30, 1024));
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns(c, 1, 1ULL << 30, 0));
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns(c, 1, 1ULL << 30, 520));
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns(c, 1, 1ULL << 30, 8192));
	/* Past what a file offset holds: as sysfs says it, ERANGE. */
	ASSERT_EQ(-ERANGE, lio_vctrl_set_ns(c, 1, ~0ULL, 512));
	ASSERT_EQ(-ERANGE, lio_vctrl_set_ns(c, 1, LEAPIO_NS_SIZE_MAX + 4096, 4096));
	/* NSIDs 1..NN only; namespace 1 is never removed. */
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns(c, 0, 1ULL << 30, 4096));
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns(c, LIO_NN + 1, 1ULL << 30, 4096));
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns(c, 1, 0, 0));
	ASSERT_EQ(4096ULL * 3, c->ns[0].size);
	ASSERT_EQ(12, c->ns[0].lba_shift);
	ASSERT_TRUE(c->ns[0].attached);
	ASSERT_EQ(NULL, lio_ns_get(c, 2));

	/* Others come and go; a bad geometry leaves none. */
	ASSERT_EQ(-EINVAL, lio_vctrl_set_ns(c, LIO_NN, 1000, 512));
	ASSERT_EQ(NULL, lio_ns_get(c, LIO_NN));
	ASSERT_EQ(0, lio_vctrl_set_ns(c, LIO_NN, 1ULL << 20, 4096));
	ASSERT_EQ(&c->ns[LIO_NN - 1], lio_ns_active(c, LIO_NN));
	ASSERT_EQ(0, lio_vctrl_set_ns(c, LIO_NN, 0, 0));
	ASSERT_EQ(NULL, lio_ns_get(c, LIO_NN));
	ASSERT_FALSE(c->ns[LIO_NN - 1].attached);
	/* ... keeping the LBA size the next one of the NSID is made with. */
	ASSERT_EQ(12, c->ns[LIO_NN - 1].lba_shift);
	ASSERT_EQ(9, c->ns[1].lba_shift);
	ASSERT_EQ(NULL, lio_ns_get(c, 0));
	ASSERT_EQ(NULL, lio_ns_get(c, LIO_NN + 1));
	ASSERT_EQ(NULL, lio_ns_get(c, 0xffffffffU));
}

TEST_HARNESS_MAIN
