// SPDX-License-Identifier: GPL-2.0
/* Write Uncorrectable's marks, in memory and in the state directory. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "state_dir.h"
#include "uncor.h"

#define LIO_UNCOR_MAGIC		"leapio-uncor 1"

void lio_uncor_init_mem(struct lio_uncor *u)
{
	memset(u, 0, sizeof(*u));
}

void lio_uncor_close(struct lio_uncor *u)
{
	free(u->x);
	free(u->path);
	free(u->backend);
	memset(u, 0, sizeof(*u));
}

/* The index of the first extent ending after lba (n if none). */
static uint32_t lio_uncor_after(const struct lio_uncor *u, uint64_t lba)
{
	uint32_t lo = 0, hi = u->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (u->x[mid].hi > lba)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

bool lio_uncor_find(const struct lio_uncor *u, uint64_t slba, uint64_t nlb,
		    uint64_t *first)
{
	uint32_t i;

	if (!u->n || !nlb)
		return false;
	i = lio_uncor_after(u, slba);
	if (i == u->n || u->x[i].lo >= slba + nlb)
		return false;
	*first = u->x[i].lo > slba ? u->x[i].lo : slba;
	return true;
}

/* Write the set x[0..n) to the file: 0 or -errno, the old file intact. */
static int lio_uncor_store(const struct lio_uncor *u,
			   const struct lio_uncor_ext *x, uint32_t n)
{
	char tmp[4096];
	uint32_t i;
	FILE *f;
	int ret = 0, dfd;

	if (!u->path)
		return 0;
	if (!n) {
		if (!unlink(u->path))
			goto sync_dir;
		/* No file, nothing to make durable. */
		return errno == ENOENT ? 0 : -errno;
	}
	ret = lio_state_dir_make();
	if (ret)
		return ret;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", u->path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "%s\nbackend %s\n", LIO_UNCOR_MAGIC, u->backend);
	for (i = 0; i < n; i++)
		fprintf(f, "%" PRIu64 " %" PRIu64 "\n", x[i].lo, x[i].hi);
	if (fflush(f) || fsync(fileno(f)))
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, u->path))
		ret = -errno;
	if (ret) {
		unlink(tmp);
		return ret;
	}
sync_dir:
	/* The rename (or unlink) itself is durable only with its directory. */
	dfd = open(lio_state_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	if (fsync(dfd))
		ret = -errno;
	close(dfd);
	return ret;
}

/* Keep x[0..n) (allocated, taken over) as the set, file first. */
static int lio_uncor_replace(struct lio_uncor *u, struct lio_uncor_ext *x,
			     uint32_t n)
{
	int ret;

	if (n > LIO_UNCOR_MAX_EXTENTS) {
		free(x);
		return -ENOSPC;
	}
	ret = lio_uncor_store(u, x, n);
	if (ret) {
		free(x);
		return ret;
	}
	free(u->x);
	u->x = x;
	u->n = n;
	if (u->changed)
		u->changed(u, u->changed_ctx);
	return 0;
}

int lio_uncor_set(struct lio_uncor *u, const struct lio_uncor_ext *x,
		  uint32_t n)
{
	struct lio_uncor_ext *c;
	uint32_t i;

	for (i = 0; i < n; i++)
		if (x[i].lo >= x[i].hi || (i && x[i].lo <= x[i - 1].hi))
			return -EINVAL;
	if (n > LIO_UNCOR_MAX_EXTENTS)
		return -ENOSPC;
	if (n == u->n && (!n || !memcmp(x, u->x, n * sizeof(*x))))
		return 0;	/* the set it is already */
	c = malloc(((size_t)n + 1) * sizeof(*c));
	if (!c)
		return -ENOMEM;
	if (n)
		memcpy(c, x, n * sizeof(*c));
	return lio_uncor_replace(u, c, n);
}

int lio_uncor_mark(struct lio_uncor *u, uint64_t slba, uint64_t nlb)
{
	struct lio_uncor_ext *x, m = { slba, slba + nlb };
	uint32_t i, n = 0;

	if (!nlb)
		return 0;
	x = malloc(((size_t)u->n + 1) * sizeof(*x));
	if (!x)
		return -ENOMEM;
	/* Extents that overlap or touch the new one merge into it. */
	for (i = 0; i < u->n && u->x[i].hi < m.lo; i++)
		x[n++] = u->x[i];
	for (; i < u->n && u->x[i].lo <= m.hi; i++) {
		if (u->x[i].lo < m.lo)
			m.lo = u->x[i].lo;
		if (u->x[i].hi > m.hi)
			m.hi = u->x[i].hi;
	}
	x[n++] = m;
	for (; i < u->n; i++)
		x[n++] = u->x[i];
	return lio_uncor_replace(u, x, n);
}

int lio_uncor_clear(struct lio_uncor *u, uint64_t slba, uint64_t nlb)
{
	uint64_t hi = slba + nlb, first;
	struct lio_uncor_ext *x;
	uint32_t i, n = 0;

	if (!lio_uncor_find(u, slba, nlb, &first))
		return 0;
	x = malloc(((size_t)u->n + 1) * sizeof(*x));
	if (!x)
		return -ENOMEM;
	for (i = 0; i < u->n; i++) {
		const struct lio_uncor_ext *e = &u->x[i];

		if (e->hi <= slba || e->lo >= hi) {
			x[n++] = *e;
			continue;
		}
		/* What of e lies outside the cleared range stays marked. */
		if (e->lo < slba)
			x[n++] = (struct lio_uncor_ext){ e->lo, slba };
		if (e->hi > hi)
			x[n++] = (struct lio_uncor_ext){ hi, e->hi };
	}
	return lio_uncor_replace(u, x, n);
}

int lio_uncor_rebind(struct lio_uncor *u, const char *backend)
{
	char *old = u->backend;
	int ret;

	u->backend = strdup(backend);
	if (!u->backend) {
		u->backend = old;
		return -ENOMEM;
	}
	ret = u->n ? lio_uncor_store(u, u->x, u->n) : 0;
	if (ret) {
		free(u->backend);
		u->backend = old;
		return ret;
	}
	free(old);
	return 0;
}

/* Parse the file f into u (empty): 0 or -EINVAL with err. */
static int lio_uncor_parse(struct lio_uncor *u, FILE *f, const char *backend,
			   char *err, size_t errlen)
{
	char line[4200];
	uint64_t lo, hi;
	unsigned int no;
	char extra;

#define BAD(why)							\
	do {								\
		snprintf(err, errlen, "%s: line %u: %s (remove the file to drop " \
			 "the marks it holds)", u->path, no, why);	\
		return -EINVAL;						\
	} while (0)

	no = 1;
	if (!fgets(line, sizeof(line), f) || strcmp(line, LIO_UNCOR_MAGIC "\n"))
		BAD("not a leapiod marks file (" LIO_UNCOR_MAGIC ")");
	no = 2;
	if (!fgets(line, sizeof(line), f) || strncmp(line, "backend ", 8))
		BAD("no backend line");
	line[strcspn(line, "\n")] = 0;
	if (strcmp(line + 8, backend)) {
		lio_log("%s holds Write Uncorrectable marks of backend %s; the "
			"namespace is now on %s: they are dropped", u->path,
			line + 8, backend);
		u->other_backend = true;
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		no++;
		if (sscanf(line, "%" SCNu64 " %" SCNu64 " %c", &lo, &hi, &extra) != 2)
			BAD("not two block numbers");
		if (lo >= hi || (u->n && lo <= u->x[u->n - 1].hi))
			BAD("extents must be non-empty, sorted and apart");
		if (u->n == LIO_UNCOR_MAX_EXTENTS)
			BAD("more extents than leapiod keeps");
		if (!u->x) {
			u->x = malloc(LIO_UNCOR_MAX_EXTENTS * sizeof(*u->x));
			if (!u->x) {
				snprintf(err, errlen, "out of memory");
				return -ENOMEM;
			}
		}
		u->x[u->n].lo = lo;
		u->x[u->n].hi = hi;
		u->n++;
	}
#undef BAD
	return 0;
}

int lio_uncor_open(struct lio_uncor *u, const char *uuid, uint32_t nsid,
		   const char *backend, char *err, size_t errlen)
{
	FILE *f;
	int ret;

	lio_uncor_init_mem(u);
	if (asprintf(&u->path, "%s/uncor-%s-%" PRIu32, lio_state_dir(), uuid,
		     nsid) < 0) {
		u->path = NULL;
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	u->backend = strdup(backend);
	if (!u->backend) {
		lio_uncor_close(u);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	f = fopen(u->path, "re");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		ret = -errno;
		snprintf(err, errlen, "%s: cannot read it: %s", u->path,
			 strerror(errno));
		lio_uncor_close(u);
		return ret;
	}
	ret = lio_uncor_parse(u, f, backend, err, errlen);
	fclose(f);
	if (ret)
		lio_uncor_close(u);
	return ret;
}
