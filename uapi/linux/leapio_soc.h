/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/leapio_soc: the card side's character device (leapio_soc.ko, SoC
 * mode). On the card, the module binds the card's windows and hands them
 * to the card's leapiod:
 *
 *   card DRAM     the memory the host sees as the card's BAR (HW1); the
 *                 directory of leapio_card.h is at its offset 0
 *   host DRAM     the window through which the card reaches host physical
 *                 memory (HW2/HW3); the map from a host physical address
 *                 to an offset in it is the card's (the rig: q35's split,
 *                 Documentation/design/soc-mode.rst), not this module's
 *   doorbells     the card's interrupt vectors, each delivered to an
 *                 eventfd, and RING, which interrupts another doorbell
 *                 address (the host's, leapio_card_hdr.host_peer)
 *
 * Both windows are mmapped from this device at the fixed offsets below
 * (MAP_SHARED only; any page-aligned part of a window). They cannot be
 * reached through /dev/mem or sysfs resource files once the module owns
 * the BARs (the kernels' IO_STRICT_DEVMEM).
 *
 * Once the card goes away (its PCI functions unbound), every mapping made
 * from this device is torn down: a later access raises SIGBUS. Every
 * ioctl and mmap then fails with -ENODEV, also after the card is bound
 * again: open the device anew.
 *
 * Additions only: new fields take reserved ones (which read 0 until then,
 * and must be 0 when passed in), new ioctls new numbers; abi_version
 * changes only for a change a user must notice.
 *
 * Documentation/abi/soc-device.rst.
 */
#ifndef _UAPI_LINUX_LEAPIO_SOC_H
#define _UAPI_LINUX_LEAPIO_SOC_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define LEAPIO_SOC_DEV_NAME		"leapio_soc"	/* /dev/leapio_soc */
#define LEAPIO_SOC_ABI_VERSION		1

/*
 * mmap offsets: each window at its own offset, a window at most
 * LEAPIO_SOC_WINDOW_MAX bytes (the module refuses a larger one).
 */
#define LEAPIO_SOC_MMAP_DRAM_OFFSET	0ULL
#define LEAPIO_SOC_MMAP_HOSTMEM_OFFSET	(1ULL << 48)
#define LEAPIO_SOC_WINDOW_MAX		(1ULL << 48)

/* Doorbell addresses (peers) and vectors the device can name. */
#define LEAPIO_SOC_PEER_MAX		0xffff
#define LEAPIO_SOC_VECTORS_MAX		64

#define LEAPIO_SOC_IOC_MAGIC		'L'

/* leapio_soc_info.hw: which kind of card the module drives. */
enum leapio_soc_hw {
	LEAPIO_SOC_HW_IVSHMEM	= 1,	/* the rig's emulated card (QEMU ivshmem) */
};

/*
 * leapio_soc_info.flags
 *   COHERENT  the windows are mapped cacheable and coherent with the
 *             other side: loads, stores and CPU barriers suffice (the
 *             emulated card, whose windows are RAM shared through the
 *             hypervisor). Without it a window is mapped uncached or
 *             write-combined and its user must order writes to it with
 *             the stronger barriers such mappings need.
 */
#define LEAPIO_SOC_INFO_COHERENT	(1U << 0)

/* LEAPIO_SOC_IOC_GET_INFO: what the card is (all out). */
struct leapio_soc_info {
	__u32	abi_version;		/* LEAPIO_SOC_ABI_VERSION */
	__u32	hw;			/* enum leapio_soc_hw */
	__u64	dram_size;		/* bytes at LEAPIO_SOC_MMAP_DRAM_OFFSET */
	__u64	hostmem_size;		/* bytes at LEAPIO_SOC_MMAP_HOSTMEM_OFFSET */
	__u32	peer;			/* the card's own doorbell address */
	__u32	nr_vectors;		/* its vectors: 0 .. nr_vectors - 1 */
	__u32	flags;			/* LEAPIO_SOC_INFO_* */
	__u32	rsvd0;
	__u64	rsvd[4];
};
#define LEAPIO_SOC_IOC_GET_INFO	_IOR(LEAPIO_SOC_IOC_MAGIC, 0x40, struct leapio_soc_info)

/*
 * LEAPIO_SOC_IOC_SET_IRQFD: the eventfd fd is signalled once per
 * interrupt of the card's vector `vector` (fd -1: none). A vector has at
 * most one eventfd, set through one open file: another file's attempt is
 * -EBUSY until that file sets -1 or is closed (which detaches its
 * vectors). -EINVAL: vector >= nr_vectors, flags or rsvd not 0, fd not an
 * eventfd (-EBADF: not a file descriptor).
 */
struct leapio_soc_irqfd {
	__u32	vector;
	__s32	fd;
	__u32	flags;			/* 0 */
	__u32	rsvd;			/* 0 */
};
#define LEAPIO_SOC_IOC_SET_IRQFD _IOW(LEAPIO_SOC_IOC_MAGIC, 0x41, struct leapio_soc_irqfd)

/*
 * LEAPIO_SOC_IOC_RING: interrupt vector `vector` of doorbell address
 * `peer` (the host: leapio_card_hdr.host_peer; the card itself: its own
 * peer). Every address has the card's number of vectors (the ivshmem
 * server gives each the same). A ring to an address nobody holds is
 * lost, as on the hardware. -EINVAL: peer > LEAPIO_SOC_PEER_MAX, vector
 * >= nr_vectors, flags or rsvd not 0.
 */
struct leapio_soc_ring {
	__u32	peer;
	__u32	vector;
	__u32	flags;			/* 0 */
	__u32	rsvd;			/* 0 */
};
#define LEAPIO_SOC_IOC_RING	_IOW(LEAPIO_SOC_IOC_MAGIC, 0x42, struct leapio_soc_ring)

#endif /* _UAPI_LINUX_LEAPIO_SOC_H */
