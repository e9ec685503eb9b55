/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment of LeapIO's pure logic in user space: the same names the
 * kernel build gets from kernel/host/env/lio_env.h, made from libc.
 *
 * LIO_ENV_UAPI_INTS (the kselftest VFIO client): u8..s64 are the kernel
 * uapi's __u8..__s64 instead of <stdint.h>'s. The client passes them to
 * and from <linux/vfio.h>'s structures, whose __u64 is an unsigned long
 * long while uint64_t is an unsigned long: pointers to the one are not
 * pointers to the other.
 */
#ifndef LEAPIO_ENV_H
#define LEAPIO_ENV_H

#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
/* __le16/32/64: the uapi headers the pure files include define them too. */
#include <linux/types.h>

#ifdef LIO_ENV_UAPI_INTS
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;
#else
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
#endif

#define cpu_to_le16(x)	htole16(x)
#define cpu_to_le32(x)	htole32(x)
#define cpu_to_le64(x)	htole64(x)
#define le16_to_cpu(x)	le16toh(x)
#define le32_to_cpu(x)	le32toh(x)
#define le64_to_cpu(x)	le64toh(x)

#define BIT(n)		(1UL << (n))
#define BIT_ULL(n)	(1ULL << (n))
/* kselftest.h, included by the tests first, has the same one. */
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#define U32_MAX		((u32)~0U)
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define __packed	__attribute__((packed))
#define fallthrough	__attribute__((fallthrough))
/* A compile-time check; the kernel build's is its static_assert(). */
#define LIO_STATIC_ASSERT(expr)	_Static_assert(expr, #expr)
/* Stores before it are seen before stores after it (a release fence). */
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
/* Loads before it are done before loads after it (an acquire fence). */
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)

#endif /* LEAPIO_ENV_H */
