/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment of common/nvme/nvme_spec.h for the kselftest VFIO
 * client. It differs from tests/unit/env/lio_env.h on purpose: the client
 * also includes <linux/vfio.h>, which brings <linux/types.h>, whose
 * __le64 is an unsigned long long while uint64_t is an unsigned long; the
 * two typedefs cannot coexist in one translation unit, so here every
 * fixed-width name comes from the kernel's uapi types.
 */
#ifndef LEAPIO_ENV_H
#define LEAPIO_ENV_H

#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#define cpu_to_le16(x)	htole16(x)
#define cpu_to_le32(x)	htole32(x)
#define cpu_to_le64(x)	htole64(x)
#define le16_to_cpu(x)	le16toh(x)
#define le32_to_cpu(x)	le32toh(x)
#define le64_to_cpu(x)	le64toh(x)

#define BIT(n)		(1UL << (n))
#define BIT_ULL(n)	(1ULL << (n))

#define LIO_BUILD_BUG_ON(cond)	_Static_assert(!(cond), #cond)

#endif /* LEAPIO_ENV_H */
