// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt delivery through VFIO eventfds: MSI-X per vector for the admin
 * and I/O CQs, the MSI-X table's per-vector mask and the PBA, and INTx
 * with its masks (NVMe INTMS/INTMC, PCI INTx Disable, VFIO's automask and
 * unmask). Each check that an interrupt did NOT come relies on the device
 * raising interrupts inside the access that causes them: once the
 * doorbell or register write has returned, what was raised is in the
 * eventfd (evfd_take).
 */
#include <linux/pci_regs.h>

#include "lio_test.h"

#define MSIX_ENTRY(v)		(LEAPIO_MSIX_TABLE_OFFSET + 16 * (v))
#define MSIX_ADDR_LO		0
#define MSIX_ADDR_HI		4
#define MSIX_DATA		8
#define MSIX_CTRL		12
#define MSIX_CTRL_MASKED	1U

FIXTURE(irq) {
	struct lio l;
	uint64_t buf;
};

FIXTURE_SETUP(irq)
{
	LIO_SETUP(&self->l, NULL);
	LIO_ENABLE(&self->l);
	ASSERT_NE(NULL, gmem_alloc_pages(&self->l.mem, GMEM_PAGE, &self->buf));
}

FIXTURE_TEARDOWN(irq)
{
	LIO_TEARDOWN(&self->l);
}

/* An admin command whose CQE is left unconsumed: no head doorbell. */
static uint16_t identify_no_ring(struct __test_metadata *_metadata, struct lio *l,
				 uint64_t buf)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	int cid;

	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, buf);
	cid = nvd_submit(&l->nvd, 0, &sqe);
	ASSERT_GE(cid, 0);
	ASSERT_EQ(0, nvd_reap(&l->nvd, 0, &cqe, NVD_CQE_TIMEOUT_MS));
	ASSERT_EQ(cid, le16toh(cqe.cid));
	ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
	return cid;
}

static void identify_ok(struct __test_metadata *_metadata, struct lio *l, uint64_t buf)
{
	struct nvme_sqe sqe;

	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, buf);
	ADMIN_OK(l, &sqe);
}

static void no_msix(struct __test_metadata *_metadata, struct lio *l)
{
	unsigned int v;

	for (v = 0; v < l->nr_msix; v++) {
		TH_LOG("vector %u", v);
		ASSERT_EQ(0, evfd_take(l->msix_fd[v]));
	}
}

TEST_F(irq, msix_admin)
{
	struct lio *l = &self->l;

	ASSERT_EQ(0, lio_msix_on(l));
	ASSERT_EQ(l->mdev.nr_ioq + 1, l->nr_msix);
	identify_ok(_metadata, l, self->buf);
	ASSERT_GE(evfd_wait(l->msix_fd[0], EVFD_TIMEOUT_MS), 1);
	no_msix(_metadata, l);
	identify_ok(_metadata, l, self->buf);
	ASSERT_GE(evfd_wait(l->msix_fd[0], EVFD_TIMEOUT_MS), 1);
	no_msix(_metadata, l);
}

TEST_F(irq, msix_io_vectors)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint16_t qid, vec;

	ASSERT_EQ(0, lio_msix_on(l));
	for (qid = 1; qid <= l->mdev.nr_ioq; qid++) {
		vec = qid;
		ASSERT_EQ(0, nvd_create_io_pair(&l->nvd, qid, 8, vec));
		/* The creates completed on the admin vector. */
		ASSERT_GE(evfd_take(l->msix_fd[0]), 1);
		no_msix(_metadata, l);
		nb_rw(&sqe, nvme_cmd_read, 1, 0, 1, self->buf, 0);
		ASSERT_EQ(0, nvd_cmd(&l->nvd, qid, &sqe, &cqe));
		TH_LOG("qid %u vector %u", qid, vec);
		ASSERT_GE(evfd_wait(l->msix_fd[vec], EVFD_TIMEOUT_MS), 1);
		no_msix(_metadata, l);
	}
}

TEST_F(irq, msix_cq_without_ien)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint16_t status;

	/* A polled CQ (IEN 0) completes without any interrupt. */
	ASSERT_EQ(0, lio_msix_on(l));
	ASSERT_EQ(0, nvd_create_cq(&l->nvd, 1, 8, 1, false, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);
	ASSERT_EQ(0, nvd_create_sq(&l->nvd, 1, 8, 1, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);
	evfd_take(l->msix_fd[0]);
	nb_rw(&sqe, nvme_cmd_read, 1, 0, 1, self->buf, 0);
	ASSERT_EQ(0, nvd_cmd(&l->nvd, 1, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_NS_NOT_READY, nvd_status_code(&cqe));
	no_msix(_metadata, l);
}

TEST_F(irq, msix_table_rw)
{
	struct lio *l = &self->l;
	uint32_t v = l->mdev.nr_ioq;	/* the last entry */

	MSIX_WR32(l, MSIX_ENTRY(v) + MSIX_ADDR_LO, 0xfee01004);
	MSIX_WR32(l, MSIX_ENTRY(v) + MSIX_ADDR_HI, 0x1);
	MSIX_WR32(l, MSIX_ENTRY(v) + MSIX_DATA, 0x4021);
	ASSERT_EQ(0xfee01004, MSIX_RD32(l, MSIX_ENTRY(v) + MSIX_ADDR_LO));
	ASSERT_EQ(0x1, MSIX_RD32(l, MSIX_ENTRY(v) + MSIX_ADDR_HI));
	ASSERT_EQ(0x4021, MSIX_RD32(l, MSIX_ENTRY(v) + MSIX_DATA));
	/* Only the mask bit of Vector Control is writable. */
	MSIX_WR32(l, MSIX_ENTRY(v) + MSIX_CTRL, 0xffffffff);
	ASSERT_EQ(MSIX_CTRL_MASKED, MSIX_RD32(l, MSIX_ENTRY(v) + MSIX_CTRL));
	/* The PBA is read-only. */
	MSIX_WR32(l, LEAPIO_MSIX_PBA_OFFSET, 0xffffffff);
	ASSERT_EQ(0, MSIX_RD32(l, LEAPIO_MSIX_PBA_OFFSET));
}

TEST_F(irq, msix_mask_sets_pba)
{
	struct lio *l = &self->l;

	ASSERT_EQ(0, lio_msix_on(l));
	/* Enabling MSI-X through VFIO left every vector unmasked. */
	ASSERT_EQ(0, MSIX_RD32(l, MSIX_ENTRY(0) + MSIX_CTRL) & MSIX_CTRL_MASKED);

	MSIX_WR32(l, MSIX_ENTRY(0) + MSIX_CTRL, MSIX_CTRL_MASKED);
	identify_ok(_metadata, l, self->buf);
	/* Masked: pending in the PBA, not delivered. */
	no_msix(_metadata, l);
	ASSERT_EQ(1, MSIX_RD32(l, LEAPIO_MSIX_PBA_OFFSET) & 1);

	/* Unmask: the pending message goes out and the PBA bit clears. */
	MSIX_WR32(l, MSIX_ENTRY(0) + MSIX_CTRL, 0);
	ASSERT_GE(evfd_wait(l->msix_fd[0], EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, MSIX_RD32(l, LEAPIO_MSIX_PBA_OFFSET) & 1);
	no_msix(_metadata, l);

	/* And interrupts flow as before. */
	identify_ok(_metadata, l, self->buf);
	ASSERT_GE(evfd_wait(l->msix_fd[0], EVFD_TIMEOUT_MS), 1);
}

TEST_F(irq, msix_mask_io_vector)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint16_t vec = 2;

	ASSERT_EQ(0, lio_msix_on(l));
	ASSERT_EQ(0, nvd_create_io_pair(&l->nvd, 1, 8, vec));
	evfd_take(l->msix_fd[0]);
	MSIX_WR32(l, MSIX_ENTRY(vec) + MSIX_CTRL, MSIX_CTRL_MASKED);
	nb_rw(&sqe, nvme_cmd_read, 1, 0, 1, self->buf, 0);
	ASSERT_EQ(0, nvd_cmd(&l->nvd, 1, &sqe, &cqe));
	no_msix(_metadata, l);
	ASSERT_EQ(1U << vec, MSIX_RD32(l, LEAPIO_MSIX_PBA_OFFSET));
	MSIX_WR32(l, MSIX_ENTRY(vec) + MSIX_CTRL, 0);
	ASSERT_GE(evfd_wait(l->msix_fd[vec], EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, MSIX_RD32(l, LEAPIO_MSIX_PBA_OFFSET));
	no_msix(_metadata, l);
}

TEST_F(irq, intx_trigger_and_vfio_unmask)
{
	struct lio *l = &self->l;

	ASSERT_EQ(0, lio_intx_on(l));
	ASSERT_EQ(0, evfd_take(l->intx_fd));

	/* A completion raises the line: the trigger fires (and VFIO masks
	 * it, AUTOMASKED).
	 */
	identify_no_ring(_metadata, l, self->buf);
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);

	/* Unmask while the CQE is unconsumed: the level is still high, so
	 * it fires again.
	 */
	ASSERT_EQ(0, vfio_irq_unmask(&l->dev, VFIO_PCI_INTX_IRQ_INDEX));
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);

	/* Consume it (CQ head doorbell): the line drops; unmask is quiet. */
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 0));
	ASSERT_EQ(0, vfio_irq_unmask(&l->dev, VFIO_PCI_INTX_IRQ_INDEX));
	ASSERT_EQ(0, evfd_take(l->intx_fd));

	/* The next completion fires again. */
	identify_no_ring(_metadata, l, self->buf);
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 0));
}

TEST_F(irq, intx_intms_intmc)
{
	struct lio *l = &self->l;

	ASSERT_EQ(0, lio_intx_on(l));
	/* INTMS masks the line: a completion does not fire it. */
	REG_WR32(l, NVME_REG_INTMS, 1);
	identify_no_ring(_metadata, l, self->buf);
	ASSERT_EQ(0, evfd_take(l->intx_fd));
	/* INTMC unmasks it with the completion still unconsumed: fires. */
	REG_WR32(l, NVME_REG_INTMC, 1);
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 0));
	ASSERT_EQ(0, vfio_irq_unmask(&l->dev, VFIO_PCI_INTX_IRQ_INDEX));
	ASSERT_EQ(0, evfd_take(l->intx_fd));
}

TEST_F(irq, intx_vfio_mask)
{
	struct lio *l = &self->l;

	ASSERT_EQ(0, lio_intx_on(l));
	/* Masked by the VFIO user: nothing until it unmasks. */
	ASSERT_EQ(0, vfio_irq_mask(&l->dev, VFIO_PCI_INTX_IRQ_INDEX));
	identify_no_ring(_metadata, l, self->buf);
	ASSERT_EQ(0, evfd_take(l->intx_fd));
	ASSERT_EQ(0, vfio_irq_unmask(&l->dev, VFIO_PCI_INTX_IRQ_INDEX));
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 0));
}

TEST_F(irq, intx_disable_bit)
{
	struct lio *l = &self->l;
	uint16_t cmd;

	ASSERT_EQ(0, lio_intx_on(l));
	/* PCI Command INTx Disable keeps the line low. */
	cmd = CFG_RD16(l, PCI_COMMAND);
	CFG_WR16(l, PCI_COMMAND, cmd | PCI_COMMAND_INTX_DISABLE);
	identify_no_ring(_metadata, l, self->buf);
	ASSERT_EQ(0, evfd_take(l->intx_fd));
	ASSERT_NE(0, CFG_RD16(l, PCI_STATUS) & PCI_STATUS_INTERRUPT);
	/* Re-enabled with the completion unconsumed: it fires. */
	CFG_WR16(l, PCI_COMMAND, cmd);
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 0));
	ASSERT_EQ(0, CFG_RD16(l, PCI_STATUS) & PCI_STATUS_INTERRUPT);
}

TEST_F(irq, intx_and_msix_exclusive)
{
	struct lio *l = &self->l;
	int fd = evfd_new();

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, lio_msix_on(l));
	/* INTx cannot be wired while MSI-X is on ... */
	ASSERT_NE(0, vfio_irq_set_eventfds(&l->dev, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &fd));
	/* ... and can once MSI-X is off; then a completion raises INTx. */
	lio_irq_off(l);
	ASSERT_EQ(0, lio_intx_on(l));
	identify_no_ring(_metadata, l, self->buf);
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 0));
	close(fd);
}

TEST_HARNESS_MAIN
