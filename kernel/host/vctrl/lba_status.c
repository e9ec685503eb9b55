// SPDX-License-Identifier: GPL-2.0
/*
 * Get LBA Status (admin 86h) and the LBA Status Information log (0Eh):
 * the Potentially Unrecoverable LBAs of a namespace. In LeapIO those are
 * exactly Write Uncorrectable's marks, which the data path keeps and
 * publishes (lio_vctrl_ops.dp_lbas): tracked LBAs, so that both action
 * types, scan (10h) and tracked (11h), return them, and no scan is ever
 * needed.
 */
#include "vctrl.h"

/* Ranges asked of the data path at a time: a small stack array. */
#define LIO_LBAS_BATCH		16
/* Times the set may change under a walk before the command gives up. */
#define LIO_LBAS_WALKS		8

/* A walk over namespace nsid's ranges from slba, batch by batch. */
struct lio_lbas_walk {
	struct lio_vctrl *c;
	u32	nsid;
	u64	next;		/* the LBA the next batch starts at */
	u32	gen;
	u32	i;		/* in r[] */
	struct leapio_lbas_info info;
	struct leapio_lba_range r[LIO_LBAS_BATCH];
};

static u16 lio_lbas_status(int ret)
{
	return ret == -EINVAL ? NVME_SC_INTERNAL : NVME_SC_NS_NOT_READY;
}

static int lio_lbas_walk_start(struct lio_lbas_walk *w, struct lio_vctrl *c,
			       u32 nsid, u64 slba)
{
	int ret;

	w->c = c;
	w->nsid = nsid;
	w->i = 0;
	ret = lio_hook_lbas(c, nsid, slba, w->r, LIO_LBAS_BATCH, &w->info);
	w->gen = w->info.gen;
	w->next = w->info.n ? w->r[w->info.n - 1].slba +
			      w->r[w->info.n - 1].nlb : slba;
	return ret;
}

/*
 * The next range into *r: 1, 0 at the end, -EAGAIN when the set changed
 * since the walk started (the caller starts again), or the hook's error.
 */
static int lio_lbas_walk_next(struct lio_lbas_walk *w,
			      struct leapio_lba_range *r)
{
	int ret;

	if (w->i == w->info.n) {
		if (w->info.n < LIO_LBAS_BATCH)
			return 0;
		w->i = 0;
		ret = lio_hook_lbas(w->c, w->nsid, w->next, w->r,
				    LIO_LBAS_BATCH, &w->info);
		if (ret)
			return ret;
		if (w->info.gen != w->gen)
			return -EAGAIN;
		if (!w->info.n)
			return 0;
		w->next = w->r[w->info.n - 1].slba + w->r[w->info.n - 1].nlb;
	}
	*r = w->r[w->i++];
	return 1;
}

/*
 * Get LBA Status's descriptors for [slba, end) into d (room of them):
 * their number, *done whether the whole range was reported; or -errno.
 * Ranges longer than a descriptor's 32-bit NLB take several.
 */
static int lio_lbas_descs(struct lio_vctrl *c, u32 nsid, u64 slba, u64 end,
			  struct nvme_lba_status_desc *d, u32 room, bool *done)
{
	struct lio_lbas_walk w;
	struct leapio_lba_range r;
	u32 n, walks = 0;
	u64 lo, hi, len;
	int ret;

again:
	if (++walks > LIO_LBAS_WALKS)
		return -EAGAIN;
	n = 0;
	*done = true;
	ret = lio_lbas_walk_start(&w, c, nsid, slba);
	while (!ret && (ret = lio_lbas_walk_next(&w, &r)) == 1) {
		lo = max_t(u64, r.slba, slba);
		hi = min_t(u64, r.slba + r.nlb, end);
		if (lo >= end)
			break;
		while (lo < hi) {
			if (n == room) {
				*done = false;
				return n;
			}
			len = min_t(u64, hi - lo, U32_MAX);
			d[n].dslba = cpu_to_le64(lo);
			d[n].nlb = cpu_to_le32((u32)len);
			d[n].status = 0;
			n++;
			lo += len;
		}
		ret = 0;
	}
	if (ret == -EAGAIN && w.info.gen && w.info.gen != w.gen)
		goto again;
	return ret < 0 ? ret : (int)n;
}

u16 lio_admin_get_lba_status(struct lio_vctrl *c, struct lio_req *req)
{
	u32 nsid = le32_to_cpu(req->sqe.nsid);
	u64 slba = (u64)le32_to_cpu(req->sqe.cdw11) << 32 |
		   le32_to_cpu(req->sqe.cdw10);
	u32 mndw = le32_to_cpu(req->sqe.cdw12);
	u32 cdw13 = le32_to_cpu(req->sqe.cdw13);
	u16 rl = cdw13 & 0xffff;
	u8 atype = cdw13 >> 24;
	struct lio_ns *ns = lio_ns_active(c, nsid);
	struct nvme_lba_status_hdr *h = (void *)c->scratch;
	u64 nsze, end, len;
	u32 room;
	bool done;
	int n;

	if (!ns) {
		req->err_loc = NVME_SQE_OFF_NSID;
		return NVME_SC_INVALID_NS;
	}
	nsze = lio_ns_blocks(ns);
	if (atype != NVME_LBAS_ATYPE_SCAN && atype != NVME_LBAS_ATYPE_TRACKED) {
		req->err_loc = NVME_SQE_OFF_CDW13;
		return NVME_SC_INVALID_FIELD;
	}
	/* Room for the header at least, and no more than a transfer. */
	len = ((u64)mndw + 1) * 4;
	if (len < sizeof(*h) || len > LIO_MAX_XFER) {
		req->err_loc = NVME_SQE_OFF_CDW12;
		return NVME_SC_INVALID_FIELD;
	}
	if (slba >= nsze) {
		req->err_loc = NVME_SQE_OFF_CDW10;
		return NVME_SC_LBA_RANGE;
	}
	/* RL 0: to the end of the namespace. */
	end = rl ? min_t(u64, slba + rl, nsze) : nsze;

	memset(c->scratch, 0, sizeof(c->scratch));
	room = min_t(u64, (len - sizeof(*h)), sizeof(c->scratch) - sizeof(*h)) /
	       sizeof(struct nvme_lba_status_desc);
	n = lio_lbas_descs(c, nsid, slba, end, (void *)(h + 1), room, &done);
	if (n < 0)
		return lio_lbas_status(n);
	h->nlsd = cpu_to_le32(n);
	h->cmpc = done ? NVME_LBAS_CMPC_DONE : NVME_LBAS_CMPC_MNDW;
	return lio_prp_to_guest(c, req, c->scratch, sizeof(*h) +
				n * sizeof(struct nvme_lba_status_desc));
}

/*
 * One namespace's element of the log at e, its ranges after it (room of
 * them): the ranges the host should look at with Get LBA Status, the
 * marks themselves while they fit, else the last descriptor spans from
 * where the room ran out to the end of the last mark. The number of
 * ranges, or -errno (-ESTALE: the set changed under the walk); *gen the
 * set's generation, *blocks the blocks the marks cover.
 */
static int lio_log_lbas_ns(struct lio_vctrl *c, u32 nsid,
			   struct nvme_lbas_ns_elem *e, u32 room, u32 *gen,
			   u64 *blocks)
{
	struct nvme_lbas_range_desc *d = (void *)(e + 1);
	struct lio_lbas_walk w;
	struct leapio_lba_range r;
	u32 n = 0;
	int ret;

	ret = lio_lbas_walk_start(&w, c, nsid, 0);
	if (ret)
		return ret;
	while ((ret = lio_lbas_walk_next(&w, &r)) == 1) {
		if (n == room - 1 && w.info.total > room) {
			d[n].rslba = cpu_to_le64(r.slba);
			d[n].rnlb = cpu_to_le32(min_t(u64, w.info.last_end - r.slba,
						      U32_MAX));
			n++;
			break;
		}
		d[n].rslba = cpu_to_le64(r.slba);
		d[n].rnlb = cpu_to_le32(min_t(u64, r.nlb, U32_MAX));
		n++;
	}
	/* The set changed under the walk (the hook's -EAGAIN is no set). */
	if (ret == -EAGAIN && w.info.gen && w.info.gen != w.gen)
		return -ESTALE;
	if (ret < 0)
		return ret;
	*gen = w.gen;
	*blocks = w.info.blocks;
	if (n) {
		e->neid = cpu_to_le32(nsid);
		e->nrld = cpu_to_le32(n);
		e->ratype = NVME_LBAS_ATYPE_TRACKED;
	}
	return n;
}

/*
 * The log: an element for each active namespace with marks, all read at
 * one generation of the set (a change under the walk starts it again), as
 * many as the page holds.
 */
u16 lio_log_lba_status(struct lio_vctrl *c, void *buf, u32 *size)
{
	struct nvme_lbas_log_hdr *h = buf;
	u8 *end = (u8 *)buf + NVME_IDENTIFY_DATA_SIZE, *p;
	u32 walks = 0, nsid, gen, gen0, nr_elem;
	u64 blocks, estulb;
	bool seen;
	int n;

again:
	if (++walks > LIO_LBAS_WALKS)
		return NVME_SC_NS_NOT_READY;
	memset(buf, 0, NVME_IDENTIFY_DATA_SIZE);
	p = (u8 *)(h + 1);
	gen0 = 0;
	seen = false;
	nr_elem = 0;
	estulb = 0;
	for (nsid = 1; nsid <= LIO_NN; nsid++) {
		struct nvme_lbas_ns_elem *e = (void *)p;
		u32 room;

		if (!lio_ns_active(c, nsid))
			continue;
		/* An element needs room for itself and one range at least. */
		if (end - p < (long)(sizeof(*e) +
				     sizeof(struct nvme_lbas_range_desc)))
			break;
		room = (end - p - sizeof(*e)) /
		       sizeof(struct nvme_lbas_range_desc);
		n = lio_log_lbas_ns(c, nsid, e, room, &gen, &blocks);
		if (n == -ESTALE || (n >= 0 && seen && gen != gen0))
			goto again;
		if (n < 0)
			return lio_lbas_status(n);
		gen0 = gen;
		seen = true;
		if (!n)
			continue;
		nr_elem++;
		estulb += blocks;
		p += sizeof(*e) + n * sizeof(struct nvme_lbas_range_desc);
	}
	h->lsgc = cpu_to_le16((u16)gen0);
	h->nlslne = cpu_to_le32(nr_elem);
	h->estulb = cpu_to_le32(min_t(u64, estulb, U32_MAX));
	*size = p - (u8 *)buf;
	h->lslplen = cpu_to_le32(*size);
	return NVME_SC_SUCCESS;
}
