/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel side through sysfs, so that an operator needs no raw echo:
 * the leapio parent's types, its mdevs, creating one with its namespace
 * attributes, removing one (Documentation/admin-guide/leapio.rst). root
 * is prepended to every path ("" on a real system; tests give a tree of
 * their own).
 */
#ifndef LEAPIOCTL_MDEV_H
#define LEAPIOCTL_MDEV_H

#include <jansson.h>
#include <stddef.h>

#define LCTL_MAX_ATTRS	8

struct lctl_attr {
	const char	*name;		/* ns_size, lba_size, ... */
	const char	*value;
};

/* [{"type", "queues", "available", "description"}], or NULL with err. */
json_t *lctl_mdev_types(const char *root, char *err, size_t errlen);
/* [{"uuid", "type", "ns_size", "lba_size", "runtime_pid"}], or NULL with err. */
json_t *lctl_mdev_list(const char *root, char *err, size_t errlen);
/*
 * Create an mdev of type (uuid: given, or a new one written back into
 * uuid, 37 bytes) and write its attributes in the order given. An
 * attribute refused removes the mdev again: nothing is left half made.
 * 0, or -errno with a sentence in err naming what was refused.
 */
int lctl_mdev_create(const char *root, const char *type, char *uuid,
		     const struct lctl_attr *attrs, unsigned int nr,
		     char *err, size_t errlen);
int lctl_mdev_remove(const char *root, const char *uuid, char *err, size_t errlen);
/* The first line of mdev uuid's leapio/<name>: 0, or -errno. */
int lctl_mdev_attr(const char *root, const char *uuid, const char *name,
		   char *buf, size_t len);

#endif /* LEAPIOCTL_MDEV_H */
