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
		LIO_BDEV_NVMF,
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

/* A remote drive: the URI parsed, the fabric options checked together. */
static int check_remote(struct lio_bdev_cfg *b, bool type_given, const char *who,
			const char *field, char *err, size_t errlen)
{
	char why[400];

	if (type_given && b->type != LIO_BDEV_NVMF) {
		snprintf(err, errlen, "%s: %stype %s: the path is an NVMe-oF URI, "
			 "which is type nvmf", who, field, lio_bdev_type_name(b->type));
		return -EINVAL;
	}
	b->type = LIO_BDEV_NVMF;
	if (lio_nvmf_uri_parse(b->path, &b->nvmf.target, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %spath: %s", who, field, why);
		return -EINVAL;
	}
	if (lio_nvmf_opts_check(&b->nvmf.opts, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %sfabric: %s", who, field, why);
		return -EINVAL;
	}
	return 0;
}

int lio_cfg_backend_check(struct lio_bdev_cfg *b, bool type_given,
			  const char *who, const char *field,
			  char *err, size_t errlen)
{
	struct lio_nvmf_opts no_opts;
	int ret;

	lio_nvmf_opts_init(&no_opts);
	if (!lio_nvmf_is_uri(b->path) && !(type_given && b->type == LIO_BDEV_NVMF) &&
	    memcmp(&b->nvmf.opts, &no_opts, sizeof(no_opts))) {
		snprintf(err, errlen, "%s: %sfabric: options for a remote drive, "
			 "but the path is not an nvme+tcp:// or nvme+rdma:// URI",
			 who, field);
		return -EINVAL;
	}
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
		snprintf(err, errlen, "%s: %spath: missing (the file, block device, "
			 "NVMe generic device or nvme+tcp:// URI holding the "
			 "namespace)", who, field);
		return -EINVAL;
	}
	if (lio_nvmf_is_uri(b->path) || (type_given && b->type == LIO_BDEV_NVMF))
		return check_remote(b, type_given, who, field, err, errlen);
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
