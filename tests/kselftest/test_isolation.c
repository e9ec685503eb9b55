// SPDX-License-Identifier: GPL-2.0
/*
 * Two mdevs served by one leapiod from one backing device at different
 * offsets (a JSON configuration saying what --vdev a=dev,offset=0
 * --vdev b=dev,offset=N would): each sees only
 * its own part. Patterns written through each read back through each,
 * sit at the right offset of the device, and the blocks at the seam (a's
 * last, b's first) never mix; neither can address past its namespace.
 */
#include "lio_dp.h"

#define ISO_NS	(8ULL << 20)

FIXTURE(iso) {
	struct dp a;
	struct dp b;		/* no backing of its own: a's, at ISO_NS */
};

FIXTURE_SETUP(iso)
{
	dp_create_pair(_metadata, &self->a, &self->b, ISO_NS);
	/* As an operator would: a configuration file. */
	ASSERT_EQ(0, leapiod_use_config(&self->a.d));
	dp_start_leapiod(_metadata, &self->a);
	dp_open(_metadata, &self->a);
	dp_open(_metadata, &self->b);
	ASSERT_EQ(0, nvd_create_io_pair(&self->a.l.nvd, 1, 16, 1));
	ASSERT_EQ(0, nvd_create_io_pair(&self->b.l.nvd, 1, 16, 1));
}

FIXTURE_TEARDOWN(iso)
{
	/* b first: a's teardown stops the leapiod serving both. */
	dp_teardown(_metadata, &self->b);
	dp_teardown(_metadata, &self->a);
}

TEST_F(iso, separate_data)
{
	struct dp *a = &self->a, *b = &self->b;
	uint64_t last = a->io.nsze - 1;
	uint32_t n = GMEM_PAGE >> a->io.lba_shift;

	ASSERT_EQ(a->io.nsze, b->io.nsze);
	ASSERT_EQ(ISO_NS >> a->io.lba_shift, a->io.nsze);
	/* The same LBAs through both, different data. */
	dp_write_seed(_metadata, a, 1, 0, n, 1000);
	dp_write_seed(_metadata, b, 1, 0, n, 2000);
	dp_write_seed(_metadata, a, 1, 1000, 2 * n, 1001);
	dp_write_seed(_metadata, b, 1, 1000, 2 * n, 2001);
	/* The seam: a's last block and b's first are neighbours. */
	dp_write_seed(_metadata, a, 1, last, 1, 1002);
	dp_write_seed(_metadata, b, 1, last, 1, 2002);

	dp_read_seed(_metadata, a, 1, 0, n, 1000);
	dp_read_seed(_metadata, b, 1, 0, n, 2000);
	dp_read_seed(_metadata, a, 1, 1000, 2 * n, 1001);
	dp_read_seed(_metadata, b, 1, 1000, 2 * n, 2001);
	dp_read_seed(_metadata, a, 1, last, 1, 1002);
	dp_read_seed(_metadata, b, 1, last, 1, 2002);

	/* On the device: a at 0, b at ISO_NS. */
	dp_backing_seed(_metadata, a, 0, 0, n, 1000);
	dp_backing_seed(_metadata, a, ISO_NS, 0, n, 2000);
	dp_backing_seed(_metadata, a, 0, 1000, 2 * n, 1001);
	dp_backing_seed(_metadata, a, ISO_NS, 1000, 2 * n, 2001);
	dp_backing_seed(_metadata, a, 0, last, 1, 1002);
	dp_backing_seed(_metadata, a, ISO_NS, last, 1, 2002);
}

/* Neither reaches the other's blocks past its namespace's end. */
TEST_F(iso, no_reach_past_the_end)
{
	struct dp *a = &self->a, *b = &self->b;
	uint64_t iova = 0;
	uint8_t *buf = gmem_alloc_pages(&a->l.mem, GMEM_PAGE, &iova);

	ASSERT_NE(NULL, buf);
	dp_write_seed(_metadata, b, 1, 0, 1, 2100);
	memset(buf, 0xee, GMEM_PAGE);
	ASSERT_EQ(NVME_SC_LBA_RANGE, dp_rw(_metadata, a, 1, nvme_cmd_read,
					   a->io.nsze, 1, iova, 0));
	ASSERT_EQ(GMEM_PAGE, nio_check_byte(buf, GMEM_PAGE, 0xee));
	ASSERT_EQ(NVME_SC_LBA_RANGE, dp_rw(_metadata, a, 1, nvme_cmd_write,
					   a->io.nsze, 1, iova, 0));
	dp_read_seed(_metadata, b, 1, 0, 1, 2100);
	/* And b's end is the device's end. */
	ASSERT_EQ(NVME_SC_LBA_RANGE, dp_rw(_metadata, b, 1, nvme_cmd_write,
					   b->io.nsze - 1, 2, iova, 0));
}

TEST_HARNESS_MAIN
