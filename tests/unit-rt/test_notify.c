// SPDX-License-Identifier: GPL-2.0
/*
 * leapiod and a service manager (runtime/service/notify.c): the watchdog's
 * decision, and the real binary speaking systemd's notify protocol to a
 * datagram socket of the test's, as systemd would see it (NOTIFY_SOCKET,
 * WATCHDOG_USEC, WATCHDOG_PID set as systemd sets them): READY with its
 * status once serving, keep-alives, RELOADING then READY around a SIGHUP,
 * STOPPING on SIGTERM, exit 0.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/lio_harness.h"
#include "../../runtime/service/notify.h"

#define U1	"6f1a0c8e-0000-4000-8000-0000000000e1"

TEST(watchdog_needs_every_poller_to_move)
{
	uint64_t last[3] = { 5, 7, 9 }, beats[3] = { 6, 8, 10 };

	EXPECT_TRUE(lio_beats_moved(last, beats, 3));
	EXPECT_EQ(10U, last[2]);
	beats[0] = 7;
	beats[2] = 11;		/* poller 1 did not move */
	EXPECT_FALSE(lio_beats_moved(last, beats, 3));
	/* Seen now: moving again is enough. */
	beats[0]++;
	beats[1]++;
	beats[2]++;
	EXPECT_TRUE(lio_beats_moved(last, beats, 3));
	EXPECT_TRUE(lio_beats_moved(last, beats, 0));
}

FIXTURE(sd) {
	char dir[64];
	char sock[128];
	int fd;
	pid_t pid;
};

FIXTURE_SETUP(sd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char path[160];
	FILE *f;

	self->pid = -1;
	strcpy(self->dir, "/tmp/lio-notify-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->sock, sizeof(self->sock), "%s/notify", self->dir);
	self->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, self->fd);
	strcpy(sa.sun_path, self->sock);
	ASSERT_EQ(0, bind(self->fd, (struct sockaddr *)&sa, sizeof(sa)));
	snprintf(path, sizeof(path), "%s/leapiod.json", self->dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "{\"vdevs\": [{\"uuid\": \"%s\", \"backend\": {\"type\": \"null\"}}]}\n",
		U1);
	fclose(f);
}

FIXTURE_TEARDOWN(sd)
{
	char cmd[128];

	if (self->pid > 0) {
		kill(self->pid, SIGKILL);
		waitpid(self->pid, NULL, 0);
	}
	close(self->fd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("%s failed", cmd);
}

/* leapiod as systemd starts a Type=notify service with WatchdogSec=. */
static pid_t start(FIXTURE_DATA(sd) *self, const char *wd_usec)
{
	pid_t pid = fork();
	char cfg[160], pidbuf[16], log[160];

	if (pid)
		return pid;
	snprintf(cfg, sizeof(cfg), "%s/leapiod.json", self->dir);
	snprintf(log, sizeof(log), "%s/leapiod.log", self->dir);
	snprintf(pidbuf, sizeof(pidbuf), "%d", (int)getpid());
	setenv("NOTIFY_SOCKET", self->sock, 1);
	setenv("WATCHDOG_USEC", wd_usec, 1);
	setenv("WATCHDOG_PID", pidbuf, 1);
	if (!freopen(log, "w", stderr) || !freopen(log, "a", stdout))
		_exit(126);
	execl("runtime/leapiod", "leapiod", "--config", cfg, (char *)NULL);
	_exit(127);
}

/*
 * The next message that holds want (others skipped, counted in *skipped
 * when given); 0, or -1 after 10 s without one.
 */
static int expect_msg(FIXTURE_DATA(sd) *self, const char *want, char *out,
		      size_t len, int *skipped)
{
	struct pollfd p = { .fd = self->fd, .events = POLLIN };
	ssize_t n;

	while (poll(&p, 1, 10000) == 1) {
		n = recv(self->fd, out, len - 1, 0);
		if (n < 0)
			return -1;
		out[n] = '\0';
		if (strstr(out, want))
			return 0;
		if (skipped)
			(*skipped)++;
	}
	return -1;
}

TEST_F_TIMEOUT(sd, ready_watchdog_reload_stopping, 60)
{
	char msg[512];
	int st, skipped = 0;

	self->pid = start(self, "100000");
	ASSERT_LT(0, self->pid);
	ASSERT_EQ(0, expect_msg(self, "READY=1", msg, sizeof(msg), &skipped));
	EXPECT_NE(NULL, strstr(msg, "STATUS=serving 1 vdev on 1 poller")) TH_LOG("%s", msg);
	EXPECT_EQ(0, skipped) TH_LOG("something came before READY=1");
	/* Keep-alives at half of WatchdogSec=, for as long as it runs. */
	ASSERT_EQ(0, expect_msg(self, "WATCHDOG=1", msg, sizeof(msg), NULL));
	ASSERT_EQ(0, expect_msg(self, "WATCHDOG=1", msg, sizeof(msg), NULL));
	ASSERT_EQ(0, kill(self->pid, SIGHUP));
	ASSERT_EQ(0, expect_msg(self, "RELOADING=1", msg, sizeof(msg), NULL));
	skipped = 0;
	ASSERT_EQ(0, expect_msg(self, "READY=1", msg, sizeof(msg), &skipped));
	EXPECT_NE(NULL, strstr(msg, "STATUS=serving 1 vdev on 1 poller"));
	ASSERT_EQ(0, expect_msg(self, "WATCHDOG=1", msg, sizeof(msg), NULL));
	ASSERT_EQ(0, kill(self->pid, SIGTERM));
	ASSERT_EQ(0, expect_msg(self, "STOPPING=1", msg, sizeof(msg), NULL));
	ASSERT_EQ(self->pid, waitpid(self->pid, &st, 0));
	self->pid = -1;
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
}

TEST_HARNESS_MAIN
