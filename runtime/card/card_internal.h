/* SPDX-License-Identifier: GPL-2.0 */
/* Card mode's insides, shared by card.c, card_host.c and card_mem.c. */
#ifndef LEAPIOD_CARD_INTERNAL_H
#define LEAPIOD_CARD_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>

#include "lio_env.h"
#include "../../common/leapio/region_layout.h"
#include "../../uapi/linux/leapio_card.h"
#include "../core/vdev.h"
#include "card.h"

struct lio_card_vdev;

struct lio_card {
	struct lio_card_dev	*dev;
	struct lio_win		win[LIO_WIN_MAX];
	unsigned int		nr_win;
	struct lio_dma		dma;
	u64			kick_ns;	/* a kick's bound */
	/* The host driver's bind last seen (logged as it changes): */
	bool			host_bound;
	u32			host_seen;	/* its host_gen */
	/* attach, detach, the staging pool, the list below */
	pthread_mutex_t		lock;
	struct lio_card_vdev	*vdevs[LEAPIO_CARD_SLOTS];
	/* staging buffers: stage_n of LIO_CARD_STAGE_BUF at stage_base */
	u8			*stage_base;
	u8			*stage_own;	/* not in card_reserve: dram_pfnmap */
	u32			stage_n;
	u32			*stage_free;	/* a stack of indices */
	u32			nr_free;
};

/* One vdev attached through its slot. */
struct lio_card_vdev {
	struct lio_card		*card;
	struct leapio_card_slot	*slot;
	u32			gen;		/* the slot's, acted on */
	u32			host_gen;	/* the bind it was attached in */
	u64			region_off;
	u8			uuid[16];
	struct leapio_region_view r;
	u8			*gmem;		/* GPA-linear reservation */
	u64			gmem_size;
	bool			linear;		/* something mapped into it */
	bool			revoked;	/* seen revoked: stays so */
	int			ev_fd;		/* its share of the doorbell */
	int			ep_fd;		/* { doorbell, ev_fd }: wake_fd */
};

static inline struct leapio_card_hdr *lio_card_hdr(struct lio_card *c)
{
	return (struct leapio_card_hdr *)c->dev->dram;
}

static inline struct leapio_card_slot *lio_card_slot(struct lio_card *c,
						     u32 i)
{
	return (struct leapio_card_slot *)(c->dev->dram +
					   (u64)LEAPIO_CARD_PAGE * (1 + i));
}

/*
 * Has the driver revoked cv's attachment? Read before every copy into or
 * out of guest memory: the driver gave up waiting for us and may have
 * unpinned the pages since. Revoked: the slot's owner REVOKED (written
 * without a gen bump), or CARD with a gen newer than the one attached to
 * (the vdev handed to the card again after a revocation we slept
 * through). Once seen it stays so for this attachment, whatever the
 * slot says next: its requests are of before. The poller's thread only.
 */
static inline bool lio_card_revoked(struct lio_card_vdev *cv)
{
	u32 gen, owner;

	if (cv->revoked)
		return true;
	gen = __atomic_load_n(&cv->slot->gen, __ATOMIC_ACQUIRE);
	owner = __atomic_load_n(&cv->slot->owner, __ATOMIC_ACQUIRE);
	if (owner == LEAPIO_CARD_OWNER_REVOKED ||
	    (owner == LEAPIO_CARD_OWNER_CARD && gen != cv->gen))
		cv->revoked = true;
	return cv->revoked;
}

static inline void *lio_card_at(struct lio_card *c, u64 off)
{
	return c->dev->dram + off;
}

/* card.c */
int lio_card_ring(struct lio_card *c);

/* card_host.c: the list of attached vdevs (c->lock held), the host */
int lio_card_track(struct lio_card *c, struct lio_card_vdev *cv);
void lio_card_untrack(struct lio_card *c, struct lio_card_vdev *cv);
void lio_card_fanout(struct lio_card *c);
void lio_card_vdev_free(struct lio_card_vdev *cv);
int lio_card_kick(struct lio_vdev *v);
int lio_card_irq(struct lio_vdev *v, u16 vector);

/* card_mem.c: guest memory and staging */
void *lio_card_reach(struct lio_vdev *v, u64 gpa, u64 len);
void lio_card_forget(struct lio_vdev *v);
bool lio_card_room(struct lio_vdev *v);
int lio_card_stage_in(struct lio_vdev *v, const struct iovec *iov,
		      u32 iovcnt, u32 len, bool write, struct iovec *buf);
int lio_card_stage_out(struct lio_vdev *v, const struct iovec *buf,
		       const struct iovec *iov, u32 iovcnt, bool read);

#endif /* LEAPIOD_CARD_INTERNAL_H */
