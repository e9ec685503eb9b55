// SPDX-License-Identifier: GPL-2.0
/*
 * leapioctl stats and top (stats.h). Rates and interval percentiles come
 * from two of leapiod's samples, subtracted histogram by histogram with
 * leapiod's own code (runtime/control/stats_json.c, runtime/core/
 * hist.c), so leapioctl and leapiod never disagree on a bucket.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../runtime/control/stats_json.h"
#include "client.h"
#include "format.h"
#include "stats.h"

static const json_t *find_vdev(const json_t *vdevs, const char *uuid)
{
	const json_t *v;
	size_t i;

	json_array_foreach((json_t *)vdevs, i, v)
		if (!strcmp(json_string_value(json_object_get(v, "uuid")) ?: "", uuid))
			return v;
	return NULL;
}

static json_t *class_interval(const struct lio_io_stats *s, double secs)
{
	return json_pack("{s:I, s:I, s:I, s:f, s:f, s:o}",
			 "cmds", (json_int_t)s->cmds, "bytes", (json_int_t)s->bytes,
			 "errors", (json_int_t)s->errors,
			 "iops", (double)s->cmds / secs,
			 "bytes_per_s", (double)s->bytes / secs,
			 "lat_ns", lio_lat_json(s));
}

/* One vdev's interval, or NULL with err set. */
static json_t *vdev_interval(const json_t *b, const json_t *a, double secs,
			     char *err, size_t errlen)
{
	const char *uuid = json_string_value(json_object_get(a, "uuid"));
	struct lio_vdev_stats *sa = malloc(sizeof(*sa)), *sb = malloc(sizeof(*sb));
	json_t *j = NULL;
	unsigned int c;

	if (!sa || !sb) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (!uuid || lio_vdev_stats_parse(a, sa) || (b && lio_vdev_stats_parse(b, sb))) {
		snprintf(err, errlen, "leapiod sent figures leapioctl does not read");
		goto out;
	}
	/* Counters that went back: removed and added again since before. */
	if (b)
		lio_vdev_stats_sub(sa, sb);
	j = json_pack("{s:s}", "uuid", uuid);
	for (c = 0; j && c < LIO_NR_CLASS; c++) {
		if (json_object_set_new(j, lio_class_names[c],
					class_interval(&sa->io[c], secs))) {
			json_decref(j);
			j = NULL;
		}
	}
	if (!j)
		snprintf(err, errlen, "out of memory");
out:
	free(sa);
	free(sb);
	return j;
}

json_t *lctl_stats_interval(const json_t *before, const json_t *after,
			    char *err, size_t errlen)
{
	const json_t *bt = json_object_get(before, "time_ns");
	const json_t *at = json_object_get(after, "time_ns");
	const json_t *bv = json_object_get(before, "vdevs");
	const json_t *av = json_object_get(after, "vdevs");
	const json_t *v;
	json_int_t ns;
	json_t *out;
	size_t i;

	if (!json_is_integer(bt) || !json_is_integer(at) || !json_is_array(bv) ||
	    !json_is_array(av)) {
		snprintf(err, errlen, "leapiod sent figures leapioctl does not read");
		return NULL;
	}
	ns = json_integer_value(at) - json_integer_value(bt);
	if (ns <= 0) {
		snprintf(err, errlen, "the second sample is not later than the first");
		return NULL;
	}
	out = json_array();
	json_array_foreach((json_t *)av, i, v) {
		const char *uuid = json_string_value(json_object_get(v, "uuid"));
		json_t *one = vdev_interval(uuid ? find_vdev(bv, uuid) : NULL, v,
					    (double)ns / 1e9, err, errlen);

		if (!one || json_array_append_new(out, one)) {
			json_decref(out);
			return NULL;
		}
	}
	return json_pack("{s:I, s:o}", "interval_ns", ns, "vdevs", out);
}

static int sample(const char *socket, const char *uuid, json_t **res)
{
	char err[1024];
	int ret = lctl_call(socket, "vdev_stats",
			    uuid ? json_pack("{s:s}", "uuid", uuid) : NULL, res,
			    err, sizeof(err));

	if (ret)
		fprintf(stderr, "leapioctl: top: %s\n", err);
	return ret;
}

int lctl_top(const char *socket, bool json, const char *uuid,
	     unsigned int interval_ms, unsigned long count)
{
	struct timespec ts = { interval_ms / 1000, (long)(interval_ms % 1000) * 1000000 };
	json_t *prev = NULL, *cur = NULL, *iv;
	char err[256];
	unsigned long n;
	int ret;

	ret = sample(socket, uuid, &prev);
	for (n = 0; !ret && (!count || n < count); n++) {
		/* The tool's own period: not waiting for anything else. */
		nanosleep(&ts, NULL);
		ret = sample(socket, uuid, &cur);
		if (ret)
			break;
		iv = lctl_stats_interval(prev, cur, err, sizeof(err));
		json_decref(prev);
		prev = cur;
		if (!iv) {
			fprintf(stderr, "leapioctl: top: %s\n", err);
			ret = LCTL_FAILED;
			break;
		}
		if (json) {
			json_dumpf(iv, stdout, JSON_COMPACT);
			fputc('\n', stdout);
		} else {
			if (n)
				fputc('\n', stdout);
			lctl_print_top(stdout, iv);
		}
		fflush(stdout);
		json_decref(iv);
	}
	json_decref(prev);
	return ret;
}
