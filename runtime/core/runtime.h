/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leapiod's core as main.c and the configuration see it: poller threads,
 * each serving some vdevs (one mdev each) through one io_uring.
 *
 * A vdev is served by exactly one poller; every queue of it is polled by
 * that poller's thread, which is the only one touching the vdev's region
 * (runtime-written fields) and its backend. The calls below come from
 * the main thread and are handed to the poller thread, which carries them
 * out between two passes of its loop; they return when it has.
 */
#ifndef LEAPIOD_RUNTIME_H
#define LEAPIOD_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../backend/backend.h"
#include "hist.h"
#include "log.h"

#define LIO_UUID_STR_LEN	36

/*
 * NSIDs a vdev may have (LEAPIO_MAX_NS of uapi/linux/leapio_region.h:
 * the driver's namespace table); NSID 1 is the vdev's own backend.
 */
#define LIO_MAX_NSID		16

/* A namespace besides NSID 1: the configuration's "namespaces". */
struct lio_ns_cfg {
	uint32_t		nsid;		/* 2..LIO_MAX_NSID */
	struct lio_bdev_cfg	bdev;
};

/*
 * The configuration's "pool": where the guest's Namespace Management
 * makes namespaces (sparse files in dir) and how many bytes they may
 * hold together. bytes 0: none.
 */
struct lio_pool_cfg {
	char			dir[256];	/* absolute */
	uint64_t		bytes;
};

struct lio_vdev_cfg {
	char			uuid[LIO_UUID_STR_LEN + 1];	/* lower case */
	struct lio_bdev_cfg	bdev;		/* namespace 1 */
	/* The others, by ascending NSID, none twice. */
	struct lio_ns_cfg	ns[LIO_MAX_NSID - 1];
	unsigned int		nr_ns;
	struct lio_pool_cfg	pool;
	unsigned int		poller;		/* index into the pollers */
	/*
	 * Added from its mdev's leapio/backend note (leapioctl vdev adopt),
	 * not from the file: a reload keeps it unless the file lists its
	 * UUID, save_config leaves it out (the note is its record).
	 */
	bool			adopted;
};

/* Does the configuration give v's namespace nsid a backend? */
static inline bool lio_vdev_cfg_has_ns(const struct lio_vdev_cfg *v,
				       uint32_t nsid)
{
	unsigned int i;

	if (nsid == 1)
		return true;
	for (i = 0; i < v->nr_ns; i++)
		if (v->ns[i].nsid == nsid)
			return true;
	return false;
}

struct lio_poller_cfg {
	int		cpu;		/* pin the thread here; -1: don't */
	/* Idle back-off: spin this long after the last work, then poll
	 * every idle_poll_us; sleep on the wake eventfd only when every
	 * vdev allows it (shadow doorbells, trapped doorbell writes).
	 */
	unsigned int	spin_us;
	unsigned int	idle_poll_us;
};

struct lio_poller;
struct lio_plat;

/*
 * A poller thread serving its vdevs through the platform plat (plat.h;
 * plat_ctx is handed to its attach).
 */
int lio_poller_start(const struct lio_poller_cfg *cfg,
		     const struct lio_plat *plat, void *plat_ctx,
		     unsigned int index, struct lio_poller **out, char *err,
		     size_t errlen);
/*
 * Serve a vdev: attach to it through the platform (host mode: its mdev
 * through /dev/leapio; when it does not exist yet, keep trying, once a
 * second in host mode, saying so once), open its
 * backend, pick the queues up where they are (redoing journalled
 * commands). 0, or -errno with a sentence in err.
 */
int lio_poller_add_vdev(struct lio_poller *p, const struct lio_vdev_cfg *cfg,
			char *err, size_t errlen);
/* Stop fetching from it, finish what is in flight, detach. */
int lio_poller_remove_vdev(struct lio_poller *p, const char *uuid);
/* Swap its backend: stop fetching, finish what is in flight, open the new
 * backend, go on; I/O is delayed, none fails. On error the old backend
 * stays.
 */
int lio_poller_update_vdev(struct lio_poller *p, const struct lio_vdev_cfg *cfg,
			   char *err, size_t errlen);
/* Every vdev removed as above, then the thread joined and freed. */
void lio_poller_stop(struct lio_poller *p);

/* Counters of a poller: leapiod's exit summary, the control socket. */
struct lio_poller_stats {
	uint64_t	cmds;		/* I/O commands completed */
	uint64_t	polls;		/* loop passes */
	uint64_t	idle_polls;	/* passes that found nothing */
	uint64_t	sleeps;		/* times it slept on the wake eventfd */
	uint64_t	irqs;		/* interrupts raised */
	uint32_t	nr_vdevs;	/* served (attached or waiting) */
};

/*
 * What one vdev's guest asked of it, by class of I/O command (as SMART
 * counts host commands: reads are Read and Compare, writes are Write;
 * the rest is "other"): completions posted, bytes moved by those that
 * succeeded, those that failed, and the latency from the pass that
 * fetched the command to the one that posted its completion (so a full
 * CQ's wait counts, as the guest sees it). Kept for as long as the vdev
 * is served, across detach, hand-over and backend changes.
 */
enum lio_io_class { LIO_CLASS_READ, LIO_CLASS_WRITE, LIO_CLASS_OTHER, LIO_NR_CLASS };

struct lio_io_stats {
	uint64_t	cmds;
	uint64_t	bytes;
	uint64_t	errors;
	uint64_t	lat_sum_ns;
	struct lio_hist	lat;
};

struct lio_vdev_stats {
	struct lio_io_stats	io[LIO_NR_CLASS];
};

/*
 * A snapshot of a poller's counters, and of vdev uuid's when uuid is not
 * NULL, taken by the poller thread between two passes (consistent, and
 * nothing shared with the data path). 0, or -ENOENT: not served here.
 */
int lio_poller_get_stats(struct lio_poller *p, struct lio_poller_stats *st,
			 const char *uuid, struct lio_vdev_stats *vst);
/*
 * A count the thread moves each time round its loop, sleeping or not,
 * and while it drains a vdev: one that stops moving is stuck (the
 * service manager's watchdog, service/notify.h). Read from any thread.
 */
uint64_t lio_poller_beats(struct lio_poller *p);


#endif /* LEAPIOD_RUNTIME_H */
