// SPDX-License-Identifier: GPL-2.0
/*
 * I/O commands on a queue no data path serves. They can't be carried
 * out, but they still get the status a real controller would give: the
 * opcode and namespace are checked first, so that a host sees the same
 * errors for bad commands whether or not a data path is attached, and a
 * good command fails with Namespace Not Ready.
 */
#include "vctrl.h"

/* The NVM commands we advertise (ONCS, VWC), with their effects. */
u32 lio_io_cmd_effects(u8 opcode)
{
	switch (opcode) {
	case nvme_cmd_flush:
	case nvme_cmd_read:
	case nvme_cmd_compare:
		return NVME_CMD_EFFECTS_CSUPP;
	case nvme_cmd_write:
	case nvme_cmd_write_zeroes:
	case nvme_cmd_dsm:
		return NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC;
	default:
		return 0;
	}
}

static u16 lio_io_check(struct lio_req *req)
{
	u32 nsid = le32_to_cpu(req->sqe.nsid);
	u16 status;

	status = lio_sqe_check_flags(req);
	if (status)
		return status;
	if (!lio_io_cmd_effects(req->sqe.opcode)) {
		req->err_loc = NVME_SQE_OFF_OPCODE;
		return NVME_SC_INVALID_OPCODE;
	}
	/* VWC advertises flush of all namespaces at once (NSID FFFFFFFFh). */
	if (nsid != LIO_NSID &&
	    !(req->sqe.opcode == nvme_cmd_flush && nsid == 0xffffffffU)) {
		req->err_loc = NVME_SQE_OFF_NSID;
		return NVME_SC_INVALID_NS;
	}
	/* Retrying will not make a data path appear. */
	return NVME_SC_NS_NOT_READY | NVME_STATUS_DNR;
}

u16 lio_io_exec(struct lio_vctrl *c, struct lio_req *req)
{
	u16 status;

	req->dw0 = 0;
	req->err_loc = LIO_NO_ERR_LOC;
	req->deferred = false;

	status = lio_io_check(req);
	lio_err_log_add(c, req, status);
	return status;
}
