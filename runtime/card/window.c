// SPDX-License-Identifier: GPL-2.0
/* The host-DRAM window map: see window.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "window.h"

static bool lio_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

int lio_win_check(const struct lio_win *w, unsigned int n,
		  uint64_t window_size, const char *field, char *err,
		  size_t errlen)
{
	unsigned int i, j;

	if (!n) {
		snprintf(err, errlen, "%s: empty: the card reaches no host "
			 "memory", field);
		return -EINVAL;
	}
	if (n > LIO_WIN_MAX) {
		snprintf(err, errlen, "%s: %u entries: at most %u", field, n,
			 LIO_WIN_MAX);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		const struct lio_win *e = &w[i];
		const char *bad = NULL;
		uint64_t val = 0;

		if (!e->len) {
			snprintf(err, errlen, "%s[%u].len: 0: an entry covers "
				 "something", field, i);
			return -EINVAL;
		}
		if (e->phys % LIO_WIN_ALIGN)
			bad = "phys", val = e->phys;
		else if (e->len % LIO_WIN_ALIGN)
			bad = "len", val = e->len;
		else if (e->off % LIO_WIN_ALIGN)
			bad = "offset", val = e->off;
		if (bad) {
			snprintf(err, errlen, "%s[%u].%s: %#" PRIx64 " is not a "
				 "multiple of %llu", field, i, bad, val,
				 LIO_WIN_ALIGN);
			return -EINVAL;
		}
		if (e->phys + e->len < e->phys || e->off + e->len < e->off) {
			snprintf(err, errlen, "%s[%u].len: %#" PRIx64 ": the "
				 "entry ends past 2^64", field, i, e->len);
			return -EINVAL;
		}
		if (window_size && e->off + e->len > window_size) {
			snprintf(err, errlen, "%s[%u].offset: [%#" PRIx64 ", %#"
				 PRIx64 ") is outside the window (%#" PRIx64
				 " bytes)", field, i, e->off, e->off + e->len,
				 window_size);
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (lio_overlap(e->phys, e->len, w[j].phys, w[j].len)) {
				snprintf(err, errlen, "%s[%u].phys: [%#" PRIx64
					 ", %#" PRIx64 ") overlaps %s[%u]'s host "
					 "physical range", field, i, e->phys,
					 e->phys + e->len, field, j);
				return -EINVAL;
			}
			if (lio_overlap(e->off, e->len, w[j].off, w[j].len)) {
				snprintf(err, errlen, "%s[%u].offset: [%#" PRIx64
					 ", %#" PRIx64 ") overlaps %s[%u]'s part "
					 "of the window", field, i, e->off,
					 e->off + e->len, field, j);
				return -EINVAL;
			}
		}
	}
	return 0;
}

int lio_win_xlate(const struct lio_win *w, unsigned int n, uint64_t phys,
		  uint64_t *off, uint64_t *avail)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (phys >= w[i].phys && phys - w[i].phys < w[i].len) {
			*off = w[i].off + (phys - w[i].phys);
			*avail = w[i].len - (phys - w[i].phys);
			return 0;
		}
	}
	return -EFAULT;
}

bool lio_card_cfg_equal(const struct lio_card_cfg *a,
			const struct lio_card_cfg *b)
{
	unsigned int i;

	if (a->given != b->given || strcmp(a->device, b->device) ||
	    a->nr_win != b->nr_win)
		return false;
	for (i = 0; i < a->nr_win; i++)
		if (a->win[i].phys != b->win[i].phys ||
		    a->win[i].len != b->win[i].len ||
		    a->win[i].off != b->win[i].off)
			return false;
	return true;
}
