/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leapiod's control methods (methods.c), the table the control socket
 * serves (server.h). They change the running configuration the way a
 * SIGHUP reload does: a new configuration is made from the running one
 * and applied as a difference, so I/O of the vdevs it does not touch
 * goes on, and a backend changed under a live vdev drops nothing. The
 * methods and their params are in Documentation/admin-guide/leapiod.rst,
 * "The control socket".
 */
#ifndef LEAPIOD_CTL_METHODS_H
#define LEAPIOD_CTL_METHODS_H

#include <stddef.h>

#include "../config/config.h"
#include "rpc.h"

/* What the methods need of leapiod (main.c gives it). */
struct lio_ctl_host {
	void			*d;
	/* The configuration running now. */
	const struct lio_config	*(*running)(void *d);
	/*
	 * Run next instead (the pollers may only grow). The number of
	 * changes made, or -errno with a sentence in why: refused whole, or
	 * the first change that failed (the others are made, as a reload
	 * makes them).
	 */
	int			(*apply)(void *d, const struct lio_config *next,
					 const char *what, char *why, size_t whylen);
	/*
	 * Counters of poller i (i < the running configuration's pollers),
	 * and of vdev uuid when it is not NULL (lio_poller_get_stats()).
	 * 0, or -ENOENT.
	 */
	int			(*stats)(void *d, unsigned int poller, const char *uuid,
					 struct lio_poller_stats *st,
					 struct lio_vdev_stats *vst);
	/* --config, where save_config writes when no path is given; or NULL. */
	const char		*config_path;
};

/* The table for lio_rpc_table, ctx a struct lio_ctl_host. */
extern const struct lio_rpc_method lio_ctl_methods[];
extern const size_t lio_ctl_nr_methods;

#endif /* LEAPIOD_CTL_METHODS_H */
