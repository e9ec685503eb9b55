// SPDX-License-Identifier: GPL-2.0
/*
 * Resets with I/O queues live: VFIO_DEVICE_RESET (function level reset)
 * and CC.EN = 0 (controller reset). Afterwards the queues are gone, so
 * doorbell writes naming them must write nothing into guest memory (a
 * guest reusing that memory would see it corrupted), and the controller
 * must come back up and work.
 */
#include <linux/pci_regs.h>

#include "lio_test.h"

#define NR_IOQ_USED	2
#define QSIZE		8

FIXTURE(reset) {
	struct lio l;
	uint64_t buf;
};

FIXTURE_SETUP(reset)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint16_t qid;

	LIO_SETUP(l, NULL);
	LIO_ENABLE(l);
	ASSERT_EQ(0, lio_msix_on(l));
	ASSERT_NE(NULL, gmem_alloc_pages(&l->mem, GMEM_PAGE, &self->buf));
	for (qid = 1; qid <= NR_IOQ_USED; qid++) {
		ASSERT_EQ(0, nvd_create_io_pair(&l->nvd, qid, QSIZE, qid));
		nb_rw(&sqe, nvme_cmd_read, 1, 0, 1, self->buf, 0);
		ASSERT_EQ(0, nvd_cmd(&l->nvd, qid, &sqe, &cqe));
		ASSERT_EQ(NVME_SC_NS_NOT_READY, nvd_status_code(&cqe));
	}
}

FIXTURE_TEARDOWN(reset)
{
	LIO_TEARDOWN(&self->l);
}

/*
 * Put commands in the old rings and ring every old doorbell, with bus
 * mastering on so that only the queues' absence can keep the device out
 * of guest memory; then compare all of guest memory with a copy taken
 * before.
 */
static void old_doorbells_write_nothing(struct __test_metadata *_metadata,
					struct lio *l, uint64_t buf)
{
	struct nvd *n = &l->nvd;
	struct nvme_sqe sqe;
	uint8_t *before;
	uint16_t qid, cmd;
	unsigned int i, v;

	cmd = CFG_RD16(l, PCI_COMMAND);
	CFG_WR16(l, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);

	for (qid = 0; qid <= NR_IOQ_USED; qid++) {
		struct nvd_queue *q = &n->q[qid];

		for (i = 0; i < 3; i++) {
			if (qid)
				nb_rw(&sqe, nvme_cmd_read, 1, 0, 1, buf, 0);
			else
				nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, buf);
			sqe.cid = htole16(0x100 + i);
			memcpy(&q->sq[(q->sq_tail + i) % q->entries], &sqe, sizeof(sqe));
		}
	}
	/* Setup's commands signalled their vectors: start from quiet. */
	for (v = 0; v < l->nr_msix; v++)
		evfd_take(l->msix_fd[v]);
	before = malloc(l->mem.used);
	ASSERT_NE(NULL, before);
	memcpy(before, l->mem.base, l->mem.used);

	for (qid = 0; qid <= NR_IOQ_USED; qid++) {
		struct nvd_queue *q = &n->q[qid];
		uint32_t sq_db = NVME_REG_DBS + 2 * qid * n->db_stride;
		uint32_t cq_db = sq_db + n->db_stride;

		REG_WR32(l, sq_db, (q->sq_tail + 3) % q->entries);
		REG_WR32(l, cq_db, (q->cq_head + 1) % q->cq_entries);
		REG_WR32(l, cq_db, q->cq_head);
	}
	/* Doorbells of queues that never existed, too. */
	REG_WR32(l, NVME_REG_DBS + 2 * (NR_IOQ_USED + 1) * n->db_stride, 1);

	for (i = 0; i < l->mem.used; i++)
		if (before[i] != l->mem.base[i])
			break;
	TH_LOG("first difference at guest byte %u of %zu", i, l->mem.used);
	free(before);
	ASSERT_EQ(l->mem.used, i);
	for (v = 0; v < l->nr_msix; v++) {
		TH_LOG("vector %u", v);
		ASSERT_EQ(0, evfd_take(l->msix_fd[v]));
	}
}

/* Enable, and the I/O queues can be made again: the old ones are gone. */
static void comes_back(struct __test_metadata *_metadata, struct lio *l, uint64_t buf)
{
	struct nvme_id_ctrl *id = gmem_ptr(&l->mem, buf);
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint16_t qid;

	LIO_ENABLE(l);
	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, buf);
	ADMIN_OK(l, &sqe);
	ASSERT_EQ(LEAPIO_PCI_VENDOR_ID, le16toh(id->vid));
	for (qid = 1; qid <= NR_IOQ_USED; qid++) {
		ASSERT_EQ(0, nvd_create_io_pair(&l->nvd, qid, QSIZE, qid));
		nb_rw(&sqe, nvme_cmd_read, 1, 0, 1, buf, 0);
		ASSERT_EQ(0, nvd_cmd(&l->nvd, qid, &sqe, &cqe));
		ASSERT_EQ(NVME_SC_NS_NOT_READY, nvd_status_code(&cqe));
		ASSERT_EQ(1, nvd_phase(&cqe));
		ASSERT_GE(evfd_wait(l->msix_fd[qid], EVFD_TIMEOUT_MS), 1);
	}
}

TEST_F(reset, function_reset)
{
	struct lio *l = &self->l;

	ASSERT_EQ(0, vfio_reset(&l->dev));
	ASSERT_EQ(0, REG_RD32(l, NVME_REG_CSTS) & NVME_CSTS_RDY);
	ASSERT_EQ(0, REG_RD32(l, NVME_REG_CC));
	ASSERT_EQ(0, REG_RD32(l, NVME_REG_AQA));
	ASSERT_EQ(0, REG_RD64(l, NVME_REG_ASQ));
	ASSERT_EQ(0, REG_RD64(l, NVME_REG_ACQ));
	/* Config space too: memory decoding and bus mastering off. */
	ASSERT_EQ(0, CFG_RD16(l, PCI_COMMAND) & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));

	old_doorbells_write_nothing(_metadata, l, self->buf);

	/* What QEMU and the guest do around an FLR: MSI-X torn down and set
	 * up again through VFIO, bus mastering turned back on.
	 */
	lio_irq_off(l);
	ASSERT_EQ(0, lio_msix_on(l));
	ASSERT_EQ(0, nvd_init(&l->nvd, &l->dev, &l->mem));
	comes_back(_metadata, l, self->buf);
}

TEST_F(reset, controller_reset)
{
	struct lio *l = &self->l;

	REG_WR32(l, NVME_REG_CC, REG_RD32(l, NVME_REG_CC) & ~NVME_CC_EN);
	ASSERT_EQ(0, nvd_wait_csts(&l->nvd, NVME_CSTS_RDY, 0, l->nvd.timeout_ms));
	/* A controller reset keeps AQA/ASQ/ACQ (the host may re-enable with
	 * them) but forgets every queue.
	 */
	ASSERT_EQ(l->nvd.q[0].sq_iova, REG_RD64(l, NVME_REG_ASQ));
	old_doorbells_write_nothing(_metadata, l, self->buf);
	comes_back(_metadata, l, self->buf);
}

TEST_F(reset, reset_while_aer_outstanding)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;

	/* An AER outstanding at reset is dropped, never completed into the
	 * old admin CQ.
	 */
	nb_aer(&sqe);
	ASSERT_GE(nvd_submit(&l->nvd, 0, &sqe), 0);
	ASSERT_EQ(0, vfio_reset(&l->dev));
	old_doorbells_write_nothing(_metadata, l, self->buf);
}

TEST_F(reset, close_and_reopen)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;

	/* The VM going away (device closed) powers the controller off; the
	 * next open finds it disabled and usable.
	 */
	lio_close(l);
	ASSERT_EQ(0, lio_open(l));
	ASSERT_EQ(0, REG_RD32(l, NVME_REG_CSTS) & NVME_CSTS_RDY);
	ASSERT_EQ(0, REG_RD32(l, NVME_REG_CC));
	ASSERT_EQ(0, lio_msix_on(l));
	ASSERT_NE(NULL, gmem_alloc_pages(&l->mem, GMEM_PAGE, &self->buf));
	comes_back(_metadata, l, self->buf);
	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, self->buf);
	ADMIN_OK(l, &sqe);
}

TEST_HARNESS_MAIN
