/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the two parsers (JSON file, --vdev); private to runtime/config/. */
#ifndef LEAPIOD_CONFIG_INTERNAL_H
#define LEAPIOD_CONFIG_INTERNAL_H

#include "config.h"

/*
 * A backend's path and type once its fields are read: a path unless
 * null, none for null, the type guessed from the path when not given.
 * The vdev's own (NSID 1) and each of its namespaces' go through it.
 * `who` names the vdev (and the namespace), `field` prefixes the field
 * names ("backend." in the file, "" for --vdev). 0 or -EINVAL with err.
 */
int lio_cfg_backend_check(struct lio_bdev_cfg *b, bool type_given,
			  const char *who, const char *field,
			  char *err, size_t errlen);

/* "file" ... "null" into a type; -EINVAL for anything else. */
int lio_cfg_type_parse(const char *s, enum lio_bdev_type *type);

/*
 * The "card" object into cc (card mode): 0 or -EINVAL with err naming the
 * field (card.c).
 */
struct json_t;
int lio_cfg_parse_card(struct lio_card_cfg *cc, const struct json_t *o,
		       char *err, size_t errlen);

#endif /* LEAPIOD_CONFIG_INTERNAL_H */
