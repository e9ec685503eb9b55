// SPDX-License-Identifier: GPL-2.0
/*
 * Get / Set Features: each feature's default, what a Set keeps, SEL
 * (current, default, saved, supported capabilities), SV, and every
 * refusal: unsupported FIDs, bad values, bad NSIDs, bad PRPs.
 */
#include <stdlib.h>

#include "../lib/lio_harness.h"
#include "fake_guest.h"

#define NR_IOQ	4
#define BUF	FG_DATA
#define TS_ORIGIN_SET	(1ULL << 49)	/* byte 6, bits 3:1 = 001b */
#define TS_MASK		((1ULL << 48) - 1)

FIXTURE(feat) {
	struct fake_guest *g;
};

FIXTURE_SETUP(feat)
{
	self->g = fg_new(NR_IOQ);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g) & NVME_CSTS_RDY);
}

FIXTURE_TEARDOWN(feat)
{
	fg_free(self->g);
}

/* One Get or Set Features: status, and DW0 in *dw0 when given. */
static u16 feature(struct fake_guest *g, bool set, u32 cdw10, u32 cdw11,
		   u32 nsid, u32 *dw0)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	if (set)
		nb_set_features(&sqe, cdw10 & 0xff, false, cdw11);
	else
		nb_get_features(&sqe, cdw10 & 0xff, NVME_FEAT_SEL_CURRENT, cdw11);
	/* CDW10 as the test gives it: SEL, SV and reserved bits included. */
	sqe.cdw10 = cpu_to_le32(cdw10);
	sqe.nsid = cpu_to_le32(nsid);
	nb_data(&sqe, BUF, NB_PAGE_SIZE);
	if (fg_admin(g, &sqe, &cqe))
		return 0xffff;
	if (dw0)
		*dw0 = le32_to_cpu(cqe.dw0);
	return fg_status(&cqe);
}

static u32 get_sel(struct fake_guest *g, u8 fid, u32 sel, u32 cdw11)
{
	u32 dw0 = 0xdeadbeef;

	if (feature(g, false, fid | sel << 8, cdw11, 0, &dw0))
		return 0xdeadbeef;
	return dw0;
}

static u32 get(struct fake_guest *g, u8 fid, u32 cdw11)
{
	return get_sel(g, fid, NVME_FEAT_SEL_CURRENT, cdw11);
}

static u16 set(struct fake_guest *g, u8 fid, u32 cdw11)
{
	return feature(g, true, fid, cdw11, 0, NULL);
}

static void expect_err(struct __test_metadata *_metadata,
		       struct fake_guest *g, u16 status, u16 loc)
{
	struct nvme_error_log_entry e;

	ASSERT_EQ(0, fg_err_log_newest(g, &e));
	ASSERT_EQ(status, le16_to_cpu(e.status_field));
	ASSERT_EQ(loc, le16_to_cpu(e.param_error_location));
	ASSERT_EQ(g->next_cid - 2, le16_to_cpu(e.cmdid));
}

/* Every FID we support and its default (for IV config: of vector 0). */
static const struct {
	u8 fid;
	u32 def;
	u32 caps;
} supported[] = {
	{ NVME_FEAT_ARBITRATION,	7,		NVME_FEAT_CAP_CHANGE },
	{ NVME_FEAT_POWER_MGMT,		0,		NVME_FEAT_CAP_CHANGE },
	{ NVME_FEAT_TEMP_THRESH,	LIO_WCTEMP,	NVME_FEAT_CAP_CHANGE },
	{ NVME_FEAT_ERR_RECOVERY,	0,
	  NVME_FEAT_CAP_CHANGE | NVME_FEAT_CAP_NS },
	{ NVME_FEAT_VOLATILE_WC,	1,		NVME_FEAT_CAP_CHANGE },
	{ NVME_FEAT_NUM_QUEUES,		(NR_IOQ - 1) << 16 | (NR_IOQ - 1),
	  NVME_FEAT_CAP_CHANGE },
	{ NVME_FEAT_IRQ_COALESCE,	0,		NVME_FEAT_CAP_CHANGE },
	{ NVME_FEAT_IRQ_CONFIG,		0,		NVME_FEAT_CAP_CHANGE },
	{ NVME_FEAT_WRITE_ATOMIC,	0,		NVME_FEAT_CAP_CHANGE },
	{ NVME_FEAT_ASYNC_EVENT,	0,		NVME_FEAT_CAP_CHANGE },
	{ NVME_FEAT_TIMESTAMP,		0,		NVME_FEAT_CAP_CHANGE },
	{ NVME_FEAT_KATO,		0,		NVME_FEAT_CAP_CHANGE },
};

static u32 nsid_for(u8 fid)
{
	return fid == NVME_FEAT_ERR_RECOVERY ? 1 : 0;
}

TEST_F(feat, defaults_and_capabilities)
{
	unsigned int i;
	u32 dw0;

	for (i = 0; i < ARRAY_SIZE(supported); i++) {
		u8 fid = supported[i].fid;
		u32 sel;

		if (fid == NVME_FEAT_TIMESTAMP)
			continue;	/* a data buffer, below */
		for (sel = NVME_FEAT_SEL_CURRENT; sel <= NVME_FEAT_SEL_SAVED; sel++) {
			ASSERT_EQ(NVME_SC_SUCCESS,
				  feature(self->g, false, fid | sel << 8, 0,
					  nsid_for(fid), &dw0));
			EXPECT_EQ(supported[i].def, dw0) {
				TH_LOG("fid %#x sel %u", fid, sel);
			}
		}
		ASSERT_EQ(NVME_SC_SUCCESS,
			  feature(self->g, false,
				  fid | NVME_FEAT_SEL_SUPPORTED << 8, 0,
				  nsid_for(fid), &dw0));
		EXPECT_EQ(supported[i].caps, dw0) {
			TH_LOG("fid %#x", fid);
		}
	}
}

TEST_F(feat, set_then_default_and_saved_unchanged)
{
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_ARBITRATION, 0x11223302));
	EXPECT_EQ(0x11223302U, get(self->g, NVME_FEAT_ARBITRATION, 0));
	EXPECT_EQ(7U, get_sel(self->g, NVME_FEAT_ARBITRATION,
			      NVME_FEAT_SEL_DEFAULT, 0));
	EXPECT_EQ(7U, get_sel(self->g, NVME_FEAT_ARBITRATION,
			      NVME_FEAT_SEL_SAVED, 0));
}

TEST_F(feat, bad_sel)
{
	u32 sel;

	for (sel = 4; sel <= 7; sel++) {
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
			  feature(self->g, false, NVME_FEAT_ARBITRATION | sel << 8,
				  0, 0, NULL));
		expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
			   NVME_SQE_OFF_CDW10);
	}
}

TEST_F(feat, save_refused)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(supported); i++) {
		u8 fid = supported[i].fid;

		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_FEATURE_NOT_SAVEABLE),
			  feature(self->g, true, NVME_FEAT_SV | fid, 0,
				  nsid_for(fid), NULL));
		expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_FEATURE_NOT_SAVEABLE),
			   NVME_SQE_OFF_CDW10);
	}
	/* Nothing was set. */
	EXPECT_EQ(7U, get(self->g, NVME_FEAT_ARBITRATION, 0));
	EXPECT_EQ(1U, get(self->g, NVME_FEAT_VOLATILE_WC, 0));
	EXPECT_EQ((u32)LIO_WCTEMP, get(self->g, NVME_FEAT_TEMP_THRESH, 0));
}

TEST_F(feat, unsupported_fids)
{
	/* Reserved, LBA range, APST, HMB, the later optional ones (Host
	 * Behavior Support, 16h, is supported: test_nodp.c), and
	 * vendor specific ones (Windows sends C1h and D0h).
	 */
	static const u8 bad[] = { 0x00, 0x03, 0x0c, 0x0d, 0x10, 0x11, 0x12,
				  0x13, 0x14, 0x15, 0x17, 0x18, 0x19,
				  0x1a, 0x1b, 0x7f, 0x80, 0x81, 0x82, 0x83,
				  0x84, 0xc0, 0xc1, 0xd0, 0xfe, 0xff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
			  feature(self->g, false, bad[i], 0, 0, NULL));
		expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
			   NVME_SQE_OFF_CDW10);
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
			  feature(self->g, false,
				  bad[i] | NVME_FEAT_SEL_SUPPORTED << 8, 0, 1,
				  NULL));
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
			  feature(self->g, true, bad[i], 0, 0, NULL));
		expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
			   NVME_SQE_OFF_CDW10);
		/* Even with SV: the FID is what's wrong. */
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
			  feature(self->g, true, NVME_FEAT_SV | bad[i], 0, 0,
				  NULL));
	}
}

TEST_F(feat, arbitration)
{
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_ARBITRATION, 0xffffffff));
	/* Bits 7:3 are reserved. */
	EXPECT_EQ(0xffffff07U, get(self->g, NVME_FEAT_ARBITRATION, 0));
}

TEST_F(feat, power_management)
{
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_POWER_MGMT, 0x40));
	EXPECT_EQ(0x40U, get(self->g, NVME_FEAT_POWER_MGMT, 0));

	/* NPSS is 0: power state 0 is the only one. */
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), set(self->g, NVME_FEAT_POWER_MGMT, 1));
	expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), NVME_SQE_OFF_CDW11);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), set(self->g, NVME_FEAT_POWER_MGMT, 0x1f));
	EXPECT_EQ(0x40U, get(self->g, NVME_FEAT_POWER_MGMT, 0));
}

TEST_F(feat, temperature_threshold)
{
	/* Over (THSEL 0) and under (THSEL 1) of the composite sensor. */
	EXPECT_EQ((u32)LIO_WCTEMP, get(self->g, NVME_FEAT_TEMP_THRESH, 0));
	EXPECT_EQ(1U << 20, get(self->g, NVME_FEAT_TEMP_THRESH, 1U << 20));

	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_TEMP_THRESH, 350));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  set(self->g, NVME_FEAT_TEMP_THRESH, 1U << 20 | 270));
	EXPECT_EQ(350U, get(self->g, NVME_FEAT_TEMP_THRESH, 0));
	EXPECT_EQ(1U << 20 | 270, get(self->g, NVME_FEAT_TEMP_THRESH, 1U << 20));
	/* TMPSEL 1111b on a Set: all sensors, the composite one here. */
	ASSERT_EQ(NVME_SC_SUCCESS,
		  set(self->g, NVME_FEAT_TEMP_THRESH, 0xfU << 16 | 355));
	EXPECT_EQ(355U, get(self->g, NVME_FEAT_TEMP_THRESH, 0));
	EXPECT_EQ((u32)LIO_WCTEMP, get_sel(self->g, NVME_FEAT_TEMP_THRESH,
					   NVME_FEAT_SEL_DEFAULT, 0));
	EXPECT_EQ(1U << 20, get_sel(self->g, NVME_FEAT_TEMP_THRESH,
				    NVME_FEAT_SEL_DEFAULT, 1U << 20));
}

TEST_F(feat, temperature_threshold_bad)
{
	static const u32 bad_set[] = {
		1U << 16 | 300,		/* sensor 1: not implemented */
		8U << 16 | 300,
		0xeU << 16 | 300,
		2U << 20 | 300,		/* THSEL 10b, 11b: reserved */
		3U << 20 | 300,
	};
	static const u32 bad_get[] = { 1U << 16, 8U << 16, 0xfU << 16,
				       2U << 20, 3U << 20 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_set); i++) {
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
			  set(self->g, NVME_FEAT_TEMP_THRESH, bad_set[i]));
		expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
			   NVME_SQE_OFF_CDW11);
	}
	for (i = 0; i < ARRAY_SIZE(bad_get); i++) {
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
			  feature(self->g, false, NVME_FEAT_TEMP_THRESH,
				  bad_get[i], 0, NULL));
		expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
			   NVME_SQE_OFF_CDW11);
	}
	EXPECT_EQ((u32)LIO_WCTEMP, get(self->g, NVME_FEAT_TEMP_THRESH, 0));
	EXPECT_EQ(1U << 20, get(self->g, NVME_FEAT_TEMP_THRESH, 1U << 20));
}

TEST_F(feat, error_recovery)
{
	u32 dw0;

	ASSERT_EQ(NVME_SC_SUCCESS,
		  feature(self->g, true, NVME_FEAT_ERR_RECOVERY, 100, 1, NULL));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  feature(self->g, false, NVME_FEAT_ERR_RECOVERY, 0, 1, &dw0));
	EXPECT_EQ(100U, dw0);
	/* All namespaces at once, on a Set. */
	ASSERT_EQ(NVME_SC_SUCCESS,
		  feature(self->g, true, NVME_FEAT_ERR_RECOVERY, 0xffff,
			  0xffffffff, NULL));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  feature(self->g, false, NVME_FEAT_ERR_RECOVERY, 0, 1, &dw0));
	EXPECT_EQ(0xffffU, dw0);

	/* DULBE: deallocated blocks are no error here. */
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
		  feature(self->g, true, NVME_FEAT_ERR_RECOVERY, 1U << 16 | 5,
			  1, NULL));
	expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), NVME_SQE_OFF_CDW11);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  feature(self->g, false, NVME_FEAT_ERR_RECOVERY, 0, 1, &dw0));
	EXPECT_EQ(0xffffU, dw0);
}

/* Error Recovery's current value for nsid, or ~0 if the Get failed. */
static u32 err_rec(struct fake_guest *g, u32 nsid)
{
	u32 dw0;

	if (feature(g, false, NVME_FEAT_ERR_RECOVERY, 0, nsid, &dw0))
		return ~0U;
	return dw0;
}

/* A namespace's value is its own; FFFFFFFFh sets every one. */
TEST(error_recovery_per_namespace)
{
	struct fake_guest *g = fg_new(1);

	ASSERT_NE(NULL, g);
	ASSERT_EQ(0, lio_vctrl_set_ns(g->c, 3, 1ULL << 20, 512));
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g) & NVME_CSTS_RDY);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  feature(g, true, NVME_FEAT_ERR_RECOVERY, 30, 3, NULL));
	EXPECT_EQ(30U, err_rec(g, 3));
	EXPECT_EQ(0U, err_rec(g, 1));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  feature(g, true, NVME_FEAT_ERR_RECOVERY, 40, 0xffffffff, NULL));
	EXPECT_EQ(40U, err_rec(g, 1));
	EXPECT_EQ(40U, err_rec(g, 3));
	/* 2 is no namespace. */
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
		  feature(g, false, NVME_FEAT_ERR_RECOVERY, 0, 2, NULL));
	fg_free(g);
}

TEST_F(feat, error_recovery_bad_nsid)
{
	static const u32 bad_get[] = { 0, 2, 0xfffffffe, 0xffffffff };
	static const u32 bad_set[] = { 0, 2, 0xfffffffe };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_get); i++) {
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
			  feature(self->g, false, NVME_FEAT_ERR_RECOVERY, 0,
				  bad_get[i], NULL));
		expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_INVALID_NS),
			   NVME_SQE_OFF_NSID);
	}
	for (i = 0; i < ARRAY_SIZE(bad_set); i++) {
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
			  feature(self->g, true, NVME_FEAT_ERR_RECOVERY, 7,
				  bad_set[i], NULL));
		expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_INVALID_NS),
			   NVME_SQE_OFF_NSID);
	}
}

TEST_F(feat, nsid_ignored_by_controller_features)
{
	u32 dw0;

	ASSERT_EQ(NVME_SC_SUCCESS,
		  feature(self->g, true, NVME_FEAT_KATO, 3000, 0x1234, NULL));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  feature(self->g, false, NVME_FEAT_KATO, 0, 0xffffffff, &dw0));
	EXPECT_EQ(3000U, dw0);
}

TEST_F(feat, volatile_write_cache)
{
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_VOLATILE_WC, 0));
	EXPECT_EQ(0U, get(self->g, NVME_FEAT_VOLATILE_WC, 0));
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_VOLATILE_WC, 0xffffffff));
	EXPECT_EQ(1U, get(self->g, NVME_FEAT_VOLATILE_WC, 0));
}

TEST_F(feat, number_of_queues)
{
	u32 dw0;

	/* 0's based: 2 SQs, 3 CQs asked for, and given. */
	ASSERT_EQ(NVME_SC_SUCCESS,
		  feature(self->g, true, NVME_FEAT_NUM_QUEUES, 2U << 16 | 1, 0,
			  &dw0));
	EXPECT_EQ(2U << 16 | 1, dw0);
	EXPECT_EQ(2U << 16 | 1, get(self->g, NVME_FEAT_NUM_QUEUES, 0));
	/* The allocation holds until a reset. */
	ASSERT_EQ(NVME_SC_SUCCESS,
		  feature(self->g, true, NVME_FEAT_NUM_QUEUES, 0, 0, &dw0));
	EXPECT_EQ(2U << 16 | 1, dw0);
	EXPECT_EQ((u32)(NR_IOQ - 1) << 16 | (NR_IOQ - 1),
		  get_sel(self->g, NVME_FEAT_NUM_QUEUES, NVME_FEAT_SEL_DEFAULT, 0));
}

TEST_F(feat, number_of_queues_capped)
{
	u32 dw0;

	/* Linux asks for as many as it has CPUs; the type has NR_IOQ. */
	ASSERT_EQ(NVME_SC_SUCCESS,
		  feature(self->g, true, NVME_FEAT_NUM_QUEUES,
			  0xfffeU << 16 | 0x3f, 0, &dw0));
	EXPECT_EQ((u32)(NR_IOQ - 1) << 16 | (NR_IOQ - 1), dw0);
}

TEST_F(feat, number_of_queues_bad)
{
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
		  set(self->g, NVME_FEAT_NUM_QUEUES, 0x0000ffff));
	expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), NVME_SQE_OFF_CDW11);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
		  set(self->g, NVME_FEAT_NUM_QUEUES, 0xffff0000));
	expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_INVALID_FIELD), NVME_SQE_OFF_CDW11);
	/* Nothing was allocated by those. */
	EXPECT_EQ((u32)(NR_IOQ - 1) << 16 | (NR_IOQ - 1),
		  get(self->g, NVME_FEAT_NUM_QUEUES, 0));
}

TEST_F(feat, number_of_queues_after_queue_creation)
{
	u32 dw0;

	ASSERT_EQ(NVME_SC_SUCCESS,
		  fg_create_cq(self->g, 1, 16, FG_FREE, 1, true));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_CMD_SEQ_ERROR),
		  feature(self->g, true, NVME_FEAT_NUM_QUEUES, 0, 0, &dw0));
	expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_CMD_SEQ_ERROR), LIO_NO_ERR_LOC);

	/* A controller reset: queues gone, a new allocation allowed. */
	fg_disable(self->g);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g) & NVME_CSTS_RDY);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  feature(self->g, true, NVME_FEAT_NUM_QUEUES, 0, 0, &dw0));
	EXPECT_EQ(0U, dw0);
}

TEST_F(feat, interrupt_coalescing)
{
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_IRQ_COALESCE, 0xabcd1234));
	/* THR and TIME; the upper half is reserved. */
	EXPECT_EQ(0x1234U, get(self->g, NVME_FEAT_IRQ_COALESCE, 0));
	EXPECT_EQ(0x1234U, self->g->c->feat.irq_coalesce);
}

TEST_F(feat, interrupt_vector_config)
{
	u16 iv;

	/* NR_IOQ + 1 vectors. */
	for (iv = 0; iv <= NR_IOQ; iv++)
		EXPECT_EQ((u32)iv, get(self->g, NVME_FEAT_IRQ_CONFIG, iv));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  set(self->g, NVME_FEAT_IRQ_CONFIG, 1U << 16 | NR_IOQ));
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_IRQ_CONFIG, 1U << 16 | 1));
	EXPECT_EQ(1U << 16 | NR_IOQ, get(self->g, NVME_FEAT_IRQ_CONFIG, NR_IOQ));
	EXPECT_EQ(1U << 16 | 1, get(self->g, NVME_FEAT_IRQ_CONFIG, 1));
	EXPECT_EQ(2U, get(self->g, NVME_FEAT_IRQ_CONFIG, 2));
	EXPECT_EQ(1U, get_sel(self->g, NVME_FEAT_IRQ_CONFIG,
			      NVME_FEAT_SEL_DEFAULT, 1));
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_IRQ_CONFIG, 1));
	EXPECT_EQ(1U, get(self->g, NVME_FEAT_IRQ_CONFIG, 1));
	EXPECT_EQ(1U << 16 | NR_IOQ, get(self->g, NVME_FEAT_IRQ_CONFIG, NR_IOQ));
}

TEST_F(feat, interrupt_vector_config_bad)
{
	static const u16 bad[] = { NR_IOQ + 1, LIO_MAX_VECTORS, 0xffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
			  set(self->g, NVME_FEAT_IRQ_CONFIG, 1U << 16 | bad[i]));
		expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
			   NVME_SQE_OFF_CDW11);
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
			  feature(self->g, false, NVME_FEAT_IRQ_CONFIG, bad[i], 0,
				  NULL));
		expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
			   NVME_SQE_OFF_CDW11);
	}
}

TEST_F(feat, write_atomicity)
{
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_WRITE_ATOMIC, 0xffffffff));
	EXPECT_EQ(1U, get(self->g, NVME_FEAT_WRITE_ATOMIC, 0));
}

TEST_F(feat, async_event_config)
{
	/* What Linux sets: the OAES bits it knows. */
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_ASYNC_EVENT, 0x100));
	EXPECT_EQ(0x100U, get(self->g, NVME_FEAT_ASYNC_EVENT, 0));
	/* Only the events we can raise stay enabled. */
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_ASYNC_EVENT, 0xffffffff));
	EXPECT_EQ(0x11fU, get(self->g, NVME_FEAT_ASYNC_EVENT, 0));
}

TEST_F(feat, keep_alive_timer)
{
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_KATO, 120000));
	EXPECT_EQ(120000U, get(self->g, NVME_FEAT_KATO, 0));
}

static u64 get_ts(struct __test_metadata *_metadata, struct fake_guest *g,
		  u32 sel)
{
	__le64 *data = fg_ptr(g, BUF);

	*data = cpu_to_le64(0xa5a5a5a5a5a5a5a5ULL);
	EXPECT_EQ(NVME_SC_SUCCESS,
		  feature(g, false, NVME_FEAT_TIMESTAMP | sel << 8, 0, 0, NULL));
	return le64_to_cpu(*data);
}

static u16 set_ts(struct fake_guest *g, u64 val)
{
	*(__le64 *)fg_ptr(g, BUF) = cpu_to_le64(val);
	return set(g, NVME_FEAT_TIMESTAMP, 0);
}

TEST_F(feat, timestamp)
{
	u8 *buf = fg_ptr(self->g, BUF);
	u64 t0, t1;

	/* Never set: counting from the reset, origin 000b, Synch 0. */
	t0 = get_ts(_metadata, self->g, 0);
	EXPECT_EQ(0U, t0 >> 48);
	self->g->now_ms += 1234;
	t1 = get_ts(_metadata, self->g, 0);
	EXPECT_EQ(t0 + 1234, t1);
	/* The 8 bytes and no more. */
	EXPECT_EQ(0, buf[8]);

	ASSERT_EQ(NVME_SC_SUCCESS, set_ts(self->g, 1700000000123ULL));
	EXPECT_EQ(1700000000123ULL | TS_ORIGIN_SET, get_ts(_metadata, self->g, 0));
	self->g->now_ms += 500;
	EXPECT_EQ(1700000000623ULL | TS_ORIGIN_SET, get_ts(_metadata, self->g, 0));

	/* Bytes 7:6 of a Set are reserved: ignored. */
	ASSERT_EQ(NVME_SC_SUCCESS, set_ts(self->g, 0xffff000000000010ULL));
	EXPECT_EQ(0x10 | TS_ORIGIN_SET, get_ts(_metadata, self->g, 0));

	/* The 48-bit counter wraps. */
	ASSERT_EQ(NVME_SC_SUCCESS, set_ts(self->g, TS_MASK));
	self->g->now_ms += 2;
	EXPECT_EQ(1 | TS_ORIGIN_SET, get_ts(_metadata, self->g, 0));

	/* Default and saved: a timestamp just reset. */
	EXPECT_EQ(0ULL, get_ts(_metadata, self->g, NVME_FEAT_SEL_DEFAULT));
	EXPECT_EQ(0ULL, get_ts(_metadata, self->g, NVME_FEAT_SEL_SAVED));

	/* A controller reset forgets the host's time. */
	fg_disable(self->g);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g) & NVME_CSTS_RDY);
	EXPECT_EQ(0U, get_ts(_metadata, self->g, 0) >> 48);
}

TEST_F(feat, timestamp_capabilities_transfer_nothing)
{
	u32 dw0;
	u8 *saved = fg_mem_save(self->g);

	ASSERT_EQ(NVME_SC_SUCCESS,
		  feature(self->g, false,
			  NVME_FEAT_TIMESTAMP | NVME_FEAT_SEL_SUPPORTED << 8, 0, 0,
			  &dw0));
	EXPECT_EQ((u32)NVME_FEAT_CAP_CHANGE, dw0);
	EXPECT_TRUE(fg_mem_unchanged(self->g, saved));
	free(saved);
}

TEST_F(feat, timestamp_prp_outside_guest_memory)
{
	u8 *saved = fg_mem_save(self->g);
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	unsigned int faults = self->g->dma_faults;

	/* Get: nothing written anywhere. */
	nb_get_features(&sqe, NVME_FEAT_TIMESTAMP, NVME_FEAT_SEL_CURRENT, 0);
	sqe.prp1 = cpu_to_le64(FG_MEM_BASE - 0x1000);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_DATA_XFER_ERROR), fg_status(&cqe));
	ASSERT_LT(faults, self->g->dma_faults);
	ASSERT_TRUE(fg_mem_unchanged(self->g, saved));
	expect_err(_metadata, self->g, FG_ADMIN_ERR(NVME_SC_DATA_XFER_ERROR), NVME_SQE_OFF_PRP1);

	/* Set: nothing read, nothing set. */
	faults = self->g->dma_faults;
	nb_set_features(&sqe, NVME_FEAT_TIMESTAMP, false, 0);
	sqe.prp1 = cpu_to_le64(FG_MEM_BASE + FG_MEM_SIZE);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_DATA_XFER_ERROR), fg_status(&cqe));
	ASSERT_LT(faults, self->g->dma_faults);
	EXPECT_EQ(0U, get_ts(_metadata, self->g, 0) >> 48);
	free(saved);
}

TEST_F(feat, reset_restores_defaults)
{
	unsigned int i;

	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_ARBITRATION, 0x01020300));
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_TEMP_THRESH, 300));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  feature(self->g, true, NVME_FEAT_ERR_RECOVERY, 9, 1, NULL));
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_VOLATILE_WC, 0));
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_NUM_QUEUES, 0));
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_IRQ_COALESCE, 0x0101));
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_IRQ_CONFIG, 1U << 16));
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_WRITE_ATOMIC, 1));
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_ASYNC_EVENT, 0x100));
	ASSERT_EQ(NVME_SC_SUCCESS, set(self->g, NVME_FEAT_KATO, 5000));

	fg_disable(self->g);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g) & NVME_CSTS_RDY);
	for (i = 0; i < ARRAY_SIZE(supported); i++) {
		u8 fid = supported[i].fid;
		u32 dw0;

		if (fid == NVME_FEAT_TIMESTAMP)
			continue;
		ASSERT_EQ(NVME_SC_SUCCESS,
			  feature(self->g, false, fid, 0, nsid_for(fid), &dw0));
		EXPECT_EQ(supported[i].def, dw0) {
			TH_LOG("fid %#x", fid);
		}
	}
}

TEST_HARNESS_MAIN
