/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leapiod's per-vdev core, inside one poller thread: following the
 * driver's changes (seq/ack), fetching and validating commands, handing
 * them to the backend, completing them. Platform-neutral: guest memory is
 * a window (GPA g at gmem + g) whose pages may be touched only once the
 * region's tables say they are translated (and, where the platform has
 * reach(), only through the pointer it gives); the host driver is
 * reached through struct lio_plat (plat.h).
 */
#ifndef LEAPIOD_VDEV_H
#define LEAPIOD_VDEV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "lio_env.h"
#include "../../common/leapio/region_layout.h"
#include "../../common/nvme/io_cmd.h"
#include "../../common/nvme/queue_rules.h"
#include "../backend/backend.h"
#include "plat.h"
#include "runtime.h"
#include "uncor.h"

#define LIO_IOV_MAX	(LIO_MAX_XFER_PAGES + 1)
#define LIO_MAX_XFER_PAGES	256		/* 1 MiB at most, MDTS <= 8 */
#define LIO_NR_VEC	(LEAPIO_VECTOR_WORDS * 64)

struct lio_vdev;

/*
 * A namespace as this runtime serves it, NSID = its index + 1: the
 * driver's table entry (geometry, attached or not), applied at a seq, and
 * the backend the configuration gives it (NSID 1: the vdev's own; the
 * others: its "namespaces"). One the driver has attached and no backend
 * here serves takes no I/O (Namespace Not Ready), one it has not takes
 * none either (Invalid Namespace).
 */
struct lio_rns {
	struct lio_bdev		*bdev;		/* NULL: none configured */
	/* Write Uncorrectable's marks: the poller's (kept in the state
	 * directory), else uncor_mem.
	 */
	struct lio_uncor	*uncor;
	struct lio_uncor	uncor_mem;
	struct nvme_io_ns	io;		/* as the I/O checks see it */
	u64			nsze;		/* blocks; 0: no such namespace */
	u8			lba_shift;
	bool			attached;	/* the driver's: I/O goes */
	bool			warned_size;
	u32			gen;		/* of the table entry applied */
	u64			bdev_size;	/* the backend's, as last looked at */
};

struct lio_cmd {
	struct lio_io	io;		/* first: done() gets &io */
	struct lio_vdev	*v;
	struct lio_rns	*ns;		/* its namespace; NULL: FFFFFFFFh */
	struct lio_cmd	*next;		/* free list / CQ backlog */
	struct leapio_inflight *je;	/* its journal entry */
	u16		sqid;
	u16		tag;
	u32		generation;
	u16		status;
	u8		opcode;
	bool		abandoned;	/* reset: drop the completion */
	bool		busy;		/* fetched, not yet freed */
	bool		redo;		/* journalled, waits for room */
	bool		reported;	/* its error is with the driver */
	u16		err_loc;	/* failed: Parameter Error Location */
	u64		err_lba;	/* failed: the LBA at fault */
	u32		nr_sub;		/* DSM: backend requests left */
	struct lio_io	*sub;		/* DSM ranges */
	void		*bounce;	/* Compare, Verify */
	struct lio_copy	*copy;		/* Copy (copy.c) */
	u32		dw0;		/* the CQE's DW0 */
	bool		staged;		/* data in stage (plat.h stage_in) */
	u32		niov;		/* ... for iov[0..niov) */
	struct iovec	stage;
	u64		bytes;
	u64		start_ns;	/* the pass that fetched it */
	struct iovec	iov[LIO_IOV_MAX];
};

struct lio_rsq {
	bool		live;
	bool		dying;		/* deleted: finishing what is in flight */
	bool		bad_db;		/* its doorbell holds last_bad */
	bool		held;		/* memory untranslated: not touched */
	__le32		*tail_p;	/* doorbell page or shadow doorbell */
	__le32		*eventidx_p;	/* NULL without shadow doorbells */
	u32		qgen;
	u16		size;
	u16		cqid;
	u32		last_bad;	/* the bad value last told (AEN) */
	u16		tail;		/* the last valid tail doorbell value */
	u8		*base;		/* guest SQ memory */
	struct leapio_sq_desc *d;
	struct lio_cmd	*cmds;		/* [LEAPIO_INFLIGHT_PER_SQ] */
	struct lio_cmd	*free;
	u32		inflight;
	u32		queued;		/* done, waiting in its CQ's backlog */
	u32		redo;		/* journalled commands waiting for room */
	u16		last_tail;	/* as last seen, for EventIdx */
};

struct lio_rcq {
	bool		live;
	bool		bad_db;		/* its doorbell holds last_bad */
	bool		held;		/* memory untranslated: not touched */
	__le32		*head_p;
	__le32		*eventidx_p;
	u32		last_bad;	/* the bad value last told (AEN) */
	u32		qgen;
	u16		size;
	u16		last_head;	/* head last seen: the guest's next may
					 * not release more than was posted
					 */
	u16		vector;
	bool		ien;
	u8		*base;
	struct leapio_cq_desc *d;
	struct lio_cmd	*backlog, *backlog_tail;	/* waiting for room */
	bool		flush_due;	/* new completions this pass */
	u32		owed;		/* posted, not yet interrupted */
	u64		owed_since_ns;
};

/* Format NVM's erase, a piece at the backend (format.c). */
#define LIO_FMT_IOS	8

struct lio_fmt_io {
	struct lio_io	io;		/* first: done() gets it */
	struct lio_vdev	*v;
	bool		busy;
};

struct lio_fmt {
	u32		gen;		/* being carried out; 0: none yet */
	u32		answered;	/* the last one answered */
	u8		lba_shift;
	u8		ses;
	u32		nsid;		/* the one asked; FFFFFFFFh: each */
	u32		cur;		/* NSID being erased; past the last: done */
	bool		started;	/* what was fetched before is done */
	u16		status;		/* the answer so far */
	u64		next, end;	/* bytes of cur's erase not started */
	u32		inflight;
	struct lio_fmt_io io[LIO_FMT_IOS];
};

/*
 * Namespace Management's create the driver asked (region minor 9,
 * ctrl.nscreate_*), for the poller to carry out between two passes
 * (pool.h) and answer with lio_vdev_ns_created().
 */
struct lio_nscreate {
	bool		pending;	/* asked, not yet answered by us */
	u32		gen;
	u32		answered;	/* the last gen answered; 0: none */
	u32		nsid;
	u64		nsze;		/* blocks */
	u8		lba_shift;
};

struct lio_vdev {
	struct lio_vdev_cfg	cfg;
	const struct lio_plat	*plat;
	void			*plat_ctx;
	bool			plat_mem;	/* plat has guest-memory hooks */
	struct leapio_region_view r;
	u8			*gmem;
	u64			gmem_size;
	int			wake_fd;
	struct lio_poller_stats	*stats;
	struct lio_vdev_stats	*io_stats;	/* NULL: not kept */
	struct lio_rns		ns[LIO_MAX_NSID];
	u64			now;		/* when this pass began */

	u32			seen_seq;
	u32			generation;
	u32			state;
	bool			ack_pending;	/* applied seq waits for a drain */
	bool			quiesce;	/* no fetching: swap, removal */
	bool			let_go;		/* the driver asked: no fetching */
	u32			max_xfer;	/* MDTS, bytes */
	u32			max_wz;		/* WZSL, bytes */
	bool			err_reports;	/* the driver takes MBOX_ERROR */
	bool			ns_grows;	/* ... and MBOX_NS_GROW */
	bool			ns_grows_any;	/* ... of any NSID (arg1) */
	bool			formats;	/* ... and Format NVM (minor 6) */
	bool			formatting;	/* one asked, not applied: no fetching */
	struct lio_fmt		fmt;
	bool			pools;		/* ... and the pool (minor 9) */
	struct lio_nscreate	nscreate;
	bool			err_warned;	/* ... and refused one */
	bool			irq_warned;	/* the platform failed a raise */
	u32			mbox_checked;	/* posted up to here: results seen */
	u32			page_size;	/* CC.MPS, at least 4 KiB */
	u32			inflight;	/* commands at the backend */

	u32			irq_seq;
	bool			irq_seq_valid;
	int			irqfd[LIO_NR_VEC];

	u16			nr_ioq;
	struct lio_rsq		*sq;		/* [nr_ioq + 1] */
	struct lio_rcq		*cq;
	bool			did_work;
	bool			any_held;	/* a live queue is held */
	bool			any_redo;	/* an SQ has redo commands */
	u64			held_retry_ns;	/* next MAP of held queues */
	u64			xl_lo, xl_hi;	/* a translated leaf */
	bool			recovering;	/* first sync after attach */
	/*
	 * What the journal held at attach (a runtime that died, or one that
	 * let go): commands issued again, completions posted again from
	 * their journal copy, and entries of an older controller or queue
	 * dropped. Logged once the first sync is done.
	 */
	struct {
		u32		redo;
		u32		posted;
		u32		stale;
	} recovered;
	bool			drain_gen;	/* ack waits for inflight == 0 */
};

static inline enum lio_io_class lio_io_class_of(u8 opcode)
{
	switch (opcode) {
	case nvme_cmd_read:
	case nvme_cmd_compare:
		return LIO_CLASS_READ;
	case nvme_cmd_write:
		return LIO_CLASS_WRITE;
	default:
		return LIO_CLASS_OTHER;
	}
}

/*
 * A completion posted in the pass that began at now: counted in its
 * class (runtime.h). Both ends of the latency are pass times (v->now),
 * so keeping it reads no clock.
 */
static inline void lio_io_account(struct lio_vdev_stats *st,
				  const struct lio_cmd *c, u64 now)
{
	struct lio_io_stats *s = &st->io[lio_io_class_of(c->opcode)];
	u64 lat = now - c->start_ns;

	s->cmds++;
	if (c->status)
		s->errors++;
	else
		s->bytes += c->bytes;
	s->lat_sum_ns += lat;
	lio_hist_record(&s->lat, lat);
}

/* Every field of the backend request, without a memset per command. */
static inline void lio_io_init(struct lio_io *io, u8 op)
{
	io->op = op;
	io->fua = false;
	io->offset = 0;
	io->len = 0;
	io->iov = NULL;
	io->iovcnt = 0;
	io->res = 0;
}

/* The namespace nsid of v (1..LIO_MAX_NSID), else NULL. */
static inline struct lio_rns *lio_rns_get(struct lio_vdev *v, u32 nsid)
{
	return nsid && nsid <= LIO_MAX_NSID ? &v->ns[nsid - 1] : NULL;
}

/* Namespace ns's entry of the region's table, or NULL (no table, or none). */
static inline struct leapio_ns_desc *lio_rns_desc(struct lio_vdev *v,
						  const struct lio_rns *ns)
{
	return ns ? leapio_ns_ptr(&v->r, (u32)(ns - v->ns) + 1) : NULL;
}

/* vdev.c */
/*
 * Answer the create asked as gen (v->nscreate) with status, an NVMe
 * status field: 0 or the mailbox's error.
 */
int lio_vdev_ns_created(struct lio_vdev *v, u32 gen, u16 status);
/* bdev: namespace 1's backend; the others' come by lio_vdev_ns_backend(). */
int lio_vdev_init(struct lio_vdev *v, const struct lio_vdev_cfg *cfg,
		  void *region, u8 *gmem, u64 gmem_size, int wake_fd,
		  const struct lio_plat *plat, void *plat_ctx,
		  struct lio_bdev *bdev, struct lio_poller_stats *stats);
/*
 * Namespace nsid's backend and marks (uncor NULL: kept in memory), or
 * none (bdev NULL), from the next pass on. Between passes only, with
 * nothing of the namespace at its old backend (lio_vdev_quiet()).
 */
void lio_vdev_ns_backend(struct lio_vdev *v, u32 nsid, struct lio_bdev *bdev,
			 struct lio_uncor *uncor);
void lio_vdev_fini(struct lio_vdev *v);
/* One pass: follow seq, fetch, complete, interrupt. Work done or not. */
bool lio_vdev_poll(struct lio_vdev *v, u64 now_ns);
/* Post the completions of this pass (backend reaping calls done()). */
void lio_vdev_flush(struct lio_vdev *v);
/*
 * Nothing of the vdev at the backend and no interrupt owed for what was
 * posted: what a detach waits for.
 */
bool lio_vdev_quiet(struct lio_vdev *v);
/*
 * The driver asked the runtime to let go (leapio_region.h, "Letting
 * go") and it has: fetching stopped, nothing at the backend, the
 * completions posted (or left in the journal when the guest's CQ is
 * full) and interrupted, the seq acked. Then let_go_ack says so and the
 * driver is kicked: true, and the caller detaches without touching the
 * region again. False while the vdev was not asked or is not done yet.
 */
bool lio_vdev_let_go(struct lio_vdev *v);
/* Can the poller sleep on the wake fd (arms EventIdx if so)? */
bool lio_vdev_may_sleep(struct lio_vdev *v);
/* Recover the journal after attach. */
void lio_vdev_recover(struct lio_vdev *v);

/* guest.c: guest memory through the translation tables */
void *lio_gptr(struct lio_vdev *v, u64 gpa, u64 len);
/* The same, without asking the driver: NULL if not translated now. */
void *lio_gpeek(struct lio_vdev *v, u64 gpa, u64 len);
int lio_mbox_call(struct lio_vdev *v, u32 op, u64 arg0, u64 arg1);
/*
 * A request the answer of which nobody waits for: in the mailbox, but
 * the driver sees it only at the next kick (lio_mbox_flush() or any
 * lio_mbox_call()). 0, or the kick's error when the mailbox was full.
 */
int lio_mbox_post(struct lio_vdev *v, u32 op, u64 arg0, u64 arg1, u64 arg2);

/*
 * Format NVM (format.c): take what the driver asks at a seq (apply);
 * carry it out, a pass at a time (poll); pieces of its erase at the
 * backend (busy).
 */
void lio_format_apply(struct lio_vdev *v);
void lio_format_poll(struct lio_vdev *v);
bool lio_format_busy(const struct lio_vdev *v);
/* Kick: the driver answers every request posted. 0 or -errno. */
int lio_mbox_flush(struct lio_vdev *v);
/*
 * Recompute each namespace's I/O bounds: its size, and what of it the
 * backend holds; and say in the region (backend_bytes) what namespace
 * 1's backend holds.
 */
void lio_vdev_ns_update(struct lio_vdev *v);

/* io.c */
void lio_cmd_start(struct lio_vdev *v, struct lio_cmd *c);
/* The status of a failed backend request (lio_io.res). */
u16 lio_res_status(int32_t res);
/*
 * The command's len bytes of data (PRP1/PRP2) copied out of guest memory
 * into buf: DSM's and Copy's ranges, which the guest may change while
 * the command runs. An NVMe status.
 */
u16 lio_cmd_data_in(struct lio_vdev *v, struct lio_cmd *c,
		    const struct nvme_sqe *sqe, void *buf, u32 len);
/* Hand io to backend b: 0 or the status the command fails with. */
u16 lio_submit(struct lio_bdev *b, struct lio_io *io);
/*
 * Write Uncorrectable's marks of [slba, slba + nlb): changed (lio_uncor_
 * mark/clear, with their -errno turned into a status), or checked before
 * a read (Unrecovered Read Error with c->err_lba the first marked LBA).
 */
u16 lio_uncor_status(int ret);
u16 lio_uncor_read_check(struct lio_cmd *c, u64 slba, u64 nlb);

/* copy.c: Copy, through a buffer of leapiod's. 0xffff: started. */
u16 lio_cmd_copy(struct lio_vdev *v, struct lio_cmd *c,
		 const struct nvme_sqe *sqe, struct nvme_io_cmd *cmd);

/* cq.c */
void lio_cmd_finish(struct lio_cmd *c, u16 status);
void lio_cq_flush(struct lio_vdev *v, u16 cqid);
void lio_cq_post_journal(struct lio_vdev *v, struct leapio_inflight *e,
			 u16 sqid);
void lio_irq_pass(struct lio_vdev *v, u64 now_ns);
void lio_irq_fds_close(struct lio_vdev *v);
u16 lio_cq_head(struct lio_vdev *v, u16 cqid);
/*
 * A doorbell holds val, which is not valid: told to the guest by an AEN
 * (Invalid Doorbell Write Value), once per value it holds.
 */
void lio_db_bad(struct lio_vdev *v, bool *bad, u32 *last_bad, u32 val);
/* The next head read is taken as it is (restart, doorbell moved). */
void lio_cq_head_resync(struct lio_rcq *cq);

u64 lio_now_ns(void);

/* A command done with: its journal entry free, its tag reusable. */
static inline void lio_cmd_free(struct lio_vdev *v, struct lio_cmd *c)
{
	struct lio_rsq *sq = &v->sq[c->sqid];

	__atomic_store_n(&c->je->state, LEAPIO_INFLIGHT_FREE, __ATOMIC_RELEASE);
	c->busy = false;
	c->next = sq->free;
	sq->free = c;
}

static inline __le32 *lio_db(struct lio_vdev *v, u32 idx)
{
	return leapio_db_ptr(&v->r, idx);
}

#endif /* LEAPIOD_VDEV_H */
