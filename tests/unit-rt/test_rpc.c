// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket's JSON-RPC 2.0 layer (runtime/control/rpc.c): the
 * stream's framing, every error reply the specification names, batches
 * and notifications, against a table of two test methods.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/lio_harness.h"
#include "../../runtime/control/rpc.h"

struct calls {
	int	echo;
	int	picky;
};

static json_t *echo(void *ctx, json_t *params, struct lio_rpc_err *err)
{
	((struct calls *)ctx)->echo++;
	return params ? json_incref(params) : json_string("nothing");
}

/* Wants {"n": <integer>}. */
static json_t *picky(void *ctx, json_t *params, struct lio_rpc_err *err)
{
	json_t *n = json_object_get(params, "n");

	((struct calls *)ctx)->picky++;
	if (!json_is_integer(n))
		return lio_rpc_fail(err, LIO_RPC_INVALID_PARAMS,
				    "n: must be an integer");
	return json_integer(json_integer_value(n) + 1);
}

static const struct lio_rpc_method methods[] = {
	{ "echo", "its params back", echo },
	{ "picky", "n + 1", picky },
};

FIXTURE(rpc) {
	struct calls calls;
	struct lio_rpc_table t;
	json_t *reply;
	size_t used;
};

FIXTURE_SETUP(rpc)
{
	memset(&self->calls, 0, sizeof(self->calls));
	self->t = (struct lio_rpc_table){ methods, 2, &self->calls };
	self->reply = NULL;
}

FIXTURE_TEARDOWN(rpc)
{
	json_decref(self->reply);
}

static enum lio_rpc_took take(FIXTURE_DATA(rpc) *self, const char *s)
{
	json_decref(self->reply);
	self->reply = NULL;
	return lio_rpc_take(&self->t, s, strlen(s), &self->used, &self->reply);
}

static int err_code(const json_t *reply)
{
	return (int)json_integer_value(json_object_get(json_object_get(reply, "error"),
						       "code"));
}

static const char *err_msg(const json_t *reply)
{
	return json_string_value(json_object_get(json_object_get(reply, "error"),
						 "message"));
}

#define REQ(method, params, id) \
	"{\"jsonrpc\": \"2.0\", \"method\": \"" method "\"" params id "}"

TEST_F(rpc, a_request_gets_its_result_under_its_id)
{
	const char *s = REQ("picky", ", \"params\": {\"n\": 41}", ", \"id\": \"a-1\"");

	ASSERT_EQ(LIO_RPC_DONE, take(self, s));
	ASSERT_EQ(strlen(s), self->used);
	ASSERT_STREQ("2.0", json_string_value(json_object_get(self->reply, "jsonrpc")));
	ASSERT_EQ(42, json_integer_value(json_object_get(self->reply, "result")));
	ASSERT_STREQ("a-1", json_string_value(json_object_get(self->reply, "id")));
	ASSERT_EQ(NULL, json_object_get(self->reply, "error"));

	ASSERT_EQ(LIO_RPC_DONE, take(self, REQ("echo", "", ", \"id\": 7")));
	ASSERT_EQ(7, json_integer_value(json_object_get(self->reply, "id")));
	ASSERT_STREQ("nothing", json_string_value(json_object_get(self->reply, "result")));
	/* A positional params array is passed as it is. */
	ASSERT_EQ(LIO_RPC_DONE, take(self, REQ("echo", ", \"params\": [1, 2]", ", \"id\": 8")));
	ASSERT_EQ(2, json_array_size(json_object_get(self->reply, "result")));
}

TEST_F(rpc, requests_follow_each_other_with_or_without_space)
{
	const char *two = REQ("echo", "", ", \"id\": 1") REQ("echo", "", ", \"id\": 2")
			  "\n\t " REQ("echo", "", ", \"id\": 3") "\n";
	size_t off = 0;
	int id;

	for (id = 1; id <= 3; id++) {
		ASSERT_EQ(LIO_RPC_DONE, lio_rpc_take(&self->t, two + off, strlen(two) - off,
						     &self->used, &self->reply));
		ASSERT_EQ(id, json_integer_value(json_object_get(self->reply, "id")));
		json_decref(self->reply);
		self->reply = NULL;
		off += self->used;
	}
	/* The newline after the last: nothing more, all of it used. */
	ASSERT_EQ(LIO_RPC_MORE, lio_rpc_take(&self->t, two + off, strlen(two) - off,
					     &self->used, &self->reply));
	ASSERT_EQ(strlen(two) - off, self->used);
	ASSERT_EQ(NULL, self->reply);
	ASSERT_EQ(3, self->calls.echo);
}

TEST_F(rpc, a_request_cut_anywhere_waits_for_the_rest)
{
	const char *s = "  " REQ("picky", ", \"params\": {\"n\": 1}", ", \"id\": 5");
	char part[256];
	size_t k;

	for (k = 0; k < strlen(s); k++) {
		memcpy(part, s, k);
		ASSERT_EQ(LIO_RPC_MORE, lio_rpc_take(&self->t, part, k, &self->used,
						     &self->reply)) TH_LOG("cut at %zu", k);
		ASSERT_EQ(NULL, self->reply);
		/* Only leading space may be dropped meanwhile. */
		ASSERT_LE(self->used, 2);
	}
	ASSERT_EQ(0, self->calls.picky);
	ASSERT_EQ(LIO_RPC_DONE, take(self, s));
	ASSERT_EQ(2, json_integer_value(json_object_get(self->reply, "result")));
}

TEST_F(rpc, a_notification_is_called_and_answered_by_nothing)
{
	ASSERT_EQ(LIO_RPC_DONE, take(self, REQ("echo", "", "")));
	ASSERT_EQ(NULL, self->reply);
	ASSERT_EQ(1, self->calls.echo);
	/* Not even an error: it has no id to answer. */
	ASSERT_EQ(LIO_RPC_DONE, take(self, REQ("nosuch", "", "")));
	ASSERT_EQ(NULL, self->reply);
	ASSERT_EQ(LIO_RPC_DONE, take(self, REQ("picky", ", \"params\": {}", "")));
	ASSERT_EQ(NULL, self->reply);
	ASSERT_EQ(1, self->calls.picky);
}

TEST_F(rpc, bad_json_is_a_parse_error_and_ends_the_stream)
{
	ASSERT_EQ(LIO_RPC_CLOSE, take(self, "{\"jsonrpc\": \"2.0\", method}"));
	ASSERT_EQ(LIO_RPC_PARSE_ERROR, err_code(self->reply));
	ASSERT_NE(NULL, strstr(err_msg(self->reply), "not JSON"));
	ASSERT_TRUE(json_is_null(json_object_get(self->reply, "id")));
	ASSERT_EQ(strlen("{\"jsonrpc\": \"2.0\", method}"), self->used);

	/* A key twice is not one request: which would count? */
	ASSERT_EQ(LIO_RPC_CLOSE, take(self, "{\"jsonrpc\": \"2.0\", \"method\": \"echo\", "
					    "\"method\": \"picky\", \"id\": 1}"));
	ASSERT_EQ(LIO_RPC_PARSE_ERROR, err_code(self->reply));
	ASSERT_EQ(0, self->calls.echo + self->calls.picky);
}

TEST_F(rpc, a_request_of_the_wrong_shape_is_an_invalid_request)
{
	static const struct {
		const char *req;
		const char *words;
		int id;		/* echoed, or 0: null */
	} bad[] = {
		{ "42 ", "JSON object", 0 },
		{ "\"echo\" ", "JSON object", 0 },
		{ "{\"method\": \"echo\", \"id\": 1}", "jsonrpc", 1 },
		{ "{\"jsonrpc\": \"1.0\", \"method\": \"echo\", \"id\": 2}", "jsonrpc", 2 },
		{ "{\"jsonrpc\": 2.0, \"method\": \"echo\", \"id\": 3}", "jsonrpc", 3 },
		{ "{\"jsonrpc\": \"2.0\", \"id\": 4}", "method", 4 },
		{ "{\"jsonrpc\": \"2.0\", \"method\": 5, \"id\": 5}", "method", 5 },
		{ "{\"jsonrpc\": \"2.0\", \"method\": \"echo\", \"params\": 1, \"id\": 6}",
		  "params", 6 },
		{ "{\"jsonrpc\": \"2.0\", \"method\": \"echo\", \"id\": {}}", "id", 0 },
		{ "[]", "empty batch", 0 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_EQ(LIO_RPC_DONE, take(self, bad[i].req)) TH_LOG("%s", bad[i].req);
		ASSERT_EQ(LIO_RPC_INVALID_REQUEST, err_code(self->reply))
			TH_LOG("%s", bad[i].req);
		ASSERT_NE(NULL, strstr(err_msg(self->reply), bad[i].words))
			TH_LOG("%s: %s", bad[i].req, err_msg(self->reply));
		if (bad[i].id) {
			ASSERT_EQ(bad[i].id,
				  json_integer_value(json_object_get(self->reply, "id")));
		} else {
			ASSERT_TRUE(json_is_null(json_object_get(self->reply, "id")));
		}
	}
	ASSERT_EQ(0, self->calls.echo);
}

TEST_F(rpc, an_unknown_method_and_bad_params_say_so)
{
	ASSERT_EQ(LIO_RPC_DONE, take(self, REQ("nosuch", "", ", \"id\": 1")));
	ASSERT_EQ(LIO_RPC_METHOD_NOT_FOUND, err_code(self->reply));
	ASSERT_NE(NULL, strstr(err_msg(self->reply), "no method nosuch"));

	ASSERT_EQ(LIO_RPC_DONE, take(self, REQ("picky", ", \"params\": {\"n\": \"x\"}",
					       ", \"id\": 2")));
	ASSERT_EQ(LIO_RPC_INVALID_PARAMS, err_code(self->reply));
	ASSERT_STREQ("n: must be an integer", err_msg(self->reply));
	ASSERT_EQ(2, json_integer_value(json_object_get(self->reply, "id")));
}

TEST_F(rpc, an_oversized_request_is_refused_and_ends_the_stream)
{
	size_t n = LIO_RPC_MAX_REQUEST + 100, head;
	char *s = malloc(n + 1);

	ASSERT_NE(NULL, s);
	/* A string that never ends within the limit. */
	head = (size_t)snprintf(s, n, "{\"jsonrpc\": \"2.0\", \"method\": \"echo\", \"params\": [\"");
	memset(s + head, 'a', n - head);
	s[n] = '\0';
	ASSERT_EQ(LIO_RPC_CLOSE, take(self, s));
	ASSERT_EQ(LIO_RPC_INVALID_REQUEST, err_code(self->reply));
	ASSERT_NE(NULL, strstr(err_msg(self->reply), "larger than 65536 bytes"));
	/* Whole, but over the limit all the same. */
	strcpy(s + n - 5, "\"]}");
	ASSERT_EQ(LIO_RPC_CLOSE, take(self, s));
	ASSERT_EQ(LIO_RPC_INVALID_REQUEST, err_code(self->reply));
	ASSERT_EQ(0, self->calls.echo);
	free(s);
}

TEST_F(rpc, a_batch_answers_each_request_that_has_an_id_in_order)
{
	json_t *r;

	ASSERT_EQ(LIO_RPC_DONE, take(self, "[" REQ("picky", ", \"params\": {\"n\": 1}", ", \"id\": 1")
				     ", " REQ("echo", "", "")
				     ", 17, " REQ("nosuch", "", ", \"id\": 3") "]"));
	ASSERT_TRUE(json_is_array(self->reply));
	ASSERT_EQ(3, json_array_size(self->reply));
	r = json_array_get(self->reply, 0);
	ASSERT_EQ(2, json_integer_value(json_object_get(r, "result")));
	r = json_array_get(self->reply, 1);
	ASSERT_EQ(LIO_RPC_INVALID_REQUEST, err_code(r));
	r = json_array_get(self->reply, 2);
	ASSERT_EQ(LIO_RPC_METHOD_NOT_FOUND, err_code(r));
	ASSERT_EQ(3, json_integer_value(json_object_get(r, "id")));
	ASSERT_EQ(1, self->calls.echo);

	/* Notifications only: no reply at all. */
	ASSERT_EQ(LIO_RPC_DONE, take(self, "[" REQ("echo", "", "") "," REQ("echo", "", "") "]"));
	ASSERT_EQ(NULL, self->reply);
	ASSERT_EQ(3, self->calls.echo);
}

TEST_F(rpc, rpc_get_methods_lists_the_table)
{
	ASSERT_EQ(LIO_RPC_DONE, take(self, REQ("rpc_get_methods", "", ", \"id\": 1")));
	ASSERT_EQ(3, json_array_size(json_object_get(self->reply, "result")));
	ASSERT_STREQ("echo", json_string_value(json_array_get(
			json_object_get(self->reply, "result"), 1)));
	ASSERT_EQ(LIO_RPC_DONE, take(self, REQ("rpc_get_methods", ", \"params\": {}",
					       ", \"id\": 2")));
	ASSERT_EQ(LIO_RPC_INVALID_PARAMS, err_code(self->reply));
}

TEST(a_reply_on_the_stream_is_one_compact_line)
{
	json_t *r = lio_rpc_error_reply(NULL, LIO_RPC_REFUSED, "no");
	size_t len = 0;
	char *s = lio_rpc_dump(r, &len);

	ASSERT_NE(NULL, s);
	ASSERT_STREQ("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32002,\"message\":\"no\"},"
		     "\"id\":null}\n", s);
	ASSERT_EQ(strlen(s), len);
	free(s);
	json_decref(r);
}

TEST_HARNESS_MAIN
