// SPDX-License-Identifier: GPL-2.0
/* Card mode: the card, its slots, attach and detach (card.h). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "card_internal.h"

int lio_card_open(struct lio_card **out, struct lio_card_dev *dev,
		  const struct lio_win *win, unsigned int nr_win, char *err,
		  size_t errlen)
{
	struct lio_card *c;
	int ret;

	ret = lio_win_check(win, nr_win, dev->win_size, "card.host_window",
			    err, errlen);
	if (ret)
		return ret;
	if (dev->dram_size < LEAPIO_CARD_DATA_OFF) {
		snprintf(err, errlen, "the card's DRAM (%llu bytes) is smaller "
			 "than its directory", (unsigned long long)dev->dram_size);
		return -EINVAL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	c->dev = dev;
	memcpy(c->win, win, nr_win * sizeof(*win));
	c->nr_win = nr_win;
	c->dma.ops = &lio_dma_memcpy;
	c->kick_ns = LIO_CARD_KICK_NS;
	pthread_mutex_init(&c->lock, NULL);
	*out = c;
	return 0;
}

void lio_card_close(struct lio_card *c)
{
	if (!c)
		return;
	free(c->stage_free);
	if (c->stage_own)
		munmap(c->stage_own, (u64)c->stage_n * LIO_CARD_STAGE_BUF);
	pthread_mutex_destroy(&c->lock);
	if (c->dev->ops->close)
		c->dev->ops->close(c->dev);
	free(c);
}

struct lio_dma *lio_card_dma(struct lio_card *c)
{
	return &c->dma;
}

void lio_card_set_kick_timeout(struct lio_card *c, uint64_t ns)
{
	c->kick_ns = ns;
}

bool lio_card_host_bound(struct lio_card *c, uint32_t *gen)
{
	bool bound;

	pthread_mutex_lock(&c->lock);
	bound = c->host_bound;
	*gen = c->host_seen;
	pthread_mutex_unlock(&c->lock);
	return bound;
}

int lio_card_ring(struct lio_card *c)
{
	u32 peer = __atomic_load_n(&lio_card_hdr(c)->host_peer,
				   __ATOMIC_RELAXED);

	/* What the ring announces first (soc-mode.rst). */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	return c->dev->ops->ring_host(c->dev, peer);
}

/* The header the host driver wrote, usable? 0, -ENODEV (not yet), -EPROTO. */
static int lio_card_hdr_ok(struct lio_card *c, char *err, size_t errlen)
{
	struct leapio_card_hdr *h = lio_card_hdr(c);
	u64 dram, reserve;

	if (__atomic_load_n(&h->magic, __ATOMIC_ACQUIRE) != LEAPIO_CARD_MAGIC) {
		snprintf(err, errlen, "the host driver has not bound the card "
			 "yet (no directory in card DRAM)");
		return -ENODEV;
	}
	if (h->version_major != LEAPIO_CARD_VERSION_MAJOR) {
		snprintf(err, errlen, "the card directory is version %u, "
			 "leapiod speaks %u", h->version_major,
			 LEAPIO_CARD_VERSION_MAJOR);
		return -EPROTO;
	}
	dram = h->dram_size;
	reserve = h->card_reserve;
	if (h->hdr_size < sizeof(*h) || h->nr_slots > LEAPIO_CARD_SLOTS ||
	    h->slot_size < sizeof(struct leapio_card_slot) ||
	    dram > c->dev->dram_size || dram < LEAPIO_CARD_DATA_OFF ||
	    reserve > dram - LEAPIO_CARD_DATA_OFF || reserve % 4096) {
		snprintf(err, errlen, "the card directory is unusable (sizes, "
			 "slots or card_reserve out of range)");
		return -EPROTO;
	}
	return 0;
}

/* Staging buffers at the end of card DRAM, from the first bind seen. */
static int lio_card_stage_init(struct lio_card *c, char *err, size_t errlen)
{
	struct leapio_card_hdr *h = lio_card_hdr(c);
	u64 reserve = h->card_reserve;
	u32 i, n = (u32)(reserve / LIO_CARD_STAGE_BUF);

	if (c->stage_n)
		return 0;
	if (!n) {
		snprintf(err, errlen, "card_reserve (%llu bytes) holds no "
			 "staging buffer of %u bytes: the host driver must "
			 "leave card DRAM to the card", (unsigned long long)reserve,
			 LIO_CARD_STAGE_BUF);
		return -ENOSPC;
	}
	c->stage_free = calloc(n, sizeof(*c->stage_free));
	if (!c->stage_free) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	c->stage_base = c->dev->dram + h->dram_size - reserve;
	if (c->dev->dram_pfnmap) {
		/* As many, in memory io_uring can pin (card_dev.h). */
		c->stage_own = mmap(NULL, (u64)n * LIO_CARD_STAGE_BUF,
				    PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
				    -1, 0);
		if (c->stage_own == MAP_FAILED) {
			c->stage_own = NULL;
			free(c->stage_free);
			c->stage_free = NULL;
			snprintf(err, errlen, "staging buffers: %s",
				 strerror(errno));
			return -ENOMEM;
		}
		c->stage_base = c->stage_own;
	}
	for (i = 0; i < n; i++)
		c->stage_free[i] = n - 1 - i;
	c->nr_free = n;
	c->stage_n = n;
	return 0;
}

/*
 * The slot of uuid (any owner), or NULL; *gen as read before its fields
 * (acquire), so that a caller can tell a change made meanwhile.
 */
static struct leapio_card_slot *lio_card_find(struct lio_card *c,
					      const u8 uuid[16], u32 *gen)
{
	struct leapio_card_hdr *h = lio_card_hdr(c);
	u32 i, n = h->nr_slots;

	for (i = 0; i < n && i < LEAPIO_CARD_SLOTS; i++) {
		struct leapio_card_slot *s = lio_card_slot(c, i);
		u32 g = __atomic_load_n(&s->gen, __ATOMIC_ACQUIRE);

		if (s->region_off && !memcmp(s->uuid, uuid, 16)) {
			*gen = g;
			return s;
		}
	}
	return NULL;
}

/* The slot as the card acted on it: ack the host, ring it. */
static void lio_card_ack(struct lio_card *c, struct leapio_card_slot *s,
			 u32 gen)
{
	int ret;

	__atomic_store_n(&s->card_ack, gen, __ATOMIC_RELEASE);
	ret = lio_card_ring(c);
	if (ret)
		lio_log("card: ringing the host after an acknowledgement: %s",
			strerror(-ret));
}

/*
 * The host driver bound the card, bound it again or let it go: said once
 * per change, for the operator (and the rig, which waits for the host to
 * let go at the end of a run). Called with c->lock held, ok as
 * lio_card_hdr_ok() said.
 */
static void lio_card_watch_host(struct lio_card *c, bool ok)
{
	u32 g = __atomic_load_n(&lio_card_hdr(c)->host_gen, __ATOMIC_ACQUIRE);

	if (ok && (!c->host_bound || c->host_seen != g))
		lio_log("card: the host driver bound the card (generation %u)", g);
	else if (!ok && c->host_bound)
		lio_log("card: the host driver let the card go");
	c->host_bound = ok;
	if (ok)
		c->host_seen = g;
}

/*
 * The card side is up for this bind of the host driver: where to ring it
 * (card_peer), then card_ready = host_gen (release), which the host reads
 * before it rings.
 */
static void lio_card_ready(struct lio_card *c)
{
	struct leapio_card_hdr *h = lio_card_hdr(c);
	u32 g = __atomic_load_n(&h->host_gen, __ATOMIC_ACQUIRE);

	lio_card_watch_host(c, true);
	if (__atomic_load_n(&h->card_ready, __ATOMIC_RELAXED) == g &&
	    __atomic_load_n(&h->card_peer, __ATOMIC_RELAXED) == c->dev->peer)
		return;
	__atomic_store_n(&h->card_peer, c->dev->peer, __ATOMIC_RELAXED);
	__atomic_store_n(&h->card_ready, g, __ATOMIC_RELEASE);
}

static int lio_card_region_ok(struct lio_card *c, struct leapio_card_slot *s,
			      const u8 uuid[16], char *err, size_t errlen)
{
	struct leapio_card_hdr *h = lio_card_hdr(c);
	u64 off = s->region_off, size = s->region_size;
	u64 end = h->dram_size - h->card_reserve;
	struct leapio_region_view r;
	const char *why;
	int ret;

	if (off < LEAPIO_CARD_DATA_OFF || off % LEAPIO_CARD_REGION_ALIGN ||
	    !size || size > end - off || off > end) {
		snprintf(err, errlen, "its slot's region [%#llx, +%#llx) is not "
			 "in the card's share of DRAM", (unsigned long long)off,
			 (unsigned long long)size);
		return -EPROTO;
	}
	ret = leapio_region_check(lio_card_at(c, off), size, &why);
	if (ret) {
		snprintf(err, errlen, "the region's header is unusable: %s%s",
			 why, ret == -EPROTO ? " (leapiod and leapio_host are "
			 "of different versions)" : "");
		return ret;
	}
	leapio_region_view(&r, lio_card_at(c, off));
	if (memcmp(r.ctrl->uuid, uuid, 16)) {
		snprintf(err, errlen, "its slot's region is another vdev's");
		return -EPROTO;
	}
	return 0;
}

static int lio_card_attach(void *ctx, const char *uuid,
			   struct lio_plat_att *att, char *err, size_t errlen)
{
	struct lio_card *c = ctx;
	struct lio_card_vdev *cv = NULL;
	struct leapio_card_slot *s;
	struct epoll_event ev;
	u8 id[16];
	u32 gen, gen2;
	int ret;

	if (lio_uuid_bytes(uuid, id)) {
		snprintf(err, errlen, "'%s' is not a UUID", uuid);
		return -EINVAL;
	}
	pthread_mutex_lock(&c->lock);
	ret = lio_card_hdr_ok(c, err, errlen);
	if (ret) {
		lio_card_watch_host(c, false);
		goto out;
	}
	lio_card_ready(c);
	s = lio_card_find(c, id, &gen);
	if (!s || __atomic_load_n(&s->owner, __ATOMIC_RELAXED) !=
		  LEAPIO_CARD_OWNER_CARD) {
		snprintf(err, errlen, !s ? "no slot on the card has it" :
			 __atomic_load_n(&s->owner, __ATOMIC_RELAXED) ==
			 LEAPIO_CARD_OWNER_REVOKED ?
			 "the host driver revoked its slot on the card" :
			 "its slot on the card is the host's");
		ret = -ENODEV;
		goto out;
	}
	ret = lio_card_region_ok(c, s, id, err, errlen);
	if (ret)
		goto out;
	/* A change while we looked: looked at again at the next try. */
	gen2 = __atomic_load_n(&s->gen, __ATOMIC_ACQUIRE);
	if (gen2 != gen) {
		snprintf(err, errlen, "its slot changed while attaching");
		ret = -ENODEV;
		goto out;
	}
	ret = lio_card_stage_init(c, err, errlen);
	if (ret)
		goto out;
	cv = calloc(1, sizeof(*cv));
	if (!cv) {
		snprintf(err, errlen, "out of memory");
		ret = -ENOMEM;
		goto out;
	}
	cv->card = c;
	cv->slot = s;
	cv->gen = gen;
	cv->region_off = s->region_off;
	cv->host_gen = lio_card_hdr(c)->host_gen;
	memcpy(cv->uuid, id, 16);
	cv->ev_fd = cv->ep_fd = -1;
	att->region = lio_card_at(c, cv->region_off);
	att->region_size = s->region_size;
	leapio_region_view(&cv->r, att->region);
	/* The GPA-linear reservation reach() maps scattered queues into. */
	cv->gmem_size = cv->r.hdr->l1_entries << LEAPIO_L1_SHIFT;
	cv->gmem = mmap(NULL, cv->gmem_size, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (cv->gmem == MAP_FAILED) {
		ret = -errno;
		cv->gmem = NULL;
		snprintf(err, errlen, "reserving %llu bytes of addresses: %s",
			 (unsigned long long)cv->gmem_size, strerror(-ret));
		goto fail;
	}
	cv->ev_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	cv->ep_fd = epoll_create1(EPOLL_CLOEXEC);
	ev = (struct epoll_event){ .events = EPOLLIN };
	if (cv->ev_fd < 0 || cv->ep_fd < 0 ||
	    epoll_ctl(cv->ep_fd, EPOLL_CTL_ADD, c->dev->wake_fd, &ev) ||
	    epoll_ctl(cv->ep_fd, EPOLL_CTL_ADD, cv->ev_fd, &ev)) {
		ret = -errno;
		snprintf(err, errlen, "wake eventfd: %s", strerror(-ret));
		goto fail;
	}
	ret = lio_card_track(c, cv);
	if (ret) {
		snprintf(err, errlen, "more vdevs attached than the card has slots");
		goto fail;
	}
	att->gmem = cv->gmem;
	att->gmem_size = cv->gmem_size;
	att->wake_fd = cv->ep_fd;
	att->priv = cv;
	lio_card_ack(c, s, gen);
	pthread_mutex_unlock(&c->lock);
	return 0;
fail:
	lio_card_vdev_free(cv);
out:
	pthread_mutex_unlock(&c->lock);
	return ret;
}

static void lio_card_detach(struct lio_plat_att *att)
{
	struct lio_card_vdev *cv = att->priv;
	struct lio_card *c = cv->card;
	struct leapio_card_slot *s = cv->slot;
	u32 gen;

	pthread_mutex_lock(&c->lock);
	lio_card_untrack(c, cv);
	gen = __atomic_load_n(&s->gen, __ATOMIC_ACQUIRE);
	/*
	 * Holding nothing of it now: a slot that is no longer ours (handed
	 * over, freed) is acknowledged. One still ours (leapiod stopping)
	 * has nothing new to acknowledge.
	 */
	if (__atomic_load_n(&s->owner, __ATOMIC_RELAXED) != LEAPIO_CARD_OWNER_CARD ||
	    s->region_off != cv->region_off || memcmp(s->uuid, cv->uuid, 16))
		lio_card_ack(c, s, gen);
	pthread_mutex_unlock(&c->lock);
	lio_card_vdev_free(cv);
	att->priv = NULL;
}

static const char *lio_card_gone(struct lio_plat_att *att)
{
	struct lio_card_vdev *cv = att->priv;
	struct lio_card *c = cv->card;
	struct leapio_card_hdr *h = lio_card_hdr(c);
	struct leapio_card_slot *s = cv->slot;
	u32 gen;

	__atomic_store_n(&h->card_heartbeat, h->card_heartbeat + 1,
			 __ATOMIC_RELAXED);
	if (__atomic_load_n(&h->magic, __ATOMIC_ACQUIRE) != LEAPIO_CARD_MAGIC ||
	    __atomic_load_n(&h->host_gen, __ATOMIC_RELAXED) != cv->host_gen)
		return "the host driver let the card go (or bound it again)";
	/*
	 * Revoked (or handed to the card again after a revocation): let go
	 * at once; what is in flight completes without touching guest
	 * memory, and the next attach starts afresh.
	 */
	if (unlikely(lio_card_revoked(cv)))
		return "revoked by the host driver (a change not acknowledged within CAP.TO)";
	gen = __atomic_load_n(&s->gen, __ATOMIC_ACQUIRE);
	if (likely(gen == cv->gen))
		return NULL;
	/* A slot freed (the mdev removed) has owner NONE as well. */
	if (s->region_off != cv->region_off || memcmp(s->uuid, cv->uuid, 16))
		return "its slot on the card was freed";
	return "handed over to the host";
}

static void lio_card_idle(void *ctx, const char *uuid)
{
	struct lio_card *c = ctx;
	char err[128];
	u8 id[16];
	u32 i, gen;

	if (lio_uuid_bytes(uuid, id))
		return;
	pthread_mutex_lock(&c->lock);
	if (lio_card_hdr_ok(c, err, sizeof(err))) {
		lio_card_watch_host(c, false);
		pthread_mutex_unlock(&c->lock);
		return;
	}
	lio_card_ready(c);
	/*
	 * Not ours to serve: acknowledged as let go (we hold none of it).
	 * Freed slots too (region_off 0): after a revocation the driver
	 * waits for our ack before it reuses the slot's DRAM.
	 */
	for (i = 0; i < lio_card_hdr(c)->nr_slots && i < LEAPIO_CARD_SLOTS; i++) {
		struct leapio_card_slot *s = lio_card_slot(c, i);

		gen = __atomic_load_n(&s->gen, __ATOMIC_ACQUIRE);
		if (memcmp(s->uuid, id, 16) ||
		    __atomic_load_n(&s->owner, __ATOMIC_RELAXED) ==
		    LEAPIO_CARD_OWNER_CARD ||
		    __atomic_load_n(&s->card_ack, __ATOMIC_RELAXED) == gen)
			continue;
		lio_card_ack(c, s, gen);
	}
	pthread_mutex_unlock(&c->lock);
}

static void lio_card_woken(struct lio_plat_att *att)
{
	struct lio_card_vdev *cv = att->priv;
	struct lio_card *c = cv->card;
	u64 n;

	/*
	 * The card's one doorbell: whoever reads it passes it on to every
	 * vdev attached, so that pollers sleeping on others wake too.
	 */
	if (read(c->dev->wake_fd, &n, sizeof(n)) == sizeof(n) && n)
		lio_card_fanout(c);
	if (read(cv->ev_fd, &n, sizeof(n)) < 0)
		return;		/* nothing for us: an earlier read took it */
}

const struct lio_plat lio_card_plat = {
	.name		= "card",
	.retry_ns	= 10000000ULL,
	.absent		= "not in a slot of the card that is the card's (yet); looking again every 10 ms",
	.attach		= lio_card_attach,
	.detach		= lio_card_detach,
	.gone		= lio_card_gone,
	.idle		= lio_card_idle,
	.woken		= lio_card_woken,
	.kick		= lio_card_kick,
	.irq		= lio_card_irq,
	.reach		= lio_card_reach,
	.forget		= lio_card_forget,
	.room		= lio_card_room,
	.stage_in	= lio_card_stage_in,
	.stage_out	= lio_card_stage_out,
	.drain_on_apply	= true,
};
