/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual NVMe controller model: PCI config space, BAR0 registers and
 * doorbells, the MSI-X table, interrupts, and the admin queue.
 *
 * Pure logic: no kernel header, no libc beyond what lio_env.h gives. The
 * module (the glue in kernel/host/) and the user-space unit tests (tests/unit/)
 * both compile these files; each supplies the lio_vctrl_ops that reach
 * guest memory and raise interrupts.
 *
 * Concurrency: none inside. The caller serialises every entry point on one
 * controller (the module holds a per-mdev mutex). Callbacks are invoked
 * with that serialisation held and may sleep.
 */
#ifndef LEAPIO_VCTRL_H
#define LEAPIO_VCTRL_H

#include "lio_env.h"
#include "../../../common/nvme/nvme_spec.h"
#include "../../../common/nvme/io_cmd.h"
#include "../../../common/nvme/queue_rules.h"
#include "../../../uapi/linux/leapio.h"
#include "../../../common/leapio/mdev_attrs.h"
#include "../../../common/leapio/lbas_read.h"

/* ---- Limits and fixed capabilities ---- */
#define LIO_MAX_IOQ		LEAPIO_MAX_IOQ
#define LIO_MAX_QUEUES		(LIO_MAX_IOQ + 1)	/* + admin */
#define LIO_MAX_VECTORS		(LIO_MAX_IOQ + 1)
#define LIO_MQES		1023		/* CAP.MQES, 0's based */
#define LIO_ADMIN_MAX_ENTRIES	4096		/* AQA limit */
#define LIO_CAP_TO		20		/* 10 s, in 500 ms units */
#define LIO_MDTS		6		/* 2^6 * 4 KiB = 256 KiB */
#define LIO_MAX_XFER		(4096U << LIO_MDTS)
#define LIO_AERL		3		/* 0's based: 4 outstanding */
#define LIO_ACL			3		/* 0's based */
#define LIO_ELPE		63		/* 0's based: 64 error log entries */
#define LIO_NR_ERR_LOG		(LIO_ELPE + 1)
/* NN: NSIDs 1..LIO_NN, namespace 1 always there (a vdev's first). */
#define LIO_NN			LEAPIO_MAX_NS
/* The LBA formats Identify Namespace lists, by index: 512 B, 4 KiB. */
#define LIO_NR_LBAF		2
extern const u8 lio_lbaf_shift[LIO_NR_LBAF];
#define LIO_NR_PENDING_EVENTS	16		/* events waiting for an AER */
#define LIO_TEMP_KELVIN		313		/* reported composite temperature */
#define LIO_WCTEMP		343
#define LIO_CCTEMP		358
#define LIO_KAS			10		/* Keep Alive granularity, 100 ms units */
#define LIO_FR			"1.0"		/* firmware revision, the one slot's */
/* How long I/O waits for a data path runtime (nodp.c), milliseconds. */
#define LIO_DP_GRACE_MS_MAX	LEAPIO_RUNTIME_GRACE_MS_MAX
/* Linux retries a command (nvme_max_retries) 5 times: CRDT1 spreads
 * those over the grace period.
 */
#define LIO_DP_RETRIES		5

/* BAR0 size for a type with nr_ioq queue pairs: registers + doorbells,
 * rounded up to a power of two as a PCI BAR must be.
 */
u64 lio_bar0_size(u16 nr_ioq);

/* What a data path adds to the SMART log's counters. */
struct lio_dp_smart {
	u64	cmds_read;
	u64	cmds_written;
	u64	bytes_read;
	u64	bytes_written;
};

/* lio_vctrl_ops.dp_update: what changed. */
#define LIO_DP_FEATURES	BIT(0)	/* VWC, Interrupt Coalescing, Vector Config */
#define LIO_DP_DBBUF	BIT(1)	/* Doorbell Buffer Config */
#define LIO_DP_IRQ	BIT(2)	/* MSI-X masks, interrupt mode */
#define LIO_DP_FATAL	BIT(3)	/* CSTS.CFS was set */
#define LIO_DP_GEOMETRY	BIT(4)	/* namespaces came, grew, went, were formatted */

/* ---- What the embedding code provides ---- */
struct lio_vctrl_ops {
	/* Guest memory by guest-physical (IOVA) address; 0 or -errno. */
	int (*dma_read)(void *opaque, u64 gpa, void *buf, u32 len);
	int (*dma_write)(void *opaque, u64 gpa, const void *buf, u32 len);
	/* Edge-signal one MSI-X vector (VFIO: the vector's eventfd). */
	void (*msix_signal)(void *opaque, u16 vector);
	/* INTx line changed level (VFIO: signal the trigger on 0 -> 1). */
	void (*intx_set)(void *opaque, bool level);
	/* Monotonic milliseconds and wall-clock milliseconds since the epoch. */
	u64 (*now_ms)(void *opaque);
	u64 (*wall_ms)(void *opaque);

	/*
	 * A data path that carries the I/O queues outside the model. Every
	 * hook is optional: with none set, I/O commands complete in the
	 * model with Namespace Not Ready. They run under the caller's
	 * serialisation and may sleep (drain).
	 *
	 * dp_create: I/O queue qid (a CQ when cq) was created, the model's
	 * state holds it; nonzero refuses it (Invalid Field), e.g. its
	 * memory could not be pinned.
	 */
	int (*dp_create)(void *opaque, u16 qid, bool cq);
	/* SQ qid is about to be deleted: stop fetching, finish its commands. */
	void (*dp_sq_delete)(void *opaque, u16 qid);
	/* CQ qid was deleted. */
	void (*dp_cq_deleted)(void *opaque, u16 qid);
	/*
	 * Controller reset, shutdown, function reset or power off, before
	 * the queues are torn down: nothing may run on them afterwards.
	 */
	void (*dp_reset)(void *opaque);
	/* CSTS.RDY went 0 -> 1. */
	void (*dp_enabled)(void *opaque);
	/*
	 * What LIO_DP_* says changed: publish it again. Nonzero refuses a
	 * Doorbell Buffer Config (Invalid Field); ignored otherwise.
	 */
	int (*dp_update)(void *opaque, u32 what);
	/*
	 * A trapped write of val to I/O doorbell idx (2 * qid: SQ tail,
	 * 2 * qid + 1: CQ head) that passed the model's checks. true: a data
	 * path serves the queues and took it; the model does nothing more.
	 */
	bool (*dp_doorbell)(void *opaque, u32 idx, u32 val);
	/*
	 * Add the data path's counters to *s (Get Log Page SMART): of
	 * namespace nsid, or of the controller (NVME_NSID_ALL).
	 */
	void (*dp_smart)(void *opaque, u32 nsid, struct lio_dp_smart *s);
	/*
	 * The Error Information log is about to be read or to grow: add the
	 * I/O errors the data path reported since (lio_vctrl_log_error()),
	 * so that they take their place in it before.
	 */
	void (*dp_errors)(void *opaque);
	/*
	 * Namespace nsid's Potentially Unrecoverable LBAs (the data path's
	 * Write Uncorrectable marks) as leapio_lbas_read() gives them: 0,
	 * -EAGAIN (none to be had now: Namespace Not Ready), -EINVAL (the
	 * data path's copy is broken: Internal Error). Without the hook:
	 * -EAGAIN, as for I/O without a data path.
	 */
	int (*dp_lbas)(void *opaque, u32 nsid, u64 slba,
		       struct leapio_lba_range *r, u32 max,
		       struct leapio_lbas_info *info);
	/*
	 * Format NVM (format.c): the data path formats the namespace to
	 * blocks of 1 << lba_shift bytes, erasing per ses (0 nothing, 1
	 * user data), as request gen. 0: taken, the answer comes as
	 * lio_vctrl_format_done(gen); -errno: none can take it now
	 * (Namespace Not Ready). Without the hook Format NVM is not
	 * offered (OACS).
	 */
	int (*dp_format)(void *opaque, u32 gen, u32 nsid, u8 lba_shift,
			 u8 ses);
	/*
	 * The capacity of the data path's pool, bytes (0: none): what
	 * create-ns allocates from, the pooled namespaces' sizes taken off;
	 * in *nsids the NSIDs it may make (bit nsid - 1). Without the hook,
	 * no pool.
	 */
	u64 (*dp_pool_bytes)(void *opaque, u32 *nsids);
	/*
	 * Namespace Management's create (ns_mgmt.c): the data path makes
	 * namespace nsid's backend, nsze blocks of 1 << lba_shift bytes,
	 * from its pool, as request gen. 0: taken, the answer comes as
	 * lio_vctrl_ns_created(gen); -errno: none can take it now
	 * (Namespace Not Ready).
	 */
	int (*dp_ns_create)(void *opaque, u32 gen, u32 nsid, u64 nsze,
			    u8 lba_shift);
};

/* Fixed at creation of the mdev. */
struct lio_vctrl_params {
	u16	nr_ioq;		/* I/O queue pairs of the mdev type */
	u16	cntlid;		/* unique among live controllers */
	u8	uuid[16];	/* mdev UUID: seeds SN, NGUID, EUI-64, NQN */
	u16	pci_vendor;
	u16	pci_device;
	u16	pci_subsys_vendor;
	u16	pci_subsys_device;
};

enum lio_irq_mode {
	LIO_IRQ_NONE = 0,
	LIO_IRQ_INTX,
	LIO_IRQ_MSIX,
};

/* ---- State ---- */
struct lio_sq {
	u64	gpa;
	u16	size;		/* entries */
	u16	head;
	u16	tail;
	u16	cqid;
	u8	prio;
	bool	valid;
};

struct lio_cq {
	u64	gpa;
	u16	size;		/* entries */
	u16	head;		/* as last written by the host */
	u16	tail;		/* next slot the controller writes */
	u16	vector;
	u16	nr_sqs;		/* SQs bound to this CQ */
	u8	phase;		/* phase tag of the slot at tail */
	bool	ien;
	bool	valid;
	bool	irq_pending;	/* an interrupt is owed (coalescing, masking) */
};

/*
 * A namespace (NSID = index + 1). size 0: there is none. One that exists
 * and is attached is active: Identify lists it and I/O may address it.
 */
struct lio_ns {
	u64	size;		/* bytes, a multiple of the LBA size */
	u8	lba_shift;	/* 9 or 12; size 0: the one it is created with */
	bool	attached;
	bool	pooled;		/* made by create-ns from the data path's pool */
};

struct lio_features {
	u32	arbitration;
	u32	power_mgmt;
	u16	tmpth_over;	/* composite sensor, Kelvin */
	u16	tmpth_under;
	u32	err_recovery[LIO_NN];	/* per namespace */
	bool	vwc;
	bool	nr_queues_set;
	u16	nsqa;		/* allocated, 0's based */
	u16	ncqa;
	u32	irq_coalesce;
	u64	irq_cd[(LIO_MAX_VECTORS + 63) / 64];	/* Coalescing Disable */
	u32	write_atomic;
	u32	async_event_cfg;
	u64	ts_offset_ms;	/* host timestamp minus now_ms when set */
	bool	ts_set;
	u32	kato;
	bool	acre;		/* Host Behavior Support: retry delays */
};

/*
 * A data path that may be missing (nodp.c). grace_ms is the embedder's
 * setting; a runtime is expected until deadline_ms (set at enable and
 * when a runtime goes away).
 */
struct lio_nodp {
	u32	grace_ms;	/* 0: no wait, I/O fails at once */
	u64	deadline_ms;
	bool	lost;		/* the data path did not answer: CSTS.CFS */
};

/* Where an I/O queue pair is, as a data path leaves it (nodp.c). */
struct lio_ioq_pos {
	bool	sq_valid;
	u16	sq_head;
	u16	sq_tail;
	bool	cq_valid;
	u16	cq_tail;
	u8	cq_phase;
	u16	cq_head;
};

struct lio_aer {
	u16	cid[LIO_AERL + 1];	/* outstanding AERs, oldest first */
	u8	nr;
	u32	pending[LIO_NR_PENDING_EVENTS];	/* DW0s waiting for an AER */
	u8	nr_pending;
	u8	masked;		/* bit per event type: reported, log not read */
};

/*
 * An admin command waiting for the data path's answer (deferred.c): the
 * command waits (cid_valid) unless a reset dropped it; an answer that
 * found the admin CQ full is posted later (posting).
 */
struct lio_deferred {
	bool	cid_valid;
	bool	posting;
	u16	cid;
	u16	status;		/* the answer, while posting */
	u32	dw0;
};

/*
 * Format NVM (format.c): the last one asked of the data path, busy until
 * it answers, and the answer applied whether the command still waits or
 * not.
 */
struct lio_format {
	u32	gen;
	bool	busy;
	u32	nsid;		/* or NVME_NSID_ALL */
	u8	lba_shift;
	u8	ses;
	struct lio_deferred wait;
};

/*
 * Namespace Management's create (ns_mgmt.c): the last one asked of the
 * data path, which makes the namespace's backend from its pool; busy
 * until it answers, as lio_format.
 */
struct lio_nscreate {
	u32	gen;
	bool	busy;
	u32	nsid;
	u64	nsze;		/* blocks */
	u8	lba_shift;
	struct lio_deferred wait;
};

struct lio_err_log {
	struct nvme_error_log_entry e[LIO_NR_ERR_LOG];	/* ring, e[next-1] newest */
	u32	next;
	u64	count;		/* errors ever logged */
};

/* The model's own SMART figures; the data path counts the I/O (dp_smart). */
struct lio_smart {
	u64	busy_minutes;
	u64	power_cycles;
	u64	unsafe_shutdowns;
	u64	media_errors;
	u64	created_ms;		/* now_ms at creation, for power-on hours */
	u32	warning_temp_minutes;
	u32	critical_temp_minutes;
};

struct lio_msix_entry {
	u32	addr_lo;
	u32	addr_hi;
	u32	data;
	u32	ctrl;		/* bit 0: vector masked */
};

struct lio_pci {
	u8	cfg[4096];	/* PCIe extended config space size */
	u8	wmask[256];	/* writable bits, standard header and caps */
	u8	w1c[256];	/* write-one-to-clear bits */
	u32	bar_mask[6];	/* size masks of implemented BARs */
};

struct lio_vctrl {
	const struct lio_vctrl_ops *ops;
	void			*opaque;
	struct lio_vctrl_params	p;
	u16			nr_vectors;	/* MSI-X table size: nr_ioq + 1 */

	char			sn[20];		/* space padded, no NUL */
	char			subnqn[256];	/* NUL terminated */
	u8			nguid[16];
	u8			eui64[8];

	struct lio_pci		pci;
	struct lio_ns		ns[LIO_NN];
	/* Bit nsid - 1: in the Changed Namespace List until the host reads it. */
	u32			ns_changed;

	/* NVMe registers */
	u64			cap;
	u32			vs;
	u32			intms;
	u32			cc;
	u32			csts;
	u32			aqa;
	u64			asq;
	u64			acq;
	bool			shutdown_done;	/* SHN processed since enable */
	/* An admin command is executing: events wait, so that their AER
	 * completions can't take the CQ slot the command's own needs.
	 */
	bool			in_admin;

	struct lio_sq		sq[LIO_MAX_QUEUES];
	struct lio_cq		cq[LIO_MAX_QUEUES];

	/* Doorbell Buffer Config: shadow doorbells and EventIdx, GPAs */
	bool			dbbuf;
	u64			dbbuf_shadow;
	u64			dbbuf_eventidx;

	struct lio_features	feat;
	struct lio_nodp		nodp;
	struct lio_aer		aer;
	struct lio_format	format;
	struct lio_nscreate	nscreate;
	struct lio_err_log	elog;
	struct lio_smart	smart;

	/* Interrupts */
	enum lio_irq_mode	irq_mode;
	bool			intx_level;	/* last level given to intx_set */
	struct lio_msix_entry	msix[LIO_MAX_VECTORS];
	u64			msix_pba[(LIO_MAX_VECTORS + 63) / 64];

	/* Where admin commands build the data they return (identify, log
	 * pages): a page is too big for a kernel stack. u64 so that the
	 * NVMe structures built in it are aligned.
	 */
	u64			scratch[NVME_IDENTIFY_DATA_SIZE / 8];
};

/*
 * One command in flight through the admin (or I/O) path. Handlers return
 * the status and fill dw0 / err_loc; they never print.
 */
struct lio_req {
	struct nvme_sqe	sqe;		/* a private copy: the guest can't change it */
	u16		sqid;
	u32		dw0;		/* completion dword 0 */
	u16		err_loc;	/* NVME_ERR_LOC() of the bad field, or LIO_NO_ERR_LOC */
	u64		err_lba;	/* LBA of the error (I/O commands), or 0 */
	bool		deferred;	/* completion posted later (AER) */
};

#define LIO_NO_ERR_LOC	NVME_ERR_LOC_NONE

/* ===================== API for the embedding code ===================== */

/* Build a controller in its power-on state (CC.EN = 0). */
void lio_vctrl_init(struct lio_vctrl *c, const struct lio_vctrl_params *p,
		    const struct lio_vctrl_ops *ops, void *opaque);

/*
 * Namespace nsid's geometry, only while the device is not open: size 0
 * removes it (not namespace 1, which a vdev always has), keeping its LBA
 * size; one set is attached. 0, -ERANGE past LEAPIO_NS_SIZE_MAX or
 * -EINVAL.
 */
int lio_vctrl_set_ns(struct lio_vctrl *c, u32 nsid, u64 size, u32 lba_size);
/*
 * Namespace nsid grows to size bytes under a live device (its backend
 * grew): 0, -EINVAL for no such namespace or a size that is no multiple
 * of its LBA size, -EBUSY for a smaller one.
 */
int lio_vctrl_grow_ns(struct lio_vctrl *c, u32 nsid, u64 size);
/*
 * The operator's size for namespace nsid, 2..NN (sysfs ns<N>_size), at
 * any time, the device open or not: size 0 removes the namespace, one
 * that does not exist is created (attached) with its LBA size
 * (lio_vctrl_set_ns_lba()), a larger size grows it; the same size does
 * nothing. A change is a namespace attribute change as growth is
 * (lio_vctrl_grow_ns()). 0; -EINVAL for another nsid or a size that is
 * no multiple of the LBA size, -ERANGE past LEAPIO_NS_SIZE_MAX, -EBUSY
 * for a smaller size but 0 or while a Format NVM of the namespace (or of
 * all) is under way, -EPERM for a size but 0 of a namespace create-ns
 * made (its backend is the pool's, of the size it was made with). A
 * refusal changes nothing.
 */
int lio_vctrl_resize_ns(struct lio_vctrl *c, u32 nsid, u64 size);
/*
 * The LBA size namespace nsid, 2..NN, is created with (sysfs
 * ns<N>_lba_size), kept when it is removed: 0; -EINVAL for another nsid
 * or a size but 512 and 4096; -EBUSY while the namespace exists (its
 * LBA size is the guest's, to change with Format NVM). ns[nsid -
 * 1].lba_shift holds it, whether the namespace exists or not.
 */
int lio_vctrl_set_ns_lba(struct lio_vctrl *c, u32 nsid, u32 lba_size);

/* Namespace nsid if it exists, else NULL (any NSID value). */
static inline struct lio_ns *lio_ns_get(struct lio_vctrl *c, u32 nsid)
{
	if (!nsid || nsid > LIO_NN || !c->ns[nsid - 1].size)
		return NULL;
	return &c->ns[nsid - 1];
}

/* ... and only if it is active: attached to this controller. */
static inline struct lio_ns *lio_ns_active(struct lio_vctrl *c, u32 nsid)
{
	struct lio_ns *ns = lio_ns_get(c, nsid);

	return ns && ns->attached ? ns : NULL;
}

/* Blocks of a namespace. */
static inline u64 lio_ns_blocks(const struct lio_ns *ns)
{
	return ns->size >> ns->lba_shift;
}

/*
 * The data path's answer to Format NVM request gen (dp_format): status an
 * NVMe status field (0: formatted). The namespace takes the new LBA size
 * and the data path the new geometry; the command completes with status
 * (Internal Error for one Format NVM cannot have). 0, or -ESTALE for no
 * such request outstanding.
 */
int lio_vctrl_format_done(struct lio_vctrl *c, u32 gen, u16 status);
/*
 * The data path's answer to namespace create request gen (dp_ns_create):
 * status an NVMe status field (0: its backend is made). The namespace is
 * allocated, pooled and not attached, and the command completes with its
 * NSID in dword 0 (or with status; Internal Error for one create cannot
 * have). 0, or -ESTALE for no such request outstanding.
 */
int lio_vctrl_ns_created(struct lio_vctrl *c, u32 gen, u16 status);
/* Config space access; len 1, 2 or 4, naturally aligned. 0 or -EINVAL. */
int lio_vctrl_cfg_read(struct lio_vctrl *c, u32 off, void *buf, u32 len);
int lio_vctrl_cfg_write(struct lio_vctrl *c, u32 off, const void *buf, u32 len);

/*
 * BAR access (bar is LEAPIO_BAR_REGS or LEAPIO_BAR_MSIX); len 4 or 8,
 * naturally aligned; 0 or -EINVAL. Writing a doorbell runs the queue:
 * admin commands execute synchronously inside this call.
 */
int lio_vctrl_bar_read(struct lio_vctrl *c, int bar, u64 off, void *buf, u32 len);
int lio_vctrl_bar_write(struct lio_vctrl *c, int bar, u64 off, const void *buf, u32 len);

/* Interrupt delivery chosen by the VFIO user (SET_IRQS). Enabling MSI-X
 * unmasks every table entry, as a host kernel programming the vectors does.
 */
void lio_vctrl_set_irq_mode(struct lio_vctrl *c, enum lio_irq_mode mode);
/* Current INTx level, for re-triggering after a VFIO unmask. */
bool lio_vctrl_intx_level(struct lio_vctrl *c);

/* Function level reset (VFIO_DEVICE_RESET): controller and config space. */
void lio_vctrl_function_reset(struct lio_vctrl *c);
/* The VFIO user closed the device (VM gone): like losing power. */
void lio_vctrl_power_off(struct lio_vctrl *c);

/*
 * For a data path: raise interrupt vector (MSI-X: a masked vector sets
 * its pending bit; INTx: one assertion), post an Asynchronous Event, or
 * make the controller fatal (CSTS.CFS). Same serialisation as the rest.
 */
void lio_vctrl_raise_irq(struct lio_vctrl *c, u16 vector);
void lio_vctrl_post_aen(struct lio_vctrl *c, u32 dw0);
void lio_vctrl_fatal(struct lio_vctrl *c);
/*
 * For a data path: one failed I/O command into the Error Information log
 * (from dp_errors, or with the same serialisation). count_errors: n
 * errors whose entries newer ones have replaced already; counted only.
 */
void lio_vctrl_log_error(struct lio_vctrl *c, const struct nvme_io_error *e);
void lio_vctrl_count_errors(struct lio_vctrl *c, u64 n);
/*
 * A data path that may be missing (nodp.c, Documentation/design/data-path.rst
 * "When the runtime does not answer"):
 *   set_dp_grace: how long (ms, <= LIO_DP_GRACE_MS_MAX) I/O waits for a
 *     data path after the controller is enabled or a data path went away:
 *     until then I/O the model answers gets Namespace Not Ready without
 *     DNR (with CRD 1 when the host enabled ACRE), then with DNR.
 *     -EINVAL beyond the bound.
 *   dp_wait: the data path went away: the grace period starts now.
 *   dp_waiting: still within it.
 *   dp_lost: the data path did not acknowledge a change in time: CSTS.CFS,
 *     kept through the reset being carried out (if that was the change).
 *   dp_takeback: queue pair qid is the model's again, where pos says.
 *   dp_complete: post a completion for a command the data path had
 *     fetched (0, -ENOSPC when its CQ is full, -EINVAL).
 *   dp_run: run the I/O queues the model holds (after a takeback).
 */
int lio_vctrl_set_dp_grace(struct lio_vctrl *c, u32 ms);
void lio_vctrl_dp_wait(struct lio_vctrl *c);
bool lio_vctrl_dp_waiting(const struct lio_vctrl *c);
void lio_vctrl_dp_lost(struct lio_vctrl *c);
void lio_vctrl_dp_takeback(struct lio_vctrl *c, u16 qid,
			   const struct lio_ioq_pos *pos);
int lio_vctrl_dp_complete(struct lio_vctrl *c, u16 sqid, u16 cid, u16 status,
			  u32 dw0);
void lio_vctrl_dp_run(struct lio_vctrl *c);
/* Vector v is masked, by its table entry or the function mask. */
bool lio_vctrl_vector_masked(const struct lio_vctrl *c, u16 v);
/* Enabled, not failed and not shut down: commands may run. */
bool lio_vctrl_ready(const struct lio_vctrl *c);

/* =================== Internal, between the vctrl/ files =================== */

/* pci_cfg.c */
void lio_pci_init(struct lio_vctrl *c);
bool lio_pci_bus_master(const struct lio_vctrl *c);
bool lio_pci_intx_disabled(const struct lio_vctrl *c);
bool lio_pci_msix_masked(const struct lio_vctrl *c);	/* function mask */

/* regs.c */
/* One 32-bit register of BAR0 (the caller checked the offset). */
u32 lio_regs_read32(struct lio_vctrl *c, u64 off);
void lio_regs_write32(struct lio_vctrl *c, u64 off, u32 val);
/* Tear down every queue and pending AER; registers to their reset values. */
void lio_ctrl_reset(struct lio_vctrl *c);
u32 lio_page_size(const struct lio_vctrl *c);	/* from CC.MPS */

/* dma.c: guest memory, refused while bus mastering is off. 0 or -errno. */
int lio_dma_read(struct lio_vctrl *c, u64 gpa, void *buf, u32 len);
int lio_dma_write(struct lio_vctrl *c, u64 gpa, const void *buf, u32 len);
/* Copy between a buffer and the guest memory described by the command's
 * PRP1/PRP2 for len bytes: returns an NVMe status (PRP errors, Data
 * Transfer Error) and sets req->err_loc on a PRP fault.
 */
u16 lio_prp_to_guest(struct lio_vctrl *c, struct lio_req *req,
		     const void *buf, u32 len);
u16 lio_prp_from_guest(struct lio_vctrl *c, struct lio_req *req,
		       void *buf, u32 len);

/* dp.c: the data path hooks, each a no-op (0, false) when not set. */
int lio_hook_create(struct lio_vctrl *c, u16 qid, bool cq);
void lio_hook_sq_delete(struct lio_vctrl *c, u16 qid);
void lio_hook_cq_deleted(struct lio_vctrl *c, u16 qid);
void lio_hook_reset(struct lio_vctrl *c);
void lio_hook_enabled(struct lio_vctrl *c);
int lio_hook_update(struct lio_vctrl *c, u32 what);
bool lio_hook_doorbell(struct lio_vctrl *c, u32 idx, u32 val);
void lio_hook_smart(struct lio_vctrl *c, u32 nsid, struct lio_dp_smart *s);
int lio_hook_lbas(struct lio_vctrl *c, u32 nsid, u64 slba,
		  struct leapio_lba_range *r, u32 max,
		  struct leapio_lbas_info *info);
bool lio_hook_has_format(const struct lio_vctrl *c);
int lio_hook_format(struct lio_vctrl *c, u32 gen, u32 nsid, u8 lba_shift,
		    u8 ses);
u64 lio_hook_pool_bytes(struct lio_vctrl *c, u32 *nsids);
int lio_hook_ns_create(struct lio_vctrl *c, u32 gen, u32 nsid, u64 nsze,
		       u8 lba_shift);

/* deferred.c: an admin command completed by the data path's answer */
/* The command req waits (req->deferred): it completes at the answer. */
void lio_deferred_wait(struct lio_deferred *d, struct lio_req *req);
/* The answer: posted if the command still waits (and the CQ has room). */
void lio_deferred_answer(struct lio_vctrl *c, struct lio_deferred *d,
			 u16 status, u32 dw0);
/* A reset drops the waiting command; the work still applies. */
void lio_deferred_reset(struct lio_deferred *d);
/* Every deferred command's (Format NVM's, create's): post an answer
 * that found the admin CQ full; a reset.
 */
void lio_deferred_flush_all(struct lio_vctrl *c);
void lio_deferred_reset_all(struct lio_vctrl *c);

/* queue.c */
/* CSTS.CFS: the host must reset; nothing more is fetched or posted. */
void lio_ctrl_fatal(struct lio_vctrl *c);
bool lio_cq_full(struct lio_vctrl *c, u16 cqid);
/* Write one CQE at the CQ's tail; -ENOSPC if full, -EIO on a DMA fault
 * (the controller is then fatal: CSTS.CFS).
 */
int lio_cq_post(struct lio_vctrl *c, u16 cqid, u16 sqid, u16 cid,
		u16 status, u32 dw0);
/* Fetch and execute SQEs from head to tail while the CQ has room. */
void lio_sq_run(struct lio_vctrl *c, u16 sqid);
/* Every SQ bound to this CQ, e.g. after its head moved. */
void lio_cq_run_sqs(struct lio_vctrl *c, u16 cqid);
/* A doorbell write: validates and applies it (AEN on a bad one). */
void lio_doorbell_write(struct lio_vctrl *c, u64 off, u32 val);
void lio_queues_teardown(struct lio_vctrl *c);
/* Admin Create/Delete I/O SQ/CQ. */
u16 lio_admin_create_cq(struct lio_vctrl *c, struct lio_req *req);
u16 lio_admin_create_sq(struct lio_vctrl *c, struct lio_req *req);
u16 lio_admin_delete_cq(struct lio_vctrl *c, struct lio_req *req);
u16 lio_admin_delete_sq(struct lio_vctrl *c, struct lio_req *req);
u16 lio_admin_dbbuf(struct lio_vctrl *c, struct lio_req *req);
bool lio_ioq_exists(const struct lio_vctrl *c);

/* irq.c */
/* Signal MSI-X vector v, or set its pending bit while it is masked. */
void lio_irq_msix_fire(struct lio_vctrl *c, u16 v);
/* The CQ has new entries: raise its vector (or set PBA / INTx level). */
void lio_irq_cq(struct lio_vctrl *c, u16 cqid);
/* Re-evaluate the INTx level (after CQ head moves, INTMS/INTMC, command). */
void lio_irq_update_intx(struct lio_vctrl *c);
/* One 32-bit register of BAR4 (the caller checked the offset). */
u32 lio_msix_read32(struct lio_vctrl *c, u64 off);
void lio_msix_write32(struct lio_vctrl *c, u64 off, u32 val);
void lio_msix_reset(struct lio_vctrl *c);
/* INTx asserted by the controller, before INTMS and INTx Disable. */
bool lio_irq_intx_pending(const struct lio_vctrl *c);
/* MSI-X function mask or enable changed in config space. */
void lio_msix_ctrl_changed(struct lio_vctrl *c);

/* admin.c: parse and execute one admin command (status returned). */
u16 lio_admin_exec(struct lio_vctrl *c, struct lio_req *req);
/* FUSE and PSDT: no fused commands, no SGLs (any queue). */
u16 lio_sqe_check_flags(struct lio_req *req);
/* Commands Supported and Effects of an opcode (0: not supported). */
u32 lio_admin_cmd_effects(const struct lio_vctrl *c, u8 opcode);
/* nodp.c: the status of a valid I/O command no data path serves. */
u16 lio_nodp_status(const struct lio_vctrl *c);
/* CRDT1 of Identify Controller, 100 ms units. */
u16 lio_nodp_crdt(const struct lio_vctrl *c);
/* io.c: one I/O command when no data path serves the queue. */
u16 lio_io_exec(struct lio_vctrl *c, struct lio_req *req);

/* identify.c */
u16 lio_admin_identify(struct lio_vctrl *c, struct lio_req *req);
void lio_identity_init(struct lio_vctrl *c);	/* SN, NQN, NGUID, EUI-64 */

/* features.c */
u16 lio_admin_get_features(struct lio_vctrl *c, struct lio_req *req);
u16 lio_admin_set_features(struct lio_vctrl *c, struct lio_req *req);
void lio_features_reset(struct lio_vctrl *c);

/* log.c */
u16 lio_admin_get_log_page(struct lio_vctrl *c, struct lio_req *req);

/* ns_mgmt.c: Namespace Management and Namespace Attachment */
u16 lio_admin_ns_mgmt(struct lio_vctrl *c, struct lio_req *req);
u16 lio_admin_ns_attach(struct lio_vctrl *c, struct lio_req *req);
/* The capacity create-ns may still allocate (UNVMCAP), bytes. */
u64 lio_ns_unallocated(struct lio_vctrl *c);

/*
 * ctrl.c: namespace nsid was created, grew, went, or was attached or
 * detached: the data path has the table, then the host is told.
 */
void lio_ns_changed(struct lio_vctrl *c, u32 nsid);
/* Is a Format NVM of nsid (or of all) under way? */
bool lio_format_busy_on(const struct lio_vctrl *c, u32 nsid);

/* lba_status.c */
u16 lio_admin_get_lba_status(struct lio_vctrl *c, struct lio_req *req);
u16 lio_admin_format(struct lio_vctrl *c, struct lio_req *req);
/* LBA Status Information log (0Eh) in buf (4 KiB, zeroed): its size. */
u16 lio_log_lba_status(struct lio_vctrl *c, void *buf, u32 *size);
void lio_err_log_add(struct lio_vctrl *c, const struct lio_req *req, u16 status);
/* SMART critical warning bits as they stand now. */
u8 lio_smart_critical_warning(const struct lio_vctrl *c);
/* A 128-bit little-endian field of a log or identify structure. */
void lio_put_le128(u8 dst[16], u64 v);

/* aer.c */
u16 lio_admin_async_event(struct lio_vctrl *c, struct lio_req *req);
/* An event happened: complete an AER now, or keep it until one arrives. */
void lio_aer_event(struct lio_vctrl *c, u32 dw0);
/* The host read a log page with RAE clear: unmask that event type (its
 * waiting events go at the next lio_aer_flush()).
 */
void lio_aer_log_read(struct lio_vctrl *c, u8 lid);
/* Complete pending events for which AERs and CQ room exist. */
void lio_aer_flush(struct lio_vctrl *c);
void lio_aer_reset(struct lio_vctrl *c);

#endif /* LEAPIO_VCTRL_H */
