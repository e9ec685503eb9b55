// SPDX-License-Identifier: GPL-2.0
/*
 * Two mdevs of one VM: one VFIO container, as QEMU gives all of a guest's
 * devices, both served by one leapiod, their queues and buffers in one
 * DMA mapping. QEMU unmaps and maps back a guest's memory when the
 * guest's memory map changes (at boot, SeaBIOS's NVMe queues sit in the
 * ROM area it remaps): VFIO type1 then calls each device in turn and
 * looks again, and calls them all once more while a page of the range is
 * still pinned, ten rounds before it BUGs. Here the memory holding both
 * devices' live queues goes away and comes back, several times: every
 * pin in it must be gone when the unmap returns, both devices' queues
 * are held meanwhile and served again once it is back, each device's
 * data where it belongs.
 */
#include <stdio.h>

#include "lio_dp.h"

#define VM2_NS		(8ULL << 20)
#define VM2_ROUNDS	3

FIXTURE(vm2) {
	struct dp a;
	struct dp b;		/* in a's container, a's backing at VM2_NS */
};

FIXTURE_SETUP(vm2)
{
	dp_create_pair(_metadata, &self->a, &self->b, VM2_NS);
	dp_start_leapiod(_metadata, &self->a);
	dp_open(_metadata, &self->a);
	dp_open_beside(_metadata, &self->b, &self->a);
	ASSERT_EQ(0, nvd_create_io_pair(&self->a.l.nvd, 1, 16, 1));
	ASSERT_EQ(0, nvd_create_io_pair(&self->b.l.nvd, 1, 16, 1));
}

FIXTURE_TEARDOWN(vm2)
{
	/* b first: its memory is a's, and a's teardown stops the leapiod. */
	dp_teardown(_metadata, &self->b);
	dp_teardown(_metadata, &self->a);
}

/* leapiod's line saying that a queue of dp is held, or served again. */
static void vm2_queue_line(char *buf, size_t len, struct dp *dp, bool held)
{
	snprintf(buf, len, "vdev %s: SQ 1: its memory is %s", dp->l.mdev.uuid,
		 held ? "not translated" : "translated again");
}

TEST_F_TIMEOUT(vm2, memory_under_both_devices_queues_unmapped_and_back, 300)
{
	struct dp *dev[2] = { &self->a, &self->b };
	struct gmem *m = &self->a.l.mem;	/* b's is carved from it */
	uint32_t n = GMEM_PAGE >> self->a.io.lba_shift;
	char line[160];
	unsigned int round, i;

	ASSERT_NE(NULL, gmem_ptr(m, self->b.l.mem.iova));
	for (round = 0; round < VM2_ROUNDS; round++) {
		/* Both serve from the mapping: their queues' pages pinned. */
		for (i = 0; i < 2; i++) {
			dp_write_seed(_metadata, dev[i], 1, 0, n,
				      7000 + 100 * i + round);
			ASSERT_LT(0, dp_attr(_metadata, dev[i],
					     LEAPIO_SYSFS_PINNED_PAGES));
		}

		/* All of the VM's memory away: no pin may stay behind. */
		ASSERT_EQ(0, vfio_dma_unmap(&self->a.l.dev, m->iova, m->size));
		for (i = 0; i < 2; i++) {
			ASSERT_EQ(0, dp_attr(_metadata, dev[i],
					     LEAPIO_SYSFS_PINNED_PAGES));
			vm2_queue_line(line, sizeof(line), dev[i], true);
			ASSERT_EQ(0, leapiod_log_wait_n(&self->a.d, line,
							round + 1,
							NIO_TIMEOUT_MS))
				TH_LOG("round %u: %s: never held", round,
				       dev[i]->l.mdev.uuid);
		}

		/* Back where it was, as QEMU maps it again. */
		ASSERT_EQ(0, vfio_dma_map(&self->a.l.dev, m->base, m->iova,
					  m->size));
		for (i = 0; i < 2; i++) {
			dp_read_seed(_metadata, dev[i], 1, 0, n,
				     7000 + 100 * i + round);
			vm2_queue_line(line, sizeof(line), dev[i], false);
			ASSERT_EQ(round + 1, leapiod_log_count(&self->a.d, line));
		}
	}
	/* Each device's blocks in its own part of the backing device. */
	dp_backing_seed(_metadata, &self->a, 0, 0, n, 7000 + VM2_ROUNDS - 1);
	dp_backing_seed(_metadata, &self->a, VM2_NS, 0, n,
			7100 + VM2_ROUNDS - 1);
}

TEST_HARNESS_MAIN
