/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Submission queue entries as a guest driver builds them, for the three
 * test drivers of the controller: the fake guest of the unit tests
 * (tests/unit/), the VFIO client of the kselftests (tests/kselftest/lib/)
 * and the fake host of leapiod's tests (tests/unit-rt/). Pure: each
 * builder fills a struct nvme_sqe from its arguments and touches nothing
 * else; the PRP builder writes list entries only into memory the caller
 * hands it.
 *
 * Every field is placed as the NVM Express Base Specification 2.0 (and
 * the NVM Command Set Specification 1.0) lays it out; fields a builder
 * takes no argument for are zero, CID included (the submitting driver
 * assigns it) and FUSE/PSDT (a normal command, PRPs). Builders encode what
 * they are told without judging it, so that tests can send the bad values
 * the controller must refuse.
 *
 * Data pointers assume CC.MPS = 0 (4 KiB pages), as all three drivers set
 * it. A builder given a buffer of `len` contiguous guest-physical bytes
 * sets PRP1 to it and PRP2 to the next page when the transfer ends in
 * that page; a longer one needs a PRP list: build it with nb_prp_*() and
 * set PRP1/PRP2 with nb_set_prp().
 *
 * Only the lio_env.h names and nvme_spec.h are used: the library builds
 * with the user-space env header and with the kselftests' one (whose u64
 * is a __u64).
 */
#ifndef LEAPIO_TESTS_NVME_BUILD_H
#define LEAPIO_TESTS_NVME_BUILD_H

#include "../../common/nvme/nvme_spec.h"

#define NB_PAGE_SIZE		4096U

/* Identify CDW10: CNS [7:0], CNTID [31:16]; CDW11: CSI [31:24]. */
#define NB_ID_CNTID_SHIFT	16
#define NB_ID_CSI_SHIFT		24
/* Get Log Page CDW10: LID [7:0], LSP [14:8], RAE [15], NUMDL [31:16];
 * CDW11: NUMDU [15:0], LSI [31:16]; CDW12/13: LPOL/LPOU.
 */
#define NB_LOG_LSP_SHIFT	8
#define NB_LOG_LSP_MASK		0x7fU
#define NB_LOG_NUMDL_SHIFT	16
#define NB_LOG_LSI_SHIFT	16
/* Create I/O CQ/SQ CDW10: QID [15:0], QSIZE [31:16] (0's based); CDW11:
 * IV [31:16] (CQ), CQID [31:16] (SQ).
 */
#define NB_QSIZE_SHIFT		16
#define NB_CQ_IV_SHIFT		16
#define NB_SQ_CQID_SHIFT	16
/* Abort CDW10: SQID [15:0], CID [31:16]. */
#define NB_ABORT_CID_SHIFT	16
/* Read/Write/Compare/Write Zeroes CDW12: NLB [15:0], 0's based. */
#define NB_NLB_MASK		0xffffU
/* Write Zeroes CDW12: Deallocate. */
#define NB_WZ_DEAC		BIT(25)
/* Dataset Management CDW10: NR [7:0], 0's based; CDW11 attributes. */
#define NB_DSM_IDR		BIT(0)
#define NB_DSM_IDW		BIT(1)
#define NB_DSM_AD		NVME_DSMGMT_AD

/* ---- Data pointer ---- */

/*
 * PRP1 = buf; PRP2 = the page after buf's when the len bytes end in it,
 * else 0 (one page, or a transfer that needs a list).
 */
void nb_data(struct nvme_sqe *s, u64 buf, u32 len);

struct nb_prp {
	u64	prp1;
	u64	prp2;
	u32	list_bytes;	/* of the list written, 0 when none */
};

/*
 * Memory for a PRP list: `bytes` at entries, which the controller sees
 * at guest-physical gpa (8-byte aligned). Several pages must be
 * contiguous: when a list page fills with entries still to come, its
 * last slot chains to the next page.
 */
struct nb_prp_list {
	__le64	*entries;
	u64	gpa;
	u32	bytes;
};

/*
 * The data pointer of len bytes starting off bytes into pages[0] (off
 * dword aligned, below page_size) and going on through pages[1], ...
 * (each page aligned; nr_pages of them given): PRP1 the first byte, PRP2
 * the second page or, from three pages on, a list of the second page
 * onwards written to *list. page_size: a power of two from 4096 (CC.MPS).
 * 0; -EINVAL for a misaligned page, offset or list, too few pages or a
 * bad page size; -ENOSPC when the list does not fit (or list is NULL).
 */
int nb_prp_pages(struct nb_prp *p, u32 page_size, const u64 *pages,
		 u32 nr_pages, u32 off, u32 len, const struct nb_prp_list *list);
/* The same for len guest-physically contiguous bytes at gpa. */
int nb_prp_contig(struct nb_prp *p, u32 page_size, u64 gpa, u32 len,
		  const struct nb_prp_list *list);
/*
 * The bytes of list nb_prp_contig() writes for len bytes at gpa with a
 * page-aligned list (chain entries included): 0 when no list is needed.
 */
u32 nb_prp_list_size(u32 page_size, u64 gpa, u32 len);
void nb_set_prp(struct nvme_sqe *s, const struct nb_prp *p);

/* ---- Admin commands ---- */

/* Identify (06h): CNS, NSID; 4096 bytes to buf. */
void nb_identify(struct nvme_sqe *s, u8 cns, u32 nsid, u64 buf);
/* The same with a Command Set Identifier (CNS 05h-07h and 1Ch). */
void nb_identify_csi(struct nvme_sqe *s, u8 cns, u8 csi, u32 nsid, u64 buf);

/* Get Log Page (02h), every field. */
struct nb_log {
	u8	lid;
	u8	lsp;		/* Log Specific Parameter, 7 bits */
	bool	rae;		/* Retain Asynchronous Event */
	u16	lsi;		/* Log Specific Identifier */
	u32	nsid;
	u64	lpo;		/* Log Page Offset, bytes, dword aligned */
	u32	len;		/* bytes, a multiple of 4 (NUMD = len / 4 - 1) */
	u64	buf;
};
void nb_get_log_page(struct nvme_sqe *s, const struct nb_log *l);
/* The usual case: no LSP or LSI, offset 0. */
void nb_get_log(struct nvme_sqe *s, u8 lid, u32 nsid, u32 len, u64 buf,
		bool rae);

/* Get Features (0Ah): FID, SEL (NVME_FEAT_SEL_*), CDW11. */
void nb_get_features(struct nvme_sqe *s, u8 fid, u8 sel, u32 cdw11);
/* Set Features (09h): FID, Save, CDW11. */
void nb_set_features(struct nvme_sqe *s, u8 fid, bool sv, u32 cdw11);

/*
 * Create I/O CQ (05h) of `entries` (1..65536: QSIZE = entries - 1) at gpa;
 * flags: NVME_QUEUE_PHYS_CONTIG, NVME_CQ_IRQ_ENABLED; interrupt vector iv.
 */
void nb_create_cq(struct nvme_sqe *s, u16 qid, u32 entries, u64 gpa,
		  u16 flags, u16 iv);
/* Create I/O SQ (01h); flags: NVME_QUEUE_PHYS_CONTIG, QPRIO. */
void nb_create_sq(struct nvme_sqe *s, u16 qid, u32 entries, u64 gpa,
		  u16 flags, u16 cqid);
void nb_delete_sq(struct nvme_sqe *s, u16 qid);		/* 00h */
void nb_delete_cq(struct nvme_sqe *s, u16 qid);		/* 04h */
/* Abort (08h) command cid of SQ sqid. */
void nb_abort(struct nvme_sqe *s, u16 sqid, u16 cid);
void nb_aer(struct nvme_sqe *s);			/* 0Ch */
void nb_keep_alive(struct nvme_sqe *s);			/* 18h */
/* Doorbell Buffer Config (7Ch): PRP1 the shadow doorbells, PRP2 EventIdx. */
void nb_dbbuf(struct nvme_sqe *s, u64 shadow, u64 eventidx);
/*
 * Get LBA Status (86h): from slba, at most mndw + 1 dwords into buf (one
 * page: PRP1), over rl LBAs (0: to the namespace's end), action atype.
 */
void nb_get_lba_status(struct nvme_sqe *s, u32 nsid, u64 slba, u32 mndw,
		       u16 rl, u8 atype, u64 buf);
/*
 * Format NVM (80h) of nsid to LBA format lbaf with Secure Erase Settings
 * ses; pi the Protection Information field (0: none).
 */
void nb_format(struct nvme_sqe *s, u32 nsid, u8 lbaf, u8 ses, u8 pi);
/*
 * Namespace Attachment (15h) of nsid, sel 0 attach or 1 detach, the
 * Controller List at buf (one page: PRP1).
 */
void nb_ns_attach(struct nvme_sqe *s, u32 nsid, u8 sel, u64 buf);
/*
 * Namespace Management (0Dh), sel 0 create (of command set csi, the
 * Identify Namespace fields at buf) or 1 delete (nsid; buf unused).
 */
void nb_ns_mgmt(struct nvme_sqe *s, u32 nsid, u8 sel, u8 csi, u64 buf);
/*
 * What Get LBA Status returned in data, as "dslba+nlb dslba+nlb .../cmpc"
 * in s (len bytes; descriptors that do not fit left out): s.
 */
const char *nb_lba_status_str(const void *data, char *s, size_t len);

/* ---- NVM I/O commands ---- */

/*
 * Read (02h), Write (01h), Compare (05h) (or any opcode laid out like
 * them) of nlb blocks (1..65536) at slba; PRP1/PRP2 as given. CDW12's
 * upper half (NVME_RW_FUA, NVME_RW_LR) is the caller's to or in.
 */
void nb_rw(struct nvme_sqe *s, u8 opcode, u32 nsid, u64 slba, u32 nlb,
	   u64 prp1, u64 prp2);
void nb_flush(struct nvme_sqe *s, u32 nsid);		/* 00h */
/* Write Zeroes (08h); cdw12 flags: NB_WZ_DEAC, NVME_RW_FUA, NVME_RW_LR. */
void nb_write_zeroes(struct nvme_sqe *s, u32 nsid, u64 slba, u32 nlb,
		     u32 flags);
/*
 * A command that names nlb blocks at slba and moves no data: Write
 * Zeroes, Verify (0Ch), Write Uncorrectable (04h); cdw12 flags as above.
 */
void nb_nodata(struct nvme_sqe *s, u8 opcode, u32 nsid, u64 slba, u32 nlb,
	       u32 flags);
/* Dataset Management (09h) over nr ranges (1..256) at gpa; attributes
 * NB_DSM_IDR, NB_DSM_IDW, NB_DSM_AD.
 */
void nb_dsm(struct nvme_sqe *s, u32 nsid, u32 attrs, u32 nr, u64 gpa);
/*
 * Copy (19h) of nr source ranges (1..256, format 0h) at gpa to sdlba;
 * cdw12 flags: NVME_RW_FUA, NVME_RW_LR, a format in NB_COPY_FORMAT().
 */
#define NB_COPY_FORMAT(f)	((u32)(f) << 8)
void nb_copy(struct nvme_sqe *s, u32 nsid, u64 sdlba, u32 nr, u64 gpa,
	     u32 flags);
/* Source range entry, format 0h: nlb blocks (1..65536) at slba. */
void nb_copy_range(struct nvme_copy_range *r, u64 slba, u32 nlb);

#endif /* LEAPIO_TESTS_NVME_BUILD_H */
