// SPDX-License-Identifier: GPL-2.0
/*
 * Namespace Management's create from a pool, end to end at L1: leapiod
 * configured with a pool (a directory on an ext4 file system, 16 MiB),
 * the VFIO client creating namespaces. UNVMCAP is the pool's; create
 * completes with the new NSID once leapiod made its file (sparse, of the
 * size asked), the namespace allocated and not attached; attached, its
 * blocks are the file's; more than is left is Namespace Insufficient
 * Capacity; the operator cannot resize it; delete-ns gives the bytes
 * back and leapiod removes the file. A leapiod restarted serves the
 * namespace again from its record, with the data, and removes the file
 * of one the guest deleted while it was away; with none attached a
 * create is Namespace Not Ready.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "lio_dp.h"
#include "clock.h"
#include "pool_fs.h"

#define POOL_BYTES	(16ULL << 20)
#define CREATE_MS	30000

FIXTURE(pool) {
	struct dp dp;
	struct pool_fs fs;
	uint16_t cntlid;
};

FIXTURE_SETUP(pool)
{
	struct dp *dp = &self->dp;
	int err;

	dp_create(_metadata, dp, DP_NS_SIZE, DP_NS_SIZE, 512);
	err = pool_fs_create(&self->fs, 64ULL << 20);
	if (err)
		TH_LOG("the pool's file system: %s", strerror(-err));
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, leapiod_add_vdev(&dp->d, dp->l.mdev.uuid, dp->bk.path,
				      dp->bk.base));
	ASSERT_EQ(0, leapiod_add_pool(&dp->d, dp->l.mdev.uuid, self->fs.dir,
				      POOL_BYTES));
	dp_start_leapiod(_metadata, dp);
	dp_open(_metadata, dp);
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	self->cntlid = dp_cntlid(_metadata, dp);
}

FIXTURE_TEARDOWN(pool)
{
	dp_teardown(_metadata, &self->dp);
	pool_fs_destroy(&self->fs);
}

/* Identify Controller's UNVMCAP, bytes. */
static uint64_t unvmcap(struct __test_metadata *_metadata, struct dp *dp)
{
	struct nvme_id_ctrl *id = dp_identify(_metadata, dp, NVME_ID_CNS_CTRL, 0);

	return id ? le64toh(*(__le64 *)id->unvmcap) : ~0ULL;
}

/* Submit create of nsze blocks of LBA format lbaf: its CID. */
static int create_submit(struct __test_metadata *_metadata, struct dp *dp,
			 uint64_t nsze, uint8_t lbaf)
{
	struct nvme_id_ns *id;
	struct nvme_sqe sqe;
	uint64_t iova = 0;
	int cid;

	id = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);
	{ ASSERT_NE(NULL, id); }
	memset(id, 0, sizeof(*id));
	id->nsze = id->ncap = htole64(nsze);
	id->flbas = lbaf;
	nb_ns_mgmt(&sqe, 0, NVME_NS_MGMT_CREATE, 0, iova);
	cid = nvd_submit(&dp->l.nvd, 0, &sqe);
	{ ASSERT_LE(0, cid); }
	return cid;
}

/* Create, waited for: its status code, the NSID in *nsid. */
static uint16_t create(struct __test_metadata *_metadata, struct dp *dp,
		       uint64_t nsze, uint8_t lbaf, uint32_t *nsid)
{
	int cid = create_submit(_metadata, dp, nsze, lbaf);
	struct nvme_cqe cqe;

	{ ASSERT_EQ(0, nvd_wait_cid(&dp->l.nvd, 0, cid, &cqe, CREATE_MS))
		TH_LOG("create did not complete in %d ms", CREATE_MS); }
	*nsid = le32toh(cqe.dw0);
	return nvd_status_code(&cqe);
}

static uint16_t delete_ns(struct __test_metadata *_metadata, struct dp *dp,
			  uint32_t nsid)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_ns_mgmt(&sqe, nsid, NVME_NS_MGMT_DELETE, 0, 0);
	ADMIN(&dp->l, &sqe, &cqe);
	return nvd_status_code(&cqe);
}

/* The pool's file of namespace nsid. */
static const char *pool_file(FIXTURE_DATA(pool) *self, uint32_t nsid)
{
	static char path[160];

	snprintf(path, sizeof(path), "%s/%s-ns%u.img", self->fs.dir,
		 self->dp.l.mdev.uuid, nsid);
	return path;
}

static long long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long long)st.st_size;
}

/* Wait (bounded) until path is gone: leapiod removes it once it applied. */
static bool file_gone(const char *path)
{
	int64_t deadline = mono_ms() + CREATE_MS;

	while (file_size(path) >= 0)
		if (mono_ms() > deadline)
			return false;
		else
			usleep(10000);
	return true;
}

/* Write one block of nsid at lba holding byte val, through the queue. */
static uint16_t put_block(struct __test_metadata *_metadata, struct dp *dp,
			  uint32_t nsid, uint64_t lba, uint32_t bs, uint8_t val)
{
	uint64_t iova = 0;
	void *buf = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);

	if (!buf)
		return 0xffff;
	memset(buf, val, bs);
	return dp_ns_rw(_metadata, dp, nvme_cmd_write, nsid, lba, 1, iova);
}

/* Read one block back: its first and last byte equal to val? */
static bool block_is(struct __test_metadata *_metadata, struct dp *dp,
		     uint32_t nsid, uint64_t lba, uint32_t bs, uint8_t val)
{
	uint64_t iova = 0;
	uint8_t *buf = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);

	if (!buf)
		return false;
	memset(buf, ~val, bs);
	if (dp_ns_rw(_metadata, dp, nvme_cmd_read, nsid, lba, 1, iova))
		return false;
	return buf[0] == val && buf[bs - 1] == val;
}

/* The file holds val at the block's bytes. */
static bool file_block_is(const char *path, uint64_t off, uint8_t val)
{
	uint8_t b[2] = { 0, 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = pread(fd, &b[0], 1, off) == 1 && pread(fd, &b[1], 1, off + 511) == 1;
	close(fd);
	return ok && b[0] == val && b[1] == val;
}

TEST_F(pool, created_attached_served_deleted)
{
	struct dp *dp = &self->dp;
	char attr[32];
	uint32_t nsid = 0, other = 0;

	EXPECT_EQ(POOL_BYTES, unvmcap(_metadata, dp));
	ASSERT_EQ(NVME_SC_SUCCESS, create(_metadata, dp, (8 << 20) / 512, 0, &nsid));
	ASSERT_EQ(2U, nsid);
	EXPECT_EQ(8LL << 20, file_size(pool_file(self, 2)));
	EXPECT_EQ(POOL_BYTES - (8 << 20), unvmcap(_metadata, dp));
	EXPECT_EQ(0x3U, dp_ns_list(_metadata, dp, NVME_ID_CNS_NS_PRESENT_LIST));
	EXPECT_EQ(0x1U, dp_ns_list(_metadata, dp, NVME_ID_CNS_NS_ACTIVE_LIST));
	EXPECT_EQ(NVME_SC_INVALID_NS, put_block(_metadata, dp, 2, 7, 512, 0x5a));

	ASSERT_EQ(NVME_SC_SUCCESS, dp_ns_attach(_metadata, dp, 2, 0, self->cntlid));
	ASSERT_EQ(NVME_SC_SUCCESS, put_block(_metadata, dp, 2, 7, 512, 0x5a));
	EXPECT_TRUE(block_is(_metadata, dp, 2, 7, 512, 0x5a));
	EXPECT_TRUE(block_is(_metadata, dp, 2, 8, 512, 0));
	EXPECT_TRUE(file_block_is(pool_file(self, 2), 7 * 512, 0x5a));
	/* Its last block, and none past it. */
	ASSERT_EQ(NVME_SC_SUCCESS,
		  put_block(_metadata, dp, 2, (8 << 20) / 512 - 1, 512, 0x11));
	EXPECT_EQ(NVME_SC_LBA_RANGE,
		  put_block(_metadata, dp, 2, (8 << 20) / 512, 512, 0x11));

	/* 4 KiB blocks: what is left, and then nothing. */
	EXPECT_EQ(NVME_SC_NS_INSUFFICIENT_CAP,
		  create(_metadata, dp, (8 << 20) / 4096 + 1, 1, &other));
	ASSERT_EQ(NVME_SC_SUCCESS, create(_metadata, dp, (8 << 20) / 4096, 1, &other));
	ASSERT_EQ(3U, other);
	EXPECT_EQ(0ULL, unvmcap(_metadata, dp));
	ASSERT_EQ(NVME_SC_SUCCESS, dp_ns_attach(_metadata, dp, 3, 0, self->cntlid));
	ASSERT_EQ(NVME_SC_SUCCESS, put_block(_metadata, dp, 3, 2, 4096, 0x77));
	EXPECT_TRUE(file_block_is(pool_file(self, 3), 2 * 4096, 0x77));

	/* The operator's size of it is the one it was made with. */
	snprintf(attr, sizeof(attr), LEAPIO_SYSFS_NSN_SIZE_FMT, 2);
	EXPECT_EQ(-EPERM, mdev_attr_write_u64(&dp->l.mdev, attr, 16 << 20));

	ASSERT_EQ(NVME_SC_SUCCESS, delete_ns(_metadata, dp, 2));
	EXPECT_EQ(NVME_SC_INVALID_NS, put_block(_metadata, dp, 2, 7, 512, 0x5a));
	EXPECT_TRUE(file_gone(pool_file(self, 2)));
	EXPECT_EQ(8ULL << 20, unvmcap(_metadata, dp));
	EXPECT_EQ(0x5U, dp_ns_list(_metadata, dp, NVME_ID_CNS_NS_PRESENT_LIST));
	/* Made again in the NSID freed: empty, not the old blocks. */
	ASSERT_EQ(NVME_SC_SUCCESS, create(_metadata, dp, (8 << 20) / 512, 0, &nsid));
	ASSERT_EQ(2U, nsid);
	ASSERT_EQ(NVME_SC_SUCCESS, dp_ns_attach(_metadata, dp, 2, 0, self->cntlid));
	EXPECT_TRUE(block_is(_metadata, dp, 2, 7, 512, 0));
	EXPECT_EQ(0, REG_RD32(&dp->l, NVME_REG_CSTS) & NVME_CSTS_CFS);
}

TEST_F(pool, a_restarted_leapiod_serves_them_again)
{
	struct dp *dp = &self->dp;
	uint32_t nsid = 0;

	ASSERT_EQ(NVME_SC_SUCCESS, create(_metadata, dp, 2048, 0, &nsid));
	ASSERT_EQ(2U, nsid);
	ASSERT_EQ(NVME_SC_SUCCESS, create(_metadata, dp, 2048, 0, &nsid));
	ASSERT_EQ(3U, nsid);
	ASSERT_EQ(NVME_SC_SUCCESS, dp_ns_attach(_metadata, dp, 2, 0, self->cntlid));
	ASSERT_EQ(NVME_SC_SUCCESS, put_block(_metadata, dp, 2, 100, 512, 0xc3));

	/* Killed: the next one reads its record. */
	ASSERT_EQ(128 + SIGKILL, leapiod_stop(&dp->d, SIGKILL));
	ASSERT_EQ(0, leapiod_wait_runtime_pid(dp->l.mdev.uuid, 0, LEAPIOD_TIMEOUT_MS));
	/* Deleted while none serves it; created while none serves: not ready. */
	ASSERT_EQ(NVME_SC_SUCCESS, delete_ns(_metadata, dp, 3));
	EXPECT_EQ(NVME_SC_NS_NOT_READY, create(_metadata, dp, 8, 0, &nsid));
	EXPECT_EQ(2048LL * 512, file_size(pool_file(self, 3)));

	dp_start_leapiod(_metadata, dp);
	EXPECT_TRUE(block_is(_metadata, dp, 2, 100, 512, 0xc3));
	EXPECT_EQ(-1LL, file_size(pool_file(self, 3)));
	EXPECT_TRUE(leapiod_log_has(&dp->d, "namespace 3 of the pool was deleted "
				    "while no leapiod served it"));
	EXPECT_EQ(POOL_BYTES - 2048 * 512, unvmcap(_metadata, dp));
}

TEST_HARNESS_MAIN
