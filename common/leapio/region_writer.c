// SPDX-License-Identifier: GPL-2.0
/*
 * The writer's side of the shared region: see region_writer.h.
 */
#include "region_writer.h"

#define LEAPIO_WR_2M		BIT_ULL(LEAPIO_L1_SHIFT)
#define LEAPIO_WR_4K		BIT_ULL(LEAPIO_L2_SHIFT)
#define LEAPIO_WR_LEAF		(LEAPIO_XLATE_VALID | LEAPIO_XLATE_LEAF | \
				 LEAPIO_XLATE_WRITE)

static bool leapio_wr_qid_ok(const struct leapio_region_view *v, u16 qid)
{
	return qid && qid <= v->hdr->nr_ioq;
}

static bool leapio_wr_hpa_ok(u64 hpa, u64 align)
{
	return !(hpa & (align - 1)) && !(hpa & ~LEAPIO_XLATE_ADDR_MASK);
}

static __le64 *leapio_wr_l2(const struct leapio_region_view *v, u32 t,
			    u32 slot)
{
	return &v->l2[(u64)t * LEAPIO_L2_ENTRIES + slot];
}

static void leapio_wr_db(const struct leapio_region_view *v, u32 idx, u32 val)
{
	WRITE_ONCE(*leapio_db_ptr(v, idx), cpu_to_le32(val));
}

/* ---- queues ---- */

int leapio_wr_publish_sq(struct leapio_wr *w,
			 const struct leapio_region_view *v, u16 qid,
			 const struct leapio_wr_sq *sq)
{
	struct leapio_sq_desc *d;

	if (!leapio_wr_qid_ok(v, qid))
		return -EINVAL;
	d = &v->sq[qid];
	WRITE_ONCE(d->valid, 0);
	WRITE_ONCE(d->gpa, sq->gpa);
	WRITE_ONCE(d->size, sq->size);
	WRITE_ONCE(d->cqid, sq->cqid);
	WRITE_ONCE(d->prio, sq->prio);
	WRITE_ONCE(d->qgen, ++w->qgen);
	WRITE_ONCE(d->head, 0);
	WRITE_ONCE(d->cmds_read, 0);
	WRITE_ONCE(d->cmds_written, 0);
	WRITE_ONCE(d->bytes_read, 0);
	WRITE_ONCE(d->bytes_written, 0);
	leapio_wr_db(v, 2 * qid, 0);
	/* A runtime that looks at valid outside a seq change sees it last. */
	smp_wmb();
	WRITE_ONCE(d->valid, 1);
	return 0;
}

int leapio_wr_publish_cq(struct leapio_wr *w,
			 const struct leapio_region_view *v, u16 qid,
			 const struct leapio_wr_cq *cq)
{
	struct leapio_cq_desc *d;

	if (!leapio_wr_qid_ok(v, qid))
		return -EINVAL;
	d = &v->cq[qid];
	WRITE_ONCE(d->valid, 0);
	WRITE_ONCE(d->gpa, cq->gpa);
	WRITE_ONCE(d->size, cq->size);
	WRITE_ONCE(d->vector, cq->vector);
	WRITE_ONCE(d->ien, cq->ien);
	WRITE_ONCE(d->qgen, ++w->qgen);
	WRITE_ONCE(d->tail, 0);
	WRITE_ONCE(d->phase, 1);
	leapio_wr_db(v, 2 * qid + 1, 0);
	/* As for an SQ: valid last. */
	smp_wmb();
	WRITE_ONCE(d->valid, 1);
	return 0;
}

int leapio_wr_sq_invalidate(const struct leapio_region_view *v, u16 qid)
{
	if (!leapio_wr_qid_ok(v, qid))
		return -EINVAL;
	WRITE_ONCE(v->sq[qid].valid, 0);
	return 0;
}

int leapio_wr_cq_invalidate(const struct leapio_region_view *v, u16 qid)
{
	if (!leapio_wr_qid_ok(v, qid))
		return -EINVAL;
	WRITE_ONCE(v->cq[qid].valid, 0);
	return 0;
}

u32 leapio_wr_reset(struct leapio_wr *w, const struct leapio_region_view *v)
{
	u16 q;

	WRITE_ONCE(v->ctrl->state, LEAPIO_VDEV_OFF);
	WRITE_ONCE(v->ctrl->generation, ++w->generation);
	for (q = 1; q <= v->hdr->nr_ioq; q++) {
		WRITE_ONCE(v->sq[q].valid, 0);
		WRITE_ONCE(v->cq[q].valid, 0);
	}
	WRITE_ONCE(v->ctrl->dbbuf, 0);
	return w->generation;
}

static void leapio_wr_smart_add(struct leapio_wr_smart *s,
				const struct leapio_sq_desc *d)
{
	s->cmds_read += READ_ONCE(d->cmds_read);
	s->cmds_written += READ_ONCE(d->cmds_written);
	s->bytes_read += READ_ONCE(d->bytes_read);
	s->bytes_written += READ_ONCE(d->bytes_written);
}

int leapio_wr_fold_sq(struct leapio_wr *w, const struct leapio_region_view *v,
		      u16 qid)
{
	if (!leapio_wr_qid_ok(v, qid))
		return -EINVAL;
	leapio_wr_smart_add(&w->gone, &v->sq[qid]);
	return 0;
}

void leapio_wr_smart_gone(const struct leapio_wr *w, struct leapio_wr_smart *s)
{
	s->cmds_read += w->gone.cmds_read;
	s->cmds_written += w->gone.cmds_written;
	s->bytes_read += w->gone.bytes_read;
	s->bytes_written += w->gone.bytes_written;
}

int leapio_wr_smart_sq(const struct leapio_region_view *v, u16 qid,
		       struct leapio_wr_smart *s)
{
	if (!leapio_wr_qid_ok(v, qid))
		return -EINVAL;
	leapio_wr_smart_add(s, &v->sq[qid]);
	return 0;
}

int leapio_wr_smart_ns(const struct leapio_region_view *v, u32 nsid,
		       struct leapio_wr_smart *s)
{
	const struct leapio_ns_desc *d = leapio_ns_ptr(v, nsid);

	if (!d)
		return -EINVAL;
	s->cmds_read += READ_ONCE(d->cmds_read);
	s->cmds_written += READ_ONCE(d->cmds_written);
	s->bytes_read += READ_ONCE(d->bytes_read);
	s->bytes_written += READ_ONCE(d->bytes_written);
	return 0;
}

int leapio_wr_handover_sq(const struct leapio_region_view *v, u16 qid,
			  u16 head, u16 tail, bool db)
{
	if (!leapio_wr_qid_ok(v, qid))
		return -EINVAL;
	WRITE_ONCE(v->sq[qid].head, head);
	if (db)
		leapio_wr_db(v, 2 * qid, tail);
	return 0;
}

int leapio_wr_handover_cq(const struct leapio_region_view *v, u16 qid,
			  u16 tail, u8 phase, u16 head, bool db)
{
	if (!leapio_wr_qid_ok(v, qid))
		return -EINVAL;
	WRITE_ONCE(v->cq[qid].tail, tail);
	WRITE_ONCE(v->cq[qid].phase, phase);
	if (db)
		leapio_wr_db(v, 2 * qid + 1, head);
	return 0;
}

int leapio_wr_doorbell(const struct leapio_region_view *v, u32 idx, u32 val)
{
	if (idx >= v->hdr->nr_db)
		return -EINVAL;
	leapio_wr_db(v, idx, val);
	return 0;
}

/* ---- the controller ---- */

void leapio_wr_set_state(const struct leapio_region_view *v,
			 enum leapio_vdev_state state)
{
	WRITE_ONCE(v->ctrl->state, state);
}

void leapio_wr_put_geometry(const struct leapio_region_view *v,
			    const struct leapio_wr_geometry *g)
{
	WRITE_ONCE(v->ctrl->nsze, g->nsze);
	WRITE_ONCE(v->ctrl->lba_shift, g->lba_shift);
	WRITE_ONCE(v->ctrl->mdts, g->mdts);
	WRITE_ONCE(v->ctrl->page_shift, g->page_shift);
}

void leapio_wr_put_features(const struct leapio_region_view *v,
			    const struct leapio_wr_features *f)
{
	unsigned int i;

	WRITE_ONCE(v->ctrl->vwc, f->vwc);
	WRITE_ONCE(v->ctrl->irq_coalesce, f->irq_coalesce);
	for (i = 0; i < LEAPIO_VECTOR_WORDS; i++)
		WRITE_ONCE(v->ctrl->irq_cd[i], f->irq_cd[i]);
}

void leapio_wr_put_irq(const struct leapio_region_view *v,
		       const struct leapio_wr_irq *irq)
{
	unsigned int i;

	WRITE_ONCE(v->ctrl->irq_mode, irq->mode);
	for (i = 0; i < LEAPIO_VECTOR_WORDS; i++)
		WRITE_ONCE(v->ctrl->msix_masked[i], irq->masked[i]);
	WRITE_ONCE(v->ctrl->irq_seq, irq->irq_seq);
}

void leapio_wr_put_dbbuf(const struct leapio_region_view *v, bool on,
			 u64 shadow, u64 eventidx)
{
	WRITE_ONCE(v->ctrl->dbbuf_shadow, on ? shadow : 0);
	WRITE_ONCE(v->ctrl->dbbuf_eventidx, on ? eventidx : 0);
	WRITE_ONCE(v->ctrl->dbbuf, on);
}

void leapio_wr_put_db_mapped(const struct leapio_region_view *v, bool mapped)
{
	WRITE_ONCE(v->ctrl->db_mapped, mapped);
}

void leapio_wr_put_let_go(const struct leapio_region_view *v, bool on)
{
	WRITE_ONCE(v->ctrl->let_go, on);
}

void leapio_wr_put_format(const struct leapio_region_view *v, u32 gen,
			  u32 nsid, u8 lba_shift, u8 ses)
{
	WRITE_ONCE(v->ctrl->format_nsid, nsid);
	WRITE_ONCE(v->ctrl->format_lba_shift, lba_shift);
	WRITE_ONCE(v->ctrl->format_ses, ses);
	WRITE_ONCE(v->ctrl->format_gen, gen);
}

void leapio_wr_put_format_applied(const struct leapio_region_view *v, u32 gen)
{
	WRITE_ONCE(v->ctrl->format_applied, gen);
}

void leapio_wr_put_nscreate(const struct leapio_region_view *v, u32 gen,
			    u32 nsid, u64 nsze, u8 lba_shift)
{
	WRITE_ONCE(v->ctrl->nscreate_nsid, nsid);
	WRITE_ONCE(v->ctrl->nscreate_nsze, nsze);
	WRITE_ONCE(v->ctrl->nscreate_lba_shift, lba_shift);
	WRITE_ONCE(v->ctrl->nscreate_gen, gen);
}

void leapio_wr_put_nscreate_done(const struct leapio_region_view *v, u32 gen)
{
	WRITE_ONCE(v->ctrl->nscreate_done, gen);
}

void leapio_wr_put_instance(const struct leapio_region_view *v, u64 instance)
{
	WRITE_ONCE(v->ctrl->instance, instance);
}

int leapio_wr_put_ns(const struct leapio_region_view *v, u32 nsid, u8 state,
		     u8 lba_shift, u64 nsze, bool pooled)
{
	struct leapio_ns_desc *d = leapio_ns_ptr(v, nsid);

	if (!d || state > LEAPIO_NS_ATTACHED ||
	    (lba_shift != 9 && lba_shift != 12))
		return -EINVAL;
	/* Unchanged: the runtime has nothing new to apply. */
	if (READ_ONCE(d->state) == state && READ_ONCE(d->lba_shift) == lba_shift &&
	    READ_ONCE(d->nsze) == nsze && READ_ONCE(d->pooled) == pooled)
		return 0;
	/*
	 * A new namespace counts from zero. Nothing of a runtime writes them
	 * now: commands of an absent NSID fail before they are counted.
	 */
	if (READ_ONCE(d->state) == LEAPIO_NS_ABSENT && state != LEAPIO_NS_ABSENT) {
		WRITE_ONCE(d->cmds_read, 0);
		WRITE_ONCE(d->cmds_written, 0);
		WRITE_ONCE(d->bytes_read, 0);
		WRITE_ONCE(d->bytes_written, 0);
	}
	WRITE_ONCE(d->state, state);
	WRITE_ONCE(d->lba_shift, lba_shift);
	WRITE_ONCE(d->nsze, nsze);
	WRITE_ONCE(d->pooled, pooled);
	/* Only the driver writes the entry: its own gen, read back. */
	WRITE_ONCE(d->gen, READ_ONCE(d->gen) + 1);
	return 0;
}

/* ---- translations ---- */

int leapio_wr_xlate_set_2m(const struct leapio_region_view *v, u64 blk,
			   u64 hpa)
{
	if (blk >= v->hdr->l1_entries || !leapio_wr_hpa_ok(hpa, LEAPIO_WR_2M))
		return -EINVAL;
	WRITE_ONCE(v->l1[blk], cpu_to_le64(LEAPIO_WR_LEAF | hpa));
	return 0;
}

int leapio_wr_xlate_set_4k(const struct leapio_region_view *v, u32 t,
			   u32 slot, u64 hpa)
{
	if (t >= v->hdr->l2_tables || slot >= LEAPIO_L2_ENTRIES ||
	    !leapio_wr_hpa_ok(hpa, LEAPIO_WR_4K))
		return -EINVAL;
	WRITE_ONCE(*leapio_wr_l2(v, t, slot), cpu_to_le64(LEAPIO_WR_LEAF | hpa));
	return 0;
}

int leapio_wr_xlate_clear_4k(const struct leapio_region_view *v, u32 t,
			     u32 slot)
{
	if (t >= v->hdr->l2_tables || slot >= LEAPIO_L2_ENTRIES)
		return -EINVAL;
	WRITE_ONCE(*leapio_wr_l2(v, t, slot), 0);
	return 0;
}

int leapio_wr_xlate_wipe(const struct leapio_region_view *v, u32 t)
{
	u32 slot;

	if (t >= v->hdr->l2_tables)
		return -EINVAL;
	for (slot = 0; slot < LEAPIO_L2_ENTRIES; slot++)
		WRITE_ONCE(*leapio_wr_l2(v, t, slot), 0);
	return 0;
}

int leapio_wr_xlate_hook(const struct leapio_region_view *v, u64 blk, u32 t)
{
	if (blk >= v->hdr->l1_entries || t >= v->hdr->l2_tables)
		return -EINVAL;
	/* the entries before the pointer to their table */
	smp_wmb();
	WRITE_ONCE(v->l1[blk], cpu_to_le64(LEAPIO_XLATE_VALID |
					   ((u64)t << LEAPIO_L2_SHIFT)));
	return 0;
}

int leapio_wr_xlate_clear(const struct leapio_region_view *v, u64 blk)
{
	if (blk >= v->hdr->l1_entries)
		return -EINVAL;
	WRITE_ONCE(v->l1[blk], 0);
	return 0;
}

/* ---- seq ---- */

u32 leapio_wr_bump(const struct leapio_region_view *v, u32 *seq)
{
	/* Everything written to the region before is seen before seq. */
	smp_wmb();
	WRITE_ONCE(v->ctrl->seq, ++*seq);
	return *seq;
}
