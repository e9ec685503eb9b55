/* SPDX-License-Identifier: GPL-2.0 */
/* ivshmem-server's command line and exit codes. */
#ifndef IVS_ARGS_H
#define IVS_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes, as documented in Documentation/admin-guide/ivshmem-server.rst. */
enum ivs_exit {
	IVS_EXIT_OK	 = 0,	/* stopped by SIGTERM/SIGINT, or -h */
	IVS_EXIT_FAIL	 = 1,	/* a failure while serving */
	IVS_EXIT_USAGE	 = 2,	/* a bad command line */
	IVS_EXIT_SHM	 = 3,	/* the shared memory file could not be set up */
	IVS_EXIT_SOCKET	 = 4,	/* the socket could not be set up (in use, ...) */
	IVS_EXIT_PIDFILE = 5,	/* the pid file, or going to the background */
};

#define IVS_MIN_SIZE	(UINT64_C(1) << 12)	/* one page */
#define IVS_MAX_SIZE	(UINT64_C(1) << 40)

struct ivs_args {
	const char	*sock_path;	/* -S */
	const char	*shm_path;	/* -m */
	const char	*pidfile;	/* -p, or NULL */
	uint64_t	size;		/* -l */
	unsigned int	vectors;	/* -n, default 1 */
	bool		foreground;	/* -F */
	bool		help;		/* -h */
};

/*
 * 0, or -EINVAL with a sentence naming the option and what is wrong with
 * it in err (exit with IVS_EXIT_USAGE).
 */
int ivs_args_parse(int argc, char **argv, struct ivs_args *a,
		   char *err, size_t errlen);

/*
 * A size: decimal digits, optionally followed by K, M, G or T (powers of
 * 1024). 0 or -EINVAL (not a number, unknown suffix, overflow).
 */
int ivs_parse_size(const char *s, uint64_t *out);

extern const char ivs_usage[];

#endif /* IVS_ARGS_H */
