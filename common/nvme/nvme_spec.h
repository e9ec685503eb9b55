/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NVMe definitions from the NVM Express Base Specification 1.4 / 2.0,
 * written for LeapIO. Shared by the kernel module and user space, so it
 * includes only lio_env.h, which each build provides.
 *
 * Never include <linux/nvme.h> in a file that includes this one: the
 * names overlap on purpose (they are the spec's names).
 */
#ifndef LEAPIO_NVME_SPEC_H
#define LEAPIO_NVME_SPEC_H

#include "lio_env.h"

/*
 * Every structure below is followed by its size and field offsets as the
 * NVM Express Base Specification 2.0 (and, for the NVM command set's own
 * structures, the NVM Command Set Specification 1.0) gives them: literal
 * byte numbers next to the spec's field names, never values taken from
 * the structs, so that a struct and the tests reading it cannot drift
 * from the spec together. Both builds check them at compile time.
 */
#define NVME_SPEC_SIZE(type, size) \
	LIO_STATIC_ASSERT(sizeof(struct type) == (size))
#define NVME_SPEC_OFFSET(type, field, off) \
	LIO_STATIC_ASSERT(offsetof(struct type, field) == (off))

/* ---- Controller registers (BAR0 offsets) ---- */
#define NVME_REG_CAP		0x0000	/* 64 bit */
#define NVME_REG_VS		0x0008
#define NVME_REG_INTMS		0x000c
#define NVME_REG_INTMC		0x0010
#define NVME_REG_CC		0x0014
#define NVME_REG_CSTS		0x001c
#define NVME_REG_NSSR		0x0020
#define NVME_REG_AQA		0x0024
#define NVME_REG_ASQ		0x0028	/* 64 bit */
#define NVME_REG_ACQ		0x0030	/* 64 bit */
#define NVME_REG_CMBLOC		0x0038
#define NVME_REG_CMBSZ		0x003c
#define NVME_REG_DBS		0x1000	/* first doorbell */

/* CAP fields */
#define NVME_CAP_MQES_SHIFT	0	/* 16 bits, 0's based */
#define NVME_CAP_CQR		BIT_ULL(16)
#define NVME_CAP_AMS_SHIFT	17
#define NVME_CAP_TO_SHIFT	24	/* 8 bits, 500 ms units */
#define NVME_CAP_DSTRD_SHIFT	32	/* 4 bits, stride = 4 << DSTRD */
#define NVME_CAP_NSSRS		BIT_ULL(36)
#define NVME_CAP_CSS_SHIFT	37	/* 8 bits */
#define NVME_CAP_CSS_NVM	BIT_ULL(37)
#define NVME_CAP_BPS		BIT_ULL(45)
#define NVME_CAP_MPSMIN_SHIFT	48	/* 4 bits, 2 ^ (12 + MPSMIN) */
#define NVME_CAP_MPSMAX_SHIFT	52

/* VS */
#define NVME_VS(maj, min, ter)	(((maj) << 16) | ((min) << 8) | (ter))

/* CC fields */
#define NVME_CC_EN		BIT(0)
#define NVME_CC_CSS_SHIFT	4	/* 3 bits */
#define NVME_CC_CSS_MASK	(7U << 4)
#define NVME_CC_MPS_SHIFT	7	/* 4 bits */
#define NVME_CC_MPS_MASK	(0xfU << 7)
#define NVME_CC_AMS_SHIFT	11	/* 3 bits */
#define NVME_CC_AMS_MASK	(7U << 11)
#define NVME_CC_SHN_SHIFT	14	/* 2 bits */
#define NVME_CC_SHN_MASK	(3U << 14)
#define NVME_CC_SHN_NONE	(0U << 14)
#define NVME_CC_SHN_NORMAL	BIT(14)
#define NVME_CC_SHN_ABRUPT	(2U << 14)
#define NVME_CC_IOSQES_SHIFT	16	/* 4 bits, 2 ^ n */
#define NVME_CC_IOSQES_MASK	(0xfU << 16)
#define NVME_CC_IOCQES_SHIFT	20
#define NVME_CC_IOCQES_MASK	(0xfU << 20)
#define NVME_CC_WRITABLE	0x00fffff1U

/* CSTS fields */
#define NVME_CSTS_RDY		BIT(0)
#define NVME_CSTS_CFS		BIT(1)
#define NVME_CSTS_SHST_SHIFT	2
#define NVME_CSTS_SHST_MASK	(3U << 2)
#define NVME_CSTS_SHST_NORMAL	(0U << 2)
#define NVME_CSTS_SHST_OCCUR	BIT(2)
#define NVME_CSTS_SHST_CMPLT	(2U << 2)
#define NVME_CSTS_NSSRO		BIT(4)
#define NVME_CSTS_PP		BIT(5)

/* AQA */
#define NVME_AQA_ASQS_MASK	0x00000fffU
#define NVME_AQA_ACQS_SHIFT	16
#define NVME_AQA_ACQS_MASK	0x0fff0000U

/* ---- Queue entries ---- */
#define NVME_SQE_SIZE		64
#define NVME_CQE_SIZE		16
#define NVME_SQES_LOG2		6
#define NVME_CQES_LOG2		4

/* Generic submission queue entry: the raw 16 dwords plus named views. */
struct nvme_sqe {
	u8	opcode;
	u8	flags;		/* FUSE [1:0], PSDT [7:6] */
	__le16	cid;
	__le32	nsid;
	__le32	cdw2;
	__le32	cdw3;
	__le64	mptr;
	__le64	prp1;
	__le64	prp2;
	__le32	cdw10;
	__le32	cdw11;
	__le32	cdw12;
	__le32	cdw13;
	__le32	cdw14;
	__le32	cdw15;
};

#define NVME_SQE_FUSE_MASK	0x03
#define NVME_SQE_PSDT_MASK	0xc0
#define NVME_SQE_PSDT_PRP	0x00

/* Byte offsets of SQE fields, used as the Error Information Log's
 * Parameter Error Location.
 */
#define NVME_SQE_OFF_OPCODE	0
#define NVME_SQE_OFF_FLAGS	1
#define NVME_SQE_OFF_CID	2
#define NVME_SQE_OFF_NSID	4
#define NVME_SQE_OFF_PRP1	24
#define NVME_SQE_OFF_PRP2	32
#define NVME_SQE_OFF_CDW10	40
#define NVME_SQE_OFF_CDW11	44
#define NVME_SQE_OFF_CDW12	48
#define NVME_SQE_OFF_CDW13	52
#define NVME_SQE_OFF_CDW14	56
#define NVME_SQE_OFF_CDW15	60

/* Common Command Format (Base 2.0). */
NVME_SPEC_SIZE(nvme_sqe, 64);
NVME_SPEC_OFFSET(nvme_sqe, opcode, 0);	/* CDW0.OPC */
NVME_SPEC_OFFSET(nvme_sqe, flags, 1);	/* CDW0.FUSE, PSDT */
NVME_SPEC_OFFSET(nvme_sqe, cid, 2);	/* CDW0.CID */
NVME_SPEC_OFFSET(nvme_sqe, nsid, 4);
NVME_SPEC_OFFSET(nvme_sqe, cdw2, 8);
NVME_SPEC_OFFSET(nvme_sqe, cdw3, 12);
NVME_SPEC_OFFSET(nvme_sqe, mptr, 16);
NVME_SPEC_OFFSET(nvme_sqe, prp1, 24);	/* DPTR bytes 7:0 */
NVME_SPEC_OFFSET(nvme_sqe, prp2, 32);	/* DPTR bytes 15:8 */
NVME_SPEC_OFFSET(nvme_sqe, cdw10, 40);
NVME_SPEC_OFFSET(nvme_sqe, cdw11, 44);
NVME_SPEC_OFFSET(nvme_sqe, cdw12, 48);
NVME_SPEC_OFFSET(nvme_sqe, cdw13, 52);
NVME_SPEC_OFFSET(nvme_sqe, cdw14, 56);
NVME_SPEC_OFFSET(nvme_sqe, cdw15, 60);
LIO_STATIC_ASSERT(NVME_SQE_SIZE == 64 && (1 << NVME_SQES_LOG2) == 64);
/* The Parameter Error Locations name the same bytes. */
LIO_STATIC_ASSERT(NVME_SQE_OFF_OPCODE == 0 && NVME_SQE_OFF_FLAGS == 1 &&
		  NVME_SQE_OFF_CID == 2 && NVME_SQE_OFF_NSID == 4);
LIO_STATIC_ASSERT(NVME_SQE_OFF_PRP1 == 24 && NVME_SQE_OFF_PRP2 == 32);
LIO_STATIC_ASSERT(NVME_SQE_OFF_CDW10 == 40 && NVME_SQE_OFF_CDW11 == 44 &&
		  NVME_SQE_OFF_CDW12 == 48 && NVME_SQE_OFF_CDW13 == 52 &&
		  NVME_SQE_OFF_CDW14 == 56 && NVME_SQE_OFF_CDW15 == 60);

/*
 * Parameter Error Location of an Error Information log entry: the byte of
 * the SQE [7:0] and the bit within it [10:8] where the field at fault
 * starts; FFFFh when no field is (the error is not about one).
 */
#define NVME_ERR_LOC(byte, bit)	((u16)(((byte) & 0xff) | (((bit) & 7) << 8)))
#define NVME_ERR_LOC_NONE	((u16)0xffff)

struct nvme_cqe {
	__le32	dw0;
	__le32	dw1;
	__le16	sq_head;
	__le16	sq_id;
	__le16	cid;
	__le16	status;		/* phase tag in bit 0, status field in [15:1] */
};

/* Common Completion Queue Entry (Base 2.0). */
NVME_SPEC_SIZE(nvme_cqe, 16);
NVME_SPEC_OFFSET(nvme_cqe, dw0, 0);
NVME_SPEC_OFFSET(nvme_cqe, dw1, 4);
NVME_SPEC_OFFSET(nvme_cqe, sq_head, 8);	/* SQHD */
NVME_SPEC_OFFSET(nvme_cqe, sq_id, 10);	/* SQID */
NVME_SPEC_OFFSET(nvme_cqe, cid, 12);
NVME_SPEC_OFFSET(nvme_cqe, status, 14);	/* P, Status Field */
LIO_STATIC_ASSERT(NVME_CQE_SIZE == 16 && (1 << NVME_CQES_LOG2) == 16);

/*
 * Status field, as the 15-bit value the spec calls "Status Field" shifted
 * into the position it has in CQE dword 3 bits [31:17]: we keep it as a
 * u16 whose bit 0 is the phase tag's place (always 0 here).
 *   [8:1] SC, [11:9] SCT, [13:12] CRD, [14] More, [15] DNR
 */
#define NVME_STATUS(sct, sc)	((u16)((((sct) & 7) << 9) | (((sc) & 0xff) << 1)))
#define NVME_STATUS_DNR		((u16)BIT(15))
#define NVME_STATUS_MORE	((u16)BIT(14))
#define NVME_STATUS_SC(s)	(((s) >> 1) & 0xff)
#define NVME_STATUS_SCT(s)	(((s) >> 9) & 7)

#define NVME_SCT_GENERIC	0
#define NVME_SCT_CMD_SPECIFIC	1
#define NVME_SCT_MEDIA		2
#define NVME_SCT_PATH		3
#define NVME_SCT_VENDOR		7

/* Generic command status (SCT 0) */
#define NVME_SC_SUCCESS			NVME_STATUS(0, 0x00)
#define NVME_SC_INVALID_OPCODE		NVME_STATUS(0, 0x01)
#define NVME_SC_INVALID_FIELD		NVME_STATUS(0, 0x02)
#define NVME_SC_CMDID_CONFLICT		NVME_STATUS(0, 0x03)
#define NVME_SC_DATA_XFER_ERROR		NVME_STATUS(0, 0x04)
#define NVME_SC_POWER_LOSS		NVME_STATUS(0, 0x05)
#define NVME_SC_INTERNAL		NVME_STATUS(0, 0x06)
#define NVME_SC_ABORT_REQ		NVME_STATUS(0, 0x07)
#define NVME_SC_ABORT_SQ_DELETED	NVME_STATUS(0, 0x08)
#define NVME_SC_FUSED_FAIL		NVME_STATUS(0, 0x09)
#define NVME_SC_FUSED_MISSING		NVME_STATUS(0, 0x0a)
#define NVME_SC_INVALID_NS		NVME_STATUS(0, 0x0b)
#define NVME_SC_CMD_SEQ_ERROR		NVME_STATUS(0, 0x0c)
#define NVME_SC_INVALID_SGL_SEG_DESC	NVME_STATUS(0, 0x0d)
#define NVME_SC_INVALID_NUM_SGL_DESC	NVME_STATUS(0, 0x0e)
#define NVME_SC_DATA_SGL_LEN_INVALID	NVME_STATUS(0, 0x0f)
#define NVME_SC_MD_SGL_LEN_INVALID	NVME_STATUS(0, 0x10)
#define NVME_SC_SGL_DESC_TYPE_INVALID	NVME_STATUS(0, 0x11)
#define NVME_SC_INVALID_CMB_USE		NVME_STATUS(0, 0x12)
#define NVME_SC_PRP_OFFSET_INVALID	NVME_STATUS(0, 0x13)
#define NVME_SC_OPERATION_DENIED	NVME_STATUS(0, 0x15)
#define NVME_SC_SGL_OFFSET_INVALID	NVME_STATUS(0, 0x16)
#define NVME_SC_KA_TIMEOUT_EXPIRED	NVME_STATUS(0, 0x1a)
#define NVME_SC_CMD_ABORTED_PREEMPT	NVME_STATUS(0, 0x1b)
#define NVME_SC_SANITIZE_IN_PROGRESS	NVME_STATUS(0, 0x1d)
#define NVME_SC_NS_WRITE_PROTECTED	NVME_STATUS(0, 0x20)
#define NVME_SC_CMD_INTERRUPTED		NVME_STATUS(0, 0x21)
#define NVME_SC_TRANSIENT_TRANSPORT	NVME_STATUS(0, 0x22)
#define NVME_SC_LBA_RANGE		NVME_STATUS(0, 0x80)
#define NVME_SC_CAP_EXCEEDED		NVME_STATUS(0, 0x81)
#define NVME_SC_NS_NOT_READY		NVME_STATUS(0, 0x82)
#define NVME_SC_RESERVATION_CONFLICT	NVME_STATUS(0, 0x83)
#define NVME_SC_FORMAT_IN_PROGRESS	NVME_STATUS(0, 0x84)

/* Command specific status (SCT 1) */
#define NVME_SC_CQ_INVALID		NVME_STATUS(1, 0x00)
#define NVME_SC_QID_INVALID		NVME_STATUS(1, 0x01)
#define NVME_SC_QUEUE_SIZE		NVME_STATUS(1, 0x02)
#define NVME_SC_ABORT_LIMIT		NVME_STATUS(1, 0x03)
#define NVME_SC_ASYNC_LIMIT		NVME_STATUS(1, 0x05)
#define NVME_SC_FIRMWARE_SLOT		NVME_STATUS(1, 0x06)
#define NVME_SC_FIRMWARE_IMAGE		NVME_STATUS(1, 0x07)
#define NVME_SC_INVALID_VECTOR		NVME_STATUS(1, 0x08)
#define NVME_SC_INVALID_LOG_PAGE	NVME_STATUS(1, 0x09)
#define NVME_SC_INVALID_FORMAT		NVME_STATUS(1, 0x0a)
#define NVME_SC_INVALID_QUEUE_DELETION	NVME_STATUS(1, 0x0c)
#define NVME_SC_FEATURE_NOT_SAVEABLE	NVME_STATUS(1, 0x0d)
#define NVME_SC_FEATURE_NOT_CHANGEABLE	NVME_STATUS(1, 0x0e)
#define NVME_SC_FEATURE_NOT_PER_NS	NVME_STATUS(1, 0x0f)
#define NVME_SC_CONFLICTING_ATTRS	NVME_STATUS(1, 0x80)
#define NVME_SC_INVALID_PROT_INFO	NVME_STATUS(1, 0x81)
#define NVME_SC_READ_ONLY		NVME_STATUS(1, 0x82)
#define NVME_SC_CMD_SIZE_LIMIT		NVME_STATUS(1, 0x83)	/* Copy */
/* Namespace Management and Namespace Attachment */
#define NVME_SC_NS_INSUFFICIENT_CAP	NVME_STATUS(1, 0x15)
#define NVME_SC_NS_ID_UNAVAILABLE	NVME_STATUS(1, 0x16)
#define NVME_SC_NS_ALREADY_ATTACHED	NVME_STATUS(1, 0x18)
#define NVME_SC_NS_IS_PRIVATE		NVME_STATUS(1, 0x19)
#define NVME_SC_NS_NOT_ATTACHED		NVME_STATUS(1, 0x1a)
#define NVME_SC_CTRL_LIST_INVALID	NVME_STATUS(1, 0x1c)

/* Media and data integrity errors (SCT 2) */
#define NVME_SC_WRITE_FAULT		NVME_STATUS(2, 0x80)
#define NVME_SC_READ_ERROR		NVME_STATUS(2, 0x81)
#define NVME_SC_COMPARE_FAILED		NVME_STATUS(2, 0x85)
#define NVME_SC_ACCESS_DENIED		NVME_STATUS(2, 0x86)
#define NVME_SC_UNWRITTEN_BLOCK		NVME_STATUS(2, 0x87)

/* ---- Admin command opcodes ---- */
enum nvme_admin_opcode {
	nvme_admin_delete_sq		= 0x00,
	nvme_admin_create_sq		= 0x01,
	nvme_admin_get_log_page		= 0x02,
	nvme_admin_delete_cq		= 0x04,
	nvme_admin_create_cq		= 0x05,
	nvme_admin_identify		= 0x06,
	nvme_admin_abort_cmd		= 0x08,
	nvme_admin_set_features		= 0x09,
	nvme_admin_get_features		= 0x0a,
	nvme_admin_async_event		= 0x0c,
	nvme_admin_ns_mgmt		= 0x0d,
	nvme_admin_activate_fw		= 0x10,
	nvme_admin_download_fw		= 0x11,
	nvme_admin_dev_self_test	= 0x14,
	nvme_admin_ns_attach		= 0x15,
	nvme_admin_keep_alive		= 0x18,
	nvme_admin_directive_send	= 0x19,
	nvme_admin_directive_recv	= 0x1a,
	nvme_admin_virtual_mgmt		= 0x1c,
	nvme_admin_nvme_mi_send		= 0x1d,
	nvme_admin_nvme_mi_recv		= 0x1e,
	nvme_admin_dbbuf		= 0x7c,
	nvme_admin_format_nvm		= 0x80,
	nvme_admin_security_send	= 0x81,
	nvme_admin_security_recv	= 0x82,
	nvme_admin_sanitize_nvm		= 0x84,
	nvme_admin_get_lba_status	= 0x86,
};

/* ---- NVM command set I/O opcodes ---- */
enum nvme_io_opcode {
	nvme_cmd_flush		= 0x00,
	nvme_cmd_write		= 0x01,
	nvme_cmd_read		= 0x02,
	nvme_cmd_write_uncor	= 0x04,
	nvme_cmd_compare	= 0x05,
	nvme_cmd_write_zeroes	= 0x08,
	nvme_cmd_dsm		= 0x09,
	nvme_cmd_verify		= 0x0c,
	nvme_cmd_resv_register	= 0x0d,
	nvme_cmd_resv_report	= 0x0e,
	nvme_cmd_resv_acquire	= 0x11,
	nvme_cmd_resv_release	= 0x15,
	nvme_cmd_copy		= 0x19,
};

/* Create I/O CQ / SQ dword 11 flags */
#define NVME_QUEUE_PHYS_CONTIG	BIT(0)
#define NVME_CQ_IRQ_ENABLED	BIT(1)
#define NVME_SQ_PRIO_SHIFT	1
#define NVME_SQ_PRIO_MASK	(3U << 1)

/* ---- Identify ---- */
enum nvme_id_cns {
	NVME_ID_CNS_NS			= 0x00,
	NVME_ID_CNS_CTRL		= 0x01,
	NVME_ID_CNS_NS_ACTIVE_LIST	= 0x02,
	NVME_ID_CNS_NS_DESC_LIST	= 0x03,
	NVME_ID_CNS_NVMSET_LIST		= 0x04,
	NVME_ID_CNS_CS_NS		= 0x05,
	NVME_ID_CNS_CS_CTRL		= 0x06,
	NVME_ID_CNS_CS_NS_ACTIVE_LIST	= 0x07,
	NVME_ID_CNS_NS_CS_INDEP		= 0x08,
	NVME_ID_CNS_NS_PRESENT_LIST	= 0x10,
	NVME_ID_CNS_NS_PRESENT		= 0x11,
	NVME_ID_CNS_CTRL_NS_LIST	= 0x12,
	NVME_ID_CNS_CTRL_LIST		= 0x13,
	NVME_ID_CNS_SCNDRY_CTRL_LIST	= 0x15,
	NVME_ID_CNS_NS_GRANULARITY	= 0x16,
	NVME_ID_CNS_UUID_LIST		= 0x17,
	NVME_ID_CNS_CTRL_CS_LIST	= 0x1c,
};

#define NVME_CSI_NVM		0x00
#define NVME_IDENTIFY_DATA_SIZE	4096

struct nvme_id_power_state {
	__le16	max_power;	/* centiwatts */
	u8	rsvd2;
	u8	flags;
	__le32	entry_lat;	/* microseconds */
	__le32	exit_lat;	/* microseconds */
	u8	read_tput;
	u8	read_lat;
	u8	write_tput;
	u8	write_lat;
	__le16	idle_power;
	u8	idle_scale;
	u8	rsvd19;
	__le16	active_power;
	u8	active_work_scale;
	u8	rsvd23[9];
};

/* Power State Descriptor (Base 2.0). */
NVME_SPEC_SIZE(nvme_id_power_state, 32);
NVME_SPEC_OFFSET(nvme_id_power_state, max_power, 0);	/* MP */
NVME_SPEC_OFFSET(nvme_id_power_state, flags, 3);	/* MXPS, NOPS */
NVME_SPEC_OFFSET(nvme_id_power_state, entry_lat, 4);	/* ENLAT */
NVME_SPEC_OFFSET(nvme_id_power_state, exit_lat, 8);	/* EXLAT */
NVME_SPEC_OFFSET(nvme_id_power_state, read_tput, 12);	/* RRT */
NVME_SPEC_OFFSET(nvme_id_power_state, read_lat, 13);	/* RRL */
NVME_SPEC_OFFSET(nvme_id_power_state, write_tput, 14);	/* RWT */
NVME_SPEC_OFFSET(nvme_id_power_state, write_lat, 15);	/* RWL */
NVME_SPEC_OFFSET(nvme_id_power_state, idle_power, 16);	/* IDLP */
NVME_SPEC_OFFSET(nvme_id_power_state, idle_scale, 18);	/* IPS */
NVME_SPEC_OFFSET(nvme_id_power_state, active_power, 20);	/* ACTP */
NVME_SPEC_OFFSET(nvme_id_power_state, active_work_scale, 22);	/* APW, APS */

/* Identify Controller data structure (CNS 01h), 4096 bytes. */
struct nvme_id_ctrl {
	__le16	vid;
	__le16	ssvid;
	char	sn[20];
	char	mn[40];
	char	fr[8];
	u8	rab;
	u8	ieee[3];
	u8	cmic;
	u8	mdts;
	__le16	cntlid;
	__le32	ver;
	__le32	rtd3r;
	__le32	rtd3e;
	__le32	oaes;
	__le32	ctratt;
	__le16	rrls;
	u8	rsvd102[9];
	u8	cntrltype;
	u8	fguid[16];
	__le16	crdt1;
	__le16	crdt2;
	__le16	crdt3;
	u8	rsvd134[122];
	__le16	oacs;
	u8	acl;
	u8	aerl;
	u8	frmw;
	u8	lpa;
	u8	elpe;
	u8	npss;
	u8	avscc;
	u8	apsta;
	__le16	wctemp;
	__le16	cctemp;
	__le16	mtfa;
	__le32	hmpre;
	__le32	hmmin;
	u8	tnvmcap[16];
	u8	unvmcap[16];
	__le32	rpmbs;
	__le16	edstt;
	u8	dsto;
	u8	fwug;
	__le16	kas;
	__le16	hctma;
	__le16	mntmt;
	__le16	mxtmt;
	__le32	sanicap;
	__le32	hmminds;
	__le16	hmmaxd;
	__le16	nsetidmax;
	__le16	endgidmax;
	u8	anatt;
	u8	anacap;
	__le32	anagrpmax;
	__le32	nanagrpid;
	__le32	pels;
	u8	rsvd356[156];
	u8	sqes;
	u8	cqes;
	__le16	maxcmd;
	__le32	nn;
	__le16	oncs;
	__le16	fuses;
	u8	fna;
	u8	vwc;
	__le16	awun;
	__le16	awupf;
	u8	nvscc;
	u8	nwpc;
	__le16	acwu;
	__le16	ocfs;
	__le32	sgls;
	__le32	mnan;
	u8	rsvd544[224];
	char	subnqn[256];
	u8	rsvd1024[768];
	__le32	ioccsz;
	__le32	iorcsz;
	__le16	icdoff;
	u8	ctrattr;
	u8	msdbd;
	u8	rsvd1804[244];
	struct nvme_id_power_state psd[32];
	u8	vs[1024];
};

/* Identify Controller Data Structure (Base 2.0). */
NVME_SPEC_SIZE(nvme_id_ctrl, 4096);
NVME_SPEC_OFFSET(nvme_id_ctrl, vid, 0);
NVME_SPEC_OFFSET(nvme_id_ctrl, ssvid, 2);
NVME_SPEC_OFFSET(nvme_id_ctrl, sn, 4);
NVME_SPEC_OFFSET(nvme_id_ctrl, mn, 24);
NVME_SPEC_OFFSET(nvme_id_ctrl, fr, 64);
NVME_SPEC_OFFSET(nvme_id_ctrl, rab, 72);
NVME_SPEC_OFFSET(nvme_id_ctrl, ieee, 73);
NVME_SPEC_OFFSET(nvme_id_ctrl, cmic, 76);
NVME_SPEC_OFFSET(nvme_id_ctrl, mdts, 77);
NVME_SPEC_OFFSET(nvme_id_ctrl, cntlid, 78);
NVME_SPEC_OFFSET(nvme_id_ctrl, ver, 80);
NVME_SPEC_OFFSET(nvme_id_ctrl, rtd3r, 84);
NVME_SPEC_OFFSET(nvme_id_ctrl, rtd3e, 88);
NVME_SPEC_OFFSET(nvme_id_ctrl, oaes, 92);
NVME_SPEC_OFFSET(nvme_id_ctrl, ctratt, 96);
NVME_SPEC_OFFSET(nvme_id_ctrl, rrls, 100);
NVME_SPEC_OFFSET(nvme_id_ctrl, cntrltype, 111);
NVME_SPEC_OFFSET(nvme_id_ctrl, fguid, 112);
NVME_SPEC_OFFSET(nvme_id_ctrl, crdt1, 128);
NVME_SPEC_OFFSET(nvme_id_ctrl, crdt2, 130);
NVME_SPEC_OFFSET(nvme_id_ctrl, crdt3, 132);
NVME_SPEC_OFFSET(nvme_id_ctrl, oacs, 256);
NVME_SPEC_OFFSET(nvme_id_ctrl, acl, 258);
NVME_SPEC_OFFSET(nvme_id_ctrl, aerl, 259);
NVME_SPEC_OFFSET(nvme_id_ctrl, frmw, 260);
NVME_SPEC_OFFSET(nvme_id_ctrl, lpa, 261);
NVME_SPEC_OFFSET(nvme_id_ctrl, elpe, 262);
NVME_SPEC_OFFSET(nvme_id_ctrl, npss, 263);
NVME_SPEC_OFFSET(nvme_id_ctrl, avscc, 264);
NVME_SPEC_OFFSET(nvme_id_ctrl, apsta, 265);
NVME_SPEC_OFFSET(nvme_id_ctrl, wctemp, 266);
NVME_SPEC_OFFSET(nvme_id_ctrl, cctemp, 268);
NVME_SPEC_OFFSET(nvme_id_ctrl, mtfa, 270);
NVME_SPEC_OFFSET(nvme_id_ctrl, hmpre, 272);
NVME_SPEC_OFFSET(nvme_id_ctrl, hmmin, 276);
NVME_SPEC_OFFSET(nvme_id_ctrl, tnvmcap, 280);
NVME_SPEC_OFFSET(nvme_id_ctrl, unvmcap, 296);
NVME_SPEC_OFFSET(nvme_id_ctrl, rpmbs, 312);
NVME_SPEC_OFFSET(nvme_id_ctrl, edstt, 316);
NVME_SPEC_OFFSET(nvme_id_ctrl, dsto, 318);
NVME_SPEC_OFFSET(nvme_id_ctrl, fwug, 319);
NVME_SPEC_OFFSET(nvme_id_ctrl, kas, 320);
NVME_SPEC_OFFSET(nvme_id_ctrl, hctma, 322);
NVME_SPEC_OFFSET(nvme_id_ctrl, mntmt, 324);
NVME_SPEC_OFFSET(nvme_id_ctrl, mxtmt, 326);
NVME_SPEC_OFFSET(nvme_id_ctrl, sanicap, 328);
NVME_SPEC_OFFSET(nvme_id_ctrl, hmminds, 332);
NVME_SPEC_OFFSET(nvme_id_ctrl, hmmaxd, 336);
NVME_SPEC_OFFSET(nvme_id_ctrl, nsetidmax, 338);
NVME_SPEC_OFFSET(nvme_id_ctrl, endgidmax, 340);
NVME_SPEC_OFFSET(nvme_id_ctrl, anatt, 342);
NVME_SPEC_OFFSET(nvme_id_ctrl, anacap, 343);
NVME_SPEC_OFFSET(nvme_id_ctrl, anagrpmax, 344);
NVME_SPEC_OFFSET(nvme_id_ctrl, nanagrpid, 348);
NVME_SPEC_OFFSET(nvme_id_ctrl, pels, 352);
NVME_SPEC_OFFSET(nvme_id_ctrl, sqes, 512);
NVME_SPEC_OFFSET(nvme_id_ctrl, cqes, 513);
NVME_SPEC_OFFSET(nvme_id_ctrl, maxcmd, 514);
NVME_SPEC_OFFSET(nvme_id_ctrl, nn, 516);
NVME_SPEC_OFFSET(nvme_id_ctrl, oncs, 520);
NVME_SPEC_OFFSET(nvme_id_ctrl, fuses, 522);
NVME_SPEC_OFFSET(nvme_id_ctrl, fna, 524);
NVME_SPEC_OFFSET(nvme_id_ctrl, vwc, 525);
NVME_SPEC_OFFSET(nvme_id_ctrl, awun, 526);
NVME_SPEC_OFFSET(nvme_id_ctrl, awupf, 528);
NVME_SPEC_OFFSET(nvme_id_ctrl, nvscc, 530);	/* ICSVSCC */
NVME_SPEC_OFFSET(nvme_id_ctrl, nwpc, 531);
NVME_SPEC_OFFSET(nvme_id_ctrl, acwu, 532);
NVME_SPEC_OFFSET(nvme_id_ctrl, ocfs, 534);	/* Optional Copy Formats */
NVME_SPEC_OFFSET(nvme_id_ctrl, sgls, 536);
NVME_SPEC_OFFSET(nvme_id_ctrl, mnan, 540);
NVME_SPEC_OFFSET(nvme_id_ctrl, subnqn, 768);
NVME_SPEC_OFFSET(nvme_id_ctrl, ioccsz, 1792);
NVME_SPEC_OFFSET(nvme_id_ctrl, iorcsz, 1796);
NVME_SPEC_OFFSET(nvme_id_ctrl, icdoff, 1800);
NVME_SPEC_OFFSET(nvme_id_ctrl, ctrattr, 1802);	/* FCATT */
NVME_SPEC_OFFSET(nvme_id_ctrl, msdbd, 1803);
NVME_SPEC_OFFSET(nvme_id_ctrl, psd, 2048);	/* PSD0; PSD31 at 3040 */
NVME_SPEC_OFFSET(nvme_id_ctrl, vs, 3072);
LIO_STATIC_ASSERT(NVME_IDENTIFY_DATA_SIZE == 4096);

/* OACS bits */
#define NVME_CTRL_OACS_SEC_SUPP		BIT(0)
#define NVME_CTRL_OACS_FORMAT		BIT(1)
#define NVME_CTRL_OACS_FW		BIT(2)
#define NVME_CTRL_OACS_NS_MGMT		BIT(3)
#define NVME_CTRL_OACS_SELF_TEST	BIT(4)
#define NVME_CTRL_OACS_DIRECTIVES	BIT(5)
#define NVME_CTRL_OACS_VIRT_MGMT	BIT(7)
#define NVME_CTRL_OACS_DBBUF_SUPP	BIT(8)
#define NVME_CTRL_OACS_LBA_STATUS	BIT(9)
/* ONCS bits */
#define NVME_CTRL_ONCS_COMPARE		BIT(0)
#define NVME_CTRL_ONCS_WRITE_UNCOR	BIT(1)
#define NVME_CTRL_ONCS_DSM		BIT(2)
#define NVME_CTRL_ONCS_WRITE_ZEROES	BIT(3)
#define NVME_CTRL_ONCS_SAVE_SELECT	BIT(4)
#define NVME_CTRL_ONCS_RESERVATIONS	BIT(5)
#define NVME_CTRL_ONCS_TIMESTAMP	BIT(6)
#define NVME_CTRL_ONCS_VERIFY		BIT(7)
#define NVME_CTRL_ONCS_COPY		BIT(8)
/* OCFS bits: the Copy source range formats */
#define NVME_CTRL_OCFS_FORMAT0		BIT(0)
/* LPA bits */
#define NVME_CTRL_LPA_SMART_PER_NS	BIT(0)
#define NVME_CTRL_LPA_CMD_EFFECTS	BIT(1)
#define NVME_CTRL_LPA_EXTENDED		BIT(2)
/* OAES bits */
#define NVME_AEN_CFG_NS_ATTR		BIT(8)
#define NVME_AEN_CFG_FW_ACT		BIT(9)
/* VWC */
#define NVME_CTRL_VWC_PRESENT		BIT(0)
#define NVME_CTRL_VWC_FLUSH_NSID_ALL	(3U << 1)
/* CNTRLTYPE */
#define NVME_CTRL_TYPE_IO		1

/* LBA format */
struct nvme_lbaf {
	__le16	ms;
	u8	ds;	/* log2 of LBA data size */
	u8	rp;
};

/* LBA Format Data Structure (NVM Command Set 1.0). */
NVME_SPEC_SIZE(nvme_lbaf, 4);
NVME_SPEC_OFFSET(nvme_lbaf, ms, 0);
NVME_SPEC_OFFSET(nvme_lbaf, ds, 2);	/* LBADS */
NVME_SPEC_OFFSET(nvme_lbaf, rp, 3);

/* Identify Namespace data structure, NVM command set (CNS 00h). */
struct nvme_id_ns {
	__le64	nsze;
	__le64	ncap;
	__le64	nuse;
	u8	nsfeat;
	u8	nlbaf;
	u8	flbas;
	u8	mc;
	u8	dpc;
	u8	dps;
	u8	nmic;
	u8	rescap;
	u8	fpi;
	u8	dlfeat;
	__le16	nawun;
	__le16	nawupf;
	__le16	nacwu;
	__le16	nabsn;
	__le16	nabo;
	__le16	nabspf;
	__le16	noiob;
	u8	nvmcap[16];
	__le16	npwg;
	__le16	npwa;
	__le16	npdg;
	__le16	npda;
	__le16	nows;
	__le16	mssrl;
	__le32	mcl;
	u8	msrc;
	u8	rsvd81;
	u8	nulbaf;
	u8	rsvd83[9];
	__le32	anagrpid;
	u8	rsvd96[3];
	u8	nsattr;
	__le16	nvmsetid;
	__le16	endgid;
	u8	nguid[16];
	u8	eui64[8];
	struct nvme_lbaf lbaf[64];
	u8	vs[3712];
};

/* Identify Namespace Data Structure, NVM (NVM Command Set 1.0). */
NVME_SPEC_SIZE(nvme_id_ns, 4096);
NVME_SPEC_OFFSET(nvme_id_ns, nsze, 0);
NVME_SPEC_OFFSET(nvme_id_ns, ncap, 8);
NVME_SPEC_OFFSET(nvme_id_ns, nuse, 16);
NVME_SPEC_OFFSET(nvme_id_ns, nsfeat, 24);
NVME_SPEC_OFFSET(nvme_id_ns, nlbaf, 25);
NVME_SPEC_OFFSET(nvme_id_ns, flbas, 26);
NVME_SPEC_OFFSET(nvme_id_ns, mc, 27);
NVME_SPEC_OFFSET(nvme_id_ns, dpc, 28);
NVME_SPEC_OFFSET(nvme_id_ns, dps, 29);
NVME_SPEC_OFFSET(nvme_id_ns, nmic, 30);
NVME_SPEC_OFFSET(nvme_id_ns, rescap, 31);
NVME_SPEC_OFFSET(nvme_id_ns, fpi, 32);
NVME_SPEC_OFFSET(nvme_id_ns, dlfeat, 33);
NVME_SPEC_OFFSET(nvme_id_ns, nawun, 34);
NVME_SPEC_OFFSET(nvme_id_ns, nawupf, 36);
NVME_SPEC_OFFSET(nvme_id_ns, nacwu, 38);
NVME_SPEC_OFFSET(nvme_id_ns, nabsn, 40);
NVME_SPEC_OFFSET(nvme_id_ns, nabo, 42);
NVME_SPEC_OFFSET(nvme_id_ns, nabspf, 44);
NVME_SPEC_OFFSET(nvme_id_ns, noiob, 46);
NVME_SPEC_OFFSET(nvme_id_ns, nvmcap, 48);
NVME_SPEC_OFFSET(nvme_id_ns, npwg, 64);
NVME_SPEC_OFFSET(nvme_id_ns, npwa, 66);
NVME_SPEC_OFFSET(nvme_id_ns, npdg, 68);
NVME_SPEC_OFFSET(nvme_id_ns, npda, 70);
NVME_SPEC_OFFSET(nvme_id_ns, nows, 72);
NVME_SPEC_OFFSET(nvme_id_ns, mssrl, 74);
NVME_SPEC_OFFSET(nvme_id_ns, mcl, 76);
NVME_SPEC_OFFSET(nvme_id_ns, msrc, 80);
NVME_SPEC_OFFSET(nvme_id_ns, nulbaf, 82);
NVME_SPEC_OFFSET(nvme_id_ns, anagrpid, 92);
NVME_SPEC_OFFSET(nvme_id_ns, nsattr, 99);
NVME_SPEC_OFFSET(nvme_id_ns, nvmsetid, 100);
NVME_SPEC_OFFSET(nvme_id_ns, endgid, 102);
NVME_SPEC_OFFSET(nvme_id_ns, nguid, 104);
NVME_SPEC_OFFSET(nvme_id_ns, eui64, 120);
NVME_SPEC_OFFSET(nvme_id_ns, lbaf, 128);	/* LBAF0; LBAF63 at 380 */
NVME_SPEC_OFFSET(nvme_id_ns, vs, 384);

/* Namespace Identification Descriptor types (CNS 03h) */
#define NVME_NIDT_EUI64		0x01
#define NVME_NIDT_NGUID		0x02
#define NVME_NIDT_UUID		0x03
#define NVME_NIDT_CSI		0x04
#define NVME_NIDT_EUI64_LEN	8
#define NVME_NIDT_NGUID_LEN	16
#define NVME_NIDT_UUID_LEN	16
#define NVME_NIDT_CSI_LEN	1

struct nvme_ns_id_desc {
	u8	nidt;
	u8	nidl;
	__le16	rsvd;
};

/* Namespace Identification Descriptor header (Base 2.0). */
NVME_SPEC_SIZE(nvme_ns_id_desc, 4);	/* NID follows at byte 4 */
NVME_SPEC_OFFSET(nvme_ns_id_desc, nidt, 0);
NVME_SPEC_OFFSET(nvme_ns_id_desc, nidl, 1);

/* I/O Command Set specific Identify Controller, NVM (CNS 06h, CSI 0). */
struct nvme_id_ctrl_nvm {
	u8	vsl;
	u8	wzsl;
	u8	wusl;
	u8	dmrl;
	__le32	dmrsl;
	__le64	dmsl;
	u8	rsvd16[4080];
};

/* I/O Command Set Specific Identify Controller, NVM (NVM CS 1.0). */
NVME_SPEC_SIZE(nvme_id_ctrl_nvm, 4096);
NVME_SPEC_OFFSET(nvme_id_ctrl_nvm, vsl, 0);
NVME_SPEC_OFFSET(nvme_id_ctrl_nvm, wzsl, 1);
NVME_SPEC_OFFSET(nvme_id_ctrl_nvm, wusl, 2);
NVME_SPEC_OFFSET(nvme_id_ctrl_nvm, dmrl, 3);
NVME_SPEC_OFFSET(nvme_id_ctrl_nvm, dmrsl, 4);
NVME_SPEC_OFFSET(nvme_id_ctrl_nvm, dmsl, 8);

/* I/O Command Set Independent Identify Namespace (CNS 08h). */
struct nvme_id_ns_cs_indep {
	u8	nsfeat;
	u8	nmic;
	u8	rescap;
	u8	fpi;
	__le32	anagrpid;
	u8	nsattr;
	u8	rsvd9;
	__le16	nvmsetid;
	__le16	endgid;
	u8	nstat;
	u8	rsvd15[4081];
};

/* I/O Command Set Independent Identify Namespace (Base 2.0). */
NVME_SPEC_SIZE(nvme_id_ns_cs_indep, 4096);
NVME_SPEC_OFFSET(nvme_id_ns_cs_indep, nsfeat, 0);
NVME_SPEC_OFFSET(nvme_id_ns_cs_indep, nmic, 1);
NVME_SPEC_OFFSET(nvme_id_ns_cs_indep, rescap, 2);
NVME_SPEC_OFFSET(nvme_id_ns_cs_indep, fpi, 3);
NVME_SPEC_OFFSET(nvme_id_ns_cs_indep, anagrpid, 4);
NVME_SPEC_OFFSET(nvme_id_ns_cs_indep, nsattr, 8);
NVME_SPEC_OFFSET(nvme_id_ns_cs_indep, nvmsetid, 10);
NVME_SPEC_OFFSET(nvme_id_ns_cs_indep, endgid, 12);
NVME_SPEC_OFFSET(nvme_id_ns_cs_indep, nstat, 14);

/* ---- Features ---- */
enum nvme_feat_id {
	NVME_FEAT_ARBITRATION	= 0x01,
	NVME_FEAT_POWER_MGMT	= 0x02,
	NVME_FEAT_LBA_RANGE	= 0x03,
	NVME_FEAT_TEMP_THRESH	= 0x04,
	NVME_FEAT_ERR_RECOVERY	= 0x05,
	NVME_FEAT_VOLATILE_WC	= 0x06,
	NVME_FEAT_NUM_QUEUES	= 0x07,
	NVME_FEAT_IRQ_COALESCE	= 0x08,
	NVME_FEAT_IRQ_CONFIG	= 0x09,
	NVME_FEAT_WRITE_ATOMIC	= 0x0a,
	NVME_FEAT_ASYNC_EVENT	= 0x0b,
	NVME_FEAT_AUTO_PST	= 0x0c,
	NVME_FEAT_HOST_MEM_BUF	= 0x0d,
	NVME_FEAT_TIMESTAMP	= 0x0e,
	NVME_FEAT_KATO		= 0x0f,
	NVME_FEAT_HCTM		= 0x10,
	NVME_FEAT_NOPSC		= 0x11,
	NVME_FEAT_RRL		= 0x12,
	NVME_FEAT_PLM_CONFIG	= 0x13,
	NVME_FEAT_PLM_WINDOW	= 0x14,
	NVME_FEAT_HOST_BEHAVIOR	= 0x16,
	NVME_FEAT_SANITIZE	= 0x17,
	NVME_FEAT_SW_PROGRESS	= 0x80,
	NVME_FEAT_HOST_ID	= 0x81,
	NVME_FEAT_RESV_MASK	= 0x82,
	NVME_FEAT_RESV_PERSIST	= 0x83,
	NVME_FEAT_WRITE_PROTECT	= 0x84,
};

/* Get Features SEL (CDW10 [10:8]) */
#define NVME_FEAT_SEL_SHIFT	8
#define NVME_FEAT_SEL_MASK	(7U << 8)
#define NVME_FEAT_SEL_CURRENT	0
#define NVME_FEAT_SEL_DEFAULT	1
#define NVME_FEAT_SEL_SAVED	2
#define NVME_FEAT_SEL_SUPPORTED	3
/* Supported capabilities (Get Features with SEL 3, DW0) */
#define NVME_FEAT_CAP_SAVE	BIT(0)
#define NVME_FEAT_CAP_NS	BIT(1)
#define NVME_FEAT_CAP_CHANGE	BIT(2)
/* Set Features SV (CDW10 bit 31) */
#define NVME_FEAT_SV		BIT(31)

/* ---- Log pages ---- */
enum nvme_log_id {
	NVME_LOG_ERROR		= 0x01,
	NVME_LOG_SMART		= 0x02,
	NVME_LOG_FW_SLOT	= 0x03,
	NVME_LOG_CHANGED_NS	= 0x04,
	NVME_LOG_CMD_EFFECTS	= 0x05,
	NVME_LOG_DEVICE_SELF_TEST = 0x06,
	NVME_LOG_TELEMETRY_HOST	= 0x07,
	NVME_LOG_ANA		= 0x0c,
	NVME_LOG_LBA_STATUS	= 0x0e,
};

/* Get Log Page CDW10: LID [7:0], LSP [11:8], RAE [15], NUMDL [31:16] */
#define NVME_LOG_RAE		BIT(15)

struct nvme_error_log_entry {
	__le64	error_count;
	__le16	sqid;
	__le16	cmdid;
	__le16	status_field;	/* phase tag in bit 0, as in the CQE */
	__le16	param_error_location;
	__le64	lba;
	__le32	nsid;
	u8	vs;
	u8	trtype;
	u8	rsvd30[2];
	__le64	cs;
	__le16	trtype_spec_info;
	u8	rsvd42[22];
};

/* Error Information Log Entry (Base 2.0). */
NVME_SPEC_SIZE(nvme_error_log_entry, 64);
NVME_SPEC_OFFSET(nvme_error_log_entry, error_count, 0);
NVME_SPEC_OFFSET(nvme_error_log_entry, sqid, 8);
NVME_SPEC_OFFSET(nvme_error_log_entry, cmdid, 10);
NVME_SPEC_OFFSET(nvme_error_log_entry, status_field, 12);
NVME_SPEC_OFFSET(nvme_error_log_entry, param_error_location, 14);
NVME_SPEC_OFFSET(nvme_error_log_entry, lba, 16);
NVME_SPEC_OFFSET(nvme_error_log_entry, nsid, 24);
NVME_SPEC_OFFSET(nvme_error_log_entry, vs, 28);
NVME_SPEC_OFFSET(nvme_error_log_entry, trtype, 29);
NVME_SPEC_OFFSET(nvme_error_log_entry, cs, 32);
NVME_SPEC_OFFSET(nvme_error_log_entry, trtype_spec_info, 40);

struct nvme_smart_log {
	u8	critical_warning;
	u8	temperature[2];	/* Kelvin, little endian */
	u8	avail_spare;
	u8	spare_thresh;
	u8	percent_used;
	u8	endu_grp_crit_warn_sumry;
	u8	rsvd7[25];
	u8	data_units_read[16];
	u8	data_units_written[16];
	u8	host_reads[16];
	u8	host_writes[16];
	u8	ctrl_busy_time[16];
	u8	power_cycles[16];
	u8	power_on_hours[16];
	u8	unsafe_shutdowns[16];
	u8	media_errors[16];
	u8	num_err_log_entries[16];
	__le32	warning_temp_time;
	__le32	critical_comp_time;
	__le16	temp_sensor[8];
	__le32	thm_temp1_trans_count;
	__le32	thm_temp2_trans_count;
	__le32	thm_temp1_total_time;
	__le32	thm_temp2_total_time;
	u8	rsvd232[280];
};

/* SMART / Health Information Log Page (Base 2.0). */
NVME_SPEC_SIZE(nvme_smart_log, 512);
NVME_SPEC_OFFSET(nvme_smart_log, critical_warning, 0);
NVME_SPEC_OFFSET(nvme_smart_log, temperature, 1);
NVME_SPEC_OFFSET(nvme_smart_log, avail_spare, 3);
NVME_SPEC_OFFSET(nvme_smart_log, spare_thresh, 4);
NVME_SPEC_OFFSET(nvme_smart_log, percent_used, 5);
NVME_SPEC_OFFSET(nvme_smart_log, endu_grp_crit_warn_sumry, 6);
NVME_SPEC_OFFSET(nvme_smart_log, data_units_read, 32);
NVME_SPEC_OFFSET(nvme_smart_log, data_units_written, 48);
NVME_SPEC_OFFSET(nvme_smart_log, host_reads, 64);
NVME_SPEC_OFFSET(nvme_smart_log, host_writes, 80);
NVME_SPEC_OFFSET(nvme_smart_log, ctrl_busy_time, 96);
NVME_SPEC_OFFSET(nvme_smart_log, power_cycles, 112);
NVME_SPEC_OFFSET(nvme_smart_log, power_on_hours, 128);
NVME_SPEC_OFFSET(nvme_smart_log, unsafe_shutdowns, 144);
NVME_SPEC_OFFSET(nvme_smart_log, media_errors, 160);
NVME_SPEC_OFFSET(nvme_smart_log, num_err_log_entries, 176);
NVME_SPEC_OFFSET(nvme_smart_log, warning_temp_time, 192);
NVME_SPEC_OFFSET(nvme_smart_log, critical_comp_time, 196);
NVME_SPEC_OFFSET(nvme_smart_log, temp_sensor, 200);	/* sensor 8 at 214 */
NVME_SPEC_OFFSET(nvme_smart_log, thm_temp1_trans_count, 216);
NVME_SPEC_OFFSET(nvme_smart_log, thm_temp2_trans_count, 220);
NVME_SPEC_OFFSET(nvme_smart_log, thm_temp1_total_time, 224);
NVME_SPEC_OFFSET(nvme_smart_log, thm_temp2_total_time, 228);

/* SMART critical warning bits */
#define NVME_SMART_CRIT_SPARE		BIT(0)
#define NVME_SMART_CRIT_TEMPERATURE	BIT(1)
#define NVME_SMART_CRIT_RELIABILITY	BIT(2)
#define NVME_SMART_CRIT_MEDIA		BIT(3)
#define NVME_SMART_CRIT_VOLATILE_MEMORY	BIT(4)

struct nvme_fw_slot_log {
	u8	afi;
	u8	rsvd1[7];
	char	frs[7][8];
	u8	rsvd64[448];
};

/* Firmware Slot Information Log Page (Base 2.0). */
NVME_SPEC_SIZE(nvme_fw_slot_log, 512);
NVME_SPEC_OFFSET(nvme_fw_slot_log, afi, 0);
NVME_SPEC_OFFSET(nvme_fw_slot_log, frs, 8);	/* FRS1; FRS7 at 56 */

struct nvme_changed_ns_log {
	__le32	nsid[1024];
};

/*
 * Get LBA Status (admin 86h, Base 2.0 5.20): CDW10-11 SLBA, CDW12 MNDW
 * (dwords to return, 0's based), CDW13 RL [15:0] and ATYPE [31:24].
 */
#define NVME_LBAS_ATYPE_SCAN		0x10	/* scan, untracked and tracked */
#define NVME_LBAS_ATYPE_TRACKED		0x11	/* tracked only */
/* Completion Condition */
#define NVME_LBAS_CMPC_MNDW		1	/* MNDW reached, more follow */
#define NVME_LBAS_CMPC_DONE		2	/* the whole range reported */

struct nvme_lba_status_desc {
	__le64	dslba;
	__le32	nlb;
	u8	rsvd12;
	u8	status;
	u8	rsvd14[2];
};

/* The data returned: a header and NLSD descriptors. */
struct nvme_lba_status_hdr {
	__le32	nlsd;
	u8	cmpc;
	u8	rsvd5[3];
};

/* LBA Status Information log (0Eh): a header, then per namespace an
 * element and its NRLD range descriptors.
 */
struct nvme_lbas_log_hdr {
	__le32	lslplen;	/* the log's length, bytes */
	__le32	nlslne;		/* namespace elements */
	__le32	estulb;		/* estimate of unrecoverable LBAs */
	u8	rsvd12[2];
	__le16	lsgc;		/* generation counter */
};

struct nvme_lbas_ns_elem {
	__le32	neid;		/* NSID */
	__le32	nrld;		/* range descriptors that follow */
	u8	ratype;		/* recommended Get LBA Status ATYPE */
	u8	rsvd9[7];
};

struct nvme_lbas_range_desc {
	__le64	rslba;
	__le32	rnlb;
	u8	rsvd12[4];
};

NVME_SPEC_SIZE(nvme_lba_status_desc, 16);
NVME_SPEC_OFFSET(nvme_lba_status_desc, nlb, 8);
NVME_SPEC_SIZE(nvme_lba_status_hdr, 8);
NVME_SPEC_OFFSET(nvme_lba_status_hdr, cmpc, 4);
NVME_SPEC_SIZE(nvme_lbas_log_hdr, 16);
NVME_SPEC_OFFSET(nvme_lbas_log_hdr, estulb, 8);
NVME_SPEC_OFFSET(nvme_lbas_log_hdr, lsgc, 14);
NVME_SPEC_SIZE(nvme_lbas_ns_elem, 16);
NVME_SPEC_OFFSET(nvme_lbas_ns_elem, ratype, 8);
NVME_SPEC_SIZE(nvme_lbas_range_desc, 16);
NVME_SPEC_OFFSET(nvme_lbas_range_desc, rnlb, 8);

/* Changed Namespace List Log Page (Base 2.0). */
NVME_SPEC_SIZE(nvme_changed_ns_log, 4096);

struct nvme_effects_log {
	__le32	acs[256];
	__le32	iocs[256];
	u8	rsvd2048[2048];
};

/* Commands Supported and Effects Log Page (Base 2.0). */
NVME_SPEC_SIZE(nvme_effects_log, 4096);
NVME_SPEC_OFFSET(nvme_effects_log, acs, 0);	/* ACS0; ACS255 at 1020 */
NVME_SPEC_OFFSET(nvme_effects_log, iocs, 1024);	/* IOCS0; IOCS255 at 2044 */

#define NVME_CMD_EFFECTS_CSUPP	BIT(0)
#define NVME_CMD_EFFECTS_LBCC	BIT(1)
#define NVME_CMD_EFFECTS_NCC	BIT(2)
#define NVME_CMD_EFFECTS_NIC	BIT(3)
#define NVME_CMD_EFFECTS_CCC	BIT(4)
#define NVME_CMD_EFFECTS_CSE_MASK	(7U << 16)

/* ---- Asynchronous events (completion DW0 of an AER) ---- */
#define NVME_AER_TYPE_ERROR	0
#define NVME_AER_TYPE_SMART	1
#define NVME_AER_TYPE_NOTICE	2
#define NVME_AER_TYPE_IO_CMD_SET 6
#define NVME_AER_TYPE_VENDOR	7

/* Error status type information */
#define NVME_AER_ERROR_INVALID_DB_REG	0x00
#define NVME_AER_ERROR_INVALID_DB_VAL	0x01
#define NVME_AER_ERROR_DIAG_FAIL	0x02
#define NVME_AER_ERROR_PERSIST_INTERNAL	0x03
#define NVME_AER_ERROR_TRANSIENT_INTERNAL 0x04
/* SMART / health status information */
#define NVME_AER_SMART_RELIABILITY	0x00
#define NVME_AER_SMART_TEMP_THRESH	0x01
#define NVME_AER_SMART_SPARE_THRESH	0x02
/* Notice information */
#define NVME_AER_NOTICE_NS_CHANGED	0x00
#define NVME_AER_NOTICE_FW_ACT		0x01

#define NVME_AER_DW0(type, info, lid) \
	((u32)(((type) & 7) | (((info) & 0xff) << 8) | (((lid) & 0xff) << 16)))

/* Async Event Configuration feature bits */
#define NVME_AEC_SMART_MASK	0x000000ffU
#define NVME_AEC_NS_ATTR	BIT(8)
#define NVME_AEC_FW_ACT		BIT(9)

/* Dataset Management */
#define NVME_DSMGMT_AD		BIT(2)
struct nvme_dsm_range {
	__le32	cattr;
	__le32	nlb;
	__le64	slba;
};

/* Dataset Management Range Definition (NVM Command Set 1.0). */
NVME_SPEC_SIZE(nvme_dsm_range, 16);
NVME_SPEC_OFFSET(nvme_dsm_range, cattr, 0);	/* Context Attributes */
NVME_SPEC_OFFSET(nvme_dsm_range, nlb, 4);	/* Length in logical blocks */
NVME_SPEC_OFFSET(nvme_dsm_range, slba, 8);	/* Starting LBA */

/* Copy: CDW12 NR [7:0] (0's based), Descriptor Format [11:8]. */
#define NVME_COPY_NR(cdw12)		(((cdw12) & 0xff) + 1)
/* Format NVM (admin 80h) dword 10 */
/* LBAF's low four bits, then LBAFU (13:12) as its upper two. */
static inline u32 nvme_format_lbaf(u32 cdw10)
{
	return (cdw10 & 0xf) | ((cdw10 >> 8) & 0x30);
}

#define NVME_FORMAT_MSET(cdw10)		(((cdw10) >> 4) & 1)
#define NVME_FORMAT_PI(cdw10)		(((cdw10) >> 5) & 7)
#define NVME_FORMAT_SES(cdw10)		(((cdw10) >> 9) & 7)
#define NVME_FORMAT_SES_NONE		0
#define NVME_FORMAT_SES_USER_DATA	1
#define NVME_FORMAT_SES_CRYPTO		2
#define NVME_NSID_ALL			0xffffffffU

#define NVME_COPY_FORMAT(cdw12)		(((cdw12) >> 8) & 0xf)

/*
 * Namespace Management (admin 0Dh) and Namespace Attachment (15h):
 * CDW10 SEL [3:0]; Management's CDW11 CSI [31:24]. Attachment's data is
 * a Controller List, also what Identify CNS 12h and 13h return: the
 * number of identifiers, then as many CNTLIDs, ascending.
 */
#define NVME_NS_SEL(cdw10)		((cdw10) & 0xf)
#define NVME_NS_MGMT_CREATE		0
#define NVME_NS_MGMT_DELETE		1
#define NVME_NS_ATTACH_CTRL		0
#define NVME_NS_DETACH_CTRL		1
#define NVME_CTRL_LIST_MAX		2047

struct nvme_ctrl_list {
	__le16	nr;
	__le16	id[NVME_CTRL_LIST_MAX];
};

LIO_STATIC_ASSERT(sizeof(struct nvme_ctrl_list) == 4096);

/* Source Range Entry, Descriptor Format 0h. */
struct nvme_copy_range {
	u8	rsvd0[8];
	__le64	slba;
	__le16	nlb;		/* 0's based */
	u8	rsvd18[6];
	__le32	eilbrt;
	__le16	elbat;
	__le16	elbatm;
};

/* Copy - Source Range Entries Descriptor Format 0h (NVM CS 1.0). */
NVME_SPEC_SIZE(nvme_copy_range, 32);
NVME_SPEC_OFFSET(nvme_copy_range, slba, 8);
NVME_SPEC_OFFSET(nvme_copy_range, nlb, 16);
NVME_SPEC_OFFSET(nvme_copy_range, eilbrt, 24);

/* Command dword 12 of Read / Write */
#define NVME_RW_FUA		BIT(30)
#define NVME_RW_LR		BIT(31)

#endif /* LEAPIO_NVME_SPEC_H */
