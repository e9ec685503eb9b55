// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: what a client of leapiod's control socket can send.
 * The input is a stream, taken request by request as the server takes it
 * (runtime/control/rpc.c), with leapiod's methods (methods.c) behind it
 * and a fake leapiod whose apply() takes any configuration it is given:
 * the framing, every request shape, every method's params checks and the
 * configurations they make. Every reply must be one JSON value; a request
 * must be taken whole or the stream ended; a running configuration must
 * stay one lio_config_finish() accepts. save_config is left out: it
 * writes wherever its params say.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/control/methods.h"

static struct lio_config running;
static struct lio_rpc_method methods[16];
static size_t nr_methods;

static const struct lio_config *fake_running(void *d)
{
	return &running;
}

static int fake_apply(void *d, const struct lio_config *next, const char *what,
		      char *why, size_t whylen)
{
	struct lio_config c;

	lio_config_init(&c);
	if (lio_config_copy(&c, next))
		return -12;
	lio_config_free(&running);
	running = c;
	return 1;
}

/* Every poller and vdev of the running configuration idle so far. */
static int fake_stats(void *d, unsigned int poller, const char *uuid,
		      struct lio_poller_stats *st, struct lio_vdev_stats *vst)
{
	if (poller >= running.nr_pollers)
		return -2;
	memset(st, 0, sizeof(*st));
	if (uuid)
		memset(vst, 0, sizeof(*vst));
	return 0;
}

static const char start[] =
	"{\"vdevs\": [{\"uuid\": \"6f1a0c8e-0000-4000-8000-000000000001\", "
	"\"backend\": {\"type\": \"null\"}}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lio_ctl_host host = { .running = fake_running, .apply = fake_apply,
				     .stats = fake_stats };
	struct lio_rpc_table t;
	size_t off = 0, used, i;
	enum lio_rpc_took took;
	char err[256];
	json_t *reply;

	if (!nr_methods) {
		for (i = 0; i < lio_ctl_nr_methods; i++)
			if (strcmp(lio_ctl_methods[i].name, "save_config"))
				methods[nr_methods++] = lio_ctl_methods[i];
	}
	lio_config_init(&running);
	if (lio_config_parse_json(&running, start, err, sizeof(err)) ||
	    lio_config_finish(&running, -1, err, sizeof(err)))
		abort();
	t = (struct lio_rpc_table){ methods, nr_methods, &host };
	for (;;) {
		took = lio_rpc_take(&t, (const char *)data + off, size - off, &used, &reply);
		if (used > size - off)
			abort();
		off += used;
		if (reply) {
			char *s = json_dumps(reply, JSON_COMPACT | JSON_ENCODE_ANY);

			if (!s || !*s)
				abort();
			free(s);
			json_decref(reply);
		}
		if (took != LIO_RPC_DONE)
			break;
		/* DONE takes something: the loop ends. */
		if (!used)
			abort();
	}
	if (lio_config_finish(&running, -1, err, sizeof(err)))
		abort();
	lio_config_free(&running);
	return 0;
}
