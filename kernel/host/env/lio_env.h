/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment of LeapIO's pure logic when it is built into the kernel
 * module. The user-space unit tests provide their own lio_env.h with the
 * same names (common/env/lio_env.h); the pure files include only this.
 */
#ifndef LEAPIO_ENV_H
#define LEAPIO_ENV_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/errno.h>
#include <linux/compiler.h>
#include <asm/byteorder.h>
#include <asm/barrier.h>

/* A compile-time check, in user space C11's _Static_assert. */
#define LIO_STATIC_ASSERT(expr)	static_assert(expr)

#endif /* LEAPIO_ENV_H */
