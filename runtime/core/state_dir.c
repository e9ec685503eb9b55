// SPDX-License-Identifier: GPL-2.0
/* leapiod's state directory (state_dir.h). */
#include <errno.h>
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
	if (mkdir(lio_state_dir(), 0755) && errno != EEXIST)
		return -errno;
	return 0;
}
