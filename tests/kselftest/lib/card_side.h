/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SoC card played from L1 user space, for the test_card_* tests: the
 * rig's loopback card (tests/vm/card/run-l1-card.sh) gives L1 two
 * ivshmem-doorbell devices on one ivshmem server, so both see the same
 * memory, the card's DRAM. The first (by PCI address) is bound to
 * leapio_host.ko as the card's host-facing function; the second, which no
 * driver binds, is the card's side: its BAR2 (the DRAM) and BAR0 (its
 * peer id and the doorbell register) are mmapped through sysfs resource
 * files, and a thread acts as the card's runtime where a test wants one.
 *
 * The card side has no driver, so its MSI-X is off and the host's rings
 * reach nobody: what the host announces is found by looking at card DRAM
 * (gen, seq), as a card runtime that polls would.
 */
#ifndef LIO_KSFT_CARD_SIDE_H
#define LIO_KSFT_CARD_SIDE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../../uapi/linux/leapio_card.h"
#include "../../../uapi/linux/leapio_region.h"

#define CARD_ADDR_LEN	16	/* "dddd:bb:dd.f" */
/* /sys/module/leapio_host/parameters/card */
#define CARD_PARAM	"/sys/module/leapio_host/parameters/card"

struct card_side {
	char			host_addr[CARD_ADDR_LEN];
	char			card_addr[CARD_ADDR_LEN];
	uint8_t			*dram;
	size_t			dram_size;
	volatile uint32_t	*regs;
	size_t			regs_size;
	uint32_t		peer;		/* the card side's peer id */
	struct leapio_card_hdr	*hdr;

	/* The card's runtime (card_run_start()). */
	pthread_t		th;
	bool			running;
	volatile int		stop;
	volatile int		ack_slots;	/* card_ack = gen */
	volatile int		ack_seq;	/* ctrl.ack = seq, owner CARD */
};

/*
 * Find the two ivshmem-doorbell devices of the loopback card: 0, or
 * -ENODEV with *why saying what this L1 lacks (the tests then skip).
 */
int card_find(struct card_side *cs, const char **why);
/* Map the card side's BAR0 and BAR2. 0 or -errno. */
int card_map(struct card_side *cs);
void card_unmap(struct card_side *cs);

/* Write the card parameter (an address, or "" to unbind): 0 or -errno. */
int card_param_write(const char *val);
/* What it reads, without the newline. */
int card_param_read(char *buf, size_t len);

/*
 * The card side is up: card_peer and card_ready = the header's host_gen,
 * as the card's runtime says so. 0, or -EPROTO without a valid header.
 */
int card_say_ready(struct card_side *cs);
/* Ring the host's vector LEAPIO_CARD_VEC_HOST. */
void card_ring_host(struct card_side *cs);

struct leapio_card_slot *card_slot(struct card_side *cs, int slot);
/* The region of a slot in use, NULL if its offset is not in DRAM. */
void *card_region(struct card_side *cs, int slot);

/*
 * A thread that acts as the card's runtime until card_run_stop(): with
 * ack_slots set it acks every slot's gen (card_ack = gen) and, with
 * ack_seq set, the seq of every region the card owns (ctrl.ack = seq),
 * ringing the host after each. 0 or -errno.
 */
int card_run_start(struct card_side *cs);
void card_run_stop(struct card_side *cs);

#endif
