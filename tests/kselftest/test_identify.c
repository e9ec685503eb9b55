// SPDX-License-Identifier: GPL-2.0
/*
 * Identify through the admin queue: the controller as documented and as
 * sysfs names it (serial, NQN, controller ID), and the namespace with the
 * geometry set in sysfs before the device was opened, for both LBA sizes.
 */
#include "lio_test.h"
#include "../../uapi/linux/leapio_region.h"

FIXTURE(identify) {
	struct lio l;
	struct lio other;	/* a second controller, for tests that want one */
	void *buf;
	uint64_t iova;
};

FIXTURE_VARIANT(identify) {
	unsigned long long	ns_size;
	unsigned int		lba_size;
};

/* Odd block counts: nothing lines up by accident. */
FIXTURE_VARIANT_ADD(identify, lba512) {
	.ns_size = (64ULL << 20) + 3 * 512,
	.lba_size = 512,
};

FIXTURE_VARIANT_ADD(identify, lba4096) {
	.ns_size = (256ULL << 20) + 5 * 4096,
	.lba_size = 4096,
};

/* What the module gives a device nobody configured. */
FIXTURE_VARIANT_ADD(identify, defaults) {
	.ns_size = 0,
	.lba_size = 0,
};

FIXTURE_SETUP(identify)
{
	struct lio_opts o = { .ns_size = variant->ns_size, .lba_size = variant->lba_size };

	lio_init(&self->other);
	LIO_SETUP(&self->l, &o);
	LIO_ENABLE(&self->l);
	self->buf = gmem_alloc_pages(&self->l.mem, NVME_IDENTIFY_DATA_SIZE, &self->iova);
	ASSERT_NE(NULL, self->buf);
}

FIXTURE_TEARDOWN(identify)
{
	LIO_TEARDOWN(&self->other);
	LIO_TEARDOWN(&self->l);
}

static void identify(struct __test_metadata *_metadata, struct lio *l,
		     uint8_t cns, uint32_t nsid, uint64_t iova, uint16_t status)
{
	struct nvme_sqe sqe;

	nb_identify(&sqe, cns, nsid, iova);
	ADMIN_STATUS(l, &sqe, status);
}

/* An Identify ASCII field: printable, left justified, space padded. */
static void check_ascii(struct __test_metadata *_metadata, const char *f, size_t len)
{
	size_t i;

	ASSERT_NE(' ', f[0]);
	for (i = 0; i < len; i++) {
		ASSERT_TRUE(f[i] >= 0x20 && f[i] < 0x7f);
	}
}

static size_t trimmed(const char *f, size_t len)
{
	while (len && f[len - 1] == ' ')
		len--;
	return len;
}

TEST_F(identify, controller)
{
	struct lio *l = &self->l;
	struct nvme_id_ctrl *id = self->buf;
	unsigned long long cntlid;
	char sysfs[300];

	identify(_metadata, l, NVME_ID_CNS_CTRL, 0, self->iova, NVME_SC_SUCCESS);

	ASSERT_EQ(LEAPIO_PCI_VENDOR_ID, le16toh(id->vid));
	ASSERT_EQ(LEAPIO_PCI_SUBSYS_VENDOR_ID, le16toh(id->ssvid));
	check_ascii(_metadata, id->sn, sizeof(id->sn));
	check_ascii(_metadata, id->mn, sizeof(id->mn));
	check_ascii(_metadata, id->fr, sizeof(id->fr));

	ASSERT_EQ(0, mdev_attr_read(&l->mdev, LEAPIO_SYSFS_SERIAL, sysfs, sizeof(sysfs)));
	ASSERT_EQ(strlen(sysfs), trimmed(id->sn, sizeof(id->sn)));
	ASSERT_EQ(0, memcmp(sysfs, id->sn, strlen(sysfs)));

	ASSERT_EQ(0, mdev_attr_read(&l->mdev, LEAPIO_SYSFS_SUBNQN, sysfs, sizeof(sysfs)));
	ASSERT_LT(strnlen(id->subnqn, sizeof(id->subnqn)), sizeof(id->subnqn));
	ASSERT_STREQ(sysfs, id->subnqn);
	ASSERT_EQ(0, strncmp(id->subnqn, "nqn.", 4));

	ASSERT_EQ(0, mdev_attr_read_u64(&l->mdev, LEAPIO_SYSFS_CNTLID, &cntlid));
	ASSERT_EQ(cntlid, le16toh(id->cntlid));
	ASSERT_NE(0, cntlid);

	ASSERT_EQ(0x10400, le32toh(id->ver));
	ASSERT_EQ(LEAPIO_MAX_NS, le32toh(id->nn));	/* NSIDs 1..16 */
	ASSERT_EQ(6, id->mdts);				/* 256 KiB */
	ASSERT_EQ(0x66, id->sqes);			/* 64-byte SQEs only */
	ASSERT_EQ(0x44, id->cqes);			/* 16-byte CQEs only */
	ASSERT_NE(0, le16toh(id->oacs) & NVME_CTRL_OACS_DBBUF_SUPP);
	ASSERT_NE(0, le16toh(id->oacs) & NVME_CTRL_OACS_FORMAT);
	ASSERT_NE(0, le16toh(id->oacs) & NVME_CTRL_OACS_NS_MGMT);
	ASSERT_EQ(NVME_CTRL_TYPE_IO, id->cntrltype);
	ASSERT_EQ(3, id->aerl);				/* 4 outstanding AERs */
	ASSERT_EQ(63, id->elpe);			/* 64 error log entries */
	ASSERT_NE(0, id->lpa & NVME_CTRL_LPA_CMD_EFFECTS);
	ASSERT_EQ(NVME_CTRL_ONCS_COMPARE | NVME_CTRL_ONCS_WRITE_UNCOR |
		  NVME_CTRL_ONCS_DSM | NVME_CTRL_ONCS_WRITE_ZEROES |
		  NVME_CTRL_ONCS_SAVE_SELECT | NVME_CTRL_ONCS_TIMESTAMP |
		  NVME_CTRL_ONCS_VERIFY | NVME_CTRL_ONCS_COPY,
		  le16toh(id->oncs));
	ASSERT_EQ(NVME_CTRL_OCFS_FORMAT0, le16toh(id->ocfs));
	ASSERT_NE(0, id->vwc & NVME_CTRL_VWC_PRESENT);
	/* The thresholds the temperature tests cross, around 313 K. */
	ASSERT_GT(le16toh(id->wctemp), 313);
	ASSERT_GE(le16toh(id->cctemp), le16toh(id->wctemp));
}

TEST_F(identify, controllers_differ)
{
	struct nvme_id_ctrl *id = self->buf;
	struct lio *other = &self->other;
	char sn[20], nqn[256];
	uint16_t cntlid;
	uint64_t iova;

	identify(_metadata, &self->l, NVME_ID_CNS_CTRL, 0, self->iova, NVME_SC_SUCCESS);
	memcpy(sn, id->sn, sizeof(sn));
	memcpy(nqn, id->subnqn, sizeof(nqn));
	cntlid = le16toh(id->cntlid);

	/* A host refuses a second controller with the same NQN or serial. */
	LIO_SETUP(other, NULL);
	LIO_ENABLE(other);
	id = gmem_alloc_pages(&other->mem, NVME_IDENTIFY_DATA_SIZE, &iova);
	ASSERT_NE(NULL, id);
	identify(_metadata, other, NVME_ID_CNS_CTRL, 0, iova, NVME_SC_SUCCESS);
	ASSERT_NE(0, memcmp(sn, id->sn, sizeof(sn)));
	ASSERT_STRNE(nqn, id->subnqn);
	ASSERT_NE(cntlid, le16toh(id->cntlid));
}

TEST_F(identify, namespace)
{
	struct lio *l = &self->l;
	struct nvme_id_ns *ns = self->buf;
	unsigned long long size, lba;
	unsigned int fmt;

	ASSERT_EQ(0, mdev_attr_read_u64(&l->mdev, LEAPIO_SYSFS_NS_SIZE, &size));
	ASSERT_EQ(0, mdev_attr_read_u64(&l->mdev, LEAPIO_SYSFS_LBA_SIZE, &lba));
	if (variant->ns_size) {
		ASSERT_EQ(variant->ns_size, size);
		ASSERT_EQ(variant->lba_size, lba);
	} else {
		ASSERT_EQ(LEAPIO_DEFAULT_NS_SIZE, size);
		ASSERT_EQ(LEAPIO_DEFAULT_LBA_SIZE, lba);
	}

	identify(_metadata, l, NVME_ID_CNS_NS, 1, self->iova, NVME_SC_SUCCESS);
	ASSERT_EQ(size / lba, le64toh(ns->nsze));
	ASSERT_EQ(size / lba, le64toh(ns->ncap));
	ASSERT_EQ(size / lba, le64toh(ns->nuse));
	fmt = ns->flbas & 0xf;
	ASSERT_LE(fmt, ns->nlbaf);
	ASSERT_EQ(lba, 1ULL << ns->lbaf[fmt].ds);
	ASSERT_EQ(0, le16toh(ns->lbaf[fmt].ms));	/* no metadata */
	ASSERT_EQ(0, ns->dps);				/* no protection info */
}

TEST_F(identify, active_ns_list)
{
	uint32_t *list = self->buf;

	identify(_metadata, &self->l, NVME_ID_CNS_NS_ACTIVE_LIST, 0, self->iova,
		 NVME_SC_SUCCESS);
	ASSERT_EQ(1, le32toh(list[0]));
	ASSERT_EQ(0, le32toh(list[1]));
	/* The list holds NSIDs above CDW1.NSID: none above 1. */
	identify(_metadata, &self->l, NVME_ID_CNS_NS_ACTIVE_LIST, 1, self->iova,
		 NVME_SC_SUCCESS);
	ASSERT_EQ(0, le32toh(list[0]));
}

TEST_F(identify, ns_descriptors)
{
	struct nvme_id_ns *ns;
	uint8_t nguid[16], eui64[8], *p = self->buf;
	bool seen_nguid = false, seen_eui = false, seen_csi = false;
	unsigned int off = 0;
	uint64_t iova;

	ns = gmem_alloc_pages(&self->l.mem, sizeof(*ns), &iova);
	ASSERT_NE(NULL, ns);
	identify(_metadata, &self->l, NVME_ID_CNS_NS, 1, iova, NVME_SC_SUCCESS);
	memcpy(nguid, ns->nguid, sizeof(nguid));
	memcpy(eui64, ns->eui64, sizeof(eui64));

	identify(_metadata, &self->l, NVME_ID_CNS_NS_DESC_LIST, 1, self->iova,
		 NVME_SC_SUCCESS);
	/* Walk the descriptors up to the first with NIDT 0 (the end). */
	while (off + 4 <= NVME_IDENTIFY_DATA_SIZE && p[off] != 0) {
		uint8_t type = p[off], len = p[off + 1];

		TH_LOG("descriptor type %u len %u at %u", type, len, off);
		ASSERT_LE(off + 4 + len, NVME_IDENTIFY_DATA_SIZE);
		switch (type) {
		case NVME_NIDT_EUI64:
			ASSERT_EQ(NVME_NIDT_EUI64_LEN, len);
			ASSERT_EQ(0, memcmp(eui64, p + off + 4, len));
			seen_eui = true;
			break;
		case NVME_NIDT_NGUID:
			ASSERT_EQ(NVME_NIDT_NGUID_LEN, len);
			ASSERT_EQ(0, memcmp(nguid, p + off + 4, len));
			seen_nguid = true;
			break;
		case NVME_NIDT_UUID:
			ASSERT_EQ(NVME_NIDT_UUID_LEN, len);
			break;
		case NVME_NIDT_CSI:
			ASSERT_EQ(NVME_NIDT_CSI_LEN, len);
			ASSERT_EQ(NVME_CSI_NVM, p[off + 4]);
			seen_csi = true;
			break;
		default:
			ASSERT_TRUE(false);
		}
		off += 4 + len;
	}
	ASSERT_TRUE(seen_nguid);
	ASSERT_TRUE(seen_eui);
	ASSERT_TRUE(seen_csi);
}

TEST_F(identify, bad_cns)
{
	identify(_metadata, &self->l, 0xff, 0, self->iova, NVME_SC_INVALID_FIELD);
	/* NVM Set lists: optional, not implemented. */
	identify(_metadata, &self->l, NVME_ID_CNS_NVMSET_LIST, 0, self->iova,
		 NVME_SC_INVALID_FIELD);
}

TEST_F(identify, bad_nsid)
{
	/* 2 is an NSID with no namespace: a zeroed structure, no error. */
	identify(_metadata, &self->l, NVME_ID_CNS_NS, 2, self->iova, NVME_SC_SUCCESS);
	{
		const uint8_t *b = self->buf;
		unsigned int i;

		for (i = 0; i < 4096; i++)
			ASSERT_EQ(0, b[i]);
	}
	identify(_metadata, &self->l, NVME_ID_CNS_NS, LEAPIO_MAX_NS + 1, self->iova,
		 NVME_SC_INVALID_NS);
	identify(_metadata, &self->l, NVME_ID_CNS_NS, 0, self->iova, NVME_SC_INVALID_NS);
	identify(_metadata, &self->l, NVME_ID_CNS_NS_DESC_LIST, 7, self->iova,
		 NVME_SC_INVALID_NS);
}

TEST_F(identify, unmapped_prp)
{
	struct nvme_sqe sqe;
	uint8_t *p = self->buf;

	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, gmem_unmapped_iova(&self->l.mem));
	ADMIN_STATUS(&self->l, &sqe, NVME_SC_DATA_XFER_ERROR);
	/* The controller survives it. */
	ASSERT_EQ(0, REG_RD32(&self->l, NVME_REG_CSTS) & NVME_CSTS_CFS);
	identify(_metadata, &self->l, NVME_ID_CNS_CTRL, 0, self->iova, NVME_SC_SUCCESS);
	ASSERT_EQ(LEAPIO_PCI_VENDOR_ID, p[0] | p[1] << 8);
}

TEST_HARNESS_MAIN
