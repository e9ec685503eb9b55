// SPDX-License-Identifier: GPL-2.0
/*
 * The runtime does not answer (Documentation/design/data-path.rst, "When
 * the runtime does not answer").
 *
 * Stopped (SIGSTOP) while the guest deletes an SQ, resets the controller
 * or the VFIO user unmaps guest memory: after CAP.TO the driver revokes
 * it (runtime_revoked counts it, runtime_pid reads 0 while it is still
 * there, stopped) and the controller reports CSTS.CFS; unmapped pages are
 * unpinned all the same. The memory the old runtime could write (the CQ,
 * read buffers) is then filled with a pattern and the runtime continued
 * (SIGCONT): it must find its vdev revoked, write nothing, and come back
 * (attach again); the guest's reset recovers the controller and I/O runs.
 *
 * No runtime: the controller enabled without one answers I/O with
 * Namespace Not Ready and no DNR (CRD 1 once ACRE is on, CRDT1 set)
 * for the mdev's runtime_grace_ms, then with DNR, whether doorbells trap
 * or are mmapped. A runtime killed mid-I/O and not restarted: every
 * command still completes once, what it never ran with Namespace Not
 * Ready and DNR, and a runtime started later serves the queues again.
 *
 * The revocation itself, with the test as the runtime that does not
 * acknowledge a reset: its vdev file refuses every ioctl and mmap with
 * ENOLINK, the eventfd it was given signals nothing, its region mapping
 * is gone (SIGBUS), and another runtime can attach.
 *
 * Waits are bounded polls of an observable state (CSTS, sysfs, the
 * process's state), never sleeps.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "lio_dp.h"
#include "../../uapi/linux/leapio_region.h"
#include "clock.h"

#define RL_QSIZE	32
#define RL_CMDS		16
#define RL_PAGES	4
#define RL_BYTES	(RL_PAGES * GMEM_PAGE)
#define RL_POISON	0xc3
/* The driver's ack timeout (CAP.TO) and slack for TCG. */
#define RL_ACK_MS	10000
#define RL_WAIT_MS	(RL_ACK_MS + 20000)
#define RL_GRACE_MS	1500

static int wait_csts(struct dp *dp, uint32_t mask, uint32_t val, int timeout_ms)
{
	return nvd_wait_csts(&dp->l.nvd, mask, val, timeout_ms);
}

FIXTURE(rl) {
	struct dp dp;
	uint8_t *buf;		/* RL_CMDS read buffers */
	uint64_t iova;
	struct nvme_cqe *old_cq;
	pid_t pid;		/* the leapiod that gets stopped */
};

FIXTURE_SETUP(rl)
{
	dp_setup(_metadata, &self->dp, 0);
	self->pid = self->dp.d.pid;
}

FIXTURE_TEARDOWN(rl)
{
	/* A test that failed midway must not leave it stopped. */
	if (self->dp.d.pid)
		kill(self->dp.d.pid, SIGCONT);
	dp_teardown(_metadata, &self->dp);
}

static uint32_t bpp(struct dp *dp)
{
	return GMEM_PAGE >> dp->io.lba_shift;
}

/* Queue pair 1 (vector 1), data at the first LBAs, read buffers poisoned. */
static void rl_prepare(struct __test_metadata *_metadata, FIXTURE_DATA(rl) *self)
{
	struct dp *dp = &self->dp;

	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, RL_QSIZE, 1));
	dp_write_seed(_metadata, dp, 1, 0, RL_CMDS * RL_PAGES * bpp(dp), 7000);
	self->buf = gmem_alloc_pages(&dp->l.mem, RL_CMDS * RL_BYTES, &self->iova);
	ASSERT_NE(NULL, self->buf);
	memset(self->buf, 0x5a, RL_CMDS * RL_BYTES);
	self->old_cq = dp->l.nvd.q[1].cq;
}

/* RL_CMDS reads on SQ 1 into the buffers, rung once. */
static void rl_submit_reads(struct __test_metadata *_metadata,
			    FIXTURE_DATA(rl) *self)
{
	struct dp *dp = &self->dp;
	uint64_t prp1 = 0, prp2 = 0;
	struct nvme_sqe sqe;
	unsigned int k;

	for (k = 0; k < RL_CMDS; k++) {
		ASSERT_EQ(0, nio_prp(&dp->io, self->iova + (uint64_t)k * RL_BYTES,
				     RL_BYTES, &prp1, &prp2));
		nb_rw(&sqe, nvme_cmd_read, NIO_NSID, (uint64_t)k * RL_PAGES * bpp(dp),
		      RL_PAGES * bpp(dp), prp1, prp2);
		ASSERT_LE(0, nvd_queue_sqe(&dp->l.nvd, 1, &sqe));
	}
	ASSERT_EQ(0, nio_ring_sq(&dp->io, 1));
}

/* CQEs posted on CQ 1 (from the driver's head), without reaping. */
static unsigned int rl_posted(struct dp *dp)
{
	struct nvd_queue *q = &dp->l.nvd.q[1];
	unsigned int i = q->cq_head, n = 0;
	uint8_t phase = q->phase;

	while ((le16toh(q->cq[i].status) & 1) == phase && n < q->cq_entries) {
		n++;
		if (++i == q->cq_entries) {
			i = 0;
			phase ^= 1;
		}
	}
	return n;
}

static void rl_stop(struct __test_metadata *_metadata, FIXTURE_DATA(rl) *self)
{
	ASSERT_EQ(0, leapiod_freeze(&self->dp.d));
}

/* The driver gave up on it: counted, detached, and it is still there. */
static void rl_assert_revoked(struct __test_metadata *_metadata,
			      FIXTURE_DATA(rl) *self)
{
	struct dp *dp = &self->dp;

	ASSERT_EQ(1, dp_attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_REVOKED));
	ASSERT_EQ(0, dp_attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_PID));
	ASSERT_TRUE(leapiod_frozen(&self->dp.d));
}

/*
 * What the old runtime could write is poisoned and its interrupts
 * consumed; then it goes on. It must come back: attach again, as the
 * same process, having written nothing (checked in rl_check_untouched).
 */
static void rl_poison_and_continue(struct __test_metadata *_metadata,
				   FIXTURE_DATA(rl) *self)
{
	struct dp *dp = &self->dp;

	memset(self->old_cq, RL_POISON, RL_QSIZE * sizeof(struct nvme_cqe));
	memset(self->buf, RL_POISON, RL_CMDS * RL_BYTES);
	ASSERT_LE(0, evfd_take(dp->l.msix_fd[1]));
	ASSERT_EQ(0, kill(self->pid, SIGCONT));
	if (leapiod_wait_runtime_pid(dp->l.mdev.uuid, self->pid, RL_WAIT_MS)) {
		TH_LOG("the revoked leapiod did not attach again (%s)",
		       leapiod_alive(&dp->d) ? "alive" : "exited");
		leapiod_dump_log(&dp->d, stderr);
	}
	ASSERT_TRUE(leapiod_alive(&dp->d));
	ASSERT_EQ(0, leapiod_wait_runtime_pid(dp->l.mdev.uuid, self->pid, 0));
}

/* Reset, enable, queue pair 2 on vector 2: I/O runs again. */
static void rl_recover(struct __test_metadata *_metadata, FIXTURE_DATA(rl) *self)
{
	struct dp *dp = &self->dp;
	struct nvme_sqe sqe;
	uint32_t n = dp->nr - 1;

	ASSERT_EQ(0, nvd_disable(&dp->l.nvd));
	LIO_ENABLE(&dp->l);
	ASSERT_EQ(0, REG_RD32(&dp->l, NVME_REG_CSTS) & NVME_CSTS_CFS);
	nb_set_features(&sqe, NVME_FEAT_NUM_QUEUES, false, n | n << 16);
	ADMIN_OK(&dp->l, &sqe);
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 2, 16, 2));
	dp_write_seed(_metadata, dp, 2, dp->io.nsze - 8, 8, 7100);
	dp_read_seed(_metadata, dp, 2, dp->io.nsze - 8, 8, 7100);
}

/* After the round trip of rl_recover(): nothing of the old one landed. */
static void rl_check_untouched(struct __test_metadata *_metadata,
			       FIXTURE_DATA(rl) *self)
{
	struct dp *dp = &self->dp;

	ASSERT_EQ(RL_QSIZE * sizeof(struct nvme_cqe),
		  nio_check_byte(self->old_cq, RL_QSIZE * sizeof(struct nvme_cqe),
				 RL_POISON));
	ASSERT_EQ(RL_CMDS * RL_BYTES,
		  nio_check_byte(self->buf, RL_CMDS * RL_BYTES, RL_POISON));
	ASSERT_EQ(0, evfd_take(dp->l.msix_fd[1]));
}

/* Each of the three waits takes CAP.TO: more than the harness's 30 s. */
TEST_F_TIMEOUT(rl, stopped_at_sq_delete, 180)
{
	struct dp *dp = &self->dp;
	uint16_t status = 0xffff;
	int64_t t0;
	int err;

	rl_prepare(_metadata, self);
	rl_submit_reads(_metadata, self);
	rl_stop(_metadata, self);
	TH_LOG("%u of %u reads completed before SIGSTOP", rl_posted(dp), RL_CMDS);

	t0 = mono_ms();
	err = nvd_delete_sq(&dp->l.nvd, 1, &status);
	TH_LOG("Delete I/O SQ: %d (status %#x) after %lld ms", err, status,
	       (long long)(mono_ms() - t0));
	/* No completion: the controller failed instead. */
	ASSERT_NE(0, err);
	ASSERT_EQ(NVME_CSTS_CFS, REG_RD32(&dp->l, NVME_REG_CSTS) & NVME_CSTS_CFS);
	rl_assert_revoked(_metadata, self);

	rl_poison_and_continue(_metadata, self);
	rl_recover(_metadata, self);
	rl_check_untouched(_metadata, self);
}

TEST_F_TIMEOUT(rl, stopped_at_reset, 180)
{
	struct dp *dp = &self->dp;
	int64_t t0;

	rl_prepare(_metadata, self);
	rl_submit_reads(_metadata, self);
	rl_stop(_metadata, self);
	TH_LOG("%u of %u reads completed before SIGSTOP", rl_posted(dp), RL_CMDS);

	/* CC.EN = 0: the reset is carried out, and says CFS. */
	t0 = mono_ms();
	ASSERT_EQ(0, nvd_disable(&dp->l.nvd));
	TH_LOG("RDY = 0 after %lld ms", (long long)(mono_ms() - t0));
	ASSERT_EQ(NVME_CSTS_CFS, REG_RD32(&dp->l, NVME_REG_CSTS));
	rl_assert_revoked(_metadata, self);

	rl_poison_and_continue(_metadata, self);
	/* The next enable starts clean. */
	LIO_ENABLE(&dp->l);
	ASSERT_EQ(NVME_CSTS_RDY, REG_RD32(&dp->l, NVME_REG_CSTS));
	rl_recover(_metadata, self);
	rl_check_untouched(_metadata, self);
}

TEST_F_TIMEOUT(rl, stopped_at_dma_unmap, 180)
{
	const uint64_t xiova = GMEM_IOVA_BASE + (64ULL << 20), xsize = 1ULL << 20;
	struct dp *dp = &self->dp;
	unsigned long long p0, p1;
	struct gmem x;
	int64_t t0;

	rl_prepare(_metadata, self);
	p0 = dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES);
	ASSERT_EQ(0, gmem_init_memfd(&x, &dp->l.dev, xiova, xsize));
	/* The runtime reaches x (pinned, in its window) through a read. */
	memset(x.base, 0xee, 4 * GMEM_PAGE);
	ASSERT_EQ(NVME_SC_SUCCESS, dp_rw(_metadata, dp, 1, nvme_cmd_read, 0,
					 4 * bpp(dp), xiova, 0));
	ASSERT_EQ(4 * GMEM_PAGE, nio_check(x.base, 4 * GMEM_PAGE, 7000));
	p1 = dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES);
	ASSERT_GT(p1, p0);
	rl_stop(_metadata, self);

	/* The unmap returns, with x's pages unpinned. */
	t0 = mono_ms();
	ASSERT_EQ(0, vfio_dma_unmap(&dp->l.dev, xiova, xsize));
	x.mapped = 0;
	TH_LOG("unmap took %lld ms; pinned %llu -> %llu -> %llu", (long long)(mono_ms() - t0),
	       p0, p1, dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES));
	ASSERT_EQ(p0, dp_attr(_metadata, dp, LEAPIO_SYSFS_PINNED_PAGES));
	rl_assert_revoked(_metadata, self);
	/* CFS comes from the driver's work item: bounded wait. */
	ASSERT_EQ(0, wait_csts(dp, NVME_CSTS_CFS, NVME_CSTS_CFS, LEAPIOD_TIMEOUT_MS));

	memset(x.base, RL_POISON, xsize);
	rl_poison_and_continue(_metadata, self);
	rl_recover(_metadata, self);
	rl_check_untouched(_metadata, self);
	ASSERT_EQ(xsize, nio_check_byte(x.base, xsize, RL_POISON));
	gmem_fini(&x);
}

/* ---- no runtime ---- */

FIXTURE(nort) {
	struct dp dp;
};

FIXTURE_SETUP(nort)
{
	dp_create(_metadata, &self->dp, DP_NS_SIZE, DP_NS_SIZE, 0);
	ASSERT_EQ(0, leapiod_add_vdev(&self->dp.d, self->dp.l.mdev.uuid,
				      self->dp.bk.path, 0));
	ASSERT_EQ(0, mdev_attr_write_u64(&self->dp.l.mdev,
					 LEAPIO_SYSFS_RUNTIME_GRACE_MS, RL_GRACE_MS));
}

FIXTURE_TEARDOWN(nort)
{
	dp_teardown(_metadata, &self->dp);
}

/* Host Behavior Support with ACRE = acre. */
static uint16_t set_acre(struct __test_metadata *_metadata, struct dp *dp,
			 uint8_t acre)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint64_t iova = 0;
	uint8_t *hb = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);

	if (!hb)
		return 0xffff;
	memset(hb, 0, 512);
	hb[0] = acre;
	nb_set_features(&sqe, NVME_FEAT_HOST_BEHAVIOR, false, 0);
	nb_data(&sqe, iova, 512);
	if (nvd_admin(&dp->l.nvd, &sqe, &cqe))
		return 0xffff;
	return nvd_status(&cqe);
}

static uint16_t crdt1(struct dp *dp)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint64_t iova = 0;
	struct nvme_id_ctrl *id = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);

	if (!id)
		return 0xffff;
	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, iova);
	if (nvd_admin(&dp->l.nvd, &sqe, &cqe) || nvd_status(&cqe))
		return 0xffff;
	return le16toh(id->crdt1);
}

/* One read on qid: its whole status field (DNR, CRD), or 0xffff. */
static uint16_t read_status(struct __test_metadata *_metadata, struct dp *dp,
			    uint16_t qid)
{
	uint64_t iova = 0;
	void *b = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	int cid;

	if (!b)
		return 0xffff;
	nb_rw(&sqe, nvme_cmd_read, NIO_NSID, 0, bpp(dp), iova, 0);
	cid = nio_submit(&dp->io, qid, &sqe);
	if (cid < 0 || nio_wait(&dp->io, qid, cid, &cqe, NIO_TIMEOUT_MS))
		return 0xffff;
	return nvd_status(&cqe);
}

/* Of nvd_status(): [13:12] CRD, [15] DNR, as in the CQE. */
#define CRD_OF(st)	(((st) >> 12) & 3)
#define DNR_OF(st)	(((st) >> 15) & 1)
#define SC_OF(st)	((st) & NVME_STATUS(7, 0xff))

static void set_grace(struct __test_metadata *_metadata, struct dp *dp,
		      unsigned long long ms)
{
	ASSERT_EQ(0, mdev_attr_write_u64(&dp->l.mdev,
					 LEAPIO_SYSFS_RUNTIME_GRACE_MS, ms));
}

/*
 * The grace period is long (60 s) and then none (0), so that which side
 * of it a command falls on does not depend on how fast TCG runs.
 */
static void never_served(struct __test_metadata *_metadata, struct dp *dp,
			 bool db_mmap)
{
	struct nvme_sqe sqe;
	uint32_t n;
	uint16_t st;

	set_grace(_metadata, dp, 60000);
	dp_open(_metadata, dp);
	if (db_mmap)
		ASSERT_EQ(0, nio_map_doorbells(&dp->io));
	/* 60 s over 5 retries: 12 s, in 100 ms units. */
	ASSERT_EQ(120, crdt1(dp));
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));

	/* Within it: retry; a delay only once the host asked for one. */
	st = read_status(_metadata, dp, 1);
	ASSERT_EQ(NVME_SC_NS_NOT_READY, st);
	ASSERT_EQ(NVME_SC_SUCCESS, set_acre(_metadata, dp, 1));
	st = read_status(_metadata, dp, 1);
	ASSERT_EQ(NVME_SC_NS_NOT_READY, SC_OF(st));
	ASSERT_EQ(0, DNR_OF(st));
	ASSERT_EQ(1, CRD_OF(st));

	/* Past it: do not retry. */
	set_grace(_metadata, dp, 0);
	ASSERT_EQ(0, nvd_disable(&dp->l.nvd));
	LIO_ENABLE(&dp->l);
	n = dp->nr - 1;
	nb_set_features(&sqe, NVME_FEAT_NUM_QUEUES, false, n | n << 16);
	ADMIN_OK(&dp->l, &sqe);
	ASSERT_EQ(0, crdt1(dp));
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	ASSERT_EQ(NVME_SC_SUCCESS, set_acre(_metadata, dp, 1));
	st = read_status(_metadata, dp, 1);
	ASSERT_EQ(NVME_SC_NS_NOT_READY | NVME_STATUS_DNR, st);
	ASSERT_EQ(0, REG_RD32(&dp->l, NVME_REG_CSTS) & NVME_CSTS_CFS);

	/* A runtime that comes later serves the queues. */
	dp_start_leapiod(_metadata, dp);
	dp_write_seed(_metadata, dp, 1, 0, 8, 7200);
	dp_read_seed(_metadata, dp, 1, 0, 8, 7200);
}

TEST_F(nort, never_served_trapped_doorbells)
{
	never_served(_metadata, &self->dp, false);
}

TEST_F(nort, never_served_mmapped_doorbells)
{
	never_served(_metadata, &self->dp, true);
}

/*
 * leapiod killed with I/O queued and not restarted: commands queued
 * after the kill (never fetched, so certainly the model's to complete)
 * and those of before it all complete, each once, within the grace
 * period and some slack; those the runtime never ran with Namespace Not
 * Ready and DNR.
 */
TEST_F_TIMEOUT(nort, killed_mid_io_not_restarted, 90)
{
	struct dp *dp = &self->dp;
	struct nvd *n = &dp->l.nvd;
	uint64_t iova = 0, prp1 = 0, prp2 = 0;
	unsigned int k, got, nnr = 0, ok = 0, seen[RL_CMDS * 2] = { 0 };
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint8_t *buf;
	int cid0 = -1, cid;

	dp_start_leapiod(_metadata, dp);
	dp_open(_metadata, dp);
	/* Room for both halves at once. */
	ASSERT_EQ(0, nvd_create_io_pair(n, 1, 4 * RL_CMDS, 1));
	buf = gmem_alloc_pages(&dp->l.mem, (size_t)RL_CMDS * 2 * RL_BYTES, &iova);
	ASSERT_NE(NULL, buf);
	for (k = 0; k < RL_CMDS * 2; k++) {
		if (k == RL_CMDS) {
			ASSERT_EQ(0, nio_ring_sq(&dp->io, 1));
			ASSERT_EQ(128 + SIGKILL, leapiod_stop(&dp->d, SIGKILL));
			ASSERT_EQ(0, leapiod_wait_runtime_pid(dp->l.mdev.uuid, 0,
							      LEAPIOD_TIMEOUT_MS));
		}
		ASSERT_EQ(0, nio_prp(&dp->io, iova + (uint64_t)k * RL_BYTES,
				     RL_BYTES, &prp1, &prp2));
		nb_rw(&sqe, nvme_cmd_write, NIO_NSID, (uint64_t)k * RL_PAGES * bpp(dp),
		      RL_PAGES * bpp(dp), prp1, prp2);
		cid = nvd_queue_sqe(n, 1, &sqe);
		ASSERT_LE(0, cid);
		if (cid0 < 0)
			cid0 = cid;
		ASSERT_EQ(cid0 + k, cid);
	}
	ASSERT_EQ(0, nio_ring_sq(&dp->io, 1));

	for (got = 0; got < RL_CMDS * 2; got++) {
		uint16_t st;

		ASSERT_EQ(0, nio_reap(&dp->io, 1, &cqe,
				      RL_GRACE_MS + 2 * NIO_TIMEOUT_MS));
		k = (uint16_t)(le16toh(cqe.cid) - cid0);
		ASSERT_LT(k, RL_CMDS * 2);
		ASSERT_EQ(0, seen[k]);
		seen[k] = 1;
		st = nvd_status(&cqe);
		if (st == NVME_SC_SUCCESS) {
			/* Only the runtime ran commands, before its kill. */
			ASSERT_LT(k, RL_CMDS);
			ok++;
			continue;
		}
		ASSERT_EQ(NVME_SC_NS_NOT_READY | NVME_STATUS_DNR, st);
		nnr++;
	}
	TH_LOG("%u completed by the runtime, %u by the driver after the grace period",
	       ok, nnr);
	ASSERT_GE(nnr, RL_CMDS);
	ASSERT_EQ(0, n->nr_stash);
	ASSERT_FALSE(nvd_cqe_ready(n, 1));
	ASSERT_EQ(0, REG_RD32(&dp->l, NVME_REG_CSTS) & NVME_CSTS_CFS);

	/* A runtime started now serves the same queues. */
	dp_start_leapiod(_metadata, dp);
	dp_write_seed(_metadata, dp, 1, 0, 8, 7300);
	dp_read_seed(_metadata, dp, 1, 0, 8, 7300);
}

/* ---- the revocation, seen by the runtime ---- */

FIXTURE(rvk) {
	struct lio l;
};

FIXTURE_SETUP(rvk)
{
	struct lio_opts o = { .no_open = true };

	lio_init(&self->l);
	LIO_SETUP(&self->l, &o);
	ASSERT_EQ(0, lio_open_shared(&self->l));
	LIO_ENABLE(&self->l);
	ASSERT_EQ(0, lio_msix_on(&self->l));
}

FIXTURE_TEARDOWN(rvk)
{
	LIO_TEARDOWN(&self->l);
}

/* LEAPIO_IOC_ATTACH to l's mdev: the vdev fd, or -errno. */
static int rvk_attach(const struct lio *l, struct leapio_attach *a)
{
	const char *s = l->mdev.uuid;
	unsigned int n = 0;
	int dev, ret;

	memset(a, 0, sizeof(*a));
	a->fd = -1;
	for (; *s && n < 32; s++) {
		unsigned int d;

		if (*s == '-')
			continue;
		d = *s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10;
		a->uuid[n / 2] |= d << (n % 2 ? 0 : 4);
		n++;
	}
	dev = open("/dev/" LEAPIO_DEV_NAME, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return -errno;
	ret = ioctl(dev, LEAPIO_IOC_ATTACH, a) < 0 ? -errno : a->fd;
	close(dev);
	return ret;
}

static int rvk_irqfd(int fd, uint32_t vector)
{
	struct leapio_irqfd q = { .vector = vector, .fd = -1 };

	return ioctl(fd, LEAPIO_VDEV_IOC_GET_IRQFD, &q) ? -errno : q.fd;
}

static sigjmp_buf rvk_jmp;

static void rvk_sigbus(int sig)
{
	siglongjmp(rvk_jmp, 1);
}

/* Whether reading *p raises SIGBUS. */
static bool rvk_faults(const volatile uint32_t *p)
{
	struct sigaction sa = { .sa_handler = rvk_sigbus }, old;
	bool faulted = false;
	uint32_t v;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(rvk_jmp, 1))
		faulted = true;
	else
		v = *p;
	sigaction(SIGBUS, &old, NULL);
	(void)v;
	return faulted;
}

/* Each of the waits takes CAP.TO. */
TEST_F_TIMEOUT(rvk, revoked_runtime_is_refused_everything, 90)
{
	struct lio *l = &self->l;
	struct leapio_attach a, a2;
	volatile uint32_t *seq;
	uint64_t one = 1;
	unsigned long long v = ~0ULL;
	int fd, fd2, irq, irq2, w;
	void *region;

	fd = rvk_attach(l, &a);
	ASSERT_LE(0, fd);
	region = mmap(NULL, a.region_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      fd, LEAPIO_MMAP_REGION_OFFSET);
	ASSERT_NE(MAP_FAILED, region);
	seq = &((struct leapio_vdev_ctrl *)((uint8_t *)region +
		((struct leapio_region_hdr *)region)->ctrl_off))->seq;
	ASSERT_FALSE(rvk_faults(seq));
	irq = rvk_irqfd(fd, 0);
	ASSERT_LE(0, irq);
	ASSERT_LE(0, evfd_take(l->msix_fd[0]));
	ASSERT_EQ(sizeof(one), write(irq, &one, sizeof(one)));
	ASSERT_EQ(1, evfd_wait(l->msix_fd[0], EVFD_TIMEOUT_MS));

	/* A reset it never acknowledges: carried out, with CFS, after CAP.TO. */
	ASSERT_EQ(0, nvd_disable(&l->nvd));
	ASSERT_EQ(NVME_CSTS_CFS, REG_RD32(l, NVME_REG_CSTS));
	ASSERT_EQ(0, mdev_attr_read_u64(&l->mdev, LEAPIO_SYSFS_RUNTIME_REVOKED, &v));
	ASSERT_EQ(1, v);
	ASSERT_EQ(0, mdev_attr_read_u64(&l->mdev, LEAPIO_SYSFS_RUNTIME_PID, &v));
	ASSERT_EQ(0, v);

	/* Nothing it had or asks for works any more. */
	ASSERT_EQ(-1, ioctl(fd, LEAPIO_VDEV_IOC_KICK));
	ASSERT_EQ(ENOLINK, errno);
	ASSERT_EQ(-ENOLINK, rvk_irqfd(fd, 0));
	w = -1;
	ASSERT_EQ(-1, ioctl(fd, LEAPIO_VDEV_IOC_SET_WAKE, &w));
	ASSERT_EQ(ENOLINK, errno);
	ASSERT_EQ(MAP_FAILED, mmap(NULL, a.region_size, PROT_READ, MAP_SHARED,
				   fd, LEAPIO_MMAP_REGION_OFFSET));
	ASSERT_EQ(ENOLINK, errno);
	ASSERT_EQ(-1, write(irq, &one, sizeof(one)));
	ASSERT_EQ(ENOLINK, errno);
	ASSERT_EQ(0, evfd_take(l->msix_fd[0]));
	ASSERT_TRUE(rvk_faults(seq));

	/* Another runtime may attach, and its eventfds work. */
	fd2 = rvk_attach(l, &a2);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, mdev_attr_read_u64(&l->mdev, LEAPIO_SYSFS_RUNTIME_PID, &v));
	ASSERT_EQ(getpid(), v);
	irq2 = rvk_irqfd(fd2, 0);
	ASSERT_LE(0, irq2);
	ASSERT_EQ(sizeof(one), write(irq2, &one, sizeof(one)));
	ASSERT_EQ(1, evfd_wait(l->msix_fd[0], EVFD_TIMEOUT_MS));
	/* The old one's still signals nothing. */
	ASSERT_EQ(-1, write(irq, &one, sizeof(one)));
	ASSERT_EQ(0, evfd_take(l->msix_fd[0]));

	/* The next enable starts clean. */
	LIO_ENABLE(l);
	ASSERT_EQ(NVME_CSTS_RDY, REG_RD32(l, NVME_REG_CSTS));
	close(irq2);
	close(fd2);
	/* Detached: its eventfds signal nothing either. */
	ASSERT_EQ(0, mdev_attr_read_u64(&l->mdev, LEAPIO_SYSFS_RUNTIME_PID, &v));
	ASSERT_EQ(0, v);
	close(irq);
	munmap(region, a.region_size);
	close(fd);
}

TEST_HARNESS_MAIN
