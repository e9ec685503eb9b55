// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory: every access the controller makes goes through here, so
 * that a function with bus mastering off does no DMA, and admin data moves
 * through the command's PRPs with the spec's checks.
 */
#include "vctrl.h"
#include "../../../common/nvme/prp.h"

int lio_dma_read(struct lio_vctrl *c, u64 gpa, void *buf, u32 len)
{
	if (!lio_pci_bus_master(c))
		return -EIO;
	return c->ops->dma_read(c->opaque, gpa, buf, len);
}

int lio_dma_write(struct lio_vctrl *c, u64 gpa, const void *buf, u32 len)
{
	if (!lio_pci_bus_master(c))
		return -EIO;
	return c->ops->dma_write(c->opaque, gpa, buf, len);
}

/* One of src (to the guest) and dst (from the guest) is set. */
struct lio_prp_xfer {
	struct lio_vctrl	*c;
	const u8		*src;
	u8			*dst;
	u32			done;
};

static int lio_prp_read_list(void *ctx, u64 gpa, __le64 *entries, u32 n)
{
	struct lio_prp_xfer *x = ctx;

	return lio_dma_read(x->c, gpa, entries, n * 8);
}

static int lio_prp_segment(void *ctx, u64 gpa, u32 len)
{
	struct lio_prp_xfer *x = ctx;
	int ret;

	if (x->src)
		ret = lio_dma_write(x->c, gpa, x->src + x->done, len);
	else
		ret = lio_dma_read(x->c, gpa, x->dst + x->done, len);
	if (!ret)
		x->done += len;
	return ret;
}

static u16 lio_prp_xfer(struct lio_vctrl *c, struct lio_req *req,
			struct lio_prp_xfer *x, u32 len)
{
	struct nvme_prp_walk w = {
		.prp1 = le64_to_cpu(req->sqe.prp1),
		.prp2 = le64_to_cpu(req->sqe.prp2),
		.len = len,
		.page_size = lio_page_size(c),
		.read_list = lio_prp_read_list,
		.segment = lio_prp_segment,
		.ctx = x,
	};
	u16 loc, st;

	st = nvme_prp_walk(&w, &loc);
	if (st)
		req->err_loc = loc;
	return st;
}

u16 lio_prp_to_guest(struct lio_vctrl *c, struct lio_req *req,
		     const void *buf, u32 len)
{
	struct lio_prp_xfer x = { .c = c, .src = buf };

	return lio_prp_xfer(c, req, &x, len);
}

u16 lio_prp_from_guest(struct lio_vctrl *c, struct lio_req *req, void *buf,
		       u32 len)
{
	struct lio_prp_xfer x = { .c = c, .dst = buf };

	return lio_prp_xfer(c, req, &x, len);
}
