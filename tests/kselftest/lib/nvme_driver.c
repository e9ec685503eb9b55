// SPDX-License-Identifier: GPL-2.0
/* A guest NVMe driver over the VFIO client; see nvme_driver.h. */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <linux/pci_regs.h>

#include "nvme_driver.h"
#include "clock.h"

int nvd_rd32(struct nvd *n, uint32_t off, uint32_t *val)
{
	return vfio_bar_read32(n->dev, LEAPIO_BAR_REGS, off, val);
}

int nvd_wr32(struct nvd *n, uint32_t off, uint32_t val)
{
	return vfio_bar_write32(n->dev, LEAPIO_BAR_REGS, off, val);
}

int nvd_rd64(struct nvd *n, uint32_t off, uint64_t *val)
{
	return vfio_bar_read64(n->dev, LEAPIO_BAR_REGS, off, val);
}

int nvd_wr64(struct nvd *n, uint32_t off, uint64_t val)
{
	return vfio_bar_write64(n->dev, LEAPIO_BAR_REGS, off, val);
}

int nvd_init(struct nvd *n, struct vfio_dev *dev, struct gmem *mem)
{
	uint16_t cmd;
	int err;

	memset(n, 0, sizeof(*n));
	n->dev = dev;
	n->mem = mem;
	err = vfio_cfg_read16(dev, PCI_COMMAND, &cmd);
	if (err)
		return err;
	/* The controller refuses DMA while bus mastering is off, as real
	 * hardware does; a guest driver turns it on before enabling.
	 */
	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	err = vfio_cfg_write16(dev, PCI_COMMAND, cmd);
	if (err)
		return err;
	err = nvd_rd64(n, NVME_REG_CAP, &n->cap);
	if (err)
		return err;
	n->db_stride = 4U << ((n->cap >> NVME_CAP_DSTRD_SHIFT) & 0xf);
	n->timeout_ms = ((n->cap >> NVME_CAP_TO_SHIFT) & 0xff) * 500;
	if (!n->timeout_ms)
		n->timeout_ms = 500;
	return 0;
}

int nvd_wait_csts(struct nvd *n, uint32_t mask, uint32_t val, uint32_t timeout_ms)
{
	int64_t deadline = mono_ms() + timeout_ms;
	uint32_t csts;
	int err;

	/* A bounded poll of the register: CSTS is how the controller says it
	 * is done, there is nothing else to wait on.
	 */
	for (;;) {
		err = nvd_rd32(n, NVME_REG_CSTS, &csts);
		if (err)
			return err;
		if ((csts & mask) == val)
			return 0;
		if (mono_ms() > deadline)
			return -ETIMEDOUT;
		sched_yield();
	}
}

uint32_t nvd_cc_default(void)
{
	return NVME_CC_EN | (NVME_SQES_LOG2 << NVME_CC_IOSQES_SHIFT) |
	       (NVME_CQES_LOG2 << NVME_CC_IOCQES_SHIFT);
}

static uint32_t db_off(struct nvd *n, uint16_t qid, bool cq)
{
	return NVME_REG_DBS + (2U * qid + (cq ? 1 : 0)) * n->db_stride;
}

void nvd_forget_queues(struct nvd *n)
{
	unsigned int i;

	for (i = 0; i <= NVD_MAX_QID; i++) {
		n->q[i].sq_live = false;
		n->q[i].cq_live = false;
	}
	n->nr_stash = 0;
}

int nvd_disable(struct nvd *n)
{
	uint32_t cc;
	int err;

	err = nvd_rd32(n, NVME_REG_CC, &cc);
	if (err)
		return err;
	err = nvd_wr32(n, NVME_REG_CC, cc & ~NVME_CC_EN);
	if (err)
		return err;
	nvd_forget_queues(n);
	return nvd_wait_csts(n, NVME_CSTS_RDY, 0, n->timeout_ms);
}

static void queue_reset_sq(struct nvd_queue *q)
{
	q->sq_tail = 0;
	q->sq_head = 0;
	q->next_cid = 0;
}

static void queue_reset_cq(struct nvd_queue *q)
{
	q->cq_head = 0;
	q->phase = 1;
}

int nvd_enable_cc(struct nvd *n, uint16_t entries, uint32_t cc)
{
	struct nvd_queue *q = &n->q[0];
	uint32_t csts, cur, aqa;
	int err;

	err = nvd_rd32(n, NVME_REG_CSTS, &csts);
	if (!err)
		err = nvd_rd32(n, NVME_REG_CC, &cur);
	if (err)
		return err;
	/* Enabling takes an EN 0 -> 1 edge: reset first if EN is still set
	 * (even when RDY never came, after a fatal status).
	 */
	if ((csts & NVME_CSTS_RDY) || (cur & NVME_CC_EN)) {
		err = nvd_disable(n);
		if (err)
			return err;
	}
	nvd_forget_queues(n);

	/* Reuse the admin rings across enables, but zero them: a stale CQE
	 * with the right phase would be taken for a new completion.
	 */
	if (!q->sq || q->entries != entries) {
		q->sq = gmem_alloc_pages(n->mem, (size_t)entries * NVME_SQE_SIZE,
					 &q->sq_iova);
		q->cq = gmem_alloc_pages(n->mem, (size_t)entries * NVME_CQE_SIZE,
					 &q->cq_iova);
		if (!q->sq || !q->cq)
			return -ENOMEM;
	}
	memset(q->sq, 0, (size_t)entries * NVME_SQE_SIZE);
	memset(q->cq, 0, (size_t)entries * NVME_CQE_SIZE);
	q->qid = 0;
	q->entries = entries;
	q->cq_entries = entries;
	q->cqid = 0;
	q->vector = 0;
	queue_reset_sq(q);
	queue_reset_cq(q);

	aqa = (uint32_t)(entries - 1) | ((uint32_t)(entries - 1) << NVME_AQA_ACQS_SHIFT);
	err = nvd_wr32(n, NVME_REG_AQA, aqa);
	if (!err)
		err = nvd_wr64(n, NVME_REG_ASQ, q->sq_iova);
	if (!err)
		err = nvd_wr64(n, NVME_REG_ACQ, q->cq_iova);
	if (!err)
		err = nvd_wr32(n, NVME_REG_CC, cc);
	if (err)
		return err;
	if (!(cc & NVME_CC_EN))
		return 0;

	err = nvd_wait_csts(n, NVME_CSTS_RDY | NVME_CSTS_CFS, NVME_CSTS_RDY,
			    n->timeout_ms);
	if (err == -ETIMEDOUT && !nvd_rd32(n, NVME_REG_CSTS, &csts) &&
	    (csts & NVME_CSTS_CFS))
		return -EIO;
	if (err)
		return err;
	q->sq_live = q->cq_live = true;
	return 0;
}

int nvd_enable(struct nvd *n)
{
	return nvd_enable_cc(n, NVD_ADMIN_ENTRIES, nvd_cc_default());
}

/* ---- Commands ---- */

int nvd_queue_sqe(struct nvd *n, uint16_t qid, struct nvme_sqe *sqe)
{
	struct nvd_queue *q;
	uint16_t cid;

	if (qid > NVD_MAX_QID || !n->q[qid].sq_live)
		return -ENOENT;
	q = &n->q[qid];
	if ((uint16_t)((q->sq_tail + 1) % q->entries) == q->sq_head)
		return -EBUSY;
	cid = q->next_cid++;
	sqe->cid = htole16(cid);
	memcpy(&q->sq[q->sq_tail], sqe, sizeof(*sqe));
	q->sq_tail = (q->sq_tail + 1) % q->entries;
	return cid;
}

int nvd_ring_sq(struct nvd *n, uint16_t qid)
{
	/* The SQEs must be in memory before the device can see the tail;
	 * pwrite() is a system call and orders this already, the fence says
	 * so for the reader.
	 */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	return nvd_wr32(n, db_off(n, qid, false), n->q[qid].sq_tail);
}

int nvd_submit(struct nvd *n, uint16_t qid, struct nvme_sqe *sqe)
{
	int cid, err;

	cid = nvd_queue_sqe(n, qid, sqe);
	if (cid < 0)
		return cid;
	err = nvd_ring_sq(n, qid);
	return err ? err : cid;
}

uint16_t nvd_status(const struct nvme_cqe *cqe)
{
	return le16toh(cqe->status) & 0xfffe;
}

uint16_t nvd_status_code(const struct nvme_cqe *cqe)
{
	return nvd_status(cqe) & (NVME_STATUS(7, 0xff));
}

uint8_t nvd_phase(const struct nvme_cqe *cqe)
{
	return le16toh(cqe->status) & 1;
}

bool nvd_cqe_ready(struct nvd *n, uint16_t cqid)
{
	struct nvd_queue *q;
	uint16_t st;

	if (cqid > NVD_MAX_QID || !n->q[cqid].cq_live)
		return false;
	q = &n->q[cqid];
	st = __atomic_load_n(&q->cq[q->cq_head].status, __ATOMIC_ACQUIRE);
	return (le16toh(st) & 1) == q->phase;
}

int nvd_reap(struct nvd *n, uint16_t cqid, struct nvme_cqe *cqe, int timeout_ms)
{
	int64_t deadline = mono_ms() + timeout_ms;
	struct nvd_queue *q;
	uint16_t sqid;

	if (cqid > NVD_MAX_QID || !n->q[cqid].cq_live)
		return -ENOENT;
	q = &n->q[cqid];
	while (!nvd_cqe_ready(n, cqid)) {
		if (mono_ms() >= deadline)
			return -ETIMEDOUT;
		sched_yield();
	}
	memcpy(cqe, &q->cq[q->cq_head], sizeof(*cqe));
	q->cq_head++;
	if (q->cq_head == q->cq_entries) {
		q->cq_head = 0;
		q->phase ^= 1;
	}
	sqid = le16toh(cqe->sq_id);
	if (sqid <= NVD_MAX_QID)
		n->q[sqid].sq_head = le16toh(cqe->sq_head);
	return 0;
}

int nvd_ring_cq(struct nvd *n, uint16_t cqid)
{
	return nvd_wr32(n, db_off(n, cqid, true), n->q[cqid].cq_head);
}

/* The first stashed CQE of sqid, and of cid unless cid < 0. */
static int take_stashed(struct nvd *n, uint16_t sqid, int cid,
			struct nvme_cqe *cqe)
{
	unsigned int i;

	for (i = 0; i < n->nr_stash; i++) {
		if (le16toh(n->stash[i].sq_id) != sqid ||
		    (cid >= 0 && le16toh(n->stash[i].cid) != cid))
			continue;
		*cqe = n->stash[i];
		memmove(&n->stash[i], &n->stash[i + 1],
			(n->nr_stash - i - 1) * sizeof(*cqe));
		n->nr_stash--;
		return 0;
	}
	return -ENOENT;
}

int nvd_take_stashed(struct nvd *n, uint16_t sqid, struct nvme_cqe *cqe)
{
	return take_stashed(n, sqid, -1, cqe);
}

int nvd_take_stashed_cid(struct nvd *n, uint16_t sqid, uint16_t cid,
			 struct nvme_cqe *cqe)
{
	return take_stashed(n, sqid, cid, cqe);
}

int nvd_match_or_stash(struct nvd *n, uint16_t sqid, uint16_t cid,
		       const struct nvme_cqe *cqe)
{
	if (le16toh(cqe->sq_id) == sqid && le16toh(cqe->cid) == cid)
		return 0;
	if (n->nr_stash == NVD_STASH)
		return -ENOSPC;
	n->stash[n->nr_stash++] = *cqe;
	return -EAGAIN;
}

int nvd_wait_cid(struct nvd *n, uint16_t sqid, uint16_t cid,
		 struct nvme_cqe *cqe, int timeout_ms)
{
	int64_t deadline = mono_ms() + timeout_ms, left;
	uint16_t cqid;
	int err;

	if (sqid > NVD_MAX_QID)
		return -EINVAL;
	if (!nvd_take_stashed_cid(n, sqid, cid, cqe))
		return 0;
	cqid = n->q[sqid].cqid;
	for (;;) {
		left = deadline - mono_ms();
		err = nvd_reap(n, cqid, cqe, left > 0 ? (int)left : 0);
		if (err)
			return err;
		err = nvd_ring_cq(n, cqid);
		if (err)
			return err;
		err = nvd_match_or_stash(n, sqid, cid, cqe);
		if (err != -EAGAIN)
			return err;
	}
}

int nvd_cmd(struct nvd *n, uint16_t qid, struct nvme_sqe *sqe,
	    struct nvme_cqe *cqe)
{
	int cid;

	cid = nvd_submit(n, qid, sqe);
	if (cid < 0)
		return cid;
	return nvd_wait_cid(n, qid, cid, cqe, NVD_CQE_TIMEOUT_MS);
}

int nvd_admin(struct nvd *n, struct nvme_sqe *sqe, struct nvme_cqe *cqe)
{
	return nvd_cmd(n, 0, sqe, cqe);
}

/* ---- I/O queues ---- */

static int admin_status(struct nvd *n, struct nvme_sqe *sqe, uint16_t *status)
{
	struct nvme_cqe cqe;
	int err;

	err = nvd_admin(n, sqe, &cqe);
	if (err)
		return err;
	*status = nvd_status(&cqe);
	return 0;
}

int nvd_create_cq_raw(struct nvd *n, uint16_t qid, uint16_t qsize0,
		      uint64_t iova, uint16_t flags, uint16_t vector,
		      uint16_t *status)
{
	struct nvme_sqe sqe;

	nb_create_cq(&sqe, qid, qsize0 + 1U, iova, flags, vector);
	return admin_status(n, &sqe, status);
}

int nvd_create_sq_raw(struct nvd *n, uint16_t qid, uint16_t qsize0,
		      uint64_t iova, uint16_t flags, uint16_t cqid,
		      uint16_t *status)
{
	struct nvme_sqe sqe;

	nb_create_sq(&sqe, qid, qsize0 + 1U, iova, flags, cqid);
	return admin_status(n, &sqe, status);
}

int nvd_create_cq(struct nvd *n, uint16_t qid, uint16_t entries,
		  uint16_t vector, bool ien, uint16_t *status)
{
	struct nvme_cqe *ring;
	uint64_t iova;
	int err;

	if (qid == 0 || qid > NVD_MAX_QID || entries < 2)
		return -EINVAL;
	ring = gmem_alloc_pages(n->mem, (size_t)entries * NVME_CQE_SIZE, &iova);
	if (!ring)
		return -ENOMEM;
	err = nvd_create_cq_raw(n, qid, entries - 1, iova,
				NVME_QUEUE_PHYS_CONTIG |
				(ien ? NVME_CQ_IRQ_ENABLED : 0), vector, status);
	if (err || *status != NVME_SC_SUCCESS)
		return err;
	n->q[qid].cq = ring;
	n->q[qid].cq_iova = iova;
	n->q[qid].cq_entries = entries;
	n->q[qid].vector = vector;
	n->q[qid].cq_live = true;
	queue_reset_cq(&n->q[qid]);
	return 0;
}

int nvd_create_sq(struct nvd *n, uint16_t qid, uint16_t entries,
		  uint16_t cqid, uint16_t *status)
{
	struct nvme_sqe *ring;
	uint64_t iova;
	int err;

	if (qid == 0 || qid > NVD_MAX_QID || entries < 2)
		return -EINVAL;
	ring = gmem_alloc_pages(n->mem, (size_t)entries * NVME_SQE_SIZE, &iova);
	if (!ring)
		return -ENOMEM;
	err = nvd_create_sq_raw(n, qid, entries - 1, iova,
				NVME_QUEUE_PHYS_CONTIG, cqid, status);
	if (err || *status != NVME_SC_SUCCESS)
		return err;
	n->q[qid].qid = qid;
	n->q[qid].sq = ring;
	n->q[qid].sq_iova = iova;
	n->q[qid].entries = entries;
	n->q[qid].cqid = cqid;
	n->q[qid].sq_live = true;
	queue_reset_sq(&n->q[qid]);
	return 0;
}

int nvd_delete_sq(struct nvd *n, uint16_t qid, uint16_t *status)
{
	struct nvme_sqe sqe;
	int err;

	nb_delete_sq(&sqe, qid);
	err = admin_status(n, &sqe, status);
	if (!err && *status == NVME_SC_SUCCESS && qid <= NVD_MAX_QID)
		n->q[qid].sq_live = false;
	return err;
}

int nvd_delete_cq(struct nvd *n, uint16_t qid, uint16_t *status)
{
	struct nvme_sqe sqe;
	int err;

	nb_delete_cq(&sqe, qid);
	err = admin_status(n, &sqe, status);
	if (!err && *status == NVME_SC_SUCCESS && qid <= NVD_MAX_QID)
		n->q[qid].cq_live = false;
	return err;
}

int nvd_create_io_pair(struct nvd *n, uint16_t qid, uint16_t entries,
		       uint16_t vector)
{
	uint16_t status;
	int err;

	err = nvd_create_cq(n, qid, entries, vector, true, &status);
	if (err)
		return err;
	if (status != NVME_SC_SUCCESS)
		return -EPROTO;
	err = nvd_create_sq(n, qid, entries, qid, &status);
	if (err)
		return err;
	return status == NVME_SC_SUCCESS ? 0 : -EPROTO;
}
