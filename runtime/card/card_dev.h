/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Card mode: the card as leapiod reaches it, one small interface so that
 * the unit tests' fake card (tests/unit-rt/fake_card.c) stands in for
 * /dev/leapio_soc (soc_dev.c, uapi/linux/leapio_soc.h):
 *
 *   dram      card DRAM, mapped (the directory of leapio_card.h at 0)
 *   win       the host-DRAM window, mapped whole
 *   wake_fd   an eventfd signalled when the host rings the card
 *             (LEAPIO_CARD_VEC_CARD)
 *   peer      the card's doorbell address, which leapiod publishes in
 *             the header (card_peer) for the host to ring
 *   ring_host interrupt the host (LEAPIO_CARD_VEC_HOST of the header's
 *             host_peer)
 *   map_window map window bytes [off, off + len) at address at (page
 *             aligned, MAP_FIXED over leapiod's own reservation): how a
 *             guest queue whose pages are scattered in host memory is
 *             made contiguous for the core
 */
#ifndef LEAPIOD_CARD_DEV_H
#define LEAPIOD_CARD_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lio_card_dev;

struct lio_card_dev_ops {
	int	(*ring_host)(struct lio_card_dev *d, uint32_t host_peer);
	int	(*map_window)(struct lio_card_dev *d, void *at, uint64_t off,
			      uint64_t len);
	void	(*close)(struct lio_card_dev *d);
};

struct lio_card_dev {
	uint8_t		*dram;
	uint64_t	dram_size;
	uint8_t		*win;
	uint64_t	win_size;
	int		wake_fd;
	uint32_t	peer;		/* the card's own doorbell address */
	/*
	 * dram is a PFN mapping (no struct page behind it, as the rig's
	 * ivshmem BAR): io_uring cannot do O_DIRECT on it, so the staging
	 * buffers go to leapiod's own memory, which on the card is card
	 * DRAM too, instead of to card_reserve.
	 */
	bool		dram_pfnmap;
	const struct lio_card_dev_ops *ops;
	void		*priv;
};

/*
 * /dev/leapio_soc (or path): both windows mapped, the card's vector
 * LEAPIO_CARD_VEC_CARD on a new eventfd. 0 or -errno with a sentence.
 */
int lio_soc_open(const char *path, struct lio_card_dev *d, char *err,
		 size_t errlen);

/*
 * Is the mapping addr is in a PFN mapping (VmFlags "pf" in
 * /proc/self/smaps)? 1, 0, or -errno (-ENOENT: addr is not mapped).
 */
int lio_is_pfnmap(const void *addr);

#endif /* LEAPIOD_CARD_DEV_H */
