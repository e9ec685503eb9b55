// SPDX-License-Identifier: GPL-2.0
/*
 * PRP walking (NVMe base specification, "Physical Region Page Entry and
 * List"). PRP1 may start anywhere dword aligned within a page; every later
 * data entry is a whole page. A transfer that ends within PRP1's page and
 * the next one uses PRP2 as that page; a longer one uses PRP2 as a pointer
 * to a list, whose last entry in a full page chains to the next list page.
 */
#include "prp.h"

/* List entries read per callback: bounded stack use, few calls. */
#define PRP_BATCH	32

static u16 prp_seg(const struct nvme_prp_walk *w, u64 gpa, u32 len,
		   u16 loc, u16 *err_loc)
{
	if (w->segment(w->ctx, gpa, len)) {
		*err_loc = loc;
		return NVME_SC_DATA_XFER_ERROR;
	}
	return NVME_SC_SUCCESS;
}

/* Walk the list at `list` (its alignment already checked) for `left`
 * bytes. The entry in slot i of a list page holding `slots` entries is a
 * data page or, in the last slot with more than a page still to place,
 * the pointer to the next list page. Both must be page aligned.
 */
static u16 prp_walk_list(const struct nvme_prp_walk *w, u64 list, u32 left,
			 u16 *err_loc)
{
	const u64 pmask = (u64)w->page_size - 1;
	__le64 ent[PRP_BATCH];
	u32 slots, i, n, j;

	slots = (u32)((w->page_size - (list & pmask)) / 8);
	i = 0;
	while (left) {
		/* Read no entry the transfer does not need: past them the
		 * guest may have put anything, or nothing at all.
		 */
		n = min_t(u32, slots - i, PRP_BATCH);
		n = min_t(u32, n, (left - 1) / w->page_size + 1);
		if (w->read_list(w->ctx, list + (u64)i * 8, ent, n)) {
			*err_loc = NVME_SQE_OFF_PRP2;
			return NVME_SC_DATA_XFER_ERROR;
		}
		for (j = 0; j < n && left; j++, i++) {
			u64 e = le64_to_cpu(ent[j]);
			u32 seg;
			u16 st;

			if (e & pmask) {
				*err_loc = NVME_SQE_OFF_PRP2;
				return NVME_SC_PRP_OFFSET_INVALID;
			}
			if (i == slots - 1 && left > w->page_size) {
				/* Chain: a fresh, page-aligned list page. */
				list = e;
				slots = (u32)(w->page_size / 8);
				i = 0;
				break;
			}
			seg = min_t(u32, left, w->page_size);
			st = prp_seg(w, e, seg, NVME_SQE_OFF_PRP2, err_loc);
			if (st)
				return st;
			left -= seg;
		}
	}
	return NVME_SC_SUCCESS;
}

u16 nvme_prp_walk(const struct nvme_prp_walk *w, u16 *err_loc)
{
	const u64 pmask = (u64)w->page_size - 1;
	u32 first, left;
	u16 st;

	*err_loc = 0xffff;
	if (!w->len)
		return NVME_SC_SUCCESS;
	first = (u32)min_t(u64, w->len, w->page_size - (w->prp1 & pmask));
	left = w->len - first;

	/*
	 * Both pointers of the command are checked before any data moves,
	 * so that a malformed command transfers nothing. PRP1 and a list
	 * pointer may start at any dword of a page; PRP2 as the second
	 * data page must start the page.
	 */
	if (w->prp1 & 3) {
		*err_loc = NVME_SQE_OFF_PRP1;
		return NVME_SC_PRP_OFFSET_INVALID;
	}
	if ((left && left <= w->page_size && (w->prp2 & pmask)) ||
	    (left > w->page_size && (w->prp2 & 3))) {
		*err_loc = NVME_SQE_OFF_PRP2;
		return NVME_SC_PRP_OFFSET_INVALID;
	}

	st = prp_seg(w, w->prp1, first, NVME_SQE_OFF_PRP1, err_loc);
	if (st || !left)
		return st;
	if (left <= w->page_size)
		return prp_seg(w, w->prp2, left, NVME_SQE_OFF_PRP2, err_loc);
	return prp_walk_list(w, w->prp2, left, err_loc);
}
