/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the benchmarks' guests (the VFIO client of tests/kselftest/lib/
 * driving an mdev from L1) share: create the mdev, say its UUID on stdout
 * for the script that starts leapiod on it, wait until a runtime attached
 * (bounded), open it with shared guest memory, enable the controller with
 * MSI-X and create I/O queue pair 1 of qsize entries.
 */
#ifndef LEAPIO_BENCH_CLIENT_H
#define LEAPIO_BENCH_CLIENT_H

#include <stdint.h>
#include <time.h>

#include "lio_dev.h"
#include "nvme_io.h"

/* 0, or -errno with a line on stderr beginning with who. */
int bench_client_setup(struct lio *l, struct nio *io, const struct lio_opts *o,
		       uint16_t qsize, const char *who);

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

#endif /* LEAPIO_BENCH_CLIENT_H */
