/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ivshmem client-server protocol (QEMU docs/specs/ivshmem-spec, version
 * 0) and the server's peer table, with no system calls: what the server
 * sends goes through a callback, so the unit tests record it and the
 * server's main loop turns it into sendmsg().
 */
#ifndef IVS_PROTO_H
#define IVS_PROTO_H

#include <stdbool.h>
#include <stdint.h>

#define IVS_PROTO_VERSION	0
#define IVS_MSG_SIZE		8	/* one little-endian int64 a message */
/* The doorbell register gives a peer id 16 bits. */
#define IVS_MAX_PEERS		65536
#define IVS_MAX_VECTORS		64

/* 8 bytes, little-endian whatever the host's order. */
void ivs_msg_encode(int64_t value, unsigned char buf[IVS_MSG_SIZE]);
int64_t ivs_msg_decode(const unsigned char buf[IVS_MSG_SIZE]);

struct ivs_peer {
	int		sock;		/* the connection to this client */
	uint16_t	id;
	/* A send to it failed: the server drops it at the next reap. */
	bool		broken;
	int		efd[];		/* one eventfd per vector */
};

struct ivs_table {
	struct ivs_peer	**slot;		/* IVS_MAX_PEERS entries, by id */
	unsigned int	nr_peers;
	unsigned int	vectors;	/* eventfds per peer */
};

/* 0, -EINVAL (vectors not in 1..IVS_MAX_VECTORS) or -ENOMEM. */
int ivs_table_init(struct ivs_table *t, unsigned int vectors);
/* Frees the table and any peer left in it (their fds are the caller's). */
void ivs_table_fini(struct ivs_table *t);

/*
 * A new peer with the lowest free id, holding sock and t->vectors eventfds
 * copied from efd (the table keeps the numbers, never closes them). 0 and
 * *out, -ENOSPC when every id is taken, or -ENOMEM.
 */
int ivs_table_add(struct ivs_table *t, int sock, const int *efd,
		  struct ivs_peer **out);
/* Frees p and its id; the caller has closed its fds. */
void ivs_table_del(struct ivs_table *t, struct ivs_peer *p);
struct ivs_peer *ivs_table_get(const struct ivs_table *t, unsigned int id);
/* Peers in id order: first with prev NULL, NULL after the last. */
struct ivs_peer *ivs_table_next(const struct ivs_table *t,
				const struct ivs_peer *prev);
/* The first peer marked broken, or NULL. */
struct ivs_peer *ivs_table_first_broken(const struct ivs_table *t);

/* Send value, with fd attached unless fd < 0, on sock: 0 or -errno. */
typedef int (*ivs_send_fn)(void *ctx, int sock, int64_t value, int fd);

/*
 * Everything a newly added peer p is owed, in the spec's order: the
 * version, its id, -1 with the shared memory fd, each other peer's id once
 * per vector with that peer's eventfds (broken ones included: p hears of
 * their departure later like everyone), then its own id once per vector
 * with its own eventfds. Then every other peer learns p's id with p's
 * eventfds. A failed send to p stops everything and returns its error
 * (no one else has heard of p yet: the caller drops it); a failed send to
 * another peer marks that peer broken and goes on.
 */
int ivs_welcome(struct ivs_table *t, struct ivs_peer *p, int shm_fd,
		ivs_send_fn send, void *ctx);

/*
 * Tell every peer that is not broken that the peer with this id (already
 * deleted from the table) left: its id with no fd. A failed send marks
 * that peer broken.
 */
void ivs_farewell(struct ivs_table *t, unsigned int id, ivs_send_fn send,
		  void *ctx);

#endif /* IVS_PROTO_H */
