// SPDX-License-Identifier: GPL-2.0
/*
 * A vdev's statistics, from the data path to leapioctl's screen: the
 * latency histogram's buckets and quantiles, what the core counts for
 * completed, failed and held commands (fake host, passes at chosen
 * times), the control socket's JSON of them and back, the interval of
 * two samples, and the tables leapioctl prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/lio_harness.h"
#include "fake_host.h"
#include "../lib/nvme_build.h"
#include "../../runtime/control/stats_json.h"
#include "../../tools/leapioctl/format.h"
#include "../../tools/leapioctl/stats.h"

#define NSZE		8192
#define SQ_GPA		0x10000
#define CQ_GPA		0x20000
#define DATA_GPA	0x100000
#define QSIZE		16

TEST(hist_buckets_tile_the_values)
{
	unsigned int i;

	/* Every bucket's bounds map to it, the next value to the next one. */
	for (i = 0; i < LIO_HIST_BUCKETS - 1; i++) {
		ASSERT_EQ(i, lio_hist_index(lio_hist_low(i)));
		ASSERT_EQ(i, lio_hist_index(lio_hist_high(i)));
		ASSERT_EQ(i + 1, lio_hist_index(lio_hist_high(i) + 1));
		/* No wider than 1/16 of its values. */
		ASSERT_LE((lio_hist_high(i) - lio_hist_low(i)) * 16, lio_hist_low(i));
	}
	EXPECT_EQ(0U, lio_hist_index(0));
	EXPECT_EQ(15U, lio_hist_index(15));
	EXPECT_EQ(16U, lio_hist_index(16));
	/* Past 2^37 - 1 ns, the last bucket. */
	EXPECT_EQ(LIO_HIST_BUCKETS - 1, lio_hist_index((1ULL << 37) - 1));
	EXPECT_EQ(LIO_HIST_BUCKETS - 1, lio_hist_index(1ULL << 37));
	EXPECT_EQ(LIO_HIST_BUCKETS - 1, lio_hist_index(UINT64_MAX));
	EXPECT_EQ(UINT64_MAX, lio_hist_high(LIO_HIST_BUCKETS - 1));
}

TEST(hist_quantiles_and_difference)
{
	struct lio_hist *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	uint64_t v, q;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	EXPECT_EQ(0U, lio_hist_quantile(a, 0.5));
	for (v = 1; v <= 10000; v++)
		lio_hist_record(a, v * 1000);	/* 1 us .. 10 ms */
	EXPECT_EQ(10000U, lio_hist_total(a));
	/* The bucket's upper bound: the true value, at most 6.25 % over. */
	q = lio_hist_quantile(a, 0.5);
	EXPECT_GE(q, 5000000U);
	EXPECT_LE(q, 5000000U + 5000000U / 16);
	q = lio_hist_quantile(a, 0.99);
	EXPECT_GE(q, 9900000U);
	EXPECT_LE(q, 9900000U + 9900000U / 16);
	q = lio_hist_quantile(a, 1.0);
	EXPECT_GE(q, 10000000U);
	EXPECT_LE(q, 10000000U + 10000000U / 16);
	/* The first value's bucket is what q -> 0 gives. */
	EXPECT_EQ(lio_hist_high(lio_hist_index(1000)), lio_hist_quantile(a, 1e-9));

	/* A past of a, subtracted: what was recorded since. */
	for (v = 1; v <= 5000; v++)
		lio_hist_record(b, v * 1000);
	ASSERT_TRUE(lio_hist_sub(a, b));
	EXPECT_EQ(5000U, lio_hist_total(a));
	EXPECT_GE(lio_hist_quantile(a, 1e-9), 5001000U - 5001000U / 16);
	/* Not a past of it: refused, nothing changed. */
	lio_hist_record(b, 1);
	EXPECT_FALSE(lio_hist_sub(a, b));
	EXPECT_EQ(5000U, lio_hist_total(a));
	free(a);
	free(b);
}

FIXTURE(stats) {
	struct fake_host h;
};

FIXTURE_SETUP(stats)
{
	fh_init(&self->h, 2, NSZE, 9);
	fh_create_cq(&self->h, 1, CQ_GPA, QSIZE, 1, false);
	fh_create_sq(&self->h, 1, SQ_GPA, QSIZE, 1);
	fh_poll(&self->h, 2);
}

FIXTURE_TEARDOWN(stats)
{
	fh_release(&self->h, 0);
	fh_fini(&self->h);
}

/* Passes at times the test chooses: the latency is theirs to know. */
static void pass_at(struct fake_host *h, u64 t)
{
	lio_vdev_poll(&h->v, t);
}

static unsigned int reap_all(struct fake_host *h)
{
	struct nvme_cqe c;
	unsigned int n = 0;

	while (fh_reap(h, 1, &c))
		n++;
	return n;
}

TEST_F(stats, classes_bytes_errors_and_latency_as_the_guest_saw_them)
{
	const struct lio_vdev_stats *st = &self->h.io_stats;
	const struct lio_io_stats *r = &st->io[LIO_CLASS_READ];
	const struct lio_io_stats *w = &st->io[LIO_CLASS_WRITE];
	const struct lio_io_stats *o = &st->io[LIO_CLASS_OTHER];
	u64 t0 = 1000000000ULL;
	struct nvme_sqe s;

	/* Two writes of 8 and 4 blocks fetched at t0, done 30 us later. */
	self->h.hold = true;
	fh_rw_sqe(&s, nvme_cmd_write, 1, 0, 8, DATA_GPA, 0);
	fh_queue(&self->h, 1, &s);
	fh_rw_sqe(&s, nvme_cmd_write, 2, 8, 4, DATA_GPA, 0);
	fh_queue(&self->h, 1, &s);
	fh_ring(&self->h, 1);
	pass_at(&self->h, t0);
	EXPECT_EQ(0U, w->cmds);		/* at the backend: not counted yet */
	fh_release(&self->h, 0);
	pass_at(&self->h, t0 + 30000);
	ASSERT_EQ(2U, reap_all(&self->h));
	EXPECT_EQ(2U, w->cmds);
	EXPECT_EQ(12U * 512, w->bytes);
	EXPECT_EQ(0U, w->errors);
	EXPECT_EQ(60000U, w->lat_sum_ns);
	EXPECT_EQ(2U, w->lat.count[lio_hist_index(30000)]);

	/* A read past the end: failed at once, counted with no bytes. */
	self->h.hold = false;
	fh_rw_sqe(&s, nvme_cmd_read, 3, NSZE, 1, DATA_GPA, 0);
	fh_submit(&self->h, 1, &s);
	pass_at(&self->h, t0 + 50000);
	ASSERT_EQ(1U, reap_all(&self->h));
	/* A read of 1 block, a flush: fetched, and done, in one pass. */
	fh_rw_sqe(&s, nvme_cmd_read, 4, 0, 1, DATA_GPA, 0);
	fh_queue(&self->h, 1, &s);
	memset(&s, 0, sizeof(s));
	s.opcode = nvme_cmd_flush;
	s.cid = cpu_to_le16(5);
	s.nsid = cpu_to_le32(1);
	fh_queue(&self->h, 1, &s);
	fh_ring(&self->h, 1);
	pass_at(&self->h, t0 + 60000);
	pass_at(&self->h, t0 + 70000);
	ASSERT_EQ(2U, reap_all(&self->h));
	EXPECT_EQ(2U, r->cmds);
	EXPECT_EQ(1U, r->errors);
	EXPECT_EQ(512U, r->bytes);
	EXPECT_EQ(1U, o->cmds);
	EXPECT_EQ(0U, o->errors);
	EXPECT_EQ(0U, o->bytes);
	EXPECT_EQ(r->cmds, lio_hist_total(&r->lat));
	EXPECT_EQ(o->cmds, lio_hist_total(&o->lat));
	/* The region's SMART counters agree: successful commands only. */
	EXPECT_EQ(1U, self->h.r.sq[1].cmds_read);
	EXPECT_EQ(2U, self->h.r.sq[1].cmds_written);
}

TEST_F(stats, a_full_cq_wait_counts)
{
	const struct lio_io_stats *r = &self->h.io_stats.io[LIO_CLASS_READ];
	u64 t0 = 5000000000ULL;
	struct nvme_sqe s;
	unsigned int i;

	/* 15 completions fill the 16-entry CQ; the 16th waits for room. */
	for (i = 0; i < 15; i++) {
		fh_rw_sqe(&s, nvme_cmd_read, i, i, 1, DATA_GPA, 0);
		fh_queue(&self->h, 1, &s);
	}
	fh_ring(&self->h, 1);
	pass_at(&self->h, t0);
	pass_at(&self->h, t0 + 1000);
	EXPECT_EQ(15U, r->cmds);
	fh_rw_sqe(&s, nvme_cmd_read, 15, 0, 1, DATA_GPA, 0);
	fh_submit(&self->h, 1, &s);
	pass_at(&self->h, t0 + 2000);
	ASSERT_EQ(15U, reap_all(&self->h));	/* room only now */
	pass_at(&self->h, t0 + 9002000);
	pass_at(&self->h, t0 + 9003000);
	ASSERT_EQ(1U, reap_all(&self->h));
	EXPECT_EQ(16U, r->cmds);
	EXPECT_EQ(9000000U, r->lat_sum_ns);	/* the 15: posted in their pass */
	EXPECT_EQ(lio_hist_high(lio_hist_index(9000000)),
		  lio_hist_quantile(&r->lat, 1.0));
}

static json_t *sample(const struct lio_vdev_stats *st, json_int_t t)
{
	json_t *v = lio_vdev_stats_json(st);

	json_object_set_new(v, "uuid", json_string("6f1a0c8e-0000-4000-8000-0000000000c1"));
	json_object_set_new(v, "poller", json_integer(0));
	return json_pack("{s:I, s:[o]}", "time_ns", t, "vdevs", v);
}

TEST(json_round_trip_interval_and_tables)
{
	struct lio_vdev_stats *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct lio_io_stats *r;
	json_t *s0, *s1, *iv, *j;
	char err[256], *text;
	size_t len;
	FILE *f;
	int i;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	/* Before: 100 reads of 4 KiB at 10 us. After: 300 more at 1 ms. */
	r = &a->io[LIO_CLASS_READ];
	for (i = 0; i < 100; i++) {
		r->cmds++;
		r->bytes += 4096;
		r->lat_sum_ns += 10000;
		lio_hist_record(&r->lat, 10000);
	}
	a->io[LIO_CLASS_OTHER].cmds = 7;
	a->io[LIO_CLASS_OTHER].errors = 7;
	a->io[LIO_CLASS_OTHER].lat.count[0] = 7;
	s0 = sample(a, 1000000000);
	/* The JSON gives back exactly what it was made of. */
	ASSERT_EQ(0, lio_vdev_stats_parse(json_array_get(json_object_get(s0, "vdevs"), 0), b));
	EXPECT_EQ(0, memcmp(a, b, sizeof(*a)));
	for (i = 0; i < 300; i++) {
		r->cmds++;
		r->bytes += 4096;
		r->lat_sum_ns += 1000000;
		lio_hist_record(&r->lat, 1000000);
	}
	s1 = sample(a, 3000000000);

	iv = lctl_stats_interval(s0, s1, err, sizeof(err));
	ASSERT_NE(NULL, iv) TH_LOG("%s", err);
	EXPECT_EQ(2000000000, json_integer_value(json_object_get(iv, "interval_ns")));
	j = json_object_get(json_array_get(json_object_get(iv, "vdevs"), 0), "read");
	EXPECT_EQ(300, json_integer_value(json_object_get(j, "cmds")));
	EXPECT_EQ(150.0, json_real_value(json_object_get(j, "iops")));
	EXPECT_EQ(300.0 * 4096 / 2, json_real_value(json_object_get(j, "bytes_per_s")));
	/* Only the interval's commands: none of the 10 us ones. */
	EXPECT_EQ(1000000, json_integer_value(json_object_get(json_object_get(j, "lat_ns"),
							      "mean")));
	EXPECT_EQ((json_int_t)lio_hist_high(lio_hist_index(1000000)),
		  json_integer_value(json_object_get(json_object_get(j, "lat_ns"), "p50")));

	/* The tables, exactly. */
	f = open_memstream(&text, &len);
	lctl_print_top(f, iv);
	fclose(f);
	EXPECT_STREQ("UUID                                  R/S    W/S  RMIB/S  WMIB/S  "
		     "R_LAT   W_LAT  R_P99   W_P99  OTHER/S\n"
		     "6f1a0c8e-0000-4000-8000-0000000000c1  150.0  0.0  0.59    0.00    "
		     "1.00ms  -      1.02ms  -      0.0\n", text);
	free(text);
	f = open_memstream(&text, &len);
	lctl_print_stats(f, s0);
	fclose(f);
	EXPECT_STREQ("UUID                                  CLASS  COMMANDS  BYTES     ERRORS  "
		     "MEAN    P50     P99     P99.9   MAX\n"
		     "6f1a0c8e-0000-4000-8000-0000000000c1  read   100       400.0KiB  0       "
		     "10.0us  10.2us  10.2us  10.2us  10.2us\n"
		     "6f1a0c8e-0000-4000-8000-0000000000c1  write  0         0B        0       "
		     "-       -       -       -       -\n"
		     "6f1a0c8e-0000-4000-8000-0000000000c1  other  7         0B        7       "
		     "0ns     0ns     0ns     0ns     0ns\n", text);
	free(text);

	/* Counters that went back (removed, added again): from zero. */
	json_decref(iv);
	iv = lctl_stats_interval(s1, s0, err, sizeof(err));
	EXPECT_EQ(NULL, iv);
	EXPECT_STREQ("the second sample is not later than the first", err);
	json_object_set_new(s0, "time_ns", json_integer(4000000000));
	iv = lctl_stats_interval(s1, s0, err, sizeof(err));
	ASSERT_NE(NULL, iv);
	j = json_object_get(json_array_get(json_object_get(iv, "vdevs"), 0), "read");
	EXPECT_EQ(100, json_integer_value(json_object_get(j, "cmds")));
	json_decref(iv);

	/* Not vdev_stats' form. */
	json_object_set_new(json_object_get(json_array_get(json_object_get(s0, "vdevs"), 0),
					    "write"), "lat_hist", json_pack("[[i, i]]", 33, 1));
	EXPECT_EQ(NULL, lctl_stats_interval(s1, s0, err, sizeof(err)));
	EXPECT_STREQ("leapiod sent figures leapioctl does not read", err);
	json_decref(s0);
	s0 = json_object();
	EXPECT_EQ(NULL, lctl_stats_interval(s1, s0, err, sizeof(err)));
	json_decref(s0);
	json_decref(s1);
	free(a);
	free(b);
}

TEST(poller_table)
{
	json_t *res = json_pack("{s:I, s:[{s:i, s:i, s:i, s:I, s:I, s:I, s:I, s:I}]}",
				"time_ns", (json_int_t)1, "pollers", "index", 0, "cpu", -1,
				"vdevs", 2, "cmds", (json_int_t)10, "polls", (json_int_t)200,
				"idle_polls", (json_int_t)150, "sleeps", (json_int_t)3,
				"irqs", (json_int_t)9);
	char *text;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	lctl_print_pollers(f, res);
	fclose(f);
	EXPECT_STREQ("POLLER  CPU  VDEVS  COMMANDS  POLLS  IDLE%  SLEEPS  IRQS\n"
		     "0       any  2      10        200    75.0   3       9\n", text);
	free(text);
	json_decref(res);
}

TEST_HARNESS_MAIN
