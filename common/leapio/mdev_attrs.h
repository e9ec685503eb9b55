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

#endif /* LEAPIO_MDEV_ATTRS_H */
