// SPDX-License-Identifier: GPL-2.0
/*
 * The runtime's requests (struct leapio_mbox). MAP is answered within the
 * KICK. IRQ, AEN and FATAL need the controller model, whose lock a KICK
 * must not take (the driver may be holding it while it waits for this
 * very runtime's ack), so they are recorded here and carried out by a
 * work item.
 *
 * Everything read from the mailbox is the runtime's to get wrong: indices
 * are bounded, ops and arguments checked, and nothing is read twice.
 */
#include <linux/bitmap.h>

#include "lio_host.h"

#define LIO_PEND_VECTORS	(LEAPIO_VECTOR_WORDS * 64)

static void lio_mbox_work(struct work_struct *work)
{
	struct lio_region *r = container_of(work, struct lio_region,
					    mbox_work);
	struct lio_mdev *lm = container_of(r, struct lio_mdev, region);
	DECLARE_BITMAP(irq, LIO_PEND_VECTORS);
	u32 aen[LEAPIO_MBOX_ENTRIES];
	unsigned long v;
	u32 i, nr_aen;
	bool fatal;

	spin_lock(&r->pend_lock);
	bitmap_copy(irq, r->pend_irq, LIO_PEND_VECTORS);
	bitmap_zero(r->pend_irq, LIO_PEND_VECTORS);
	nr_aen = r->pend_aen_nr;
	memcpy(aen, r->pend_aen, nr_aen * sizeof(aen[0]));
	r->pend_aen_nr = 0;
	fatal = r->pend_fatal;
	r->pend_fatal = false;
	spin_unlock(&r->pend_lock);

	mutex_lock(&lm->lock);
	for (i = 0; i < nr_aen; i++)
		lio_dp_post_aen(lm, aen[i]);
	for_each_set_bit(v, irq, LIO_PEND_VECTORS)
		lio_dp_raise_irq(lm, v);
	if (fatal)
		lio_dp_fatal(lm);
	mutex_unlock(&lm->lock);
}

/* One request: its result; *work when the work item has something. */
static s32 lio_mbox_one(struct lio_mdev *lm, u32 op, u64 arg0, u64 arg1,
			bool *work)
{
	struct lio_region *r = &lm->region;
	s32 ret = 0;

	switch (op) {
	case LEAPIO_MBOX_MAP:
		return lio_pin_map(lm, arg0, arg1);
	case LEAPIO_MBOX_IRQ:
		/* Vectors 0..nr_ioq: the MSI-X table's size. */
		if (arg0 > r->layout.nr_ioq)
			return -EINVAL;
		spin_lock(&r->pend_lock);
		__set_bit(arg0, r->pend_irq);
		spin_unlock(&r->pend_lock);
		break;
	case LEAPIO_MBOX_AEN:
		if (arg0 > U32_MAX)
			return -EINVAL;
		spin_lock(&r->pend_lock);
		if (r->pend_aen_nr < ARRAY_SIZE(r->pend_aen))
			r->pend_aen[r->pend_aen_nr++] = arg0;
		else
			ret = -EBUSY;
		spin_unlock(&r->pend_lock);
		break;
	case LEAPIO_MBOX_FATAL:
		spin_lock(&r->pend_lock);
		r->pend_fatal = true;
		spin_unlock(&r->pend_lock);
		break;
	default:
		return -EINVAL;
	}
	*work = !ret;
	return ret;
}

int lio_mbox_kick(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;
	struct leapio_mbox *mb = r->mbox;
	bool work = false, w;
	int ret = 0;
	u32 prod;

	mutex_lock(&r->mbox_lock);
	/* Pairs with the runtime's release of prod: the messages are in. */
	prod = smp_load_acquire(&mb->prod);
	if (prod - r->mbox_cons > LEAPIO_MBOX_ENTRIES) {
		ret = -EINVAL;
		goto out;
	}
	while (r->mbox_cons != prod) {
		struct leapio_mbox_msg *m =
			&mb->msg[r->mbox_cons % LEAPIO_MBOX_ENTRIES];
		s32 res;

		w = false;
		res = lio_mbox_one(lm, READ_ONCE(m->op), READ_ONCE(m->arg0),
				   READ_ONCE(m->arg1), &w);
		work |= w;
		WRITE_ONCE(m->result, res);
		/* The result is seen before the runtime sees cons pass it. */
		smp_store_release(&mb->cons, ++r->mbox_cons);
	}
out:
	mutex_unlock(&r->mbox_lock);
	if (work)
		schedule_work(&r->mbox_work);
	return ret;
}

void lio_mbox_fatal(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;

	spin_lock(&r->pend_lock);
	r->pend_fatal = true;
	spin_unlock(&r->pend_lock);
	schedule_work(&r->mbox_work);
}

/*
 * A new runtime starts with an empty mailbox: requests an earlier one
 * left unanswered (it was killed or revoked between filling them and
 * its kick) are not carried out on its behalf.
 */
void lio_mbox_attach(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;

	mutex_lock(&r->mbox_lock);
	r->mbox_cons = READ_ONCE(r->mbox->prod);
	/* As after answering: the runtime reads cons with acquire. */
	smp_store_release(&r->mbox->cons, r->mbox_cons);
	mutex_unlock(&r->mbox_lock);
}

void lio_mbox_init(struct lio_mdev *lm)
{
	INIT_WORK(&lm->region.mbox_work, lio_mbox_work);
}

void lio_mbox_fini(struct lio_mdev *lm)
{
	cancel_work_sync(&lm->region.mbox_work);
}
