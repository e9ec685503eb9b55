// SPDX-License-Identifier: GPL-2.0
/*
 * A second namespace, end to end at L1: created through the mdev's sysfs
 * (ns2_size), served by leapiod from a backing device of its own (the
 * configuration's "namespaces"), reached from the VFIO client. Identify
 * lists it with its size; its blocks are its backing device's and not
 * namespace 1's; its LBAs end at its size; an NSID the controller does
 * not have is Invalid Namespace; a Flush of every namespace completes;
 * removed through sysfs while served, its I/O is Invalid Namespace. One
 * made by another process than the VFIO user (an operator's shell) while
 * the controller runs is told to the guest (Namespace Attribute Changed,
 * the controller not failed), and with no backend in leapiod its I/O is
 * Namespace Not Ready. Its SMART log counts its own I/O, FFFFFFFFh's all.
 * The guest detaches and attaches it (Namespace Attachment), and deletes
 * it (Namespace Management), with the I/O following at once. The
 * operator grows its backend through leapiod's control socket
 * (vdev_resize with its NSID) while the guest runs: the namespace grows
 * with the same notice as namespace 1's.
 */
#include <sys/wait.h>

#include "lio_dp.h"
#include "clock.h"
#include "ctl_client.h"

#define NS2_SIZE	(4ULL << 20)
/* How long the runtime may take to apply a change of the table. */
#define NS_APPLY_MS	10000

FIXTURE(ns) {
	struct dp dp;
	struct backing bk2;
	char ns2_attr[32];	/* ns2_size */
};

FIXTURE_SETUP(ns)
{
	struct dp *dp = &self->dp;
	int err;

	self->bk2.file = self->bk2.loop = -1;
	snprintf(self->ns2_attr, sizeof(self->ns2_attr),
		 LEAPIO_SYSFS_NSN_SIZE_FMT, 2);
	dp_create(_metadata, dp, DP_NS_SIZE, DP_NS_SIZE, 512);
	err = backing_create(&self->bk2, NS2_SIZE, 512);
	if (err)
		TH_LOG("second backing store: %s", strerror(-err));
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, mdev_attr_write_u64(&dp->l.mdev, self->ns2_attr, NS2_SIZE));
	ASSERT_EQ(0, leapiod_add_vdev(&dp->d, dp->l.mdev.uuid, dp->bk.path,
				      dp->bk.base));
	ASSERT_EQ(0, leapiod_add_ns(&dp->d, dp->l.mdev.uuid, 2, self->bk2.path,
				    0));
	dp_start_leapiod(_metadata, dp);
	dp_open(_metadata, dp);
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
}

FIXTURE_TEARDOWN(ns)
{
	dp_teardown(_metadata, &self->dp);
	backing_destroy(&self->bk2);
}

/* Identify Namespace nsid (CNS 00h): its NSZE. */
static uint64_t ns_nsze(struct __test_metadata *_metadata, struct dp *dp,
			uint32_t nsid)
{
	struct nvme_id_ns *ns = dp_identify(_metadata, dp, NVME_ID_CNS_NS, nsid);

	return ns ? le64toh(ns->nsze) : 0;
}

TEST_F(ns, listed_with_its_size)
{
	struct dp *dp = &self->dp;
	struct nvme_sqe sqe;
	uint64_t iova = 0;
	__le32 *list;

	EXPECT_EQ(NS2_SIZE / 512, ns_nsze(_metadata, dp, 2));
	EXPECT_EQ(DP_NS_SIZE / 512, ns_nsze(_metadata, dp, 1));
	list = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);
	ASSERT_NE(NULL, list);
	nb_identify(&sqe, NVME_ID_CNS_NS_ACTIVE_LIST, 0, iova);
	ADMIN_OK(&dp->l, &sqe);
	EXPECT_EQ(1U, le32toh(list[0]));
	EXPECT_EQ(2U, le32toh(list[1]));
	EXPECT_EQ(0U, le32toh(list[2]));
}

TEST_F(ns, its_blocks_are_its_backing_devices)
{
	struct dp *dp = &self->dp;
	uint8_t back[512];
	uint64_t iova = 0;
	uint8_t *buf;

	buf = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);
	ASSERT_NE(NULL, buf);
	memset(buf, 0xc2, 512);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_write, 2, 7, 1, iova));
	ASSERT_EQ(0, backing_read(&self->bk2, 7 * 512, back, sizeof(back)));
	EXPECT_EQ(0, memcmp(back, buf, sizeof(back)));
	/* Namespace 1's block 7 is not it. */
	ASSERT_EQ(0, backing_read(&dp->bk, dp->bk.base + 7 * 512, back,
				  sizeof(back)));
	EXPECT_NE(0, memcmp(back, buf, sizeof(back)));
	memset(buf, 0, 512);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_read, 2, 7, 1, iova));
	EXPECT_EQ(0xc2, buf[0]);
	EXPECT_EQ(0xc2, buf[511]);
}

/* SMART of nsid into s: its status. */
static uint16_t ns_smart(struct __test_metadata *_metadata, struct dp *dp,
			 uint32_t nsid, struct nvme_smart_log *s, uint64_t iova)
{
	uint16_t st = 0xffff;

	{ ASSERT_EQ(0, nio_smart(&dp->io, nsid, s, iova, &st)); }
	return st;
}

/*
 * SMART per namespace (LPA bit 0): a namespace's log has its own reads
 * and writes, FFFFFFFFh the controller's, which are all of them.
 */
TEST_F(ns, smart_counts_each_namespace_apart)
{
	struct dp *dp = &self->dp;
	struct nvme_smart_log *s;
	uint64_t iova = 0, buf_iova = 0;
	unsigned int i;

	s = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);
	ASSERT_NE(NULL, s);
	ASSERT_NE(NULL, gmem_alloc_pages(&dp->l.mem, 8 * 512, &buf_iova));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(NVME_SC_SUCCESS,
			  dp_ns_rw(_metadata, dp, nvme_cmd_write, 2, i, 8, buf_iova));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_read, 2, 0, 1, buf_iova));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_read, 1, 0, 2, buf_iova));
	/* Past namespace 2's end: counted nowhere. */
	ASSERT_EQ(NVME_SC_LBA_RANGE,
		  dp_ns_rw(_metadata, dp, nvme_cmd_read, 2, NS2_SIZE / 512, 1,
			buf_iova));

	ASSERT_EQ(NVME_SC_SUCCESS, ns_smart(_metadata, dp, 2, s, iova));
	EXPECT_EQ(3, nio_u128_lo(s->host_writes));
	EXPECT_EQ(1, nio_u128_lo(s->host_reads));
	EXPECT_EQ(1, nio_u128_lo(s->data_units_written));
	EXPECT_EQ(1, nio_u128_lo(s->data_units_read));
	ASSERT_EQ(NVME_SC_SUCCESS, ns_smart(_metadata, dp, 1, s, iova));
	EXPECT_EQ(0, nio_u128_lo(s->host_writes));
	EXPECT_EQ(1, nio_u128_lo(s->host_reads));
	ASSERT_EQ(NVME_SC_SUCCESS, ns_smart(_metadata, dp, 0xffffffff, s, iova));
	EXPECT_EQ(3, nio_u128_lo(s->host_writes));
	EXPECT_EQ(2, nio_u128_lo(s->host_reads));
	/* An NSID with no namespace has no log. */
	EXPECT_EQ(NVME_SC_INVALID_NS, ns_smart(_metadata, dp, 3, s, iova));
}

TEST_F(ns, its_lbas_end_at_its_size)
{
	struct dp *dp = &self->dp;
	uint64_t last = NS2_SIZE / 512 - 1, iova = 0;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	ASSERT_NE(NULL, gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova));
	EXPECT_EQ(NVME_SC_SUCCESS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_write, 2, last, 1, iova));
	EXPECT_EQ(NVME_SC_LBA_RANGE,
		  dp_ns_rw(_metadata, dp, nvme_cmd_write, 2, last + 1, 1, iova));
	/* Namespace 1, larger, has that block. */
	EXPECT_EQ(NVME_SC_SUCCESS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_write, 1, last + 1, 1, iova));
	EXPECT_EQ(NVME_SC_INVALID_NS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_read, 3, 0, 1, iova));
	nb_flush(&sqe, 0xffffffffU);
	ASSERT_EQ(0, nio_cmd(&dp->io, 1, &sqe, &cqe));
	EXPECT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
}

TEST_F(ns, removed_while_served)
{
	struct dp *dp = &self->dp;
	int64_t deadline;
	uint64_t iova = 0;
	uint16_t st;

	ASSERT_NE(NULL, gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_write, 2, 1, 1, iova));
	ASSERT_EQ(0, mdev_attr_write_u64(&dp->l.mdev, self->ns2_attr, 0));
	/* Gone from Identify at once (the driver's), from I/O once the
	 * runtime applied the table: bounded by the clock.
	 */
	EXPECT_EQ(0, ns_nsze(_metadata, dp, 2));
	deadline = mono_ms() + NS_APPLY_MS;
	do {
		st = dp_ns_rw(_metadata, dp, nvme_cmd_read, 2, 1, 1, iova);
	} while (st == NVME_SC_SUCCESS && mono_ms() < deadline);
	EXPECT_EQ(NVME_SC_INVALID_NS, st);
	/* Namespace 1 goes on. */
	EXPECT_EQ(NVME_SC_SUCCESS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_read, 1, 1, 1, iova));
}

/* Written by a child process: another mm than the VFIO user's. */
static int write_from_child(const struct lio_mdev *m, const char *attr,
			    uint64_t val)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (!pid)
		_exit(mdev_attr_write_u64(m, attr, val) ? 1 : 0);
	if (waitpid(pid, &st, 0) != pid)
		return -errno;
	return WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : -EIO;
}

TEST_F(ns, made_by_another_process_is_told)
{
	struct dp *dp = &self->dp;
	struct nvme_changed_ns_log *log;
	uint64_t iova = 0, buf = 0;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	char attr[32];
	int cid;

	log = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);
	ASSERT_NE(NULL, log);
	/* Read once, the log starts afresh (namespace 2 is in it). */
	nb_get_log(&sqe, NVME_LOG_CHANGED_NS, 0xffffffff, GMEM_PAGE, iova, false);
	ADMIN_OK(&dp->l, &sqe);
	cid = dp_ns_notice_arm(_metadata, dp);
	snprintf(attr, sizeof(attr), LEAPIO_SYSFS_NSN_SIZE_FMT, 3);
	ASSERT_EQ(0, write_from_child(&dp->l.mdev, attr, NS2_SIZE));
	ASSERT_EQ(0, nvd_wait_cid(&dp->l.nvd, 0, cid, &cqe, NS_APPLY_MS));
	EXPECT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
	EXPECT_EQ(NVME_AER_DW0(NVME_AER_TYPE_NOTICE, NVME_AER_NOTICE_NS_CHANGED,
			       NVME_LOG_CHANGED_NS), le32toh(cqe.dw0));
	EXPECT_EQ(0, REG_RD32(&dp->l, NVME_REG_CSTS) & NVME_CSTS_CFS);
	memset(log, 0xff, GMEM_PAGE);
	nb_get_log(&sqe, NVME_LOG_CHANGED_NS, 0xffffffff, GMEM_PAGE, iova, false);
	ADMIN_OK(&dp->l, &sqe);
	EXPECT_EQ(3U, le32toh(log->nsid[0]));
	EXPECT_EQ(0U, le32toh(log->nsid[1]));
	EXPECT_EQ(NS2_SIZE / 512, ns_nsze(_metadata, dp, 3));
	/* leapiod has no backend for it. */
	ASSERT_NE(NULL, gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &buf));
	EXPECT_EQ(NVME_SC_NS_NOT_READY,
		  dp_ns_rw(_metadata, dp, nvme_cmd_read, 3, 0, 1, buf));
	EXPECT_EQ(NVME_SC_SUCCESS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_read, 2, 0, 1, buf));
}

/*
 * Namespace Attachment through the driver and leapiod: detached, the
 * namespace is told to the guest (notice, Changed Namespace List), gone
 * from the active list but allocated, and its I/O is Invalid Namespace
 * from the moment detach completed (leapiod applied the table first: no
 * polling); attached again, its blocks are as they were. Namespace 1
 * too. Attaching one attached, detaching one detached, or a list of
 * another controller are refused.
 */
TEST_F(ns, detached_then_attached_again)
{
	struct dp *dp = &self->dp;
	uint16_t cntlid = dp_cntlid(_metadata, dp);
	struct nvme_changed_ns_log *log;
	uint64_t iova = 0, buf = 0;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint8_t *data;
	int cid;

	log = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);
	ASSERT_NE(NULL, log);
	data = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &buf);
	ASSERT_NE(NULL, data);
	memset(data, 0x3c, 512);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_write, 2, 9, 1, buf));
	nb_get_log(&sqe, NVME_LOG_CHANGED_NS, 0xffffffff, GMEM_PAGE, iova, false);
	ADMIN_OK(&dp->l, &sqe);
	cid = dp_ns_notice_arm(_metadata, dp);

	ASSERT_EQ(NVME_SC_SUCCESS, dp_ns_attach(_metadata, dp, 2, 1, cntlid));
	EXPECT_EQ(NVME_SC_INVALID_NS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_read, 2, 9, 1, buf));
	ASSERT_EQ(0, nvd_wait_cid(&dp->l.nvd, 0, cid, &cqe, NS_APPLY_MS));
	EXPECT_EQ(NVME_AER_DW0(NVME_AER_TYPE_NOTICE, NVME_AER_NOTICE_NS_CHANGED,
			       NVME_LOG_CHANGED_NS), le32toh(cqe.dw0));
	nb_get_log(&sqe, NVME_LOG_CHANGED_NS, 0xffffffff, GMEM_PAGE, iova, false);
	ADMIN_OK(&dp->l, &sqe);
	EXPECT_EQ(2U, le32toh(log->nsid[0]));
	EXPECT_EQ(0U, le32toh(log->nsid[1]));
	EXPECT_EQ(0x1U, dp_ns_list(_metadata, dp, NVME_ID_CNS_NS_ACTIVE_LIST));
	EXPECT_EQ(0x3U, dp_ns_list(_metadata, dp, NVME_ID_CNS_NS_PRESENT_LIST));
	EXPECT_EQ(0, ns_nsze(_metadata, dp, 2));
	EXPECT_EQ(NVME_SC_NS_NOT_ATTACHED,
		  dp_ns_attach(_metadata, dp, 2, 1, cntlid));
	EXPECT_EQ(NVME_SC_CTRL_LIST_INVALID,
		  dp_ns_attach(_metadata, dp, 2, 0, cntlid + 1));

	ASSERT_EQ(NVME_SC_SUCCESS, dp_ns_attach(_metadata, dp, 2, 0, cntlid));
	EXPECT_EQ(NS2_SIZE / 512, ns_nsze(_metadata, dp, 2));
	memset(data, 0, 512);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_read, 2, 9, 1, buf));
	EXPECT_EQ(0x3c, data[0]);
	EXPECT_EQ(0x3c, data[511]);
	EXPECT_EQ(NVME_SC_NS_ALREADY_ATTACHED,
		  dp_ns_attach(_metadata, dp, 2, 0, cntlid));

	/* Namespace 1, leapiod's first, the same way. */
	ASSERT_EQ(NVME_SC_SUCCESS, dp_ns_attach(_metadata, dp, 1, 1, cntlid));
	EXPECT_EQ(NVME_SC_INVALID_NS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_read, 1, 9, 1, buf));
	EXPECT_EQ(NVME_SC_SUCCESS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_read, 2, 9, 1, buf));
	ASSERT_EQ(NVME_SC_SUCCESS, dp_ns_attach(_metadata, dp, 1, 0, cntlid));
	EXPECT_EQ(NVME_SC_SUCCESS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_read, 1, 9, 1, buf));
	EXPECT_EQ(0, REG_RD32(&dp->l, NVME_REG_CSTS) & NVME_CSTS_CFS);
}

/*
 * Namespace Management: delete takes namespace 2 out of the subsystem
 * (the operator's ns2_size reads 0, its I/O is Invalid Namespace at
 * once); namespace 1 is not the guest's to delete; create finds no
 * capacity (no pool: UNVMCAP 0).
 */
TEST_F(ns, deleted_and_none_created_without_a_pool)
{
	struct dp *dp = &self->dp;
	struct nvme_id_ns *id;
	uint64_t iova = 0, buf = 0;
	struct nvme_sqe sqe;

	ASSERT_NE(NULL, gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &buf));
	nb_ns_mgmt(&sqe, 2, NVME_NS_MGMT_DELETE, 0, 0);
	ADMIN_OK(&dp->l, &sqe);
	EXPECT_EQ(NVME_SC_INVALID_NS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_read, 2, 0, 1, buf));
	EXPECT_EQ(0x1U, dp_ns_list(_metadata, dp, NVME_ID_CNS_NS_PRESENT_LIST));
	EXPECT_EQ(0, dp_attr(_metadata, dp, self->ns2_attr));
	nb_ns_mgmt(&sqe, 1, NVME_NS_MGMT_DELETE, 0, 0);
	ADMIN_STATUS(&dp->l, &sqe, NVME_SC_INVALID_FIELD);

	id = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);
	ASSERT_NE(NULL, id);
	id->nsze = id->ncap = htole64(8);
	nb_ns_mgmt(&sqe, 0, NVME_NS_MGMT_CREATE, 0, iova);
	ADMIN_STATUS(&dp->l, &sqe, NVME_SC_NS_INSUFFICIENT_CAP);
	EXPECT_EQ(0x1U, dp_ns_list(_metadata, dp, NVME_ID_CNS_NS_PRESENT_LIST));
	EXPECT_EQ(NVME_SC_SUCCESS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_read, 1, 0, 1, buf));
}

/*
 * vdev_resize of namespace 2 (nsid): its backend, a loop device grown
 * first as an operator grows a volume, doubles under the running guest;
 * the namespace, which was its size, doubles with it (Namespace
 * Attribute Changed naming NSID 2, Identify and ns2_size the new size),
 * the blocks past the old end take data and the old ones keep theirs.
 * Namespace 1 stays as it was. A namespace the configuration gives no
 * backend is refused.
 */
FIXTURE(nsr) {
	struct dp dp;
	struct backing bk2;
	char reply[8192];
};

FIXTURE_SETUP(nsr)
{
	struct dp *dp = &self->dp;
	char attr[32];

	self->bk2.file = self->bk2.loop = -1;
	dp_create(_metadata, dp, DP_NS_SIZE, DP_NS_SIZE, 512);
	ASSERT_EQ(0, backing_create(&self->bk2, NS2_SIZE, 512));
	snprintf(attr, sizeof(attr), LEAPIO_SYSFS_NSN_SIZE_FMT, 2);
	ASSERT_EQ(0, mdev_attr_write_u64(&dp->l.mdev, attr, NS2_SIZE));
	snprintf(dp->d.control, sizeof(dp->d.control), "/tmp/leapiod-ksft-%d.sock",
		 getpid());
	ASSERT_EQ(0, leapiod_add_vdev(&dp->d, dp->l.mdev.uuid, dp->bk.path,
				      dp->bk.base));
	ASSERT_EQ(0, leapiod_add_ns(&dp->d, dp->l.mdev.uuid, 2, self->bk2.path, 0));
	dp_start_leapiod(_metadata, dp);
	dp_open(_metadata, dp);
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
}

FIXTURE_TEARDOWN(nsr)
{
	dp_teardown(_metadata, &self->dp);
	backing_destroy(&self->bk2);
}

TEST_F_TIMEOUT(nsr, grown_by_its_nsid_under_the_guest, 120)
{
	struct dp *dp = &self->dp;
	const uint64_t old_lbas = NS2_SIZE / 512;
	uint64_t buf = 0;
	struct nvme_cqe cqe;
	char params[256];
	uint8_t *data;
	int cid;

	data = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &buf);
	ASSERT_NE(NULL, data);
	memset(data, 0x6d, 512);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_write, 2, old_lbas - 1, 1, buf));
	EXPECT_EQ(NVME_SC_LBA_RANGE,
		  dp_ns_rw(_metadata, dp, nvme_cmd_write, 2, old_lbas, 1, buf));
	cid = dp_ns_notice_arm(_metadata, dp);

	snprintf(params, sizeof(params), "{\"uuid\": \"%s\", \"size\": %llu, \"nsid\": 3}",
		 dp->l.mdev.uuid, (unsigned long long)2 * NS2_SIZE);
	ASSERT_EQ(0, ctl_call(dp->d.control, "vdev_resize", params, self->reply,
			      sizeof(self->reply)));
	ASSERT_NE(NULL, strstr(self->reply, "no backend")) TH_LOG("%s", self->reply);

	ASSERT_EQ(0, backing_grow(&self->bk2, 2 * NS2_SIZE));
	snprintf(params, sizeof(params), "{\"uuid\": \"%s\", \"size\": %llu, \"nsid\": 2}",
		 dp->l.mdev.uuid, (unsigned long long)2 * NS2_SIZE);
	ASSERT_EQ(0, ctl_call(dp->d.control, "vdev_resize", params, self->reply,
			      sizeof(self->reply)));
	ASSERT_EQ(NULL, strstr(self->reply, "\"error\"")) TH_LOG("%s", self->reply);
	ASSERT_EQ(0, nvd_wait_cid(&dp->l.nvd, 0, cid, &cqe, 30000))
		TH_LOG("no Namespace Attribute Changed notice in 30 s");
	dp_ns_notice_is(_metadata, dp, &cqe, 2, 2 * NS2_SIZE);
	EXPECT_EQ(DP_NS_SIZE / 512, ns_nsze(_metadata, dp, 1));

	memset(data, 0x6e, 512);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_write, 2, 2 * old_lbas - 1, 1, buf));
	memset(data, 0, 512);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_read, 2, 2 * old_lbas - 1, 1, buf));
	EXPECT_EQ(0x6e, data[0]);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  dp_ns_rw(_metadata, dp, nvme_cmd_read, 2, old_lbas - 1, 1, buf));
	EXPECT_EQ(0x6d, data[511]);
	EXPECT_EQ(0, REG_RD32(&dp->l, NVME_REG_CSTS) & NVME_CSTS_CFS);
}

TEST_HARNESS_MAIN
