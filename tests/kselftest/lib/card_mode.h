/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data path tests with the card serving (lio_dp.h built with
 * LIO_DP_CARD 1, the test_card_<set>.c files): in the rig's loopback-card
 * L1 (tests/vm/card/run-l1-card.sh) leapio_soc.ko binds the card side's
 * functions (00:11.0 card DRAM and doorbells, 00:12.0 L1's RAM as the
 * host-DRAM window), leapio_host.ko binds the host-facing one (00:10.0),
 * so every mdev created is placed in card DRAM, and leapiod runs in card
 * mode on /dev/leapio_soc. Each vdev is then handed to the card through
 * its leapio/runtime file: the write returns once the card's runtime has
 * attached (or fails with ETIMEDOUT after CAP.TO).
 *
 * With the card VM (lib/card_vm.h) the card side is the card VM's:
 * leapio_soc.ko is not loaded in L1, and leapiod runs there.
 *
 * Everything is undone at teardown, so that the next test (test_card_*
 * mapping the card side through sysfs, which a bound driver forbids)
 * finds the devices free. Every function returns 0 or -errno.
 */
#ifndef LIO_KSFT_CARD_MODE_H
#define LIO_KSFT_CARD_MODE_H

#include <stdbool.h>
#include <stddef.h>

#include "soc_card.h"

struct card_mode {
	struct soc_rig	rig;
	bool		soc_loaded;	/* by card_mode_up() */
	bool		bound;		/* leapio_host's card= set by it */
};

/* leapio_soc.ko loaded on the card side, the host-facing function bound. */
int card_mode_up(struct card_mode *cm);
/* The card unbound (no mdev may hold a slot) and leapio_soc unloaded. */
int card_mode_down(struct card_mode *cm);
/*
 * The "card" member of leapiod's JSON configuration (without braces
 * around it): the device and the host-DRAM window map of q35's split of
 * L1's RAM at lowmem (soc_lowmem()).
 */
int card_mode_json(char *buf, size_t len);
/* Hand mdev uuid to "card" or "host" (leapio/runtime). */
int card_mode_handover(const char *uuid, const char *owner);

#endif
