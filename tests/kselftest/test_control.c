// SPDX-License-Identifier: GPL-2.0
/*
 * leapiod's control socket driving a live leapiod (Documentation/
 * admin-guide/leapiod.rst, "The control socket"), the VFIO client
 * checking the data:
 *
 * - vdev_set_backend with writes in flight at the old backend (held by
 *   a dm-delay device) to another loop device over the same memory, and
 *   back: every command completes once, with success, its data where it
 *   belongs;
 * - vdev_remove lets the mdev go, vdev_add serves it again;
 * - save_config, then leapiod started from the saved file serves the
 *   same vdev with the same data;
 * - what is refused says why: unknown methods and vdevs, bad backends,
 *   an mdev served already, a second leapiod on a live socket;
 * - vdev_resize grows the namespace under the guest (below), and so does
 *   the mdev's ns_size written while leapiod serves it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define DPB_CMDS	8
#define DPB_PAGES	2
#include "lio_dp.h"
#include "lio_dp_batch.h"
#include "ctl_client.h"

FIXTURE(ctl) {
	struct dp dp;
	struct dm_delay dm;
	struct backing alias;	/* the same blocks by another loop device */
	char reply[8192];
};

FIXTURE_SETUP(ctl)
{
	struct dp *dp = &self->dp;

	self->dm.ctl = -1;
	dp_create(_metadata, dp, DP_NS_SIZE, DP_NS_SIZE, 0);
	self->alias.file = self->alias.loop = -1;
	ASSERT_EQ(0, dm_delay_create(&self->dm, dp->bk.path));
	ASSERT_EQ(0, backing_alias(&dp->bk, &self->alias));
	dp_serve_with_control(_metadata, dp, self->dm.path, 32);
}

FIXTURE_TEARDOWN(ctl)
{
	if (self->dm.created)
		EXPECT_EQ(0, dm_delay_release(&self->dm));
	dp_teardown(_metadata, &self->dp);
	EXPECT_EQ(0, dm_delay_destroy(&self->dm));
	backing_destroy(&self->alias);
	/* leapiod's exit took the socket's file with it. */
	EXPECT_NE(0, access(self->dp.d.control, F_OK));
}

/* Call method; the reply in self->reply. */
static const char *call(struct __test_metadata *_metadata, FIXTURE_DATA(ctl) *self,
			const char *method, const char *params)
{
	int err = ctl_call(self->dp.d.control, method, params, self->reply,
			   sizeof(self->reply));

	if (err) {
		TH_LOG("%s: %s", method, strerror(-err));
	}
	return err ? "" : self->reply;
}

#define HAS(s, words) do {						\
	const char *__s = (s);						\
	if (!strstr(__s, words)) {					\
		TH_LOG("reply \"%s\" lacks \"%s\"", __s, words);	\
	}								\
	ASSERT_NE(NULL, strstr(__s, words));				\
} while (0)

/* {"uuid": <the mdev>, "backend": {"type": type, "path": path}} */
static const char *backend_params(FIXTURE_DATA(ctl) *self, char *buf, size_t len,
				  const char *type, const char *path)
{
	snprintf(buf, len, "{\"uuid\": \"%s\", \"backend\": {\"type\": \"%s\", "
		 "\"path\": \"%s\"}}", self->dp.l.mdev.uuid, type, path);
	return buf;
}

TEST_F_TIMEOUT(ctl, backend_changes_under_io_lose_nothing, 120)
{
	struct dp *dp = &self->dp;
	struct batch b = { 0 };
	char params[512], r[1024];
	int st = -1;
	pid_t pid;

	HAS(call(_metadata, self, "vdev_list", NULL), self->dm.path);

	/* Writes held at the old backend while it is changed. */
	batch_prep(_metadata, dp, &b, 1, 600);
	ASSERT_EQ(0, dm_delay_hold(&self->dm, false, true));
	batch_submit(_metadata, dp, &b);
	held_is(_metadata, &self->dm, 0, DPB_CMDS / 2);
	ASSERT_EQ(0, truncate(dp->d.log, 0));
	/* The reply comes once the change is made: release then. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int err = ctl_call(dp->d.control, "vdev_set_backend",
				   backend_params(self, params, sizeof(params),
						  "block", self->alias.path),
				   r, sizeof(r));

		exit(err ? 2 : strstr(r, "\"result\"") ? 0 : 1);
	}
	ASSERT_EQ(0, leapiod_log_wait(&dp->d, "control: vdev_set_backend: 1 change",
				      NIO_TIMEOUT_MS));
	ASSERT_EQ(0, dm_delay_release(&self->dm));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	ASSERT_EQ(0, WEXITSTATUS(st));
	ASSERT_TRUE(leapiod_log_has(&dp->d, "backend changed: block"));
	batch_collect(_metadata, dp, &b);
	batch_verify(_metadata, dp, &b, 1);
	HAS(call(_metadata, self, "vdev_get", "{\"uuid\": \"" "\"}"), "\"code\":-32602");
	snprintf(params, sizeof(params), "{\"uuid\": \"%s\"}", dp->l.mdev.uuid);
	HAS(call(_metadata, self, "vdev_get", params), self->alias.path);

	/* And back, I/O going on right after. */
	HAS(call(_metadata, self, "vdev_set_backend",
		 backend_params(self, params, sizeof(params), "block", self->dm.path)),
	    "\"result\"");
	memset(&b, 0, sizeof(b));
	batch_prep(_metadata, dp, &b, 1, 700);
	batch_submit(_metadata, dp, &b);
	batch_collect(_metadata, dp, &b);
	batch_verify(_metadata, dp, &b, 1);
	/* Each through the backend that had them. */
	dp_backing_seed(_metadata, dp, 0, batch_lba(dp, &b, 0), DPB_PAGES * bpp(dp), 700);
}

TEST_F_TIMEOUT(ctl, remove_then_add_serves_again, 120)
{
	struct dp *dp = &self->dp;
	uint32_t n = GMEM_PAGE >> dp->io.lba_shift;
	char params[512];

	dp_write_seed(_metadata, dp, 1, 64, n, 801);
	snprintf(params, sizeof(params), "{\"uuid\": \"%s\"}", dp->l.mdev.uuid);
	HAS(call(_metadata, self, "vdev_remove", params), "\"result\":true");
	ASSERT_EQ(0, leapiod_wait_runtime_pid(dp->l.mdev.uuid, 0, NIO_TIMEOUT_MS));
	HAS(call(_metadata, self, "vdev_list", NULL), "\"result\":[]");
	HAS(call(_metadata, self, "vdev_remove", params), "\"code\":-32001");

	HAS(call(_metadata, self, "vdev_add",
		 backend_params(self, params, sizeof(params), "block", self->dm.path)),
	    "\"result\"");
	ASSERT_EQ(0, leapiod_wait_runtime_pid(dp->l.mdev.uuid, dp->d.pid, NIO_TIMEOUT_MS));
	dp_read_seed(_metadata, dp, 1, 64, n, 801);
	dp_write_seed(_metadata, dp, 1, 72, n, 802);
	dp_backing_seed(_metadata, dp, 0, 72, n, 802);
}

TEST_F_TIMEOUT(ctl, saved_configuration_restarts_the_same, 120)
{
	struct dp *dp = &self->dp;
	uint32_t n = GMEM_PAGE >> dp->io.lba_shift;
	char params[256], saved[64];

	dp_write_seed(_metadata, dp, 1, 96, n, 901);
	snprintf(saved, sizeof(saved), "/tmp/leapiod-ksft-%d-saved.json", getpid());
	snprintf(params, sizeof(params), "{\"path\": \"%s\"}", saved);
	HAS(call(_metadata, self, "save_config", params), saved);

	ASSERT_EQ(0, leapiod_stop(&dp->d, SIGTERM));
	ASSERT_NE(0, access(dp->d.control, F_OK));
	/* Started from the saved file alone. */
	snprintf(dp->d.config, sizeof(dp->d.config), "%s", saved);
	dp_start_leapiod(_metadata, dp);
	HAS(call(_metadata, self, "vdev_list", NULL), self->dm.path);
	HAS(self->reply, dp->l.mdev.uuid);
	/* The guest's queues were kept: the same data, more I/O. */
	dp_read_seed(_metadata, dp, 1, 96, n, 901);
	dp_write_seed(_metadata, dp, 1, 104, n, 902);
	dp_backing_seed(_metadata, dp, 0, 104, n, 902);
	unlink(saved);
}

TEST_F_TIMEOUT(ctl, what_is_refused_says_why, 120)
{
	struct dp *dp = &self->dp;
	struct leapiod other;
	char params[512];
	int err;

	HAS(call(_metadata, self, "vdev_frobnicate", NULL), "\"code\":-32601");
	HAS(self->reply, "no method vdev_frobnicate");
	HAS(call(_metadata, self, "vdev_get", "{\"uuid\": \"0b4e6f38-0000-4000-8000-00000000dead\"}"),
	    "\"code\":-32001");
	HAS(call(_metadata, self, "vdev_set_backend",
		 backend_params(self, params, sizeof(params), "block", "/dev/nonexistent")),
	    "\"code\":-32002");
	HAS(self->reply, "/dev/nonexistent");
	HAS(call(_metadata, self, "vdev_add",
		 backend_params(self, params, sizeof(params), "block", self->dm.path)),
	    "running already");
	HAS(call(_metadata, self, "vdev_add", "{\"uuid\": \"x\", \"backend\": {}}"),
	    "\"code\":-32602");
	/* Still served by the backend it had. */
	snprintf(params, sizeof(params), "{\"uuid\": \"%s\"}", dp->l.mdev.uuid);
	HAS(call(_metadata, self, "vdev_get", params), self->dm.path);
	dp_write_seed(_metadata, dp, 1, 0, 8, 1001);
	dp_read_seed(_metadata, dp, 1, 0, 8, 1001);

	/* A second leapiod on the same socket: it exits saying so. */
	leapiod_init(&other);
	snprintf(other.control, sizeof(other.control), "%s", dp->d.control);
	ASSERT_EQ(0, leapiod_add_vdev(&other, "0b4e6f38-0000-4000-8000-00000000beef", "null", 0));
	err = leapiod_start(&other);
	ASSERT_TRUE(err == -ECHILD || err == -ETIMEDOUT) TH_LOG("%d", err);
	ASSERT_EQ(1, leapiod_exit_code(&other));
	ASSERT_TRUE(leapiod_log_has(&other, "a running leapiod answers on it"));
	leapiod_fini(&other);
	/* The first one still answers. */
	HAS(call(_metadata, self, "vdev_list", NULL), dp->l.mdev.uuid);
}

/*
 * vdev_resize: the backend (the loop device itself, grown first as an
 * operator grows a volume) given to the vdev doubles while the guest has
 * I/O queues; the namespace, which was its size, doubles with it: the
 * guest gets Namespace Attribute Changed, the Changed Namespace List
 * names NSID 1, Identify says the new size, a write past the old end
 * works. A smaller size is refused, and nothing changes.
 */
FIXTURE(rsz) {
	struct dp dp;
	char reply[8192];
};

FIXTURE_SETUP(rsz)
{
	dp_create(_metadata, &self->dp, DP_NS_SIZE, DP_NS_SIZE, 0);
	dp_serve_with_control(_metadata, &self->dp, self->dp.bk.path, 32);
}

FIXTURE_TEARDOWN(rsz)
{
	dp_teardown(_metadata, &self->dp);
}

TEST_F_TIMEOUT(rsz, vdev_resize_grows_the_namespace_under_the_guest, 120)
{
	struct dp *dp = &self->dp;
	const uint64_t old_lbas = DP_NS_SIZE / 512;
	struct nvme_cqe cqe;
	char params[256];
	int cid;

	ASSERT_EQ(old_lbas, dp->io.nsze);
	cid = dp_ns_notice_arm(_metadata, dp);
	dp_write_seed(_metadata, dp, 1, old_lbas - 8, 8, 5200);

	/* Not below what it has: refused, no event. */
	snprintf(params, sizeof(params), "{\"uuid\": \"%s\", \"size\": %llu}",
		 dp->l.mdev.uuid, (unsigned long long)DP_NS_SIZE / 2);
	ASSERT_EQ(0, ctl_call(dp->d.control, "vdev_resize", params, self->reply,
			      sizeof(self->reply)));
	ASSERT_NE(NULL, strstr(self->reply, "not shrunk")) TH_LOG("%s", self->reply);
	ASSERT_EQ(-ETIMEDOUT, nvd_wait_cid(&dp->l.nvd, 0, cid, &cqe, 0));

	ASSERT_EQ(0, backing_grow(&dp->bk, 2 * DP_NS_SIZE));
	snprintf(params, sizeof(params), "{\"uuid\": \"%s\", \"size\": %llu}",
		 dp->l.mdev.uuid, (unsigned long long)2 * DP_NS_SIZE);
	ASSERT_EQ(0, ctl_call(dp->d.control, "vdev_resize", params, self->reply,
			      sizeof(self->reply)));
	ASSERT_EQ(NULL, strstr(self->reply, "\"error\"")) TH_LOG("%s", self->reply);
	ASSERT_EQ(0, nvd_wait_cid(&dp->l.nvd, 0, cid, &cqe, 30000))
		TH_LOG("no Namespace Attribute Changed notice in 30 s");
	dp_ns_notice_is(_metadata, dp, &cqe, 1, 2 * DP_NS_SIZE);
	/* The namespace's new half takes data; the old end kept its own. */
	dp->io.nsze = 2 * old_lbas;
	dp_write_seed(_metadata, dp, 1, old_lbas, 8, 5201);
	dp_read_seed(_metadata, dp, 1, old_lbas, 8, 5201);
	dp_read_seed(_metadata, dp, 1, old_lbas - 8, 8, 5200);
}

/*
 * The operator writes a larger ns_size while leapiod serves the vdev and
 * the guest has I/O queues: the namespace (half its backend) grows up to
 * what leapiod says the backend holds, with the same notice to the guest
 * as a backend that grew. What cannot be done is refused with the errno
 * the ABI names, and changes nothing: smaller (EBUSY), past the backend
 * (ENOSPC), past the ABI's bound (ERANGE), not whole blocks (EINVAL),
 * another LBA size (EBUSY).
 */
FIXTURE(nsw) {
	struct dp dp;
};

FIXTURE_SETUP(nsw)
{
	dp_create(_metadata, &self->dp, DP_NS_SIZE, 2 * DP_NS_SIZE, 0);
	dp_serve_with_control(_metadata, &self->dp, self->dp.bk.path, 32);
}

FIXTURE_TEARDOWN(nsw)
{
	dp_teardown(_metadata, &self->dp);
}

TEST_F_TIMEOUT(nsw, ns_size_written_grows_the_namespace_under_the_guest, 120)
{
	struct dp *dp = &self->dp;
	struct lio_mdev *m = &dp->l.mdev;
	const uint64_t old_lbas = DP_NS_SIZE / 512;
	const struct {
		uint64_t size;
		int err;
	} bad[] = {
		{ DP_NS_SIZE / 2, -EBUSY },
		{ 2 * DP_NS_SIZE + 512, -ENOSPC },
		{ 4 * DP_NS_SIZE, -ENOSPC },
		{ LEAPIO_NS_SIZE_MAX + 4096, -ERANGE },
		{ DP_NS_SIZE + 100, -EINVAL },
	};
	struct nvme_cqe cqe;
	unsigned int i;
	uint64_t iova;
	void *buf;
	int cid;

	ASSERT_EQ(old_lbas, dp->io.nsze);
	cid = dp_ns_notice_arm(_metadata, dp);
	dp_write_seed(_metadata, dp, 1, old_lbas - 8, 8, 5300);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(bad[i].err, mdev_attr_write_u64(m, LEAPIO_SYSFS_NS_SIZE,
							  bad[i].size))
			TH_LOG("ns_size %llu", (unsigned long long)bad[i].size);
		ASSERT_EQ(DP_NS_SIZE, dp_attr(_metadata, dp, LEAPIO_SYSFS_NS_SIZE));
	}
	EXPECT_EQ(-EBUSY, mdev_attr_write(m, LEAPIO_SYSFS_LBA_SIZE, "4096"));
	/* The size it has: nothing to do, no notice. */
	ASSERT_EQ(0, mdev_attr_write_u64(m, LEAPIO_SYSFS_NS_SIZE, DP_NS_SIZE));
	ASSERT_EQ(-ETIMEDOUT, nvd_wait_cid(&dp->l.nvd, 0, cid, &cqe, 0));
	/* The block past its end is still out of range. */
	buf = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, nio_rw(&dp->io, 1, nvme_cmd_read, old_lbas, 1, iova, 0, &cqe));
	ASSERT_EQ(NVME_SC_LBA_RANGE, nvd_status_code(&cqe));

	/* All the backend: the guest is told, and the new end takes data. */
	ASSERT_EQ(0, mdev_attr_write_u64(m, LEAPIO_SYSFS_NS_SIZE, 2 * DP_NS_SIZE));
	ASSERT_EQ(0, nvd_wait_cid(&dp->l.nvd, 0, cid, &cqe, 30000))
		TH_LOG("no Namespace Attribute Changed notice in 30 s");
	dp_ns_notice_is(_metadata, dp, &cqe, 1, 2 * DP_NS_SIZE);
	dp->io.nsze = 2 * old_lbas;
	dp_write_seed(_metadata, dp, 1, 2 * old_lbas - 8, 8, 5301);
	dp_read_seed(_metadata, dp, 1, 2 * old_lbas - 8, 8, 5301);
	dp_read_seed(_metadata, dp, 1, old_lbas - 8, 8, 5300);
	EXPECT_TRUE(leapiod_alive(&dp->d));
}

TEST_HARNESS_MAIN
