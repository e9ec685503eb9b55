// SPDX-License-Identifier: GPL-2.0
/*
 * The admin command set: check what every admin SQE must satisfy, then
 * hand the command to its handler. Handlers validate their own fields and
 * return an NVMe status with req->err_loc pointing at the field at fault;
 * a failed command is recorded in the Error Information log here, once.
 */
#include "vctrl.h"

u16 lio_sqe_check_flags(struct lio_req *req)
{
	/* We advertise neither fused operations (FUSES = 0) nor SGLs
	 * (SGLS = 0): a command asking for either can't be understood.
	 */
	if (req->sqe.flags & (NVME_SQE_FUSE_MASK | NVME_SQE_PSDT_MASK)) {
		req->err_loc = NVME_SQE_OFF_FLAGS;
		return NVME_SC_INVALID_FIELD;
	}
	return NVME_SC_SUCCESS;
}

/*
 * Every command has completed by the time the doorbell write that
 * submitted it returns, so there is nothing left to abort but AERs, which
 * are never aborted: the answer is always "not aborted" (DW0 bit 0).
 */
static u16 lio_admin_abort(struct lio_vctrl *c, struct lio_req *req)
{
	req->dw0 = 1;
	return NVME_SC_SUCCESS;
}

/* No keep alive timer runs on PCIe: the command only has to succeed. */
static u16 lio_admin_keep_alive(struct lio_vctrl *c, struct lio_req *req)
{
	return NVME_SC_SUCCESS;
}

/*
 * One table is both the dispatch and the Commands Supported and Effects
 * log: an opcode runs exactly when the log says it is supported. Format
 * NVM, Namespace Management and Attachment change namespaces
 * (lio_admin_effects); the others have CSUPP as their only effect.
 */
static u16 (* const lio_admin_cmds[256])(struct lio_vctrl *c,
					  struct lio_req *req) = {
	[nvme_admin_delete_sq]		= lio_admin_delete_sq,
	[nvme_admin_create_sq]		= lio_admin_create_sq,
	[nvme_admin_get_log_page]	= lio_admin_get_log_page,
	[nvme_admin_delete_cq]		= lio_admin_delete_cq,
	[nvme_admin_create_cq]		= lio_admin_create_cq,
	[nvme_admin_identify]		= lio_admin_identify,
	[nvme_admin_abort_cmd]		= lio_admin_abort,
	[nvme_admin_set_features]	= lio_admin_set_features,
	[nvme_admin_get_features]	= lio_admin_get_features,
	[nvme_admin_async_event]	= lio_admin_async_event,
	[nvme_admin_ns_mgmt]		= lio_admin_ns_mgmt,
	[nvme_admin_ns_attach]		= lio_admin_ns_attach,
	[nvme_admin_keep_alive]		= lio_admin_keep_alive,
	[nvme_admin_dbbuf]		= lio_admin_dbbuf,
	[nvme_admin_get_lba_status]	= lio_admin_get_lba_status,
	[nvme_admin_format_nvm]		= lio_admin_format,
};

/*
 * Format NVM changes the namespace's logical blocks, capability and
 * identification (NSZE, FLBAS), one namespace at a time (CSE 001b): a
 * host stops its I/O around it and reads the namespace again after.
 */
static const u32 lio_admin_effects[256] = {
	[nvme_admin_format_nvm]	= NVME_CMD_EFFECTS_LBCC | NVME_CMD_EFFECTS_NCC |
				  NVME_CMD_EFFECTS_NIC | (1U << 16),
	/* The namespaces a host has change: it scans them again after. */
	[nvme_admin_ns_mgmt]	= NVME_CMD_EFFECTS_NIC,
	[nvme_admin_ns_attach]	= NVME_CMD_EFFECTS_NIC,
};

u32 lio_admin_cmd_effects(const struct lio_vctrl *c, u8 opcode)
{
	if (!lio_admin_cmds[opcode])
		return 0;
	/* Offered only with a data path that formats. */
	if (opcode == nvme_admin_format_nvm && !lio_hook_has_format(c))
		return 0;
	return NVME_CMD_EFFECTS_CSUPP | lio_admin_effects[opcode];
}

u16 lio_admin_exec(struct lio_vctrl *c, struct lio_req *req)
{
	u16 (*exec)(struct lio_vctrl *c, struct lio_req *req);
	u16 status;

	req->dw0 = 0;
	req->err_loc = LIO_NO_ERR_LOC;
	req->deferred = false;

	status = lio_sqe_check_flags(req);
	if (!status) {
		exec = lio_admin_cmds[req->sqe.opcode];
		if (exec) {
			status = exec(c, req);
		} else {
			req->err_loc = NVME_SQE_OFF_OPCODE;
			status = NVME_SC_INVALID_OPCODE;
		}
	}
	/*
	 * Every error here is the command's own (an opcode, a field, a
	 * queue, a log or a feature it names, or memory it points at): sent
	 * again it fails again, so Do Not Retry, as the I/O path says of its
	 * errors. The Error Information log records the same status.
	 */
	if (status) {
		status |= NVME_STATUS_DNR;
		lio_err_log_add(c, req, status);
	}
	return status;
}
