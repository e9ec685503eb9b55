// SPDX-License-Identifier: GPL-2.0
/*
 * SoC mode, a controller's region in card DRAM (kernel/host/card_slot.c),
 * with the loopback card of lib/card_side.h playing the card: a slot per
 * mdev, the region at its offset identical to what a host-mode runtime
 * mmaps, the guest's doorbell stores through the VFIO BAR0 mmap landing
 * in card DRAM, the card's interrupt requests (irq_post[]) raising the
 * guest's vectors once per change (masked: pending), its mailbox
 * requests answered, card DRAM full, and the hand-over between a host
 * runtime and the card both ways, and without the card's ack. Skipped
 * when this L1 has no loopback card (a regular L1).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "card_side.h"
#include "hand_rt.h"
#include "lio_test.h"
#include "clock.h"

#define MSIX_ENTRY(v)		(LEAPIO_MSIX_TABLE_OFFSET + 16 * (v))
#define MSIX_CTRL		12
#define MSIX_CTRL_MASKED	1U
#define WAIT_MS			5000

FIXTURE(card) {
	struct card_side cs;
	struct lio l;
	struct rt rt;
	bool bound;
};

FIXTURE_SETUP(card)
{
	const char *why = NULL;
	char buf[64] = "";

	lio_init(&self->l);
	rt_init(&self->rt);
	self->bound = false;
	if (card_find(&self->cs, &why))
		SKIP(return, "%s", why);
	/*
	 * A card left bound by a test that died is unbound first, with the
	 * mdevs that hold it.
	 */
	if (!card_param_read(buf, sizeof(buf)) && buf[0]) {
		ASSERT_EQ(0, mdev_remove_all());
		ASSERT_EQ(0, card_param_write(""));
	}
	ASSERT_EQ(0, card_map(&self->cs));
	ASSERT_EQ(0, card_param_write(self->cs.host_addr));
	self->bound = true;
	_metadata->setup_completed = true;
	ASSERT_EQ(0, card_say_ready(&self->cs));
	/* The card's runtime acks by default: the driver's waits end. */
	self->cs.ack_slots = 1;
	self->cs.ack_seq = 1;
	ASSERT_EQ(0, card_run_start(&self->cs));
}

FIXTURE_TEARDOWN(card)
{
	rt_close(&self->rt);
	LIO_TEARDOWN(&self->l);
	card_run_stop(&self->cs);
	if (self->bound)
		EXPECT_EQ(0, card_param_write(""));
	card_unmap(&self->cs);
}

static int slot_of(struct __test_metadata *_metadata, const struct lio_mdev *m)
{
	unsigned long long v = ~0ULL;
	char buf[16];

	ASSERT_EQ(0, mdev_attr_read(m, LEAPIO_SYSFS_CARD_SLOT, buf, sizeof(buf)));
	v = strtoull(buf, NULL, 0);
	ASSERT_GT(LEAPIO_CARD_SLOTS, v) TH_LOG("card_slot %s", buf);
	return v;
}

/* Wait (bounded) until *p == want: true if it came. */
static bool wait_u32(const uint32_t *p, uint32_t want)
{
	int64_t end = mono_ms() + WAIT_MS;

	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) != want) {
		if (mono_ms() > end)
			return false;
		sched_yield();
	}
	return true;
}

static void runtime_is(struct __test_metadata *_metadata,
		       const struct lio_mdev *m, const char *want)
{
	char buf[16];

	ASSERT_EQ(0, mdev_attr_read(m, LEAPIO_SYSFS_RUNTIME, buf, sizeof(buf)));
	ASSERT_STREQ(want, buf);
}

/* Hand the vdev to the card's runtime (which acks): owner CARD, acked. */
static void to_card(struct __test_metadata *_metadata, struct card_side *cs,
		    const struct lio_mdev *m, int slot)
{
	struct leapio_card_slot *s = card_slot(cs, slot);

	ASSERT_EQ(0, mdev_attr_write(m, LEAPIO_SYSFS_RUNTIME, "card"));
	runtime_is(_metadata, m, "card");
	ASSERT_EQ(LEAPIO_CARD_OWNER_CARD, s->owner);
	ASSERT_EQ(s->gen, s->card_ack);
}

TEST_F(card, region_in_card_dram)
{
	struct lio_opts o = { .no_open = true };
	struct leapio_region_hdr *h;
	struct leapio_card_slot *s, *s2;
	struct lio_mdev m2 = { 0 };
	struct leapio_region_view v;
	uint8_t uuid[16];
	int slot, slot2;

	LIO_SETUP(&self->l, &o);
	slot = slot_of(_metadata, &self->l.mdev);
	s = card_slot(&self->cs, slot);
	uuid_bytes(self->l.mdev.uuid, uuid);
	ASSERT_EQ(0, memcmp(uuid, s->uuid, sizeof(uuid)));
	ASSERT_LE(LEAPIO_CARD_DATA_OFF, s->region_off);
	ASSERT_EQ(0, s->region_off % LEAPIO_CARD_REGION_ALIGN);
	ASSERT_GE(self->cs.dram_size - self->cs.hdr->card_reserve,
		  s->region_off + s->region_size);
	ASSERT_EQ(LEAPIO_CARD_OWNER_HOST, s->owner);
	ASSERT_NE(0, s->gen);
	ASSERT_TRUE(wait_u32(&s->card_ack, s->gen));
	runtime_is(_metadata, &self->l.mdev, "host");

	/* A region as the layout code makes it, the mdev's identity in it. */
	h = card_region(&self->cs, slot);
	ASSERT_NE(NULL, h);
	ASSERT_EQ(LEAPIO_REGION_MAGIC, h->magic);
	ASSERT_EQ(s->region_size, h->region_size);
	leapio_region_view(&v, h);
	ASSERT_EQ(0, memcmp(uuid, v.ctrl->uuid, sizeof(uuid)));
	ASSERT_EQ(self->l.mdev.nr_ioq, v.ctrl->nr_ioq);

	/* What a host-mode runtime mmaps is that memory. */
	ASSERT_EQ(0, lio_open_shared(&self->l));
	ASSERT_EQ(0, hand_rt_open(&self->rt, self->l.mdev.uuid, false));
	ASSERT_EQ(s->region_size, self->rt.a.region_size);
	ASSERT_EQ(0, memcmp(self->rt.base, h, s->region_size));
	self->rt.v.ctrl->rsvd5[0] = 0x5a5aa5a5;
	ASSERT_EQ(0x5a5aa5a5, v.ctrl->rsvd5[0]);
	v.ctrl->rsvd5[1] = 0x12345678;
	ASSERT_EQ(0x12345678, self->rt.v.ctrl->rsvd5[1]);

	/* A second controller: a slot and DRAM of its own. */
	ASSERT_EQ(0, mdev_create(&m2, "leapio-1q"));
	slot2 = slot_of(_metadata, &m2);
	ASSERT_NE(slot, slot2);
	s2 = card_slot(&self->cs, slot2);
	ASSERT_EQ(0, s2->region_off % LEAPIO_CARD_REGION_ALIGN);
	ASSERT_TRUE(s2->region_off >= s->region_off + s->region_size ||
		    s->region_off >= s2->region_off + s2->region_size);
	ASSERT_EQ(0, mdev_remove(&m2));
	ASSERT_EQ(LEAPIO_CARD_OWNER_NONE, s2->owner);
	ASSERT_EQ(0, s2->region_off);
}

TEST_F(card, doorbell_store_lands_in_card)
{
	struct leapio_region_view v;
	volatile uint32_t *sq, *cq;
	uint64_t base;
	int slot;

	LIO_SETUP(&self->l, NULL);
	slot = slot_of(_metadata, &self->l.mdev);
	base = self->l.dev.region[VFIO_PCI_BAR0_REGION_INDEX].offset;
	sq = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
		  self->l.dev.fd, base + LEAPIO_SQ_DB(1));
	ASSERT_NE(MAP_FAILED, sq);
	cq = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
		  self->l.dev.fd, base + LEAPIO_CQ_DB(1));
	ASSERT_NE(MAP_FAILED, cq);
	leapio_region_view(&v, card_region(&self->cs, slot));

	*sq = 7;
	*cq = 3;
	ASSERT_EQ(7, *leapio_db_ptr(&v, 2));
	ASSERT_EQ(3, *leapio_db_ptr(&v, 3));
	/* And the card's view of the page is what the guest reads back. */
	*leapio_db_ptr(&v, 2) = 9;
	ASSERT_EQ(9, *sq);
	munmap((void *)sq, 4096);
	munmap((void *)cq, 4096);
}

/* The card raises vector vec: its counter, irq_any, the doorbell. */
static void card_post(struct card_side *cs, int slot, int vec, int n)
{
	struct leapio_card_slot *s = card_slot(cs, slot);

	__atomic_store_n(&s->irq_post[vec], s->irq_post[vec] + n,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&s->irq_any, s->irq_any + 1, __ATOMIC_RELEASE);
	card_ring_host(cs);
}

TEST_F(card, irq_post_raises_vector)
{
	struct lio *l = &self->l;
	int64_t end;
	int slot;

	LIO_SETUP(l, NULL);
	slot = slot_of(_metadata, &l->mdev);
	LIO_ENABLE(l);
	ASSERT_EQ(0, lio_msix_on(l));
	to_card(_metadata, &self->cs, &l->mdev, slot);
	evfd_take(l->msix_fd[0]);
	evfd_take(l->msix_fd[1]);

	/* Vector 1 once: its eventfd counts one, vector 0's nothing. */
	card_post(&self->cs, slot, 1, 1);
	ASSERT_EQ(1, evfd_wait(l->msix_fd[1], EVFD_TIMEOUT_MS));
	/* Three requests seen in one look: one interrupt. */
	card_post(&self->cs, slot, 0, 3);
	ASSERT_EQ(1, evfd_wait(l->msix_fd[0], EVFD_TIMEOUT_MS));
	ASSERT_EQ(0, evfd_take(l->msix_fd[1]));

	/* Masked: pending in the PBA, delivered at the unmask. */
	MSIX_WR32(l, MSIX_ENTRY(0) + MSIX_CTRL, MSIX_CTRL_MASKED);
	card_post(&self->cs, slot, 0, 1);
	end = mono_ms() + WAIT_MS;
	while (!(MSIX_RD32(l, LEAPIO_MSIX_PBA_OFFSET) & 1) && mono_ms() < end)
		sched_yield();
	ASSERT_EQ(1, MSIX_RD32(l, LEAPIO_MSIX_PBA_OFFSET) & 1);
	ASSERT_EQ(0, evfd_take(l->msix_fd[0]));
	MSIX_WR32(l, MSIX_ENTRY(0) + MSIX_CTRL, 0);
	ASSERT_EQ(1, evfd_wait(l->msix_fd[0], EVFD_TIMEOUT_MS));
}

/* One mailbox request from the card: its result, after the doorbell. */
static int32_t card_mbox(struct __test_metadata *_metadata,
			 struct card_side *cs, struct leapio_mbox *mb,
			 uint32_t op, uint64_t a0, uint64_t a1)
{
	uint32_t prod = mb->prod;
	struct leapio_mbox_msg *m = &mb->msg[prod % LEAPIO_MBOX_ENTRIES];

	m->op = op;
	m->arg0 = a0;
	m->arg1 = a1;
	m->rsvd = 0;
	m->result = 1;
	__atomic_store_n(&mb->prod, prod + 1, __ATOMIC_RELEASE);
	card_ring_host(cs);
	{ ASSERT_TRUE(wait_u32(&mb->cons, prod + 1)); }
	return m->result;
}

TEST_F(card, mailbox_answered)
{
	struct lio_opts o = { .no_open = true };
	struct lio *l = &self->l;
	struct leapio_region_view v;
	unsigned long long n = 0;
	uint64_t iova;
	u64 span;
	int slot;

	LIO_SETUP(l, &o);
	ASSERT_EQ(0, lio_open_shared(l));
	slot = slot_of(_metadata, &l->mdev);
	LIO_ENABLE(l);
	to_card(_metadata, &self->cs, &l->mdev, slot);
	ASSERT_NE(NULL, gmem_alloc_pages(&l->mem, GMEM_PAGE, &iova));
	leapio_region_view(&v, card_region(&self->cs, slot));

	ASSERT_EQ(0, card_mbox(_metadata, &self->cs, v.mbox, LEAPIO_MBOX_MAP,
			       iova, GMEM_PAGE));
	/* Pinned, and published in the tables in card DRAM. */
	ASSERT_EQ(0, mdev_attr_read_u64(&l->mdev, LEAPIO_SYSFS_PINNED_PAGES, &n));
	ASSERT_LE(1, n);
	ASSERT_NE(0, leapio_xlate_lookup(&v, iova, &span));
	/* A request no driver knows is refused and counted. */
	ASSERT_EQ(-EINVAL, card_mbox(_metadata, &self->cs, v.mbox, 999, 0, 0));
	ASSERT_EQ(0, mdev_attr_read_u64(&l->mdev, LEAPIO_SYSFS_MBOX_REFUSED, &n));
	ASSERT_EQ(1, n);
}

/* The hand-played runtime never answers the request to let go: CAP.TO. */
TEST_F_TIMEOUT(card, handover_host_card_host, 90)
{
	struct lio_opts o = { .no_open = true };
	struct lio *l = &self->l;
	struct leapio_card_slot *s;
	struct leapio_attach a;
	unsigned long long pid = 1;
	uint8_t uuid[16];
	uint32_t gen;
	int slot, dev, fd;

	LIO_SETUP(l, &o);
	ASSERT_EQ(0, lio_open_shared(l));
	slot = slot_of(_metadata, &l->mdev);
	s = card_slot(&self->cs, slot);
	LIO_ENABLE(l);
	/*
	 * No acker thread: once revoked, the runtime's next touch of the
	 * region is a SIGBUS (leapiod covers it, a test would die of it),
	 * and nothing here waits for its ack.
	 */
	ASSERT_EQ(0, hand_rt_open(&self->rt, l->mdev.uuid, false));
	uuid_bytes(l->mdev.uuid, uuid);

	/*
	 * Host -> card: the host runtime is asked to let go; this one does
	 * not answer (test_card_handover has leapiod answer), so it is
	 * revoked at CAP.TO, and the card acks.
	 */
	gen = s->gen;
	to_card(_metadata, &self->cs, &l->mdev, slot);
	ASSERT_EQ(gen + 1, s->gen);
	ASSERT_EQ(-1, ioctl(self->rt.fd, LEAPIO_VDEV_IOC_KICK));
	ASSERT_EQ(ENOLINK, errno);
	ASSERT_EQ(0, mdev_attr_read_u64(&l->mdev, LEAPIO_SYSFS_RUNTIME_PID, &pid));
	ASSERT_EQ(0, pid);
	dev = open("/dev/" LEAPIO_DEV_NAME, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, dev);
	ASSERT_EQ(-EREMOTE, rt_attach(dev, uuid, 0, &a));
	/* Again: nothing to do. */
	ASSERT_EQ(0, mdev_attr_write(&l->mdev, LEAPIO_SYSFS_RUNTIME, "card"));
	ASSERT_EQ(gen + 1, s->gen);
	/* The controller is served meanwhile: not failed. */
	ASSERT_EQ(0, REG_RD32(l, NVME_REG_CSTS) & NVME_CSTS_CFS);

	/* Card -> host: the card acks the release, a host runtime attaches. */
	ASSERT_EQ(0, mdev_attr_write(&l->mdev, LEAPIO_SYSFS_RUNTIME, "host"));
	runtime_is(_metadata, &l->mdev, "host");
	ASSERT_EQ(LEAPIO_CARD_OWNER_HOST, s->owner);
	ASSERT_EQ(gen + 2, s->gen);
	ASSERT_EQ(s->gen, s->card_ack);
	fd = rt_attach(dev, uuid, 0, &a);
	ASSERT_LE(0, fd);
	ASSERT_EQ(s->region_size, a.region_size);
	close(fd);
	close(dev);
	ASSERT_EQ(0, REG_RD32(l, NVME_REG_CSTS) & NVME_CSTS_CFS);
}

TEST_F_TIMEOUT(card, handover_timeout, 90)
{
	struct lio *l = &self->l;
	struct leapio_card_slot *s;
	int slot;

	LIO_SETUP(l, NULL);
	slot = slot_of(_metadata, &l->mdev);
	s = card_slot(&self->cs, slot);
	LIO_ENABLE(l);
	/* A card whose runtime never answers: CAP.TO, then CFS. */
	self->cs.ack_slots = 0;
	self->cs.ack_seq = 0;
	ASSERT_EQ(-ETIMEDOUT, mdev_attr_write(&l->mdev, LEAPIO_SYSFS_RUNTIME,
					      "card"));
	ASSERT_NE(s->gen, s->card_ack);
	ASSERT_EQ(NVME_CSTS_CFS, REG_RD32(l, NVME_REG_CSTS) & NVME_CSTS_CFS);
	runtime_is(_metadata, &l->mdev, "card");
	/* Once it answers, the vdev comes back to the host. */
	self->cs.ack_slots = 1;
	self->cs.ack_seq = 1;
	ASSERT_EQ(0, mdev_attr_write(&l->mdev, LEAPIO_SYSFS_RUNTIME, "host"));
	runtime_is(_metadata, &l->mdev, "host");
	ASSERT_EQ(s->gen, s->card_ack);
}

/* The card's runtime stops acknowledging: revoked at CAP.TO, as a host one. */
TEST_F_TIMEOUT(card, ack_timeout_revokes_card, 90)
{
	struct lio *l = &self->l;
	unsigned long long n = ~0ULL;
	struct leapio_attach a;
	uint8_t uuid[16];
	int slot, dev;

	LIO_SETUP(l, NULL);
	slot = slot_of(_metadata, &l->mdev);
	LIO_ENABLE(l);
	to_card(_metadata, &self->cs, &l->mdev, slot);
	self->cs.ack_seq = 0;
	/* CC.EN = 0: the reset waits for the card, then says CFS. */
	ASSERT_EQ(0, nvd_disable(&l->nvd));
	ASSERT_EQ(NVME_CSTS_CFS, REG_RD32(l, NVME_REG_CSTS));
	ASSERT_EQ(0, mdev_attr_read_u64(&l->mdev, LEAPIO_SYSFS_RUNTIME_REVOKED, &n));
	ASSERT_EQ(1, n);
	/* Still the card's: a host runtime is refused. */
	runtime_is(_metadata, &l->mdev, "card");
	uuid_bytes(l->mdev.uuid, uuid);
	dev = open("/dev/" LEAPIO_DEV_NAME, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, dev);
	EXPECT_EQ(-EREMOTE, rt_attach(dev, uuid, 0, &a));
	close(dev);
	/* Handed to the card again once it answers; the next enable is clean. */
	self->cs.ack_seq = 1;
	ASSERT_EQ(0, mdev_attr_write(&l->mdev, LEAPIO_SYSFS_RUNTIME, "card"));
	LIO_ENABLE(l);
	ASSERT_EQ(NVME_CSTS_RDY, REG_RD32(l, NVME_REG_CSTS));
}

TEST_F(card, dram_full)
{
	struct lio_mdev m[16] = { 0 };
	uint64_t room, per;
	unsigned int i, fit;
	int ret = 0;

	ASSERT_EQ(0, mdev_create(&m[0], "leapio-16q"));
	per = card_slot(&self->cs, slot_of(_metadata, &m[0]))->region_size;
	per = (per + LEAPIO_CARD_REGION_ALIGN - 1) &
	      ~(LEAPIO_CARD_REGION_ALIGN - 1);
	room = self->cs.dram_size - self->cs.hdr->card_reserve -
	       LEAPIO_CARD_DATA_OFF;
	fit = room / per;
	if (fit >= ARRAY_SIZE(m)) {
		mdev_remove(&m[0]);
		SKIP(return, "card DRAM holds %u regions, more than max_instances",
		     fit);
	}
	for (i = 1; i < fit; i++)
		ASSERT_EQ(0, mdev_create(&m[i], "leapio-16q"));
	ret = mdev_create(&m[fit], "leapio-16q");
	EXPECT_EQ(-ENOSPC, ret);
	/* A smaller one may still fit what is left; then it is full too. */
	for (i = 0; i <= fit; i++)
		EXPECT_EQ(0, mdev_remove(&m[i]));
	/* Everything freed: the first fits again. */
	ASSERT_EQ(0, mdev_create(&m[0], "leapio-16q"));
	ASSERT_EQ(0, mdev_remove(&m[0]));
}

TEST_HARNESS_MAIN
