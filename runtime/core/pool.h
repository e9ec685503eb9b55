/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vdev's pool (the configuration's "pool"): the namespaces the guest
 * makes with Namespace Management's create are sparse files
 * "<vdev UUID>-ns<NSID>.img" in its directory, their sizes together
 * within its bytes. The driver owns which namespaces exist (its table
 * marks those of the pool: leapio_ns_desc.pooled); leapiod owns the
 * files, and keeps which of them are the vdev's in its state directory,
 * "pool-<vdev UUID>.json", with the region instance they belong to, so
 * that a restarted leapiod serves them again and removes those the
 * guest deleted while it was away. A region of another instance (the
 * mdev made again) has none of them: their files are kept aside
 * (".orphan-<instance>"), not served, not removed.
 * Documentation/design/namespaces.rst, "The pool".
 */
#ifndef LEAPIOD_POOL_H
#define LEAPIOD_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime.h"

struct leapio_region_view;

struct lio_pool_ns {
	bool		used;
	uint64_t	bytes;
	char		path[300];
};

struct lio_pool {
	struct lio_pool_cfg	cfg;		/* bytes 0: none to make from */
	char			uuid[LIO_UUID_STR_LEN + 1];
	char			*record;	/* pool-<uuid>.json's path */
	uint64_t		instance;	/* the region's they are of */
	bool			recorded;	/* the record file exists */
	struct lio_pool_ns	ns[LIO_MAX_NSID];	/* [nsid - 1] */
};

/*
 * The record of vdev uuid from the state directory, when there is one,
 * with the configuration's pool cfg (which may be none: the namespaces
 * made before are served all the same). 0, or -errno with a sentence in
 * err (a record that cannot be read or parsed: nothing is guessed).
 */
int lio_pool_open(struct lio_pool *p, const char *uuid,
		  const struct lio_pool_cfg *cfg, char *err, size_t errlen);
void lio_pool_close(struct lio_pool *p);

/* Bytes its namespaces hold. */
uint64_t lio_pool_used(const struct lio_pool *p);

/*
 * Does region r keep namespace nsid of the pool: its table has it
 * (pooled), or a create of it is asked and not done (its answer may be
 * on its way)?
 */
bool lio_pool_region_keeps(const struct leapio_region_view *r, uint32_t nsid);

/*
 * At attach to region r: which recorded namespaces are the region's
 * (its table has them pooled, or a create of them is asked and not
 * done), as a mask of bit nsid - 1. Those of the same region it no
 * longer has (deleted while no leapiod served it) are removed, those of
 * another region kept aside; the record then names r's instance.
 * -errno (the record not written) with err.
 */
int lio_pool_attach(struct lio_pool *p, const struct leapio_region_view *r,
		    uint32_t *serve, char *err, size_t errlen);

/*
 * Namespace create: nsze blocks of 1 << lba_shift bytes as namespace
 * nsid, its file made (empty: reads give zeroes) and recorded. The NVMe
 * status for the command: Namespace Insufficient Capacity beyond the
 * pool or when the file system is full, NS ID Unavailable for an NSID
 * the pool has already, Internal Error (err says why) otherwise.
 */
uint16_t lio_pool_create(struct lio_pool *p, uint32_t nsid, uint64_t nsze,
			 uint8_t lba_shift, char *err, size_t errlen);

/* Namespace nsid's file removed and its entry dropped: 0 or -errno. */
int lio_pool_delete(struct lio_pool *p, uint32_t nsid, char *err,
		    size_t errlen);

#endif /* LEAPIOD_POOL_H */
