/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rules of a LeapIO controller's writable settings
 * (Documentation/ABI/testing/sysfs-bus-mdev-devices-leapio): the driver's
 * sysfs stores apply them, leapioctl's mdevctl callout checks a
 * definition's attributes with them before mdevctl writes any.
 */
#ifndef LEAPIO_MDEV_ATTRS_H
#define LEAPIO_MDEV_ATTRS_H

#include "lio_env.h"
#include "../../uapi/linux/leapio.h"

/* How long I/O waits for a data path runtime, milliseconds: 10 minutes. */
#define LEAPIO_RUNTIME_GRACE_MS_MAX	600000

/*
 * A namespace of size bytes in blocks of lba_size: 0; -ERANGE past
 * LEAPIO_NS_SIZE_MAX; -EINVAL unless lba_size is 512 or 4096 and size a
 * non-zero multiple of it.
 */
static inline int leapio_ns_geometry_check(u64 size, u32 lba_size)
{
	if (size > LEAPIO_NS_SIZE_MAX)
		return -ERANGE;
	if (lba_size != 512 && lba_size != 4096)
		return -EINVAL;
	if (!size || size % lba_size)
		return -EINVAL;
	return 0;
}

/*
 * leapio/ns<N>_size (N from 2 to LEAPIO_MAX_NS) written size to namespace
 * N of cur bytes (0: none) in blocks of lba_size: 0 when size is 0 (it
 * goes) or cur; leapio_ns_geometry_check()'s error; -EBUSY when smaller
 * than cur, since the guest's blocks past it would go.
 */
static inline int leapio_nsn_size_check(u64 cur, u64 size, u32 lba_size)
{
	int ret;

	if (!size)
		return 0;
	ret = leapio_ns_geometry_check(size, lba_size);
	if (ret)
		return ret;
	return size < cur ? -EBUSY : 0;
}

/*
 * leapio/ns<N>_lba_size written lba_size to namespace N of cur bytes:
 * -EINVAL unless 512 or 4096; -EBUSY while the namespace exists (its
 * blocks are the guest's: only Format NVM changes them then).
 */
static inline int leapio_nsn_lba_size_check(u64 cur, u32 lba_size)
{
	if (lba_size != 512 && lba_size != 4096)
		return -EINVAL;
	return cur ? -EBUSY : 0;
}

/*
 * leapio/backend: what is to serve the controller, kept by the driver for
 * the runtime's tools and never read by it (leapioctl's mdevctl call-out
 * and `leapioctl vdev adopt` give it to leapiod). The right-hand side of
 * leapiod's --vdev: a path or URI with its options, at most
 * LEAPIO_BACKEND_MAX bytes of printable ASCII without spaces.
 */
#define LEAPIO_BACKEND_MAX		255

/*
 * The value in s[0..len), one trailing newline (a sysfs write's) not
 * counted: its length (0 clears the attribute), -ENAMETOOLONG past
 * LEAPIO_BACKEND_MAX, -EINVAL for a byte outside '!'..'~'.
 */
static inline int leapio_backend_check(const char *s, size_t len)
{
	size_t i;

	if (len && s[len - 1] == '\n')
		len--;
	if (len > LEAPIO_BACKEND_MAX)
		return -ENAMETOOLONG;
	for (i = 0; i < len; i++)
		if (s[i] < '!' || s[i] > '~')
			return -EINVAL;
	return (int)len;
}

#endif /* LEAPIO_MDEV_ATTRS_H */
