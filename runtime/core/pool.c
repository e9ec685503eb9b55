// SPDX-License-Identifier: GPL-2.0
/* A vdev's pool and its record (pool.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/leapio/region_layout.h"
#include "../../common/nvme/nvme_spec.h"
#include "json_file.h"
#include "log.h"
#include "pool.h"
#include "state_dir.h"

static int pool_err(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int pool_err(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return ret;
}

uint64_t lio_pool_used(const struct lio_pool *p)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < LIO_MAX_NSID; i++)
		if (p->ns[i].used)
			sum += p->ns[i].bytes;
	return sum;
}

/* One "namespaces" entry of the record into p. */
static int pool_parse_ns(struct lio_pool *p, json_t *e)
{
	json_int_t nsid, bytes;
	const char *path;

	if (json_unpack(e, "{s:I, s:s, s:I}", "nsid", &nsid, "path", &path,
			"bytes", &bytes))
		return -EINVAL;
	if (nsid < 2 || nsid > LIO_MAX_NSID || bytes <= 0 ||
	    p->ns[nsid - 1].used || strlen(path) >= sizeof(p->ns[0].path))
		return -EINVAL;
	p->ns[nsid - 1].used = true;
	p->ns[nsid - 1].bytes = (uint64_t)bytes;
	strcpy(p->ns[nsid - 1].path, path);
	return 0;
}

static int pool_parse(struct lio_pool *p, json_t *j)
{
	const char *instance;
	json_t *a, *e;
	size_t i;
	char *end;

	if (json_unpack(j, "{s:s, s:o}", "instance", &instance, "namespaces", &a) ||
	    !json_is_array(a))
		return -EINVAL;
	errno = 0;
	p->instance = strtoull(instance, &end, 16);
	if (errno || *end || !*instance)
		return -EINVAL;
	json_array_foreach(a, i, e)
		if (pool_parse_ns(p, e))
			return -EINVAL;
	return 0;
}

int lio_pool_open(struct lio_pool *p, const char *uuid,
		  const struct lio_pool_cfg *cfg, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *j;
	int ret;

	memset(p, 0, sizeof(*p));
	p->cfg = *cfg;
	snprintf(p->uuid, sizeof(p->uuid), "%s", uuid);
	if (asprintf(&p->record, "%s/pool-%s.json", lio_state_dir(), uuid) < 0) {
		p->record = NULL;
		return pool_err(err, errlen, -ENOMEM, "out of memory");
	}
	j = json_load_file(p->record, 0, &jerr);
	if (!j) {
		if (access(p->record, F_OK) && errno == ENOENT)
			return 0;	/* none made yet */
		ret = pool_err(err, errlen, -EINVAL, "%s: %s", p->record, jerr.text);
		lio_pool_close(p);
		return ret;
	}
	p->recorded = true;
	ret = pool_parse(p, j);
	json_decref(j);
	if (ret) {
		ret = pool_err(err, errlen, ret, "%s: not a pool record of leapiod "
			       "(instance, namespaces [nsid, path, bytes])", p->record);
		lio_pool_close(p);
	}
	return ret;
}

void lio_pool_close(struct lio_pool *p)
{
	free(p->record);
	p->record = NULL;
}

/* A directory's entries made durable (a file made, renamed, removed). */
static int pool_sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd, ret = 0;

	if (!copy)
		return -ENOMEM;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd))
		ret = -errno;
	if (fd >= 0)
		close(fd);
	free(copy);
	return ret;
}

/* The record written whole, or the old one left as it was. */
static int pool_save(struct lio_pool *p, char *err, size_t errlen)
{
	char inst[24];
	json_t *j, *a;
	unsigned int i;
	int ret;

	ret = lio_state_dir_make();
	if (ret)
		return pool_err(err, errlen, ret, "%s: %s", lio_state_dir(),
				strerror(-ret));
	snprintf(inst, sizeof(inst), "%" PRIx64, p->instance);
	a = json_array();
	j = json_pack("{s:s, s:o}", "instance", inst, "namespaces", a);
	for (i = 0; j && i < LIO_MAX_NSID; i++)
		if (p->ns[i].used &&
		    json_array_append_new(a, json_pack("{s:i, s:s, s:I}", "nsid",
						       (int)i + 1, "path", p->ns[i].path,
						       "bytes", (json_int_t)p->ns[i].bytes))) {
			json_decref(j);
			j = NULL;
		}
	if (!j)
		return pool_err(err, errlen, -ENOMEM, "out of memory");
	ret = lio_json_file_replace(j, p->record, 0600, err, errlen);
	json_decref(j);
	if (ret)
		return ret;
	/* The rename is the record's change: durable with its directory. */
	ret = pool_sync_dir(p->record);
	if (ret)
		return pool_err(err, errlen, ret, "%s: %s", lio_state_dir(),
				strerror(-ret));
	p->recorded = true;
	return 0;
}

bool lio_pool_region_keeps(const struct leapio_region_view *r, uint32_t nsid)
{
	const struct leapio_vdev_ctrl *c = r->ctrl;
	const struct leapio_ns_desc *d = leapio_ns_ptr(r, nsid);
	/* The driver writes the table before nscreate_done: done, then it. */
	u32 done = __atomic_load_n(&c->nscreate_done, __ATOMIC_ACQUIRE);

	if (__atomic_load_n(&c->nscreate_gen, __ATOMIC_RELAXED) != done &&
	    __atomic_load_n(&c->nscreate_nsid, __ATOMIC_RELAXED) == nsid)
		return true;
	return d && __atomic_load_n(&d->state, __ATOMIC_RELAXED) != LEAPIO_NS_ABSENT &&
	       __atomic_load_n(&d->pooled, __ATOMIC_RELAXED);
}

int lio_pool_attach(struct lio_pool *p, const struct leapio_region_view *r,
		    uint32_t *serve, char *err, size_t errlen)
{
	uint64_t instance = r->ctrl->instance;
	bool same = !p->instance || p->instance == instance;
	char aside[sizeof(p->ns[0].path) + 32];
	bool changed = p->instance != instance;
	unsigned int i;

	*serve = 0;
	/* A driver before the pool (minor 9) has none of them: leave them be. */
	if (!r->ns || r->hdr->version_minor < 9)
		return 0;
	for (i = 0; i < LIO_MAX_NSID; i++) {
		struct lio_pool_ns *ns = &p->ns[i];

		if (!ns->used)
			continue;
		if (same && lio_pool_region_keeps(r, i + 1)) {
			*serve |= 1U << i;
			continue;
		}
		if (same) {
			lio_log("vdev %s: namespace %u of the pool was deleted while "
				"no leapiod served it: %s removed", p->uuid, i + 1,
				ns->path);
			if (unlink(ns->path) && errno != ENOENT)
				lio_log("vdev %s: %s: %s", p->uuid, ns->path,
					strerror(errno));
		} else {
			snprintf(aside, sizeof(aside), "%s.orphan-%" PRIx64, ns->path,
				 p->instance);
			lio_log("vdev %s: namespace %u of the pool belongs to an "
				"earlier mdev of this UUID (region %" PRIx64 ", now %"
				PRIx64 "): %s kept aside as %s, not served", p->uuid,
				i + 1, p->instance, instance, ns->path, aside);
			if (rename(ns->path, aside) && errno != ENOENT)
				lio_log("vdev %s: %s: %s", p->uuid, ns->path,
					strerror(errno));
		}
		ns->used = false;
		changed = true;
	}
	p->instance = instance;
	/* No record and nothing to record (no pool, or none made): none. */
	if (!p->recorded && !lio_pool_used(p))
		return 0;
	return changed ? pool_save(p, err, errlen) : 0;
}

uint16_t lio_pool_create(struct lio_pool *p, uint32_t nsid, uint64_t nsze,
			 uint8_t lba_shift, char *err, size_t errlen)
{
	struct lio_pool_ns *ns = &p->ns[(nsid - 1) % LIO_MAX_NSID];
	uint64_t bytes = nsze << lba_shift;
	char path[sizeof(ns->path)];
	int fd, ret;

	*err = 0;
	if (nsid < 2 || nsid > LIO_MAX_NSID)
		return NVME_SC_NS_ID_UNAVAILABLE;
	/* Ours already: a create we answered, asked again after a restart. */
	if (ns->used)
		return ns->bytes == bytes ? NVME_SC_SUCCESS :
		       NVME_SC_NS_ID_UNAVAILABLE;
	if (!p->cfg.bytes || nsze > p->cfg.bytes >> lba_shift ||
	    bytes > p->cfg.bytes - lio_pool_used(p)) {
		snprintf(err, errlen, "%" PRIu64 " bytes asked, the pool has %" PRIu64
			 " of %" PRIu64 " left", bytes,
			 p->cfg.bytes - lio_pool_used(p), p->cfg.bytes);
		return NVME_SC_NS_INSUFFICIENT_CAP;
	}
	if (snprintf(path, sizeof(path), "%s/%s-ns%u.img", p->cfg.dir, p->uuid,
		     nsid) >= (int)sizeof(ns->path)) {
		snprintf(err, errlen, "%s: a path too long", p->cfg.dir);
		return NVME_SC_INTERNAL;
	}
	strcpy(ns->path, path);
	/* Afresh: a create carried out again (a restart) starts empty too. */
	fd = open(ns->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", ns->path, strerror(errno));
		return errno == ENOSPC || errno == EDQUOT ?
		       NVME_SC_NS_INSUFFICIENT_CAP : NVME_SC_INTERNAL;
	}
	ret = ftruncate(fd, (off_t)bytes) || fsync(fd) ? -errno : 0;
	close(fd);
	if (!ret)
		ret = pool_sync_dir(ns->path);
	if (ret) {
		snprintf(err, errlen, "%s: %s", ns->path, strerror(-ret));
		unlink(ns->path);
		return ret == -ENOSPC || ret == -EDQUOT || ret == -EFBIG ?
		       NVME_SC_NS_INSUFFICIENT_CAP : NVME_SC_INTERNAL;
	}
	ns->used = true;
	ns->bytes = bytes;
	if (pool_save(p, err, errlen)) {
		ns->used = false;
		unlink(ns->path);
		return NVME_SC_INTERNAL;
	}
	return NVME_SC_SUCCESS;
}

int lio_pool_delete(struct lio_pool *p, uint32_t nsid, char *err, size_t errlen)
{
	struct lio_pool_ns *ns = &p->ns[nsid - 1];
	int ret;

	if (!ns->used)
		return 0;
	/* Record first: a record naming a file gone is the worse mistake. */
	ns->used = false;
	ret = pool_save(p, err, errlen);
	if (ret) {
		ns->used = true;
		return ret;
	}
	if (unlink(ns->path) && errno != ENOENT)
		return pool_err(err, errlen, -errno, "%s: %s", ns->path,
				strerror(errno));
	return pool_sync_dir(ns->path);
}
