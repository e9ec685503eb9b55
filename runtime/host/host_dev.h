/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host mode: reaching a vdev's shared region through /dev/leapio. Every
 * system call the core makes to the host driver is here; host_plat.c
 * puts it behind the platform table (runtime/core/plat.h).
 */
#ifndef LEAPIOD_HOST_DEV_H
#define LEAPIOD_HOST_DEV_H

#include <stddef.h>
#include <stdint.h>

struct lio_host_vdev {
	int		fd;		/* the vdev file */
	int		wake_fd;	/* eventfd the driver signals */
	void		*region;
	size_t		region_size;
	uint8_t		*gmem;		/* guest window: GPA g at gmem + g */
	uint64_t	gmem_size;
};

/*
 * Attach to the mdev, map its region and guest window, check the header.
 * 0; -ENODEV when there is no such mdev (yet); another -errno with a
 * sentence in err.
 */
int lio_host_attach(const char *uuid, struct lio_host_vdev *h, char *err,
		    size_t errlen);
void lio_host_detach(struct lio_host_vdev *h);
/* Answer the mailbox / tell the driver ack moved. 0 or -errno. */
int lio_host_kick(struct lio_host_vdev *h);
/* A new fd for MSI-X vector's eventfd, or -errno; *irq_seq as of then. */
int lio_host_irqfd(struct lio_host_vdev *h, uint16_t vector, uint32_t *irq_seq);

/* The platform table of host mode (host_plat.c). */
extern const struct lio_plat lio_host_plat;

#endif /* LEAPIOD_HOST_DEV_H */
