// SPDX-License-Identifier: GPL-2.0
/*
 * leapiod's core alone: how many 4 KiB commands per second one core
 * forwards, and what each costs. A synthetic guest writes Read SQEs into
 * a region laid out by the real uapi (tests/unit-rt/fake_host.c), the
 * core fetches, validates, translates and hands them to a null backend,
 * and posts the completions the guest reaps. Interrupts are off (the CQ
 * has no IEN): an eventfd write is a system call this measures nothing of.
 *
 *   bench_rt threads <seconds> <depth>   guest and core on two threads
 *   bench_rt inline <commands> <depth>   one thread, for callgrind
 *
 * With LEAPIO_BENCH_NO_STATS set, the vdev keeps no statistics (counters
 * and latency histogram, runtime.h): what they cost is the difference.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tests/unit-rt/fake_host.h"

#define QSIZE		1024
#define SQ_GPA		0x10000
#define CQ_GPA		0x20000
#define DATA_GPA	0x200000

static struct fake_host h;
static volatile int stop;

static unsigned int guest_submit(unsigned int n, u16 *cid)
{
	struct nvme_sqe s;
	unsigned int i;

	for (i = 0; i < n; i++) {
		u16 c = (*cid)++;

		fh_rw_sqe(&s, nvme_cmd_read, c & 0x3ff, 0, 8,
			  DATA_GPA + ((u64)(c & 63) << 12), 0);
		fh_queue(&h, 1, &s);
	}
	fh_ring(&h, 1);
	return n;
}

static unsigned int guest_reap(void)
{
	struct nvme_cqe c;
	unsigned int n = 0;

	while (fh_reap(&h, 1, &c))
		n++;
	return n;
}

static void *core_thread(void *arg)
{
	(void)arg;
	while (!stop)
		lio_vdev_poll(&h.v, lio_now_ns());
	return NULL;
}

static void setup(void)
{
	fh_init(&h, 1, 1ULL << 21, 9);
	h.null_backend = true;
	fh_create_cq(&h, 1, CQ_GPA, QSIZE, 1, false);
	fh_create_sq(&h, 1, SQ_GPA, QSIZE, 1);
	fh_poll(&h, 2);
	if (getenv("LEAPIO_BENCH_NO_STATS"))
		h.v.io_stats = NULL;
}

int main(int argc, char **argv)
{
	unsigned int depth, out = 0;
	unsigned long long done = 0;
	u16 cid = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: %s threads <seconds> <depth> | inline <commands> <depth>\n",
			argv[0]);
		return 2;
	}
	depth = strtoul(argv[3], NULL, 0);
	if (!depth || depth >= QSIZE)
		depth = 256;
	setup();

	if (!strcmp(argv[1], "inline")) {
		unsigned long long want = strtoull(argv[2], NULL, 0);

		while (done < want) {
			out += guest_submit(depth - out, &cid);
			lio_vdev_poll(&h.v, lio_now_ns());
			{
				unsigned int r = guest_reap();

				out -= r;
				done += r;
			}
		}
		printf("inline: %llu commands\n", done);
	} else {
		double secs = strtod(argv[2], NULL);
		u64 t0, t1, polls0;
		pthread_t t;

		pthread_create(&t, NULL, core_thread, NULL);
		t0 = lio_now_ns();
		polls0 = h.stats.cmds;
		while (lio_now_ns() - t0 < (u64)(secs * 1e9)) {
			if (out < depth)
				out += guest_submit(depth - out, &cid);
			{
				unsigned int r = guest_reap();

				out -= r;
				done += r;
			}
		}
		t1 = lio_now_ns();
		stop = 1;
		pthread_join(t, NULL);
		printf("threads: %llu commands in %.3f s: %.2f M commands/s, %.1f ns/command (core thread)\n",
		       done, (t1 - t0) / 1e9, done / ((t1 - t0) / 1e3),
		       (double)(t1 - t0) / done);
		(void)polls0;
	}
	fh_fini(&h);
	return 0;
}
