// SPDX-License-Identifier: GPL-2.0
/*
 * Card mode: guest memory (card.h). A guest address goes through the
 * region's tables to a host physical address, and through the window map
 * to an offset in the host-DRAM window; anything the tables or the map
 * do not cover is not reached (the core completes the command with a
 * Data Transfer Error, as in host mode). Data for the backend is staged
 * in card DRAM.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "card_internal.h"

/*
 * The window offset of guest address g, and the bytes from there that are
 * contiguous in the window (to the end of g's leaf or of its window map
 * entry). 0 or -EFAULT.
 */
static int lio_card_xlate(struct lio_card_vdev *cv, u64 g, u64 *off, u64 *n)
{
	struct lio_card *c = cv->card;
	u64 span, e, l1, leaf, hpa, avail;

	e = leapio_xlate_lookup(&cv->r, g, &span);
	if (!e)
		return -EFAULT;
	l1 = le64_to_cpu(__atomic_load_n(&cv->r.l1[g >> LEAPIO_L1_SHIFT],
					 __ATOMIC_RELAXED));
	leaf = l1 & LEAPIO_XLATE_LEAF ? 1ULL << LEAPIO_L1_SHIFT :
					1ULL << LEAPIO_L2_SHIFT;
	hpa = (e & LEAPIO_XLATE_ADDR_MASK) + (g & (leaf - 1));
	if (lio_win_xlate(c->win, c->nr_win, hpa, off, &avail))
		return -EFAULT;
	*n = span < avail ? span : avail;
	return 0;
}

void *lio_card_reach(struct lio_vdev *v, u64 gpa, u64 len)
{
	struct lio_card_vdev *cv = v->plat_ctx;
	struct lio_card *c = cv->card;
	u64 first = 0, done = 0, off, n, p;
	bool contig = true;

	while (done < len) {
		if (lio_card_xlate(cv, gpa + done, &off, &n))
			return NULL;
		if (!done)
			first = off;
		else if (off != first + done)
			contig = false;
		done += n;
	}
	if (contig)
		return c->dev->win + first;
	/*
	 * Scattered in host memory (a queue of 4 KiB pinned pages): each
	 * page mapped at its GPA in the reservation, until the next seq
	 * (forget), so that the core sees the queue in one piece.
	 */
	if (gpa + len > cv->gmem_size)
		return NULL;
	for (p = gpa & ~0xfffULL; p < gpa + len; p += 4096) {
		if (lio_card_xlate(cv, p, &off, &n) ||
		    c->dev->ops->map_window(c->dev, cv->gmem + p, off, 4096))
			return NULL;
		cv->linear = true;
	}
	return cv->gmem + gpa;
}

void lio_card_forget(struct lio_vdev *v)
{
	struct lio_card_vdev *cv = v->plat_ctx;

	if (!cv->linear)
		return;
	if (mmap(cv->gmem, cv->gmem_size, PROT_NONE,
		 MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0) != cv->gmem) {
		/* The old pages stay mapped; the next forget tries again. */
		lio_log("vdev %s: unmapping guest pages: %s", v->cfg.uuid,
			strerror(errno));
		return;
	}
	cv->linear = false;
}

bool lio_card_room(struct lio_vdev *v)
{
	struct lio_card_vdev *cv = v->plat_ctx;

	return __atomic_load_n(&cv->card->nr_free, __ATOMIC_RELAXED) > 0;
}

static void lio_card_buf_put(struct lio_card *c, void *b)
{
	pthread_mutex_lock(&c->lock);
	c->stage_free[c->nr_free++] =
		(u32)(((u8 *)b - c->stage_base) / LIO_CARD_STAGE_BUF);
	pthread_mutex_unlock(&c->lock);
}

int lio_card_stage_in(struct lio_vdev *v, const struct iovec *iov,
		      u32 iovcnt, u32 len, bool write, struct iovec *buf)
{
	struct lio_card_vdev *cv = v->plat_ctx;
	struct lio_card *c = cv->card;
	u8 *b = NULL;
	u32 i, done = 0;

	if (len > LIO_CARD_STAGE_BUF)
		return -EINVAL;
	/* Revoked: guest memory may be another's now; read none of it. */
	if (write && lio_card_revoked(cv))
		return -EFAULT;
	pthread_mutex_lock(&c->lock);
	if (c->nr_free)
		b = c->stage_base +
		    (u64)c->stage_free[--c->nr_free] * LIO_CARD_STAGE_BUF;
	pthread_mutex_unlock(&c->lock);
	if (!b)
		return -EAGAIN;
	for (i = 0; write && i < iovcnt; i++) {
		if (lio_dma_copy(&c->dma, b + done, iov[i].iov_base,
				 iov[i].iov_len)) {
			lio_card_buf_put(c, b);
			return -EFAULT;
		}
		done += iov[i].iov_len;
	}
	buf->iov_base = b;
	buf->iov_len = len;
	return 0;
}

int lio_card_stage_out(struct lio_vdev *v, const struct iovec *buf,
		       const struct iovec *iov, u32 iovcnt, bool read)
{
	struct lio_card_vdev *cv = v->plat_ctx;
	struct lio_card *c = cv->card;
	u8 *b = buf->iov_base;
	u32 i, done = 0;
	int ret = 0;

	/*
	 * The staged data of a read goes to guest memory only while the
	 * slot is not revoked: the driver may have unpinned the pages
	 * (soc-mode.rst, "Faults").
	 */
	if (read && lio_card_revoked(cv)) {
		read = false;
		ret = -EFAULT;
	}
	for (i = 0; read && i < iovcnt; i++) {
		if (lio_dma_copy(&c->dma, iov[i].iov_base, b + done,
				 iov[i].iov_len)) {
			ret = -EFAULT;
			break;
		}
		done += iov[i].iov_len;
	}
	lio_card_buf_put(c, b);
	return ret;
}
