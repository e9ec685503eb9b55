/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leapiod's control socket: a Unix stream socket speaking JSON-RPC 2.0
 * (rpc.h), served from the main thread, never from a poller. Who may
 * connect: root, leapiod's own user, and, when a group is configured,
 * its members (the socket's file is 0660 root:group then, 0600 else,
 * and the peer's credentials are checked again at accept).
 */
#ifndef LEAPIOD_CTL_SERVER_H
#define LEAPIOD_CTL_SERVER_H

#include <stddef.h>
#include <sys/types.h>

#include "rpc.h"

#define LIO_CTL_MAX_CLIENTS	16
/* Replies waiting for a slow reader: past this its requests wait. */
#define LIO_CTL_MAX_OUT		(1024 * 1024)

struct lio_ctl_cfg {
	const char	*path;
	gid_t		gid;		/* (gid_t)-1: no group */
	unsigned int	max_clients;	/* 0: LIO_CTL_MAX_CLIENTS */
};

struct lio_ctl;

/*
 * Listen on cfg->path. A socket file left by a leapiod that is gone is
 * replaced; one a live leapiod answers on is refused (-EADDRINUSE).
 * 0, or -errno with a sentence in err.
 */
int lio_ctl_open(struct lio_ctl **out, const struct lio_ctl_cfg *cfg,
		 const struct lio_rpc_table *t, char *err, size_t errlen);
/* Readable when lio_ctl_work() has something to do. */
int lio_ctl_fd(const struct lio_ctl *c);
/* Accept, read, answer, write: whatever can be done without blocking. */
void lio_ctl_work(struct lio_ctl *c);
/* The clients connected now. */
unsigned int lio_ctl_clients(const struct lio_ctl *c);
/* Every client closed, the socket's file removed. NULL is fine. */
void lio_ctl_close(struct lio_ctl *c);

#endif /* LEAPIOD_CTL_SERVER_H */
