/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leapiod under a service manager: systemd's Type=notify protocol, sent
 * with libsystemd's sd_notify() (Documentation/admin-guide/leapiod.rst,
 * "Running under systemd"). READY once the configuration is served,
 * RELOADING/READY around a SIGHUP reload, STATUS with what runs,
 * STOPPING when draining, and WATCHDOG=1 at half of WatchdogSec= for as
 * long as every poller thread goes round its loop (a poller that stops,
 * stuck in a call that does not return, stops the keep-alives: the
 * manager then kills leapiod and starts it again, and the region lets
 * the new one pick the queues up where they were).
 *
 * Outside a service manager (no $NOTIFY_SOCKET) every call does nothing;
 * a build without libsystemd (LIO_NO_SYSTEMD: the card's static arm64
 * leapiod) is the same.
 */
#ifndef LEAPIOD_NOTIFY_H
#define LEAPIOD_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lio_svc {
	uint64_t	wd_usec;	/* WatchdogSec=, 0: none */
	int		tfd;		/* fires at wd_usec / 2, or -1 */
	uint64_t	*last;		/* the pollers' beats at the last check */
	unsigned int	nr;
	bool		stalled;	/* said once per stall */
};

/* Watchdog or not, as the manager says; 0 or -errno with a sentence. */
int lio_svc_open(struct lio_svc *s, char *err, size_t errlen);
void lio_svc_close(struct lio_svc *s);
/* The fd to poll for the watchdog's period (-1: no watchdog). */
static inline int lio_svc_fd(const struct lio_svc *s)
{
	return s->tfd;
}
/* READY=1 (when ready) and STATUS= the sentence. */
void lio_svc_status(bool ready, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void lio_svc_reloading(void);
void lio_svc_stopping(void);
/*
 * The watchdog's period came (its fd readable): keep-alive if each of the
 * nr pollers' beats moved since the last period. A change in the number
 * of pollers (a reload added some) counts as moved.
 */
void lio_svc_watchdog(struct lio_svc *s, const uint64_t *beats, unsigned int nr);
/*
 * Each of beats[0..nr) differs from last[]; last[] takes them. Pure: the
 * watchdog's decision, for the unit tests.
 */
bool lio_beats_moved(uint64_t *last, const uint64_t *beats, unsigned int nr);

#endif /* LEAPIOD_NOTIFY_H */
