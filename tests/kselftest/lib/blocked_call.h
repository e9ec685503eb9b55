/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A call that the driver answers only once the runtime has acknowledged a
 * change (a reset, closing the VFIO device, unmapping guest memory), made
 * from a thread of its own while the test holds the runtime's requests at
 * the backend. The test asks whether the thread is inside the driver's
 * wait, by its kernel wait channel, instead of sleeping and hoping.
 */
#ifndef LEAPIO_KSFT_BLOCKED_CALL_H
#define LEAPIO_KSFT_BLOCKED_CALL_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

/* The driver's wait for the runtime's acknowledgement (kernel/host). */
#define BLOCKED_CALL_ACK_WAIT	"lio_region_wait_ack"

struct blocked_call {
	int		(*fn)(void *arg);	/* 0 or -errno */
	void		*arg;
	int		ret;		/* fn's, once done */
	pid_t		tid;		/* the thread's, once it runs */
	int		done;
	pthread_t	th;
};

/* Run fn(arg) in a new thread: 0 or -errno. */
int blocked_call_start(struct blocked_call *bc);
/* Wait for the thread to end: 0 or -errno (fn's result is in ret). */
int blocked_call_join(struct blocked_call *bc);
/* fn has returned. */
bool blocked_call_done(struct blocked_call *bc);
/*
 * Wait, up to timeout_ms, until the thread sleeps in the kernel function
 * wchan: 0; -EALREADY if the call returned first; -ETIMEDOUT; -errno.
 */
int blocked_call_in(struct blocked_call *bc, const char *wchan,
		    unsigned int timeout_ms);

#endif /* LEAPIO_KSFT_BLOCKED_CALL_H */
