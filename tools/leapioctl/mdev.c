// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lio_env.h"
#include "../../common/leapio/mdev_attrs.h"
#include "mdev.h"

#define TYPES_DIR	"/sys/class/mdev_bus/leapio/mdev_supported_types"
#define DEVICES_DIR	"/sys/bus/mdev/devices"

/* The first line of a sysfs file, or -errno. */
static int read_attr(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int write_attr(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;
	size_t len = strlen(val);

	if (fd < 0)
		return -errno;
	if (write(fd, val, len) != (ssize_t)len)
		ret = -errno;
	close(fd);
	return ret;
}

static json_t *attr_json(const char *path)
{
	char buf[LEAPIO_BACKEND_MAX + 2], *end;
	long long n;

	if (read_attr(path, buf, sizeof(buf)))
		return json_null();
	errno = 0;
	n = strtoll(buf, &end, 10);
	if (!errno && *buf && !*end)
		return json_integer(n);
	return json_string(buf);
}

json_t *lctl_mdev_types(const char *root, char *err, size_t errlen)
{
	char dir[PATH_MAX], path[PATH_MAX + 512];
	json_t *a = json_array();
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s" TYPES_DIR, root);
	d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "%s: %s (is leapio_host loaded? modprobe leapio_host)",
			 dir, strerror(errno));
		json_decref(a);
		return NULL;
	}
	while (a && (de = readdir(d))) {
		json_t *t;
		unsigned int q;

		if (de->d_name[0] == '.')
			continue;
		t = json_pack("{s:s}", "type", de->d_name);
		if (sscanf(de->d_name, "leapio-%uq", &q) == 1)
			json_object_set_new(t, "queues", json_integer(q));
		snprintf(path, sizeof(path), "%s/%s/available_instances", dir, de->d_name);
		json_object_set_new(t, "available", attr_json(path));
		snprintf(path, sizeof(path), "%s/%s/description", dir, de->d_name);
		json_object_set_new(t, "description", attr_json(path));
		json_array_append_new(a, t);
	}
	closedir(d);
	return a;
}

/* The type an mdev is of (its mdev_type link's last part), or "". */
static void mdev_type_of(const char *dev, char *type, size_t len)
{
	char link[2 * PATH_MAX], target[PATH_MAX];
	ssize_t n;
	const char *slash;

	snprintf(link, sizeof(link), "%s/mdev_type", dev);
	n = readlink(link, target, sizeof(target) - 1);
	type[0] = '\0';
	if (n <= 0)
		return;
	target[n] = '\0';
	slash = strrchr(target, '/');
	slash = slash ? slash + 1 : target;
	if (strlen(slash) < len)
		memcpy(type, slash, strlen(slash) + 1);
}

json_t *lctl_mdev_list(const char *root, char *err, size_t errlen)
{
	char dir[PATH_MAX], dev[PATH_MAX + 512], path[PATH_MAX + 1024], type[256];
	static const char *const attrs[] = { "ns_size", "lba_size", "runtime_pid" };
	char backend[LEAPIO_BACKEND_MAX + 2];
	json_t *a = json_array();
	struct dirent *de;
	unsigned int i;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s" DEVICES_DIR, root);
	d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "%s: %s (is the mdev module loaded?)", dir,
			 strerror(errno));
		json_decref(a);
		return NULL;
	}
	while (a && (de = readdir(d))) {
		json_t *m;

		if (de->d_name[0] == '.')
			continue;
		snprintf(dev, sizeof(dev), "%s/%s", dir, de->d_name);
		mdev_type_of(dev, type, sizeof(type));
		/* Another driver's mdev: not ours to show. */
		if (strncmp(type, "leapio-", 7))
			continue;
		m = json_pack("{s:s, s:s}", "uuid", de->d_name, "type", type);
		for (i = 0; m && i < sizeof(attrs) / sizeof(attrs[0]); i++) {
			snprintf(path, sizeof(path), "%s/leapio/%s", dev, attrs[i]);
			json_object_set_new(m, attrs[i], attr_json(path));
		}
		/* A path or URI, text even when it looks like a number. */
		snprintf(path, sizeof(path), "%s/leapio/backend", dev);
		if (m && !read_attr(path, backend, sizeof(backend)))
			json_object_set_new(m, "backend", json_string(backend));
		else if (m)
			json_object_set_new(m, "backend", json_null());
		json_array_append_new(a, m);
	}
	closedir(d);
	return a;
}

int lctl_mdev_remove(const char *root, const char *uuid, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int ret;

	snprintf(path, sizeof(path), "%s" DEVICES_DIR "/%s/remove", root, uuid);
	ret = write_attr(path, "1");
	if (ret)
		snprintf(err, errlen, "mdev %s: remove: %s%s", uuid, strerror(-ret),
			 ret == -ENOENT ? " (no such mdev)" :
			 ret == -EBUSY ? " (a VM or leapiod has it open)" : "");
	return ret;
}

int lctl_mdev_attr(const char *root, const char *uuid, const char *name,
		   char *buf, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s" DEVICES_DIR "/%s/leapio/%s", root, uuid, name);
	return read_attr(path, buf, len);
}

int lctl_mdev_create(const char *root, const char *type, char *uuid,
		     const struct lctl_attr *attrs, unsigned int nr,
		     char *err, size_t errlen)
{
	char path[PATH_MAX], rm[64];
	unsigned int i;
	int ret;

	if (!uuid[0]) {
		ret = read_attr("/proc/sys/kernel/random/uuid", uuid, 37);
		if (ret) {
			snprintf(err, errlen, "a new UUID: %s", strerror(-ret));
			return ret;
		}
	}
	snprintf(path, sizeof(path), "%s" TYPES_DIR "/%s/create", root, type);
	ret = write_attr(path, uuid);
	if (ret) {
		snprintf(err, errlen, "mdev %s of type %s: create: %s%s", uuid, type,
			 strerror(-ret),
			 ret == -ENOENT ? " (no such type: leapioctl mdev types lists them)" :
			 ret == -EUSERS ? " (max_instances controllers exist already)" : "");
		return ret;
	}
	for (i = 0; i < nr; i++) {
		snprintf(path, sizeof(path), "%s" DEVICES_DIR "/%s/leapio/%s", root, uuid,
			 attrs[i].name);
		ret = write_attr(path, attrs[i].value);
		if (ret) {
			snprintf(err, errlen, "mdev %s: %s=%s: %s%s; the mdev is removed again",
				 uuid, attrs[i].name, attrs[i].value, strerror(-ret),
				 ret == -ENOENT ? " (no such attribute)" : "");
			lctl_mdev_remove(root, uuid, rm, sizeof(rm));
			return ret;
		}
	}
	return 0;
}
