// SPDX-License-Identifier: GPL-2.0
/*
 * I/O queues: Create / Delete I/O CQ and SQ with every error status the
 * specification gives them, an I/O command completing on its CQ with the
 * right phase and interrupt, the phase flipping on wrap-around, and a full
 * CQ holding back completions until the host frees room.
 */
#include "lio_test.h"

FIXTURE(queues) {
	struct lio l;
	uint16_t nr;		/* I/O queue pairs of the type */
	void *data;
	uint64_t data_iova;
};

FIXTURE_SETUP(queues)
{
	struct nvme_sqe sqe;
	uint32_t n;

	LIO_SETUP(&self->l, NULL);
	LIO_ENABLE(&self->l);
	ASSERT_EQ(0, lio_msix_on(&self->l));
	self->nr = self->l.mdev.nr_ioq;
	ASSERT_GE(self->nr, 2);
	/* As nvme-pci does before creating queues: ask for all of them. */
	n = self->nr - 1;
	nb_set_features(&sqe, NVME_FEAT_NUM_QUEUES, false, n | n << 16);
	ADMIN_OK(&self->l, &sqe);
	self->data = gmem_alloc_pages(&self->l.mem, GMEM_PAGE, &self->data_iova);
	ASSERT_NE(NULL, self->data);
}

FIXTURE_TEARDOWN(queues)
{
	LIO_TEARDOWN(&self->l);
}

/* A page-aligned ring of guest memory for raw creates: room for the
 * entries asked for, up to the largest valid queue (MQES + 1 entries).
 */
static uint64_t ring(struct __test_metadata *_metadata, struct lio *l,
		     uint16_t qsize0, size_t entry)
{
	size_t size = ((size_t)(qsize0 > 1023 ? 1023 : qsize0) + 1) * entry;
	uint64_t iova = 0;
	void *p = gmem_alloc_pages(&l->mem, size, &iova);

	ASSERT_NE(NULL, p);
	return iova;
}

#define PC	NVME_QUEUE_PHYS_CONTIG
#define IEN	NVME_CQ_IRQ_ENABLED

static void create_cq(struct __test_metadata *_metadata, struct lio *l,
		      uint16_t qid, uint16_t qsize0, uint32_t flags,
		      uint16_t iv, uint16_t want)
{
	uint16_t status;

	ASSERT_EQ(0, nvd_create_cq_raw(&l->nvd, qid, qsize0,
				       ring(_metadata, l, qsize0, NVME_CQE_SIZE), flags, iv,
				       &status));
	TH_LOG("create CQ %u size0 %u flags %#x iv %u: status %#x", qid, qsize0,
	       flags, iv, status);
	ASSERT_EQ(want, status & NVME_STATUS(7, 0xff));
}

static void create_sq(struct __test_metadata *_metadata, struct lio *l,
		      uint16_t qid, uint16_t qsize0, uint32_t flags,
		      uint16_t cqid, uint16_t want)
{
	uint16_t status;

	ASSERT_EQ(0, nvd_create_sq_raw(&l->nvd, qid, qsize0,
				       ring(_metadata, l, qsize0, NVME_SQE_SIZE), flags,
				       cqid, &status));
	TH_LOG("create SQ %u size0 %u flags %#x cq %u: status %#x", qid, qsize0,
	       flags, cqid, status);
	ASSERT_EQ(want, status & NVME_STATUS(7, 0xff));
}

static void delete_q(struct __test_metadata *_metadata, struct lio *l, bool cq,
		     uint16_t qid, uint16_t want)
{
	uint16_t status;

	if (cq) {
		ASSERT_EQ(0, nvd_delete_cq(&l->nvd, qid, &status));
	} else {
		ASSERT_EQ(0, nvd_delete_sq(&l->nvd, qid, &status));
	}
	TH_LOG("delete %s %u: status %#x", cq ? "CQ" : "SQ", qid, status);
	ASSERT_EQ(want, status & NVME_STATUS(7, 0xff));
}

TEST_F(queues, create_cq_errors)
{
	struct lio *l = &self->l;

	create_cq(_metadata, l, 0, 15, PC | IEN, 1, NVME_SC_QID_INVALID);
	create_cq(_metadata, l, self->nr + 1, 15, PC | IEN, 1, NVME_SC_QID_INVALID);
	create_cq(_metadata, l, 0xffff, 15, PC | IEN, 1, NVME_SC_QID_INVALID);
	/* One entry (0's based 0) is no queue; MQES + 1 is the most. */
	create_cq(_metadata, l, 1, 0, PC | IEN, 1, NVME_SC_QUEUE_SIZE);
	create_cq(_metadata, l, 1, 1024, PC | IEN, 1, NVME_SC_QUEUE_SIZE);
	create_cq(_metadata, l, 1, 0xffff, PC | IEN, 1, NVME_SC_QUEUE_SIZE);
	/* Vectors are 0 .. nr: nr + 1 is beyond the MSI-X table. */
	create_cq(_metadata, l, 1, 15, PC | IEN, self->nr + 1, NVME_SC_INVALID_VECTOR);
	/* CAP.CQR: only physically contiguous queues. */
	create_cq(_metadata, l, 1, 15, IEN, 1, NVME_SC_INVALID_FIELD);

	/* None of those created anything: qid 1 is still free. */
	create_cq(_metadata, l, 1, 15, PC | IEN, 1, NVME_SC_SUCCESS);
	create_cq(_metadata, l, 1, 15, PC | IEN, 1, NVME_SC_QID_INVALID);	/* again */
	/* The largest queue is accepted. */
	create_cq(_metadata, l, 2, 1023, PC | IEN, 2, NVME_SC_SUCCESS);
}

TEST_F(queues, create_sq_errors)
{
	struct lio *l = &self->l;

	create_cq(_metadata, l, 1, 15, PC | IEN, 1, NVME_SC_SUCCESS);
	/* No CQ 2; CQ 0 is the admin CQ. */
	create_sq(_metadata, l, 1, 15, PC, 2, NVME_SC_CQ_INVALID);
	create_sq(_metadata, l, 1, 15, PC, 0, NVME_SC_CQ_INVALID);
	create_sq(_metadata, l, 0, 15, PC, 1, NVME_SC_QID_INVALID);
	create_sq(_metadata, l, self->nr + 1, 15, PC, 1, NVME_SC_QID_INVALID);
	create_sq(_metadata, l, 1, 0, PC, 1, NVME_SC_QUEUE_SIZE);
	create_sq(_metadata, l, 1, 1024, PC, 1, NVME_SC_QUEUE_SIZE);
	create_sq(_metadata, l, 1, 15, 0, 1, NVME_SC_INVALID_FIELD);

	create_sq(_metadata, l, 1, 15, PC, 1, NVME_SC_SUCCESS);
	create_sq(_metadata, l, 1, 15, PC, 1, NVME_SC_QID_INVALID);	/* again */
	/* Several SQs may share one CQ. */
	create_sq(_metadata, l, 2, 15, PC, 1, NVME_SC_SUCCESS);
}

TEST_F(queues, delete_errors)
{
	struct lio *l = &self->l;

	/* The admin queues and queues never created. */
	delete_q(_metadata, l, false, 0, NVME_SC_QID_INVALID);
	delete_q(_metadata, l, true, 0, NVME_SC_QID_INVALID);
	delete_q(_metadata, l, false, 1, NVME_SC_QID_INVALID);
	delete_q(_metadata, l, true, 1, NVME_SC_QID_INVALID);
	delete_q(_metadata, l, true, self->nr + 1, NVME_SC_QID_INVALID);

	create_cq(_metadata, l, 1, 15, PC | IEN, 1, NVME_SC_SUCCESS);
	create_sq(_metadata, l, 1, 15, PC, 1, NVME_SC_SUCCESS);
	/* A CQ with an SQ bound to it stays. */
	delete_q(_metadata, l, true, 1, NVME_SC_INVALID_QUEUE_DELETION);
	delete_q(_metadata, l, false, 1, NVME_SC_SUCCESS);
	delete_q(_metadata, l, false, 1, NVME_SC_QID_INVALID);
	delete_q(_metadata, l, true, 1, NVME_SC_SUCCESS);
	delete_q(_metadata, l, true, 1, NVME_SC_QID_INVALID);
	/* And both can be made again. */
	create_cq(_metadata, l, 1, 15, PC | IEN, 1, NVME_SC_SUCCESS);
	create_sq(_metadata, l, 1, 15, PC, 1, NVME_SC_SUCCESS);
}

TEST_F(queues, nr_queues_fixed_once_queues_exist)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;

	ASSERT_EQ(0, nvd_create_io_pair(&l->nvd, 1, 8, 1));
	nb_set_features(&sqe, NVME_FEAT_NUM_QUEUES, false, 0);
	ADMIN_STATUS(l, &sqe, NVME_SC_CMD_SEQ_ERROR);
}

TEST_F(queues, io_command_errors)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	/* The opcode and namespace are checked before "not ready". */
	ASSERT_EQ(0, nvd_create_io_pair(&l->nvd, 1, 8, 1));
	nb_rw(&sqe, nvme_cmd_read, 2, 0, 1, self->data_iova, 0);
	ASSERT_EQ(0, nvd_cmd(&l->nvd, 1, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_INVALID_NS, nvd_status_code(&cqe));
	nb_rw(&sqe, nvme_cmd_read, 1, 0, 1, self->data_iova, 0);
	sqe.opcode = 0x7e;
	ASSERT_EQ(0, nvd_cmd(&l->nvd, 1, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_INVALID_OPCODE, nvd_status_code(&cqe));
	/* Flush may name every namespace at once (VWC). */
	nb_flush(&sqe, 0xffffffff);
	ASSERT_EQ(0, nvd_cmd(&l->nvd, 1, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_NS_NOT_READY, nvd_status_code(&cqe));
}

TEST_F(queues, every_queue_of_the_type)
{
	struct lio *l = &self->l;
	uint16_t qid;

	for (qid = 1; qid <= self->nr; qid++) {
		ASSERT_EQ(0, nvd_create_io_pair(&l->nvd, qid, 8, qid));
	}
	for (qid = self->nr; qid >= 1; qid--) {
		delete_q(_metadata, l, false, qid, NVME_SC_SUCCESS);
		delete_q(_metadata, l, true, qid, NVME_SC_SUCCESS);
	}
}

/*
 * One Read on SQ qid: no data path serves the queue in this issue, so it
 * must complete with Namespace Not Ready, with the right phase, on the
 * CQ's MSI-X vector and no other.
 */
static void read_not_ready(struct __test_metadata *_metadata, struct lio *l,
			   uint16_t qid, uint64_t buf)
{
	struct nvd_queue *q = &l->nvd.q[qid];
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint8_t phase = l->nvd.q[q->cqid].phase;
	uint16_t vec = l->nvd.q[q->cqid].vector;
	unsigned int v;
	int cid;

	/* Earlier commands (the creates, on the admin vector) signalled
	 * already: start from quiet eventfds.
	 */
	for (v = 0; v < l->nr_msix; v++)
		evfd_take(l->msix_fd[v]);
	/* No grace period for a runtime (test_runtime_lost has one). */
	ASSERT_EQ(0, mdev_attr_write_u64(&l->mdev,
					 LEAPIO_SYSFS_RUNTIME_GRACE_MS, 0));
	nb_rw(&sqe, nvme_cmd_read, 1, 0, 1, buf, 0);
	cid = nvd_submit(&l->nvd, qid, &sqe);
	ASSERT_GE(cid, 0);
	ASSERT_EQ(0, nvd_reap(&l->nvd, q->cqid, &cqe, NVD_CQE_TIMEOUT_MS));
	ASSERT_EQ(phase, nvd_phase(&cqe));
	ASSERT_EQ(cid, le16toh(cqe.cid));
	ASSERT_EQ(qid, le16toh(cqe.sq_id));
	ASSERT_EQ(q->sq_tail, le16toh(cqe.sq_head));
	ASSERT_EQ(NVME_SC_NS_NOT_READY, nvd_status_code(&cqe));
	/* Retrying will not make a data path appear (nodp.c): DNR. */
	ASSERT_NE(0, nvd_status(&cqe) & NVME_STATUS_DNR);
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, q->cqid));
	ASSERT_GE(evfd_wait(l->msix_fd[vec], EVFD_TIMEOUT_MS), 1);
	for (v = 0; v < l->nr_msix; v++) {
		ASSERT_EQ(0, evfd_take(l->msix_fd[v]));
	}
}

TEST_F(queues, io_command_completes)
{
	struct lio *l = &self->l;
	uint16_t qid;

	for (qid = 1; qid <= self->nr; qid++) {
		/* Vectors in reverse: the CQ's own vector is the one used. */
		ASSERT_EQ(0, nvd_create_io_pair(&l->nvd, qid, 16, self->nr + 1 - qid));
		read_not_ready(_metadata, l, qid, self->data_iova);
	}
}

TEST_F(queues, cq_wraps_with_phase_flip)
{
	struct lio *l = &self->l;
	unsigned int i;

	/* A 4-entry CQ behind an 8-entry SQ: three passes of the CQ. */
	ASSERT_EQ(0, nvd_create_io_pair(&l->nvd, 1, 4, 1));
	for (i = 0; i < 12; i++) {
		TH_LOG("command %u, CQ head %u phase %u", i, l->nvd.q[1].cq_head,
		       l->nvd.q[1].phase);
		ASSERT_EQ((i / 4) % 2 ? 0 : 1, l->nvd.q[1].phase);
		read_not_ready(_metadata, l, 1, self->data_iova);
	}
}

TEST_F(queues, cq_full_holds_completions)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint16_t status, expect_cid = 0;
	int i, got = 0, batch;

	/* A 4-entry CQ holds 3 completions (full when tail + 1 == head). */
	ASSERT_EQ(0, nvd_create_cq(&l->nvd, 1, 4, 1, true, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);
	ASSERT_EQ(0, nvd_create_sq(&l->nvd, 1, 16, 1, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);

	for (i = 0; i < 8; i++) {
		nb_rw(&sqe, nvme_cmd_read, 1, 0, 1, self->data_iova, 0);
		ASSERT_EQ(i, nvd_queue_sqe(&l->nvd, 1, &sqe));
	}
	ASSERT_EQ(0, nvd_ring_sq(&l->nvd, 1));

	/* Batches of 3, 3, 2: each time the host frees the CQ, no more. */
	while (got < 8) {
		batch = 0;
		while (nvd_cqe_ready(&l->nvd, 1)) {
			ASSERT_EQ(0, nvd_reap(&l->nvd, 1, &cqe, 0));
			ASSERT_EQ(expect_cid++, le16toh(cqe.cid));
			ASSERT_EQ(NVME_SC_NS_NOT_READY, nvd_status_code(&cqe));
			batch++;
		}
		TH_LOG("batch of %d after %d", batch, got);
		ASSERT_EQ(got + 3 <= 8 ? 3 : 8 - got, batch);
		got += batch;
		/* The slot at the tail still holds nothing new. */
		ASSERT_FALSE(nvd_cqe_ready(&l->nvd, 1));
		ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 1));
	}
	ASSERT_FALSE(nvd_cqe_ready(&l->nvd, 1));
}

TEST_F(queues, sq_shares_cq)
{
	struct lio *l = &self->l;
	uint16_t status;

	/* Two SQs completing on one CQ: the CQE's SQ ID says which. */
	ASSERT_EQ(0, nvd_create_cq(&l->nvd, 1, 16, 1, true, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);
	ASSERT_EQ(0, nvd_create_sq(&l->nvd, 1, 16, 1, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);
	ASSERT_EQ(0, nvd_create_sq(&l->nvd, 2, 16, 1, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);
	read_not_ready(_metadata, l, 1, self->data_iova);
	read_not_ready(_metadata, l, 2, self->data_iova);
	read_not_ready(_metadata, l, 1, self->data_iova);
}

TEST_HARNESS_MAIN
