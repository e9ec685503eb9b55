// SPDX-License-Identifier: GPL-2.0
/* mdev instances of LeapIO through sysfs; see mdev_sysfs.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../../uapi/linux/leapio.h"
#include "mdev_sysfs.h"

#define MDEV_BUS_CLASS	"/sys/class/mdev_bus"
#define MDEV_DEVICES	"/sys/bus/mdev/devices"

int sysfs_write(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* One write(): a sysfs store sees the value whole, and its error
	 * comes back from this call, not from close().
	 */
	n = write(fd, val, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	close(fd);
	return err;
}

int sysfs_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	if (len == 0)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 0;
}

static int parse_type(const char *name, unsigned int *nr_ioq)
{
	size_t plen = strlen(LEAPIO_MDEV_TYPE_PREFIX);
	char *end;
	unsigned long n;

	if (strncmp(name, LEAPIO_MDEV_TYPE_PREFIX, plen))
		return -ENOENT;
	errno = 0;
	n = strtoul(name + plen, &end, 10);
	if (errno || end == name + plen || strcmp(end, "q") || n == 0 ||
	    n > LEAPIO_MAX_IOQ)
		return -ENOENT;
	*nr_ioq = n;
	return 0;
}

static int cmp_type(const void *a, const void *b)
{
	const struct lio_mdev_type *x = a, *y = b;

	return (x->nr_ioq > y->nr_ioq) - (x->nr_ioq < y->nr_ioq);
}

typedef int (*type_fn)(const char *dir, const char *name,
		       unsigned int nr_ioq, void *arg);

/* Calls fn on each LeapIO type directory of each parent until it returns
 * non-zero.
 */
static int walk_types(type_fn fn, void *arg)
{
	struct dirent *p, *t;
	DIR *parents, *types;
	char path[PATH_MAX];
	unsigned int nr;
	int ret = 0;

	parents = opendir(MDEV_BUS_CLASS);
	if (!parents)
		return errno == ENOENT ? 0 : -errno;
	while (!ret && (p = readdir(parents))) {
		if (p->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/mdev_supported_types",
			 MDEV_BUS_CLASS, p->d_name);
		types = opendir(path);
		if (!types)
			continue;
		while (!ret && (t = readdir(types))) {
			if (parse_type(t->d_name, &nr))
				continue;
			ret = fn(path, t->d_name, nr, arg);
		}
		closedir(types);
	}
	closedir(parents);
	return ret;
}

struct type_list {
	struct lio_mdev_type	*types;
	int			max;
	int			n;
};

static int add_type(const char *dir, const char *name, unsigned int nr_ioq,
		    void *arg)
{
	struct type_list *l = arg;

	(void)dir;
	if (l->n >= l->max)
		return -ENOSPC;
	snprintf(l->types[l->n].name, sizeof(l->types[l->n].name), "%s", name);
	l->types[l->n].nr_ioq = nr_ioq;
	l->n++;
	return 0;
}

int mdev_list_types(struct lio_mdev_type *types, int max)
{
	struct type_list l = { .types = types, .max = max };
	int err;

	err = walk_types(add_type, &l);
	if (err)
		return err;
	qsort(types, l.n, sizeof(*types), cmp_type);
	return l.n;
}

struct type_find {
	const char	*name;
	char		*buf;
	size_t		len;
};

static int find_type(const char *dir, const char *name, unsigned int nr_ioq,
		     void *arg)
{
	struct type_find *f = arg;

	(void)nr_ioq;
	if (strcmp(name, f->name))
		return 0;
	snprintf(f->buf, f->len, "%s/%s", dir, name);
	return 1;
}

int mdev_type_dir(const char *type, char *buf, size_t len)
{
	struct type_find f = { .name = type, .buf = buf, .len = len };
	int ret;

	ret = walk_types(find_type, &f);
	if (ret < 0)
		return ret;
	return ret == 1 ? 0 : -ENOENT;
}

static int parse_long(const char *s, long *val)
{
	char *end;

	errno = 0;
	*val = strtol(s, &end, 0);
	if (errno)
		return -errno;
	if (end == s || *end)
		return -EINVAL;
	return 0;
}

int mdev_type_read_long(const char *type, const char *attr, long *val)
{
	char dir[PATH_MAX], path[PATH_MAX + 64], buf[64];
	int err;

	err = mdev_type_dir(type, dir, sizeof(dir));
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	err = sysfs_read(path, buf, sizeof(buf));
	if (err)
		return err;
	return parse_long(buf, val);
}

int mdev_new_uuid(char uuid[MDEV_UUID_LEN + 1])
{
	char buf[64];
	int err;

	/* The kernel's random version-4 UUID generator: no libuuid needed. */
	err = sysfs_read("/proc/sys/kernel/random/uuid", buf, sizeof(buf));
	if (err)
		return err;
	if (strlen(buf) != MDEV_UUID_LEN)
		return -EIO;
	memcpy(uuid, buf, MDEV_UUID_LEN + 1);
	return 0;
}

int mdev_create(struct lio_mdev *m, const char *type)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	int err;

	memset(m, 0, sizeof(*m));
	err = parse_type(type, &m->nr_ioq);
	if (err)
		return -EINVAL;
	snprintf(m->type, sizeof(m->type), "%s", type);
	err = mdev_type_dir(type, dir, sizeof(dir));
	if (err)
		return err;
	err = mdev_new_uuid(m->uuid);
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/create", dir);
	err = sysfs_write(path, m->uuid);
	if (err)
		return err;
	m->created = true;
	return 0;
}

/* The last component of the symlink at path's target, in buf: 0 or -errno. */
static int link_base(const char *path, char *buf, size_t len, const char **base)
{
	ssize_t n = readlink(path, buf, len - 1);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	*base = strrchr(buf, '/');
	*base = *base ? *base + 1 : buf;
	return 0;
}

int mdev_use(struct lio_mdev *m, const char *uuid)
{
	char link[PATH_MAX], target[PATH_MAX];
	const char *type;
	int err;

	memset(m, 0, sizeof(*m));
	snprintf(link, sizeof(link), "%s/%s/mdev_type", MDEV_DEVICES, uuid);
	err = link_base(link, target, sizeof(target), &type);
	if (err)
		return err;
	if (parse_type(type, &m->nr_ioq) || strlen(uuid) != MDEV_UUID_LEN ||
	    strlen(type) >= sizeof(m->type))
		return -ENOENT;
	memcpy(m->type, type, strlen(type) + 1);
	memcpy(m->uuid, uuid, MDEV_UUID_LEN + 1);
	return 0;
}

static int remove_uuid(const char *uuid)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s/remove", MDEV_DEVICES, uuid);
	return sysfs_write(path, "1");
}

int mdev_remove(struct lio_mdev *m)
{
	int err;

	if (!m->created)
		return 0;
	err = remove_uuid(m->uuid);
	if (!err)
		m->created = false;
	return err;
}

bool mdev_exists(const char *uuid)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", MDEV_DEVICES, uuid);
	return stat(path, &st) == 0;
}

static void attr_path(const struct lio_mdev *m, const char *name,
		      char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/%s/%s", MDEV_DEVICES, m->uuid,
		 LEAPIO_SYSFS_GROUP, name);
}

int mdev_attr_write(const struct lio_mdev *m, const char *name, const char *val)
{
	char path[PATH_MAX];

	attr_path(m, name, path, sizeof(path));
	return sysfs_write(path, val);
}

int mdev_attr_write_u64(const struct lio_mdev *m, const char *name,
			unsigned long long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", val);
	return mdev_attr_write(m, name, buf);
}

int mdev_attr_read(const struct lio_mdev *m, const char *name,
		   char *buf, size_t len)
{
	char path[PATH_MAX];

	attr_path(m, name, path, sizeof(path));
	return sysfs_read(path, buf, len);
}

int mdev_attr_read_u64(const struct lio_mdev *m, const char *name,
		       unsigned long long *val)
{
	char buf[64], *end;
	int err;

	err = mdev_attr_read(m, name, buf, sizeof(buf));
	if (err)
		return err;
	errno = 0;
	*val = strtoull(buf, &end, 0);
	if (errno)
		return -errno;
	if (end == buf || *end)
		return -EINVAL;
	return 0;
}

int mdev_iommu_group(const struct lio_mdev *m)
{
	char path[PATH_MAX], link[PATH_MAX], *end;
	const char *base;
	long grp;
	int err;

	snprintf(path, sizeof(path), "%s/%s/iommu_group", MDEV_DEVICES, m->uuid);
	err = link_base(path, link, sizeof(link), &base);
	if (err)
		return err;
	errno = 0;
	grp = strtol(base, &end, 10);
	if (errno || end == base || *end || grp < 0 || grp > INT_MAX)
		return -EINVAL;
	return (int)grp;
}

int mdev_remove_all(void)
{
	char path[PATH_MAX], link[PATH_MAX], *base;
	unsigned int nr;
	struct dirent *e;
	int err = 0, ret;
	ssize_t n;
	DIR *d;

	d = opendir(MDEV_DEVICES);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/mdev_type", MDEV_DEVICES,
			 e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		base = strrchr(link, '/');
		base = base ? base + 1 : link;
		if (parse_type(base, &nr))
			continue;	/* another driver's instance */
		ret = remove_uuid(e->d_name);
		if (ret && !err)
			err = ret;
	}
	closedir(d);
	return err;
}
