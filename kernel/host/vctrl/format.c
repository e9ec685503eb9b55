// SPDX-License-Identifier: GPL-2.0
/*
 * Format NVM (admin 80h): the namespace takes LBA format 0 (512-byte
 * blocks) or 1 (4 KiB), neither with metadata, optionally with its user
 * data erased (Secure Erase Settings 1). The model checks the command and
 * keeps the geometry; the data path, which holds the backend and fetches
 * the I/O, does the work (dp_format): it stops fetching, finishes what it
 * has, erases, and answers (lio_vctrl_format_done()). The command is
 * deferred until then, as an AER is, so that the host sees it complete
 * only once the namespace has its new format and the data path uses it.
 * Documentation/design/namespaces.rst, "Format NVM".
 */
#include "vctrl.h"

/* Is namespace nsid one Format NVM nsid (an NSID, or all) applies to? */
static bool lio_format_covers(struct lio_vctrl *c, u32 fnsid, u32 nsid)
{
	return lio_ns_active(c, nsid) &&
	       (fnsid == NVME_NSID_ALL || fnsid == nsid);
}

/* Does every namespace it covers hold a block of 1 << shift bytes? */
static bool lio_format_fits(struct lio_vctrl *c, u32 fnsid, u8 shift)
{
	u32 nsid;

	for (nsid = 1; nsid <= LIO_NN; nsid++)
		if (lio_format_covers(c, fnsid, nsid) &&
		    !(c->ns[nsid - 1].size >> shift))
			return false;
	return true;
}

u16 lio_admin_format(struct lio_vctrl *c, struct lio_req *req)
{
	u32 nsid = le32_to_cpu(req->sqe.nsid);
	u32 cdw10 = le32_to_cpu(req->sqe.cdw10);
	struct lio_format *f = &c->format;
	u32 lbaf = nvme_format_lbaf(cdw10);
	u32 ses = NVME_FORMAT_SES(cdw10);
	u8 shift;

	/* Offered only with a data path that formats (OACS bit 1). */
	if (!lio_hook_has_format(c)) {
		req->err_loc = NVME_SQE_OFF_OPCODE;
		return NVME_SC_INVALID_OPCODE;
	}
	if (nsid != NVME_NSID_ALL && !lio_ns_active(c, nsid)) {
		req->err_loc = NVME_SQE_OFF_NSID;
		return NVME_SC_INVALID_NS;
	}
	if (lbaf >= LIO_NR_LBAF) {
		req->err_loc = NVME_ERR_LOC(NVME_SQE_OFF_CDW10, 0);
		return NVME_SC_INVALID_FORMAT;
	}
	/* No protection information, no metadata: MSET means nothing. */
	if (NVME_FORMAT_PI(cdw10)) {
		req->err_loc = NVME_ERR_LOC(NVME_SQE_OFF_CDW10, 5);
		return NVME_SC_INVALID_FORMAT;
	}
	/* No cryptographic erase (FNA bit 2 clear); 3..7 are reserved. */
	if (ses > NVME_FORMAT_SES_USER_DATA) {
		req->err_loc = NVME_ERR_LOC(NVME_SQE_OFF_CDW10 + 1, 1);
		return NVME_SC_INVALID_FIELD;
	}
	shift = lio_lbaf_shift[lbaf];
	/* A namespace smaller than one block of the format has none. */
	if (!lio_format_fits(c, nsid, shift)) {
		req->err_loc = NVME_ERR_LOC(NVME_SQE_OFF_CDW10, 0);
		return NVME_SC_INVALID_FORMAT;
	}
	if (f->busy)
		return NVME_SC_FORMAT_IN_PROGRESS;
	if (lio_hook_format(c, f->gen + 1, nsid, shift, (u8)ses))
		return NVME_SC_NS_NOT_READY;
	f->gen++;
	f->busy = true;
	f->nsid = nsid;
	f->lba_shift = shift;
	f->ses = (u8)ses;
	lio_deferred_wait(&f->wait, req);
	return NVME_SC_SUCCESS;
}

/* What a data path may answer; anything else is its bug. */
static u16 lio_format_status(u16 status)
{
	status &= ~(NVME_STATUS_DNR | NVME_STATUS_MORE);
	switch (status) {
	case NVME_SC_SUCCESS:
	case NVME_SC_INTERNAL:
	case NVME_SC_NS_NOT_READY:
	case NVME_SC_DATA_XFER_ERROR:
	case NVME_SC_WRITE_FAULT:
		return status;
	default:
		return NVME_SC_INTERNAL;
	}
}

int lio_vctrl_format_done(struct lio_vctrl *c, u32 gen, u16 status)
{
	struct lio_format *f = &c->format;
	u32 nsid;

	if (!f->busy || gen != f->gen)
		return -ESTALE;
	f->busy = false;
	status = lio_format_status(status);
	for (nsid = 1; status == NVME_SC_SUCCESS && nsid <= LIO_NN; nsid++) {
		struct lio_ns *ns = &c->ns[nsid - 1];

		if (!lio_format_covers(c, f->nsid, nsid))
			continue;
		ns->lba_shift = f->lba_shift;
		/* ns_size stays a whole number of blocks, as sysfs keeps it. */
		ns->size &= ~((1ULL << f->lba_shift) - 1);
	}
	/*
	 * Answered either way: the data path takes I/O again, with the
	 * geometry the namespace now has, published and acked before the
	 * host hears (at the next enable when the controller is not ready).
	 */
	if (lio_vctrl_ready(c) && lio_hook_update(c, LIO_DP_GEOMETRY)) {
		lio_deferred_reset(&f->wait);
		lio_vctrl_dp_lost(c);
		return 0;
	}
	lio_deferred_answer(c, &f->wait, status, 0);
	return 0;
}
