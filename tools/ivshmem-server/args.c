// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem-server's command line. Every mistake is refused with a sentence
 * that names the option and the value, so that a test rig's log says what
 * to fix.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "proto.h"

const char ivs_usage[] =
	"usage: ivshmem-server -S SOCKET -m MEMFILE -l SIZE [-n VECTORS] [-F] [-p PIDFILE]\n"
	"  -S SOCKET   UNIX socket to listen on (a stale one is replaced)\n"
	"  -m MEMFILE  shared memory file, created if missing, resized to SIZE\n"
	"  -l SIZE     a power of two from 4K to 1T (suffixes K, M, G, T)\n"
	"  -n VECTORS  interrupt vectors (eventfds) per peer, 1 to 64 (default 1)\n"
	"  -F          stay in the foreground (default: detach once listening)\n"
	"  -p PIDFILE  write the server's pid there\n"
	"  -h          this help\n";

static int refuse(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int ivs_parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int shift = 0;
	const char *c = s;

	if (*c < '0' || *c > '9')
		return -EINVAL;
	for (; *c >= '0' && *c <= '9'; c++) {
		if (v > (UINT64_MAX - (uint64_t)(*c - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*c - '0');
	}
	switch (*c) {
	case '\0':
		break;
	case 'K': shift = 10; break;
	case 'M': shift = 20; break;
	case 'G': shift = 30; break;
	case 'T': shift = 40; break;
	default:
		return -EINVAL;
	}
	if (*c && c[1])
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -EINVAL;
	*out = v << shift;
	return 0;
}

static int parse_vectors(const char *s, unsigned int *out)
{
	uint64_t v;

	/* Plain digits only: ivs_parse_size's suffixes make no sense here. */
	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
		return -EINVAL;
	if (ivs_parse_size(s, &v) || v < 1 || v > IVS_MAX_VECTORS)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

int ivs_args_parse(int argc, char **argv, struct ivs_args *a,
		   char *err, size_t errlen)
{
	const char *size = NULL;
	int c;

	memset(a, 0, sizeof(*a));
	a->vectors = 1;
	optind = 0;	/* glibc: start over, so that a test may parse twice */
	opterr = 0;	/* our own messages, not getopt's */
	while ((c = getopt(argc, argv, ":S:m:l:n:p:Fh")) != -1) {
		switch (c) {
		case 'S':
			if (!*optarg)
				return refuse(err, errlen, "-S: the socket path is empty");
			a->sock_path = optarg;
			break;
		case 'm':
			if (!*optarg)
				return refuse(err, errlen, "-m: the memory file path is empty");
			a->shm_path = optarg;
			break;
		case 'l':
			size = optarg;
			break;
		case 'n':
			if (parse_vectors(optarg, &a->vectors))
				return refuse(err, errlen,
					      "-n '%s': vectors per peer must be a number from 1 to %d",
					      optarg, IVS_MAX_VECTORS);
			break;
		case 'p':
			if (!*optarg)
				return refuse(err, errlen, "-p: the pid file path is empty");
			a->pidfile = optarg;
			break;
		case 'F':
			a->foreground = true;
			break;
		case 'h':
			a->help = true;
			return 0;
		case ':':
			return refuse(err, errlen, "-%c needs a value", optopt);
		default:
			return refuse(err, errlen, "unknown option '-%c'", optopt);
		}
	}
	if (optind < argc)
		return refuse(err, errlen, "unexpected argument '%s'", argv[optind]);
	if (!a->sock_path)
		return refuse(err, errlen, "-S SOCKET is required");
	if (!a->shm_path)
		return refuse(err, errlen, "-m MEMFILE is required");
	if (!size)
		return refuse(err, errlen, "-l SIZE is required");
	if (ivs_parse_size(size, &a->size))
		return refuse(err, errlen,
			      "-l '%s': not a size (digits, then optionally K, M, G or T)",
			      size);
	if (a->size & (a->size - 1) || !a->size)
		return refuse(err, errlen, "-l '%s': the size must be a power of two",
			      size);
	if (a->size < IVS_MIN_SIZE || a->size > IVS_MAX_SIZE)
		return refuse(err, errlen, "-l '%s': the size must be from 4K to 1T",
			      size);
	return 0;
}
