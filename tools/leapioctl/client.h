/* SPDX-License-Identifier: GPL-2.0 */
/* leapioctl's side of leapiod's control socket (JSON-RPC 2.0, one line a reply). */
#ifndef LEAPIOCTL_CLIENT_H
#define LEAPIOCTL_CLIENT_H

#include <jansson.h>
#include <stddef.h>

/* leapioctl's exit statuses (leapioctl.rst, "Exit status"). */
#define LCTL_OK		0
#define LCTL_FAILED	1	/* refused: the reason is printed */
#define LCTL_USAGE	2
#define LCTL_NO_DAEMON	3	/* leapiod does not answer on the socket */

#define LCTL_DEFAULT_SOCKET	"/run/leapiod.sock"

/*
 * Call method with params (stolen; NULL for none) on the socket: the
 * result (a new reference) in *result and LCTL_OK, or LCTL_FAILED with
 * leapiod's error message (and code) in err, or LCTL_NO_DAEMON.
 */
int lctl_call(const char *socket, const char *method, json_t *params,
	      json_t **result, char *err, size_t errlen);
/* The same, and on LCTL_FAILED with leapiod's error, its code in *code. */
int lctl_call_code(const char *socket, const char *method, json_t *params,
		   json_t **result, long long *code, char *err, size_t errlen);

#endif /* LEAPIOCTL_CLIENT_H */
