/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The shared region of one virtual NVMe controller (vdev): what the host
 * driver (leapio_host.ko) and the data path runtime (leapiod) share, and
 * the /dev/leapio interface through which a host-mode runtime reaches it.
 *
 * The host driver keeps the PCI function, the registers and the admin
 * queue. It publishes each I/O queue the guest creates here, pins guest
 * pages on request and describes them in GPA->HPA tables, and receives the
 * runtime's requests through a mailbox. The runtime polls the doorbell
 * pages and the queues, moves the data, and posts completions and
 * interrupts itself. In host mode the runtime is a process on the host
 * (this header's ioctls); on the SoC card the same region sits in card
 * DRAM behind a BAR.
 *
 * Writers: every field is written by exactly one side, named on each
 * group: [drv] host driver, [rt] runtime. Fields of different writers do
 * not share a cache line. All multi-byte fields are little endian (both
 * sides are; the card is configured so), naturally aligned, read and
 * written whole (READ_ONCE/WRITE_ONCE or C11 relaxed atomics) and ordered
 * by the barriers documented at each protocol below.
 *
 * Layout (byte offsets in struct leapio_region_hdr; each part starts on a
 * 4 KiB boundary):
 *   header        struct leapio_region_hdr
 *   ctrl          struct leapio_vdev_ctrl
 *   sq, cq        struct leapio_sq_desc / leapio_cq_desc, indexed by qid
 *                 0..nr_ioq (entry 0, the admin queue, stays unused)
 *   doorbells     one 4 KiB page per doorbell, indexed like BAR0's:
 *                 page 2*qid is qid's SQ tail, 2*qid+1 its CQ head; only
 *                 the first dword of a page is meaningful. The same pages
 *                 back BAR0's doorbell area when a VFIO user mmaps it.
 *   inflight      the journal: per SQ, LEAPIO_INFLIGHT_PER_SQ entries
 *                 (struct leapio_inflight), at (qid-1)*per_sq + tag
 *   mailbox       struct leapio_mbox
 *   l1            l1_entries __u64, one per 2 MiB of guest-physical space
 *   l2            l2_tables tables of 512 __u64, one per 4 KiB page
 *   lbas          struct leapio_lbas: the LBAs reads fail on (minor 4)
 *   ns            nr_ns struct leapio_ns_desc, NSID 1 first (minor 7)
 *
 * Changes that only add fields at the end of a structure or new parts
 * bump version_minor; anything else bumps version_major, which a runtime
 * must match exactly.
 */
#ifndef _UAPI_LINUX_LEAPIO_REGION_H
#define _UAPI_LINUX_LEAPIO_REGION_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define LEAPIO_REGION_MAGIC		0x47524f495041454cULL	/* "LEAPIORG" */
#define LEAPIO_REGION_VERSION_MAJOR	1
/*
 * 1: LEAPIO_MBOX_ERROR; 2: let_go, let_go_ack; 3: LEAPIO_MBOX_NS_GROW;
 * 4: the lbas part (lbas_off, lbas_size at the header's end);
 * 5: backend_bytes; 6: Format NVM (format_*, LEAPIO_MBOX_FORMAT_DONE);
 * 7: the namespace table (ns_off, ns_desc_size, nr_ns at the header's end);
 * 8: LEAPIO_MBOX_NS_GROW of any namespace (arg1 its NSID);
 * 9: the pool (instance, nscreate_*, pool_bytes, pool_nsids, leapio_ns_desc.pooled,
 *    LEAPIO_MBOX_NS_CREATED)
 */
#define LEAPIO_REGION_VERSION_MINOR	9

#define LEAPIO_REGION_ALIGN		4096
#define LEAPIO_CACHELINE		64
#define LEAPIO_INFLIGHT_PER_SQ		1024	/* commands in flight per SQ */
#define LEAPIO_MBOX_ENTRIES		64
#define LEAPIO_L2_ENTRIES		512	/* 4 KiB leaves per L2 table */
#define LEAPIO_L1_SHIFT			21	/* an L1 entry covers 2 MiB */
#define LEAPIO_L2_SHIFT			12
#define LEAPIO_MAX_NS			16	/* NN: namespaces of a controller */

/* ---------------------------------------------------------------- header */

/* [drv], written once before the region is handed out. */
struct leapio_region_hdr {
	__u64	magic;			/* LEAPIO_REGION_MAGIC */
	__u16	version_major;
	__u16	version_minor;
	__u32	hdr_size;		/* sizeof(struct leapio_region_hdr) */
	__u64	region_size;		/* bytes, a multiple of 4 KiB */

	/* Where each part is, and the size of one element of it. */
	__u64	ctrl_off;
	__u32	ctrl_size;		/* sizeof(struct leapio_vdev_ctrl) */
	__u16	nr_ioq;			/* I/O queue pairs of the mdev type */
	__u16	rsvd0;
	__u64	sq_off;
	__u64	cq_off;
	__u32	sq_desc_size;		/* sizeof(struct leapio_sq_desc) */
	__u32	cq_desc_size;		/* sizeof(struct leapio_cq_desc) */
	__u64	db_off;
	__u32	db_stride;		/* 4096: one page per doorbell */
	__u32	nr_db;			/* 2 * (nr_ioq + 1) */
	__u64	inflight_off;
	__u32	inflight_size;		/* sizeof(struct leapio_inflight) */
	__u32	inflight_per_sq;	/* LEAPIO_INFLIGHT_PER_SQ */
	__u64	mbox_off;
	__u32	mbox_size;		/* sizeof(struct leapio_mbox) */
	__u32	rsvd1;
	__u64	l1_off;
	__u64	l1_entries;		/* guest-physical space covered: << 21 */
	__u64	l2_off;
	__u64	l2_tables;
	/* version_minor 4; hdr_size says whether a header has them */
	__u64	lbas_off;
	__u32	lbas_size;		/* sizeof(struct leapio_lbas) */
	__u32	rsvd2;
	/* version_minor 7 */
	__u64	ns_off;
	__u32	ns_desc_size;		/* sizeof(struct leapio_ns_desc) */
	__u32	nr_ns;			/* LEAPIO_MAX_NS */
};

/* ------------------------------------------------------- control block */

/* leapio_vdev_ctrl.state */
enum leapio_vdev_state {
	LEAPIO_VDEV_OFF		= 0,	/* no VFIO user, or CC.EN = 0 */
	LEAPIO_VDEV_READY	= 1,	/* CC.EN = 1, CSTS.RDY = 1 */
	LEAPIO_VDEV_FATAL	= 2,	/* CSTS.CFS: fetch and post nothing */
	LEAPIO_VDEV_REMOVED	= 3,	/* the mdev is gone: detach */
};

/* leapio_vdev_ctrl.irq_mode */
enum leapio_irq_mode {
	LEAPIO_IRQ_NONE		= 0,
	LEAPIO_IRQ_INTX		= 1,	/* raise through LEAPIO_MBOX_IRQ */
	LEAPIO_IRQ_MSIX		= 2,	/* signal the vector's eventfd */
};

#define LEAPIO_VECTOR_WORDS	2	/* bitmaps of up to 128 vectors */

/*
 * One controller. The driver bumps seq after every change a runtime must
 * act on (queues, reset, features, interrupts, translations taken away),
 * with a write barrier between the change and the bump, and then wakes
 * the runtime. The runtime, at a point where it holds no pointer into
 * guest memory taken before, reads seq, applies every change (draining
 * what must be drained, see below), then writes ack = that seq (release).
 *
 * The driver waits for ack == seq (bounded by CAP.TO) before it goes on
 * after: a controller reset or shutdown, Delete I/O SQ or CQ, the VFIO user
 * closing the device, and taking translations away (DMA unmap). "Applied"
 * then means: no command of a deleted SQ or of an earlier generation is
 * still being executed, none will be completed, and no address translated
 * through an entry that is now invalid is used again.
 *
 * A runtime that has not acked after CAP.TO is revoked: the driver zaps
 * its mappings of the region and the guest window (its next access to
 * either is a SIGBUS), refuses its vdev file's ioctls and mmaps with
 * -ENOLINK, lets another runtime attach, and fails the controller
 * (state FATAL, CSTS.CFS) until the guest resets it.
 *
 * Letting go (version_minor 2): the driver asks the attached runtime to
 * detach, so that another runtime can take the vdev over with nothing
 * of the first still in flight (SoC mode's hand-over to the card). It
 * sets let_go to 1 and bumps seq. A runtime that applies a seq with
 * let_go set stops fetching commands, waits until none of the vdev's
 * is at its backend and the completions of those done are posted and
 * their interrupts raised (a completion the guest's full CQ has no room
 * for stays in the journal, ISSUED, for the next runtime to redo:
 * nothing of it is in flight any more), acks that seq, then writes
 * let_go_ack = the seq it acked (release), kicks, and detaches: it
 * touches neither the region nor guest memory again. The driver waits
 * for let_go_ack to reach the seq of its request (bounded by CAP.TO),
 * then takes the vdev file away as at a revocation, but without
 * failing anything; past CAP.TO the runtime is revoked (and the next
 * runtime redoes its journal). let_go is 0 whenever a runtime is given
 * the region: a runtime that finds it set at attach was asked before
 * it looked, and lets go. A runtime before version_minor 2 never
 * answers, and is revoked.
 */
struct leapio_vdev_ctrl {
	/* [drv] identity, fixed while the region exists */
	__u8	uuid[16];		/* the mdev's UUID, as written */
	__u16	nr_ioq;
	__u16	cntlid;
	__u32	rsvd0;
	/* [drv] the Format NVM asked as format_gen (below); minor 6 */
	__u8	format_lba_shift;	/* 9 or 12 */
	__u8	format_ses;		/* 0: no erase, 1: user data erase */
	__u8	rsvd1[2];
	__u32	format_nsid;		/* minor 7: the NSID, FFFFFFFFh all */
	/*
	 * Minor 9: a number the driver draws when it makes the region, so
	 * that a runtime can tell this region from an earlier one of the
	 * same mdev UUID (the pool's record, Documentation/design/
	 * namespaces.rst).
	 */
	__u64	instance;
	/*
	 * Namespace Management's create (minor 9): the driver asks by
	 * bumping nscreate_gen with nscreate_nsid, nscreate_nsze and
	 * nscreate_lba_shift, then seq, when pool_bytes (below) has room.
	 * The runtime makes the namespace's backend from its pool and
	 * answers with LEAPIO_MBOX_NS_CREATED; the driver then allocates
	 * the namespace (its table entry with pooled set), sets
	 * nscreate_done to nscreate_gen and bumps seq. A runtime that
	 * attaches while one is asked and not done carries it out (again:
	 * the backend made afresh).
	 */
	__u64	nscreate_nsze;		/* blocks */
	__u32	nscreate_nsid;
	__u32	nscreate_gen;
	__u32	nscreate_done;
	__u8	nscreate_lba_shift;	/* 9 or 12 */
	__u8	rsvd1b[3];

	/* [drv] what the runtime must follow; seq last */
	__u32	state;			/* enum leapio_vdev_state */
	__u32	generation;		/* bumped at every controller reset */
	/*
	 * The namespace: nsze LBAs of 1 << lba_shift bytes, written when a
	 * runtime attaches (the mdev's ns_size is fixed while one is) and
	 * at enable.
	 */
	__u64	nsze;			/* namespace size, in LBAs */
	__u8	lba_shift;		/* 9 or 12 */
	__u8	mdts;			/* max transfer: 4 KiB << mdts */
	__u8	vwc;			/* volatile write cache enabled */
	__u8	dbbuf;			/* Doorbell Buffer Config is in effect */
	__u32	page_shift;		/* CC.MPS + 12 */
	__u64	dbbuf_shadow;		/* GPA of the shadow doorbells */
	__u64	dbbuf_eventidx;		/* GPA of the EventIdx buffer */
	__u32	irq_mode;		/* enum leapio_irq_mode */
	__u32	irq_seq;		/* bumped when vector eventfds change */
	__u64	msix_masked[LEAPIO_VECTOR_WORDS]; /* entry or function mask */
	__u32	irq_coalesce;		/* Set Features 08h dword: THR, TIME */
	__u32	db_mapped;		/* BAR0 doorbells mmapped: no trap */
	__u64	irq_cd[LEAPIO_VECTOR_WORDS];	/* Coalescing Disable (FID 09h) */
	__u32	let_go;			/* 1: detach (see above); minor 2 */
	/*
	 * Format NVM (minor 6): the driver asks by bumping format_gen with
	 * format_lba_shift and format_ses (and, from minor 7, format_nsid:
	 * before, namespace 1, the only one), then seq. While format_gen !=
	 * format_applied the runtime fetches no I/O; once what it had is
	 * done it erases the namespace if asked (format_ses 1: the backend
	 * range zeroed), clears Write Uncorrectable's marks and answers
	 * with LEAPIO_MBOX_FORMAT_DONE. The driver then gives the namespace
	 * the new geometry, sets format_applied to format_gen and bumps
	 * seq: I/O goes on. A runtime that attaches while one is asked and
	 * not applied carries it out (again).
	 */
	__u32	format_gen;
	__u32	seq;			/* see above */
	__u32	format_applied;

	/* [rt] */
	__u32	ack __attribute__((aligned(LEAPIO_CACHELINE)));
	__u32	runtime_pid;		/* 0: none attached */
	__u32	let_go_ack;		/* the seq acked letting go; minor 2 */
	__u32	rsvd4;
	/*
	 * Bytes the runtime's backend holds, as it last looked (minor 5; 0:
	 * not said). The driver grows the namespace up to it when the
	 * operator writes a larger ns_size while the runtime serves it.
	 */
	__u64	backend_bytes;
	/*
	 * Bytes of the pool namespaces are created from (minor 9; 0: no
	 * pool, Namespace Management's create has no capacity), written
	 * when a runtime attaches. The driver's unallocated capacity is
	 * this less the sizes of the namespaces with pooled set.
	 */
	__u64	pool_bytes;
	/*
	 * The NSIDs it makes namespaces in, bit nsid - 1 (minor 9): those
	 * its configuration gives no backend of their own. create-ns takes
	 * the lowest free one of them.
	 */
	__u32	pool_nsids;
	__u32	rsvd5[7];
};

/* ------------------------------------------------------------- queues */

/*
 * An I/O SQ. valid and the geometry are written by the driver at Create
 * I/O SQ (and cleared at delete or reset), before seq is bumped; qgen
 * grows with every create so that journal entries of an older queue with
 * the same qid can be told apart. The memory of a valid queue stays
 * pinned and translated while it is valid.
 *
 * head is the next entry to fetch. The driver sets it to 0 at create; a
 * runtime owns it from then on, and a restarted runtime goes on from it.
 */
struct leapio_sq_desc {
	/* [drv] */
	__u64	gpa;
	__u32	qgen;
	__u16	size;			/* entries */
	__u16	cqid;
	__u8	valid;
	__u8	prio;
	__u8	rsvd0[46];
	/* [rt] */
	__u16	head __attribute__((aligned(LEAPIO_CACHELINE)));
	__u16	rsvd1[3];
	__u64	cmds_read;		/* SMART Host Read Commands */
	__u64	cmds_written;		/* SMART Host Write Commands */
	__u64	bytes_read;		/* SMART Data Units Read, in bytes */
	__u64	bytes_written;
	__u64	rsvd2[3];
};

/*
 * An I/O CQ. tail is the next slot to write and phase the phase tag that
 * slot gets; the driver sets them (0, 1) at create, a runtime owns them
 * from then on.
 */
struct leapio_cq_desc {
	/* [drv] */
	__u64	gpa;
	__u32	qgen;
	__u16	size;
	__u16	vector;
	__u8	valid;
	__u8	ien;			/* interrupts enabled */
	__u8	rsvd0[46];
	/* [rt] */
	__u16	tail __attribute__((aligned(LEAPIO_CACHELINE)));
	__u8	phase;
	__u8	rsvd1[61];
};

/* ------------------------------------------------------------ journal */

/* leapio_inflight.state */
enum leapio_inflight_state {
	LEAPIO_INFLIGHT_FREE		= 0,
	LEAPIO_INFLIGHT_ISSUED		= 1,	/* fetched, being executed */
	LEAPIO_INFLIGHT_COMPLETING	= 2,	/* CQE going to cq_pos */
};

/*
 * A command the runtime has fetched and not yet completed, with its own
 * copy of the SQE (the guest may reuse the SQ slot as soon as a CQE
 * reports the head past it). [rt] all of it.
 *
 * Protocol, so that a runtime killed at any point and restarted neither
 * loses nor duplicates a completion:
 *   fetch:    copy SQE, sqid, qgen, generation; state = ISSUED (release);
 *             then advance the SQ desc's head.
 *   complete: cq_pos/cq_phase = the CQ's tail/phase, status, dw0;
 *             state = COMPLETING (release); write the CQE (phase dword
 *             last); advance the CQ desc's tail (release); state = FREE.
 *   restart:  an entry whose generation, sqid and qgen still match a
 *             valid SQ is redone: ISSUED runs again (reads and writes are
 *             idempotent: the guest has not seen a completion, so its
 *             buffers are as they were); COMPLETING is written again if
 *             the CQ's tail still equals cq_pos, else it is FREE. Any
 *             other entry is dropped.
 */
struct leapio_inflight {
	__u8	sqe[64];
	__u32	state;
	__u32	generation;
	__u32	qgen;
	__u16	sqid;
	__u16	cq_pos;
	__u8	cq_phase;
	__u8	rsvd0;
	__u16	status;			/* CQE status field, phase bit 0 */
	__u32	dw0;
	__u8	rsvd1[40];
};

/* ------------------------------------------------------------ mailbox */

/* leapio_mbox_msg.op */
enum leapio_mbox_op {
	/*
	 * Pin and translate guest pages [arg0, arg0 + arg1). The driver
	 * may translate more (the whole 2 MiB around them). result: 0,
	 * -EFAULT (not guest memory the VFIO user mapped), -ENOSPC (no L2
	 * table left), -EPERM (anonymous guest memory, which a host-mode
	 * runtime cannot map: start QEMU with a shared memory backend).
	 */
	LEAPIO_MBOX_MAP		= 1,
	/* Raise vector arg0 through the controller model: used when the
	 * vector is masked or the guest uses INTx. result 0 or -EINVAL.
	 */
	LEAPIO_MBOX_IRQ		= 2,
	/* Post an Asynchronous Event, dword 0 arg0 (an invalid doorbell
	 * write found in a mmapped doorbell page): only the error events
	 * Invalid Doorbell Register and Invalid Doorbell Write Value, log
	 * page 01h, else -EINVAL.
	 */
	LEAPIO_MBOX_AEN		= 3,
	/* The controller cannot go on (a queue unreachable): CSTS.CFS. */
	LEAPIO_MBOX_FATAL	= 4,
	/*
	 * An I/O command the runtime failed, for the Error Information log
	 * (version_minor 1; an older driver answers -EINVAL). Sent for
	 * every failed command before its CQE is written, the request
	 * answered before the guest can see the completion:
	 *   arg0  [15:0] SQ ID, [31:16] command ID, [47:32] the CQE's
	 *         status field (phase bit 0), [63:48] Parameter Error
	 *         Location (FFFFh: none)
	 *   arg1  LBA (0 when none applies)
	 *   rsvd  [31:0] NSID as the command gave it, [63:32] 0
	 * result 0, or -EINVAL (SQ ID not an I/O queue of the type, status
	 * 0 or with bit 0 set, rsvd [63:32] not 0).
	 */
	LEAPIO_MBOX_ERROR	= 5,
	/*
	 * The backend grew: let the namespace grow to arg0 bytes, a
	 * non-zero multiple of 512 up to LEAPIO_NS_SIZE_MAX, arg1 0
	 * (version_minor 3; an older driver answers -EINVAL); from
	 * version_minor 8 arg1 may name the namespace, 1..LEAPIO_MAX_NS
	 * (0 is namespace 1; a driver of minor 7 or before answers -EINVAL
	 * to any other). The driver
	 * carries it out later, under the controller model's lock: a size
	 * that is no multiple of the LBA size, or smaller than the
	 * namespace, is then refused (logged in the kernel's log); else
	 * the model has the new size, the data path gets it with the next
	 * seq, and the guest a Namespace Attribute Changed notice. result
	 * 0, or -EINVAL for arguments out of range.
	 */
	LEAPIO_MBOX_NS_GROW	= 6,
	/*
	 * The Format NVM asked as ctrl.format_gen arg0 is done (version_minor
	 * 6): arg1 the status for the command, a CQE status field with
	 * phase bit 0 (0: formatted). The driver applies it later, under
	 * the controller model's lock; an answer to no outstanding request
	 * is logged and dropped. result 0, or -EINVAL (arg0 past 32 bits,
	 * arg1 past 16 bits or with bit 0 set).
	 */
	LEAPIO_MBOX_FORMAT_DONE	= 7,
	/*
	 * The namespace create asked as ctrl.nscreate_gen arg0 is done
	 * (version_minor 9): arg1 the status for the command, as for
	 * LEAPIO_MBOX_FORMAT_DONE (0: its backend is made). The driver
	 * applies it later, under the controller model's lock; an answer
	 * to no outstanding request is logged and dropped. result 0, or
	 * -EINVAL (arg0 past 32 bits, arg1 past 16 bits or with bit 0 set).
	 */
	LEAPIO_MBOX_NS_CREATED	= 8,
};

/* Arguments an op does not take are 0: -EINVAL otherwise. */
struct leapio_mbox_msg {
	__u32	op;			/* [rt] */
	__s32	result;			/* [drv] */
	__u64	arg0;			/* [rt] */
	__u64	arg1;			/* [rt] */
	__u64	rsvd;			/* [rt] 0, but for LEAPIO_MBOX_ERROR */
};

/*
 * A ring of requests from the runtime to the driver. The runtime fills
 * msg[prod % LEAPIO_MBOX_ENTRIES] and then bumps prod (release), never
 * getting more than LEAPIO_MBOX_ENTRIES ahead of cons; it then kicks
 * (host mode: LEAPIO_VDEV_IOC_KICK, which returns after the driver has
 * answered everything up to prod). The driver writes each result and
 * then bumps cons (release).
 */
struct leapio_mbox {
	__u32	prod;			/* [rt] */
	__u32	rsvd0[15];
	__u32	cons __attribute__((aligned(LEAPIO_CACHELINE)));	/* [drv] */
	__u32	rsvd1[15];
	struct leapio_mbox_msg msg[LEAPIO_MBOX_ENTRIES];
};

/* ------------------------------------------------------- namespaces */

/* leapio_ns_desc.state */
enum leapio_ns_state {
	LEAPIO_NS_ABSENT	= 0,	/* no such namespace */
	LEAPIO_NS_ALLOCATED	= 1,	/* exists, not attached: no I/O */
	LEAPIO_NS_ATTACHED	= 2,	/* the controller's: I/O goes */
};

/*
 * One namespace, NSID = its index + 1 (Documentation/design/
 * namespaces.rst). The driver writes an entry, bumps its gen, then seq;
 * the runtime applies it at that seq: a namespace no longer attached
 * takes no new command, those in flight finish first. nsze and lba_shift
 * of NSID 1 are also ctrl.nsze and ctrl.lba_shift, for a runtime before
 * minor 7. The runtime counts each namespace's SMART figures here, as it
 * counts its SQs' (commands completed with success, their bytes): the
 * SMART log of NSID N is N's, that of FFFFFFFFh the SQs' sum. The driver
 * zeroes them when it makes an absent namespace.
 */
struct leapio_ns_desc {
	/* [drv] */
	__u8	state;			/* enum leapio_ns_state */
	__u8	lba_shift;		/* 9 or 12 */
	__u8	pooled;			/* minor 9: made from the pool */
	__u8	rsvd0;
	__u32	gen;			/* bumped with every change of it */
	__u64	nsze;			/* blocks; NCAP = NSZE */
	__u8	rsvd1[48];
	/* [rt] */
	__u64	cmds_read __attribute__((aligned(LEAPIO_CACHELINE)));
	__u64	cmds_written;
	__u64	bytes_read;
	__u64	bytes_written;
	__u64	rsvd2[4];
};

/* --------------------------------------------- unrecoverable LBAs */

#define LEAPIO_LBAS_MAX		4096	/* extents, all namespaces together */

/* nlb LBAs from slba of namespace nsid. */
struct leapio_lbas_ext {
	__u64	slba;
	__u64	nlb;
	__u32	nsid;
	__u32	rsvd;
};

/*
 * The LBAs whose reads fail with Unrecovered Read Error until they are
 * written again (Write Uncorrectable's marks): part of the namespaces'
 * content, which the runtime keeps (in its state directory, so that they
 * outlive it) and publishes here, so that the next runtime of this vdev
 * (a restart, a hand-over between host and card) finds them as they are,
 * and the driver can report them (Get LBA Status). [rt] all of it.
 *
 * ext[0..count) is sorted by nsid then slba; extents neither overlap nor
 * touch; nlb > 0. gen is bumped with every change, and stays 0 until a
 * runtime first published: a runtime attaching to a region whose gen is
 * 0 publishes what its state directory holds, else it takes what is here.
 *
 * Writes go as a sequence count: seq becomes odd (then a write barrier),
 * count, ext and gen are rewritten, then seq becomes even (after a write
 * barrier). A reader copies seq (acquire), then what it needs, then reads
 * seq again after a read barrier: an odd or changed seq means a torn
 * copy, to be taken again. A runtime killed between the two bumps leaves
 * seq odd: the next one writes the part afresh.
 */
struct leapio_lbas {
	__u32	seq;
	__u32	count;
	__u32	gen;
	__u32	rsvd0[13];
	struct leapio_lbas_ext ext[LEAPIO_LBAS_MAX];
};

/* ------------------------------------------------------- translation */

/*
 * GPA -> HPA, two levels, [drv]. l1[gpa >> 21] is 0 (nothing), a 2 MiB
 * leaf (VALID | LEAF | HPA of a 2 MiB aligned, physically contiguous
 * block) or a table (VALID | index of an L2 table << 12). An L2 entry,
 * l2[table][(gpa >> 12) & 511], is 0 or VALID | LEAF | HPA of the page.
 * A valid leaf is pinned for as long as it stays valid. Entries go from
 * valid to 0 only followed by a seq bump the driver waits on (see
 * leapio_vdev_ctrl), so a runtime that checks an entry and then uses the
 * page at its next ack point is safe.
 *
 * A host-mode runtime does not use the HPA: it reaches guest page gpa at
 * its mapping of LEAPIO_MMAP_GUEST_OFFSET + gpa, which faults in only
 * translated pages (SIGBUS on others).
 */
#define LEAPIO_XLATE_VALID	(1ULL << 0)
#define LEAPIO_XLATE_LEAF	(1ULL << 1)
#define LEAPIO_XLATE_WRITE	(1ULL << 2)	/* pinned writable */
#define LEAPIO_XLATE_ADDR_MASK	0x000ffffffffff000ULL
#define LEAPIO_XLATE_TABLE(e)	((__u32)(((e) & LEAPIO_XLATE_ADDR_MASK) >> 12))

/* --------------------------------------------------------- /dev/leapio */

#define LEAPIO_DEV_NAME			"leapio"	/* /dev/leapio */
#define LEAPIO_IOC_MAGIC		'L'

/*
 * Attach to the mdev with this UUID: returns (in fd) a new file, the vdev
 * file, which the runtime mmaps and sends the vdev ioctls to. One runtime
 * per mdev at a time (-EBUSY); -ENODEV if no such mdev. The vdev file
 * keeps the region alive after the mdev is removed (state REMOVED).
 * Closing it detaches: queues stay, and the next runtime picks them up.
 */
struct leapio_attach {
	__u8	uuid[16];		/* in */
	__u32	flags;			/* in: 0 */
	__s32	fd;			/* out: the vdev file, O_CLOEXEC */
	__u64	region_size;		/* out: mmap it at offset 0 */
	__u64	guest_size;		/* out: the guest window's length */
};
#define LEAPIO_IOC_ATTACH	_IOWR(LEAPIO_IOC_MAGIC, 0x01, struct leapio_attach)

/* mmap offsets of the vdev file. */
#define LEAPIO_MMAP_REGION_OFFSET	0ULL
#define LEAPIO_MMAP_GUEST_OFFSET	(1ULL << 40)

/* Answer the mailbox up to prod; returns when done (0 or -errno). Also
 * tells the driver that ack moved.
 */
#define LEAPIO_VDEV_IOC_KICK	_IO(LEAPIO_IOC_MAGIC, 0x10)

/* An eventfd the driver signals after bumping seq and after a trapped
 * doorbell write to an I/O queue (-1: none).
 */
#define LEAPIO_VDEV_IOC_SET_WAKE _IOW(LEAPIO_IOC_MAGIC, 0x11, __s32)

/*
 * A file descriptor (O_CLOEXEC) in fd that signals the eventfd the VFIO
 * user gave for MSI-X vector `vector`: an 8-byte write to it is an
 * interrupt, as a write to that eventfd would be, while this runtime
 * stays attached; once it has detached or been revoked the write fails
 * with -ENOLINK and signals nothing. -ENOENT when the VFIO user set no
 * eventfd. irq_seq is the leapio_vdev_ctrl.irq_seq the answer is valid
 * for.
 */
struct leapio_irqfd {
	__u32	vector;			/* in */
	__s32	fd;			/* out */
	__u32	irq_seq;		/* out */
	__u32	rsvd;
};
#define LEAPIO_VDEV_IOC_GET_IRQFD _IOWR(LEAPIO_IOC_MAGIC, 0x12, struct leapio_irqfd)

#endif /* _UAPI_LINUX_LEAPIO_REGION_H */
