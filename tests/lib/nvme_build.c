// SPDX-License-Identifier: GPL-2.0
/*
 * SQE builders for the test drivers; see nvme_build.h. Field positions
 * are the NVMe Base Specification 2.0's (Figures "Identify - Command
 * Dword 10", "Get Log Page - Command Dword 10/11/12/13", "Create I/O
 * Completion Queue - Command Dword 10/11", ...) and the NVM Command Set
 * Specification 1.0's for the I/O commands.
 */
#include "nvme_build.h"

static void nb_init(struct nvme_sqe *s, u8 opcode, u32 nsid)
{
	memset(s, 0, sizeof(*s));
	s->opcode = opcode;
	s->nsid = cpu_to_le32(nsid);
}

/* ---- Data pointer ---- */

void nb_data(struct nvme_sqe *s, u64 buf, u32 len)
{
	const u64 mask = NB_PAGE_SIZE - 1;
	u64 end = (buf & mask) + len;	/* from buf's page */

	s->prp1 = cpu_to_le64(buf);
	s->prp2 = 0;
	if (end > NB_PAGE_SIZE && end <= 2ULL * NB_PAGE_SIZE)
		s->prp2 = cpu_to_le64((buf & ~mask) + NB_PAGE_SIZE);
}

void nb_set_prp(struct nvme_sqe *s, const struct nb_prp *p)
{
	s->prp1 = cpu_to_le64(p->prp1);
	s->prp2 = cpu_to_le64(p->prp2);
}

/* Page i of the buffer: from the caller's array, or contiguous from base. */
static u64 nb_page(const u64 *pages, u64 base, u32 page_size, u32 i)
{
	return pages ? pages[i] : base + (u64)i * page_size;
}

static int nb_prp_build(struct nb_prp *p, u32 page_size, const u64 *pages,
			u64 base, u32 nr_pages, u32 off, u32 len,
			const struct nb_prp_list *list)
{
	const u64 mask = (u64)page_size - 1;
	u64 n, i, at;

	memset(p, 0, sizeof(*p));
	if (page_size < 4096 || (page_size & mask) || (off & 3) ||
	    off >= page_size || !nr_pages)
		return -EINVAL;
	n = ((u64)off + len + mask) / page_size;
	if (!n)
		n = 1;
	if (n > nr_pages)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (nb_page(pages, base, page_size, (u32)i) & mask)
			return -EINVAL;
	p->prp1 = nb_page(pages, base, page_size, 0) + off;
	if (n == 1)
		return 0;
	if (n == 2) {
		p->prp2 = nb_page(pages, base, page_size, 1);
		return 0;
	}
	if (!list)
		return -ENOSPC;
	if (list->gpa & 7)
		return -EINVAL;

	/*
	 * Entries for pages 1..n-1, in order. A slot that ends a list page
	 * while more than one data page is still to come holds the pointer
	 * to the next list page instead: that page starts right after it,
	 * as the caller's list memory is contiguous.
	 */
	at = 0;		/* bytes of list written */
	i = 1;		/* the next data page */
	while (i < n) {
		u64 e;

		if (at + 8 > list->bytes)
			return -ENOSPC;
		if (!((list->gpa + at + 8) & mask) && i < n - 1)
			e = list->gpa + at + 8;
		else
			e = nb_page(pages, base, page_size, (u32)i++);
		list->entries[at / 8] = cpu_to_le64(e);
		at += 8;
	}
	p->prp2 = list->gpa;
	p->list_bytes = (u32)at;
	return 0;
}

int nb_prp_pages(struct nb_prp *p, u32 page_size, const u64 *pages,
		 u32 nr_pages, u32 off, u32 len, const struct nb_prp_list *list)
{
	return nb_prp_build(p, page_size, pages, 0, nr_pages, off, len, list);
}

int nb_prp_contig(struct nb_prp *p, u32 page_size, u64 gpa, u32 len,
		  const struct nb_prp_list *list)
{
	const u64 mask = (u64)page_size - 1;

	if (page_size < 4096 || (page_size & mask)) {
		memset(p, 0, sizeof(*p));
		return -EINVAL;
	}
	return nb_prp_build(p, page_size, NULL, gpa & ~mask, ~0U,
			    (u32)(gpa & mask), len, list);
}

u32 nb_prp_list_size(u32 page_size, u64 gpa, u32 len)
{
	const u64 mask = (u64)page_size - 1;
	u64 n = ((gpa & mask) + len + mask) / page_size;
	u64 entries, per = page_size / 8, pages;

	if (n < 3)
		return 0;
	entries = n - 1;
	/* A list page holds per - 1 entries and a chain, the last one per. */
	pages = entries <= per ? 1 : (entries - 1 + per - 2) / (per - 1);
	return (u32)((pages - 1) * page_size +
		     8 * (entries - (pages - 1) * (per - 1)));
}

/* ---- Admin commands ---- */

void nb_identify(struct nvme_sqe *s, u8 cns, u32 nsid, u64 buf)
{
	nb_identify_csi(s, cns, NVME_CSI_NVM, nsid, buf);
}

void nb_identify_csi(struct nvme_sqe *s, u8 cns, u8 csi, u32 nsid, u64 buf)
{
	nb_init(s, nvme_admin_identify, nsid);
	nb_data(s, buf, NVME_IDENTIFY_DATA_SIZE);
	s->cdw10 = cpu_to_le32(cns);
	s->cdw11 = cpu_to_le32((u32)csi << NB_ID_CSI_SHIFT);
}

void nb_get_log_page(struct nvme_sqe *s, const struct nb_log *l)
{
	u32 numd = l->len / 4 - 1;	/* 0's based dwords */

	nb_init(s, nvme_admin_get_log_page, l->nsid);
	nb_data(s, l->buf, l->len);
	s->cdw10 = cpu_to_le32(l->lid |
			       ((u32)(l->lsp & NB_LOG_LSP_MASK) << NB_LOG_LSP_SHIFT) |
			       (l->rae ? NVME_LOG_RAE : 0) |
			       ((numd & 0xffff) << NB_LOG_NUMDL_SHIFT));
	s->cdw11 = cpu_to_le32((numd >> 16) | ((u32)l->lsi << NB_LOG_LSI_SHIFT));
	s->cdw12 = cpu_to_le32((u32)l->lpo);
	s->cdw13 = cpu_to_le32((u32)(l->lpo >> 32));
}

void nb_get_log(struct nvme_sqe *s, u8 lid, u32 nsid, u32 len, u64 buf,
		bool rae)
{
	const struct nb_log l = {
		.lid = lid, .rae = rae, .nsid = nsid, .len = len, .buf = buf,
	};

	nb_get_log_page(s, &l);
}

void nb_get_features(struct nvme_sqe *s, u8 fid, u8 sel, u32 cdw11)
{
	nb_init(s, nvme_admin_get_features, 0);
	s->cdw10 = cpu_to_le32(fid | (((u32)sel << NVME_FEAT_SEL_SHIFT) &
				      NVME_FEAT_SEL_MASK));
	s->cdw11 = cpu_to_le32(cdw11);
}

void nb_set_features(struct nvme_sqe *s, u8 fid, bool sv, u32 cdw11)
{
	nb_init(s, nvme_admin_set_features, 0);
	s->cdw10 = cpu_to_le32(fid | (sv ? NVME_FEAT_SV : 0));
	s->cdw11 = cpu_to_le32(cdw11);
}

static void nb_create_queue(struct nvme_sqe *s, u8 opcode, u16 qid,
			    u32 entries, u64 gpa, u32 cdw11)
{
	nb_init(s, opcode, 0);
	s->prp1 = cpu_to_le64(gpa);
	s->cdw10 = cpu_to_le32(qid | (((entries - 1) & 0xffff) << NB_QSIZE_SHIFT));
	s->cdw11 = cpu_to_le32(cdw11);
}

void nb_create_cq(struct nvme_sqe *s, u16 qid, u32 entries, u64 gpa,
		  u16 flags, u16 iv)
{
	nb_create_queue(s, nvme_admin_create_cq, qid, entries, gpa,
			flags | ((u32)iv << NB_CQ_IV_SHIFT));
}

void nb_create_sq(struct nvme_sqe *s, u16 qid, u32 entries, u64 gpa,
		  u16 flags, u16 cqid)
{
	nb_create_queue(s, nvme_admin_create_sq, qid, entries, gpa,
			flags | ((u32)cqid << NB_SQ_CQID_SHIFT));
}

void nb_delete_sq(struct nvme_sqe *s, u16 qid)
{
	nb_init(s, nvme_admin_delete_sq, 0);
	s->cdw10 = cpu_to_le32(qid);
}

void nb_delete_cq(struct nvme_sqe *s, u16 qid)
{
	nb_init(s, nvme_admin_delete_cq, 0);
	s->cdw10 = cpu_to_le32(qid);
}

void nb_abort(struct nvme_sqe *s, u16 sqid, u16 cid)
{
	nb_init(s, nvme_admin_abort_cmd, 0);
	s->cdw10 = cpu_to_le32(sqid | ((u32)cid << NB_ABORT_CID_SHIFT));
}

void nb_aer(struct nvme_sqe *s)
{
	nb_init(s, nvme_admin_async_event, 0);
}

void nb_keep_alive(struct nvme_sqe *s)
{
	nb_init(s, nvme_admin_keep_alive, 0);
}

void nb_dbbuf(struct nvme_sqe *s, u64 shadow, u64 eventidx)
{
	nb_init(s, nvme_admin_dbbuf, 0);
	s->prp1 = cpu_to_le64(shadow);
	s->prp2 = cpu_to_le64(eventidx);
}

void nb_get_lba_status(struct nvme_sqe *s, u32 nsid, u64 slba, u32 mndw,
		       u16 rl, u8 atype, u64 buf)
{
	nb_init(s, nvme_admin_get_lba_status, nsid);
	s->prp1 = cpu_to_le64(buf);
	s->cdw10 = cpu_to_le32((u32)slba);
	s->cdw11 = cpu_to_le32((u32)(slba >> 32));
	s->cdw12 = cpu_to_le32(mndw);
	s->cdw13 = cpu_to_le32((u32)atype << 24 | rl);
}

void nb_format(struct nvme_sqe *s, u32 nsid, u8 lbaf, u8 ses, u8 pi)
{
	nb_init(s, nvme_admin_format_nvm, nsid);
	/* LBAF's low four bits, then its upper two (LBAFU) at 13:12. */
	s->cdw10 = cpu_to_le32((lbaf & 0xfU) | (u32)(pi & 7) << 5 |
			       (u32)(ses & 7) << 9 | (u32)(lbaf >> 4 & 3) << 12);
}

void nb_ns_attach(struct nvme_sqe *s, u32 nsid, u8 sel, u64 buf)
{
	nb_init(s, nvme_admin_ns_attach, nsid);
	s->prp1 = cpu_to_le64(buf);
	s->cdw10 = cpu_to_le32(sel & 0xf);
}

void nb_ns_mgmt(struct nvme_sqe *s, u32 nsid, u8 sel, u8 csi, u64 buf)
{
	nb_init(s, nvme_admin_ns_mgmt, nsid);
	s->prp1 = cpu_to_le64(buf);
	s->cdw10 = cpu_to_le32(sel & 0xf);
	s->cdw11 = cpu_to_le32((u32)csi << 24);
}

const char *nb_lba_status_str(const void *data, char *s, size_t len)
{
	const struct nvme_lba_status_hdr *h = data;
	const struct nvme_lba_status_desc *d = (const void *)(h + 1);
	u32 i, n = le32_to_cpu(h->nlsd);
	size_t off = 0;

	s[0] = 0;
	for (i = 0; i < n && off + 48 < len; i++)
		off += snprintf(s + off, len - off, "%llu+%u ",
				(unsigned long long)le64_to_cpu(d[i].dslba),
				le32_to_cpu(d[i].nlb));
	snprintf(s + off, len - off, "/%u", h->cmpc);
	return s;
}

/* ---- NVM I/O commands ---- */

/* SLBA in CDW10/11, NLB (0's based) in CDW12 [15:0]. */
static void nb_lba(struct nvme_sqe *s, u64 slba, u32 nlb)
{
	s->cdw10 = cpu_to_le32((u32)slba);
	s->cdw11 = cpu_to_le32((u32)(slba >> 32));
	s->cdw12 = cpu_to_le32((nlb - 1) & NB_NLB_MASK);
}

void nb_rw(struct nvme_sqe *s, u8 opcode, u32 nsid, u64 slba, u32 nlb,
	   u64 prp1, u64 prp2)
{
	nb_init(s, opcode, nsid);
	s->prp1 = cpu_to_le64(prp1);
	s->prp2 = cpu_to_le64(prp2);
	nb_lba(s, slba, nlb);
}

void nb_flush(struct nvme_sqe *s, u32 nsid)
{
	nb_init(s, nvme_cmd_flush, nsid);
}

void nb_nodata(struct nvme_sqe *s, u8 opcode, u32 nsid, u64 slba, u32 nlb,
	       u32 flags)
{
	nb_init(s, opcode, nsid);
	nb_lba(s, slba, nlb);
	s->cdw12 |= cpu_to_le32(flags & ~NB_NLB_MASK);
}

void nb_write_zeroes(struct nvme_sqe *s, u32 nsid, u64 slba, u32 nlb,
		     u32 flags)
{
	nb_nodata(s, nvme_cmd_write_zeroes, nsid, slba, nlb, flags);
}

void nb_dsm(struct nvme_sqe *s, u32 nsid, u32 attrs, u32 nr, u64 gpa)
{
	nb_init(s, nvme_cmd_dsm, nsid);
	nb_data(s, gpa, nr * (u32)sizeof(struct nvme_dsm_range));
	s->cdw10 = cpu_to_le32((nr - 1) & 0xff);
	s->cdw11 = cpu_to_le32(attrs);
}

void nb_copy(struct nvme_sqe *s, u32 nsid, u64 sdlba, u32 nr, u64 gpa,
	     u32 flags)
{
	nb_init(s, nvme_cmd_copy, nsid);
	nb_data(s, gpa, nr * (u32)sizeof(struct nvme_copy_range));
	s->cdw10 = cpu_to_le32((u32)sdlba);
	s->cdw11 = cpu_to_le32((u32)(sdlba >> 32));
	s->cdw12 = cpu_to_le32(((nr - 1) & 0xff) | (flags & ~0xffU));
}

void nb_copy_range(struct nvme_copy_range *r, u64 slba, u32 nlb)
{
	memset(r, 0, sizeof(*r));
	r->slba = cpu_to_le64(slba);
	r->nlb = cpu_to_le16((u16)(nlb - 1));
}
