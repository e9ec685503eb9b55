/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Card mode: the host-DRAM window map. The card reaches host physical
 * memory through one window (leapio_soc.h's host-DRAM mmap); which host
 * physical address is at which offset of it is the card's business, told
 * to leapiod in its configuration (card.host_window) as a list of
 * {host physical base, length, window offset}. In the rig that is q35's
 * split of L1's RAM at 4 GiB: [0, lowmem) at offset 0 and [4 GiB,
 * 4 GiB + highmem) at offset lowmem. Pure logic, unit-tested
 * (tests/unit-rt/test_window.c).
 */
#ifndef LEAPIOD_CARD_WINDOW_H
#define LEAPIOD_CARD_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LIO_WIN_MAX	16
#define LIO_WIN_ALIGN	4096ULL

struct lio_win {
	uint64_t	phys;		/* host physical base */
	uint64_t	len;
	uint64_t	off;		/* where phys is in the window */
};

/* leapiod's configuration of card mode ("card" in the JSON file). */
struct lio_card_cfg {
	bool		given;		/* card mode */
	char		device[256];	/* /dev/leapio_soc */
	struct lio_win	win[LIO_WIN_MAX];
	unsigned int	nr_win;
};

/*
 * A usable map of n entries (named field[i] in messages, e.g.
 * "card.host_window"): each non-empty, 4 KiB aligned (phys, len,
 * offset), no wrap past 2^64, no two overlapping in host physical
 * addresses nor in the window, each inside window_size bytes (0: not
 * known yet, not checked). 0 or -EINVAL with one sentence naming the
 * field in err.
 */
int lio_win_check(const struct lio_win *w, unsigned int n,
		  uint64_t window_size, const char *field, char *err,
		  size_t errlen);

/*
 * The window offset of host physical address phys, and how many bytes
 * from there on the same entry still covers (*avail). 0, or -EFAULT when
 * no entry covers phys.
 */
int lio_win_xlate(const struct lio_win *w, unsigned int n, uint64_t phys,
		  uint64_t *off, uint64_t *avail);

/* Is a card configuration the same as another (a reload cannot change it)? */
bool lio_card_cfg_equal(const struct lio_card_cfg *a,
			const struct lio_card_cfg *b);

#endif /* LEAPIOD_CARD_WINDOW_H */
