// SPDX-License-Identifier: GPL-2.0
/*
 * Guest pages pinned for the data path, the GPA->HPA tables that describe
 * them (uapi/linux/leapio_region.h, "translation") and the runtime's
 * window onto them.
 *
 * What is pinned is the xarray (gfn -> struct page *): the tables and the
 * window only ever show pages in it. The tables live in memory the
 * runtime can write, so which L1 entry is what, and how many entries of
 * each L2 table are valid, is kept here (l1_shadow, l2_cnt, and the
 * LIO_XA_XLATED mark on each translated page).
 *
 * Pins are taken per 4 KiB page with vfio_pin_pages(), up to a 2 MiB
 * block a call, and dropped per page: the type1 IOMMU backend counts each
 * page on its own (these kernels build no iommufd, whose accesses would
 * want each unpin to match a pin).
 */
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched.h>

#include "lio_host.h"

#define LIO_BLOCK_PAGES		LEAPIO_L2_ENTRIES	/* 4 KiB pages in 2 MiB */

/* l1_shadow[] values; any other is an L2 table's index + 1. */
#define LIO_L1_NONE		0
#define LIO_L1_LEAF		U32_MAX

/* The page has its table entry (or L1 leaf) valid. */
#define LIO_XA_XLATED		XA_MARK_0
/* Being unpinned: the window must not map it any more. */
#define LIO_XA_DYING		XA_MARK_1

/*
 * The table entries are the region writer's (common/leapio/); it refuses
 * only indices outside the layout or a misaligned address, which the
 * callers here never pass: a WARN if they ever do.
 */
static inline u32 lio_l2_slot(unsigned long gfn)
{
	return gfn & (LIO_BLOCK_PAGES - 1);
}

u64 lio_pin_window_size(struct lio_mdev *lm)
{
	return lm->region.layout.l1_entries << LEAPIO_L1_SHIFT;
}

static int lio_l2_alloc(struct lio_region *r)
{
	unsigned long t = find_first_zero_bit(r->l2_busy, r->layout.l2_tables);

	if (t >= r->layout.l2_tables)
		return -ENOSPC;
	__set_bit(t, r->l2_busy);
	r->l2_used++;
	r->l2_cnt[t] = 0;
	/* Whatever a runtime may have scribbled on a free table goes. */
	WARN_ON_ONCE(leapio_wr_xlate_wipe(&r->view, t));
	return t;
}

static void lio_l2_free(struct lio_region *r, u32 t)
{
	__clear_bit(t, r->l2_busy);
	r->l2_used--;
}

/*
 * Whether gfns [first, last] are closed to pins now; under pin_lock. A
 * range a device let go stays closed until the task that unmapped it has
 * left the unmap (unmap_fence.c says why); the fence is dropped here.
 */
static bool lio_pin_closed(struct lio_region *r, unsigned long first,
			   unsigned long last)
{
	if (first > r->unmap_last || last < r->unmap_first)
		return false;
	if (r->unmapping)
		return true;
	if (r->unmap_task && lio_unmap_running(r->unmap_task))
		return true;
	r->unmap_task = NULL;
	return false;
}

/*
 * Pin gfns [gfn, gfn + n) (n <= a block) in one call and remember them.
 * The type1 backend pins all or none.
 */
static int lio_pin_run(struct lio_mdev *lm, unsigned long gfn, int n)
{
	struct lio_region *r = &lm->region;
	int i, ret;

	/* The block around a miss may reach into a range being unmapped. */
	if (lio_pin_closed(r, gfn, gfn + n - 1))
		return -EFAULT;
	ret = vfio_pin_pages(&lm->vdev, (dma_addr_t)gfn << PAGE_SHIFT, n,
			     IOMMU_READ | IOMMU_WRITE, r->pin_buf);
	if (ret != n) {
		if (ret > 0)
			vfio_unpin_pages(&lm->vdev, (dma_addr_t)gfn << PAGE_SHIFT,
					 ret);
		return -EFAULT;
	}
	for (i = 0; i < n; i++) {
		ret = xa_err(xa_store(&r->pages, gfn + i, r->pin_buf[i],
				      GFP_KERNEL));
		if (ret) {
			vfio_unpin_pages(&lm->vdev,
					 (dma_addr_t)(gfn + i) << PAGE_SHIFT,
					 n - i);
			return ret;
		}
		r->nr_pinned++;
	}
	return 0;
}

/* Pin what is not pinned yet of [first, last], inside one block. */
static int lio_pin_gfns(struct lio_mdev *lm, unsigned long first,
			unsigned long last)
{
	struct lio_region *r = &lm->region;
	unsigned long gfn = first, end;
	int ret;

	while (gfn <= last) {
		if (xa_load(&r->pages, gfn)) {
			gfn++;
			continue;
		}
		end = gfn;
		while (end < last && !xa_load(&r->pages, end + 1))
			end++;
		ret = lio_pin_run(lm, gfn, end - gfn + 1);
		if (ret)
			return ret;
		gfn = end + 1;
	}
	return 0;
}

static bool lio_pin_missing(struct lio_region *r, unsigned long first,
			    unsigned long last)
{
	unsigned long gfn;

	for (gfn = first; gfn <= last; gfn++)
		if (!xa_load(&r->pages, gfn))
			return true;
	return false;
}

/* A block pinned whole onto one aligned 2 MiB of host memory. */
static struct page *lio_block_contig(struct lio_region *r, unsigned long first)
{
	struct page *p0 = xa_load(&r->pages, first);
	unsigned long pfn0, i;

	if (!p0)
		return NULL;
	pfn0 = page_to_pfn(p0);
	if (!IS_ALIGNED(pfn0, LIO_BLOCK_PAGES))
		return NULL;
	for (i = 1; i < LIO_BLOCK_PAGES; i++) {
		struct page *p = xa_load(&r->pages, first + i);

		if (!p || page_to_pfn(p) != pfn0 + i)
			return NULL;
	}
	return p0;
}

/*
 * Translate every pinned page of block blk that is not yet. An entry is
 * written before the pointer that leads to it, so that a runtime walking
 * the tables never meets a valid pointer to a half-written table.
 */
static int lio_xlate_block(struct lio_mdev *lm, u64 blk)
{
	struct lio_region *r = &lm->region;
	unsigned long first = blk * LIO_BLOCK_PAGES, gfn;
	u32 sh = r->l1_shadow[blk];
	bool hook = false;
	struct page *p;
	int t;

	if (sh == LIO_L1_LEAF)
		return 0;
	if (sh == LIO_L1_NONE) {
		/*
		 * A leaf only for a block with no table yet: replacing a
		 * table a runtime may be walking would need an ack first.
		 */
		p = lio_block_contig(r, first);
		if (p) {
			for (gfn = first; gfn < first + LIO_BLOCK_PAGES; gfn++)
				xa_set_mark(&r->pages, gfn, LIO_XA_XLATED);
			r->l1_shadow[blk] = LIO_L1_LEAF;
			WARN_ON_ONCE(leapio_wr_xlate_set_2m(&r->view, blk,
							    page_to_phys(p)));
			return 0;
		}
		t = lio_l2_alloc(r);
		if (t < 0)
			return t;
		r->l1_shadow[blk] = t + 1;
		hook = true;
	} else {
		t = sh - 1;
	}

	xa_for_each_range(&r->pages, gfn, p, first,
			  first + LIO_BLOCK_PAGES - 1) {
		if (xa_get_mark(&r->pages, gfn, LIO_XA_XLATED))
			continue;
		if (WARN_ON_ONCE(leapio_wr_xlate_set_4k(&r->view, t,
							lio_l2_slot(gfn),
							page_to_phys(p))))
			continue;
		xa_set_mark(&r->pages, gfn, LIO_XA_XLATED);
		r->l2_cnt[t]++;
	}
	/* the entries before the pointer to their table (the writer's barrier) */
	if (hook)
		WARN_ON_ONCE(leapio_wr_xlate_hook(&r->view, blk, t));
	return 0;
}

static int lio_pin_range_locked(struct lio_mdev *lm, u64 gpa, u64 len)
{
	struct lio_region *r = &lm->region;
	unsigned long first, last, lo, hi;
	u64 blk;
	int ret;

	if (!len)
		return 0;
	if (!r->pin_open || gpa + len < gpa ||
	    gpa + len > lio_pin_window_size(lm))
		return -EFAULT;
	first = gpa >> PAGE_SHIFT;
	last = (gpa + len - 1) >> PAGE_SHIFT;
	/*
	 * Memory on its way out: a page pinned and translated now would be
	 * unpinned after an ack that did not cover its translation, or
	 * would start type1's unmap over (unmap_fence.c).
	 */
	if (lio_pin_closed(r, first, last))
		return -EFAULT;

	for (blk = first / LIO_BLOCK_PAGES; blk <= last / LIO_BLOCK_PAGES;
	     blk++) {
		lo = max_t(unsigned long, first, blk * LIO_BLOCK_PAGES);
		hi = min_t(unsigned long, last,
			   blk * LIO_BLOCK_PAGES + LIO_BLOCK_PAGES - 1);
		/*
		 * The whole 2 MiB around a miss first: a guest's buffers
		 * cluster, so one call saves the requests to come, and a
		 * block pinned whole may become one L1 leaf. Only the pages
		 * asked for must be there.
		 */
		if (lio_pin_missing(r, lo, hi) &&
		    lio_pin_gfns(lm, blk * LIO_BLOCK_PAGES,
				 blk * LIO_BLOCK_PAGES + LIO_BLOCK_PAGES - 1)) {
			ret = lio_pin_gfns(lm, lo, hi);
			if (ret)
				return ret;
		}
		ret = lio_xlate_block(lm, blk);
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

int lio_pin_range(struct lio_mdev *lm, u64 gpa, u64 len)
{
	struct lio_region *r = &lm->region;
	int ret;

	mutex_lock(&r->pin_lock);
	ret = lio_pin_range_locked(lm, gpa, len);
	mutex_unlock(&r->pin_lock);
	return ret;
}

int lio_pin_map(struct lio_mdev *lm, u64 gpa, u64 len)
{
	struct lio_region *r = &lm->region;
	unsigned long gfn;
	struct page *p;
	int ret;

	mutex_lock(&r->pin_lock);
	ret = lio_pin_range_locked(lm, gpa, len);
	if (!ret && len) {
		xa_for_each_range(&r->pages, gfn, p, gpa >> PAGE_SHIFT,
				  (gpa + len - 1) >> PAGE_SHIFT) {
			if (PageAnon(p)) {
				ret = -EPERM;
				break;
			}
		}
	}
	mutex_unlock(&r->pin_lock);
	return ret;
}

/*
 * Block blk is an L1 leaf and [lo, hi] of it goes: the rest stays
 * translated through a table (no ack needed: those entries keep their
 * pages), or, with no table left, untranslated until asked for again.
 */
static void lio_split_leaf(struct lio_region *r, u64 blk, unsigned long lo,
			   unsigned long hi)
{
	unsigned long first = blk * LIO_BLOCK_PAGES, gfn;
	int t = lio_l2_alloc(r);
	struct page *p;

	xa_for_each_range(&r->pages, gfn, p, first,
			  first + LIO_BLOCK_PAGES - 1) {
		if ((gfn >= lo && gfn <= hi) || t < 0 ||
		    WARN_ON_ONCE(leapio_wr_xlate_set_4k(&r->view, t,
							lio_l2_slot(gfn),
							page_to_phys(p)))) {
			xa_clear_mark(&r->pages, gfn, LIO_XA_XLATED);
			continue;
		}
		r->l2_cnt[t]++;
	}
	if (t >= 0 && r->l2_cnt[t]) {
		/* the entries before the pointer to their table (its barrier) */
		WARN_ON_ONCE(leapio_wr_xlate_hook(&r->view, blk, t));
		r->l1_shadow[blk] = t + 1;
		return;
	}
	/* Nothing left to translate: the table was never hooked. */
	if (t >= 0)
		lio_l2_free(r, t);
	WARN_ON_ONCE(leapio_wr_xlate_clear(&r->view, blk));
	r->l1_shadow[blk] = LIO_L1_NONE;
}

/*
 * Take the translations of pinned pages in [first, last] away. A table
 * left empty is unhooked now and freed only after the ack: a runtime
 * may still be walking it. Returns whether anything is pinned there.
 */
static bool lio_unxlate(struct lio_region *r, unsigned long first,
			unsigned long last)
{
	unsigned long gfn;
	bool any = false;
	struct page *p;

	xa_for_each_range(&r->pages, gfn, p, first, last) {
		u64 blk = gfn / LIO_BLOCK_PAGES;
		u32 sh = r->l1_shadow[blk];
		u32 t;

		any = true;
		if (!xa_get_mark(&r->pages, gfn, LIO_XA_XLATED))
			continue;
		if (sh == LIO_L1_LEAF) {
			lio_split_leaf(r, blk, first, last);
			continue;
		}
		if (WARN_ON_ONCE(sh == LIO_L1_NONE))
			continue;
		t = sh - 1;
		WARN_ON_ONCE(leapio_wr_xlate_clear_4k(&r->view, t,
						      lio_l2_slot(gfn)));
		xa_clear_mark(&r->pages, gfn, LIO_XA_XLATED);
		if (--r->l2_cnt[t])
			continue;
		WARN_ON_ONCE(leapio_wr_xlate_clear(&r->view, blk));
		r->l1_shadow[blk] = LIO_L1_NONE;
		__set_bit(t, r->l2_zombie);
	}
	return any;
}

static void lio_unpin_run(struct lio_mdev *lm, unsigned long gfn, int n)
{
	if (n)
		vfio_unpin_pages(&lm->vdev, (dma_addr_t)gfn << PAGE_SHIFT, n);
}

/*
 * After the ack: the window stops showing [first, last], then the pins
 * go. The DYING mark, set under win_lock, keeps a racing fault from
 * mapping a page again once the zap has passed it.
 */
static void lio_unpin(struct lio_mdev *lm, unsigned long first,
		      unsigned long last)
{
	struct lio_region *r = &lm->region;
	unsigned long gfn, start = 0;
	loff_t begin, len;
	struct page *p;
	int n = 0;

	mutex_lock(&r->win_lock);
	xa_for_each_range(&r->pages, gfn, p, first, last)
		xa_set_mark(&r->pages, gfn, LIO_XA_DYING);
	mutex_unlock(&r->win_lock);

	if (r->window_mapping && first < lio_pin_window_size(lm) >> PAGE_SHIFT) {
		begin = LEAPIO_MMAP_GUEST_OFFSET + ((u64)first << PAGE_SHIFT);
		/* 0: to the end of the window */
		len = last < lio_pin_window_size(lm) >> PAGE_SHIFT ?
		      (loff_t)(last - first + 1) << PAGE_SHIFT : 0;
		unmap_mapping_range(r->window_mapping, begin, len, 1);
	}

	xa_for_each_range(&r->pages, gfn, p, first, last) {
		if (n && (gfn != start + n || n == VFIO_PIN_PAGES_MAX_ENTRIES)) {
			lio_unpin_run(lm, start, n);
			n = 0;
		}
		if (!n)
			start = gfn;
		n++;
		xa_erase(&r->pages, gfn);
		r->nr_pinned--;
	}
	lio_unpin_run(lm, start, n);

	for_each_set_bit(gfn, r->l2_zombie, r->layout.l2_tables) {
		__clear_bit(gfn, r->l2_zombie);
		lio_l2_free(r, gfn);
	}
}

/* Both unmap paths: invalidate, bump and wait, zap and unpin. */
static void lio_pin_drop(struct lio_mdev *lm, unsigned long first,
			 unsigned long last, bool close)
{
	struct lio_region *r = &lm->region;
	bool any;

	mutex_lock(&r->unmap_lock);
	mutex_lock(&r->pin_lock);
	if (close)
		r->pin_open = false;
	r->unmapping = true;
	r->unmap_first = first;
	r->unmap_last = last;
	any = lio_unxlate(r, first, last);
	mutex_unlock(&r->pin_lock);

	/*
	 * Not under pin_lock: the runtime may be in a MAP request. A runtime
	 * that does not answer is revoked: its window is gone and refaults
	 * nothing, so the pages can go; the controller fails (it may have
	 * been using them).
	 */
	if (any && lio_region_wait_ack(lm, lio_region_bump(lm)))
		lio_mbox_fatal(lm);

	mutex_lock(&r->pin_lock);
	if (any)
		lio_unpin(lm, first, last);
	r->unmapping = false;
	r->unmap_task = close ? NULL : current;
	mutex_unlock(&r->pin_lock);
	mutex_unlock(&r->unmap_lock);
}

void lio_pin_unmap(struct lio_mdev *lm, u64 iova, u64 len)
{
	struct lio_unmap_task on_stack;
	u64 last = iova + len - 1;
	bool listed;

	if (!len)
		return;
	if (last < iova)
		last = U64_MAX;
	listed = lio_unmap_enter(&on_stack);
	lio_pin_drop(lm, iova >> PAGE_SHIFT, last >> PAGE_SHIFT, false);
	lio_unmap_leave(&on_stack, listed);
}

void lio_pin_release_all(struct lio_mdev *lm)
{
	lio_pin_drop(lm, 0, ULONG_MAX, true);
	WARN_ON(lm->region.nr_pinned);
}

void lio_pin_open(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;

	mutex_lock(&r->pin_lock);
	r->pin_open = true;
	mutex_unlock(&r->pin_lock);
}

unsigned long lio_pin_count(struct lio_mdev *lm)
{
	return READ_ONCE(lm->region.nr_pinned);
}

/*
 * The guest window's fault: the page of gfn if it is translated (so the
 * window shows what the tables say, no more), to the attached runtime. Anonymous pages cannot be
 * mapped into a second process (vm_insert_page() says no): the VFIO user
 * must back guest memory with a file (memfd).
 */
vm_fault_t lio_pin_fault(struct lio_mdev *lm, struct vm_area_struct *vma,
			 unsigned long addr, u64 gfn)
{
	struct lio_region *r = &lm->region;
	vm_fault_t vmf_ret = VM_FAULT_SIGBUS;
	struct page *p;
	int ret;

	if (gfn >= lio_pin_window_size(lm) >> PAGE_SHIFT)
		return VM_FAULT_SIGBUS;
	mutex_lock(&r->win_lock);
	/* A revoked runtime's file (lio_chardev_revoke()) maps nothing. */
	p = READ_ONCE(r->runtime) == vma->vm_file ? xa_load(&r->pages, gfn) :
						      NULL;
	if (p && xa_get_mark(&r->pages, gfn, LIO_XA_XLATED) &&
	    !xa_get_mark(&r->pages, gfn, LIO_XA_DYING) && !PageAnon(p)) {
		ret = vm_insert_page(vma, addr, p);
		/* -EBUSY: another thread's fault mapped it first */
		if (!ret || ret == -EBUSY)
			vmf_ret = VM_FAULT_NOPAGE;
		else if (ret == -ENOMEM)
			vmf_ret = VM_FAULT_OOM;
	}
	mutex_unlock(&r->win_lock);
	return vmf_ret;
}
