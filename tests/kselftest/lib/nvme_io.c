// SPDX-License-Identifier: GPL-2.0
/* NVM I/O commands for the data path tests; see nvme_io.h. */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "nvme_io.h"
#include "clock.h"

static int admin_status(struct nio *io, struct nvme_sqe *sqe, uint16_t *status)
{
	struct nvme_cqe cqe;
	int err = nvd_admin(io->n, sqe, &cqe);

	if (err)
		return err;
	*status = nvd_status_code(&cqe);
	return 0;
}

int nio_init(struct nio *io, struct lio *l)
{
	struct nvme_id_ctrl *ctrl;
	struct nvme_id_ns *ns;
	struct nvme_sqe sqe;
	uint64_t iova;
	uint16_t st;
	uint8_t ds;
	int err;

	memset(io, 0, sizeof(*io));
	io->l = l;
	io->n = &l->nvd;
	io->db_mode = NIO_DB_TRAP;
	ctrl = gmem_alloc_pages(&l->mem, GMEM_PAGE, &iova);
	if (!ctrl)
		return -ENOMEM;
	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, iova);
	err = admin_status(io, &sqe, &st);
	if (err)
		return err;
	if (st != NVME_SC_SUCCESS)
		return -EPROTO;
	io->mdts_bytes = ctrl->mdts ? GMEM_PAGE << ctrl->mdts : 0;
	io->vwc = ctrl->vwc;
	/* Reuse the page: Identify Namespace overwrites all of it. */
	ns = (struct nvme_id_ns *)ctrl;
	nb_identify(&sqe, NVME_ID_CNS_NS, NIO_NSID, iova);
	err = admin_status(io, &sqe, &st);
	if (err)
		return err;
	if (st != NVME_SC_SUCCESS)
		return -EPROTO;
	io->nsze = le64toh(ns->nsze);
	ds = ns->lbaf[ns->flbas & 0xf].ds;
	io->lba_shift = ds;
	io->dlfeat = ns->dlfeat;
	io->copy_mcl = le32toh(ns->mcl);
	io->copy_mssrl = le16toh(ns->mssrl);
	return ds >= 9 && ds <= 12 ? 0 : -EPROTO;
}

void nio_fini(struct nio *io)
{
	if (io->db_map)
		munmap(io->db_map, io->db_map_len);
	io->db_map = NULL;
	io->db_mode = NIO_DB_TRAP;
}

/* ---- doorbells ---- */

/*
 * BAR0's region info with its capability chain: the sparse-mmap cap says
 * which parts of the BAR may be mmapped (the I/O doorbell pages); the
 * registers and the admin doorbells stay trapped.
 */
static struct vfio_region_info *bar0_info(struct vfio_dev *d)
{
	struct vfio_region_info *ri;
	size_t sz = sizeof(*ri);

	for (int pass = 0; pass < 2; pass++) {
		ri = calloc(1, sz);
		if (!ri)
			return NULL;
		ri->argsz = sz;
		ri->index = VFIO_PCI_BAR0_REGION_INDEX;
		if (ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, ri)) {
			free(ri);
			return NULL;
		}
		if (ri->argsz <= sz)
			return ri;
		sz = ri->argsz;
		free(ri);
	}
	return NULL;
}

int nio_map_doorbells(struct nio *io)
{
	struct vfio_dev *d = &io->l->dev;
	struct vfio_region_sparse_mmap_area *best = NULL;
	struct vfio_region_info_cap_sparse_mmap *sp;
	struct vfio_info_cap_header *h;
	struct vfio_region_info *ri;
	uint32_t off, i;
	void *p;
	int err = -EOPNOTSUPP;

	ri = bar0_info(d);
	if (!ri)
		return -EIO;
	if (!(ri->flags & VFIO_REGION_INFO_FLAG_MMAP) ||
	    !(ri->flags & VFIO_REGION_INFO_FLAG_CAPS))
		goto out;
	for (off = ri->cap_offset; off && off + sizeof(*h) <= ri->argsz; off = h->next) {
		h = (struct vfio_info_cap_header *)((uint8_t *)ri + off);
		if (h->id != VFIO_REGION_INFO_CAP_SPARSE_MMAP)
			continue;
		sp = (struct vfio_region_info_cap_sparse_mmap *)h;
		/* The area holding SQ 1's doorbell: the I/O doorbells. */
		for (i = 0; i < sp->nr_areas; i++) {
			if (sp->areas[i].offset <= LEAPIO_SQ_DB(1) &&
			    LEAPIO_SQ_DB(1) < sp->areas[i].offset + sp->areas[i].size)
				best = &sp->areas[i];
		}
		break;
	}
	if (!best)
		goto out;
	p = mmap(NULL, best->size, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd,
		 (off_t)(ri->offset + best->offset));
	if (p == MAP_FAILED) {
		err = -errno;
		goto out;
	}
	io->db_map = p;
	io->db_map_off = best->offset;
	io->db_map_len = best->size;
	io->db_mode = NIO_DB_MMAP;
	err = 0;
out:
	free(ri);
	return err;
}

volatile uint32_t *nio_db_ptr(struct nio *io, uint32_t off)
{
	if (!io->db_map || off < io->db_map_off ||
	    off + 4 > io->db_map_off + io->db_map_len)
		return NULL;
	return (volatile uint32_t *)(io->db_map + (off - io->db_map_off));
}

int nio_write_db(struct nio *io, uint32_t off, uint32_t val)
{
	volatile uint32_t *p;

	if (io->db_mode == NIO_DB_TRAP)
		return nvd_wr32(io->n, off, val);
	p = nio_db_ptr(io, off);
	if (!p)
		return nvd_wr32(io->n, off, val);	/* admin: always trapped */
	/* The queue entries before the tail, as an MMIO write would be
	 * ordered after them on x86; the fence says so for the compiler.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*p = htole32(val);
	return 0;
}

int nio_dbbuf_on(struct nio *io, uint16_t *status)
{
	struct nvme_sqe sqe;
	size_t size = (size_t)(io->l->mdev.nr_ioq + 1) * 2 * io->n->db_stride;
	uint64_t s_iova, e_iova;
	uint32_t *s, *e;
	int err;

	/* Laid out like the doorbells, stride included, as nvme-pci does. */
	s = gmem_alloc_pages(&io->l->mem, size, &s_iova);
	e = gmem_alloc_pages(&io->l->mem, size, &e_iova);
	if (!s || !e)
		return -ENOMEM;
	nb_dbbuf(&sqe, s_iova, e_iova);
	err = admin_status(io, &sqe, status);
	if (err)
		return err;
	if (*status == NVME_SC_SUCCESS) {
		io->shadow = s;
		io->eventidx = e;
	}
	return 0;
}

/* nvme-pci's nvme_dbbuf_need_event(): did new pass event_idx? */
static bool need_event(uint16_t event_idx, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event_idx - 1) < (uint16_t)(new_idx - old);
}

static int ring(struct nio *io, uint32_t off, uint32_t val)
{
	uint32_t idx = (off - NVME_REG_DBS) / 4, old, ev;

	if (!io->shadow || off < LEAPIO_SQ_DB(1))
		return nio_write_db(io, off, val);
	old = le32toh(__atomic_load_n(&io->shadow[idx], __ATOMIC_RELAXED));
	__atomic_store_n(&io->shadow[idx], htole32(val), __ATOMIC_RELAXED);
	/* The shadow store before the EventIdx load (nvme-pci's mb()). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	ev = le32toh(__atomic_load_n(&io->eventidx[idx], __ATOMIC_RELAXED));
	if (!need_event((uint16_t)ev, (uint16_t)val, (uint16_t)old))
		return 0;
	return nio_write_db(io, off, val);
}

int nio_ring_sq(struct nio *io, uint16_t qid)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	return ring(io, LEAPIO_SQ_DB(qid), io->n->q[qid].sq_tail);
}

int nio_ring_cq(struct nio *io, uint16_t cqid)
{
	return ring(io, LEAPIO_CQ_DB(cqid), io->n->q[cqid].cq_head);
}

int nio_submit(struct nio *io, uint16_t qid, struct nvme_sqe *sqe)
{
	int cid, err;

	cid = nvd_queue_sqe(io->n, qid, sqe);
	if (cid < 0)
		return cid;
	err = nio_ring_sq(io, qid);
	return err ? err : cid;
}

int nio_reap(struct nio *io, uint16_t cqid, struct nvme_cqe *cqe, int timeout_ms)
{
	int err = nvd_reap(io->n, cqid, cqe, timeout_ms);

	return err ? err : nio_ring_cq(io, cqid);
}

int nio_wait(struct nio *io, uint16_t sqid, uint16_t cid, struct nvme_cqe *cqe,
	     int timeout_ms)
{
	int64_t deadline = mono_ms() + timeout_ms, left;
	struct nvd *n = io->n;
	int err;

	if (sqid > NVD_MAX_QID)
		return -EINVAL;
	if (!nvd_take_stashed_cid(n, sqid, cid, cqe))
		return 0;
	for (;;) {
		left = deadline - mono_ms();
		err = nio_reap(io, n->q[sqid].cqid, cqe, left > 0 ? (int)left : 0);
		if (err)
			return err;
		err = nvd_match_or_stash(n, sqid, cid, cqe);
		if (err != -EAGAIN)
			return err;
	}
}

int nio_cmd(struct nio *io, uint16_t qid, struct nvme_sqe *sqe,
	    struct nvme_cqe *cqe)
{
	int cid = nio_submit(io, qid, sqe);

	if (cid < 0)
		return cid;
	return nio_wait(io, qid, (uint16_t)cid, cqe, NIO_TIMEOUT_MS);
}

/* ---- commands ---- */

int nio_prp(struct nio *io, uint64_t iova, size_t len, uint64_t *prp1,
	    uint64_t *prp2)
{
	struct nb_prp_list list = { NULL, 0, 0 };
	struct nb_prp p;
	int err;

	if (len > UINT32_MAX)
		return -EINVAL;
	/* The list, when the transfer needs one, in fresh guest pages:
	 * contiguous, so that its pages chain one to the next.
	 */
	list.bytes = nb_prp_list_size(GMEM_PAGE, iova, (uint32_t)len);
	if (list.bytes) {
		uint64_t list_iova;

		list.entries = gmem_alloc_pages(&io->l->mem, list.bytes, &list_iova);
		if (!list.entries)
			return -ENOMEM;
		list.gpa = list_iova;
	}
	err = nb_prp_contig(&p, GMEM_PAGE, iova, (uint32_t)len, &list);
	if (err)
		return err;
	*prp1 = p.prp1;
	*prp2 = p.prp2;
	return 0;
}

int nio_rw(struct nio *io, uint16_t qid, uint8_t opcode, uint64_t slba,
	   uint32_t nlb, uint64_t iova, uint32_t flags, struct nvme_cqe *cqe)
{
	uint64_t prp1, prp2;
	struct nvme_sqe sqe;
	int err;

	err = nio_prp(io, iova, nio_bytes(io, nlb), &prp1, &prp2);
	if (err)
		return err;
	nb_rw(&sqe, opcode, NIO_NSID, slba, nlb, prp1, prp2);
	sqe.cdw12 |= htole32(flags);
	return nio_cmd(io, qid, &sqe, cqe);
}

/* ---- data ---- */

static uint32_t word(uint32_t seed, size_t i)
{
	uint32_t x = seed * 0x9e3779b1U + (uint32_t)i * 0x85ebca6bU;

	x ^= x >> 15;
	x *= 0x2c1b3c6dU;
	x ^= x >> 12;
	return x;
}

void nio_fill(void *p, size_t len, uint32_t seed)
{
	uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = (uint8_t)(word(seed, i / 4) >> (8 * (i % 4)));
}

size_t nio_check(const void *p, size_t len, uint32_t seed)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != (uint8_t)(word(seed, i / 4) >> (8 * (i % 4))))
			return i;
	return len;
}

size_t nio_check_byte(const void *p, size_t len, uint8_t c)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != c)
			return i;
	return len;
}

int nio_smart(struct nio *io, uint32_t nsid, void *page, uint64_t page_iova,
	      uint16_t *status)
{
	struct nvme_sqe sqe;

	memset(page, 0, GMEM_PAGE);
	nb_get_log(&sqe, NVME_LOG_SMART, nsid, 512, page_iova, false);
	return admin_status(io, &sqe, status);
}

uint64_t nio_u128_lo(const uint8_t c[16])
{
	uint64_t v;

	memcpy(&v, c, sizeof(v));
	return le64toh(v);
}
