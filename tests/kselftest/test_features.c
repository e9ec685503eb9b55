// SPDX-License-Identifier: GPL-2.0
/*
 * Get / Set Features: every feature a guest driver sets round-trips, the
 * queue count is capped at the type's, and unsupported or malformed
 * requests fail with Invalid Field.
 */
#include <time.h>

#include "lio_test.h"

FIXTURE(features) {
	struct lio l;
};

FIXTURE_SETUP(features)
{
	LIO_SETUP(&self->l, NULL);
	LIO_ENABLE(&self->l);
}

FIXTURE_TEARDOWN(features)
{
	LIO_TEARDOWN(&self->l);
}

static uint32_t get_feat(struct __test_metadata *_metadata, struct lio *l,
			 uint8_t fid, uint32_t cdw11, uint16_t status)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_get_features(&sqe, fid, NVME_FEAT_SEL_CURRENT, cdw11);
	cqe = ADMIN_STATUS(l, &sqe, status);
	return le32toh(cqe.dw0);
}

static uint32_t set_feat(struct __test_metadata *_metadata, struct lio *l,
			 uint8_t fid, uint32_t cdw11, uint16_t status)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_set_features(&sqe, fid, false, cdw11);
	cqe = ADMIN_STATUS(l, &sqe, status);
	return le32toh(cqe.dw0);
}

TEST_F(features, number_of_queues)
{
	struct lio *l = &self->l;
	uint32_t n = l->mdev.nr_ioq - 1, want = n | n << 16, dw0;

	/* Ask for the most (0's based 0xfffe each): get the type's count. */
	dw0 = set_feat(_metadata, l, NVME_FEAT_NUM_QUEUES, 0xfffefffe, NVME_SC_SUCCESS);
	ASSERT_EQ(want, dw0);
	ASSERT_EQ(want, get_feat(_metadata, l, NVME_FEAT_NUM_QUEUES, 0, NVME_SC_SUCCESS));

	/* 0xffff (65536 queues) is not a count the field may hold. */
	set_feat(_metadata, l, NVME_FEAT_NUM_QUEUES, 0x0000ffff, NVME_SC_INVALID_FIELD);
	set_feat(_metadata, l, NVME_FEAT_NUM_QUEUES, 0xffff0000, NVME_SC_INVALID_FIELD);
}

TEST_F(features, number_of_queues_each_type)
{
	struct lio_mdev_type t[MDEV_MAX_TYPES];
	struct lio *l = &self->l;
	int nr, i;
	uint32_t n;

	nr = mdev_list_types(t, MDEV_MAX_TYPES);
	ASSERT_GT(nr, 0);
	for (i = 0; i < nr; i++) {
		struct lio_opts o = { .type = t[i].name };

		ASSERT_EQ(0, lio_teardown(l));
		LIO_SETUP(l, &o);
		LIO_ENABLE(l);
		n = t[i].nr_ioq - 1;
		TH_LOG("%s", t[i].name);
		ASSERT_EQ(n | n << 16, set_feat(_metadata, l, NVME_FEAT_NUM_QUEUES,
						 0xfffefffe, NVME_SC_SUCCESS));
	}
}

TEST_F(features, arbitration)
{
	struct lio *l = &self->l;
	uint32_t v = 0x04030201 | 3;	/* HPW MPW LPW, burst 2^3 */

	set_feat(_metadata, l, NVME_FEAT_ARBITRATION, v, NVME_SC_SUCCESS);
	ASSERT_EQ(v, get_feat(_metadata, l, NVME_FEAT_ARBITRATION, 0, NVME_SC_SUCCESS));
}

#define TMPTH_UNDER	(1U << 20)	/* THSEL: under temperature threshold */

TEST_F(features, temperature_threshold)
{
	struct lio *l = &self->l;

	set_feat(_metadata, l, NVME_FEAT_TEMP_THRESH, 350, NVME_SC_SUCCESS);
	set_feat(_metadata, l, NVME_FEAT_TEMP_THRESH, TMPTH_UNDER | 260, NVME_SC_SUCCESS);
	ASSERT_EQ(350, get_feat(_metadata, l, NVME_FEAT_TEMP_THRESH, 0,
				NVME_SC_SUCCESS) & 0xffff);
	ASSERT_EQ(260, get_feat(_metadata, l, NVME_FEAT_TEMP_THRESH, TMPTH_UNDER,
				NVME_SC_SUCCESS) & 0xffff);
	/* Only the composite sensor (TMPSEL 0) exists; THSEL 3 is reserved. */
	set_feat(_metadata, l, NVME_FEAT_TEMP_THRESH, (1U << 16) | 350,
		 NVME_SC_INVALID_FIELD);
	set_feat(_metadata, l, NVME_FEAT_TEMP_THRESH, (3U << 20) | 350,
		 NVME_SC_INVALID_FIELD);
}

TEST_F(features, volatile_write_cache)
{
	struct lio *l = &self->l;

	set_feat(_metadata, l, NVME_FEAT_VOLATILE_WC, 0, NVME_SC_SUCCESS);
	ASSERT_EQ(0, get_feat(_metadata, l, NVME_FEAT_VOLATILE_WC, 0, NVME_SC_SUCCESS));
	set_feat(_metadata, l, NVME_FEAT_VOLATILE_WC, 1, NVME_SC_SUCCESS);
	ASSERT_EQ(1, get_feat(_metadata, l, NVME_FEAT_VOLATILE_WC, 0, NVME_SC_SUCCESS));
}

TEST_F(features, irq_coalescing)
{
	struct lio *l = &self->l;

	set_feat(_metadata, l, NVME_FEAT_IRQ_COALESCE, 0x0a05, NVME_SC_SUCCESS);
	ASSERT_EQ(0x0a05, get_feat(_metadata, l, NVME_FEAT_IRQ_COALESCE, 0,
				   NVME_SC_SUCCESS));
}

#define IRQ_CFG_CD	(1U << 16)	/* Coalescing Disable */

TEST_F(features, irq_config)
{
	struct lio *l = &self->l;
	uint32_t nvec = l->mdev.nr_ioq + 1;

	set_feat(_metadata, l, NVME_FEAT_IRQ_CONFIG, IRQ_CFG_CD | 1, NVME_SC_SUCCESS);
	ASSERT_EQ(IRQ_CFG_CD | 1, get_feat(_metadata, l, NVME_FEAT_IRQ_CONFIG, 1,
					   NVME_SC_SUCCESS));
	set_feat(_metadata, l, NVME_FEAT_IRQ_CONFIG, 1, NVME_SC_SUCCESS);
	ASSERT_EQ(1, get_feat(_metadata, l, NVME_FEAT_IRQ_CONFIG, 1, NVME_SC_SUCCESS));
	/* A vector beyond the MSI-X table. */
	set_feat(_metadata, l, NVME_FEAT_IRQ_CONFIG, IRQ_CFG_CD | nvec,
		 NVME_SC_INVALID_FIELD);
	get_feat(_metadata, l, NVME_FEAT_IRQ_CONFIG, nvec, NVME_SC_INVALID_FIELD);
}

TEST_F(features, timestamp)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;
	struct timespec ts;
	uint64_t iova, set_ms, got_ms;
	uint8_t *buf;

	buf = gmem_alloc_pages(&l->mem, GMEM_PAGE, &iova);
	ASSERT_NE(NULL, buf);
	/* A time unlike the machine's, so a controller echoing its own clock
	 * can't pass: 2001-09-09.
	 */
	set_ms = 1000000000000ULL;
	memcpy(buf, &(uint64_t){ htole64(set_ms) }, 6);
	nb_set_features(&sqe, NVME_FEAT_TIMESTAMP, false, 0);
	nb_data(&sqe, iova, 8);
	ADMIN_OK(l, &sqe);
	clock_gettime(CLOCK_MONOTONIC, &ts);

	memset(buf, 0xa5, 8);
	nb_get_features(&sqe, NVME_FEAT_TIMESTAMP, NVME_FEAT_SEL_CURRENT, 0);
	nb_data(&sqe, iova, 8);
	ADMIN_OK(l, &sqe);
	got_ms = 0;
	memcpy(&got_ms, buf, 6);
	got_ms = le64toh(got_ms);
	TH_LOG("set %llu got %llu", (unsigned long long)set_ms,
	       (unsigned long long)got_ms);
	/* It has kept counting from the value set, at most the test's
	 * bound since (the harness's 30 s).
	 */
	ASSERT_GE(got_ms, set_ms);
	ASSERT_LT(got_ms - set_ms, 30000);
	/* Attributes: Synch 0 (never stopped), Origin 1 (set by the host). */
	ASSERT_EQ(0, buf[6] & 1);
	ASSERT_EQ(1, (buf[6] >> 1) & 7);
}

TEST_F(features, async_event_config)
{
	struct lio *l = &self->l;
	uint32_t v = NVME_AEC_NS_ATTR | (1U << 1);	/* + temperature */

	set_feat(_metadata, l, NVME_FEAT_ASYNC_EVENT, v, NVME_SC_SUCCESS);
	ASSERT_EQ(v, get_feat(_metadata, l, NVME_FEAT_ASYNC_EVENT, 0, NVME_SC_SUCCESS));
	set_feat(_metadata, l, NVME_FEAT_ASYNC_EVENT, 0, NVME_SC_SUCCESS);
	ASSERT_EQ(0, get_feat(_metadata, l, NVME_FEAT_ASYNC_EVENT, 0, NVME_SC_SUCCESS));
}

TEST_F(features, bad_fid)
{
	/* APST (not offered: APSTA 0), vendor specific, reserved. */
	static const uint8_t bad[] = { NVME_FEAT_AUTO_PST, 0xd0, 0xc1, 0x00 };
	struct lio *l = &self->l;
	unsigned int i;

	for (i = 0; i < sizeof(bad); i++) {
		TH_LOG("FID %#x", bad[i]);
		get_feat(_metadata, l, bad[i], 0, NVME_SC_INVALID_FIELD);
		set_feat(_metadata, l, bad[i], 0, NVME_SC_INVALID_FIELD);
	}
}

TEST_HARNESS_MAIN
