// SPDX-License-Identifier: GPL-2.0
/*
 * leapiod's control methods (methods.h). Each checks its params with a
 * sentence per mistake (Invalid params), makes the configuration it
 * asks for from the running one, and has main.c apply it; a change the
 * vdev's poller or backend refuses comes back as -32002 with the reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/json_file.h"
#include "../core/log.h"
#include "methods.h"
#include "stats_json.h"

#define HOST(ctx)	((const struct lio_ctl_host *)(ctx))

/* params must be an object with only these keys (NULL-terminated). */
static bool keys_ok(json_t *params, const char *const *known, bool need,
		    struct lio_rpc_err *err)
{
	const char *key;
	json_t *val;
	size_t i;

	if (!params) {
		if (need)
			lio_rpc_fail(err, LIO_RPC_INVALID_PARAMS, "params: missing");
		return !need;
	}
	if (!json_is_object(params)) {
		lio_rpc_fail(err, LIO_RPC_INVALID_PARAMS,
			     "params: must be an object (named params)");
		return false;
	}
	json_object_foreach(params, key, val) {
		for (i = 0; known[i] && strcmp(known[i], key); i++)
			;
		if (!known[i]) {
			lio_rpc_fail(err, LIO_RPC_INVALID_PARAMS,
				     "params: unknown key \"%s\"", key);
			return false;
		}
	}
	return true;
}

/* params.uuid: the index of that running vdev, or -1 with err set. */
static int vdev_of(void *ctx, json_t *params, struct lio_rpc_err *err)
{
	json_t *u = json_object_get(params, "uuid");
	char uuid[LIO_UUID_STR_LEN + 1];
	int i;

	if (!json_is_string(u)) {
		lio_rpc_fail(err, LIO_RPC_INVALID_PARAMS, "params.uuid: %s",
			     u ? "must be a string" : "missing (the mdev's UUID)");
		return -1;
	}
	if (lio_uuid_parse(json_string_value(u), uuid)) {
		lio_rpc_fail(err, LIO_RPC_INVALID_PARAMS, "params.uuid \"%s\": not a UUID",
			     json_string_value(u));
		return -1;
	}
	i = lio_config_find(HOST(ctx)->running(HOST(ctx)->d), uuid);
	if (i < 0)
		lio_rpc_fail(err, LIO_RPC_NO_SUCH_VDEV, "no vdev %s", uuid);
	return i;
}

/*
 * Apply next (consumed) for method; the running vdev uuid's description,
 * or true when it is gone, as the result.
 */
static json_t *apply(void *ctx, struct lio_config *next, const char *method,
		     const char *uuid, struct lio_rpc_err *err)
{
	const struct lio_ctl_host *h = HOST(ctx);
	char why[512] = "";
	int ret, i;

	ret = lio_config_finish(next, -1, why, sizeof(why));
	if (!ret)
		ret = h->apply(h->d, next, method, why, sizeof(why));
	lio_config_free(next);
	if (ret < 0)
		return lio_rpc_fail(err, ret == -EINVAL ? LIO_RPC_INVALID_PARAMS :
				    LIO_RPC_REFUSED, "%s", why[0] ? why : strerror(-ret));
	i = lio_config_find(h->running(h->d), uuid);
	return i < 0 ? json_true() :
	       lio_config_vdev_json(&h->running(h->d)->vdevs[i]);
}

static int copy_running(void *ctx, struct lio_config *next, struct lio_rpc_err *err)
{
	lio_config_init(next);
	if (lio_config_copy(next, HOST(ctx)->running(HOST(ctx)->d))) {
		lio_rpc_fail(err, LIO_RPC_INTERNAL_ERROR, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

static json_t *vdev_list(void *ctx, json_t *params, struct lio_rpc_err *err)
{
	static const char *const known[] = { NULL };
	const struct lio_config *c = HOST(ctx)->running(HOST(ctx)->d);
	json_t *a;
	unsigned int i;

	if (!keys_ok(params, known, false, err))
		return NULL;
	a = json_array();
	for (i = 0; a && i < c->nr_vdevs; i++) {
		if (json_array_append_new(a, lio_config_vdev_json(&c->vdevs[i]))) {
			json_decref(a);
			return lio_rpc_fail(err, LIO_RPC_INTERNAL_ERROR, "out of memory");
		}
	}
	return a;
}

static json_t *vdev_get(void *ctx, json_t *params, struct lio_rpc_err *err)
{
	static const char *const known[] = { "uuid", NULL };
	int i;

	if (!keys_ok(params, known, true, err) || (i = vdev_of(ctx, params, err)) < 0)
		return NULL;
	return lio_config_vdev_json(&HOST(ctx)->running(HOST(ctx)->d)->vdevs[i]);
}

/*
 * params: a vdev as the configuration file lists one, and "adopted": true
 * for one served from its mdev's backend note (leapioctl vdev adopt).
 */
static json_t *vdev_add(void *ctx, json_t *params, struct lio_rpc_err *err)
{
	json_t *adopted = json_object_get(params, "adopted"), *o;
	struct lio_config next;
	struct lio_vdev_cfg v;
	char why[512] = "";
	int ret;

	if (!json_is_object(params))
		return lio_rpc_fail(err, LIO_RPC_INVALID_PARAMS,
				    "params: must be a vdev object as the configuration "
				    "file lists one ({\"uuid\", \"backend\", \"namespaces\", "
				    "\"poller\"})");
	if (adopted && !json_is_boolean(adopted))
		return lio_rpc_fail(err, LIO_RPC_INVALID_PARAMS,
				    "params.adopted: must be true or false");
	o = json_copy(params);
	if (!o)
		return lio_rpc_fail(err, LIO_RPC_INTERNAL_ERROR, "out of memory");
	json_object_del(o, "adopted");
	ret = lio_config_parse_vdev(&v, o, "params", why, sizeof(why));
	json_decref(o);
	if (ret)
		return lio_rpc_fail(err, LIO_RPC_INVALID_PARAMS, "%s", why);
	v.adopted = json_is_true(adopted);
	if (lio_config_find(HOST(ctx)->running(HOST(ctx)->d), v.uuid) >= 0)
		return lio_rpc_fail(err, LIO_RPC_REFUSED,
				    "vdev %s is running already (vdev_set_backend "
				    "changes its backend)", v.uuid);
	if (copy_running(ctx, &next, err))
		return NULL;
	if (lio_config_append(&next, &v, "control")) {
		lio_config_free(&next);
		return lio_rpc_fail(err, LIO_RPC_INTERNAL_ERROR, "out of memory");
	}
	return apply(ctx, &next, "vdev_add", v.uuid, err);
}

static json_t *vdev_remove(void *ctx, json_t *params, struct lio_rpc_err *err)
{
	static const char *const known[] = { "uuid", NULL };
	char uuid[LIO_UUID_STR_LEN + 1];
	struct lio_config next;
	int i;

	if (!keys_ok(params, known, true, err) || (i = vdev_of(ctx, params, err)) < 0)
		return NULL;
	if (copy_running(ctx, &next, err))
		return NULL;
	memcpy(uuid, next.vdevs[i].uuid, sizeof(uuid));
	lio_config_drop(&next, (unsigned int)i);
	return apply(ctx, &next, "vdev_remove", uuid, err);
}

/* params: {"uuid", "backend": {as in the file}}: the poller stays. */
static json_t *vdev_set_backend(void *ctx, json_t *params, struct lio_rpc_err *err)
{
	static const char *const known[] = { "uuid", "backend", NULL };
	struct lio_config next;
	struct lio_vdev_cfg v;
	char why[512] = "", who[64];
	json_t *o;
	int i, ret;

	if (!keys_ok(params, known, true, err) || (i = vdev_of(ctx, params, err)) < 0)
		return NULL;
	if (!json_object_get(params, "backend"))
		return lio_rpc_fail(err, LIO_RPC_INVALID_PARAMS, "params.backend: missing");
	o = json_pack("{s:O, s:O, s:i}", "uuid", json_object_get(params, "uuid"),
		      "backend", json_object_get(params, "backend"), "poller",
		      (int)HOST(ctx)->running(HOST(ctx)->d)->vdevs[i].poller);
	if (!o)
		return lio_rpc_fail(err, LIO_RPC_INTERNAL_ERROR, "out of memory");
	ret = lio_config_parse_vdev(&v, o, "params", why, sizeof(why));
	json_decref(o);
	if (ret)
		return lio_rpc_fail(err, LIO_RPC_INVALID_PARAMS, "%s", why);
	if (copy_running(ctx, &next, err))
		return NULL;
	v.adopted = next.vdevs[i].adopted;
	/* NSID 1's backend changes; the other namespaces stay as they run. */
	memcpy(v.ns, next.vdevs[i].ns, sizeof(v.ns));
	v.nr_ns = next.vdevs[i].nr_ns;
	snprintf(who, sizeof(who), "params (uuid %s)", v.uuid);
	if (lio_vdev_cfg_check_overlap(&v, who, why, sizeof(why))) {
		lio_config_free(&next);
		return lio_rpc_fail(err, LIO_RPC_INVALID_PARAMS, "%s", why);
	}
	next.vdevs[i] = v;
	return apply(ctx, &next, "vdev_set_backend", v.uuid, err);
}

/*
 * Would namespace b's backend (NSID 1's or one of "namespaces"), grown to
 * size, reach into another namespace's bytes? Asked before the file is
 * grown for it. 0 or -EINVAL with why.
 */
static int resize_overlaps(struct lio_vdev_cfg *v, struct lio_bdev_cfg *b,
			   uint64_t size, char *why, size_t whylen)
{
	uint64_t was = b->size;
	char who[64];
	int ret;

	snprintf(who, sizeof(who), "params (uuid %s)", v->uuid);
	b->size = size;
	ret = lio_vdev_cfg_check_overlap(v, who, why, whylen);
	b->size = was;
	return ret;
}

/* The backend of namespace nsid in v's configuration, or NULL. */
static struct lio_bdev_cfg *ns_backend(struct lio_vdev_cfg *v, uint32_t nsid)
{
	unsigned int i;

	if (nsid == 1)
		return &v->bdev;
	for (i = 0; i < v->nr_ns; i++)
		if (v->ns[i].nsid == nsid)
			return &v->ns[i].bdev;
	return NULL;
}

/*
 * params: {"uuid", "size", "nsid"}: the backend of namespace nsid
 * (default 1: the vdev's own; 2..16 from its "namespaces") holds size
 * bytes from its offset from now on (a file grown to hold them, a block
 * device grown beforehand), and the namespace, when it was the
 * backend's size, grows with it: the driver raises Namespace Attribute
 * Changed and the guest sees the new size. Never smaller.
 */
static json_t *vdev_resize(void *ctx, json_t *params, struct lio_rpc_err *err)
{
	static const char *const known[] = { "uuid", "size", "nsid", NULL };
	json_t *sz = json_object_get(params, "size");
	json_t *jn = json_object_get(params, "nsid");
	char uuid[LIO_UUID_STR_LEN + 1], why[512] = "";
	struct lio_bdev_cfg *b;
	struct lio_config next;
	json_int_t size, nsid = 1;
	int i, ret;

	if (!keys_ok(params, known, true, err) || (i = vdev_of(ctx, params, err)) < 0)
		return NULL;
	size = json_is_integer(sz) ? json_integer_value(sz) : 0;
	if (size <= 0 || size % 4096)
		return lio_rpc_fail(err, LIO_RPC_INVALID_PARAMS,
				    "params.size: %s", !sz ? "missing (bytes)" :
				    "must be a positive multiple of 4096 (bytes)");
	if (jn) {
		nsid = json_is_integer(jn) ? json_integer_value(jn) : 0;
		if (nsid < 1 || nsid > LIO_MAX_NSID)
			return lio_rpc_fail(err, LIO_RPC_INVALID_PARAMS,
					    "params.nsid: must be 1..%u", LIO_MAX_NSID);
	}
	if (copy_running(ctx, &next, err))
		return NULL;
	b = ns_backend(&next.vdevs[i], (uint32_t)nsid);
	if (!b) {
		lio_config_free(&next);
		return lio_rpc_fail(err, LIO_RPC_INVALID_PARAMS,
				    "params.nsid: %lld: the vdev's \"namespaces\" give "
				    "namespace %lld no backend", (long long)nsid,
				    (long long)nsid);
	}
	ret = resize_overlaps(&next.vdevs[i], b, (uint64_t)size, why, sizeof(why));
	if (!ret)
		ret = lio_bdev_resize_prepare(b, (uint64_t)size, why, sizeof(why));
	if (ret) {
		lio_config_free(&next);
		return lio_rpc_fail(err, ret == -EINVAL ? LIO_RPC_INVALID_PARAMS :
				    LIO_RPC_REFUSED, "%s", why);
	}
	b->size = (uint64_t)size;
	memcpy(uuid, next.vdevs[i].uuid, sizeof(uuid));
	return apply(ctx, &next, "vdev_resize", uuid, err);
}

/* The running configuration into path: a new file, then renamed over. */
static int write_config(const struct lio_config *c, const char *path,
			char *why, size_t whylen)
{
	json_t *j = lio_config_json(c);
	int ret;

	if (!j) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	ret = lio_json_file_replace(j, path, 0640, why, whylen);
	json_decref(j);
	return ret;
}

static json_t *save_config(void *ctx, json_t *params, struct lio_rpc_err *err)
{
	static const char *const known[] = { "path", NULL };
	const struct lio_ctl_host *h = HOST(ctx);
	json_t *p = json_object_get(params, "path");
	const char *path = h->config_path;
	char why[4200];

	if (!keys_ok(params, known, false, err))
		return NULL;
	if (p && (!json_is_string(p) || !json_string_length(p)))
		return lio_rpc_fail(err, LIO_RPC_INVALID_PARAMS,
				    "params.path: must be a file's path");
	if (p)
		path = json_string_value(p);
	if (!path)
		return lio_rpc_fail(err, LIO_RPC_INVALID_PARAMS,
				    "params.path: missing, and leapiod was started "
				    "without --config");
	if (write_config(h->running(h->d), path, why, sizeof(why)))
		return lio_rpc_fail(err, LIO_RPC_REFUSED, "%s", why);
	lio_log("control: save_config: %s", path);
	return json_pack("{s:s}", "path", path);
}

static json_t *log_set_level(void *ctx __attribute__((unused)), json_t *params,
			     struct lio_rpc_err *err)
{
	static const char *const known[] = { "verbose", NULL };
	json_t *v = json_object_get(params, "verbose");

	if (!keys_ok(params, known, true, err))
		return NULL;
	if (!json_is_boolean(v))
		return lio_rpc_fail(err, LIO_RPC_INVALID_PARAMS,
				    "params.verbose: must be true or false");
	lio_log_verbose = json_is_true(v);
	return json_true();
}

/* Samples are taken at this clock, for rates over two of them. */
static json_int_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (json_int_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* One vdev's figures: {"uuid", "poller", "read", "write", "other"}. */
static json_t *one_vdev_stats(void *ctx, const struct lio_vdev_cfg *v,
			      struct lio_rpc_err *err)
{
	const struct lio_ctl_host *h = HOST(ctx);
	struct lio_poller_stats ps;
	struct lio_vdev_stats *vs = malloc(sizeof(*vs));
	json_t *j = NULL;

	if (!vs)
		return lio_rpc_fail(err, LIO_RPC_INTERNAL_ERROR, "out of memory");
	if (h->stats(h->d, v->poller, v->uuid, &ps, vs))
		lio_rpc_fail(err, LIO_RPC_NO_SUCH_VDEV, "no vdev %s", v->uuid);
	else if (!(j = lio_vdev_stats_json(vs)) ||
		 json_object_set_new(j, "uuid", json_string(v->uuid)) ||
		 json_object_set_new(j, "poller", json_integer(v->poller)))
		lio_rpc_fail(err, LIO_RPC_INTERNAL_ERROR, "out of memory");
	else {
		free(vs);
		return j;
	}
	json_decref(j);
	free(vs);
	return NULL;
}

/* params: {"uuid"} for one vdev, none for all. */
static json_t *vdev_stats(void *ctx, json_t *params, struct lio_rpc_err *err)
{
	static const char *const known[] = { "uuid", NULL };
	const struct lio_config *c = HOST(ctx)->running(HOST(ctx)->d);
	json_t *a, *one;
	unsigned int i;
	int only = -1;

	if (!keys_ok(params, known, false, err))
		return NULL;
	if (params && json_object_get(params, "uuid") &&
	    (only = vdev_of(ctx, params, err)) < 0)
		return NULL;
	a = json_array();
	for (i = 0; a && i < c->nr_vdevs; i++) {
		if (only >= 0 && i != (unsigned int)only)
			continue;
		one = one_vdev_stats(ctx, &c->vdevs[i], err);
		if (!one || json_array_append_new(a, one)) {
			json_decref(a);
			return one ? lio_rpc_fail(err, LIO_RPC_INTERNAL_ERROR,
						  "out of memory") : NULL;
		}
	}
	if (!a)
		return lio_rpc_fail(err, LIO_RPC_INTERNAL_ERROR, "out of memory");
	return json_pack("{s:I, s:o}", "time_ns", now_ns(), "vdevs", a);
}

static json_t *poller_stats(void *ctx, json_t *params, struct lio_rpc_err *err)
{
	static const char *const known[] = { NULL };
	const struct lio_ctl_host *h = HOST(ctx);
	const struct lio_config *c = h->running(h->d);
	struct lio_poller_stats st;
	json_t *a;
	unsigned int i;

	if (!keys_ok(params, known, false, err))
		return NULL;
	a = json_array();
	for (i = 0; a && i < c->nr_pollers; i++) {
		if (h->stats(h->d, i, NULL, &st, NULL) ||
		    json_array_append_new(a, json_pack(
				"{s:i, s:i, s:i, s:I, s:I, s:I, s:I, s:I}",
				"index", (int)i, "cpu", c->pollers[i].cpu,
				"vdevs", (int)st.nr_vdevs, "cmds", (json_int_t)st.cmds,
				"polls", (json_int_t)st.polls,
				"idle_polls", (json_int_t)st.idle_polls,
				"sleeps", (json_int_t)st.sleeps,
				"irqs", (json_int_t)st.irqs))) {
			json_decref(a);
			return lio_rpc_fail(err, LIO_RPC_INTERNAL_ERROR,
					    "poller %u: no figures", i);
		}
	}
	if (!a)
		return lio_rpc_fail(err, LIO_RPC_INTERNAL_ERROR, "out of memory");
	return json_pack("{s:I, s:o}", "time_ns", now_ns(), "pollers", a);
}

const struct lio_rpc_method lio_ctl_methods[] = {
	{ "vdev_list", "the vdevs running now, as the configuration file lists them",
	  vdev_list },
	{ "vdev_get", "one vdev: {\"uuid\"}", vdev_get },
	{ "vdev_add", "serve an mdev: a vdev object of the configuration file",
	  vdev_add },
	{ "vdev_remove", "stop serving one: {\"uuid\"}", vdev_remove },
	{ "vdev_set_backend", "another backend under a running vdev: {\"uuid\", \"backend\"}",
	  vdev_set_backend },
	{ "vdev_resize", "a namespace's backend (and the namespace, of its size) grown to "
	  "{\"uuid\", \"size\", \"nsid\"} bytes",
	  vdev_resize },
	{ "save_config", "write the running configuration: {\"path\"} or --config's file",
	  save_config },
	{ "log_set_level", "verbose logging on or off: {\"verbose\"}", log_set_level },
	{ "vdev_stats", "I/O counts and latency of every vdev, or of {\"uuid\"}",
	  vdev_stats },
	{ "poller_stats", "each poller's passes, sleeps, commands and interrupts",
	  poller_stats },
};

const size_t lio_ctl_nr_methods = sizeof(lio_ctl_methods) / sizeof(lio_ctl_methods[0]);
