/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leapio_soc.ko internals: the card (one per module), its two PCI
 * functions, the hardware ops of the kind of card it is, and the calls
 * between the files.
 *
 * Locking: lio_soc_card.lock (an rw_semaphore) guards the binding state.
 * Binding and unbinding a function and opening or closing a file take it
 * for writing; ioctls and mmap take it for reading, so a function is never
 * unbound under them. Each vector's eventfd is under the vector's
 * spinlock, which its interrupt handler takes.
 */
#ifndef LEAPIO_SOC_H
#define LEAPIO_SOC_H

#include <linux/list.h>
#include <linux/pci.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "../../uapi/linux/leapio_soc.h"

struct eventfd_ctx;
struct lio_soc_file;

/* What the module binds a PCI function as: module parameter dram= or hostmem=. */
enum lio_soc_role {
	LIO_SOC_DRAM,		/* card DRAM, with the card's doorbell */
	LIO_SOC_HOSTMEM,	/* the window on host DRAM */
	LIO_SOC_NR_ROLES,
};

/*
 * A kind of card. The module drives one, the rig's emulated card
 * (ivshmem.c); a real card adds an entry to lio_soc_hws[] (main.c).
 */
struct lio_soc_hw_ops {
	const char	*name;
	u32		hw;		/* enum leapio_soc_hw, for GET_INFO */
	u16		vendor;
	u16		device;
	/*
	 * The windows are RAM both sides reach coherently: user mappings
	 * are cacheable. Otherwise they are write-combined.
	 */
	bool		coherent;
	int		bar[LIO_SOC_NR_ROLES];	/* the BAR of each window */
	int		regs_bar;		/* the doorbell registers' */
	/* 0, or dev_err() and -EINVAL if pdev cannot be the card's role. */
	int		(*check)(struct pci_dev *pdev, enum lio_soc_role role);
	/* The card's own doorbell address: 0, or dev_err() and -EINVAL. */
	int		(*peer)(struct pci_dev *pdev, void __iomem *regs,
				u32 *peer);
	/* Interrupt vector of doorbell address peer (both validated). */
	void		(*ring)(void __iomem *regs, u32 peer, u32 vector);
};

/* ivshmem.c: QEMU's ivshmem, the rig's emulated card */
#define LIO_SOC_IVSHMEM_VENDOR	0x1af4	/* Red Hat, Inc. (Qumranet) */
#define LIO_SOC_IVSHMEM_DEVICE	0x1110
extern const struct lio_soc_hw_ops lio_soc_ivshmem_ops;

/* One bound PCI function and the window it holds. */
struct lio_soc_win {
	struct pci_dev	*pdev;		/* NULL while unbound */
	phys_addr_t	phys;
	resource_size_t	size;
	void		*kaddr;		/* memremap()ed: see lio_soc_bind() */
};

/* A doorbell vector of the card: its interrupt goes to ctx. */
struct lio_soc_vec {
	spinlock_t		lock;	/* ctx, owner; the handler takes it */
	struct eventfd_ctx	*ctx;	/* referenced; NULL: none */
	struct lio_soc_file	*owner;	/* who set ctx */
	char			name[32];
};

struct lio_soc_card {
	struct rw_semaphore	lock;
	const struct lio_soc_hw_ops *hw;	/* of the first function bound */
	struct lio_soc_win	win[LIO_SOC_NR_ROLES];
	/* From the DRAM function, while it is bound. */
	void __iomem		*regs;
	u32			peer;
	u32			nr_vec;
	struct lio_soc_vec	*vec;
	/*
	 * Both functions bound. gen counts the times the card went live: a
	 * file opened at an earlier one stays dead (-ENODEV).
	 */
	bool			live;
	u64			gen;
	struct list_head	files;	/* open struct lio_soc_file */
};

/* An open file of /dev/leapio_soc. */
struct lio_soc_file {
	struct list_head	node;
	struct file		*file;
	u64			gen;	/* lio_soc_card.gen at open */
};

extern struct lio_soc_card lio_soc_card;

/* chardev.c */
int lio_soc_chardev_init(void);
void lio_soc_chardev_exit(void);
/* The card goes away: every file's mappings are torn down. Lock held (w). */
void lio_soc_chardev_kill(struct lio_soc_card *card);

/* irq.c */
int lio_soc_irq_init(struct pci_dev *pdev, struct lio_soc_vec **vecp,
		     u32 *nr);
void lio_soc_irq_exit(struct pci_dev *pdev, struct lio_soc_vec *vec, u32 nr);
long lio_soc_set_irqfd(struct lio_soc_card *card, struct lio_soc_file *f,
		       const struct leapio_soc_irqfd *q);
/* Detach the eventfds f set (all of them if f is NULL). */
void lio_soc_irq_detach(struct lio_soc_card *card, struct lio_soc_file *f);

#endif /* LEAPIO_SOC_H */
