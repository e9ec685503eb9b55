// SPDX-License-Identifier: GPL-2.0
/*
 * --vdev <uuid>=<path>[,offset=N][,size=N][,type=T][,readonly][,poller=N]:
 * a vdev on the command line, for tests and quick starts; after an
 * nvme+tcp:// URI also the fabric options (ctrl_loss_tmo=5, ...). A path
 * with a comma needs the configuration file.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

static int arg_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int arg_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Decimal or 0x hex, nothing after it, no sign. */
static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

static int parse_option(struct lio_vdev_cfg *v, char *opt, const char *who,
			bool *type_given, char *err, size_t errlen)
{
	char *val = strchr(opt, '=');
	uint64_t n;

	if (val)
		*val++ = 0;
	if (!strcmp(opt, "readonly") && !val) {
		v->bdev.readonly = true;
		return 0;
	}
	if (!val || !*val)
		return arg_err(err, errlen, "%s: %s: needs a value (%s=...)", who, opt, opt);
	/* After a URI, the fabric options of backend.fabric too. */
	if (lio_nvmf_is_uri(v->bdev.path) && lio_nvmf_opt_kind(opt)) {
		char why[400];

		if (lio_nvmf_opt_set(&v->bdev.nvmf.opts, opt, val, why, sizeof(why)))
			return arg_err(err, errlen, "%s: %s", who, why);
		return 0;
	}
	if (!strcmp(opt, "type")) {
		if (lio_cfg_type_parse(val, &v->bdev.type))
			return arg_err(err, errlen, "%s: type=%s: not one of file, "
				       "block, nvme, null, nvmf", who, val);
		*type_given = true;
		return 0;
	}
	if (strcmp(opt, "offset") && strcmp(opt, "size") && strcmp(opt, "poller"))
		return arg_err(err, errlen, "%s: unknown option \"%s\" (known: offset, "
			       "size, type, readonly, poller; after an nvme+tcp:// URI "
			       "also %s)", who, opt, lio_nvmf_opt_names);
	if (parse_u64(val, &n))
		return arg_err(err, errlen, "%s: %s=%s: not a non-negative integer",
			       who, opt, val);
	if (!strcmp(opt, "poller")) {
		if (n >= LIO_MAX_POLLERS)
			return arg_err(err, errlen, "%s: poller=%s: at most %u", who, val,
				       LIO_MAX_POLLERS - 1);
		v->poller = (unsigned int)n;
		return 0;
	}
	if (n % LIO_CFG_ALIGN || n > INT64_MAX)
		return arg_err(err, errlen, "%s: %s=%s: not a multiple of %llu",
			       who, opt, val, LIO_CFG_ALIGN);
	if (!strcmp(opt, "offset"))
		v->bdev.offset = n;
	else
		v->bdev.size = n;
	return 0;
}

int lio_config_add_vdev_arg(struct lio_config *c, const char *arg,
			    char *err, size_t errlen)
{
	char who[80], *copy, *path, *opt, *save = NULL;
	bool type_given = false;
	struct lio_vdev_cfg v;
	int ret;

	memset(&v, 0, sizeof(v));
	lio_nvmf_opts_init(&v.bdev.nvmf.opts);
	snprintf(who, sizeof(who), "--vdev #%u", c->nr_vdevs + 1);
	copy = strdup(arg);
	if (!copy)
		return arg_err(err, errlen, "out of memory");
	path = strchr(copy, '=');
	if (!path) {
		ret = arg_err(err, errlen, "%s \"%s\": expected <uuid>=<path>[,offset=N]"
			      "[,size=N][,type=T][,readonly][,poller=N]", who, arg);
		goto out;
	}
	*path++ = 0;
	if (lio_uuid_parse(copy, v.uuid)) {
		ret = arg_err(err, errlen, "%s: uuid \"%s\": not a UUID "
			      "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", who, copy);
		goto out;
	}
	snprintf(who, sizeof(who), "--vdev #%u (uuid %s)", c->nr_vdevs + 1, v.uuid);
	opt = strchr(path, ',');
	if (opt)
		*opt++ = 0;
	if (strlen(path) >= sizeof(v.bdev.path)) {
		ret = arg_err(err, errlen, "%s: path longer than %zu characters", who,
			      sizeof(v.bdev.path) - 1);
		goto out;
	}
	strcpy(v.bdev.path, path);
	for (opt = opt ? strtok_r(opt, ",", &save) : NULL; opt;
	     opt = strtok_r(NULL, ",", &save)) {
		ret = parse_option(&v, opt, who, &type_given, err, errlen);
		if (ret)
			goto out;
	}
	ret = lio_cfg_backend_check(&v.bdev, type_given, who, "", err, errlen);
	if (ret)
		goto out;
	snprintf(who, sizeof(who), "--vdev #%u", c->nr_vdevs + 1);
	ret = lio_config_append(c, &v, who) ? arg_err(err, errlen, "out of memory") : 0;
out:
	free(copy);
	return ret;
}
