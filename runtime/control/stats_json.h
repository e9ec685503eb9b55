/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vdev's I/O statistics (runtime.h) as the control socket sends them,
 * and back: leapiod writes them, leapioctl reads two samples to show an
 * interval. One class is
 *
 *   {"cmds": N, "bytes": N, "errors": N, "lat_sum_ns": N,
 *    "lat_ns": {"mean": N, "p50": N, "p90": N, "p99": N, "p99_9": N,
 *               "max": N},
 *    "lat_hist": [[LOW_NS, COUNT], ...]}
 *
 * where lat_hist lists the histogram's non-empty buckets by the lowest
 * value each counts (hist.h), and the percentiles are bucket upper
 * bounds (0 when nothing completed).
 */
#ifndef LEAPIOD_STATS_JSON_H
#define LEAPIOD_STATS_JSON_H

#include <jansson.h>

#include "../core/runtime.h"

extern const char *const lio_class_names[LIO_NR_CLASS];

/* {"read": class, "write": class, "other": class}, or NULL (no memory). */
json_t *lio_vdev_stats_json(const struct lio_vdev_stats *st);
/* The percentiles object of one class's figures ("lat_ns" above). */
json_t *lio_lat_json(const struct lio_io_stats *s);
/* Back from lio_vdev_stats_json()'s form: 0, or -EINVAL (not that form). */
int lio_vdev_stats_parse(const json_t *j, struct lio_vdev_stats *st);
/* a -= b for every counter; false (a unchanged) if b is not a's past. */
bool lio_vdev_stats_sub(struct lio_vdev_stats *a, const struct lio_vdev_stats *b);

#endif /* LEAPIOD_STATS_JSON_H */
