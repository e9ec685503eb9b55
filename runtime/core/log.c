// SPDX-License-Identifier: GPL-2.0
/*
 * leapiod's log: one line per event on stderr, "leapiod: " first, which
 * systemd's journal and the test rig both read. Its own file so that
 * every part of leapiod (and the fuzzers' builds of some) can say things.
 */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

bool lio_log_verbose;

void lio_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("leapiod: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void lio_dbg(const char *fmt, ...)
{
	va_list ap;

	if (!lio_log_verbose)
		return;
	va_start(ap, fmt);
	fputs("leapiod: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
