/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Write Uncorrectable's marks as the region shows them (the lbas part,
 * uapi/linux/leapio_region.h, minor 4): published after every change,
 * so that the next runtime of the vdev (a restart, a hand-over between
 * host and card, whose state directories differ) finds the namespace's
 * marks as they are, and the driver can report them (Get LBA Status).
 */
#ifndef LEAPIOD_LBAS_H
#define LEAPIOD_LBAS_H

#include <stdbool.h>
#include <stdint.h>

#include "uncor.h"

struct leapio_lbas;

/*
 * Make u's set the one the region shows for namespace nsid (the other
 * namespaces' extents kept). 0, or -ENOSPC when all of them do not fit:
 * the part is then left torn (seq odd), which no runtime takes, and the
 * next one trusts its own state directory.
 */
int lio_lbas_publish(struct leapio_lbas *l, uint32_t nsid,
		     const struct lio_uncor *u);

/*
 * At attach: the region's set for namespace nsid, when a runtime has
 * published one, becomes u's (kept in u's file first), else u's set is
 * published; so is u's when its file was for another backend (the
 * region's marks are the old backend's). 0, or -errno from keeping the set (the region's is then
 * not taken). *taken tells which way it went.
 */
int lio_lbas_attach(struct leapio_lbas *l, uint32_t nsid, struct lio_uncor *u,
		    bool *taken);

#endif /* LEAPIOD_LBAS_H */
