/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest NVMe driver over the VFIO client: what Linux's nvme-pci does to
 * the controller, done one step at a time so tests can look between the
 * steps. Queues live in guest memory; doorbells are BAR0 writes; the
 * driver tracks SQ tails, CQ heads and phase tags like a real one.
 *
 * Waiting is bounded: every wait has a deadline and reports -ETIMEDOUT
 * rather than hanging or sleeping a fixed time. Completions are found by
 * polling the CQ's memory; interrupts are the tests' business (evfd.h).
 */
#ifndef LEAPIO_KSFT_NVME_DRIVER_H
#define LEAPIO_KSFT_NVME_DRIVER_H

#include <stdbool.h>
#include <stdint.h>

#include "../../../common/nvme/nvme_spec.h"
#include "../../lib/nvme_build.h"
#include "../../../uapi/linux/leapio.h"
#include "guest_mem.h"
#include "vfio_client.h"

#define NVD_ADMIN_ENTRIES	32
#define NVD_MAX_QID		LEAPIO_MAX_IOQ
/* Completion waits: commands run inside the doorbell write, so a CQE
 * that is coming is there long before this; only a broken device waits.
 */
#define NVD_CQE_TIMEOUT_MS	2000
/* CQEs reaped while looking for another command's (e.g. an AER's that
 * completed first), kept for whoever waits for them.
 */
#define NVD_STASH		16

struct nvd_queue {
	uint16_t	qid;
	uint16_t	entries;
	bool		sq_live;
	bool		cq_live;
	/* submission side */
	struct nvme_sqe	*sq;
	uint64_t	sq_iova;
	uint16_t	sq_tail;
	uint16_t	sq_head;	/* as last reported in a CQE */
	uint16_t	cqid;		/* CQ this SQ completes to */
	uint16_t	next_cid;
	/* completion side */
	struct nvme_cqe	*cq;
	uint64_t	cq_iova;
	uint16_t	cq_entries;
	uint16_t	cq_head;
	uint8_t		phase;		/* phase tag expected at cq_head */
	uint16_t	vector;
};

struct nvd {
	struct vfio_dev	*dev;
	struct gmem	*mem;
	uint64_t	cap;
	uint32_t	db_stride;	/* bytes, from CAP.DSTRD */
	uint32_t	timeout_ms;	/* CAP.TO */
	struct nvd_queue q[NVD_MAX_QID + 1];	/* q[0]: admin */
	struct nvme_cqe	stash[NVD_STASH];
	unsigned int	nr_stash;
};

/* PCI command: memory space and bus mastering on, as pci_enable_device_mem
 * and pci_set_master do; reads CAP. 0 or -errno.
 */
int nvd_init(struct nvd *n, struct vfio_dev *dev, struct gmem *mem);

/* BAR0 register access. */
int nvd_rd32(struct nvd *n, uint32_t off, uint32_t *val);
int nvd_wr32(struct nvd *n, uint32_t off, uint32_t val);
int nvd_rd64(struct nvd *n, uint32_t off, uint64_t *val);
int nvd_wr64(struct nvd *n, uint32_t off, uint64_t val);

/* Wait until (CSTS & mask) == val, up to timeout_ms: 0, -ETIMEDOUT, -errno. */
int nvd_wait_csts(struct nvd *n, uint32_t mask, uint32_t val, uint32_t timeout_ms);

/* CC value nvme-pci writes: NVM command set, 4 KiB pages, 64/16-byte
 * entries, round robin, EN.
 */
uint32_t nvd_cc_default(void);

/*
 * Disable if enabled, set up a fresh admin queue pair of `entries` (both
 * queues), write AQA/ASQ/ACQ, then CC = cc and wait for RDY (or CFS).
 * 0, -ETIMEDOUT (RDY never came), -EIO (CSTS.CFS), -ENOMEM, -errno.
 */
int nvd_enable_cc(struct nvd *n, uint16_t entries, uint32_t cc);
int nvd_enable(struct nvd *n);
/* CC.EN = 0 and wait for RDY = 0; forgets every queue. */
int nvd_disable(struct nvd *n);
/* Forget every queue without touching the device (after a reset). */
void nvd_forget_queues(struct nvd *n);

/* ---- Commands (built with tests/lib/nvme_build.h's nb_*()) ---- */

/*
 * Place sqe (its CID assigned here and returned) at the SQ tail of qid and
 * ring the tail doorbell. -EBUSY when the SQ is full by our count.
 */
int nvd_submit(struct nvd *n, uint16_t qid, struct nvme_sqe *sqe);
/* Write the SQE without ringing; nvd_ring_sq rings for all written. */
int nvd_queue_sqe(struct nvd *n, uint16_t qid, struct nvme_sqe *sqe);
int nvd_ring_sq(struct nvd *n, uint16_t qid);

/* Is a new CQE at the head of CQ cqid (phase tag matches)? */
bool nvd_cqe_ready(struct nvd *n, uint16_t cqid);
/*
 * Take the CQE at the head of CQ cqid within timeout_ms (0: only if it is
 * there now) into *cqe, advance head and phase. The head doorbell is not
 * written: call nvd_ring_cq. 0, -ETIMEDOUT.
 */
int nvd_reap(struct nvd *n, uint16_t cqid, struct nvme_cqe *cqe, int timeout_ms);
int nvd_ring_cq(struct nvd *n, uint16_t cqid);

/*
 * Wait up to timeout_ms for the completion of command cid of SQ sqid:
 * from the stash, or reaped from that SQ's CQ (other CQEs met on the way
 * are stashed; the CQ head doorbell is written for them). 0, -ETIMEDOUT,
 * -ENOSPC (stash full), -errno.
 */
int nvd_wait_cid(struct nvd *n, uint16_t sqid, uint16_t cid,
		 struct nvme_cqe *cqe, int timeout_ms);
/* Take a stashed CQE of sqid (any CID): 0 or -ENOENT. */
int nvd_take_stashed(struct nvd *n, uint16_t sqid, struct nvme_cqe *cqe);
/* The stashed completion of command cid on sqid, if any: 0 or -ENOENT. */
int nvd_take_stashed_cid(struct nvd *n, uint16_t sqid, uint16_t cid,
			 struct nvme_cqe *cqe);
/*
 * A CQE reaped while waiting for command cid of sqid: 0 when it is that
 * one; else stashed for a later wait (-EAGAIN), or -ENOSPC (stash full).
 */
int nvd_match_or_stash(struct nvd *n, uint16_t sqid, uint16_t cid,
		       const struct nvme_cqe *cqe);

/* Submit one command to SQ qid and wait for its completion. */
int nvd_cmd(struct nvd *n, uint16_t qid, struct nvme_sqe *sqe,
	    struct nvme_cqe *cqe);
/* nvd_cmd on the admin queue. */
int nvd_admin(struct nvd *n, struct nvme_sqe *sqe, struct nvme_cqe *cqe);

/* Status field of a CQE (phase tag dropped): compare with NVME_SC_*. */
uint16_t nvd_status(const struct nvme_cqe *cqe);
/* The same without DNR/More/CRD: SCT and SC only. */
uint16_t nvd_status_code(const struct nvme_cqe *cqe);
uint8_t nvd_phase(const struct nvme_cqe *cqe);

/* ---- I/O queues ---- */
/*
 * Create I/O CQ qid of entries at a fresh page-aligned buffer, interrupts
 * on vector when ien. Returns the NVMe status in *status (the driver only
 * tracks the queue on success); 0 or -errno for transport failures.
 */
int nvd_create_cq(struct nvd *n, uint16_t qid, uint16_t entries,
		  uint16_t vector, bool ien, uint16_t *status);
int nvd_create_sq(struct nvd *n, uint16_t qid, uint16_t entries,
		  uint16_t cqid, uint16_t *status);
int nvd_delete_sq(struct nvd *n, uint16_t qid, uint16_t *status);
int nvd_delete_cq(struct nvd *n, uint16_t qid, uint16_t *status);
/* Raw create with every field chosen by the caller (error tests). */
int nvd_create_cq_raw(struct nvd *n, uint16_t qid, uint16_t qsize0,
		      uint64_t iova, uint16_t flags, uint16_t vector,
		      uint16_t *status);
int nvd_create_sq_raw(struct nvd *n, uint16_t qid, uint16_t qsize0,
		      uint64_t iova, uint16_t flags, uint16_t cqid,
		      uint16_t *status);
/* CQ then SQ of qid, both of entries, CQ interrupts on vector. */
int nvd_create_io_pair(struct nvd *n, uint16_t qid, uint16_t entries,
		       uint16_t vector);

#endif /* LEAPIO_KSFT_NVME_DRIVER_H */
