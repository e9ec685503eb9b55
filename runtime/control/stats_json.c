// SPDX-License-Identifier: GPL-2.0
/* A vdev's I/O statistics in JSON and back (stats_json.h). */
#include <errno.h>
#include <string.h>

#include "stats_json.h"

const char *const lio_class_names[LIO_NR_CLASS] = {
	[LIO_CLASS_READ] = "read",
	[LIO_CLASS_WRITE] = "write",
	[LIO_CLASS_OTHER] = "other",
};

json_t *lio_lat_json(const struct lio_io_stats *s)
{
	const struct lio_hist *h = &s->lat;

	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}",
			 "mean", (json_int_t)(s->cmds ? s->lat_sum_ns / s->cmds : 0),
			 "p50", (json_int_t)lio_hist_quantile(h, 0.5),
			 "p90", (json_int_t)lio_hist_quantile(h, 0.9),
			 "p99", (json_int_t)lio_hist_quantile(h, 0.99),
			 "p99_9", (json_int_t)lio_hist_quantile(h, 0.999),
			 /* The last bucket has no upper bound: its low one. */
			 "max", (json_int_t)(h->count[LIO_HIST_BUCKETS - 1] ?
					     lio_hist_low(LIO_HIST_BUCKETS - 1) :
					     lio_hist_quantile(h, 1.0)));
}

static json_t *class_json(const struct lio_io_stats *s)
{
	json_t *hist = json_array(), *j;
	unsigned int i;

	for (i = 0; hist && i < LIO_HIST_BUCKETS; i++) {
		if (!s->lat.count[i])
			continue;
		if (json_array_append_new(hist, json_pack("[I, I]",
					  (json_int_t)lio_hist_low(i),
					  (json_int_t)s->lat.count[i]))) {
			json_decref(hist);
			return NULL;
		}
	}
	if (!hist)
		return NULL;
	j = json_pack("{s:I, s:I, s:I, s:I, s:o, s:o}",
		      "cmds", (json_int_t)s->cmds, "bytes", (json_int_t)s->bytes,
		      "errors", (json_int_t)s->errors,
		      "lat_sum_ns", (json_int_t)s->lat_sum_ns,
		      "lat_ns", lio_lat_json(s), "lat_hist", hist);
	return j;
}

json_t *lio_vdev_stats_json(const struct lio_vdev_stats *st)
{
	json_t *j = json_object();
	unsigned int c;

	for (c = 0; j && c < LIO_NR_CLASS; c++) {
		if (json_object_set_new(j, lio_class_names[c], class_json(&st->io[c]))) {
			json_decref(j);
			return NULL;
		}
	}
	return j;
}

static int u64_of(const json_t *o, const char *key, uint64_t *v)
{
	const json_t *n = json_object_get(o, key);

	if (!json_is_integer(n) || json_integer_value(n) < 0)
		return -EINVAL;
	*v = (uint64_t)json_integer_value(n);
	return 0;
}

static int class_parse(const json_t *j, struct lio_io_stats *s)
{
	const json_t *hist = json_object_get(j, "lat_hist"), *b;
	size_t i;

	if (u64_of(j, "cmds", &s->cmds) || u64_of(j, "bytes", &s->bytes) ||
	    u64_of(j, "errors", &s->errors) || u64_of(j, "lat_sum_ns", &s->lat_sum_ns) ||
	    !json_is_array(hist))
		return -EINVAL;
	json_array_foreach(hist, i, b) {
		json_int_t low, n;
		unsigned int k;

		if (json_unpack((json_t *)b, "[II!]", &low, &n) || low < 0 || n < 0)
			return -EINVAL;
		k = lio_hist_index((uint64_t)low);
		/* Only a bucket's own lowest value names it. */
		if (lio_hist_low(k) != (uint64_t)low)
			return -EINVAL;
		s->lat.count[k] += (uint64_t)n;
	}
	return 0;
}

int lio_vdev_stats_parse(const json_t *j, struct lio_vdev_stats *st)
{
	unsigned int c;

	memset(st, 0, sizeof(*st));
	for (c = 0; c < LIO_NR_CLASS; c++) {
		const json_t *cj = json_object_get(j, lio_class_names[c]);

		if (!json_is_object(cj) || class_parse(cj, &st->io[c]))
			return -EINVAL;
	}
	return 0;
}

bool lio_vdev_stats_sub(struct lio_vdev_stats *a, const struct lio_vdev_stats *b)
{
	struct lio_vdev_stats d = *a;
	unsigned int c;

	for (c = 0; c < LIO_NR_CLASS; c++) {
		struct lio_io_stats *x = &d.io[c];
		const struct lio_io_stats *y = &b->io[c];

		if (x->cmds < y->cmds || x->bytes < y->bytes ||
		    x->errors < y->errors || x->lat_sum_ns < y->lat_sum_ns ||
		    !lio_hist_sub(&x->lat, &y->lat))
			return false;
		x->cmds -= y->cmds;
		x->bytes -= y->bytes;
		x->errors -= y->errors;
		x->lat_sum_ns -= y->lat_sum_ns;
	}
	*a = d;
	return true;
}
