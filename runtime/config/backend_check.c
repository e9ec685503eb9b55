// SPDX-License-Identifier: GPL-2.0
/* The checks of a vdev's backend both parsers share; see config_internal.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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

/*
 * The same data: the same remote namespace, or the same file or device,
 * named by the same path or (both there) by another one: a symbolic
 * link, another node of the same device. A null backend holds nothing.
 */
static bool same_backend(const struct lio_bdev_cfg *a, const struct lio_bdev_cfg *b)
{
	struct stat sa, sb;

	if (a->type == LIO_BDEV_NULL || b->type == LIO_BDEV_NULL)
		return false;
	if (a->type == LIO_BDEV_NVMF || b->type == LIO_BDEV_NVMF)
		return a->type == b->type &&
		       !memcmp(&a->nvmf.target, &b->nvmf.target, sizeof(a->nvmf.target));
	if (!strcmp(a->path, b->path))
		return true;
	if (stat(a->path, &sa) || stat(b->path, &sb))
		return false;
	if ((S_ISBLK(sa.st_mode) && S_ISBLK(sb.st_mode)) ||
	    (S_ISCHR(sa.st_mode) && S_ISCHR(sb.st_mode)))
		return sa.st_rdev == sb.st_rdev;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Where the backend's range ends; size 0 is everything after offset. */
static uint64_t bdev_end(const struct lio_bdev_cfg *b)
{
	return b->size ? b->offset + b->size : UINT64_MAX;
}

bool lio_bdev_cfg_overlap(const struct lio_bdev_cfg *a, const struct lio_bdev_cfg *b)
{
	return same_backend(a, b) && a->offset < bdev_end(b) && b->offset < bdev_end(a);
}

/* Index 0 is the vdev's own backend (NSID 1), k the namespace ns[k - 1]. */
static const struct lio_bdev_cfg *nth_bdev(const struct lio_vdev_cfg *v, unsigned int k,
					   uint32_t *nsid)
{
	*nsid = k ? v->ns[k - 1].nsid : 1;
	return k ? &v->ns[k - 1].bdev : &v->bdev;
}

/* "/x/a [8192, end)": which bytes of what, for the overlap's message. */
static void describe_range(const struct lio_bdev_cfg *b, char *buf, size_t len)
{
	char end[24] = "end";

	if (b->size)
		snprintf(end, sizeof(end), "%" PRIu64, bdev_end(b));
	snprintf(buf, len, "%s [%" PRIu64 ", %s)", b->path, b->offset, end);
}

int lio_vdev_cfg_check_overlap(const struct lio_vdev_cfg *v, const char *who,
			       char *err, size_t errlen)
{
	char ra[LIO_NVMF_URI_MAX + 64], rb[LIO_NVMF_URI_MAX + 64];
	const struct lio_bdev_cfg *a, *b;
	uint32_t na, nb;
	unsigned int i, j;

	for (i = 0; i <= v->nr_ns; i++) {
		a = nth_bdev(v, i, &na);
		for (j = i + 1; j <= v->nr_ns; j++) {
			b = nth_bdev(v, j, &nb);
			if (!lio_bdev_cfg_overlap(a, b))
				continue;
			describe_range(b, rb, sizeof(rb));
			describe_range(a, ra, sizeof(ra));
			snprintf(err, errlen, "%s: namespaces: nsid %u's backend %s overlaps "
				 "nsid %u's%s %s: each namespace needs data of its own",
				 who, nb, rb, na, na == 1 ? " (the vdev's \"backend\")" : "", ra);
			return -EINVAL;
		}
	}
	return 0;
}
