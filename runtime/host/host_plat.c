// SPDX-License-Identifier: GPL-2.0
/*
 * Host mode behind the platform table (runtime/core/plat.h): /dev/leapio
 * (host_dev.c) for the region, the guest window, the kick and the vector
 * eventfds, and the SIGBUS watch of revoke.c. The guest window is
 * GPA-linear and page-backed: the core uses it as it is, io_uring too.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lio_env.h"
#include "../core/plat.h"
#include "../core/vdev.h"
#include "host_dev.h"
#include "revoke.h"

static pthread_once_t lio_host_once = PTHREAD_ONCE_INIT;

static int lio_host_plat_attach(void *ctx, const char *uuid,
				struct lio_plat_att *att, char *err,
				size_t errlen)
{
	struct lio_host_vdev *h = calloc(1, sizeof(*h));
	int ret;

	(void)ctx;
	if (!h) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	pthread_once(&lio_host_once, lio_revoke_init);
	ret = lio_host_attach(uuid, h, err, errlen);
	if (ret) {
		free(h);
		/*
		 * The card's runtime serves it (SoC mode): not ours to serve
		 * now, tried again until it is handed back to the host.
		 */
		return ret == -EREMOTE ? -ENODEV : ret;
	}
	ret = lio_revoke_track(h);
	if (ret) {
		snprintf(err, errlen, "more vdevs attached than leapiod can watch");
		lio_host_detach(h);
		free(h);
		return ret;
	}
	att->region = h->region;
	att->region_size = h->region_size;
	att->gmem = h->gmem;
	att->gmem_size = h->gmem_size;
	att->wake_fd = h->wake_fd;
	att->priv = h;
	return 0;
}

static void lio_host_plat_detach(struct lio_plat_att *att)
{
	struct lio_host_vdev *h = att->priv;

	lio_revoke_untrack(h);
	lio_host_detach(h);
	free(h);
	att->priv = NULL;
}

static const char *lio_host_plat_gone(struct lio_plat_att *att)
{
	/* What the pass wrote went to private memory (revoke.h). */
	return lio_revoked(att->priv) ?
	       "revoked by the driver (it did not acknowledge a change in time)" :
	       NULL;
}

static void lio_host_plat_woken(struct lio_plat_att *att)
{
	u64 junk;

	/* Nonblocking: an empty counter was read by an earlier wake. */
	if (read(att->wake_fd, &junk, sizeof(junk)) < 0)
		return;
}

static int lio_host_plat_kick(struct lio_vdev *v)
{
	return lio_host_kick(v->plat_ctx);
}

static int lio_host_plat_irqfd(struct lio_vdev *v, u16 vector, u32 *irq_seq)
{
	return lio_host_irqfd(v->plat_ctx, vector, irq_seq);
}

const struct lio_plat lio_host_plat = {
	.name		= "host",
	.retry_ns	= 1000000000ULL,
	.absent		= "no such mdev yet; trying again every second",
	.attach		= lio_host_plat_attach,
	.detach		= lio_host_plat_detach,
	.gone		= lio_host_plat_gone,
	.woken		= lio_host_plat_woken,
	.kick		= lio_host_plat_kick,
	.irqfd		= lio_host_plat_irqfd,
};
