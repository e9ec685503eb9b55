// SPDX-License-Identifier: GPL-2.0
/*
 * The runtime's requests (struct leapio_mbox). MAP is answered within the
 * KICK. IRQ, AEN, FATAL, ERROR, NS_GROW, FORMAT_DONE and NS_CREATED need
 * the controller model, whose lock a KICK must not take (the driver may
 * be holding it while it waits for this very runtime's ack), so they are
 * recorded here and carried out by a work item. Errors are also taken by
 * the model itself, through its dp_errors hook, whenever its Error
 * Information log is read or grows: a guest that saw a command fail finds
 * its entry even if the work item has not run yet.
 *
 * Everything read from the mailbox is the runtime's to get wrong: indices
 * are bounded, ops and arguments checked (leapio_mbox_decode()), and
 * nothing is read twice. What fails the checks is answered -EINVAL,
 * counted in sysfs mbox_refused and logged (rate limited).
 */
#include <linux/bitmap.h>

#include "lio_host.h"
#include "../../common/leapio/mbox_decode.h"

#define LIO_PEND_VECTORS	(LEAPIO_VECTOR_WORDS * 64)
#define LIO_PEND_ERRORS		ARRAY_SIZE(((struct lio_region *)0)->pend_err)

static_assert(LIO_PEND_ERRORS >= LIO_NR_ERR_LOG);

/* Under lm->lock: the errors reported so far into the model's log. */
static void lio_mbox_errors_apply(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;
	u32 i;

	lockdep_assert_held(&lm->lock);
	/* The model's log is pure memory: filled under the spinlock. */
	spin_lock(&r->pend_lock);
	if (r->pend_err_lost)
		lio_vctrl_count_errors(lm->vc, r->pend_err_lost);
	for (i = 0; i < r->pend_err_nr; i++)
		lio_vctrl_log_error(lm->vc, &r->pend_err[(r->pend_err_first + i) %
							 LIO_PEND_ERRORS]);
	r->pend_err_lost = 0;
	r->pend_err_first = 0;
	r->pend_err_nr = 0;
	spin_unlock(&r->pend_lock);
}

void lio_mbox_dp_errors(void *opaque)
{
	lio_mbox_errors_apply(opaque);
}

/* LEAPIO_MBOX_ERROR, checked by leapio_mbox_decode(): kept. */
static void lio_mbox_error(struct lio_region *r, const struct nvme_io_error *e)
{
	spin_lock(&r->pend_lock);
	if (r->pend_err_nr == LIO_PEND_ERRORS) {
		r->pend_err_first = (r->pend_err_first + 1) % LIO_PEND_ERRORS;
		r->pend_err_nr--;
		r->pend_err_lost++;
	}
	r->pend_err[(r->pend_err_first + r->pend_err_nr++) % LIO_PEND_ERRORS] = *e;
	spin_unlock(&r->pend_lock);
}

/*
 * LEAPIO_MBOX_NS_GROW, under lm->lock: what the model refuses (smaller,
 * not whole blocks) is the runtime's mistake, logged; the namespace
 * stays as it was.
 */
static void lio_mbox_ns_grow(struct lio_mdev *lm, u32 nsid, u64 size)
{
	struct lio_region *r = &lm->region;
	struct lio_ns *ns = lio_ns_get(lm->vc, nsid);
	u64 was = ns ? ns->size : 0;
	int ret;

	lockdep_assert_held(&lm->lock);
	ret = lio_vctrl_grow_ns(lm->vc, nsid, size);
	if (!ret) {
		if (size != was)
			dev_info(lm->vdev.dev, "namespace %u grew from %llu to %llu bytes (its backend grew)\n",
				 nsid, was, size);
		return;
	}
	dev_warn_ratelimited(lm->vdev.dev,
			     "runtime (pid %d): growth of namespace %u to %llu bytes refused (%d): it has %llu, in blocks of %u\n",
			     READ_ONCE(r->runtime_pid), nsid, size, ret, was,
			     ns ? 1U << ns->lba_shift : 0);
}

/*
 * LEAPIO_MBOX_FORMAT_DONE, under lm->lock: the model applies it and
 * completes the command. One for no request outstanding (a runtime that
 * answered twice, or a stale generation) is the runtime's mistake.
 */
static void lio_mbox_format_done(struct lio_mdev *lm, u32 gen, u16 status)
{
	lockdep_assert_held(&lm->lock);
	if (!lio_vctrl_format_done(lm->vc, gen, status)) {
		dev_info(lm->vdev.dev, "Format NVM %u: %s (status %#x)\n", gen,
			 status ? "failed" : "done", status);
		return;
	}
	dev_warn_ratelimited(lm->vdev.dev,
			     "runtime (pid %d): answer to Format NVM %u, which is not outstanding: dropped\n",
			     READ_ONCE(lm->region.runtime_pid), gen);
}

/* LEAPIO_MBOX_NS_CREATED, under lm->lock, as a Format NVM's answer. */
static void lio_mbox_ns_created(struct lio_mdev *lm, u32 gen, u16 status)
{
	lockdep_assert_held(&lm->lock);
	if (!lio_vctrl_ns_created(lm->vc, gen, status)) {
		dev_info(lm->vdev.dev, "namespace create %u: %s (status %#x)\n",
			 gen, status ? "failed" : "done", status);
		return;
	}
	dev_warn_ratelimited(lm->vdev.dev,
			     "runtime (pid %d): answer to namespace create %u, which is not outstanding: dropped\n",
			     READ_ONCE(lm->region.runtime_pid), gen);
}

static void lio_mbox_work(struct work_struct *work)
{
	struct lio_region *r = container_of(work, struct lio_region,
					    mbox_work);
	struct lio_mdev *lm = container_of(r, struct lio_mdev, region);
	DECLARE_BITMAP(irq, LIO_PEND_VECTORS);
	u32 aen[LEAPIO_MBOX_ENTRIES];
	unsigned long v;
	u32 i, nr_aen;
	u64 ns_size[LEAPIO_MAX_NS];
	struct lio_pend_answer format, created;
	bool fatal;

	spin_lock(&r->pend_lock);
	bitmap_copy(irq, r->pend_irq, LIO_PEND_VECTORS);
	bitmap_zero(r->pend_irq, LIO_PEND_VECTORS);
	nr_aen = r->pend_aen_nr;
	memcpy(aen, r->pend_aen, nr_aen * sizeof(aen[0]));
	r->pend_aen_nr = 0;
	fatal = r->pend_fatal;
	r->pend_fatal = false;
	memcpy(ns_size, r->pend_ns_size, sizeof(ns_size));
	memset(r->pend_ns_size, 0, sizeof(r->pend_ns_size));
	format = r->pend_format;
	r->pend_format.set = false;
	created = r->pend_created;
	r->pend_created.set = false;
	spin_unlock(&r->pend_lock);

	mutex_lock(&lm->lock);
	lio_mbox_errors_apply(lm);
	for (i = 0; i < nr_aen; i++)
		lio_dp_post_aen(lm, aen[i]);
	for_each_set_bit(v, irq, LIO_PEND_VECTORS)
		lio_dp_raise_irq(lm, v);
	if (fatal)
		lio_dp_fatal(lm);
	for (i = 0; i < LEAPIO_MAX_NS; i++)
		if (ns_size[i])
			lio_mbox_ns_grow(lm, i + 1, ns_size[i]);
	if (format.set)
		lio_mbox_format_done(lm, format.gen, format.status);
	if (created.set)
		lio_mbox_ns_created(lm, created.gen, created.status);
	mutex_unlock(&lm->lock);
}

/* FORMAT_DONE, NS_CREATED: kept for the work item (struct lio_pend_answer). */
static void lio_mbox_answer(struct lio_region *r, struct lio_pend_answer *a,
			    const struct leapio_mbox_req *req)
{
	spin_lock(&r->pend_lock);
	a->set = true;
	a->gen = req->format.gen;
	a->status = req->format.status;
	spin_unlock(&r->pend_lock);
}

/*
 * One request, decoded and checked by leapio_mbox_decode(): its result;
 * *work when the work item has something.
 */
static s32 lio_mbox_one(struct lio_mdev *lm, const struct leapio_mbox_req *req,
			bool *work)
{
	struct lio_region *r = &lm->region;
	s32 ret = 0;

	switch (req->op) {
	case LEAPIO_MBOX_MAP:
		return lio_pin_map(lm, req->map.gpa, req->map.len);
	case LEAPIO_MBOX_IRQ:
		spin_lock(&r->pend_lock);
		__set_bit(req->vector, r->pend_irq);
		spin_unlock(&r->pend_lock);
		break;
	case LEAPIO_MBOX_AEN:
		spin_lock(&r->pend_lock);
		if (r->pend_aen_nr < ARRAY_SIZE(r->pend_aen))
			r->pend_aen[r->pend_aen_nr++] = req->aen;
		else
			ret = -EBUSY;
		spin_unlock(&r->pend_lock);
		break;
	case LEAPIO_MBOX_FATAL:
		spin_lock(&r->pend_lock);
		r->pend_fatal = true;
		spin_unlock(&r->pend_lock);
		break;
	case LEAPIO_MBOX_ERROR:
		lio_mbox_error(r, &req->err);
		break;
	case LEAPIO_MBOX_NS_GROW:
		/* The last one asked for is what the backend holds now. */
		spin_lock(&r->pend_lock);
		r->pend_ns_size[req->ns_grow.nsid - 1] = req->ns_grow.size;
		spin_unlock(&r->pend_lock);
		break;
	case LEAPIO_MBOX_FORMAT_DONE:
		lio_mbox_answer(r, &r->pend_format, req);
		break;
	case LEAPIO_MBOX_NS_CREATED:
		lio_mbox_answer(r, &r->pend_created, req);
		break;
	default:
		return -EINVAL;
	}
	*work = !ret;
	return ret;
}

/*
 * A request or a KICK the runtime got wrong: refused, counted (sysfs
 * mbox_refused) and logged by the caller, so that a runtime bug or a
 * corrupted region is seen; the guest is served on.
 */
static void lio_mbox_count_refusal(struct lio_region *r)
{
	lockdep_assert_held(&r->mbox_lock);
	WRITE_ONCE(r->mbox_refused, r->mbox_refused + 1);
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
	if (leapio_mbox_pending(r->mbox_cons, prod) < 0) {
		/* Nothing is read: no slot can be told from garbage. */
		lio_mbox_count_refusal(r);
		dev_warn_ratelimited(lm->vdev.dev,
				     "runtime (pid %d): mailbox prod %u is not within %u requests of cons %u: KICK refused\n",
				     READ_ONCE(r->runtime_pid), prod,
				     LEAPIO_MBOX_ENTRIES, r->mbox_cons);
		ret = -EINVAL;
		goto out;
	}
	while (r->mbox_cons != prod) {
		struct leapio_mbox_msg *m =
			&mb->msg[r->mbox_cons % LEAPIO_MBOX_ENTRIES];
		/* Each field read once: the runtime may be changing them. */
		u32 op = READ_ONCE(m->op);
		u64 arg0 = READ_ONCE(m->arg0);
		u64 arg1 = READ_ONCE(m->arg1);
		u64 rsvd = READ_ONCE(m->rsvd);
		struct leapio_mbox_req req;
		s32 res;

		w = false;
		res = leapio_mbox_decode(op, arg0, arg1, rsvd, r->layout.nr_ioq,
					 &req);
		if (res) {
			lio_mbox_count_refusal(r);
			dev_warn_ratelimited(lm->vdev.dev,
					     "runtime (pid %d): mailbox request %u refused: op %u, arguments %#llx %#llx %#llx\n",
					     READ_ONCE(r->runtime_pid),
					     r->mbox_cons, op, arg0, arg1,
					     rsvd);
		} else {
			res = lio_mbox_one(lm, &req, &w);
		}
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

void lio_mbox_raise(struct lio_mdev *lm, u16 vector)
{
	struct lio_region *r = &lm->region;

	if (vector >= LIO_PEND_VECTORS)
		return;
	spin_lock(&r->pend_lock);
	__set_bit(vector, r->pend_irq);
	spin_unlock(&r->pend_lock);
	schedule_work(&r->mbox_work);
}

u64 lio_mbox_refused(struct lio_mdev *lm)
{
	return READ_ONCE(lm->region.mbox_refused);
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
