// SPDX-License-Identifier: GPL-2.0
/* The latency histogram's reading side (hist.h). */
#include "hist.h"

uint64_t lio_hist_low(unsigned int i)
{
	unsigned int g = i / LIO_HIST_SUB, s = i % LIO_HIST_SUB;

	if (!g)
		return s;
	/* Group g holds the values whose highest bit is g + SUB_BITS - 1. */
	return (uint64_t)(LIO_HIST_SUB + s) << (g - 1);
}

uint64_t lio_hist_high(unsigned int i)
{
	unsigned int g = i / LIO_HIST_SUB;

	if (i == LIO_HIST_BUCKETS - 1)
		return UINT64_MAX;
	return lio_hist_low(i) + (g ? (1ULL << (g - 1)) - 1 : 0);
}

uint64_t lio_hist_total(const struct lio_hist *hi)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < LIO_HIST_BUCKETS; i++)
		n += hi->count[i];
	return n;
}

uint64_t lio_hist_quantile(const struct lio_hist *hi, double q)
{
	uint64_t total = lio_hist_total(hi), seen = 0, rank;
	unsigned int i;

	if (!total)
		return 0;
	/* The rank-th smallest value, 1-based: ceil(q * total), at least 1. */
	rank = (uint64_t)(q * (double)total);
	if ((double)rank < q * (double)total)
		rank++;
	if (!rank)
		rank = 1;
	for (i = 0; i < LIO_HIST_BUCKETS; i++) {
		seen += hi->count[i];
		if (seen >= rank)
			return lio_hist_high(i);
	}
	return lio_hist_high(LIO_HIST_BUCKETS - 1);
}

bool lio_hist_sub(struct lio_hist *a, const struct lio_hist *b)
{
	unsigned int i;

	for (i = 0; i < LIO_HIST_BUCKETS; i++)
		if (a->count[i] < b->count[i])
			return false;
	for (i = 0; i < LIO_HIST_BUCKETS; i++)
		a->count[i] -= b->count[i];
	return true;
}
