/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host-mode data path inside leapio_host.ko: the shared region of
 * each mdev (uapi/linux/leapio_region.h), /dev/leapio through which a
 * runtime attaches to it, guest page pinning and the GPA->HPA tables.
 *
 * Two sides meet here:
 *   region.c, chardev.c, pin.c, mbox.c   own the region's memory, the
 *        vdev file, the pins and tables, and the seq/ack handshake;
 *   datapath.c                           turns the controller model's
 *        events (queues created and deleted, resets, features) into
 *        region contents, calling the functions below.
 *
 * Locking, outermost first:
 *   lio_mdev.lock        the model (datapath.c runs under it)
 *   lio_region.pin_lock  pins, tables, the guest window's page tables
 * Never wait for the runtime's ack holding pin_lock: the runtime may be
 * blocked on it in a MAP request. Waiting holding lio_mdev.lock is
 * allowed: nothing the runtime calls takes it (mailbox requests that
 * need the model go to a work item).
 */
#ifndef LEAPIO_DP_H
#define LEAPIO_DP_H

#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "../../uapi/linux/leapio_region.h"

struct lio_mdev;
struct eventfd_ctx;
struct file;

/* Pointers into one mdev's region, and the driver's own state for it. */
struct lio_region {
	void			*base;		/* vmalloc_user()'ed, zeroed */
	size_t			size;
	struct leapio_region_hdr *hdr;
	struct leapio_vdev_ctrl	*ctrl;
	struct leapio_sq_desc	*sq;		/* [0..nr_ioq] */
	struct leapio_cq_desc	*cq;
	void			*db;		/* nr_db pages */
	struct leapio_inflight	*inflight;
	struct leapio_mbox	*mbox;
	__le64			*l1;
	__le64			*l2;		/* l2_tables * 512 */

	/* pin.c: pinned guest pages, gfn -> struct page *, and how many */
	struct mutex		pin_lock;
	struct xarray		pages;
	unsigned long		nr_pinned;
	unsigned long		l2_used;	/* L2 tables handed out */
	struct address_space	*window_mapping;	/* vdev file's, to zap */

	/* chardev.c: the attached runtime */
	spinlock_t		seq_lock;	/* seq bumps from any context */
	wait_queue_head_t	ack_wq;		/* woken on KICK and detach */
	struct file		*runtime;	/* the vdev file, or NULL */
	struct eventfd_ctx	*wake;		/* LEAPIO_VDEV_IOC_SET_WAKE */
	bool			removed;

	/* mbox.c: requests that need lio_mdev.lock */
	struct work_struct	mbox_work;
};

/* ---- region.c ---- */
/* Allocate and lay out the region of a new mdev (vdev init). */
int lio_region_create(struct lio_mdev *lm);
/* The mdev is released: nothing is attached or pinned any more. */
void lio_region_destroy(struct lio_mdev *lm);
/* Offset of doorbell page idx (2*qid or 2*qid+1) from the region start. */
u64 lio_region_db_offset(struct lio_region *r, u32 idx);

/*
 * Bump ctrl->seq (after a write barrier: everything written to the
 * region before is visible first) and wake the runtime. Returns the new
 * seq. Any context that may sleep.
 */
u32 lio_region_bump(struct lio_mdev *lm);
/*
 * Wait until the attached runtime has acked seq (or detached, or the
 * timeout passed: then warn once, and return -ETIMEDOUT). No runtime
 * attached: returns 0 at once. See the locking rule above.
 */
int lio_region_wait_ack(struct lio_mdev *lm, u32 seq);
/* Signal the runtime's wake eventfd, if it gave one (trapped doorbell). */
void lio_region_wake(struct lio_mdev *lm);
bool lio_region_attached(struct lio_mdev *lm);

/* ---- pin.c ---- */
/*
 * Pin and translate [gpa, gpa + len) for the data path (queue memory,
 * shadow doorbells). Pages already pinned stay as they are. 0, -EFAULT
 * (not mapped by the VFIO user), -ENOSPC (tables full).
 */
int lio_pin_range(struct lio_mdev *lm, u64 gpa, u64 len);
/*
 * The VFIO user unmapped [iova, iova + len): invalidate the entries,
 * bump seq and wait for the runtime's ack, zap the runtime's mappings,
 * then unpin. Called from vfio's dma_unmap without lio_mdev.lock.
 */
void lio_pin_unmap(struct lio_mdev *lm, u64 iova, u64 len);
/* Everything: the VFIO user closed the device (after the ack). */
void lio_pin_release_all(struct lio_mdev *lm);
unsigned long lio_pin_count(struct lio_mdev *lm);

/* ---- chardev.c ---- */
int lio_chardev_init(void);
void lio_chardev_exit(void);
/* mdev probe/remove: make the mdev findable by UUID, and unfindable. */
void lio_chardev_add(struct lio_mdev *lm);
void lio_chardev_remove(struct lio_mdev *lm);

/* ---- mbox.c ---- */
/* Answer every request up to prod (LEAPIO_VDEV_IOC_KICK). */
int lio_mbox_kick(struct lio_mdev *lm);

/* ---- irq.c ---- */
/*
 * The eventfd file the VFIO user set for MSI-X vector `vector`, with a
 * reference the caller drops with fput(); NULL if it set none. *irq_seq is
 * ctrl->irq_seq at the time (irq.c bumps it, and seq, whenever the VFIO
 * user changes eventfds).
 */
struct file *lio_irq_get_file(struct lio_mdev *lm, u16 vector, u32 *irq_seq);

/* ---- datapath.c: called by mbox.c's work item, under lio_mdev.lock ---- */
void lio_dp_raise_irq(struct lio_mdev *lm, u16 vector);
void lio_dp_post_aen(struct lio_mdev *lm, u32 dw0);
void lio_dp_fatal(struct lio_mdev *lm);
/* A runtime attached (chardev.c, under lio_mdev.lock): it serves the
 * I/O queues from now on; sync the model's queue positions into the
 * region if the model had been completing I/O itself.
 */
void lio_dp_attach(struct lio_mdev *lm);

#endif /* LEAPIO_DP_H */
