// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O command set (NVM Command Set specification) as LeapIO offers
 * it (the checks of an I/O SQE are inline in io_cmd.h: leapiod runs
 * them for every command).
 */
#include "io_cmd.h"

#define NVME_IO_CSUPP		NVME_CMD_EFFECTS_CSUPP
/* Writes change the logical blocks' content (LBCC). */
#define NVME_IO_CSUPP_LBCC	(NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC)

/*
 * ONCS advertises Compare, Write Uncorrectable, Dataset Management,
 * Write Zeroes, Verify and Copy on top of the mandatory Flush, Write and
 * Read (kernel/host/vctrl/identify.c: lio_oncs()); VWC says Flush takes
 * NSID FFFFFFFFh. Anything else is an invalid opcode.
 */
const struct nvme_io_op nvme_io_ops[256] = {
	[nvme_cmd_flush] = {
		.dir = NVME_IO_DIR_NONE, .xfer = NVME_IO_XFER_NONE,
		.nsid_all = true, .effects = NVME_IO_CSUPP,
	},
	[nvme_cmd_write] = {
		.dir = NVME_IO_DIR_TO_CTRL, .xfer = NVME_IO_XFER_LBAS,
		.effects = NVME_IO_CSUPP_LBCC,
	},
	[nvme_cmd_read] = {
		.dir = NVME_IO_DIR_FROM_CTRL, .xfer = NVME_IO_XFER_LBAS,
		.effects = NVME_IO_CSUPP,
	},
	[nvme_cmd_compare] = {
		.dir = NVME_IO_DIR_TO_CTRL, .xfer = NVME_IO_XFER_LBAS,
		.effects = NVME_IO_CSUPP,
	},
	[nvme_cmd_write_zeroes] = {
		.dir = NVME_IO_DIR_NONE, .xfer = NVME_IO_XFER_LBAS_NODATA,
		.effects = NVME_IO_CSUPP_LBCC,
	},
	[nvme_cmd_dsm] = {
		.dir = NVME_IO_DIR_TO_CTRL, .xfer = NVME_IO_XFER_DSM,
		.effects = NVME_IO_CSUPP_LBCC,
	},
	/* Later reads of the blocks fail: their content changed. */
	[nvme_cmd_write_uncor] = {
		.dir = NVME_IO_DIR_NONE, .xfer = NVME_IO_XFER_LBAS_NODATA,
		.effects = NVME_IO_CSUPP_LBCC,
	},
	[nvme_cmd_verify] = {
		.dir = NVME_IO_DIR_NONE, .xfer = NVME_IO_XFER_LBAS_NODATA,
		.effects = NVME_IO_CSUPP,
	},
	[nvme_cmd_copy] = {
		.dir = NVME_IO_DIR_TO_CTRL, .xfer = NVME_IO_XFER_COPY,
		.effects = NVME_IO_CSUPP_LBCC,
	},
};
