// SPDX-License-Identifier: GPL-2.0
#include "region_layout.h"

/* x rounded up to a multiple of a, a power of two. */
static u64 lio_align_up(u64 x, u64 a)
{
	return (x + a - 1) & ~(a - 1);
}

u64 leapio_region_layout(struct leapio_region_hdr *h, u16 nr_ioq,
			 u64 l1_entries, u64 l2_tables)
{
	u64 off = LEAPIO_REGION_ALIGN;	/* the header's page */
	u64 nq = (u64)nr_ioq + 1;

	memset(h, 0, sizeof(*h));
	h->magic = LEAPIO_REGION_MAGIC;
	h->version_major = LEAPIO_REGION_VERSION_MAJOR;
	h->version_minor = LEAPIO_REGION_VERSION_MINOR;
	h->hdr_size = sizeof(*h);
	h->nr_ioq = nr_ioq;

	h->ctrl_off = off;
	h->ctrl_size = sizeof(struct leapio_vdev_ctrl);
	off = lio_align_up(off + h->ctrl_size, LEAPIO_REGION_ALIGN);

	h->sq_off = off;
	h->sq_desc_size = sizeof(struct leapio_sq_desc);
	off = lio_align_up(off + nq * h->sq_desc_size, LEAPIO_REGION_ALIGN);
	h->cq_off = off;
	h->cq_desc_size = sizeof(struct leapio_cq_desc);
	off = lio_align_up(off + nq * h->cq_desc_size, LEAPIO_REGION_ALIGN);

	h->db_off = off;
	h->db_stride = LEAPIO_REGION_ALIGN;
	h->nr_db = 2 * nq;
	off += (u64)h->nr_db * h->db_stride;

	h->inflight_off = off;
	h->inflight_size = sizeof(struct leapio_inflight);
	h->inflight_per_sq = LEAPIO_INFLIGHT_PER_SQ;
	off = lio_align_up(off + (u64)nr_ioq * h->inflight_per_sq *
			   h->inflight_size, LEAPIO_REGION_ALIGN);

	h->mbox_off = off;
	h->mbox_size = sizeof(struct leapio_mbox);
	off = lio_align_up(off + h->mbox_size, LEAPIO_REGION_ALIGN);

	h->l1_off = off;
	h->l1_entries = l1_entries;
	off = lio_align_up(off + l1_entries * 8, LEAPIO_REGION_ALIGN);

	h->l2_off = off;
	h->l2_tables = l2_tables;
	off += l2_tables * LEAPIO_L2_ENTRIES * 8;

	/* Last: a part added after the others leaves their places as they were. */
	h->lbas_off = off;
	h->lbas_size = sizeof(struct leapio_lbas);
	off = lio_align_up(off + h->lbas_size, LEAPIO_REGION_ALIGN);

	h->ns_off = off;
	h->ns_desc_size = sizeof(struct leapio_ns_desc);
	h->nr_ns = LEAPIO_MAX_NS;
	off = lio_align_up(off + (u64)h->nr_ns * h->ns_desc_size,
			   LEAPIO_REGION_ALIGN);

	h->region_size = off;
	return off;
}

/* [off, off + len) inside [LEAPIO_REGION_ALIGN, size) and page aligned. */
static bool leapio_part_ok(u64 off, u64 len, u64 size)
{
	return !(off % LEAPIO_REGION_ALIGN) && off >= LEAPIO_REGION_ALIGN &&
	       off <= size && len <= size - off;
}

int leapio_region_check(const struct leapio_region_hdr *h, u64 region_size,
			const char **why)
{
	u64 nq = (u64)h->nr_ioq + 1;
	u64 prev_end = LEAPIO_REGION_ALIGN;
	struct { u64 off, len; const char *name; } parts[7];
	unsigned int i;

	*why = NULL;
	if (h->magic != LEAPIO_REGION_MAGIC) {
		*why = "bad magic";
		return -EINVAL;
	}
	if (h->version_major != LEAPIO_REGION_VERSION_MAJOR) {
		*why = "major version differs";
		return -EPROTO;
	}
	if (h->hdr_size < leapio_region_hdr_size(h->version_minor) ||
	    h->region_size != region_size ||
	    region_size % LEAPIO_REGION_ALIGN) {
		*why = "header or region size";
		return -EINVAL;
	}
	if (!h->nr_ioq || h->nr_ioq > 1024 ||
	    h->ctrl_size < sizeof(struct leapio_vdev_ctrl) ||
	    h->sq_desc_size < sizeof(struct leapio_sq_desc) ||
	    h->cq_desc_size < sizeof(struct leapio_cq_desc) ||
	    h->inflight_size < sizeof(struct leapio_inflight) ||
	    h->mbox_size < sizeof(struct leapio_mbox) ||
	    h->db_stride != LEAPIO_REGION_ALIGN || h->nr_db != 2 * nq ||
	    !h->inflight_per_sq || h->inflight_per_sq > 65536 ||
	    h->l1_entries > (1ULL << 28) || h->l2_tables > (1ULL << 20)) {
		*why = "element sizes or counts";
		return -EINVAL;
	}

	parts[0].off = h->ctrl_off;
	parts[0].len = h->ctrl_size;
	parts[0].name = "ctrl";
	parts[1].off = h->sq_off;
	parts[1].len = nq * h->sq_desc_size;
	parts[2].off = h->cq_off;
	parts[2].len = nq * h->cq_desc_size;
	parts[3].off = h->db_off;
	parts[3].len = (u64)h->nr_db * h->db_stride;
	parts[4].off = h->inflight_off;
	parts[4].len = (u64)h->nr_ioq * h->inflight_per_sq * h->inflight_size;
	parts[5].off = h->mbox_off;
	parts[5].len = h->mbox_size;
	parts[6].off = h->l1_off;
	parts[6].len = h->l1_entries * 8;
	/* The parts come in this order, each after the one before. */
	for (i = 0; i < ARRAY_SIZE(parts); i++) {
		if (!leapio_part_ok(parts[i].off, parts[i].len, region_size) ||
		    parts[i].off < prev_end) {
			*why = "parts overlap or lie outside the region";
			return -EINVAL;
		}
		prev_end = parts[i].off + parts[i].len;
	}
	if (!leapio_part_ok(h->l2_off, h->l2_tables * LEAPIO_L2_ENTRIES * 8,
			    region_size) || h->l2_off < prev_end) {
		*why = "L2 tables lie outside the region";
		return -EINVAL;
	}
	prev_end = h->l2_off + h->l2_tables * LEAPIO_L2_ENTRIES * 8;
	if (leapio_region_has_lbas(h) &&
	    (h->lbas_size < sizeof(struct leapio_lbas) ||
	     !leapio_part_ok(h->lbas_off, h->lbas_size, region_size) ||
	     h->lbas_off < prev_end)) {
		*why = "the unrecoverable LBAs lie outside the region";
		return -EINVAL;
	}
	if (!leapio_region_has_ns(h))
		return 0;
	prev_end = h->lbas_off + h->lbas_size;
	if (h->ns_desc_size < sizeof(struct leapio_ns_desc) || !h->nr_ns ||
	    h->nr_ns > LEAPIO_MAX_NS ||
	    !leapio_part_ok(h->ns_off, (u64)h->nr_ns * h->ns_desc_size,
			    region_size) || h->ns_off < prev_end) {
		*why = "the namespace table lies outside the region";
		return -EINVAL;
	}
	return 0;
}

void leapio_region_view(struct leapio_region_view *v, void *base)
{
	u8 *b = base;

	v->hdr = base;
	v->ctrl = (void *)(b + v->hdr->ctrl_off);
	v->sq = (void *)(b + v->hdr->sq_off);
	v->cq = (void *)(b + v->hdr->cq_off);
	v->db = b + v->hdr->db_off;
	v->inflight = (void *)(b + v->hdr->inflight_off);
	v->mbox = (void *)(b + v->hdr->mbox_off);
	v->l1 = (void *)(b + v->hdr->l1_off);
	v->l2 = (void *)(b + v->hdr->l2_off);
	v->lbas = leapio_region_has_lbas(v->hdr) ?
		  (void *)(b + v->hdr->lbas_off) : NULL;
	v->ns = leapio_region_has_ns(v->hdr) ?
		(void *)(b + v->hdr->ns_off) : NULL;
}

u64 leapio_xlate_lookup(const struct leapio_region_view *v, u64 gpa, u64 *span)
{
	u64 l1i = gpa >> LEAPIO_L1_SHIFT;
	u64 e, t;

	*span = LEAPIO_REGION_ALIGN - (gpa & (LEAPIO_REGION_ALIGN - 1));
	if (l1i >= v->hdr->l1_entries)
		return 0;
	e = le64_to_cpu(READ_ONCE(v->l1[l1i]));
	if (!(e & LEAPIO_XLATE_VALID))
		return 0;
	if (e & LEAPIO_XLATE_LEAF) {
		*span = (1ULL << LEAPIO_L1_SHIFT) -
			(gpa & ((1ULL << LEAPIO_L1_SHIFT) - 1));
		return e;
	}
	t = LEAPIO_XLATE_TABLE(e);
	if (t >= v->hdr->l2_tables)
		return 0;
	e = le64_to_cpu(READ_ONCE(v->l2[t * LEAPIO_L2_ENTRIES +
				       ((gpa >> LEAPIO_L2_SHIFT) &
					(LEAPIO_L2_ENTRIES - 1))]));
	return (e & (LEAPIO_XLATE_VALID | LEAPIO_XLATE_LEAF)) ==
	       (LEAPIO_XLATE_VALID | LEAPIO_XLATE_LEAF) ? e : 0;
}

bool leapio_xlate_range_ok(const struct leapio_region_view *v, u64 gpa, u64 len)
{
	u64 span;

	if (!len || gpa + len < gpa)
		return false;
	while (len) {
		if (!leapio_xlate_lookup(v, gpa, &span))
			return false;
		if (span >= len)
			return true;
		gpa += span;
		len -= span;
	}
	return true;
}
