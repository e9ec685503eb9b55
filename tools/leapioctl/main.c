// SPDX-License-Identifier: GPL-2.0
/*
 * leapioctl: the operator's command line for LeapIO (Documentation/
 * admin-guide/leapioctl.rst). The vdev commands speak to leapiod's
 * control socket (client.c); the mdev commands write sysfs (mdev.c).
 * A vdev is given as leapiod's --vdev gives one, parsed by leapiod's
 * own parser, so the two never disagree on what a vdev is.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/leapio/version.h"
#include "adopt.h"
#include "callout.h"
#include "client.h"
#include "format.h"
#include "mdev.h"
#include "stats.h"

#define LEAPIOCTL_VERSION	LEAPIO_VERSION

struct lctl {
	const char	*socket;
	bool		json;
	const char	*sysfs;		/* "" or $LEAPIOCTL_SYSFS_ROOT (tests) */
};

static const char usage[] =
	"Usage: leapioctl [-s SOCKET] [-o table|json] COMMAND [ARG]...\n"
	"\n"
	"leapiod (through its control socket):\n"
	"  vdev list                       the vdevs leapiod serves\n"
	"  vdev get UUID                   one of them\n"
	"  vdev add UUID=PATH[,OPT]...     serve an mdev (leapiod's --vdev syntax:\n"
	"                                  offset=N,size=N,type=T,readonly,poller=N,\n"
	"                                  fabric options after an nvme+tcp:// URI)\n"
	"  vdev remove UUID                stop serving it\n"
	"  vdev set-backend UUID=PATH[,OPT]...\n"
	"                                  another backend under a served vdev\n"
	"  vdev resize UUID SIZE [--ns N]  grow its backend (and namespace) to SIZE;\n"
	"                                  --ns: namespace N's (2..16) of \"namespaces\"\n"
	"  vdev adopt [UUID]               serve the leapio mdevs (or that one) whose\n"
	"                                  leapio/backend attribute names a backend\n"
	"  stats [UUID]                    commands, bytes, errors and latency\n"
	"                                  percentiles of every vdev (or one)\n"
	"  stats --pollers                 each poller's passes, sleeps, commands\n"
	"  top [-d SECONDS] [-n COUNT] [UUID]\n"
	"                                  per-vdev IOPS, throughput and latency\n"
	"                                  every SECONDS (1), COUNT times (until ^C)\n"
	"  save-config [PATH]              write what runs (default: leapiod's --config)\n"
	"  log-level verbose|normal\n"
	"  methods                         what the socket answers to\n"
	"\n"
	"The kernel side (sysfs):\n"
	"  mdev types                      the leapio types and how many are left\n"
	"  mdev list                       leapio mdevs, their namespace and runtime\n"
	"  mdev create TYPE [--uuid UUID] [ATTR=VALUE]...\n"
	"                                  e.g. ns_size=64G lba_size=4096 (in that order)\n"
	"  mdev remove UUID\n"
	"  mdevctl-callout -t TYPE -e EVENT -a ACTION -s STATE -u UUID -p PARENT\n"
	"                                  mdevctl's call-out for leapio types: checks\n"
	"                                  a definition's attributes (JSON on stdin);\n"
	"                                  after a start, vdev adopt UUID\n"
	"\n"
	"  -s, --socket SOCKET   leapiod's control socket (default $LEAPIOD_SOCKET or "
	LCTL_DEFAULT_SOCKET ")\n"
	"  -o, --output FORMAT   table (default) or json\n"
	"  -h, --help, --version\n"
	"\n"
	"Exit status: 0 done, 1 refused (the reason is printed), 2 usage,\n"
	"3 leapiod does not answer on the socket.\n";

static int usage_err(const char *fmt, const char *arg)
{
	fprintf(stderr, "leapioctl: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'leapioctl --help'.\n");
	return LCTL_USAGE;
}

/* Call and print: tables by default, print(result) for them. */
static int call(struct lctl *c, const char *method, json_t *params,
		void (*print)(FILE *, const json_t *))
{
	json_t *result;
	char err[1024];
	int ret = lctl_call(c->socket, method, params, &result, err, sizeof(err));

	if (ret) {
		fprintf(stderr, "leapioctl: %s: %s\n", method, err);
		return ret;
	}
	if (c->json)
		lctl_print_json(stdout, result);
	else if (print)
		print(stdout, result);
	json_decref(result);
	return LCTL_OK;
}

/* One vdev's result as a one-row table. */
static void print_one_vdev(FILE *f, const json_t *v)
{
	json_t *a = json_array();

	json_array_append(a, (json_t *)v);
	lctl_print_vdevs(f, a);
	json_decref(a);
}

static json_t *uuid_params(const char *uuid)
{
	return json_pack("{s:s}", "uuid", uuid);
}

static const char *attr_value(const char *v, char *buf, size_t len);

/*
 * vdev resize UUID SIZE [--ns N]: SIZE in bytes, or with K, M, G, T; N
 * the namespace whose backend grows (leapiod's default: 1).
 */
static int vdev_resize(struct lctl *c, int argc, char **argv)
{
	const char *uuid = argv[1], *size = argv[2];
	unsigned long long n, nsid = 0;
	char buf[32], *end;
	const char *v = attr_value(size, buf, sizeof(buf));
	json_t *p;

	if (argc == 5 && !strcmp(argv[3], "--ns")) {
		errno = 0;
		nsid = strtoull(argv[4], &end, 10);
		if (argv[4][0] < '0' || argv[4][0] > '9' || *end || errno ||
		    !nsid || nsid > 16)
			return usage_err("vdev resize: --ns %s: not a namespace "
					 "(1..16)", argv[4]);
	} else if (argc != 3) {
		return usage_err("%s", "vdev resize: UUID SIZE [--ns N]");
	}
	errno = 0;
	n = strtoull(v, &end, 0);
	if (*v < '0' || *v > '9' || *end || errno || !n)
		return usage_err("vdev resize: %s: not a size (bytes, or a number "
				 "with K, M, G or T)", size);
	p = uuid_params(uuid);
	if (!p || json_object_set_new(p, "size", json_integer((json_int_t)n)) ||
	    (nsid && json_object_set_new(p, "nsid", json_integer((json_int_t)nsid)))) {
		json_decref(p);
		return usage_err("%s", "out of memory");
	}
	return call(c, "vdev_resize", p, print_one_vdev);
}

static int cmd_vdev(struct lctl *c, int argc, char **argv)
{
	char err[512];
	json_t *v, *p;

	if (argc < 1)
		return usage_err("vdev: which command (%s)?",
				 "list, get, add, remove, set-backend, resize, adopt");
	if (!strcmp(argv[0], "list") && argc == 1)
		return call(c, "vdev_list", NULL, lctl_print_vdevs);
	if (!strcmp(argv[0], "adopt") && argc <= 2)
		return argc == 2 ? lctl_adopt_one(c->sysfs, c->socket, argv[1], stdout)
				 : lctl_adopt_all(c->sysfs, c->socket, stdout);
	if (!strcmp(argv[0], "resize") && argc >= 3)
		return vdev_resize(c, argc, argv);
	if (argc != 2)
		return usage_err("vdev %s: wrong arguments", argv[0]);
	if (!strcmp(argv[0], "get"))
		return call(c, "vdev_get", uuid_params(argv[1]), print_one_vdev);
	if (!strcmp(argv[0], "remove"))
		return call(c, "vdev_remove", uuid_params(argv[1]), NULL);
	if (strcmp(argv[0], "add") && strcmp(argv[0], "set-backend"))
		return usage_err("vdev %s: no such command", argv[0]);
	v = lctl_vdev_spec(argv[1], err, sizeof(err));
	if (!v) {
		fprintf(stderr, "leapioctl: vdev %s: %s\n", argv[0], err);
		return LCTL_USAGE;
	}
	if (!strcmp(argv[0], "add"))
		return call(c, "vdev_add", v, print_one_vdev);
	if (strstr(argv[1], ",poller=")) {
		json_decref(v);
		return usage_err("vdev set-backend: %s", "poller= cannot change: "
				 "remove the vdev and add it on the other poller");
	}
	p = json_pack("{s:O, s:O}", "uuid", json_object_get(v, "uuid"), "backend",
		      json_object_get(v, "backend"));
	json_decref(v);
	return call(c, "vdev_set_backend", p, print_one_vdev);
}

/* Sizes for people: 64G is 64 << 30 (K, M, G, T: powers of 1024). */
static const char *attr_value(const char *v, char *buf, size_t len)
{
	unsigned long long n;
	char *end;
	int shift;

	if (*v < '0' || *v > '9')
		return v;
	n = strtoull(v, &end, 0);
	switch (*end) {
	case 'K': shift = 10; break;
	case 'M': shift = 20; break;
	case 'G': shift = 30; break;
	case 'T': shift = 40; break;
	default: return v;
	}
	if (end[1] || n > (~0ULL >> shift))
		return v;
	snprintf(buf, len, "%llu", n << shift);
	return buf;
}

static int cmd_mdev(struct lctl *c, int argc, char **argv)
{
	char err[1024], uuid[40] = "", vals[LCTL_MAX_ATTRS][32];
	struct lctl_attr attrs[LCTL_MAX_ATTRS];
	unsigned int nr = 0;
	json_t *r;
	int i;

	if (argc < 1)
		return usage_err("mdev: which command (%s)?", "types, list, create, remove");
	if ((!strcmp(argv[0], "types") || !strcmp(argv[0], "list")) && argc == 1) {
		bool types = !strcmp(argv[0], "types");

		r = types ? lctl_mdev_types(c->sysfs, err, sizeof(err))
			  : lctl_mdev_list(c->sysfs, err, sizeof(err));
		if (!r) {
			fprintf(stderr, "leapioctl: mdev %s: %s\n", argv[0], err);
			return LCTL_FAILED;
		}
		if (c->json)
			lctl_print_json(stdout, r);
		else if (types)
			lctl_print_types(stdout, r);
		else
			lctl_print_mdevs(stdout, r);
		json_decref(r);
		return LCTL_OK;
	}
	if (!strcmp(argv[0], "remove") && argc == 2) {
		if (lctl_mdev_remove(c->sysfs, argv[1], err, sizeof(err))) {
			fprintf(stderr, "leapioctl: %s\n", err);
			return LCTL_FAILED;
		}
		return LCTL_OK;
	}
	if (strcmp(argv[0], "create") || argc < 2)
		return usage_err("mdev %s: wrong arguments", argv[0]);
	for (i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!strcmp(argv[i], "--uuid") && i + 1 < argc) {
			snprintf(uuid, sizeof(uuid), "%s", argv[++i]);
			continue;
		}
		if (!eq || eq == argv[i] || nr == LCTL_MAX_ATTRS)
			return usage_err("mdev create: %s: not ATTR=VALUE", argv[i]);
		*eq = '\0';
		attrs[nr].name = argv[i];
		attrs[nr].value = attr_value(eq + 1, vals[nr], sizeof(vals[nr]));
		nr++;
	}
	if (lctl_mdev_create(c->sysfs, argv[1], uuid, attrs, nr, err, sizeof(err))) {
		fprintf(stderr, "leapioctl: %s\n", err);
		return LCTL_FAILED;
	}
	if (c->json)
		printf("{\"uuid\": \"%s\"}\n", uuid);
	else
		printf("%s\n", uuid);
	return LCTL_OK;
}

static int cmd_stats(struct lctl *c, int argc, char **argv)
{
	if (argc == 1 && !strcmp(argv[0], "--pollers"))
		return call(c, "poller_stats", NULL, lctl_print_pollers);
	if (argc > 1 || (argc == 1 && argv[0][0] == '-'))
		return usage_err("stats: %s", "stats [UUID] or stats --pollers");
	return call(c, "vdev_stats", argc ? uuid_params(argv[0]) : NULL,
		    lctl_print_stats);
}

/* A whole number in [min, max] from text, or -1. */
static long number_arg(const char *s, long min, long max)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || end == s || *end || n < min || n > max)
		return -1;
	return n;
}

static int cmd_top(struct lctl *c, int argc, char **argv)
{
	unsigned int interval_ms = 1000;
	unsigned long count = 0;
	const char *uuid = NULL;
	double secs;
	char *end;
	long n;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-d") && i + 1 < argc) {
			secs = strtod(argv[++i], &end);
			if (end == argv[i] || *end || !(secs >= 0.1 && secs <= 3600))
				return usage_err("top -d %s: seconds, 0.1 to 3600", argv[i]);
			interval_ms = (unsigned int)(secs * 1000 + 0.5);
		} else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			n = number_arg(argv[++i], 1, 1000000);
			if (n < 0)
				return usage_err("top -n %s: a count, 1 or more", argv[i]);
			count = (unsigned long)n;
		} else if (argv[i][0] != '-' && !uuid) {
			uuid = argv[i];
		} else {
			return usage_err("top: %s: not -d SECONDS, -n COUNT or one UUID",
					 argv[i]);
		}
	}
	return lctl_top(c->socket, c->json, uuid, interval_ms, count);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct lctl c = { .socket = getenv("LEAPIOD_SOCKET") };
	char **rest;
	int o, n;

	c.sysfs = getenv("LEAPIOCTL_SYSFS_ROOT") ?: "";
	if (!c.socket || !*c.socket)
		c.socket = LCTL_DEFAULT_SOCKET;
	/* "+": options before the command only; its own come after it. */
	while ((o = getopt_long(argc, argv, "+s:o:h", opts, NULL)) != -1) {
		switch (o) {
		case 's':
			c.socket = optarg;
			break;
		case 'o':
			if (strcmp(optarg, "json") && strcmp(optarg, "table"))
				return usage_err("-o %s: table or json", optarg);
			c.json = !strcmp(optarg, "json");
			break;
		case 'h':
			fputs(usage, stdout);
			return LCTL_OK;
		case 'V':
			printf("leapioctl %s\n", LEAPIOCTL_VERSION);
			return LCTL_OK;
		default:
			fprintf(stderr, "Try 'leapioctl --help'.\n");
			return LCTL_USAGE;
		}
	}
	rest = argv + optind;
	n = argc - optind;
	if (n < 1)
		return usage_err("%s", "no command");
	if (!strcmp(rest[0], "vdev"))
		return cmd_vdev(&c, n - 1, rest + 1);
	if (!strcmp(rest[0], "mdev"))
		return cmd_mdev(&c, n - 1, rest + 1);
	if (!strcmp(rest[0], "mdevctl-callout"))
		return lctl_callout(c.sysfs, c.socket, n - 1, rest + 1);
	if (!strcmp(rest[0], "stats"))
		return cmd_stats(&c, n - 1, rest + 1);
	if (!strcmp(rest[0], "top"))
		return cmd_top(&c, n - 1, rest + 1);
	if (!strcmp(rest[0], "methods") && n == 1)
		return call(&c, "rpc_get_methods", NULL, lctl_print_lines);
	if (!strcmp(rest[0], "save-config") && n <= 2)
		return call(&c, "save_config", n == 2 ? json_pack("{s:s}", "path", rest[1]) : NULL,
			    NULL);
	if (!strcmp(rest[0], "log-level") && n == 2 &&
	    (!strcmp(rest[1], "verbose") || !strcmp(rest[1], "normal")))
		return call(&c, "log_set_level",
			    json_pack("{s:b}", "verbose", !strcmp(rest[1], "verbose")), NULL);
	return usage_err("%s: no such command, or wrong arguments", rest[0]);
}
