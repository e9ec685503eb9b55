/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON-RPC 2.0 (https://www.jsonrpc.org/specification) over a byte
 * stream, the way SPDK's rpc.py speaks it: requests are JSON values one
 * after the other, with or without whitespace between them, and each
 * reply is one JSON object followed by a newline. This file knows the
 * protocol (framing, the request's shape, batches, the standard errors);
 * what the methods do is a table the caller passes (methods.c is
 * leapiod's). Pure: no sockets, no leapiod state.
 */
#ifndef LEAPIOD_RPC_H
#define LEAPIOD_RPC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* One request, whitespace included: larger is refused. */
#define LIO_RPC_MAX_REQUEST	(64 * 1024)

/* The specification's codes, and leapiod's own (-32000 to -32099). */
#define LIO_RPC_PARSE_ERROR		(-32700)
#define LIO_RPC_INVALID_REQUEST		(-32600)
#define LIO_RPC_METHOD_NOT_FOUND	(-32601)
#define LIO_RPC_INVALID_PARAMS		(-32602)
#define LIO_RPC_INTERNAL_ERROR		(-32603)
#define LIO_RPC_NO_SUCH_VDEV		(-32001)	/* no vdev has that UUID */
#define LIO_RPC_REFUSED			(-32002)	/* valid, but not now */
#define LIO_RPC_TOO_MANY_CLIENTS	(-32003)
#define LIO_RPC_NOT_PERMITTED		(-32004)

struct lio_rpc_err {
	int	code;
	char	msg[512];
};

/* Set err and return NULL: a method's way to fail. */
json_t *lio_rpc_fail(struct lio_rpc_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct lio_rpc_method {
	const char	*name;
	/* One line for rpc_get_methods and leapioctl's help. */
	const char	*help;
	/*
	 * params is the request's "params" (an object or an array) or NULL
	 * when it has none. The result (a new reference), or NULL with err
	 * set (lio_rpc_fail()).
	 */
	json_t		*(*call)(void *ctx, json_t *params, struct lio_rpc_err *err);
};

struct lio_rpc_table {
	const struct lio_rpc_method	*methods;
	size_t				nr;
	void				*ctx;	/* the methods' first argument */
};

/* What lio_rpc_take() did with the front of the stream. */
enum lio_rpc_took {
	LIO_RPC_MORE,		/* no whole value yet: read more */
	LIO_RPC_DONE,		/* one value taken: *used bytes of it */
	LIO_RPC_CLOSE,		/* the stream cannot go on: reply, then close */
};

/*
 * Take the first request (or batch) from buf[0, len), call its methods
 * and build the reply: *reply is what to send (a new reference), NULL
 * when there is nothing to send (notifications, or only whitespace).
 * A value that is not JSON, or a request larger than
 * LIO_RPC_MAX_REQUEST, cannot be told from what follows it: the reply is
 * the error and the stream must be closed.
 */
enum lio_rpc_took lio_rpc_take(const struct lio_rpc_table *t, const char *buf,
			       size_t len, size_t *used, json_t **reply);

/* An error reply to id (NULL: null), for the server's own refusals. */
json_t *lio_rpc_error_reply(json_t *id, int code, const char *msg);

/* The reply as the stream carries it: compact JSON and a newline. */
char *lio_rpc_dump(const json_t *reply, size_t *len);

#endif /* LEAPIOD_RPC_H */
