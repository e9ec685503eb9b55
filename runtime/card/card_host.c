// SPDX-License-Identifier: GPL-2.0
/*
 * Card mode: reaching the host driver from the card (card.h): the mailbox
 * kick and interrupts, both announced by ringing the host; and the list
 * of attached vdevs the card's one doorbell is passed on to.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "card_internal.h"

int lio_card_track(struct lio_card *c, struct lio_card_vdev *cv)
{
	unsigned int i;

	for (i = 0; i < LEAPIO_CARD_SLOTS; i++) {
		if (!c->vdevs[i]) {
			c->vdevs[i] = cv;
			return 0;
		}
	}
	return -ENOSPC;
}

void lio_card_untrack(struct lio_card *c, struct lio_card_vdev *cv)
{
	unsigned int i;

	for (i = 0; i < LEAPIO_CARD_SLOTS; i++)
		if (c->vdevs[i] == cv)
			c->vdevs[i] = NULL;
}

void lio_card_fanout(struct lio_card *c)
{
	u64 one = 1;
	unsigned int i;

	pthread_mutex_lock(&c->lock);
	for (i = 0; i < LEAPIO_CARD_SLOTS; i++) {
		/* A full counter already wakes its poller: nothing lost. */
		if (c->vdevs[i] &&
		    write(c->vdevs[i]->ev_fd, &one, sizeof(one)) < 0)
			continue;
	}
	pthread_mutex_unlock(&c->lock);
}

void lio_card_vdev_free(struct lio_card_vdev *cv)
{
	if (!cv)
		return;
	if (cv->gmem)
		munmap(cv->gmem, cv->gmem_size);
	if (cv->ep_fd >= 0)
		close(cv->ep_fd);
	if (cv->ev_fd >= 0)
		close(cv->ev_fd);
	free(cv);
}

/*
 * Ring the host and, when requests are outstanding, wait for the driver
 * to answer them all (cons == prod): spinning a little, then sleeping
 * 1 us, 2 us, ... up to 1 ms between looks; -ETIMEDOUT after the card's
 * kick_ns (LIO_CARD_KICK_NS). (The host does not ring the card when it answers;
 * its doorbell means the region's seq or a slot moved.)
 */
int lio_card_kick(struct lio_vdev *v)
{
	struct lio_card_vdev *cv = v->plat_ctx;
	struct leapio_mbox *mb = v->r.mbox;
	u32 prod = __atomic_load_n(&mb->prod, __ATOMIC_RELAXED);
	struct timespec ts = { 0, 1000 };
	u64 start = 0;
	unsigned int i;
	int ret;

	ret = lio_card_ring(cv->card);
	if (ret)
		return ret;
	for (i = 0;; i++) {
		if (__atomic_load_n(&mb->cons, __ATOMIC_ACQUIRE) == prod)
			return 0;
		if (i < 64) {
			sched_yield();
			continue;
		}
		if (!start)
			start = lio_now_ns();
		else if (lio_now_ns() - start > cv->card->kick_ns)
			return -ETIMEDOUT;
		nanosleep(&ts, NULL);
		if (ts.tv_nsec < 1000000)
			ts.tv_nsec *= 2;
	}
}

int lio_card_irq(struct lio_vdev *v, u16 vector)
{
	struct lio_card_vdev *cv = v->plat_ctx;
	struct leapio_card_slot *s = cv->slot;

	if (vector >= LEAPIO_CARD_VECTORS)
		return -EINVAL;
	/* Our own counters (one poller per vdev): no read-modify-write
	 * is shared with the host, which only reads them.
	 */
	__atomic_store_n(&s->irq_post[vector], s->irq_post[vector] + 1,
			 __ATOMIC_RELEASE);
	__atomic_store_n(&s->irq_any, s->irq_any + 1, __ATOMIC_RELEASE);
	return lio_card_ring(cv->card);
}
