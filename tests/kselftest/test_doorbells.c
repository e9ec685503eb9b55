// SPDX-License-Identifier: GPL-2.0
/*
 * Doorbells: a write the controller cannot accept (a queue that does not
 * exist, a value outside the queue) is reported as an Error-type
 * asynchronous event rather than acted on; Doorbell Buffer Config (OACS)
 * gives the host shadow doorbells and EventIdx that the controller keeps
 * equal to the values written, so a host using them rings on every update.
 */
#include "lio_test.h"

FIXTURE(db) {
	struct lio l;
	uint64_t buf;
};

FIXTURE_SETUP(db)
{
	LIO_SETUP(&self->l, NULL);
	LIO_ENABLE(&self->l);
	ASSERT_NE(NULL, gmem_alloc_pages(&self->l.mem, GMEM_PAGE, &self->buf));
	ASSERT_EQ(0, nvd_create_io_pair(&self->l.nvd, 1, 8, 1));
}

FIXTURE_TEARDOWN(db)
{
	LIO_TEARDOWN(&self->l);
}

static uint32_t sq_db(struct lio *l, uint16_t qid)
{
	return NVME_REG_DBS + 2 * qid * l->nvd.db_stride;
}

static uint32_t cq_db(struct lio *l, uint16_t qid)
{
	return sq_db(l, qid) + l->nvd.db_stride;
}

/* With an AER outstanding, write val at off: the AER must complete with
 * an Error event of that kind; reading the error log re-arms the type.
 */
static void bad_doorbell(struct __test_metadata *_metadata, struct lio *l,
			 uint32_t off, uint32_t val, uint8_t info, uint64_t buf)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	int cid;

	nb_aer(&sqe);
	cid = nvd_submit(&l->nvd, 0, &sqe);
	ASSERT_GE(cid, 0);
	ASSERT_EQ(-ETIMEDOUT, nvd_wait_cid(&l->nvd, 0, cid, &cqe, 0));
	TH_LOG("doorbell %#x <- %u", off, val);
	REG_WR32(l, off, val);
	ASSERT_EQ(0, nvd_wait_cid(&l->nvd, 0, cid, &cqe, NVD_CQE_TIMEOUT_MS));
	ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
	ASSERT_EQ(NVME_AER_DW0(NVME_AER_TYPE_ERROR, info, NVME_LOG_ERROR),
		  le32toh(cqe.dw0));
	nb_get_log(&sqe, NVME_LOG_ERROR, 0xffffffff, GMEM_PAGE, buf, false);
	ADMIN_OK(l, &sqe);
	/* The controller carries on. */
	ASSERT_EQ(0, REG_RD32(l, NVME_REG_CSTS) & NVME_CSTS_CFS);
}

TEST_F(db, queue_that_does_not_exist)
{
	struct lio *l = &self->l;

	/* Never created, and beyond the type's queues (BAR0 has room). */
	bad_doorbell(_metadata, l, sq_db(l, 2), 1, NVME_AER_ERROR_INVALID_DB_REG, self->buf);
	bad_doorbell(_metadata, l, cq_db(l, 2), 0, NVME_AER_ERROR_INVALID_DB_REG, self->buf);
	bad_doorbell(_metadata, l, sq_db(l, l->mdev.nr_ioq + 1), 1,
		     NVME_AER_ERROR_INVALID_DB_REG, self->buf);
}

TEST_F(db, value_outside_queue)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	/* SQ 1 has 8 entries: a tail of 8 does not exist. */
	bad_doorbell(_metadata, l, sq_db(l, 1), 8, NVME_AER_ERROR_INVALID_DB_VAL, self->buf);
	/* Nothing posted on CQ 1: its head cannot move. */
	bad_doorbell(_metadata, l, cq_db(l, 1), 1, NVME_AER_ERROR_INVALID_DB_VAL, self->buf);
	/* The queue still works with the values it had. */
	nb_rw(&sqe, nvme_cmd_read, 1, 0, 1, self->buf, 0);
	ASSERT_EQ(0, nvd_cmd(&l->nvd, 1, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_NS_NOT_READY, nvd_status_code(&cqe));
}

TEST_F(db, only_first_dword_is_a_register)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	/* A write elsewhere in a doorbell's page is no doorbell write. */
	nb_rw(&sqe, nvme_cmd_read, 1, 0, 1, self->buf, 0);
	ASSERT_GE(nvd_queue_sqe(&l->nvd, 1, &sqe), 0);
	REG_WR32(l, sq_db(l, 1) + 4, 1);
	ASSERT_FALSE(nvd_cqe_ready(&l->nvd, 1));
	ASSERT_EQ(0, nvd_ring_sq(&l->nvd, 1));
	ASSERT_EQ(0, nvd_reap(&l->nvd, 1, &cqe, NVD_CQE_TIMEOUT_MS));
	ASSERT_EQ(NVME_SC_NS_NOT_READY, nvd_status_code(&cqe));
}

TEST_F(db, dbbuf_config_rejects_unaligned)
{
	struct nvme_sqe sqe;
	uint64_t shadow, eventidx;

	ASSERT_NE(NULL, gmem_alloc_pages(&self->l.mem, GMEM_PAGE, &shadow));
	ASSERT_NE(NULL, gmem_alloc_pages(&self->l.mem, GMEM_PAGE, &eventidx));
	nb_dbbuf(&sqe, shadow + 4, eventidx);
	ADMIN_STATUS(&self->l, &sqe, NVME_SC_INVALID_FIELD);
	nb_dbbuf(&sqe, shadow, eventidx + 64);
	ADMIN_STATUS(&self->l, &sqe, NVME_SC_INVALID_FIELD);
	nb_dbbuf(&sqe, shadow, 0);
	ADMIN_STATUS(&self->l, &sqe, NVME_SC_INVALID_FIELD);
}

TEST_F(db, dbbuf_shadow_follows_doorbells)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	size_t size = (size_t)(l->mdev.nr_ioq + 1) * 2 * l->nvd.db_stride;
	uint32_t *shadow, *eventidx;
	uint64_t s_iova, e_iova;
	unsigned int sq1, cq1, i;

	/* Laid out like the doorbells, stride included (as nvme-pci does). */
	shadow = gmem_alloc_pages(&l->mem, size, &s_iova);
	eventidx = gmem_alloc_pages(&l->mem, size, &e_iova);
	ASSERT_NE(NULL, shadow);
	ASSERT_NE(NULL, eventidx);
	sq1 = 2 * 1 * l->nvd.db_stride / 4;
	cq1 = sq1 + l->nvd.db_stride / 4;

	/* Advance queue 1 before: the buffers start at its current values. */
	for (i = 0; i < 3; i++) {
		nb_rw(&sqe, nvme_cmd_read, 1, 0, 1, self->buf, 0);
		ASSERT_EQ(0, nvd_cmd(&l->nvd, 1, &sqe, &cqe));
	}
	memset(shadow, 0xa5, size);
	memset(eventidx, 0xa5, size);
	nb_dbbuf(&sqe, s_iova, e_iova);
	ADMIN_OK(l, &sqe);
	ASSERT_EQ(3, le32toh(shadow[sq1]));
	ASSERT_EQ(3, le32toh(shadow[cq1]));
	ASSERT_EQ(3, le32toh(eventidx[sq1]));
	ASSERT_EQ(3, le32toh(eventidx[cq1]));

	/* Each trapped doorbell write shows in both. */
	nb_rw(&sqe, nvme_cmd_read, 1, 0, 1, self->buf, 0);
	ASSERT_EQ(0, nvd_cmd(&l->nvd, 1, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_NS_NOT_READY, nvd_status_code(&cqe));
	ASSERT_EQ(4, le32toh(shadow[sq1]));
	ASSERT_EQ(4, le32toh(shadow[cq1]));
	ASSERT_EQ(4, le32toh(eventidx[sq1]));
	ASSERT_EQ(4, le32toh(eventidx[cq1]));
	/* Queues not in use are left alone. */
	ASSERT_EQ(0xa5a5a5a5, shadow[sq1 + 2 * l->nvd.db_stride / 4]);
}

TEST_HARNESS_MAIN
