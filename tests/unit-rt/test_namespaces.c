// SPDX-License-Identifier: GPL-2.0
/*
 * Several namespaces in leapiod's core (runtime/core/io.c, vdev.c,
 * format.c), against the fake host: the driver's namespace table (region
 * minor 7, written by the module's region writer) says which NSIDs exist,
 * attached, with their geometry; each namespace the runtime has a backend
 * for is served from it, bounded by its own size, with its own Write
 * Uncorrectable marks. One attached with no backend here is not ready, an
 * NSID the table does not have is invalid; a namespace that goes takes no
 * new command and the driver's change is acked only once its commands at
 * the backend are done; a Flush of every namespace reaches each backend;
 * Format NVM erases the namespace it names, or each; each namespace's
 * SMART figures are its own; a detached one (NSID 1 too) takes none.
 */
#include <string.h>

#include "../lib/lio_harness.h"
#include "fake_host.h"

#define NSZE		2048	/* namespace 1: 1 MiB of 512-byte blocks */
#define NSZE2		64	/* namespace 2: 32 KiB of them */
#define DATA_GPA	0x100000
#define READ_GPA	0x200000

FIXTURE(ns) {
	struct fake_host h;
};

FIXTURE_SETUP(ns)
{
	fh_init(&self->h, 1, NSZE, 9);
	fh_create_cq(&self->h, 1, 0x10000, 64, 1, true);
	fh_create_sq(&self->h, 1, 0x20000, 64, 1);
	fh_add_ns(&self->h, 2, NSZE2, 9, true);
	fh_poll(&self->h, 2);
	ASSERT_TRUE(fh_acked(&self->h));
	memset(self->h.gmem + DATA_GPA, 0x5a, 4096);
}

FIXTURE_TEARDOWN(ns)
{
	EXPECT_EQ(0U, self->h.bad_reqs);
	fh_release(&self->h, 0);
	fh_fini(&self->h);
}

/* One command of nsid on queue pair 1: its status (fh_run1()). */
static u16 run(struct fake_host *h, u8 op, u32 nsid, u64 slba, u32 nlb,
	       u64 gpa, u16 cid)
{
	struct nvme_sqe s;

	fh_rw_sqe(&s, op, cid, slba, nlb, gpa, 0);
	s.nsid = cpu_to_le32(nsid);
	return fh_run1(h, 1, &s, cid);
}

TEST_F(ns, each_namespace_is_its_own_backend)
{
	struct fake_host *h = &self->h;
	u8 *ns2 = h->ns[1].store;

	ASSERT_EQ(NVME_SC_SUCCESS, run(h, nvme_cmd_write, 2, 3, 1, DATA_GPA, 1));
	EXPECT_TRUE(fh_all(ns2 + 3 * 512, 0x5a, 512));
	EXPECT_TRUE(fh_all(h->store, 0, h->store_size));
	memset(h->gmem + READ_GPA, 0, 512);
	ASSERT_EQ(NVME_SC_SUCCESS, run(h, nvme_cmd_read, 2, 3, 1, READ_GPA, 2));
	EXPECT_TRUE(fh_all(h->gmem + READ_GPA, 0x5a, 512));
	/* Namespace 1's block 3 is namespace 1's. */
	ASSERT_EQ(NVME_SC_SUCCESS, run(h, nvme_cmd_read, 1, 3, 1, READ_GPA, 3));
	EXPECT_TRUE(fh_all(h->gmem + READ_GPA, 0, 512));
}

/*
 * SMART's figures per namespace: each command that succeeded counts in
 * its namespace's table entry, as in its SQ's (the controller's, which the
 * driver sums); a failed one in neither.
 */
TEST_F(ns, each_namespace_counts_its_own_io)
{
	struct fake_host *h = &self->h;
	struct leapio_wr_smart n1 = {}, n2 = {}, sq = {};

	ASSERT_EQ(NVME_SC_SUCCESS, run(h, nvme_cmd_write, 2, 3, 2, DATA_GPA, 1));
	ASSERT_EQ(NVME_SC_SUCCESS, run(h, nvme_cmd_read, 2, 3, 1, READ_GPA, 2));
	ASSERT_EQ(NVME_SC_SUCCESS, run(h, nvme_cmd_read, 1, 0, 4, READ_GPA, 3));
	ASSERT_EQ(NVME_SC_LBA_RANGE | NVME_STATUS_DNR,
		  run(h, nvme_cmd_read, 2, NSZE2, 1, READ_GPA, 4));
	ASSERT_EQ(0, leapio_wr_smart_ns(&h->r, 1, &n1));
	ASSERT_EQ(0, leapio_wr_smart_ns(&h->r, 2, &n2));
	ASSERT_EQ(0, leapio_wr_smart_sq(&h->r, 1, &sq));
	EXPECT_EQ(1U, n1.cmds_read);
	EXPECT_EQ(0U, n1.cmds_written);
	EXPECT_EQ(4U * 512, n1.bytes_read);
	EXPECT_EQ(1U, n2.cmds_read);
	EXPECT_EQ(1U, n2.cmds_written);
	EXPECT_EQ(512U, n2.bytes_read);
	EXPECT_EQ(2U * 512, n2.bytes_written);
	EXPECT_EQ(n1.cmds_read + n2.cmds_read, sq.cmds_read);
	EXPECT_EQ(n1.bytes_written + n2.bytes_written, sq.bytes_written);
}

TEST_F(ns, each_namespace_has_its_own_bounds)
{
	struct fake_host *h = &self->h;

	EXPECT_EQ(NVME_SC_SUCCESS,
		  run(h, nvme_cmd_write, 2, NSZE2 - 1, 1, DATA_GPA, 1));
	EXPECT_EQ(NVME_SC_LBA_RANGE | NVME_STATUS_DNR,
		  run(h, nvme_cmd_write, 2, NSZE2, 1, DATA_GPA, 2));
	EXPECT_EQ(NVME_SC_LBA_RANGE | NVME_STATUS_DNR,
		  run(h, nvme_cmd_read, 2, NSZE2 - 1, 2, READ_GPA, 3));
	EXPECT_EQ(NVME_SC_SUCCESS,
		  run(h, nvme_cmd_write, 1, NSZE2, 1, DATA_GPA, 4));
}

TEST_F(ns, nsids_the_table_lacks_or_no_backend_serves)
{
	struct fake_host *h = &self->h;
	unsigned int before = h->submitted;

	/* Attached by the driver, no backend in the configuration. */
	fh_add_ns(h, 3, NSZE2, 9, false);
	fh_poll(h, 2);
	EXPECT_EQ(NVME_SC_NS_NOT_READY,
		  run(h, nvme_cmd_write, 3, 0, 1, DATA_GPA, 1));
	EXPECT_EQ(NVME_SC_INVALID_NS | NVME_STATUS_DNR,
		  run(h, nvme_cmd_write, 4, 0, 1, DATA_GPA, 2));
	EXPECT_EQ(NVME_SC_INVALID_NS | NVME_STATUS_DNR,
		  run(h, nvme_cmd_read, LIO_MAX_NSID + 1, 0, 1, READ_GPA, 3));
	EXPECT_EQ(NVME_SC_INVALID_NS | NVME_STATUS_DNR,
		  run(h, nvme_cmd_read, 0, 0, 1, READ_GPA, 4));
	/* FFFFFFFFh is for commands of every namespace only (Flush). */
	EXPECT_EQ(NVME_SC_INVALID_NS | NVME_STATUS_DNR,
		  run(h, nvme_cmd_read, 0xffffffffU, 0, 1, READ_GPA, 5));
	EXPECT_EQ(before, h->submitted);
}

/*
 * A write (CID 7, block 5) of nsid held at its backend while change()
 * changes the table: the driver's change is acked only once the write
 * is done, and the write completes.
 */
static void held_write_across(struct __test_metadata *_metadata,
			      struct fake_host *h, u32 nsid,
			      void (*change)(struct fake_host *h))
{
	struct nvme_sqe s;
	struct nvme_cqe c;

	h->hold = true;
	fh_rw_sqe(&s, nvme_cmd_write, 7, 5, 1, DATA_GPA, 0);
	s.nsid = cpu_to_le32(nsid);
	fh_submit(h, 1, &s);
	fh_poll(h, 2);
	{ ASSERT_EQ(1U, h->nr_held); }
	change(h);
	fh_poll(h, 4);
	/* Its write is at the backend: the driver's change is not acked. */
	{ EXPECT_FALSE(fh_acked(h)); }
	h->hold = false;
	fh_release(h, 0);
	fh_poll(h, 4);
	{ EXPECT_TRUE(fh_acked(h)); }
	{ ASSERT_TRUE(fh_reap(h, 1, &c)); }
	{ EXPECT_EQ(7, le16_to_cpu(c.cid)); }
	{ EXPECT_EQ(NVME_SC_SUCCESS, le16_to_cpu(c.status) & ~1U); }
}

static void remove_ns2(struct fake_host *h)
{
	fh_remove_ns(h, 2);
}

TEST_F(ns, a_namespace_gone_waits_for_its_commands_then_takes_none)
{
	struct fake_host *h = &self->h;

	held_write_across(_metadata, h, 2, remove_ns2);
	EXPECT_TRUE(fh_all(h->ns[1].store + 5 * 512, 0x5a, 512));
	/* Gone: Invalid Namespace, as for an NSID never there. */
	EXPECT_EQ(NVME_SC_INVALID_NS | NVME_STATUS_DNR,
		  run(h, nvme_cmd_read, 2, 5, 1, READ_GPA, 8));
	/* Back, larger: served again, to its new size. */
	fh_add_ns(h, 2, NSZE2, 9, true);
	fh_poll(h, 2);
	EXPECT_EQ(NVME_SC_SUCCESS,
		  run(h, nvme_cmd_read, 2, 5, 1, READ_GPA, 9));
}

/*
 * Namespace Attachment: a detached namespace (allocated, not attached)
 * is served no more, its commands at the backend done before the ack,
 * as one gone; NSID 1 too, whose entry in the table is what counts (the
 * control block has no NSZE for it then). Attached again, it is served.
 */
/* Namespace 1 detached as the driver does it (its NSZE 0 in ctrl too). */
static void detach_ns1(struct fake_host *h)
{
	leapio_wr_put_ns(&h->r, 1, LEAPIO_NS_ALLOCATED, 9, NSZE, false);
	h->r.ctrl->nsze = 0;
	fh_bump(h);
}

TEST_F(ns, a_detached_namespace_takes_no_commands_namespace_1_too)
{
	struct fake_host *h = &self->h;

	held_write_across(_metadata, h, 1, detach_ns1);
	EXPECT_EQ(NVME_SC_INVALID_NS | NVME_STATUS_DNR,
		  run(h, nvme_cmd_read, 1, 5, 1, READ_GPA, 8));
	/* Namespace 2 is not namespace 1's business. */
	EXPECT_EQ(NVME_SC_SUCCESS, run(h, nvme_cmd_read, 2, 5, 1, READ_GPA, 9));
	leapio_wr_put_ns(&h->r, 2, LEAPIO_NS_ALLOCATED, 9, NSZE2, false);
	fh_bump(h);
	fh_poll(h, 2);
	EXPECT_EQ(NVME_SC_INVALID_NS | NVME_STATUS_DNR,
		  run(h, nvme_cmd_read, 2, 5, 1, READ_GPA, 10));

	leapio_wr_put_ns(&h->r, 1, LEAPIO_NS_ATTACHED, 9, NSZE, false);
	h->r.ctrl->nsze = NSZE;
	leapio_wr_put_ns(&h->r, 2, LEAPIO_NS_ATTACHED, 9, NSZE2, false);
	fh_bump(h);
	fh_poll(h, 2);
	EXPECT_EQ(NVME_SC_SUCCESS, run(h, nvme_cmd_read, 1, 5, 1, READ_GPA, 11));
	EXPECT_TRUE(fh_all(h->gmem + READ_GPA, 0x5a, 512));
	EXPECT_EQ(NVME_SC_SUCCESS, run(h, nvme_cmd_read, 2, 5, 1, READ_GPA, 12));
}

TEST_F(ns, a_flush_of_every_namespace_reaches_each_backend)
{
	struct fake_host *h = &self->h;
	unsigned int before;
	struct nvme_sqe s;

	fh_add_ns(h, 5, NSZE2, 12, true);
	fh_poll(h, 2);
	before = h->submitted;
	memset(&s, 0, sizeof(s));
	s.opcode = nvme_cmd_flush;
	s.nsid = cpu_to_le32(0xffffffffU);
	EXPECT_EQ(NVME_SC_SUCCESS, fh_run1(h, 1, &s, 1));
	EXPECT_EQ(before + 3, h->submitted);
	EXPECT_EQ(LIO_IO_FLUSH, h->last_op);
	/* One namespace's Flush is its backend's alone. */
	s.nsid = cpu_to_le32(5);
	EXPECT_EQ(NVME_SC_SUCCESS, fh_run1(h, 1, &s, 2));
	EXPECT_EQ(before + 4, h->submitted);
}

TEST_F(ns, write_uncorrectable_marks_one_namespace)
{
	struct fake_host *h = &self->h;

	EXPECT_EQ(NVME_SC_SUCCESS,
		  run(h, nvme_cmd_write_uncor, 2, 6, 1, 0, 1));
	EXPECT_EQ(NVME_SC_READ_ERROR | NVME_STATUS_DNR,
		  run(h, nvme_cmd_read, 2, 6, 1, READ_GPA, 2));
	EXPECT_EQ(NVME_SC_SUCCESS,
		  run(h, nvme_cmd_read, 1, 6, 1, READ_GPA, 3));
	EXPECT_FALSE(lio_uncor_any(h->v.ns[0].uncor));
	/* Written again: a block, not a mark. */
	EXPECT_EQ(NVME_SC_SUCCESS,
		  run(h, nvme_cmd_write, 2, 6, 1, DATA_GPA, 4));
	EXPECT_EQ(NVME_SC_SUCCESS,
		  run(h, nvme_cmd_read, 2, 6, 1, READ_GPA, 5));
}

TEST_F(ns, format_erases_the_namespace_it_names_or_each)
{
	struct fake_host *h = &self->h;

	memset(h->store, 0xab, h->store_size);
	memset(h->ns[1].store, 0xcd, h->ns[1].size);
	ASSERT_EQ(0, lio_uncor_mark(h->v.ns[1].uncor, 1, 1));
	ASSERT_EQ(0, lio_uncor_mark(h->v.ns[0].uncor, 1, 1));
	fh_format_ns(h, 1, 2, 9, NVME_FORMAT_SES_USER_DATA);
	fh_poll(h, 4);
	ASSERT_EQ(1U, h->formats_done);
	EXPECT_EQ(NVME_SC_SUCCESS, h->format_status);
	EXPECT_TRUE(fh_all(h->ns[1].store, 0, h->ns[1].size));
	EXPECT_FALSE(lio_uncor_any(h->v.ns[1].uncor));
	EXPECT_TRUE(fh_all(h->store, 0xab, h->store_size));
	EXPECT_TRUE(lio_uncor_any(h->v.ns[0].uncor));
	fh_format_applied(h, 1, 9);
	fh_poll(h, 2);

	memset(h->ns[1].store, 0xcd, h->ns[1].size);
	fh_format_ns(h, 2, 0xffffffffU, 9, NVME_FORMAT_SES_USER_DATA);
	fh_poll(h, 8);
	ASSERT_EQ(2U, h->formats_done);
	EXPECT_EQ(NVME_SC_SUCCESS, h->format_status);
	EXPECT_TRUE(fh_all(h->ns[1].store, 0, h->ns[1].size));
	EXPECT_TRUE(fh_all(h->store, 0, h->store_size));
	EXPECT_FALSE(lio_uncor_any(h->v.ns[0].uncor));
}

TEST_F(ns, format_of_a_namespace_no_backend_serves_is_not_ready)
{
	struct fake_host *h = &self->h;

	memset(h->ns[1].store, 0xcd, h->ns[1].size);
	fh_add_ns(h, 3, NSZE2, 9, false);
	fh_poll(h, 2);
	fh_format_ns(h, 1, 0xffffffffU, 9, NVME_FORMAT_SES_USER_DATA);
	fh_poll(h, 4);
	ASSERT_EQ(1U, h->formats_done);
	EXPECT_EQ(NVME_SC_NS_NOT_READY, h->format_status);
	/* None is erased when one cannot be. */
	EXPECT_TRUE(fh_all(h->ns[1].store, 0xcd, h->ns[1].size));
}

TEST_HARNESS_MAIN
