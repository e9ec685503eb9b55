// SPDX-License-Identifier: GPL-2.0
/*
 * A runtime that attaches while the guest's I/O queues are live
 * (Documentation/design/data-path.rst, "A runtime attaching later"): the
 * driver hands it each queue where the controller model left it, SQ head,
 * CQ tail and phase, and the doorbells as the guest last wrote them
 * (lio_dp_attach()); a runtime that replaces one that served the queues
 * takes them from the region and its journal.
 *
 * The commands outstanding at the attach are made certain by a CQ with
 * room for fewer completions than are queued: SQ 1 of LA_SQ entries
 * completes to CQ 1 of LA_CQ, and the guest reaps nothing while the
 * runtime changes. Whoever serves the queues (the model answering
 * Namespace Not Ready without a runtime, or a runtime) posts LA_CQ - 1
 * completions and must then leave the rest where they are: in the SQ or
 * in its journal. A warm-up batch first moves every position away from 0
 * so that the positions handed over wrap: the SQ before the attach, the
 * CQ (and its phase) in the middle of what the runtime posts.
 *
 * Every command must complete exactly once (its CID seen once, in a CQE
 * of the phase the guest expects at its head), with the status of who ran
 * it: Namespace Not Ready without DNR from the model within the grace
 * period (which the tests make long, so that TCG's pace cannot end it),
 * success from a runtime. Each CQE's SQ head must lie between the
 * command's slot and the tail, and the last CQE's must be the tail. The
 * data is a pattern per LBA: writes land in the backing device (those
 * answered Namespace Not Ready land nowhere), reads bring what the device
 * held, and everything reads back through the queues.
 *
 * Waits are bounded polls of what the test can see (CQ memory, sysfs,
 * the process); "nothing more is posted" is checked after a round trip
 * through the same runtime on another queue pair.
 */
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

#include "lio_dp.h"
#include "clock.h"

#define LA_SQ		8	/* room for 7 commands */
#define LA_CQ		4	/* room for 3 completions */
#define LA_ROOM		(LA_CQ - 1)
#define LA_WARM		3
#define LA_CMDS		7
#define LA_PAGES	2	/* per command: PRP1 and PRP2 */
#define LA_POISON	0x5a
/* Long enough that no wait of a test under TCG reaches it. */
#define LA_GRACE_MS	120000
/* Short enough to pass while the test waits for what follows it. */
#define LA_SHORT_GRACE_MS 300
/* LBAs: the main batch's ranges from 0, the warm-up's from here. */
#define LA_WARM_LBA	4096
/* Pattern seeds (nio_fill() per LBA: seed + LBA). */
#define LA_PRE		0x10000		/* in the device before any I/O */
#define LA_WR		0x20000		/* written by the main batch */
#define LA_WR_WARM	0x30000		/* written by the warm-up */
/* A completion from the controller model without a runtime. */
#define LA_NNR		NVME_SC_NS_NOT_READY

struct la_cmd {
	uint8_t		opc;
	uint64_t	slba;
	uint32_t	nlb;
	uint32_t	seed;		/* pattern of the data written or expected */
	uint8_t		*buf;
	uint64_t	iova;
	int		cid;
	uint16_t	slot;		/* its SQ entry */
	unsigned int	done;		/* CQEs seen */
	uint16_t	status;		/* nvd_status(): DNR and CRD included */
	uint16_t	sq_head;	/* reported in its CQE */
};

struct la_batch {
	struct la_cmd	c[LA_CMDS];
	unsigned int	nr;
	unsigned int	done;
	uint16_t	tail;		/* the SQ tail once all are queued */
	uint16_t	last_head;	/* of the last CQE reaped */
};

static uint32_t la_nlb(struct dp *dp)
{
	return LA_PAGES * (GMEM_PAGE >> dp->io.lba_shift);
}

/* nlb blocks from slba, each with its own pattern seed + LBA. */
static void la_fill(struct dp *dp, uint8_t *p, uint64_t slba, uint32_t nlb,
		    uint32_t seed)
{
	size_t bs = (size_t)1 << dp->io.lba_shift;
	uint32_t i;

	for (i = 0; i < nlb; i++)
		nio_fill(p + i * bs, bs, seed + (uint32_t)(slba + i));
}

/* Offset of the first byte that is not that pattern, or the length. */
static size_t la_check(struct dp *dp, const uint8_t *p, uint64_t slba,
		       uint32_t nlb, uint32_t seed)
{
	size_t bs = (size_t)1 << dp->io.lba_shift, off;
	uint32_t i;

	for (i = 0; i < nlb; i++) {
		off = nio_check(p + i * bs, bs, seed + (uint32_t)(slba + i));
		if (off != bs)
			return i * bs + off;
	}
	return (size_t)nlb * bs;
}

/* The backing device's blocks [slba, + nlb) hold the pattern (seed 0: zeros). */
static void la_backing_is(struct __test_metadata *_metadata, struct dp *dp,
			  uint64_t slba, uint32_t nlb, uint32_t seed)
{
	size_t len = nio_bytes(&dp->io, nlb);
	uint8_t *b = malloc(len);

	ASSERT_NE(NULL, b);
	ASSERT_EQ(0, backing_read(&dp->bk, slba << dp->io.lba_shift, b, len));
	/* Braces: the harness's macros end in a for (). */
	if (seed) {
		EXPECT_EQ(len, la_check(dp, b, slba, nlb, seed));
	} else {
		EXPECT_EQ(len, nio_check_byte(b, len, 0));
	}
	free(b);
}

static void la_backing_put(struct __test_metadata *_metadata, struct dp *dp,
			   uint64_t slba, uint32_t nlb, uint32_t seed)
{
	size_t len = nio_bytes(&dp->io, nlb);
	uint8_t *b = malloc(len);

	ASSERT_NE(NULL, b);
	la_fill(dp, b, slba, nlb, seed);
	ASSERT_EQ(0, backing_write(&dp->bk, slba << dp->io.lba_shift, b, len));
	free(b);
}

/* Command k of b: opc over [slba, + nlb) with pattern seed, a fresh buffer. */
static void la_add(struct __test_metadata *_metadata, struct dp *dp,
		   struct la_batch *b, uint8_t opc, uint64_t slba, uint32_t seed)
{
	struct la_cmd *c;
	size_t len;

	ASSERT_LT(b->nr, LA_CMDS);
	c = &b->c[b->nr++];
	memset(c, 0, sizeof(*c));
	c->opc = opc;
	c->slba = slba;
	c->nlb = la_nlb(dp);
	c->seed = seed;
	c->cid = -1;
	len = nio_bytes(&dp->io, c->nlb);
	c->buf = gmem_alloc_pages(&dp->l.mem, len, &c->iova);
	ASSERT_NE(NULL, c->buf);
	if (opc == nvme_cmd_write)
		la_fill(dp, c->buf, slba, c->nlb, seed);
	else
		memset(c->buf, LA_POISON, len);
}

/* Every command of b into SQ 1, then one ring of its tail doorbell. */
static void la_submit(struct __test_metadata *_metadata, struct dp *dp,
		      struct la_batch *b)
{
	struct nvd_queue *q = &dp->l.nvd.q[1];
	uint64_t prp1 = 0, prp2 = 0;
	struct nvme_sqe sqe;
	unsigned int k;

	for (k = 0; k < b->nr; k++) {
		struct la_cmd *c = &b->c[k];

		ASSERT_EQ(0, nio_prp(&dp->io, c->iova, nio_bytes(&dp->io, c->nlb),
				     &prp1, &prp2));
		nb_rw(&sqe, c->opc, NIO_NSID, c->slba, c->nlb, prp1, prp2);
		c->slot = q->sq_tail;
		c->cid = nvd_queue_sqe(&dp->l.nvd, 1, &sqe);
		ASSERT_LE(0, c->cid);
	}
	b->tail = q->sq_tail;
	ASSERT_EQ(0, nio_ring_sq(&dp->io, 1));
}

/* New CQEs on CQ 1 from the guest's head, without taking them. */
static unsigned int la_posted(struct dp *dp)
{
	struct nvd_queue *q = &dp->l.nvd.q[1];
	unsigned int i = q->cq_head, n = 0;
	uint8_t phase = q->phase;

	while (n < q->cq_entries && (le16toh(q->cq[i].status) & 1) == phase) {
		n++;
		if (++i == q->cq_entries) {
			i = 0;
			phase ^= 1;
		}
	}
	return n;
}

/* Wait (bounded) until want CQEs are there; then there must be exactly want. */
static void la_wait_posted(struct __test_metadata *_metadata, struct dp *dp,
			   unsigned int want)
{
	int64_t end = mono_ms() + NIO_TIMEOUT_MS;

	while (la_posted(dp) < want && mono_ms() < end)
		sched_yield();
	ASSERT_EQ(want, la_posted(dp));
}

/* (a - b) mod LA_SQ */
static uint16_t la_dist(uint16_t a, uint16_t b)
{
	return (uint16_t)((a + LA_SQ - b) % LA_SQ);
}

/*
 * Reap the next CQE of CQ 1 (it must come, in the phase expected at the
 * head) and free its slot: a command of b, seen for the first time, whose
 * SQ head lies past its own slot and not past the tail.
 */
static void la_reap_one(struct __test_metadata *_metadata, struct dp *dp,
			struct la_batch *b)
{
	struct nvme_cqe cqe;
	struct la_cmd *c = NULL;
	unsigned int k;
	uint16_t head;
	int err;

	err = nvd_reap(&dp->l.nvd, 1, &cqe, NIO_TIMEOUT_MS);
	if (err)
		TH_LOG("no completion after %u of %u (runtime_pid %llu)",
		       b->done, b->nr,
		       dp_attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_PID));
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, nio_ring_cq(&dp->io, 1));
	ASSERT_EQ(1, le16toh(cqe.sq_id));
	for (k = 0; k < b->nr; k++)
		if (b->c[k].cid == le16toh(cqe.cid))
			c = &b->c[k];
	if (!c)
		TH_LOG("a completion of no command: CID %u", le16toh(cqe.cid));
	ASSERT_NE(NULL, c);
	if (c->done)
		TH_LOG("CID %u completed twice", c->cid);
	ASSERT_EQ(0, c->done);
	c->done++;
	b->done++;
	c->status = nvd_status(&cqe);
	head = le16toh(cqe.sq_head);
	ASSERT_LT(head, LA_SQ);
	ASSERT_LE(la_dist(head, c->slot + 1), la_dist(b->tail, c->slot + 1));
	c->sq_head = head;
	b->last_head = head;
}

/* Reap until every command of b has completed. */
static void la_reap_all(struct __test_metadata *_metadata, struct dp *dp,
			struct la_batch *b)
{
	while (b->done < b->nr)
		la_reap_one(_metadata, dp, b);
	/* Everything was fetched before the last completion was posted. */
	ASSERT_EQ(b->tail, b->last_head);
}

/* The command succeeded, once, and its data is where it belongs. */
static void la_check_cmd(struct __test_metadata *_metadata, struct dp *dp,
			 const struct la_cmd *c)
{
	ASSERT_EQ(1, c->done);
	ASSERT_EQ(NVME_SC_SUCCESS, c->status);
	if (c->opc == nvme_cmd_read) {
		ASSERT_EQ(nio_bytes(&dp->io, c->nlb),
			  la_check(dp, c->buf, c->slba, c->nlb, c->seed));
	} else {
		la_backing_is(_metadata, dp, c->slba, c->nlb, c->seed);
	}
}

static void la_check_ok(struct __test_metadata *_metadata, struct dp *dp,
			const struct la_batch *b)
{
	unsigned int k;

	for (k = 0; k < b->nr; k++)
		la_check_cmd(_metadata, dp, &b->c[k]);
}

/*
 * The synchronisation point: a round trip on queue pair 2 through the
 * same runtime, after which CQ 1 must hold no more than the `held` CQEs
 * the guest left there (no completion posted twice, none of another
 * command), and none is stashed.
 */
static void la_nothing_more(struct __test_metadata *_metadata, struct dp *dp,
			    unsigned int held, uint64_t slba, uint32_t seed)
{
	dp_write_seed(_metadata, dp, 2, slba, 1, seed);
	dp_read_seed(_metadata, dp, 2, slba, 1, seed);
	ASSERT_EQ(held, la_posted(dp));
	ASSERT_EQ(0, dp->l.nvd.nr_stash);
}

/*
 * Queue pair 1 (CQ of LA_CQ, SQ of LA_SQ) and pair 2 for the
 * synchronisation round trips; the main batch's read ranges (odd k) hold
 * LA_PRE in the device.
 */
static void la_queues(struct __test_metadata *_metadata, struct dp *dp)
{
	struct nvd *n = &dp->l.nvd;
	uint16_t status = 0xffff;
	unsigned int k;

	ASSERT_EQ(0, nvd_create_cq(n, 1, LA_CQ, 1, true, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);
	ASSERT_EQ(0, nvd_create_sq(n, 1, LA_SQ, 1, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);
	ASSERT_EQ(0, nvd_create_io_pair(n, 2, 8, 2));
	for (k = 1; k < LA_CMDS; k += 2)
		la_backing_put(_metadata, dp, k * la_nlb(dp), la_nlb(dp), LA_PRE);
}

/* The warm-up: LA_WARM writes at LA_WARM_LBA, reaped. */
static void la_warm_up(struct __test_metadata *_metadata, struct dp *dp,
		       struct la_batch *w)
{
	unsigned int k;

	memset(w, 0, sizeof(*w));
	for (k = 0; k < LA_WARM; k++)
		la_add(_metadata, dp, w, nvme_cmd_write,
		       LA_WARM_LBA + k * la_nlb(dp), LA_WR_WARM);
	la_submit(_metadata, dp, w);
	la_reap_all(_metadata, dp, w);
}

/* The main batch: writes of LA_WR (even k), reads of LA_PRE (odd k). */
static void la_main(struct __test_metadata *_metadata, struct dp *dp,
		    struct la_batch *b)
{
	unsigned int k;

	memset(b, 0, sizeof(*b));
	for (k = 0; k < LA_CMDS; k++)
		la_add(_metadata, dp, b, k % 2 ? nvme_cmd_read : nvme_cmd_write,
		       k * la_nlb(dp), k % 2 ? LA_PRE : LA_WR);
	la_submit(_metadata, dp, b);
}

/* Every range of the main batch read back through SQ 1, in one batch. */
static void la_read_back(struct __test_metadata *_metadata, struct dp *dp)
{
	struct la_batch r;
	unsigned int k;

	memset(&r, 0, sizeof(r));
	for (k = 0; k < LA_CMDS; k++)
		la_add(_metadata, dp, &r, nvme_cmd_read, k * la_nlb(dp),
		       k % 2 ? LA_PRE : LA_WR);
	la_submit(_metadata, dp, &r);
	la_reap_all(_metadata, dp, &r);
	la_check_ok(_metadata, dp, &r);
}

/* ---- (a) no runtime until the queues are live with commands in them ---- */

enum la_db {
	LA_DB_TRAP,	/* every doorbell through the VFIO device file */
	LA_DB_MMAP,	/* I/O doorbells stored to BAR0's mmapped pages */
	LA_DB_DBBUF,	/* trapped, with shadow doorbells and EventIdx */
	LA_DB_MIXED,	/* pages mmapped, but trapped until the attach */
};

FIXTURE(late) {
	struct dp dp;
};

FIXTURE_VARIANT(late) {
	enum la_db db;
};

FIXTURE_VARIANT_ADD(late, trapped) { .db = LA_DB_TRAP };
FIXTURE_VARIANT_ADD(late, mmapped) { .db = LA_DB_MMAP };
FIXTURE_VARIANT_ADD(late, dbbuf) { .db = LA_DB_DBBUF };
/*
 * QEMU traps a BAR's mmapped accesses for a while after an INTx (its
 * slow path): the guest's stores reach the driver as writes, while the
 * pages stay mapped.
 */
FIXTURE_VARIANT_ADD(late, mmapped_but_trapped) { .db = LA_DB_MIXED };

FIXTURE_SETUP(late)
{
	struct dp *dp = &self->dp;
	uint16_t status = 0xffff;

	dp_create(_metadata, dp, DP_NS_SIZE, DP_NS_SIZE, 0);
	ASSERT_EQ(0, leapiod_add_vdev(&dp->d, dp->l.mdev.uuid, dp->bk.path, 0));
	ASSERT_EQ(0, mdev_attr_write_u64(&dp->l.mdev, LEAPIO_SYSFS_RUNTIME_GRACE_MS,
					 LA_GRACE_MS));
	dp_open(_metadata, dp);
	switch (variant->db) {
	case LA_DB_TRAP:
		break;
	case LA_DB_MMAP:
	case LA_DB_MIXED:
		ASSERT_EQ(0, nio_map_doorbells(&dp->io));
		break;
	case LA_DB_DBBUF:
		ASSERT_EQ(0, nio_dbbuf_on(&dp->io, &status));
		ASSERT_EQ(NVME_SC_SUCCESS, status);
		break;
	}
	/* The mapping stays; the accesses trap (nio_write_db()). */
	if (variant->db == LA_DB_MIXED)
		dp->io.db_mode = NIO_DB_TRAP;
}

FIXTURE_TEARDOWN(late)
{
	dp_teardown(_metadata, &self->dp);
}

/*
 * The guest enables the controller, creates its queues and submits with
 * no runtime: the model answers what the CQ has room for with Namespace
 * Not Ready (no DNR: retry) and leaves the rest in the SQ. leapiod then
 * starts: it must run exactly those left, post after the model's
 * completions in the right phase, and leave alone what the model
 * answered (a write answered Namespace Not Ready writes nothing).
 */
TEST_F_TIMEOUT(late, queues_live_commands_outstanding, 120)
{
	struct dp *dp = &self->dp;
	struct la_batch w, b, retry;
	struct nvme_cqe before[LA_CQ];
	unsigned int k;

	ASSERT_EQ(0, dp_attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_PID));
	la_queues(_metadata, dp);

	/* Positions away from 0: the model answers the warm-up. */
	la_warm_up(_metadata, dp, &w);
	for (k = 0; k < LA_WARM; k++) {
		ASSERT_EQ(LA_NNR, w.c[k].status);
		ASSERT_EQ((w.c[k].slot + 1) % LA_SQ, w.c[k].sq_head);
	}

	/* The SQ wraps; the model posts what the CQ has room for, in order. */
	la_main(_metadata, dp, &b);
	ASSERT_LT(b.tail, b.c[0].slot);
	la_wait_posted(_metadata, dp, LA_ROOM);
	memcpy(before, dp->l.nvd.q[1].cq, sizeof(before));

	dp_start_leapiod(_metadata, dp);
	if (variant->db == LA_DB_MIXED)
		dp->io.db_mode = NIO_DB_MMAP;
	/* The runtime went round: the full CQ is as the model left it. */
	la_nothing_more(_metadata, dp, LA_ROOM, LA_WARM_LBA * 2, 0x40000);
	ASSERT_EQ(0, memcmp(before, dp->l.nvd.q[1].cq, sizeof(before)));

	/* Free the slots one at a time: the runtime posts the rest. */
	la_reap_all(_metadata, dp, &b);
	for (k = 0; k < LA_CMDS; k++) {
		struct la_cmd *c = &b.c[k];

		if (k < LA_ROOM) {
			/* The model's, in SQ order. */
			ASSERT_EQ(LA_NNR, c->status);
			ASSERT_EQ((c->slot + 1) % LA_SQ, c->sq_head);
			if (c->opc == nvme_cmd_read) {
				ASSERT_EQ(nio_bytes(&dp->io, c->nlb),
					  nio_check_byte(c->buf, nio_bytes(&dp->io, c->nlb),
							 LA_POISON));
			} else {
				la_backing_is(_metadata, dp, c->slba, c->nlb, 0);
			}
			continue;
		}
		/* The runtime's: run once, data in place. */
		la_check_cmd(_metadata, dp, c);
	}
	/* Nothing the model answered was run again: the warm-up wrote nothing. */
	for (k = 0; k < LA_WARM; k++)
		la_backing_is(_metadata, dp, w.c[k].slba, w.c[k].nlb, 0);
	la_nothing_more(_metadata, dp, 0, LA_WARM_LBA * 2 + 8, 0x40100);

	/* The guest retries what got Namespace Not Ready. */
	memset(&retry, 0, sizeof(retry));
	for (k = 0; k < LA_ROOM; k++)
		la_add(_metadata, dp, &retry, b.c[k].opc, b.c[k].slba, b.c[k].seed);
	la_submit(_metadata, dp, &retry);
	la_reap_all(_metadata, dp, &retry);
	la_check_ok(_metadata, dp, &retry);

	la_read_back(_metadata, dp);
	la_nothing_more(_metadata, dp, 0, LA_WARM_LBA * 2 + 16, 0x40200);
}

/* ---- (b) one runtime replaced by another with commands outstanding ---- */

enum la_swap {
	LA_SWAP_KILL,	/* the first dies (SIGKILL) */
	LA_SWAP_TERM,	/* the first drains and exits (SIGTERM) */
	LA_SWAP_BUSY,	/* the second starts while the first is attached */
	LA_SWAP_TAKEBACK, /* the first dies, the model takes the queues back */
};

FIXTURE(swap) {
	struct dp dp;
	struct leapiod d2;
};

FIXTURE_VARIANT(swap) {
	enum la_swap how;
};

FIXTURE_VARIANT_ADD(swap, killed) { .how = LA_SWAP_KILL };
FIXTURE_VARIANT_ADD(swap, terminated) { .how = LA_SWAP_TERM };
FIXTURE_VARIANT_ADD(swap, second_while_attached) { .how = LA_SWAP_BUSY };
FIXTURE_VARIANT_ADD(swap, after_takeback) { .how = LA_SWAP_TAKEBACK };

FIXTURE_SETUP(swap)
{
	struct dp *dp = &self->dp;

	leapiod_init(&self->d2);
	dp_create(_metadata, dp, DP_NS_SIZE, DP_NS_SIZE, 0);
	ASSERT_EQ(0, leapiod_add_vdev(&dp->d, dp->l.mdev.uuid, dp->bk.path, 0));
	/* No runtime for a while must not end the wait for the next. */
	ASSERT_EQ(0, mdev_attr_write_u64(&dp->l.mdev, LEAPIO_SYSFS_RUNTIME_GRACE_MS,
					 LA_GRACE_MS));
	dp_start_leapiod(_metadata, dp);
	dp_open(_metadata, dp);
}

FIXTURE_TEARDOWN(swap)
{
	if (_metadata->exit_code == KSFT_FAIL)
		leapiod_dump_log(&self->d2, stderr);
	leapiod_fini(&self->d2);
	dp_teardown(_metadata, &self->dp);
}

/*
 * leapiod serves; the CQ is full and the rest of a batch waits (in the SQ
 * or in its journal) when it goes away and a second one attaches: every
 * command completes exactly once, with success, its data in place.
 * A second leapiod started while the first is attached is refused (the
 * driver's EBUSY: one runtime per mdev), exits 1 saying so, and changes
 * nothing: the first goes on serving. When none comes within the grace
 * period the model takes the queues back and answers what the first
 * left, Namespace Not Ready with DNR, as the CQ gives it room (one slot
 * here): a runtime attaching after that gets the rest, handed over from
 * the model, and a command of either is completed by one of them only.
 */
TEST_F_TIMEOUT(swap, runtime_replaced_commands_outstanding, 120)
{
	struct dp *dp = &self->dp;
	struct la_batch w, b;
	struct nvme_cqe before[LA_CQ];
	pid_t first = dp->d.pid;
	unsigned int k, dnr = 0;
	int st;

	la_queues(_metadata, dp);
	la_warm_up(_metadata, dp, &w);
	la_check_ok(_metadata, dp, &w);
	if (variant->how == LA_SWAP_TAKEBACK)
		ASSERT_EQ(0, mdev_attr_write_u64(&dp->l.mdev,
						 LEAPIO_SYSFS_RUNTIME_GRACE_MS,
						 LA_SHORT_GRACE_MS));

	la_main(_metadata, dp, &b);
	ASSERT_LT(b.tail, b.c[0].slot);
	la_wait_posted(_metadata, dp, LA_ROOM);
	memcpy(before, dp->l.nvd.q[1].cq, sizeof(before));

	switch (variant->how) {
	case LA_SWAP_KILL:
	case LA_SWAP_TERM:
		st = leapiod_stop(&dp->d, variant->how == LA_SWAP_KILL ? SIGKILL : SIGTERM);
		ASSERT_EQ(variant->how == LA_SWAP_KILL ? 128 + SIGKILL : 0, st);
		ASSERT_EQ(0, leapiod_wait_runtime_pid(dp->l.mdev.uuid, 0,
						      LEAPIOD_TIMEOUT_MS));
		/* Nobody posts into a full CQ, not the one going away. */
		ASSERT_EQ(0, memcmp(before, dp->l.nvd.q[1].cq, sizeof(before)));
		dp_start_leapiod(_metadata, dp);
		ASSERT_NE(first, dp->d.pid);
		break;
	case LA_SWAP_BUSY:
		ASSERT_EQ(0, leapiod_add_vdev(&self->d2, dp->l.mdev.uuid,
					      dp->bk.path, 0));
		snprintf(self->d2.log, sizeof(self->d2.log),
			 "/tmp/leapiod-ksft-%d-second.log", getpid());
		unlink(self->d2.log);
		ASSERT_EQ(-ECHILD, leapiod_start(&self->d2));
		ASSERT_TRUE(WIFEXITED(self->d2.status));
		ASSERT_EQ(1, WEXITSTATUS(self->d2.status));
		ASSERT_TRUE(leapiod_log_has(&self->d2, "another runtime serves it"));
		ASSERT_TRUE(leapiod_alive(&dp->d));
		ASSERT_EQ(first, dp_attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_PID));
		ASSERT_EQ(0, memcmp(before, dp->l.nvd.q[1].cq, sizeof(before)));
		break;
	case LA_SWAP_TAKEBACK:
		ASSERT_EQ(128 + SIGKILL, leapiod_stop(&dp->d, SIGKILL));
		ASSERT_EQ(0, leapiod_wait_runtime_pid(dp->l.mdev.uuid, 0,
						      LEAPIOD_TIMEOUT_MS));
		ASSERT_EQ(0, memcmp(before, dp->l.nvd.q[1].cq, sizeof(before)));
		/* One slot freed: past the grace period the model fills it. */
		la_reap_one(_metadata, dp, &b);
		la_wait_posted(_metadata, dp, LA_ROOM);
		dp_start_leapiod(_metadata, dp);
		break;
	}

	la_reap_all(_metadata, dp, &b);
	for (k = 0; k < LA_CMDS; k++) {
		if (b.c[k].status == (NVME_SC_NS_NOT_READY | NVME_STATUS_DNR)) {
			dnr++;
			continue;
		}
		la_check_cmd(_metadata, dp, &b.c[k]);
	}
	/* The one slot the model had, or none. */
	ASSERT_EQ(variant->how == LA_SWAP_TAKEBACK, dnr);
	for (k = 0; k < LA_CMDS && dnr; k++) {
		struct la_batch retry;

		if (b.c[k].status == NVME_SC_SUCCESS)
			continue;
		/* Run or not by the first, the guest's retry decides. */
		memset(&retry, 0, sizeof(retry));
		la_add(_metadata, dp, &retry, b.c[k].opc, b.c[k].slba, b.c[k].seed);
		la_submit(_metadata, dp, &retry);
		la_reap_all(_metadata, dp, &retry);
		la_check_ok(_metadata, dp, &retry);
	}
	la_nothing_more(_metadata, dp, 0, LA_WARM_LBA * 2, 0x50000);
	la_read_back(_metadata, dp);
	for (k = 0; k < LA_WARM; k++)
		la_backing_is(_metadata, dp, w.c[k].slba, w.c[k].nlb, LA_WR_WARM);
	la_nothing_more(_metadata, dp, 0, LA_WARM_LBA * 2 + 8, 0x50100);
}

TEST_HARNESS_MAIN
