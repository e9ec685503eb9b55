// SPDX-License-Identifier: GPL-2.0
/*
 * leapiod as the shipped unit runs it (dist/systemd/leapiod.service), in
 * the L1 booted with systemd as init (tests/vm/l1-systemd.sh runs this
 * file there, and only there: run.sh leaves test_unit_* out elsewhere).
 * The VFIO client is the guest; the unit's leapiod serves its mdev,
 * given the mdev the operator's way: a leapio/backend note and
 * `leapioctl vdev adopt`. Then kill -9 with a batch of reads and writes
 * in flight, each held at a device-mapper delay device under leapiod and
 * counted there (lib/dm_delay.h): systemd starts leapiod again
 * (Restart=on-failure), its ExecStartPost adopts the mdev again from the
 * note, the new leapiod redoes the journalled commands (the backend then
 * holds both copies), and once the backend lets them go every command
 * completes exactly once, with its data, and I/O goes on.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lio_dp.h"

#define UNIT_QSIZE	32
#define UNIT_CMDS	24	/* in flight on one queue, < UNIT_QSIZE */
#define UNIT_PAGES	8
#define DPB_CMDS	UNIT_CMDS
#define DPB_PAGES	UNIT_PAGES
#include "lio_dp_batch.h"
#include "lctl_run.h"
#include "../../common/leapio/mdev_attrs.h"

#define UNIT		"leapiod.service"
#define UNIT_SOCKET	"/run/leapiod.sock"
/* The restart: RestartSec, an exec under TCG, the adoption after READY. */
#define UNIT_RESTART_MS	120000

/* A property of the unit as `systemctl show` gives it, as a number; -1. */
static long long unit_prop(const char *name)
{
	char cmd[128], buf[64] = "";
	long long v = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "systemctl show -P %s " UNIT, name);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (fgets(buf, sizeof(buf), p) && sscanf(buf, "%lld", &v) != 1)
		v = -1;
	pclose(p);
	return v;
}

/* Until the mdev's runtime is someone other than old (and not none). */
static pid_t new_runtime(const char *uuid, pid_t old, int timeout_ms)
{
	int64_t deadline = mono_ms() + timeout_ms;
	unsigned long long v;

	for (;;) {
		if (!mdev_uuid_attr_u64(uuid, LEAPIO_SYSFS_RUNTIME_PID, &v) && v &&
		    v != (unsigned long long)old)
			return (pid_t)v;
		if (mono_ms() > deadline)
			return 0;
		usleep(20000);
	}
}

FIXTURE(unit) {
	struct dp dp;
	struct dm_delay dm;
	bool served;
};

FIXTURE_SETUP(unit)
{
	struct dp *dp = &self->dp;
	char out[1024];
	long long pid;
	int err;

	self->dm.ctl = -1;
	pid = unit_prop("MainPID");
	if (pid <= 0)
		TH_LOG(UNIT " is not running (MainPID %lld): this test is l1-systemd.sh's",
		       pid);
	ASSERT_LT(0, pid);
	dp_create(_metadata, dp, DP_NS_SIZE, DP_NS_SIZE, 0);
	err = dm_delay_create(&self->dm, dp->bk.path);
	if (err)
		TH_LOG("dm-delay device over %s: %s", dp->bk.path, strerror(-err));
	ASSERT_EQ(0, err);
	/* I/O waits for the next leapiod however slow the restart is. */
	ASSERT_EQ(0, mdev_attr_write_u64(&dp->l.mdev, LEAPIO_SYSFS_RUNTIME_GRACE_MS,
					 LEAPIO_RUNTIME_GRACE_MS_MAX));
	ASSERT_EQ(0, mdev_attr_write(&dp->l.mdev, LEAPIO_SYSFS_BACKEND, self->dm.path));
	err = lctl_run(out, sizeof(out), "-s " UNIT_SOCKET " vdev adopt %s",
		       dp->l.mdev.uuid);
	TH_LOG("leapioctl vdev adopt: %s", out);
	ASSERT_EQ(0, err);
	ASSERT_NE(NULL, strstr(out, "added"));
	self->served = true;
	ASSERT_EQ(0, leapiod_wait_runtime_pid(dp->l.mdev.uuid, (pid_t)pid,
					      LEAPIOD_TIMEOUT_MS));
	dp_open(_metadata, dp);
}

FIXTURE_TEARDOWN(unit)
{
	char out[1024];

	if (self->dm.created)
		EXPECT_EQ(0, dm_delay_release(&self->dm));
	dp_close(_metadata, &self->dp);
	if (self->served) {
		EXPECT_EQ(0, lctl_run(out, sizeof(out), "-s " UNIT_SOCKET " vdev remove %s",
				      self->dp.l.mdev.uuid)) TH_LOG("%s", out);
		EXPECT_EQ(0, leapiod_wait_runtime_pid(self->dp.l.mdev.uuid, 0,
						      LEAPIOD_TIMEOUT_MS));
	}
	dp_teardown(_metadata, &self->dp);
	EXPECT_EQ(0, dm_delay_destroy(&self->dm));
}

TEST_F_TIMEOUT(unit, killed_with_io_in_flight_and_restarted_by_systemd, 600)
{
	struct dp *dp = &self->dp;
	struct nvd *n = &dp->l.nvd;
	struct batch b = { 0 };
	long long restarts = unit_prop("NRestarts");
	pid_t pid = (pid_t)unit_prop("MainPID"), pid2;

	ASSERT_LE(0, restarts);
	ASSERT_EQ(0, nvd_create_io_pair(n, 1, UNIT_QSIZE, 1));
	dp_write_seed(_metadata, dp, 1, 0, 8, 5100);
	dp_read_seed(_metadata, dp, 1, 0, 8, 5100);

	batch_prep(_metadata, dp, &b, 1, 5200);
	ASSERT_EQ(0, dm_delay_hold(&self->dm, true, true));
	batch_submit(_metadata, dp, &b);
	held_is(_metadata, &self->dm, UNIT_CMDS / 2, UNIT_CMDS / 2);
	TH_LOG("kill -9 %d (" UNIT "'s leapiod) with %u reads and %u writes held at the backend",
	       pid, UNIT_CMDS / 2, UNIT_CMDS / 2);
	ASSERT_EQ(0, kill(pid, SIGKILL));

	/* systemd starts another; it serves the mdev again from its note. */
	pid2 = new_runtime(dp->l.mdev.uuid, pid, UNIT_RESTART_MS);
	TH_LOG("the mdev's runtime after the restart: %d (unit's MainPID %lld, NRestarts %lld)",
	       pid2, unit_prop("MainPID"), unit_prop("NRestarts"));
	ASSERT_NE(0, pid2);
	ASSERT_EQ(pid2, unit_prop("MainPID"));
	ASSERT_EQ(restarts + 1, unit_prop("NRestarts"));
	/* Its redo reaches the backend beside the dead one's requests. */
	held_is(_metadata, &self->dm, UNIT_CMDS, UNIT_CMDS);
	ASSERT_EQ(0, dm_delay_release(&self->dm));

	batch_collect(_metadata, dp, &b);
	batch_verify(_metadata, dp, &b, 1);
	/* Those round trips were the sync point: no late duplicate. */
	ASSERT_EQ(0, n->nr_stash);
	ASSERT_FALSE(nvd_cqe_ready(n, 1));
	dp_read_seed(_metadata, dp, 1, 0, 8, 5100);
	dp_write_seed(_metadata, dp, 1, 8, 8, 5101);
	dp_read_seed(_metadata, dp, 1, 8, 8, 5101);
}

TEST_HARNESS_MAIN
