// SPDX-License-Identifier: GPL-2.0
/*
 * One poller's io_uring. Requests are queued by the backends' submit()
 * and handed to the kernel in one io_uring_enter per lio_ring_poll(), so
 * a pass of the poller that fetched many commands costs one system call.
 * A CQE's user_data is the struct lio_io, with how to read its res in the
 * two low bits (a struct lio_io is 8-byte aligned).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ring_internal.h"

#define LIO_RES_MASK	3ULL

int lio_ring_create(struct lio_ring **ring, unsigned int entries, bool big)
{
	struct io_uring_params p;
	struct lio_ring *r;
	int err;

	if (!entries)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	memset(&p, 0, sizeof(p));
	if (big)
		p.flags |= IORING_SETUP_SQE128 | IORING_SETUP_CQE32;
	err = io_uring_queue_init_params(entries, &r->uring, &p);
	if (err < 0) {
		free(r);
		return err;
	}
	r->big = big;
	r->max_inflight = p.cq_entries;
	*ring = r;
	return 0;
}

void lio_ring_destroy(struct lio_ring *ring)
{
	if (!ring)
		return;
	io_uring_queue_exit(&ring->uring);
	free(ring);
}

struct io_uring_sqe *lio_ring_sqe(struct lio_ring *r)
{
	struct io_uring_sqe *sqe;

	if (r->inflight >= r->max_inflight)
		return NULL;
	sqe = io_uring_get_sqe(&r->uring);
	if (!sqe)
		return NULL;
	/* A big SQE's command area is past the first 64 bytes. */
	memset(sqe, 0, r->big ? 128 : sizeof(*sqe));
	return sqe;
}

void lio_ring_commit(struct lio_ring *r, struct io_uring_sqe *sqe,
		     struct lio_io *io, enum lio_ring_res kind)
{
	io_uring_sqe_set_data64(sqe, (uintptr_t)io | kind);
	r->inflight++;
}

static void lio_ring_complete(struct lio_ring *r, uint64_t data, int32_t res)
{
	struct lio_io *io = (struct lio_io *)(uintptr_t)(data & ~LIO_RES_MASK);

	r->inflight--;
	switch ((enum lio_ring_res)(data & LIO_RES_MASK)) {
	case LIO_RES_BYTES:
		/* O_DIRECT within the checked size moves everything or
		 * fails; anything short means the backend shrank.
		 */
		if (res >= 0)
			res = (uint64_t)res == io->len ? 0 : -EIO;
		break;
	case LIO_RES_ZERO:
		if (res > 0)
			res = 0;
		break;
	case LIO_RES_NVME:
		/* The kernel gives the CQE status without its phase bit;
		 * backend.h wants the status field with bit 0 clear.
		 */
		if (res > 0)
			res = (int32_t)((uint32_t)(res & 0x7fff) << 1);
		break;
	}
	io->res = res;
	io->done(io);
}

int lio_ring_poll(struct lio_ring *r)
{
	struct io_uring_cqe *cqe;
	int n = 0, err;

	if (io_uring_sq_ready(&r->uring)) {
		err = io_uring_submit(&r->uring);
		/* -EBUSY / -EAGAIN: the kernel is short of room; what was
		 * not taken stays queued for the next pass.
		 */
		if (err < 0 && err != -EBUSY && err != -EAGAIN && err != -EINTR)
			return err;
	}
	while (io_uring_peek_cqe(&r->uring, &cqe) == 0) {
		uint64_t data = io_uring_cqe_get_data64(cqe);
		int32_t res = cqe->res;

		/* Consumed before done(), which may queue more work. */
		io_uring_cqe_seen(&r->uring, cqe);
		lio_ring_complete(r, data, res);
		n++;
	}
	return n;
}

int lio_ring_wait(struct lio_ring *r, uint64_t timeout_ns)
{
	struct __kernel_timespec ts = {
		.tv_sec = (long long)(timeout_ns / 1000000000ULL),
		.tv_nsec = (long long)(timeout_ns % 1000000000ULL),
	};
	struct io_uring_cqe *cqe;
	int err;

	if (io_uring_sq_ready(&r->uring)) {
		err = io_uring_submit(&r->uring);
		if (err < 0 && err != -EBUSY && err != -EAGAIN && err != -EINTR)
			return err;
	}
	err = io_uring_wait_cqe_timeout(&r->uring, &cqe, &ts);
	if (err == -ETIME || err == -EINTR)
		return 0;
	return err < 0 ? err : 0;
}

unsigned int lio_ring_inflight(const struct lio_ring *r)
{
	return r->inflight;
}
