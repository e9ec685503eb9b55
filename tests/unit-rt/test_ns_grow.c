// SPDX-License-Identifier: GPL-2.0
/*
 * The backend grows under a served vdev (a remote namespace resized:
 * bdev_nvmf.c looks at its size). A namespace that held all of its
 * backend asks the driver, once, to grow to the backend's new size in
 * whole blocks (LEAPIO_MBOX_NS_GROW); one smaller than its backend stays
 * as it is. LBAs past the namespace stay out of range until the driver's
 * new geometry comes with a seq. Either way the region says what the
 * backend holds (backend_bytes): the driver grows the namespace up to it
 * when the operator writes ns_size. Another namespace grows with its own
 * backend likewise (region minor 8: NS_GROW names it); a driver before
 * that is not asked.
 */
#include "../lib/lio_harness.h"
#include "fake_host.h"

#define NSZE		2048	/* 1 MiB of 512-byte blocks */
#define DATA_GPA	0x100000

FIXTURE(grow) {
	struct fake_host h;
};

FIXTURE_SETUP(grow)
{
	fh_init(&self->h, 1, NSZE, 9);
	fh_create_cq(&self->h, 1, 0x10000, 16, 1, true);
	fh_create_sq(&self->h, 1, 0x20000, 16, 1);
	fh_poll(&self->h, 2);
}

FIXTURE_TEARDOWN(grow)
{
	fh_fini(&self->h);
}

/* A one-block write at slba: its status. */
static u16 write1(struct fake_host *h, u64 slba, u16 cid)
{
	struct nvme_sqe s;

	fh_rw_sqe(&s, nvme_cmd_write, cid, slba, 1, DATA_GPA, 0);
	return fh_run1(h, 1, &s, cid);
}

TEST_F(grow, namespace_that_held_its_backend_grows_with_it)
{
	struct fake_host *h = &self->h;
	struct leapio_wr_geometry g = {
		.nsze = NSZE / 2 * 3, .lba_shift = 9, .mdts = 6, .page_shift = 12,
	};

	ASSERT_EQ(NVME_SC_SUCCESS, write1(h, NSZE - 1, 1));
	ASSERT_EQ((u64)NSZE << 9, h->r.ctrl->backend_bytes);
	/* Half as large again and a bit: the namespace is whole blocks. */
	h->bdev.size = (NSZE << 9) / 2 * 3 + 100;
	fh_poll(h, 1);
	ASSERT_EQ((u64)(NSZE << 9) / 2 * 3 + 100, h->r.ctrl->backend_bytes);
	ASSERT_EQ(1U, h->ns_grows);
	ASSERT_EQ((u64)(NSZE << 9) / 2 * 3, h->last_ns_size);
	ASSERT_EQ(0U, h->bad_reqs);
	fh_poll(h, 4);
	ASSERT_EQ(1U, h->ns_grows);

	/* Until the driver's geometry says so, the namespace ends where it did. */
	ASSERT_EQ(NVME_SC_LBA_RANGE | NVME_STATUS_DNR, write1(h, NSZE, 2));
	fh_put_geometry(h, &g);
	fh_bump(h);
	fh_poll(h, 2);
	ASSERT_TRUE(fh_acked(h));
	ASSERT_EQ((u64)NSZE / 2 * 3, h->v.ns[0].nsze);
	ASSERT_EQ((u64)NSZE / 2 * 3, h->v.ns[0].io.nsze);
	ASSERT_EQ(0U, h->fatals);
}

TEST_F(grow, namespace_smaller_than_its_backend_stays)
{
	struct fake_host *h = &self->h;

	/* The runtime starts on a backend larger than the namespace. */
	fh_detach(h);
	h->bdev.size = 2 * (NSZE << 9);
	h->r.ctrl->backend_bytes = 0;
	fh_attach(h);
	fh_poll(h, 2);
	ASSERT_EQ(2ULL * (NSZE << 9), h->r.ctrl->backend_bytes);
	h->bdev.size = 4 * (NSZE << 9);
	fh_poll(h, 4);
	ASSERT_EQ(0U, h->ns_grows);
	/* The operator may give the namespace all of it (sysfs ns_size). */
	ASSERT_EQ(4ULL * (NSZE << 9), h->r.ctrl->backend_bytes);
	ASSERT_EQ(NVME_SC_SUCCESS, write1(h, NSZE - 1, 1));
	ASSERT_EQ(NVME_SC_LBA_RANGE | NVME_STATUS_DNR, write1(h, NSZE, 2));
}

/* Growth by less than a block is no growth of the namespace. */
TEST_F(grow, less_than_a_block_is_nothing)
{
	struct fake_host *h = &self->h;

	h->bdev.size += 511;
	fh_poll(h, 4);
	ASSERT_EQ(0U, h->ns_grows);
	ASSERT_EQ(h->bdev.size, h->r.ctrl->backend_bytes);
}

TEST_F(grow, another_namespace_grows_with_its_backend)
{
	struct fake_host *h = &self->h;
	struct fh_ns *n3 = &h->ns[2];

	fh_add_ns(h, 3, 64, 12, true);		/* all of its 256 KiB backend */
	fh_poll(h, 2);
	ASSERT_TRUE(fh_acked(h));
	n3->bdev.size = (64 << 12) * 2 + 4095;
	fh_poll(h, 1);
	ASSERT_EQ(1U, h->ns_grows);
	ASSERT_EQ(3U, h->last_ns_grow_nsid);
	ASSERT_EQ((u64)(64 << 12) * 2, h->last_ns_size);
	/* Namespace 1's backend said nothing new. */
	ASSERT_EQ((u64)NSZE << 9, h->r.ctrl->backend_bytes);
	fh_poll(h, 4);
	ASSERT_EQ(1U, h->ns_grows);
	ASSERT_EQ(0U, h->bad_reqs);
}

TEST_F(grow, a_driver_before_minor_8_is_not_asked_for_another)
{
	struct fake_host *h = &self->h;

	fh_add_ns(h, 2, 64, 9, true);
	fh_poll(h, 2);
	ASSERT_TRUE(fh_acked(h));
	fh_detach(h);
	h->r.hdr->version_minor = 7;
	fh_attach(h);
	fh_poll(h, 2);
	h->ns[1].bdev.size = 2 * (64 << 9);
	fh_poll(h, 2);
	ASSERT_EQ(0U, h->ns_grows);
	/* Namespace 1 still grows: minor 3 has that. */
	h->bdev.size = 2 * (NSZE << 9);
	fh_poll(h, 2);
	ASSERT_EQ(1U, h->ns_grows);
	ASSERT_EQ(1U, h->last_ns_grow_nsid);
	ASSERT_EQ(0U, h->bad_reqs);
}

TEST_HARNESS_MAIN
