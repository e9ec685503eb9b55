// SPDX-License-Identifier: GPL-2.0
/* A vdev the driver revoked: see revoke.h. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lio_env.h"
#include "../../uapi/linux/leapio_region.h"
#include "revoke.h"

#define LIO_REVOKE_SLOTS	1024	/* vdevs of every poller */

/*
 * The handler reads this table without a lock: a slot is filled before
 * its host pointer is published, and cleared (host first) after the
 * vdev stops being polled, so a SIGBUS, which only the poller that owns
 * the vdev can take on its mappings, never sees it half made.
 */
static struct lio_host_vdev *lio_rv_host[LIO_REVOKE_SLOTS];
static volatile sig_atomic_t lio_rv_flag[LIO_REVOKE_SLOTS];

static bool lio_rv_in(const void *addr, const void *base, size_t len)
{
	return base && (const u8 *)addr >= (const u8 *)base &&
	       (const u8 *)addr < (const u8 *)base + len;
}

static void lio_rv_say(const char *msg, size_t len)
{
	if (write(STDERR_FILENO, msg, len) < 0)
		return;
}

/* Private zero pages where the vdev's shared mappings were. */
static bool lio_rv_cover(void *base, size_t len)
{
	return mmap(base, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
		    -1, 0) == base;
}

static void lio_rv_sigbus(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;
	unsigned int i;
	char msg[160];
	int n;

	(void)uc;
	for (i = 0; i < LIO_REVOKE_SLOTS; i++) {
		struct lio_host_vdev *h = __atomic_load_n(&lio_rv_host[i],
							  __ATOMIC_ACQUIRE);

		if (!h || !(lio_rv_in(si->si_addr, h->region, h->region_size) ||
			    lio_rv_in(si->si_addr, h->gmem, h->gmem_size)))
			continue;
		/* Only a revoked vdev file refuses a kick so. */
		if (ioctl(h->fd, LEAPIO_VDEV_IOC_KICK) == -1 && errno == ENOLINK &&
		    lio_rv_cover(h->region, h->region_size) &&
		    lio_rv_cover(h->gmem, h->gmem_size)) {
			lio_rv_flag[i] = 1;
			errno = saved;
			return;
		}
		if (lio_rv_in(si->si_addr, h->gmem, h->gmem_size)) {
			n = snprintf(msg, sizeof(msg),
				     "leapiod: SIGBUS at guest address %#lx: untranslated page\n",
				     (unsigned long)((u8 *)si->si_addr - h->gmem));
			if (n > 0)
				lio_rv_say(msg, (size_t)n);
		}
		break;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void lio_revoke_init(void)
{
	struct sigaction sa = { .sa_sigaction = lio_rv_sigbus,
				.sa_flags = SA_SIGINFO };

	sigaction(SIGBUS, &sa, NULL);
}

int lio_revoke_track(struct lio_host_vdev *h)
{
	unsigned int i;

	for (i = 0; i < LIO_REVOKE_SLOTS; i++) {
		struct lio_host_vdev *none = NULL;

		/* h is not polled yet: its flag cannot be set meanwhile. */
		if (__atomic_compare_exchange_n(&lio_rv_host[i], &none, h, false,
						__ATOMIC_RELEASE, __ATOMIC_RELAXED)) {
			lio_rv_flag[i] = 0;
			return 0;
		}
	}
	return -ENOSPC;
}

void lio_revoke_untrack(struct lio_host_vdev *h)
{
	unsigned int i;

	for (i = 0; i < LIO_REVOKE_SLOTS; i++) {
		if (__atomic_load_n(&lio_rv_host[i], __ATOMIC_RELAXED) != h)
			continue;
		__atomic_store_n(&lio_rv_host[i], NULL, __ATOMIC_RELEASE);
		lio_rv_flag[i] = 0;
		return;
	}
}

bool lio_revoked(const struct lio_host_vdev *h)
{
	unsigned int i;

	for (i = 0; i < LIO_REVOKE_SLOTS; i++)
		if (__atomic_load_n(&lio_rv_host[i], __ATOMIC_RELAXED) == h)
			return lio_rv_flag[i];
	return false;
}
