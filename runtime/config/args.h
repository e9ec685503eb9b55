/* SPDX-License-Identifier: GPL-2.0 */
/* leapiod's command line, and the configuration it makes. */
#ifndef LEAPIOD_ARGS_H
#define LEAPIOD_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

#include "../../common/leapio/version.h"
#define LEAPIOD_VERSION	LEAPIO_VERSION

struct lio_args {
	const char	*config;	/* --config FILE, or NULL */
	const char	**vdev;		/* --vdev arguments, in order */
	unsigned int	nr_vdev;
	int		cpu;		/* --cpu N, or -1 */
	const char	*control_socket;	/* --control-socket PATH, or NULL */
	const char	*control_group;		/* --control-group NAME, or NULL */
	bool		verbose;
	bool		help;
	bool		version;
};

/* 0, or -EINVAL with the mistake in err (exit status 2). */
int lio_args_parse(int argc, char **argv, struct lio_args *a,
		   char *err, size_t errlen);
void lio_args_free(struct lio_args *a);
extern const char lio_usage[];

/*
 * The configuration the arguments describe: the file (when given), then
 * the --vdev ones, then lio_config_finish(). Also what SIGHUP re-reads.
 */
int lio_args_config(const struct lio_args *a, struct lio_config *c,
		    char *err, size_t errlen);

#endif /* LEAPIOD_ARGS_H */
