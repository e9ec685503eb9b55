// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket's server (runtime/control/server.c) on a real Unix
 * socket in a temporary directory: requests answered, several clients,
 * a client that goes away mid-request, too many clients, bad JSON and
 * oversized requests ending a stream, the socket file's life (stale one
 * replaced, live one refused) and who may connect.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/lio_harness.h"
#include "../../runtime/control/server.h"
#include "../../runtime/core/log.h"

/* Steps of the server at most while waiting for a reply: a bound, not a clock. */
#define PUMP_STEPS	2000

static json_t *echo(void *ctx, json_t *params, struct lio_rpc_err *err)
{
	return params ? json_incref(params) : json_string("nothing");
}

static const struct lio_rpc_method methods[] = {
	{ "echo", "its params back", echo },
};

static const struct lio_rpc_table table = { methods, 1, NULL };

FIXTURE(srv) {
	char dir[64];
	char path[128];
	struct lio_ctl *c;
};

FIXTURE_SETUP(srv)
{
	struct lio_ctl_cfg cfg = { .gid = (gid_t)-1, .max_clients = 3 };
	char err[256] = "";

	strcpy(self->dir, "/tmp/lio-ctl-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->path, sizeof(self->path), "%s/leapiod.sock", self->dir);
	cfg.path = self->path;
	ASSERT_EQ(0, lio_ctl_open(&self->c, &cfg, &table, err, sizeof(err))) TH_LOG("%s", err);
}

FIXTURE_TEARDOWN(srv)
{
	lio_ctl_close(self->c);
	rmdir(self->dir);
}

static int dial(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	strcpy(sa.sun_path, path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/*
 * Run the server until fd has a whole line to read (or EOF), waiting in
 * poll() on both: the line (without its newline) in buf; 0 at EOF; -1 if
 * nothing came within PUMP_STEPS.
 */
static int pump_line(struct lio_ctl *c, int fd, char *buf, size_t len)
{
	size_t have = 0;
	int step;

	for (step = 0; step < PUMP_STEPS; step++) {
		struct pollfd p[2] = { { lio_ctl_fd(c), POLLIN, 0 }, { fd, POLLIN, 0 } };
		ssize_t n;
		char *nl;

		if (poll(p, 2, 1000) < 0)
			return -1;
		lio_ctl_work(c);
		if (!(p[1].revents & (POLLIN | POLLHUP)))
			continue;
		n = recv(fd, buf + have, len - 1 - have, MSG_DONTWAIT);
		if (n == 0)
			return have ? -1 : 0;
		if (n < 0)
			continue;
		have += n;
		buf[have] = '\0';
		nl = strchr(buf, '\n');
		if (nl) {
			*nl = '\0';
			return 1;
		}
	}
	return -1;
}

/* Run the server until fd's end (bounded): all it got in buf; 0, or -1. */
static int pump_to_eof(struct lio_ctl *c, int fd, char *buf, size_t len)
{
	size_t have = 0;
	int step;

	buf[0] = '\0';
	for (step = 0; step < PUMP_STEPS; step++) {
		struct pollfd p[2] = { { lio_ctl_fd(c), POLLIN, 0 }, { fd, POLLIN, 0 } };
		ssize_t n;

		if (poll(p, 2, 1000) < 0)
			return -1;
		lio_ctl_work(c);
		if (!(p[1].revents & (POLLIN | POLLHUP)))
			continue;
		n = recv(fd, buf + have, len - 1 - have, MSG_DONTWAIT);
		if (n == 0)
			return 0;
		if (n > 0) {
			have += n;
			buf[have] = '\0';
		}
	}
	return -1;
}

/* Run the server until it has n clients (bounded). */
static unsigned int pump_clients(struct lio_ctl *c, unsigned int n)
{
	int step;

	for (step = 0; step < PUMP_STEPS && lio_ctl_clients(c) != n; step++) {
		struct pollfd p = { lio_ctl_fd(c), POLLIN, 0 };

		if (poll(&p, 1, 1000) < 0)
			break;
		lio_ctl_work(c);
	}
	return lio_ctl_clients(c);
}

static void say(int fd, const char *s)
{
	ssize_t n = send(fd, s, strlen(s), MSG_NOSIGNAL);

	(void)n;
}

#define ECHO(id) "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[" #id "],\"id\":" #id "}"

TEST_F(srv, a_request_is_answered_on_one_line)
{
	char line[512];
	int fd = dial(self->path);

	ASSERT_LE(0, fd);
	say(fd, ECHO(1));
	ASSERT_EQ(1, pump_line(self->c, fd, line, sizeof(line)));
	ASSERT_STREQ("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":1}", line);
	ASSERT_EQ(1, lio_ctl_clients(self->c));
	close(fd);
	/* Its going is noticed. */
	ASSERT_EQ(0, pump_clients(self->c, 0));
}

TEST_F(srv, clients_are_served_side_by_side)
{
	char line[512];
	int a = dial(self->path), b = dial(self->path);

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	say(a, "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",");	/* half */
	say(b, ECHO(2));
	ASSERT_EQ(1, pump_line(self->c, b, line, sizeof(line)));
	ASSERT_NE(NULL, strstr(line, "\"id\":2"));
	say(a, "\"id\":1}");
	ASSERT_EQ(1, pump_line(self->c, a, line, sizeof(line)));
	ASSERT_STREQ("{\"jsonrpc\":\"2.0\",\"result\":\"nothing\",\"id\":1}", line);
	say(a, ECHO(3));
	ASSERT_EQ(1, pump_line(self->c, a, line, sizeof(line)));
	ASSERT_NE(NULL, strstr(line, "\"id\":3"));
	close(a);
	close(b);
}

TEST_F(srv, a_client_gone_mid_request_costs_nothing)
{
	char line[512];
	int a = dial(self->path), b;
	struct pollfd p = { 0 };

	ASSERT_LE(0, a);
	ASSERT_EQ(1, pump_clients(self->c, 1));
	say(a, "{\"jsonrpc\":\"2.0\",\"meth");
	p.fd = lio_ctl_fd(self->c);
	p.events = POLLIN;
	ASSERT_EQ(1, poll(&p, 1, 10000));
	lio_ctl_work(self->c);
	/* Half a request: nothing to answer yet. */
	ASSERT_EQ(-1, recv(a, line, sizeof(line), MSG_DONTWAIT));
	ASSERT_EQ(EAGAIN, errno);
	close(a);
	ASSERT_EQ(0, pump_clients(self->c, 0));
	b = dial(self->path);
	say(b, ECHO(4));
	ASSERT_EQ(1, pump_line(self->c, b, line, sizeof(line)));
	ASSERT_NE(NULL, strstr(line, "\"id\":4"));
	close(b);
}

/* echo '{...}' | socat - UNIX-CONNECT:...: requests, then EOF, then the replies. */
TEST_F(srv, a_client_that_shut_its_side_down_gets_its_replies)
{
	char line[512];
	int fd = dial(self->path);

	ASSERT_LE(0, fd);
	say(fd, ECHO(11) "\n" ECHO(12) "\n{\"jsonrpc\":\"2.0\",");
	ASSERT_EQ(0, shutdown(fd, SHUT_WR));
	/* Both replies, then the end: the half request went with it. */
	ASSERT_EQ(0, pump_to_eof(self->c, fd, line, sizeof(line)));
	ASSERT_STREQ("{\"jsonrpc\":\"2.0\",\"result\":[11],\"id\":11}\n"
		     "{\"jsonrpc\":\"2.0\",\"result\":[12],\"id\":12}\n", line);
	ASSERT_EQ(0, pump_clients(self->c, 0));
	close(fd);
}

TEST_F(srv, one_client_too_many_is_told_and_closed)
{
	char line[512];
	int fd[4], i;

	for (i = 0; i < 3; i++) {
		fd[i] = dial(self->path);
		say(fd[i], ECHO(5));
		ASSERT_EQ(1, pump_line(self->c, fd[i], line, sizeof(line)));
	}
	ASSERT_EQ(3, lio_ctl_clients(self->c));
	fd[3] = dial(self->path);
	ASSERT_LE(0, fd[3]);
	ASSERT_EQ(1, pump_line(self->c, fd[3], line, sizeof(line)));
	ASSERT_NE(NULL, strstr(line, "\"code\":-32003"));
	ASSERT_NE(NULL, strstr(line, "too many clients"));
	ASSERT_EQ(0, pump_line(self->c, fd[3], line, sizeof(line)));
	ASSERT_EQ(3, lio_ctl_clients(self->c));
	for (i = 0; i < 4; i++)
		close(fd[i]);
}

TEST_F(srv, bad_json_or_an_oversized_request_ends_the_stream)
{
	char line[512], *big;
	int fd = dial(self->path);

	say(fd, "{\"jsonrpc\": nope}" ECHO(6));
	ASSERT_EQ(1, pump_line(self->c, fd, line, sizeof(line)));
	ASSERT_NE(NULL, strstr(line, "\"code\":-32700"));
	/* Closed: what followed is not answered. */
	ASSERT_EQ(0, pump_line(self->c, fd, line, sizeof(line)));
	close(fd);

	fd = dial(self->path);
	big = malloc(LIO_RPC_MAX_REQUEST + 2);
	ASSERT_NE(NULL, big);
	memset(big, ' ', LIO_RPC_MAX_REQUEST + 1);
	big[0] = '[';
	big[LIO_RPC_MAX_REQUEST + 1] = '\0';
	say(fd, big);
	ASSERT_EQ(1, pump_line(self->c, fd, line, sizeof(line)));
	ASSERT_NE(NULL, strstr(line, "larger than 65536 bytes"));
	ASSERT_EQ(0, pump_line(self->c, fd, line, sizeof(line)));
	free(big);
	close(fd);
}

TEST_F(srv, the_socket_file_is_private_and_goes_with_the_server)
{
	struct lio_ctl_cfg cfg = { .path = self->path, .gid = (gid_t)-1 };
	struct lio_ctl *again = NULL;
	char err[256] = "";
	struct stat st;

	ASSERT_EQ(0, stat(self->path, &st));
	ASSERT_TRUE(S_ISSOCK(st.st_mode));
	ASSERT_EQ(0600, st.st_mode & 0777);
	/* A second server on the same path: refused while this one answers. */
	ASSERT_EQ(-EADDRINUSE, lio_ctl_open(&again, &cfg, &table, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "a running leapiod answers on it"));
	lio_ctl_close(self->c);
	self->c = NULL;
	ASSERT_EQ(-1, stat(self->path, &st));
	ASSERT_EQ(ENOENT, errno);
}

TEST_F(srv, a_stale_socket_file_is_replaced_other_files_are_not)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct lio_ctl_cfg cfg = { .gid = (gid_t)-1 };
	char path[160], err[256] = "", line[256];
	struct lio_ctl *c = NULL;
	int fd;

	/* A socket bound and closed: nobody answers there. */
	snprintf(path, sizeof(path), "%s/stale.sock", self->dir);
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&sa, sizeof(sa)));
	close(fd);
	cfg.path = path;
	ASSERT_EQ(0, lio_ctl_open(&c, &cfg, &table, err, sizeof(err))) TH_LOG("%s", err);
	fd = dial(path);
	say(fd, ECHO(7));
	ASSERT_EQ(1, pump_line(c, fd, line, sizeof(line)));
	close(fd);
	lio_ctl_close(c);

	/* A regular file is somebody's: left alone. */
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	ASSERT_EQ(-EEXIST, lio_ctl_open(&c, &cfg, &table, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "a file of another kind"));
	unlink(path);

	cfg.path = "";
	ASSERT_EQ(-EINVAL, lio_ctl_open(&c, &cfg, &table, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "the path must be"));
}

/* From a child with another uid (and gid): what the server says. */
static int dial_as(const char *path, uid_t uid, gid_t gid, struct lio_ctl *c, char *line,
		   size_t len)
{
	int sv[2], st = 0;
	pid_t pid;
	int ret;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -1;
	pid = fork();
	if (!pid) {
		int fd;
		gid_t none[1] = { gid };

		close(sv[0]);
		if (setgroups(1, none) || setgid(gid) || setuid(uid))
			exit(2);
		fd = dial(path);
		if (fd < 0)
			exit(3);
		/* Hand the connection to the parent, which pumps the server. */
		{
			struct msghdr m = { 0 };
			char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
			struct cmsghdr *cm;
			struct iovec io = { (char *)"x", 1 };

			m.msg_iov = &io;
			m.msg_iovlen = 1;
			m.msg_control = cbuf;
			m.msg_controllen = sizeof(cbuf);
			cm = CMSG_FIRSTHDR(&m);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cm), &fd, sizeof(int));
			if (sendmsg(sv[1], &m, 0) < 0)
				exit(4);
		}
		exit(0);
	}
	close(sv[1]);
	{
		struct msghdr m = { 0 };
		char cbuf[CMSG_SPACE(sizeof(int))], x;
		struct iovec io = { &x, 1 };
		struct cmsghdr *cm;
		int fd = -1;

		m.msg_iov = &io;
		m.msg_iovlen = 1;
		m.msg_control = cbuf;
		m.msg_controllen = sizeof(cbuf);
		if (recvmsg(sv[0], &m, 0) == 1 && (cm = CMSG_FIRSTHDR(&m)))
			memcpy(&fd, CMSG_DATA(cm), sizeof(int));
		close(sv[0]);
		waitpid(pid, &st, 0);
		if (fd < 0)
			return -100 - WEXITSTATUS(st);
		say(fd, ECHO(8));
		ret = pump_line(c, fd, line, len);
		close(fd);
	}
	return ret;
}

TEST(who_may_connect)
{
	struct lio_ctl_cfg cfg = { .gid = 4242 };
	char dir[] = "/tmp/lio-ctl-XXXXXX", path[128], err[256] = "", line[512];
	struct lio_ctl *c = NULL;
	struct stat st;

	if (geteuid())
		SKIP(return, "needs root to connect as other users");
	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, chmod(dir, 0755));
	snprintf(path, sizeof(path), "%s/leapiod.sock", dir);
	cfg.path = path;
	ASSERT_EQ(0, lio_ctl_open(&c, &cfg, &table, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, stat(path, &st));
	ASSERT_EQ(0660, st.st_mode & 0777);
	ASSERT_EQ(4242, st.st_gid);

	/* In the group: served. */
	ASSERT_EQ(1, dial_as(path, 4300, 4242, c, line, sizeof(line)));
	ASSERT_NE(NULL, strstr(line, "\"result\":[8]"));
	/* Neither root nor in the group: the file's mode keeps it out. */
	ASSERT_EQ(-103, dial_as(path, 4301, 4301, c, line, sizeof(line)));
	/* Let in by the file, still refused by the credentials check. */
	ASSERT_EQ(0, chmod(path, 0666));
	ASSERT_EQ(1, dial_as(path, 4301, 4301, c, line, sizeof(line)));
	ASSERT_NE(NULL, strstr(line, "\"code\":-32004"));
	ASSERT_NE(NULL, strstr(line, "not permitted"));
	lio_ctl_close(c);
	rmdir(dir);
}

TEST_HARNESS_MAIN
