/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SoC mode (Documentation/design/soc-mode.rst): the card's host-facing
 * PCI function, its DRAM (uapi/linux/leapio_card.h) and the regions of
 * mdevs placed there.
 *
 *   card.c          binding (card=, the sysfs parameter), the card
 *                   header, the doorbell interrupt and its scan of slots
 *   card_slot.c     a slot per mdev: its region in card DRAM, the mmaps
 *                   of it, ringing the card, the hand-over between runtimes
 *   card_ivshmem.c  the one hardware implementation (struct lio_card_ops):
 *                   QEMU's ivshmem-doorbell, the rig's emulated card
 *
 * Locking: lio_card.lock guards the slot table; the interrupt thread holds
 * it while it scans, and takes neither lio_mdev.lock nor anything that
 * waits for a runtime, so a driver waiting for the card's ack under
 * lio_mdev.lock is woken by it.
 */
#ifndef LEAPIO_CARD_H
#define LEAPIO_CARD_H

#include <linux/kref.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/types.h>

#include "../../uapi/linux/leapio_card.h"

struct lio_card;
struct lio_mdev;

/*
 * What differs between cards: a real card is one more of these (and a
 * line in card.c's lio_card_impls[]).
 */
struct lio_card_ops {
	const char	*name;
	/*
	 * Is pdev this kind of card? Maps what ring() needs, sets
	 * dram_bar and own_peer. 0, -ENODEV (not this kind), other -errno.
	 */
	int		(*probe)(struct lio_card *c);
	void		(*remove)(struct lio_card *c);
	/* Raise vector on the side whose doorbell address is peer. */
	void		(*ring)(struct lio_card *c, u32 peer, u16 vector);
	/*
	 * memremap() flags for the DRAM BAR, and the page protection of its
	 * user mappings: they must agree (x86 PAT refuses a mismatch).
	 */
	unsigned long	dram_flags;
	pgprot_t	(*pgprot)(pgprot_t prot);
};

/* One slot of card DRAM in use: whose, and where its region is. */
struct lio_card_use {
	struct lio_mdev	*lm;		/* NULL: free */
	u64		off;
	u64		size;
};

struct lio_card {
	struct pci_dev		*pdev;
	const struct lio_card_ops *ops;
	void __iomem		*regs;		/* the ops' registers */
	int			dram_bar;
	u32			own_peer;	/* our doorbell address */
	phys_addr_t		dram_phys;
	u64			dram_size;
	void			*dram;		/* memremap()ed, dram_flags */
	struct leapio_card_hdr	*hdr;
	u32			host_gen;
	u64			reserve;	/* card_reserve, bytes */
	int			irq;
	struct kref		ref;		/* the driver's, a slot's each */
	struct mutex		lock;		/* use[], nr_used, closing */
	struct lio_card_use	use[LEAPIO_CARD_SLOTS];
	u32			nr_used;
	bool			closing;	/* being unbound: no new slot */
	u64			irqs;		/* doorbell interrupts taken */
};

extern const struct lio_card_ops lio_card_ivshmem_ops;

/* ---- card.c ---- */
int lio_card_init(void);
void lio_card_exit(void);
/*
 * The bound card with a slot reserved in use[] for lm, region size bytes
 * long at a LEAPIO_CARD_REGION_ALIGN boundary (*off): NULL when no
 * card is bound (the region goes to host memory), ERR_PTR(-ENOSPC) when
 * its DRAM is full. Holds a reference on the module while the slot lives.
 */
struct lio_card *lio_card_slot_get(struct lio_mdev *lm, u64 size, int *slot,
				   u64 *off);
void lio_card_slot_put(struct lio_card *c, int slot);
struct leapio_card_slot *lio_card_slot_ptr(struct lio_card *c, int slot);
/* Ring the card's LEAPIO_CARD_VEC_CARD, once it said where (card_ready). */
void lio_card_ring(struct lio_card *c);

/* ---- card_slot.c ---- */
/* Region create/destroy: the region's memory, in card DRAM if bound. */
int lio_card_region_alloc(struct lio_mdev *lm, size_t size);
void lio_card_region_free(struct lio_mdev *lm);
/* Release, first: the card's interrupts do nothing for lm any more. */
void lio_card_region_quiesce(struct lio_mdev *lm);
/* The slot's fields for the card, after the region is laid out. */
void lio_card_region_publish(struct lio_mdev *lm);
/* Map [off, off + len) of the region at vma (card DRAM pages). */
int lio_card_region_mmap(struct lio_mdev *lm, struct vm_area_struct *vma,
			 u64 off, u64 len);
/* The card's doorbell interrupt, for one slot (card.c, under lock). */
void lio_card_region_irq(struct lio_mdev *lm);
/*
 * Move the vdev to owner (LEAPIO_CARD_OWNER_HOST or _CARD): 0, -ENODEV
 * (its region is in host memory), -ETIMEDOUT (the card did not ack in
 * CAP.TO: the controller fails).
 */
int lio_card_handover(struct lio_mdev *lm, u32 owner);
/* The card did not ack in CAP.TO (lio_region_wait_ack()): not serving. */
void lio_card_revoke(struct lio_mdev *lm);
/* enum leapio_card_owner; HOST for a region in host memory. */
u32 lio_card_region_owner(struct lio_mdev *lm);

#endif /* LEAPIO_CARD_H */
