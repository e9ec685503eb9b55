// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts: the MSI-X table and PBA in BAR4, masking and pending bits,
 * the function mask, and the INTx level with INTMS/INTMC and INTx Disable.
 */
#include <stdlib.h>

#include "../lib/lio_harness.h"
#include "fake_guest.h"

#define CQ1		(FG_FREE)
#define SQ1		(FG_FREE + 0x10000)
#define CQ2		(FG_FREE + 0x20000)
#define SQ2		(FG_FREE + 0x30000)
#define NR_IOQ		4

#define ENTRY(v)	((u64)(v) * 16)
#define VCTRL(v)	(ENTRY(v) + 12)
#define PBA(n)		(LEAPIO_MSIX_PBA_OFFSET + 4 * (n))
#define MSIX_CAP_CTRL	0x52

FIXTURE(irq) {
	struct fake_guest *g;
};

FIXTURE_SETUP(irq)
{
	self->g = fg_new(NR_IOQ);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g));
}

FIXTURE_TEARDOWN(irq)
{
	fg_free(self->g);
}

static void put_flush(struct fake_guest *g, struct fg_ioq *q)
{
	struct nvme_sqe sqe;

	nb_flush(&sqe, 1);
	fg_ioq_put(g, q, &sqe);
}

/* One I/O command through q: its completion waits in the CQ. */
static void io_one(struct fake_guest *g, struct fg_ioq *q)
{
	put_flush(g, q);
	fg_ioq_ring(g, q);
}

/* Reap everything q's CQ holds, then ring its head doorbell. */
static int io_reap(struct fake_guest *g, struct fg_ioq *q)
{
	struct nvme_cqe cqe;
	int n = 0;

	while (!fg_ioq_take(g, q, &cqe))
		n++;
	fg_ioq_ack(g, q);
	return n;
}

static void admin_one(struct fake_guest *g)
{
	struct nvme_sqe sqe;

	nb_get_features(&sqe, NVME_FEAT_ARBITRATION, NVME_FEAT_SEL_CURRENT, 0);
	fg_admin_submit(g, &sqe);
}

TEST_F(irq, table_reset_state)
{
	struct fake_guest *g = self->g;
	struct lio_vctrl_params p = g->c->p;
	u16 v;

	/* Before the VFIO user sets MSI-X up, every vector is masked. */
	lio_vctrl_init(g->c, &p, g->c->ops, g);
	for (v = 0; v < g->c->nr_vectors; v++) {
		ASSERT_EQ(0U, fg_msix_read32(g, ENTRY(v)));
		ASSERT_EQ(0U, fg_msix_read32(g, ENTRY(v) + 4));
		ASSERT_EQ(0U, fg_msix_read32(g, ENTRY(v) + 8));
		ASSERT_EQ(1U, fg_msix_read32(g, VCTRL(v)));
	}
	ASSERT_EQ(0U, fg_msix_read32(g, PBA(0)));

	/* Setting MSI-X up unmasks them all. */
	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_MSIX);
	for (v = 0; v < g->c->nr_vectors; v++)
		ASSERT_EQ(0U, fg_msix_read32(g, VCTRL(v)));
}

TEST_F(irq, table_fields)
{
	struct fake_guest *g = self->g;
	u64 v64 = cpu_to_le64(0x00000001fee01004ULL);
	u64 off;

	fg_msix_write32(g, ENTRY(2), 0xfee00003);
	fg_msix_write32(g, ENTRY(2) + 4, 0x12345678);
	fg_msix_write32(g, ENTRY(2) + 8, 0x4041);
	fg_msix_write32(g, VCTRL(2), 0xffffffff);
	/* Message address is dword aligned; one control bit exists. */
	ASSERT_EQ(0xfee00000U, fg_msix_read32(g, ENTRY(2)));
	ASSERT_EQ(0x12345678U, fg_msix_read32(g, ENTRY(2) + 4));
	ASSERT_EQ(0x4041U, fg_msix_read32(g, ENTRY(2) + 8));
	ASSERT_EQ(1U, fg_msix_read32(g, VCTRL(2)));
	fg_msix_write32(g, VCTRL(2), 0xfffffffe);
	ASSERT_EQ(0U, fg_msix_read32(g, VCTRL(2)));

	/* The address as one 8-byte access. */
	ASSERT_EQ(0, lio_vctrl_bar_write(g->c, LEAPIO_BAR_MSIX, ENTRY(3), &v64, 8));
	ASSERT_EQ(0xfee01004U, fg_msix_read32(g, ENTRY(3)));
	ASSERT_EQ(1U, fg_msix_read32(g, ENTRY(3) + 4));
	v64 = 0;
	ASSERT_EQ(0, lio_vctrl_bar_read(g->c, LEAPIO_BAR_MSIX, ENTRY(3), &v64, 8));
	ASSERT_EQ(0x00000001fee01004ULL, le64_to_cpu(v64));

	/* Past the table (nr_vectors entries) and around the PBA: zeros. */
	for (off = ENTRY(g->c->nr_vectors); off < LEAPIO_MSIX_BAR_SIZE; off += 4) {
		if (off >= PBA(0) && off < PBA(4))
			continue;
		fg_msix_write32(g, off, 0xffffffff);
		ASSERT_EQ(0U, fg_msix_read32(g, off)) {
			TH_LOG("offset %#llx", (unsigned long long)off);
		}
	}
	/* Entries don't alias each other. */
	ASSERT_EQ(0U, fg_msix_read32(g, ENTRY(1)));
	ASSERT_EQ(0U, fg_msix_read32(g, ENTRY(4)));
}

TEST_F(irq, masked_vector_sets_its_pending_bit)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;

	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 8, SQ1, CQ1, 3));
	fg_msix_write32(g, VCTRL(3), 1);
	io_one(g, &q);
	io_one(g, &q);
	ASSERT_EQ(0U, g->msix_count[3]);
	ASSERT_EQ(1U << 3, fg_msix_read32(g, PBA(0)));

	/* The PBA can't be written. */
	fg_msix_write32(g, PBA(0), 0);
	fg_msix_write32(g, PBA(1), 0xffffffff);
	ASSERT_EQ(1U << 3, fg_msix_read32(g, PBA(0)));
	ASSERT_EQ(0U, fg_msix_read32(g, PBA(1)));

	/* Unmasking delivers the one interrupt owed, and clears the bit. */
	fg_msix_write32(g, VCTRL(3), 0);
	ASSERT_EQ(1U, g->msix_count[3]);
	ASSERT_EQ(0U, fg_msix_read32(g, PBA(0)));
	/* Nothing owed: unmasking again delivers nothing. */
	fg_msix_write32(g, VCTRL(3), 1);
	fg_msix_write32(g, VCTRL(3), 0);
	ASSERT_EQ(1U, g->msix_count[3]);
	io_reap(g, &q);
	io_one(g, &q);
	ASSERT_EQ(2U, g->msix_count[3]);
	/* Other vectors were never touched. */
	ASSERT_EQ(0U, g->msix_count[1]);
	ASSERT_EQ(0U, g->msix_count[2]);
}

TEST_F(irq, writing_other_fields_does_not_deliver)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;

	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 8, SQ1, CQ1, 1));
	fg_msix_write32(g, VCTRL(1), 1);
	io_one(g, &q);
	fg_msix_write32(g, ENTRY(1), 0xfee00000);
	fg_msix_write32(g, ENTRY(1) + 8, 0x30);
	fg_msix_write32(g, VCTRL(1), 1);
	ASSERT_EQ(0U, g->msix_count[1]);
	ASSERT_EQ(1U << 1, fg_msix_read32(g, PBA(0)));
}

TEST_F(irq, function_mask)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;
	unsigned int admin;

	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 8, SQ1, CQ1, 2));
	admin = g->msix_count[0];
	fg_cfg_write(g, MSIX_CAP_CTRL, 0xc000, 2);
	ASSERT_TRUE(lio_pci_msix_masked(g->c));
	admin_one(g);
	io_one(g, &q);
	ASSERT_EQ(admin, g->msix_count[0]);
	ASSERT_EQ(0U, g->msix_count[2]);
	ASSERT_EQ(1U << 0 | 1U << 2, fg_msix_read32(g, PBA(0)));

	/* A vector masked on its own stays pending past the function mask. */
	fg_msix_write32(g, VCTRL(2), 1);
	fg_cfg_write(g, MSIX_CAP_CTRL, 0x8000, 2);
	ASSERT_EQ(admin + 1, g->msix_count[0]);
	ASSERT_EQ(0U, g->msix_count[2]);
	ASSERT_EQ(1U << 2, fg_msix_read32(g, PBA(0)));
	fg_msix_write32(g, VCTRL(2), 0);
	ASSERT_EQ(1U, g->msix_count[2]);
	ASSERT_EQ(0U, fg_msix_read32(g, PBA(0)));

	/* Unmasking a vector while the function is masked delivers nothing. */
	fg_msix_write32(g, VCTRL(2), 1);
	io_reap(g, &q);
	io_one(g, &q);
	fg_cfg_write(g, MSIX_CAP_CTRL, 0xc000, 2);
	fg_msix_write32(g, VCTRL(2), 0);
	ASSERT_EQ(1U, g->msix_count[2]);
	fg_cfg_write(g, MSIX_CAP_CTRL, 0x8000, 2);
	ASSERT_EQ(2U, g->msix_count[2]);
}

TEST_F(irq, pending_bits_of_high_vectors)
{
	struct fake_guest *g = fg_new(64);
	struct fg_ioq a, b;
	u64 pba = 0;

	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	ASSERT_EQ(0, fg_ioq_create(g, &a, 1, 8, SQ1, CQ1, 40));
	ASSERT_EQ(0, fg_ioq_create(g, &b, 2, 8, SQ2, CQ2, 64));
	fg_msix_write32(g, VCTRL(40), 1);
	fg_msix_write32(g, VCTRL(64), 1);
	io_one(g, &a);
	io_one(g, &b);
	ASSERT_EQ(0U, fg_msix_read32(g, PBA(0)));
	ASSERT_EQ(1U << 8, fg_msix_read32(g, PBA(1)));
	ASSERT_EQ(1U, fg_msix_read32(g, PBA(2)));
	ASSERT_EQ(0U, fg_msix_read32(g, PBA(3)));
	ASSERT_EQ(0, lio_vctrl_bar_read(g->c, LEAPIO_BAR_MSIX, PBA(0), &pba, 8));
	ASSERT_EQ(1ULL << 40, le64_to_cpu(pba));
	/* The table's last entry is vector 64; 65 does not exist. */
	fg_msix_write32(g, VCTRL(65), 1);
	ASSERT_EQ(0U, fg_msix_read32(g, VCTRL(65)));
	fg_msix_write32(g, VCTRL(64), 0);
	ASSERT_EQ(1U, g->msix_count[64]);
	ASSERT_EQ(0U, fg_msix_read32(g, PBA(2)));
	fg_free(g);
}

TEST_F(irq, one_interrupt_per_batch)
{
	struct fake_guest *g = self->g;
	unsigned int n = g->msix_count[0];
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	struct fg_ioq q;
	int i;

	/* Admin: one per doorbell that completed something. */
	nb_get_features(&sqe, NVME_FEAT_ARBITRATION, NVME_FEAT_SEL_CURRENT, 0);
	ASSERT_EQ(0, fg_admin(g, &sqe, &cqe));
	ASSERT_EQ(n + 1, g->msix_count[0]);
	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 16, SQ1, CQ1, 1));
	for (i = 0; i < 10; i++)
		put_flush(g, &q);
	fg_ioq_ring(g, &q);
	ASSERT_EQ(1U, g->msix_count[1]);
	ASSERT_EQ(10, io_reap(g, &q));
	ASSERT_EQ(1U, g->msix_count[1]);
}

TEST_F(irq, coalescing_not_applied_to_admin)
{
	struct fake_guest *g = self->g;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	unsigned int n;
	int i;

	/* Aggregate 8 completions, 10 ms: admin completions ignore it. */
	nb_set_features(&sqe, NVME_FEAT_IRQ_COALESCE, false, 0x0107);
	ASSERT_EQ(0, fg_admin(g, &sqe, &cqe));
	n = g->msix_count[0];
	for (i = 0; i < 3; i++) {
		nb_get_features(&sqe, NVME_FEAT_ARBITRATION, NVME_FEAT_SEL_CURRENT, 0);
		ASSERT_EQ(0, fg_admin(g, &sqe, &cqe));
		ASSERT_EQ(n + i + 1, g->msix_count[0]);
	}
}

TEST_F(irq, no_interrupt_without_ien)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;

	memset(&q, 0, sizeof(q));
	ASSERT_EQ(0, fg_create_cq(g, 1, 8, CQ1, 2, false));
	ASSERT_EQ(0, fg_create_sq(g, 1, 8, SQ1, 1));
	q.qid = 1;
	q.size = 8;
	q.sq = SQ1;
	q.cq = CQ1;
	q.cq_phase = 1;
	fg_msix_write32(g, VCTRL(2), 1);
	io_one(g, &q);
	ASSERT_EQ(0U, g->msix_count[2]);
	ASSERT_EQ(0U, fg_msix_read32(g, PBA(0)));
	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_INTX);
	io_one(g, &q);
	ASSERT_FALSE(g->intx_level);
	ASSERT_EQ(0U, g->intx_calls);
	ASSERT_EQ(2, io_reap(g, &q));
}

TEST_F(irq, mode_none_delivers_nothing)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;
	unsigned int n;

	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 8, SQ1, CQ1, 1));
	n = g->msix_count[0];
	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_NONE);
	admin_one(g);
	io_one(g, &q);
	ASSERT_EQ(n, g->msix_count[0]);
	ASSERT_EQ(0U, g->msix_count[1]);
	ASSERT_EQ(0U, fg_msix_read32(g, PBA(0)));
	ASSERT_EQ(0U, g->intx_calls);
	ASSERT_FALSE(lio_vctrl_intx_level(g->c));
}

TEST_F(irq, msix_setup_delivers_what_is_pending)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;

	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 8, SQ1, CQ1, 1));
	fg_msix_write32(g, VCTRL(1), 1);
	io_one(g, &q);
	ASSERT_EQ(0U, g->msix_count[1]);
	/* The VFIO user (re)programs the vectors: all unmasked. */
	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_MSIX);
	ASSERT_EQ(1U, g->msix_count[1]);
	ASSERT_EQ(0U, fg_msix_read32(g, PBA(0)));
	ASSERT_EQ(0U, fg_msix_read32(g, VCTRL(1)));
}

TEST_F(irq, reset_and_power_off)
{
	struct fake_guest *g = self->g;
	u16 v;

	/* A function reset under a live MSI-X setup keeps the vectors
	 * live: the VFIO user still holds their eventfds.
	 */
	lio_vctrl_function_reset(g->c);
	for (v = 0; v < g->c->nr_vectors; v++)
		ASSERT_EQ(0U, fg_msix_read32(g, VCTRL(v)));
	/* Power off: no user, masked table, nothing pending. */
	lio_vctrl_power_off(g->c);
	for (v = 0; v < g->c->nr_vectors; v++)
		ASSERT_EQ(1U, fg_msix_read32(g, VCTRL(v)));
	ASSERT_EQ(0U, fg_msix_read32(g, PBA(0)));
}

/* ---- INTx ---- */

TEST_F(irq, intx_follows_the_cqs)
{
	struct fake_guest *g = self->g;
	struct nvme_cqe cqe;
	struct fg_ioq q;

	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 8, SQ1, CQ1, 0));
	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_INTX);
	ASSERT_EQ(0U, g->intx_calls);

	admin_one(g);
	ASSERT_TRUE(g->intx_level);
	ASSERT_TRUE(lio_vctrl_intx_level(g->c));
	ASSERT_EQ(1U, g->intx_calls);
	/* More completions while high: no call, the level is the same. */
	admin_one(g);
	io_one(g, &q);
	ASSERT_EQ(1U, g->intx_calls);
	/* One CQ consumed: the other still holds the line. */
	ASSERT_EQ(0, fg_admin_reap(g, &cqe));
	ASSERT_EQ(0, fg_admin_reap(g, &cqe));
	ASSERT_TRUE(g->intx_level);
	ASSERT_EQ(1U, g->intx_calls);
	ASSERT_EQ(1, io_reap(g, &q));
	ASSERT_FALSE(g->intx_level);
	ASSERT_FALSE(lio_vctrl_intx_level(g->c));
	ASSERT_EQ(2U, g->intx_calls);
	/* And up again for the next one. */
	io_one(g, &q);
	ASSERT_TRUE(g->intx_level);
	ASSERT_EQ(2U, g->intx_raises);
	ASSERT_EQ(0U, g->msix_count[1]);
}

TEST_F(irq, intx_intms_intmc)
{
	struct fake_guest *g = self->g;
	struct nvme_cqe cqe;

	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_INTX);
	fg_write32(g, NVME_REG_INTMS, 1);
	admin_one(g);
	ASSERT_FALSE(g->intx_level);
	ASSERT_EQ(0U, g->intx_calls);
	/* Other mask bits are other vectors: not INTx. */
	fg_write32(g, NVME_REG_INTMC, 1);
	ASSERT_TRUE(g->intx_level);
	fg_write32(g, NVME_REG_INTMS, 0xfffffffe);
	ASSERT_TRUE(g->intx_level);
	fg_write32(g, NVME_REG_INTMS, 1);
	ASSERT_FALSE(g->intx_level);
	fg_write32(g, NVME_REG_INTMC, 0xfffffffe);
	ASSERT_FALSE(g->intx_level);
	fg_write32(g, NVME_REG_INTMC, 1);
	ASSERT_TRUE(g->intx_level);
	ASSERT_EQ(3U, g->intx_calls);
	/* Consumed while masked: unmasking raises nothing. */
	fg_write32(g, NVME_REG_INTMS, 1);
	ASSERT_EQ(0, fg_admin_reap(g, &cqe));
	fg_write32(g, NVME_REG_INTMC, 1);
	ASSERT_FALSE(g->intx_level);
	ASSERT_EQ(4U, g->intx_calls);
}

TEST_F(irq, intx_disable)
{
	struct fake_guest *g = self->g;
	struct nvme_cqe cqe;

	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_INTX);
	admin_one(g);
	ASSERT_TRUE(g->intx_level);
	fg_cfg_write(g, 0x04, 0x0406, 2);
	ASSERT_TRUE(lio_pci_intx_disabled(g->c));
	ASSERT_FALSE(g->intx_level);
	/* Other command bits leave it alone. */
	fg_cfg_write(g, 0x04, 0x0446, 2);
	ASSERT_FALSE(g->intx_level);
	fg_cfg_write(g, 0x04, 0x0006, 2);
	ASSERT_TRUE(g->intx_level);
	ASSERT_EQ(3U, g->intx_calls);
	/* Disabled while a completion arrives: raised when enabled. */
	ASSERT_EQ(0, fg_admin_reap(g, &cqe));
	fg_cfg_write(g, 0x05, 0x04, 1);
	admin_one(g);
	ASSERT_FALSE(g->intx_level);
	fg_cfg_write(g, 0x05, 0x00, 1);
	ASSERT_TRUE(g->intx_level);
}

TEST_F(irq, intx_drops_with_the_queue)
{
	struct fake_guest *g = self->g;
	struct fg_ioq q;

	ASSERT_EQ(0, fg_ioq_create(g, &q, 1, 8, SQ1, CQ1, 0));
	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_INTX);
	io_one(g, &q);
	ASSERT_TRUE(g->intx_level);
	/* Deleting the CQ that holds entries takes its request away. */
	ASSERT_EQ(0, fg_delete_sq(g, 1));
	ASSERT_TRUE(g->intx_level);
	ASSERT_EQ(0, fg_delete_cq(g, 1));
	ASSERT_FALSE(g->intx_level);
}

TEST_F(irq, intx_mode_changes_and_resets)
{
	struct fake_guest *g = self->g;

	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_INTX);
	admin_one(g);
	ASSERT_TRUE(g->intx_level);
	/* MSI-X takes over: the line goes low. */
	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_MSIX);
	ASSERT_FALSE(g->intx_level);
	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_INTX);
	ASSERT_TRUE(g->intx_level);
	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_NONE);
	ASSERT_FALSE(g->intx_level);
	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_INTX);
	ASSERT_TRUE(g->intx_level);

	/* A controller reset empties the queues. */
	fg_disable(g);
	ASSERT_FALSE(g->intx_level);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	admin_one(g);
	ASSERT_TRUE(g->intx_level);
	/* So do a shutdown and a function reset. */
	fg_write32(g, NVME_REG_CC, fg_read32(g, NVME_REG_CC) | NVME_CC_SHN_NORMAL);
	ASSERT_FALSE(g->intx_level);
	fg_disable(g);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g));
	admin_one(g);
	ASSERT_TRUE(g->intx_level);
	lio_vctrl_function_reset(g->c);
	ASSERT_FALSE(g->intx_level);
	ASSERT_FALSE(lio_vctrl_intx_level(g->c));
}

TEST_HARNESS_MAIN
