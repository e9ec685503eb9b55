/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The writer's side of the shared region (uapi/linux/leapio_region.h):
 * every [drv] field a host driver publishes to a runtime, written in one
 * place. Pure logic, built into leapio_host.ko (kernel/host/datapath.c,
 * pin.c, region.c) and into the unit tests' fake host, so that leapiod is
 * tested against the protocol the module speaks, not a copy of it.
 *
 * The caller keeps what is its own: locking, waiting for the ack,
 * pinning, waking the runtime. The writer keeps the state that outlives
 * one change (struct leapio_wr) and never decides anything from what it
 * reads back out of the region, since the runtime can write anywhere in
 * its mapping: bounds come from v->hdr, which the kernel points at its
 * private copy of the header. The only region fields read are the
 * runtime's own counters, for SMART.
 *
 * Every store is a WRITE_ONCE() of a whole field. A change becomes the
 * runtime's business at leapio_wr_bump(), whose write barrier orders it
 * before the new seq; a queue's valid is also written last behind a
 * barrier of its own, and an L2 table's entries before the L1 pointer
 * to it, for a runtime that looks between two seqs.
 *
 * Functions that take an index return -EINVAL, having written nothing,
 * when it is outside the layout (or an address is misaligned); else 0.
 */
#ifndef LEAPIO_REGION_WRITER_H
#define LEAPIO_REGION_WRITER_H

#include "region_layout.h"

/* SMART counters (the SQ descriptors' runtime fields), summed. */
struct leapio_wr_smart {
	u64	cmds_read;
	u64	cmds_written;
	u64	bytes_read;
	u64	bytes_written;
};

/* The writer's own state of one region; zeroed with it. */
struct leapio_wr {
	u32	qgen;		/* the last queue generation handed out */
	u32	generation;	/* the current controller generation */
	struct leapio_wr_smart gone;	/* of SQs deleted or reset */
};

/* An I/O SQ as Create I/O SQ gave it. */
struct leapio_wr_sq {
	u64	gpa;
	u16	size;		/* entries */
	u16	cqid;
	u8	prio;
};

/* An I/O CQ as Create I/O CQ gave it. */
struct leapio_wr_cq {
	u64	gpa;
	u16	size;
	u16	vector;
	bool	ien;
};

struct leapio_wr_geometry {
	u64	nsze;		/* namespace size, LBAs */
	u32	page_shift;	/* CC.MPS + 12 */
	u8	lba_shift;
	u8	mdts;
};

struct leapio_wr_features {
	u64	irq_cd[LEAPIO_VECTOR_WORDS];	/* Coalescing Disable */
	u32	irq_coalesce;	/* Set Features 08h dword */
	bool	vwc;
};

struct leapio_wr_irq {
	u64	masked[LEAPIO_VECTOR_WORDS];
	u32	mode;		/* enum leapio_irq_mode */
	u32	irq_seq;
};

/* ---- queues ---- */

/*
 * Create I/O SQ / CQ: the descriptor with the next queue generation, the
 * runtime's fields at their start (SQ head 0 and counters 0; CQ tail 0,
 * phase 1), the queue's doorbell page 0 (what an earlier queue of that
 * qid left must not be taken for this one's), valid last.
 */
int leapio_wr_publish_sq(struct leapio_wr *w,
			 const struct leapio_region_view *v, u16 qid,
			 const struct leapio_wr_sq *sq);
int leapio_wr_publish_cq(struct leapio_wr *w,
			 const struct leapio_region_view *v, u16 qid,
			 const struct leapio_wr_cq *cq);
/* Delete I/O SQ / CQ: valid = 0. */
int leapio_wr_sq_invalidate(const struct leapio_region_view *v, u16 qid);
int leapio_wr_cq_invalidate(const struct leapio_region_view *v, u16 qid);

/*
 * A reset: state OFF, the next generation, every queue invalid, Doorbell
 * Buffer Config off. Returns the new generation.
 */
u32 leapio_wr_reset(struct leapio_wr *w, const struct leapio_region_view *v);

/*
 * An SQ gone (after the ack of its deletion or of a reset): its SMART
 * counters go on counting in w, its descriptor may be reused.
 */
int leapio_wr_fold_sq(struct leapio_wr *w, const struct leapio_region_view *v,
		      u16 qid);
/* Add the counters of SQs gone, or of live SQ qid, to *s. */
void leapio_wr_smart_gone(const struct leapio_wr *w, struct leapio_wr_smart *s);
int leapio_wr_smart_sq(const struct leapio_region_view *v, u16 qid,
		       struct leapio_wr_smart *s);
/*
 * Add namespace nsid's counters (its table entry's runtime fields, which
 * a runtime of minor 7 keeps per namespace) to *s: 0, or -EINVAL (no
 * table, nsid not in it).
 */
int leapio_wr_smart_ns(const struct leapio_region_view *v, u32 nsid,
		       struct leapio_wr_smart *s);

/*
 * A runtime arrives at queues the controller model has been running: it
 * goes on from the model's positions. With db, the doorbell page also
 * gets the model's doorbell value (false when the guest writes the
 * mmapped doorbell pages itself: they are right already).
 */
int leapio_wr_handover_sq(const struct leapio_region_view *v, u16 qid,
			  u16 head, u16 tail, bool db);
int leapio_wr_handover_cq(const struct leapio_region_view *v, u16 qid,
			  u16 tail, u8 phase, u16 head, bool db);

/* A doorbell value (a trapped write) into doorbell page idx. */
int leapio_wr_doorbell(const struct leapio_region_view *v, u32 idx, u32 val);

/* ---- the controller ---- */

void leapio_wr_set_state(const struct leapio_region_view *v,
			 enum leapio_vdev_state state);
void leapio_wr_put_geometry(const struct leapio_region_view *v,
			    const struct leapio_wr_geometry *g);
void leapio_wr_put_features(const struct leapio_region_view *v,
			    const struct leapio_wr_features *f);
void leapio_wr_put_irq(const struct leapio_region_view *v,
		       const struct leapio_wr_irq *irq);
/* Doorbell Buffer Config: the GPAs (0 when off), then the flag. */
void leapio_wr_put_dbbuf(const struct leapio_region_view *v, bool on,
			 u64 shadow, u64 eventidx);
void leapio_wr_put_db_mapped(const struct leapio_region_view *v, bool mapped);
/*
 * Ask the attached runtime to let go (on: it drains and detaches at the
 * next seq), or clear the request (off: whenever a runtime is given the
 * region). Region version_minor 2.
 */
void leapio_wr_put_let_go(const struct leapio_region_view *v, bool on);
/*
 * Ask for Format NVM gen (namespace nsid or FFFFFFFFh for all, lba_shift,
 * ses), or say which one was applied (with the geometry it gave). Region
 * version_minor 6; nsid is read from minor 7.
 */
void leapio_wr_put_format(const struct leapio_region_view *v, u32 gen,
			  u32 nsid, u8 lba_shift, u8 ses);
void leapio_wr_put_format_applied(const struct leapio_region_view *v, u32 gen);
/*
 * Namespace nsid's entry of the namespace table (region minor 7): state
 * (enum leapio_ns_state), LBA size and blocks, whether it was made from
 * the pool (minor 9), its gen bumped so that a runtime tells it changed
 * (not when all four are as they were). A
 * namespace that was absent starts with its SMART counters at zero. 0, or
 * -EINVAL (no table, nsid not in it, a state or LBA size there is not);
 * nothing is written then.
 */
int leapio_wr_put_ns(const struct leapio_region_view *v, u32 nsid, u8 state,
		     u8 lba_shift, u64 nsze, bool pooled);
/*
 * Ask for namespace create gen (namespace nsid, nsze blocks of 1 <<
 * lba_shift bytes) from the runtime's pool, or say which one was done.
 * Region version_minor 9.
 */
void leapio_wr_put_nscreate(const struct leapio_region_view *v, u32 gen,
			    u32 nsid, u64 nsze, u8 lba_shift);
void leapio_wr_put_nscreate_done(const struct leapio_region_view *v, u32 gen);
/* The number telling this region from others of its UUID (minor 9). */
void leapio_wr_put_instance(const struct leapio_region_view *v, u64 instance);

/* ---- translations (GPA -> HPA), all pinned writable ---- */

/* l1[blk] = a 2 MiB leaf at hpa (2 MiB aligned). */
int leapio_wr_xlate_set_2m(const struct leapio_region_view *v, u64 blk,
			   u64 hpa);
/* Entry slot (0..511) of L2 table t = a 4 KiB leaf at hpa (4 KiB aligned). */
int leapio_wr_xlate_set_4k(const struct leapio_region_view *v, u32 t,
			   u32 slot, u64 hpa);
int leapio_wr_xlate_clear_4k(const struct leapio_region_view *v, u32 t,
			     u32 slot);
/* Every entry of table t = 0: a table handed out afresh. */
int leapio_wr_xlate_wipe(const struct leapio_region_view *v, u32 t);
/* l1[blk] = a pointer to table t, after a barrier behind its entries. */
int leapio_wr_xlate_hook(const struct leapio_region_view *v, u64 blk, u32 t);
/* l1[blk] = 0: its leaf, or its table, is gone. */
int leapio_wr_xlate_clear(const struct leapio_region_view *v, u64 blk);

/* ---- the seq / ack handshake ---- */

/*
 * Announce everything written so far: a write barrier, then ctrl->seq =
 * ++*seq (the caller keeps seq, and serialises bumps). Returns the new
 * seq, the one to wait for.
 */
u32 leapio_wr_bump(const struct leapio_region_view *v, u32 *seq);

/*
 * Has a runtime that wrote ack applied seq? It applies every change up
 * to the seq it read, so a later ack covers an earlier seq (mod 2^32).
 * The caller reads ack with acquire semantics.
 */
static inline bool leapio_wr_acked(u32 ack, u32 seq)
{
	return (s32)(ack - seq) >= 0;
}

#endif /* LEAPIO_REGION_WRITER_H */
