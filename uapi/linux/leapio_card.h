/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The SoC card's DRAM as both of its users see it (SoC mode): the host
 * driver (leapio_host.ko, through the card's host-facing BAR, HW1) and the
 * card's leapiod (through leapio_soc.ko's mmap of the same memory). Each
 * vdev served in SoC mode has its shared region (leapio_region.h) here
 * instead of in host memory; this header is the directory that says
 * where, and who serves it.
 *
 * Layout of card DRAM (byte offsets from its start):
 *   0                      struct leapio_card_hdr, one 4 KiB page
 *   4 KiB * (1 + i)        struct leapio_card_slot i, one page each,
 *                          i < LEAPIO_CARD_SLOTS
 *   LEAPIO_CARD_DATA_OFF   regions, each at a LEAPIO_CARD_REGION_ALIGN
 *                          aligned offset the host driver chooses (a
 *                          slot's region_off); card DRAM the host driver
 *                          gives no slot is the card's own (leapiod's
 *                          staging buffers live at its end, see
 *                          card_reserve)
 *
 * Writers, as in leapio_region.h: [drv] the host driver, [card] the
 * card's runtime side (leapio_soc.ko or leapiod); fields of different
 * writers are in different cache lines; little endian; each field read
 * and written whole. No read-modify-write is shared: a PCIe window has
 * no atomics both sides can rely on.
 *
 * Doorbells (the card's interrupt paths; ivshmem-doorbell vectors in the
 * rig). Each side rings the other's vector 0 after any change the other
 * must look at, and each side's handler scans every slot:
 *   host -> card  LEAPIO_CARD_VEC_CARD: a slot's gen or its region's
 *                 ctrl.seq moved (the host-mode "wake" eventfd)
 *   card -> host  LEAPIO_CARD_VEC_HOST: a slot's irq_post[] or its
 *                 region's mbox.prod moved, or card_ack changed (the
 *                 host-mode LEAPIO_VDEV_IOC_KICK and vector eventfds)
 * Whoever rings writes what it announces first, then a write barrier,
 * then the doorbell; the handler reads after the interrupt.
 *
 * Documentation/design/soc-mode.rst.
 */
#ifndef _UAPI_LINUX_LEAPIO_CARD_H
#define _UAPI_LINUX_LEAPIO_CARD_H

#include <linux/types.h>

#define LEAPIO_CARD_MAGIC		0x445241434f49504cULL	/* "LPIOCARD" */
#define LEAPIO_CARD_VERSION_MAJOR	1
#define LEAPIO_CARD_VERSION_MINOR	0
#define LEAPIO_CARD_PAGE		4096
#define LEAPIO_CARD_SLOTS		32
#define LEAPIO_CARD_DATA_OFF		(2ULL << 20)
#define LEAPIO_CARD_REGION_ALIGN	(2ULL << 20)
#define LEAPIO_CARD_VECTORS		128	/* = 64 * LEAPIO_VECTOR_WORDS */

#define LEAPIO_CARD_VEC_CARD		0
#define LEAPIO_CARD_VEC_HOST		0

/* The card header, at offset 0 of card DRAM. */
struct leapio_card_hdr {
	/* [drv] written when the host driver binds the card; magic last */
	__u64	magic;			/* LEAPIO_CARD_MAGIC, 0 while not ready */
	__u16	version_major;
	__u16	version_minor;
	__u32	hdr_size;		/* sizeof(struct leapio_card_hdr) */
	__u64	dram_size;		/* bytes of card DRAM the host sees */
	__u32	nr_slots;		/* LEAPIO_CARD_SLOTS */
	__u32	slot_size;		/* sizeof(struct leapio_card_slot) */
	__u32	host_peer;		/* doorbell address of the host side */
	__u32	host_gen;		/* bumped at every bind of the host driver */
	__u64	card_reserve;		/* bytes at the end the host leaves alone */
	__u8	rsvd0[24];

	/* [card] */
	__u32	card_peer __attribute__((aligned(64)));	/* the card's doorbell address */
	__u32	card_ready;		/* = host_gen once the card side is up */
	__u32	card_heartbeat;		/* grows while a card runtime polls */
	__u32	rsvd1[13];
};

/* leapio_card_slot.owner: which runtime may attach to the slot's region */
enum leapio_card_owner {
	LEAPIO_CARD_OWNER_NONE	= 0,	/* the slot is free (region_off 0) */
	LEAPIO_CARD_OWNER_HOST	= 1,	/* a host-mode leapiod (/dev/leapio) */
	LEAPIO_CARD_OWNER_CARD	= 2,	/* the card's leapiod */
	/*
	 * The card did not acknowledge a change within CAP.TO: the driver
	 * gave up on it (and may have unpinned guest memory it was waiting
	 * for), without a gen bump. The card's runtime must stop touching
	 * the region and guest memory at once, and attaches again only when
	 * the driver hands the vdev to the card again (owner CARD, gen + 1).
	 */
	LEAPIO_CARD_OWNER_REVOKED = 3,
};

/*
 * One vdev whose region is in card DRAM. The driver changes a slot only
 * as: write the fields, write barrier, bump gen, ring the card. The card
 * side answers by writing card_ack = gen once it has acted on the change
 * (attached if owner is CARD, detached and holding no pointer into the
 * region or guest memory if it is not), then rings the host.
 *
 * Interrupts: the card raises vector v of the vdev's guest by
 * incrementing irq_post[v] (its own counter, never reset) and then
 * irq_any, then ringing the host; the host driver keeps the last value
 * it saw of each and signals the vector's eventfd (or the controller
 * model, when masked or INTx) once for any change.
 */
struct leapio_card_slot {
	/* [drv] */
	__u8	uuid[16];		/* the mdev's UUID */
	__u64	region_off;		/* from the start of card DRAM; 0: free */
	__u64	region_size;
	__u32	owner;			/* enum leapio_card_owner */
	__u32	gen;			/* bumped after every change above */
	__u8	rsvd0[24];

	/* [card] */
	__u32	card_ack __attribute__((aligned(64)));	/* = gen, see above */
	__u32	irq_any;		/* bumped after any irq_post[] change */
	__u32	rsvd1[14];
	__u32	irq_post[LEAPIO_CARD_VECTORS];
};

#endif /* _UAPI_LINUX_LEAPIO_CARD_H */
