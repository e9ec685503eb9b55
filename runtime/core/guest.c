// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory and the mailbox. A guest page is touched only after the
 * region's tables say it is translated (pinned): a miss asks the driver
 * once, through a MAP request, and fails if it is still missing.
 */
#include <errno.h>
#include <time.h>

#include "vdev.h"

u64 lio_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * The answers to posted requests: nobody waits for them, but one the
 * driver refused is a protocol bug worth saying once.
 */
static void lio_mbox_check(struct lio_vdev *v, u32 upto)
{
	struct leapio_mbox *mb = v->r.mbox;
	u32 cons = __atomic_load_n(&mb->cons, __ATOMIC_ACQUIRE);

	for (; v->mbox_checked != upto &&
	       (s32)(cons - v->mbox_checked) > 0; v->mbox_checked++) {
		struct leapio_mbox_msg *m =
			&mb->msg[v->mbox_checked % LEAPIO_MBOX_ENTRIES];
		s32 res = __atomic_load_n(&m->result, __ATOMIC_RELAXED);

		if (res < 0 && !v->err_warned) {
			lio_log("vdev %s: the driver refused mailbox request %u: %d",
				v->cfg.uuid, m->op, res);
			v->err_warned = true;
		}
	}
}

int lio_mbox_flush(struct lio_vdev *v)
{
	u32 prod = v->r.mbox->prod;
	int ret;

	if (v->mbox_checked == prod)
		return 0;
	ret = v->plat->kick(v);
	lio_mbox_check(v, prod);
	return ret;
}

int lio_mbox_post(struct lio_vdev *v, u32 op, u64 arg0, u64 arg1, u64 arg2)
{
	struct leapio_mbox *mb = v->r.mbox;
	u32 prod = mb->prod;
	struct leapio_mbox_msg *m;
	int ret;

	if (prod - __atomic_load_n(&mb->cons, __ATOMIC_ACQUIRE) >=
	    LEAPIO_MBOX_ENTRIES) {
		ret = lio_mbox_flush(v);
		if (ret)
			return ret;
	}
	m = &mb->msg[prod % LEAPIO_MBOX_ENTRIES];
	m->op = op;
	m->arg0 = arg0;
	m->arg1 = arg1;
	m->rsvd = arg2;
	m->result = -EINPROGRESS;
	__atomic_store_n(&mb->prod, prod + 1, __ATOMIC_RELEASE);
	return 0;
}

int lio_mbox_call(struct lio_vdev *v, u32 op, u64 arg0, u64 arg1)
{
	struct leapio_mbox *mb = v->r.mbox;
	struct leapio_mbox_msg *m;
	u32 prod;
	int ret;

	/* Posted requests first: their answers are looked at, and the
	 * ring is empty after.
	 */
	ret = lio_mbox_flush(v);
	if (ret)
		return ret;
	prod = mb->prod;
	ret = lio_mbox_post(v, op, arg0, arg1, 0);
	if (ret)
		return ret;
	m = &mb->msg[prod % LEAPIO_MBOX_ENTRIES];
	/* The kick answers everything up to prod: this request too. */
	ret = v->plat->kick(v);
	if (ret)
		return ret;
	v->mbox_checked = prod + 1;
	if ((s32)(__atomic_load_n(&mb->cons, __ATOMIC_ACQUIRE) - (prod + 1)) < 0)
		return -EIO;
	return __atomic_load_n(&m->result, __ATOMIC_ACQUIRE);
}

/* Translated guest memory as the CPU reaches it (plat.h reach). */
static inline void *lio_at(struct lio_vdev *v, u64 gpa, u64 len)
{
	if (likely(!v->plat_mem) || !v->plat->reach)
		return v->gmem + gpa;
	return v->plat->reach(v, gpa, len);
}

void *lio_gptr(struct lio_vdev *v, u64 gpa, u64 len)
{
	int ret;

	if (!len || gpa >= v->gmem_size || len > v->gmem_size - gpa)
		return NULL;
	/* The leaf found last: valid until the next ack (lio_apply()). */
	if (likely(gpa >= v->xl_lo && gpa + len <= v->xl_hi))
		return lio_at(v, gpa, len);
	if (likely(leapio_xlate_range_ok(&v->r, gpa, len))) {
		u64 span;

		if (leapio_xlate_lookup(&v->r, gpa, &span)) {
			u64 leaf = span > 4096 ? 1ULL << LEAPIO_L1_SHIFT : 4096;

			v->xl_lo = (gpa + span) - leaf;
			v->xl_hi = gpa + span;
		}
		return lio_at(v, gpa, len);
	}
	ret = lio_mbox_call(v, LEAPIO_MBOX_MAP, gpa, len);
	if (ret) {
		if (ret == -EPERM)
			lio_log("vdev %s: guest memory at %#llx is anonymous; "
				"start QEMU with a shared memory backend "
				"(memory-backend-memfd,share=on)",
				v->cfg.uuid, (unsigned long long)gpa);
		return NULL;
	}
	return leapio_xlate_range_ok(&v->r, gpa, len) ? lio_at(v, gpa, len) :
							NULL;
}

void *lio_gpeek(struct lio_vdev *v, u64 gpa, u64 len)
{
	if (!len || gpa >= v->gmem_size || len > v->gmem_size - gpa)
		return NULL;
	return leapio_xlate_range_ok(&v->r, gpa, len) ? lio_at(v, gpa, len) :
							NULL;
}
