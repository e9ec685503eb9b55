// SPDX-License-Identifier: GPL-2.0
/*
 * leapioctl as an operator runs it (Documentation/admin-guide/
 * leapioctl.rst), on the real sysfs of leapio_host.ko and against a live
 * leapiod:
 *
 * - mdev create with attributes in order (sizes like 16M), seen in sysfs
 *   and in mdev list; an attribute the driver refuses removes the mdev
 *   again; mdev remove;
 * - the vdev commands drive leapiod: list, set-backend to a second loop
 *   device over the same memory, remove, add, each seen by the driver
 *   (runtime_pid) and by the data the VFIO client reads back;
 * - stats counts what the VFIO client did: commands, bytes and errors by
 *   class, a latency for those the backend served, the poller's total.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lio_dp.h"
#include "lctl_run.h"

/* leapioctl with args; its output (stdout and stderr) in out. */
#define lctl lctl_run

/* The leapio mdevs sysfs has now. */
static int nr_mdevs(void)
{
	char out[8192], *s = out;
	int n = 0;

	if (lctl(out, sizeof(out), "-o json mdev list"))
		return -1;
	while ((s = strstr(s, "\"uuid\""))) {
		n++;
		s++;
	}
	return n;
}

TEST(mdev_commands_manage_the_kernel_side)
{
	struct lio_mdev m = { 0 };
	char out[4096], val[64];
	int before = nr_mdevs(), st;

	ASSERT_LE(0, before);
	st = lctl(out, sizeof(out), "mdev types");
	ASSERT_EQ(0, st) TH_LOG("%s", out);
	ASSERT_NE(NULL, strstr(out, "leapio-1q"));

	st = lctl(out, sizeof(out), "mdev create leapio-1q lba_size=4096 ns_size=16M");
	ASSERT_EQ(0, st) TH_LOG("%s", out);
	out[strcspn(out, "\n")] = '\0';
	ASSERT_EQ(MDEV_UUID_LEN, strlen(out)) TH_LOG("%s", out);
	strcpy(m.uuid, out);
	ASSERT_EQ(0, mdev_attr_read(&m, "lba_size", val, sizeof(val)));
	ASSERT_STREQ("4096", val);
	ASSERT_EQ(0, mdev_attr_read(&m, "ns_size", val, sizeof(val)));
	ASSERT_STREQ("16777216", val);
	ASSERT_EQ(before + 1, nr_mdevs());
	st = lctl(out, sizeof(out), "mdev list");
	ASSERT_EQ(0, st);
	ASSERT_NE(NULL, strstr(out, m.uuid));
	ASSERT_EQ(0, lctl(out, sizeof(out), "-o json mdev list"));
	ASSERT_NE(NULL, strstr(out, "\"ns_size\": 16777216"));
	ASSERT_EQ(0, lctl(out, sizeof(out), "mdev remove %s", m.uuid)) TH_LOG("%s", out);
	ASSERT_EQ(before, nr_mdevs());

	/* 16 MiB + 512 is no multiple of 4096: the driver says no. */
	st = lctl(out, sizeof(out), "mdev create leapio-1q lba_size=4096 ns_size=16777728");
	ASSERT_EQ(1, st) TH_LOG("%s", out);
	ASSERT_NE(NULL, strstr(out, "ns_size=16777728: Invalid argument"));
	ASSERT_NE(NULL, strstr(out, "removed again"));
	ASSERT_EQ(before, nr_mdevs());
	ASSERT_EQ(1, lctl(out, sizeof(out), "mdev create leapio-99q"));
	ASSERT_NE(NULL, strstr(out, "no such type"));
	ASSERT_EQ(1, lctl(out, sizeof(out), "mdev remove %s", m.uuid));
	ASSERT_NE(NULL, strstr(out, "no such mdev"));
}

FIXTURE(lv) {
	struct dp dp;
	struct backing alias;
	char out[4096];
};

FIXTURE_SETUP(lv)
{
	struct dp *dp = &self->dp;

	self->alias.file = self->alias.loop = -1;
	dp_create(_metadata, dp, DP_NS_SIZE, DP_NS_SIZE, 0);
	ASSERT_EQ(0, backing_alias(&dp->bk, &self->alias));
	dp_serve_with_control(_metadata, dp, dp->bk.path, 16);
}

FIXTURE_TEARDOWN(lv)
{
	dp_teardown(_metadata, &self->dp);
	backing_destroy(&self->alias);
}

TEST_F_TIMEOUT(lv, vdev_commands_drive_leapiod, 120)
{
	struct dp *dp = &self->dp;
	uint32_t n = GMEM_PAGE >> dp->io.lba_shift;
	const char *s = dp->d.control, *u = dp->l.mdev.uuid;

	ASSERT_EQ(0, lctl(self->out, sizeof(self->out), "-s %s vdev list", s));
	ASSERT_NE(NULL, strstr(self->out, u));
	ASSERT_NE(NULL, strstr(self->out, dp->bk.path));
	dp_write_seed(_metadata, dp, 1, 8, n, 1101);

	ASSERT_EQ(0, lctl(self->out, sizeof(self->out), "-s %s vdev set-backend %s=%s", s, u,
			  self->alias.path)) TH_LOG("%s", self->out);
	ASSERT_EQ(0, lctl(self->out, sizeof(self->out), "-s %s -o json vdev get %s", s, u));
	ASSERT_NE(NULL, strstr(self->out, self->alias.path));
	dp_read_seed(_metadata, dp, 1, 8, n, 1101);

	ASSERT_EQ(0, lctl(self->out, sizeof(self->out), "-s %s vdev remove %s", s, u));
	ASSERT_EQ(0, leapiod_wait_runtime_pid(u, 0, NIO_TIMEOUT_MS));
	ASSERT_EQ(1, lctl(self->out, sizeof(self->out), "-s %s vdev get %s", s, u));
	ASSERT_NE(NULL, strstr(self->out, "no vdev"));
	ASSERT_EQ(0, lctl(self->out, sizeof(self->out), "-s %s vdev add %s=%s", s, u,
			  dp->bk.path)) TH_LOG("%s", self->out);
	ASSERT_EQ(0, leapiod_wait_runtime_pid(u, dp->d.pid, NIO_TIMEOUT_MS));
	dp_read_seed(_metadata, dp, 1, 8, n, 1101);
	dp_write_seed(_metadata, dp, 1, 16, n, 1102);
	dp_backing_seed(_metadata, dp, 0, 16, n, 1102);

	/* What an operator gets wrong is said, with its exit status. */
	ASSERT_EQ(1, lctl(self->out, sizeof(self->out), "-s %s vdev add %s=%s", s, u,
			  dp->bk.path));
	ASSERT_NE(NULL, strstr(self->out, "running already"));
	ASSERT_EQ(3, lctl(self->out, sizeof(self->out), "-s %s.none vdev list", s));
}

/*
 * A number of leapioctl -o json's output: key's value in the object that
 * follows "cls" (the first key of that name after it), or -1.
 */
static long long figure(const char *out, const char *cls, const char *key)
{
	char k[64];
	const char *s;

	snprintf(k, sizeof(k), "\"%s\"", cls);
	s = strstr(out, k);
	if (!s)
		return -1;
	snprintf(k, sizeof(k), "\"%s\": ", key);
	s = strstr(s, k);
	return s ? strtoll(s + strlen(k), NULL, 10) : -1;
}

TEST_F_TIMEOUT(lv, stats_count_what_the_guest_did, 120)
{
	struct dp *dp = &self->dp;
	uint32_t n = GMEM_PAGE >> dp->io.lba_shift, i;
	const char *s = dp->d.control, *u = dp->l.mdev.uuid;
	long long w0, r0, re0, p0;
	uint64_t iova = 0;

	ASSERT_EQ(0, lctl(self->out, sizeof(self->out), "-s %s -o json stats %s", s, u))
		TH_LOG("%s", self->out);
	w0 = figure(self->out, "write", "cmds");
	r0 = figure(self->out, "read", "cmds");
	re0 = figure(self->out, "read", "errors");
	ASSERT_LE(0, w0);
	ASSERT_LE(0, r0);
	ASSERT_LE(0, re0);
	ASSERT_EQ(0, lctl(self->out, sizeof(self->out), "-s %s -o json stats --pollers", s));
	p0 = figure(self->out, "pollers", "cmds");
	ASSERT_LE(0, p0);

	for (i = 0; i < 8; i++)
		dp_write_seed(_metadata, dp, 1, i * n, n, 1300 + i);
	for (i = 0; i < 5; i++)
		dp_read_seed(_metadata, dp, 1, i * n, n, 1300 + i);
	/* Past the end: failed by leapiod's checks, counted as an error. */
	ASSERT_NE(NULL, gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova));
	ASSERT_EQ(NVME_SC_LBA_RANGE, dp_rw(_metadata, dp, 1, nvme_cmd_read,
					   DP_NS_SIZE >> dp->io.lba_shift, n, iova, 0));

	ASSERT_EQ(0, lctl(self->out, sizeof(self->out), "-s %s -o json stats %s", s, u));
	EXPECT_EQ(w0 + 8, figure(self->out, "write", "cmds")) TH_LOG("%s", self->out);
	EXPECT_EQ(r0 + 6, figure(self->out, "read", "cmds"));
	EXPECT_EQ(re0 + 1, figure(self->out, "read", "errors"));
	EXPECT_EQ((w0 + 8) * GMEM_PAGE, figure(self->out, "write", "bytes"));
	EXPECT_EQ(0, figure(self->out, "write", "errors"));
	/* Fetched in one pass, reaped from the backend in a later one. */
	EXPECT_LT(0, figure(self->out, "write", "mean"));
	EXPECT_LT(0, figure(self->out, "write", "p99"));
	ASSERT_EQ(0, lctl(self->out, sizeof(self->out), "-s %s -o json stats --pollers", s));
	EXPECT_EQ(p0 + 14, figure(self->out, "pollers", "cmds"));
	/* The table a person reads: a row per class. */
	ASSERT_EQ(0, lctl(self->out, sizeof(self->out), "-s %s stats %s", s, u));
	EXPECT_NE(NULL, strstr(self->out, "P99.9"));
	EXPECT_NE(NULL, strstr(self->out, "  write  ")) TH_LOG("%s", self->out);
	ASSERT_EQ(1, lctl(self->out, sizeof(self->out), "-s %s stats %s", s,
			  "6f1a0c8e-0000-4000-8000-00000000dead"));
	EXPECT_NE(NULL, strstr(self->out, "no vdev"));
}

TEST_HARNESS_MAIN
