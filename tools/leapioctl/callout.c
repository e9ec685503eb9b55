// SPDX-License-Identifier: GPL-2.0
/* leapioctl as mdevctl's call-out for leapio types (callout.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lio_env.h"
#include "../../common/leapio/mdev_attrs.h"
#include "../../uapi/linux/leapio_region.h"
#include "adopt.h"
#include "callout.h"
#include "client.h"
#include "mdev.h"

/* mdevctl's call-out exit statuses. */
#define CALLOUT_OK		0
#define CALLOUT_REFUSED		1
#define CALLOUT_NOT_MINE	2	/* another type's: the next script's */

/* Namespaces 2..LEAPIO_MAX_NS: leapio/ns<N>_size and ns<N>_lba_size. */
#define NSN_FIRST		2
#define NSN_COUNT		(LEAPIO_MAX_NS - NSN_FIRST + 1)

_Static_assert(LEAPIO_MAX_NS == 16, "the refusals say namespaces 2 to 16");

/* The writable attributes, as a refusal lists them. */
#define WRITABLE	"ns_size, lba_size, ns<N>_size and ns<N>_lba_size for N from 2 to 16, runtime_grace_ms, runtime, backend"

/* A controller's settings as a definition's attributes leave them. */
struct ctrl_cfg {
	u64	ns_size;
	u32	lba_size;
	/* [nsid - NSN_FIRST]: bytes (0: none), LBA size */
	u64	nsn_size[NSN_COUNT];
	u32	nsn_lba_size[NSN_COUNT];
};

/*
 * A number as the driver's kstrtou64(buf, 0) reads it: decimal, 0x hex
 * or 0 octal, one trailing newline at most. False for anything else
 * (sizes like 64G: the driver takes bytes).
 */
static bool kernel_number(const char *s, u64 max, u64 *out)
{
	unsigned long long v;
	char *end;

	if (*s == '+')
		s++;
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || (*end && strcmp(end, "\n")) || v > max)
		return false;
	*out = v;
	return true;
}

static int refuse(char *err, size_t errlen, size_t i, const char *name,
		  const char *val, const char *why)
{
	snprintf(err, errlen, "attrs[%zu] %s=%s: %s", i, name, val, why);
	return -EINVAL;
}

/*
 * leapio/backend: what the driver keeps (its rule), and what leapiod's
 * parser makes of it for the device; a device to be has no UUID yet, so
 * a stand-in.
 */
static int backend_ok(size_t i, const char *name, const char *val, char *err,
		      size_t errlen)
{
	char why[768];
	json_t *v;

	switch (leapio_backend_check(val, strlen(val))) {
	case -ENAMETOOLONG:
		return refuse(err, errlen, i, name, val, "longer than 255 bytes");
	case -EINVAL:
		return refuse(err, errlen, i, name, val,
			      "printable ASCII without spaces only");
	case 0:
		return 0;	/* no note */
	}
	v = lctl_backend_vdev("00000000-0000-0000-0000-000000000000", val, why,
			      sizeof(why));
	if (!v)
		return refuse(err, errlen, i, name, val, strchr(why, ':') ?
			      strchr(why, ':') + 2 : why);
	json_decref(v);
	return 0;
}

/*
 * leaf names an attribute of namespaces 2..16, ns<N>_size or
 * ns<N>_lba_size with N as the driver spells it: N (0 for another N) and
 * whether it is the LBA size; -1 when leaf is no such name.
 */
static int nsn_leaf(const char *leaf, bool *lba)
{
	char canon[32];
	unsigned long n;
	char *end;

	if (strncmp(leaf, "ns", 2) || leaf[2] < '0' || leaf[2] > '9')
		return -1;
	n = strtoul(leaf + 2, &end, 10);
	if (strcmp(end, "_size") && strcmp(end, "_lba_size"))
		return -1;
	*lba = end[1] == 'l';
	if (n < NSN_FIRST || n > LEAPIO_MAX_NS)
		return 0;
	snprintf(canon, sizeof(canon), *lba ? LEAPIO_SYSFS_NSN_LBA_SIZE_FMT :
		 LEAPIO_SYSFS_NSN_SIZE_FMT, (unsigned int)n);
	return strcmp(canon, leaf) ? 0 : (int)n;	/* ns02_size: no such file */
}

/* leapio/ns<N>_size or ns<N>_lba_size written to namespace nsid. */
static int apply_nsn(struct ctrl_cfg *c, unsigned int nsid, bool lba, size_t i,
		     const char *name, const char *val, char *err, size_t errlen)
{
	u64 *size = &c->nsn_size[nsid - NSN_FIRST], n;
	u32 *lba_size = &c->nsn_lba_size[nsid - NSN_FIRST];

	if (lba) {
		if (!kernel_number(val, ~0U, &n))
			return refuse(err, errlen, i, name, val, "512 or 4096");
		switch (leapio_nsn_lba_size_check(*size, (u32)n)) {
		case 0:
			*lba_size = (u32)n;
			return 0;
		case -EBUSY:
			snprintf(err, errlen,
				 "attrs[%zu] %s=%s: namespace %u exists already (leapio/ns%u_size %llu), in blocks of %u: set leapio/ns%u_lba_size before leapio/ns%u_size",
				 i, name, val, nsid, nsid, (unsigned long long)*size, *lba_size,
				 nsid, nsid);
			return -EINVAL;
		default:
			return refuse(err, errlen, i, name, val, "512 or 4096");
		}
	}
	if (!kernel_number(val, ~0ULL, &n))
		return refuse(err, errlen, i, name, val,
			      "not a number of bytes (no suffix: 64G is 68719476736)");
	switch (leapio_nsn_size_check(*size, n, *lba_size)) {
	case 0:
		*size = n;
		return 0;
	case -ERANGE:
		return refuse(err, errlen, i, name, val,
			      "larger than the largest namespace (9223372036854771712 bytes)");
	case -EBUSY:
		snprintf(err, errlen,
			 "attrs[%zu] %s=%s: smaller than namespace %u (%llu bytes): a namespace only grows (0 removes it)",
			 i, name, val, nsid, (unsigned long long)*size);
		return -EINVAL;
	default:
		snprintf(err, errlen,
			 "attrs[%zu] %s=%s: refused with ns%u_lba_size %u: 0 or a multiple of it (set leapio/ns%u_lba_size first)",
			 i, name, val, nsid, *lba_size, nsid);
		return -EINVAL;
	}
}

/* One attribute written to a controller in state c: 0, or refused. */
static int apply(struct ctrl_cfg *c, size_t i, const char *name, const char *val,
		 char *err, size_t errlen)
{
	const char *leaf = strncmp(name, "leapio/", 7) ? NULL : name + 7;
	struct ctrl_cfg next = *c;
	bool lba;
	int nsid;
	u64 n;

	if (!leaf) {
		if (!strcmp(name, "ns_size") || !strcmp(name, "lba_size") ||
		    !strcmp(name, "runtime_grace_ms") || !strcmp(name, "runtime") ||
		    !strcmp(name, "backend") || nsn_leaf(name, &lba) > 0) {
			snprintf(err, errlen, "attrs[%zu] %s: the attribute is leapio/%s", i,
				 name, name);
			return -EINVAL;
		}
		return refuse(err, errlen, i, name, val,
			      "not a leapio attribute (leapio/ and one of " WRITABLE ")");
	}
	nsid = nsn_leaf(leaf, &lba);
	if (!nsid)
		return refuse(err, errlen, i, name, val,
			      "not a leapio attribute: namespaces 2 to 16 have ns<N>_size and ns<N>_lba_size (namespace 1: ns_size, lba_size)");
	if (nsid > 0)
		return apply_nsn(c, (unsigned int)nsid, lba, i, name, val, err, errlen);
	if (!strcmp(leaf, "ns_size") || !strcmp(leaf, "lba_size")) {
		if (!kernel_number(val, ~0ULL, &n))
			return refuse(err, errlen, i, name, val,
				      "not a number of bytes (no suffix: 64G is 68719476736)");
		if (leaf[0] == 'n')
			next.ns_size = n;
		else if (n > ~0U)
			return refuse(err, errlen, i, name, val, "lba_size is 512 or 4096");
		else
			next.lba_size = (u32)n;
		switch (leapio_ns_geometry_check(next.ns_size, next.lba_size)) {
		case 0:
			*c = next;
			return 0;
		case -ERANGE:
			return refuse(err, errlen, i, name, val,
				      "larger than the largest namespace (9223372036854771712 bytes)");
		default:
			snprintf(err, errlen,
				 "attrs[%zu] %s=%s: refused with ns_size %llu and lba_size %u: lba_size is 512 or 4096, ns_size a non-zero multiple of it (set lba_size first)",
				 i, name, val, (unsigned long long)next.ns_size, next.lba_size);
			return -EINVAL;
		}
	}
	if (!strcmp(leaf, "runtime_grace_ms")) {
		if (!kernel_number(val, LEAPIO_RUNTIME_GRACE_MS_MAX, &n))
			return refuse(err, errlen, i, name, val,
				      "milliseconds, at most 600000 (10 minutes)");
		return 0;
	}
	if (!strcmp(leaf, "backend"))
		return backend_ok(i, name, val, err, errlen);
	if (!strcmp(leaf, "runtime")) {
		if (strcmp(val, "host") && strcmp(val, "host\n") && strcmp(val, "card") &&
		    strcmp(val, "card\n"))
			return refuse(err, errlen, i, name, val, "host or card");
		return 0;
	}
	return refuse(err, errlen, i, name, val,
		      "not a writable leapio attribute (" WRITABLE ")");
}

int lctl_callout_check(const json_t *cfg, char *err, size_t errlen)
{
	struct ctrl_cfg c = { .ns_size = LEAPIO_DEFAULT_NS_SIZE,
			      .lba_size = LEAPIO_DEFAULT_LBA_SIZE };
	const json_t *attrs = json_object_get(cfg, "attrs"), *a, *v;
	const char *name;
	size_t i;

	for (i = 0; i < NSN_COUNT; i++)
		c.nsn_lba_size[i] = LEAPIO_DEFAULT_LBA_SIZE;
	if (!json_is_object(cfg)) {
		snprintf(err, errlen, "the definition is not a JSON object");
		return -EINVAL;
	}
	if (!attrs)
		return 0;
	if (!json_is_array(attrs)) {
		snprintf(err, errlen, "attrs: not an array");
		return -EINVAL;
	}
	json_array_foreach(attrs, i, a) {
		if (!json_is_object(a) || json_object_size(a) != 1) {
			snprintf(err, errlen, "attrs[%zu]: not one {\"name\": \"value\"}", i);
			return -EINVAL;
		}
		json_object_foreach((json_t *)a, name, v) {
			if (!json_is_string(v)) {
				snprintf(err, errlen, "attrs[%zu] %s: the value is not a string",
					 i, name);
				return -EINVAL;
			}
			if (apply(&c, i, name, json_string_value(v), err, errlen))
				return -EINVAL;
		}
	}
	return 0;
}

/*
 * leapio/<name> of the mdev appended to a as {"leapio/<name>": value}: 0,
 * or -errno when it cannot be read. An empty value (no note) is no
 * attribute: defining "" would be a no-op.
 */
static int get_one(json_t *a, const char *root, const char *uuid, const char *name)
{
	char buf[LEAPIO_BACKEND_MAX + 2], key[32];
	int ret = lctl_mdev_attr(root, uuid, name, buf, sizeof(buf));

	if (ret) {
		fprintf(stderr, "leapio callout: mdev %s: leapio/%s unreadable\n", uuid, name);
		return ret;
	}
	if (*buf) {
		snprintf(key, sizeof(key), "leapio/%s", name);
		json_array_append_new(a, json_pack("{s:s}", key, buf));
	}
	return 0;
}

/*
 * Namespace nsid, if it exists: ns<N>_lba_size, then ns<N>_size (in
 * that order the driver creates it so). None from a driver without them.
 */
static int get_nsn(json_t *a, const char *root, const char *uuid, unsigned int nsid)
{
	char size[32], name[32], key[40];
	int ret;

	snprintf(name, sizeof(name), LEAPIO_SYSFS_NSN_SIZE_FMT, nsid);
	ret = lctl_mdev_attr(root, uuid, name, size, sizeof(size));
	if (ret == -ENOENT || (!ret && !strcmp(size, "0")))
		return 0;
	if (ret) {
		fprintf(stderr, "leapio callout: mdev %s: leapio/%s unreadable\n", uuid, name);
		return ret;
	}
	snprintf(name, sizeof(name), LEAPIO_SYSFS_NSN_LBA_SIZE_FMT, nsid);
	ret = get_one(a, root, uuid, name);
	if (ret)
		return ret;
	snprintf(key, sizeof(key), "leapio/" LEAPIO_SYSFS_NSN_SIZE_FMT, nsid);
	json_array_append_new(a, json_pack("{s:s}", key, size));
	return 0;
}

/* Event get: the running controller's settings, as attributes to define. */
static int get_attrs(const char *root, const char *uuid)
{
	json_t *a = json_array();
	unsigned int nsid;
	int ret;

	if (!a)
		return CALLOUT_REFUSED;
	ret = get_one(a, root, uuid, "lba_size");
	if (!ret)
		ret = get_one(a, root, uuid, "ns_size");
	for (nsid = NSN_FIRST; !ret && nsid <= LEAPIO_MAX_NS; nsid++)
		ret = get_nsn(a, root, uuid, nsid);
	if (!ret)
		ret = get_one(a, root, uuid, "runtime_grace_ms");
	if (!ret)
		ret = get_one(a, root, uuid, "backend");
	if (ret) {
		json_decref(a);
		return CALLOUT_REFUSED;
	}
	json_dumpf(a, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(a);
	return CALLOUT_OK;
}

/*
 * Event post of a start that worked: leapiod serves the device if its
 * definition gave it a backend. leapiod not running yet (a boot's
 * auto-start) is no failure: leapiod.service adopts it when it is.
 */
static int post_start(const char *root, const char *socket, const char *uuid)
{
	int ret = lctl_adopt_one(root, socket, uuid, stderr);

	if (ret == LCTL_NO_DAEMON) {
		fprintf(stderr, "leapio callout: %s: leapiod does not answer on %s; leapiod.service serves the device when it starts (leapioctl vdev adopt)\n",
			uuid, socket);
		return CALLOUT_OK;
	}
	return ret ? CALLOUT_REFUSED : CALLOUT_OK;
}

int lctl_callout(const char *root, const char *socket, int argc, char **argv)
{
	const char *type = NULL, *event = NULL, *action = NULL, *uuid = NULL;
	const char *state = NULL;
	char err[512];
	json_error_t jerr;
	json_t *cfg;
	int i, ret;

	for (i = 0; i + 1 < argc; i += 2) {
		const char *o = argv[i], *v = argv[i + 1];

		if (!strcmp(o, "-t"))
			type = v;
		else if (!strcmp(o, "-e"))
			event = v;
		else if (!strcmp(o, "-a"))
			action = v;
		else if (!strcmp(o, "-u"))
			uuid = v;
		else if (!strcmp(o, "-s"))
			state = v;
		else if (strcmp(o, "-p"))
			break;
	}
	if (i != argc || !type || !event || !action) {
		fprintf(stderr, "leapio callout: usage: -t TYPE -e EVENT -a ACTION -s STATE -u UUID -p PARENT (mdevctl's)\n");
		return CALLOUT_REFUSED;
	}
	if (strncmp(type, "leapio-", 7))
		return CALLOUT_NOT_MINE;
	if (!strcmp(event, "get"))
		return uuid ? get_attrs(root, uuid) : CALLOUT_REFUSED;
	if (!strcmp(event, "post") && !strcmp(action, "start") && state &&
	    !strcmp(state, "success"))
		return uuid ? post_start(root, socket, uuid) : CALLOUT_REFUSED;
	/* Only what writes attributes is checked; the rest is let through. */
	if (strcmp(event, "pre") || (strcmp(action, "define") && strcmp(action, "start") &&
				     strcmp(action, "modify")))
		return CALLOUT_OK;
	cfg = json_loadf(stdin, JSON_DISABLE_EOF_CHECK, &jerr);
	if (!cfg) {
		fprintf(stderr, "leapio callout: %s %s: the definition on standard input is not JSON: %s\n",
			action, uuid ? uuid : "", jerr.text);
		return CALLOUT_REFUSED;
	}
	ret = lctl_callout_check(cfg, err, sizeof(err));
	json_decref(cfg);
	if (ret) {
		fprintf(stderr, "leapio callout: %s %s refused: %s\n", action,
			uuid ? uuid : "", err);
		return CALLOUT_REFUSED;
	}
	return CALLOUT_OK;
}
