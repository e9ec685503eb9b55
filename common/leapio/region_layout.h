/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where each part of a shared region goes (uapi/linux/leapio_region.h),
 * and the GPA->HPA table walk: pure logic, built into the host module,
 * leapiod, the unit tests' fake host and the benchmark, so that every
 * one of them agrees on the layout by construction.
 */
#ifndef LEAPIO_REGION_LAYOUT_H
#define LEAPIO_REGION_LAYOUT_H

#include "lio_env.h"
#include "../../uapi/linux/leapio_region.h"

/*
 * Fill a header for a controller with nr_ioq I/O queue pairs, l1_entries
 * L1 entries (guest-physical space covered: l1_entries << 21) and
 * l2_tables L2 tables. Returns the region size (a multiple of 4 KiB).
 */
u64 leapio_region_layout(struct leapio_region_hdr *h, u16 nr_ioq,
			 u64 l1_entries, u64 l2_tables);

/*
 * The header's size for a version_minor: the parts of a later minor are
 * fields at its end (a driver of minor 3 has no lbas part).
 */
static inline u32 leapio_region_hdr_size(u16 minor)
{
	if (minor >= 7)
		return sizeof(struct leapio_region_hdr);
	return minor >= 4 ? offsetof(struct leapio_region_hdr, ns_off) :
	       offsetof(struct leapio_region_hdr, lbas_off);
}

/* Does a header (checked by leapio_region_check) have the lbas part? */
static inline bool leapio_region_has_lbas(const struct leapio_region_hdr *h)
{
	return h->version_minor >= 4;
}

/* ... and the namespace table? */
static inline bool leapio_region_has_ns(const struct leapio_region_hdr *h)
{
	return h->version_minor >= 7;
}

/*
 * Is h a header this code can use for a region of region_size bytes:
 * magic, major version, element sizes, every part inside the region and
 * not overlapping another. 0 or a negative errno (-EPROTO: version,
 * -EINVAL: anything else), with *why set to a short phrase.
 */
int leapio_region_check(const struct leapio_region_hdr *h, u64 region_size,
			const char **why);

/* Views of the parts of a region mapped at base. */
struct leapio_region_view {
	struct leapio_region_hdr	*hdr;
	struct leapio_vdev_ctrl		*ctrl;
	struct leapio_sq_desc		*sq;
	struct leapio_cq_desc		*cq;
	u8				*db;
	struct leapio_inflight		*inflight;
	struct leapio_mbox		*mbox;
	__le64				*l1;
	__le64				*l2;
	struct leapio_lbas		*lbas;	/* NULL: a driver before minor 4 */
	struct leapio_ns_desc		*ns;	/* [nr_ns]; NULL: before minor 7 */
};

void leapio_region_view(struct leapio_region_view *v, void *base);

/* The first dword of doorbell page idx (2*qid: SQ tail, 2*qid+1: CQ head). */
static inline __le32 *leapio_db_ptr(const struct leapio_region_view *v,
				    u32 idx)
{
	return (__le32 *)(v->db + (u64)idx * v->hdr->db_stride);
}

/* Journal entry tag of I/O SQ qid (1-based). */
static inline struct leapio_inflight *
leapio_inflight_ptr(const struct leapio_region_view *v, u16 qid, u32 tag)
{
	return &v->inflight[(u64)(qid - 1) * v->hdr->inflight_per_sq + tag];
}

/* Namespace nsid's entry (1..nr_ns), or NULL: none, or no table. */
static inline struct leapio_ns_desc *
leapio_ns_ptr(const struct leapio_region_view *v, u32 nsid)
{
	if (!v->ns || !nsid || nsid > v->hdr->nr_ns)
		return NULL;
	return &v->ns[nsid - 1];
}

/*
 * The leaf entry translating gpa, or 0 if there is none. *span is set to
 * the bytes from gpa to the end of that leaf (4 KiB or 2 MiB), so that a
 * caller walking a range knows where to look next.
 */
u64 leapio_xlate_lookup(const struct leapio_region_view *v, u64 gpa, u64 *span);

/* Is every page of [gpa, gpa + len) translated (len > 0)? */
bool leapio_xlate_range_ok(const struct leapio_region_view *v, u64 gpa, u64 len);

#endif /* LEAPIO_REGION_LAYOUT_H */
