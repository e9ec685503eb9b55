// SPDX-License-Identifier: GPL-2.0
/*
 * The "card" section of the JSON file: card mode (leapiod on the SoC
 * card, Documentation/admin-guide/leapiod.rst, "Card mode"):
 *
 *   "card": {"device": "/dev/leapio_soc",
 *            "host_window": [{"phys": 0, "len": "2G", "offset": 0},
 *                            {"phys": "4G", "len": "1G", "offset": "2G"}]}
 *
 * Sizes are integers (bytes) or strings with a K, M, G or T suffix
 * (powers of 1024). The map is checked here as far as it can be without
 * the card (runtime/card/window.c); its fit in the window when the card
 * is opened.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

#define LIO_CARD_DEFAULT_DEVICE	"/dev/leapio_soc"

static int card_size(const json_t *v, const char *field, uint64_t *out,
		     char *err, size_t errlen)
{
	const char *s;
	char *end;
	uint64_t n;
	int shift = 0;

	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0) {
			snprintf(err, errlen, "%s: %" JSON_INTEGER_FORMAT
				 ": must not be negative", field,
				 json_integer_value(v));
			return -EINVAL;
		}
		*out = (uint64_t)json_integer_value(v);
		return 0;
	}
	if (!json_is_string(v)) {
		snprintf(err, errlen, "%s: must be a number of bytes or a "
			 "string such as \"2G\"", field);
		return -EINVAL;
	}
	s = json_string_value(v);
	errno = 0;
	n = strtoull(s, &end, 0);
	if (end == s || *s == '-' || errno)
		goto bad;
	switch (*end) {
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	case 'T': shift = 40; end++; break;
	default: break;
	}
	if (*end)
		goto bad;
	if (shift && n > UINT64_MAX >> shift) {
		snprintf(err, errlen, "%s: \"%s\": larger than 2^64", field, s);
		return -EINVAL;
	}
	*out = n << shift;
	return 0;
bad:
	snprintf(err, errlen, "%s: \"%s\": not a size (bytes, or a number "
		 "with K, M, G or T)", field, s);
	return -EINVAL;
}

static int card_window(const json_t *o, unsigned int i, struct lio_win *w,
		       char *err, size_t errlen)
{
	bool got[3] = { false, false, false };
	static const char *const need[3] = { "phys", "len", "offset" };
	char field[64];
	const char *key;
	json_t *val;
	int k, ret;

	if (!json_is_object(o)) {
		snprintf(err, errlen, "card.host_window[%u]: must be an object "
			 "{\"phys\", \"len\", \"offset\"}", i);
		return -EINVAL;
	}
	json_object_foreach((json_t *)o, key, val) {
		uint64_t *dst;

		snprintf(field, sizeof(field), "card.host_window[%u].%s", i, key);
		if (!strcmp(key, "phys"))
			dst = &w->phys, k = 0;
		else if (!strcmp(key, "len"))
			dst = &w->len, k = 1;
		else if (!strcmp(key, "offset"))
			dst = &w->off, k = 2;
		else {
			snprintf(err, errlen, "%s: unknown key (known: phys, "
				 "len, offset)", field);
			return -EINVAL;
		}
		ret = card_size(val, field, dst, err, errlen);
		if (ret)
			return ret;
		got[k] = true;
	}
	for (k = 0; k < 3; k++) {
		if (!got[k]) {
			snprintf(err, errlen, "card.host_window[%u].%s: missing",
				 i, need[k]);
			return -EINVAL;
		}
	}
	return 0;
}

int lio_cfg_parse_card(struct lio_card_cfg *cc, const json_t *o, char *err,
		       size_t errlen)
{
	const json_t *win = NULL;
	const char *key, *s;
	json_t *val;
	size_t i, n;
	int ret;

	memset(cc, 0, sizeof(*cc));
	strcpy(cc->device, LIO_CARD_DEFAULT_DEVICE);
	if (!json_is_object(o)) {
		snprintf(err, errlen, "card: must be an object {\"device\", "
			 "\"host_window\"}");
		return -EINVAL;
	}
	json_object_foreach((json_t *)o, key, val) {
		if (!strcmp(key, "device")) {
			if (!json_is_string(val) || !*json_string_value(val)) {
				snprintf(err, errlen, "card.device: must be a "
					 "path such as \"%s\"",
					 LIO_CARD_DEFAULT_DEVICE);
				return -EINVAL;
			}
			s = json_string_value(val);
			if (strlen(s) >= sizeof(cc->device)) {
				snprintf(err, errlen, "card.device: longer than "
					 "%zu characters", sizeof(cc->device) - 1);
				return -EINVAL;
			}
			strcpy(cc->device, s);
		} else if (!strcmp(key, "host_window")) {
			win = val;
		} else {
			snprintf(err, errlen, "card: unknown key \"%s\" (known: "
				 "device, host_window)", key);
			return -EINVAL;
		}
	}
	if (!win) {
		snprintf(err, errlen, "card.host_window: missing (where host "
			 "physical memory is in the card's window)");
		return -EINVAL;
	}
	if (!json_is_array(win)) {
		snprintf(err, errlen, "card.host_window: must be an array");
		return -EINVAL;
	}
	n = json_array_size(win);
	if (n > LIO_WIN_MAX) {
		snprintf(err, errlen, "card.host_window: %zu entries: at most %u",
			 n, LIO_WIN_MAX);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		ret = card_window(json_array_get(win, i), (unsigned int)i,
				  &cc->win[i], err, errlen);
		if (ret)
			return ret;
	}
	cc->nr_win = (unsigned int)n;
	ret = lio_win_check(cc->win, cc->nr_win, 0, "card.host_window", err,
			    errlen);
	if (ret)
		return ret;
	cc->given = true;
	return 0;
}
