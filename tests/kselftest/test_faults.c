// SPDX-License-Identifier: GPL-2.0
/*
 * Faults with I/O in flight, each made certain and counted rather than
 * hoped for. leapiod's backend is a device-mapper delay device over the
 * loop device (lib/dm_delay.h): the tests let I/O through while they set
 * up, then have it hold the reads and/or writes that reach it, submit a
 * batch, and wait until the device holds exactly the batch's commands
 * (its own count) and the CQs show none completed (or exactly the reads,
 * when only writes are held). Only then comes the fault, and the held
 * requests go when the test says so. Each fault is repeated
 * (FLT_*_ROUNDS, at least 10) so that a bug that shows in half the runs
 * fails the file with probability 1 - 2^-10 or better.
 *
 * Controller reset: the reset is published while the backend holds every
 * command; leapiod must not acknowledge it (CSTS.RDY stays 1) until its
 * requests are back; once RDY reads 0 no completion, no data in guest
 * memory and no write on the device comes any more, each command
 * completed once with success before RDY dropped or not at all, and every
 * acknowledged write reads back. leapiod killed with SIGKILL: the dead
 * process's requests outlive it at the backend; the restarted leapiod
 * redoes exactly the journalled ones (the device then holds both copies),
 * or, when they were let go first, redoes them all the same (their data
 * is put back only by the redo); every command completes exactly once.
 * The VFIO user closing the device (QEMU exiting): every pin is dropped,
 * leapiod keeps serving its other mdev, and the mdev serves a new user.
 * Guest memory unmapped under the runtime (VFIO_IOMMU_UNMAP_DMA): its
 * pins are dropped at once even with reads into it held at the backend;
 * those reads, started before the unmap, complete with success into the
 * old pages and nothing lands after; later I/O to it gets Data Transfer
 * Error; queues in it wait, untouched, until it is mapped back.
 *
 * "No more completions" is checked after a synchronisation point, not a
 * sleep: a full I/O round trip through the same runtime after the event,
 * by which time anything stale would have been posted.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "lio_dp.h"

#define FLT_QSIZE	32
#define FLT_CMDS	24	/* in flight on one queue, < FLT_QSIZE */
#define FLT_READS	(FLT_CMDS / 2)	/* odd k: reads; even k: writes */
#define FLT_WRITES	(FLT_CMDS / 2)
/* Pages per command: PRP lists, and one backend request each. */
#define FLT_PAGES	8
#define FLT_BYTES	(FLT_PAGES * GMEM_PAGE)
#define DPB_CMDS	FLT_CMDS
#define DPB_PAGES	FLT_PAGES
#include "lio_dp_batch.h"
#include "blocked_call.h"

/* Repeats of each fault: 2^-10 for a bug seen in half the runs. */
#define FLT_RESET_ROUNDS	10
#define FLT_KILL_ROUNDS		12	/* 3 of each of the 4 kinds */
#define FLT_UNMAP_ROUNDS	10

/*
 * The grace period during the kill test: the restart, an exec under TCG,
 * must not race the model's taking the queues back (a different outcome,
 * test_runtime_lost's), however slow the VM is. The sysfs maximum.
 */
#define FLT_GRACE_MS		600000

FIXTURE(flt) {
	struct dp dp;
	struct dm_delay dm;
};

/* dp_setup() with the delay device between leapiod and the loop device. */
FIXTURE_SETUP(flt)
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

FIXTURE_TEARDOWN(flt)
{
	/* First let anything held go: the reset of closing waits for it. */
	if (self->dm.created)
		EXPECT_EQ(0, dm_delay_release(&self->dm));
	dp_teardown(_metadata, &self->dp);
	EXPECT_EQ(0, dm_delay_destroy(&self->dm));
}

static void enable_again(struct __test_metadata *_metadata, struct dp *dp)
{
	struct nvme_sqe sqe;
	uint32_t n = dp->nr - 1;

	LIO_ENABLE(&dp->l);
	nb_set_features(&sqe, NVME_FEAT_NUM_QUEUES, false, n | n << 16);
	ADMIN_OK(&dp->l, &sqe);
}

/*
 * CQEs posted on cqid and not yet reaped, without reaping them; *head is
 * the SQ head the last of them reports. Up to max are copied to out.
 */
static unsigned int cq_posted(struct nvd *n, uint16_t cqid, uint16_t *head,
			      struct nvme_cqe *out, unsigned int max)
{
	struct nvd_queue *q = &n->q[cqid];
	unsigned int i = q->cq_head, count = 0;
	uint8_t phase = q->phase;

	while ((le16toh(q->cq[i].status) & 1) == phase && count < q->cq_entries) {
		*head = le16toh(q->cq[i].sq_head);
		if (count < max)
			out[count] = q->cq[i];
		count++;
		if (++i == q->cq_entries) {
			i = 0;
			phase ^= 1;
		}
	}
	return count;
}

/*
 * With only the writes held, the batch's reads complete: wait for their
 * CQEs (bounded), then check that exactly they were posted, once each,
 * with success. Nothing is reaped.
 */
static void reads_posted(struct __test_metadata *_metadata, struct dp *dp,
			 struct batch *b, unsigned int want)
{
	struct nvme_cqe cqe[FLT_QSIZE];
	unsigned int seen[FLT_CMDS] = { 0 }, got = 0, i;
	int64_t t0 = mono_ms();
	uint16_t head;
	int k;

	for (;;) {
		got = cq_posted(&dp->l.nvd, b->qid, &head, cqe, FLT_QSIZE);
		if (got >= want || mono_ms() - t0 > NIO_TIMEOUT_MS)
			break;
		usleep(1000);
	}
	ASSERT_EQ(want, got);
	for (i = 0; i < got; i++) {
		k = batch_index(b, le16toh(cqe[i].cid));
		ASSERT_GE(k, 0);
		ASSERT_FALSE(is_write(k));
		ASSERT_EQ(0, seen[k]++);
		ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe[i]));
	}
}

/* CC.EN = 0 and the wait for RDY = 0. */
static int call_disable(void *arg)
{
	return nvd_disable(arg);
}

/*
 * Start bc in a thread and let the held requests go once it waits for
 * leapiod's acknowledgement, which leapiod must not give before: it is
 * still waiting then, and the backend still holds reads and writes.
 */
static void call_across_release(struct __test_metadata *_metadata,
				struct dm_delay *dm, struct blocked_call *bc,
				unsigned int reads, unsigned int writes)
{
	int err;

	ASSERT_EQ(0, blocked_call_start(bc));
	err = blocked_call_in(bc, BLOCKED_CALL_ACK_WAIT, NIO_TIMEOUT_MS);
	if (err == -EALREADY)
		TH_LOG("acknowledged with %u reads and %u writes at the backend",
		       reads, writes);
	if (err) {
		EXPECT_EQ(0, dm_delay_release(dm));
		blocked_call_join(bc);
	}
	ASSERT_EQ(0, err);
	held_is(_metadata, dm, reads, writes);
	ASSERT_FALSE(blocked_call_done(bc));
	ASSERT_EQ(0, dm_delay_release(dm));
	ASSERT_EQ(0, blocked_call_join(bc));
}

/*
 * Rounds of: a batch of 24 commands on SQ 1 held at the backend (all of
 * them, or only the writes with the reads completed), then a controller
 * reset. The reset is published while the backend holds them: leapiod
 * may not acknowledge it (the resetting thread stays in the driver's
 * wait) until the test lets them go. Once RDY reads 0: each command was
 * completed once, with success, or not at all; every write is on the
 * device and every read's data in guest memory (leapiod waited for them);
 * and after a round trip on new queues nothing more has reached the old
 * CQ, the buffers of the reads not completed (poisoned again) or the
 * device blocks of the writes not completed (written over).
 */
TEST_F_TIMEOUT(flt, reset_with_io_in_flight, 300)
{
	struct dp *dp = &self->dp;
	struct nvd *n = &dp->l.nvd;
	struct nvme_cqe snap[FLT_QSIZE], *old_cq;
	struct batch b = { 0 };
	unsigned int round, i, k, head, acked, acked_held = 0;
	uint8_t phase, *dev;
	uint32_t seed;

	dev = malloc(FLT_BYTES);
	ASSERT_NE(NULL, dev);
	ASSERT_EQ(0, nvd_create_io_pair(n, 1, FLT_QSIZE, 1));
	for (round = 0; round < FLT_RESET_ROUNDS; round++) {
		bool hold_reads = !(round & 1);
		unsigned int want_r = hold_reads ? FLT_READS : 0;
		struct blocked_call bc = { .fn = call_disable, .arg = n };

		seed = 3000 + 100 * round;
		batch_prep(_metadata, dp, &b, 1, seed);
		ASSERT_EQ(0, dm_delay_hold(&self->dm, hold_reads, true));
		old_cq = n->q[1].cq;
		head = n->q[1].cq_head;
		phase = n->q[1].phase;
		batch_submit(_metadata, dp, &b);
		held_is(_metadata, &self->dm, want_r, FLT_WRITES);
		reads_posted(_metadata, dp, &b, FLT_READS - want_r);

		/* The reset, with exactly want_r + FLT_WRITES in flight. */
		call_across_release(_metadata, &self->dm, &bc, want_r, FLT_WRITES);
		ASSERT_EQ(0, bc.ret);

		/* RDY = 0. What was posted is what was acknowledged: the
		 * entries from the head on that carry the current phase.
		 */
		memcpy(snap, old_cq, sizeof(snap));
		memset(b.done, 0, sizeof(b.done));
		acked = 0;
		for (i = head; (le16toh(snap[i].status) & 1) == phase;) {
			int kk = batch_index(&b, le16toh(snap[i].cid));

			ASSERT_GE(kk, 0);
			ASSERT_EQ(0, b.done[kk]);
			ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&snap[i]));
			b.done[kk] = 1;
			acked++;
			ASSERT_LE(acked, FLT_CMDS);
			if (++i == FLT_QSIZE) {
				i = 0;
				phase ^= 1;
			}
		}
		ASSERT_GE(acked, FLT_READS - want_r);
		acked_held += acked - (FLT_READS - want_r);
		/* leapiod waited for every request: all of them ran. */
		for (k = 0; k < FLT_CMDS; k++) {
			uint8_t *p = b.buf + (size_t)k * FLT_BYTES;

			if (!is_write(k)) {
				ASSERT_EQ(FLT_BYTES, nio_check(p, FLT_BYTES, seed + k));
				continue;
			}
			ASSERT_EQ(0, backing_read(&dp->bk, batch_lba(dp, &b, k) << dp->io.lba_shift,
						  dev, FLT_BYTES));
			ASSERT_EQ(FLT_BYTES, nio_check(dev, FLT_BYTES, seed + k));
		}
		/* Marks that anything landing late would spoil. */
		for (k = 0; k < FLT_CMDS; k++) {
			if (b.done[k])
				continue;
			if (!is_write(k)) {
				memset(b.buf + (size_t)k * FLT_BYTES, 0xc3, FLT_BYTES);
				continue;
			}
			nio_fill(dev, FLT_BYTES, seed + 50 + k);
			ASSERT_EQ(0, backing_write(&dp->bk, batch_lba(dp, &b, k) << dp->io.lba_shift,
						   dev, FLT_BYTES));
		}

		/* Back up with new queues; a round trip is the sync point. */
		enable_again(_metadata, dp);
		ASSERT_EQ(0, nvd_create_io_pair(n, 1, FLT_QSIZE, 1));
		dp_write_seed(_metadata, dp, 1, dp->io.nsze - 8, 8, seed + 99);
		dp_read_seed(_metadata, dp, 1, dp->io.nsze - 8, 8, seed + 99);

		ASSERT_EQ(0, memcmp(snap, old_cq, sizeof(snap)));
		for (k = 0; k < FLT_CMDS; k++) {
			if (b.done[k])
				continue;
			if (!is_write(k)) {
				ASSERT_EQ(FLT_BYTES,
					  nio_check_byte(b.buf + (size_t)k * FLT_BYTES,
							 FLT_BYTES, 0xc3));
				continue;
			}
			ASSERT_EQ(0, backing_read(&dp->bk, batch_lba(dp, &b, k) << dp->io.lba_shift,
						  dev, FLT_BYTES));
			ASSERT_EQ(FLT_BYTES, nio_check(dev, FLT_BYTES, seed + 50 + k));
		}
		batch_verify(_metadata, dp, &b, 1);
		ASSERT_EQ(0, n->nr_stash);
		ASSERT_FALSE(nvd_cqe_ready(n, 1));
	}
	free(dev);
	/* Either is right: a completion may beat leapiod's look at the reset. */
	TH_LOG("%u resets with %u or %u commands held; %u held ones completed before RDY = 0",
	       FLT_RESET_ROUNDS, FLT_CMDS, FLT_WRITES, acked_held);
}

/*
 * Rounds of: a batch on each of two queues, held at the backend (all 48
 * commands, or the 24 writes with the reads completed), SIGKILL, restart,
 * every command completes once. The dead process's requests stay at the
 * backend after it is reaped (the kernel finishes them). Then, by round:
 *   - they are let go first: they complete into a runtime that is gone
 *     (no CQE), the read buffers are poisoned again and the written blocks
 *     zeroed, and the restarted leapiod must redo every journalled
 *     command to put the data back;
 *   - leapiod restarts while they are still held: its redo reaches the
 *     backend, which then holds exactly twice as many (each journalled
 *     command redone once, none that had completed), until all go.
 */
TEST_F_TIMEOUT(flt, runtime_killed_and_restarted, 600)
{
	struct dp *dp = &self->dp;
	struct nvd *n = &dp->l.nvd;
	struct batch b1 = { 0 }, b2 = { 0 };
	struct nvme_cqe cqe[FLT_QSIZE];
	unsigned int round, k, r, w;
	uint16_t status, head;
	size_t mark;
	uint8_t *zero;

	ASSERT_EQ(0, mdev_attr_write_u64(&dp->l.mdev, LEAPIO_SYSFS_RUNTIME_GRACE_MS,
					 FLT_GRACE_MS));
	ASSERT_EQ(0, nvd_create_io_pair(n, 1, FLT_QSIZE, 1));
	ASSERT_EQ(0, nvd_create_io_pair(n, 2, FLT_QSIZE, 2));
	ASSERT_EQ(0, nio_dbbuf_on(&dp->io, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);
	zero = calloc(1, FLT_BYTES);
	ASSERT_NE(NULL, zero);
	b1.buf = gmem_alloc_pages(&dp->l.mem, (size_t)FLT_CMDS * FLT_BYTES, &b1.iova);
	b2.buf = gmem_alloc_pages(&dp->l.mem, (size_t)FLT_CMDS * FLT_BYTES, &b2.iova);
	ASSERT_NE(NULL, b1.buf);
	ASSERT_NE(NULL, b2.buf);
	/* Each round's PRP lists and buffers: guest memory from here on is
	 * taken back at the next round, when nothing refers to it any more.
	 */
	mark = dp->l.mem.used;

	for (round = 0; round < FLT_KILL_ROUNDS; round++) {
		bool hold_reads = !(round & 1), restart_held = round & 2;
		unsigned int want_r = hold_reads ? 2 * FLT_READS : 0;
		unsigned int want_w = 2 * FLT_WRITES;

		dp->l.mem.used = mark;
		batch_prep(_metadata, dp, &b1, 1, 4000 + 200 * round);
		batch_prep(_metadata, dp, &b2, 2, 4100 + 200 * round);
		ASSERT_EQ(0, dm_delay_hold(&self->dm, hold_reads, true));
		batch_submit(_metadata, dp, &b1);
		batch_submit(_metadata, dp, &b2);
		held_is(_metadata, &self->dm, want_r, want_w);
		reads_posted(_metadata, dp, &b1, hold_reads ? 0 : FLT_READS);
		reads_posted(_metadata, dp, &b2, hold_reads ? 0 : FLT_READS);
		TH_LOG("round %u: SIGKILL with %u reads and %u writes in flight, %u reads completed; restart %s",
		       round, want_r, want_w, 2 * FLT_READS - want_r,
		       restart_held ? "with them held" : "after they went");

		ASSERT_EQ(128 + SIGKILL, leapiod_stop(&dp->d, SIGKILL));
		/* The kernel sees it gone; the queues and pins stay; its
		 * requests are still at the backend.
		 */
		ASSERT_EQ(0, leapiod_wait_runtime_pid(dp->l.mdev.uuid, 0,
						      LEAPIOD_TIMEOUT_MS));
		ASSERT_NE(0, dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES));
		ASSERT_EQ(0, REG_RD32(&dp->l, NVME_REG_CSTS) & NVME_CSTS_CFS);
		ASSERT_EQ(0, dm_delay_held(&self->dm, &r, &w));
		ASSERT_EQ(want_r, r);
		ASSERT_EQ(want_w, w);

		if (restart_held) {
			dp_start_leapiod(_metadata, dp);
			held_is(_metadata, &self->dm, 2 * want_r, 2 * want_w);
			ASSERT_EQ(2 * FLT_READS - want_r,
				  cq_posted(n, 1, &head, cqe, 0) + cq_posted(n, 2, &head, cqe, 0));
			ASSERT_EQ(0, dm_delay_release(&self->dm));
		} else {
			/* Returns when they have completed, into nothing. */
			ASSERT_EQ(0, dm_delay_release(&self->dm));
			ASSERT_EQ(2 * FLT_READS - want_r,
				  cq_posted(n, 1, &head, cqe, 0) + cq_posted(n, 2, &head, cqe, 0));
			for (k = 0; k < FLT_CMDS; k++) {
				if (!is_write(k)) {
					if (hold_reads) {
						memset(b1.buf + (size_t)k * FLT_BYTES, 0xc3, FLT_BYTES);
						memset(b2.buf + (size_t)k * FLT_BYTES, 0xc3, FLT_BYTES);
					}
					continue;
				}
				ASSERT_EQ(0, backing_write(&dp->bk, batch_lba(dp, &b1, k) << dp->io.lba_shift,
							   zero, FLT_BYTES));
				ASSERT_EQ(0, backing_write(&dp->bk, batch_lba(dp, &b2, k) << dp->io.lba_shift,
							   zero, FLT_BYTES));
			}
			dp_start_leapiod(_metadata, dp);
		}
		batch_collect(_metadata, dp, &b1);
		batch_collect(_metadata, dp, &b2);
		batch_verify(_metadata, dp, &b1, 2);
		batch_verify(_metadata, dp, &b2, 1);
		/* Those round trips were the sync point: no late duplicate. */
		ASSERT_EQ(0, n->nr_stash);
		ASSERT_FALSE(nvd_cqe_ready(n, 1));
		ASSERT_FALSE(nvd_cqe_ready(n, 2));
	}
	free(zero);
}

/* Killed twice in a row while idle, then I/O: nothing is lost either. */
TEST_F(flt, runtime_restarted_idle)
{
	struct dp *dp = &self->dp;

	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	dp_write_seed(_metadata, dp, 1, 0, 8, 4200);
	ASSERT_EQ(128 + SIGKILL, leapiod_stop(&dp->d, SIGKILL));
	dp_start_leapiod(_metadata, dp);
	ASSERT_EQ(0, leapiod_stop(&dp->d, SIGTERM));
	ASSERT_EQ(0, leapiod_wait_runtime_pid(dp->l.mdev.uuid, 0, LEAPIOD_TIMEOUT_MS));
	dp_start_leapiod(_metadata, dp);
	dp_read_seed(_metadata, dp, 1, 0, 8, 4200);
	dp_write_seed(_metadata, dp, 1, 8, 8, 4201);
	dp_read_seed(_metadata, dp, 1, 8, 8, 4201);
}

static bool alive(pid_t pid)
{
	char path[64], st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (fscanf(f, "%*d %*s %c", &st) != 1)
		st = 0;
	fclose(f);
	return st && st != 'Z';
}

/*
 * QEMU exits with I/O in flight: its fds close, device first. The close
 * is a reset: it returns only once leapiod has its requests back (they
 * are held at the backend until the close waits for leapiod), every pin
 * goes, no warning (the VM panics on one), nothing reaches the closed
 * user's memory afterwards, leapiod stays up serving the other mdev, and
 * the closed mdev serves its next user. Both mdevs are served through
 * one delay device over a's loop device.
 */
#define FLT_CLOSE_ROUNDS	10

FIXTURE(two) {
	struct dp a;
	struct dp b;		/* on a's backing device, at DP_NS_SIZE */
	struct dm_delay dm;
};

FIXTURE_SETUP(two)
{
	struct lio_opts o = { .ns_size = DP_NS_SIZE, .no_open = true };
	int err;

	self->dm.ctl = -1;
	leapiod_init(&self->b.d);
	lio_init(&self->b.l);
	self->b.bk.file = self->b.bk.loop = -1;
	dp_create(_metadata, &self->a, DP_NS_SIZE, 2 * DP_NS_SIZE, 0);
	ASSERT_EQ(0, lio_setup(&self->b.l, &o));
	err = dm_delay_create(&self->dm, self->a.bk.path);
	if (err)
		TH_LOG("dm-delay device over %s: %s (modprobe dm-delay?)",
		       self->a.bk.path, strerror(-err));
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, leapiod_add_vdev(&self->a.d, self->a.l.mdev.uuid,
				      self->dm.path, 0));
	ASSERT_EQ(0, leapiod_add_vdev(&self->a.d, self->b.l.mdev.uuid,
				      self->dm.path, DP_NS_SIZE));
	dp_start_leapiod(_metadata, &self->a);
	dp_open(_metadata, &self->a);
	dp_open(_metadata, &self->b);
}

FIXTURE_TEARDOWN(two)
{
	if (self->dm.created)
		EXPECT_EQ(0, dm_delay_release(&self->dm));
	/* b first: a's teardown stops the leapiod serving both. */
	dp_teardown(_metadata, &self->b);
	dp_teardown(_metadata, &self->a);
	EXPECT_EQ(0, dm_delay_destroy(&self->dm));
}

static int call_close(void *arg)
{
	vfio_close(arg);
	return 0;
}

TEST_F_TIMEOUT(two, vfio_close_with_io_in_flight, 300)
{
	struct dp *a = &self->a, *b = &self->b;
	struct nvme_cqe snap[FLT_QSIZE], *old_cq;
	unsigned long long pinned = ~0ULL;
	unsigned int round, k;
	uint16_t head;
	uint32_t seed;
	uint8_t *dev;
	int64_t i;

	dev = malloc(FLT_BYTES);
	ASSERT_NE(NULL, dev);
	ASSERT_EQ(0, nvd_create_io_pair(&b->l.nvd, 1, 16, 1));
	for (round = 0; round < FLT_CLOSE_ROUNDS; round++) {
		struct blocked_call bc = { .fn = call_close, .arg = &a->l.dev };
		struct batch bt = { 0 };

		seed = 5000 + 100 * round;
		if (round)
			dp_open(_metadata, a);
		ASSERT_EQ(0, nvd_create_io_pair(&a->l.nvd, 1, FLT_QSIZE, 1));
		batch_prep(_metadata, a, &bt, 1, seed);
		ASSERT_NE(0, dp_attr(_metadata, a, LEAPIO_SYSFS_PINNED_PAGES));
		ASSERT_EQ(0, dm_delay_hold(&self->dm, true, true));
		batch_submit(_metadata, a, &bt);
		held_is(_metadata, &self->dm, FLT_READS, FLT_WRITES);
		ASSERT_EQ(0, cq_posted(&a->l.nvd, 1, &head, snap, 0));
		old_cq = a->l.nvd.q[1].cq;

		/* The close, with all 24 in flight. */
		nio_fini(&a->io);
		call_across_release(_metadata, &self->dm, &bc, FLT_READS, FLT_WRITES);
		/* Bounded: the release path may finish after close() returns. */
		for (i = 0; i < LEAPIOD_TIMEOUT_MS / 20; i++) {
			ASSERT_EQ(0, mdev_uuid_attr_u64(a->l.mdev.uuid,
							LEAPIO_SYSFS_PINNED_PAGES, &pinned));
			if (!pinned)
				break;
			usleep(20000);
		}
		ASSERT_EQ(0, pinned);
		/* leapiod waited for each: every write is on the device. */
		for (k = 0; k < FLT_CMDS; k += 2) {
			ASSERT_EQ(0, backing_read(&a->bk, batch_lba(a, &bt, k) << a->io.lba_shift,
						  dev, FLT_BYTES));
			ASSERT_EQ(FLT_BYTES, nio_check(dev, FLT_BYTES, seed + k));
		}
		/* Nothing reaches the closed user's memory after a round trip
		 * through the same leapiod.
		 */
		memcpy(snap, old_cq, sizeof(snap));
		memset(bt.buf, 0xc3, (size_t)FLT_CMDS * FLT_BYTES);
		dp_write_seed(_metadata, b, 1, 0, 8, seed + 99);
		dp_read_seed(_metadata, b, 1, 0, 8, seed + 99);
		ASSERT_EQ(0, memcmp(snap, old_cq, sizeof(snap)));
		ASSERT_EQ((size_t)FLT_CMDS * FLT_BYTES,
			  nio_check_byte(bt.buf, (size_t)FLT_CMDS * FLT_BYTES, 0xc3));
		lio_irq_off(&a->l);
		lio_close(&a->l);
		ASSERT_TRUE(alive(a->d.pid));
	}
	free(dev);

	/* The closed one serves a new VFIO user; b's data is b's. */
	dp_open(_metadata, a);
	ASSERT_EQ(0, nvd_create_io_pair(&a->l.nvd, 1, 16, 1));
	dp_write_seed(_metadata, a, 1, 0, 8, 5200);
	dp_read_seed(_metadata, a, 1, 0, 8, 5200);
	dp_backing_seed(_metadata, a, DP_NS_SIZE, 0, 8, seed + 99);
}

/*
 * Guest memory unmapped under the runtime: the pins it held go, and I/O
 * naming it afterwards gets Data Transfer Error, moving nothing.
 */
TEST_F(flt, dma_unmap_under_runtime)
{
	const uint64_t xiova = GMEM_IOVA_BASE + (64ULL << 20), xsize = 1ULL << 20;
	struct dp *dp = &self->dp;
	struct gmem x;
	unsigned long long p0, p1, p2;
	uint8_t *zero;

	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	dp_write_seed(_metadata, dp, 1, 0, 8, 6000);
	dp_read_seed(_metadata, dp, 1, 0, 8, 6000);
	ASSERT_EQ(0, gmem_init_memfd(&x, &dp->l.dev, xiova, xsize));
	p0 = dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES);

	nio_fill(x.base, 4 * GMEM_PAGE, 6100);
	ASSERT_EQ(NVME_SC_SUCCESS, dp_rw(_metadata, dp, 1, nvme_cmd_write, 64,
					 4 * bpp(dp), xiova, 0));
	memset(x.base + 8 * GMEM_PAGE, 0xee, 4 * GMEM_PAGE);
	ASSERT_EQ(NVME_SC_SUCCESS, dp_rw(_metadata, dp, 1, nvme_cmd_read, 64,
					 4 * bpp(dp), xiova + 8 * GMEM_PAGE, 0));
	ASSERT_EQ(4 * GMEM_PAGE, nio_check(x.base + 8 * GMEM_PAGE, 4 * GMEM_PAGE, 6100));
	p1 = dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES);
	TH_LOG("pinned pages: %llu, then %llu with the second mapping", p0, p1);
	ASSERT_GT(p1, p0);

	ASSERT_EQ(0, vfio_dma_unmap(&dp->l.dev, xiova, xsize));
	x.mapped = 0;
	p2 = dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES);
	ASSERT_EQ(p0, p2);

	/* Later I/O there: Data Transfer Error, and nothing moved. */
	nio_fill(x.base, 4 * GMEM_PAGE, 6200);
	ASSERT_EQ(NVME_SC_DATA_XFER_ERROR, dp_rw(_metadata, dp, 1, nvme_cmd_write,
						 256, 4 * bpp(dp), xiova, 0));
	ASSERT_EQ(NVME_SC_DATA_XFER_ERROR, dp_rw(_metadata, dp, 1, nvme_cmd_read,
						 64, 4 * bpp(dp), xiova, 0));
	ASSERT_EQ(4 * GMEM_PAGE, nio_check(x.base, 4 * GMEM_PAGE, 6200));
	zero = calloc(1, 4 * GMEM_PAGE);
	ASSERT_NE(NULL, zero);
	ASSERT_EQ(0, backing_read(&dp->bk, 256 << dp->io.lba_shift, zero, 4 * GMEM_PAGE));
	ASSERT_EQ(4 * GMEM_PAGE, nio_check_byte(zero, 4 * GMEM_PAGE, 0));
	free(zero);
	ASSERT_EQ(p0, dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES));
	gmem_fini(&x);
	/* The rest of guest memory still works. */
	dp_read_seed(_metadata, dp, 1, 0, 8, 6000);
}

/*
 * The same with reads into the memory being unmapped held at the
 * backend: the unmap does not wait for them (they hold their own page
 * references) and every pin of the mapping is gone when it returns, with
 * all of them still in flight; let go, each completes once, with success,
 * its data in the old pages; nothing lands there afterwards.
 */
#define FLT_UNMAP_CMDS	16

TEST_F_TIMEOUT(flt, dma_unmap_with_io_in_flight, 300)
{
	const uint64_t xiova = GMEM_IOVA_BASE + (64ULL << 20), xsize = 1ULL << 20;
	const size_t xbytes = FLT_UNMAP_CMDS * GMEM_PAGE;
	struct dp *dp = &self->dp;
	struct nvd *n = &dp->l.nvd;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	unsigned long long p0;
	unsigned int round, k, got, seen;
	struct gmem x;
	int cid0, cid;

	ASSERT_EQ(0, nvd_create_io_pair(n, 1, FLT_QSIZE, 1));
	dp_write_seed(_metadata, dp, 1, 0, FLT_UNMAP_CMDS * bpp(dp), 6300);
	for (round = 0; round < FLT_UNMAP_ROUNDS; round++) {
		p0 = dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES);
		ASSERT_EQ(0, gmem_init_memfd(&x, &dp->l.dev, xiova, xsize));
		memset(x.base, 0x5a, xbytes);
		ASSERT_EQ(0, dm_delay_hold(&self->dm, true, false));
		cid0 = -1;
		for (k = 0; k < FLT_UNMAP_CMDS; k++) {
			nb_rw(&sqe, nvme_cmd_read, NIO_NSID, k * bpp(dp), bpp(dp),
			      xiova + k * GMEM_PAGE, 0);
			cid = nvd_queue_sqe(n, 1, &sqe);
			ASSERT_GE(cid, 0);
			if (cid0 < 0)
				cid0 = cid;
			ASSERT_EQ((uint16_t)(cid0 + k), cid);
		}
		ASSERT_EQ(0, nio_ring_sq(&dp->io, 1));
		held_is(_metadata, &self->dm, FLT_UNMAP_CMDS, 0);
		ASSERT_FALSE(nvd_cqe_ready(n, 1));

		ASSERT_EQ(0, vfio_dma_unmap(&dp->l.dev, xiova, xsize));
		x.mapped = 0;
		ASSERT_EQ(p0, dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES));
		held_is(_metadata, &self->dm, FLT_UNMAP_CMDS, 0);
		ASSERT_FALSE(nvd_cqe_ready(n, 1));

		ASSERT_EQ(0, dm_delay_release(&self->dm));
		for (got = 0, seen = 0; got < FLT_UNMAP_CMDS; got++) {
			ASSERT_EQ(0, nio_reap(&dp->io, 1, &cqe, NIO_TIMEOUT_MS));
			k = (uint16_t)(le16toh(cqe.cid) - cid0);
			ASSERT_LT(k, FLT_UNMAP_CMDS);
			ASSERT_EQ(0, seen & (1U << k));
			seen |= 1U << k;
			if (nvd_status_code(&cqe) != NVME_SC_SUCCESS)
				TH_LOG("round %u: CID %u: status %#x", round,
				       le16toh(cqe.cid), nvd_status(&cqe));
			ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
		}
		ASSERT_EQ(xbytes, nio_check(x.base, xbytes, 6300));
		/* Nothing lands in the old pages after a round trip. */
		memset(x.base, 0x77, xbytes);
		dp_read_seed(_metadata, dp, 1, 0, FLT_UNMAP_CMDS * bpp(dp), 6300);
		ASSERT_EQ(xbytes, nio_check_byte(x.base, xbytes, 0x77));
		ASSERT_FALSE(nvd_cqe_ready(n, 1));
		ASSERT_EQ(p0, dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES));
		gmem_fini(&x);
	}
}

/*
 * All of guest memory unmapped and mapped back, queues (and shadow
 * doorbells) included, as QEMU does when the guest's memory map changes
 * under live queues (SeaBIOS's): nothing stays pinned in between, the
 * runtime never touches the memory meanwhile (it would die of SIGBUS), a
 * command queued meanwhile completes once the memory is back, and the
 * queues go on.
 */
static void unmap_under_queues(struct __test_metadata *_metadata,
			       struct dp *dp, bool dbbuf)
{
	struct gmem *m = &dp->l.mem;
	size_t len = nio_bytes(&dp->io, bpp(dp));
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint16_t status;
	uint64_t iova;
	uint8_t *buf;
	int cid;

	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	if (dbbuf) {
		ASSERT_EQ(0, nio_dbbuf_on(&dp->io, &status));
		ASSERT_EQ(NVME_SC_SUCCESS, status);
	}
	dp_write_seed(_metadata, dp, 1, 0, bpp(dp), 6400);
	buf = gmem_alloc_pages(m, len, &iova);
	ASSERT_NE(NULL, buf);
	nio_fill(buf, len, 6401);

	ASSERT_EQ(0, vfio_dma_unmap(&dp->l.dev, m->iova, m->size));
	m->mapped = 0;
	ASSERT_EQ(0, dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES));
	nb_rw(&sqe, nvme_cmd_write, NIO_NSID, 64, bpp(dp), iova, 0);
	cid = nvd_queue_sqe(&dp->l.nvd, 1, &sqe);
	ASSERT_GE(cid, 0);
	ASSERT_EQ(0, nio_ring_sq(&dp->io, 1));

	ASSERT_EQ(0, vfio_dma_map(&dp->l.dev, m->base, m->iova, m->size));
	m->mapped = 1;
	ASSERT_EQ(0, nio_wait(&dp->io, 1, cid, &cqe, NIO_TIMEOUT_MS));
	ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
	dp_backing_seed(_metadata, dp, 0, 64, bpp(dp), 6401);
	dp_read_seed(_metadata, dp, 1, 64, bpp(dp), 6401);
	dp_read_seed(_metadata, dp, 1, 0, bpp(dp), 6400);
	ASSERT_TRUE(alive(dp->d.pid));
}

TEST_F(flt, queues_unmapped_and_mapped_back)
{
	unmap_under_queues(_metadata, &self->dp, false);
}

TEST_F(flt, queues_unmapped_and_mapped_back_dbbuf)
{
	unmap_under_queues(_metadata, &self->dp, true);
}

TEST_HARNESS_MAIN
