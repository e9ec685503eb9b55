// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration as data: its lifetime, the checks that need all of it
 * (poller indexes, duplicate UUIDs), and the small edits main.c makes to
 * its record of what is applied.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

void lio_config_init(struct lio_config *c)
{
	memset(c, 0, sizeof(*c));
}

void lio_config_free(struct lio_config *c)
{
	free(c->pollers);
	free(c->vdevs);
	free(c->where);
	lio_config_init(c);
}

int lio_uuid_parse(const char *in, char out[LIO_UUID_STR_LEN + 1])
{
	unsigned int i;

	if (strlen(in) != LIO_UUID_STR_LEN)
		return -EINVAL;
	for (i = 0; i < LIO_UUID_STR_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? in[i] != '-' : !isxdigit((unsigned char)in[i]))
			return -EINVAL;
		out[i] = (char)tolower((unsigned char)in[i]);
	}
	out[i] = 0;
	return 0;
}

int lio_config_find(const struct lio_config *c, const char *uuid)
{
	unsigned int i;

	for (i = 0; i < c->nr_vdevs; i++)
		if (!strcmp(c->vdevs[i].uuid, uuid))
			return (int)i;
	return -1;
}

int lio_config_append(struct lio_config *c, const struct lio_vdev_cfg *v,
		      const char *where)
{
	struct lio_vdev_cfg *nv;
	char (*nw)[32];

	if (c->nr_vdevs >= LIO_MAX_VDEVS)
		return -ENOSPC;
	nv = realloc(c->vdevs, (c->nr_vdevs + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	c->vdevs = nv;
	nw = realloc(c->where, (c->nr_vdevs + 1) * sizeof(*nw));
	if (!nw)
		return -ENOMEM;
	c->where = nw;
	c->vdevs[c->nr_vdevs] = *v;
	snprintf(c->where[c->nr_vdevs], sizeof(c->where[0]), "%s", where);
	c->nr_vdevs++;
	return 0;
}

void lio_config_drop(struct lio_config *c, unsigned int i)
{
	if (i >= c->nr_vdevs)
		return;
	memmove(&c->vdevs[i], &c->vdevs[i + 1], (c->nr_vdevs - i - 1) * sizeof(c->vdevs[0]));
	memmove(&c->where[i], &c->where[i + 1], (c->nr_vdevs - i - 1) * sizeof(c->where[0]));
	c->nr_vdevs--;
}

int lio_config_copy(struct lio_config *dst, const struct lio_config *src)
{
	unsigned int i;

	lio_config_init(dst);
	if (src->nr_pollers) {
		dst->pollers = malloc(src->nr_pollers * sizeof(*dst->pollers));
		if (!dst->pollers)
			return -ENOMEM;
		memcpy(dst->pollers, src->pollers, src->nr_pollers * sizeof(*dst->pollers));
	}
	dst->nr_pollers = src->nr_pollers;
	dst->pollers_given = src->pollers_given;
	dst->card = src->card;
	for (i = 0; i < src->nr_vdevs; i++) {
		if (lio_config_append(dst, &src->vdevs[i], src->where[i])) {
			lio_config_free(dst);
			return -ENOMEM;
		}
	}
	return 0;
}

bool lio_vdev_nsids_equal(const struct lio_vdev_cfg *a, const struct lio_vdev_cfg *b)
{
	unsigned int i;

	if (a->nr_ns != b->nr_ns || a->pool.bytes != b->pool.bytes ||
	    strcmp(a->pool.dir, b->pool.dir))
		return false;
	for (i = 0; i < a->nr_ns; i++)
		if (a->ns[i].nsid != b->ns[i].nsid)
			return false;
	return true;
}

bool lio_vdev_ns_cfg_equal(const struct lio_vdev_cfg *a, const struct lio_vdev_cfg *b)
{
	unsigned int i;

	if (!lio_vdev_nsids_equal(a, b))
		return false;
	for (i = 0; i < a->nr_ns; i++)
		if (!lio_bdev_cfg_equal(&a->ns[i].bdev, &b->ns[i].bdev))
			return false;
	return true;
}

int lio_config_finish(struct lio_config *c, int default_cpu,
		      char *err, size_t errlen)
{
	unsigned int i;
	int j;

	if (c->pollers_given && default_cpu >= 0) {
		snprintf(err, errlen, "--cpu is for the default poller, and the "
			 "configuration file lists its pollers: set their \"cpu\" there");
		return -EINVAL;
	}
	if (!c->nr_pollers) {
		c->pollers = calloc(1, sizeof(*c->pollers));
		if (!c->pollers) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		c->pollers[0].cpu = default_cpu;
		c->pollers[0].spin_us = LIO_DEFAULT_SPIN_US;
		c->pollers[0].idle_poll_us = LIO_DEFAULT_IDLE_POLL_US;
		c->nr_pollers = 1;
	}
	for (i = 0; i < c->nr_vdevs; i++) {
		const struct lio_vdev_cfg *v = &c->vdevs[i];

		if (v->poller >= c->nr_pollers) {
			snprintf(err, errlen, "%s (uuid %s): poller %u: out of range, "
				 "there %s %u poller%s", c->where[i], v->uuid, v->poller,
				 c->nr_pollers == 1 ? "is" : "are", c->nr_pollers,
				 c->nr_pollers == 1 ? "" : "s");
			return -EINVAL;
		}
		/* The card has no place of the host's to make files in. */
		if (c->card.given && v->pool.bytes) {
			snprintf(err, errlen, "%s (uuid %s): pool: not in card mode "
				 "(the card's leapiod serves the namespaces the host's "
				 "made, and makes none)", c->where[i], v->uuid);
			return -EINVAL;
		}
		j = lio_config_find(c, v->uuid);
		if (j >= 0 && (unsigned int)j < i) {
			snprintf(err, errlen, "%s: uuid %s: duplicate, %s has it already",
				 c->where[i], v->uuid, c->where[j]);
			return -EINVAL;
		}
	}
	return 0;
}
