// SPDX-License-Identifier: GPL-2.0
/*
 * The walk-through's reboot (Documentation/admin-guide/walk-through.rst,
 * step 7), the guest's part: run by tests/vm/l1-reboot.sh in both boots
 * of one host (only there: run.sh leaves test_unit_* out elsewhere). The
 * mdevs are mdevctl's (LEAPIO_REBOOT_UUIDS, space-separated), served by
 * leapiod.service from one disk, /dev/vda, that outlives the VM.
 * LEAPIO_REBOOT_PHASE=write, before the reboot: the VFIO client writes
 * its patterns at both ends of each namespace and reads them back;
 * =read, after it: nothing was done by hand since the boot, and the
 * patterns read back through the same controllers.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lio_dp.h"

#define RB_MAX		4
#define RB_NLB		8	/* blocks of each pattern */

/* The patterns of mdev i: at the namespace's first and last blocks. */
static uint32_t seed_of(unsigned int i, unsigned int end)
{
	return 7000 + 10 * i + end;
}

FIXTURE(reboot) {
	struct dp dp[RB_MAX];
	unsigned int nr;
	bool write;
};

FIXTURE_SETUP(reboot)
{
	const char *phase = getenv("LEAPIO_REBOOT_PHASE");
	char uuids[RB_MAX * (MDEV_UUID_LEN + 1) + 1], *tok, *save = NULL;
	const char *env = getenv("LEAPIO_REBOOT_UUIDS");
	unsigned int i;

	if (!phase || !env || (strcmp(phase, "write") && strcmp(phase, "read")))
		TH_LOG("LEAPIO_REBOOT_PHASE (write or read) and LEAPIO_REBOOT_UUIDS: "
		       "this test is l1-reboot.sh's");
	ASSERT_NE(NULL, phase);
	ASSERT_NE(NULL, env);
	self->write = !strcmp(phase, "write");
	snprintf(uuids, sizeof(uuids), "%s", env);
	for (tok = strtok_r(uuids, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		struct dp *dp = &self->dp[self->nr];
		unsigned long long pid = 0;

		ASSERT_GT(RB_MAX, self->nr);
		memset(dp, 0, sizeof(*dp));
		leapiod_init(&dp->d);
		lio_init(&dp->l);
		dp->bk.file = dp->bk.loop = -1;
		ASSERT_EQ(0, mdev_use(&dp->l.mdev, tok)) TH_LOG("mdev %s", tok);
		/* Served, by someone else's leapiod (the unit's). */
		ASSERT_EQ(0, mdev_attr_read_u64(&dp->l.mdev, LEAPIO_SYSFS_RUNTIME_PID, &pid));
		TH_LOG("mdev %s (%s): runtime_pid %llu", tok, dp->l.mdev.type, pid);
		ASSERT_NE(0, pid);
		self->nr++;
	}
	ASSERT_LT(0, self->nr);
	for (i = 0; i < self->nr; i++) {
		dp_open(_metadata, &self->dp[i]);
		ASSERT_EQ(0, nvd_create_io_pair(&self->dp[i].l.nvd, 1, 16, 1));
	}
}

FIXTURE_TEARDOWN(reboot)
{
	unsigned int i;

	for (i = 0; i < self->nr; i++) {
		dp_close(_metadata, &self->dp[i]);
		leapiod_fini(&self->dp[i].d);
	}
}

TEST_F_TIMEOUT(reboot, patterns_outlive_the_host, 300)
{
	unsigned int i;

	for (i = 0; i < self->nr; i++) {
		struct dp *dp = &self->dp[i];
		uint64_t last = dp->io.nsze - RB_NLB;

		TH_LOG("%s %s: blocks 0 and %llu", self->write ? "write" : "read",
		       dp->l.mdev.uuid, (unsigned long long)last);
		if (self->write) {
			dp_write_seed(_metadata, dp, 1, 0, RB_NLB, seed_of(i, 0));
			dp_write_seed(_metadata, dp, 1, last, RB_NLB, seed_of(i, 1));
		}
		dp_read_seed(_metadata, dp, 1, 0, RB_NLB, seed_of(i, 0));
		dp_read_seed(_metadata, dp, 1, last, RB_NLB, seed_of(i, 1));
	}
}

TEST_HARNESS_MAIN
