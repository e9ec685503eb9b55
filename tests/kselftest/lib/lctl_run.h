/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running leapioctl from the tree ($LEAPIO_TOP/tools/leapioctl/leapioctl)
 * as an operator would, for the tests that drive LeapIO through it.
 */
#ifndef LEAPIO_KSFT_LCTL_RUN_H
#define LEAPIO_KSFT_LCTL_RUN_H

#include <stddef.h>

/*
 * leapioctl with the arguments fmt makes (a shell's words): its exit
 * status, or -1 when it could not run or died; what it printed (stdout
 * and stderr, up to len - 1 bytes) in out.
 */
int lctl_run(char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* LEAPIO_KSFT_LCTL_RUN_H */
