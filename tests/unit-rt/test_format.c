// SPDX-License-Identifier: GPL-2.0
/*
 * Format NVM, leapiod's part (runtime/core/format.c), against the fake
 * host's region and memory backend: asked through the module's region
 * writer, it fetches nothing until the format is applied, lets what was
 * at the backend finish first, zeroes the namespace when asked (not
 * otherwise), clears Write Uncorrectable's marks and answers through the
 * mailbox (decoded as the driver does); a backend that fails the zeroing
 * gives Write Fault; a runtime that attaches before the format was
 * applied carries it out again, one after does nothing; a driver of an
 * older region minor asks nothing.
 */
#include <string.h>

#include "../lib/lio_harness.h"
#include "fake_host.h"

#define NSZE		2048	/* 1 MiB of 512-byte blocks */
#define DATA_GPA	0x100000

FIXTURE(fmt) {
	struct fake_host h;
};

FIXTURE_SETUP(fmt)
{
	fh_init(&self->h, 1, NSZE, 9);
	fh_create_cq(&self->h, 1, 0x10000, 16, 1, true);
	fh_create_sq(&self->h, 1, 0x20000, 16, 1);
	fh_poll(&self->h, 2);
	memset(self->h.store, 0xab, self->h.store_size);
	memset(self->h.gmem + DATA_GPA, 0x5a, 8 * 4096);
}

FIXTURE_TEARDOWN(fmt)
{
	EXPECT_EQ(0U, self->h.bad_reqs);
	fh_release(&self->h, 0);
	fh_fini(&self->h);
}

static void queue_write(struct fake_host *h, u64 slba, u32 nlb, u16 cid)
{
	struct nvme_sqe s;

	fh_rw_sqe(&s, nvme_cmd_write, cid, slba, nlb, DATA_GPA, 0);
	fh_submit(h, 1, &s);
}

static u16 reap(struct fake_host *h, u16 cid)
{
	struct nvme_cqe c;

	if (!fh_reap(h, 1, &c))
		return 0xffff;
	return le16_to_cpu(c.cid) == cid ? le16_to_cpu(c.status) & ~1U : 0xfffe;
}

TEST_F(fmt, erase_zeroes_clears_the_marks_and_answers)
{
	struct fake_host *h = &self->h;

	ASSERT_EQ(0, lio_uncor_mark(h->v.ns[0].uncor, 100, 4));
	fh_format(h, 1, 12, NVME_FORMAT_SES_USER_DATA);
	fh_poll(h, 4);
	ASSERT_EQ(1U, h->formats_done);
	EXPECT_EQ(1U, h->format_gen);
	EXPECT_EQ(NVME_SC_SUCCESS, h->format_status);
	EXPECT_TRUE(fh_all(h->store, 0, (u64)NSZE << 9));
	EXPECT_FALSE(lio_uncor_any(h->v.ns[0].uncor));

	/* Not applied yet: a write waits in its SQ. */
	queue_write(h, 0, 1, 7);
	fh_poll(h, 4);
	ASSERT_EQ(0xffff, reap(h, 7));
	EXPECT_TRUE(fh_all(h->store, 0, 4096));
	/* Applied: it runs, in 4 KiB blocks; the old end is past the new. */
	fh_format_applied(h, 1, 12);
	fh_poll(h, 4);
	ASSERT_EQ(NVME_SC_SUCCESS, reap(h, 7));
	EXPECT_TRUE(fh_all(h->store, 0x5a, 4096));
	EXPECT_EQ((u64)NSZE / 8, h->v.ns[0].io.nsze);
	queue_write(h, NSZE / 8, 1, 8);
	fh_poll(h, 4);
	ASSERT_EQ(NVME_SC_LBA_RANGE | NVME_STATUS_DNR, reap(h, 8));
	EXPECT_EQ(1U, h->formats_done);
}

TEST_F(fmt, no_erase_leaves_the_data)
{
	struct fake_host *h = &self->h;
	u32 zeroes_before;

	zeroes_before = h->submitted;
	fh_format(h, 1, 12, NVME_FORMAT_SES_NONE);
	fh_poll(h, 4);
	ASSERT_EQ(1U, h->formats_done);
	EXPECT_EQ(NVME_SC_SUCCESS, h->format_status);
	EXPECT_EQ(zeroes_before, h->submitted);
	EXPECT_TRUE(fh_all(h->store, 0xab, h->store_size));
}

TEST_F(fmt, what_was_at_the_backend_finishes_first)
{
	struct fake_host *h = &self->h;
	unsigned int before;

	h->hold = true;
	queue_write(h, 8, 8, 3);
	fh_poll(h, 2);
	ASSERT_EQ(1U, h->nr_held);
	fh_format(h, 1, 9, NVME_FORMAT_SES_USER_DATA);
	before = h->submitted;
	fh_poll(h, 4);
	/* Nothing zeroed, nothing answered while the write is out. */
	EXPECT_EQ(before, h->submitted);
	EXPECT_EQ(0U, h->formats_done);
	h->hold = false;
	fh_release(h, 0);
	fh_poll(h, 4);
	ASSERT_EQ(NVME_SC_SUCCESS, reap(h, 3));
	ASSERT_EQ(1U, h->formats_done);
	/* The write landed, then the erase took it. */
	EXPECT_TRUE(fh_all(h->store, 0, (u64)NSZE << 9));
}

TEST_F(fmt, zeroes_that_fail_are_a_write_fault)
{
	struct fake_host *h = &self->h;

	h->zeroes_res = -EIO;
	fh_format(h, 1, 12, NVME_FORMAT_SES_USER_DATA);
	fh_poll(h, 4);
	ASSERT_EQ(1U, h->formats_done);
	EXPECT_EQ(NVME_SC_WRITE_FAULT, h->format_status);
	/* The driver keeps the geometry: I/O goes on as before. */
	fh_format_applied(h, 1, 9);
	h->zeroes_res = 0;
	queue_write(h, NSZE - 1, 1, 9);
	fh_poll(h, 4);
	ASSERT_EQ(NVME_SC_SUCCESS, reap(h, 9));
}

TEST_F(fmt, a_runtime_attaching_before_it_was_applied_does_it_again)
{
	struct fake_host *h = &self->h;

	fh_format(h, 1, 12, NVME_FORMAT_SES_USER_DATA);
	fh_poll(h, 4);
	ASSERT_EQ(1U, h->formats_done);
	memset(h->store, 0xcd, 4096);
	fh_detach(h);
	fh_attach(h);
	fh_poll(h, 4);
	ASSERT_EQ(2U, h->formats_done);
	EXPECT_EQ(1U, h->format_gen);
	EXPECT_TRUE(fh_all(h->store, 0, 4096));
	/* Once applied, the next runtime leaves it. */
	fh_format_applied(h, 1, 12);
	fh_poll(h, 2);
	fh_detach(h);
	fh_attach(h);
	fh_poll(h, 4);
	EXPECT_EQ(2U, h->formats_done);
	queue_write(h, 0, 1, 4);
	fh_poll(h, 4);
	ASSERT_EQ(NVME_SC_SUCCESS, reap(h, 4));
}

TEST_F(fmt, a_driver_of_an_older_region_asks_nothing)
{
	struct fake_host *h = &self->h;

	fh_detach(h);
	h->r.hdr->version_minor = 5;
	fh_attach(h);
	fh_format(h, 1, 12, NVME_FORMAT_SES_USER_DATA);
	fh_poll(h, 4);
	EXPECT_EQ(0U, h->formats_done);
	EXPECT_TRUE(fh_all(h->store, 0xab, h->store_size));
	queue_write(h, 0, 1, 5);
	fh_poll(h, 4);
	ASSERT_EQ(NVME_SC_SUCCESS, reap(h, 5));
}

TEST_HARNESS_MAIN
