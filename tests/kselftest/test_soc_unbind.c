// SPDX-License-Identifier: GPL-2.0
/*
 * The card going away under a user (kernel/soc/main.c, chardev.c), in
 * the L1 of tests/vm/card/run-l1-card.sh: one of its functions is
 * unbound through sysfs while a file has both windows mapped and an
 * eventfd set.
 *
 *  - Every mapping is torn down: a touch is SIGBUS, in any process,
 *    also after the card is bound again.
 *  - The file is dead: every ioctl and mmap is ENODEV, also after the
 *    card is bound again; a new open is ENODEV until it is.
 *  - Its eventfd is no longer signalled: after the card is back, a new
 *    file's eventfd gets the interrupts, the old one none.
 *  - The module cannot be unloaded while the file or a mapping of it
 *    exists (EAGAIN); then it can. The kernel log must stay clean
 *    (run.sh checks it).
 */
#include "soc_test.h"

FIXTURE(unbind) {
	struct soc_fix s;
	void *dram, *host;
	int efd, efd2, fd2;
	const char *gone;	/* the function unbound */
	bool unbound;
};

FIXTURE_VARIANT(unbind) {
	bool dram;	/* unbind the DRAM function, else the host-DRAM window's */
};

FIXTURE_VARIANT_ADD(unbind, dram_function) {
	.dram = true,
};

FIXTURE_VARIANT_ADD(unbind, hostmem_function) {
	.dram = false,
};

FIXTURE_SETUP(unbind)
{
	self->efd = self->efd2 = self->fd2 = -1;
	SOC_SETUP(&self->s);
	self->gone = variant->dram ? self->s.rig.dram : self->s.rig.hostmem;
	self->efd = evfd_new();
	ASSERT_LE(0, self->efd);
	self->efd2 = evfd_new();
	ASSERT_LE(0, self->efd2);
}

FIXTURE_TEARDOWN(unbind)
{
	if (self->dram)
		munmap(self->dram, self->s.info.dram_size);
	if (self->host)
		munmap(self->host, self->s.info.hostmem_size);
	if (self->fd2 >= 0)
		close(self->fd2);
	if (self->unbound)
		soc_bind(self->gone);
	SOC_TEARDOWN(&self->s);
	evfd_close(&self->efd);
	evfd_close(&self->efd2);
}

static void dead(struct __test_metadata *_metadata, int fd)
{
	struct leapio_soc_info info;
	void *p;

	EXPECT_EQ(ENODEV, soc_ioctl_err(fd, LEAPIO_SOC_IOC_GET_INFO, &info));
	EXPECT_EQ(ENODEV, soc_ring(fd, 0, 0));
	EXPECT_EQ(ENODEV, soc_set_irqfd(fd, 0, -1));
	EXPECT_EQ(ENODEV, soc_mmap(fd, LEAPIO_SOC_MMAP_DRAM_OFFSET, 4096,
				   MAP_SHARED, &p));
	/* Unknown commands stay unknown. */
	EXPECT_EQ(ENOTTY, soc_ioctl_err(fd, _IO(LEAPIO_SOC_IOC_MAGIC, 0x4f),
					NULL));
}

TEST_F(unbind, mappings_and_eventfds)
{
	struct leapio_soc_info *i = &self->s.info, info2;
	volatile uint8_t *dram, *host;

	ASSERT_EQ(0, soc_mmap(self->s.fd, LEAPIO_SOC_MMAP_DRAM_OFFSET,
			      i->dram_size, MAP_SHARED, &self->dram));
	ASSERT_EQ(0, soc_mmap(self->s.fd, LEAPIO_SOC_MMAP_HOSTMEM_OFFSET,
			      i->hostmem_size, MAP_SHARED, &self->host));
	dram = self->dram;
	host = self->host;
	ASSERT_EQ(0, soc_set_irqfd(self->s.fd, 0, self->efd));
	/* Working before. */
	EXPECT_EQ(0, soc_touch_signal(dram));
	EXPECT_EQ(0, soc_touch_signal(host));
	ASSERT_EQ(0, soc_ring(self->s.fd, i->peer, 0));
	ASSERT_EQ(1, evfd_wait(self->efd, EVFD_TIMEOUT_MS));

	/* The card goes away. */
	TH_LOG("unbinding %s", self->gone);
	ASSERT_EQ(0, soc_unbind(self->gone));
	self->unbound = true;
	EXPECT_EQ(SIGBUS, soc_touch_signal(dram));
	EXPECT_EQ(SIGBUS, soc_touch_signal(dram + i->dram_size - 1));
	EXPECT_EQ(SIGBUS, soc_touch_signal(host));
	dead(_metadata, self->s.fd);
	EXPECT_EQ(-1, open(SOC_DEV_PATH, O_RDWR | O_CLOEXEC));
	EXPECT_EQ(ENODEV, errno);
	/* Held by the file and the mappings. */
	EXPECT_EQ(-EAGAIN, soc_unload());
	EXPECT_TRUE(kmod_loaded(SOC_MODULE_NAME));

	/* Back: new files work, the old one and its mappings stay dead. */
	ASSERT_EQ(0, soc_bind(self->gone));
	self->unbound = false;
	dead(_metadata, self->s.fd);
	EXPECT_EQ(SIGBUS, soc_touch_signal(dram));
	EXPECT_EQ(SIGBUS, soc_touch_signal(host));
	self->fd2 = open(SOC_DEV_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd2);
	ASSERT_EQ(0, soc_ioctl_err(self->fd2, LEAPIO_SOC_IOC_GET_INFO, &info2));
	EXPECT_EQ(i->dram_size, info2.dram_size);
	EXPECT_EQ(i->hostmem_size, info2.hostmem_size);
	EXPECT_EQ(i->peer, info2.peer);
	EXPECT_EQ(i->nr_vectors, info2.nr_vectors);
	/* The old file's eventfd went with it: vector 0 is free. */
	ASSERT_EQ(0, soc_set_irqfd(self->fd2, 0, self->efd2));
	ASSERT_EQ(0, soc_ring(self->fd2, info2.peer, 0));
	EXPECT_EQ(1, evfd_wait(self->efd2, EVFD_TIMEOUT_MS));
	EXPECT_EQ(0, evfd_take(self->efd));

	/* Unload waits for every file and mapping of the device. */
	close(self->fd2);
	self->fd2 = -1;
	EXPECT_EQ(-EAGAIN, soc_unload());
	close(self->s.fd);
	self->s.fd = -1;
	EXPECT_EQ(-EAGAIN, soc_unload());
	munmap(self->dram, i->dram_size);
	self->dram = NULL;
	EXPECT_EQ(-EAGAIN, soc_unload());
	munmap(self->host, i->hostmem_size);
	self->host = NULL;
	EXPECT_EQ(0, soc_unload());
	/* The eventfds are the user's: still usable after the module is gone. */
	EXPECT_EQ(0, evfd_take(self->efd));
	EXPECT_EQ(0, evfd_take(self->efd2));
}

/*
 * Both functions go, the variant's first; unload with a dead file open
 * is refused, then works.
 */
TEST_F(unbind, both_then_unload)
{
	const char *other = variant->dram ? self->s.rig.hostmem :
					    self->s.rig.dram;

	ASSERT_EQ(0, soc_set_irqfd(self->s.fd, 0, self->efd));
	ASSERT_EQ(0, soc_unbind(self->gone));
	ASSERT_EQ(0, soc_unbind(other));
	dead(_metadata, self->s.fd);
	/* Unbinding what is not bound. */
	EXPECT_EQ(-ENODEV, soc_unbind(self->gone));
	EXPECT_EQ(-EAGAIN, soc_unload());
	close(self->s.fd);
	self->s.fd = -1;
	EXPECT_EQ(0, soc_unload());
}

TEST_HARNESS_MAIN
