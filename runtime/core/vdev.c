// SPDX-License-Identifier: GPL-2.0
/*
 * A vdev in its poller: following the driver's changes (seq/ack),
 * recovering the journal after attach, fetching commands.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vdev.h"

#define LIO_RING_ROOM	260	/* a DSM can take 256 backend requests */

_Static_assert(LIO_MAX_NSID == LEAPIO_MAX_NS,
	       "the configuration's NSIDs are the driver's table's");

int lio_vdev_init(struct lio_vdev *v, const struct lio_vdev_cfg *cfg,
		  void *region, u8 *gmem, u64 gmem_size, int wake_fd,
		  const struct lio_plat *plat, void *plat_ctx,
		  struct lio_bdev *bdev, struct lio_poller_stats *stats)
{
	unsigned int i;

	memset(v, 0, sizeof(*v));
	v->cfg = *cfg;
	leapio_region_view(&v->r, region);
	v->gmem = gmem;
	v->gmem_size = gmem_size;
	v->wake_fd = wake_fd;
	v->plat = plat;
	v->plat_ctx = plat_ctx;
	v->plat_mem = plat->reach || plat->room || plat->stage_in;
	v->stats = stats;
	for (i = 0; i < LIO_MAX_NSID; i++) {
		lio_uncor_init_mem(&v->ns[i].uncor_mem);
		v->ns[i].uncor = &v->ns[i].uncor_mem;
	}
	v->ns[0].bdev = bdev;
	v->ns[0].bdev_size = bdev->size;
	v->nr_ioq = v->r.hdr->nr_ioq;
	for (i = 0; i < LIO_NR_VEC; i++)
		v->irqfd[i] = -1;
	v->sq = calloc(v->nr_ioq + 1, sizeof(*v->sq));
	v->cq = calloc(v->nr_ioq + 1, sizeof(*v->cq));
	if (!v->sq || !v->cq) {
		free(v->sq);
		free(v->cq);
		return -ENOMEM;
	}
	v->generation = v->r.ctrl->generation;
	v->seen_seq = v->r.ctrl->seq - 1;	/* apply everything first */
	/* Requests an earlier runtime posted are not ours to look at. */
	v->mbox_checked = v->r.mbox->prod;
	/* Drivers before region 1.1 refuse error reports: none is sent. */
	v->err_reports = v->r.hdr->version_minor >= 1;
	v->ns_grows = v->r.hdr->version_minor >= 3;
	v->ns_grows_any = v->r.hdr->version_minor >= 8;
	v->formats = v->r.hdr->version_minor >= 6;
	v->pools = v->r.hdr->version_minor >= 9;
	v->recovering = true;
	v->now = lio_now_ns();	/* the journal's commands start before a pass */
	return 0;
}

void lio_vdev_fini(struct lio_vdev *v)
{
	u16 q;

	lio_irq_fds_close(v);
	for (q = 0; q < LIO_MAX_NSID; q++)
		lio_uncor_close(&v->ns[q].uncor_mem);
	for (q = 0; q <= v->nr_ioq; q++)
		free(v->sq[q].cmds);
	free(v->sq);
	free(v->cq);
	v->sq = NULL;
	v->cq = NULL;
}

void lio_vdev_ns_backend(struct lio_vdev *v, u32 nsid, struct lio_bdev *bdev,
			 struct lio_uncor *uncor)
{
	struct lio_rns *ns = lio_rns_get(v, nsid);

	ns->bdev = bdev;
	ns->uncor = uncor ? uncor : &ns->uncor_mem;
	ns->bdev_size = bdev ? bdev->size : 0;
	ns->warned_size = false;
	lio_vdev_ns_update(v);
}

void lio_vdev_ns_update(struct lio_vdev *v)
{
	unsigned int i;

	for (i = 0; i < LIO_MAX_NSID; i++) {
		struct lio_rns *ns = &v->ns[i];
		u64 held = ns->bdev ? ns->bdev->size >> ns->lba_shift : 0;

		/* LBAs the backend does not hold are out of range, as
		 * beyond nsze.
		 */
		nvme_io_ns_set(&ns->io, ns->nsze < held ? ns->nsze : held,
			       ns->lba_shift, v->max_xfer, v->max_wz);
	}
	/*
	 * What the driver may grow namespace 1 to when the operator asks
	 * through sysfs (ns_size): the backend as it is now. A driver before
	 * minor 5 has reserved bytes there.
	 */
	__atomic_store_n(&v->r.ctrl->backend_bytes, v->ns[0].bdev->size,
			 __ATOMIC_RELEASE);
}

/*
 * Namespace nsid as the driver has it now: from the namespace table
 * (region minor 7), where a guest may also have detached NSID 1; before
 * it, NSID 1 from the control block, always attached, and no others. A
 * namespace whose entry changed, or that is no longer attached, has its
 * commands at the backend finish before this seq is acked: none of the
 * old geometry runs after the driver went on.
 */
static void lio_ns_apply(struct lio_vdev *v, u32 nsid)
{
	const struct leapio_ns_desc *d = leapio_ns_ptr(&v->r, nsid);
	struct lio_rns *ns = lio_rns_get(v, nsid);
	bool attached;
	u64 nsze;
	u8 shift;
	u32 gen;

	if (d) {
		attached = __atomic_load_n(&d->state, __ATOMIC_RELAXED) ==
			   LEAPIO_NS_ATTACHED;
		nsze = d->nsze;
		shift = d->lba_shift;
		gen = d->gen;
	} else if (nsid == 1) {
		attached = true;
		nsze = v->r.ctrl->nsze;
		shift = v->r.ctrl->lba_shift;
		gen = 0;
	} else {
		attached = false;
		nsze = 0;
		shift = 9;
		gen = 0;
	}
	if (!attached)
		nsze = 0;
	if (shift != 9 && shift != 12)
		nsze = 0;	/* not a format of ours: no LBA is valid */
	if (gen != ns->gen || attached != ns->attached) {
		/* At attach nothing of ours is in flight, of any geometry. */
		if (!v->recovering)
			v->drain_gen = true;
		if (nsid > 1 && attached && !ns->bdev)
			lio_log("vdev %s: namespace %u (%llu blocks of %u bytes) "
				"has no backend in the configuration: its I/O "
				"fails (Namespace Not Ready)", v->cfg.uuid, nsid,
				(unsigned long long)nsze, 1U << shift);
	}
	ns->attached = attached;
	ns->nsze = nsze;
	ns->lba_shift = shift;
	ns->gen = gen;
	if (v->state == LEAPIO_VDEV_READY && ns->bdev && !ns->warned_size &&
	    (nsze << shift) > ns->bdev->size) {
		lio_log("vdev %s: namespace %u (%llu bytes) is larger than "
			"its backend (%llu bytes): LBAs beyond fail",
			v->cfg.uuid, nsid, (unsigned long long)(nsze << shift),
			(unsigned long long)ns->bdev->size);
		ns->warned_size = true;
	}
}

/*
 * A create asked and not yet done (the driver has not applied an answer)
 * nor answered by us: the poller's to carry out.
 */
static void lio_nscreate_apply(struct lio_vdev *v)
{
	const struct leapio_vdev_ctrl *ctrl = v->r.ctrl;
	struct lio_nscreate *n = &v->nscreate;
	u32 gen, done;

	n->pending = false;
	if (!v->pools)
		return;
	gen = __atomic_load_n(&ctrl->nscreate_gen, __ATOMIC_RELAXED);
	done = __atomic_load_n(&ctrl->nscreate_done, __ATOMIC_RELAXED);
	if (gen == done || n->answered == gen)
		return;
	n->pending = true;
	n->gen = gen;
	n->nsid = __atomic_load_n(&ctrl->nscreate_nsid, __ATOMIC_RELAXED);
	n->nsze = __atomic_load_n(&ctrl->nscreate_nsze, __ATOMIC_RELAXED);
	n->lba_shift = __atomic_load_n(&ctrl->nscreate_lba_shift,
				       __ATOMIC_RELAXED);
}

int lio_vdev_ns_created(struct lio_vdev *v, u32 gen, u16 status)
{
	struct lio_nscreate *n = &v->nscreate;

	n->pending = false;
	n->answered = gen;
	return lio_mbox_call(v, LEAPIO_MBOX_NS_CREATED, gen, status);
}

static void lio_fatal(struct lio_vdev *v, const char *what)
{
	lio_log("vdev %s: %s: the controller is failed (CSTS.CFS)",
		v->cfg.uuid, what);
	lio_mbox_call(v, LEAPIO_MBOX_FATAL, 0, 0);
}

/*
 * A doorbell: its shadow when Doorbell Buffer Config is on, else its page.
 * False when the shadow slots are not translated: not to be touched.
 * ask: a MAP request for them if not (never while an ack is owed: the
 * driver refuses memory it is taking away).
 */
static bool lio_db_ptrs(struct lio_vdev *v, u32 idx, bool ask, __le32 **val,
			__le32 **eventidx)
{
	struct leapio_vdev_ctrl *ctrl = v->r.ctrl;
	u64 off = (u64)idx * LEAPIO_REGION_ALIGN;
	void *(*get)(struct lio_vdev *, u64, u64) = ask ? lio_gptr : lio_gpeek;
	__le32 *s, *e;

	*val = lio_db(v, idx);
	*eventidx = NULL;
	if (!ctrl->dbbuf)
		return true;
	s = get(v, ctrl->dbbuf_shadow + off, 4);
	e = s ? get(v, ctrl->dbbuf_eventidx + off, 4) : NULL;
	if (!e)
		return false;
	*val = s;
	*eventidx = e;
	return true;
}

/*
 * Guest memory a queue lives in: translated (asking the driver first if
 * ask), and its place in the window. A queue whose memory or shadow
 * doorbell slots are not translated is held: never touched until they
 * are again (the VFIO user unmapped them, maybe only for a moment, as
 * QEMU does when the guest's memory map changes around them).
 */
static u8 *lio_q_reach(struct lio_vdev *v, u64 gpa, u64 len, bool ask)
{
	return (ask ? lio_gptr : lio_gpeek)(v, gpa, len);
}

/* Reached: the queue's base is where the platform put it (plat.h). */
static bool lio_cq_reach(struct lio_vdev *v, u16 q, bool ask)
{
	struct lio_rcq *cq = &v->cq[q];
	__le32 *old = cq->head_p;
	u8 *base = lio_q_reach(v, cq->d->gpa, (u64)cq->size * 16, ask);

	if (!base ||
	    !lio_db_ptrs(v, 2 * q + 1, ask, &cq->head_p, &cq->eventidx_p))
		return false;
	cq->base = base;
	/* A head we never saw move: the doorbell is elsewhere now. */
	if (old != cq->head_p)
		lio_cq_head_resync(cq);
	return true;
}

static bool lio_sq_reach(struct lio_vdev *v, u16 q, bool ask)
{
	struct lio_rsq *sq = &v->sq[q];
	u8 *base = lio_q_reach(v, sq->d->gpa, (u64)sq->size * 64, ask);

	if (!base || !lio_db_ptrs(v, 2 * q, ask, &sq->tail_p, &sq->eventidx_p))
		return false;
	sq->base = base;
	return true;
}

static void lio_held(struct lio_vdev *v, bool *held, bool now_held,
		     const char *what, u16 q)
{
	if (*held == now_held)
		return;
	*held = now_held;
	lio_log("vdev %s: %s %u: %s", v->cfg.uuid, what, q, now_held ?
		"its memory is not translated: held until it is again" :
		"its memory is translated again: served");
}

/*
 * Hold the live queues whose memory is not translated, release the others.
 * retry: only the held ones, asking the driver for what is missing (MAP);
 * else all, looking at the tables only (at an ack, the driver may be
 * taking memory away and would refuse it).
 */
static void lio_hold_check(struct lio_vdev *v, bool retry)
{
	bool any = false;
	u16 q;

	for (q = 1; q <= v->nr_ioq; q++) {
		struct lio_rcq *cq = &v->cq[q];
		struct lio_rsq *sq = &v->sq[q];

		if (cq->live && (cq->held || !retry))
			lio_held(v, &cq->held, !lio_cq_reach(v, q, retry),
				 "CQ", q);
		if (sq->live && (sq->held || !retry))
			lio_held(v, &sq->held, !lio_sq_reach(v, q, retry),
				 "SQ", q);
		any |= (cq->live && cq->held) || (sq->live && sq->held);
	}
	v->any_held = any;
}

/*
 * The completions waiting in cq's backlog go unposted: those of SQ sqid,
 * or all of them (sqid 0: the admin SQ's never wait there).
 */
static void lio_cq_drop(struct lio_vdev *v, struct lio_rcq *cq, u16 sqid)
{
	struct lio_cmd **pp = &cq->backlog, *c;

	cq->backlog_tail = NULL;
	while ((c = *pp)) {
		if (sqid && c->sqid != sqid) {
			cq->backlog_tail = c;
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		v->sq[c->sqid].queued--;
		lio_cmd_free(v, c);
	}
}

/*
 * The journalled commands of SQ sq still waiting for the platform's room
 * are dropped with the queue (deleted, reset): never run, their entries
 * free.
 */
static void lio_redo_drop(struct lio_vdev *v, struct lio_rsq *sq)
{
	u32 tag;

	for (tag = 0; sq->redo && tag < LEAPIO_INFLIGHT_PER_SQ; tag++) {
		struct lio_cmd *c = &sq->cmds[tag];

		if (!c->redo)
			continue;
		c->redo = false;
		sq->redo--;
		lio_cmd_free(v, c);
	}
}

static void lio_cq_setup(struct lio_vdev *v, u16 q)
{
	struct leapio_cq_desc *d = &v->r.cq[q];
	struct lio_rcq *cq = &v->cq[q];
	bool valid = __atomic_load_n(&d->valid, __ATOMIC_ACQUIRE);

	cq->d = d;
	if (cq->live && (!valid || d->qgen != cq->qgen)) {
		lio_cq_drop(v, cq, 0);
		cq->live = false;
	}
	if (cq->live || !valid || v->state != LEAPIO_VDEV_READY)
		return;
	cq->size = d->size;
	cq->qgen = d->qgen;
	cq->vector = d->vector;
	cq->ien = d->ien;
	cq->owed = 0;
	cq->bad_db = false;
	if (cq->size < 2 || d->gpa >= v->gmem_size ||
	    (u64)cq->size * 16 > v->gmem_size - d->gpa) {
		lio_fatal(v, "a CQ is outside guest memory");
		return;
	}
	cq->base = v->gmem + d->gpa;
	cq->head_p = NULL;
	cq->held = false;
	lio_held(v, &cq->held, !lio_cq_reach(v, q, true), "CQ", q);
	cq->last_head = d->tail;	/* a new CQ: both 0 */
	cq->live = true;
}

/*
 * A fetch killed between ISSUED and the head's advance left the command
 * both in the journal and at the head: it is the journal's, so the head
 * moves past it. A guest never has two commands with one CID outstanding
 * on an SQ, so an ISSUED entry equal to the SQE at the head is that one.
 */
static void lio_sq_recover_head(struct lio_vdev *v, u16 q)
{
	struct lio_rsq *sq = &v->sq[q];
	u16 head = sq->d->head;
	u32 tail = le32_to_cpu(__atomic_load_n(sq->tail_p, __ATOMIC_ACQUIRE));
	const u8 *slot = sq->base + (u64)head * 64;
	u32 tag;

	if (head >= sq->size || tail >= sq->size || tail == head)
		return;
	for (tag = 0; tag < LEAPIO_INFLIGHT_PER_SQ; tag++) {
		struct leapio_inflight *e = leapio_inflight_ptr(&v->r, q, tag);

		if (sq->cmds[tag].busy && !memcmp(e->sqe, slot, 64)) {
			head = head + 1 == sq->size ? 0 : head + 1;
			__atomic_store_n(&sq->d->head, head, __ATOMIC_RELEASE);
			return;
		}
	}
}

/* Redo the journal of SQ q (see struct leapio_inflight). */
static void lio_sq_recover(struct lio_vdev *v, u16 q)
{
	struct lio_rsq *sq = &v->sq[q];
	u32 tag;

	for (tag = 0; tag < LEAPIO_INFLIGHT_PER_SQ; tag++) {
		struct leapio_inflight *e = leapio_inflight_ptr(&v->r, q, tag);
		u32 st = __atomic_load_n(&e->state, __ATOMIC_ACQUIRE);
		bool mine = e->generation == v->generation &&
			    e->qgen == sq->qgen && e->sqid == q;

		if (st == LEAPIO_INFLIGHT_FREE)
			continue;
		if (mine && st == LEAPIO_INFLIGHT_ISSUED) {
			sq->cmds[tag].busy = true;
			v->recovered.redo++;
			continue;	/* redone below, once the free list is built */
		}
		if (!mine)
			v->recovered.stale++;
		if (mine && st == LEAPIO_INFLIGHT_COMPLETING &&
		    v->cq[sq->cqid].live && !v->cq[sq->cqid].held &&
		    v->cq[sq->cqid].d->tail == e->cq_pos) {
			lio_cq_post_journal(v, e, q);
			v->recovered.posted++;
		}
		__atomic_store_n(&e->state, LEAPIO_INFLIGHT_FREE,
				 __ATOMIC_RELEASE);
	}
	if (!sq->held)
		lio_sq_recover_head(v, q);
}

static void lio_sq_setup(struct lio_vdev *v, u16 q)
{
	struct leapio_sq_desc *d = &v->r.sq[q];
	struct lio_rsq *sq = &v->sq[q];
	bool valid = __atomic_load_n(&d->valid, __ATOMIC_ACQUIRE);
	u32 tag, ntags;

	sq->d = d;
	if (sq->live && (!valid || d->qgen != sq->qgen)) {
		sq->live = false;
		lio_redo_drop(v, sq);
		/* completions still go out */
		sq->dying = sq->inflight > 0 || sq->queued > 0;
	}
	if (sq->live || !valid || v->state != LEAPIO_VDEV_READY)
		return;
	/*
	 * Descriptors may be newer than the seq this pass applies: the CQ
	 * was looked at before the driver published it, and the SQ after.
	 * The driver's bump for them is still to come; the next pass sets
	 * both up. (The model never publishes an SQ whose CQ doesn't exist.)
	 */
	if (d->cqid < 1 || d->cqid > v->nr_ioq || d->size < 2)
		return;
	if (!v->cq[d->cqid].live)
		lio_cq_setup(v, d->cqid);
	if (!v->cq[d->cqid].live)
		return;
	if (!sq->cmds) {
		sq->cmds = calloc(LEAPIO_INFLIGHT_PER_SQ, sizeof(*sq->cmds));
		if (!sq->cmds) {
			lio_fatal(v, "out of memory");
			return;
		}
	}
	sq->size = d->size;
	sq->qgen = d->qgen;
	sq->cqid = d->cqid;
	sq->bad_db = false;
	sq->dying = false;
	if (d->gpa >= v->gmem_size ||
	    (u64)sq->size * 64 > v->gmem_size - d->gpa) {
		lio_fatal(v, "an SQ is outside guest memory");
		return;
	}
	sq->base = v->gmem + d->gpa;
	sq->held = false;
	lio_held(v, &sq->held, !lio_sq_reach(v, q, true), "SQ", q);
	sq->live = true;
	if (v->recovering)
		lio_sq_recover(v, q);
	/* Nothing submitted until the doorbell says so. */
	sq->tail = sq->d->head;

	/* At most size - 1 commands of a queue can be outstanding at once
	 * from a host's view; the journal bounds us at its own size.
	 */
	ntags = LEAPIO_INFLIGHT_PER_SQ;
	sq->free = NULL;
	for (tag = ntags; tag-- > 0;) {
		struct lio_cmd *c = &sq->cmds[tag];

		c->v = v;
		c->sqid = q;
		c->tag = tag;
		c->je = leapio_inflight_ptr(&v->r, q, tag);
		if (c->busy)
			continue;
		c->next = sq->free;
		sq->free = c;
	}
	if (v->recovering) {
		for (tag = 0; tag < ntags; tag++) {
			struct leapio_inflight *e =
				leapio_inflight_ptr(&v->r, q, tag);

			if (!sq->cmds[tag].busy ||
			    e->state != LEAPIO_INFLIGHT_ISSUED ||
			    e->qgen != sq->qgen)
				continue;
			/* No staging room (card mode): redone once there is. */
			if (unlikely(v->plat_mem) && v->plat->room &&
			    !v->plat->room(v)) {
				sq->cmds[tag].redo = true;
				sq->redo++;
				v->any_redo = true;
				continue;
			}
			lio_cmd_start(v, &sq->cmds[tag]);
		}
	}
}

/* Apply what the driver published since seen_seq. */
static void lio_apply(struct lio_vdev *v)
{
	struct leapio_vdev_ctrl *ctrl = v->r.ctrl;
	u32 gen = __atomic_load_n(&ctrl->generation, __ATOMIC_ACQUIRE);
	u32 mdts;
	u16 q;

	/* Translations may have gone: forget the one remembered. */
	v->xl_lo = v->xl_hi = 0;
	if (v->plat->forget)
		v->plat->forget(v);
	/* Staged reads go to guest memory at completion: not past an ack
	 * that may take it away.
	 */
	if (v->plat->drain_on_apply)
		v->drain_gen = true;
	v->state = __atomic_load_n(&ctrl->state, __ATOMIC_ACQUIRE);
	/*
	 * Asked to let go (another runtime takes the vdev over): nothing
	 * more is fetched, and this seq's ack waits for the backend.
	 */
	if (__atomic_load_n(&ctrl->let_go, __ATOMIC_RELAXED) && !v->let_go) {
		v->let_go = true;
		v->drain_gen = true;
		lio_log("vdev %s: asked to let go: %u commands at the backend, draining",
			v->cfg.uuid, v->inflight);
	}
	if (gen != v->generation) {
		/* Reset: nothing of the old generation completes. */
		v->generation = gen;
		for (q = 1; q <= v->nr_ioq; q++) {
			lio_cq_drop(v, &v->cq[q], 0);
			v->cq[q].live = false;
			v->sq[q].live = false;
			v->sq[q].dying = false;
			lio_redo_drop(v, &v->sq[q]);
		}
		v->drain_gen = true;
	}
	if (v->state == LEAPIO_VDEV_OFF || v->state == LEAPIO_VDEV_REMOVED) {
		for (q = 1; q <= v->nr_ioq; q++) {
			lio_cq_drop(v, &v->cq[q], 0);
			v->cq[q].live = false;
			v->sq[q].live = false;
			lio_redo_drop(v, &v->sq[q]);
		}
		v->drain_gen = true;
	}
	lio_format_apply(v);
	lio_nscreate_apply(v);
	mdts = ctrl->mdts;
	/*
	 * The guest's limits as Identify gives them: MDTS, and WZSL from it
	 * (common/nvme/io_cmd.h); without one (0), or past what an iovec
	 * here holds, LIO_MAX_XFER_PAGES.
	 */
	if (mdts && mdts <= 8) {
		v->max_xfer = NVME_IO_LIMIT_BYTES(mdts);
		v->max_wz = NVME_IO_LIMIT_BYTES(nvme_io_nodata_sl(mdts));
	} else {
		v->max_xfer = LIO_MAX_XFER_PAGES * 4096U;
		v->max_wz = v->max_xfer;
	}
	v->page_size = ctrl->page_shift > 12 && ctrl->page_shift < 28 ?
		       1U << ctrl->page_shift : 4096;
	for (q = 1; q <= LIO_MAX_NSID; q++)
		lio_ns_apply(v, q);
	lio_vdev_ns_update(v);
	for (q = 1; q <= v->nr_ioq; q++)
		lio_cq_setup(v, q);
	for (q = 1; q <= v->nr_ioq; q++)
		lio_sq_setup(v, q);
	/*
	 * Translations may have been taken away, shadow doorbells turned on
	 * or off: past this ack, held queues are not touched.
	 */
	lio_hold_check(v, false);
	/* A restart: the journal may have posted. */
	for (q = 1; v->recovering && q <= v->nr_ioq; q++)
		if (v->cq[q].live)
			lio_cq_head_resync(&v->cq[q]);
	if (v->recovering && (v->recovered.redo || v->recovered.posted ||
			      v->recovered.stale))
		lio_log("vdev %s: from the journal: %u commands issued again, "
			"%u completions posted again, %u entries of an older "
			"controller or queue dropped", v->cfg.uuid,
			v->recovered.redo, v->recovered.posted,
			v->recovered.stale);
	v->recovering = false;
	v->ack_pending = true;
}

static bool lio_drained(struct lio_vdev *v)
{
	u16 q;

	if (v->drain_gen && v->inflight)
		return false;
	/*
	 * A deleted SQ's commands are done once their CQEs are posted, or
	 * once they are known never to be: its CQ is held.
	 */
	for (q = 1; q <= v->nr_ioq; q++) {
		struct lio_rsq *sq = &v->sq[q];

		if (sq->dying && sq->queued && v->cq[sq->cqid].held)
			lio_cq_drop(v, &v->cq[sq->cqid], q);
		if (sq->dying && (sq->inflight || sq->queued))
			return false;
	}
	return true;
}

static void lio_sync(struct lio_vdev *v)
{
	u32 seq = __atomic_load_n(&v->r.ctrl->seq, __ATOMIC_ACQUIRE);
	u16 q;

	if (seq != v->seen_seq) {
		v->seen_seq = seq;
		lio_apply(v);
		v->did_work = true;
	}
	if (!v->ack_pending || !lio_drained(v))
		return;
	v->drain_gen = false;
	for (q = 1; q <= v->nr_ioq; q++)
		if (!v->sq[q].inflight && !v->sq[q].queued)
			v->sq[q].dying = false;
	__atomic_store_n(&v->r.ctrl->ack, v->seen_seq, __ATOMIC_RELEASE);
	v->ack_pending = false;
	v->plat->kick(v);	/* the driver may be waiting for it */
}

static void lio_sq_fetch(struct lio_vdev *v, u16 q)
{
	struct lio_rsq *sq = &v->sq[q];
	struct lio_rcq *cq = &v->cq[sq->cqid];
	u32 db = le32_to_cpu(__atomic_load_n(sq->tail_p, __ATOMIC_ACQUIRE));
	u16 head = sq->d->head, tail;

	/*
	 * A bad value (past the queue, or with reserved bits 31:16 set) is
	 * told and has no other effect, as in the controller model: what
	 * the last valid one submitted is still fetched, nothing beyond.
	 */
	if (likely(nvme_sq_tail_valid(sq->size, db))) {
		sq->bad_db = false;
		sq->tail = db;
	} else {
		lio_db_bad(v, &sq->bad_db, &sq->last_bad, db);
	}
	tail = sq->tail;
	if (sq->eventidx_p && sq->last_tail != tail) {
		/* Polling: keep EventIdx behind, so the guest never rings. */
		__atomic_store_n(sq->eventidx_p, cpu_to_le32((u16)(tail - 1)),
				 __ATOMIC_RELAXED);
		sq->last_tail = tail;
	}
	/* A full CQ holds its SQs: nothing more is fetched. */
	if (cq->backlog)
		return;
	while (head != tail && sq->free &&
	       lio_ring_inflight(v->ns[0].bdev->ring) + LIO_RING_ROOM < 1024 &&
	       (likely(!v->plat_mem) || !v->plat->room || v->plat->room(v))) {
		struct lio_cmd *c = sq->free;
		struct leapio_inflight *e = c->je;

		sq->free = c->next;
		c->busy = true;
		memcpy(e->sqe, sq->base + (u64)head * 64, 64);
		e->sqid = q;
		e->qgen = sq->qgen;
		e->generation = v->generation;
		__atomic_store_n(&e->state, LEAPIO_INFLIGHT_ISSUED,
				 __ATOMIC_RELEASE);
		head = nvme_q_next(head, sq->size);
		__atomic_store_n(&sq->d->head, head, __ATOMIC_RELEASE);
		lio_cmd_start(v, c);
		v->did_work = true;
	}
}

void lio_vdev_flush(struct lio_vdev *v)
{
	u16 q;

	for (q = 1; q <= v->nr_ioq; q++) {
		struct lio_rcq *cq = &v->cq[q];

		if (cq->flush_due) {
			cq->flush_due = false;
			if (cq->live && !cq->held)
				lio_cq_flush(v, q);
		}
	}
}

/* Journalled commands that waited for the platform's room, in order. */
static void lio_redo(struct lio_vdev *v)
{
	bool left = false;
	u16 q;
	u32 tag;

	for (q = 1; q <= v->nr_ioq; q++) {
		struct lio_rsq *sq = &v->sq[q];

		for (tag = 0; sq->redo && tag < LEAPIO_INFLIGHT_PER_SQ; tag++) {
			struct lio_cmd *c = &sq->cmds[tag];

			if (!c->redo)
				continue;
			if (!sq->live || sq->held || !v->plat->room(v))
				break;
			c->redo = false;
			sq->redo--;
			lio_cmd_start(v, c);
			v->did_work = true;
		}
		left |= sq->redo > 0;
	}
	v->any_redo = left;
}

/* Ask again for the memory of held queues, once a millisecond. */
static void lio_unhold(struct lio_vdev *v, u64 now)
{
	if ((s64)(now - v->held_retry_ns) < 0 || v->ack_pending)
		return;
	v->held_retry_ns = now + 1000000;
	lio_hold_check(v, true);
	if (!v->any_held)
		v->did_work = true;
}

/*
 * Namespace nsid's backend is now another size (a file or a remote
 * namespace grew: the backends look). A namespace that held all of it
 * grows with it, the driver telling the guest (LEAPIO_MBOX_NS_GROW,
 * answered by Namespace Attribute Changed; for a namespace other than 1
 * from region minor 8); one made smaller than its backend stays as it is.
 */
static void lio_backend_resized(struct lio_vdev *v, u32 nsid)
{
	struct lio_rns *n = lio_rns_get(v, nsid);
	u64 was = n->bdev_size, now = n->bdev->size;
	u64 lba_mask = (1ULL << n->lba_shift) - 1;
	u64 ns = n->nsze << n->lba_shift;
	int ret;

	n->bdev_size = now;
	lio_vdev_ns_update(v);
	if (now <= was || !ns || ns != (was & ~lba_mask) ||
	    (now & ~lba_mask) == ns) {
		if (nsid > 1)
			lio_log("vdev %s: namespace %u's backend is now %llu bytes",
				v->cfg.uuid, nsid, (unsigned long long)now);
		return;
	}
	if (!v->ns_grows || (nsid > 1 && !v->ns_grows_any)) {
		lio_log("vdev %s: namespace %u's backend grew to %llu bytes; "
			"this driver cannot grow the namespace (%llu bytes) "
			"under the guest", v->cfg.uuid, nsid,
			(unsigned long long)now, (unsigned long long)ns);
		return;
	}
	ret = lio_mbox_post(v, LEAPIO_MBOX_NS_GROW, now & ~lba_mask,
			    nsid > 1 ? nsid : 0, 0);
	if (!ret)
		ret = lio_mbox_flush(v);
	lio_log("vdev %s: namespace %u's backend grew from %llu to %llu bytes: "
		"the namespace grows with it%s", v->cfg.uuid, nsid,
		(unsigned long long)was, (unsigned long long)now,
		ret ? " (the driver could not be asked)" : "");
}

/* The backends' sizes, as they are now: a namespace may grow with its own. */
static void lio_backends_look(struct lio_vdev *v)
{
	unsigned int i;

	if (unlikely(v->ns[0].bdev->size != v->ns[0].bdev_size))
		lio_backend_resized(v, 1);
	/* Each pass: only the namespaces the configuration gives a backend. */
	for (i = 0; i < v->cfg.nr_ns; i++) {
		u32 nsid = v->cfg.ns[i].nsid;
		struct lio_rns *ns = lio_rns_get(v, nsid);

		if (ns->bdev && unlikely(ns->bdev->size != ns->bdev_size))
			lio_backend_resized(v, nsid);
	}
}

bool lio_vdev_poll(struct lio_vdev *v, u64 now)
{
	u16 q;

	v->did_work = false;
	v->now = now;
	lio_vdev_flush(v);	/* completions reaped since the last pass */
	lio_sync(v);
	/* A reset does not stop a format: it needs no queue. */
	if (unlikely(v->formatting))
		lio_format_poll(v);
	if (v->state != LEAPIO_VDEV_READY)
		return v->did_work;
	lio_backends_look(v);

	if (unlikely(v->any_held))
		lio_unhold(v, now);
	if (unlikely(v->any_redo) && !v->ack_pending && !v->let_go)
		lio_redo(v);
	for (q = 1; q <= v->nr_ioq; q++) {
		struct lio_rcq *cq = &v->cq[q];

		if (!cq->live || cq->held)
			continue;
		if (cq->backlog)
			lio_cq_flush(v, q);
		else
			lio_cq_head(v, q);	/* a bad head: AEN */
		/* Behind the head taken, never a value the guest got wrong. */
		if (cq->eventidx_p)
			__atomic_store_n(cq->eventidx_p,
					 cpu_to_le32((u16)(cq->last_head - 1)),
					 __ATOMIC_RELAXED);
	}
	/* While an ack waits (a drain), CQs still take what is done. */
	if (!v->quiesce && !v->let_go && !v->ack_pending && !v->formatting)
		for (q = 1; q <= v->nr_ioq; q++) {
			struct lio_rsq *sq = &v->sq[q];

			if (sq->live && !sq->held && !v->cq[sq->cqid].held)
				lio_sq_fetch(v, q);
		}
	lio_vdev_flush(v);
	lio_irq_pass(v, now);
	return v->did_work;
}

bool lio_vdev_quiet(struct lio_vdev *v)
{
	u16 q;

	if (v->inflight || lio_format_busy(v))
		return false;
	/* Interrupts are raised only while the controller is ready. */
	for (q = 1; v->state == LEAPIO_VDEV_READY && q <= v->nr_ioq; q++)
		if (v->cq[q].live && v->cq[q].owed)
			return false;
	return true;
}

bool lio_vdev_let_go(struct lio_vdev *v)
{
	if (likely(!v->let_go) || v->ack_pending || !lio_vdev_quiet(v))
		return false;
	/* Last: what it wrote before, CQEs and journal, is seen first. */
	__atomic_store_n(&v->r.ctrl->let_go_ack, v->seen_seq, __ATOMIC_RELEASE);
	/* The driver waits for it; a refusal (it gave up on us) changes
	 * nothing: we detach either way.
	 */
	v->plat->kick(v);
	return true;
}

bool lio_vdev_may_sleep(struct lio_vdev *v)
{
	struct leapio_vdev_ctrl *ctrl = v->r.ctrl;
	bool any = false;
	u16 q;

	/* Held queues are asked for again while polling. */
	if (v->inflight || v->ack_pending || v->any_held || v->any_redo)
		return false;
	/* A format under way is carried out a pass at a time. */
	if (v->formatting && v->fmt.answered != v->fmt.gen)
		return false;
	for (q = 1; q <= v->nr_ioq; q++) {
		if (v->cq[q].backlog || v->cq[q].owed)
			return false;
		any |= v->sq[q].live;
	}
	if (!any || v->state != LEAPIO_VDEV_READY)
		return true;
	if (!ctrl->dbbuf || ctrl->db_mapped)
		return false;
	/* Ask for a ring at the next submission, then look once more. */
	for (q = 1; q <= v->nr_ioq; q++) {
		struct lio_rsq *sq = &v->sq[q];
		u32 tail;

		if (!sq->live || !sq->eventidx_p)
			return false;
		tail = le32_to_cpu(*sq->tail_p);
		/* A bad value stays polled (and told), not an EventIdx. */
		if (!nvme_sq_tail_valid(sq->size, tail))
			return false;
		__atomic_store_n(sq->eventidx_p, cpu_to_le32(tail),
				 __ATOMIC_SEQ_CST);
		sq->last_tail = 0xffff;
		if (le32_to_cpu(__atomic_load_n(sq->tail_p, __ATOMIC_SEQ_CST)) !=
		    sq->d->head)
			return false;
	}
	return true;
}
