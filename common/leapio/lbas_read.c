// SPDX-License-Identifier: GPL-2.0
/* The region's lbas part, read by the driver (lbas_read.h). */
#include "lbas_read.h"

/* One copy, however torn: -EINVAL when what it saw breaks the rules. */
static int leapio_lbas_copy(const struct leapio_lbas *l, u32 nsid, u64 slba,
			    struct leapio_lba_range *r, u32 max,
			    struct leapio_lbas_info *info)
{
	u32 count = READ_ONCE(l->count), i, ns, prev = 0;
	u64 s, nlb, end = 0;

	if (count > LEAPIO_LBAS_MAX)
		return -EINVAL;
	info->gen = READ_ONCE(l->gen);
	for (i = 0; i < count; i++) {
		ns = READ_ONCE(l->ext[i].nsid);
		s = READ_ONCE(l->ext[i].slba);
		nlb = READ_ONCE(l->ext[i].nlb);
		if (!leapio_lbas_ext_follows(i, ns, s, nlb, &prev, &end))
			return -EINVAL;
		if (ns != nsid)
			continue;
		info->total++;
		info->blocks += nlb;
		info->last_end = end;
		if (end > slba && info->n < max) {
			r[info->n].slba = s;
			r[info->n].nlb = nlb;
			info->n++;
		}
	}
	return 0;
}

int leapio_lbas_read(const struct leapio_lbas *l, u32 nsid, u64 slba,
		     struct leapio_lba_range *r, u32 max,
		     struct leapio_lbas_info *info)
{
	u32 seq, tries;
	int ret;

	for (tries = 0; tries < LEAPIO_LBAS_TRIES; tries++) {
		memset(info, 0, sizeof(*info));
		seq = READ_ONCE(l->seq);
		if (seq & 1)
			continue;
		/* The copy after seq: pairs with the runtime's bump to odd. */
		smp_rmb();
		ret = leapio_lbas_copy(l, nsid, slba, r, max, info);
		/* seq again after the copy: pairs with its bump to even. */
		smp_rmb();
		if (READ_ONCE(l->seq) != seq)
			continue;
		if (!ret && !info->gen)
			return -EAGAIN;	/* no runtime published */
		return ret;
	}
	memset(info, 0, sizeof(*info));
	return -EAGAIN;
}
