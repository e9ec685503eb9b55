/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NVM I/O commands on the guest driver's I/O queues, for the data path
 * tests: Read/Write/Compare/Write Zeroes/Flush/DSM builders, PRP lists in
 * guest memory, and the three ways a guest rings a doorbell:
 *   NIO_DB_TRAP   a write through the VFIO device file (the access traps
 *                 into the host driver, which wakes the runtime);
 *   NIO_DB_MMAP   a store to BAR0's doorbell pages mmapped from the
 *                 sparse-mmap area (no trap: the runtime polls them);
 * and, on top of either, shadow doorbells with EventIdx (Doorbell Buffer
 * Config), ringing only when the controller's EventIdx asks, as Linux's
 * nvme-pci does.
 *
 * With a runtime, completions come in any order and later than the
 * doorbell write: every wait here is bounded by NIO_TIMEOUT_MS.
 */
#ifndef LEAPIO_KSFT_NVME_IO_H
#define LEAPIO_KSFT_NVME_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lio_dev.h"

/* A completion that must come: leapiod polls, but TCG inside a busy
 * 2-vCPU VM can stall it for seconds. The wait ends when it comes.
 */
#define NIO_TIMEOUT_MS		10000
#define NIO_NSID		1

enum nio_db_mode {
	NIO_DB_TRAP,
	NIO_DB_MMAP,
};

struct nio {
	struct lio	*l;
	struct nvd	*n;
	/* namespace 1 and the controller's limits, from Identify */
	uint64_t	nsze;		/* LBAs */
	unsigned int	lba_shift;
	uint32_t	mdts_bytes;	/* 0: no limit */
	uint8_t		dlfeat;
	uint32_t	copy_mcl;	/* Copy's limits, blocks: MCL */
	uint16_t	copy_mssrl;	/* ... MSSRL */
	uint8_t		vwc;
	/* doorbells */
	enum nio_db_mode db_mode;
	uint8_t		*db_map;	/* BAR0 [db_map_off, + db_map_len) */
	uint64_t	db_map_off;
	size_t		db_map_len;
	uint32_t	*shadow;	/* Doorbell Buffer Config, or NULL */
	uint32_t	*eventidx;
};

/* Identify the controller and namespace 1. 0 or -errno (-EPROTO: an
 * Identify failed).
 */
int nio_init(struct nio *io, struct lio *l);
void nio_fini(struct nio *io);

/*
 * mmap the sparse-mmap areas of BAR0 that cover I/O doorbells and ring
 * through them from now on (db_mode = NIO_DB_MMAP). -EOPNOTSUPP when BAR0
 * offers no mmap of them.
 */
int nio_map_doorbells(struct nio *io);
/* Where BAR0 offset off is mapped, or NULL. */
volatile uint32_t *nio_db_ptr(struct nio *io, uint32_t off);
/* Shadow doorbells + EventIdx at fresh guest pages (Doorbell Buffer
 * Config); the admin command's status in *status.
 */
int nio_dbbuf_on(struct nio *io, uint16_t *status);

/* Write a doorbell register the current way (trap or mmap). */
int nio_write_db(struct nio *io, uint32_t off, uint32_t val);
/* Publish the driver's SQ tail / CQ head (through the shadow buffer and
 * EventIdx when on).
 */
int nio_ring_sq(struct nio *io, uint16_t qid);
int nio_ring_cq(struct nio *io, uint16_t cqid);

/* Queue sqe on SQ qid (CID assigned and returned) and ring. */
int nio_submit(struct nio *io, uint16_t qid, struct nvme_sqe *sqe);
/* The next CQE of cqid within timeout_ms, head doorbell rung. */
int nio_reap(struct nio *io, uint16_t cqid, struct nvme_cqe *cqe, int timeout_ms);
/* The CQE of (sqid, cid); others met on the way are stashed. */
int nio_wait(struct nio *io, uint16_t sqid, uint16_t cid, struct nvme_cqe *cqe,
	     int timeout_ms);
int nio_cmd(struct nio *io, uint16_t qid, struct nvme_sqe *sqe,
	    struct nvme_cqe *cqe);

/* ---- commands (built with tests/lib/nvme_build.h's nb_*()) ---- */

/*
 * PRP1/PRP2 for len bytes of guest memory at iova (any dword-aligned
 * start): PRP2 is the second page, or a list (chained when it needs more
 * than a page) that nb_prp_contig() writes into guest memory allocated
 * here. 0, -ENOMEM, or nb_prp_contig()'s -EINVAL.
 */
int nio_prp(struct nio *io, uint64_t iova, size_t len, uint64_t *prp1,
	    uint64_t *prp2);
/*
 * One Read/Write/Compare of nlb blocks at slba over the guest buffer at
 * iova, cdw12 flags (e.g. NVME_RW_FUA) or'ed in; wait for it. 0 with the
 * CQE in *cqe, or -errno.
 */
int nio_rw(struct nio *io, uint16_t qid, uint8_t opcode, uint64_t slba,
	   uint32_t nlb, uint64_t iova, uint32_t flags, struct nvme_cqe *cqe);

/* Bytes of nlb blocks. */
static inline size_t nio_bytes(const struct nio *io, uint32_t nlb)
{
	return (size_t)nlb << io->lba_shift;
}

/* A pattern that differs per seed and per 4-byte word. */
void nio_fill(void *p, size_t len, uint32_t seed);
/* Offset of the first byte that differs from nio_fill(seed), or len. */
size_t nio_check(const void *p, size_t len, uint32_t seed);
/* Offset of the first byte that is not c, or len. */
size_t nio_check_byte(const void *p, size_t len, uint8_t c);

/* SMART Health log (Get Log Page 02h) of nsid (FFFFFFFFh: all) into page. */
int nio_smart(struct nio *io, uint32_t nsid, void *page, uint64_t page_iova,
	      uint16_t *status);
/* The low 64 bits of a 128-bit little-endian SMART counter. */
uint64_t nio_u128_lo(const uint8_t c[16]);

#endif /* LEAPIO_KSFT_NVME_IO_H */
