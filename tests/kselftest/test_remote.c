// SPDX-License-Identifier: GPL-2.0
/*
 * Remote drives when things go wrong, against the kernel's own NVMe-oF
 * target over TCP (lib/nvmet.h), with a dm-delay device under the
 * export so that commands can be held at the target's disk and counted
 * (lib/dm_delay.h):
 *
 * - the target's port goes away with writes in flight and comes back
 *   within ctrl_loss_tmo: the guest's commands wait and then complete,
 *   every one exactly once and with success, their data in place;
 * - the port stays away: once the kernel gives the controller up, the
 *   commands complete with Controller Pathing Error and DNR, and new
 *   ones fail at once: errors, never a hang; leapiod keeps running;
 * - SIGHUP moves the vdev from a local backend to the remote one and
 *   back with I/O in flight, dropping none, the connection made and let
 *   go as it is needed;
 * - leapiod refuses, naming what is wrong, a target nobody listens on, a
 *   subsystem the target does not have, a namespace it does not have, a
 *   namespace smaller than the vdev and one whose blocks are larger than
 *   the vdev's LBAs; no connection is left behind;
 * - the remote namespace grows (rsz, no dm-delay: the loop device itself
 *   is exported): the vdev's namespace, which held all of it, grows with
 *   it, and the guest is told with a Namespace Attribute Changed notice.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DPB_CMDS	8
#define DPB_PAGES	2
#include "lio_dp.h"
#include "lio_dp_batch.h"
#include "clock.h"
#include "nvmet.h"

#define RM_TIMEOUT_S	180
/* The kernel's reconnect cadence in these tests. */
#define RM_RECONNECT_S	1

FIXTURE(rm) {
	struct dp dp;
	struct dm_delay dm;
	struct nvmet_export nv;
	char arg[512];
};

FIXTURE_SETUP(rm)
{
	struct dp *dp = &self->dp;
	char why[256] = "";
	int err;

	self->dm.ctl = -1;
	memset(&self->nv, 0, sizeof(self->nv));
	dp_create(_metadata, dp, DP_NS_SIZE, DP_NS_SIZE, 0);
	err = dm_delay_create(&self->dm, dp->bk.path);
	if (err)
		TH_LOG("dm-delay over %s: %s", dp->bk.path, strerror(-err));
	ASSERT_EQ(0, err);
	err = nvmet_net_up("tcp", why, sizeof(why));
	if (!err)
		err = nvmet_export(&self->nv, "tcp", self->dm.path, why, sizeof(why));
	if (err)
		TH_LOG("nvmet: %s", why);
	ASSERT_EQ(0, err);
}

FIXTURE_TEARDOWN(rm)
{
	if (self->dm.created)
		EXPECT_EQ(0, dm_delay_release(&self->dm));
	dp_teardown(_metadata, &self->dp);
	/* leapiod made its connections: its exit took them down. */
	if (self->nv.made)
		EXPECT_EQ(0, nvmet_host_ctrls(self->nv.nqn));
	nvmet_unexport(&self->nv);
	EXPECT_EQ(0, dm_delay_destroy(&self->dm));
}

/* leapiod serving the export, the kernel reconnecting every second. */
static void serve(struct __test_metadata *_metadata, FIXTURE_DATA(rm) *self,
		  int ctrl_loss_tmo)
{
	struct dp *dp = &self->dp;

	snprintf(self->arg, sizeof(self->arg), "%s,reconnect_delay=%d,ctrl_loss_tmo=%d",
		 self->nv.uri, RM_RECONNECT_S, ctrl_loss_tmo);
	ASSERT_EQ(0, leapiod_add_vdev(&dp->d, dp->l.mdev.uuid, self->arg, 0));
	dp_start_leapiod(_metadata, dp);
	dp_open(_metadata, dp);
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 32, 1));
	ASSERT_EQ(1, nvmet_host_ctrls(self->nv.nqn));
}

/* Wait (bounded) until this host's controller to nqn is in a state
 * starting with want (or, want NULL, is not live).
 */
static int ctrl_state_wait(const char *nqn, const char *want, int timeout_ms)
{
	int64_t t0 = mono_ms();
	char st[64];

	for (;;) {
		nvmet_host_ctrl_state(nqn, st, sizeof(st));
		if (want ? !strncmp(st, want, strlen(want)) : strncmp(st, "live", 4))
			return 0;
		if (mono_ms() - t0 > timeout_ms)
			return -ETIMEDOUT;
		usleep(10000);
	}
}

/* Take n CQEs of the batch (its reads), counting them done. */
static void collect_n(struct __test_metadata *_metadata, struct dp *dp,
		      struct batch *b, unsigned int n)
{
	struct nvme_cqe cqe;
	int k;

	while (n--) {
		ASSERT_EQ(0, nio_reap(&dp->io, b->qid, &cqe, NIO_TIMEOUT_MS));
		k = batch_index(b, le16toh(cqe.cid));
		ASSERT_GE(k, 0);
		ASSERT_EQ(1, ++b->done[k]);
		ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
	}
}

/* The rest of the batch (what collect_n did not take), then its data. */
static void collect_rest(struct __test_metadata *_metadata, struct dp *dp,
			 struct batch *b)
{
	unsigned int k, left = 0;

	for (k = 0; k < DPB_CMDS; k++)
		left += !b->done[k];
	collect_n(_metadata, dp, b, left);
	for (k = 0; k < DPB_CMDS; k++)
		ASSERT_EQ(1, b->done[k]);
	batch_verify(_metadata, dp, b, b->qid);
}

TEST_F_TIMEOUT(rm, port_away_and_back_with_writes_in_flight, RM_TIMEOUT_S)
{
	struct dp *dp = &self->dp;
	struct batch b = { 0 };
	char words[96];
	unsigned int round;

	serve(_metadata, self, 60);
	for (round = 0; round < 2; round++) {
		batch_prep(_metadata, dp, &b, 1, 100 + 50 * round);
		ASSERT_EQ(0, dm_delay_hold(&self->dm, false, true));
		batch_submit(_metadata, dp, &b);
		/* The reads complete; the writes are at the target's disk. */
		collect_n(_metadata, dp, &b, DPB_CMDS / 2);
		held_is(_metadata, &self->dm, 0, DPB_CMDS / 2);
		TH_LOG("round %u: the port goes with %u writes in flight", round,
		       DPB_CMDS / 2);

		ASSERT_EQ(0, nvmet_unlink(&self->nv));
		ASSERT_EQ(0, ctrl_state_wait(self->nv.nqn, NULL, NIO_TIMEOUT_MS));
		/* The initiator aborted them; leapiod holds them. */
		ASSERT_EQ(0, leapiod_log_wait(&dp->d, "the path to it is down",
					      NIO_TIMEOUT_MS));
		ASSERT_FALSE(nvd_cqe_ready(&dp->l.nvd, 1));
		/* What the target still had goes to its disk, to no one. */
		ASSERT_EQ(0, dm_delay_release(&self->dm));
		ASSERT_FALSE(nvd_cqe_ready(&dp->l.nvd, 1));

		ASSERT_EQ(0, nvmet_link(&self->nv));
		ASSERT_EQ(0, ctrl_state_wait(self->nv.nqn, "live", 30000));
		collect_rest(_metadata, dp, &b);
		snprintf(words, sizeof(words), "live again: %u held commands sent again",
			 DPB_CMDS / 2);
		ASSERT_EQ(0, leapiod_log_wait(&dp->d, words, NIO_TIMEOUT_MS));
		/* The same controller came back; no duplicate completions. */
		ASSERT_EQ(1, nvmet_host_ctrls(self->nv.nqn));
		ASSERT_EQ(0, dp->l.nvd.nr_stash);
		ASSERT_FALSE(nvd_cqe_ready(&dp->l.nvd, 1));
		/* Truncate the log's evidence for the next round. */
		ASSERT_EQ(0, truncate(dp->d.log, 0));
	}
}

/* Write one page at slba; its status field (DNR kept). */
static uint16_t write_status(struct __test_metadata *_metadata, struct dp *dp,
			     uint64_t slba, int timeout_ms)
{
	uint64_t iova = 0, prp1 = 0, prp2 = 0;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	void *buf = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);
	int cid;

	if (!buf)
		return 0xffff;
	nio_fill(buf, GMEM_PAGE, (uint32_t)slba);
	if (nio_prp(&dp->io, iova, GMEM_PAGE, &prp1, &prp2))
		return 0xffff;
	nb_rw(&sqe, nvme_cmd_write, NIO_NSID, slba, GMEM_PAGE >> dp->io.lba_shift,
	      prp1, prp2);
	cid = nio_submit(&dp->io, 1, &sqe);
	if (cid < 0 || nio_wait(&dp->io, 1, (uint16_t)cid, &cqe, timeout_ms))
		return 0xfffe;
	return nvd_status(&cqe);
}

TEST_F_TIMEOUT(rm, port_gone_for_good_fails_with_path_error, RM_TIMEOUT_S)
{
	const uint16_t gone = NVME_STATUS(NVME_SCT_PATH, 0x60) | NVME_STATUS_DNR;
	struct dp *dp = &self->dp;
	struct batch b = { 0 };
	unsigned int k;

	serve(_metadata, self, 3);
	batch_prep(_metadata, dp, &b, 1, 900);
	ASSERT_EQ(0, dm_delay_hold(&self->dm, false, true));
	batch_submit(_metadata, dp, &b);
	collect_n(_metadata, dp, &b, DPB_CMDS / 2);
	held_is(_metadata, &self->dm, 0, DPB_CMDS / 2);

	/* The port goes, for good. */
	ASSERT_EQ(0, nvmet_unlink(&self->nv));
	ASSERT_EQ(0, dm_delay_release(&self->dm));
	/* Within ctrl_loss_tmo (3 s) and a reconnect: the writes fail. */
	for (k = 0; k < DPB_CMDS / 2; k++) {
		struct nvme_cqe cqe;
		int i;

		ASSERT_EQ(0, nio_reap(&dp->io, 1, &cqe, 30000));
		i = batch_index(&b, le16toh(cqe.cid));
		ASSERT_GE(i, 0);
		ASSERT_TRUE(is_write((unsigned int)i));
		ASSERT_EQ(1, ++b.done[i]);
		ASSERT_EQ(gone, nvd_status(&cqe));
	}
	ASSERT_EQ(0, nvmet_host_ctrls(self->nv.nqn));
	ASSERT_TRUE(leapiod_log_has(&dp->d, "given up by the kernel"));
	/* New commands fail at once, the same way; leapiod runs on. */
	ASSERT_EQ(gone, write_status(_metadata, dp, 4096, NIO_TIMEOUT_MS));
	ASSERT_TRUE(leapiod_alive(&dp->d));
	ASSERT_EQ(0, REG_RD32(&dp->l, NVME_REG_CSTS) & NVME_CSTS_CFS);
}

/*
 * SIGHUP: local -> remote -> local with a batch in flight each time; the
 * swap drains what is at the old backend (held at the delay device until
 * the swap has begun) and sends what comes next to the new one.
 */
TEST_F_TIMEOUT(rm, reload_moves_between_local_and_remote, RM_TIMEOUT_S)
{
	struct dp *dp = &self->dp;
	struct batch b = { 0 };
	const char *paths[3] = { self->nv.uri, self->dm.path, self->nv.uri };
	unsigned int step;

	ASSERT_EQ(0, leapiod_add_vdev(&dp->d, dp->l.mdev.uuid, self->dm.path, 0));
	ASSERT_EQ(0, leapiod_use_config(&dp->d));
	dp_start_leapiod(_metadata, dp);
	dp_open(_metadata, dp);
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 32, 1));
	ASSERT_EQ(0, nvmet_host_ctrls(self->nv.nqn));

	for (step = 0; step < 3; step++) {
		bool remote = paths[step] == self->nv.uri;

		batch_prep(_metadata, dp, &b, 1, 300 + 40 * step);
		ASSERT_EQ(0, dm_delay_hold(&self->dm, false, true));
		batch_submit(_metadata, dp, &b);
		collect_n(_metadata, dp, &b, DPB_CMDS / 2);
		held_is(_metadata, &self->dm, 0, DPB_CMDS / 2);
		ASSERT_EQ(0, truncate(dp->d.log, 0));
		snprintf(dp->d.path[0], sizeof(dp->d.path[0]), "%s", paths[step]);
		ASSERT_EQ(0, leapiod_reload(&dp->d));
		ASSERT_EQ(0, leapiod_log_wait(&dp->d, "SIGHUP: 1 change", NIO_TIMEOUT_MS));
		ASSERT_EQ(0, dm_delay_release(&self->dm));
		ASSERT_EQ(0, leapiod_log_wait(&dp->d, "backend changed", NIO_TIMEOUT_MS));
		if (!leapiod_log_has(&dp->d, remote ? "backend changed: nvmf" :
							"backend changed: block"))
			leapiod_dump_log(&dp->d, stderr);
		ASSERT_TRUE(leapiod_log_has(&dp->d, remote ? "backend changed: nvmf" :
							     "backend changed: block"));
		collect_rest(_metadata, dp, &b);
		ASSERT_EQ(remote ? 1 : 0, nvmet_host_ctrls(self->nv.nqn));
		ASSERT_EQ(0, dp->l.nvd.nr_stash);
	}
}

/* ---- refusals ---- */

/* leapiod started on path exits 1 saying words; no connection stays. */
static void refused(struct __test_metadata *_metadata, FIXTURE_DATA(rm) *self,
		    const char *path, const char *words)
{
	struct dp *dp = &self->dp;
	int err, code;

	leapiod_fini(&dp->d);
	leapiod_init(&dp->d);
	ASSERT_EQ(0, leapiod_add_vdev(&dp->d, dp->l.mdev.uuid, path, 0));
	err = leapiod_start(&dp->d);
	ASSERT_TRUE(err == -ECHILD || err == 0);
	code = leapiod_exit_code(&dp->d);
	if (code != 1 || !leapiod_log_has(&dp->d, words)) {
		TH_LOG("%s: want exit 1 saying \"%s\"", path, words);
		leapiod_dump_log(&dp->d, stderr);
	}
	ASSERT_EQ(1, code);
	ASSERT_TRUE(leapiod_log_has(&dp->d, words));
	ASSERT_EQ(0, nvmet_host_ctrls(self->nv.nqn));
	ASSERT_EQ(0, dp_attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_PID));
}

TEST_F_TIMEOUT(rm, bad_targets_refused, RM_TIMEOUT_S)
{
	char uri[320];

	/* Nobody listens on that port. */
	snprintf(uri, sizeof(uri), "nvme+tcp://%s:4419/%s/1", NVMET_TCP_ADDR,
		 self->nv.nqn);
	refused(_metadata, self, uri, "refused the connection");
	/* The target has no such subsystem. */
	snprintf(uri, sizeof(uri), "nvme+tcp://%s:%s/%s-nobody/1", NVMET_TCP_ADDR,
		 self->nv.trsvcid, self->nv.nqn);
	refused(_metadata, self, uri, "has no subsystem");
	/* The subsystem has no namespace 2. */
	snprintf(uri, sizeof(uri), "nvme+tcp://%s:%s/%s/2", NVMET_TCP_ADDR,
		 self->nv.trsvcid, self->nv.nqn);
	refused(_metadata, self, uri, "the subsystem has no namespace 2");
}

/* Namespaces the vdev cannot use: too small, or blocks too large. */
TEST_F_TIMEOUT(rm, unfit_namespaces_refused, RM_TIMEOUT_S)
{
	struct nvmet_export small = { 0 }, big_blocks = { 0 };
	struct backing bs = { .file = -1, .loop = -1 }, bb = { .file = -1, .loop = -1 };
	char why[256] = "";

	ASSERT_EQ(0, backing_create(&bs, DP_NS_SIZE / 2, 512));
	ASSERT_EQ(0, backing_create(&bb, DP_NS_SIZE, 4096));
	ASSERT_EQ(0, nvmet_export(&small, "tcp", bs.path, why, sizeof(why))) TH_LOG("%s", why);
	ASSERT_EQ(0, nvmet_export(&big_blocks, "tcp", bb.path, why, sizeof(why)))
		TH_LOG("%s", why);
	refused(_metadata, self, small.uri, "is larger than its backend");
	EXPECT_EQ(0, nvmet_host_ctrls(small.nqn));
	refused(_metadata, self, big_blocks.uri, "smaller than the block size");
	EXPECT_EQ(0, nvmet_host_ctrls(big_blocks.nqn));
	nvmet_unexport(&small);
	nvmet_unexport(&big_blocks);
	backing_destroy(&bs);
	backing_destroy(&bb);
}

/* The remote namespace is the loop device itself: it can grow. */
FIXTURE(rsz) {
	struct dp dp;
	struct nvmet_export nv;
	struct backing bk1;	/* namespace 1's, when the remote is 2 */
};

FIXTURE_SETUP(rsz)
{
	char why[256] = "";
	int err;

	self->bk1.file = self->bk1.loop = -1;
	memset(&self->nv, 0, sizeof(self->nv));
	dp_create(_metadata, &self->dp, DP_NS_SIZE, DP_NS_SIZE, 0);
	err = nvmet_net_up("tcp", why, sizeof(why));
	if (!err)
		err = nvmet_export(&self->nv, "tcp", self->dp.bk.path, why,
				   sizeof(why));
	if (err)
		TH_LOG("nvmet: %s", why);
	ASSERT_EQ(0, err);
}

FIXTURE_TEARDOWN(rsz)
{
	dp_teardown(_metadata, &self->dp);
	if (self->nv.made)
		EXPECT_EQ(0, nvmet_host_ctrls(self->nv.nqn));
	nvmet_unexport(&self->nv);
	backing_destroy(&self->bk1);
}

TEST_F_TIMEOUT(rsz, remote_namespace_grows_and_the_guest_is_told, RM_TIMEOUT_S)
{
	struct dp *dp = &self->dp;
	const uint64_t old_lbas = DP_NS_SIZE / 512;
	struct nvme_cqe cqe;
	uint64_t iova;
	int cid, err;

	ASSERT_EQ(0, leapiod_add_vdev(&dp->d, dp->l.mdev.uuid, self->nv.uri, 0));
	dp_start_leapiod(_metadata, dp);
	dp_open(_metadata, dp);
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 32, 1));
	ASSERT_EQ(old_lbas, dp->io.nsze);
	cid = dp_ns_notice_arm(_metadata, dp);
	dp_write_seed(_metadata, dp, 1, old_lbas - 1, 1, 5100);
	ASSERT_NE(NULL, gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova));
	ASSERT_EQ(NVME_SC_LBA_RANGE, dp_rw(_metadata, dp, 1, nvme_cmd_write,
					   old_lbas, 1, iova, 0));
	ASSERT_EQ(-ETIMEDOUT, nvd_wait_cid(&dp->l.nvd, 0, cid, &cqe, 0));

	/* The remote disk doubles; the target tells its hosts. */
	ASSERT_EQ(0, backing_grow(&dp->bk, 2 * DP_NS_SIZE));
	ASSERT_EQ(0, nvmet_revalidate(&self->nv));
	/* The initiator rescans, leapiod looks once a second. */
	err = nvd_wait_cid(&dp->l.nvd, 0, cid, &cqe, 30000);
	if (err) {
		char cmd[160];

		leapiod_dump_log(&dp->d, stderr);
		/* What the kernel has, and what leapiod holds open. */
		snprintf(cmd, sizeof(cmd),
			 "grep -H . /sys/block/nvme*/size; ls -l /proc/%d/fd | grep -e nvme -e ng",
			 (int)dp->d.pid);
		if (system(cmd) < 0)
			TH_LOG("system(): %s", strerror(errno));
	}
	ASSERT_EQ(0, err) TH_LOG("no Namespace Attribute Changed notice in 30 s");
	ASSERT_TRUE(leapiod_log_has(&dp->d, "the namespace grows with it"));
	/* What the guest's driver reads then: the list, the new size. */
	dp_ns_notice_is(_metadata, dp, &cqe, 1, 2 * DP_NS_SIZE);

	/* The new blocks are served, their data on the remote disk. */
	dp->io.nsze = 2 * old_lbas;
	dp_write_seed(_metadata, dp, 1, 2 * old_lbas - 8, 8, 5101);
	dp_read_seed(_metadata, dp, 1, 2 * old_lbas - 8, 8, 5101);
	dp_backing_seed(_metadata, dp, 0, 2 * old_lbas - 8, 8, 5101);
	dp_read_seed(_metadata, dp, 1, old_lbas - 1, 1, 5100);
}

/* A one-block write to namespace 2 at slba: its status. */
static uint16_t ns2_write(struct __test_metadata *_metadata, struct dp *dp,
			  uint64_t slba)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint64_t iova = 0;

	{ ASSERT_NE(NULL, gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova)); }
	nb_rw(&sqe, nvme_cmd_write, 2, slba, 1, iova, 0);
	{ ASSERT_EQ(0, nio_cmd(&dp->io, 1, &sqe, &cqe)); }
	return nvd_status_code(&cqe);
}

/*
 * Namespace 2 served from the remote disk (the vdev's "namespaces"),
 * namespace 1 from a local one: the remote disk grows, and namespace 2,
 * which held all of it, grows with it (NS_GROW naming NSID 2, region
 * minor 8); the guest is told of namespace 2 alone, namespace 1 stays.
 */
TEST_F_TIMEOUT(rsz, remote_namespace_2_grows_and_the_guest_is_told, RM_TIMEOUT_S)
{
	struct dp *dp = &self->dp;
	const uint64_t old_lbas = DP_NS_SIZE / 512;
	char attr[32];
	struct nvme_cqe cqe;
	int cid, err;

	err = backing_create(&self->bk1, DP_NS_SIZE, 512);
	ASSERT_EQ(0, err) TH_LOG("namespace 1's backing store: %s", strerror(-err));
	snprintf(attr, sizeof(attr), LEAPIO_SYSFS_NSN_SIZE_FMT, 2);
	ASSERT_EQ(0, mdev_attr_write_u64(&dp->l.mdev, attr, DP_NS_SIZE));
	ASSERT_EQ(0, leapiod_add_vdev(&dp->d, dp->l.mdev.uuid, self->bk1.path, 0));
	ASSERT_EQ(0, leapiod_add_ns(&dp->d, dp->l.mdev.uuid, 2, self->nv.uri, 0));
	dp_start_leapiod(_metadata, dp);
	dp_open(_metadata, dp);
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 32, 1));
	cid = dp_ns_notice_arm(_metadata, dp);
	ASSERT_EQ(NVME_SC_LBA_RANGE, ns2_write(_metadata, dp, old_lbas));

	ASSERT_EQ(0, backing_grow(&dp->bk, 2 * DP_NS_SIZE));
	ASSERT_EQ(0, nvmet_revalidate(&self->nv));
	err = nvd_wait_cid(&dp->l.nvd, 0, cid, &cqe, 30000);
	if (err)
		leapiod_dump_log(&dp->d, stderr);
	ASSERT_EQ(0, err) TH_LOG("no Namespace Attribute Changed notice in 30 s");
	ASSERT_TRUE(leapiod_log_has(&dp->d, "namespace 2's backend grew"));
	dp_ns_notice_is(_metadata, dp, &cqe, 2, 2 * DP_NS_SIZE);
	EXPECT_EQ(DP_NS_SIZE, dp_attr(_metadata, dp, LEAPIO_SYSFS_NS_SIZE));
	/* Its new blocks are served. */
	EXPECT_EQ(NVME_SC_SUCCESS, ns2_write(_metadata, dp, 2 * old_lbas - 1));
}

TEST_HARNESS_MAIN
