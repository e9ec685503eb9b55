// SPDX-License-Identifier: GPL-2.0
/*
 * Faults with I/O in flight. Controller reset: once CSTS.RDY reads 0 no
 * completion and no data reach guest memory any more, and every write
 * acknowledged before stays readable. leapiod killed with SIGKILL and
 * restarted: every command submitted completes exactly once and the
 * acknowledged writes are intact. The VFIO user closing the device (QEMU
 * exiting): every pin is dropped, leapiod keeps serving its other mdev,
 * and the mdev serves a new user. Guest memory unmapped under the runtime
 * (VFIO_IOMMU_UNMAP_DMA): its pins are dropped and later I/O to it gets
 * Data Transfer Error; queues in it wait, untouched, until it is mapped
 * back.
 *
 * "No more completions" is checked after a synchronisation point, not a
 * sleep: a full I/O round trip through the same runtime after the event,
 * by which time anything stale would have been posted.
 */
#include <signal.h>
#include <time.h>

#include "lio_dp.h"

#define FLT_QSIZE	32
#define FLT_CMDS	24	/* in flight on one queue, < FLT_QSIZE */
/* Pages per command: large enough that the backend is still busy with
 * some when the fault strikes (PRP lists, too).
 */
#define FLT_PAGES	8
#define FLT_BYTES	(FLT_PAGES * GMEM_PAGE)

FIXTURE(flt) {
	struct dp dp;
};

FIXTURE_SETUP(flt)
{
	dp_setup(_metadata, &self->dp, 0);
}

FIXTURE_TEARDOWN(flt)
{
	dp_teardown(_metadata, &self->dp);
}

static uint32_t bpp(struct dp *dp)
{
	return GMEM_PAGE >> dp->io.lba_shift;
}

/* A batch of commands on one queue: writes of FLT_PAGES each at their own
 * LBAs (even k) and reads of pre-written data (odd k).
 */
struct batch {
	uint16_t	qid;
	unsigned int	nr;
	uint8_t		*buf;		/* nr * 2 pages */
	uint64_t	iova;
	uint32_t	seed0;
	int		cid[FLT_CMDS];
	unsigned int	done[FLT_CMDS];	/* CQEs seen per command */
};

static uint64_t batch_lba(struct dp *dp, struct batch *b, unsigned int k)
{
	return ((uint64_t)b->qid * FLT_CMDS + k) * FLT_PAGES * bpp(dp);
}

static bool is_write(unsigned int k)
{
	return !(k & 1);
}

/* Prepare: pre-write the read targets (synchronously, through their
 * own buffers), fill the write buffers, poison the read buffers. A batch
 * prepared again reuses its buffers: guest memory is a bump allocator.
 */
static void batch_prep(struct __test_metadata *_metadata, struct dp *dp,
		       struct batch *b, uint16_t qid, unsigned int nr,
		       uint32_t seed0)
{
	unsigned int k;

	if (!b->buf || b->nr != nr)
		b->buf = gmem_alloc_pages(&dp->l.mem, (size_t)nr * FLT_BYTES, &b->iova);
	ASSERT_NE(NULL, b->buf);
	b->qid = qid;
	b->nr = nr;
	b->seed0 = seed0;
	memset(b->done, 0, sizeof(b->done));
	for (k = 0; k < nr; k++) {
		uint8_t *p = b->buf + (size_t)k * FLT_BYTES;

		b->cid[k] = -1;
		nio_fill(p, FLT_BYTES, seed0 + k);
		if (is_write(k))
			continue;
		DP_RW_OK(dp, qid, nvme_cmd_write, batch_lba(dp, b, k),
			 FLT_PAGES * bpp(dp), b->iova + (uint64_t)k * FLT_BYTES);
		memset(p, 0x5a, FLT_BYTES);
	}
}

/* Queue every command of the batch and ring once. */
static void batch_submit(struct __test_metadata *_metadata, struct dp *dp,
			 struct batch *b)
{
	uint64_t prp1 = 0, prp2 = 0;
	struct nvme_sqe sqe;
	unsigned int k;

	for (k = 0; k < b->nr; k++) {
		ASSERT_EQ(0, nio_prp(&dp->io, b->iova + (uint64_t)k * FLT_BYTES,
				     FLT_BYTES, &prp1, &prp2));
		nb_rw(&sqe, is_write(k) ? nvme_cmd_write : nvme_cmd_read, NIO_NSID,
			   batch_lba(dp, b, k), FLT_PAGES * bpp(dp), prp1, prp2);
		b->cid[k] = nvd_queue_sqe(&dp->l.nvd, b->qid, &sqe);
		ASSERT_GE(b->cid[k], 0);
	}
	ASSERT_EQ(0, nio_ring_sq(&dp->io, b->qid));
}

static int batch_index(struct batch *b, uint16_t cid)
{
	unsigned int k;

	for (k = 0; k < b->nr; k++)
		if (b->cid[k] == cid)
			return (int)k;
	return -1;
}

/* Take every CQE of the batch's queue (which completes to its own CQ):
 * each command exactly once, successful.
 */
static void batch_collect(struct __test_metadata *_metadata, struct dp *dp,
			  struct batch *b)
{
	struct nvme_cqe cqe;
	unsigned int got;
	int k;

	for (got = 0; got < b->nr; got++) {
		ASSERT_EQ(0, nio_reap(&dp->io, b->qid, &cqe, NIO_TIMEOUT_MS));
		ASSERT_EQ(b->qid, le16toh(cqe.sq_id));
		k = batch_index(b, le16toh(cqe.cid));
		ASSERT_GE(k, 0);
		b->done[k]++;
		if (b->done[k] != 1)
			TH_LOG("CID %u of SQ %u completed twice", le16toh(cqe.cid), b->qid);
		ASSERT_EQ(1, b->done[k]);
		ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
	}
}

/* Completed reads hold the data; acknowledged writes read back (into
 * the batch's read buffers, which are checked first).
 */
static void batch_verify(struct __test_metadata *_metadata, struct dp *dp,
			 struct batch *b, uint16_t qid)
{
	unsigned int k;
	uint8_t *p;

	for (k = 1; k < b->nr; k += 2)
		if (b->done[k])
			ASSERT_EQ(FLT_BYTES,
				  nio_check(b->buf + (size_t)k * FLT_BYTES,
					    FLT_BYTES, b->seed0 + k));
	for (k = 0; k < b->nr; k += 2) {
		if (!b->done[k])
			continue;
		p = b->buf + (size_t)(k + 1) * FLT_BYTES;
		memset(p, 0xee, FLT_BYTES);
		DP_RW_OK(dp, qid, nvme_cmd_read, batch_lba(dp, b, k),
			 FLT_PAGES * bpp(dp), b->iova + (uint64_t)(k + 1) * FLT_BYTES);
		ASSERT_EQ(FLT_BYTES, nio_check(p, FLT_BYTES, b->seed0 + k));
	}
}

static void enable_again(struct __test_metadata *_metadata, struct dp *dp)
{
	struct nvme_sqe sqe;
	uint32_t n = dp->nr - 1;

	LIO_ENABLE(&dp->l);
	nb_set_features(&sqe, NVME_FEAT_NUM_QUEUES, false, n | n << 16);
	ADMIN_OK(&dp->l, &sqe);
}

TEST_F(flt, reset_with_io_in_flight)
{
	struct dp *dp = &self->dp;
	struct nvd *n = &dp->l.nvd;
	struct nvme_cqe snap[FLT_QSIZE], *old_cq;
	struct batch b = { 0 };
	unsigned int i, k, head, acked = 0, landed;
	uint8_t phase, *dev;

	ASSERT_EQ(0, nvd_create_io_pair(n, 1, FLT_QSIZE, 1));
	batch_prep(_metadata, dp, &b, 1, FLT_CMDS, 3000);
	old_cq = n->q[1].cq;
	head = n->q[1].cq_head;
	phase = n->q[1].phase;
	batch_submit(_metadata, dp, &b);
	/* CC.EN = 0 at once, and wait for RDY = 0. */
	ASSERT_EQ(0, nvd_disable(n));

	/* What was posted before RDY dropped is what was acknowledged:
	 * the entries from the head on that carry the current phase.
	 */
	memcpy(snap, old_cq, sizeof(snap));
	for (i = head; (le16toh(snap[i].status) & 1) == phase;) {
		int kk = batch_index(&b, le16toh(snap[i].cid));

		ASSERT_GE(kk, 0);
		ASSERT_EQ(0, b.done[kk]);
		ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&snap[i]));
		b.done[kk] = 1;
		acked++;
		ASSERT_LE(acked, b.nr);
		if (++i == FLT_QSIZE) {
			i = 0;
			phase ^= 1;
		}
	}
	/* Unacknowledged writes that reached the device anyway were in
	 * flight when the reset came (said for the log: either is allowed).
	 */
	landed = 0;
	dev = malloc(FLT_BYTES);
	ASSERT_NE(NULL, dev);
	for (k = 0; k < b.nr; k += 2) {
		ASSERT_EQ(0, backing_read(&dp->bk, batch_lba(dp, &b, k) << dp->io.lba_shift,
					  dev, FLT_BYTES));
		if (!b.done[k] && nio_check(dev, FLT_BYTES, b.seed0 + k) == FLT_BYTES)
			landed++;
	}
	free(dev);
	TH_LOG("%u of %u commands completed before RDY = 0; %u writes landed unacknowledged",
	       acked, b.nr, landed);
	/* Read buffers not completed get a fresh poison now. */
	for (k = 0; k < b.nr; k++)
		if (!is_write(k) && !b.done[k])
			memset(b.buf + (size_t)k * FLT_BYTES, 0xc3, FLT_BYTES);

	/* Back up with new queues; a round trip is the sync point. */
	enable_again(_metadata, dp);
	ASSERT_EQ(0, nvd_create_io_pair(n, 1, 16, 1));
	dp_write_seed(_metadata, dp, 1, dp->io.nsze - 8, 8, 3999);
	dp_read_seed(_metadata, dp, 1, dp->io.nsze - 8, 8, 3999);

	ASSERT_EQ(0, memcmp(snap, old_cq, sizeof(snap)));
	for (k = 0; k < b.nr; k++)
		if (!is_write(k) && !b.done[k])
			ASSERT_EQ(FLT_BYTES,
				  nio_check_byte(b.buf + (size_t)k * FLT_BYTES,
						 FLT_BYTES, 0xc3));
	batch_verify(_metadata, dp, &b, 1);
}

/*
 * CQEs posted on cqid and not yet reaped, without reaping them; *head is
 * the SQ head the last of them reports.
 */
static unsigned int cq_posted(struct nvd *n, uint16_t cqid, uint16_t *head)
{
	struct nvd_queue *q = &n->q[cqid];
	unsigned int i = q->cq_head, count = 0;
	uint8_t phase = q->phase;

	while ((le16toh(q->cq[i].status) & 1) == phase && count < q->cq_entries) {
		*head = le16toh(q->cq[i].sq_head);
		count++;
		if (++i == q->cq_entries) {
			i = 0;
			phase ^= 1;
		}
	}
	return count;
}

/*
 * Rounds of: a batch on each of two queues, SIGKILL, restart, every
 * command completes once. Where a kill lands (nothing fetched yet,
 * commands fetched and running, completions half posted) is up to
 * timing: the first kill comes right after the doorbells, the later ones
 * as soon as the runtime has seen SQ 1's new tail (with shadow doorbells
 * on, it moves EventIdx to tail - 1 then, just before it fetches). A kill
 * with SQ 1 all fetched and not all completed ("in flight") is the case
 * that needs the journal; rounds go on until two such kills or
 * FLT_KILL_ROUNDS, and the log says how many there were. (Under TCG the
 * runtime often finishes a batch before the signal lands: a leapiod
 * that drops journalled commands was caught in about half the runs.)
 */
#define FLT_KILL_ROUNDS	3

/* Each round restarts leapiod (an exec under TCG): more than 30 s. */
TEST_F_TIMEOUT(flt, runtime_killed_and_restarted, 120)
{
	struct dp *dp = &self->dp;
	struct nvd *n = &dp->l.nvd;
	struct batch b1 = { 0 }, b2 = { 0 };
	unsigned int round, i, posted, in_flight = 0;
	uint16_t head, status;
	uint32_t *ev;
	time_t t0;
	int st;

	ASSERT_EQ(0, nvd_create_io_pair(n, 1, FLT_QSIZE, 1));
	ASSERT_EQ(0, nvd_create_io_pair(n, 2, FLT_QSIZE, 2));
	ASSERT_EQ(0, nio_dbbuf_on(&dp->io, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);
	ev = &dp->io.eventidx[(LEAPIO_SQ_DB(1) - NVME_REG_DBS) / 4];
	for (round = 0; round < FLT_KILL_ROUNDS && in_flight < 2; round++) {
		batch_prep(_metadata, dp, &b1, 1, FLT_CMDS, 4000 + 200 * round);
		batch_prep(_metadata, dp, &b2, 2, FLT_CMDS, 4100 + 200 * round);
		batch_submit(_metadata, dp, &b1);
		batch_submit(_metadata, dp, &b2);
		/* Bounded by the clock's reading every 4096 spins. */
		t0 = time(NULL);
		for (i = 0; round && le32toh(__atomic_load_n(ev, __ATOMIC_ACQUIRE)) !=
			     (uint16_t)(n->q[1].sq_tail - 1); i++)
			if (!(i & 4095) && time(NULL) - t0 > NIO_TIMEOUT_MS / 1000)
				break;
		st = leapiod_stop(&dp->d, SIGKILL);
		ASSERT_EQ(128 + SIGKILL, st);
		head = 0xffff;
		posted = cq_posted(n, 1, &head);
		if (posted < b1.nr && head == n->q[1].sq_tail)
			in_flight++;
		TH_LOG("round %u: SQ 1 had %u of %u completed at the kill, head %d of %u",
		       round, posted, b1.nr, head == 0xffff ? -1 : head, n->q[1].sq_tail);
		/* The kernel sees it gone; the queues and pins stay. */
		ASSERT_EQ(0, leapiod_wait_runtime_pid(dp->l.mdev.uuid, 0,
						      LEAPIOD_TIMEOUT_MS));
		ASSERT_NE(0, dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES));
		ASSERT_EQ(0, REG_RD32(&dp->l, NVME_REG_CSTS) & NVME_CSTS_CFS);

		dp_start_leapiod(_metadata, dp);
		batch_collect(_metadata, dp, &b1);
		batch_collect(_metadata, dp, &b2);
		batch_verify(_metadata, dp, &b1, 2);
		batch_verify(_metadata, dp, &b2, 1);
		/* Those round trips were the sync point: no late duplicate. */
		ASSERT_EQ(0, n->nr_stash);
		ASSERT_FALSE(nvd_cqe_ready(n, 1));
		ASSERT_FALSE(nvd_cqe_ready(n, 2));
	}
	TH_LOG("%u of %u kills found SQ 1 in flight", in_flight, round);
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
 * QEMU exits with I/O in flight: its fds close, device first. Every pin
 * goes, no warning (the VM panics on one), leapiod stays up serving the
 * other mdev, and the closed mdev serves its next user.
 */
FIXTURE(two) {
	struct dp a;
	struct dp b;		/* on a's backing device, at DP_NS_SIZE */
};

FIXTURE_SETUP(two)
{
	struct lio_opts o = { .ns_size = DP_NS_SIZE, .no_open = true };

	leapiod_init(&self->b.d);
	lio_init(&self->b.l);
	self->b.bk.file = self->b.bk.loop = -1;
	dp_create(_metadata, &self->a, DP_NS_SIZE, 2 * DP_NS_SIZE, 0);
	ASSERT_EQ(0, lio_setup(&self->b.l, &o));
	ASSERT_EQ(0, leapiod_add_vdev(&self->a.d, self->a.l.mdev.uuid,
				      self->a.bk.path, 0));
	ASSERT_EQ(0, leapiod_add_vdev(&self->a.d, self->b.l.mdev.uuid,
				      self->a.bk.path, DP_NS_SIZE));
	dp_start_leapiod(_metadata, &self->a);
	dp_open(_metadata, &self->a);
	dp_open(_metadata, &self->b);
}

FIXTURE_TEARDOWN(two)
{
	/* b first: a's teardown stops the leapiod serving both. */
	dp_teardown(_metadata, &self->b);
	dp_teardown(_metadata, &self->a);
}

TEST_F(two, vfio_close_with_io_in_flight)
{
	struct dp *a = &self->a, *b = &self->b;
	unsigned long long pinned = ~0ULL;
	struct batch bt = { 0 };
	int64_t i;

	ASSERT_EQ(0, nvd_create_io_pair(&a->l.nvd, 1, FLT_QSIZE, 1));
	ASSERT_EQ(0, nvd_create_io_pair(&b->l.nvd, 1, 16, 1));
	batch_prep(_metadata, a, &bt, 1, FLT_CMDS, 5000);
	ASSERT_NE(0, dp_attr(_metadata, a, LEAPIO_SYSFS_PINNED_PAGES));

	batch_submit(_metadata, a, &bt);
	nio_fini(&a->io);
	vfio_close(&a->l.dev);
	/* Bounded: the release path may finish after close() returns. */
	for (i = 0; i < LEAPIOD_TIMEOUT_MS / 20; i++) {
		ASSERT_EQ(0, mdev_uuid_attr_u64(a->l.mdev.uuid, LEAPIO_SYSFS_PINNED_PAGES, &pinned));
		if (!pinned)
			break;
		usleep(20000);
	}
	ASSERT_EQ(0, pinned);
	lio_irq_off(&a->l);
	lio_close(&a->l);
	ASSERT_TRUE(alive(a->d.pid));

	/* The other mdev is still served. */
	dp_write_seed(_metadata, b, 1, 0, 8, 5100);
	dp_read_seed(_metadata, b, 1, 0, 8, 5100);
	/* And the closed one serves a new VFIO user. */
	dp_open(_metadata, a);
	ASSERT_EQ(0, nvd_create_io_pair(&a->l.nvd, 1, 16, 1));
	dp_write_seed(_metadata, a, 1, 0, 8, 5200);
	dp_read_seed(_metadata, a, 1, 0, 8, 5200);
	dp_backing_seed(_metadata, a, DP_NS_SIZE, 0, 8, 5100);
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

/* The same with reads in flight into the memory being unmapped: each
 * completes once (data or Data Transfer Error), and no pin stays.
 */
TEST_F(flt, dma_unmap_with_io_in_flight)
{
	const uint64_t xiova = GMEM_IOVA_BASE + (64ULL << 20), xsize = 1ULL << 20;
	struct dp *dp = &self->dp;
	struct nvd *n = &dp->l.nvd;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	unsigned long long p0;
	unsigned int k, got, seen = 0;
	struct gmem x;
	int cid0 = -1, cid;

	ASSERT_EQ(0, nvd_create_io_pair(n, 1, FLT_QSIZE, 1));
	dp_write_seed(_metadata, dp, 1, 0, 16 * bpp(dp), 6300);
	p0 = dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES);
	ASSERT_EQ(0, gmem_init_memfd(&x, &dp->l.dev, xiova, xsize));
	for (k = 0; k < 16; k++) {
		nb_rw(&sqe, nvme_cmd_read, NIO_NSID, k * bpp(dp), bpp(dp),
			   xiova + k * GMEM_PAGE, 0);
		cid = nvd_queue_sqe(n, 1, &sqe);
		ASSERT_GE(cid, 0);
		if (cid0 < 0)
			cid0 = cid;
		ASSERT_EQ(cid0 + k, cid);
	}
	ASSERT_EQ(0, nio_ring_sq(&dp->io, 1));
	ASSERT_EQ(0, vfio_dma_unmap(&dp->l.dev, xiova, xsize));
	x.mapped = 0;
	for (got = 0; got < 16; got++) {
		uint16_t sc;

		ASSERT_EQ(0, nio_reap(&dp->io, 1, &cqe, NIO_TIMEOUT_MS));
		k = (uint16_t)(le16toh(cqe.cid) - cid0);
		ASSERT_LT(k, 16);
		ASSERT_EQ(0, seen & (1U << k));
		seen |= 1U << k;
		sc = nvd_status_code(&cqe);
		if (sc != NVME_SC_SUCCESS && sc != NVME_SC_DATA_XFER_ERROR)
			TH_LOG("CID %u: status %#x", le16toh(cqe.cid), nvd_status(&cqe));
		ASSERT_TRUE(sc == NVME_SC_SUCCESS || sc == NVME_SC_DATA_XFER_ERROR);
	}
	ASSERT_EQ(p0, dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES));
	gmem_fini(&x);
	dp_read_seed(_metadata, dp, 1, 0, 16 * bpp(dp), 6300);
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
