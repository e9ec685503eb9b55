/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * LeapIO ABI shared by the kernel modules, leapiod, leapioctl and the tests:
 * the virtual PCI function's identity and BAR layout, and the names of the
 * sysfs attributes of each mdev.
 *
 * The shared-region layout and /dev/leapio ioctls join this header with the
 * host-mode data path (Documentation/abi/).
 */
#ifndef _UAPI_LINUX_LEAPIO_H
#define _UAPI_LINUX_LEAPIO_H

#include <linux/types.h>

/*
 * PCI identity. 0x1e5a is not a vendor id registered to LeapIO: it is one
 * unassigned in pci.ids, kept off QEMU's ids (1b36:0010, 8086:5845), which
 * the Linux nvme driver quirks. Module parameters override both.
 */
#define LEAPIO_PCI_VENDOR_ID		0x1e5a
#define LEAPIO_PCI_DEVICE_ID		0x4c10
#define LEAPIO_PCI_SUBSYS_VENDOR_ID	0x1e5a
#define LEAPIO_PCI_SUBSYS_ID		0x0001
#define LEAPIO_PCI_REVISION		0x01
#define LEAPIO_PCI_CLASS		0x010802	/* mass storage, NVM, NVMe */

/*
 * BAR layout. BAR0 (64-bit, BAR0+BAR1): NVMe registers at 0, doorbells from
 * 0x1000 with a 4 KiB stride (CAP.DSTRD = 10) so that every doorbell has a
 * page of its own and an I/O queue's doorbells can be mapped into the guest
 * without exposing another queue's. BAR4 (32-bit): the MSI-X table at 0 and
 * the PBA at 0x800.
 */
#define LEAPIO_BAR_REGS			0
#define LEAPIO_BAR_MSIX			4
#define LEAPIO_REGS_SIZE		0x1000
#define LEAPIO_DB_OFFSET		0x1000
#define LEAPIO_DSTRD			10
#define LEAPIO_DB_STRIDE		(4U << LEAPIO_DSTRD)
#define LEAPIO_SQ_DB(qid)		(LEAPIO_DB_OFFSET + (2U * (qid)) * LEAPIO_DB_STRIDE)
#define LEAPIO_CQ_DB(qid)		(LEAPIO_DB_OFFSET + (2U * (qid) + 1) * LEAPIO_DB_STRIDE)
#define LEAPIO_MSIX_BAR_SIZE		0x1000
#define LEAPIO_MSIX_TABLE_OFFSET	0x000
#define LEAPIO_MSIX_PBA_OFFSET		0x800
#define LEAPIO_MAX_IOQ			64	/* I/O queue pairs of the largest type */

/* mdev types: leapio-<N>q, N I/O queue pairs. */
#define LEAPIO_MDEV_TYPE_PREFIX		"leapio-"

/*
 * Attributes of each mdev, in /sys/bus/mdev/devices/<uuid>/leapio/.
 * Writable ones may be written after create and before the device is opened.
 */
#define LEAPIO_SYSFS_GROUP		"leapio"
#define LEAPIO_SYSFS_NS_SIZE		"ns_size"	/* rw, bytes */
#define LEAPIO_SYSFS_LBA_SIZE		"lba_size"	/* rw, 512 or 4096 */
/* rw, namespace N = 2..LEAPIO_MAX_NS: bytes (0: none); 512 or 4096 */
#define LEAPIO_SYSFS_NSN_SIZE_FMT	"ns%u_size"
#define LEAPIO_SYSFS_NSN_LBA_SIZE_FMT	"ns%u_lba_size"
#define LEAPIO_SYSFS_NR_IOQ		"nr_ioq"	/* ro */
#define LEAPIO_SYSFS_CNTLID		"cntlid"	/* ro */
#define LEAPIO_SYSFS_SERIAL		"serial"	/* ro */
#define LEAPIO_SYSFS_SUBNQN		"subnqn"	/* ro */
#define LEAPIO_SYSFS_PINNED_PAGES	"pinned_pages"	/* ro, data path pins */
#define LEAPIO_SYSFS_RUNTIME_PID	"runtime_pid"	/* ro, 0: none attached */
/* rw, ms: how long I/O waits for a runtime (0-600000, default 10000) */
#define LEAPIO_SYSFS_RUNTIME_GRACE_MS	"runtime_grace_ms"
/* ro: runtimes revoked for not acknowledging a change within CAP.TO */
#define LEAPIO_SYSFS_RUNTIME_REVOKED	"runtime_revoked"
/* ro: runtimes that let go when asked (the hand-over to the card) */
#define LEAPIO_SYSFS_RUNTIME_LET_GO	"runtime_let_go"
/* ro: malformed mailbox requests (and KICKs) of runtimes, refused */
#define LEAPIO_SYSFS_MBOX_REFUSED	"mbox_refused"
/* rw, SoC mode: "host" or "card", who serves the vdev (the hand-over) */
#define LEAPIO_SYSFS_RUNTIME		"runtime"
/* ro, SoC mode: the vdev's slot in card DRAM, -1 if in host memory */
#define LEAPIO_SYSFS_CARD_SLOT		"card_slot"
/* rw: what is to serve the vdev, for leapioctl (<= 255 bytes, '!'..'~') */
#define LEAPIO_SYSFS_BACKEND		"backend"

#define LEAPIO_DEFAULT_NS_SIZE		(1ULL << 30)
/*
 * The largest ns_size: what a signed 64-bit file offset holds (the
 * guest's block device, the runtime's backend), in whole 4 KiB blocks so
 * that it is a multiple of either LBA size. Larger values: ERANGE.
 */
#define LEAPIO_NS_SIZE_MAX		((1ULL << 63) - 4096)
#define LEAPIO_DEFAULT_LBA_SIZE		512

#endif /* _UAPI_LINUX_LEAPIO_H */
