// SPDX-License-Identifier: GPL-2.0
/*
 * NVMe controller registers in BAR0: CAP and VS as documented in
 * Documentation/abi/pci-function.rst, the enable / disable handshake,
 * shutdown notification, and a fatal status for a CC the controller
 * cannot run with.
 */
#include "lio_test.h"

FIXTURE(regs) {
	struct lio l;
};

FIXTURE_SETUP(regs)
{
	LIO_SETUP(&self->l, NULL);
}

FIXTURE_TEARDOWN(regs)
{
	LIO_TEARDOWN(&self->l);
}

#define CAP_FIELD(cap, shift, bits)	(((cap) >> (shift)) & ((1ULL << (bits)) - 1))

TEST_F(regs, cap)
{
	uint64_t cap = REG_RD64(&self->l, NVME_REG_CAP);

	TH_LOG("CAP %#018llx", (unsigned long long)cap);
	ASSERT_EQ(1023, CAP_FIELD(cap, NVME_CAP_MQES_SHIFT, 16));
	ASSERT_NE(0, cap & NVME_CAP_CQR);
	ASSERT_EQ(0, CAP_FIELD(cap, NVME_CAP_AMS_SHIFT, 2));	/* round robin only */
	ASSERT_EQ(20, CAP_FIELD(cap, NVME_CAP_TO_SHIFT, 8));	/* 10 s */
	ASSERT_EQ(LEAPIO_DSTRD, CAP_FIELD(cap, NVME_CAP_DSTRD_SHIFT, 4));
	ASSERT_EQ(0, cap & NVME_CAP_NSSRS);
	ASSERT_NE(0, cap & NVME_CAP_CSS_NVM);
	ASSERT_EQ(0, cap & NVME_CAP_BPS);
	ASSERT_EQ(0, CAP_FIELD(cap, NVME_CAP_MPSMIN_SHIFT, 4));	/* 4 KiB */
	ASSERT_EQ(0, CAP_FIELD(cap, NVME_CAP_MPSMAX_SHIFT, 4));
	/* The two halves read as dwords agree with the qword. */
	ASSERT_EQ((uint32_t)cap, REG_RD32(&self->l, NVME_REG_CAP));
	ASSERT_EQ((uint32_t)(cap >> 32), REG_RD32(&self->l, NVME_REG_CAP + 4));
}

TEST_F(regs, vs_and_read_only)
{
	struct lio *l = &self->l;
	uint64_t cap = REG_RD64(l, NVME_REG_CAP);

	ASSERT_EQ(0x10400, REG_RD32(l, NVME_REG_VS));
	REG_WR64(l, NVME_REG_CAP, ~cap);
	REG_WR32(l, NVME_REG_VS, 0);
	ASSERT_EQ(cap, REG_RD64(l, NVME_REG_CAP));
	ASSERT_EQ(0x10400, REG_RD32(l, NVME_REG_VS));
	/* No controller memory buffer, no subsystem reset. */
	ASSERT_EQ(0, REG_RD32(l, NVME_REG_CMBLOC));
	ASSERT_EQ(0, REG_RD32(l, NVME_REG_CMBSZ));
}

TEST_F(regs, power_on_state)
{
	struct lio *l = &self->l;

	ASSERT_EQ(0, REG_RD32(l, NVME_REG_CC));
	ASSERT_EQ(0, REG_RD32(l, NVME_REG_CSTS));
	ASSERT_EQ(0, REG_RD32(l, NVME_REG_INTMS));
}

TEST_F(regs, admin_queue_registers)
{
	struct lio *l = &self->l;

	REG_WR32(l, NVME_REG_AQA, 0x001f001f);
	REG_WR64(l, NVME_REG_ASQ, GMEM_IOVA_BASE + 0x3000);
	REG_WR64(l, NVME_REG_ACQ, GMEM_IOVA_BASE + 0x4000);
	ASSERT_EQ(0x001f001f, REG_RD32(l, NVME_REG_AQA));
	ASSERT_EQ(GMEM_IOVA_BASE + 0x3000, REG_RD64(l, NVME_REG_ASQ));
	ASSERT_EQ(GMEM_IOVA_BASE + 0x4000, REG_RD64(l, NVME_REG_ACQ));
}

static void identify_works(struct __test_metadata *_metadata, struct lio *l)
{
	struct nvme_id_ctrl *id;
	struct nvme_sqe sqe;
	uint64_t iova;

	id = gmem_alloc_pages(&l->mem, sizeof(*id), &iova);
	ASSERT_NE(NULL, id);
	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, iova);
	ADMIN_OK(l, &sqe);
	ASSERT_EQ(LEAPIO_PCI_VENDOR_ID, le16toh(id->vid));
}

TEST_F(regs, enable_disable_cycles)
{
	struct lio *l = &self->l;
	int i;

	for (i = 0; i < 8; i++) {
		TH_LOG("cycle %d", i);
		LIO_ENABLE(l);
		ASSERT_EQ(NVME_CSTS_RDY, REG_RD32(l, NVME_REG_CSTS));
		ASSERT_EQ(nvd_cc_default(), REG_RD32(l, NVME_REG_CC));
		identify_works(_metadata, l);
		ASSERT_EQ(0, nvd_disable(&l->nvd));
		ASSERT_EQ(0, REG_RD32(l, NVME_REG_CSTS) & NVME_CSTS_RDY);
	}
}

TEST_F(regs, shutdown_normal)
{
	struct lio *l = &self->l;
	uint32_t cc;

	LIO_ENABLE(l);
	cc = REG_RD32(l, NVME_REG_CC);
	REG_WR32(l, NVME_REG_CC, cc | NVME_CC_SHN_NORMAL);
	ASSERT_EQ(0, nvd_wait_csts(&l->nvd, NVME_CSTS_SHST_MASK,
				   NVME_CSTS_SHST_CMPLT, l->nvd.timeout_ms));
	ASSERT_EQ(0, REG_RD32(l, NVME_REG_CSTS) & NVME_CSTS_CFS);

	/* After a shutdown, a reset (EN 1 -> 0) and enable bring it back. */
	ASSERT_EQ(0, nvd_disable(&l->nvd));
	LIO_ENABLE(l);
	ASSERT_EQ(NVME_CSTS_SHST_NORMAL, REG_RD32(l, NVME_REG_CSTS) & NVME_CSTS_SHST_MASK);
	identify_works(_metadata, l);
}

TEST_F(regs, shutdown_abrupt)
{
	struct lio *l = &self->l;
	uint32_t cc;

	LIO_ENABLE(l);
	cc = REG_RD32(l, NVME_REG_CC);
	REG_WR32(l, NVME_REG_CC, cc | NVME_CC_SHN_ABRUPT);
	ASSERT_EQ(0, nvd_wait_csts(&l->nvd, NVME_CSTS_SHST_MASK,
				   NVME_CSTS_SHST_CMPLT, l->nvd.timeout_ms));
	ASSERT_EQ(0, nvd_disable(&l->nvd));
	LIO_ENABLE(l);
	identify_works(_metadata, l);
}

static void bad_cc_is_fatal(struct __test_metadata *_metadata, struct lio *l,
			    uint32_t cc)
{
	TH_LOG("CC %#x", cc);
	ASSERT_EQ(-EIO, nvd_enable_cc(&l->nvd, NVD_ADMIN_ENTRIES, cc));
	ASSERT_EQ(NVME_CSTS_CFS, REG_RD32(l, NVME_REG_CSTS) & (NVME_CSTS_CFS | NVME_CSTS_RDY));
	/* A reset clears the fatal status, and a good CC works again. */
	ASSERT_EQ(0, nvd_disable(&l->nvd));
	ASSERT_EQ(0, REG_RD32(l, NVME_REG_CSTS) & NVME_CSTS_CFS);
	LIO_ENABLE(l);
	identify_works(_metadata, l);
	ASSERT_EQ(0, nvd_disable(&l->nvd));
}

TEST_F(regs, bad_cc_is_fatal)
{
	uint32_t good = nvd_cc_default();

	/* I/O entry sizes other than 64 / 16 bytes. */
	bad_cc_is_fatal(_metadata, &self->l,
			(good & ~NVME_CC_IOSQES_MASK) | (5U << NVME_CC_IOSQES_SHIFT));
	bad_cc_is_fatal(_metadata, &self->l,
			(good & ~NVME_CC_IOCQES_MASK) | (3U << NVME_CC_IOCQES_SHIFT));
}

TEST_F(regs, intms_intmc)
{
	struct lio *l = &self->l;

	/* With INTx (no MSI-X set up), INTMS sets and INTMC clears mask
	 * bits; both read the current mask.
	 */
	REG_WR32(l, NVME_REG_INTMS, 0x1);
	ASSERT_EQ(0x1, REG_RD32(l, NVME_REG_INTMS));
	ASSERT_EQ(0x1, REG_RD32(l, NVME_REG_INTMC));
	REG_WR32(l, NVME_REG_INTMC, 0x1);
	ASSERT_EQ(0, REG_RD32(l, NVME_REG_INTMS));
	ASSERT_EQ(0, REG_RD32(l, NVME_REG_INTMC));
}

TEST_HARNESS_MAIN
