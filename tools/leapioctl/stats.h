/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leapioctl stats and top: leapiod's vdev_stats and poller_stats, and
 * what happened between two vdev_stats samples.
 */
#ifndef LEAPIOCTL_STATS_H
#define LEAPIOCTL_STATS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * The interval from vdev_stats result before to after, both as leapiod
 * sent them:
 *   {"interval_ns": N, "vdevs": [{"uuid": U, "read": C, "write": C,
 *    "other": C}, ...]}
 * with C {"cmds", "bytes", "errors", "iops", "bytes_per_s", "lat_ns":
 * {mean, p50, p90, p99, p99_9, max}} of the commands completed in it.
 * A vdev missing from before (added, or removed and added again) counts
 * from zero. NULL with a sentence in err when a sample is not vdev_stats'
 * form or after is not later.
 */
json_t *lctl_stats_interval(const json_t *before, const json_t *after,
			    char *err, size_t errlen);

/*
 * leapioctl top: a sample of vdev_stats (of uuid only, if not NULL)
 * every interval_ms, an interval printed after each but the first;
 * count intervals (0: until interrupted). JSON: one interval a line.
 */
int lctl_top(const char *socket, bool json, const char *uuid,
	     unsigned int interval_ms, unsigned long count);

#endif /* LEAPIOCTL_STATS_H */
