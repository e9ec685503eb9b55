// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: leapiod's --vdev <uuid>=<path>[,offset=N][,size=N]
 * [,type=T][,readonly][,poller=N] arguments, through
 * lio_config_add_vdev_arg() and lio_config_finish() as lio_args_config()
 * calls them. The input is one or more arguments, one per line. A refusal
 * must be -EINVAL (or -ENOMEM) with a sentence in err and leave the
 * configuration as it was; an accepted one adds exactly one vdev.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/config/config.h"
#include "fuzz_input.h"

static void refused(int ret, const char *err)
{
	if ((ret != -EINVAL && ret != -ENOMEM) || !err[0])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lio_config c;
	char err[256];
	char *text, *arg, *save = NULL;
	unsigned int before;
	int ret;

	text = fuzz_cstring(data, size);
	if (!text)
		return 0;
	lio_config_init(&c);
	for (arg = strtok_r(text, "\n", &save); arg;
	     arg = strtok_r(NULL, "\n", &save)) {
		before = c.nr_vdevs;
		err[0] = 0;
		ret = lio_config_add_vdev_arg(&c, arg, err, sizeof(err));
		if (ret) {
			refused(ret, err);
			if (c.nr_vdevs != before)
				abort();
		} else if (c.nr_vdevs != before + 1) {
			abort();
		}
	}
	err[0] = 0;
	ret = lio_config_finish(&c, -1, err, sizeof(err));
	if (ret)
		refused(ret, err);
	lio_config_free(&c);
	free(text);
	return 0;
}
