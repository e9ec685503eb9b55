// SPDX-License-Identifier: GPL-2.0
/*
 * The connections leapiod holds to NVMe-oF subsystems: one kernel
 * controller per (transport, address, port, subsystem, host), shared by
 * every vdev that names it, made when the first of them is added and
 * disconnected when the last is removed. A controller the host had
 * before leapiod asked (nvme connect by hand) is used and left alone.
 * Main thread only (main.c's add, remove, update, reload).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvmf.h"

struct lio_nvmf_conn {
	struct lio_nvmf_target	target;		/* nsid 0: the subsystem */
	struct lio_nvmf_opts	opts;
	char			ctrl[32];
	unsigned int		refs;
	bool			owned;
	bool			stale;		/* given up by the kernel */
	struct lio_nvmf_conn	*next;
};

static struct lio_nvmf_conn *lio_conns;
static const struct lio_nvmf_ops *lio_ops = &lio_nvmf_kernel_ops;

void lio_nvmf_set_ops(const struct lio_nvmf_ops *ops)
{
	lio_ops = ops ? ops : &lio_nvmf_kernel_ops;
}

unsigned int lio_nvmf_nr_conns(void)
{
	const struct lio_nvmf_conn *c;
	unsigned int n = 0;

	for (c = lio_conns; c; c = c->next)
		n++;
	return n;
}

/* Same subsystem, reached the same way, by the same host. */
static bool same_subsystem(const struct lio_nvmf_conn *c, const struct lio_nvmf_cfg *cfg)
{
	const struct lio_nvmf_target *a = &c->target, *b = &cfg->target;

	return !strcmp(a->transport, b->transport) && !strcmp(a->traddr, b->traddr) &&
	       !strcmp(a->trsvcid, b->trsvcid) && !strcmp(a->subsysnqn, b->subsysnqn) &&
	       !strcmp(c->opts.hostnqn, cfg->opts.hostnqn) &&
	       !strcmp(c->opts.host_traddr, cfg->opts.host_traddr) &&
	       !strcmp(c->opts.host_iface, cfg->opts.host_iface);
}

/* The live connection to cfg's subsystem, to share. */
static struct lio_nvmf_conn **find(const struct lio_nvmf_cfg *cfg)
{
	struct lio_nvmf_conn **pc;

	for (pc = &lio_conns; *pc; pc = &(*pc)->next)
		if (same_subsystem(*pc, cfg) && !(*pc)->stale)
			return pc;
	return NULL;
}

/* The connection cfg holds (by its controller's name), stale or not. */
static struct lio_nvmf_conn **find_held(const struct lio_nvmf_cfg *cfg)
{
	struct lio_nvmf_conn **pc;

	for (pc = &lio_conns; *pc; pc = &(*pc)->next)
		if (same_subsystem(*pc, cfg) && !strcmp((*pc)->ctrl, cfg->ctrl))
			return pc;
	return NULL;
}

bool lio_nvmf_given_up(const struct lio_nvmf_cfg *cfg)
{
	struct lio_nvmf_conn **pc = find_held(cfg);

	if (!pc)
		return false;
	if (!(*pc)->stale && lio_ops->state((*pc)->ctrl) == LIO_NVMF_GONE)
		(*pc)->stale = true;
	return (*pc)->stale;
}

static void drop(struct lio_nvmf_conn **pc)
{
	struct lio_nvmf_conn *c = *pc;

	if (--c->refs)
		return;
	/* A controller the kernel gave up is gone already. */
	if (c->owned && !c->stale && lio_ops->state(c->ctrl) != LIO_NVMF_GONE)
		lio_ops->disconnect(c->ctrl);
	*pc = c->next;
	free(c);
}

int lio_nvmf_get(struct lio_nvmf_cfg *cfg, char *err, size_t errlen)
{
	struct lio_nvmf_conn **pc = find(cfg), *c;
	int ret;

	/* One the kernel gave up is not shared: connect anew. */
	if (pc && lio_ops->state((*pc)->ctrl) == LIO_NVMF_GONE) {
		(*pc)->stale = true;
		pc = NULL;
	}
	if (pc) {
		c = *pc;
		/* One controller has one set of timeouts and queues. */
		if (memcmp(&c->opts, &cfg->opts, sizeof(c->opts))) {
			snprintf(err, errlen, "%s: leapiod is connected to this "
				 "subsystem already, with other fabric options: "
				 "give every vdev on it the same backend.fabric",
				 cfg->target.subsysnqn);
			return -EINVAL;
		}
		c->refs++;
	} else {
		c = calloc(1, sizeof(*c));
		if (!c) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		c->target = cfg->target;
		c->target.nsid = 0;
		c->opts = cfg->opts;
		ret = lio_ops->connect(cfg, c->ctrl, sizeof(c->ctrl), &c->owned,
				       err, errlen);
		if (ret) {
			free(c);
			return ret;
		}
		c->refs = 1;
		c->next = lio_conns;
		lio_conns = c;
		pc = &lio_conns;
	}
	ret = lio_ops->find_ns(c->ctrl, cfg->target.nsid, cfg->dev, sizeof(cfg->dev),
			       err, errlen);
	if (ret) {
		drop(pc);
		return ret;
	}
	snprintf(cfg->ctrl, sizeof(cfg->ctrl), "%s", c->ctrl);
	return 0;
}

void lio_nvmf_put(const struct lio_nvmf_cfg *cfg)
{
	struct lio_nvmf_conn **pc = find_held(cfg);

	if (pc)
		drop(pc);
}
