// SPDX-License-Identifier: GPL-2.0
/*
 * Doorbells: a write the controller cannot accept (a queue that does not
 * exist, a value outside the queue) is reported as an Error-type
 * asynchronous event rather than acted on; Doorbell Buffer Config (OACS)
 * gives the host shadow doorbells and EventIdx that the controller keeps
 * equal to the values written, so a host using them rings on every update.
 *
 * The mmapped doorbell pages (leapiod serving, nothing traps): stores to
 * the pages of a queue never created, or deleted, change nothing (no
 * command fetched, no completion, no event, the controller not failed),
 * and a queue created there afterwards starts from 0 as any other. No
 * page of the admin doorbells or past the type's queues can be mapped.
 */
#include <sys/mman.h>

#include "lio_dp.h"

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

/* ---- mmapped doorbell pages, leapiod serving ---- */

FIXTURE(dbmap) {
	struct dp dp;
	int aer_cid;
};

FIXTURE_SETUP(dbmap)
{
	struct dp *dp = &self->dp;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	dp_setup(_metadata, dp, 0);
	ASSERT_LE(2, dp->nr);
	ASSERT_EQ(0, nio_map_doorbells(&dp->io));
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	/* An event request outstanding: a doorbell leapiod judged would end it. */
	nb_aer(&sqe);
	self->aer_cid = nvd_submit(&dp->l.nvd, 0, &sqe);
	ASSERT_GE(self->aer_cid, 0);
	ASSERT_EQ(-ETIMEDOUT, nvd_wait_cid(&dp->l.nvd, 0, self->aer_cid, &cqe, 0));
}

FIXTURE_TEARDOWN(dbmap)
{
	dp_teardown(_metadata, &self->dp);
}

static volatile uint32_t *mapped_db(struct __test_metadata *_metadata,
				    struct dp *dp, uint32_t off)
{
	volatile uint32_t *p = nio_db_ptr(&dp->io, off);

	{ ASSERT_NE(NULL, p); }
	return p;
}

/* Stores a guest may make to the pages of queue q's doorbells. */
static void scribble(struct __test_metadata *_metadata, struct dp *dp,
		     uint16_t q, uint32_t tail)
{
	static const uint32_t junk[] = { 1, 0xffff, 0x10000, 0xffffffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(junk); i++) {
		*mapped_db(_metadata, dp, LEAPIO_SQ_DB(q)) = htole32(junk[i]);
		*mapped_db(_metadata, dp, LEAPIO_CQ_DB(q)) = htole32(junk[i]);
	}
	*mapped_db(_metadata, dp, LEAPIO_SQ_DB(q)) = htole32(tail);
	*mapped_db(_metadata, dp, LEAPIO_CQ_DB(q)) = htole32(tail / 2 + 1);
}

/*
 * Queue 1 carries I/O meanwhile (leapiod polls every queue in turn, so
 * these round trips are it having looked at the others), and nothing
 * answered the stores: no event, no completion, no failed controller.
 */
static void served_as_before(struct __test_metadata *_metadata,
			     FIXTURE_DATA(dbmap) *self, uint32_t seed)
{
	struct dp *dp = &self->dp;
	struct nvme_cqe cqe;
	int i;

	for (i = 0; i < 3; i++) {
		dp_write_seed(_metadata, dp, 1, 64 + i, 1, seed + i);
		dp_read_seed(_metadata, dp, 1, 64 + i, 1, seed + i);
	}
	ASSERT_FALSE(nvd_cqe_ready(&dp->l.nvd, 1));
	ASSERT_EQ(-ETIMEDOUT, nvd_wait_cid(&dp->l.nvd, 0, self->aer_cid, &cqe, 0));
	ASSERT_EQ(0, REG_RD32(&dp->l, NVME_REG_CSTS) & NVME_CSTS_CFS);
}

/* Queue q, created now, works from 0 like any new queue. */
static void new_queue_works(struct __test_metadata *_metadata, struct dp *dp,
			    uint16_t q, uint32_t seed)
{
	uint64_t slba = 1000 + 8 * q;	/* apart from queue 1's and LBA 100 */

	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, q, 16, q));
	/* dp_rw checks the CID, the phase and that the SQ head is 1. */
	dp_write_seed(_metadata, dp, q, slba, 1, seed);
	dp_read_seed(_metadata, dp, q, slba, 1, seed);
	dp_backing_seed(_metadata, dp, 0, slba, 1, seed);
	ASSERT_EQ(2, dp->l.nvd.q[q].sq_tail);
}

TEST_F(dbmap, queue_never_created)
{
	struct dp *dp = &self->dp;

	scribble(_metadata, dp, 2, 5);
	scribble(_metadata, dp, dp->nr, 9);
	served_as_before(_metadata, self, 7100);
	new_queue_works(_metadata, dp, 2, 7200);
	new_queue_works(_metadata, dp, dp->nr, 7300);
	served_as_before(_metadata, self, 7400);
}

TEST_F(dbmap, queue_deleted)
{
	struct dp *dp = &self->dp;
	struct nvd_queue *q2 = &dp->l.nvd.q[2];
	size_t len = nio_bytes(&dp->io, 1);
	struct nvme_cqe cq_before[16];
	struct nvme_sqe *sq, sqe;
	struct nvme_cqe *cq;
	uint64_t prp1 = 0, prp2 = 0, iova = 0;
	uint16_t status;
	uint8_t *blk;
	unsigned int i;

	new_queue_works(_metadata, dp, 2, 7500);
	sq = q2->sq;
	cq = q2->cq;
	ASSERT_EQ(0, nvd_delete_sq(&dp->l.nvd, 2, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);
	ASSERT_EQ(0, nvd_delete_cq(&dp->l.nvd, 2, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);

	/*
	 * The deleted SQ's memory holds Writes past its old tail, of a
	 * block nothing else writes: fetching them would write it, and
	 * complete into the deleted CQ's memory.
	 */
	blk = gmem_alloc_pages(&dp->l.mem, len, &iova);
	ASSERT_NE(NULL, blk);
	nio_fill(blk, len, 7600);
	ASSERT_EQ(0, nio_prp(&dp->io, iova, len, &prp1, &prp2));
	for (i = 2; i < 16; i++) {
		nb_rw(&sqe, nvme_cmd_write, NIO_NSID, 100, 1, prp1, prp2);
		sqe.cid = htole16(0x4000 + i);
		sq[i] = sqe;
	}
	memcpy(cq_before, cq, sizeof(cq_before));
	scribble(_metadata, dp, 2, 15);
	served_as_before(_metadata, self, 7700);
	ASSERT_EQ(0, memcmp(cq_before, cq, sizeof(cq_before)));
	blk = malloc(len);
	ASSERT_NE(NULL, blk);
	ASSERT_EQ(0, backing_read(&dp->bk, 100 << dp->io.lba_shift, blk, len));
	EXPECT_EQ(len, nio_check_byte(blk, len, 0));
	free(blk);

	/* Created again at the same id: from 0, the pages' values forgotten. */
	new_queue_works(_metadata, dp, 2, 7800);
	served_as_before(_metadata, self, 7900);
}

TEST_F(dbmap, only_io_doorbell_pages_of_the_type_map)
{
	struct dp *dp = &self->dp;
	struct vfio_dev *d = &dp->l.dev;
	uint64_t base = d->region[VFIO_PCI_BAR0_REGION_INDEX].offset;
	const uint64_t off[] = {
		0, LEAPIO_SQ_DB(0) & ~4095ULL, LEAPIO_CQ_DB(0) & ~4095ULL,
		LEAPIO_SQ_DB(dp->nr + 1), LEAPIO_CQ_DB(dp->nr + 1),
	};
	unsigned int i;
	void *p;

	for (i = 0; i < ARRAY_SIZE(off); i++) {
		TH_LOG("BAR0 %#llx", (unsigned long long)off[i]);
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd,
			 base + off[i]);
		EXPECT_EQ(MAP_FAILED, p);
		if (p != MAP_FAILED)
			munmap(p, 4096);
	}
	/* The last queue's CQ doorbell is the area's last page. */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd,
		 base + LEAPIO_CQ_DB(dp->nr));
	ASSERT_NE(MAP_FAILED, p);
	munmap(p, 4096);
}

TEST_HARNESS_MAIN
