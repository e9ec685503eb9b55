/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Card mode behind the platform table (runtime/core/plat.h): leapiod on
 * the SoC card serving the vdevs whose regions the host driver placed in
 * card DRAM (uapi/linux/leapio_card.h, Documentation/design/soc-mode.rst).
 *
 *   attach    the slot with the vdev's UUID and owner CARD; its region
 *             checked; card_ack = gen, ring the host
 *   gone      the slot changed (gen): owner no longer CARD (handed over)
 *             or the slot freed: detach, then card_ack = gen, ring
 *   woken     the host rang the card (one eventfd for the card, fanned
 *             out to every vdev attached, whichever poller serves it)
 *   kick      ring the host; wait for mbox.cons to reach prod, polling
 *             with a growing back-off, bounded (LIO_CARD_KICK_NS)
 *   irq       irq_post[v] + 1, then irq_any + 1, then ring the host
 *   reach     GPA -> host physical (the region's tables) -> window offset
 *             (the configured window map); a range contiguous in the
 *             window is used where it is, a scattered one is mapped page
 *             by page into a GPA-linear reservation of leapiod's
 *   staging   data to and from the backend goes through 1 MiB buffers in
 *             card DRAM (its last card_reserve bytes), copied in and out
 *             by the DMA-engine interface (dma.h): io_uring cannot do
 *             O_DIRECT on the PFN-mapped window
 */
#ifndef LEAPIOD_CARD_H
#define LEAPIOD_CARD_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "card_dev.h"
#include "dma.h"
#include "window.h"

/* A mailbox kick waits at most this long for the host driver. */
#define LIO_CARD_KICK_NS	(5ULL * 1000000000ULL)
/* One staging buffer: the largest transfer leapiod takes. */
#define LIO_CARD_STAGE_BUF	(1U << 20)

struct lio_card;

/*
 * The card for the platform table: dev opened (its mappings and wake fd
 * used from now on, closed by lio_card_close()), the window map checked
 * against the window's size (errors name "card.host_window[i]...").
 * 0 or -errno with a sentence in err.
 */
int lio_card_open(struct lio_card **out, struct lio_card_dev *dev,
		  const struct lio_win *win, unsigned int nr_win, char *err,
		  size_t errlen);
void lio_card_close(struct lio_card *c);
/* The DMA engine in use (counters for the tests). */
struct lio_dma *lio_card_dma(struct lio_card *c);
/* How long a kick waits for the host (default LIO_CARD_KICK_NS). */
void lio_card_set_kick_timeout(struct lio_card *c, uint64_t ns);
/*
 * Whether the host driver had the card bound when leapiod last looked
 * (attach, or the retries of a vdev waiting), and that bind's generation.
 */
bool lio_card_host_bound(struct lio_card *c, uint32_t *gen);

extern const struct lio_plat lio_card_plat;

#endif /* LEAPIOD_CARD_H */
