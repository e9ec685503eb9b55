/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vdev the driver revoked (Documentation/design/data-path.rst, "When the
 * runtime does not answer"): leapiod did not acknowledge a change within
 * CAP.TO (it was stopped, or wedged), so the driver zapped its mappings
 * of the region and the guest window and refuses its ioctls (-ENOLINK).
 * The next touch of either mapping is a SIGBUS.
 *
 * The SIGBUS handler here finds the vdev the address belongs to and asks
 * the driver (a KICK) whether it was revoked. If so it maps private
 * anonymous memory over both mappings, so that the access that faulted,
 * and whatever the core does until it looks, lands in memory nobody else
 * sees, and flags the vdev: the poller then detaches it and attaches
 * again. A SIGBUS anywhere else, or on a vdev still attached (the core
 * touched a page the driver never translated: a bug), kills the process
 * as the signal would, saying where.
 */
#ifndef LEAPIOD_REVOKE_H
#define LEAPIOD_REVOKE_H

#include <stdbool.h>

#include "host_dev.h"

/* Install the SIGBUS handler (once, before any vdev is attached). */
void lio_revoke_init(void);
/* Watch h's mappings from attach to detach. -ENOSPC: too many vdevs. */
int lio_revoke_track(struct lio_host_vdev *h);
void lio_revoke_untrack(struct lio_host_vdev *h);
/* The driver revoked h (a SIGBUS found out). */
bool lio_revoked(const struct lio_host_vdev *h);

#endif /* LEAPIOD_REVOKE_H */
