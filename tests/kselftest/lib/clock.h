/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The clock of the tests' bounded waits: milliseconds of CLOCK_MONOTONIC,
 * signed so that "deadline - now" may go below zero.
 */
#ifndef LEAPIO_KSFT_CLOCK_H
#define LEAPIO_KSFT_CLOCK_H

#include <stdint.h>

int64_t mono_ms(void);

#endif /* LEAPIO_KSFT_CLOCK_H */
