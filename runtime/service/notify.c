// SPDX-License-Identifier: GPL-2.0
/* leapiod and systemd's notify protocol (notify.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "../core/log.h"
#include "notify.h"

#ifdef LIO_NO_SYSTEMD
static int sd_notify(int unset, const char *state)
{
	(void)unset;
	(void)state;
	return 0;
}

static int sd_watchdog_enabled(int unset, uint64_t *usec)
{
	(void)unset;
	*usec = 0;
	return 0;
}
#else
#include <systemd/sd-daemon.h>
#endif

int lio_svc_open(struct lio_svc *s, char *err, size_t errlen)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };
	uint64_t half;
	int ret;

	memset(s, 0, sizeof(*s));
	s->tfd = -1;
	ret = sd_watchdog_enabled(0, &s->wd_usec);
	if (ret < 0) {
		snprintf(err, errlen, "the service manager's watchdog settings: %s",
			 strerror(-ret));
		return ret;
	}
	if (ret == 0) {
		s->wd_usec = 0;
		return 0;
	}
	s->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (s->tfd < 0) {
		ret = -errno;
		snprintf(err, errlen, "watchdog timer: %s", strerror(errno));
		return ret;
	}
	half = s->wd_usec / 2 ? s->wd_usec / 2 : 1;
	its.it_interval.tv_sec = (time_t)(half / 1000000);
	its.it_interval.tv_nsec = (long)(half % 1000000) * 1000;
	its.it_value = its.it_interval;
	if (timerfd_settime(s->tfd, 0, &its, NULL)) {
		ret = -errno;
		snprintf(err, errlen, "watchdog timer: %s", strerror(errno));
		close(s->tfd);
		s->tfd = -1;
		return ret;
	}
	lio_log("service manager's watchdog: every %llu ms",
		(unsigned long long)(s->wd_usec / 1000));
	return 0;
}

void lio_svc_close(struct lio_svc *s)
{
	if (s->tfd >= 0)
		close(s->tfd);
	s->tfd = -1;
	free(s->last);
	s->last = NULL;
	s->nr = 0;
}

/* Said, or not: a manager that went away is no reason to stop serving. */
static void say(const char *state)
{
	int ret = sd_notify(0, state);

	if (ret < 0)
		lio_log("service manager: cannot say %.*s: %s",
			(int)strcspn(state, "\n"), state, strerror(-ret));
}

void lio_svc_status(bool ready, const char *fmt, ...)
{
	char state[256];
	int n = snprintf(state, sizeof(state), "%sSTATUS=", ready ? "READY=1\n" : "");
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(state + n, sizeof(state) - (size_t)n, fmt, ap);
	va_end(ap);
	say(state);
}

void lio_svc_reloading(void)
{
	say("RELOADING=1\nSTATUS=reloading the configuration");
}

void lio_svc_stopping(void)
{
	say("STOPPING=1\nSTATUS=draining: finishing the commands in flight");
}

bool lio_beats_moved(uint64_t *last, const uint64_t *beats, unsigned int nr)
{
	bool moved = true;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (beats[i] == last[i])
			moved = false;
		last[i] = beats[i];
	}
	return moved;
}

void lio_svc_watchdog(struct lio_svc *s, const uint64_t *beats, unsigned int nr)
{
	uint64_t ticks;
	bool moved = true;

	if (read(s->tfd, &ticks, sizeof(ticks)) != sizeof(ticks))
		return;		/* not due yet */
	if (nr != s->nr) {
		uint64_t *l = realloc(s->last, (nr ? nr : 1) * sizeof(*l));

		if (!l)
			return;	/* no keep-alive: the manager decides */
		memcpy(l, beats, nr * sizeof(*l));
		s->last = l;
		s->nr = nr;
	} else {
		moved = lio_beats_moved(s->last, beats, nr);
	}
	if (!moved) {
		if (!s->stalled)
			lio_log("a poller has not gone round its loop for %llu ms: no keep-alive to the service manager",
				(unsigned long long)(s->wd_usec / 2000));
		s->stalled = true;
		return;
	}
	if (s->stalled)
		lio_log("every poller goes round again: keep-alives to the service manager resumed");
	s->stalled = false;
	say("WATCHDOG=1");
}
