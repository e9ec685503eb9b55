// SPDX-License-Identifier: GPL-2.0
/* leapiod's command line; see args.h and Documentation/admin-guide/leapiod.rst. */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

const char lio_usage[] =
	"Usage: leapiod [--config FILE] [--vdev UUID=PATH[,offset=N][,size=N]"
	"[,type=T][,readonly][,poller=N]]...\n"
	"               [--cpu N] [--control-socket PATH [--control-group GROUP]]\n"
	"               [--verbose]\n"
	"       leapiod --help | --version\n"
	"\n"
	"Serve LeapIO virtual NVMe controllers (mdevs of leapio_host.ko) from\n"
	"files, block devices or NVMe generic devices, polling their queues.\n"
	"\n"
	"  -c, --config FILE   JSON configuration: pollers and vdevs; SIGHUP reloads it\n"
	"  -V, --vdev SPEC     serve one more vdev (repeatable); TYPE is file, block,\n"
	"                      nvme or null (guessed from PATH when left out;\n"
	"                      PATH \"null\" is the null backend)\n"
	"      --cpu N         pin the default poller to CPU N\n"
	"      --control-socket PATH\n"
	"                      answer JSON-RPC 2.0 requests there (leapioctl): root\n"
	"                      and leapiod's user may connect\n"
	"      --control-group GROUP\n"
	"                      ... and GROUP's members too\n"
	"  -v, --verbose       log more\n"
	"  -h, --help          this text\n"
	"      --version       leapiod's version\n"
	"\n"
	"SIGHUP reloads the configuration, SIGINT/SIGTERM drain and exit 0.\n"
	"Exit status: 0 done, 1 runtime failure, 2 usage or configuration error.\n"
	"See Documentation/admin-guide/leapiod.rst.\n";

enum { OPT_CPU = 256, OPT_VERSION, OPT_CTL_SOCKET, OPT_CTL_GROUP };

static const struct option lio_options[] = {
	{ "config",	required_argument,	NULL, 'c' },
	{ "vdev",	required_argument,	NULL, 'V' },
	{ "cpu",	required_argument,	NULL, OPT_CPU },
	{ "control-socket", required_argument,	NULL, OPT_CTL_SOCKET },
	{ "control-group", required_argument,	NULL, OPT_CTL_GROUP },
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

int lio_args_parse(int argc, char **argv, struct lio_args *a,
		   char *err, size_t errlen)
{
	const char **nv;
	char *end;
	long cpu;
	int o;

	memset(a, 0, sizeof(*a));
	a->cpu = -1;
	opterr = 0;
	optind = 0;	/* 0: getopt re-initialises (tests parse many times) */
	while ((o = getopt_long(argc, argv, ":c:V:vh", lio_options, NULL)) != -1) {
		switch (o) {
		case 'c':
			if (a->config) {
				snprintf(err, errlen, "--config given twice");
				return -EINVAL;
			}
			a->config = optarg;
			break;
		case 'V':
			nv = realloc(a->vdev, (a->nr_vdev + 1) * sizeof(*nv));
			if (!nv) {
				snprintf(err, errlen, "out of memory");
				return -ENOMEM;
			}
			a->vdev = nv;
			a->vdev[a->nr_vdev++] = optarg;
			break;
		case OPT_CPU:
			errno = 0;
			cpu = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || cpu < 0 || cpu >= CPU_SETSIZE) {
				snprintf(err, errlen, "--cpu %s: not a CPU number (0 to %d)",
					 optarg, CPU_SETSIZE - 1);
				return -EINVAL;
			}
			a->cpu = (int)cpu;
			break;
		case OPT_CTL_SOCKET:
			if (!*optarg) {
				snprintf(err, errlen, "--control-socket: an empty path");
				return -EINVAL;
			}
			a->control_socket = optarg;
			break;
		case OPT_CTL_GROUP:
			if (!*optarg) {
				snprintf(err, errlen, "--control-group: an empty name");
				return -EINVAL;
			}
			a->control_group = optarg;
			break;
		case 'v':
			a->verbose = true;
			break;
		case 'h':
			a->help = true;
			break;
		case OPT_VERSION:
			a->version = true;
			break;
		case ':':
			/* As typed: "--config" or "-c" (optopt is 'c' for both). */
			snprintf(err, errlen, "%s needs an argument", argv[optind - 1]);
			return -EINVAL;
		default:
			/* optopt: an unknown short option; 0: a long one. */
			if (optopt)
				snprintf(err, errlen, "unknown option -%c", optopt);
			else
				snprintf(err, errlen, "unknown option %s", argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument \"%s\"", argv[optind]);
		return -EINVAL;
	}
	if (a->control_group && !a->control_socket) {
		snprintf(err, errlen, "--control-group without --control-socket");
		return -EINVAL;
	}
	/* With a control socket, vdevs may come through it. */
	if (!a->help && !a->version && !a->config && !a->nr_vdev && !a->control_socket) {
		snprintf(err, errlen, "nothing to serve: give --config FILE, --vdev "
			 "or --control-socket");
		return -EINVAL;
	}
	return 0;
}

void lio_args_free(struct lio_args *a)
{
	free(a->vdev);
	a->vdev = NULL;
	a->nr_vdev = 0;
}

int lio_args_config(const struct lio_args *a, struct lio_config *c,
		    char *err, size_t errlen)
{
	unsigned int i;
	int ret;

	lio_config_init(c);
	if (a->config) {
		ret = lio_config_load_file(c, a->config, err, errlen);
		if (ret)
			goto fail;
	}
	for (i = 0; i < a->nr_vdev; i++) {
		ret = lio_config_add_vdev_arg(c, a->vdev[i], err, errlen);
		if (ret)
			goto fail;
	}
	ret = lio_config_finish(c, a->cpu, err, errlen);
	if (!ret)
		return 0;
fail:
	lio_config_free(c);
	return ret;
}
