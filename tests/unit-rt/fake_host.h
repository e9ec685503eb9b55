/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A host driver and a guest in user space, for leapiod's core: a region
 * laid out by the real uapi in malloc'd memory, a guest memory window,
 * the mailbox answered in-process, each request decoded by the module's
 * own leapio_mbox_decode() (MAP translates guest memory outside
 * the holes the test punched, in 2 MiB leaves or 4 KiB ones: map_mode),
 * and a memory backend whose completions are immediate or held until
 * the test releases them. Everything the fake writes into the region as
 * the driver (queues, resets, seq, translations) goes through the
 * module's own region writer (common/leapio/region_writer.c), so the
 * core is tested against the protocol the module speaks. The benchmark
 * (bench/runtime/) drives the core through it too.
 */
#ifndef LEAPIO_FAKE_HOST_H
#define LEAPIO_FAKE_HOST_H

#include "../../runtime/core/vdev.h"
#include "../../common/leapio/mbox_decode.h"
#include "../../common/leapio/region_writer.h"

#define FH_GMEM_SIZE	(16ULL << 20)
#define FH_MAX_HELD	4096
#define FH_MAX_ERRS	256
#define FH_BLOCKS	(FH_GMEM_SIZE >> LEAPIO_L1_SHIFT)	/* 2 MiB each */
#define FH_L2_TABLES	16
/* The "host physical" address of guest page gpa: FH_HPA + gpa. */
#define FH_HPA		0x100000000ULL

/* How MAP translates (the module does either, by how memory is pinned). */
enum fh_map_mode {
	FH_MAP_2M,	/* an L1 leaf for each 2 MiB block touched (default) */
	FH_MAP_4K,	/* L2 leaves for exactly the 4 KiB pages asked for */
	FH_MAP_MIXED,	/* odd blocks as FH_MAP_4K, even ones as FH_MAP_2M */
};

/* A namespace besides 1, with a memory backend of its own (fh_add_ns). */
struct fh_ns {
	struct lio_bdev		bdev;		/* first: the store's key */
	u8			*store;		/* NULL: none added */
	u64			size;
	bool			served;		/* the runtime has the backend */
};

struct fake_host {
	void			*region;
	u64			region_size;
	struct leapio_region_view r;
	u8			*gmem;
	u64			hole_start, hole_len;	/* MAP refuses it */
	enum fh_map_mode	map_mode;
	/* the driver's own state: the region writer's, seq, per block */
	struct leapio_wr	w;
	u32			seq;
	u8			blk[FH_BLOCKS];		/* FH_BLK_* */
	/* what the runtime asked */
	unsigned int		maps, irqs_mbox, aens, fatals, ns_grows;
	u32			last_aen;
	u64			last_ns_size;	/* LEAPIO_MBOX_NS_GROW's, */
	u32			last_ns_grow_nsid;	/* of this namespace */
	/* LEAPIO_MBOX_FORMAT_DONE: how many, the last one's */
	unsigned int		formats_done;
	u32			format_gen;
	u16			format_status;
	/* LEAPIO_MBOX_NS_CREATED: how many, the last one's */
	unsigned int		creates_done;
	u32			create_gen;
	u16			create_status;
	/* LEAPIO_MBOX_ERROR, in the order sent (the first FH_MAX_ERRS) */
	struct nvme_io_error	errs[FH_MAX_ERRS];
	unsigned int		nr_errs;
	unsigned int		bad_errs;	/* refused as the driver would */
	/* requests of any op refused by the driver's decoding */
	unsigned int		bad_reqs;
	int			irqfd[LIO_NR_VEC];
	/* the guest's view of its queues */
	u16			sq_tail[LEAPIO_INFLIGHT_PER_SQ];
	u16			cq_head[LEAPIO_INFLIGHT_PER_SQ];
	u8			cq_phase[LEAPIO_INFLIGHT_PER_SQ];
	/* the backend */
	struct lio_bdev		bdev;
	u8			*store;
	u64			store_size;
	u8			lba_shift;
	bool			hold;		/* keep completions back */
	struct lio_io		*held[FH_MAX_HELD];
	struct lio_bdev		*held_b[FH_MAX_HELD];	/* whose store */
	unsigned int		nr_held;
	struct fh_ns		ns[LIO_MAX_NSID];	/* [nsid - 1], from 2 */
	unsigned int		submitted;
	unsigned int		last_op;
	bool			last_fua;
	bool			null_backend;	/* benchmark: no data moves */
	int			zeroes_res;	/* Write Zeroes' result (0) */
	struct lio_ring		*ring;
	struct lio_poller_stats	stats;
	struct lio_vdev_stats	io_stats;	/* as a poller keeps them */
	struct lio_vdev		v;
};

void fh_init(struct fake_host *h, u16 nr_ioq, u64 nsze, u8 lba_shift);
void fh_fini(struct fake_host *h);
/* (Re)start the runtime side on the same region: a restart. */
void fh_attach(struct fake_host *h);
void fh_detach(struct fake_host *h);
/* Announce the changes made to the region (the writer's seq bump). */
void fh_bump(struct fake_host *h);
/*
 * As the module's data path hooks do, through the region writer, each
 * with a bump; 0 or the writer's -EINVAL (qid outside the layout). The
 * guest's view of a created queue starts afresh (CQ memory zeroed).
 */
int fh_create_cq(struct fake_host *h, u16 qid, u64 gpa, u16 size, u16 vec,
		 bool ien);
int fh_create_sq(struct fake_host *h, u16 qid, u64 gpa, u16 size, u16 cqid);
int fh_delete_sq(struct fake_host *h, u16 qid);
/* Controller reset: state OFF, next generation, no queue, dbbuf off. */
void fh_reset(struct fake_host *h);
/* The geometry into the region as the driver puts it (NSID 1 in the table too). */
void fh_put_geometry(struct fake_host *h, const struct leapio_wr_geometry *g);
/* CSTS.RDY 0 -> 1 after a reset: geometry, features, irq, READY. */
void fh_enable(struct fake_host *h);
/*
 * Format NVM as the module's data path asks for it (gen, lba_shift, ses)
 * and, once answered, applies it (the geometry of lba_shift, gen
 * applied); each with a bump.
 */
void fh_format(struct fake_host *h, u32 gen, u8 lba_shift, u8 ses);
/* The same, of namespace nsid (FFFFFFFFh: each). */
void fh_format_ns(struct fake_host *h, u32 gen, u32 nsid, u8 lba_shift,
		  u8 ses);
/*
 * Namespace nsid (2..16) of nsze blocks, attached, in the driver's table
 * (with a bump); served: the runtime gets a memory backend of nsze blocks
 * for it (as the configuration's namespaces give one), kept across
 * fh_attach(). fh_remove_ns(): gone from the table (with a bump).
 */
void fh_add_ns(struct fake_host *h, u32 nsid, u64 nsze, u8 lba_shift,
	       bool served);
void fh_remove_ns(struct fake_host *h, u32 nsid);
void fh_format_applied(struct fake_host *h, u32 gen, u8 lba_shift);
/* Guest side: put an SQE at the tail and ring; take the next CQE. */
void fh_submit(struct fake_host *h, u16 sqid, const struct nvme_sqe *sqe);
void fh_ring(struct fake_host *h, u16 sqid);	/* publish tail */
void fh_queue(struct fake_host *h, u16 sqid, const struct nvme_sqe *sqe);
bool fh_reap(struct fake_host *h, u16 cqid, struct nvme_cqe *cqe);

/*
 * One command on queue pair qid: submit s with cid, poll (up to 8 rounds),
 * reap. The CQE's status field without its phase bit; 0xfffe if the CQE
 * reaped carries another CID, 0xffff if none came.
 */
u16 fh_run1(struct fake_host *h, u16 qid, struct nvme_sqe *s, u16 cid);
/* Poll the runtime n passes. */
void fh_poll(struct fake_host *h, unsigned int n);
/* Complete held backend requests (all if n == 0). */
void fh_release(struct fake_host *h, unsigned int n);
/* Counts of eventfd signals on a vector (reads and resets it). */
u64 fh_irq_count(struct fake_host *h, u16 vec);
/* The journal entry that holds (or held) command cid of SQ sqid. */
struct leapio_inflight *fh_journal(struct fake_host *h, u16 sqid, u16 cid);
/*
 * The MAP request's answer: translate [gpa, gpa + len) as map_mode says.
 * 0, -EFAULT (outside guest memory, or in the hole) or the writer's
 * -EINVAL.
 */
int fh_map(struct fake_host *h, u64 gpa, u64 len);
/*
 * The VFIO user unmaps [gpa, gpa + len): translations of the 2 MiB
 * blocks it touches go, MAP refuses it, the runtime is told (bump).
 * fh_map_back(): mapped again, which the driver is not told about.
 */
void fh_unmap(struct fake_host *h, u64 gpa, u64 len);
void fh_map_back(struct fake_host *h);
/* The runtime acknowledged the last change. */
bool fh_acked(struct fake_host *h);
void fh_rw_sqe(struct nvme_sqe *s, u8 op, u16 cid, u64 slba, u32 nlb,
	       u64 prp1, u64 prp2);
/* Is every byte of [p, p + len) val (a store erased, a pattern kept)? */
bool fh_all(const u8 *p, u8 val, u64 len);

#endif /* LEAPIO_FAKE_HOST_H */
