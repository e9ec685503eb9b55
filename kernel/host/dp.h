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

#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "../../uapi/linux/leapio.h"
#include "../../uapi/linux/leapio_region.h"
#include "../../common/nvme/io_cmd.h"
#include "../../common/leapio/region_writer.h"

struct lio_card;
struct lio_mdev;
struct leapio_card_slot;
struct eventfd_ctx;
struct file;
struct page;

/*
 * The runtime's answer to a request of the driver's (FORMAT_DONE,
 * NS_CREATED), kept for the work item: one request at a time, the later
 * answer is the one that counts.
 */
struct lio_pend_answer {
	bool	set;
	u32	gen;
	u16	status;
};

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
	/*
	 * The same parts for the region writer (common/leapio/), its hdr
	 * the driver's own copy (layout): bounds never come from memory
	 * the runtime can write.
	 */
	struct leapio_region_view view;

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
	struct list_head	live;		/* on chardev.c's list, by UUID */

	/* mbox.c: requests that need lio_mdev.lock */
	struct work_struct	mbox_work;

	/*
	 * The driver's own copies of what it publishes: the runtime can
	 * write anywhere in its mapping, so nothing the driver decides on
	 * is read back from the region.
	 */
	struct leapio_region_hdr layout;	/* the header as written */
	u32			seq;		/* under seq_lock */
	pid_t			runtime_pid;	/* under seq_lock */
	u32			revoked;	/* runtimes revoked, under seq_lock */
	u32			let_go;		/* runtimes that let go, ditto */
	u32			rt_epoch;	/* runtimes gone, under seq_lock */

	/*
	 * pin.c. unmap_lock serialises unmaps (held across the ack wait,
	 * outside pin_lock). win_lock orders the window's faults against
	 * unpinning without being held across vfio_pin_pages(), which takes
	 * the VFIO user's mmap_lock: a fault holds the runtime's.
	 */
	struct mutex		unmap_lock;	/* outside pin_lock */
	struct mutex		win_lock;	/* inside pin_lock */
	bool			pin_open;	/* the VFIO user has the device */
	/*
	 * Being unmapped, [first, last] in gfns: no new pins there, nor
	 * after, while unmap_task is still inside the unmap (pin.c,
	 * unmap_fence.c).
	 */
	bool			unmapping;
	unsigned long		unmap_first;
	unsigned long		unmap_last;
	const struct task_struct *unmap_task;	/* identity only */
	u32			*l1_shadow;	/* per L1 entry: LIO_L1_* */
	u16			*l2_cnt;	/* valid entries per L2 table */
	unsigned long		*l2_busy;	/* tables handed out */
	unsigned long		*l2_zombie;	/* unhooked, free after ack */
	struct page		**pin_buf;	/* for vfio_pin_pages() */

	/* mbox.c */
	struct mutex		mbox_lock;	/* one KICK at a time */
	u32			mbox_cons;
	u64			mbox_refused;	/* sysfs mbox_refused */
	spinlock_t		pend_lock;	/* the work item's requests */
	DECLARE_BITMAP(pend_irq, LEAPIO_VECTOR_WORDS * 64);
	u32			pend_aen[LEAPIO_MBOX_ENTRIES];
	u32			pend_aen_nr;
	bool			pend_fatal;
	/* NS_GROW's bytes per namespace ([nsid - 1]), 0: none */
	u64			pend_ns_size[LEAPIO_MAX_NS];
	struct lio_pend_answer	pend_format;	/* FORMAT_DONE's */
	struct lio_pend_answer	pend_created;	/* NS_CREATED's */
	/*
	 * LEAPIO_MBOX_ERROR: failed I/O commands on their way into the
	 * model's Error Information log, oldest at pend_err_first. No more
	 * than the log holds: an older one is counted only (lost), as the
	 * log would have replaced its entry with the newer ones anyway.
	 */
	struct nvme_io_error	pend_err[LEAPIO_MBOX_ENTRIES];
	u32			pend_err_first;
	u32			pend_err_nr;
	u64			pend_err_lost;

	/* standby.c: the queues while no runtime is attached */
	struct delayed_work	sb_work;
	bool			sb_detached;	/* a runtime went: grace from now */
	bool			sb_journal;	/* journal entries to complete */
	u32			sb_bad[2 * (LEAPIO_MAX_IOQ + 1)];	/* refused */
	u32			sb_qgen[2 * (LEAPIO_MAX_IOQ + 1)];	/* of sb_bad */

	/*
	 * card_slot.c: the region in card DRAM (SoC mode), card NULL when
	 * it is vmalloc'ed. card_owner and card_serving under seq_lock
	 * (written under lio_mdev.lock too); the interrupt thread's copies
	 * of the card's counters under the card's lock.
	 */
	struct lio_card		*card;
	int			card_slot;
	u64			card_off;	/* from the start of card DRAM */
	struct leapio_card_slot	*cslot;
	bool			card_published;
	u32			card_owner;	/* enum leapio_card_owner */
	u32			card_gen;
	/* The card is the runtime: owner CARD, not revoked. */
	bool			card_serving;
	u32			card_irq_any;
	u32			card_irq_seen[LEAPIO_VECTOR_WORDS * 64];
	/* What the card's interrupts go to (lio_dp_put_irq()), seq_lock. */
	bool			irq_msix;
	DECLARE_BITMAP(irq_masked, LEAPIO_VECTOR_WORDS * 64);

	/* datapath.c, under lio_mdev.lock */
	bool			dp_served;	/* a runtime attached since enable */
	bool			dp_db_mapped;	/* BAR0 doorbells mmapped */
	u32			dp_irq_seq;	/* also read under seq_lock */
	/* queue and controller generations, SMART counters of SQs gone */
	struct leapio_wr	dp_wr;
};

/*
 * The most a runtime (or the card) may take to acknowledge: CAP.TO
 * (10 s), which is what the guest's driver allows a reset or a queue
 * deletion anyway. Documentation/design/data-path.rst, "When the runtime
 * does not answer", says what happens after it.
 */
#define LIO_ACK_TIMEOUT		(10 * HZ)

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
 * Wait until the attached runtime has acked seq, or detached. No runtime
 * attached: returns 0 at once. See the locking rule above. After CAP.TO
 * (10 s) without the ack, the runtime is revoked (lio_chardev_revoke())
 * and -ETIMEDOUT returned: the caller goes on as if it had acked and
 * fails the controller (CSTS.CFS).
 */
int lio_region_wait_ack(struct lio_mdev *lm, u32 seq);
/*
 * Signal the runtime's wake eventfd, if it gave one (trapped doorbell),
 * or ring the card when it serves the region.
 */
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
/*
 * The VFIO user opened the device: pins may be taken from now on, until
 * lio_pin_release_all(). Until then lio_pin_range() says -EFAULT
 * (vfio_pin_pages() needs an open device).
 */
void lio_pin_open(struct lio_mdev *lm);
/*
 * A runtime's MAP request: lio_pin_range(), and -EPERM if any page of
 * the range is anonymous memory (the guest window cannot map it).
 */
int lio_pin_map(struct lio_mdev *lm, u64 gpa, u64 len);
/* The guest window's length for the runtime (l1_entries << 21). */
u64 lio_pin_window_size(struct lio_mdev *lm);
/* The guest window's fault handler: map gfn's page at addr, or SIGBUS. */
vm_fault_t lio_pin_fault(struct lio_mdev *lm, struct vm_area_struct *vma,
			 unsigned long addr, u64 gfn);

/* ---- unmap_fence.c: the tasks inside a VFIO type1 DMA unmap ---- */
struct lio_unmap_task {
	struct list_head	node;
	struct callback_head	work;
	/* Identity only: while it is listed the task cannot have gone. */
	const struct task_struct *task;
};

/*
 * current enters a dma_unmap call: listed until it leaves the unmap
 * ioctl (a task work takes it off), and false. A kernel thread or an
 * exiting task, which run no more task work, is listed in *on_stack for
 * this call only, and true: lio_unmap_leave() then unlists it.
 */
bool lio_unmap_enter(struct lio_unmap_task *on_stack);
void lio_unmap_leave(struct lio_unmap_task *on_stack, bool listed);
/* Whether task is inside a DMA unmap that called a LeapIO device. */
bool lio_unmap_running(const struct task_struct *task);
/*
 * Module exit: a queued task work of ours would run code that is gone.
 * Only tasks on their way out of an unmap ioctl have one: wait for them.
 */
void lio_unmap_exit(void);

/* ---- chardev.c ---- */
int lio_chardev_init(void);
void lio_chardev_exit(void);
/* mdev probe/remove: make the mdev findable by UUID, and unfindable. */
void lio_chardev_add(struct lio_mdev *lm);
void lio_chardev_remove(struct lio_mdev *lm);
/* The pid of the attached runtime (its tgid), 0 if none. */
pid_t lio_chardev_runtime_pid(struct lio_mdev *lm);
/*
 * Give up on the attached runtime: it is detached, its mappings of the
 * region and the guest window are zapped and refault nothing (SIGBUS),
 * and its vdev file refuses every ioctl and mmap (-ENOLINK). From the
 * return on, nothing it does reaches the guest or the region. Any
 * context that may sleep, without pin_lock.
 */
void lio_chardev_revoke(struct lio_mdev *lm);
/* Runtimes revoked since the mdev was created. */
u32 lio_chardev_revoked(struct lio_mdev *lm);
/*
 * Ask the attached runtime to let go (uapi/linux/leapio_region.h,
 * "Letting go": it drains and detaches) and wait for it, CAP.TO at
 * most; then its vdev file is taken away as by lio_chardev_revoke(),
 * but counted as let go. Past CAP.TO it is revoked and -ETIMEDOUT
 * returned (the next runtime redoes its journal). 0 when it let go,
 * went, or none was attached. Under lio_mdev.lock: none attaches
 * meanwhile.
 */
int lio_chardev_let_go(struct lio_mdev *lm);
/* Runtimes that let go when asked since the mdev was created. */
u32 lio_chardev_let_go_count(struct lio_mdev *lm);

/* ---- mbox.c ---- */
/* Answer every request up to prod (LEAPIO_VDEV_IOC_KICK). */
int lio_mbox_kick(struct lio_mdev *lm);
/* Requests and KICKs refused as malformed since the mdev was created. */
u64 lio_mbox_refused(struct lio_mdev *lm);
/*
 * Raise vector through the controller model, as LEAPIO_MBOX_IRQ does
 * (the work item): for a card's interrupt the eventfd cannot take.
 */
void lio_mbox_raise(struct lio_mdev *lm, u16 vector);
/* Fail the controller from a context without lm->lock (the work item). */
void lio_mbox_fatal(struct lio_mdev *lm);
/* A runtime attached (lm->lock held): drop what an earlier one left. */
void lio_mbox_attach(struct lio_mdev *lm);
/*
 * The model's dp_errors hook (under lio_mdev.lock): the errors the
 * runtime reported into the model's Error Information log, now.
 */
void lio_mbox_dp_errors(void *opaque);
/* Region create/destroy: the work item that runs requests under lm->lock. */
void lio_mbox_init(struct lio_mdev *lm);
void lio_mbox_fini(struct lio_mdev *lm);

/* ---- standby.c ---- */
/* Region create/destroy. */
void lio_standby_init(struct lio_mdev *lm);
void lio_standby_fini(struct lio_mdev *lm);
/* The runtime went away (detached or revoked): the grace period starts. */
void lio_standby_detached(struct lio_mdev *lm);
/* Look again: the controller was enabled, doorbells mmapped. Any context. */
void lio_standby_kick(struct lio_mdev *lm);

/* ---- irqfd.c ---- */
/*
 * For the attached runtime (GET_IRQFD): a file that signals MSI-X vector
 * `vector`'s eventfd while that runtime stays attached; ERR_PTR(-ENOENT)
 * if the VFIO user set none. *irq_seq as lio_irq_get_file() says.
 */
struct file *lio_irqfd_get(struct lio_mdev *lm, u16 vector, u32 *irq_seq);

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
/*
 * sysfs.c, under lio_mdev.lock: the operator created, grew or removed a
 * namespace in the model; the table goes to an attached runtime now.
 */
void lio_dp_ns_changed(struct lio_mdev *lm);
/* irq.c, under lio_mdev.lock: eventfds or the irq mode changed. */
void lio_dp_irq_changed(struct lio_mdev *lm);
/* regions.c: the VFIO user mmapped BAR0's doorbells (or closed: false). */
void lio_dp_db_mapped(struct lio_mdev *lm, bool mapped);
/* The model's data path hooks (struct lio_vctrl_ops), for mdev.c. */
int lio_dp_create(void *opaque, u16 qid, bool cq);
void lio_dp_sq_delete(void *opaque, u16 qid);
void lio_dp_cq_deleted(void *opaque, u16 qid);
void lio_dp_reset(void *opaque);
void lio_dp_enabled(void *opaque);
int lio_dp_update(void *opaque, u32 what);
bool lio_dp_doorbell(void *opaque, u32 idx, u32 val);
struct lio_dp_smart;
void lio_dp_smart(void *opaque, u32 nsid, struct lio_dp_smart *s);
struct leapio_lba_range;
struct leapio_lbas_info;
/* Write Uncorrectable's marks as the runtime published them (lbas part). */
int lio_dp_format(void *opaque, u32 gen, u32 nsid, u8 lba_shift, u8 ses);
/* The runtime's pool, and a namespace made from it (ns_mgmt.c). */
u64 lio_dp_pool_bytes(void *opaque, u32 *nsids);
int lio_dp_ns_create(void *opaque, u32 gen, u32 nsid, u64 nsze, u8 lba_shift);
int lio_dp_lbas(void *opaque, u32 nsid, u64 slba, struct leapio_lba_range *r,
		u32 max, struct leapio_lbas_info *info);

#endif /* LEAPIO_DP_H */
