// SPDX-License-Identifier: GPL-2.0
/*
 * The optional NVM commands through leapiod, checked by their effect on
 * the backing device: Verify (of written and never-written blocks, with
 * no data moved), Write Uncorrectable (reads fail until written, across
 * a restart of leapiod: the marks are kept in its state directory),
 * Copy (ranges byte for byte, overlapping ranges as memmove(), a marked
 * source, and each bad input: nothing copied), Get LBA Status and the
 * LBA Status Information log (the marks, also to a runtime whose state
 * directory lacks them: the region's copy). What Identify and the
 * Commands Supported and Effects log say about them is in test_identify.
 * The same tests run with the card serving (test_card_nvm_cmds) and on a
 * remote drive (test_remote_nvm_cmds, the NVMe passthrough backend).
 */
#include "lio_dp.h"

#define READ_ERROR	NVME_SC_READ_ERROR

FIXTURE(nvm) {
	struct dp dp;
	uint32_t bpp;		/* blocks a 4 KiB page */
};

FIXTURE_SETUP(nvm)
{
	dp_setup(_metadata, &self->dp, 0);
	self->bpp = GMEM_PAGE >> self->dp.io.lba_shift;
	ASSERT_EQ(0, nvd_create_io_pair(&self->dp.l.nvd, 1, 16, 1));
}

FIXTURE_TEARDOWN(nvm)
{
	dp_teardown(_metadata, &self->dp);
}

/* A command on queue 1: its status code, its DW0 in *dw0 if asked. */
static uint16_t run(struct __test_metadata *_metadata, struct dp *dp,
		    struct nvme_sqe *sqe, uint32_t *dw0)
{
	struct nvme_cqe cqe;

	{ ASSERT_EQ(0, nio_cmd(&dp->io, 1, sqe, &cqe)); }
	{ EXPECT_EQ(le16toh(sqe->cid), le16toh(cqe.cid)); }
	if (dw0)
		*dw0 = le32toh(cqe.dw0);
	return nvd_status_code(&cqe);
}

static uint16_t nodata(struct __test_metadata *_metadata, struct dp *dp,
		       uint8_t op, uint64_t slba, uint32_t nlb)
{
	struct nvme_sqe sqe;

	nb_nodata(&sqe, op, NIO_NSID, slba, nlb, 0);
	return run(_metadata, dp, &sqe, NULL);
}

static uint16_t read_st(struct __test_metadata *_metadata, struct dp *dp,
			uint64_t slba, uint32_t nlb)
{
	uint64_t iova = 0;

	{ ASSERT_NE(NULL, gmem_alloc_pages(&dp->l.mem, nio_bytes(&dp->io, nlb),
					   &iova)); }
	return dp_rw(_metadata, dp, 1, nvme_cmd_read, slba, nlb, iova, 0);
}

/* Copy of ranges {slba, nlb} x n to sdlba (format 0h, or flags). */
static uint16_t copy(struct __test_metadata *_metadata, struct dp *dp,
		     const uint64_t (*r)[2], uint32_t n, uint64_t sdlba,
		     uint32_t flags, uint32_t *dw0)
{
	struct nvme_copy_range *e;
	struct nvme_sqe sqe;
	uint64_t iova = 0;
	uint32_t i;

	e = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE * 2, &iova);
	{ ASSERT_NE(NULL, e); }
	for (i = 0; i < n && i < 2 * GMEM_PAGE / sizeof(*e); i++)
		nb_copy_range(&e[i], r[i][0], (uint32_t)r[i][1]);
	nb_copy(&sqe, NIO_NSID, sdlba, n, iova, flags);
	return run(_metadata, dp, &sqe, dw0);
}

/*
 * Verify of written blocks and of blocks never written succeeds without
 * touching guest memory (PRP1 names a buffer anyway); past the end and
 * above VSL it fails as a Read would.
 */
TEST_F(nvm, verify)
{
	struct dp *dp = &self->dp;
	uint32_t n = 64 * self->bpp;	/* MDTS: 256 KiB */
	struct nvme_sqe sqe;
	uint64_t iova = 0;
	uint8_t *buf = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);

	ASSERT_NE(NULL, buf);
	memset(buf, 0xee, GMEM_PAGE);
	dp_write_seed(_metadata, dp, 1, 0, n, 600);
	nb_nodata(&sqe, nvme_cmd_verify, NIO_NSID, 0, n, 0);
	sqe.prp1 = htole64(iova);
	ASSERT_EQ(NVME_SC_SUCCESS, run(_metadata, dp, &sqe, NULL));
	ASSERT_EQ(GMEM_PAGE, nio_check_byte(buf, GMEM_PAGE, 0xee));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  nodata(_metadata, dp, nvme_cmd_verify, dp->io.nsze - n, n));
	ASSERT_EQ(NVME_SC_LBA_RANGE,
		  nodata(_metadata, dp, nvme_cmd_verify, dp->io.nsze - 1, 2));
	ASSERT_EQ(NVME_SC_INVALID_FIELD,
		  nodata(_metadata, dp, nvme_cmd_verify, 0, n + 1));
	dp_backing_seed(_metadata, dp, 0, 0, n, 600);
}

/*
 * Write Uncorrectable over two blocks of eight written: reads and
 * Verify of them fail with Unrecovered Read Error, their neighbours
 * read; leapiod restarted, still so; written again, they read back what
 * was written. The backing device never saw the command.
 */
TEST_F(nvm, write_uncorrectable_until_written_across_restart)
{
	struct dp *dp = &self->dp;
	uint32_t p = self->bpp;

	dp_write_seed(_metadata, dp, 1, 8 * p, 8 * p, 610);
	ASSERT_EQ(NVME_SC_SUCCESS, nodata(_metadata, dp, nvme_cmd_write_uncor,
					  10 * p, 2 * p));
	dp_backing_seed(_metadata, dp, 0, 8 * p, 8 * p, 610);
	ASSERT_EQ(READ_ERROR, read_st(_metadata, dp, 8 * p, 8 * p));
	ASSERT_EQ(READ_ERROR, read_st(_metadata, dp, 11 * p, 1));
	ASSERT_EQ(READ_ERROR, nodata(_metadata, dp, nvme_cmd_verify, 8 * p, 8 * p));
	dp_read_seed(_metadata, dp, 1, 8 * p, 2 * p, 610);
	ASSERT_EQ(NVME_SC_SUCCESS, read_st(_metadata, dp, 12 * p, 4 * p));

	ASSERT_EQ(0, leapiod_stop(&dp->d, SIGTERM));
	ASSERT_EQ(0, leapiod_wait_runtime_pid(dp->l.mdev.uuid, 0, LEAPIOD_TIMEOUT_MS));
	dp_start_leapiod(_metadata, dp);
	ASSERT_EQ(READ_ERROR, read_st(_metadata, dp, 10 * p, 2 * p));

	dp_write_seed(_metadata, dp, 1, 10 * p, p, 611);
	dp_read_seed(_metadata, dp, 1, 10 * p, p, 611);
	ASSERT_EQ(READ_ERROR, read_st(_metadata, dp, 11 * p, p));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  nodata(_metadata, dp, nvme_cmd_write_zeroes, 11 * p, p));
	ASSERT_EQ(NVME_SC_SUCCESS, read_st(_metadata, dp, 8 * p, 8 * p));
	/* Past the end, of every namespace: the checks of a Write. */
	ASSERT_EQ(NVME_SC_LBA_RANGE, nodata(_metadata, dp, nvme_cmd_write_uncor,
					    dp->io.nsze, 1));
}

/* Get LBA Status (admin) into a page: its status, the page in *out. */
static uint16_t lba_status(struct __test_metadata *_metadata, struct dp *dp,
			   uint64_t slba, uint32_t mndw, uint16_t rl,
			   uint8_t atype, uint8_t **out)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint64_t iova = 0;
	uint8_t *buf = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);

	{ ASSERT_NE(NULL, buf); }
	memset(buf, 0xa5, GMEM_PAGE);
	*out = buf;
	nb_get_lba_status(&sqe, NIO_NSID, slba, mndw, rl, atype, iova);
	{ ASSERT_EQ(0, nvd_admin(&dp->l.nvd, &sqe, &cqe)); }
	return nvd_status_code(&cqe);
}

/* The descriptors of a Get LBA Status page as "dslba+nlb ... /cmpc". */
static const char *descs(const uint8_t *buf)
{
	static char s[256];

	return nb_lba_status_str(buf, s, sizeof(s));
}

/*
 * Get LBA Status and the LBA Status Information log report Write
 * Uncorrectable's marks, both action types, within the range asked. A
 * leapiod that comes up with none of the marks in its state directory
 * (another runtime, as the card's at a hand-over) serves them from the
 * region all the same, and keeps them; written, they are gone from both.
 */
TEST_F(nvm, get_lba_status_reports_the_marks)
{
	struct dp *dp = &self->dp;
	uint32_t p = self->bpp;
	const struct nvme_lbas_log_hdr *lh;
	const struct nvme_lbas_ns_elem *e;
	char want[128], file[128];
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint64_t iova = 0;
	uint8_t *buf, *log = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);

	ASSERT_NE(NULL, log);
	ASSERT_EQ(NVME_SC_SUCCESS, lba_status(_metadata, dp, 0, 1023, 0,
					      NVME_LBAS_ATYPE_TRACKED, &buf));
	ASSERT_STREQ("/2", descs(buf));

	ASSERT_EQ(NVME_SC_SUCCESS, nodata(_metadata, dp, nvme_cmd_write_uncor,
					  10 * p, 2 * p));
	ASSERT_EQ(NVME_SC_SUCCESS, nodata(_metadata, dp, nvme_cmd_write_uncor,
					  40 * p, 1));
	snprintf(want, sizeof(want), "%u+%u %u+1 /2", 10 * p, 2 * p, 40 * p);
	ASSERT_EQ(NVME_SC_SUCCESS, lba_status(_metadata, dp, 0, 1023, 0,
					      NVME_LBAS_ATYPE_SCAN, &buf));
	ASSERT_STREQ(want, descs(buf));
	/* From inside the first, over one page: that page of it. */
	snprintf(want, sizeof(want), "%u+%u /2", 11 * p, p);
	ASSERT_EQ(NVME_SC_SUCCESS, lba_status(_metadata, dp, 11 * p, 1023, p,
					      NVME_LBAS_ATYPE_TRACKED, &buf));
	ASSERT_STREQ(want, descs(buf));
	/* Past the end: LBA Out of Range; an action type not offered. */
	ASSERT_EQ(NVME_SC_LBA_RANGE, lba_status(_metadata, dp, dp->io.nsze, 1023,
						0, NVME_LBAS_ATYPE_TRACKED, &buf));
	ASSERT_EQ(NVME_SC_INVALID_FIELD, lba_status(_metadata, dp, 0, 1023, 0,
						    0x02, &buf));

	nb_get_log(&sqe, NVME_LOG_LBA_STATUS, 0xffffffff, GMEM_PAGE, iova, false);
	ASSERT_EQ(0, nvd_admin(&dp->l.nvd, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
	lh = (const void *)log;
	e = (const void *)(lh + 1);
	ASSERT_EQ(1U, le32toh(lh->nlslne));
	ASSERT_EQ(2 * p + 1, le32toh(lh->estulb));
	ASSERT_NE(0, le16toh(lh->lsgc));
	ASSERT_EQ(1U, le32toh(e->neid));
	ASSERT_EQ(2U, le32toh(e->nrld));

	/* A runtime whose state directory knows nothing of them. */
	ASSERT_EQ(0, leapiod_stop(&dp->d, SIGTERM));
	ASSERT_EQ(0, leapiod_wait_runtime_pid(dp->l.mdev.uuid, 0, LEAPIOD_TIMEOUT_MS));
	snprintf(file, sizeof(file), "%s/uncor-%s-1", dp->d.state, dp->l.mdev.uuid);
	if (!LIO_DP_CARD)
		ASSERT_EQ(0, unlink(file));
	dp_start_leapiod(_metadata, dp);
	ASSERT_EQ(READ_ERROR, read_st(_metadata, dp, 40 * p, 1));
	if (!LIO_DP_CARD)
		ASSERT_EQ(0, access(file, F_OK));	/* kept again */
	snprintf(want, sizeof(want), "%u+%u %u+1 /2", 10 * p, 2 * p, 40 * p);
	ASSERT_EQ(NVME_SC_SUCCESS, lba_status(_metadata, dp, 0, 1023, 0,
					      NVME_LBAS_ATYPE_TRACKED, &buf));
	ASSERT_STREQ(want, descs(buf));

	dp_write_seed(_metadata, dp, 1, 10 * p, 2 * p, 612);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  nodata(_metadata, dp, nvme_cmd_write_zeroes, 40 * p, 1));
	ASSERT_EQ(NVME_SC_SUCCESS, lba_status(_metadata, dp, 0, 1023, 0,
					      NVME_LBAS_ATYPE_TRACKED, &buf));
	ASSERT_STREQ("/2", descs(buf));
}

/*
 * Copy of three ranges from all over the namespace to one place: the
 * destination holds them in order, byte for byte, read back and on the
 * backing device; the sources are as they were.
 */
TEST_F(nvm, copy_ranges)
{
	struct dp *dp = &self->dp;
	uint32_t p = self->bpp, dw0 = ~0U;
	const uint64_t r[][2] = {
		{ 16 * p, 3 * p }, { dp->io.nsze - p, p }, { 40 * p, 2 * p },
	};
	uint64_t d = 200 * p;

	dp_write_seed(_metadata, dp, 1, r[0][0], 3 * p, 620);
	dp_write_seed(_metadata, dp, 1, r[1][0], p, 621);
	dp_write_seed(_metadata, dp, 1, r[2][0], 2 * p, 622);
	ASSERT_EQ(NVME_SC_SUCCESS, copy(_metadata, dp, r, 3, d, 0, &dw0));
	ASSERT_EQ(0U, dw0);
	dp_read_seed(_metadata, dp, 1, d, 3 * p, 620);
	dp_read_seed(_metadata, dp, 1, d + 3 * p, p, 621);
	dp_read_seed(_metadata, dp, 1, d + 4 * p, 2 * p, 622);
	dp_backing_seed(_metadata, dp, 0, d + 4 * p, 2 * p, 622);
	dp_read_seed(_metadata, dp, 1, r[0][0], 3 * p, 620);
}

/*
 * One range of 96 pages (more than MDTS, so several steps) copied one
 * page up over itself, then back down: memmove()'s result each time.
 */
TEST_F(nvm, copy_overlapping)
{
	struct dp *dp = &self->dp;
	uint32_t p = self->bpp, i, dw0;
	const uint64_t up[][2] = { { 300 * p, 96 * p } };
	const uint64_t down[][2] = { { 301 * p, 96 * p } };

	for (i = 0; i < 96; i++)
		dp_write_seed(_metadata, dp, 1, (300 + i) * p, p, 700 + i);
	ASSERT_EQ(NVME_SC_SUCCESS, copy(_metadata, dp, up, 1, 301 * p, 0, &dw0));
	dp_read_seed(_metadata, dp, 1, 300 * p, p, 700);
	for (i = 0; i < 96; i++)
		dp_read_seed(_metadata, dp, 1, (301 + i) * p, p, 700 + i);
	ASSERT_EQ(NVME_SC_SUCCESS, copy(_metadata, dp, down, 1, 300 * p, 0, &dw0));
	for (i = 0; i < 96; i++)
		dp_backing_seed(_metadata, dp, 0, (300 + i) * p, p, 700 + i);
	dp_read_seed(_metadata, dp, 1, 396 * p, p, 795);
}

/*
 * Each bad Copy fails before a block moves: the destination past the
 * end, a source past it, a range longer than MSSRL, more ranges than
 * MSRC, a source format not offered; and a marked source stops the copy
 * at its range, DW0 naming it, the ranges before it copied.
 */
TEST_F(nvm, copy_refused)
{
	struct dp *dp = &self->dp;
	uint32_t p = self->bpp, dw0 = ~0U;
	const uint64_t good[][2] = { { 0, p }, { 8 * p, p }, { 16 * p, p } };
	const uint64_t past[][2] = { { 0, p }, { dp->io.nsze - 1, 2 } };
	const uint64_t longest[][2] = { { 0, 65536 } };
	uint64_t many[129][2];
	uint32_t i;

	dp_write_seed(_metadata, dp, 1, 0, p, 630);
	dp_write_seed(_metadata, dp, 1, 8 * p, p, 631);
	dp_write_seed(_metadata, dp, 1, 16 * p, p, 632);
	dp_write_seed(_metadata, dp, 1, 64 * p, p, 633);
	dp_write_seed(_metadata, dp, 1, 65 * p, 2 * p, 634);
	ASSERT_EQ(NVME_SC_LBA_RANGE,
		  copy(_metadata, dp, good, 3, dp->io.nsze - 2 * p, 0, &dw0));
	ASSERT_EQ(0U, dw0);
	ASSERT_EQ(NVME_SC_LBA_RANGE, copy(_metadata, dp, past, 2, 64 * p, 0, &dw0));
	ASSERT_EQ(NVME_SC_CMD_SIZE_LIMIT,
		  copy(_metadata, dp, longest, 1, 64 * p, 0, &dw0));
	for (i = 0; i < 129; i++) {
		many[i][0] = i;
		many[i][1] = 1;
	}
	ASSERT_EQ(NVME_SC_CMD_SIZE_LIMIT,
		  copy(_metadata, dp, many, 129, 64 * p, 0, &dw0));
	ASSERT_EQ(NVME_SC_INVALID_FIELD,
		  copy(_metadata, dp, good, 1, 64 * p, NB_COPY_FORMAT(1), &dw0));
	dp_backing_seed(_metadata, dp, 0, 64 * p, p, 633);
	dp_backing_seed(_metadata, dp, 0, 65 * p, 2 * p, 634);

	ASSERT_EQ(NVME_SC_SUCCESS, nodata(_metadata, dp, nvme_cmd_write_uncor,
					  8 * p, 1));
	ASSERT_EQ(READ_ERROR, copy(_metadata, dp, good, 3, 64 * p, 0, &dw0));
	ASSERT_EQ(1U, dw0);
	dp_read_seed(_metadata, dp, 1, 64 * p, p, 630);
	dp_backing_seed(_metadata, dp, 0, 65 * p, 2 * p, 634);
}

TEST_HARNESS_MAIN
