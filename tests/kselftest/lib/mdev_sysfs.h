/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdev instances of LeapIO through sysfs: find the parent and its types,
 * create an instance with a fresh UUID, set and read its attributes
 * (/sys/bus/mdev/devices/<uuid>/leapio/<name>), remove it.
 *
 * Every function returns 0 or a negative errno: a sysfs write that the
 * kernel refuses is a value tests assert on, not an abort.
 */
#ifndef LEAPIO_KSFT_MDEV_SYSFS_H
#define LEAPIO_KSFT_MDEV_SYSFS_H

#include <stdbool.h>
#include <stddef.h>

#define MDEV_UUID_LEN		36
#define MDEV_TYPE_NAME_MAX	64
#define MDEV_MAX_TYPES		16

struct lio_mdev {
	char		uuid[MDEV_UUID_LEN + 1];
	char		type[MDEV_TYPE_NAME_MAX];	/* "leapio-4q" */
	unsigned int	nr_ioq;				/* N of leapio-Nq */
	bool		created;
};

struct lio_mdev_type {
	char		name[MDEV_TYPE_NAME_MAX];
	unsigned int	nr_ioq;
};

/*
 * LeapIO types offered by every registered parent, sorted by nr_ioq.
 * Returns how many (0 when the module is not loaded) or -errno.
 */
int mdev_list_types(struct lio_mdev_type *types, int max);

/* The type's directory, /sys/class/mdev_bus/<parent>/mdev_supported_types/<type>. */
int mdev_type_dir(const char *type, char *buf, size_t len);
/* A number from a type attribute, e.g. "available_instances". */
int mdev_type_read_long(const char *type, const char *attr, long *val);

/* A fresh random UUID in canonical text form. */
int mdev_new_uuid(char uuid[MDEV_UUID_LEN + 1]);

/* Create an instance of type with a fresh UUID; m->created says so. */
int mdev_create(struct lio_mdev *m, const char *type);
/*
 * An instance someone else made (mdevctl, at boot): m describes it, with
 * created false, so that mdev_remove() leaves it. 0, -ENOENT (no such
 * mdev or not a LeapIO one) or -errno.
 */
int mdev_use(struct lio_mdev *m, const char *uuid);
/* Remove it (no-op when it was never created). */
int mdev_remove(struct lio_mdev *m);
/* True when /sys/bus/mdev/devices/<uuid> exists. */
bool mdev_exists(const char *uuid);

/* leapio/<name> attributes of an instance. */
int mdev_attr_write(const struct lio_mdev *m, const char *name, const char *val);
int mdev_attr_write_u64(const struct lio_mdev *m, const char *name,
			unsigned long long val);
/* The value without its trailing newline. */
int mdev_attr_read(const struct lio_mdev *m, const char *name,
		   char *buf, size_t len);
int mdev_attr_read_u64(const struct lio_mdev *m, const char *name,
		       unsigned long long *val);

/* The number of the instance's IOMMU group (/dev/vfio/<n>). */
int mdev_iommu_group(const struct lio_mdev *m);

/* Remove every LeapIO instance left behind (a crashed test). */
int mdev_remove_all(void);

/* Small file helpers shared with the module-loading code. */
int sysfs_write(const char *path, const char *val);
int sysfs_read(const char *path, char *buf, size_t len);

#endif /* LEAPIO_KSFT_MDEV_SYSFS_H */
