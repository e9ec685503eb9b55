/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A runtime played by a test, where the test needs to be one rather than
 * start leapiod: attached through /dev/leapio, the shared region and the
 * guest window mapped, a wake eventfd set, and (if asked) a thread that
 * acks every seq bump as leapiod does, so that the driver's waits end.
 * test_region and test_mbox_runtime use it.
 */
#ifndef LIO_KSFT_HAND_RT_H
#define LIO_KSFT_HAND_RT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../../common/leapio/region_layout.h"

struct rt {
	int			dev;	/* /dev/leapio */
	int			fd;	/* the vdev file */
	struct leapio_attach	a;
	void			*base;	/* the region */
	struct leapio_region_view v;
	uint8_t			*win;	/* the guest window, whole */
	int			wake;
	pthread_t		acker;
	bool			acking;
	int			stop;
};

/* "xxxxxxxx-xxxx-..." to its 16 bytes. */
void uuid_bytes(const char *s, uint8_t out[16]);

/* LEAPIO_IOC_ATTACH on /dev/leapio's dev: the vdev fd, or -errno. */
int rt_attach(int dev, const uint8_t uuid[16], uint32_t flags,
	      struct leapio_attach *a);

/* Nothing open: what rt_close() leaves, and what it may be given. */
void rt_init(struct rt *rt);

/*
 * Attach to the mdev named uuid and map the region and the window;
 * ack too if ack. 0 or -errno (what is open stays, for rt_close()).
 */
int hand_rt_open(struct rt *rt, const char *uuid, bool ack);

/*
 * Ack from now on. A test of KICKs it makes itself leaves this off:
 * nothing it does waits for an ack, and a KICK of the acker's could
 * come while prod is bad on purpose. 0 or -errno.
 */
int hand_rt_ack(struct rt *rt);

void rt_close(struct rt *rt);

#endif
