// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem-server: hands QEMU ivshmem-doorbell devices one shared memory
 * file and each other's interrupt eventfds (protocol in proto.h, setup in
 * setup.h). One poll() loop over a signalfd, the listening socket and one
 * connection per peer; SIGTERM or SIGINT ends it, removing the socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "args.h"
#include "proto.h"
#include "setup.h"

struct server {
	struct ivs_args		args;
	struct ivs_table	table;
	int			shm_fd;
	int			listen_fd;
	int			sig_fd;
	/* Kept open so that, out of fds, a connection can still be refused. */
	int			spare_fd;
	struct pollfd		*pfd;	/* signalfd, listener, then peers */
	unsigned int		*pfd_id;	/* the peer id of pfd[i], i >= 2 */
	unsigned int		pfd_cap;
};

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("ivshmem-server: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* The ivs_send_fn of the real server: one 8-byte message, maybe one fd. */
static int send_msg(void *ctx, int sock, int64_t value, int fd)
{
	union {
		char		buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr	align;
	} ctl;
	unsigned char msg[IVS_MSG_SIZE];
	struct iovec iov = { .iov_base = msg, .iov_len = sizeof(msg) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	ssize_t n;

	(void)ctx;
	ivs_msg_encode(value, msg);
	if (fd >= 0) {
		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	/*
	 * Never block: a client that does not read what it is sent would
	 * stall every other one. It is dropped instead.
	 */
	n = sendmsg(sock, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	return n == (ssize_t)sizeof(msg) ? 0 : -EIO;
}

static void close_fds(int sock, const int *efd, unsigned int n)
{
	unsigned int v;

	for (v = 0; v < n; v++)
		close(efd[v]);
	close(sock);
}

/* Out of fds: take the pending connection with the spare fd and close it. */
static void shed_connection(struct server *s)
{
	int sock;

	close(s->spare_fd);
	sock = accept(s->listen_fd, NULL, NULL);
	if (sock >= 0)
		close(sock);
	s->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	say("connection refused: out of file descriptors");
}

/* 0, or -errno when the listening socket itself failed. */
static int accept_peer(struct server *s)
{
	int efd[IVS_MAX_VECTORS];
	struct ivs_peer *p;
	unsigned int v;
	int sock, ret;

	sock = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (sock < 0) {
		switch (errno) {
		case EMFILE:
		case ENFILE:
			if (s->spare_fd >= 0)
				shed_connection(s);
			return 0;
		case EAGAIN:
		case EINTR:
		case ECONNABORTED:
		case ENOBUFS:
		case ENOMEM:
			return 0;
		default:
			return -errno;
		}
	}
	for (v = 0; v < s->table.vectors; v++) {
		efd[v] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (efd[v] < 0) {
			say("connection refused: eventfd: %s", strerror(errno));
			close_fds(sock, efd, v);
			return 0;
		}
	}
	ret = ivs_table_add(&s->table, sock, efd, &p);
	if (ret) {
		say("connection refused: %s", ret == -ENOSPC ?
		    "all 65536 peer ids are in use" : strerror(-ret));
		close_fds(sock, efd, v);
		return 0;
	}
	ret = ivs_welcome(&s->table, p, s->shm_fd, send_msg, NULL);
	if (ret) {
		say("peer %u dropped while being set up: %s", p->id, strerror(-ret));
		close_fds(sock, efd, v);
		ivs_table_del(&s->table, p);
		return 0;
	}
	say("peer %u connected", p->id);
	return 0;
}

/* Drop every broken peer, telling the others (which may break more). */
static void reap(struct server *s)
{
	struct ivs_peer *p;
	unsigned int id;

	while ((p = ivs_table_first_broken(&s->table))) {
		id = p->id;
		close_fds(p->sock, p->efd, s->table.vectors);
		ivs_table_del(&s->table, p);
		ivs_farewell(&s->table, id, send_msg, NULL);
		say("peer %u gone", id);
	}
}

/* A peer's socket is readable: it left, or it sent what it should not. */
static void peer_event(struct ivs_peer *p)
{
	char buf[64];
	ssize_t n = recv(p->sock, buf, sizeof(buf), MSG_DONTWAIT);

	/* Clients never send anything (the protocol is one-way): ignore it. */
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		p->broken = true;
}

/* Fill s->pfd for the current peers: the number of entries, or -ENOMEM. */
static int build_pollfds(struct server *s)
{
	unsigned int need = s->table.nr_peers + 2, i = 2;
	struct ivs_peer *p;

	if (need > s->pfd_cap) {
		struct pollfd *np = realloc(s->pfd, need * sizeof(*np));
		unsigned int *ni;

		if (!np)
			return -ENOMEM;
		s->pfd = np;
		ni = realloc(s->pfd_id, need * sizeof(*ni));
		if (!ni)
			return -ENOMEM;
		s->pfd_id = ni;
		s->pfd_cap = need;
	}
	s->pfd[0] = (struct pollfd){ .fd = s->sig_fd, .events = POLLIN };
	s->pfd[1] = (struct pollfd){ .fd = s->listen_fd, .events = POLLIN };
	for (p = ivs_table_next(&s->table, NULL); p; p = ivs_table_next(&s->table, p)) {
		s->pfd[i] = (struct pollfd){ .fd = p->sock, .events = POLLIN };
		s->pfd_id[i++] = p->id;
	}
	return (int)i;
}

/* Until a signal: IVS_EXIT_OK, or IVS_EXIT_FAIL on a failure. */
static int serve(struct server *s)
{
	struct signalfd_siginfo si;
	struct ivs_peer *p;
	int n, i, ret;

	for (;;) {
		n = build_pollfds(s);
		if (n < 0) {
			say("out of memory");
			return IVS_EXIT_FAIL;
		}
		if (poll(s->pfd, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			say("poll: %s", strerror(errno));
			return IVS_EXIT_FAIL;
		}
		if (s->pfd[0].revents) {
			if (read(s->sig_fd, &si, sizeof(si)) != sizeof(si)) {
				say("signalfd: %s", strerror(errno));
				return IVS_EXIT_FAIL;
			}
			say("stopping on %s", strsignal((int)si.ssi_signo));
			return IVS_EXIT_OK;
		}
		for (i = 2; i < n; i++) {
			p = ivs_table_get(&s->table, s->pfd_id[i]);
			if (s->pfd[i].revents && p)
				peer_event(p);
		}
		/* Departures first: a newcomer must not hear of the dead. */
		reap(s);
		if (s->pfd[1].revents) {
			ret = accept_peer(s);
			if (ret) {
				say("accept: %s", strerror(-ret));
				return IVS_EXIT_FAIL;
			}
			reap(s);
		}
	}
}

/*
 * Detach once listening, so that whoever started the server may connect
 * as soon as it returns. The parent writes the child's pid and exits.
 * Returns in the child only (0), or -1 with the reason said.
 */
static int background(struct server *s, int pid_fd)
{
	pid_t pid = fork();
	int null, ret;

	if (pid < 0) {
		say("fork: %s", strerror(errno));
		return -1;
	}
	if (pid > 0) {
		if (pid_fd >= 0) {
			ret = ivs_pidfile_write(pid_fd, pid);
			if (ret) {
				say("pid file %s: %s", s->args.pidfile, strerror(-ret));
				kill(pid, SIGTERM);
				exit(IVS_EXIT_PIDFILE);
			}
		}
		exit(IVS_EXIT_OK);
	}
	if (pid_fd >= 0)
		close(pid_fd);
	if (setsid() < 0) {
		say("setsid: %s", strerror(errno));
		return -1;
	}
	/* stderr stays: the server's log goes wherever its caller put it. */
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(null, STDOUT_FILENO) < 0) {
		say("/dev/null: %s", strerror(errno));
		return -1;
	}
	close(null);
	return 0;
}

static void cleanup(struct server *s, bool own_files)
{
	struct ivs_peer *p;

	while ((p = ivs_table_next(&s->table, NULL))) {
		close_fds(p->sock, p->efd, s->table.vectors);
		ivs_table_del(&s->table, p);
	}
	ivs_table_fini(&s->table);
	free(s->pfd);
	free(s->pfd_id);
	if (s->listen_fd >= 0) {
		close(s->listen_fd);
		if (own_files)
			unlink(s->args.sock_path);
	}
	if (own_files && s->args.pidfile)
		unlink(s->args.pidfile);
	if (s->sig_fd >= 0)
		close(s->sig_fd);
	if (s->spare_fd >= 0)
		close(s->spare_fd);
	if (s->shm_fd >= 0)
		close(s->shm_fd);
}

int main(int argc, char **argv)
{
	struct server s = { .shm_fd = -1, .listen_fd = -1, .sig_fd = -1,
			    .spare_fd = -1 };
	int pid_fd = -1, ret;
	char err[512];
	sigset_t sigs;

	if (ivs_args_parse(argc, argv, &s.args, err, sizeof(err))) {
		fprintf(stderr, "ivshmem-server: %s\n%s", err, ivs_usage);
		return IVS_EXIT_USAGE;
	}
	if (s.args.help) {
		fputs(ivs_usage, stdout);
		return IVS_EXIT_OK;
	}

	/*
	 * A log reader that went away must not kill the server (sends to
	 * peers use MSG_NOSIGNAL already).
	 */
	signal(SIGPIPE, SIG_IGN);
	/* Blocked from the start: a signal during setup waits for the loop. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	if (sigprocmask(SIG_BLOCK, &sigs, NULL)) {
		say("sigprocmask: %s", strerror(errno));
		return IVS_EXIT_FAIL;
	}

	/*
	 * The socket first: a second server started by mistake must fail
	 * before it resizes a memory file (or truncates a pid file) that a
	 * running one hands out.
	 */
	s.listen_fd = ivs_listen(s.args.sock_path, err, sizeof(err));
	if (s.listen_fd < 0) {
		say("%s", err);
		return IVS_EXIT_SOCKET;
	}
	s.shm_fd = ivs_shm_open(s.args.shm_path, s.args.size, err, sizeof(err));
	if (s.shm_fd < 0) {
		say("%s", err);
		cleanup(&s, true);
		return IVS_EXIT_SHM;
	}
	if (s.args.pidfile) {
		pid_fd = ivs_pidfile_open(s.args.pidfile, err, sizeof(err));
		if (pid_fd < 0) {
			say("%s", err);
			s.args.pidfile = NULL;	/* not ours to remove */
			cleanup(&s, true);
			return IVS_EXIT_PIDFILE;
		}
	}

	if (!s.args.foreground) {
		if (background(&s, pid_fd)) {
			cleanup(&s, true);
			return IVS_EXIT_PIDFILE;
		}
	} else if (pid_fd >= 0) {
		ret = ivs_pidfile_write(pid_fd, getpid());
		if (ret) {
			say("pid file %s: %s", s.args.pidfile, strerror(-ret));
			cleanup(&s, true);
			return IVS_EXIT_PIDFILE;
		}
	}

	ret = IVS_EXIT_FAIL;
	s.sig_fd = signalfd(-1, &sigs, SFD_CLOEXEC);
	s.spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (s.sig_fd < 0 || s.spare_fd < 0)
		say("signalfd or /dev/null: %s", strerror(errno));
	else if (ivs_table_init(&s.table, s.args.vectors))
		say("out of memory");
	else
		ret = serve(&s);
	cleanup(&s, true);
	return ret;
}
