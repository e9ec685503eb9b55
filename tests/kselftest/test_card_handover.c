// SPDX-License-Identifier: GPL-2.0
/*
 * The live hand-over of a vdev between a host-mode leapiod and the
 * card's (Documentation/design/soc-mode.rst, "Hand-over"), under I/O
 * that is in flight at every flip and checked afterwards. In the
 * loopback-card L1 only (run.sh --card-list): one mdev in card DRAM, two
 * leapiod processes on the same backend, a host-mode one (--vdev) and a
 * card-mode one (a JSON configuration with the card section), and a
 * device-mapper delay device under both (lib/dm_delay.h).
 *
 * Each flip: every queue gets a batch (writes of fresh patterns, reads of
 * data written before), the delay device holds all of it, and only once
 * it holds exactly the batch is the vdev handed over (leapio/runtime).
 * The serving runtime must let go of a batch it has at its backend: the
 * test waits for its log to say how many commands it is draining (all of
 * them), and only then lets the backend go. The hand-over returns once the
 * other runtime serves; then every command has completed exactly once with
 * success (CIDs tracked, and a further round trip on each queue finds no
 * stray completion before its own), reads hold their data, writes read
 * back, CSTS.RDY stayed 1 and CFS 0, and no runtime was revoked
 * (runtime_revoked) while each host to card flip was a let go
 * (runtime_let_go). At the end the backing device holds the last writes
 * and no page is left pinned once VFIO closes.
 *
 * A host runtime that does not answer (SIGSTOP) is revoked after CAP.TO,
 * the card redoes exactly its journal and completes each command once;
 * and runtime takes nothing but "host" or "card", and only on an mdev
 * whose region is in card DRAM.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "lio_dp.h"
#include "card_mode.h"
#include "card_side.h"
#include "soc_card.h"

#define HO_NQ		3	/* queue pairs with I/O at every flip */
#define HO_CMDS		4	/* per queue: 2 writes, 2 reads */
/* In flight at once: within the card's staging buffers (16 of 1 MiB). */
#define HO_ALL		(HO_NQ * HO_CMDS)
#define HO_QSIZE	32
#define HO_PAGES	8
#define HO_BYTES	(HO_PAGES * GMEM_PAGE)
#define DPB_CMDS	HO_CMDS
#define DPB_PAGES	HO_PAGES
#include "lio_dp_batch.h"
#define HO_FLIPS	6	/* host -> card -> host, three times */
/* The harness's bound on a test: TCG, six flips, or CAP.TO and three. */
#define HO_TIMEOUT_S	300
/* What a runtime logs when it lets go with commands at its backend. */
#define HO_DRAINING	" commands at the backend, draining"

FIXTURE(ho) {
	struct card_mode	cm;
	struct dp		dp;
	struct dm_delay		dm;
	struct leapiod		cd;	/* the card's */
	unsigned int		lines[2];	/* HO_DRAINING lines seen: host, card */
	bool			up;		/* past the card's bind: tear down */
};

/* The card's leapiod has published its doorbell (card_ready reads 1). */
static int card_ready_wait(const struct card_mode *cm)
{
	char path[96], buf[8];
	int64_t t0 = mono_ms();
	int err;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/card_ready",
		 cm->rig.host);
	for (;;) {
		err = sysfs_read(path, buf, sizeof(buf));
		if (err >= 0 && buf[0] == '1')
			return 0;
		if (mono_ms() - t0 > LEAPIOD_TIMEOUT_MS)
			return err < 0 ? err : -ETIMEDOUT;
		usleep(20000);
	}
}

/* The card-mode leapiod, from a configuration of our own, not handed to. */
static int card_leapiod_start(struct card_mode *cm, struct leapiod *cd,
			      const char *uuid, const char *path)
{
	char card[512];
	FILE *f;
	int err;

	err = card_mode_json(card, sizeof(card));
	if (err)
		return err;
	snprintf(cd->log, sizeof(cd->log), "/tmp/leapiod-ksft-%d-card.log", getpid());
	unlink(cd->log);
	snprintf(cd->config, sizeof(cd->config), "/tmp/leapiod-ksft-%d-card.json",
		 getpid());
	f = fopen(cd->config, "we");
	if (!f)
		return -errno;
	fprintf(f, "{\n  %s,\n  \"vdevs\": [\n    {\"uuid\": \"%s\", \"backend\": "
		"{\"type\": \"block\", \"path\": \"%s\", \"offset\": 0}}\n  ]\n}\n",
		card, uuid, path);
	if (fclose(f))
		return -errno;
	/* No vdev added: leapiod_start() waits for no runtime_pid. */
	err = leapiod_start(cd);
	return err ? err : card_ready_wait(cm);
}

FIXTURE_SETUP(ho)
{
	struct dp *dp = &self->dp;
	uint16_t q;
	int err;

	self->dm.ctl = -1;
	leapiod_init(&self->cd);
	memset(&self->cm, 0, sizeof(self->cm));
	if (!soc_ivshmem_count())
		SKIP(return, "not the loopback-card L1 (no ivshmem functions)");
	err = card_mode_up(&self->cm);
	if (err)
		TH_LOG("card mode: %s", strerror(-err));
	ASSERT_EQ(0, err);
	self->up = true;
	/* The card bound first: the mdev's region is in card DRAM. */
	dp_create(_metadata, dp, DP_NS_SIZE, DP_NS_SIZE, 0);
	err = dm_delay_create(&self->dm, dp->bk.path);
	if (err)
		TH_LOG("dm-delay device over %s: %s", dp->bk.path, strerror(-err));
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, leapiod_add_vdev(&dp->d, dp->l.mdev.uuid, self->dm.path, 0));
	dp_start_leapiod(_metadata, dp);
	dp_open(_metadata, dp);
	ASSERT_GE(dp->nr, HO_NQ);
	for (q = 1; q <= HO_NQ; q++)
		ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, q, HO_QSIZE, q));
	err = card_leapiod_start(&self->cm, &self->cd, dp->l.mdev.uuid,
				 self->dm.path);
	if (err) {
		TH_LOG("card-mode leapiod: %s", strerror(-err));
		leapiod_dump_log(&self->cd, stderr);
	}
	ASSERT_EQ(0, err);
}

FIXTURE_TEARDOWN(ho)
{
	struct dp *dp = &self->dp;
	char who[16] = "";
	int st;

	if (!self->up) {
		EXPECT_EQ(0, card_mode_down(&self->cm));
		return;
	}
	if (self->dm.created)
		EXPECT_EQ(0, dm_delay_release(&self->dm));
	/* Whoever serves it, the host's runtime closes it. */
	if (dp->l.mdev.created &&
	    mdev_attr_read(&dp->l.mdev, LEAPIO_SYSFS_RUNTIME, who, sizeof(who)) >= 0 &&
	    !strncmp(who, "card", 4))
		EXPECT_EQ(0, card_mode_handover(dp->l.mdev.uuid, "host"));
	dp_teardown(_metadata, dp);
	if (self->cd.pid) {
		st = leapiod_stop(&self->cd, SIGTERM);
		EXPECT_EQ(0, st);
		if (st)
			_metadata->exit_code = KSFT_FAIL;
	}
	if (_metadata->exit_code == KSFT_FAIL)
		leapiod_dump_log(&self->cd, stderr);
	leapiod_fini(&self->cd);
	EXPECT_EQ(0, dm_delay_destroy(&self->dm));
	EXPECT_EQ(0, card_mode_down(&self->cm));
}

/*
 * One more command on the queue, and the next CQE of its CQ must be its
 * own: a duplicate of anything before would have come first.
 */
static void queue_sync(struct __test_metadata *_metadata, struct dp *dp,
		       struct batch *b)
{
	uint64_t prp1 = 0, prp2 = 0;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	int cid;

	ASSERT_EQ(0, nio_prp(&dp->io, b->iova, GMEM_PAGE, &prp1, &prp2));
	nb_rw(&sqe, nvme_cmd_read, NIO_NSID, batch_lba(dp, b, 1), bpp(dp),
	      prp1, prp2);
	cid = nio_submit(&dp->io, b->qid, &sqe);
	ASSERT_GE(cid, 0);
	ASSERT_EQ(0, nio_reap(&dp->io, b->qid, &cqe, NIO_TIMEOUT_MS));
	EXPECT_EQ(b->qid, le16toh(cqe.sq_id));
	ASSERT_EQ(cid, le16toh(cqe.cid));
	ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
}

/* The backing device itself holds the batch's writes. */
static void batch_on_disk(struct __test_metadata *_metadata, struct dp *dp,
			  struct batch *b)
{
	unsigned int k;
	uint8_t *p = malloc(HO_BYTES);

	ASSERT_NE(NULL, p);
	for (k = 0; k < HO_CMDS; k += 2) {
		EXPECT_EQ(0, backing_read(&dp->bk, batch_lba(dp, b, k) << dp->io.lba_shift,
					  p, HO_BYTES));
		EXPECT_EQ(HO_BYTES, nio_check(p, HO_BYTES, b->seed0 + k));
	}
	free(p);
}

/* CSTS.RDY 1, CFS 0: no reset, no failure. */
static void ctrl_ok(struct __test_metadata *_metadata, struct dp *dp)
{
	uint32_t csts = 0;

	ASSERT_EQ(0, nvd_rd32(&dp->l.nvd, NVME_REG_CSTS, &csts));
	EXPECT_TRUE(csts & NVME_CSTS_RDY);
	EXPECT_FALSE(csts & NVME_CSTS_CFS);
}

static unsigned long long attr(struct __test_metadata *_metadata,
			       struct dp *dp, const char *name)
{
	return dp_attr(_metadata, dp, name);
}

/* ---- the flip ---- */

struct flip {
	const char	*uuid;
	const char	*to;
	int		err;
};

static void *flip_main(void *arg)
{
	struct flip *f = arg;

	f->err = card_mode_handover(f->uuid, f->to);
	return NULL;
}

/*
 * The HO_DRAINING lines in a leapiod log: how many, and the count the
 * last one gives. -errno when the log cannot be read.
 */
static int drain_lines(const char *log, unsigned int *lines, unsigned int *count)
{
	char line[256], *at;
	FILE *f = fopen(log, "re");

	if (!f)
		return -errno;
	*lines = 0;
	while (fgets(line, sizeof(line), f)) {
		at = strstr(line, HO_DRAINING);
		if (!at)
			continue;
		while (at > line && at[-1] >= '0' && at[-1] <= '9')
			at--;
		*count = (unsigned int)strtoul(at, NULL, 10);
		(*lines)++;
	}
	fclose(f);
	return 0;
}

/* A new HO_DRAINING line in log (bounded): the count it gives. */
static int drain_said(const char *log, unsigned int *seen, unsigned int *count)
{
	int64_t t0 = mono_ms();
	unsigned int lines = 0;
	int err;

	for (;;) {
		err = drain_lines(log, &lines, count);
		if (!err && lines > *seen) {
			*seen = lines;
			return 0;
		}
		if (mono_ms() - t0 > NIO_TIMEOUT_MS)
			return err ? err : -ETIMEDOUT;
		usleep(5000);
	}
}

/*
 * Hand the vdev to `to` while the delay device holds every command of
 * the batches: the runtime that serves must say it drains all of them,
 * and only then does the backend let them go. The hand-over's result.
 */
static void flip_under_io(struct __test_metadata *_metadata,
			  FIXTURE_DATA(ho) *self, const char *to)
{
	bool to_card = !strcmp(to, "card");
	struct leapiod *from = to_card ? &self->dp.d : &self->cd;
	unsigned int *seen = &self->lines[to_card ? 0 : 1];
	struct flip f = { self->dp.l.mdev.uuid, to, -1 };
	unsigned int n = 0, r = 0, w = 0;
	pthread_t t;
	int said, held;

	ASSERT_EQ(0, pthread_create(&t, NULL, flip_main, &f));
	said = drain_said(from->log, seen, &n);
	/* Nothing completed while the hand-over waited for the drain. */
	held = dm_delay_held(&self->dm, &r, &w);
	/* Whatever was seen, the backend goes and the hand-over ends. */
	EXPECT_EQ(0, dm_delay_release(&self->dm));
	pthread_join(t, NULL);
	if (said)
		TH_LOG("%s's leapiod never said it drains: %s", to_card ? "the host" : "the card",
		       strerror(-said));
	ASSERT_EQ(0, said);
	ASSERT_EQ(0, held);
	EXPECT_EQ(HO_ALL, n);
	EXPECT_EQ(HO_ALL / 2, r);
	EXPECT_EQ(HO_ALL / 2, w);
	if (f.err)
		TH_LOG("runtime=%s: %s", to, strerror(-f.err));
	ASSERT_EQ(0, f.err);
}

/* Who serves it now: the card (no host runtime attached), or the host's. */
static void served_by(struct __test_metadata *_metadata, FIXTURE_DATA(ho) *self,
		      const char *to)
{
	struct dp *dp = &self->dp;
	char who[16] = "";

	ASSERT_LE(0, mdev_attr_read(&dp->l.mdev, LEAPIO_SYSFS_RUNTIME, who, sizeof(who)));
	ASSERT_EQ(0, strncmp(who, to, strlen(to)));
	if (!strcmp(to, "card")) {
		EXPECT_EQ(0, attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_PID));
	} else {
		ASSERT_EQ(0, leapiod_wait_runtime_pid(dp->l.mdev.uuid, dp->d.pid,
						      LEAPIOD_TIMEOUT_MS));
	}
}

static void round_start(struct __test_metadata *_metadata, FIXTURE_DATA(ho) *self,
			struct batch *b, uint32_t seed)
{
	struct dp *dp = &self->dp;
	uint16_t q;

	for (q = 1; q <= HO_NQ; q++)
		batch_prep(_metadata, dp, &b[q], q, seed + q * 64);
	ASSERT_EQ(0, dm_delay_hold(&self->dm, true, true));
	for (q = 1; q <= HO_NQ; q++)
		batch_submit(_metadata, dp, &b[q]);
	held_is(_metadata, &self->dm, HO_ALL / 2, HO_ALL / 2);
}

static void round_end(struct __test_metadata *_metadata, FIXTURE_DATA(ho) *self,
		      struct batch *b)
{
	struct dp *dp = &self->dp;
	uint16_t q;

	for (q = 1; q <= HO_NQ; q++)
		batch_collect(_metadata, dp, &b[q]);
	for (q = 1; q <= HO_NQ; q++)
		queue_sync(_metadata, dp, &b[q]);
	for (q = 1; q <= HO_NQ; q++)
		batch_verify(_metadata, dp, &b[q], b[q].qid);
	ctrl_ok(_metadata, dp);
}

TEST_F_TIMEOUT(ho, graceful_both_ways_under_io, HO_TIMEOUT_S)
{
	struct dp *dp = &self->dp;
	struct batch b[HO_NQ + 1];
	unsigned long long revoked0, let_go0;
	unsigned int i;
	uint16_t q;

	memset(b, 0, sizeof(b));
	revoked0 = attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_REVOKED);
	let_go0 = attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_LET_GO);
	for (i = 0; i < HO_FLIPS; i++) {
		const char *to = i & 1 ? "host" : "card";

		round_start(_metadata, self, b, 1000 * (i + 1));
		flip_under_io(_metadata, self, to);
		served_by(_metadata, self, to);
		round_end(_metadata, self, b);
		/* The graceful path: nobody revoked, each host one let go. */
		EXPECT_EQ(revoked0, attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_REVOKED));
		EXPECT_EQ(let_go0 + i / 2 + 1,
			  attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_LET_GO));
	}
	served_by(_metadata, self, "host");
	for (q = 1; q <= HO_NQ; q++)
		batch_on_disk(_metadata, dp, &b[q]);
	/* Both leapiods are still there, neither was told it lost the vdev. */
	EXPECT_TRUE(leapiod_alive(&dp->d));
	EXPECT_TRUE(leapiod_alive(&self->cd));
}

/*
 * The host runtime is stopped with the batch at its backend: it cannot
 * answer, and is revoked at CAP.TO; the card redoes exactly the journal
 * (the backend then holds both copies of each command) and completes each
 * command once. Resumed, the host runtime finds it lost the vdev and
 * serves it again once it is handed back.
 */
TEST_F_TIMEOUT(ho, unanswered_let_go_is_revoked, HO_TIMEOUT_S)
{
	struct dp *dp = &self->dp;
	struct batch b[HO_NQ + 1];
	unsigned long long revoked0, let_go0;
	struct flip f = { dp->l.mdev.uuid, "card", -1 };
	pthread_t t;
	uint16_t q;

	memset(b, 0, sizeof(b));
	revoked0 = attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_REVOKED);
	let_go0 = attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_LET_GO);
	round_start(_metadata, self, b, 7000);
	/* Stopped before it is asked: it never sees the request. */
	ASSERT_EQ(0, leapiod_freeze(&dp->d));
	ASSERT_EQ(0, pthread_create(&t, NULL, flip_main, &f));
	pthread_join(t, NULL);
	if (f.err)
		TH_LOG("runtime=card with the host runtime stopped: %s",
		       strerror(-f.err));
	EXPECT_EQ(0, f.err);
	EXPECT_EQ(revoked0 + 1, attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_REVOKED));
	EXPECT_EQ(let_go0, attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_LET_GO));
	/* The card redid all of it: the stopped one's requests and its own. */
	held_is(_metadata, &self->dm, HO_ALL, HO_ALL);
	ASSERT_EQ(0, dm_delay_release(&self->dm));
	served_by(_metadata, self, "card");
	round_end(_metadata, self, b);

	/* Resumed: it finds itself revoked, drains and waits. */
	ASSERT_EQ(0, kill(dp->d.pid, SIGCONT));
	ASSERT_EQ(0, card_mode_handover(dp->l.mdev.uuid, "host"));
	served_by(_metadata, self, "host");
	EXPECT_TRUE(leapiod_log_has(&dp->d, "revoked by the driver"));
	EXPECT_EQ(revoked0 + 1, attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_REVOKED));
	/* Serving again, and gracefully so. */
	round_start(_metadata, self, b, 8000);
	ASSERT_EQ(0, dm_delay_release(&self->dm));
	round_end(_metadata, self, b);
	for (q = 1; q <= HO_NQ; q++)
		batch_on_disk(_metadata, dp, &b[q]);
	EXPECT_TRUE(leapiod_alive(&dp->d));
}

/* ---- bad input ---- */

static int runtime_write(const char *uuid, const char *val)
{
	return card_mode_handover(uuid, val);
}

TEST(runtime_bad_input)
{
	struct lio_opts o = { .no_open = true };
	const char *bad[] = { "disk", "Card", "hostcard", "host card", "0" };
	struct card_mode cm;
	struct lio plain, carded;
	char who[16], slot[16], was[32] = "";
	unsigned int i;

	memset(&cm, 0, sizeof(cm));
	lio_init(&plain);
	lio_init(&carded);
	if (!soc_ivshmem_count())
		SKIP(return, "not the loopback-card L1 (no ivshmem functions)");
	/* Created with no card bound: its region is in host memory. */
	ASSERT_LE(0, card_param_read(was, sizeof(was)));
	was[strcspn(was, "\n")] = 0;
	if (was[0])
		ASSERT_EQ(0, card_param_write(""));
	LIO_SETUP(&plain, &o);
	ASSERT_LE(0, mdev_attr_read(&plain.mdev, LEAPIO_SYSFS_CARD_SLOT, slot, sizeof(slot)));
	ASSERT_EQ(0, strncmp(slot, "-1", 2));
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(-EINVAL, runtime_write(plain.mdev.uuid, bad[i]));
	EXPECT_EQ(-ENODEV, runtime_write(plain.mdev.uuid, "card"));
	EXPECT_EQ(-ENODEV, runtime_write(plain.mdev.uuid, "host"));

	ASSERT_EQ(0, card_mode_up(&cm));
	LIO_SETUP(&carded, &o);
	ASSERT_LE(0, mdev_attr_read(&carded.mdev, LEAPIO_SYSFS_CARD_SLOT, slot, sizeof(slot)));
	ASSERT_NE(0, strncmp(slot, "-1", 2));
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(-EINVAL, runtime_write(carded.mdev.uuid, bad[i]));
	/* Already the host's: nothing to do. */
	EXPECT_EQ(0, runtime_write(carded.mdev.uuid, "host\n"));
	ASSERT_LE(0, mdev_attr_read(&carded.mdev, LEAPIO_SYSFS_RUNTIME, who, sizeof(who)));
	EXPECT_EQ(0, strncmp(who, "host", 4));
	/* The one made before the card still is not the card's. */
	EXPECT_EQ(-ENODEV, runtime_write(plain.mdev.uuid, "card"));
	ASSERT_LE(0, mdev_attr_read(&plain.mdev, LEAPIO_SYSFS_RUNTIME, who, sizeof(who)));
	EXPECT_EQ(0, strncmp(who, "host", 4));

	EXPECT_EQ(0, mdev_remove(&carded.mdev));
	EXPECT_EQ(0, mdev_remove(&plain.mdev));
	EXPECT_EQ(0, card_mode_down(&cm));
	/* As it was found. */
	if (was[0])
		EXPECT_EQ(0, card_param_write(was));
}

TEST_HARNESS_MAIN
