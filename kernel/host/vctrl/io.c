// SPDX-License-Identifier: GPL-2.0
/*
 * I/O commands on a queue no data path serves. They can't be carried
 * out, but they still get the status a real controller would give: every
 * check leapiod makes of an SQE (common/nvme/io_cmd.c, the same code) comes
 * first, so that a host sees the same errors for bad commands whether or
 * not a data path is attached, and a good command fails with Namespace
 * Not Ready (nodp.c: without DNR while a data path is expected).
 */
#include "vctrl.h"

u16 lio_io_exec(struct lio_vctrl *c, struct lio_req *req)
{
	struct lio_ns *n = lio_ns_active(c, le32_to_cpu(req->sqe.nsid));
	struct nvme_io_cmd cmd;
	struct nvme_io_ns ns;
	u16 status;

	/* As Identify has them: MDTS, and WZSL. */
	if (n)
		nvme_io_ns_set(&ns, lio_ns_blocks(n), n->lba_shift,
			       LIO_MAX_XFER,
			       NVME_IO_LIMIT_BYTES(nvme_io_nodata_sl(LIO_MDTS)));

	req->dw0 = 0;
	req->deferred = false;

	status = nvme_io_check(&req->sqe, n ? &ns : NULL, &cmd);
	if (status) {
		req->err_loc = cmd.err_loc;
		req->err_lba = cmd.err_lba;
	} else {
		/* Not Ready: worth a retry while a data path is expected. */
		req->err_loc = LIO_NO_ERR_LOC;
		req->err_lba = cmd.slba;
		status = lio_nodp_status(c);
	}
	lio_err_log_add(c, req, status);
	return status;
}
