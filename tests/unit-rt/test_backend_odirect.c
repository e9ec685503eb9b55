// SPDX-License-Identifier: GPL-2.0
/*
 * A backing file whose file system has no O_DIRECT (tmpfs before 6.6):
 * leapiod refuses the vdev, and the reason names the fix. procfs has no
 * O_DIRECT on any kernel, and /proc/self/comm is a regular file its owner
 * may open for writing, so it stands in for such a file.
 */
#include <errno.h>
#include <string.h>

#include "../lib/lio_harness.h"
#include "../../runtime/backend/backend.h"

TEST(file_without_o_direct_names_the_fix)
{
	struct lio_bdev_cfg cfg = { .type = LIO_BDEV_FILE };
	struct lio_ring *ring = NULL;
	struct lio_bdev *b = NULL;
	char err[512] = "";
	int ret;

	snprintf(cfg.path, sizeof(cfg.path), "/proc/self/comm");
	ASSERT_EQ(0, lio_ring_create(&ring, 8, false));
	ret = lio_bdev_open(&cfg, ring, &b, err, sizeof(err));
	lio_ring_destroy(ring);
	ASSERT_EQ(-EINVAL, ret) TH_LOG("%s", err);
	ASSERT_EQ(NULL, b);
	ASSERT_NE(NULL, strstr(err, "does not support O_DIRECT")) TH_LOG("%s", err);
	ASSERT_NE(NULL, strstr(err, "losetup --find --show /proc/self/comm"))
		TH_LOG("%s", err);
	ASSERT_NE(NULL, strstr(err, "type block")) TH_LOG("%s", err);
}

TEST_HARNESS_MAIN
