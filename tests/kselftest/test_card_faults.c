// SPDX-License-Identifier: GPL-2.0
/*
 * Faults of SoC mode with I/O in flight (Documentation/design/soc-mode.rst,
 * "Faults"), with the card serving the vdev (lio_dp.h, LIO_DP_CARD): its
 * region in card DRAM, leapiod in card mode on /dev/leapio_soc. As in
 * test_faults.c, leapiod's backend is a device-mapper delay device
 * (lib/dm_delay.h): a batch is held there, and the fault comes only once
 * the device holds exactly the batch's requests (its own count) and the
 * CQs show exactly what completed.
 *
 * The card's leapiod killed (SIGKILL): nothing on the host notices (the
 * card has no process the host driver could see), so the guest's commands
 * wait, still owned by the card; a new card leapiod attaches and redoes
 * the journalled ones, whether the dead one's requests are still held
 * (the backend then holds each journalled command twice) or were let go
 * first (the data is put back only by the redo); commands queued while
 * no runtime ran are served too. Every command completes once, with
 * success; acknowledged writes read back; no reset, no CFS.
 *
 * The card going away (its VM rebooting; here its leapiod killed and
 * leapio_soc.ko unloaded): the same, once leapio_soc is loaded and the
 * card's leapiod started again. Never coming back: a command that needs
 * the runtime's acknowledgement (deleting an I/O SQ) fails the controller
 * (CSTS.CFS) after CAP.TO, the card is revoked; closing, removing the
 * mdev and unbinding the card still work, and every pin goes.
 *
 * leapio_host unloaded while the card serves: refused (EAGAIN) with I/O
 * in flight, and with the VFIO device closed (the slot holds the module);
 * the module works on.
 *
 * Guest memory unmapped (VFIO_IOMMU_UNMAP_DMA) with reads into it held at
 * the backend: the unmap waits for the card's acknowledgement, which the
 * card gives only once its reads have completed into guest memory (it
 * stages data and copies it out at completion: drain_on_apply), so every
 * read completes with success into the pages before they are unpinned,
 * and nothing reaches them afterwards; later I/O there gets Data Transfer
 * Error. Held longer than CAP.TO: the unmap returns, the pages unpinned,
 * the card revoked (its slot's owner REVOKED) and the controller failed;
 * the reads' data, back from the backend afterwards, reaches nothing.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#define LIO_DP_CARD	1
#include "lio_dp.h"
#include "card_side.h"
#include "kmod.h"

#define CF_QSIZE	32
/*
 * Per batch. Two batches fit the card's staging buffers (card_reserve_mb's
 * 16 MiB of 1 MiB buffers): a restarted runtime's redo of one and the
 * other batch are all at the backend at once. A command over the card's
 * room waits for a buffer, not counted here.
 */
#define CF_CMDS		8
#define CF_READS	(CF_CMDS / 2)	/* odd k: reads; even k: writes */
#define CF_WRITES	(CF_CMDS / 2)
#define CF_PAGES	4
#define CF_BYTES	(CF_PAGES * GMEM_PAGE)
#define CF_KILL_ROUNDS	4		/* each of hold x restart */
#define CF_UNMAP_ROUNDS	4
#define CF_UNMAP_CMDS	16
/* Acknowledged writes, one per round, far from the batches. */
#define CF_ACK_LBA	16384
#define DPB_CMDS	CF_CMDS
#define DPB_PAGES	CF_PAGES
#include "lio_dp_batch.h"
#include "blocked_call.h"

FIXTURE(cf) {
	struct dp dp;
	struct dm_delay dm;
};

FIXTURE_SETUP(cf)
{
	struct dp *dp = &self->dp;
	int err;

	self->dm.ctl = -1;
	dp_create(_metadata, dp, DP_NS_SIZE, DP_NS_SIZE, 0);
	err = dm_delay_create(&self->dm, dp->bk.path);
	if (err)
		TH_LOG("dm-delay device over %s: %s (modprobe dm-delay?)",
		       dp->bk.path, strerror(-err));
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, leapiod_add_vdev(&dp->d, dp->l.mdev.uuid, self->dm.path, 0));
	dp_start_leapiod(_metadata, dp);
	dp_open(_metadata, dp);
}

FIXTURE_TEARDOWN(cf)
{
	if (self->dm.created)
		EXPECT_EQ(0, dm_delay_release(&self->dm));
	dp_teardown(_metadata, &self->dp);
	EXPECT_EQ(0, dm_delay_destroy(&self->dm));
}

/* CQEs posted on cqid from the driver's head, not reaped. */
static unsigned int posted(struct nvd *n, uint16_t cqid)
{
	struct nvd_queue *q = &n->q[cqid];
	unsigned int i = q->cq_head, count = 0;
	uint8_t phase = q->phase;

	while ((le16toh(q->cq[i].status) & 1) == phase && count < q->cq_entries) {
		count++;
		if (++i == q->cq_entries) {
			i = 0;
			phase ^= 1;
		}
	}
	return count;
}

/* Wait (bounded) until want CQEs are posted on cqid; then exactly want. */
static void posted_is(struct __test_metadata *_metadata, struct dp *dp,
		      uint16_t cqid, unsigned int want)
{
	int64_t t0 = mono_ms();

	while (posted(&dp->l.nvd, cqid) < want && mono_ms() - t0 <= NIO_TIMEOUT_MS)
		usleep(1000);
	ASSERT_EQ(want, posted(&dp->l.nvd, cqid));
}

/* The controller was not reset and did not fail; the card serves it. */
static void no_reset(struct __test_metadata *_metadata, struct dp *dp)
{
	char who[16] = "";

	ASSERT_EQ(NVME_CSTS_RDY, REG_RD32(&dp->l, NVME_REG_CSTS) &
				 (NVME_CSTS_RDY | NVME_CSTS_CFS));
	ASSERT_EQ(0, dp_attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_REVOKED));
	ASSERT_LE(0, mdev_attr_read(&dp->l.mdev, LEAPIO_SYSFS_RUNTIME, who,
				    sizeof(who)));
	ASSERT_EQ(0, strncmp(who, "card", 4));
}

/*
 * The dead runtime's requests went (into nothing): what only a redo puts
 * back is spoilt, the written blocks on the device and the read buffers.
 */
static void batch_spoil(struct __test_metadata *_metadata, struct dp *dp,
			struct batch *b, bool reads)
{
	uint8_t *zero = calloc(1, CF_BYTES);
	unsigned int k;

	ASSERT_NE(NULL, zero);
	for (k = 0; k < CF_CMDS; k++) {
		if (!is_write(k)) {
			if (reads)
				memset(batch_buf(b, k), 0xc3, CF_BYTES);
			continue;
		}
		ASSERT_EQ(0, backing_write(&dp->bk, batch_lba(dp, b, k) << dp->io.lba_shift,
					   zero, CF_BYTES));
	}
	free(zero);
}

/* The card's leapiod killed; the guest's commands stay the card's. */
static void kill_card_runtime(struct __test_metadata *_metadata, struct dp *dp)
{
	ASSERT_EQ(128 + SIGKILL, leapiod_stop(&dp->d, SIGKILL));
	no_reset(_metadata, dp);
	ASSERT_NE(0, dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES));
}

/* leapio_soc unloaded once the dead leapiod's last file is gone. */
static void soc_away(struct __test_metadata *_metadata, struct dp *dp)
{
	int64_t t0 = mono_ms();
	int err;

	/* io_uring's exit work may hold the file a little after the reap. */
	while ((err = kmod_unload(SOC_MODULE_NAME)) == -EAGAIN &&
	       mono_ms() - t0 <= LEAPIOD_TIMEOUT_MS)
		usleep(20000);
	ASSERT_EQ(0, err);
	dp->cm.soc_loaded = false;
	ASSERT_FALSE(kmod_loaded(SOC_MODULE_NAME));
}

static void soc_back(struct __test_metadata *_metadata, struct dp *dp)
{
	ASSERT_EQ(0, kmod_load(dp->cm.rig.ko, dp->cm.rig.params));
	dp->cm.soc_loaded = true;
}

/*
 * Rounds of: batch 1 on SQ 1 held at the backend (all of it, or only its
 * writes with its reads completed), the card's leapiod killed, batch 2
 * queued on SQ 2 with no runtime, then a new card leapiod: started while
 * the dead one's requests are still held (its redo reaches the backend:
 * each journalled command twice) or after they went (into nothing).
 * soc_cycle: leapio_soc unloaded and loaded again before the restart
 * (the card went away and came back).
 */
static void kill_rounds(struct __test_metadata *_metadata,
			FIXTURE_DATA(cf) *self, unsigned int rounds, bool soc_cycle)
{
	struct dp *dp = &self->dp;
	struct nvd *n = &dp->l.nvd;
	struct batch b1 = { 0 }, b2 = { 0 };
	unsigned int round, i;
	size_t mark;

	ASSERT_EQ(0, nvd_create_io_pair(n, 1, CF_QSIZE, 1));
	ASSERT_EQ(0, nvd_create_io_pair(n, 2, CF_QSIZE, 2));
	b1.buf = gmem_alloc_pages(&dp->l.mem, (size_t)CF_CMDS * CF_BYTES, &b1.iova);
	b2.buf = gmem_alloc_pages(&dp->l.mem, (size_t)CF_CMDS * CF_BYTES, &b2.iova);
	ASSERT_NE(NULL, b1.buf);
	ASSERT_NE(NULL, b2.buf);
	/* PRP lists and the small buffers: taken back each round. */
	mark = dp->l.mem.used;

	for (round = 0; round < rounds; round++) {
		bool hold_reads = !(round & 1), restart_held = round & 2;
		unsigned int want_r = hold_reads ? CF_READS : 0;
		uint32_t seed = 8000 + 100 * round;

		/* Restarting with requests held would race the unload. */
		if (soc_cycle)
			restart_held = false;
		dp->l.mem.used = mark;
		batch_prep(_metadata, dp, &b1, 1, seed);
		batch_prep(_metadata, dp, &b2, 2, seed + 50);
		/* Acknowledged before the fault: must read back after it. */
		dp_write_seed(_metadata, dp, 2, CF_ACK_LBA + 8 * round, 8, seed + 99);

		ASSERT_EQ(0, dm_delay_hold(&self->dm, hold_reads, true));
		batch_submit(_metadata, dp, &b1);
		held_is(_metadata, &self->dm, want_r, CF_WRITES);
		posted_is(_metadata, dp, 1, CF_READS - want_r);
		TH_LOG("round %u: SIGKILL with %u reads and %u writes in flight; %s",
		       round, want_r, CF_WRITES,
		       soc_cycle ? "leapio_soc reloaded before the restart" :
		       restart_held ? "restarted with them held" :
		       "restarted after they went");

		kill_card_runtime(_metadata, dp);
		held_is(_metadata, &self->dm, want_r, CF_WRITES);
		/* Nobody fetches these: they wait for the next runtime. */
		batch_submit(_metadata, dp, &b2);

		if (restart_held) {
			dp_start_leapiod(_metadata, dp);
			/*
			 * The redo of every journalled command, once. Batch 2
			 * waits behind it: in card mode the attach is
			 * acknowledged only once the staged requests are back
			 * (drain_on_apply), and nothing new is fetched before.
			 */
			held_is(_metadata, &self->dm, 2 * want_r, 2 * CF_WRITES);
			ASSERT_EQ(CF_READS - want_r, posted(n, 1));
			ASSERT_EQ(0, posted(n, 2));
			no_reset(_metadata, dp);
			ASSERT_EQ(0, dm_delay_release(&self->dm));
		} else {
			/* Returns once they completed, into nothing. */
			ASSERT_EQ(0, dm_delay_release(&self->dm));
			ASSERT_EQ(CF_READS - want_r, posted(n, 1));
			ASSERT_EQ(0, posted(n, 2));
			batch_spoil(_metadata, dp, &b1, hold_reads);
			if (soc_cycle) {
				soc_away(_metadata, dp);
				no_reset(_metadata, dp);
				ASSERT_EQ(0, posted(n, 2));
				soc_back(_metadata, dp);
			}
			dp_start_leapiod(_metadata, dp);
		}
		batch_collect(_metadata, dp, &b1);
		batch_collect(_metadata, dp, &b2);
		batch_verify(_metadata, dp, &b1, 2);
		batch_verify(_metadata, dp, &b2, 1);
		for (i = 0; i <= round; i++)
			dp_read_seed(_metadata, dp, 1, CF_ACK_LBA + 8 * i, 8,
				     8000 + 100 * i + 99);
		/* Those round trips were the sync point: nothing late. */
		ASSERT_EQ(0, n->nr_stash);
		ASSERT_FALSE(nvd_cqe_ready(n, 1));
		ASSERT_FALSE(nvd_cqe_ready(n, 2));
		no_reset(_metadata, dp);
	}
}

TEST_F_TIMEOUT(cf, card_runtime_killed_and_restarted, 600)
{
	kill_rounds(_metadata, self, CF_KILL_ROUNDS, false);
}

TEST_F_TIMEOUT(cf, card_away_and_back, 600)
{
	kill_rounds(_metadata, self, 2, true);
}

/*
 * The card does not come back: deleting SQ 1, which needs the runtime's
 * acknowledgement, fails the controller after CAP.TO instead of hanging;
 * then the VFIO user closes (every pin goes), the mdev is removed and the
 * card unbound.
 */
TEST_F_TIMEOUT(cf, card_away_for_good, 300)
{
	struct dp *dp = &self->dp;
	struct nvd *n = &dp->l.nvd;
	struct batch b = { 0 };
	uint16_t status = 0xffff;
	char card[32] = "x";
	int64_t t0;
	int err;

	ASSERT_EQ(0, nvd_create_io_pair(n, 1, CF_QSIZE, 1));
	batch_prep(_metadata, dp, &b, 1, 9000);
	ASSERT_EQ(0, dm_delay_hold(&self->dm, true, true));
	batch_submit(_metadata, dp, &b);
	held_is(_metadata, &self->dm, CF_READS, CF_WRITES);
	kill_card_runtime(_metadata, dp);
	ASSERT_EQ(0, dm_delay_release(&self->dm));
	soc_away(_metadata, dp);
	no_reset(_metadata, dp);
	ASSERT_EQ(0, posted(n, 1));

	t0 = mono_ms();
	err = nvd_delete_sq(n, 1, &status);
	TH_LOG("Delete I/O SQ with the card gone: %d (status %#x) after %lld ms",
	       err, status, (long long)(mono_ms() - t0));
	ASSERT_NE(0, err);
	ASSERT_EQ(NVME_CSTS_CFS, REG_RD32(&dp->l, NVME_REG_CSTS) & NVME_CSTS_CFS);
	ASSERT_EQ(1, dp_attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_REVOKED));

	/* Closing: every pin goes (dp_close checks). */
	dp_close(_metadata, dp);
	ASSERT_EQ(0, mdev_remove(&dp->l.mdev));
	ASSERT_EQ(0, card_param_write(""));
	dp->cm.bound = false;
	ASSERT_LE(0, card_param_read(card, sizeof(card)));
	ASSERT_EQ(0, strcspn(card, "\n"));
}

/*
 * rmmod leapio_host while the card serves: refused with I/O in flight,
 * and again with the VFIO device closed (the card's slot holds the
 * module); I/O works after each refusal.
 */
TEST_F_TIMEOUT(cf, host_unload_refused, 300)
{
	struct dp *dp = &self->dp;
	struct nvd *n = &dp->l.nvd;
	struct batch b = { 0 };

	ASSERT_EQ(0, nvd_create_io_pair(n, 1, CF_QSIZE, 1));
	batch_prep(_metadata, dp, &b, 1, 9100);
	dp_write_seed(_metadata, dp, 1, CF_ACK_LBA, 8, 9199);
	ASSERT_EQ(0, dm_delay_hold(&self->dm, true, true));
	batch_submit(_metadata, dp, &b);
	held_is(_metadata, &self->dm, CF_READS, CF_WRITES);

	ASSERT_EQ(-EAGAIN, kmod_unload(LEAPIO_MODULE_NAME));
	ASSERT_TRUE(kmod_loaded(LEAPIO_MODULE_NAME));
	held_is(_metadata, &self->dm, CF_READS, CF_WRITES);
	ASSERT_EQ(0, dm_delay_release(&self->dm));
	batch_collect(_metadata, dp, &b);
	batch_verify(_metadata, dp, &b, 1);
	no_reset(_metadata, dp);

	/* Closed: the mdev and its slot still hold the module. */
	dp_close(_metadata, dp);
	ASSERT_EQ(-EAGAIN, kmod_unload(LEAPIO_MODULE_NAME));
	dp_open(_metadata, dp);
	ASSERT_EQ(0, nvd_create_io_pair(n, 1, CF_QSIZE, 1));
	dp_read_seed(_metadata, dp, 1, CF_ACK_LBA, 8, 9199);
	dp_write_seed(_metadata, dp, 1, CF_ACK_LBA + 8, 8, 9200);
	dp_read_seed(_metadata, dp, 1, CF_ACK_LBA + 8, 8, 9200);
	no_reset(_metadata, dp);
}

/* VFIO_IOMMU_UNMAP_DMA from a thread, as QEMU's memory listener does. */
struct unmap_args {
	struct vfio_dev	*dev;
	uint64_t	iova;
	uint64_t	size;
};

static int call_unmap(void *arg)
{
	struct unmap_args *u = arg;

	return vfio_dma_unmap(u->dev, u->iova, u->size);
}

TEST_F_TIMEOUT(cf, dma_unmap_waits_for_the_card, 300)
{
	const uint64_t xiova = GMEM_IOVA_BASE + (64ULL << 20), xsize = 1ULL << 20;
	const size_t xbytes = CF_UNMAP_CMDS * GMEM_PAGE;
	struct dp *dp = &self->dp;
	struct nvd *n = &dp->l.nvd;
	unsigned long long p0, p1;
	unsigned int round, k, got, seen;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	struct gmem x;
	int cid0, cid, err;

	ASSERT_EQ(0, nvd_create_io_pair(n, 1, CF_QSIZE, 1));
	dp_write_seed(_metadata, dp, 1, 0, CF_UNMAP_CMDS * bpp(dp), 6300);
	for (round = 0; round < CF_UNMAP_ROUNDS; round++) {
		struct unmap_args u = { .dev = &dp->l.dev, .iova = xiova,
					.size = xsize };
		struct blocked_call bc = { .fn = call_unmap, .arg = &u };

		p0 = dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES);
		ASSERT_EQ(0, gmem_init_memfd(&x, &dp->l.dev, xiova, xsize));
		memset(x.base, 0x5a, xbytes);
		ASSERT_EQ(0, dm_delay_hold(&self->dm, true, false));
		cid0 = -1;
		for (k = 0; k < CF_UNMAP_CMDS; k++) {
			nb_rw(&sqe, nvme_cmd_read, NIO_NSID, k * bpp(dp), bpp(dp),
			      xiova + k * GMEM_PAGE, 0);
			cid = nvd_queue_sqe(n, 1, &sqe);
			ASSERT_GE(cid, 0);
			if (cid0 < 0)
				cid0 = cid;
			ASSERT_EQ((uint16_t)(cid0 + k), cid);
		}
		ASSERT_EQ(0, nio_ring_sq(&dp->io, 1));
		held_is(_metadata, &self->dm, CF_UNMAP_CMDS, 0);
		ASSERT_FALSE(nvd_cqe_ready(n, 1));
		/* The card reached x: its pages are pinned. */
		p1 = dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES);
		ASSERT_GT(p1, p0);

		/* The unmap waits for the card, which waits for its reads. */
		ASSERT_EQ(0, blocked_call_start(&bc));
		err = blocked_call_in(&bc, BLOCKED_CALL_ACK_WAIT, NIO_TIMEOUT_MS);
		if (err) {
			TH_LOG("the unmap did not wait for the card: %s",
			       strerror(-err));
			EXPECT_EQ(0, dm_delay_release(&self->dm));
			blocked_call_join(&bc);
		}
		ASSERT_EQ(0, err);
		held_is(_metadata, &self->dm, CF_UNMAP_CMDS, 0);
		ASSERT_EQ(p1, dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES));
		ASSERT_FALSE(nvd_cqe_ready(n, 1));
		ASSERT_FALSE(blocked_call_done(&bc));
		ASSERT_EQ(0, dm_delay_release(&self->dm));
		ASSERT_EQ(0, blocked_call_join(&bc));
		ASSERT_EQ(0, bc.ret);
		x.mapped = 0;
		ASSERT_EQ(p0, dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES));

		/* Completed before the ack: once each, success, data in x. */
		for (got = 0, seen = 0; got < CF_UNMAP_CMDS; got++) {
			ASSERT_TRUE(nvd_cqe_ready(n, 1));
			ASSERT_EQ(0, nio_reap(&dp->io, 1, &cqe, NIO_TIMEOUT_MS));
			k = (uint16_t)(le16toh(cqe.cid) - cid0);
			ASSERT_LT(k, CF_UNMAP_CMDS);
			ASSERT_EQ(0, seen & (1U << k));
			seen |= 1U << k;
			ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
		}
		ASSERT_EQ(xbytes, nio_check(x.base, xbytes, 6300));

		/* Nothing lands in the old pages after a round trip, and
		 * I/O naming them fails, moving nothing.
		 */
		memset(x.base, 0x77, xsize);
		dp_read_seed(_metadata, dp, 1, 0, CF_UNMAP_CMDS * bpp(dp), 6300);
		ASSERT_EQ(NVME_SC_DATA_XFER_ERROR,
			  dp_rw(_metadata, dp, 1, nvme_cmd_read, 0, bpp(dp), xiova, 0));
		ASSERT_EQ(NVME_SC_DATA_XFER_ERROR,
			  dp_rw(_metadata, dp, 1, nvme_cmd_write, 0, bpp(dp), xiova, 0));
		ASSERT_EQ(xsize, nio_check_byte(x.base, xsize, 0x77));
		ASSERT_FALSE(nvd_cqe_ready(n, 1));
		ASSERT_EQ(p0, dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES));
		gmem_fini(&x);
	}
	no_reset(_metadata, dp);
}

/*
 * The card does not acknowledge an unmap within CAP.TO (its reads into
 * the memory stay at the backend longer): the unmap returns all the same
 * with the pages unpinned, the card is revoked (owner REVOKED in its
 * slot) and the controller fails. When the reads complete at last, their
 * data must not reach the old pages. The sync point is handing the vdev
 * to the card again: its poller acknowledges that only after it let go
 * of the revoked one, every request of it back from the backend.
 */
TEST_F_TIMEOUT(cf, dma_unmap_card_revoked, 300)
{
	const uint64_t xiova = GMEM_IOVA_BASE + (64ULL << 20), xsize = 1ULL << 20;
	struct dp *dp = &self->dp;
	struct nvd *n = &dp->l.nvd;
	unsigned long long p0, p1;
	struct nvme_sqe sqe;
	uint32_t nq = dp->nr - 1;
	struct gmem x;
	unsigned int k;
	int64_t t0;

	ASSERT_EQ(0, nvd_create_io_pair(n, 1, CF_QSIZE, 1));
	dp_write_seed(_metadata, dp, 1, 0, CF_UNMAP_CMDS * bpp(dp), 6400);
	p0 = dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES);
	ASSERT_EQ(0, gmem_init_memfd(&x, &dp->l.dev, xiova, xsize));
	memset(x.base, 0x5a, xsize);
	ASSERT_EQ(0, dm_delay_hold(&self->dm, true, false));
	for (k = 0; k < CF_UNMAP_CMDS; k++) {
		nb_rw(&sqe, nvme_cmd_read, NIO_NSID, k * bpp(dp), bpp(dp),
		      xiova + k * GMEM_PAGE, 0);
		ASSERT_LE(0, nvd_queue_sqe(n, 1, &sqe));
	}
	ASSERT_EQ(0, nio_ring_sq(&dp->io, 1));
	held_is(_metadata, &self->dm, CF_UNMAP_CMDS, 0);
	p1 = dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES);
	ASSERT_GT(p1, p0);

	t0 = mono_ms();
	ASSERT_EQ(0, vfio_dma_unmap(&dp->l.dev, xiova, xsize));
	x.mapped = 0;
	TH_LOG("unmap with the card's reads held: %lld ms", (long long)(mono_ms() - t0));
	ASSERT_EQ(p0, dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES));
	ASSERT_EQ(1, dp_attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_REVOKED));
	ASSERT_EQ(0, nvd_wait_csts(n, NVME_CSTS_CFS, NVME_CSTS_CFS, LEAPIOD_TIMEOUT_MS));
	/* Still held: nothing of them could have landed yet. */
	held_is(_metadata, &self->dm, CF_UNMAP_CMDS, 0);
	memset(x.base, 0xc3, xsize);
	ASSERT_EQ(0, dm_delay_release(&self->dm));

	/* The guest resets; the vdev goes to the card again. */
	ASSERT_EQ(0, nvd_disable(n));
	ASSERT_EQ(0, card_mode_handover(dp->l.mdev.uuid, "card"));
	LIO_ENABLE(&dp->l);
	ASSERT_EQ(0, REG_RD32(&dp->l, NVME_REG_CSTS) & NVME_CSTS_CFS);
	nb_set_features(&sqe, NVME_FEAT_NUM_QUEUES, false, nq | nq << 16);
	ADMIN_OK(&dp->l, &sqe);
	ASSERT_EQ(0, nvd_create_io_pair(n, 2, CF_QSIZE, 2));
	dp_write_seed(_metadata, dp, 2, CF_ACK_LBA, 8, 6401);
	dp_read_seed(_metadata, dp, 2, CF_ACK_LBA, 8, 6401);
	dp_read_seed(_metadata, dp, 2, 0, CF_UNMAP_CMDS * bpp(dp), 6400);

	ASSERT_EQ(xsize, nio_check_byte(x.base, xsize, 0xc3));
	ASSERT_EQ(1, dp_attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_REVOKED));
	gmem_fini(&x);
}

TEST_HARNESS_MAIN
