/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A latency histogram cheap enough for the data path: log-linear
 * buckets, 16 to each power of two, so a bucket is at most 1/16 (6.25 %)
 * of its values wide; recording is a count-leading-zeros, a shift and an
 * increment. Values are nanoseconds; from 2^37 ns (about 137 s) on,
 * everything counts in the last bucket.
 *
 * Pure: leapiod keeps one per vdev and I/O class, leapioctl rebuilds
 * them from what the control socket sends (bucket upper bounds and
 * counts) to take percentiles of an interval as the difference of two.
 */
#ifndef LEAPIOD_HIST_H
#define LEAPIOD_HIST_H

#include <stdbool.h>
#include <stdint.h>

#define LIO_HIST_SUB_BITS	4
#define LIO_HIST_SUB		(1u << LIO_HIST_SUB_BITS)
#define LIO_HIST_MAX_BIT	36	/* the highest bit of the last group */
#define LIO_HIST_BUCKETS	((LIO_HIST_MAX_BIT - LIO_HIST_SUB_BITS + 2) * \
				 LIO_HIST_SUB)

struct lio_hist {
	uint64_t	count[LIO_HIST_BUCKETS];
};

/* The bucket of value v. */
static inline unsigned int lio_hist_index(uint64_t v)
{
	unsigned int h;

	if (v < LIO_HIST_SUB)
		return (unsigned int)v;
	h = 63 - (unsigned int)__builtin_clzll(v);
	if (h > LIO_HIST_MAX_BIT)
		return LIO_HIST_BUCKETS - 1;
	return (h - LIO_HIST_SUB_BITS + 1) * LIO_HIST_SUB +
	       (unsigned int)((v >> (h - LIO_HIST_SUB_BITS)) & (LIO_HIST_SUB - 1));
}

static inline void lio_hist_record(struct lio_hist *hi, uint64_t v)
{
	hi->count[lio_hist_index(v)]++;
}

/* The smallest and the largest value bucket i counts. */
uint64_t lio_hist_low(unsigned int i);
uint64_t lio_hist_high(unsigned int i);
uint64_t lio_hist_total(const struct lio_hist *hi);
/*
 * The value below which a fraction q (0 < q <= 1) of the recorded ones
 * lie, as the upper bound of the bucket it falls in (so at most 6.25 %
 * over); 0 when nothing was recorded.
 */
uint64_t lio_hist_quantile(const struct lio_hist *hi, double q);
/* a -= b, bucket by bucket; false (a unchanged) if b is not a's past. */
bool lio_hist_sub(struct lio_hist *a, const struct lio_hist *b);

#endif /* LEAPIOD_HIST_H */
