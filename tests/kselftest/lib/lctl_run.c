// SPDX-License-Identifier: GPL-2.0
/* leapioctl from the tree, its output captured (lctl_run.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "lctl_run.h"

int lctl_run(char *out, size_t len, const char *fmt, ...)
{
	const char *top = getenv("LEAPIO_TOP");
	char cmd[1024], args[768];
	size_t have = 0;
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "%s/tools/leapioctl/leapioctl %s 2>&1",
		 top && *top ? top : ".", args);
	out[0] = '\0';
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (have + 1 < len && fgets(out + have, len - have, p))
		have = strlen(out);
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
