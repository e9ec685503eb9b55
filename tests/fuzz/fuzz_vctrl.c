// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: everything a guest can do to the controller model.
 *
 * The input is a program of guest actions: submit admin commands, write
 * registers, doorbells, config space and the MSI-X table, scribble over
 * guest memory that commands point into, and reset. The fake guest faults
 * (rather than corrupts) any DMA outside its memory, and ASan/UBSan catch
 * the model reading or writing outside its own state.
 */
#include <stdlib.h>

#include "../unit/fake_guest.h"
#include "fuzz_input.h"


/* Keep fuzzed addresses mostly inside guest memory so commands get deep. */
static u64 steer_gpa(u64 raw)
{
	if (raw & 1)
		return raw;	/* sometimes anywhere at all */
	return FG_MEM_BASE + (raw >> 1) % FG_MEM_SIZE;
}

enum action {
	ACT_ADMIN,	/* 64-byte SQE submitted on the admin queue */
	ACT_REG32,	/* BAR0 32-bit write */
	ACT_REG64,
	ACT_CFG,	/* config space write */
	ACT_MSIX,	/* BAR4 write */
	ACT_MEM,	/* 64 bytes of guest memory */
	ACT_IOQ,	/* create an I/O queue pair and ring it */
	ACT_FLR,
	ACT_IRQ_MODE,
	ACT_READS,	/* read back registers and config */
	ACT_DP,		/* the data path: answers, and its requests */
	ACT_MAX
};

static void do_admin(struct fake_guest *g, struct prog *pr)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	if (!take(pr, &sqe, sizeof(sqe)))
		return;
	sqe.prp1 = cpu_to_le64(steer_gpa(le64_to_cpu(sqe.prp1)));
	sqe.prp2 = cpu_to_le64(steer_gpa(le64_to_cpu(sqe.prp2)));
	fg_admin(g, &sqe, &cqe);
	while (!fg_admin_reap(g, &cqe))
		;
}

static void do_ioq(struct fake_guest *g, struct prog *pr)
{
	struct { u8 qid; u8 size; u8 tail; u8 iv; } a;
	u64 q = FG_FREE + 0x10000;

	if (!take(pr, &a, sizeof(a)))
		return;
	fg_create_cq(g, a.qid % 8, a.size % 70, q, a.iv % 20, a.iv & 1);
	fg_create_sq(g, a.qid % 8, a.size % 70, q + 0x10000, a.qid % 8);
	fg_write32(g, LEAPIO_SQ_DB(a.qid % 8), a.tail);
	fg_write32(g, LEAPIO_CQ_DB(a.qid % 8), a.tail / 2);
}

/*
 * What the runtime wrote in the region's lbas part, which the model's
 * Get LBA Status and log 0Eh read: any extent, count, gen and seq (a
 * runtime is no more trusted than a guest). The first LBAS_FUZZ extents.
 */
#define LBAS_FUZZ	64
static struct leapio_lbas fuzz_lbas;

static void do_lbas(struct fake_guest *g, struct prog *pr, const u16 *idx)
{
	struct { u64 slba, nlb; u32 nsid, count, gen, seq; } e;

	if (!take(pr, &e, sizeof(e)))
		return;
	fuzz_lbas.ext[*idx % LBAS_FUZZ].slba = e.slba;
	fuzz_lbas.ext[*idx % LBAS_FUZZ].nlb = e.nlb;
	fuzz_lbas.ext[*idx % LBAS_FUZZ].nsid = e.nsid % 4;
	/* Mostly within what was written, sometimes past the part. */
	fuzz_lbas.count = e.count & 0x80000000 ? e.count : e.count % (LBAS_FUZZ + 1);
	fuzz_lbas.gen = e.gen;
	fuzz_lbas.seq = e.seq;
	g->dp->lbas = &fuzz_lbas;
}

/*
 * The fake data path's answers change (serve the queues or not, refuse
 * creates or Doorbell Buffer Config, a pool), and it asks for interrupts,
 * events and failure, and answers Format NVM and namespace create, as the
 * mailbox lets a runtime do.
 */
static void do_dp(struct fake_guest *g, struct prog *pr)
{
	struct { u8 what; u8 flags; u16 vector; u32 dw0; } a;

	if (!take(pr, &a, sizeof(a)))
		return;
	g->dp->serve = a.flags & 1;
	g->dp->refuse_create = a.flags & 2 ? -EFAULT : 0;
	g->dp->refuse_dbbuf = a.flags & 4 ? -ENOSPC : 0;
	g->dp->refuse_format = a.flags & 8 ? -ENOLINK : 0;
	g->dp->refuse_ns_create = a.flags & 16 ? -ENOLINK : 0;
	/* A pool of any size and NSIDs (create-ns from it). */
	if (a.flags & 32) {
		g->dp->pool_bytes = (u64)a.dw0 << 12;
		g->dp->pool_nsids = (u32)a.vector << 1;
	}
	g->dp->smart.bytes_read += a.dw0;
	switch (a.what % 7) {
	case 0:
		lio_vctrl_raise_irq(g->c, a.vector);
		break;
	case 1:
		lio_vctrl_post_aen(g->c, a.dw0);
		break;
	case 2:
		lio_vctrl_fatal(g->c);
		break;
	case 3:
		do_lbas(g, pr, &a.vector);
		break;
	case 4:
		/* An answer to Format NVM: right or stale, any status. */
		lio_vctrl_format_done(g->c, g->c->format.gen - (a.flags >> 7),
				      a.vector);
		break;
	case 5:
		/* An answer to a namespace create: right or stale, any status. */
		lio_vctrl_ns_created(g->c, g->c->nscreate.gen - (a.flags >> 7),
				     a.vector);
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct prog pr = { data, size };
	struct fake_guest *g;
	struct fg_dp dp;
	u8 nr_ioq, act;
	u32 v32, off;
	u64 v64;
	u8 buf[64];

	if (!take(&pr, &nr_ioq, 1))
		return 0;
	g = fg_new(1 + nr_ioq % 16);
	/* Half the inputs run with data path hooks that record calls. */
	if (nr_ioq & 0x80)
		fg_dp_attach(g, &dp);
	memset(&fuzz_lbas, 0, offsetof(struct leapio_lbas, ext[LBAS_FUZZ]));
	fg_enable(g);

	while (take(&pr, &act, 1)) {
		switch (act % ACT_MAX) {
		case ACT_ADMIN:
			do_admin(g, &pr);
			break;
		case ACT_REG32:
			if (take(&pr, &off, 4) && take(&pr, &v32, 4))
				fg_write32(g, off % 0x40000, v32);
			break;
		case ACT_REG64:
			if (take(&pr, &off, 4) && take(&pr, &v64, 8))
				fg_write64(g, off % 0x1000, steer_gpa(v64));
			break;
		case ACT_CFG:
			if (take(&pr, &off, 4) && take(&pr, &v32, 4))
				fg_cfg_write(g, off % 4096, v32, 1U << (off >> 30));
			break;
		case ACT_MSIX:
			if (take(&pr, &off, 4) && take(&pr, &v32, 4))
				lio_vctrl_bar_write(g->c, LEAPIO_BAR_MSIX,
						    off % 0x1000, &v32, 4);
			break;
		case ACT_MEM:
			if (take(&pr, &off, 4) && take(&pr, buf, sizeof(buf)))
				memcpy(fg_ptr(g, FG_MEM_BASE +
					      off % (FG_MEM_SIZE - sizeof(buf))),
				       buf, sizeof(buf));
			break;
		case ACT_IOQ:
			do_ioq(g, &pr);
			break;
		case ACT_FLR:
			lio_vctrl_function_reset(g->c);
			fg_cfg_write(g, 0x04, 0x0006, 2);
			fg_enable(g);
			break;
		case ACT_IRQ_MODE:
			if (take(&pr, &act, 1))
				lio_vctrl_set_irq_mode(g->c, act % 3);
			break;
		case ACT_DP:
			if (g->dp)
				do_dp(g, &pr);
			break;
		case ACT_READS:
			for (off = 0; off < 0x40; off += 4)
				fg_read32(g, off);
			for (off = 0; off < 0x100; off += 4)
				fg_cfg_read(g, off, 4);
			break;
		}
	}
	lio_vctrl_power_off(g->c);
	fg_free(g);
	return 0;
}
