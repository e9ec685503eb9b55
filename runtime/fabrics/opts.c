// SPDX-License-Identifier: GPL-2.0
/*
 * The fabric options of a remote vdev (backend.fabric in the JSON file,
 * name=value after the URI of a --vdev), one table so that both parsers
 * know the same names, ranges and messages. Ranges are the kernel's
 * (drivers/nvme/host/fabrics.c) where it has one, so that a value it
 * would refuse at connect time is refused here, naming the field.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvmf_internal.h"

enum opt_kind { OPT_INT, OPT_BOOL, OPT_STR };

struct opt {
	const char	*name;
	enum opt_kind	kind;
	long		min, max;		/* OPT_INT */
	size_t		off, size;		/* in struct lio_nvmf_opts */
	int		(*check)(const char *v);
	const char	*what;			/* for a bad value */
};

static int check_nqn(const char *v)
{
	size_t i, len = strlen(v);

	if (len > LIO_NQN_MAX || strncmp(v, "nqn.", 4))
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (v[i] <= ' ' || v[i] > '~')
			return -EINVAL;
	return 0;
}

static int check_uuid(const char *v)
{
	size_t i;

	if (strlen(v) != 36)
		return -EINVAL;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (v[i] != '-')
				return -EINVAL;
		} else if (!strchr("0123456789abcdefABCDEF", v[i])) {
			return -EINVAL;
		}
	}
	return 0;
}

static int check_addr(const char *v)
{
	unsigned char a[16];

	return inet_pton(strchr(v, ':') ? AF_INET6 : AF_INET, v, a) == 1 ? 0 : -EINVAL;
}

static int check_iface(const char *v)
{
	return !*v || strlen(v) > 15 || strpbrk(v, "/ \t:") ? -EINVAL : 0;
}

/* The transformed-secret form nvme gen-dhchap-key prints. */
static int check_key(const char *v)
{
	return strncmp(v, "DHHC-1:", 7) || strlen(v) >= LIO_NVMF_KEY_MAX ?
	       -EINVAL : 0;
}

#define OFF(f)	offsetof(struct lio_nvmf_opts, f), sizeof(((struct lio_nvmf_opts *)0)->f)

static const struct opt opts[] = {
	{ "hostnqn", OPT_STR, 0, 0, OFF(hostnqn), check_nqn,
	  "an NQN (nqn.yyyy-mm.<domain>:..., at most 223 bytes)" },
	{ "hostid", OPT_STR, 0, 0, OFF(hostid), check_uuid,
	  "a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)" },
	{ "host_traddr", OPT_STR, 0, 0, OFF(host_traddr), check_addr,
	  "a local IPv4 or IPv6 address" },
	{ "host_iface", OPT_STR, 0, 0, OFF(host_iface), check_iface,
	  "a network interface name" },
	{ "ctrl_loss_tmo", OPT_INT, -1, INT_MAX, OFF(ctrl_loss_tmo), NULL,
	  "seconds, or -1 to reconnect forever" },
	{ "reconnect_delay", OPT_INT, 1, INT_MAX, OFF(reconnect_delay), NULL,
	  "seconds, 1 or more" },
	{ "nr_io_queues", OPT_INT, 1, 1024, OFF(nr_io_queues), NULL,
	  "a number of queues from 1 to 1024" },
	{ "keep_alive_tmo", OPT_INT, 0, 65535, OFF(keep_alive_tmo), NULL,
	  "seconds, 0 to 65535" },
	{ "tls", OPT_BOOL, 0, 0, OFF(tls), NULL, "true or false" },
	{ "dhchap_secret", OPT_STR, 0, 0, OFF(dhchap_secret), check_key,
	  "a DH-HMAC-CHAP secret as nvme gen-dhchap-key prints it (DHHC-1:...)" },
	{ "dhchap_ctrl_secret", OPT_STR, 0, 0, OFF(dhchap_ctrl_secret), check_key,
	  "a DH-HMAC-CHAP secret as nvme gen-dhchap-key prints it (DHHC-1:...)" },
};

const char lio_nvmf_opt_names[] = "hostnqn, hostid, host_traddr, host_iface, "
	"ctrl_loss_tmo, reconnect_delay, nr_io_queues, keep_alive_tmo, tls, "
	"dhchap_secret, dhchap_ctrl_secret";

int lio_nvmf_opt_kind(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(opts[i].name, name))
			return opts[i].kind == OPT_INT ? 'i' : opts[i].kind == OPT_BOOL ?
			       'b' : 's';
	return 0;
}

void lio_nvmf_opts_foreach(const struct lio_nvmf_opts *o, lio_nvmf_opt_fn fn, void *arg)
{
	const char *p = (const char *)o;
	unsigned int i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		const struct opt *d = &opts[i];

		switch (d->kind) {
		case OPT_INT:
			if (*(const int *)(p + d->off) != LIO_NVMF_UNSET)
				fn(arg, d->name, 'i', *(const int *)(p + d->off), NULL);
			break;
		case OPT_BOOL:
			if (*(const bool *)(p + d->off))
				fn(arg, d->name, 'b', 1, NULL);
			break;
		case OPT_STR:
			if (p[d->off])
				fn(arg, d->name, 's', 0, p + d->off);
			break;
		}
	}
}

void lio_nvmf_opts_init(struct lio_nvmf_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->ctrl_loss_tmo = LIO_NVMF_UNSET;
	o->reconnect_delay = LIO_NVMF_UNSET;
	o->nr_io_queues = LIO_NVMF_UNSET;
	o->keep_alive_tmo = LIO_NVMF_UNSET;
}

int lio_nvmf_opt_set(struct lio_nvmf_opts *o, const char *name,
		     const char *value, char *err, size_t errlen)
{
	const struct opt *d = NULL;
	unsigned int i;
	char *end;
	long n;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(opts[i].name, name))
			d = &opts[i];
	if (!d) {
		lio_nvmf_inval(err, errlen, "%s: not a fabric option (known: %s)",
			name, lio_nvmf_opt_names);
		return -ENOENT;
	}
	switch (d->kind) {
	case OPT_INT:
		errno = 0;
		n = strtol(value, &end, 10);
		if (!*value || *end || errno || n < d->min || n > d->max)
			return lio_nvmf_inval(err, errlen, "%s: \"%s\": must be %s", name,
				       value, d->what);
		*(int *)((char *)o + d->off) = (int)n;
		break;
	case OPT_BOOL:
		if (strcmp(value, "true") && strcmp(value, "false"))
			return lio_nvmf_inval(err, errlen, "%s: \"%s\": must be %s", name,
				       value, d->what);
		*(bool *)((char *)o + d->off) = !strcmp(value, "true");
		break;
	case OPT_STR:
		if (strlen(value) >= d->size || d->check(value))
			return lio_nvmf_inval(err, errlen, "%s: \"%s\": must be %s", name,
				       value, d->what);
		strcpy((char *)o + d->off, value);
		break;
	}
	return 0;
}

int lio_nvmf_opts_check(const struct lio_nvmf_opts *o, char *err, size_t errlen)
{
	if (o->ctrl_loss_tmo >= 0 && o->reconnect_delay > o->ctrl_loss_tmo)
		return lio_nvmf_inval(err, errlen, "reconnect_delay %d is longer than "
			       "ctrl_loss_tmo %d: the kernel would give the "
			       "controller up before trying once",
			       o->reconnect_delay, o->ctrl_loss_tmo);
	if (o->dhchap_ctrl_secret[0] && !o->dhchap_secret[0])
		return lio_nvmf_inval(err, errlen, "dhchap_ctrl_secret: given without "
			       "dhchap_secret (bidirectional authentication "
			       "needs the host's secret too)");
	return 0;
}

bool lio_nvmf_cfg_equal(const struct lio_nvmf_cfg *a, const struct lio_nvmf_cfg *b)
{
	return !memcmp(&a->target, &b->target, sizeof(a->target)) &&
	       !memcmp(&a->opts, &b->opts, sizeof(a->opts));
}
