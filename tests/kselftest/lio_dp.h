/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the data path tests share: one device served by leapiod. A loop
 * device over a memfd (lib/backing.h) is the backend, the mdev is created
 * with a namespace of the same size, leapiod is started for it and waited
 * for (runtime_pid), the controller is enabled with MSI-X wired, and
 * namespace 1 is identified (lib/nvme_io.h). Teardown closes VFIO (every
 * pin must be gone then), removes the mdev and stops leapiod with SIGTERM,
 * which must exit 0; its log is copied to stderr when a test failed.
 *
 * Built with LIO_DP_CARD 1 (the test_card_<set>.c files, which include a
 * set's source), the same tests run with the card serving: the card is
 * brought up before the mdev is created, so its region is in card DRAM,
 * leapiod runs in card mode and each vdev is handed to it
 * (lib/card_mode.h); teardown takes the card down again.
 */
#ifndef LEAPIO_KSFT_LIO_DP_H
#define LEAPIO_KSFT_LIO_DP_H

#include <signal.h>

#include "lio_test.h"
#include "backing.h"
#include "card_mode.h"
#include "nvmet.h"
#include "leapiod.h"
#include "nvme_io.h"

#define DP_NS_SIZE	(16ULL << 20)

#ifndef LIO_DP_CARD
#define LIO_DP_CARD	0
#endif
/*
 * Built with LIO_DP_REMOTE "tcp" or "rdma" (the test_remote_<set>.c
 * files), the backing device is exported by the kernel's NVMe-oF target
 * (lib/nvmet.h) and leapiod serves the vdev from its nvme+tcp:// URI, so
 * the same tests check the remote backend; teardown checks that leapiod
 * disconnected when it exited.
 */
#ifndef LIO_DP_REMOTE
#define LIO_DP_REMOTE	NULL
#endif

struct dp {
	struct backing	bk;
	struct leapiod	d;
	struct lio	l;
	struct nio	io;
	uint16_t	nr;		/* I/O queue pairs of the type */
	struct card_mode cm;		/* LIO_DP_CARD: what to take down */
	struct nvmet_export nv;		/* LIO_DP_REMOTE: the export */
};

/* The backing device, an mdev of ns_size bytes, not yet opened or served. */
static inline void dp_create(struct __test_metadata *_metadata, struct dp *dp,
			     uint64_t ns_size, uint64_t backing_size,
			     unsigned int lba_size)
{
	struct lio_opts o = { .ns_size = ns_size, .lba_size = lba_size,
			      .no_open = true };
	int err;

	leapiod_init(&dp->d);
	lio_init(&dp->l);
	memset(&dp->cm, 0, sizeof(dp->cm));
	dp->bk.file = dp->bk.loop = -1;
	if (LIO_DP_CARD) {
		err = card_mode_up(&dp->cm);
		if (err)
			TH_LOG("card mode: %s (the loopback-card L1's devices?)",
			       strerror(-err));
		ASSERT_EQ(0, err);
		dp->d.card = true;
	}
	memset(&dp->nv, 0, sizeof(dp->nv));
	err = backing_create(&dp->bk, backing_size, lba_size ? lba_size : 512);
	if (err)
		TH_LOG("backing store: %s (is the loop module loaded?)", strerror(-err));
	ASSERT_EQ(0, err);
	if (LIO_DP_REMOTE) {
		char why[256] = "";

		err = nvmet_net_up(LIO_DP_REMOTE, why, sizeof(why));
		if (!err)
			err = nvmet_export(&dp->nv, LIO_DP_REMOTE, dp->bk.path, why,
					   sizeof(why));
		if (err)
			TH_LOG("nvmet over %s: %s", (const char *)LIO_DP_REMOTE, why);
		ASSERT_EQ(0, err);
	}
	LIO_SETUP(&dp->l, &o);
}

/* Open the created mdev with shared guest memory (a runtime can map only
 * pages of a file), enable it, wire MSI-X, identify namespace 1. With a
 * peer: as another device of peer's VM (lio_open_beside).
 */
static inline void dp_open_beside(struct __test_metadata *_metadata,
				  struct dp *dp, struct dp *peer)
{
	struct nvme_sqe sqe;
	uint32_t n;

	ASSERT_EQ(0, peer ? lio_open_beside(&dp->l, &peer->l) :
			    lio_open_shared(&dp->l));
	LIO_ENABLE(&dp->l);
	ASSERT_EQ(0, lio_msix_on(&dp->l));
	ASSERT_EQ(0, nio_init(&dp->io, &dp->l));
	dp->nr = dp->l.mdev.nr_ioq;
	/* As nvme-pci does before creating queues: ask for all of them. */
	n = dp->nr - 1;
	nb_set_features(&sqe, NVME_FEAT_NUM_QUEUES, false, n | n << 16);
	ADMIN_OK(&dp->l, &sqe);
}

static inline void dp_open(struct __test_metadata *_metadata, struct dp *dp)
{
	dp_open_beside(_metadata, dp, NULL);
}

/*
 * Two mdevs of ns bytes for one leapiod (a's) from a's backing device: a
 * at its start, b right after it; b has no backing of its own. Neither
 * served nor opened yet.
 */
static inline void dp_create_pair(struct __test_metadata *_metadata,
				  struct dp *a, struct dp *b, uint64_t ns)
{
	struct lio_opts o = { .ns_size = ns, .no_open = true };

	leapiod_init(&b->d);
	lio_init(&b->l);
	b->bk.file = b->bk.loop = -1;
	dp_create(_metadata, a, ns, 2 * ns, 0);
	{ ASSERT_EQ(0, lio_setup(&b->l, &o)); }
	{ ASSERT_EQ(0, leapiod_add_vdev(&a->d, a->l.mdev.uuid, a->bk.path,
					a->bk.base)); }
	{ ASSERT_EQ(0, leapiod_add_vdev(&a->d, b->l.mdev.uuid, a->bk.path,
					a->bk.base + ns)); }
}

static inline void dp_start_leapiod(struct __test_metadata *_metadata,
				    struct dp *dp)
{
	int err = leapiod_start(&dp->d);

	if (err) {
		TH_LOG("leapiod (%s) did not attach: %s",
		       leapiod_binary() ? leapiod_binary() : "not built: make",
		       strerror(-err));
		leapiod_dump_log(&dp->d, stderr);
	}
	ASSERT_EQ(0, err);
	if (LIO_DP_CARD) {
		char who[16] = "";
		unsigned long long pid = ~0ULL;

		/* Served by the card: no host runtime attached. */
		{ ASSERT_LE(0, mdev_attr_read(&dp->l.mdev, LEAPIO_SYSFS_RUNTIME,
					      who, sizeof(who))); }
		{ ASSERT_EQ(0, strncmp(who, "card", 4)) TH_LOG("runtime: %s", who); }
		{ ASSERT_EQ(0, mdev_attr_read_u64(&dp->l.mdev,
						  LEAPIO_SYSFS_RUNTIME_PID, &pid)); }
		{ ASSERT_EQ(0, pid); }
	}
}

/* The usual setup: one mdev, its own backing device, leapiod, enabled. */
static inline void dp_setup(struct __test_metadata *_metadata, struct dp *dp,
			    unsigned int lba_size)
{
	dp_create(_metadata, dp, DP_NS_SIZE, DP_NS_SIZE, lba_size);
	if (LIO_DP_REMOTE) {
		ASSERT_EQ(0, leapiod_add_vdev(&dp->d, dp->l.mdev.uuid, dp->nv.uri, 0));
	} else {
		ASSERT_EQ(0, leapiod_add_vdev(&dp->d, dp->l.mdev.uuid, dp->bk.path,
					      dp->bk.base));
	}
	dp_start_leapiod(_metadata, dp);
	dp_open(_metadata, dp);
}

/*
 * leapiod serving dp from path with a control socket of its own
 * (dp->d.control), the VFIO client's I/O queue pair 1 of depth qd
 * created: test_control's and test_leapioctl's start.
 */
static inline void dp_serve_with_control(struct __test_metadata *_metadata,
					 struct dp *dp, const char *path,
					 uint16_t qd)
{
	snprintf(dp->d.control, sizeof(dp->d.control), "/tmp/leapiod-ksft-%d.sock",
		 getpid());
	{ ASSERT_EQ(0, leapiod_add_vdev(&dp->d, dp->l.mdev.uuid, path, 0)); }
	dp_start_leapiod(_metadata, dp);
	dp_open(_metadata, dp);
	{ ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, qd, 1)); }
}

static inline unsigned long long dp_attr(struct __test_metadata *_metadata,
					 struct dp *dp, const char *name)
{
	unsigned long long v = ~0ULL;

	{ ASSERT_EQ(0, mdev_uuid_attr_u64(dp->l.mdev.uuid, name, &v)); }
	return v;
}

/* Close VFIO as QEMU's exit does: every pin must be dropped by then. */
static inline void dp_close(struct __test_metadata *_metadata, struct dp *dp)
{
	unsigned long long pinned = ~0ULL;

	nio_fini(&dp->io);
	if (!vfio_is_open(&dp->l.dev))
		return;
	lio_close(&dp->l);
	if (dp->l.mdev.created) {
		EXPECT_EQ(0, mdev_uuid_attr_u64(dp->l.mdev.uuid, LEAPIO_SYSFS_PINNED_PAGES, &pinned));
		EXPECT_EQ(0, pinned);
	}
}

static inline void dp_teardown(struct __test_metadata *_metadata, struct dp *dp)
{
	int st;

	dp_close(_metadata, dp);
	EXPECT_EQ(0, mdev_remove(&dp->l.mdev));
	if (dp->d.pid) {
		/* The mdev is gone: leapiod detaches, and exits 0 on TERM. */
		st = leapiod_stop(&dp->d, SIGTERM);
		EXPECT_EQ(0, st);
		if (st)
			_metadata->exit_code = KSFT_FAIL;
	}
	if (_metadata->exit_code == KSFT_FAIL)
		leapiod_dump_log(&dp->d, stderr);
	leapiod_fini(&dp->d);
	if (LIO_DP_REMOTE && dp->nv.made) {
		/* leapiod made the connection: its exit took it down. */
		EXPECT_EQ(0, nvmet_host_ctrls(dp->nv.nqn));
		nvmet_unexport(&dp->nv);
	}
	backing_destroy(&dp->bk);
	EXPECT_EQ(0, card_mode_down(&dp->cm));
}

/* ---- I/O steps that must succeed ---- */

/* Check a CQE: its SQ, CID and status code. */
#define CQE_IS(c, want_sqid, want_cid, want_sc) do { \
	EXPECT_EQ((want_sqid), le16toh((c)->sq_id)); \
	EXPECT_EQ((uint16_t)(want_cid), le16toh((c)->cid)); \
	ASSERT_EQ((uint16_t)(want_sc), nvd_status_code(c)); \
} while (0)

/*
 * One command of nlb blocks at slba on qid over the guest buffer at iova,
 * alone on its queue: the CQE must carry the SQ, the CID, the phase the
 * driver expects at the CQ head, and an SQ head equal to the tail (the
 * runtime fetched it and nothing else is queued). Returns the status code.
 */
static inline uint16_t dp_rw(struct __test_metadata *_metadata, struct dp *dp,
			     uint16_t qid, uint8_t opcode, uint64_t slba,
			     uint32_t nlb, uint64_t iova, uint32_t flags)
{
	struct nvd_queue *q = &dp->l.nvd.q[qid];
	uint8_t phase = dp->l.nvd.q[q->cqid].phase;
	uint64_t prp1 = 0, prp2 = 0;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	int cid;

	{ ASSERT_EQ(0, nio_prp(&dp->io, iova, nio_bytes(&dp->io, nlb), &prp1, &prp2)); }
	nb_rw(&sqe, opcode, NIO_NSID, slba, nlb, prp1, prp2);
	sqe.cdw12 |= htole32(flags);
	cid = nio_submit(&dp->io, qid, &sqe);
	{ ASSERT_GE(cid, 0); }
	{ ASSERT_EQ(0, nio_wait(&dp->io, qid, cid, &cqe, NIO_TIMEOUT_MS)); }
	{ EXPECT_EQ(qid, le16toh(cqe.sq_id)); }
	{ EXPECT_EQ(cid, le16toh(cqe.cid)); }
	{ EXPECT_EQ(phase, nvd_phase(&cqe)); }
	{ EXPECT_EQ(q->sq_tail, le16toh(cqe.sq_head)); }
	return nvd_status_code(&cqe);
}

#define DP_RW_OK(dp, qid, opc, slba, nlb, iova) do { \
	ASSERT_EQ(NVME_SC_SUCCESS, \
		  dp_rw(_metadata, (dp), (qid), (opc), (slba), (nlb), (iova), 0)); \
} while (0)

/* Write nlb blocks of pattern seed at slba, through a fresh buffer. */
static inline void dp_write_seed(struct __test_metadata *_metadata, struct dp *dp,
				 uint16_t qid, uint64_t slba, uint32_t nlb,
				 uint32_t seed)
{
	size_t len = nio_bytes(&dp->io, nlb);
	uint64_t iova = 0;
	void *buf = gmem_alloc_pages(&dp->l.mem, len, &iova);

	{ ASSERT_NE(NULL, buf); }
	nio_fill(buf, len, seed);
	DP_RW_OK(dp, qid, nvme_cmd_write, slba, nlb, iova);
}

/* Read nlb blocks at slba and check they hold pattern seed. */
static inline void dp_read_seed(struct __test_metadata *_metadata, struct dp *dp,
				uint16_t qid, uint64_t slba, uint32_t nlb,
				uint32_t seed)
{
	size_t len = nio_bytes(&dp->io, nlb);
	uint64_t iova = 0;
	void *buf = gmem_alloc_pages(&dp->l.mem, len, &iova);

	{ ASSERT_NE(NULL, buf); }
	memset(buf, 0xee, len);
	DP_RW_OK(dp, qid, nvme_cmd_read, slba, nlb, iova);
	{ ASSERT_EQ(len, nio_check(buf, len, seed)); }
}

/* The backing device holds pattern seed at the blocks [slba, + nlb). */
static inline void dp_backing_seed(struct __test_metadata *_metadata,
				   struct dp *dp, uint64_t base, uint64_t slba,
				   uint32_t nlb, uint32_t seed)
{
	size_t len = nio_bytes(&dp->io, nlb);
	void *buf = malloc(len);

	{ ASSERT_NE(NULL, buf); }
	{ ASSERT_EQ(0, backing_read(&dp->bk, base + (slba << dp->io.lba_shift), buf, len)); }
	{ EXPECT_EQ(len, nio_check(buf, len, seed)); }
	free(buf);
}

/* ---- a namespace that grows under the guest ---- */

/*
 * The guest asks to be told of namespace changes, as Linux does (Set
 * Features 0Bh, then an Asynchronous Event Request left waiting): the
 * AER's CID.
 */
/* Identify cns of nsid into a fresh page of guest memory: the page. */
static inline void *dp_identify(struct __test_metadata *_metadata,
				struct dp *dp, uint8_t cns, uint32_t nsid)
{
	struct nvme_sqe sqe;
	uint64_t iova = 0;
	void *page;

	page = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);
	{ ASSERT_NE(NULL, page); }
	nb_identify(&sqe, cns, nsid, iova);
	ADMIN_OK(&dp->l, &sqe);
	return page;
}

/* A read or write of nlb blocks of nsid at slba from iova: its status. */
static inline uint16_t dp_ns_rw(struct __test_metadata *_metadata,
				struct dp *dp, uint8_t op, uint32_t nsid,
				uint64_t slba, uint32_t nlb, uint64_t iova)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_rw(&sqe, op, nsid, slba, nlb, iova, 0);
	{ ASSERT_EQ(0, nio_cmd(&dp->io, 1, &sqe, &cqe)); }
	return nvd_status_code(&cqe);
}

/* This controller's CNTLID (Identify Controller). */
static inline uint16_t dp_cntlid(struct __test_metadata *_metadata,
				 struct dp *dp)
{
	struct nvme_id_ctrl *id = dp_identify(_metadata, dp, NVME_ID_CNS_CTRL, 0);

	return id ? le16toh(id->cntlid) : 0;
}

/* Namespace Attachment of nsid to (sel 0) or from (1) cntlid: its status. */
static inline uint16_t dp_ns_attach(struct __test_metadata *_metadata,
				    struct dp *dp, uint32_t nsid, uint8_t sel,
				    uint16_t cntlid)
{
	struct nvme_ctrl_list *l;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint64_t iova = 0;

	l = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);
	{ ASSERT_NE(NULL, l); }
	l->nr = htole16(1);
	l->id[0] = htole16(cntlid);
	nb_ns_attach(&sqe, nsid, sel, iova);
	ADMIN(&dp->l, &sqe, &cqe);
	return nvd_status_code(&cqe);
}

/* The NSIDs of Identify list cns (02h active, 10h allocated), a mask. */
static inline uint32_t dp_ns_list(struct __test_metadata *_metadata,
				  struct dp *dp, uint8_t cns)
{
	__le32 *list = dp_identify(_metadata, dp, cns, 0);
	uint32_t mask = 0;
	int i;

	for (i = 0; list && i < 1024 && list[i]; i++)
		mask |= 1U << (le32toh(list[i]) - 1);
	return mask;
}

static inline int dp_ns_notice_arm(struct __test_metadata *_metadata,
				   struct dp *dp)
{
	struct nvme_sqe sqe;
	int cid;

	nb_set_features(&sqe, NVME_FEAT_ASYNC_EVENT, false, NVME_AEC_NS_ATTR);
	ADMIN_OK(&dp->l, &sqe);
	nb_aer(&sqe);
	cid = nvd_submit(&dp->l.nvd, 0, &sqe);
	{ ASSERT_GE(cid, 0); }
	return cid;
}

/*
 * cqe (the armed AER's completion) is Namespace Attribute Changed, the
 * mdev's ns_size (ns<N>_size) of namespace nsid is bytes, and what the
 * guest's driver reads then says so: the Changed Namespace List names
 * nsid alone, Identify Namespace gives bytes / 512 blocks (NSZE and
 * NCAP; 512-byte blocks).
 */
static inline void dp_ns_notice_is(struct __test_metadata *_metadata,
				   struct dp *dp, const struct nvme_cqe *cqe,
				   uint32_t nsid, uint64_t bytes)
{
	struct nvme_changed_ns_log *log;
	struct nvme_id_ns *ns;
	struct nvme_sqe sqe;
	char attr[32];
	uint64_t iova;

	if (nsid == 1)
		snprintf(attr, sizeof(attr), "%s", LEAPIO_SYSFS_NS_SIZE);
	else
		snprintf(attr, sizeof(attr), LEAPIO_SYSFS_NSN_SIZE_FMT, nsid);

	{ ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(cqe)); }
	{ ASSERT_EQ(NVME_AER_DW0(NVME_AER_TYPE_NOTICE, NVME_AER_NOTICE_NS_CHANGED,
				 NVME_LOG_CHANGED_NS), le32toh(cqe->dw0)); }
	{ ASSERT_EQ(bytes, dp_attr(_metadata, dp, attr)); }
	log = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);
	{ ASSERT_NE(NULL, log); }
	nb_get_log(&sqe, NVME_LOG_CHANGED_NS, 0xffffffff, GMEM_PAGE, iova, false);
	ADMIN_OK(&dp->l, &sqe);
	{ ASSERT_EQ(nsid, le32toh(log->nsid[0])); }
	{ ASSERT_EQ(0, le32toh(log->nsid[1])); }
	ns = gmem_alloc_pages(&dp->l.mem, GMEM_PAGE, &iova);
	{ ASSERT_NE(NULL, ns); }
	nb_identify(&sqe, NVME_ID_CNS_NS, nsid, iova);
	ADMIN_OK(&dp->l, &sqe);
	{ ASSERT_EQ(bytes / 512, le64toh(ns->nsze)); }
	{ ASSERT_EQ(bytes / 512, le64toh(ns->ncap)); }
}

#endif /* LEAPIO_KSFT_LIO_DP_H */
