// SPDX-License-Identifier: GPL-2.0
/* leapiod's state directory (state_dir.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "state_dir.h"

#define LIO_STATE_DIR_DEFAULT	"/var/lib/leapio"

const char *lio_state_dir(void)
{
	const char *dir = getenv("STATE_DIRECTORY");

	return dir && *dir ? dir : LIO_STATE_DIR_DEFAULT;
}

int lio_state_dir_make(void)
{
	char path[PATH_MAX], *p;

	if (snprintf(path, sizeof(path), "%s", lio_state_dir()) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	/* Its parents too: a card's initramfs may have no /var/lib. */
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(path, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}
