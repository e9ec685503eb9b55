// SPDX-License-Identifier: GPL-2.0
/*
 * Poller threads: each owns one io_uring and the vdevs given to it, and
 * is the only thread touching them. The main thread's requests (add,
 * remove, update, stop) wait in a channel the loop looks at between two
 * passes.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../uapi/linux/leapio.h"
#include "lbas.h"
#include "pool.h"
#include "state_dir.h"
#include "vdev.h"

#define LIO_RING_ENTRIES	1024
#define LIO_MAX_VDEVS		64

/* A served vdev: the core's state and how it reaches the host. */
struct lio_slot {
	struct lio_vdev		v;
	struct lio_vdev_cfg	cfg;
	struct lio_plat_att	att;
	/* Per NSID - 1: namespace 1 is the vdev's backend, the others the
	 * configuration's namespaces (NULL, marks in memory: none).
	 */
	struct lio_bdev		*bdev[LIO_MAX_NSID];
	struct lio_uncor	uncor[LIO_MAX_NSID];
	struct lio_vdev_stats	io_stats;	/* outlives attachments */
	/* The namespaces made from the pool, and which of bdev[] are its. */
	struct lio_pool		pool;
	u32			pooled;		/* bit nsid - 1 */
	bool			attached;
	bool			waiting;	/* for its mdev to appear */
	u64			next_try_ns;
};

enum lio_req_op {
	LIO_REQ_ADD, LIO_REQ_REMOVE, LIO_REQ_UPDATE, LIO_REQ_STATS, LIO_REQ_STOP
};

struct lio_req {
	enum lio_req_op		op;
	const struct lio_vdev_cfg *cfg;
	const char		*uuid;
	char			*err;
	size_t			errlen;
	struct lio_poller_stats	*st;		/* STATS: */
	struct lio_vdev_stats	*vst;		/* ... of uuid, if not NULL */
	int			ret;
	bool			done;
};

struct lio_poller {
	struct lio_poller_cfg	cfg;
	const struct lio_plat	*plat;
	void			*plat_ctx;
	unsigned int		index;
	pthread_t		thread;
	struct lio_ring		*ring;
	struct lio_slot		*slots[LIO_MAX_VDEVS];
	unsigned int		nr_slots;
	struct lio_poller_stats	stats;
	uint64_t		beats;		/* lio_poller_beats() */

	pthread_mutex_t		lock;
	pthread_cond_t		cond;
	struct lio_req		*req;		/* one at a time */
	bool			has_req;	/* read without the lock */
	bool			stop;
};

/* Only this thread writes beats: a plain increment, stored whole. */
static inline void lio_beat(struct lio_poller *p)
{
	__atomic_store_n(&p->beats, p->beats + 1, __ATOMIC_RELAXED);
}

/* Every change of the marks goes to the region too (lbas.c). */
static void lio_slot_lbas_changed(const struct lio_uncor *u, void *ctx)
{
	struct lio_slot *s = ctx;

	/* -ENOSPC leaves the part torn: the next runtime keeps its file's. */
	lio_lbas_publish(s->v.r.lbas, (u32)(u - s->uncor) + 1, u);
}

/* The backends the slot opened, NSID 1's first. */
static void lio_slot_close(struct lio_slot *s)
{
	unsigned int i;

	for (i = 0; i < LIO_MAX_NSID; i++) {
		if (s->bdev[i])
			lio_bdev_close(s->bdev[i]);
		s->bdev[i] = NULL;
		lio_uncor_close(&s->uncor[i]);
	}
	s->pooled = 0;
	lio_pool_close(&s->pool);
}

/*
 * The namespace's marks as the region has them, when a runtime published
 * them (the one before this one, here or on the other side of a
 * hand-over), else this one's state directory's, published. A driver
 * before region minor 4 has no place for them: the file alone.
 */
static int lio_slot_lbas_attach(struct lio_slot *s, char *err, size_t errlen)
{
	unsigned int i;
	bool taken;
	int ret;

	if (!s->v.r.lbas)
		return 0;
	for (i = 0; i < LIO_MAX_NSID; i++) {
		struct lio_uncor *u = &s->uncor[i];

		if (!s->bdev[i])
			continue;
		ret = lio_lbas_attach(s->v.r.lbas, i + 1, u, &taken);
		if (ret) {
			snprintf(err, errlen, "cannot keep the Write Uncorrectable "
				 "marks of namespace %u the region holds in %s: %s",
				 i + 1, lio_state_dir(), strerror(-ret));
			return ret;
		}
		if (taken && u->n)
			lio_log("vdev %s: namespace %u: %u Write Uncorrectable "
				"extents, as the region holds them", s->cfg.uuid,
				i + 1, u->n);
		u->changed = lio_slot_lbas_changed;
		u->changed_ctx = s;
	}
	return 0;
}

static int lio_slot_open_ns(struct lio_poller *p, struct lio_slot *s,
			    u32 nsid, const struct lio_bdev_cfg *b, char *err,
			    size_t errlen);

/* Namespace nsid's pool file as a backend: a file, all of it. */
static int lio_slot_open_pooled(struct lio_poller *p, struct lio_slot *s,
				u32 nsid, char *err, size_t errlen)
{
	struct lio_bdev_cfg b;

	memset(&b, 0, sizeof(b));
	lio_nvmf_opts_init(&b.nvmf.opts);
	b.type = LIO_BDEV_FILE;
	snprintf(b.path, sizeof(b.path), "%s", s->pool.ns[nsid - 1].path);
	if (lio_slot_open_ns(p, s, nsid, &b, err, errlen)) {
		/* The marks may have opened before the backend failed. */
		lio_uncor_close(&s->uncor[nsid - 1]);
		lio_uncor_init_mem(&s->uncor[nsid - 1]);
		return -EIO;
	}
	s->pooled |= 1U << (nsid - 1);
	return 0;
}

/* Namespace nsid's pool backend closed (the core no longer has it). */
static void lio_slot_pool_close_ns(struct lio_slot *s, u32 nsid)
{
	if (!(s->pooled & (1U << (nsid - 1))))
		return;
	lio_bdev_close(s->bdev[nsid - 1]);
	s->bdev[nsid - 1] = NULL;
	lio_uncor_close(&s->uncor[nsid - 1]);
	lio_uncor_init_mem(&s->uncor[nsid - 1]);
	s->pooled &= ~(1U << (nsid - 1));
}

/* The pool's backends go with the region: the next attach decides anew. */
static void lio_slot_pool_close(struct lio_slot *s)
{
	u32 nsid;

	for (nsid = 1; nsid <= LIO_MAX_NSID; nsid++)
		lio_slot_pool_close_ns(s, nsid);
}

/*
 * At attach, before the namespaces get their backends: the pool's that
 * are the region's (pool.h), and the pool's size for the driver (none on
 * a driver before region minor 9, which never asks).
 */
static int lio_slot_pool_attach(struct lio_poller *p, struct lio_slot *s,
				char *err, size_t errlen)
{
	u32 serve, nsids = 0, nsid;
	char why[512];
	int ret;

	ret = lio_pool_attach(&s->pool, &s->v.r, &serve, err, errlen);
	if (ret)
		return ret;
	for (nsid = 2; nsid <= LIO_MAX_NSID; nsid++) {
		if (!(serve & (1U << (nsid - 1))))
			continue;
		if (s->bdev[nsid - 1]) {
			lio_log("vdev %s: namespace %u is the pool's (%s) and the "
				"configuration's: the configuration's backend serves it",
				s->cfg.uuid, nsid, s->pool.ns[nsid - 1].path);
			continue;
		}
		if (lio_slot_open_pooled(p, s, nsid, why, sizeof(why)))
			lio_log("vdev %s: %s: its I/O fails (Namespace Not Ready)",
				s->cfg.uuid, why);
	}
	if (s->v.pools) {
		/* Its NSIDs: those the configuration gives no backend. */
		for (nsid = 2; s->pool.cfg.bytes && nsid <= LIO_MAX_NSID; nsid++)
			if (!lio_vdev_cfg_has_ns(&s->cfg, nsid))
				nsids |= 1U << (nsid - 1);
		__atomic_store_n(&s->v.r.ctrl->pool_nsids, nsids, __ATOMIC_RELAXED);
		__atomic_store_n(&s->v.r.ctrl->pool_bytes, s->pool.cfg.bytes,
				 __ATOMIC_RELEASE);
	}
	return 0;
}

static int lio_slot_attach(struct lio_poller *p, struct lio_slot *s,
			   char *err, size_t errlen)
{
	unsigned int i;
	int ret;

	ret = p->plat->attach(p->plat_ctx, s->cfg.uuid, &s->att, err, errlen);
	if (ret)
		return ret;
	ret = lio_ns_check(s->att.region, s->bdev[0], err, errlen);
	if (ret) {
		p->plat->detach(&s->att);
		return ret;
	}
	ret = lio_vdev_init(&s->v, &s->cfg, s->att.region, s->att.gmem,
			    s->att.gmem_size, s->att.wake_fd, p->plat,
			    s->att.priv, s->bdev[0], &p->stats);
	if (ret) {
		snprintf(err, errlen, "out of memory");
		p->plat->detach(&s->att);
		return ret;
	}
	s->v.io_stats = &s->io_stats;
	ret = lio_slot_pool_attach(p, s, err, errlen);
	for (i = 0; !ret && i < LIO_MAX_NSID; i++)
		lio_vdev_ns_backend(&s->v, i + 1, s->bdev[i], &s->uncor[i]);
	if (!ret)
		ret = lio_slot_lbas_attach(s, err, errlen);
	if (ret) {
		lio_slot_pool_close(s);
		lio_vdev_fini(&s->v);
		p->plat->detach(&s->att);
		return ret;
	}
	s->attached = true;
	s->waiting = false;
	lio_log("vdev %s: attached (%u I/O queue pairs)", s->cfg.uuid,
		s->v.nr_ioq);
	return 0;
}

/* The backends' own retries (lio_bdev_ops.poll): how many went on. */
static int lio_slot_bdev_poll(struct lio_slot *s, u64 now)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < LIO_MAX_NSID; i++)
		if (s->bdev[i])
			n += lio_bdev_poll(s->bdev[i], now);
	return n;
}

/*
 * Keep polling until nothing of the vdev is at the backend and what was
 * posted is interrupted (a coalescing delay is short): the next runtime
 * (or the card's, at a hand-over) knows of neither.
 */
static void lio_slot_drain(struct lio_poller *p, struct lio_slot *s)
{
	s->v.quiesce = true;
	while (!lio_vdev_quiet(&s->v)) {
		lio_beat(p);
		lio_ring_poll(p->ring);
		lio_slot_bdev_poll(s, lio_now_ns());
		lio_vdev_poll(&s->v, lio_now_ns());
		if (!lio_vdev_quiet(&s->v))
			lio_ring_wait(p->ring, 1000000);
	}
	/* Completions the guest has no room for yet are lost with us
	 * detaching only in memory: the journal keeps them (COMPLETING
	 * is not reached), and the next runtime posts them.
	 */
}

static void lio_slot_detach(struct lio_poller *p, struct lio_slot *s)
{
	lio_slot_drain(p, s);
	/* The region is about to go: the marks change no more anyway. */
	for (unsigned int i = 0; i < LIO_MAX_NSID; i++)
		s->uncor[i].changed = NULL;
	lio_vdev_fini(&s->v);
	p->plat->detach(&s->att);
	lio_slot_pool_close(s);
	s->attached = false;
}

static void lio_slot_free(struct lio_poller *p, struct lio_slot *s)
{
	if (s->attached)
		lio_slot_detach(p, s);
	lio_slot_close(s);
	free(s);
}

/* Which backend Write Uncorrectable's marks were made on: path@offset. */
static void lio_backend_id(const struct lio_bdev_cfg *b, char *id, size_t len)
{
	snprintf(id, len, "%s@%" PRIu64, b->path, b->offset);
}

static struct lio_slot *lio_find(struct lio_poller *p, const char *uuid,
				 unsigned int *idx)
{
	unsigned int i;

	for (i = 0; i < p->nr_slots; i++)
		if (!strcmp(p->slots[i]->cfg.uuid, uuid)) {
			if (idx)
				*idx = i;
			return p->slots[i];
		}
	return NULL;
}

/*
 * Namespace nsid's marks (from the state directory) and backend. Its
 * errors name the namespace but for NSID 1, whose are the vdev's as
 * they always were.
 */
static int lio_slot_open_ns(struct lio_poller *p, struct lio_slot *s,
			    u32 nsid, const struct lio_bdev_cfg *b, char *err,
			    size_t errlen)
{
	char id[sizeof(b->path) + 24];
	char why[256];
	int ret;

	lio_backend_id(b, id, sizeof(id));
	ret = lio_uncor_open(&s->uncor[nsid - 1], s->cfg.uuid, nsid, id,
			     nsid == 1 ? err : why, nsid == 1 ? errlen : sizeof(why));
	if (!ret)
		ret = lio_bdev_open(b, p->ring, &s->bdev[nsid - 1],
				    nsid == 1 ? err : why,
				    nsid == 1 ? errlen : sizeof(why));
	if (ret && nsid != 1)
		snprintf(err, errlen, "namespace %u: %s", nsid, why);
	return ret;
}

/*
 * The create the driver asked (pool.h): the file made and recorded, its
 * backend open and the namespace's marks none, then the answer. The
 * namespace takes no command before the driver has applied the answer.
 */
static void lio_slot_pool_create(struct lio_poller *p, struct lio_slot *s)
{
	const struct lio_nscreate *n = &s->v.nscreate;
	u32 nsid = n->nsid;
	char why[512];
	u16 status;

	if (nsid < 2 || nsid > LIO_MAX_NSID || n->nsze > LEAPIO_NS_SIZE_MAX ||
	    (n->lba_shift != 9 && n->lba_shift != 12)) {
		snprintf(why, sizeof(why), "not a namespace the pool can make");
		status = NVME_SC_INTERNAL;
	} else if (s->bdev[nsid - 1] && !(s->pooled & (1U << (nsid - 1)))) {
		snprintf(why, sizeof(why), "the configuration gives NSID %u a backend",
			 nsid);
		status = NVME_SC_NS_ID_UNAVAILABLE;
	} else {
		status = lio_pool_create(&s->pool, nsid, n->nsze, n->lba_shift,
					 why, sizeof(why));
	}
	if (!status && !s->bdev[nsid - 1]) {
		if (lio_slot_open_pooled(p, s, nsid, why, sizeof(why)) ||
		    lio_uncor_set(&s->uncor[nsid - 1], NULL, 0)) {
			lio_slot_pool_close_ns(s, nsid);
			lio_pool_delete(&s->pool, nsid, why + strlen(why),
					sizeof(why) - strlen(why));
			status = NVME_SC_INTERNAL;
		} else {
			s->uncor[nsid - 1].changed = lio_slot_lbas_changed;
			s->uncor[nsid - 1].changed_ctx = s;
			/* None of an earlier namespace of this NSID. */
			lio_slot_lbas_changed(&s->uncor[nsid - 1], s);
			lio_vdev_ns_backend(&s->v, nsid, s->bdev[nsid - 1],
					    &s->uncor[nsid - 1]);
		}
	}
	if (status)
		lio_log("vdev %s: namespace create %u (namespace %u, %llu blocks of "
			"%u bytes) failed (status %#x): %s", s->cfg.uuid, n->gen,
			nsid, (unsigned long long)n->nsze, 1U << (n->lba_shift & 31),
			status, why);
	else
		lio_log("vdev %s: namespace %u made from the pool: %llu blocks of "
			"%u bytes in %s", s->cfg.uuid, nsid,
			(unsigned long long)n->nsze, 1U << n->lba_shift,
			s->pool.ns[nsid - 1].path);
	if (lio_vdev_ns_created(&s->v, n->gen, status))
		lio_log("vdev %s: namespace create %u: the driver did not take "
			"the answer", s->cfg.uuid, n->gen);
}

/*
 * The pool's namespaces the driver's table no longer has (delete-ns, the
 * operator's ns<N>_size 0) and no create of which is on its way: once
 * none of the vdev's commands is at a backend, the file goes.
 */
static void lio_slot_pool_reap(struct lio_slot *s)
{
	char why[512];
	u32 nsid;

	for (nsid = 2; nsid <= LIO_MAX_NSID; nsid++) {
		if (!(s->pooled & (1U << (nsid - 1))) || s->v.nscreate.pending ||
		    lio_pool_region_keeps(&s->v.r, nsid))
			continue;
		if (s->v.inflight)
			return;
		lio_vdev_ns_backend(&s->v, nsid, NULL, NULL);
		/* Marks of no namespace, in the file and the region. */
		if (lio_uncor_set(&s->uncor[nsid - 1], NULL, 0))
			lio_log("vdev %s: namespace %u: its Write Uncorrectable "
				"marks stay in %s", s->cfg.uuid, nsid, lio_state_dir());
		lio_slot_pool_close_ns(s, nsid);
		if (lio_pool_delete(&s->pool, nsid, why, sizeof(why)))
			lio_log("vdev %s: namespace %u deleted, its file not "
				"removed: %s", s->cfg.uuid, nsid, why);
		else
			lio_log("vdev %s: namespace %u deleted: its file is removed",
				s->cfg.uuid, nsid);
	}
}

/* Between two passes: what the pool has to do for the vdev. */
static void lio_slot_pool_work(struct lio_poller *p, struct lio_slot *s)
{
	if (s->v.nscreate.pending)
		lio_slot_pool_create(p, s);
	if (s->pooled)
		lio_slot_pool_reap(s);
}

static int lio_do_add(struct lio_poller *p, struct lio_req *r)
{
	struct lio_slot *s;
	unsigned int i;
	int ret;

	if (lio_find(p, r->cfg->uuid, NULL)) {
		snprintf(r->err, r->errlen, "already served");
		return -EEXIST;
	}
	if (p->nr_slots == LIO_MAX_VDEVS) {
		snprintf(r->err, r->errlen, "a poller serves at most %d vdevs",
			 LIO_MAX_VDEVS);
		return -ENOSPC;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(r->err, r->errlen, "out of memory");
		return -ENOMEM;
	}
	s->cfg = *r->cfg;
	for (i = 0; i < LIO_MAX_NSID; i++)
		lio_uncor_init_mem(&s->uncor[i]);
	ret = lio_pool_open(&s->pool, s->cfg.uuid, &s->cfg.pool, r->err, r->errlen);
	if (!ret)
		ret = lio_slot_open_ns(p, s, 1, &s->cfg.bdev, r->err, r->errlen);
	for (i = 0; !ret && i < s->cfg.nr_ns; i++)
		ret = lio_slot_open_ns(p, s, s->cfg.ns[i].nsid,
				       &s->cfg.ns[i].bdev, r->err, r->errlen);
	if (ret) {
		lio_slot_close(s);
		free(s);
		return ret;
	}
	ret = lio_slot_attach(p, s, r->err, r->errlen);
	if (ret == -ENODEV) {
		lio_log("vdev %s: %s", s->cfg.uuid, p->plat->absent);
		s->waiting = true;
		s->next_try_ns = lio_now_ns() + p->plat->retry_ns;
		ret = 0;
	}
	if (ret) {
		lio_slot_close(s);
		free(s);
		return ret;
	}
	p->slots[p->nr_slots++] = s;
	return 0;
}

static int lio_do_remove(struct lio_poller *p, const char *uuid)
{
	unsigned int i;
	struct lio_slot *s = lio_find(p, uuid, &i);

	if (!s)
		return -ENOENT;
	p->slots[i] = p->slots[--p->nr_slots];
	lio_slot_free(p, s);
	return 0;
}

/* One namespace's backend about to change (lio_do_update()). */
struct lio_swap {
	u32				nsid;
	const struct lio_bdev_cfg	*cfg;	/* the new one */
	struct lio_bdev			*nb;
	bool				same;	/* the same bytes, maybe more */
	char				*was;	/* the marks' old backend id */
};

/* The namespaces whose backend the new configuration changes, into sw. */
static unsigned int lio_update_list(const struct lio_slot *s,
				    const struct lio_vdev_cfg *c,
				    struct lio_swap *sw)
{
	const struct lio_bdev_cfg *old[LIO_MAX_NSID] = { &s->cfg.bdev };
	const struct lio_bdev_cfg *now[LIO_MAX_NSID] = { &c->bdev };
	unsigned int i, n = 0;

	/* The same NSIDs in both (a change of them is a move). */
	for (i = 0; i < c->nr_ns && i < s->cfg.nr_ns; i++) {
		old[c->ns[i].nsid - 1] = &s->cfg.ns[i].bdev;
		now[c->ns[i].nsid - 1] = &c->ns[i].bdev;
	}
	for (i = 0; i < LIO_MAX_NSID; i++) {
		if (!old[i] || !now[i] || lio_bdev_cfg_equal(old[i], now[i]))
			continue;
		sw[n].nsid = i + 1;
		sw[n].cfg = now[i];
		sw[n].same = lio_bdev_same_place(old[i], now[i]);
		n++;
	}
	return n;
}

/* Undo what lio_do_update() prepared for sw[0..n): nothing changed. */
static void lio_update_undo(struct lio_slot *s, struct lio_swap *sw,
			    unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (sw[i].was)
			lio_uncor_rebind(&s->uncor[sw[i].nsid - 1], sw[i].was);
		free(sw[i].was);
		if (sw[i].nb)
			lio_bdev_close(sw[i].nb);
	}
}

/*
 * Another backend for NSID 1 or any namespace of the configuration (the
 * NSIDs stay: lio_config_diff()): every new one opened and the marks
 * moved to it first, so that a failure leaves all as it was; then one
 * drain, and the swap.
 */
static int lio_do_update(struct lio_poller *p, struct lio_req *r)
{
	struct lio_slot *s = lio_find(p, r->cfg->uuid, NULL);
	char id[sizeof(r->cfg->bdev.path) + 24];
	struct lio_swap sw[LIO_MAX_NSID];
	unsigned int i, n;
	int ret;

	if (!s) {
		snprintf(r->err, r->errlen, "not served by this poller");
		return -ENOENT;
	}
	memset(sw, 0, sizeof(sw));
	n = lio_update_list(s, r->cfg, sw);
	for (i = 0; i < n; i++) {
		struct lio_uncor *u = &s->uncor[sw[i].nsid - 1];
		char why[512];

		ret = lio_bdev_open(sw[i].cfg, p->ring, &sw[i].nb, why, sizeof(why));
		if (ret) {
			/* NSID 1's errors are the vdev's, as they always were. */
			if (sw[i].nsid == 1)
				snprintf(r->err, r->errlen, "%s", why);
			else
				snprintf(r->err, r->errlen, "namespace %u: %s",
					 sw[i].nsid, why);
			lio_update_undo(s, sw, i);
			return ret;
		}
		/* The namespace's content moves, Write Uncorrectable's marks too. */
		sw[i].was = u->backend ? strdup(u->backend) : NULL;
		lio_backend_id(sw[i].cfg, id, sizeof(id));
		ret = lio_uncor_rebind(u, id);
		if (ret) {
			snprintf(r->err, r->errlen, "cannot keep namespace %u's Write "
				 "Uncorrectable marks for the new backend in %s: %s",
				 sw[i].nsid, lio_state_dir(), strerror(-ret));
			free(sw[i].was);
			sw[i].was = NULL;
			lio_update_undo(s, sw, i + 1);
			return ret;
		}
	}
	if (s->attached)
		lio_slot_drain(p, s);	/* delays I/O, fails none */
	for (i = 0; i < n; i++) {
		struct lio_rns *ns = &s->v.ns[sw[i].nsid - 1];

		lio_bdev_close(s->bdev[sw[i].nsid - 1]);
		s->bdev[sw[i].nsid - 1] = sw[i].nb;
		free(sw[i].was);
		if (!s->attached)
			continue;
		ns->bdev = sw[i].nb;
		/*
		 * Another backend: its size is no growth. The same one with
		 * more room (vdev_resize): the next pass sees it grow, and a
		 * namespace of its size grows with it.
		 */
		if (!sw[i].same)
			ns->bdev_size = sw[i].nb->size;
		ns->warned_size = false;
	}
	s->cfg.bdev = r->cfg->bdev;
	memcpy(s->cfg.ns, r->cfg->ns, sizeof(s->cfg.ns));
	if (s->attached) {
		lio_vdev_ns_update(&s->v);	/* their sizes bound the LBAs */
		s->v.quiesce = false;
	}
	return 0;
}

static int lio_do_stats(struct lio_poller *p, struct lio_req *r)
{
	struct lio_slot *s;

	*r->st = p->stats;
	r->st->nr_vdevs = p->nr_slots;
	if (!r->uuid)
		return 0;
	s = lio_find(p, r->uuid, NULL);
	if (!s)
		return -ENOENT;
	*r->vst = s->io_stats;
	return 0;
}

static void lio_handle_req(struct lio_poller *p)
{
	struct lio_req *r;

	pthread_mutex_lock(&p->lock);
	r = p->req;
	pthread_mutex_unlock(&p->lock);
	if (!r)
		return;
	switch (r->op) {
	case LIO_REQ_ADD:
		r->ret = lio_do_add(p, r);
		break;
	case LIO_REQ_REMOVE:
		r->ret = lio_do_remove(p, r->uuid);
		break;
	case LIO_REQ_UPDATE:
		r->ret = lio_do_update(p, r);
		break;
	case LIO_REQ_STATS:
		r->ret = lio_do_stats(p, r);
		break;
	case LIO_REQ_STOP:
		while (p->nr_slots)
			lio_do_remove(p, p->slots[0]->cfg.uuid);
		p->stop = true;
		r->ret = 0;
		break;
	}
	pthread_mutex_lock(&p->lock);
	r->done = true;
	p->req = NULL;
	__atomic_store_n(&p->has_req, false, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

static void lio_retry_waiting(struct lio_poller *p, u64 now)
{
	char err[256];
	unsigned int i;

	for (i = 0; i < p->nr_slots; i++) {
		struct lio_slot *s = p->slots[i];
		int ret;

		if (!s->waiting || now < s->next_try_ns)
			continue;
		if (p->plat->idle)
			p->plat->idle(p->plat_ctx, s->cfg.uuid);
		ret = lio_slot_attach(p, s, err, sizeof(err));
		if (ret == -ENODEV) {
			s->next_try_ns = now + p->plat->retry_ns;
		} else if (ret) {
			/* Said once a second at most, whatever the platform. */
			lio_log("vdev %s: %s", s->cfg.uuid, err);
			s->next_try_ns = now + 1000000000ULL;
		}
	}
}

/* Nothing to do: sleep on the wake eventfds if every vdev allows it. */
static void lio_idle(struct lio_poller *p)
{
	struct pollfd fds[LIO_MAX_VDEVS];
	unsigned int i, n = 0;
	bool sleep_ok = !lio_ring_inflight(p->ring);
	struct timespec ts = { 0, (long)p->cfg.idle_poll_us * 1000 };

	for (i = 0; sleep_ok && i < p->nr_slots; i++) {
		struct lio_slot *s = p->slots[i];

		if (!s->attached)
			continue;
		if (!lio_vdev_may_sleep(&s->v))
			sleep_ok = false;
		fds[n].fd = s->att.wake_fd;
		fds[n].events = POLLIN;
		n++;
	}
	if (sleep_ok) {
		p->stats.sleeps++;
		/* Bounded: requests from the main thread and mdevs to
		 * attach to are looked at between sleeps.
		 */
		poll(fds, n, 100);
		for (i = 0, n = 0; i < p->nr_slots; i++) {
			struct lio_slot *s = p->slots[i];

			if (!s->attached)
				continue;
			if (fds[n++].revents & POLLIN)
				p->plat->woken(&s->att);
		}
		return;
	}
	if (lio_ring_inflight(p->ring))
		lio_ring_wait(p->ring, (u64)p->cfg.idle_poll_us * 1000);
	else
		nanosleep(&ts, NULL);
}

static void *lio_poller_main(void *arg)
{
	struct lio_poller *p = arg;
	u64 last_work = lio_now_ns();

	while (!p->stop) {
		u64 now = lio_now_ns();
		bool work = false;
		const char *why;
		unsigned int i;

		lio_beat(p);
		if (__atomic_load_n(&p->has_req, __ATOMIC_ACQUIRE)) {
			lio_handle_req(p);
			continue;
		}
		p->stats.polls++;
		if (lio_ring_poll(p->ring) > 0)
			work = true;
		for (i = 0; i < p->nr_slots; i++) {
			struct lio_slot *s = p->slots[i];

			if (!s->attached)
				continue;
			work |= lio_slot_bdev_poll(s, now) > 0;
			work |= lio_vdev_poll(&s->v, now);
			if (s->v.nscreate.pending || s->pooled)
				lio_slot_pool_work(p, s);
			/*
			 * The driver gave up on us (host mode: we did not
			 * acknowledge in time, stopped or starved), or took
			 * the vdev elsewhere (card mode: handed over). Attach
			 * again once we may. Asked first: one asked to let go
			 * that could not answer (stopped) was revoked, and
			 * what it acks now goes nowhere.
			 */
			why = p->plat->gone ? p->plat->gone(&s->att) : NULL;
			if (unlikely(why != NULL)) {
				lio_log("vdev %s: %s: attaching again",
					s->cfg.uuid, why);
				if (s->v.inflight)
					lio_log("vdev %s: letting go: %u commands at the backend, draining",
						s->cfg.uuid, s->v.inflight);
				lio_slot_detach(p, s);
				s->waiting = true;
				s->next_try_ns = now;
				continue;
			}
			/*
			 * The driver asked us to let go (a hand-over to the
			 * card's runtime) and we have: detached at once, and
			 * attached again once the vdev is ours to serve.
			 */
			if (unlikely(lio_vdev_let_go(&s->v))) {
				lio_log("vdev %s: let go as the driver asked; attaching again once it is handed back",
					s->cfg.uuid);
				lio_slot_detach(p, s);
				s->waiting = true;
				s->next_try_ns = now + p->plat->retry_ns;
				continue;
			}
			/* The mdev is gone (acked): let its region go, and
			 * serve it again if one with this UUID comes back.
			 */
			if (s->v.state == LEAPIO_VDEV_REMOVED &&
			    !s->v.ack_pending) {
				lio_log("vdev %s: its mdev was removed; waiting for it to come back",
					s->cfg.uuid);
				lio_slot_detach(p, s);
				s->waiting = true;
				s->next_try_ns = now + p->plat->retry_ns;
			}
		}
		if (work) {
			last_work = now;
			continue;
		}
		p->stats.idle_polls++;
		lio_retry_waiting(p, now);
		if (now - last_work >= (u64)p->cfg.spin_us * 1000)
			lio_idle(p);
		else
			sched_yield();
	}
	return NULL;
}

static int lio_call(struct lio_poller *p, struct lio_req *r)
{
	pthread_mutex_lock(&p->lock);
	while (p->req)
		pthread_cond_wait(&p->cond, &p->lock);
	p->req = r;
	__atomic_store_n(&p->has_req, true, __ATOMIC_RELEASE);
	while (!r->done)
		pthread_cond_wait(&p->cond, &p->lock);
	pthread_mutex_unlock(&p->lock);
	return r->ret;
}

int lio_poller_start(const struct lio_poller_cfg *cfg,
		     const struct lio_plat *plat, void *plat_ctx,
		     unsigned int index, struct lio_poller **out, char *err,
		     size_t errlen)
{
	struct lio_poller *p = calloc(1, sizeof(*p));
	int ret;

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	p->cfg = *cfg;
	p->plat = plat;
	p->plat_ctx = plat_ctx;
	p->index = index;
	if (!p->cfg.idle_poll_us)
		p->cfg.idle_poll_us = 20;
	/* SQE128/CQE32 for whichever vdev turns out to be passthrough. */
	ret = lio_ring_create(&p->ring, LIO_RING_ENTRIES, true);
	if (ret) {
		snprintf(err, errlen, "io_uring: %s", strerror(-ret));
		free(p);
		return ret;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	ret = -pthread_create(&p->thread, NULL, lio_poller_main, p);
	if (ret) {
		snprintf(err, errlen, "thread: %s", strerror(-ret));
		lio_ring_destroy(p->ring);
		free(p);
		return ret;
	}
	if (cfg->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cfg->cpu, &set);
		ret = pthread_setaffinity_np(p->thread, sizeof(set), &set);
		if (ret)
			lio_log("poller %u: cannot pin to CPU %d: %s", index,
				cfg->cpu, strerror(ret));
	}
	*out = p;
	return 0;
}

int lio_poller_add_vdev(struct lio_poller *p, const struct lio_vdev_cfg *cfg,
			char *err, size_t errlen)
{
	struct lio_req r = { .op = LIO_REQ_ADD, .cfg = cfg, .err = err,
			     .errlen = errlen };

	err[0] = 0;
	return lio_call(p, &r);
}

int lio_poller_remove_vdev(struct lio_poller *p, const char *uuid)
{
	struct lio_req r = { .op = LIO_REQ_REMOVE, .uuid = uuid };

	return lio_call(p, &r);
}

int lio_poller_update_vdev(struct lio_poller *p, const struct lio_vdev_cfg *cfg,
			   char *err, size_t errlen)
{
	struct lio_req r = { .op = LIO_REQ_UPDATE, .cfg = cfg, .err = err,
			     .errlen = errlen };

	err[0] = 0;
	return lio_call(p, &r);
}

void lio_poller_stop(struct lio_poller *p)
{
	struct lio_req r = { .op = LIO_REQ_STOP };

	lio_call(p, &r);
	pthread_join(p->thread, NULL);
	lio_ring_destroy(p->ring);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	free(p);
}

uint64_t lio_poller_beats(struct lio_poller *p)
{
	return __atomic_load_n(&p->beats, __ATOMIC_RELAXED);
}

int lio_poller_get_stats(struct lio_poller *p, struct lio_poller_stats *st,
			 const char *uuid, struct lio_vdev_stats *vst)
{
	struct lio_req r = { .op = LIO_REQ_STATS, .st = st, .uuid = uuid,
			     .vst = vst };

	return lio_call(p, &r);
}
