// SPDX-License-Identifier: GPL-2.0
/*
 * Identify: who the controller and its namespaces are, and the
 * identities (serial number, NQN, NGUID, EUI-64) derived from the mdev
 * UUID so that they are stable for the life of the mdev and distinct
 * between mdevs.
 */
#include "vctrl.h"

#define LIO_MN		"LeapIO Virtual NVMe Controller"
#define LIO_NQN_PREFIX	"nqn.2026-11.io.leapio:vdev:"

/* Maximum power of the one power state, in centiwatts: a figure for
 * tools to show, nothing here draws power.
 */
#define LIO_PS0_MAX_POWER	2500

static const char lio_hex_upper[] = "0123456789ABCDEF";
static const char lio_hex_lower[] = "0123456789abcdef";

/* The ASCII fields of Identify are space padded, never NUL terminated. */
static void lio_put_ascii(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	memset(dst, ' ', size);
	memcpy(dst, src, len < size ? len : size);
}

/* A 64-bit value that changes whenever any byte of the UUID does. */
static void lio_uuid_fold(const u8 *uuid, u8 out[8])
{
	int i;

	for (i = 0; i < 8; i++)
		out[i] = uuid[i] ^ uuid[i + 8];
}

void lio_identity_init(struct lio_vctrl *c)
{
	const u8 *uuid = c->p.uuid;
	u8 fold[8];
	char *p;
	int i;

	lio_uuid_fold(uuid, fold);

	/* "LIO" and 16 hex digits: 19 characters of the 20, space padded. */
	memset(c->sn, ' ', sizeof(c->sn));
	memcpy(c->sn, "LIO", 3);
	for (i = 0; i < 8; i++) {
		c->sn[3 + 2 * i] = lio_hex_upper[fold[i] >> 4];
		c->sn[4 + 2 * i] = lio_hex_upper[fold[i] & 0xf];
	}

	/* The UUID in its canonical 8-4-4-4-12 form ends the NQN. */
	memcpy(c->subnqn, LIO_NQN_PREFIX, sizeof(LIO_NQN_PREFIX) - 1);
	p = c->subnqn + sizeof(LIO_NQN_PREFIX) - 1;
	for (i = 0; i < 16; i++) {
		*p++ = lio_hex_lower[uuid[i] >> 4];
		*p++ = lio_hex_lower[uuid[i] & 0xf];
		if (i == 3 || i == 5 || i == 7 || i == 9)
			*p++ = '-';
	}
	*p = '\0';

	memcpy(c->nguid, uuid, sizeof(c->nguid));

	/*
	 * We own no IEEE OUI: mark the EUI-64 locally administered (U/L bit
	 * of the first octet), which also keeps it from being all zero, an
	 * EUI-64 the host would read as "none".
	 */
	memcpy(c->eui64, fold, sizeof(c->eui64));
	c->eui64[0] |= 0x02;
}

/*
 * What the namespaces hold together: with what create-ns may still take,
 * the subsystem's capacity (TNVMCAP). An NSID with no namespace has size 0.
 */
static u64 lio_ns_total(const struct lio_vctrl *c)
{
	u64 total = 0;
	u32 i;

	for (i = 0; i < LIO_NN; i++)
		total += c->ns[i].size;
	return total;
}

static void lio_fill_id_ctrl(struct lio_vctrl *c, struct nvme_id_ctrl *id)
{
	struct nvme_id_power_state *ps = &id->psd[0];

	id->vid = cpu_to_le16(c->p.pci_vendor);
	id->ssvid = cpu_to_le16(c->p.pci_subsys_vendor);
	memcpy(id->sn, c->sn, sizeof(id->sn));
	lio_put_ascii(id->mn, sizeof(id->mn), LIO_MN);
	lio_put_ascii(id->fr, sizeof(id->fr), LIO_FR);
	id->mdts = LIO_MDTS;
	id->cntlid = cpu_to_le16(c->p.cntlid);
	id->ver = cpu_to_le32(NVME_VS(1, 4, 0));
	id->oaes = cpu_to_le32(NVME_AEN_CFG_NS_ATTR);
	id->cntrltype = NVME_CTRL_TYPE_IO;

	id->oacs = cpu_to_le16(NVME_CTRL_OACS_DBBUF_SUPP |
			       NVME_CTRL_OACS_LBA_STATUS |
			       NVME_CTRL_OACS_NS_MGMT |
			       (lio_hook_has_format(c) ? NVME_CTRL_OACS_FORMAT : 0));
	/* FNA 0: Format NVM and its erase are per namespace, no crypto erase. */
	id->acl = LIO_ACL;
	id->aerl = LIO_AERL;
	/* Slot 1 read-only, one slot: no firmware to download. */
	id->frmw = (1U << 1) | 1U;
	id->lpa = NVME_CTRL_LPA_SMART_PER_NS | NVME_CTRL_LPA_CMD_EFFECTS |
		  NVME_CTRL_LPA_EXTENDED;
	id->elpe = LIO_ELPE;
	id->npss = 0;
	id->wctemp = cpu_to_le16(LIO_WCTEMP);
	id->cctemp = cpu_to_le16(LIO_CCTEMP);
	lio_put_le128(id->tnvmcap, lio_ns_total(c) + lio_ns_unallocated(c));
	lio_put_le128(id->unvmcap, lio_ns_unallocated(c));
	id->kas = cpu_to_le16(LIO_KAS);
	/* How long a host waits before retrying a command we gave CRD 1. */
	id->crdt1 = cpu_to_le16(lio_nodp_crdt(c));

	id->sqes = (NVME_SQES_LOG2 << 4) | NVME_SQES_LOG2;
	id->cqes = (NVME_CQES_LOG2 << 4) | NVME_CQES_LOG2;
	id->maxcmd = cpu_to_le16(LIO_MQES + 1);
	id->nn = cpu_to_le32(LIO_NN);
	/* The optional I/O commands of common/nvme/io_cmd.c's table. */
	id->oncs = cpu_to_le16(NVME_CTRL_ONCS_COMPARE |
			       NVME_CTRL_ONCS_WRITE_UNCOR |
			       NVME_CTRL_ONCS_DSM |
			       NVME_CTRL_ONCS_WRITE_ZEROES |
			       NVME_CTRL_ONCS_SAVE_SELECT |
			       NVME_CTRL_ONCS_TIMESTAMP |
			       NVME_CTRL_ONCS_VERIFY |
			       NVME_CTRL_ONCS_COPY);
	id->ocfs = cpu_to_le16(NVME_CTRL_OCFS_FORMAT0);
	id->vwc = NVME_CTRL_VWC_PRESENT | NVME_CTRL_VWC_FLUSH_NSID_ALL;
	id->sgls = cpu_to_le32(0);
	memcpy(id->subnqn, c->subnqn, sizeof(id->subnqn));

	ps->max_power = cpu_to_le16(LIO_PS0_MAX_POWER);
}

/* I/O Command Set specific controller data, NVM: the limits of the
 * commands MDTS does not cover, which we keep to MDTS too. DMRL and
 * DMRSL stay 0, no limit beyond the command's own 256 ranges.
 */
static void lio_fill_id_ctrl_nvm(struct nvme_id_ctrl_nvm *id)
{
	id->vsl = nvme_io_nodata_sl(LIO_MDTS);
	id->wzsl = nvme_io_nodata_sl(LIO_MDTS);
	id->wusl = nvme_io_nodata_sl(LIO_MDTS);
}

const u8 lio_lbaf_shift[LIO_NR_LBAF] = { 9, 12 };

static u8 lio_flbas(const struct lio_ns *ns)
{
	u8 i;

	for (i = 0; i < LIO_NR_LBAF; i++)
		if (lio_lbaf_shift[i] == ns->lba_shift)
			return i;
	return 0;
}

/*
 * A namespace's identifiers: namespace 1 has the vdev's (NGUID and the
 * UUID descriptor its UUID, EUI-64 its fold), namespace n those with
 * n - 1 in their last bytes, where a version 4 UUID's bits are random:
 * unique within the vdev, and as unlikely to meet another vdev's as two
 * random UUIDs are.
 */
struct lio_ns_ids {
	u8	nguid[16];
	u8	eui64[8];
	u8	uuid[16];
};

static void lio_ns_ids(const struct lio_vctrl *c, u32 nsid,
		       struct lio_ns_ids *ids)
{
	u32 n = nsid - 1;

	memcpy(ids->nguid, c->nguid, sizeof(ids->nguid));
	memcpy(ids->eui64, c->eui64, sizeof(ids->eui64));
	memcpy(ids->uuid, c->p.uuid, sizeof(ids->uuid));
	ids->nguid[14] ^= n >> 8;
	ids->nguid[15] ^= n;
	ids->eui64[6] ^= n >> 8;
	ids->eui64[7] ^= n;
	ids->uuid[14] ^= n >> 8;
	ids->uuid[15] ^= n;
}

/* The LBA formats, which every namespace has, and Copy's limits. */
static void lio_fill_id_ns_formats(struct nvme_id_ns *id, u8 lba_shift)
{
	unsigned int i;

	id->nlbaf = LIO_NR_LBAF - 1;	/* 0's based */
	for (i = 0; i < LIO_NR_LBAF; i++)
		id->lbaf[i].ds = lio_lbaf_shift[i];
	/* Copy's limits (common/nvme/io_cmd.h); MSRC is 0's based. */
	id->mssrl = cpu_to_le16(nvme_io_copy_mssrl(lba_shift));
	id->mcl = cpu_to_le32(nvme_io_copy_mcl(lba_shift));
	id->msrc = NVME_IO_COPY_RANGES - 1;
}

/*
 * Namespace nsid's Identify Namespace: an active one (CNS 00h), or an
 * allocated one, attached or not (CNS 11h, allocated true); else zero.
 * FFFFFFFFh: what all namespaces have in common, the LBA formats.
 */
static void lio_fill_id_ns(struct lio_vctrl *c, u32 nsid,
			   struct nvme_id_ns *id, bool allocated)
{
	const struct lio_ns *ns;
	struct lio_ns_ids ids;
	u64 nlb;

	if (nsid == NVME_NSID_ALL) {
		lio_fill_id_ns_formats(id, lio_lbaf_shift[0]);
		return;
	}
	ns = allocated ? lio_ns_get(c, nsid) : lio_ns_active(c, nsid);
	if (!ns)
		return;		/* inactive: all zero */
	lio_ns_ids(c, nsid, &ids);
	nlb = lio_ns_blocks(ns);
	id->nsze = cpu_to_le64(nlb);
	id->ncap = cpu_to_le64(nlb);
	id->nuse = cpu_to_le64(nlb);
	id->flbas = lio_flbas(ns);
	lio_put_le128(id->nvmcap, ns->size);
	memcpy(id->nguid, ids.nguid, sizeof(id->nguid));
	memcpy(id->eui64, ids.eui64, sizeof(id->eui64));
	lio_fill_id_ns_formats(id, ns->lba_shift);
}

static void lio_fill_id_ns_indep(struct lio_vctrl *c, u32 nsid,
				 struct nvme_id_ns_cs_indep *id)
{
	if (lio_ns_active(c, nsid))
		id->nstat = 1;		/* NRDY: the namespace is ready */
}

/* Append one Namespace Identification Descriptor; returns the next. */
static u8 *lio_put_nid(u8 *p, u8 type, const void *val, u8 len)
{
	struct nvme_ns_id_desc *d = (struct nvme_ns_id_desc *)p;

	d->nidt = type;
	d->nidl = len;
	memcpy(p + sizeof(*d), val, len);
	return p + sizeof(*d) + len;
}

static void lio_fill_ns_descs(struct lio_vctrl *c, u32 nsid, u8 *p)
{
	static const u8 csi = NVME_CSI_NVM;
	struct lio_ns_ids ids;

	lio_ns_ids(c, nsid, &ids);
	p = lio_put_nid(p, NVME_NIDT_EUI64, ids.eui64, NVME_NIDT_EUI64_LEN);
	p = lio_put_nid(p, NVME_NIDT_NGUID, ids.nguid, NVME_NIDT_NGUID_LEN);
	p = lio_put_nid(p, NVME_NIDT_UUID, ids.uuid, NVME_NIDT_UUID_LEN);
	lio_put_nid(p, NVME_NIDT_CSI, &csi, NVME_NIDT_CSI_LEN);
}

/*
 * The active (or allocated: attached or not) NSIDs above nsid, ascending,
 * as many as a page holds. The list starts after CDW1.NSID: FFFFFFFEh and
 * FFFFFFFFh have nothing after them to list.
 */
static u16 lio_fill_ns_list(struct lio_vctrl *c, struct lio_req *req,
			    u32 nsid, bool allocated, __le32 *list)
{
	u32 n;

	if (nsid >= 0xfffffffeU) {
		req->err_loc = NVME_SQE_OFF_NSID;
		return NVME_SC_INVALID_NS;
	}
	for (n = nsid + 1; n && n <= LIO_NN; n++)
		if (allocated ? !!lio_ns_get(c, n) : !!lio_ns_active(c, n))
			*list++ = cpu_to_le32(n);
	return NVME_SC_SUCCESS;
}

/*
 * A Controller List (CNS 12h, 13h) of this controller, the subsystem's
 * one, if its CNTLID is at least from and it is listed at all.
 */
static void lio_fill_ctrl_list(struct lio_vctrl *c, u16 from, bool listed,
			       struct nvme_ctrl_list *l)
{
	if (!listed || c->p.cntlid < from)
		return;
	l->nr = cpu_to_le16(1);
	l->id[0] = cpu_to_le16(c->p.cntlid);
}

/*
 * The namespace-addressed CNS values take NSIDs 1..NN; an inactive one
 * gets a zeroed structure (CNS 00h, 05h, 08h, 11h) or Invalid Namespace
 * (03h: active ones only). FFFFFFFFh, the capabilities common to all
 * namespaces, only where all is said (all_ok: CNS 00h, 11h, with
 * namespace management).
 */
static u16 lio_id_check_nsid(struct lio_vctrl *c, struct lio_req *req,
			     u32 nsid, bool active_only, bool all_ok)
{
	if (all_ok && nsid == NVME_NSID_ALL)
		return NVME_SC_SUCCESS;
	if (!nsid || nsid > LIO_NN ||
	    (active_only && !lio_ns_active(c, nsid))) {
		req->err_loc = NVME_SQE_OFF_NSID;
		return NVME_SC_INVALID_NS;
	}
	return NVME_SC_SUCCESS;
}

static u16 lio_id_check_csi(struct lio_req *req, u32 cdw11)
{
	if ((cdw11 >> 24) != NVME_CSI_NVM) {
		req->err_loc = NVME_SQE_OFF_CDW11;
		return NVME_SC_INVALID_FIELD;
	}
	return NVME_SC_SUCCESS;
}

u16 lio_admin_identify(struct lio_vctrl *c, struct lio_req *req)
{
	u32 nsid = le32_to_cpu(req->sqe.nsid);
	u32 cdw10 = le32_to_cpu(req->sqe.cdw10);
	u32 cdw11 = le32_to_cpu(req->sqe.cdw11);
	u8 cns = cdw10 & 0xff;
	void *buf = c->scratch;
	u16 status = NVME_SC_SUCCESS;

	memset(buf, 0, NVME_IDENTIFY_DATA_SIZE);
	switch (cns) {
	case NVME_ID_CNS_NS:
	case NVME_ID_CNS_NS_PRESENT:
		status = lio_id_check_nsid(c, req, nsid, false, true);
		if (!status)
			lio_fill_id_ns(c, nsid, buf, cns == NVME_ID_CNS_NS_PRESENT);
		break;
	case NVME_ID_CNS_CTRL:
		lio_fill_id_ctrl(c, buf);
		break;
	case NVME_ID_CNS_NS_ACTIVE_LIST:
	case NVME_ID_CNS_NS_PRESENT_LIST:
		status = lio_fill_ns_list(c, req, nsid,
					  cns == NVME_ID_CNS_NS_PRESENT_LIST, buf);
		break;
	case NVME_ID_CNS_CTRL_NS_LIST:
		/* The controllers namespace nsid is attached to. */
		status = lio_id_check_nsid(c, req, nsid, false, false);
		if (!status)
			lio_fill_ctrl_list(c, cdw10 >> 16, !!lio_ns_active(c, nsid),
					   buf);
		break;
	case NVME_ID_CNS_CTRL_LIST:
		/* The subsystem's controllers from CDW10.CNTID on. */
		lio_fill_ctrl_list(c, cdw10 >> 16, true, buf);
		break;
	case NVME_ID_CNS_NS_DESC_LIST:
		status = lio_id_check_nsid(c, req, nsid, true, false);
		if (!status)
			lio_fill_ns_descs(c, nsid, buf);
		break;
	case NVME_ID_CNS_CS_NS:
		/* NVM has nothing command set specific to say per namespace
		 * at the features we have: the structure stays zero.
		 */
		status = lio_id_check_csi(req, cdw11);
		if (!status)
			status = lio_id_check_nsid(c, req, nsid, false, false);
		break;
	case NVME_ID_CNS_CS_CTRL:
		status = lio_id_check_csi(req, cdw11);
		if (!status)
			lio_fill_id_ctrl_nvm(buf);
		break;
	case NVME_ID_CNS_NS_CS_INDEP:
		status = lio_id_check_nsid(c, req, nsid, false, false);
		if (!status)
			lio_fill_id_ns_indep(c, nsid, buf);
		break;
	default:
		req->err_loc = NVME_SQE_OFF_CDW10;
		status = NVME_SC_INVALID_FIELD;
		break;
	}
	if (status)
		return status;
	return lio_prp_to_guest(c, req, buf, NVME_IDENTIFY_DATA_SIZE);
}
