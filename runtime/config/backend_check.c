// SPDX-License-Identifier: GPL-2.0
/* The checks of a vdev's backend both parsers share; see config_internal.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config_internal.h"

int lio_cfg_type_parse(const char *s, enum lio_bdev_type *type)
{
	static const enum lio_bdev_type all[] = {
		LIO_BDEV_FILE, LIO_BDEV_BLOCK, LIO_BDEV_NVME, LIO_BDEV_NULL,
	};
	unsigned int i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (!strcmp(s, lio_bdev_type_name(all[i]))) {
			*type = all[i];
			return 0;
		}
	}
	return -EINVAL;
}

int lio_cfg_backend_check(struct lio_vdev_cfg *v, bool type_given,
			  const char *who, const char *field,
			  char *err, size_t errlen)
{
	struct lio_bdev_cfg *b = &v->bdev;
	int ret;

	if (type_given && b->type == LIO_BDEV_NULL) {
		if (b->path[0] && strcmp(b->path, "null")) {
			snprintf(err, errlen, "%s: %spath: a null backend has no path",
				 who, field);
			return -EINVAL;
		}
		b->path[0] = 0;
		return 0;
	}
	if (!b->path[0]) {
		snprintf(err, errlen, "%s: %spath: missing (the file, block device "
			 "or NVMe generic device holding the namespace)", who, field);
		return -EINVAL;
	}
	if (type_given)
		return 0;
	ret = lio_bdev_type_of(b->path, &b->type);
	if (ret == -ENOENT) {
		snprintf(err, errlen, "%s: %spath %s does not exist, so its type "
			 "cannot be guessed: give %stype", who, field, b->path, field);
		return -EINVAL;
	}
	if (ret) {
		snprintf(err, errlen, "%s: %spath %s: %s", who, field, b->path,
			 ret == -EINVAL ? "not a regular file, block device or "
			 "character device" : strerror(-ret));
		return -EINVAL;
	}
	if (b->type == LIO_BDEV_NULL)
		b->path[0] = 0;
	return 0;
}
