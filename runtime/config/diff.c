// SPDX-License-Identifier: GPL-2.0
/*
 * What a reload (SIGHUP) changes: computed apart from applying it, so that
 * the plan is tested without pollers and main.c only carries it out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static bool poller_equal(const struct lio_poller_cfg *a, const struct lio_poller_cfg *b)
{
	return a->cpu == b->cpu && a->spin_us == b->spin_us &&
	       a->idle_poll_us == b->idle_poll_us;
}

int lio_config_diff(const struct lio_config *old, const struct lio_config *new,
		    struct lio_change **changes, char *err, size_t errlen)
{
	struct lio_change *ch;
	unsigned int i, n = 0;
	int j;

	*changes = NULL;
	if (!lio_card_cfg_equal(&old->card, &new->card)) {
		snprintf(err, errlen, "card: changed: the platform leapiod serves "
			 "from is chosen at start; restart leapiod for that");
		return -EINVAL;
	}
	if (new->nr_pollers < old->nr_pollers) {
		snprintf(err, errlen, "pollers: %u instead of %u: pollers can be added "
			 "by a reload, not removed; restart leapiod for that",
			 new->nr_pollers, old->nr_pollers);
		return -EINVAL;
	}
	for (i = 0; i < old->nr_pollers; i++) {
		if (!poller_equal(&old->pollers[i], &new->pollers[i])) {
			snprintf(err, errlen, "pollers[%u]: changed: a reload adds "
				 "pollers but does not change them; restart leapiod for that",
				 i);
			return -EINVAL;
		}
	}
	ch = calloc(old->nr_vdevs + new->nr_vdevs + 1, sizeof(*ch));
	if (!ch) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < old->nr_vdevs; i++)
		if (lio_config_find(new, old->vdevs[i].uuid) < 0)
			ch[n++] = (struct lio_change){ LIO_CHANGE_REMOVE, &old->vdevs[i], NULL };
	for (i = 0; i < new->nr_vdevs; i++) {
		const struct lio_vdev_cfg *nv = &new->vdevs[i], *ov;

		j = lio_config_find(old, nv->uuid);
		if (j < 0)
			continue;
		ov = &old->vdevs[j];
		/*
		 * An update swaps NSID 1's backend under the running vdev;
		 * the other namespaces are set up when a vdev is added, so a
		 * change of them re-attaches it (remove, add) on its poller.
		 */
		if (ov->poller != nv->poller || !lio_vdev_nsids_equal(ov, nv))
			ch[n++] = (struct lio_change){ LIO_CHANGE_MOVE, ov, nv };
		else if (!lio_bdev_cfg_equal(&ov->bdev, &nv->bdev) ||
			 !lio_vdev_ns_cfg_equal(ov, nv))
			ch[n++] = (struct lio_change){ LIO_CHANGE_UPDATE, ov, nv };
	}
	for (i = 0; i < new->nr_vdevs; i++)
		if (lio_config_find(old, new->vdevs[i].uuid) < 0)
			ch[n++] = (struct lio_change){ LIO_CHANGE_ADD, NULL, &new->vdevs[i] };
	*changes = ch;
	return (int)n;
}
