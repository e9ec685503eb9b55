// SPDX-License-Identifier: GPL-2.0
/*
 * Format NVM, the runtime's part (leapio_region.h, ctrl.format_gen; the
 * controller model's is kernel/host/vctrl/format.c). While the driver has
 * a format asked and not applied, no I/O is fetched; once what was at the
 * backend is done the namespace (ctrl.format_nsid; FFFFFFFFh: each one
 * attached) is erased if asked (its backend range written with zeroes,
 * LIO_FMT_IOS pieces at a time, one namespace after the other, never
 * blocking the poller), Write Uncorrectable's marks are cleared, and the
 * answer goes to the driver (LEAPIO_MBOX_FORMAT_DONE). The driver applies it with the
 * new geometry; the next seq lets I/O go on.
 *
 * Nothing of it is kept but in the region: a runtime that attaches while
 * a format is asked and not applied carries it out again (zeroing twice
 * is zeroing once).
 */
#include <string.h>

#include "vdev.h"

/* Bytes a piece of the erase zeroes: within every backend's limits. */
#define LIO_FMT_CHUNK	(1U << 20)

void lio_format_apply(struct lio_vdev *v)
{
	struct leapio_vdev_ctrl *ctrl = v->r.ctrl;
	struct lio_fmt *f = &v->fmt;
	u32 want;

	if (!v->formats)
		return;
	want = __atomic_load_n(&ctrl->format_gen, __ATOMIC_RELAXED);
	v->formatting = want !=
			__atomic_load_n(&ctrl->format_applied, __ATOMIC_RELAXED);
	if (!v->formatting || f->gen == want || f->answered == want)
		return;
	/* A new request; one that was under way was superseded. */
	f->gen = want;
	f->lba_shift = ctrl->format_lba_shift;
	f->ses = ctrl->format_ses;
	/* Before minor 7 namespace 1 was the only one, and the field 0. */
	f->nsid = v->r.ns ? __atomic_load_n(&ctrl->format_nsid,
					    __ATOMIC_RELAXED) : 1;
	f->started = false;
	f->status = NVME_SC_SUCCESS;
	if (f->nsid == 0xffffffffU)
		lio_log("vdev %s: Format NVM %u of every namespace: to %u-byte blocks%s",
			v->cfg.uuid, want, 1U << f->lba_shift,
			f->ses ? ", user data erased" : "");
	else
		lio_log("vdev %s: Format NVM %u of namespace %u: to %u-byte blocks%s",
			v->cfg.uuid, want, f->nsid, 1U << f->lba_shift,
			f->ses ? ", user data erased" : "");
}

/* Does the format asked cover namespace nsid? */
static bool lio_format_covers(const struct lio_vdev *v, u32 nsid)
{
	const struct lio_fmt *f = &v->fmt;

	if (!v->ns[nsid - 1].attached)
		return false;
	return f->nsid == 0xffffffffU || f->nsid == nsid;
}

/*
 * The next namespace to erase from cur on (cur itself if covered): its
 * range set up; cur past LIO_MAX_NSID when none is left.
 */
static void lio_format_next_ns(struct lio_vdev *v, u32 from)
{
	struct lio_fmt *f = &v->fmt;

	for (f->cur = from; f->cur <= LIO_MAX_NSID; f->cur++) {
		struct lio_rns *ns = lio_rns_get(v, f->cur);

		if (!lio_format_covers(v, f->cur))
			continue;
		f->next = 0;
		f->end = f->ses ? ns->io.nsze << ns->lba_shift : 0;
		if (f->end)
			return;
	}
}

/*
 * Before the erase: each namespace covered has a backend here (else
 * Namespace Not Ready, and none is erased), and loses its marks.
 */
static void lio_format_start(struct lio_vdev *v)
{
	struct lio_fmt *f = &v->fmt;
	u32 nsid;
	int ret;

	for (nsid = 1; nsid <= LIO_MAX_NSID; nsid++)
		if (lio_format_covers(v, nsid) && !lio_rns_get(v, nsid)->bdev) {
			lio_log("vdev %s: Format NVM %u: namespace %u has no "
				"backend here", v->cfg.uuid, f->gen, nsid);
			f->status = NVME_SC_NS_NOT_READY;
		}
	for (nsid = 1; nsid <= LIO_MAX_NSID && !f->status; nsid++) {
		if (!lio_format_covers(v, nsid))
			continue;
		/* The marks are the old blocks': none survives a format. */
		ret = lio_uncor_set(lio_rns_get(v, nsid)->uncor, NULL, 0);
		if (ret) {
			lio_log("vdev %s: Format NVM %u: Write Uncorrectable's marks of namespace %u not cleared: %s",
				v->cfg.uuid, f->gen, nsid, strerror(-ret));
			f->status = NVME_SC_INTERNAL;
		}
	}
	lio_format_next_ns(v, 1);
}

bool lio_format_busy(const struct lio_vdev *v)
{
	return v->fmt.inflight != 0;
}

static void lio_format_io_done(struct lio_io *io)
{
	struct lio_fmt_io *fi = (struct lio_fmt_io *)io;
	struct lio_fmt *f = &fi->v->fmt;

	fi->busy = false;
	f->inflight--;
	fi->v->did_work = true;
	if (io->res && !f->status) {
		lio_log("vdev %s: Format NVM %u: zeroing %llu bytes at %llu failed (%d)",
			fi->v->cfg.uuid, f->gen, (unsigned long long)io->len,
			(unsigned long long)io->offset, io->res);
		f->status = NVME_SC_WRITE_FAULT;
	}
}

/* Start as many pieces of the erase as there is room for. */
static void lio_format_erase(struct lio_vdev *v)
{
	struct lio_fmt *f = &v->fmt;
	unsigned int i;
	int ret;

	if (f->next >= f->end && f->cur <= LIO_MAX_NSID)
		lio_format_next_ns(v, f->cur + 1);
	for (i = 0; i < LIO_FMT_IOS && f->next < f->end && !f->status; i++) {
		struct lio_fmt_io *fi = &f->io[i];
		u64 len = f->end - f->next;

		if (fi->busy)
			continue;
		lio_io_init(&fi->io, LIO_IO_WRITE_ZEROES);
		fi->io.offset = f->next;
		fi->io.len = len < LIO_FMT_CHUNK ? len : LIO_FMT_CHUNK;
		fi->io.done = lio_format_io_done;
		fi->v = v;
		fi->busy = true;
		f->inflight++;
		ret = lio_bdev_submit(lio_rns_get(v, f->cur)->bdev, &fi->io);
		if (ret) {
			fi->busy = false;
			f->inflight--;
			/* A full ring: the rest at a later pass. */
			if (ret == -EAGAIN)
				return;
			f->status = NVME_SC_WRITE_FAULT;
			return;
		}
		f->next += fi->io.len;
		v->did_work = true;
	}
}

void lio_format_poll(struct lio_vdev *v)
{
	struct lio_fmt *f = &v->fmt;
	int ret;

	if (!f->gen || f->answered == f->gen)
		return;
	if (!f->started) {
		/* What was fetched before finishes first, as it would. */
		if (v->inflight || v->ack_pending || v->quiesce || f->inflight)
			return;
		f->started = true;
		lio_format_start(v);
	}
	/* Detaching (a swap, a removal): the next attach does it again. */
	if (!v->quiesce)
		lio_format_erase(v);
	if (f->inflight || (f->cur <= LIO_MAX_NSID && !f->status))
		return;
	ret = lio_mbox_post(v, LEAPIO_MBOX_FORMAT_DONE, f->gen, f->status, 0);
	if (!ret)
		ret = lio_mbox_flush(v);
	if (ret) {
		/* Asked again at the next pass. */
		lio_log("vdev %s: Format NVM %u: the driver could not be told: %s",
			v->cfg.uuid, f->gen, strerror(-ret));
		return;
	}
	f->answered = f->gen;
	v->did_work = true;
	lio_log("vdev %s: Format NVM %u: %s", v->cfg.uuid, f->gen,
		f->status ? "failed" : "done");
}
