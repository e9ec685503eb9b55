// SPDX-License-Identifier: GPL-2.0
/*
 * Format NVM through leapiod, from the VFIO client: to 4 KiB blocks with
 * the user data erased (the backing device zeroed, Write Uncorrectable's
 * marks gone, Identify and sysfs saying 4096, I/O in the new blocks) and
 * back to 512 bytes without erase (the data kept); each bad field
 * refused with its status and nothing changed; no runtime: Namespace Not
 * Ready; a runtime that stops answering mid-format and is killed: the
 * next one carries the format out and the command completes.
 */
#include "lio_dp.h"

#define FMT_WAIT_MS	60000

FIXTURE(fmt) {
	struct dp dp;
};

FIXTURE_SETUP(fmt)
{
	dp_setup(_metadata, &self->dp, 0);
	ASSERT_EQ(0, nvd_create_io_pair(&self->dp.l.nvd, 1, 16, 1));
}

FIXTURE_TEARDOWN(fmt)
{
	dp_teardown(_metadata, &self->dp);
}

/* Submit Format NVM: its CID (the completion comes later). */
static int format_submit(struct __test_metadata *_metadata, struct dp *dp,
			 uint32_t nsid, uint8_t lbaf, uint8_t ses, uint8_t pi)
{
	struct nvme_sqe sqe;
	int cid;

	nb_format(&sqe, nsid, lbaf, ses, pi);
	cid = nvd_submit(&dp->l.nvd, 0, &sqe);
	{ ASSERT_LE(0, cid); }
	return cid;
}

/* Format NVM, waited for: its status code. */
static uint16_t format(struct __test_metadata *_metadata, struct dp *dp,
		       uint32_t nsid, uint8_t lbaf, uint8_t ses, uint8_t pi)
{
	int cid = format_submit(_metadata, dp, nsid, lbaf, ses, pi);
	struct nvme_cqe cqe;

	{ ASSERT_EQ(0, nvd_wait_cid(&dp->l.nvd, 0, cid, &cqe, FMT_WAIT_MS))
		TH_LOG("Format NVM did not complete in %d ms", FMT_WAIT_MS); }
	return nvd_status_code(&cqe);
}

/*
 * Identify Namespace: FLBAS's format, NSZE in *nsze; the VFIO client's
 * I/O helper follows (its LBA size and size).
 */
static uint8_t flbas(struct __test_metadata *_metadata, struct dp *dp,
		     uint64_t *nsze)
{
	struct nvme_id_ns *ns = dp_identify(_metadata, dp, NVME_ID_CNS_NS, 1);

	if (!ns)
		return 0xff;
	*nsze = le64toh(ns->nsze);
	dp->io.lba_shift = ns->lbaf[ns->flbas & 0xf].ds;
	dp->io.nsze = *nsze;
	return ns->flbas & 0xf;
}

/* A command on I/O queue 1: its status code. */
static uint16_t run(struct __test_metadata *_metadata, struct dp *dp,
		    struct nvme_sqe *sqe)
{
	struct nvme_cqe cqe;

	{ ASSERT_EQ(0, nio_cmd(&dp->io, 1, sqe, &cqe)); }
	return nvd_status_code(&cqe);
}

/* Read nlb blocks at slba: its status; zeroes: they all were. */
static uint16_t read_zero(struct __test_metadata *_metadata, struct dp *dp,
			  uint64_t slba, uint32_t nlb, bool *zeroes)
{
	size_t len = nio_bytes(&dp->io, nlb), i;
	uint64_t iova = 0;
	uint8_t *buf = gmem_alloc_pages(&dp->l.mem, len, &iova);
	uint16_t st;

	{ ASSERT_NE(NULL, buf); }
	memset(buf, 0xee, len);
	st = dp_rw(_metadata, dp, 1, nvme_cmd_read, slba, nlb, iova, 0);
	*zeroes = true;
	for (i = 0; i < len; i++)
		*zeroes &= !buf[i];
	return st;
}

static bool backing_zero(struct __test_metadata *_metadata, struct dp *dp,
			 uint64_t len)
{
	uint8_t *buf = malloc(len);
	bool zero = true;
	uint64_t i;

	{ ASSERT_NE(NULL, buf); }
	{ ASSERT_EQ(0, backing_read(&dp->bk, dp->bk.base, buf, len)); }
	for (i = 0; i < len && zero; i++)
		zero = !buf[i];
	free(buf);
	return zero;
}

TEST_F_TIMEOUT(fmt, to_4k_erased_then_back_kept, 180)
{
	struct dp *dp = &self->dp;
	struct nvme_sqe sqe;
	bool zeroes;
	uint64_t nsze;

	ASSERT_EQ(0, flbas(_metadata, dp, &nsze));
	ASSERT_EQ(DP_NS_SIZE / 512, nsze);
	dp_write_seed(_metadata, dp, 1, 16, 64, 620);
	nb_nodata(&sqe, nvme_cmd_write_uncor, NIO_NSID, 200, 8, 0);
	ASSERT_EQ(NVME_SC_SUCCESS, run(_metadata, dp, &sqe));

	ASSERT_EQ(NVME_SC_SUCCESS, format(_metadata, dp, 1, 1,
					  NVME_FORMAT_SES_USER_DATA, 0));
	ASSERT_EQ(1, flbas(_metadata, dp, &nsze));
	ASSERT_EQ(DP_NS_SIZE / 4096, nsze);
	ASSERT_EQ(4096, dp_attr(_metadata, dp, LEAPIO_SYSFS_LBA_SIZE));
	ASSERT_TRUE(backing_zero(_metadata, dp, DP_NS_SIZE));
	/* No mark survives: the blocks it was on read (as zeroes). */
	ASSERT_EQ(NVME_SC_SUCCESS, read_zero(_metadata, dp, 200 / 8, 1, &zeroes));
	ASSERT_TRUE(zeroes);
	/* 4 KiB blocks, up to the new end. */
	dp_write_seed(_metadata, dp, 1, 3, 2, 621);
	dp_read_seed(_metadata, dp, 1, 3, 2, 621);
	dp_backing_seed(_metadata, dp, 0, 3, 2, 621);
	dp_write_seed(_metadata, dp, 1, nsze - 1, 1, 622);
	ASSERT_EQ(NVME_SC_LBA_RANGE, read_zero(_metadata, dp, nsze, 1, &zeroes));

	/* Every namespace, back to 512 bytes, nothing erased. */
	ASSERT_EQ(NVME_SC_SUCCESS, format(_metadata, dp, 0xffffffff, 0,
					  NVME_FORMAT_SES_NONE, 0));
	ASSERT_EQ(0, flbas(_metadata, dp, &nsze));
	ASSERT_EQ(DP_NS_SIZE / 512, nsze);
	ASSERT_EQ(512, dp_attr(_metadata, dp, LEAPIO_SYSFS_LBA_SIZE));
	dp_read_seed(_metadata, dp, 1, 3 * 8, 2 * 8, 621);
	dp_backing_seed(_metadata, dp, 0, 3 * 8, 2 * 8, 621);
	EXPECT_TRUE(leapiod_alive(&dp->d));
}

TEST_F(fmt, bad_fields_change_nothing)
{
	const struct {
		uint32_t nsid;
		uint8_t lbaf, ses, pi;
		uint16_t status;
	} bad[] = {
		{ 0, 1, 0, 0, NVME_SC_INVALID_NS },
		{ 2, 1, 0, 0, NVME_SC_INVALID_NS },
		{ 1, 2, 0, 0, NVME_SC_INVALID_FORMAT },
		{ 1, 0x10, 0, 0, NVME_SC_INVALID_FORMAT },
		{ 1, 1, 0, 1, NVME_SC_INVALID_FORMAT },
		{ 1, 1, NVME_FORMAT_SES_CRYPTO, 0, NVME_SC_INVALID_FIELD },
		{ 1, 1, 5, 0, NVME_SC_INVALID_FIELD },
	};
	struct dp *dp = &self->dp;
	unsigned int i;
	uint64_t nsze;

	dp_write_seed(_metadata, dp, 1, 0, 8, 630);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(bad[i].status, format(_metadata, dp, bad[i].nsid,
						bad[i].lbaf, bad[i].ses,
						bad[i].pi))
			TH_LOG("case %u", i);
	ASSERT_EQ(0, flbas(_metadata, dp, &nsze));
	ASSERT_EQ(DP_NS_SIZE / 512, nsze);
	dp_read_seed(_metadata, dp, 1, 0, 8, 630);
	if (!dp->d.remote)
		EXPECT_FALSE(leapiod_log_has(&dp->d, "Format NVM"));
}

/* Host mode: a card that owns the vdev waits for its next leapiod. */
#if !LIO_DP_CARD
TEST_F(fmt, no_runtime_is_not_ready)
{
	struct dp *dp = &self->dp;
	uint64_t nsze;

	ASSERT_EQ(0, leapiod_stop(&dp->d, SIGTERM));
	ASSERT_EQ(0, leapiod_wait_runtime_pid(dp->l.mdev.uuid, 0, LEAPIOD_TIMEOUT_MS));
	ASSERT_EQ(NVME_SC_NS_NOT_READY, format(_metadata, dp, 1, 1, 0, 0));
	ASSERT_EQ(0, flbas(_metadata, dp, &nsze));
}
#endif

/*
 * The runtime is stopped when it is asked (it never sees the request),
 * then killed: the command waits. The next runtime finds the request in
 * the region, erases, answers, and the command completes. With the card
 * serving, its leapiod is stopped before (the card keeps the vdev: the
 * request waits for the card's next leapiod).
 */
TEST_F_TIMEOUT(fmt, the_next_runtime_carries_it_out, 180)
{
	struct dp *dp = &self->dp;
	struct nvme_cqe cqe;
	uint64_t nsze;
	int cid;

	dp_write_seed(_metadata, dp, 1, 0, 8, 640);
	if (LIO_DP_CARD) {
		ASSERT_EQ(0, leapiod_stop(&dp->d, SIGTERM));
		cid = format_submit(_metadata, dp, 1, 1,
				    NVME_FORMAT_SES_USER_DATA, 0);
	} else {
		ASSERT_EQ(0, leapiod_freeze(&dp->d));
		cid = format_submit(_metadata, dp, 1, 1,
				    NVME_FORMAT_SES_USER_DATA, 0);
		/* Asked of a runtime that cannot answer: nothing completes. */
		ASSERT_EQ(-ETIMEDOUT, nvd_wait_cid(&dp->l.nvd, 0, cid, &cqe, 0));
		ASSERT_EQ(128 + SIGKILL, leapiod_stop(&dp->d, SIGKILL));
		ASSERT_EQ(0, leapiod_wait_runtime_pid(dp->l.mdev.uuid, 0,
						      LEAPIOD_TIMEOUT_MS));
	}
	ASSERT_EQ(-ETIMEDOUT, nvd_wait_cid(&dp->l.nvd, 0, cid, &cqe, 0));

	dp_start_leapiod(_metadata, dp);
	ASSERT_EQ(0, nvd_wait_cid(&dp->l.nvd, 0, cid, &cqe, FMT_WAIT_MS));
	ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
	if (!dp->d.remote)
		ASSERT_TRUE(leapiod_log_has(&dp->d, "Format NVM 1: done"));
	ASSERT_EQ(1, flbas(_metadata, dp, &nsze));
	ASSERT_TRUE(backing_zero(_metadata, dp, DP_NS_SIZE));
	dp_write_seed(_metadata, dp, 1, 1, 1, 641);
	dp_read_seed(_metadata, dp, 1, 1, 1, 641);
}

TEST_HARNESS_MAIN
