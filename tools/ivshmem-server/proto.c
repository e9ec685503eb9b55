// SPDX-License-Identifier: GPL-2.0
/*
 * The ivshmem protocol's messages and the peer table (see proto.h). The
 * table is indexed by id so that the lowest free id, a lookup and an
 * in-order walk need no sorting; 65536 pointers is 512 KiB, once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

void ivs_msg_encode(int64_t value, unsigned char buf[IVS_MSG_SIZE])
{
	uint64_t v = (uint64_t)value;
	unsigned int i;

	for (i = 0; i < IVS_MSG_SIZE; i++)
		buf[i] = (unsigned char)(v >> (8 * i));
}

int64_t ivs_msg_decode(const unsigned char buf[IVS_MSG_SIZE])
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < IVS_MSG_SIZE; i++)
		v |= (uint64_t)buf[i] << (8 * i);
	return (int64_t)v;
}

int ivs_table_init(struct ivs_table *t, unsigned int vectors)
{
	memset(t, 0, sizeof(*t));
	if (vectors < 1 || vectors > IVS_MAX_VECTORS)
		return -EINVAL;
	t->slot = calloc(IVS_MAX_PEERS, sizeof(*t->slot));
	if (!t->slot)
		return -ENOMEM;
	t->vectors = vectors;
	return 0;
}

void ivs_table_fini(struct ivs_table *t)
{
	unsigned int id;

	if (!t->slot)
		return;
	for (id = 0; id < IVS_MAX_PEERS; id++)
		free(t->slot[id]);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

int ivs_table_add(struct ivs_table *t, int sock, const int *efd,
		  struct ivs_peer **out)
{
	struct ivs_peer *p;
	unsigned int id;

	if (t->nr_peers == IVS_MAX_PEERS)
		return -ENOSPC;
	for (id = 0; t->slot[id]; id++)
		;
	p = malloc(sizeof(*p) + t->vectors * sizeof(p->efd[0]));
	if (!p)
		return -ENOMEM;
	p->sock = sock;
	p->id = (uint16_t)id;
	p->broken = false;
	memcpy(p->efd, efd, t->vectors * sizeof(p->efd[0]));
	t->slot[id] = p;
	t->nr_peers++;
	*out = p;
	return 0;
}

void ivs_table_del(struct ivs_table *t, struct ivs_peer *p)
{
	t->slot[p->id] = NULL;
	t->nr_peers--;
	free(p);
}

struct ivs_peer *ivs_table_get(const struct ivs_table *t, unsigned int id)
{
	return id < IVS_MAX_PEERS ? t->slot[id] : NULL;
}

struct ivs_peer *ivs_table_next(const struct ivs_table *t,
				const struct ivs_peer *prev)
{
	unsigned int id = prev ? prev->id + 1U : 0;

	if (!t->slot)	/* never initialised: no peers */
		return NULL;
	for (; id < IVS_MAX_PEERS; id++)
		if (t->slot[id])
			return t->slot[id];
	return NULL;
}

struct ivs_peer *ivs_table_first_broken(const struct ivs_table *t)
{
	struct ivs_peer *p;

	for (p = ivs_table_next(t, NULL); p; p = ivs_table_next(t, p))
		if (p->broken)
			return p;
	return NULL;
}

/* p's id once per vector, each with one of p's eventfds, to peer to. */
static int send_vectors(const struct ivs_table *t, const struct ivs_peer *p,
			const struct ivs_peer *to, ivs_send_fn send, void *ctx)
{
	unsigned int v;
	int ret;

	for (v = 0; v < t->vectors; v++) {
		ret = send(ctx, to->sock, p->id, p->efd[v]);
		if (ret)
			return ret;
	}
	return 0;
}

int ivs_welcome(struct ivs_table *t, struct ivs_peer *p, int shm_fd,
		ivs_send_fn send, void *ctx)
{
	struct ivs_peer *q;
	int ret;

	ret = send(ctx, p->sock, IVS_PROTO_VERSION, -1);
	if (!ret)
		ret = send(ctx, p->sock, p->id, -1);
	if (!ret)
		ret = send(ctx, p->sock, -1, shm_fd);
	/*
	 * Broken peers too: p will hear of their departure like everyone
	 * else, so it must have heard of their arrival.
	 */
	for (q = ivs_table_next(t, NULL); q && !ret; q = ivs_table_next(t, q))
		if (q != p)
			ret = send_vectors(t, q, p, send, ctx);
	if (!ret)
		ret = send_vectors(t, p, p, send, ctx);
	if (ret)
		return ret;

	for (q = ivs_table_next(t, NULL); q; q = ivs_table_next(t, q))
		if (q != p && !q->broken && send_vectors(t, p, q, send, ctx))
			q->broken = true;
	return 0;
}

void ivs_farewell(struct ivs_table *t, unsigned int id, ivs_send_fn send,
		  void *ctx)
{
	struct ivs_peer *q;

	for (q = ivs_table_next(t, NULL); q; q = ivs_table_next(t, q))
		if (q->id != id && !q->broken && send(ctx, q->sock, id, -1))
			q->broken = true;
}
