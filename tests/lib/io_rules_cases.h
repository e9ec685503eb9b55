/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bad I/O commands and the answer the controller gives each: status with
 * DNR, and the Error Information log entry's Parameter Error Location and
 * LBA. One table, run through the controller model (tests/unit/
 * test_io_rules.c) and through leapiod's core (tests/unit-rt/
 * test_io_rules.c): both must answer exactly this, on a namespace of
 * IOR_NSZE 512-byte blocks with an MDTS (and WZSL) of IOR_MAX_XFER bytes.
 * Each case breaks one rule, or two to show which check comes first.
 */
#ifndef LEAPIO_TESTS_IO_RULES_CASES_H
#define LEAPIO_TESTS_IO_RULES_CASES_H

#include "nvme_build.h"

#define IOR_NSZE	2048ULL		/* blocks */
#define IOR_LBA_SHIFT	9
#define IOR_MAX_XFER	(4096U << 6)	/* MDTS 6, as both are set up */
#define IOR_MAX_NLB	(IOR_MAX_XFER >> IOR_LBA_SHIFT)

struct io_rules_case {
	const char	*what;
	u8		opcode;
	u8		flags;
	u32		nsid;
	u64		slba;
	u32		nlb;		/* 1's based */
	u16		status;		/* with DNR */
	u16		loc;
	u64		lba;
};

#define IOR_BAD_FIELD	(NVME_SC_INVALID_FIELD | NVME_STATUS_DNR)
#define IOR_BAD_OPCODE	(NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR)
#define IOR_BAD_NS	(NVME_SC_INVALID_NS | NVME_STATUS_DNR)
#define IOR_BAD_LBA	(NVME_SC_LBA_RANGE | NVME_STATUS_DNR)
#define IOR_LOC_FUSE	NVME_ERR_LOC(NVME_SQE_OFF_FLAGS, 0)
#define IOR_LOC_PSDT	NVME_ERR_LOC(NVME_SQE_OFF_FLAGS, 6)
#define IOR_LOC_OPCODE	NVME_ERR_LOC(NVME_SQE_OFF_OPCODE, 0)
#define IOR_LOC_NSID	NVME_ERR_LOC(NVME_SQE_OFF_NSID, 0)
#define IOR_LOC_SLBA	NVME_ERR_LOC(NVME_SQE_OFF_CDW10, 0)
#define IOR_LOC_NLB	NVME_ERR_LOC(NVME_SQE_OFF_CDW12, 0)
#define IOR_SIZE_LIMIT	(NVME_SC_CMD_SIZE_LIMIT | NVME_STATUS_DNR)
/* A Copy case's nlb with this bit: one range, source format 1h. */
#define IOR_COPY_FORMAT1	0x80000000U

static const struct io_rules_case io_rules_cases[] = {
	{ "fused, first of two", nvme_cmd_compare, 0x01, 1, 0, 1,
	  IOR_BAD_FIELD, IOR_LOC_FUSE, 0 },
	{ "fused, second of two", nvme_cmd_write, 0x02, 1, 0, 1,
	  IOR_BAD_FIELD, IOR_LOC_FUSE, 0 },
	{ "SGL for data (PSDT 01b)", nvme_cmd_write, 0x40, 1, 0, 1,
	  IOR_BAD_FIELD, IOR_LOC_PSDT, 0 },
	{ "SGL, metadata too (PSDT 10b)", nvme_cmd_read, 0x80, 1, 0, 1,
	  IOR_BAD_FIELD, IOR_LOC_PSDT, 0 },
	{ "fused before the opcode", 0x7e, 0x01, 1, 0, 1,
	  IOR_BAD_FIELD, IOR_LOC_FUSE, 0 },
	{ "no such opcode", 0x7e, 0, 1, 0, 1,
	  IOR_BAD_OPCODE, IOR_LOC_OPCODE, 0 },
	{ "Reservation Register (not in ONCS)", nvme_cmd_resv_register, 0, 1,
	  0, 1, IOR_BAD_OPCODE, IOR_LOC_OPCODE, 0 },
	{ "an admin opcode (Identify)", nvme_admin_identify, 0, 1, 0, 1,
	  IOR_BAD_OPCODE, IOR_LOC_OPCODE, 0 },
	{ "opcode before the namespace", 0xff, 0, 7, 0, 1,
	  IOR_BAD_OPCODE, IOR_LOC_OPCODE, 0 },
	{ "Read of namespace 0", nvme_cmd_read, 0, 0, 0, 1,
	  IOR_BAD_NS, IOR_LOC_NSID, 0 },
	{ "Read of namespace 2", nvme_cmd_read, 0, 2, 0, 1,
	  IOR_BAD_NS, IOR_LOC_NSID, 0 },
	{ "Write of every namespace", nvme_cmd_write, 0, 0xffffffff, 0, 1,
	  IOR_BAD_NS, IOR_LOC_NSID, 0 },
	{ "Flush of namespace 0", nvme_cmd_flush, 0, 0, 0, 1,
	  IOR_BAD_NS, IOR_LOC_NSID, 0 },
	{ "DSM of every namespace", nvme_cmd_dsm, 0, 0xffffffff, 0, 1,
	  IOR_BAD_NS, IOR_LOC_NSID, 0 },
	{ "namespace before the LBAs", nvme_cmd_read, 0, 2, IOR_NSZE, 1,
	  IOR_BAD_NS, IOR_LOC_NSID, 0 },
	{ "Read starting at the end", nvme_cmd_read, 0, 1, IOR_NSZE, 1,
	  IOR_BAD_LBA, IOR_LOC_SLBA, IOR_NSZE },
	{ "Write ending past the end", nvme_cmd_write, 0, 1, IOR_NSZE - 1, 2,
	  IOR_BAD_LBA, IOR_LOC_NLB, IOR_NSZE - 1 },
	{ "Compare wrapping around 2^64", nvme_cmd_compare, 0, 1,
	  0xffffffffffffffffULL, 2, IOR_BAD_LBA, IOR_LOC_SLBA,
	  0xffffffffffffffffULL },
	{ "Write Zeroes ending past the end", nvme_cmd_write_zeroes, 0, 1,
	  IOR_NSZE - 8, 9, IOR_BAD_LBA, IOR_LOC_NLB, IOR_NSZE - 8 },
	{ "Read above MDTS", nvme_cmd_read, 0, 1, 0, IOR_MAX_NLB + 1,
	  IOR_BAD_FIELD, IOR_LOC_NLB, 0 },
	{ "Write above MDTS", nvme_cmd_write, 0, 1, 8, IOR_MAX_NLB + 1,
	  IOR_BAD_FIELD, IOR_LOC_NLB, 0 },
	{ "Write Zeroes above WZSL", nvme_cmd_write_zeroes, 0, 1, 0,
	  IOR_MAX_NLB + 1, IOR_BAD_FIELD, IOR_LOC_NLB, 0 },
	{ "LBA range before MDTS", nvme_cmd_read, 0, 1, IOR_NSZE - 1,
	  IOR_MAX_NLB + 1, IOR_BAD_LBA, IOR_LOC_NLB, IOR_NSZE - 1 },
	{ "Verify starting at the end", nvme_cmd_verify, 0, 1, IOR_NSZE, 1,
	  IOR_BAD_LBA, IOR_LOC_SLBA, IOR_NSZE },
	{ "Verify above VSL", nvme_cmd_verify, 0, 1, 0, IOR_MAX_NLB + 1,
	  IOR_BAD_FIELD, IOR_LOC_NLB, 0 },
	{ "Verify of namespace 2", nvme_cmd_verify, 0, 2, 0, 1,
	  IOR_BAD_NS, IOR_LOC_NSID, 0 },
	{ "Write Uncorrectable ending past the end", nvme_cmd_write_uncor, 0, 1,
	  IOR_NSZE - 2, 3, IOR_BAD_LBA, IOR_LOC_NLB, IOR_NSZE - 2 },
	{ "Write Uncorrectable above WUSL", nvme_cmd_write_uncor, 0, 1, 0,
	  IOR_MAX_NLB + 1, IOR_BAD_FIELD, IOR_LOC_NLB, 0 },
	{ "Write Uncorrectable of every namespace", nvme_cmd_write_uncor, 0,
	  0xffffffff, 0, 1, IOR_BAD_NS, IOR_LOC_NSID, 0 },
	/* Copy: nlb is its NR (ranges), slba its SDLBA. */
	{ "Copy of namespace 0", nvme_cmd_copy, 0, 0, 0, 1,
	  IOR_BAD_NS, IOR_LOC_NSID, 0 },
	{ "Copy with source range format 1h", nvme_cmd_copy, 0, 1, 0,
	  IOR_COPY_FORMAT1, IOR_BAD_FIELD, NVME_ERR_LOC(NVME_SQE_OFF_CDW12, 8),
	  0 },
	{ "Copy of more ranges than MSRC", nvme_cmd_copy, 0, 1, 0,
	  NVME_IO_COPY_RANGES + 1, IOR_SIZE_LIMIT, IOR_LOC_NLB, 0 },
};

/* Commands every rule lets through (each side then runs or refuses them). */
static const struct io_rules_case io_rules_good[] = {
	{ "Read of the last block", nvme_cmd_read, 0, 1, IOR_NSZE - 1, 1 },
	{ "Write of MDTS", nvme_cmd_write, 0, 1, 0, IOR_MAX_NLB },
	{ "Flush of every namespace", nvme_cmd_flush, 0, 0xffffffff, 0, 1 },
	{ "Write Zeroes of WZSL", nvme_cmd_write_zeroes, 0, 1,
	  IOR_NSZE - IOR_MAX_NLB, IOR_MAX_NLB },
	{ "reserved flag bits (not checked)", nvme_cmd_read, 0x3c, 1, 0, 1 },
	{ "Verify of VSL", nvme_cmd_verify, 0, 1, IOR_NSZE - IOR_MAX_NLB,
	  IOR_MAX_NLB },
};

/*
 * The case's SQE (cid the caller's) with its data, if any, contiguous at
 * buf: PRPs through a list at list when it takes one. A bad case's
 * length may need a list that does not fit: its data is never looked at,
 * so PRP1 alone does.
 */
static inline void io_rules_sqe(struct nvme_sqe *s, const struct io_rules_case *t,
				u64 buf, const struct nb_prp_list *list)
{
	struct nb_prp p;

	switch (t->opcode) {
	case nvme_cmd_flush:
		nb_flush(s, t->nsid);
		break;
	case nvme_cmd_write_zeroes:
	case nvme_cmd_verify:
	case nvme_cmd_write_uncor:
		nb_nodata(s, t->opcode, t->nsid, t->slba, t->nlb, 0);
		break;
	case nvme_cmd_dsm:
		nb_dsm(s, t->nsid, 0, 1, buf);
		break;
	case nvme_cmd_copy:
		/* Its ranges are never read: every case fails before. */
		if (t->nlb & IOR_COPY_FORMAT1)
			nb_copy(s, t->nsid, t->slba, 1, buf, NB_COPY_FORMAT(1));
		else
			nb_copy(s, t->nsid, t->slba, t->nlb, buf, 0);
		break;
	default:
		if (nb_prp_contig(&p, 4096, buf, t->nlb << IOR_LBA_SHIFT, list)) {
			p.prp1 = buf;
			p.prp2 = 0;
		}
		nb_rw(s, t->opcode, t->nsid, t->slba, t->nlb, p.prp1, p.prp2);
		break;
	}
	s->flags = t->flags;
}

#endif /* LEAPIO_TESTS_IO_RULES_CASES_H */
