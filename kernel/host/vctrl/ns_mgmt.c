// SPDX-License-Identifier: GPL-2.0
/*
 * Namespace Attachment (admin 15h) and Namespace Management (0Dh), OACS
 * bit 3. A vdev is a subsystem of one controller: a Controller List names
 * this controller's CNTLID, alone. Attach and detach change what the
 * guest sees, at once: the namespace table goes to the data path, which
 * finishes a detached namespace's commands and takes no more before it
 * acknowledges, and only then is the host told (Namespace Attribute
 * Changed, the Changed Namespace List) and the command completed, so a
 * host that saw detach complete never has a command of that namespace
 * run afterwards. Delete takes an allocated namespace out of the
 * subsystem (detaching it first); an operator's backend stays the
 * operator's, a pool's goes with it (the data path sees the namespace
 * gone from the table). Create allocates from the pool the data path
 * holds (dp_pool_bytes; none: UNVMCAP 0, Namespace Insufficient
 * Capacity): the data path makes the backend (dp_ns_create) and the
 * command waits for its answer, as Format NVM does; the namespace is
 * then allocated, not attached, and the command completes with its NSID.
 * Documentation/design/namespaces.rst, "Namespace management and
 * attachment".
 */
#include "vctrl.h"

/*
 * The NSID of a command naming one namespace: 1..NN is one, 0 and the
 * NSIDs past NN are Invalid Namespace, FFFFFFFFh (all) is for the caller
 * to judge, as is whether the namespace exists.
 */
static u16 lio_ns_mgmt_nsid(struct lio_req *req, u32 nsid)
{
	if (!nsid || (nsid > LIO_NN && nsid != NVME_NSID_ALL)) {
		req->err_loc = NVME_SQE_OFF_NSID;
		return NVME_SC_INVALID_NS;
	}
	return NVME_SC_SUCCESS;
}

/* The Controller List at PRP1/PRP2: this controller's CNTLID alone. */
static u16 lio_ns_ctrl_list(struct lio_vctrl *c, struct lio_req *req)
{
	struct nvme_ctrl_list *l = (struct nvme_ctrl_list *)c->scratch;
	u16 status;

	LIO_STATIC_ASSERT(sizeof(c->scratch) >= sizeof(*l));
	status = lio_prp_from_guest(c, req, l, sizeof(*l));
	if (status)
		return status;
	if (le16_to_cpu(l->nr) != 1 || le16_to_cpu(l->id[0]) != c->p.cntlid)
		return NVME_SC_CTRL_LIST_INVALID;
	return NVME_SC_SUCCESS;
}

/* Attach or detach namespace nsid, the host told once the data path has it. */
static void lio_ns_set_attached(struct lio_vctrl *c, u32 nsid, bool attached)
{
	c->ns[nsid - 1].attached = attached;
	lio_ns_changed(c, nsid);
}

u16 lio_admin_ns_attach(struct lio_vctrl *c, struct lio_req *req)
{
	u32 nsid = le32_to_cpu(req->sqe.nsid);
	u32 sel = NVME_NS_SEL(le32_to_cpu(req->sqe.cdw10));
	struct lio_ns *ns;
	u16 status;

	status = lio_ns_mgmt_nsid(req, nsid);
	if (status)
		return status;
	if (sel != NVME_NS_ATTACH_CTRL && sel != NVME_NS_DETACH_CTRL) {
		req->err_loc = NVME_SQE_OFF_CDW10;
		return NVME_SC_INVALID_FIELD;
	}
	/* All, or an NSID no namespace has: no namespace to attach. */
	ns = nsid == NVME_NSID_ALL ? NULL : lio_ns_get(c, nsid);
	if (!ns) {
		req->err_loc = NVME_SQE_OFF_NSID;
		return NVME_SC_INVALID_FIELD;
	}
	status = lio_ns_ctrl_list(c, req);
	if (status)
		return status;
	if (sel == NVME_NS_ATTACH_CTRL && ns->attached)
		return NVME_SC_NS_ALREADY_ATTACHED;
	if (sel == NVME_NS_DETACH_CTRL && !ns->attached)
		return NVME_SC_NS_NOT_ATTACHED;
	/* A Format of it under way would format a namespace gone or come. */
	if (lio_format_busy_on(c, nsid))
		return NVME_SC_FORMAT_IN_PROGRESS;
	lio_ns_set_attached(c, nsid, sel == NVME_NS_ATTACH_CTRL);
	return NVME_SC_SUCCESS;
}

/* Bytes the pool's namespaces hold, a create under way's included. */
static u64 lio_ns_pooled_bytes(const struct lio_vctrl *c)
{
	const struct lio_nscreate *n = &c->nscreate;
	u64 sum = n->busy ? n->nsze << n->lba_shift : 0;
	u32 i;

	for (i = 0; i < LIO_NN; i++)
		if (c->ns[i].pooled)
			sum += c->ns[i].size;
	return sum;
}

/* What create-ns may take: the pool's capacity not allocated. */
u64 lio_ns_unallocated(struct lio_vctrl *c)
{
	u32 nsids;
	u64 pool = lio_hook_pool_bytes(c, &nsids);
	u64 used = lio_ns_pooled_bytes(c);

	/* A pool made smaller than what it holds has nothing left. */
	return pool > used ? pool - used : 0;
}

/*
 * The host-specified fields of the Identify Namespace structure create-ns
 * sends: NSZE = NCAP (no thin provisioning), one of the LBA formats, no
 * metadata or protection, a namespace private to this controller (CMIC
 * 0), no larger than a namespace may be. Its status.
 */
static u16 lio_ns_create_check(struct lio_vctrl *c, struct lio_req *req,
			       u64 *nsze_out, u8 *shift_out)
{
	struct nvme_id_ns *id = (struct nvme_id_ns *)c->scratch;
	u16 status;
	u32 lbaf;
	u64 nsze;

	LIO_STATIC_ASSERT(sizeof(c->scratch) >= sizeof(*id));
	status = lio_prp_from_guest(c, req, id, sizeof(*id));
	if (status)
		return status;
	nsze = le64_to_cpu(id->nsze);
	lbaf = (id->flbas & 0xf) | ((id->flbas >> 1) & 0x30);
	/* FLBAS bit 4 (metadata at the end of the LBA) means nothing without. */
	if (lbaf >= LIO_NR_LBAF || id->dps)
		return NVME_SC_INVALID_FORMAT;
	if (!nsze || le64_to_cpu(id->ncap) != nsze || id->nmic)
		return NVME_SC_INVALID_FIELD;
	if (nsze > LEAPIO_NS_SIZE_MAX >> lio_lbaf_shift[lbaf])
		return NVME_SC_NS_INSUFFICIENT_CAP;
	*nsze_out = nsze;
	*shift_out = lio_lbaf_shift[lbaf];
	return NVME_SC_SUCCESS;
}

static u16 lio_ns_create(struct lio_vctrl *c, struct lio_req *req)
{
	u32 csi = le32_to_cpu(req->sqe.cdw11) >> 24;
	struct lio_nscreate *n = &c->nscreate;
	u32 i, nsids;
	u16 status;
	u64 nsze;
	u8 shift;

	if (csi != NVME_CSI_NVM) {
		req->err_loc = NVME_ERR_LOC(NVME_SQE_OFF_CDW11, 24);
		return NVME_SC_INVALID_FIELD;
	}
	status = lio_ns_create_check(c, req, &nsze, &shift);
	if (status)
		return status;
	/* One at a time: the NSID and the capacity are the first one's. */
	if (n->busy)
		return NVME_SC_NS_NOT_READY;
	for (i = 0; i < LIO_NN && c->ns[i].size; i++)
		;
	if (i == LIO_NN)
		return NVME_SC_NS_ID_UNAVAILABLE;
	/* The lowest NSID free of those the pool makes namespaces in. */
	lio_hook_pool_bytes(c, &nsids);
	for (i = 0; i < LIO_NN && (c->ns[i].size || !(nsids & BIT(i))); i++)
		;
	if (i == LIO_NN)
		return nsids ? NVME_SC_NS_ID_UNAVAILABLE :
		       NVME_SC_NS_INSUFFICIENT_CAP;
	if (nsze > lio_ns_unallocated(c) >> shift)
		return NVME_SC_NS_INSUFFICIENT_CAP;
	if (lio_hook_ns_create(c, n->gen + 1, i + 1, nsze, shift))
		return NVME_SC_NS_NOT_READY;
	n->gen++;
	n->busy = true;
	n->nsid = i + 1;
	n->nsze = nsze;
	n->lba_shift = shift;
	lio_deferred_wait(&n->wait, req);
	return NVME_SC_SUCCESS;
}

/* What a data path may answer a create; anything else is its bug. */
static u16 lio_ns_created_status(u16 status)
{
	status &= ~(NVME_STATUS_DNR | NVME_STATUS_MORE);
	switch (status) {
	case NVME_SC_SUCCESS:
	case NVME_SC_INTERNAL:
	case NVME_SC_NS_NOT_READY:
	case NVME_SC_NS_INSUFFICIENT_CAP:
	case NVME_SC_NS_ID_UNAVAILABLE:
		return status;
	default:
		return NVME_SC_INTERNAL;
	}
}

int lio_vctrl_ns_created(struct lio_vctrl *c, u32 gen, u16 status)
{
	struct lio_nscreate *n = &c->nscreate;
	struct lio_ns *ns;

	if (!n->busy || gen != n->gen)
		return -ESTALE;
	n->busy = false;
	status = lio_ns_created_status(status);
	ns = &c->ns[n->nsid - 1];
	/* The operator made a namespace of that NSID meanwhile (sysfs). */
	if (!status && ns->size)
		status = NVME_SC_NS_ID_UNAVAILABLE;
	if (!status) {
		ns->size = n->nsze << n->lba_shift;
		ns->lba_shift = n->lba_shift;
		ns->attached = false;
		ns->pooled = true;
		c->feat.err_recovery[n->nsid - 1] = 0;
	}
	/*
	 * Not attached: nothing for the host to be told, but the data path
	 * keeps the namespace's backend by the table (pooled), and the
	 * request is done with it. Not ready: at the next enable.
	 */
	if (lio_vctrl_ready(c) && lio_hook_update(c, LIO_DP_GEOMETRY)) {
		lio_deferred_reset(&n->wait);
		lio_vctrl_dp_lost(c);
		return 0;
	}
	/*
	 * No capacity, no NSID: the command's own, sent again it fails
	 * again (Do Not Retry, as lio_admin_exec() says of its errors); a
	 * data path that failed is not.
	 */
	if (status == NVME_SC_NS_INSUFFICIENT_CAP ||
	    status == NVME_SC_NS_ID_UNAVAILABLE)
		status |= NVME_STATUS_DNR;
	lio_deferred_answer(c, &n->wait, status, status ? 0 : n->nsid);
	return 0;
}

/*
 * Delete: one namespace, or all (FFFFFFFFh). Namespace 1 is the mdev's
 * own (its ns_size is never 0): a guest may detach it, not delete it; all
 * is every other. Each goes as the operator's ns<N>_size of 0 takes it
 * (lio_vctrl_resize_ns()): detached with it, one change for the host.
 * None goes while a Format NVM of any of them is under way.
 */
static u16 lio_ns_delete(struct lio_vctrl *c, struct lio_req *req)
{
	u32 nsid = le32_to_cpu(req->sqe.nsid);
	u32 n, gone = 0;

	if (nsid == 1 || (nsid != NVME_NSID_ALL && !lio_ns_get(c, nsid))) {
		req->err_loc = NVME_SQE_OFF_NSID;
		return NVME_SC_INVALID_FIELD;
	}
	for (n = 2; n <= LIO_NN; n++) {
		if ((nsid != NVME_NSID_ALL && nsid != n) || !lio_ns_get(c, n))
			continue;
		if (lio_format_busy_on(c, n))
			return NVME_SC_FORMAT_IN_PROGRESS;
		gone |= 1U << (n - 1);
	}
	for (n = 2; n <= LIO_NN; n++)
		if ((gone & (1U << (n - 1))) && lio_vctrl_resize_ns(c, n, 0))
			return NVME_SC_INTERNAL;	/* not with the checks above */
	return NVME_SC_SUCCESS;
}

u16 lio_admin_ns_mgmt(struct lio_vctrl *c, struct lio_req *req)
{
	u32 sel = NVME_NS_SEL(le32_to_cpu(req->sqe.cdw10));
	u32 nsid = le32_to_cpu(req->sqe.nsid);
	u16 status;

	switch (sel) {
	case NVME_NS_MGMT_CREATE:
		/* The controller picks the NSID: the field is reserved. */
		return lio_ns_create(c, req);
	case NVME_NS_MGMT_DELETE:
		status = lio_ns_mgmt_nsid(req, nsid);
		return status ? status : lio_ns_delete(c, req);
	default:
		req->err_loc = NVME_SQE_OFF_CDW10;
		return NVME_SC_INVALID_FIELD;
	}
}
