/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eventfds standing for interrupt lines: VFIO signals one per MSI-X vector
 * or INTx assertion; a test waits for it with a bounded poll().
 */
#ifndef LEAPIO_KSFT_EVFD_H
#define LEAPIO_KSFT_EVFD_H

#include <stdint.h>

/* How long an interrupt that must come may take (TCG inside TCG is slow;
 * the wait ends as soon as it arrives, so the bound costs nothing).
 */
#define EVFD_TIMEOUT_MS		5000

/* A non-blocking eventfd, or -errno. */
int evfd_new(void);
/*
 * Wait up to timeout_ms for fd to be signalled and consume the count:
 * returns the count (>= 1), 0 on timeout, or -errno.
 */
int64_t evfd_wait(int fd, int timeout_ms);
/*
 * Consume whatever is pending without waiting: the count, 0 when nothing
 * was signalled, or -errno. The device raises its interrupts inside the
 * access that causes them (the doorbell or register write returns after
 * the eventfd was signalled), so "nothing now" means "not raised".
 */
int64_t evfd_take(int fd);
void evfd_close(int *fd);

#endif /* LEAPIO_KSFT_EVFD_H */
