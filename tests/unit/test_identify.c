// SPDX-License-Identifier: GPL-2.0
/*
 * Identify: every CNS we answer, every field a host reads, and the
 * identities derived from the mdev UUID; bad CNS, NSID, CSI and PRPs.
 */
#include <stdlib.h>

#include "../lib/lio_harness.h"
#include "fake_guest.h"

#define BUF	FG_DATA
#define POISON	0xa5

/* fg_new()'s UUID and what follows from it. */
static const u8 uuid[16] = {
	0x6c, 0x1e, 0x5a, 0x10, 0x4c, 0x10, 0x40, 0x01,
	0x80, 0x01, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
/* The halves XORed: ec 1f 5a 01 6e 23 04 54; EUI-64 with the U/L bit. */
static const u8 eui64[8] = { 0xee, 0x1f, 0x5a, 0x01, 0x6e, 0x23, 0x04, 0x54 };
#define SN	"LIOEC1F5A016E230454 "
#define NQN	"nqn.2026-11.io.leapio:vdev:6c1e5a10-4c10-4001-8001-001122334455"

FIXTURE(id) {
	struct fake_guest *g;
	u8 *buf;
};

FIXTURE_SETUP(id)
{
	self->g = fg_new(4);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g) & NVME_CSTS_RDY);
	self->buf = fg_ptr(self->g, BUF);
	memset(self->buf, POISON, 2 * 4096);
}

FIXTURE_TEARDOWN(id)
{
	fg_free(self->g);
}

static u16 identify(struct fake_guest *g, u8 cns, u32 nsid, u32 cdw11)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_identify(&sqe, cns, nsid, BUF);
	sqe.cdw11 = cpu_to_le32(cdw11);
	if (fg_admin(g, &sqe, &cqe))
		return 0xffff;
	return fg_status(&cqe);
}

/*
 * A failed identify wrote nothing, and the error log tells what failed:
 * status, with Do Not Retry.
 */
static void expect_failed(struct __test_metadata *_metadata,
			  struct fake_guest *g, u16 status, u16 loc, u32 nsid)
{
	struct nvme_error_log_entry e;

	ASSERT_TRUE(fg_filled(fg_ptr(g, BUF), POISON, 4096));
	ASSERT_EQ(0, fg_err_log_newest(g, &e));
	ASSERT_EQ(FG_ADMIN_ERR(status), le16_to_cpu(e.status_field));
	ASSERT_EQ(loc, le16_to_cpu(e.param_error_location));
	ASSERT_EQ(nsid, le32_to_cpu(e.nsid));
	ASSERT_EQ(0, le16_to_cpu(e.sqid));
	ASSERT_EQ(g->next_cid - 2, le16_to_cpu(e.cmdid));
}

TEST_F(id, controller)
{
	struct nvme_id_ctrl *id = (struct nvme_id_ctrl *)self->buf;
	struct nvme_id_power_state *ps = &id->psd[0];

	ASSERT_EQ(NVME_SC_SUCCESS, identify(self->g, NVME_ID_CNS_CTRL, 0, 0));
	EXPECT_EQ(LEAPIO_PCI_VENDOR_ID, le16_to_cpu(id->vid));
	EXPECT_EQ(LEAPIO_PCI_SUBSYS_VENDOR_ID, le16_to_cpu(id->ssvid));
	EXPECT_EQ(0, memcmp(id->sn, SN, 20));
	EXPECT_EQ(0, memcmp(id->mn, "LeapIO Virtual NVMe Controller          ", 40));
	EXPECT_EQ(0, memcmp(id->fr, "1.0     ", 8));
	EXPECT_TRUE(fg_filled(id->ieee, 0, 3));
	EXPECT_EQ(0, id->cmic);
	EXPECT_EQ(LIO_MDTS, id->mdts);
	EXPECT_EQ(1, le16_to_cpu(id->cntlid));
	EXPECT_EQ(0x00010400U, le32_to_cpu(id->ver));
	EXPECT_EQ(1U << 8, le32_to_cpu(id->oaes));
	EXPECT_EQ(0U, le32_to_cpu(id->ctratt));
	EXPECT_EQ(1, id->cntrltype);
	/* Namespace Management, Doorbell Buffer Config, Get LBA Status */
	EXPECT_EQ(1U << 3 | 1U << 8 | 1U << 9, le16_to_cpu(id->oacs));
	EXPECT_EQ(3, id->acl);
	EXPECT_EQ(3, id->aerl);
	EXPECT_EQ(0x03, id->frmw);
	EXPECT_EQ(0x07, id->lpa);
	EXPECT_EQ(63, id->elpe);
	EXPECT_EQ(0, id->npss);
	EXPECT_EQ(0, id->apsta);
	EXPECT_EQ(343, le16_to_cpu(id->wctemp));
	EXPECT_EQ(358, le16_to_cpu(id->cctemp));
	EXPECT_EQ(0U, le32_to_cpu(id->hmpre));
	EXPECT_EQ(LEAPIO_DEFAULT_NS_SIZE, le64_to_cpu(*(__le64 *)id->tnvmcap));
	EXPECT_TRUE(fg_filled(id->tnvmcap + 8, 0, 8));
	EXPECT_TRUE(fg_filled(id->unvmcap, 0, 16));
	EXPECT_EQ(10, le16_to_cpu(id->kas));
	EXPECT_EQ(0x66, id->sqes);
	EXPECT_EQ(0x44, id->cqes);
	EXPECT_EQ(1024, le16_to_cpu(id->maxcmd));
	EXPECT_EQ((u32)LIO_NN, le32_to_cpu(id->nn));
	/*
	 * Compare, Write Uncorrectable, DSM, Write Zeroes, Save/Select,
	 * Timestamp, Verify, Copy; Copy's source range format 0h.
	 */
	EXPECT_EQ(0x1df, le16_to_cpu(id->oncs));
	EXPECT_EQ(1, le16_to_cpu(id->ocfs));
	EXPECT_EQ(0, le16_to_cpu(id->fuses));
	EXPECT_EQ(0x07, id->vwc);
	EXPECT_EQ(0U, le32_to_cpu(id->sgls));
	EXPECT_STREQ(NQN, id->subnqn);
	EXPECT_TRUE(fg_filled((u8 *)id->subnqn + sizeof(NQN), 0,
			sizeof(id->subnqn) - sizeof(NQN)));
	EXPECT_EQ(2500, le16_to_cpu(ps->max_power));
	EXPECT_EQ(0, ps->flags);
	EXPECT_TRUE(fg_filled((u8 *)&id->psd[1], 0, 31 * sizeof(*ps)));
	EXPECT_TRUE(fg_filled(id->vs, 0, sizeof(id->vs)));
	/* Nothing past the structure. */
	EXPECT_TRUE(fg_filled(self->buf + 4096, POISON, 4096));
}

TEST_F(id, controller_other_params)
{
	struct nvme_id_ctrl *id = (struct nvme_id_ctrl *)self->buf;
	struct lio_vctrl_params p = self->g->c->p;

	/* A new controller with other ids, on the same fake guest. */
	p.cntlid = 0x1234;
	p.pci_vendor = 0xabcd;
	p.pci_subsys_vendor = 0x5678;
	lio_vctrl_init(self->g->c, &p, self->g->c->ops, self->g);
	fg_cfg_write(self->g, 0x04, 0x0006, 2);
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g) & NVME_CSTS_RDY);
	ASSERT_EQ(NVME_SC_SUCCESS, identify(self->g, NVME_ID_CNS_CTRL, 0, 0));
	EXPECT_EQ(0xabcd, le16_to_cpu(id->vid));
	EXPECT_EQ(0x5678, le16_to_cpu(id->ssvid));
	EXPECT_EQ(0x1234, le16_to_cpu(id->cntlid));
}

TEST_F(id, namespace_512)
{
	struct nvme_id_ns *ns = (struct nvme_id_ns *)self->buf;
	u64 nlb = LEAPIO_DEFAULT_NS_SIZE / 512;

	ASSERT_EQ(NVME_SC_SUCCESS, identify(self->g, NVME_ID_CNS_NS, 1, 0));
	EXPECT_EQ(nlb, le64_to_cpu(ns->nsze));
	EXPECT_EQ(nlb, le64_to_cpu(ns->ncap));
	EXPECT_EQ(nlb, le64_to_cpu(ns->nuse));
	EXPECT_EQ(0, ns->nsfeat);
	EXPECT_EQ(1, ns->nlbaf);
	EXPECT_EQ(0, ns->flbas);
	EXPECT_EQ(0, ns->mc);
	EXPECT_EQ(0, ns->dpc);
	EXPECT_EQ(0, ns->dps);
	EXPECT_EQ(0, ns->nmic);
	EXPECT_EQ(LEAPIO_DEFAULT_NS_SIZE, le64_to_cpu(*(__le64 *)ns->nvmcap));
	EXPECT_TRUE(fg_filled(ns->nvmcap + 8, 0, 8));
	EXPECT_EQ(0, memcmp(ns->nguid, uuid, 16));
	EXPECT_EQ(0, memcmp(ns->eui64, eui64, 8));
	EXPECT_EQ(0, le16_to_cpu(ns->lbaf[0].ms));
	EXPECT_EQ(9, ns->lbaf[0].ds);
	EXPECT_EQ(0, ns->lbaf[0].rp);
	EXPECT_EQ(0, le16_to_cpu(ns->lbaf[1].ms));
	EXPECT_EQ(12, ns->lbaf[1].ds);
	EXPECT_EQ(0, ns->lbaf[1].rp);
	/* Copy: 128 ranges (0's based), 64 MiB in all, each of 65535 at most. */
	EXPECT_EQ(127, ns->msrc);
	EXPECT_EQ(131072U, le32_to_cpu(ns->mcl));
	EXPECT_EQ(65535, le16_to_cpu(ns->mssrl));
	EXPECT_TRUE(fg_filled((u8 *)&ns->lbaf[2], 0, 62 * sizeof(ns->lbaf[0])));
	EXPECT_TRUE(fg_filled(ns->vs, 0, sizeof(ns->vs)));
}

TEST(namespace_4k)
{
	struct fake_guest *g = fg_new(1);
	struct nvme_id_ns *ns = fg_ptr(g, BUF);

	/* Geometry is set before the device is opened. */
	ASSERT_EQ(0, lio_vctrl_set_ns(g->c, 1, 8ULL << 30, 4096));
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(g) & NVME_CSTS_RDY);
	ASSERT_EQ(NVME_SC_SUCCESS, identify(g, NVME_ID_CNS_NS, 1, 0));
	EXPECT_EQ((8ULL << 30) / 4096, le64_to_cpu(ns->nsze));
	EXPECT_EQ((8ULL << 30) / 4096, le64_to_cpu(ns->ncap));
	EXPECT_EQ((8ULL << 30) / 4096, le64_to_cpu(ns->nuse));
	EXPECT_EQ(1, ns->nlbaf);
	EXPECT_EQ(1, ns->flbas);
	EXPECT_EQ(8ULL << 30, le64_to_cpu(*(__le64 *)ns->nvmcap));
	EXPECT_EQ(12, ns->lbaf[ns->flbas].ds);
	/* Copy's 64 MiB are fewer blocks at 4 KiB, and so is MSSRL. */
	EXPECT_EQ(127, ns->msrc);
	EXPECT_EQ(16384U, le32_to_cpu(ns->mcl));
	EXPECT_EQ(16384, le16_to_cpu(ns->mssrl));
	fg_free(g);
}

TEST_F(id, namespace_bad_nsid)
{
	/* FFFFFFFFh is what all namespaces have in common (ns_mgmt). */
	static const u32 bad[] = { 0, LIO_NN + 1, 0x12345678, 0xfffffffe };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
			  identify(self->g, NVME_ID_CNS_NS, bad[i], 0));
		expect_failed(_metadata, self->g, NVME_SC_INVALID_NS,
			      NVME_SQE_OFF_NSID, bad[i]);
	}
}

/* NSIDs up to NN that name no namespace: a zeroed structure, no error. */
TEST_F(id, inactive_nsid_reads_zeroes)
{
	static const u32 inactive[] = { 2, 9, LIO_NN };
	static const u8 cns[] = { NVME_ID_CNS_NS, NVME_ID_CNS_NS_CS_INDEP };
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(inactive); i++)
		for (j = 0; j < ARRAY_SIZE(cns); j++) {
			memset(self->buf, POISON, 4096);
			ASSERT_EQ(NVME_SC_SUCCESS,
				  identify(self->g, cns[j], inactive[i], 0));
			EXPECT_TRUE(fg_filled(self->buf, 0, 4096));
		}
}

/* Namespaces 1, 3 and 7, of two formats: each its own. */
TEST_F(id, several_namespaces)
{
	struct nvme_id_ctrl *ctrl = (struct nvme_id_ctrl *)self->buf;
	struct nvme_id_ns *ns = (struct nvme_id_ns *)self->buf;
	struct lio_vctrl *c = self->g->c;
	__le32 *list = (__le32 *)self->buf;
	u8 descs[3][4096];
	unsigned int i;

	/* Geometry is set while the device is closed, as sysfs does. */
	ASSERT_EQ(0, lio_vctrl_set_ns(c, 3, 1ULL << 30, 4096));
	ASSERT_EQ(0, lio_vctrl_set_ns(c, 7, 64ULL << 20, 512));

	ASSERT_EQ(NVME_SC_SUCCESS,
		  identify(self->g, NVME_ID_CNS_NS_ACTIVE_LIST, 0, 0));
	EXPECT_EQ(1U, le32_to_cpu(list[0]));
	EXPECT_EQ(3U, le32_to_cpu(list[1]));
	EXPECT_EQ(7U, le32_to_cpu(list[2]));
	EXPECT_TRUE(fg_filled(self->buf + 12, 0, 4096 - 12));
	/* The list starts after the NSID given. */
	ASSERT_EQ(NVME_SC_SUCCESS,
		  identify(self->g, NVME_ID_CNS_NS_ACTIVE_LIST, 3, 0));
	EXPECT_EQ(7U, le32_to_cpu(list[0]));
	EXPECT_TRUE(fg_filled(self->buf + 4, 0, 4096 - 4));
	ASSERT_EQ(NVME_SC_SUCCESS,
		  identify(self->g, NVME_ID_CNS_NS_ACTIVE_LIST, 7, 0));
	EXPECT_TRUE(fg_filled(self->buf, 0, 4096));

	ASSERT_EQ(NVME_SC_SUCCESS, identify(self->g, NVME_ID_CNS_CTRL, 0, 0));
	EXPECT_EQ((u32)LIO_NN, le32_to_cpu(ctrl->nn));
	/* TNVMCAP: what the namespaces hold together. */
	EXPECT_EQ(LEAPIO_DEFAULT_NS_SIZE + (1ULL << 30) + (64ULL << 20),
		  le64_to_cpu(*(__le64 *)ctrl->tnvmcap));

	ASSERT_EQ(NVME_SC_SUCCESS, identify(self->g, NVME_ID_CNS_NS, 3, 0));
	EXPECT_EQ(1ULL << 18, le64_to_cpu(ns->nsze));
	EXPECT_EQ(1, ns->flbas);
	ASSERT_EQ(NVME_SC_SUCCESS, identify(self->g, NVME_ID_CNS_NS, 7, 0));
	EXPECT_EQ(1ULL << 17, le64_to_cpu(ns->nsze));
	EXPECT_EQ(0, ns->flbas);
	ASSERT_EQ(NVME_SC_SUCCESS, identify(self->g, NVME_ID_CNS_NS, 1, 0));
	EXPECT_EQ(LEAPIO_DEFAULT_NS_SIZE >> 9, le64_to_cpu(ns->nsze));

	/* Identifiers differ between namespaces, each one of them. */
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(NVME_SC_SUCCESS,
			  identify(self->g, NVME_ID_CNS_NS_DESC_LIST,
				   (u32[]){ 1, 3, 7 }[i], 0));
		memcpy(descs[i], self->buf, 4096);
	}
	/* EUI-64 at 4, NGUID at 16, UUID at 36 (after their headers). */
	for (i = 1; i < 3; i++) {
		EXPECT_NE(0, memcmp(descs[0] + 4, descs[i] + 4, 8));
		EXPECT_NE(0, memcmp(descs[0] + 16, descs[i] + 16, 16));
		EXPECT_NE(0, memcmp(descs[0] + 36, descs[i] + 36, 16));
	}
	EXPECT_NE(0, memcmp(descs[1] + 16, descs[2] + 16, 16));

	/* Removed: out of the list, zeroes, no descriptors. */
	fg_free(self->g);
	self->g = fg_new(4);
	c = self->g->c;
	ASSERT_EQ(0, lio_vctrl_set_ns(c, 3, 1ULL << 30, 4096));
	ASSERT_EQ(0, lio_vctrl_set_ns(c, 3, 0, 0));
	ASSERT_EQ(NVME_CSTS_RDY, fg_enable(self->g) & NVME_CSTS_RDY);
	self->buf = fg_ptr(self->g, BUF);
	list = (__le32 *)self->buf;
	ASSERT_EQ(NVME_SC_SUCCESS,
		  identify(self->g, NVME_ID_CNS_NS_ACTIVE_LIST, 0, 0));
	EXPECT_EQ(1U, le32_to_cpu(list[0]));
	EXPECT_TRUE(fg_filled(self->buf + 4, 0, 4096 - 4));
	memset(self->buf, POISON, 4096);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
		  identify(self->g, NVME_ID_CNS_NS_DESC_LIST, 3, 0));
}

TEST_F(id, active_ns_list)
{
	__le32 *list = (__le32 *)self->buf;

	ASSERT_EQ(NVME_SC_SUCCESS,
		  identify(self->g, NVME_ID_CNS_NS_ACTIVE_LIST, 0, 0));
	EXPECT_EQ(1U, le32_to_cpu(list[0]));
	EXPECT_TRUE(fg_filled(self->buf + 4, 0, 4092));

	/* Only NSIDs greater than the one given. */
	memset(self->buf, POISON, 4096);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  identify(self->g, NVME_ID_CNS_NS_ACTIVE_LIST, 1, 0));
	EXPECT_TRUE(fg_filled(self->buf, 0, 4096));
	memset(self->buf, POISON, 4096);
	ASSERT_EQ(NVME_SC_SUCCESS,
		  identify(self->g, NVME_ID_CNS_NS_ACTIVE_LIST, 0x1000, 0));
	EXPECT_TRUE(fg_filled(self->buf, 0, 4096));
}

TEST_F(id, active_ns_list_bad_nsid)
{
	memset(self->buf, POISON, 4096);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
		  identify(self->g, NVME_ID_CNS_NS_ACTIVE_LIST, 0xfffffffe, 0));
	expect_failed(_metadata, self->g, NVME_SC_INVALID_NS,
		      NVME_SQE_OFF_NSID, 0xfffffffe);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
		  identify(self->g, NVME_ID_CNS_NS_ACTIVE_LIST, 0xffffffff, 0));
	expect_failed(_metadata, self->g, NVME_SC_INVALID_NS,
		      NVME_SQE_OFF_NSID, 0xffffffff);
}

TEST_F(id, ns_descriptors)
{
	static const u8 expect[] = {
		NVME_NIDT_EUI64, 8, 0, 0,
		0xee, 0x1f, 0x5a, 0x01, 0x6e, 0x23, 0x04, 0x54,
		NVME_NIDT_NGUID, 16, 0, 0,
		0x6c, 0x1e, 0x5a, 0x10, 0x4c, 0x10, 0x40, 0x01,
		0x80, 0x01, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
		NVME_NIDT_UUID, 16, 0, 0,
		0x6c, 0x1e, 0x5a, 0x10, 0x4c, 0x10, 0x40, 0x01,
		0x80, 0x01, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
		NVME_NIDT_CSI, 1, 0, 0, NVME_CSI_NVM,
	};

	ASSERT_EQ(NVME_SC_SUCCESS,
		  identify(self->g, NVME_ID_CNS_NS_DESC_LIST, 1, 0));
	EXPECT_EQ(0, memcmp(self->buf, expect, sizeof(expect)));
	/* The list ends with a zero descriptor. */
	EXPECT_TRUE(fg_filled(self->buf + sizeof(expect), 0, 4096 - sizeof(expect)));
}

TEST_F(id, ns_descriptors_bad_nsid)
{
	/* Descriptors are an active namespace's: 2 is inactive. */
	static const u32 bad[] = { 0, 2, LIO_NN + 1, 0xffffffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
			  identify(self->g, NVME_ID_CNS_NS_DESC_LIST, bad[i], 0));
		expect_failed(_metadata, self->g, NVME_SC_INVALID_NS,
			      NVME_SQE_OFF_NSID, bad[i]);
	}
}

TEST_F(id, cs_namespace_nvm)
{
	ASSERT_EQ(NVME_SC_SUCCESS,
		  identify(self->g, NVME_ID_CNS_CS_NS, 1, NVME_CSI_NVM << 24));
	EXPECT_TRUE(fg_filled(self->buf, 0, 4096));
	EXPECT_TRUE(fg_filled(self->buf + 4096, POISON, 4096));
}

TEST_F(id, cs_namespace_bad)
{
	/* Key Value (1) and Zoned (2) command sets: not ours. */
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
		  identify(self->g, NVME_ID_CNS_CS_NS, 1, 1U << 24));
	expect_failed(_metadata, self->g, NVME_SC_INVALID_FIELD,
		      NVME_SQE_OFF_CDW11, 1);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
		  identify(self->g, NVME_ID_CNS_CS_NS, 1, 2U << 24));
	expect_failed(_metadata, self->g, NVME_SC_INVALID_FIELD,
		      NVME_SQE_OFF_CDW11, 1);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
		  identify(self->g, NVME_ID_CNS_CS_NS, 0, 0));
	expect_failed(_metadata, self->g, NVME_SC_INVALID_NS,
		      NVME_SQE_OFF_NSID, 0);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
		  identify(self->g, NVME_ID_CNS_CS_NS, 0xffffffff, 0));
	expect_failed(_metadata, self->g, NVME_SC_INVALID_NS,
		      NVME_SQE_OFF_NSID, 0xffffffff);
}

TEST_F(id, cs_controller_nvm)
{
	struct nvme_id_ctrl_nvm *id = (struct nvme_id_ctrl_nvm *)self->buf;

	ASSERT_EQ(NVME_SC_SUCCESS,
		  identify(self->g, NVME_ID_CNS_CS_CTRL, 0, NVME_CSI_NVM << 24));
	EXPECT_EQ(LIO_MDTS, id->vsl);
	EXPECT_EQ(LIO_MDTS, id->wzsl);
	EXPECT_EQ(LIO_MDTS, id->wusl);
	EXPECT_EQ(0, id->dmrl);
	EXPECT_EQ(0U, le32_to_cpu(id->dmrsl));
	EXPECT_EQ(0ULL, le64_to_cpu(id->dmsl));
	EXPECT_TRUE(fg_filled(id->rsvd16, 0, sizeof(id->rsvd16)));
}

TEST_F(id, cs_controller_bad_csi)
{
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
		  identify(self->g, NVME_ID_CNS_CS_CTRL, 0, 2U << 24));
	expect_failed(_metadata, self->g, NVME_SC_INVALID_FIELD,
		      NVME_SQE_OFF_CDW11, 0);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
		  identify(self->g, NVME_ID_CNS_CS_CTRL, 0, 0xffU << 24));
	expect_failed(_metadata, self->g, NVME_SC_INVALID_FIELD,
		      NVME_SQE_OFF_CDW11, 0);
}

TEST_F(id, cs_independent_namespace)
{
	struct nvme_id_ns_cs_indep *id = (struct nvme_id_ns_cs_indep *)self->buf;

	ASSERT_EQ(NVME_SC_SUCCESS,
		  identify(self->g, NVME_ID_CNS_NS_CS_INDEP, 1, 0));
	EXPECT_EQ(1, id->nstat);
	EXPECT_EQ(0, id->nsfeat);
	EXPECT_EQ(0, id->nmic);
	EXPECT_EQ(0, id->nsattr);
	EXPECT_EQ(0U, le32_to_cpu(id->anagrpid));
	EXPECT_TRUE(fg_filled(self->buf + 15, 0, 4096 - 15));

	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
		  identify(self->g, NVME_ID_CNS_NS_CS_INDEP, 0, 0));
	/* The failed command wrote nothing over the first one's data. */
	EXPECT_EQ(1, id->nstat);
	ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_NS),
		  identify(self->g, NVME_ID_CNS_NS_CS_INDEP, LIO_NN + 1, 0));
}

TEST_F(id, bad_cns)
{
	static const u8 bad[] = { 0x04, 0x07, 0x09, 0x14, 0x15, 0x16, 0x17,
				  0x1c, 0x1f, 0x20,
				  0x80, 0xc0, 0xff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_INVALID_FIELD),
			  identify(self->g, bad[i], 1, 0));
		expect_failed(_metadata, self->g, NVME_SC_INVALID_FIELD,
			      NVME_SQE_OFF_CDW10, 1);
	}
}

TEST_F(id, cns_upper_bits_ignored)
{
	/* CNTID (CDW10 [31:16]) is no part of the CNS. */
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, BUF);
	sqe.cdw10 = cpu_to_le32(0xffff0000U | NVME_ID_CNS_CTRL);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	EXPECT_EQ(0, memcmp(((struct nvme_id_ctrl *)self->buf)->sn, SN, 20));
}

TEST_F(id, prp_across_pages)
{
	struct nvme_id_ctrl *id;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	/* Half a page at the end of one page, half at a second page
	 * that is not the next one.
	 */
	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, BUF + 0x800);
	sqe.prp2 = cpu_to_le64(FG_FREE);
	ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_SUCCESS, fg_status(&cqe));
	id = (struct nvme_id_ctrl *)(self->buf + 0x800);
	EXPECT_EQ(LEAPIO_PCI_VENDOR_ID, le16_to_cpu(id->vid));
	EXPECT_EQ(0, memcmp(id->sn, SN, 20));
	/* The second half: psd[] starts at 2048. */
	EXPECT_EQ(2500, le16_to_cpu(((struct nvme_id_power_state *)
				     fg_ptr(self->g, FG_FREE))->max_power));
	EXPECT_TRUE(fg_filled(self->buf + 0x1000, POISON, 0x1000));
}

TEST_F(id, prp_outside_guest_memory)
{
	static const u8 cns[] = { NVME_ID_CNS_NS, NVME_ID_CNS_CTRL,
				  NVME_ID_CNS_NS_ACTIVE_LIST,
				  NVME_ID_CNS_NS_DESC_LIST,
				  NVME_ID_CNS_CS_NS, NVME_ID_CNS_CS_CTRL,
				  NVME_ID_CNS_NS_CS_INDEP };
	u8 *saved = fg_mem_save(self->g);
	struct nvme_error_log_entry e;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cns); i++) {
		unsigned int faults = self->g->dma_faults;

		nb_identify(&sqe, cns[i], 1, FG_MEM_BASE + FG_MEM_SIZE);
		ASSERT_EQ(0, fg_admin(self->g, &sqe, &cqe));
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_DATA_XFER_ERROR), fg_status(&cqe));
		ASSERT_LT(faults, self->g->dma_faults);
		ASSERT_TRUE(fg_mem_unchanged(self->g, saved));

		ASSERT_EQ(0, fg_err_log_newest(self->g, &e));
		ASSERT_EQ(FG_ADMIN_ERR(NVME_SC_DATA_XFER_ERROR), le16_to_cpu(e.status_field));
		ASSERT_EQ(le16_to_cpu(sqe.cid), le16_to_cpu(e.cmdid));
	}
	free(saved);
}

TEST(identities_from_uuid)
{
	static const u8 zero[16];
	struct lio_vctrl *a = calloc(1, sizeof(*a));
	struct lio_vctrl *b = calloc(1, sizeof(*b));
	int i;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);

	/* All zero: an EUI-64 of zero would read as none. */
	memcpy(a->p.uuid, zero, 16);
	lio_identity_init(a);
	EXPECT_EQ(0, memcmp(a->sn, "LIO0000000000000000 ", 20));
	EXPECT_STREQ("nqn.2026-11.io.leapio:vdev:"
		     "00000000-0000-0000-0000-000000000000", a->subnqn);
	EXPECT_FALSE(fg_filled(a->eui64, 0, 8));
	EXPECT_TRUE(fg_filled(a->nguid, 0, 16));

	/* Sequential UUIDs, as scripts make them, differ in every id. */
	for (i = 0; i < 16; i++) {
		memset(b->p.uuid, 0, 16);
		b->p.uuid[i] = 1;
		lio_identity_init(b);
		EXPECT_NE(0, memcmp(a->sn, b->sn, 20));
		EXPECT_NE(0, memcmp(a->eui64, b->eui64, 8));
		EXPECT_NE(0, memcmp(a->nguid, b->nguid, 16));
		EXPECT_NE(0, strcmp(a->subnqn, b->subnqn));
	}

	memset(b->p.uuid, 0xff, 16);
	b->p.uuid[15] = 0xfe;
	lio_identity_init(b);
	EXPECT_STREQ("nqn.2026-11.io.leapio:vdev:"
		     "ffffffff-ffff-ffff-ffff-fffffffffffe", b->subnqn);
	EXPECT_EQ(0, memcmp(b->sn, "LIO0000000000000001 ", 20));
	free(a);
	free(b);
}

TEST_HARNESS_MAIN
