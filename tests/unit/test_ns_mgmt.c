// SPDX-License-Identifier: GPL-2.0
/*
 * Namespace Attachment (admin 15h) and Namespace Management (0Dh) in the
 * controller model (kernel/host/vctrl/ns_mgmt.c) with a recording data
 * path: detach and attach change what Identify says (active and
 * allocated lists, CNS 00h and 11h, the controller lists 12h and 13h),
 * give the data path the table before the command completes, and put a
 * Namespace Attribute Changed notice and the NSID in the Changed
 * Namespace List; delete takes a namespace out (detaching it); create
 * checks its fields, has no capacity without a pool, and with one asks
 * the data path for the backend and completes at its answer with the
 * new NSID, allocated and not attached. Every bad field with the status
 * the specification gives it, and nothing changed.
 */
#include "../lib/lio_harness.h"
#include "fake_guest.h"

#define BUF		FG_DATA
#define LIST		(FG_DATA + 4096)
#define NS_BYTES	(1ULL << 20)
#define EV_NS	NVME_AER_DW0(NVME_AER_TYPE_NOTICE, NVME_AER_NOTICE_NS_CHANGED, \
			     NVME_LOG_CHANGED_NS)

FIXTURE(nsm) {
	struct fake_guest *g;
	struct fg_dp dp;
};

static void changed_ns(struct __test_metadata *_metadata, struct fake_guest *g,
		       u32 first, u32 second);

/* Namespaces 1 (the default), 2 and 3, attached; the data path records. */
FIXTURE_SETUP(nsm)
{
	self->g = fg_new(2);
	fg_dp_attach(self->g, &self->dp);
	ASSERT_EQ(0, lio_vctrl_resize_ns(self->g->c, 2, NS_BYTES));
	ASSERT_EQ(0, lio_vctrl_resize_ns(self->g->c, 3, NS_BYTES));
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g) & NVME_CSTS_RDY);
	/* What the driver reads at probe: the list starts empty. */
	changed_ns(_metadata, self->g, 2, 3);
}

FIXTURE_TEARDOWN(nsm)
{
	fg_free(self->g);
}

/* A Controller List of n identifiers, the first id, the others id + i. */
static void ctrl_list(struct fake_guest *g, u16 n, u16 id)
{
	struct nvme_ctrl_list *l = fg_ptr(g, LIST);
	u16 i;

	memset(l, 0, sizeof(*l));
	l->nr = cpu_to_le16(n);
	for (i = 0; i < n; i++)
		l->id[i] = cpu_to_le16(id + i);
}

/* Attach (sel 0) or detach (1) nsid with a list of this controller. */
static u16 attach(struct fake_guest *g, u32 nsid, u8 sel)
{
	struct nvme_sqe sqe;

	ctrl_list(g, 1, g->c->p.cntlid);
	nb_ns_attach(&sqe, nsid, sel, LIST);
	return fg_admin_status(g, &sqe);
}

static u16 delete_ns(struct fake_guest *g, u32 nsid)
{
	struct nvme_sqe sqe;

	nb_ns_mgmt(&sqe, nsid, NVME_NS_MGMT_DELETE, 0, 0);
	return fg_admin_status(g, &sqe);
}

static u16 identify(struct fake_guest *g, u8 cns, u32 nsid, u16 cntid)
{
	struct nvme_sqe sqe;

	nb_identify(&sqe, cns, nsid, BUF);
	sqe.cdw10 = cpu_to_le32(cns | (u32)cntid << 16);
	return fg_admin_status(g, &sqe);
}

/* The NSIDs an Identify list (CNS 02h or 10h) gives, as a bit mask. */
static u32 ns_list(struct fake_guest *g, u8 cns)
{
	__le32 *l = fg_ptr(g, BUF);
	u32 mask = 0;
	int i;

	if (identify(g, cns, 0, 0))
		return 0xffffffff;
	for (i = 0; i < 1024 && l[i]; i++)
		mask |= 1U << (le32_to_cpu(l[i]) - 1);
	return mask;
}

/* NSZE in Identify Namespace of CNS 00h (active) or 11h (allocated). */
static u64 nsze(struct fake_guest *g, u8 cns, u32 nsid)
{
	struct nvme_id_ns *id = fg_ptr(g, BUF);

	if (identify(g, cns, nsid, 0))
		return ~0ULL;
	return le64_to_cpu(id->nsze);
}

/* How many controllers a Controller List (CNS 12h, 13h) names; the first. */
static int ctrl_ids(struct fake_guest *g, u8 cns, u32 nsid, u16 from, u16 *id)
{
	struct nvme_ctrl_list *l = fg_ptr(g, BUF);

	if (identify(g, cns, nsid, from))
		return -1;
	*id = le16_to_cpu(l->id[0]);
	return le16_to_cpu(l->nr);
}

/* The Changed Namespace List, read with RAE clear: its first two NSIDs. */
static void changed_ns(struct __test_metadata *_metadata, struct fake_guest *g,
		       u32 first, u32 second)
{
	struct nvme_changed_ns_log *log = fg_ptr(g, BUF);
	struct nvme_sqe sqe;

	nb_get_log(&sqe, NVME_LOG_CHANGED_NS, 0xffffffff, 4096, BUF, false);
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_status(g, &sqe));
	ASSERT_EQ(first, le32_to_cpu(log->nsid[0]));
	ASSERT_EQ(second, le32_to_cpu(log->nsid[1]));
}

/* Ask for notices and post an AER: its CID. */
static u16 arm_notice(struct __test_metadata *_metadata, struct fake_guest *g)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_set_features(&sqe, NVME_FEAT_ASYNC_EVENT, false, NVME_AEC_NS_ATTR);
	EXPECT_EQ(NVME_SC_SUCCESS, fg_admin_status(g, &sqe));
	nb_aer(&sqe);
	EXPECT_NE(0, fg_admin(g, &sqe, &cqe));
	return le16_to_cpu(sqe.cid);
}

/*
 * Detach: gone from what the guest's driver scans (active list, CNS 00h
 * zero, CNS 12h empty), still allocated (10h, 11h); the data path has
 * the table before the command completes; the notice and the list say
 * NSID 2. Attach brings it back the same way.
 */
TEST_F(nsm, detach_then_attach)
{
	struct fake_guest *g = self->g;
	struct nvme_cqe cqe;
	unsigned int upd;
	u16 cid, id;

	cid = arm_notice(_metadata, g);
	ASSERT_EQ(0x7U, ns_list(g, NVME_ID_CNS_NS_ACTIVE_LIST));
	ASSERT_EQ(1, ctrl_ids(g, NVME_ID_CNS_CTRL_NS_LIST, 2, 0, &id));
	ASSERT_EQ(g->c->p.cntlid, id);
	upd = fg_dp_count(&self->dp, FG_DP_UPDATE);

	ASSERT_EQ(NVME_SC_SUCCESS, attach(g, 2, NVME_NS_DETACH_CTRL));
	ASSERT_EQ(upd + 1, fg_dp_count(&self->dp, FG_DP_UPDATE));
	ASSERT_FALSE(g->c->ns[1].attached);
	ASSERT_EQ(0, fg_admin_reap(g, &cqe));
	ASSERT_EQ(cid, le16_to_cpu(cqe.cid));
	ASSERT_EQ(EV_NS, le32_to_cpu(cqe.dw0));
	changed_ns(_metadata, g, 2, 0);
	ASSERT_EQ(0x5U, ns_list(g, NVME_ID_CNS_NS_ACTIVE_LIST));
	ASSERT_EQ(0x7U, ns_list(g, NVME_ID_CNS_NS_PRESENT_LIST));
	ASSERT_EQ(0ULL, nsze(g, NVME_ID_CNS_NS, 2));
	ASSERT_EQ(NS_BYTES / 512, nsze(g, NVME_ID_CNS_NS_PRESENT, 2));
	ASSERT_EQ(0, ctrl_ids(g, NVME_ID_CNS_CTRL_NS_LIST, 2, 0, &id));
	/* The subsystem's controllers are the same. */
	ASSERT_EQ(1, ctrl_ids(g, NVME_ID_CNS_CTRL_LIST, 0, 0, &id));
	ASSERT_EQ(g->c->p.cntlid, id);
	ASSERT_EQ(0, ctrl_ids(g, NVME_ID_CNS_CTRL_LIST, 0, g->c->p.cntlid + 1, &id));

	cid = arm_notice(_metadata, g);
	ASSERT_EQ(NVME_SC_SUCCESS, attach(g, 2, NVME_NS_ATTACH_CTRL));
	ASSERT_EQ(upd + 2, fg_dp_count(&self->dp, FG_DP_UPDATE));
	ASSERT_EQ(0, fg_admin_reap(g, &cqe));
	ASSERT_EQ(cid, le16_to_cpu(cqe.cid));
	changed_ns(_metadata, g, 2, 0);
	ASSERT_EQ(0x7U, ns_list(g, NVME_ID_CNS_NS_ACTIVE_LIST));
	ASSERT_EQ(NS_BYTES / 512, nsze(g, NVME_ID_CNS_NS, 2));
}

/* Namespace 1 too: the driver's own, detached and attached like any. */
TEST_F(nsm, namespace_1_detaches)
{
	ASSERT_EQ(NVME_SC_SUCCESS, attach(self->g, 1, NVME_NS_DETACH_CTRL));
	ASSERT_EQ(0x6U, ns_list(self->g, NVME_ID_CNS_NS_ACTIVE_LIST));
	ASSERT_EQ(0x7U, ns_list(self->g, NVME_ID_CNS_NS_PRESENT_LIST));
	ASSERT_EQ(NVME_SC_SUCCESS, attach(self->g, 1, NVME_NS_ATTACH_CTRL));
	ASSERT_EQ(0x7U, ns_list(self->g, NVME_ID_CNS_NS_ACTIVE_LIST));
}

TEST_F(nsm, attach_refusals)
{
	struct fake_guest *g = self->g;
	u16 cntlid = g->c->p.cntlid;
	unsigned int faults = g->dma_faults;
	unsigned int upd = fg_dp_count(&self->dp, FG_DP_UPDATE);
	struct nvme_sqe sqe;
	u32 nsid;

	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_NS_ALREADY_ATTACHED),
		  attach(g, 2, NVME_NS_ATTACH_CTRL));
	/* NSIDs: none, past NN; all, or one with no namespace. */
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS), attach(g, 0, 0));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS), attach(g, LIO_NN + 1, 0));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), attach(g, 0xffffffff, 0));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), attach(g, 4, 0));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), attach(g, 4, 1));
	/* SEL 2..15 are reserved. */
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), attach(g, 2, 2));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), attach(g, 2, 15));
	/* Lists: empty, another controller, this one twice or with another. */
	for (nsid = 0; nsid < 4; nsid++) {
		static const u16 n[] = { 0, 1, 2, 2 };
		u16 first = nsid == 1 ? cntlid + 1 : nsid == 3 ? cntlid - 1 : cntlid;

		ctrl_list(g, n[nsid], first);
		if (nsid == 2)
			((struct nvme_ctrl_list *)fg_ptr(g, LIST))->id[1] =
				cpu_to_le16(cntlid);
		nb_ns_attach(&sqe, 2, NVME_NS_DETACH_CTRL, LIST);
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_CTRL_LIST_INVALID), fg_admin_status(g, &sqe)) {
			TH_LOG("list %u", nsid);
		}
	}
	/* The list outside guest memory. */
	nb_ns_attach(&sqe, 2, NVME_NS_DETACH_CTRL, FG_MEM_BASE + FG_MEM_SIZE);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_DATA_XFER_ERROR), fg_admin_status(g, &sqe));
	ASSERT_LT(faults, g->dma_faults);
	ASSERT_TRUE(g->c->ns[1].attached);

	ASSERT_EQ(NVME_SC_SUCCESS, attach(g, 3, NVME_NS_DETACH_CTRL));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_NS_NOT_ATTACHED),
		  attach(g, 3, NVME_NS_DETACH_CTRL));
	ASSERT_EQ(upd + 1, fg_dp_count(&self->dp, FG_DP_UPDATE));
}

/* A Format of the namespace (or of all) under way: it stays as it is. */
TEST_F(nsm, attach_waits_for_format)
{
	struct fake_guest *g = self->g;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_format(&sqe, 2, 0, 0, 0);
	ASSERT_NE(0, fg_admin(g, &sqe, &cqe));	/* deferred */
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_FORMAT_IN_PROGRESS),
		  attach(g, 2, NVME_NS_DETACH_CTRL));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_FORMAT_IN_PROGRESS), delete_ns(g, 2));
	ASSERT_EQ(NVME_SC_SUCCESS, attach(g, 3, NVME_NS_DETACH_CTRL));
	ASSERT_TRUE(g->c->ns[1].attached);
}

/*
 * Delete: an attached namespace goes detached with it (one change), a
 * detached one too, all (FFFFFFFFh) takes every one but 1, which is the
 * mdev's own (ns_size); one that does not exist, or NSIDs out of range,
 * are refused.
 */
TEST_F(nsm, delete)
{
	struct fake_guest *g = self->g;
	unsigned int upd = fg_dp_count(&self->dp, FG_DP_UPDATE);
	struct nvme_cqe cqe;
	u16 cid;

	cid = arm_notice(_metadata, g);
	ASSERT_EQ(NVME_SC_SUCCESS, delete_ns(g, 2));
	ASSERT_EQ(upd + 1, fg_dp_count(&self->dp, FG_DP_UPDATE));
	ASSERT_EQ(0, fg_admin_reap(g, &cqe));
	ASSERT_EQ(cid, le16_to_cpu(cqe.cid));
	changed_ns(_metadata, g, 2, 0);
	ASSERT_EQ(0x5U, ns_list(g, NVME_ID_CNS_NS_ACTIVE_LIST));
	ASSERT_EQ(0x5U, ns_list(g, NVME_ID_CNS_NS_PRESENT_LIST));
	ASSERT_EQ(0ULL, nsze(g, NVME_ID_CNS_NS_PRESENT, 2));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), delete_ns(g, 2));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
		  attach(g, 2, NVME_NS_ATTACH_CTRL));

	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), delete_ns(g, 1));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS), delete_ns(g, 0));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS), delete_ns(g, LIO_NN + 1));

	ASSERT_EQ(0, lio_vctrl_resize_ns(g->c, 5, NS_BYTES));
	ASSERT_EQ(NVME_SC_SUCCESS, attach(g, 5, NVME_NS_DETACH_CTRL));
	ASSERT_EQ(0x15U, ns_list(g, NVME_ID_CNS_NS_PRESENT_LIST));
	ASSERT_EQ(NVME_SC_SUCCESS, delete_ns(g, 0xffffffff));
	ASSERT_EQ(0x1U, ns_list(g, NVME_ID_CNS_NS_PRESENT_LIST));
	ASSERT_EQ(0x1U, ns_list(g, NVME_ID_CNS_NS_ACTIVE_LIST));
	/* All of nothing more is nothing to do. */
	ASSERT_EQ(NVME_SC_SUCCESS, delete_ns(g, 0xffffffff));
}

/* Create with the host-specified fields at BUF: its status. */
static u16 create(struct fake_guest *g, u64 nsze, u64 ncap, u8 flbas, u8 dps,
		  u8 nmic, u8 csi)
{
	struct nvme_id_ns *id = fg_ptr(g, BUF);
	struct nvme_sqe sqe;

	memset(id, 0, sizeof(*id));
	id->nsze = cpu_to_le64(nsze);
	id->ncap = cpu_to_le64(ncap);
	id->flbas = flbas;
	id->dps = dps;
	id->nmic = nmic;
	nb_ns_mgmt(&sqe, 0, NVME_NS_MGMT_CREATE, csi, BUF);
	return fg_admin_status(g, &sqe);
}

/*
 * Create: each bad field with its status; a good one finds no capacity
 * (no pool: UNVMCAP 0, TNVMCAP what the namespaces hold), or no NSID
 * once all NN exist. Nothing is created.
 */
TEST_F(nsm, create)
{
	struct fake_guest *g = self->g;
	struct nvme_id_ctrl *ctrl = fg_ptr(g, BUF);
	struct nvme_sqe sqe;
	u32 nsid;

	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), create(g, 8, 8, 0, 0, 0, 2));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FORMAT), create(g, 8, 8, 2, 0, 0, 0));
	/* LBAFU (FLBAS 6:5): format 16 */
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FORMAT), create(g, 8, 8, 0x20, 0, 0, 0));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FORMAT), create(g, 8, 8, 0, 1, 0, 0));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), create(g, 0, 0, 0, 0, 0, 0));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), create(g, 8, 4, 0, 0, 0, 0));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), create(g, 8, 16, 0, 0, 0, 0));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), create(g, 8, 8, 0, 0, 1, 0));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_NS_INSUFFICIENT_CAP), create(g, 8, 8, 0, 0, 0, 0));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_NS_INSUFFICIENT_CAP), create(g, 8, 8, 1, 0, 0, 0));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_NS_INSUFFICIENT_CAP),
		  create(g, ~0ULL >> 1, ~0ULL >> 1, 1, 0, 0, 0));
	nb_ns_mgmt(&sqe, 0, NVME_NS_MGMT_CREATE, 0, FG_MEM_BASE + FG_MEM_SIZE);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_DATA_XFER_ERROR), fg_admin_status(g, &sqe));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), delete_ns(g, 4));
	nb_ns_mgmt(&sqe, 2, 2, 0, 0);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), fg_admin_status(g, &sqe));
	ASSERT_EQ(0x7U, ns_list(g, NVME_ID_CNS_NS_PRESENT_LIST));

	ASSERT_EQ(NVME_SC_SUCCESS, identify(g, NVME_ID_CNS_CTRL, 0, 0));
	ASSERT_EQ(1U << 3, le16_to_cpu(ctrl->oacs) & (1U << 3));
	ASSERT_EQ(0ULL, le64_to_cpu(*(__le64 *)ctrl->unvmcap));
	ASSERT_EQ(g->c->ns[0].size + 2 * NS_BYTES,
		  le64_to_cpu(*(__le64 *)ctrl->tnvmcap));

	for (nsid = 4; nsid <= LIO_NN; nsid++)
		ASSERT_EQ(0, lio_vctrl_resize_ns(g->c, nsid, NS_BYTES));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_NS_ID_UNAVAILABLE), create(g, 8, 8, 0, 0, 0, 0));
}

/* Identify Controller's capacities: TNVMCAP, UNVMCAP. */
static void caps(struct __test_metadata *_metadata, struct fake_guest *g,
		 u64 *total, u64 *unalloc)
{
	struct nvme_id_ctrl *ctrl = fg_ptr(g, BUF);

	ASSERT_EQ(NVME_SC_SUCCESS, identify(g, NVME_ID_CNS_CTRL, 0, 0));
	*total = le64_to_cpu(*(__le64 *)ctrl->tnvmcap);
	*unalloc = le64_to_cpu(*(__le64 *)ctrl->unvmcap);
}

/* Send create (nsze blocks, FLBAS flbas) without waiting: its CID. */
static u16 create_async(struct fake_guest *g, u64 nsze, u8 flbas)
{
	struct nvme_id_ns *id = fg_ptr(g, BUF);
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	memset(id, 0, sizeof(*id));
	id->nsze = cpu_to_le64(nsze);
	id->ncap = cpu_to_le64(nsze);
	id->flbas = flbas;
	nb_ns_mgmt(&sqe, 0, NVME_NS_MGMT_CREATE, 0, BUF);
	if (!fg_admin(g, &sqe, &cqe))
		return 0xffff;		/* completed at once: not asked */
	return le16_to_cpu(sqe.cid);
}


/*
 * A pool of 4 MiB: create asks the data path (the NSID picked, the
 * blocks, the LBA size), waits for its answer, and completes with the
 * NSID; the namespace is allocated and not attached, pooled, and its
 * bytes leave UNVMCAP. The operator cannot resize it but may remove it,
 * as delete-ns does, which gives the bytes back.
 */
TEST_F(nsm, create_from_the_pool)
{
	struct fake_guest *g = self->g;
	struct lio_vctrl *c = g->c;
	u64 total, unalloc;
	u32 dw0 = 0;
	u16 cid;
	int i;

	self->dp.pool_bytes = 4 << 20;
	self->dp.pool_nsids = 0xfff8;	/* 4..16: 2 and 3 have backends */
	caps(_metadata, g, &total, &unalloc);
	ASSERT_EQ(4ULL << 20, unalloc);
	ASSERT_EQ(c->ns[0].size + 2 * NS_BYTES + (4 << 20), total);

	cid = create_async(g, 256, 1);		/* 1 MiB of 4 KiB blocks */
	ASSERT_NE(0xffff, cid);
	i = fg_dp_find(&self->dp, 0, FG_DP_NS_CREATE);
	ASSERT_LE(0, i);
	EXPECT_EQ(1U, self->dp.rec[i].arg);
	EXPECT_EQ(4U | 12U << 8, self->dp.rec[i].val);
	EXPECT_EQ(256ULL, self->dp.create_nsze);
	/* Not answered: nothing posted, nothing allocated but the bytes. */
	ASSERT_EQ(0xffff, fg_admin_reaped(g, cid, &dw0));
	ASSERT_EQ(0x7U, ns_list(g, NVME_ID_CNS_NS_PRESENT_LIST));
	caps(_metadata, g, &total, &unalloc);
	ASSERT_EQ(3ULL << 20, unalloc);
	/* One at a time. */
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_NS_NOT_READY), create(g, 8, 8, 0, 0, 0, 0));

	ASSERT_EQ(0, lio_vctrl_ns_created(c, 1, NVME_SC_SUCCESS));
	ASSERT_LT(i, fg_dp_find(&self->dp, i, FG_DP_UPDATE));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_reaped(g, cid, &dw0));
	ASSERT_EQ(4U, dw0);
	EXPECT_EQ(-ESTALE, lio_vctrl_ns_created(c, 1, NVME_SC_SUCCESS));
	ASSERT_EQ(0xfU, ns_list(g, NVME_ID_CNS_NS_PRESENT_LIST));
	ASSERT_EQ(0x7U, ns_list(g, NVME_ID_CNS_NS_ACTIVE_LIST));
	ASSERT_EQ(256ULL, nsze(g, NVME_ID_CNS_NS_PRESENT, 4));
	ASSERT_TRUE(c->ns[3].pooled);
	EXPECT_EQ(12, c->ns[3].lba_shift);
	caps(_metadata, g, &total, &unalloc);
	ASSERT_EQ(3ULL << 20, unalloc);
	ASSERT_EQ(c->ns[0].size + 3 * NS_BYTES + (3 << 20), total);

	/* More than is left; then exactly what is left, in 512-byte blocks. */
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_NS_INSUFFICIENT_CAP),
		  create(g, (3 << 20) / 512 + 1, (3 << 20) / 512 + 1, 0, 0, 0, 0));
	cid = create_async(g, (3 << 20) / 512, 0);
	ASSERT_EQ(0, lio_vctrl_ns_created(c, 2, NVME_SC_SUCCESS));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_reaped(g, cid, &dw0));
	ASSERT_EQ(5U, dw0);
	caps(_metadata, g, &total, &unalloc);
	ASSERT_EQ(0ULL, unalloc);

	ASSERT_EQ(NVME_SC_SUCCESS, attach(g, 4, NVME_NS_ATTACH_CTRL));
	ASSERT_EQ(0xfU, ns_list(g, NVME_ID_CNS_NS_ACTIVE_LIST));
	ASSERT_EQ(-EPERM, lio_vctrl_resize_ns(c, 4, 2 * NS_BYTES));
	ASSERT_EQ(NVME_SC_SUCCESS, delete_ns(g, 4));
	ASSERT_FALSE(c->ns[3].pooled);
	ASSERT_EQ(0, lio_vctrl_resize_ns(c, 5, 0));
	caps(_metadata, g, &total, &unalloc);
	ASSERT_EQ(4ULL << 20, unalloc);
	/* A namespace of the operator's in the NSID is not the pool's. */
	ASSERT_EQ(0, lio_vctrl_resize_ns(c, 4, NS_BYTES));
	ASSERT_FALSE(c->ns[3].pooled);
	/* NSIDs the pool does not make namespaces in stay free. */
	ASSERT_EQ(NVME_SC_SUCCESS, delete_ns(g, 2));
	cid = create_async(g, 8, 0);
	ASSERT_EQ(0, lio_vctrl_ns_created(c, 3, NVME_SC_SUCCESS));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_admin_reaped(g, cid, &dw0));
	ASSERT_EQ(5U, dw0);
	self->dp.pool_nsids = 1U << 4;	/* 5 alone, taken */
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_NS_ID_UNAVAILABLE), create(g, 8, 8, 0, 0, 0, 0));
	self->dp.pool_nsids = 0;	/* a pool of no NSID: none */
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_NS_INSUFFICIENT_CAP), create(g, 8, 8, 0, 0, 0, 0));
}

/*
 * The data path's refusals: none to ask (Namespace Not Ready, nothing
 * outstanding), its failure statuses passed on and nothing allocated, a
 * status a create cannot have made Internal Error; an NSID the operator
 * took meanwhile is NS ID Unavailable; a reset drops the command, not
 * the namespace.
 */
TEST_F(nsm, create_answers_and_refusals)
{
	struct fake_guest *g = self->g;
	struct lio_vctrl *c = g->c;
	struct nvme_cqe cqe;
	u64 total, unalloc;
	u32 dw0;
	u16 cid;

	self->dp.pool_bytes = 4 << 20;
	self->dp.pool_nsids = 0xfffe;
	self->dp.refuse_ns_create = -ENOLINK;
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_NS_NOT_READY), create(g, 8, 8, 0, 0, 0, 0));
	EXPECT_EQ(-ESTALE, lio_vctrl_ns_created(c, 1, NVME_SC_SUCCESS));
	self->dp.refuse_ns_create = 0;

	cid = create_async(g, 8, 0);
	ASSERT_EQ(0, lio_vctrl_ns_created(c, 1, NVME_SC_NS_INSUFFICIENT_CAP));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_NS_INSUFFICIENT_CAP), fg_admin_reaped(g, cid, &dw0));
	cid = create_async(g, 8, 0);
	ASSERT_EQ(0, lio_vctrl_ns_created(c, 2, NVME_SC_LBA_RANGE));
	ASSERT_EQ(NVME_SC_INTERNAL, fg_admin_reaped(g, cid, &dw0));	/* no DNR */
	ASSERT_EQ(0x7U, ns_list(g, NVME_ID_CNS_NS_PRESENT_LIST));
	caps(_metadata, g, &total, &unalloc);
	ASSERT_EQ(4ULL << 20, unalloc);

	cid = create_async(g, 8, 0);
	ASSERT_EQ(0, lio_vctrl_resize_ns(c, 4, NS_BYTES));
	ASSERT_EQ(0, lio_vctrl_ns_created(c, 3, NVME_SC_SUCCESS));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_NS_ID_UNAVAILABLE), fg_admin_reaped(g, cid, &dw0));
	ASSERT_FALSE(c->ns[3].pooled);
	ASSERT_EQ(NS_BYTES, c->ns[3].size);

	cid = create_async(g, 8, 0);
	fg_disable(g);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g) & NVME_CSTS_RDY);
	ASSERT_EQ(0, lio_vctrl_ns_created(c, 4, NVME_SC_SUCCESS));
	EXPECT_EQ(-1, fg_admin_reap(g, &cqe));
	ASSERT_TRUE(c->ns[4].pooled);
	ASSERT_EQ(8ULL * 512, c->ns[4].size);
	ASSERT_FALSE(c->ns[4].attached);
}

/* Identify Namespace of all (FFFFFFFFh): the formats every namespace has. */
TEST_F(nsm, identify_common_to_all)
{
	struct nvme_id_ns *id = fg_ptr(self->g, BUF);

	ASSERT_EQ(NVME_SC_SUCCESS, identify(self->g, NVME_ID_CNS_NS, 0xffffffff, 0));
	ASSERT_EQ(1, id->nlbaf);
	ASSERT_EQ(9, id->lbaf[0].ds);
	ASSERT_EQ(12, id->lbaf[1].ds);
	ASSERT_EQ(0ULL, le64_to_cpu(id->nsze));
	ASSERT_EQ(NVME_SC_SUCCESS, identify(self->g, NVME_ID_CNS_NS_PRESENT, 0xffffffff, 0));
	ASSERT_EQ(1, id->nlbaf);
	/* The lists have nothing after FFFFFFFEh. */
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
		  identify(self->g, NVME_ID_CNS_NS_PRESENT_LIST, 0xfffffffe, 0));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
		  identify(self->g, NVME_ID_CNS_CTRL_NS_LIST, 0, 0));
}

TEST_HARNESS_MAIN
