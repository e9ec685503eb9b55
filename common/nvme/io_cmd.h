/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The I/O command set LeapIO's controller advertises and executes, and
 * the checks every I/O command passes before anything of it is carried
 * out. One definition for the controller model (kernel/host/vctrl/io.c,
 * which answers when no data path serves a queue) and for leapiod
 * (runtime/core/io.c), so that a command gets the same status, the same
 * Do Not Retry bit and the same Error Information log entry whichever of
 * them sees it.
 */
#ifndef LEAPIO_NVME_IO_CMD_H
#define LEAPIO_NVME_IO_CMD_H

#include "lio_env.h"
#include "nvme_spec.h"

/* The controller's one namespace. */
#define LIO_IO_NSID		1

/* Which way an I/O command's data moves. */
enum nvme_io_dir {
	NVME_IO_DIR_NONE	= 0,
	NVME_IO_DIR_TO_CTRL	= 1,	/* the host's buffer is read */
	NVME_IO_DIR_FROM_CTRL	= 2,	/* the host's buffer is written */
};

/* What an I/O command names and transfers. */
enum nvme_io_xfer {
	NVME_IO_XFER_NONE	= 0,	/* nothing (Flush) */
	/* NLB + 1 blocks from SLBA, moved through PRP1/PRP2 (MDTS bound) */
	NVME_IO_XFER_LBAS	= 1,
	/*
	 * NLB + 1 blocks from SLBA, no data: Write Zeroes, Verify, Write
	 * Uncorrectable (WZSL, VSL, WUSL bound: nvme_io_nodata_sl())
	 */
	NVME_IO_XFER_LBAS_NODATA = 2,
	/* NR + 1 16-byte ranges through PRP1/PRP2 (Dataset Management) */
	NVME_IO_XFER_DSM	= 3,
	/*
	 * NR + 1 32-byte source ranges through PRP1/PRP2, their blocks
	 * written from SDLBA on (Copy; MSRC, MSSRL, MCL bound)
	 */
	NVME_IO_XFER_COPY	= 4,
};

/* One opcode of the I/O command set: zero for an opcode not offered. */
struct nvme_io_op {
	u8	dir;		/* enum nvme_io_dir */
	u8	xfer;		/* enum nvme_io_xfer */
	bool	nsid_all;	/* NSID FFFFFFFFh names every namespace */
	u32	effects;	/* Commands Supported and Effects log entry */
};

/* Indexed by opcode (ONCS and VWC say which are offered). */
extern const struct nvme_io_op nvme_io_ops[256];

/* The Commands Supported and Effects entry of an I/O opcode (0: none). */
static inline u32 nvme_io_cmd_effects(u8 opcode)
{
	return nvme_io_ops[opcode].effects;
}

/* The namespace as the checks see it (nvme_io_ns_set()). */
struct nvme_io_ns {
	u64	nsze;		/* blocks */
	u32	max_nlb;	/* blocks a transfer may have: MDTS */
	u32	max_nodata_nlb;	/* ... a command without data: WZSL, VSL, WUSL */
	u32	copy_mcl;	/* blocks a Copy may write: MCL */
	u16	copy_mssrl;	/* blocks of one source range: MSSRL */
	u8	lba_shift;
};

/*
 * Copy's limits. MSRC + 1 source ranges: one 4 KiB page of entries.
 * MCL in bytes whatever the LBA size, so that a Copy takes as long at
 * either format: leapiod moves it through a buffer of its own (never
 * through guest memory), MDTS at a time. MSSRL as MCL, within the 16
 * bits of a range's NLB.
 */
#define NVME_IO_COPY_RANGES	128U
#define NVME_IO_COPY_BYTES	(64U << 20)

static inline u32 nvme_io_copy_mcl(u8 lba_shift)
{
	return NVME_IO_COPY_BYTES >> lba_shift;
}

static inline u16 nvme_io_copy_mssrl(u8 lba_shift)
{
	u32 mcl = nvme_io_copy_mcl(lba_shift);

	return mcl > 0xffff ? 0xffff : (u16)mcl;
}

/* A limit given as a power of two of CAP.MPSMIN (4 KiB) pages, in bytes. */
#define NVME_IO_LIMIT_BYTES(log2)	(4096U << (log2))

/*
 * The size limits of the commands without data (NVM Command Set
 * Identify Controller, CNS 06h: WZSL, VSL, WUSL) for an MDTS: the same
 * power of two, so that a Write Zeroes, Verify or Write Uncorrectable
 * names as many blocks as the longest Read or Write. Identify advertises
 * it (kernel/host/vctrl/identify.c), and the model (io.c) and leapiod
 * (runtime/core/vdev.c) enforce what it says, from this one rule.
 */
static inline u8 nvme_io_nodata_sl(u8 mdts)
{
	return mdts;
}

/*
 * nsze blocks of 1 << lba_shift bytes; MDTS and the no-data limit in
 * bytes. Copy's limits follow from the LBA size.
 */
static inline void nvme_io_ns_set(struct nvme_io_ns *ns, u64 nsze,
				  u8 lba_shift, u32 max_xfer, u32 max_nodata)
{
	ns->nsze = nsze;
	ns->lba_shift = lba_shift;
	ns->max_nlb = max_xfer >> lba_shift;
	ns->max_nodata_nlb = max_nodata >> lba_shift;
	ns->copy_mcl = nvme_io_copy_mcl(lba_shift);
	ns->copy_mssrl = nvme_io_copy_mssrl(lba_shift);
}

/* A command that passed the checks, or why one did not. */
struct nvme_io_cmd {
	const struct nvme_io_op *op;
	u64	slba;
	u32	nlb;		/* blocks, 1's based (the SQE's NLB + 1) */
	u32	len;		/* bytes through PRP1/PRP2, 0 for none */
	u32	nr;		/* DSM, Copy: ranges */
	/* Only on failure: the Error Information log's fields. */
	u16	err_loc;	/* NVME_ERR_LOC() */
	u64	err_lba;	/* the first LBA at fault, else 0 */
};

/* Dataset Management: CDW10 NR [7:0], 0's based; 16 bytes a range. */
#define NVME_DSM_NR(cdw10)	(((cdw10) & 0xff) + 1)
#define NVME_DSM_RANGE_SIZE	16
#define NVME_COPY_RANGE_SIZE	32

/* A check failed: cmd's error fields set, status | DNR returned. */
static inline u16 nvme_io_fail(struct nvme_io_cmd *cmd, u16 status, u16 loc,
			       u64 lba)
{
	cmd->err_loc = loc;
	cmd->err_lba = lba;
	return status | NVME_STATUS_DNR;
}

/*
 * An LBA range [slba, slba + nlb) against the namespace (a Dataset
 * Management range, or the command's own): 0 or LBA Out of Range | DNR.
 * No sum overflows: a range wrapping around 2^64 is out of range.
 */
static inline u16 nvme_io_lba_check(const struct nvme_io_ns *ns, u64 slba,
				    u32 nlb)
{
	if (slba >= ns->nsze || nlb > ns->nsze - slba)
		return NVME_SC_LBA_RANGE | NVME_STATUS_DNR;
	return NVME_SC_SUCCESS;
}

/*
 * What of a Copy the SQE alone says (nvme_io_check()): the source range
 * format (only 0h, OCFS) and the number of ranges against MSRC. cmd->slba
 * is SDLBA and cmd->len the entries' bytes; the ranges themselves are
 * checked once read (nvme_io_copy_ranges()).
 */
static inline u16 nvme_io_check_copy(const struct nvme_sqe *sqe,
				     struct nvme_io_cmd *cmd)
{
	u32 cdw12 = le32_to_cpu(sqe->cdw12);

	if (NVME_COPY_FORMAT(cdw12))
		return nvme_io_fail(cmd, NVME_SC_INVALID_FIELD,
				    NVME_ERR_LOC(NVME_SQE_OFF_CDW12, 8), 0);
	cmd->nr = NVME_COPY_NR(cdw12);
	if (cmd->nr > NVME_IO_COPY_RANGES)
		return nvme_io_fail(cmd, NVME_SC_CMD_SIZE_LIMIT,
				    NVME_ERR_LOC(NVME_SQE_OFF_CDW12, 0), 0);
	cmd->slba = (u64)le32_to_cpu(sqe->cdw11) << 32 |
		    le32_to_cpu(sqe->cdw10);
	cmd->len = cmd->nr * NVME_COPY_RANGE_SIZE;
	return NVME_SC_SUCCESS;
}

/*
 * Check sqe as the NVMe specification orders the checks: FUSE and PSDT
 * (neither fused operations nor SGLs are offered), the opcode, the
 * namespace, the LBA range against the namespace size, and the transfer
 * size against MDTS (Write Zeroes: WZSL). Returns 0 with cmd's op, slba,
 * nlb and len filled in, or the status of the first check that failed,
 * with DNR (none of these errors goes away on a retry), cmd->err_loc the
 * SQE field at fault and cmd->err_lba the LBA for an LBA range error.
 * Reserved bits are not checked: the specification does not require it,
 * and the admin queue does not either. Inline: leapiod's every command.
 * ns is the active namespace sqe's NSID names, looked up by the caller,
 * or NULL for none: Invalid Namespace, unless the command takes
 * FFFFFFFFh for all of them (and then does not look at ns).
 */
static inline u16 nvme_io_check(const struct nvme_sqe *sqe,
				const struct nvme_io_ns *ns,
				struct nvme_io_cmd *cmd)
{
	const struct nvme_io_op *op = &nvme_io_ops[sqe->opcode];
	u32 nsid = le32_to_cpu(sqe->nsid);
	u64 slba;
	u32 nlb;

	cmd->op = op;
	cmd->slba = 0;
	cmd->nlb = 0;
	cmd->len = 0;
	cmd->nr = 0;
	/* Fused operations (FUSES = 0) and SGLs (SGLS = 0) are not offered. */
	if (unlikely(sqe->flags & (NVME_SQE_FUSE_MASK | NVME_SQE_PSDT_MASK)))
		return nvme_io_fail(cmd, NVME_SC_INVALID_FIELD,
				    sqe->flags & NVME_SQE_FUSE_MASK ?
				    NVME_ERR_LOC(NVME_SQE_OFF_FLAGS, 0) :
				    NVME_ERR_LOC(NVME_SQE_OFF_FLAGS, 6), 0);
	if (unlikely(!op->effects))
		return nvme_io_fail(cmd, NVME_SC_INVALID_OPCODE,
				    NVME_ERR_LOC(NVME_SQE_OFF_OPCODE, 0), 0);
	if (unlikely(!ns && !(op->nsid_all && nsid == 0xffffffffU)))
		return nvme_io_fail(cmd, NVME_SC_INVALID_NS,
				    NVME_ERR_LOC(NVME_SQE_OFF_NSID, 0), 0);

	if (op->xfer == NVME_IO_XFER_LBAS ||
	    op->xfer == NVME_IO_XFER_LBAS_NODATA) {
		slba = (u64)le32_to_cpu(sqe->cdw11) << 32 |
		       le32_to_cpu(sqe->cdw10);
		nlb = (le32_to_cpu(sqe->cdw12) & 0xffff) + 1;
		/* Starting past the end is SLBA's fault, ending past it NLB's. */
		if (unlikely(slba >= ns->nsze))
			return nvme_io_fail(cmd, NVME_SC_LBA_RANGE,
					    NVME_ERR_LOC(NVME_SQE_OFF_CDW10, 0),
					    slba);
		if (unlikely(nlb > ns->nsze - slba))
			return nvme_io_fail(cmd, NVME_SC_LBA_RANGE,
					    NVME_ERR_LOC(NVME_SQE_OFF_CDW12, 0),
					    slba);
		if (unlikely(nlb > (op->xfer == NVME_IO_XFER_LBAS ?
				    ns->max_nlb : ns->max_nodata_nlb)))
			return nvme_io_fail(cmd, NVME_SC_INVALID_FIELD,
					    NVME_ERR_LOC(NVME_SQE_OFF_CDW12, 0),
					    0);
		cmd->slba = slba;
		cmd->nlb = nlb;
		/* At most MDTS: no overflow. */
		if (op->xfer == NVME_IO_XFER_LBAS)
			cmd->len = nlb << ns->lba_shift;
	} else if (op->xfer == NVME_IO_XFER_DSM) {
		/* 256 ranges at most: 4 KiB, never above MDTS. */
		cmd->nr = NVME_DSM_NR(le32_to_cpu(sqe->cdw10));
		cmd->len = cmd->nr * NVME_DSM_RANGE_SIZE;
	} else if (op->xfer == NVME_IO_XFER_COPY) {
		return nvme_io_check_copy(sqe, cmd);
	}
	return NVME_SC_SUCCESS;
}

/*
 * Copy's source ranges (cmd->nr of them, read from the command's data)
 * against the namespace and Copy's limits, in the order of the entries:
 * a range longer than MSSRL is Command Size Limit Exceeded, one outside
 * the namespace LBA Out of Range; then the sum against MCL and the
 * destination range from SDLBA. 0 with cmd->nlb the blocks to write, or
 * the status | DNR with cmd->err_lba the range's first LBA (no SQE field
 * for a range: it is in the data) or SDLBA for the destination.
 */
static inline u16 nvme_io_copy_ranges(const struct nvme_io_ns *ns,
				      const struct nvme_copy_range *r,
				      struct nvme_io_cmd *cmd)
{
	u32 i, nlb, total = 0;
	u64 slba;

	for (i = 0; i < cmd->nr; i++) {
		slba = le64_to_cpu(r[i].slba);
		nlb = (u32)le16_to_cpu(r[i].nlb) + 1;
		if (nlb > ns->copy_mssrl)
			return nvme_io_fail(cmd, NVME_SC_CMD_SIZE_LIMIT,
					    NVME_ERR_LOC_NONE, slba);
		if (nvme_io_lba_check(ns, slba, nlb))
			return nvme_io_fail(cmd, NVME_SC_LBA_RANGE,
					    NVME_ERR_LOC_NONE, slba);
		/* 128 ranges of 65536 blocks at most: no overflow. */
		total += nlb;
	}
	if (total > ns->copy_mcl)
		return nvme_io_fail(cmd, NVME_SC_CMD_SIZE_LIMIT,
				    NVME_ERR_LOC(NVME_SQE_OFF_CDW12, 0), 0);
	if (nvme_io_lba_check(ns, cmd->slba, total))
		return nvme_io_fail(cmd, NVME_SC_LBA_RANGE,
				    NVME_ERR_LOC(NVME_SQE_OFF_CDW10, 0),
				    cmd->slba);
	cmd->nlb = total;
	return NVME_SC_SUCCESS;
}

/*
 * One failed command as the Error Information log records it, and as
 * leapiod reports it to the driver (LEAPIO_MBOX_ERROR).
 */
struct nvme_io_error {
	u16	sqid;
	u16	cid;
	u16	status;		/* CQE status field, phase bit 0 */
	u16	loc;		/* Parameter Error Location */
	u32	nsid;
	u64	lba;
};

#endif /* LEAPIO_NVME_IO_CMD_H */
