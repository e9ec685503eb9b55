/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One LeapIO test device: an mdev instance, opened through VFIO, with
 * guest memory mapped, a guest driver on it and eventfds for its
 * interrupts. What a test fixture sets up and tears down.
 */
#ifndef LEAPIO_KSFT_LIO_DEV_H
#define LEAPIO_KSFT_LIO_DEV_H

#include <stdbool.h>

#include "guest_mem.h"
#include "mdev_sysfs.h"
#include "nvme_driver.h"
#include "vfio_client.h"

struct lio_opts {
	const char		*type;		/* NULL: lio_default_type() */
	unsigned long long	ns_size;	/* 0: the module's default */
	unsigned int		lba_size;	/* 0: the module's default */
	bool			no_open;	/* create the mdev only */
};

struct lio {
	struct lio_mdev		mdev;
	struct vfio_dev		dev;
	struct gmem		mem;
	struct nvd		nvd;
	int			msix_fd[LEAPIO_MAX_IOQ + 1];
	unsigned int		nr_msix;
	int			intx_fd;
};

/*
 * The type most tests use: $LEAPIO_TYPE, else the smallest type with at
 * least 4 I/O queues (room for multi-queue tests), else the largest.
 * NULL when no LeapIO type is registered.
 */
const char *lio_default_type(void);

/* A closed, empty device: safe to lio_teardown. */
void lio_init(struct lio *l);

/*
 * Create an mdev as o says, write its ns_size/lba_size, open it through
 * VFIO, map guest memory and start the driver (not enabled). On failure
 * everything done is undone and -errno returned with a line on stderr.
 */
int lio_setup(struct lio *l, const struct lio_opts *o);
/* Open an already created mdev (the lio_setup steps after creation). */
int lio_open(struct lio *l);
/* The same with guest memory from a shared memfd (gmem_init_memfd), as a
 * host-mode runtime needs.
 */
int lio_open_shared(struct lio *l);
/*
 * Open it in peer's VFIO container, as a second device of the same VM:
 * its guest memory is half of peer's (gmem_carve), so one unmap takes
 * both devices' queues and buffers. Close it before peer.
 */
int lio_open_beside(struct lio *l, struct lio *peer);
/* Close VFIO (the device sees the VM go away) but keep the mdev. */
void lio_close(struct lio *l);
/* lio_close and remove the mdev; 0 or the removal's -errno. */
int lio_teardown(struct lio *l);

/* One eventfd per MSI-X vector the device reports, wired with SET_IRQS. */
int lio_msix_on(struct lio *l);
/* An eventfd as the INTx trigger. */
int lio_intx_on(struct lio *l);
/* Disable MSI-X and INTx and close their eventfds. */
void lio_irq_off(struct lio *l);

#endif /* LEAPIO_KSFT_LIO_DEV_H */
