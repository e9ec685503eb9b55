/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A client of leapiod's control socket (--control-socket) for the
 * kselftests: one JSON-RPC 2.0 request a connection, the reply's line
 * returned as text for the tests to look into (they check what it says,
 * "result" or an error's code and words; leapioctl is the real client).
 */
#ifndef LEAPIO_KSFT_CTL_CLIENT_H
#define LEAPIO_KSFT_CTL_CLIENT_H

#include <stddef.h>

/*
 * Call method with params (JSON text, or NULL) on the socket at path and
 * wait (bounded) for the reply: its line, without the newline, in buf.
 * 0 or -errno (-ETIMEDOUT: no reply in time).
 */
int ctl_call(const char *path, const char *method, const char *params,
	     char *buf, size_t len);

#endif /* LEAPIO_KSFT_CTL_CLIENT_H */
