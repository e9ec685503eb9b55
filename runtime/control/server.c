// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket (server.h): one epoll set for the listening socket
 * and its clients, non-blocking throughout so that the main thread,
 * which also takes signals, never waits on a client. Each client has an
 * input buffer that rpc.c takes requests from and an output buffer of
 * replies not yet written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../core/log.h"
#include "server.h"

/* Input kept per client: a whole request and a little of the next. */
#define LIO_CTL_IN_MAX		(LIO_RPC_MAX_REQUEST + 4096)
#define LIO_CTL_LISTEN		(-1)	/* the listener's epoll tag */

struct lio_ctl_client {
	int		fd;
	pid_t		pid;
	char		*in;
	size_t		in_len;
	char		*out;
	size_t		out_len;
	bool		closing;	/* close once out is written */
};

struct lio_ctl {
	struct lio_ctl_cfg	cfg;
	char			*path;
	const struct lio_rpc_table *t;
	int			lfd;
	int			epfd;
	struct lio_ctl_client	**clients;	/* max_clients slots */
	unsigned int		nr_clients;
};

static int ctl_err(int ret, char *err, size_t errlen, const char *what,
		   const char *path)
{
	snprintf(err, errlen, "control socket %s: %s: %s", path, what,
		 strerror(-ret));
	return ret;
}

/* A socket file at path: is a live server answering on it? */
static bool someone_listens(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool live;

	if (fd < 0)
		return false;
	live = !connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	return live;
}

int lio_ctl_open(struct lio_ctl **out, const struct lio_ctl_cfg *cfg,
		 const struct lio_rpc_table *t, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct epoll_event ev = { .events = EPOLLIN };
	struct lio_ctl *c;
	struct stat st;
	mode_t mask;
	int ret;

	if (!cfg->path || !cfg->path[0] ||
	    strlen(cfg->path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "control socket: the path must be 1 to %zu bytes",
			 sizeof(sa.sun_path) - 1);
		return -EINVAL;
	}
	strcpy(sa.sun_path, cfg->path);
	if (!lstat(cfg->path, &st)) {
		if (!S_ISSOCK(st.st_mode))
			return ctl_err(-EEXIST, err, errlen,
				       "there is a file of another kind there", cfg->path);
		if (someone_listens(&sa))
			return ctl_err(-EADDRINUSE, err, errlen,
				       "a running leapiod answers on it", cfg->path);
		/* Left by a leapiod that is gone. */
		unlink(cfg->path);
	}

	c = calloc(1, sizeof(*c));
	if (!c)
		return ctl_err(-ENOMEM, err, errlen, "no memory", cfg->path);
	c->cfg = *cfg;
	if (!c->cfg.max_clients)
		c->cfg.max_clients = LIO_CTL_MAX_CLIENTS;
	c->t = t;
	c->lfd = c->epfd = -1;
	c->path = strdup(cfg->path);
	c->clients = calloc(c->cfg.max_clients, sizeof(*c->clients));
	if (!c->path || !c->clients) {
		ret = ctl_err(-ENOMEM, err, errlen, "no memory", cfg->path);
		goto fail;
	}
	c->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->lfd < 0) {
		ret = ctl_err(-errno, err, errlen, "socket", cfg->path);
		goto fail;
	}
	/* Born 0600: nobody else can connect before the mode is set. */
	mask = umask(0177);
	ret = bind(c->lfd, (struct sockaddr *)&sa, sizeof(sa)) ? -errno : 0;
	umask(mask);
	if (ret) {
		ret = ctl_err(ret, err, errlen, "bind", cfg->path);
		goto fail;
	}
	if (cfg->gid != (gid_t)-1 &&
	    (chown(cfg->path, (uid_t)-1, cfg->gid) || chmod(cfg->path, 0660))) {
		ret = ctl_err(-errno, err, errlen, "giving it to its group", cfg->path);
		unlink(cfg->path);
		goto fail;
	}
	if (listen(c->lfd, 16)) {
		ret = ctl_err(-errno, err, errlen, "listen", cfg->path);
		unlink(cfg->path);
		goto fail;
	}
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	ev.data.u64 = (uint64_t)(int64_t)LIO_CTL_LISTEN;
	if (c->epfd < 0 || epoll_ctl(c->epfd, EPOLL_CTL_ADD, c->lfd, &ev)) {
		ret = ctl_err(-errno, err, errlen, "epoll", cfg->path);
		unlink(cfg->path);
		goto fail;
	}
	*out = c;
	return 0;
fail:
	if (c->lfd >= 0)
		close(c->lfd);
	if (c->epfd >= 0)
		close(c->epfd);
	free(c->clients);
	free(c->path);
	free(c);
	return ret;
}

int lio_ctl_fd(const struct lio_ctl *c)
{
	return c->epfd;
}

unsigned int lio_ctl_clients(const struct lio_ctl *c)
{
	return c->nr_clients;
}

/* Whether gid is among the process's groups (its /proc status says). */
static bool in_group(pid_t pid, gid_t gid)
{
	char path[64], line[1024];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *p = line + 7, *end;

		if (strncmp(line, "Groups:", 7))
			continue;
		for (;;) {
			unsigned long g = strtoul(p, &end, 10);

			if (end == p)
				break;
			if ((gid_t)g == gid) {
				found = true;
				break;
			}
			p = end;
		}
		break;
	}
	fclose(f);
	return found;
}

static bool permitted(const struct lio_ctl *c, const struct ucred *cr)
{
	if (cr->uid == 0 || cr->uid == geteuid())
		return true;
	if (c->cfg.gid == (gid_t)-1)
		return false;
	return cr->gid == c->cfg.gid || in_group(cr->pid, c->cfg.gid);
}

/* A refusal that needs no client slot: one line, best effort, closed. */
static void refuse(int fd, int code, const char *msg)
{
	json_t *r = lio_rpc_error_reply(NULL, code, msg);
	size_t len;
	char *s = r ? lio_rpc_dump(r, &len) : NULL;

	/* It may be gone already: there is nothing else to tell it. */
	if (s && send(fd, s, len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		lio_dbg("control socket: refusal not sent: %s", strerror(errno));
	free(s);
	json_decref(r);
	close(fd);
}

static void client_free(struct lio_ctl *c, unsigned int slot)
{
	struct lio_ctl_client *cl = c->clients[slot];

	epoll_ctl(c->epfd, EPOLL_CTL_DEL, cl->fd, NULL);
	close(cl->fd);
	free(cl->in);
	free(cl->out);
	free(cl);
	c->clients[slot] = NULL;
	c->nr_clients--;
}

static void accept_all(struct lio_ctl *c)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct lio_ctl_client *cl;
	struct ucred cr;
	socklen_t crlen = sizeof(cr);
	unsigned int slot;
	int fd;

	while ((fd = accept4(c->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &crlen)) {
			close(fd);
			continue;
		}
		if (!permitted(c, &cr)) {
			lio_log("control socket: uid %u (pid %d) refused: not root, "
				"not leapiod's user, not in its group",
				(unsigned int)cr.uid, (int)cr.pid);
			refuse(fd, LIO_RPC_NOT_PERMITTED,
			       "not permitted: root or the control group only");
			continue;
		}
		if (c->nr_clients == c->cfg.max_clients) {
			refuse(fd, LIO_RPC_TOO_MANY_CLIENTS,
			       "too many clients: try again when one has closed");
			continue;
		}
		for (slot = 0; c->clients[slot]; slot++)
			;
		cl = calloc(1, sizeof(*cl));
		if (cl)
			cl->in = malloc(LIO_CTL_IN_MAX);
		ev.data.u64 = slot;
		if (!cl || !cl->in || epoll_ctl(c->epfd, EPOLL_CTL_ADD, fd, &ev)) {
			if (cl)
				free(cl->in);
			free(cl);
			refuse(fd, LIO_RPC_INTERNAL_ERROR, "out of memory");
			continue;
		}
		cl->fd = fd;
		cl->pid = cr.pid;
		c->clients[slot] = cl;
		c->nr_clients++;
	}
}

static int queue_reply(struct lio_ctl_client *cl, json_t *reply)
{
	size_t len;
	char *s = lio_rpc_dump(reply, &len), *n;

	if (!s)
		return -ENOMEM;
	n = realloc(cl->out, cl->out_len + len);
	if (!n) {
		free(s);
		return -ENOMEM;
	}
	memcpy(n + cl->out_len, s, len);
	cl->out = n;
	cl->out_len += len;
	free(s);
	return 0;
}

/* Write what is queued; EPOLLOUT while some is left. false: gone. */
static bool flush(struct lio_ctl *c, unsigned int slot)
{
	struct lio_ctl_client *cl = c->clients[slot];
	struct epoll_event ev = { .data.u64 = slot };
	ssize_t n;

	while (cl->out_len) {
		n = send(cl->fd, cl->out, cl->out_len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			return false;
		}
		memmove(cl->out, cl->out + n, cl->out_len - n);
		cl->out_len -= n;
	}
	if (!cl->out_len && cl->closing)
		return false;
	/*
	 * Level-triggered: input it cannot take now (its replies wait for
	 * it to read them) must not wake the main thread over and over.
	 */
	if (!cl->closing && cl->in_len < LIO_CTL_IN_MAX && cl->out_len < LIO_CTL_MAX_OUT)
		ev.events |= EPOLLIN;
	if (cl->out_len)
		ev.events |= EPOLLOUT;
	epoll_ctl(c->epfd, EPOLL_CTL_MOD, cl->fd, &ev);
	return true;
}

/* The requests whole in the input, answered in order. */
static void answer(struct lio_ctl *c, struct lio_ctl_client *cl)
{
	enum lio_rpc_took took;
	size_t off = 0, used;
	json_t *reply;

	while (!cl->closing && cl->out_len < LIO_CTL_MAX_OUT) {
		took = lio_rpc_take(c->t, cl->in + off, cl->in_len - off, &used, &reply);
		off += used;
		if (reply) {
			if (queue_reply(cl, reply))
				cl->closing = true;
			json_decref(reply);
		}
		if (took == LIO_RPC_CLOSE)
			cl->closing = true;
		if (took != LIO_RPC_DONE)
			break;
	}
	memmove(cl->in, cl->in + off, cl->in_len - off);
	cl->in_len -= off;
}

/*
 * Read what there is (up to a full buffer), answer the requests whole in
 * it, write the replies. A client that shut its side down after its
 * requests still gets their replies, then is closed (echo ... | socat);
 * half a request goes with it. false: the client is gone.
 */
static bool serve_client(struct lio_ctl *c, unsigned int slot, uint32_t events)
{
	struct lio_ctl_client *cl = c->clients[slot];
	bool eof = false;
	ssize_t n;

	while ((events & EPOLLIN) && !cl->closing && cl->in_len < LIO_CTL_IN_MAX) {
		n = recv(cl->fd, cl->in + cl->in_len, LIO_CTL_IN_MAX - cl->in_len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0)
			return false;
		if (!n) {
			eof = true;
			break;
		}
		cl->in_len += n;
	}
	/* Also what waited for the output to drain. */
	answer(c, cl);
	if (eof)
		cl->closing = true;
	if ((events & (EPOLLHUP | EPOLLERR)) && !(events & EPOLLIN))
		return false;
	return flush(c, slot);
}

void lio_ctl_work(struct lio_ctl *c)
{
	struct epoll_event ev[16];
	int n, i;

	n = epoll_wait(c->epfd, ev, 16, 0);
	for (i = 0; i < n; i++) {
		int64_t tag = (int64_t)ev[i].data.u64;

		if (tag == LIO_CTL_LISTEN) {
			accept_all(c);
			continue;
		}
		if (c->clients[tag] && !serve_client(c, (unsigned int)tag, ev[i].events))
			client_free(c, (unsigned int)tag);
	}
}

void lio_ctl_close(struct lio_ctl *c)
{
	unsigned int i;

	if (!c)
		return;
	for (i = 0; i < c->cfg.max_clients; i++)
		if (c->clients[i])
			client_free(c, i);
	close(c->lfd);
	close(c->epfd);
	unlink(c->path);
	free(c->clients);
	free(c->path);
	free(c);
}
