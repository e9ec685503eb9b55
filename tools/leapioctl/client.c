// SPDX-License-Identifier: GPL-2.0
/*
 * One request a connection: connect, send, read the reply's line, parse
 * it. leapiod answers every request with an id, so a reply always comes
 * (or the connection ends: a leapiod that exited, or a refusal line).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "client.h"

/* What one reply line may be: a list of 4096 vdevs fits. */
#define LCTL_MAX_REPLY	(4 << 20)

static int dial(const char *socket_path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(socket_path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "%s: too long for a socket's path", socket_path);
		return -EINVAL;
	}
	strcpy(sa.sun_path, socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = errno;

		snprintf(err, errlen, "%s: %s (is leapiod running with --control-socket %s?)",
			 socket_path, strerror(e), socket_path);
		if (fd >= 0)
			close(fd);
		return -e;
	}
	return fd;
}

static int send_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = send(fd, s, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -errno;
		s += n;
		len -= n;
	}
	return 0;
}

/* The reply's line; NULL when the connection ended first. */
static char *read_line(int fd)
{
	size_t cap = 4096, have = 0;
	char *buf = malloc(cap), *nl;
	ssize_t n;

	while (buf) {
		if (have + 1 == cap) {
			char *b = cap < LCTL_MAX_REPLY ? realloc(buf, cap * 2) : NULL;

			if (!b)
				break;
			buf = b;
			cap *= 2;
		}
		n = recv(fd, buf + have, cap - 1 - have, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += n;
		buf[have] = '\0';
		nl = strchr(buf, '\n');
		if (nl) {
			*nl = '\0';
			return buf;
		}
	}
	free(buf);
	return NULL;
}

int lctl_call(const char *socket_path, const char *method, json_t *params,
	      json_t **result, char *err, size_t errlen)
{
	return lctl_call_code(socket_path, method, params, result, NULL, err, errlen);
}

int lctl_call_code(const char *socket_path, const char *method, json_t *params,
		   json_t **result, long long *code, char *err, size_t errlen)
{
	json_t *req = json_pack("{s:s, s:i, s:s}", "jsonrpc", "2.0", "id", 1,
				"method", method), *reply, *e;
	char *text = NULL, *line;
	json_error_t je;
	int fd, ret;

	*result = NULL;
	if (req && params)
		json_object_set(req, "params", params);
	json_decref(params);
	text = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	if (!text) {
		snprintf(err, errlen, "out of memory");
		return LCTL_FAILED;
	}
	fd = dial(socket_path, err, errlen);
	if (fd < 0) {
		free(text);
		return LCTL_NO_DAEMON;
	}
	ret = send_all(fd, text, strlen(text));
	free(text);
	line = ret ? NULL : read_line(fd);
	close(fd);
	if (!line) {
		snprintf(err, errlen, "%s: leapiod closed the connection without a reply",
			 socket_path);
		return LCTL_NO_DAEMON;
	}
	reply = json_loads(line, 0, &je);
	free(line);
	if (!reply) {
		snprintf(err, errlen, "leapiod's reply is not JSON: %s", je.text);
		return LCTL_FAILED;
	}
	e = json_object_get(reply, "error");
	if (e && code)
		*code = json_integer_value(json_object_get(e, "code"));
	if (e) {
		snprintf(err, errlen, "%s (error %lld)",
			 json_string_value(json_object_get(e, "message")) ?: "no message",
			 (long long)json_integer_value(json_object_get(e, "code")));
		json_decref(reply);
		return LCTL_FAILED;
	}
	*result = json_incref(json_object_get(reply, "result"));
	json_decref(reply);
	if (!*result) {
		snprintf(err, errlen, "leapiod's reply has no result");
		return LCTL_FAILED;
	}
	return LCTL_OK;
}
