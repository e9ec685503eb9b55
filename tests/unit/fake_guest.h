/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest for unit tests of the controller model: guest memory as an
 * array at a fixed guest-physical base, interrupts recorded, a clock the
 * test moves. fg_* helpers drive the controller as a guest driver would.
 */
#ifndef LEAPIO_FAKE_GUEST_H
#define LEAPIO_FAKE_GUEST_H

#include "../../kernel/host/vctrl/vctrl.h"
/* SQEs are built with the test drivers' shared nb_*() builders. */
#include "../lib/nvme_build.h"

#define FG_MEM_BASE	0x100000ULL		/* GPA of mem[0] */
#define FG_MEM_SIZE	(8U << 20)
#define FG_ASQ		(FG_MEM_BASE + 0x000000)	/* admin SQ, 64 entries */
#define FG_ACQ		(FG_MEM_BASE + 0x001000)	/* admin CQ, 64 entries */
#define FG_DATA		(FG_MEM_BASE + 0x010000)	/* 64 KiB data buffers */
#define FG_FREE		(FG_MEM_BASE + 0x100000)	/* free for the test */
#define FG_HELPER_BUF	(FG_MEM_BASE + FG_MEM_SIZE - 0x1000)	/* fg_* helpers' data */
#define FG_ADMIN_QSIZE	64

/* The data path hooks as a test sees them: every call recorded. */
enum fg_dp_call {
	FG_DP_CREATE_CQ = 1,
	FG_DP_CREATE_SQ,
	FG_DP_SQ_DELETE,
	FG_DP_CQ_DELETED,
	FG_DP_RESET,
	FG_DP_ENABLED,
	FG_DP_UPDATE,
	FG_DP_DOORBELL,
	FG_DP_SMART,
	FG_DP_LBAS,
	FG_DP_FORMAT,		/* arg: gen, val: lba_shift | ses << 8 */
	FG_DP_NS_CREATE,	/* arg: gen, val: nsid | lba_shift << 8 */
};

struct fg_dp_rec {
	enum fg_dp_call	call;
	u32		arg;		/* qid, LIO_DP_*, doorbell index, NSID */
	u32		val;		/* doorbell value */
	u16		ioq_valid;	/* I/O SQs + CQs valid in the model then */
	u32		csts;		/* CSTS then */
};

#define FG_DP_RECS	256

struct fg_dp {
	struct fg_dp_rec rec[FG_DP_RECS];	/* the first FG_DP_RECS calls */
	unsigned int	n;			/* calls, all of them */
	bool		serve;			/* dp_doorbell's answer */
	int		refuse_create;		/* dp_create's answer */
	int		refuse_dbbuf;		/* dp_update(LIO_DP_DBBUF)'s */
	struct lio_dp_smart smart;		/* what dp_smart adds: FFFFFFFFh */
	struct lio_dp_smart smart_ns[LIO_NN];	/* and of NSID n: [n - 1] */
	/* dp_lbas reads this with leapio_lbas_read() (NULL: -EAGAIN),
	 * after calling lbas_before (if set) with the call's number.
	 */
	struct leapio_lbas *lbas;
	void		(*lbas_before)(struct fg_dp *dp, unsigned int call);
	unsigned int	lbas_calls;
	int		refuse_format;		/* dp_format's answer */
	u32		format_nsid;		/* ... and the NSID it was given */
	u64		pool_bytes;		/* dp_pool_bytes's answer */
	u32		pool_nsids;		/* ... and its NSIDs */
	int		refuse_ns_create;	/* dp_ns_create's answer */
	u64		create_nsze;		/* ... and the blocks it was given */
};

struct fake_guest {
	struct lio_vctrl	*c;
	struct fg_dp		*dp;	/* fg_dp_attach()'ed, or NULL */
	u8			*mem;
	u64			now_ms;
	u64			wall_ms;
	unsigned int		msix_count[LIO_MAX_VECTORS];
	unsigned int		intx_raises;	/* 0 -> 1 transitions */
	bool			intx_level;
	unsigned int		dma_faults;	/* accesses outside mem */
	/* admin queue state as the guest driver keeps it */
	u16			asq_tail;
	u16			acq_head;
	u8			acq_phase;
	u16			next_cid;
	unsigned int		intx_calls;	/* every intx_set call */
};

/* New controller of nr_ioq queue pairs with bus mastering on. */
struct fake_guest *fg_new(u16 nr_ioq);
void fg_free(struct fake_guest *g);

void *fg_ptr(struct fake_guest *g, u64 gpa);	/* NULL if outside */

/* Give the controller data path hooks that record into dp (zeroed). */
void fg_dp_attach(struct fake_guest *g, struct fg_dp *dp);
/* How many recorded calls are `call`; the index of the first at or after
 * `from` (or -1).
 */
unsigned int fg_dp_count(const struct fg_dp *dp, enum fg_dp_call call);
int fg_dp_find(const struct fg_dp *dp, unsigned int from,
	       enum fg_dp_call call);

u32 fg_read32(struct fake_guest *g, u64 off);	/* BAR0 */
u64 fg_read64(struct fake_guest *g, u64 off);
void fg_write32(struct fake_guest *g, u64 off, u32 val);
void fg_write64(struct fake_guest *g, u64 off, u64 val);
u32 fg_cfg_read(struct fake_guest *g, u32 off, u32 len);
void fg_cfg_write(struct fake_guest *g, u32 off, u32 val, u32 len);

/* AQA/ASQ/ACQ as above, CC with 4 KiB pages, 64/16-byte entries, EN=1;
 * returns CSTS after.
 */
u32 fg_enable(struct fake_guest *g);
/* CC.EN = 0; returns CSTS after. */
u32 fg_disable(struct fake_guest *g);

/*
 * Submit one admin command (cid filled in), ring the doorbell, and reap
 * its completion into *cqe. Returns 0, or -1 if no completion was posted.
 */
int fg_admin(struct fake_guest *g, struct nvme_sqe *sqe, struct nvme_cqe *cqe);
/* fg_admin() of sqe: the completion's status, or 0xffff if none came. */
u16 fg_admin_status(struct fake_guest *g, struct nvme_sqe *sqe);
/* Reap one more admin completion if present (e.g. a deferred AER). */
int fg_admin_reap(struct fake_guest *g, struct nvme_cqe *cqe);
/*
 * The completion of deferred command cid, reaped: its status and (dw0
 * not NULL) dword 0; 0xffff if none is there, 0xfffe if another came.
 */
u16 fg_admin_reaped(struct fake_guest *g, u16 cid, u32 *dw0);
/* Submit one admin command (cid filled in) and ring the doorbell, reaping
 * nothing: its completion, if any, stays in the CQ.
 */
void fg_admin_submit(struct fake_guest *g, struct nvme_sqe *sqe);
/*
 * The newest Error Information log entry, read through Get Log Page with
 * RAE set so that event masking is left alone. 0, or -1 if the command
 * failed or did not complete.
 */
int fg_err_log_newest(struct fake_guest *g, struct nvme_error_log_entry *e);
/* A failed admin command's status: its code and Do Not Retry (admin.c). */
#define FG_ADMIN_ERR(sc)	((u16)((sc) | NVME_STATUS_DNR))

/* Status field of a CQE without the phase bit (compare with NVME_SC_*). */
u16 fg_status(const struct nvme_cqe *cqe);

/*
 * Guest memory from FG_DATA to FG_HELPER_BUF (all but the admin queues
 * and the helpers' page), saved to check that a failed command wrote none
 * of it. Free with free().
 */
u8 *fg_mem_save(struct fake_guest *g);
bool fg_mem_unchanged(struct fake_guest *g, const u8 *saved);
/* Whether len bytes at p all hold val. */
bool fg_filled(const void *p, u8 val, size_t len);

/* Create CQ/SQ of qsize entries at gpa; returns status. */
u16 fg_create_cq(struct fake_guest *g, u16 qid, u16 qsize, u64 gpa, u16 iv, bool ien);
u16 fg_create_sq(struct fake_guest *g, u16 qid, u16 qsize, u64 gpa, u16 cqid);

/* BAR4: the MSI-X table and PBA. */
u32 fg_msix_read32(struct fake_guest *g, u64 off);
void fg_msix_write32(struct fake_guest *g, u64 off, u32 val);
/* Delete I/O SQ / CQ qid; returns status. */
u16 fg_delete_sq(struct fake_guest *g, u16 qid);
u16 fg_delete_cq(struct fake_guest *g, u16 qid);

/* An I/O queue pair as the guest driver keeps it. */
struct fg_ioq {
	u16	qid;
	u16	size;		/* entries, both queues */
	u64	sq;		/* GPAs */
	u64	cq;
	u16	sq_tail;
	u16	cq_head;
	u8	cq_phase;
	u16	next_cid;
};

/* Create CQ qid (vector iv, interrupts on) then SQ qid on it, size entries
 * each; returns the first failing status, or 0.
 */
u16 fg_ioq_create(struct fake_guest *g, struct fg_ioq *q, u16 qid, u16 size,
		  u64 sq, u64 cq, u16 iv);
/* Write one SQE (cid filled in) at the SQ tail; no doorbell. */
void fg_ioq_put(struct fake_guest *g, struct fg_ioq *q, struct nvme_sqe *sqe);
/* Ring the SQ tail doorbell with the tail as it stands. */
void fg_ioq_ring(struct fake_guest *g, struct fg_ioq *q);
/* Take the CQE at the head if its phase says it is new; no doorbell.
 * 0, or -1 if there is none.
 */
int fg_ioq_take(struct fake_guest *g, struct fg_ioq *q, struct nvme_cqe *cqe);
/* Ring the CQ head doorbell with the head as it stands. */
void fg_ioq_ack(struct fake_guest *g, struct fg_ioq *q);

#endif /* LEAPIO_FAKE_GUEST_H */
