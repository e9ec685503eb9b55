/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A directory for a vdev's pool (leapiod's "pool") in the test VM: an
 * ext4 file system on a backing store (lib/backing.h), mounted on a
 * fresh directory under /tmp. Not a directory of L1's tmpfs: leapiod
 * opens the pool's files with O_DIRECT, which tmpfs refuses before Linux
 * 6.6. The test reads the files it makes there.
 */
#ifndef LEAPIO_KSFT_POOL_FS_H
#define LEAPIO_KSFT_POOL_FS_H

#include <stdint.h>

#include "backing.h"

struct pool_fs {
	struct backing	bk;
	char		dir[64];	/* mounted here; empty: not */
};

/* An empty file system of size bytes: 0 or -errno. */
int pool_fs_create(struct pool_fs *p, uint64_t size);
void pool_fs_destroy(struct pool_fs *p);

#endif /* LEAPIO_KSFT_POOL_FS_H */
