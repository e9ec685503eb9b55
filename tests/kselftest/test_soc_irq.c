// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/leapio_soc's doorbells and the ioctls' bad inputs (kernel/soc/
 * chardev.c, irq.c), in the L1 of tests/vm/card/run-l1-card.sh.
 *
 *  - RING to the card's own peer interrupts its vector, and the eventfd
 *    set for that vector counts each interrupt, no other vector's.
 *  - The host rings the card (a store to the host-facing function's
 *    Doorbell register, as the host driver does): the same eventfd.
 *  - One eventfd per vector, set through one file: another file gets
 *    EBUSY until the first lets go (fd -1, or close); a later SET from
 *    the same file replaces the eventfd.
 *  - Every ioctl's bad input: unknown command or size (ENOTTY), no
 *    argument (EFAULT), reserved fields, flags, peer or vector out of
 *    range, a descriptor that is no eventfd (EINVAL) or none (EBADF).
 */
#include <stdio.h>

#include "soc_test.h"

/* Sequential rings, each waited for: counted one by one. */
#define RINGS		8

FIXTURE(irq) {
	struct soc_fix s;
	int efd[LEAPIO_SOC_VECTORS_MAX];
	int fd2;
};

FIXTURE_SETUP(irq)
{
	unsigned int v;

	self->fd2 = -1;
	for (v = 0; v < LEAPIO_SOC_VECTORS_MAX; v++)
		self->efd[v] = -1;
	SOC_SETUP(&self->s);
	for (v = 0; v < self->s.info.nr_vectors; v++) {
		self->efd[v] = evfd_new();
		ASSERT_LE(0, self->efd[v]);
	}
}

FIXTURE_TEARDOWN(irq)
{
	unsigned int v;

	if (self->fd2 >= 0)
		close(self->fd2);
	SOC_TEARDOWN(&self->s);
	for (v = 0; v < LEAPIO_SOC_VECTORS_MAX; v++)
		evfd_close(&self->efd[v]);
}

TEST_F(irq, ring_self_counted)
{
	uint32_t peer = self->s.info.peer, n = self->s.info.nr_vectors, v, w;
	int i;

	for (v = 0; v < n; v++)
		ASSERT_EQ(0, soc_set_irqfd(self->s.fd, v, self->efd[v]));
	for (v = 0; v < n; v++) {
		for (i = 0; i < RINGS; i++) {
			ASSERT_EQ(0, soc_ring(self->s.fd, peer, v));
			ASSERT_EQ(1, evfd_wait(self->efd[v], EVFD_TIMEOUT_MS))
				TH_LOG("vector %u, ring %d", v, i);
		}
		/* Each interrupt reached its vector's eventfd, and no other. */
		for (w = 0; w < n; w++)
			EXPECT_EQ(0, evfd_take(self->efd[w]))
				TH_LOG("vector %u after ringing %u", w, v);
	}
}

TEST_F(irq, host_rings_card)
{
	uint32_t peer = self->s.info.peer, n = self->s.info.nr_vectors, v;
	volatile uint32_t *db;
	size_t len = 0;
	void *regs;
	int i;

	regs = soc_map_bar(self->s.rig.host, 0, &len);
	ASSERT_NE(NULL, regs) TH_LOG("%s resource0: %s", self->s.rig.host,
				     strerror(errno));
	db = (volatile uint32_t *)((char *)regs + SOC_REG_DOORBELL);
	for (v = 0; v < n; v++)
		ASSERT_EQ(0, soc_set_irqfd(self->s.fd, v, self->efd[v]));
	for (v = 0; v < n; v++) {
		for (i = 0; i < RINGS; i++) {
			*db = peer << 16 | v;
			ASSERT_EQ(1, evfd_wait(self->efd[v], EVFD_TIMEOUT_MS))
				TH_LOG("vector %u, ring %d", v, i);
		}
	}
	soc_unmap_bar(self->s.rig.host, regs, len);
}

/* The card rings the host's address: accepted (the host's side is its own). */
TEST_F(irq, ring_other_peers)
{
	EXPECT_EQ(0, soc_ring(self->s.fd, LEAPIO_SOC_PEER_MAX, 0));
	EXPECT_EQ(0, soc_ring(self->s.fd, (self->s.info.peer + 1) & 0xffff,
			      self->s.info.nr_vectors - 1));
}

TEST_F(irq, one_file_per_vector)
{
	int other = evfd_new();

	ASSERT_LE(0, other);
	self->fd2 = open(SOC_DEV_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd2);
	ASSERT_EQ(0, soc_set_irqfd(self->s.fd, 0, self->efd[0]));
	EXPECT_EQ(EBUSY, soc_set_irqfd(self->fd2, 0, other));
	EXPECT_EQ(EBUSY, soc_set_irqfd(self->fd2, 0, -1));

	/* The first file lets go: the second may set it. */
	ASSERT_EQ(0, soc_set_irqfd(self->s.fd, 0, -1));
	ASSERT_EQ(0, soc_set_irqfd(self->fd2, 0, other));
	EXPECT_EQ(EBUSY, soc_set_irqfd(self->s.fd, 0, self->efd[0]));
	ASSERT_EQ(0, soc_ring(self->s.fd, self->s.info.peer, 0));
	EXPECT_EQ(1, evfd_wait(other, EVFD_TIMEOUT_MS));
	EXPECT_EQ(0, evfd_take(self->efd[0]));

	/* Closing the second detaches its vectors. */
	close(self->fd2);
	self->fd2 = -1;
	ASSERT_EQ(0, soc_set_irqfd(self->s.fd, 0, self->efd[0]));
	ASSERT_EQ(0, soc_ring(self->s.fd, self->s.info.peer, 0));
	EXPECT_EQ(1, evfd_wait(self->efd[0], EVFD_TIMEOUT_MS));
	EXPECT_EQ(0, evfd_take(other));
	evfd_close(&other);
}

/*
 * The same file sets another eventfd: the new one counts, the old one no
 * more. A ring while none was set may land in the new one (it is
 * delivered after the write that rang), never in the old one.
 */
TEST_F(irq, replace_and_detach)
{
	int other = evfd_new();
	int64_t got;

	ASSERT_LE(0, other);
	ASSERT_EQ(0, soc_set_irqfd(self->s.fd, 0, self->efd[0]));
	ASSERT_EQ(0, soc_set_irqfd(self->s.fd, 0, other));
	ASSERT_EQ(0, soc_ring(self->s.fd, self->s.info.peer, 0));
	EXPECT_EQ(1, evfd_wait(other, EVFD_TIMEOUT_MS));
	EXPECT_EQ(0, evfd_take(self->efd[0]));

	ASSERT_EQ(0, soc_set_irqfd(self->s.fd, 0, -1));
	/* Detaching what is not set is no error. */
	ASSERT_EQ(0, soc_set_irqfd(self->s.fd, 0, -1));
	ASSERT_EQ(0, soc_ring(self->s.fd, self->s.info.peer, 0));
	ASSERT_EQ(0, soc_set_irqfd(self->s.fd, 0, self->efd[0]));
	ASSERT_EQ(0, soc_ring(self->s.fd, self->s.info.peer, 0));
	got = evfd_wait(self->efd[0], EVFD_TIMEOUT_MS);
	EXPECT_LE(1, got);
	EXPECT_GE(2, got);
	EXPECT_EQ(0, evfd_take(other));
	evfd_close(&other);
}

/* ---- bad input ---- */

TEST_F(irq, unknown_ioctls)
{
	struct leapio_soc_info info;
	uint64_t big[8] = { 0 };

	/* Numbers the device does not have, and its own with another size or direction. */
	EXPECT_EQ(ENOTTY, soc_ioctl_err(self->s.fd, _IO(LEAPIO_SOC_IOC_MAGIC, 0x4f), NULL));
	EXPECT_EQ(ENOTTY, soc_ioctl_err(self->s.fd, _IO(LEAPIO_SOC_IOC_MAGIC, 0x40), NULL));
	EXPECT_EQ(ENOTTY, soc_ioctl_err(self->s.fd, _IOR(LEAPIO_SOC_IOC_MAGIC, 0x40, uint32_t), big));
	EXPECT_EQ(ENOTTY, soc_ioctl_err(self->s.fd, _IOR(LEAPIO_SOC_IOC_MAGIC, 0x40, uint64_t[8]), big));
	EXPECT_EQ(ENOTTY, soc_ioctl_err(self->s.fd, _IOW(LEAPIO_SOC_IOC_MAGIC, 0x40, struct leapio_soc_info), &info));
	EXPECT_EQ(ENOTTY, soc_ioctl_err(self->s.fd, _IOW(LEAPIO_SOC_IOC_MAGIC, 0x41, uint64_t), big));
	EXPECT_EQ(ENOTTY, soc_ioctl_err(self->s.fd, _IOR(LEAPIO_SOC_IOC_MAGIC, 0x42, struct leapio_soc_ring), big));
	EXPECT_EQ(ENOTTY, soc_ioctl_err(self->s.fd, _IOW(LEAPIO_SOC_IOC_MAGIC, 0x42, uint64_t[4]), big));
	/* The host driver's /dev/leapio attach. */
	EXPECT_EQ(ENOTTY, soc_ioctl_err(self->s.fd, _IOWR('L', 0x01, uint64_t[5]), big));
}

TEST_F(irq, no_argument)
{
	EXPECT_EQ(EFAULT, soc_ioctl_err(self->s.fd, LEAPIO_SOC_IOC_GET_INFO, NULL));
	EXPECT_EQ(EFAULT, soc_ioctl_err(self->s.fd, LEAPIO_SOC_IOC_SET_IRQFD, NULL));
	EXPECT_EQ(EFAULT, soc_ioctl_err(self->s.fd, LEAPIO_SOC_IOC_RING, NULL));
}

TEST_F(irq, ring_bad)
{
	uint32_t n = self->s.info.nr_vectors, peer = self->s.info.peer;
	struct leapio_soc_ring q;

	EXPECT_EQ(EINVAL, soc_ring(self->s.fd, LEAPIO_SOC_PEER_MAX + 1, 0));
	EXPECT_EQ(EINVAL, soc_ring(self->s.fd, 0xffffffff, 0));
	EXPECT_EQ(EINVAL, soc_ring(self->s.fd, peer, n));
	EXPECT_EQ(EINVAL, soc_ring(self->s.fd, peer, LEAPIO_SOC_VECTORS_MAX));
	EXPECT_EQ(EINVAL, soc_ring(self->s.fd, peer, 0xffffffff));
	q = (struct leapio_soc_ring){ .peer = peer, .flags = 1 };
	EXPECT_EQ(EINVAL, soc_ioctl_err(self->s.fd, LEAPIO_SOC_IOC_RING, &q));
	q = (struct leapio_soc_ring){ .peer = peer, .flags = 1U << 31 };
	EXPECT_EQ(EINVAL, soc_ioctl_err(self->s.fd, LEAPIO_SOC_IOC_RING, &q));
	q = (struct leapio_soc_ring){ .peer = peer, .rsvd = 1 };
	EXPECT_EQ(EINVAL, soc_ioctl_err(self->s.fd, LEAPIO_SOC_IOC_RING, &q));
}

TEST_F(irq, set_irqfd_bad)
{
	uint32_t n = self->s.info.nr_vectors;
	struct leapio_soc_irqfd q;
	int null_fd, closed_fd;

	EXPECT_EQ(EINVAL, soc_set_irqfd(self->s.fd, n, self->efd[0]));
	EXPECT_EQ(EINVAL, soc_set_irqfd(self->s.fd, LEAPIO_SOC_VECTORS_MAX, -1));
	EXPECT_EQ(EINVAL, soc_set_irqfd(self->s.fd, 0xffffffff, -1));
	EXPECT_EQ(EINVAL, soc_set_irqfd(self->s.fd, 0, -2));
	q = (struct leapio_soc_irqfd){ .fd = self->efd[0], .flags = 1 };
	EXPECT_EQ(EINVAL, soc_ioctl_err(self->s.fd, LEAPIO_SOC_IOC_SET_IRQFD, &q));
	q = (struct leapio_soc_irqfd){ .fd = self->efd[0], .rsvd = 1 };
	EXPECT_EQ(EINVAL, soc_ioctl_err(self->s.fd, LEAPIO_SOC_IOC_SET_IRQFD, &q));

	/* Not an eventfd: a file, the device itself. */
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, null_fd);
	EXPECT_EQ(EINVAL, soc_set_irqfd(self->s.fd, 0, null_fd));
	EXPECT_EQ(EINVAL, soc_set_irqfd(self->s.fd, 0, self->s.fd));
	/* Not a descriptor. */
	closed_fd = null_fd;
	close(null_fd);
	EXPECT_EQ(EBADF, soc_set_irqfd(self->s.fd, 0, closed_fd));

	/* None of it set anything: another file may take vector 0. */
	self->fd2 = open(SOC_DEV_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd2);
	EXPECT_EQ(0, soc_set_irqfd(self->fd2, 0, self->efd[0]));
}

TEST_HARNESS_MAIN
