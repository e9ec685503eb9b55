// SPDX-License-Identifier: GPL-2.0
/* Write Uncorrectable's marks in the region's lbas part. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lio_env.h"
#include "../../common/leapio/lbas_read.h"
#include "lbas.h"
#include "log.h"

LIO_STATIC_ASSERT(LIO_UNCOR_MAX_EXTENTS <= LEAPIO_LBAS_MAX);

static u32 lio_lbas_seq(const struct leapio_lbas *l)
{
	return __atomic_load_n(&l->seq, __ATOMIC_ACQUIRE);
}

/* seq odd, seen before anything written after it. */
static void lio_lbas_seq_begin(struct leapio_lbas *l, u32 seq)
{
	__atomic_store_n(&l->seq, seq | 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

/* seq even, seen after everything written before it. */
static void lio_lbas_seq_end(struct leapio_lbas *l, u32 seq)
{
	__atomic_store_n(&l->seq, (seq | 1) + 1, __ATOMIC_RELEASE);
}

/* Is ext[0..count) as the part promises: sorted, apart, non-empty? */
static bool lio_lbas_valid(const struct leapio_lbas *l, u32 count)
{
	u32 i, prev = 0;
	u64 end = 0;

	if (count > LEAPIO_LBAS_MAX)
		return false;
	for (i = 0; i < count; i++)
		if (!leapio_lbas_ext_follows(i, l->ext[i].nsid, l->ext[i].slba,
					     l->ext[i].nlb, &prev, &end))
			return false;
	return true;
}

int lio_lbas_publish(struct leapio_lbas *l, uint32_t nsid,
		     const struct lio_uncor *u)
{
	u32 seq = lio_lbas_seq(l), old = l->count, before = 0;
	u32 after, i, n, gen;

	/* The other namespaces' extents stay, unless the part is torn. */
	if ((seq & 1) || !lio_lbas_valid(l, old))
		old = 0;
	while (before < old && l->ext[before].nsid < nsid)
		before++;
	after = before;
	while (after < old && l->ext[after].nsid == nsid)
		after++;
	n = before + u->n + (old - after);
	lio_lbas_seq_begin(l, seq);
	if (n > LEAPIO_LBAS_MAX) {
		/* Left odd: a torn part, which no runtime takes. */
		lio_log("more Write Uncorrectable extents than the region holds "
			"(%u > %u): the next runtime keeps its own file's", n,
			LEAPIO_LBAS_MAX);
		return -ENOSPC;
	}
	/* Those after nsid's move to where its new set ends. */
	memmove(&l->ext[before + u->n], &l->ext[after],
		(old - after) * sizeof(l->ext[0]));
	for (i = 0; i < u->n; i++) {
		struct leapio_lbas_ext *e = &l->ext[before + i];

		e->slba = u->x[i].lo;
		e->nlb = u->x[i].hi - u->x[i].lo;
		e->nsid = nsid;
		e->rsvd = 0;
	}
	l->count = n;
	/* 0 is "never published": a wrapped counter skips it. */
	gen = l->gen + 1;
	l->gen = gen ? gen : 1;
	lio_lbas_seq_end(l, seq);
	return 0;
}

int lio_lbas_attach(struct leapio_lbas *l, uint32_t nsid, struct lio_uncor *u,
		    bool *taken)
{
	u32 seq = lio_lbas_seq(l), count = l->count, i, n = 0;
	struct lio_uncor_ext *x;
	int ret;

	*taken = false;
	/*
	 * Nothing published yet (a new region), a runtime killed while
	 * writing, or a namespace that moved to another backend since (its
	 * state file said so; the region does not know backends): what this
	 * runtime's state directory holds is the set.
	 * While this runtime is attached it is the only writer: no torn
	 * read is possible, one look is enough.
	 */
	if (!l->gen || (seq & 1) || !lio_lbas_valid(l, count) ||
	    u->other_backend) {
		/* -ENOSPC leaves the part torn, which is its own answer. */
		lio_lbas_publish(l, nsid, u);
		return 0;
	}
	x = malloc(((size_t)count + 1) * sizeof(*x));
	if (!x)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		const struct leapio_lbas_ext *e = &l->ext[i];

		if (e->nsid != nsid)
			continue;
		x[n].lo = e->slba;
		x[n].hi = x[n].lo + e->nlb;
		n++;
	}
	ret = lio_uncor_set(u, x, n);
	free(x);
	if (!ret)
		*taken = true;
	return ret;
}
