/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Storage backends of leapiod: where a virtual namespace's blocks live.
 * The core (runtime/core/) validates and translates a guest command into
 * one struct lio_io whose data is already an iovec over guest memory
 * (no bounce buffer), and hands it to the vdev's backend. A backend
 * queues it on its poller's io_uring (struct lio_ring) or, for the null
 * backend, completes it at once; the ring's reaper calls io->done.
 *
 * Threading: every backend and ring belongs to one poller thread; none
 * of this is called from another thread.
 */
#ifndef LEAPIOD_BACKEND_H
#define LEAPIOD_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "../../common/nvme/nvme_spec.h"
#include "../fabrics/nvmf.h"

enum lio_io_op {
	LIO_IO_READ,		/* iov <- [offset, offset + len) */
	LIO_IO_WRITE,		/* iov -> [offset, offset + len); fua: durable */
	LIO_IO_FLUSH,		/* everything written so far made durable */
	LIO_IO_WRITE_ZEROES,	/* [offset, offset + len) reads back zeroes */
	LIO_IO_DISCARD,		/* [offset, offset + len) deallocated */
};

struct lio_io {
	uint8_t		op;		/* enum lio_io_op */
	bool		fua;
	uint64_t	offset;		/* bytes, from the namespace's start */
	uint64_t	len;		/* bytes */
	struct iovec	*iov;		/* READ, WRITE */
	uint32_t	iovcnt;
	/* Set by the backend before done(): 0, or a negative errno; or a
	 * positive NVMe status field (phase bit 0) from a passthrough
	 * device, which the core completes the command with as it is.
	 */
	int32_t		res;
	void		(*done)(struct lio_io *io);
	/* The backend's, from submit() until it calls done(): a remote
	 * backend holds a request here while its path is down.
	 */
	struct lio_io	*bnext;
	void		*bpriv;
	void		(*bdone)(struct lio_io *io);
	uint32_t	btries;
};

/* One poller's io_uring, shared by the backends that poller serves. */
struct lio_ring;

/* Create with room for `entries` submissions; big: SQE128/CQE32 for
 * NVMe passthrough. 0 or -errno.
 */
int lio_ring_create(struct lio_ring **ring, unsigned int entries, bool big);
void lio_ring_destroy(struct lio_ring *ring);
/* Submit what was queued, and call done() of every completed lio_io.
 * Returns how many completed (>= 0) or -errno. Never blocks.
 */
int lio_ring_poll(struct lio_ring *ring);
/* Wait until at least one queued request completes or timeout_ns passes
 * (a poller with nothing else to do while I/O is in flight).
 */
int lio_ring_wait(struct lio_ring *ring, uint64_t timeout_ns);
unsigned int lio_ring_inflight(const struct lio_ring *ring);

enum lio_bdev_type {
	LIO_BDEV_FILE,		/* a regular file, O_DIRECT */
	LIO_BDEV_BLOCK,		/* a block device, O_DIRECT */
	LIO_BDEV_NVME,		/* an NVMe generic char device, /dev/ngXnY */
	LIO_BDEV_NULL,		/* reads leave buffers as they are, writes vanish: benchmarks */
	LIO_BDEV_NVMF,		/* a remote namespace, nvme+tcp:// or nvme+rdma:// */
};

struct lio_bdev_cfg {
	enum lio_bdev_type type;
	char		path[LIO_NVMF_URI_MAX + 1];	/* not for NULL; NVMF: the URI */
	uint64_t	offset;		/* bytes into the backend */
	uint64_t	size;		/* bytes the vdev may use; 0: all */
	bool		readonly;
	struct lio_nvmf_cfg nvmf;	/* NVMF only */
};

struct lio_bdev;

struct lio_bdev_ops {
	/*
	 * Queue one request (or complete it inline, calling done()).
	 * 0; -EAGAIN when the ring is full (the core retries later,
	 * after lio_ring_poll()); another -errno fails the command.
	 */
	int	(*submit)(struct lio_bdev *b, struct lio_io *io);
	void	(*close)(struct lio_bdev *b);
	/*
	 * Optional, every pass of the poller serving it (and while a vdev
	 * drains): requests the backend holds back, retried or failed.
	 * Returns how many it completed or resubmitted.
	 */
	int	(*poll)(struct lio_bdev *b, uint64_t now_ns);
};

struct lio_bdev {
	const struct lio_bdev_ops *ops;
	struct lio_ring	*ring;
	struct lio_bdev_cfg cfg;
	uint64_t	size;		/* usable bytes, after offset */
	uint32_t	block_size;	/* the backend's logical block size */
	int		fd;
	void		*priv;
};

/*
 * Open a backend on `ring`. On failure returns -errno and writes a
 * sentence saying what is wrong (path, type, size, permissions) to err.
 * Guess the type from the path with lio_bdev_type_of() when the
 * configuration does not give one.
 */
int lio_bdev_open(const struct lio_bdev_cfg *cfg, struct lio_ring *ring,
		  struct lio_bdev **out, char *err, size_t errlen);
void lio_bdev_close(struct lio_bdev *b);
/* "file", "block", "nvme", "null", "nvmf" (a URI); -EINVAL for a path
 * nothing fits.
 */
int lio_bdev_type_of(const char *path, enum lio_bdev_type *type);
const char *lio_bdev_type_name(enum lio_bdev_type type);

/*
 * An operator's resize (resize.c) to size bytes from the offset: refused
 * (-errno, a sentence in err) for a size below what the vdev has, for
 * types leapiod does not grow, and for a block device that does not hold
 * it yet; a file is grown to hold it. Nothing is opened for I/O.
 */
int lio_bdev_resize_prepare(const struct lio_bdev_cfg *cfg, uint64_t size,
			    char *err, size_t errlen);
/* The same backend, every field of it. */
bool lio_bdev_cfg_equal(const struct lio_bdev_cfg *a, const struct lio_bdev_cfg *b);
/* The same file or device at the same offset (its size aside)? */
bool lio_bdev_same_place(const struct lio_bdev_cfg *a,
			 const struct lio_bdev_cfg *b);

static inline int lio_bdev_submit(struct lio_bdev *b, struct lio_io *io)
{
	return b->ops->submit(b, io);
}

static inline int lio_bdev_poll(struct lio_bdev *b, uint64_t now_ns)
{
	return b->ops->poll ? b->ops->poll(b, now_ns) : 0;
}

#endif /* LEAPIOD_BACKEND_H */
