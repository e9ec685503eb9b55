// SPDX-License-Identifier: GPL-2.0
/*
 * `make bench-remote`'s load from the guest's side, in L1: a user-space
 * NVMe driver (the kselftests' VFIO client, tests/kselftest/lib/) on a
 * LeapIO mdev, keeping QD 4 KiB random reads in flight on one I/O queue
 * for a while, as fio's io_uring job does on the initiator's namespace
 * beside it. Prints one line: "iops=N p99_us=N reads=N errors=N".
 *
 *   vfio_randread <ns bytes> <seconds> <qd>
 * creates the mdev (leapio-1q, 512-byte LBAs), prints "uuid=<uuid>" and
 * waits for a runtime to attach to it (bench/remote/l1-bench-remote.sh
 * starts leapiod then), enables it and runs. Exit 0 if it ran.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../lib/bench_client.h"
#include "../../tests/lib/nvme_build.h"

#define QD_MAX		256

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int submit_read(struct nio *io, uint64_t nblocks, uint64_t iova,
		       uint64_t *seed)
{
	uint64_t prp1 = 0, prp2 = 0, slba;
	uint32_t nlb = 4096 >> io->lba_shift;
	struct nvme_sqe sqe;

	*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
	slba = ((*seed >> 16) % (nblocks / nlb)) * nlb;
	if (nio_prp(io, iova, 4096, &prp1, &prp2))
		return -ENOMEM;
	nb_rw(&sqe, nvme_cmd_read, NIO_NSID, slba, nlb, prp1, prp2);
	return nio_submit(io, 1, &sqe);
}

int main(int argc, char **argv)
{
	struct lio_opts o = { .type = "leapio-1q", .lba_size = 512, .no_open = true };
	static uint64_t sent_at[65536], lat[1 << 22];
	const uint64_t kept = sizeof(lat) / sizeof(lat[0]);
	uint64_t seed = 42, t_end, t0, n = 0, m, errors = 0, iova[QD_MAX];
	unsigned int secs, qd, i;
	struct nvme_cqe cqe;
	struct nio io;
	struct lio l;
	int cid, err;

	if (argc != 4) {
		fprintf(stderr, "usage: %s <ns bytes> <seconds> <qd>\n", argv[0]);
		return 2;
	}
	o.ns_size = strtoull(argv[1], NULL, 0);
	secs = (unsigned int)atoi(argv[2]);
	qd = (unsigned int)atoi(argv[3]);
	if (!o.ns_size || !secs || !qd || qd > QD_MAX) {
		fprintf(stderr, "vfio_randread: bad arguments\n");
		return 2;
	}
	err = bench_client_setup(&l, &io, &o, (uint16_t)(qd * 2), "vfio_randread");
	if (err)
		return 1;
	for (i = 0; i < qd; i++)
		if (!gmem_alloc_pages(&l.mem, 4096, &iova[i])) {
			fprintf(stderr, "vfio_randread: out of guest memory\n");
			nio_fini(&io);
			lio_teardown(&l);
			return 1;
		}
	/* QD reads in flight, each replaced as it completes. */
	for (i = 0; i < qd; i++) {
		cid = submit_read(&io, io.nsze, iova[i], &seed);
		if (cid < 0)
			break;
		sent_at[cid] = bench_now_ns();
	}
	t0 = bench_now_ns();
	t_end = t0 + (uint64_t)secs * 1000000000ULL;
	while (bench_now_ns() < t_end) {
		uint16_t c;

		if (nio_reap(&io, 1, &cqe, 10000))
			break;
		c = le16toh(cqe.cid);
		if (nvd_status_code(&cqe))
			errors++;
		if (n < kept)
			lat[n] = bench_now_ns() - sent_at[c];
		n++;
		/* The completed command's buffer is free: any one will do. */
		cid = submit_read(&io, io.nsze, iova[n % qd], &seed);
		if (cid < 0)
			break;
		sent_at[cid] = bench_now_ns();
	}
	t_end = bench_now_ns();
	m = n < kept ? n : kept;
	qsort(lat, m, sizeof(lat[0]), cmp_u64);
	printf("iops=%llu p99_us=%llu reads=%llu errors=%llu\n",
	       (unsigned long long)(n * 1000000000ULL / (t_end - t0)),
	       (unsigned long long)(m ? lat[(m - 1) * 99 / 100] / 1000 : 0),
	       (unsigned long long)n, (unsigned long long)errors);
	nio_fini(&io);
	lio_teardown(&l);
	return n ? 0 : 1;
}
