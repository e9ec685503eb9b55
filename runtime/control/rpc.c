// SPDX-License-Identifier: GPL-2.0
/*
 * JSON-RPC 2.0 over a byte stream (rpc.h): framing with jansson's
 * "stop after one value" mode, the request's shape checked field by
 * field with the specification's error codes, batches, notifications,
 * and one built-in method, rpc_get_methods, that lists the table.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpc.h"

json_t *lio_rpc_fail(struct lio_rpc_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return NULL;
}

json_t *lio_rpc_error_reply(json_t *id, int code, const char *msg)
{
	return json_pack("{s:s, s:{s:i, s:s}, s:O}", "jsonrpc", "2.0",
			 "error", "code", code, "message", msg,
			 "id", id ? id : json_null());
}

static json_t *result_reply(json_t *id, json_t *result)
{
	return json_pack("{s:s, s:o, s:O}", "jsonrpc", "2.0", "result", result,
			 "id", id);
}

static json_t *get_methods(const struct lio_rpc_table *t)
{
	json_t *a = json_array();
	size_t i;

	if (!a)
		return NULL;
	if (json_array_append_new(a, json_string("rpc_get_methods")))
		goto fail;
	for (i = 0; i < t->nr; i++)
		if (json_array_append_new(a, json_string(t->methods[i].name)))
			goto fail;
	return a;
fail:
	json_decref(a);
	return NULL;
}

static const struct lio_rpc_method *find(const struct lio_rpc_table *t,
					 const char *name)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		if (!strcmp(t->methods[i].name, name))
			return &t->methods[i];
	return NULL;
}

/* An id the specification allows: a string, a number or null. */
static bool id_ok(const json_t *id)
{
	return json_is_string(id) || json_is_number(id) || json_is_null(id);
}

/*
 * One request object: its reply (a new reference), or NULL for a
 * notification, which gets none whatever happens (the specification's
 * rule; a client that wants to hear of errors gives an id).
 */
static json_t *call_one(const struct lio_rpc_table *t, json_t *req)
{
	struct lio_rpc_err err = { .code = LIO_RPC_INTERNAL_ERROR };
	json_t *ver, *method, *params, *id, *result;
	const struct lio_rpc_method *m;
	const char *name;

	if (!json_is_object(req))
		return lio_rpc_error_reply(NULL, LIO_RPC_INVALID_REQUEST,
					   "a request must be a JSON object");
	id = json_object_get(req, "id");
	if (id && !id_ok(id))
		return lio_rpc_error_reply(NULL, LIO_RPC_INVALID_REQUEST,
					   "id must be a string, a number or null");
	ver = json_object_get(req, "jsonrpc");
	if (!json_is_string(ver) || strcmp(json_string_value(ver), "2.0"))
		return lio_rpc_error_reply(id, LIO_RPC_INVALID_REQUEST,
					   "jsonrpc must be \"2.0\"");
	method = json_object_get(req, "method");
	if (!json_is_string(method))
		return lio_rpc_error_reply(id, LIO_RPC_INVALID_REQUEST,
					   "method must be a string");
	params = json_object_get(req, "params");
	if (params && !json_is_object(params) && !json_is_array(params))
		return lio_rpc_error_reply(id, LIO_RPC_INVALID_REQUEST,
					   "params must be an object or an array");
	name = json_string_value(method);

	if (!strcmp(name, "rpc_get_methods")) {
		result = params ? lio_rpc_fail(&err, LIO_RPC_INVALID_PARAMS,
					       "rpc_get_methods takes no params")
				: get_methods(t);
	} else if ((m = find(t, name))) {
		result = m->call(t->ctx, params, &err);
	} else {
		result = lio_rpc_fail(&err, LIO_RPC_METHOD_NOT_FOUND,
				      "no method %s (rpc_get_methods lists them)",
				      name);
	}
	if (!id) {
		json_decref(result);
		return NULL;
	}
	if (!result)
		return lio_rpc_error_reply(id, err.code,
					   err.msg[0] ? err.msg : "out of memory");
	return result_reply(id, result);
}

/* A batch: the replies of its requests that have one, in order. */
static json_t *call_batch(const struct lio_rpc_table *t, json_t *batch)
{
	json_t *replies, *req, *r;
	size_t i;

	if (!json_array_size(batch))
		return lio_rpc_error_reply(NULL, LIO_RPC_INVALID_REQUEST,
					   "an empty batch");
	replies = json_array();
	if (!replies)
		return NULL;
	json_array_foreach(batch, i, req) {
		r = call_one(t, req);
		if (r && json_array_append_new(replies, r)) {
			json_decref(replies);
			return NULL;
		}
	}
	if (!json_array_size(replies)) {
		json_decref(replies);
		return NULL;
	}
	return replies;
}

static size_t skip_space(const char *buf, size_t len)
{
	size_t i = 0;

	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' ||
			   buf[i] == '\r'))
		i++;
	return i;
}

enum lio_rpc_took lio_rpc_take(const struct lio_rpc_table *t, const char *buf,
			       size_t len, size_t *used, json_t **reply)
{
	size_t start = skip_space(buf, len), avail = len - start;
	json_error_t e;
	json_t *v;
	char msg[320];

	*reply = NULL;
	*used = start;
	if (!avail)
		return LIO_RPC_MORE;
	/*
	 * Only the first LIO_RPC_MAX_REQUEST bytes: a value not whole by
	 * then is too large, whatever follows.
	 */
	if (avail > LIO_RPC_MAX_REQUEST)
		avail = LIO_RPC_MAX_REQUEST;
	v = json_loadb(buf + start, avail,
		       JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY |
		       JSON_REJECT_DUPLICATES, &e);
	if (!v) {
		if (json_error_code(&e) == json_error_premature_end_of_input) {
			if (avail < LIO_RPC_MAX_REQUEST)
				return LIO_RPC_MORE;
			snprintf(msg, sizeof(msg),
				 "a request larger than %d bytes", LIO_RPC_MAX_REQUEST);
			*reply = lio_rpc_error_reply(NULL, LIO_RPC_INVALID_REQUEST,
						     msg);
		} else {
			snprintf(msg, sizeof(msg), "not JSON: %s (byte %d)",
				 e.text, e.position);
			*reply = lio_rpc_error_reply(NULL, LIO_RPC_PARSE_ERROR, msg);
		}
		*used = len;
		return LIO_RPC_CLOSE;
	}
	/*
	 * A scalar that runs to the end of what came may go on in the next
	 * read ("12" of "123"): objects and arrays end with their bracket.
	 */
	if (!json_is_object(v) && !json_is_array(v) &&
	    (size_t)e.position >= avail && avail < LIO_RPC_MAX_REQUEST) {
		json_decref(v);
		return LIO_RPC_MORE;
	}
	*used = start + e.position;
	*reply = json_is_array(v) ? call_batch(t, v) : call_one(t, v);
	json_decref(v);
	return LIO_RPC_DONE;
}

char *lio_rpc_dump(const json_t *reply, size_t *len)
{
	char *s = json_dumps(reply, JSON_COMPACT), *out;
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s);
	out = realloc(s, n + 2);
	if (!out) {
		free(s);
		return NULL;
	}
	out[n] = '\n';
	out[n + 1] = '\0';
	*len = n + 1;
	return out;
}
