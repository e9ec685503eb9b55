/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A device-mapper "delay" device over another block device, for the
 * fault tests: it passes I/O straight through until told to hold it, and
 * then keeps every read and/or write that reaches it until told to let
 * them go. What it holds is counted by the kernel (the delay target's
 * status line), so a test knows how many backend requests are
 * outstanding at the moment it injects a fault, without guessing from
 * time.
 *
 * Held means "delayed by DM_DELAY_HOLD_MS": a release (a table swap,
 * whose suspend makes the target submit everything it holds and waits
 * for it to complete) always comes first in a test. The bound is there
 * for a test that dies holding I/O: its requests go by themselves then,
 * well before io_uring's 60 s warning about a dead ring still waiting.
 *
 * Made with the device-mapper ioctls (no dmsetup inside the VM); its node
 * is devtmpfs's /dev/dm-<minor>. The dm-delay module is loaded with
 * modprobe when the kernel does not have it yet. The device is named
 * leapio-ksft-<pid>-<n>.
 */
#ifndef LEAPIO_KSFT_DM_DELAY_H
#define LEAPIO_KSFT_DM_DELAY_H

#include <stdbool.h>
#include <stdint.h>

#define DM_DELAY_HOLD_MS	45000

struct dm_delay {
	int		ctl;		/* /dev/mapper/control, -1: none */
	char		name[64];
	char		path[32];	/* "/dev/dm-N" */
	char		under[24];	/* "major:minor" of the device below */
	uint64_t	sectors;
	bool		created;
};

/*
 * A pass-through delay device over the block device at under_path.
 * 0 or -errno: -ENODEV without device-mapper or dm-delay.
 */
int dm_delay_create(struct dm_delay *d, const char *under_path);
/*
 * From now on hold the reads (reads), the writes and flushes (writes)
 * that arrive; the others pass. Whatever was held before is let go and
 * completed first. 0 or -errno.
 */
int dm_delay_hold(struct dm_delay *d, bool reads, bool writes);
/*
 * Let everything held go and pass everything from now on. Returns once
 * what was held has completed (the suspend in the table swap waits for
 * every request of the device). 0 or -errno.
 */
int dm_delay_release(struct dm_delay *d);
/* How many reads and writes (flushes included) it holds now: 0 or -errno. */
int dm_delay_held(struct dm_delay *d, unsigned int *reads,
		  unsigned int *writes);
/*
 * Release, then remove the device: at once, or when its last opener is
 * gone.
 */
int dm_delay_destroy(struct dm_delay *d);

#endif /* LEAPIO_KSFT_DM_DELAY_H */
