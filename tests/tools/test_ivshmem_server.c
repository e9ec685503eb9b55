// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem-server, the real binary (IVS_SERVER_BIN, built with ASan and
 * UBSan: a leak in it makes its exit status non-zero, which the tests
 * check), against fake clients that speak the protocol with recvmsg()
 * and SCM_RIGHTS: what each client receives, message by message; that
 * the memory and the eventfds it hands out are really shared; how it
 * refuses bad arguments.
 *
 * The server goes to the background once it listens, so "the launcher
 * exited 0" means "it listens" with no waiting. Each test is a child
 * subreaper, so the detached server becomes its child: its exit status
 * can be collected. The teardown kills it if a test failed midway.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/lio_harness.h"
#include "../../tools/ivshmem-server/args.h"
#include "../../tools/ivshmem-server/proto.h"

#define VECTORS		2
#define SIZE		(1U << 20)
#define SIZE_ARG	"1M"
#define MAX_CLIENTS	8

extern char **environ;

/* ---- running the server ---- */

/*
 * Start the server with args (NULL-terminated, no argv[0]), its stdout
 * and stderr appended to log: 0 and *pid, or -1.
 */
static int spawn(const char *log, const char *const *args, pid_t *pid)
{
	const char *argv[32] = { IVS_SERVER_BIN };
	posix_spawn_file_actions_t fa;
	int i, ret;

	for (i = 0; args[i] && i < 30; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	if (posix_spawn_file_actions_init(&fa))
		return -1;
	ret = posix_spawn_file_actions_addopen(&fa, 1, log,
					       O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (!ret)
		ret = posix_spawn(pid, IVS_SERVER_BIN, &fa, NULL,
				  (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return ret ? -1 : 0;
}

/* Run the server until it exits (or detaches): its exit status, or -1. */
static int run(const char *log, const char *const *args)
{
	pid_t pid;
	int st;

	if (spawn(log, args, &pid) || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* The whole of a small file, NUL-terminated, in buf. */
static const char *slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

FIXTURE(srv) {
	char	dir[64];
	char	sock[128];
	char	mem[128];
	char	pidf[128];
	char	log[128];
	pid_t	server;
	char	text[4096];
};

FIXTURE_SETUP(srv)
{
	strcpy(self->dir, "/tmp/ivs-test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->sock, sizeof(self->sock), "%s/sock", self->dir);
	snprintf(self->mem, sizeof(self->mem), "%s/mem", self->dir);
	snprintf(self->pidf, sizeof(self->pidf), "%s/pid", self->dir);
	snprintf(self->log, sizeof(self->log), "%s/log", self->dir);
	self->server = 0;
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(path);
}

/*
 * In the parent of the test's process, after it ended: the harness skips
 * a teardown in the test's own process when an ASSERT failed, and the
 * server it detached would run on. The server is no child of this process
 * (it was the test's), so it is killed without being waited for, once its
 * command line shows it is the one started on this fixture's directory.
 */
FIXTURE_TEARDOWN_PARENT(srv)
{
	char path[64], cmd[512] = "";
	ssize_t n;
	int fd;

	if (self->server > 0) {
		snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)self->server);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		n = fd < 0 ? -1 : read(fd, cmd, sizeof(cmd) - 1);
		if (fd >= 0)
			close(fd);
		for (ssize_t i = 0; i < n; i++)
			cmd[i] = cmd[i] ? cmd[i] : ' ';
		if (n > 0 && strstr(cmd, self->dir))
			kill(self->server, SIGKILL);
	}
	nftw(self->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* The server's pid from its pid file. */
static pid_t read_pid(const char *path)
{
	char buf[32];

	return (pid_t)atol(slurp(path, buf, sizeof(buf)));
}

/* Start the server in the background with the fixture's paths. */
#define START(...) do {							\
	const char *__a[] = { "-S", self->sock, "-m", self->mem,	\
			      "-l", SIZE_ARG, "-n", "2",		\
			      "-p", self->pidf, ##__VA_ARGS__, NULL };	\
	int __rc = run(self->log, __a);					\
	ASSERT_EQ(0, __rc) TH_LOG("server exit %d: %s", __rc,		\
				  slurp(self->log, self->text, sizeof(self->text))); \
	self->server = read_pid(self->pidf);				\
	ASSERT_LT(0, self->server);					\
} while (0)

/*
 * SIGTERM: it exits 0 (LeakSanitizer found nothing) and removes its
 * socket and pid file.
 */
#define STOP() do {							\
	int __st;							\
	ASSERT_EQ(0, kill(self->server, SIGTERM));			\
	ASSERT_EQ(self->server, waitpid(self->server, &__st, 0));	\
	self->server = 0;						\
	EXPECT_TRUE(WIFEXITED(__st) && WEXITSTATUS(__st) == 0)		\
		TH_LOG("status 0x%x: %s", __st,				\
		       slurp(self->log, self->text, sizeof(self->text))); \
	EXPECT_EQ(-1, access(self->sock, F_OK));			\
	EXPECT_EQ(-1, access(self->pidf, F_OK));			\
} while (0)

/* ---- a fake client ---- */

struct client {
	int	sock;
	int	id;
	int	shm;
	void	*mem;
	int	own[VECTORS];			/* interrupts for me */
	int	peer[MAX_CLIENTS][VECTORS];	/* to interrupt peer i, or -1 */
};

static int connect_to(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	/*
	 * A message that does not come fails the test in 2 s, well before
	 * the harness's 30 s timeout, which would kill the test without its
	 * teardown and leave the detached server running.
	 */
	struct timeval tv = { .tv_sec = 2 };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	strcpy(a.sun_path, path);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) ||
	    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

/*
 * One message: 0 with *value and *fd (-1 if none came), 1 at end of
 * stream, or -1 with why in err (a short message, several fds, truncated
 * control data, a receive timeout).
 */
static int recv_msg(int sock, int64_t *value, int *fd, char *err, size_t errlen)
{
	union {
		char		buf[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr	align;
	} ctl;
	unsigned char b[IVS_MSG_SIZE];
	struct iovec iov = { .iov_base = b, .iov_len = sizeof(b) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *cm;
	ssize_t n;

	*fd = -1;
	n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | MSG_WAITALL);
	if (n == 0)
		return 1;
	if (n != (ssize_t)sizeof(b)) {
		snprintf(err, errlen, "recvmsg: %zd bytes (%s)", n, n < 0 ? strerror(errno) : "short");
		return -1;
	}
	if (mh.msg_flags & MSG_CTRUNC) {
		snprintf(err, errlen, "control data truncated");
		return -1;
	}
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS ||
		    cm->cmsg_len != CMSG_LEN(sizeof(int)) || *fd >= 0) {
			snprintf(err, errlen, "not exactly one fd with the message");
			return -1;
		}
		memcpy(fd, CMSG_DATA(cm), sizeof(int));
	}
	*value = ivs_msg_decode(b);
	return 0;
}

/* The next message must be value, with an fd (returned) or without (-1). */
static int expect_msg(struct __test_metadata *_metadata, int sock,
		      int64_t value, bool with_fd)
{
	char err[128] = "";
	int64_t v = -2;
	int fd = -1;

	/* ASSERT: after a missing message, every later one would time out too. */
	ASSERT_EQ(0, recv_msg(sock, &v, &fd, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(value, v);
	EXPECT_EQ(with_fd, fd >= 0) TH_LOG("message %lld: fd %d", (long long)v, fd);
	if (!with_fd && fd >= 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* peer i announced to c: VECTORS messages "i", each with an eventfd. */
static void expect_peer(struct __test_metadata *_metadata, struct client *c, int i)
{
	for (int v = 0; v < VECTORS; v++)
		c->peer[i][v] = expect_msg(_metadata, c->sock, i, true);
}

/*
 * Connect, and check the welcome: version 0, the id, -1 with the memory,
 * the peers in `others` (ascending ids, -1 ends), then the own vectors.
 */
static void join(struct __test_metadata *_metadata, struct client *c,
		 const char *path, int id, const int *others)
{
	struct stat st;

	memset(c, 0xff, sizeof(*c));
	c->mem = MAP_FAILED;
	c->sock = connect_to(path);
	ASSERT_LE(0, c->sock) TH_LOG("connect %s: %s", path, strerror(errno));
	c->id = id;
	EXPECT_EQ(-1, expect_msg(_metadata, c->sock, IVS_PROTO_VERSION, false));
	EXPECT_EQ(-1, expect_msg(_metadata, c->sock, id, false));
	c->shm = expect_msg(_metadata, c->sock, -1, true);
	ASSERT_LE(0, c->shm);
	ASSERT_EQ(0, fstat(c->shm, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(SIZE, st.st_size);
	c->mem = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, c->shm, 0);
	ASSERT_NE(MAP_FAILED, c->mem);
	for (; others && *others >= 0; others++)
		expect_peer(_metadata, c, *others);
	for (int v = 0; v < VECTORS; v++)
		c->own[v] = expect_msg(_metadata, c->sock, id, true);
}

static void leave(struct client *c)
{
	for (int i = 0; i < MAX_CLIENTS; i++)
		for (int v = 0; v < VECTORS; v++)
			if (c->peer[i][v] >= 0)
				close(c->peer[i][v]);
	for (int v = 0; v < VECTORS; v++)
		if (c->own[v] >= 0)
			close(c->own[v]);
	if (c->mem != MAP_FAILED)
		munmap(c->mem, SIZE);
	if (c->shm >= 0)
		close(c->shm);
	if (c->sock >= 0)
		close(c->sock);
	memset(c, 0xff, sizeof(*c));
	c->mem = MAP_FAILED;
}

/* Nothing but the end of the stream left (the server has exited). */
static void expect_eof(struct __test_metadata *_metadata, struct client *c)
{
	char err[128] = "";
	int64_t v = -2;
	int fd = -1;

	EXPECT_EQ(1, recv_msg(c->sock, &v, &fd, err, sizeof(err)))
		TH_LOG("client %d: message %lld, fd %d %s", c->id, (long long)v, fd, err);
	if (fd >= 0)
		close(fd);
}

/* Counter value of a (non-blocking) eventfd: 0 if it is not signalled. */
static uint64_t drain(int efd)
{
	uint64_t n = 0;

	if (read(efd, &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

/* from rings vector v of to: exactly that eventfd of to's fires. */
static void ring(struct __test_metadata *_metadata, struct client *from,
		 struct client *to, int v)
{
	uint64_t one = 1;

	ASSERT_LE(0, from->peer[to->id][v]);
	ASSERT_EQ((ssize_t)sizeof(one), write(from->peer[to->id][v], &one, sizeof(one)));
	for (int w = 0; w < VECTORS; w++) {
		EXPECT_EQ(w == v ? 1U : 0U, drain(to->own[w]))
			TH_LOG("%d rang %d's vector %d: vector %d", from->id, to->id, v, w);
	}
}

/* ---- the protocol, end to end ---- */

TEST_F(srv, three_clients)
{
	static const int none[] = { -1 }, p0[] = { 0, -1 }, p01[] = { 0, 1, -1 };
	struct client a, b, c;
	char *m;
	int fd;

	START();
	join(_metadata, &a, self->sock, 0, none);
	join(_metadata, &b, self->sock, 1, p0);
	expect_peer(_metadata, &a, 1);
	join(_metadata, &c, self->sock, 2, p01);
	expect_peer(_metadata, &a, 2);
	expect_peer(_metadata, &b, 2);

	/* One memory: written through one client, read through the others and the file. */
	memcpy(a.mem, "written by peer 0", 18);
	memcpy((char *)c.mem + SIZE - 18, "written by peer 2", 18);
	EXPECT_STREQ("written by peer 0", (char *)b.mem);
	EXPECT_STREQ("written by peer 2", (char *)b.mem + SIZE - 18);
	EXPECT_STREQ("written by peer 0", (char *)c.mem);
	fd = open(self->mem, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	m = mmap(NULL, SIZE, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	ASSERT_NE(MAP_FAILED, m);
	EXPECT_STREQ("written by peer 0", m);
	munmap(m, SIZE);

	/* The eventfd a peer got for another is that one's own. */
	ring(_metadata, &b, &a, 1);
	ring(_metadata, &c, &a, 0);
	ring(_metadata, &a, &b, 0);
	ring(_metadata, &c, &b, 1);
	ring(_metadata, &a, &c, 1);
	ring(_metadata, &b, &c, 0);

	STOP();
	expect_eof(_metadata, &a);
	expect_eof(_metadata, &b);
	expect_eof(_metadata, &c);
	leave(&a);
	leave(&b);
	leave(&c);
}

TEST_F(srv, departure_announced_and_id_reused)
{
	static const int none[] = { -1 }, p0[] = { 0, -1 }, p01[] = { 0, 1, -1 },
		p02[] = { 0, 2, -1 };
	struct client a, b, c, d;

	START();
	join(_metadata, &a, self->sock, 0, none);
	join(_metadata, &b, self->sock, 1, p0);
	expect_peer(_metadata, &a, 1);
	join(_metadata, &c, self->sock, 2, p01);
	expect_peer(_metadata, &a, 2);
	expect_peer(_metadata, &b, 2);

	leave(&b);
	EXPECT_EQ(-1, expect_msg(_metadata, a.sock, 1, false));
	EXPECT_EQ(-1, expect_msg(_metadata, c.sock, 1, false));

	/* The freed id is the lowest: the next client gets it. */
	join(_metadata, &d, self->sock, 1, p02);
	expect_peer(_metadata, &a, 1);
	expect_peer(_metadata, &c, 1);
	ring(_metadata, &a, &d, 1);
	ring(_metadata, &d, &c, 0);
	ring(_metadata, &c, &d, 0);

	leave(&a);
	EXPECT_EQ(-1, expect_msg(_metadata, c.sock, 0, false));
	EXPECT_EQ(-1, expect_msg(_metadata, d.sock, 0, false));
	STOP();
	expect_eof(_metadata, &c);
	expect_eof(_metadata, &d);
	leave(&c);
	leave(&d);
}

/* The protocol is one-way: what a client sends is ignored, not fatal. */
TEST_F(srv, client_data_ignored)
{
	static const int none[] = { -1 }, p0[] = { 0, -1 };
	struct client a, b;

	START();
	join(_metadata, &a, self->sock, 0, none);
	ASSERT_EQ(5, write(a.sock, "hello", 5));
	join(_metadata, &b, self->sock, 1, p0);
	expect_peer(_metadata, &a, 1);
	ring(_metadata, &b, &a, 0);
	STOP();
	expect_eof(_metadata, &a);
	expect_eof(_metadata, &b);
	leave(&a);
	leave(&b);
}

/*
 * An existing file of the right size keeps its content (another QEMU may
 * use it as a memory backend); a bigger one is cut to the size.
 */
TEST_F(srv, memory_file_kept)
{
	static const int none[] = { -1 };
	struct client a;
	struct stat st;
	int fd;

	fd = open(self->mem, O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 2 * SIZE));
	ASSERT_EQ(6, pwrite(fd, "card!", 6, 4096));
	close(fd);
	START();
	ASSERT_EQ(0, stat(self->mem, &st));
	EXPECT_EQ(SIZE, st.st_size);
	join(_metadata, &a, self->sock, 0, none);
	EXPECT_STREQ("card!", (char *)a.mem + 4096);
	STOP();
	leave(&a);
	/* The memory file outlives the server. */
	EXPECT_EQ(0, access(self->mem, F_OK));
}

/* -F: stays in the foreground; SIGINT ends it like SIGTERM. */
TEST_F(srv, foreground_sigint)
{
	const char *args[] = { "-F", "-S", self->sock, "-m", self->mem,
			       "-l", SIZE_ARG, "-n", "2", "-p", self->pidf, NULL };
	static const int none[] = { -1 };
	char ev[sizeof(struct inotify_event) + NAME_MAX + 1];
	struct inotify_event *e = (void *)ev;
	struct client a;
	int in, st;
	pid_t pid;

	/* The pid file is written once the socket listens: wait for that. */
	in = inotify_init1(IN_CLOEXEC);
	ASSERT_LE(0, in);
	ASSERT_LE(0, inotify_add_watch(in, self->dir, IN_CLOSE_WRITE));
	ASSERT_EQ(0, spawn(self->log, args, &pid));
	self->server = pid;
	for (;;) {
		struct pollfd pfd = { .fd = in, .events = POLLIN };

		ASSERT_EQ(1, poll(&pfd, 1, 10000)) TH_LOG("no pid file");
		ASSERT_LT(0, read(in, ev, sizeof(ev)));
		if (e->len && !strcmp(e->name, "pid") && read_pid(self->pidf) == pid)
			break;
	}
	close(in);
	/* Still our own child: it did not fork. */
	EXPECT_EQ(0, waitpid(pid, &st, WNOHANG));

	a.sock = connect_to(self->sock);
	ASSERT_LE(0, a.sock);
	EXPECT_EQ(-1, expect_msg(_metadata, a.sock, 0, false));
	EXPECT_EQ(-1, expect_msg(_metadata, a.sock, 0, false));
	close(a.sock);
	join(_metadata, &a, self->sock, 0, none);	/* 0 again: freed */
	ASSERT_EQ(0, kill(pid, SIGINT));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	self->server = 0;
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) TH_LOG("status 0x%x", st);
	EXPECT_EQ(-1, access(self->sock, F_OK));
	EXPECT_EQ(-1, access(self->pidf, F_OK));
	leave(&a);
}

/* ---- refusals: the exit code, the words, and nothing left behind ---- */

#define REFUSED(code, words, ...) do {					\
	const char *__a[] = { __VA_ARGS__, NULL };			\
	int __rc;							\
	unlink(self->log);						\
	__rc = run(self->log, __a);					\
	slurp(self->log, self->text, sizeof(self->text));		\
	EXPECT_EQ(code, __rc) TH_LOG("%s", self->text);			\
	EXPECT_NE(NULL, strstr(self->text, words))			\
		TH_LOG("\"%s\" lacks \"%s\"", self->text, words);	\
} while (0)

TEST_F(srv, bad_arguments)
{
	REFUSED(IVS_EXIT_USAGE, "ivshmem-server: -l '3000': the size must be a power of two",
		"-S", self->sock, "-m", self->mem, "-l", "3000");
	REFUSED(IVS_EXIT_USAGE, "-l '1Q': not a size",
		"-S", self->sock, "-m", self->mem, "-l", "1Q");
	REFUSED(IVS_EXIT_USAGE, "-l '2K': the size must be from 4K to 1T",
		"-S", self->sock, "-m", self->mem, "-l", "2K");
	REFUSED(IVS_EXIT_USAGE, "-S SOCKET is required", "-m", self->mem, "-l", "1M");
	REFUSED(IVS_EXIT_USAGE, "-m MEMFILE is required", "-S", self->sock, "-l", "1M");
	REFUSED(IVS_EXIT_USAGE, "-l SIZE is required", "-S", self->sock, "-m", self->mem);
	REFUSED(IVS_EXIT_USAGE, "-n '65': vectors per peer must be a number from 1 to 64",
		"-S", self->sock, "-m", self->mem, "-l", "1M", "-n", "65");
	REFUSED(IVS_EXIT_USAGE, "unknown option '-q'",
		"-q", "-S", self->sock, "-m", self->mem, "-l", "1M");
	REFUSED(IVS_EXIT_USAGE, "-p needs a value",
		"-S", self->sock, "-m", self->mem, "-l", "1M", "-p");
	/* The usage follows the sentence. */
	EXPECT_NE(NULL, strstr(self->text, "usage: ivshmem-server -S SOCKET"));
	EXPECT_EQ(-1, access(self->sock, F_OK));
	EXPECT_EQ(-1, access(self->mem, F_OK));
	REFUSED(IVS_EXIT_OK, "usage: ivshmem-server -S SOCKET", "-h");
}

/*
 * A second server on a socket in use fails before it touches the memory
 * file or the pid file; the first goes on serving.
 */
TEST_F(srv, socket_in_use)
{
	static const int none[] = { -1 };
	char pid2[160], want[256];
	struct client a;
	struct stat st;

	START();
	snprintf(pid2, sizeof(pid2), "%s/pid2", self->dir);
	snprintf(want, sizeof(want), "socket %s: in use by a running server", self->sock);
	REFUSED(IVS_EXIT_SOCKET, want, "-S", self->sock, "-m", self->mem, "-l", "2M",
		"-p", self->pidf);
	ASSERT_EQ(0, stat(self->mem, &st));
	EXPECT_EQ(SIZE, st.st_size);
	EXPECT_EQ(self->server, read_pid(self->pidf));
	join(_metadata, &a, self->sock, 0, none);
	STOP();
	leave(&a);
}

TEST_F(srv, socket_path_refused)
{
	char path[256], want[300];
	int fd;

	/* Not a socket: refused, and left alone. */
	fd = open(self->sock, O_WRONLY | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	snprintf(want, sizeof(want), "socket %s: exists and is not a socket", self->sock);
	REFUSED(IVS_EXIT_SOCKET, want, "-S", self->sock, "-m", self->mem, "-l", "1M");
	EXPECT_EQ(0, access(self->sock, F_OK));
	EXPECT_EQ(-1, access(self->mem, F_OK));

	snprintf(path, sizeof(path), "%s/%0120d", self->dir, 0);
	REFUSED(IVS_EXIT_SOCKET, "path longer than 107 bytes",
		"-S", path, "-m", self->mem, "-l", "1M");
	snprintf(path, sizeof(path), "%s/none/sock", self->dir);
	snprintf(want, sizeof(want), "socket %s: No such file or directory", path);
	REFUSED(IVS_EXIT_SOCKET, want, "-S", path, "-m", self->mem, "-l", "1M");
}

/* A socket file no server answers on (one was killed) is replaced. */
TEST_F(srv, stale_socket_replaced)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	static const int none[] = { -1 };
	struct client a;
	int s;

	strcpy(addr.sun_path, self->sock);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_LE(0, s);
	ASSERT_EQ(0, bind(s, (struct sockaddr *)&addr, sizeof(addr)));
	close(s);
	ASSERT_EQ(0, access(self->sock, F_OK));
	START();
	join(_metadata, &a, self->sock, 0, none);
	STOP();
	leave(&a);
}

TEST_F(srv, memory_file_refused)
{
	char path[256], want[300];

	snprintf(path, sizeof(path), "%s/fifo", self->dir);
	ASSERT_EQ(0, mkfifo(path, 0600));
	snprintf(want, sizeof(want), "memory file %s: not a regular file", path);
	REFUSED(IVS_EXIT_SHM, want, "-S", self->sock, "-m", path, "-l", "1M",
		"-p", self->pidf);
	snprintf(want, sizeof(want), "memory file %s: Is a directory", self->dir);
	REFUSED(IVS_EXIT_SHM, want, "-S", self->sock, "-m", self->dir, "-l", "1M");
	snprintf(path, sizeof(path), "%s/none/mem", self->dir);
	snprintf(want, sizeof(want), "memory file %s: No such file or directory", path);
	REFUSED(IVS_EXIT_SHM, want, "-S", self->sock, "-m", path, "-l", "1M");
	/* The socket it had bound is gone again; no pid file was made. */
	EXPECT_EQ(-1, access(self->sock, F_OK));
	EXPECT_EQ(-1, access(self->pidf, F_OK));
}

TEST_F(srv, pid_file_refused)
{
	char path[256], want[300];

	snprintf(path, sizeof(path), "%s/none/pid", self->dir);
	snprintf(want, sizeof(want), "pid file %s: No such file or directory", path);
	REFUSED(IVS_EXIT_PIDFILE, want, "-S", self->sock, "-m", self->mem, "-l", "1M",
		"-p", path);
	EXPECT_EQ(-1, access(self->sock, F_OK));
}

TEST_HARNESS_MAIN
