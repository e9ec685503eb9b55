// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: leapiod's JSON configuration (--config, and what
 * SIGHUP re-reads), through its entry point lio_config_parse_json() and
 * then lio_config_finish(), as main.c calls them. The input is the file's
 * text. Besides what ASan and UBSan see, it checks the parser's promises:
 * a refusal is -EINVAL (or -ENOMEM) with a sentence in err, and an
 * accepted configuration compared with its own copy is no change at all
 * (the reload path must not restart vdevs that did not change).
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
	struct lio_config c, copy;
	struct lio_change *changes = NULL;
	char err[256] = "";
	char *text;
	int ret;

	text = fuzz_cstring(data, size);
	if (!text)
		return 0;
	lio_config_init(&c);
	lio_config_init(&copy);
	ret = lio_config_parse_json(&c, text, err, sizeof(err));
	if (ret) {
		refused(ret, err);
		goto out;
	}
	/* --cpu given only when the file lists no pollers, as main.c allows */
	ret = lio_config_finish(&c, c.pollers_given ? -1 : (int)(size & 3),
				err, sizeof(err));
	if (ret) {
		refused(ret, err);
		goto out;
	}
	if (lio_config_copy(&copy, &c))
		goto out;
	ret = lio_config_diff(&c, &copy, &changes, err, sizeof(err));
	if (ret)	/* an error, or a change where there is none */
		abort();
out:
	free(changes);
	lio_config_free(&copy);
	lio_config_free(&c);
	free(text);
	return 0;
}
