// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>

#include "fake_guest.h"

static int fg_dma_read(void *opaque, u64 gpa, void *buf, u32 len)
{
	struct fake_guest *g = opaque;

	if (gpa < FG_MEM_BASE || gpa + len > FG_MEM_BASE + FG_MEM_SIZE ||
	    gpa + len < gpa) {
		g->dma_faults++;
		return -EFAULT;
	}
	memcpy(buf, g->mem + (gpa - FG_MEM_BASE), len);
	return 0;
}

static int fg_dma_write(void *opaque, u64 gpa, const void *buf, u32 len)
{
	struct fake_guest *g = opaque;

	if (gpa < FG_MEM_BASE || gpa + len > FG_MEM_BASE + FG_MEM_SIZE ||
	    gpa + len < gpa) {
		g->dma_faults++;
		return -EFAULT;
	}
	memcpy(g->mem + (gpa - FG_MEM_BASE), buf, len);
	return 0;
}

static void fg_msix_signal(void *opaque, u16 vector)
{
	struct fake_guest *g = opaque;

	if (vector < LIO_MAX_VECTORS)
		g->msix_count[vector]++;
}

static void fg_intx_set(void *opaque, bool level)
{
	struct fake_guest *g = opaque;

	g->intx_calls++;
	if (level && !g->intx_level)
		g->intx_raises++;
	g->intx_level = level;
}

static u64 fg_now_ms(void *opaque)
{
	return ((struct fake_guest *)opaque)->now_ms;
}

static u64 fg_wall_ms(void *opaque)
{
	return ((struct fake_guest *)opaque)->wall_ms;
}

static const struct lio_vctrl_ops fg_ops = {
	.dma_read = fg_dma_read,
	.dma_write = fg_dma_write,
	.msix_signal = fg_msix_signal,
	.intx_set = fg_intx_set,
	.now_ms = fg_now_ms,
	.wall_ms = fg_wall_ms,
};

/* ---- A data path that records what the model tells it ---- */

static u16 fg_ioq_valid(const struct lio_vctrl *c)
{
	u16 q, n = 0;

	for (q = 1; q <= c->p.nr_ioq; q++)
		n += c->sq[q].valid + c->cq[q].valid;
	return n;
}

static void fg_dp_rec(struct fake_guest *g, enum fg_dp_call call, u32 arg,
		      u32 val)
{
	struct fg_dp *dp = g->dp;
	struct fg_dp_rec *r;

	if (dp->n < FG_DP_RECS) {
		r = &dp->rec[dp->n];
		r->call = call;
		r->arg = arg;
		r->val = val;
		r->ioq_valid = fg_ioq_valid(g->c);
		r->csts = g->c->csts;
	}
	dp->n++;
}

static int fg_dp_create(void *opaque, u16 qid, bool cq)
{
	struct fake_guest *g = opaque;

	fg_dp_rec(g, cq ? FG_DP_CREATE_CQ : FG_DP_CREATE_SQ, qid, 0);
	return g->dp->refuse_create;
}

static void fg_dp_sq_delete(void *opaque, u16 qid)
{
	fg_dp_rec(opaque, FG_DP_SQ_DELETE, qid, 0);
}

static void fg_dp_cq_deleted(void *opaque, u16 qid)
{
	fg_dp_rec(opaque, FG_DP_CQ_DELETED, qid, 0);
}

static void fg_dp_reset(void *opaque)
{
	fg_dp_rec(opaque, FG_DP_RESET, 0, 0);
}

static void fg_dp_enabled(void *opaque)
{
	fg_dp_rec(opaque, FG_DP_ENABLED, 0, 0);
}

static int fg_dp_update(void *opaque, u32 what)
{
	struct fake_guest *g = opaque;

	fg_dp_rec(g, FG_DP_UPDATE, what, 0);
	return what == LIO_DP_DBBUF ? g->dp->refuse_dbbuf : 0;
}

static bool fg_dp_doorbell(void *opaque, u32 idx, u32 val)
{
	struct fake_guest *g = opaque;

	fg_dp_rec(g, FG_DP_DOORBELL, idx, val);
	return g->dp->serve;
}

static void fg_dp_smart(void *opaque, u32 nsid, struct lio_dp_smart *s)
{
	struct fake_guest *g = opaque;
	const struct lio_dp_smart *from = &g->dp->smart;

	fg_dp_rec(g, FG_DP_SMART, nsid, 0);
	if (nsid != NVME_NSID_ALL)
		from = nsid <= LIO_NN ? &g->dp->smart_ns[nsid - 1] : NULL;
	if (!from)
		return;
	s->cmds_read += from->cmds_read;
	s->cmds_written += from->cmds_written;
	s->bytes_read += from->bytes_read;
	s->bytes_written += from->bytes_written;
}

static int fg_dp_lbas(void *opaque, u32 nsid, u64 slba,
		      struct leapio_lba_range *r, u32 max,
		      struct leapio_lbas_info *info)
{
	struct fake_guest *g = opaque;
	struct fg_dp *dp = g->dp;

	fg_dp_rec(g, FG_DP_LBAS, nsid, 0);
	if (dp->lbas_before)
		dp->lbas_before(dp, dp->lbas_calls);
	dp->lbas_calls++;
	if (!dp->lbas)
		return -EAGAIN;
	return leapio_lbas_read(dp->lbas, nsid, slba, r, max, info);
}

static int fg_dp_format(void *opaque, u32 gen, u32 nsid, u8 lba_shift,
			u8 ses)
{
	struct fake_guest *g = opaque;

	fg_dp_rec(g, FG_DP_FORMAT, gen, lba_shift | (u32)ses << 8);
	g->dp->format_nsid = nsid;
	return g->dp->refuse_format;
}

static u64 fg_dp_pool_bytes(void *opaque, u32 *nsids)
{
	struct fake_guest *g = opaque;

	*nsids = g->dp->pool_nsids;
	return g->dp->pool_bytes;
}

static int fg_dp_ns_create(void *opaque, u32 gen, u32 nsid, u64 nsze,
			   u8 lba_shift)
{
	struct fake_guest *g = opaque;

	fg_dp_rec(g, FG_DP_NS_CREATE, gen, nsid | (u32)lba_shift << 8);
	g->dp->create_nsze = nsze;
	return g->dp->refuse_ns_create;
}

static const struct lio_vctrl_ops fg_dp_ops = {
	.dma_read = fg_dma_read,
	.dma_write = fg_dma_write,
	.msix_signal = fg_msix_signal,
	.intx_set = fg_intx_set,
	.now_ms = fg_now_ms,
	.wall_ms = fg_wall_ms,
	.dp_create = fg_dp_create,
	.dp_sq_delete = fg_dp_sq_delete,
	.dp_cq_deleted = fg_dp_cq_deleted,
	.dp_reset = fg_dp_reset,
	.dp_enabled = fg_dp_enabled,
	.dp_update = fg_dp_update,
	.dp_doorbell = fg_dp_doorbell,
	.dp_smart = fg_dp_smart,
	.dp_lbas = fg_dp_lbas,
	.dp_format = fg_dp_format,
	.dp_pool_bytes = fg_dp_pool_bytes,
	.dp_ns_create = fg_dp_ns_create,
};

void fg_dp_attach(struct fake_guest *g, struct fg_dp *dp)
{
	memset(dp, 0, sizeof(*dp));
	g->dp = dp;
	g->c->ops = &fg_dp_ops;
}

unsigned int fg_dp_count(const struct fg_dp *dp, enum fg_dp_call call)
{
	unsigned int i, n = 0;

	for (i = 0; i < dp->n && i < FG_DP_RECS; i++)
		n += dp->rec[i].call == call;
	return n;
}

int fg_dp_find(const struct fg_dp *dp, unsigned int from,
	       enum fg_dp_call call)
{
	unsigned int i;

	for (i = from; i < dp->n && i < FG_DP_RECS; i++)
		if (dp->rec[i].call == call)
			return i;
	return -1;
}

struct fake_guest *fg_new(u16 nr_ioq)
{
	static const u8 uuid[16] = {
		0x6c, 0x1e, 0x5a, 0x10, 0x4c, 0x10, 0x40, 0x01,
		0x80, 0x01, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct lio_vctrl_params p = {
		.nr_ioq = nr_ioq,
		.cntlid = 1,
		.pci_vendor = LEAPIO_PCI_VENDOR_ID,
		.pci_device = LEAPIO_PCI_DEVICE_ID,
		.pci_subsys_vendor = LEAPIO_PCI_SUBSYS_VENDOR_ID,
		.pci_subsys_device = LEAPIO_PCI_SUBSYS_ID,
	};
	struct fake_guest *g = calloc(1, sizeof(*g));

	if (!g)
		abort();
	g->c = calloc(1, sizeof(*g->c));
	g->mem = calloc(1, FG_MEM_SIZE);
	if (!g->c || !g->mem)
		abort();
	memcpy(p.uuid, uuid, sizeof(uuid));
	g->now_ms = 1000;
	g->wall_ms = 1700000000000ULL;
	g->acq_phase = 1;
	lio_vctrl_init(g->c, &p, &fg_ops, g);
	/* Memory space and bus master, as a guest driver's probe does, and
	 * MSI-X vectors wired up, as QEMU does for a Linux guest.
	 */
	fg_cfg_write(g, 0x04, 0x0006, 2);
	lio_vctrl_set_irq_mode(g->c, LIO_IRQ_MSIX);
	return g;
}

void fg_free(struct fake_guest *g)
{
	free(g->mem);
	free(g->c);
	free(g);
}

void *fg_ptr(struct fake_guest *g, u64 gpa)
{
	if (gpa < FG_MEM_BASE || gpa >= FG_MEM_BASE + FG_MEM_SIZE)
		return NULL;
	return g->mem + (gpa - FG_MEM_BASE);
}

u32 fg_read32(struct fake_guest *g, u64 off)
{
	u32 v = 0xdeadbeef;

	if (lio_vctrl_bar_read(g->c, LEAPIO_BAR_REGS, off, &v, 4))
		return 0xdeadbeef;
	return le32_to_cpu(v);
}

u64 fg_read64(struct fake_guest *g, u64 off)
{
	u64 v = 0;

	if (lio_vctrl_bar_read(g->c, LEAPIO_BAR_REGS, off, &v, 8))
		return ~0ULL;
	return le64_to_cpu(v);
}

void fg_write32(struct fake_guest *g, u64 off, u32 val)
{
	u32 v = cpu_to_le32(val);

	lio_vctrl_bar_write(g->c, LEAPIO_BAR_REGS, off, &v, 4);
}

void fg_write64(struct fake_guest *g, u64 off, u64 val)
{
	u64 v = cpu_to_le64(val);

	lio_vctrl_bar_write(g->c, LEAPIO_BAR_REGS, off, &v, 8);
}

u32 fg_cfg_read(struct fake_guest *g, u32 off, u32 len)
{
	u32 v = 0;

	if (lio_vctrl_cfg_read(g->c, off, &v, len))
		return 0xdeadbeef;
	return le32_to_cpu(v);
}

void fg_cfg_write(struct fake_guest *g, u32 off, u32 val, u32 len)
{
	u32 v = cpu_to_le32(val);

	lio_vctrl_cfg_write(g->c, off, &v, len);
}

u32 fg_enable(struct fake_guest *g)
{
	g->asq_tail = 0;
	g->acq_head = 0;
	g->acq_phase = 1;
	memset(fg_ptr(g, FG_ACQ), 0, FG_ADMIN_QSIZE * NVME_CQE_SIZE);
	fg_write32(g, NVME_REG_AQA, ((FG_ADMIN_QSIZE - 1) << 16) |
		   (FG_ADMIN_QSIZE - 1));
	fg_write64(g, NVME_REG_ASQ, FG_ASQ);
	fg_write64(g, NVME_REG_ACQ, FG_ACQ);
	fg_write32(g, NVME_REG_CC, (NVME_CQES_LOG2 << NVME_CC_IOCQES_SHIFT) |
		   (NVME_SQES_LOG2 << NVME_CC_IOSQES_SHIFT) | NVME_CC_EN);
	return fg_read32(g, NVME_REG_CSTS);
}

u32 fg_disable(struct fake_guest *g)
{
	fg_write32(g, NVME_REG_CC, fg_read32(g, NVME_REG_CC) & ~NVME_CC_EN);
	return fg_read32(g, NVME_REG_CSTS);
}

u16 fg_status(const struct nvme_cqe *cqe)
{
	return le16_to_cpu(cqe->status) & ~1;
}

int fg_admin_reap(struct fake_guest *g, struct nvme_cqe *cqe)
{
	struct nvme_cqe *slot = fg_ptr(g, FG_ACQ + g->acq_head * NVME_CQE_SIZE);

	if ((le16_to_cpu(slot->status) & 1) != g->acq_phase)
		return -1;
	*cqe = *slot;
	if (++g->acq_head == FG_ADMIN_QSIZE) {
		g->acq_head = 0;
		g->acq_phase ^= 1;
	}
	fg_write32(g, LEAPIO_CQ_DB(0), g->acq_head);
	return 0;
}

u16 fg_admin_reaped(struct fake_guest *g, u16 cid, u32 *dw0)
{
	struct nvme_cqe cqe;

	if (fg_admin_reap(g, &cqe))
		return 0xffff;
	if (le16_to_cpu(cqe.cid) != cid)
		return 0xfffe;
	if (dw0)
		*dw0 = le32_to_cpu(cqe.dw0);
	return fg_status(&cqe);
}

void fg_admin_submit(struct fake_guest *g, struct nvme_sqe *sqe)
{
	struct nvme_sqe *slot = fg_ptr(g, FG_ASQ + g->asq_tail * NVME_SQE_SIZE);

	sqe->cid = cpu_to_le16(g->next_cid++);
	*slot = *sqe;
	g->asq_tail = (g->asq_tail + 1) % FG_ADMIN_QSIZE;
	fg_write32(g, LEAPIO_SQ_DB(0), g->asq_tail);
}

int fg_admin(struct fake_guest *g, struct nvme_sqe *sqe, struct nvme_cqe *cqe)
{
	fg_admin_submit(g, sqe);
	return fg_admin_reap(g, cqe);
}

int fg_err_log_newest(struct fake_guest *g, struct nvme_error_log_entry *e)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	nb_get_log(&sqe, NVME_LOG_ERROR, 0xffffffff, sizeof(*e),
		   FG_HELPER_BUF, true);
	if (fg_admin(g, &sqe, &cqe) || fg_status(&cqe))
		return -1;
	memcpy(e, fg_ptr(g, FG_HELPER_BUF), sizeof(*e));
	return 0;
}

u8 *fg_mem_save(struct fake_guest *g)
{
	u32 len = FG_HELPER_BUF - FG_DATA;
	u8 *saved = malloc(len);

	if (!saved)
		abort();
	memcpy(saved, fg_ptr(g, FG_DATA), len);
	return saved;
}

bool fg_mem_unchanged(struct fake_guest *g, const u8 *saved)
{
	return !memcmp(saved, fg_ptr(g, FG_DATA), FG_HELPER_BUF - FG_DATA);
}

bool fg_filled(const void *p, u8 val, size_t len)
{
	const u8 *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != val)
			return false;
	return true;
}

u16 fg_admin_status(struct fake_guest *g, struct nvme_sqe *sqe)
{
	struct nvme_cqe cqe;

	if (fg_admin(g, sqe, &cqe))
		return 0xffff;
	return fg_status(&cqe);
}

u16 fg_create_cq(struct fake_guest *g, u16 qid, u16 qsize, u64 gpa, u16 iv, bool ien)
{
	struct nvme_sqe sqe;

	nb_create_cq(&sqe, qid, qsize, gpa, NVME_QUEUE_PHYS_CONTIG |
		     (ien ? NVME_CQ_IRQ_ENABLED : 0), iv);
	return fg_admin_status(g, &sqe);
}

u16 fg_create_sq(struct fake_guest *g, u16 qid, u16 qsize, u64 gpa, u16 cqid)
{
	struct nvme_sqe sqe;

	nb_create_sq(&sqe, qid, qsize, gpa, NVME_QUEUE_PHYS_CONTIG, cqid);
	return fg_admin_status(g, &sqe);
}

u32 fg_msix_read32(struct fake_guest *g, u64 off)
{
	u32 v = 0xdeadbeef;

	if (lio_vctrl_bar_read(g->c, LEAPIO_BAR_MSIX, off, &v, 4))
		return 0xdeadbeef;
	return le32_to_cpu(v);
}

void fg_msix_write32(struct fake_guest *g, u64 off, u32 val)
{
	u32 v = cpu_to_le32(val);

	lio_vctrl_bar_write(g->c, LEAPIO_BAR_MSIX, off, &v, 4);
}

u16 fg_delete_sq(struct fake_guest *g, u16 qid)
{
	struct nvme_sqe sqe;

	nb_delete_sq(&sqe, qid);
	return fg_admin_status(g, &sqe);
}

u16 fg_delete_cq(struct fake_guest *g, u16 qid)
{
	struct nvme_sqe sqe;

	nb_delete_cq(&sqe, qid);
	return fg_admin_status(g, &sqe);
}

u16 fg_ioq_create(struct fake_guest *g, struct fg_ioq *q, u16 qid, u16 size,
		  u64 sq, u64 cq, u16 iv)
{
	u16 st;

	memset(q, 0, sizeof(*q));
	q->qid = qid;
	q->size = size;
	q->sq = sq;
	q->cq = cq;
	q->cq_phase = 1;
	memset(fg_ptr(g, cq), 0, (size_t)size * NVME_CQE_SIZE);
	st = fg_create_cq(g, qid, size, cq, iv, true);
	if (st)
		return st;
	return fg_create_sq(g, qid, size, sq, qid);
}

void fg_ioq_put(struct fake_guest *g, struct fg_ioq *q, struct nvme_sqe *sqe)
{
	struct nvme_sqe *slot = fg_ptr(g, q->sq + (u64)q->sq_tail * NVME_SQE_SIZE);

	sqe->cid = cpu_to_le16(q->next_cid++);
	*slot = *sqe;
	q->sq_tail = (q->sq_tail + 1) % q->size;
}

void fg_ioq_ring(struct fake_guest *g, struct fg_ioq *q)
{
	fg_write32(g, LEAPIO_SQ_DB(q->qid), q->sq_tail);
}

int fg_ioq_take(struct fake_guest *g, struct fg_ioq *q, struct nvme_cqe *cqe)
{
	struct nvme_cqe *slot = fg_ptr(g, q->cq + (u64)q->cq_head * NVME_CQE_SIZE);

	if ((le16_to_cpu(slot->status) & 1) != q->cq_phase)
		return -1;
	*cqe = *slot;
	if (++q->cq_head == q->size) {
		q->cq_head = 0;
		q->cq_phase ^= 1;
	}
	return 0;
}

void fg_ioq_ack(struct fake_guest *g, struct fg_ioq *q)
{
	fg_write32(g, LEAPIO_CQ_DB(q->qid), q->cq_head);
}
