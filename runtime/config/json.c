// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON configuration file (jansson). Every field is checked where it
 * is read and every mistake gets its own sentence naming the field and
 * the vdev, so that a bad file never half-applies.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

static int cfg_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int cfg_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

static int get_uint(const json_t *v, const char *who, const char *field,
		    uint64_t max, uint64_t *out, char *err, size_t errlen)
{
	json_int_t n;

	if (!json_is_integer(v))
		return cfg_err(err, errlen, "%s: %s: must be an integer, not %s",
			       who, field, json_kind(v));
	n = json_integer_value(v);
	if (n < 0)
		return cfg_err(err, errlen, "%s: %s: %" JSON_INTEGER_FORMAT
			       ": must not be negative", who, field, n);
	if ((uint64_t)n > max)
		return cfg_err(err, errlen, "%s: %s: %" JSON_INTEGER_FORMAT
			       ": at most %" PRIu64, who, field, n, max);
	*out = (uint64_t)n;
	return 0;
}

static int parse_poller(const json_t *o, unsigned int i, struct lio_poller_cfg *p,
			char *err, size_t errlen)
{
	const char *key;
	char who[32];
	json_t *val;
	uint64_t n;
	int ret;

	snprintf(who, sizeof(who), "pollers[%u]", i);
	if (!json_is_object(o))
		return cfg_err(err, errlen, "%s: must be an object, not %s", who,
			       json_kind(o));
	p->cpu = -1;
	p->spin_us = LIO_DEFAULT_SPIN_US;
	p->idle_poll_us = LIO_DEFAULT_IDLE_POLL_US;
	json_object_foreach((json_t *)o, key, val) {
		if (!strcmp(key, "cpu")) {
			ret = get_uint(val, who, key, CPU_SETSIZE - 1, &n, err, errlen);
			p->cpu = (int)n;
		} else if (!strcmp(key, "spin_us")) {
			ret = get_uint(val, who, key, LIO_MAX_POLL_US, &n, err, errlen);
			p->spin_us = (unsigned int)n;
		} else if (!strcmp(key, "idle_poll_us")) {
			ret = get_uint(val, who, key, LIO_MAX_POLL_US, &n, err, errlen);
			p->idle_poll_us = (unsigned int)n;
		} else {
			ret = cfg_err(err, errlen, "%s: unknown key \"%s\" (known: cpu, "
				      "spin_us, idle_poll_us)", who, key);
		}
		if (ret)
			return ret;
	}
	return 0;
}

static int get_aligned(const json_t *v, const char *who, const char *field,
		       uint64_t *out, char *err, size_t errlen)
{
	int ret = get_uint(v, who, field, INT64_MAX, out, err, errlen);

	if (!ret && *out % LIO_CFG_ALIGN)
		return cfg_err(err, errlen, "%s: %s: %" PRIu64 " is not a multiple of %llu",
			       who, field, *out, LIO_CFG_ALIGN);
	return ret;
}

/* backend.fabric: each value as text to the options' own table. */
static int parse_fabric(const json_t *o, const char *who, struct lio_nvmf_opts *opts,
			char *err, size_t errlen)
{
	const char *key;
	char text[LIO_NVMF_KEY_MAX + 32], why[400];
	json_t *val;

	if (!json_is_object(o))
		return cfg_err(err, errlen, "%s: backend.fabric: must be an object, not %s",
			       who, json_kind(o));
	json_object_foreach((json_t *)o, key, val) {
		if (json_is_integer(val))
			snprintf(text, sizeof(text), "%" JSON_INTEGER_FORMAT,
				 json_integer_value(val));
		else if (json_is_boolean(val))
			snprintf(text, sizeof(text), "%s", json_is_true(val) ? "true" : "false");
		else if (json_is_string(val))
			snprintf(text, sizeof(text), "%s", json_string_value(val));
		else
			return cfg_err(err, errlen, "%s: backend.fabric.%s: must be a "
				       "string, integer or boolean, not %s", who, key,
				       json_kind(val));
		if (lio_nvmf_opt_kind(key) && lio_nvmf_opt_kind(key) !=
		    (json_is_integer(val) ? 'i' : json_is_boolean(val) ? 'b' : 's'))
			return cfg_err(err, errlen, "%s: backend.fabric.%s: must be %s, "
				       "not %s", who, key,
				       lio_nvmf_opt_kind(key) == 'i' ? "an integer" :
				       lio_nvmf_opt_kind(key) == 'b' ? "true or false" :
				       "a string", json_kind(val));
		if (lio_nvmf_opt_set(opts, key, text, why, sizeof(why)))
			return cfg_err(err, errlen, "%s: backend.fabric.%s", who, why);
	}
	return 0;
}

/*
 * A "backend" object into b (its fabric options initialised): the vdev's
 * own and each namespace's, who naming which.
 */
static int parse_backend(const json_t *o, const char *who, struct lio_bdev_cfg *b,
			 char *err, size_t errlen)
{
	bool type_given = false;
	const char *key, *s;
	char field[32];
	json_t *val;
	int ret;

	if (!json_is_object(o))
		return cfg_err(err, errlen, "%s: backend: must be an object, not %s",
			       who, json_kind(o));
	json_object_foreach((json_t *)o, key, val) {
		snprintf(field, sizeof(field), "backend.%s", key);
		ret = 0;
		if (!strcmp(key, "type")) {
			if (!json_is_string(val))
				return cfg_err(err, errlen, "%s: %s: must be a string, not %s",
					       who, field, json_kind(val));
			if (lio_cfg_type_parse(json_string_value(val), &b->type))
				return cfg_err(err, errlen, "%s: %s: \"%s\": not one of "
					       "file, block, nvme, null, nvmf", who, field,
					       json_string_value(val));
			type_given = true;
		} else if (!strcmp(key, "path")) {
			if (!json_is_string(val))
				return cfg_err(err, errlen, "%s: %s: must be a string, not %s",
					       who, field, json_kind(val));
			s = json_string_value(val);
			if (!*s)
				return cfg_err(err, errlen, "%s: %s: empty", who, field);
			if (strlen(s) >= sizeof(b->path))
				return cfg_err(err, errlen, "%s: %s: longer than %zu characters",
					       who, field, sizeof(b->path) - 1);
			strcpy(b->path, s);
		} else if (!strcmp(key, "offset")) {
			ret = get_aligned(val, who, field, &b->offset, err, errlen);
		} else if (!strcmp(key, "size")) {
			ret = get_aligned(val, who, field, &b->size, err, errlen);
		} else if (!strcmp(key, "readonly")) {
			if (!json_is_boolean(val))
				return cfg_err(err, errlen, "%s: %s: must be true or false, not %s",
					       who, field, json_kind(val));
			b->readonly = json_is_true(val);
		} else if (!strcmp(key, "fabric")) {
			ret = parse_fabric(val, who, &b->nvmf.opts, err, errlen);
		} else {
			ret = cfg_err(err, errlen, "%s: unknown key \"%s\" (known: type, "
				      "path, offset, size, readonly, fabric)", who, field);
		}
		if (ret)
			return ret;
	}
	return lio_cfg_backend_check(b, type_given, who, "backend.", err, errlen);
}

/* A namespace's NSID: 2..LIO_MAX_NSID, NSID 1 being the vdev's backend. */
static int get_nsid(const json_t *v, const char *who, uint32_t *nsid,
		    char *err, size_t errlen)
{
	json_int_t n;

	if (!v)
		return cfg_err(err, errlen, "%s: nsid: missing (2..%u)", who, LIO_MAX_NSID);
	if (!json_is_integer(v))
		return cfg_err(err, errlen, "%s: nsid: must be an integer, not %s", who,
			       json_kind(v));
	n = json_integer_value(v);
	if (n == 1)
		return cfg_err(err, errlen, "%s: nsid: 1 is the vdev's own backend "
			       "(its \"backend\")", who);
	if (n < 2 || n > LIO_MAX_NSID)
		return cfg_err(err, errlen, "%s: nsid: %" JSON_INTEGER_FORMAT " is not 2..%u",
			       who, n, LIO_MAX_NSID);
	*nsid = (uint32_t)n;
	return 0;
}

/* One entry of "namespaces": {"nsid": N, "backend": {as the vdev's}}. */
static int parse_ns(const json_t *o, const char *who, struct lio_ns_cfg *ns,
		    char *err, size_t errlen)
{
	const json_t *backend;
	const char *key;
	json_t *val;

	memset(ns, 0, sizeof(*ns));
	lio_nvmf_opts_init(&ns->bdev.nvmf.opts);
	if (!json_is_object(o))
		return cfg_err(err, errlen, "%s: must be an object, not %s", who,
			       json_kind(o));
	json_object_foreach((json_t *)o, key, val)
		if (strcmp(key, "nsid") && strcmp(key, "backend"))
			return cfg_err(err, errlen, "%s: unknown key \"%s\" (known: nsid, "
				       "backend)", who, key);
	if (get_nsid(json_object_get(o, "nsid"), who, &ns->nsid, err, errlen))
		return -EINVAL;
	backend = json_object_get(o, "backend");
	if (!backend)
		return cfg_err(err, errlen, "%s: backend: missing", who);
	return parse_backend(backend, who, &ns->bdev, err, errlen);
}

/* Into v->ns, kept by ascending NSID (what lio_vdev_cfg promises). */
static void ns_insert(struct lio_vdev_cfg *v, const struct lio_ns_cfg *ns)
{
	unsigned int i = v->nr_ns;

	for (; i && v->ns[i - 1].nsid > ns->nsid; i--)
		v->ns[i] = v->ns[i - 1];
	v->ns[i] = *ns;
	v->nr_ns++;
}

/* "namespaces": the vdev's NSIDs besides 1, in any order, none twice. */
static int parse_namespaces(struct lio_vdev_cfg *v, const json_t *a, const char *base,
			    char *err, size_t errlen)
{
	int given_at[LIO_MAX_NSID + 1];	/* NSID -> index in a, or -1 */
	struct lio_ns_cfg ns;
	char who[128];
	size_t i, n;

	if (!json_is_array(a))
		return cfg_err(err, errlen, "%s: namespaces: must be an array, not %s",
			       base, json_kind(a));
	n = json_array_size(a);
	if (n > LIO_MAX_NSID - 1)
		return cfg_err(err, errlen, "%s: namespaces: %zu of them: at most %u "
			       "(NSIDs 2..%u)", base, n, LIO_MAX_NSID - 1, LIO_MAX_NSID);
	for (i = 0; i <= LIO_MAX_NSID; i++)
		given_at[i] = -1;
	for (i = 0; i < n; i++) {
		snprintf(who, sizeof(who), "%s: namespaces[%zu]", base, i);
		if (parse_ns(json_array_get(a, i), who, &ns, err, errlen))
			return -EINVAL;
		if (given_at[ns.nsid] >= 0)
			return cfg_err(err, errlen, "%s: nsid %u given twice, namespaces[%d] "
				       "has it already", who, ns.nsid, given_at[ns.nsid]);
		given_at[ns.nsid] = (int)i;
		ns_insert(v, &ns);
	}
	return 0;
}

/*
 * "pool": {"dir": "/abs/dir", "bytes": N}, N a non-zero multiple of 4096
 * (the runtime's bound: a namespace's blocks are whole in it either way).
 */
static int parse_pool(const json_t *o, const char *who, struct lio_pool_cfg *p,
		      char *err, size_t errlen)
{
	const json_t *dir, *bytes;
	const char *key, *s;
	json_t *val;

	if (!json_is_object(o))
		return cfg_err(err, errlen, "%s: pool: must be an object, not %s",
			       who, json_kind(o));
	json_object_foreach((json_t *)o, key, val)
		if (strcmp(key, "dir") && strcmp(key, "bytes"))
			return cfg_err(err, errlen, "%s: pool: unknown key \"%s\" "
				       "(known: dir, bytes)", who, key);
	dir = json_object_get(o, "dir");
	if (!dir)
		return cfg_err(err, errlen, "%s: pool.dir: missing (the directory "
			       "namespaces are made in)", who);
	if (!json_is_string(dir))
		return cfg_err(err, errlen, "%s: pool.dir: must be a string, not %s",
			       who, json_kind(dir));
	s = json_string_value(dir);
	if (s[0] != '/')
		return cfg_err(err, errlen, "%s: pool.dir: \"%s\": not an absolute "
			       "path", who, s);
	if (strlen(s) >= sizeof(p->dir))
		return cfg_err(err, errlen, "%s: pool.dir: longer than %zu characters",
			       who, sizeof(p->dir) - 1);
	strcpy(p->dir, s);
	bytes = json_object_get(o, "bytes");
	if (!bytes)
		return cfg_err(err, errlen, "%s: pool.bytes: missing (what its "
			       "namespaces may hold together)", who);
	if (get_aligned(bytes, who, "pool.bytes", &p->bytes, err, errlen))
		return -EINVAL;
	if (!p->bytes)
		return cfg_err(err, errlen, "%s: pool.bytes: 0: leave the pool out "
			       "for none", who);
	return 0;
}

int lio_config_parse_vdev(struct lio_vdev_cfg *v, const json_t *o,
			  const char *base, char *err, size_t errlen)
{
	const json_t *backend = NULL, *namespaces = NULL;
	const char *key;
	char who[80];
	json_t *val;
	uint64_t n;

	memset(v, 0, sizeof(*v));
	lio_nvmf_opts_init(&v->bdev.nvmf.opts);
	snprintf(who, sizeof(who), "%s", base);
	if (!json_is_object(o))
		return cfg_err(err, errlen, "%s: must be an object, not %s", who,
			       json_kind(o));
	val = json_object_get(o, "uuid");
	if (!val)
		return cfg_err(err, errlen, "%s: uuid: missing (the mdev's UUID)", who);
	if (!json_is_string(val))
		return cfg_err(err, errlen, "%s: uuid: must be a string, not %s", who,
			       json_kind(val));
	if (lio_uuid_parse(json_string_value(val), v->uuid))
		return cfg_err(err, errlen, "%s: uuid \"%s\": not a UUID "
			       "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", who,
			       json_string_value(val));
	snprintf(who, sizeof(who), "%s (uuid %s)", base, v->uuid);
	json_object_foreach((json_t *)o, key, val) {
		if (!strcmp(key, "uuid")) {
			continue;
		} else if (!strcmp(key, "backend")) {
			backend = val;
		} else if (!strcmp(key, "namespaces")) {
			namespaces = val;
		} else if (!strcmp(key, "pool")) {
			if (parse_pool(val, who, &v->pool, err, errlen))
				return -EINVAL;
		} else if (!strcmp(key, "poller")) {
			if (get_uint(val, who, key, LIO_MAX_POLLERS - 1, &n, err, errlen))
				return -EINVAL;
			v->poller = (unsigned int)n;
		} else {
			return cfg_err(err, errlen, "%s: unknown key \"%s\" (known: uuid, "
				       "backend, namespaces, pool, poller)", who, key);
		}
	}
	if (!backend)
		return cfg_err(err, errlen, "%s: backend: missing", who);
	if (parse_backend(backend, who, &v->bdev, err, errlen))
		return -EINVAL;
	if (namespaces && parse_namespaces(v, namespaces, who, err, errlen))
		return -EINVAL;
	return lio_vdev_cfg_check_overlap(v, who, err, errlen);
}

static int parse_pollers(struct lio_config *c, const json_t *a, char *err, size_t errlen)
{
	size_t i, n;
	int ret;

	if (!json_is_array(a))
		return cfg_err(err, errlen, "pollers: must be an array, not %s", json_kind(a));
	n = json_array_size(a);
	if (!n)
		return cfg_err(err, errlen, "pollers: empty: leave it out for one "
			       "default poller");
	if (n > LIO_MAX_POLLERS)
		return cfg_err(err, errlen, "pollers: %zu of them: at most %u", n,
			       LIO_MAX_POLLERS);
	c->pollers = calloc(n, sizeof(*c->pollers));
	if (!c->pollers)
		return cfg_err(err, errlen, "out of memory");
	for (i = 0; i < n; i++) {
		ret = parse_poller(json_array_get(a, i), (unsigned int)i, &c->pollers[i],
				   err, errlen);
		if (ret)
			return ret;
	}
	c->nr_pollers = (unsigned int)n;
	c->pollers_given = true;
	return 0;
}

static int parse_vdevs(struct lio_config *c, const json_t *a, char *err, size_t errlen)
{
	struct lio_vdev_cfg v;
	char where[32];
	size_t i, n;
	int ret;

	if (!json_is_array(a))
		return cfg_err(err, errlen, "vdevs: must be an array, not %s", json_kind(a));
	n = json_array_size(a);
	if (n > LIO_MAX_VDEVS)
		return cfg_err(err, errlen, "vdevs: %zu of them: at most %u", n,
			       LIO_MAX_VDEVS);
	for (i = 0; i < n; i++) {
		snprintf(where, sizeof(where), "vdevs[%zu]", i);
		ret = lio_config_parse_vdev(&v, json_array_get(a, i), where, err, errlen);
		if (ret)
			return ret;
		if (lio_config_append(c, &v, where))
			return cfg_err(err, errlen, "out of memory");
	}
	return 0;
}

int lio_config_parse_json(struct lio_config *c, const char *text,
			  char *err, size_t errlen)
{
	json_error_t jerr;
	const char *key;
	json_t *root, *val;
	int ret = 0;

	root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return cfg_err(err, errlen, "line %d column %d: %s", jerr.line,
			       jerr.column, jerr.text);
	if (!json_is_object(root)) {
		ret = cfg_err(err, errlen, "the top level must be an object, not %s",
			      json_kind(root));
		goto out;
	}
	json_object_foreach(root, key, val) {
		if (!strcmp(key, "pollers"))
			ret = parse_pollers(c, val, err, errlen);
		else if (!strcmp(key, "vdevs"))
			ret = parse_vdevs(c, val, err, errlen);
		else if (!strcmp(key, "card"))
			ret = lio_cfg_parse_card(&c->card, val, err, errlen);
		else
			ret = cfg_err(err, errlen, "unknown key \"%s\" at the top level "
				      "(known: pollers, vdevs, card)", key);
		if (ret)
			break;
	}
out:
	json_decref(root);
	return ret;
}

/* The whole file, NUL-terminated (a configuration is small). */
static char *read_all(FILE *f, size_t *len)
{
	char buf[4096], *text = NULL, *t;
	size_t n;

	*len = 0;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		t = realloc(text, *len + n + 1);
		if (!t) {
			free(text);
			errno = ENOMEM;
			return NULL;
		}
		text = t;
		memcpy(text + *len, buf, n);
		*len += n;
		text[*len] = 0;
	}
	if (ferror(f)) {
		free(text);
		return NULL;
	}
	if (!text)
		errno = 0;	/* empty */
	return text;
}

int lio_config_load_file(struct lio_config *c, const char *path,
			 char *err, size_t errlen)
{
	char *text, msg[512];
	size_t len;
	FILE *f;
	int ret;

	f = fopen(path, "re");
	if (!f)
		return cfg_err(err, errlen, "%s: cannot open it: %s", path, strerror(errno));
	errno = 0;
	text = read_all(f, &len);
	fclose(f);
	if (!text && errno)
		return cfg_err(err, errlen, "%s: cannot read it: %s", path, strerror(errno));
	if (!text)
		return cfg_err(err, errlen, "%s: empty", path);
	ret = lio_config_parse_json(c, text, msg, sizeof(msg));
	free(text);
	if (ret)
		snprintf(err, errlen, "%s: %s", path, msg);
	return ret;
}
