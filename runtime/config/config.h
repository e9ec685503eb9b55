/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leapiod's configuration: the pollers and the vdevs they serve, from a
 * JSON file (--config) and --vdev arguments, checked field by field with
 * one sentence per mistake; and what a reload changes. The format is
 * documented in Documentation/admin-guide/leapiod.rst.
 */
#ifndef LEAPIOD_CONFIG_H
#define LEAPIOD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/runtime.h"
#include "../card/window.h"

#define LIO_MAX_POLLERS			256
#define LIO_MAX_VDEVS			4096
#define LIO_DEFAULT_SPIN_US		50U
#define LIO_DEFAULT_IDLE_POLL_US	20U
#define LIO_MAX_POLL_US			1000000
/* offset and size: what a namespace's geometry is made of. */
#define LIO_CFG_ALIGN			4096ULL

struct lio_config {
	struct lio_poller_cfg	*pollers;
	unsigned int		nr_pollers;
	bool			pollers_given;	/* the file lists them */
	struct lio_vdev_cfg	*vdevs;
	/* Where each vdev was given, for messages: "vdevs[2]", "--vdev #1". */
	char			(*where)[32];
	unsigned int		nr_vdevs;
	/* card mode, when given: leapiod serves from the SoC card */
	struct lio_card_cfg	card;
};

void lio_config_init(struct lio_config *c);
void lio_config_free(struct lio_config *c);

/*
 * Parse a JSON document into c (which must be freshly initialised).
 * 0, or -EINVAL with one sentence in err naming the field (and the vdev).
 */
int lio_config_parse_json(struct lio_config *c, const char *text,
			  char *err, size_t errlen);
/* The same from a file; err starts with the file's name. */
int lio_config_load_file(struct lio_config *c, const char *path,
			 char *err, size_t errlen);
/* One --vdev <uuid>=<path>[,offset=N][,size=N][,type=T][,readonly][,poller=N]. */
int lio_config_add_vdev_arg(struct lio_config *c, const char *arg,
			    char *err, size_t errlen);
/*
 * After the file and the arguments: the default poller (pinned to
 * default_cpu, or -1) when none was listed, every vdev's poller index in
 * range, no UUID twice. 0 or -EINVAL with err.
 */
int lio_config_finish(struct lio_config *c, int default_cpu,
		      char *err, size_t errlen);

struct json_t;
/*
 * One vdev object of the file's format into v (json.c), its messages
 * naming it base ("vdevs[2]"; "params" for the control socket). 0 or
 * -EINVAL with err.
 */
int lio_config_parse_vdev(struct lio_vdev_cfg *v, const struct json_t *o,
			  const char *base, char *err, size_t errlen);
/*
 * Back into the file's format (json_write.c): one vdev as the file lists
 * it (an adopted one with "adopted": true, which only the control socket
 * shows), and the whole configuration but its adopted vdevs, which
 * lio_config_parse_json() reads back as it was. A new reference, or NULL
 * (out of memory).
 */
struct json_t *lio_config_vdev_json(const struct lio_vdev_cfg *v);
struct json_t *lio_config_json(const struct lio_config *c);

/* A UUID in its 36-character form, any case, into lower case. 0 or -EINVAL. */
int lio_uuid_parse(const char *in, char out[LIO_UUID_STR_LEN + 1]);

/* Index of the vdev with that UUID, or -1. */
int lio_config_find(const struct lio_config *c, const char *uuid);
/* Append a copy / drop one: for main.c's record of what is applied. */
int lio_config_append(struct lio_config *c, const struct lio_vdev_cfg *v,
		      const char *where);
void lio_config_drop(struct lio_config *c, unsigned int i);
/* Deep copy of src into a freshly initialised dst. 0 or -ENOMEM. */
int lio_config_copy(struct lio_config *dst, const struct lio_config *src);

/*
 * The same namespaces besides NSID 1: as many, the same NSIDs, equal
 * backends (entry by entry: both are kept by ascending NSID), and the
 * same pool.
 */
bool lio_vdev_ns_cfg_equal(const struct lio_vdev_cfg *a, const struct lio_vdev_cfg *b);
/* The same NSIDs besides 1 and the same pool, whatever their backends. */
bool lio_vdev_nsids_equal(const struct lio_vdev_cfg *a, const struct lio_vdev_cfg *b);
/*
 * Do a and b share bytes: the same file, device or remote namespace (by
 * path, or by what the paths are), ranges overlapping (backend_check.c)?
 */
bool lio_bdev_cfg_overlap(const struct lio_bdev_cfg *a, const struct lio_bdev_cfg *b);
/*
 * No two namespaces of v (its own backend, NSID 1, included) on the same
 * bytes: the guest's writes to one would change the other's data.
 * Vdevs sharing a backend in slices are the operator's to arrange, as
 * before. 0, or -EINVAL with err naming who and both NSIDs.
 */
int lio_vdev_cfg_check_overlap(const struct lio_vdev_cfg *v, const char *who,
			       char *err, size_t errlen);

/* What a reload does to one vdev. */
enum lio_change_kind {
	LIO_CHANGE_REMOVE,	/* gone from the new configuration */
	/*
	 * To another poller, or which namespaces besides NSID 1 it has or
	 * its pool changed: remove, then add (on the same poller for the
	 * latter).
	 */
	LIO_CHANGE_MOVE,
	/* Same poller and NSIDs, another backend of any namespace. */
	LIO_CHANGE_UPDATE,
	LIO_CHANGE_ADD,		/* new */
};

struct lio_change {
	enum lio_change_kind		kind;
	const struct lio_vdev_cfg	*old;	/* NULL for ADD */
	const struct lio_vdev_cfg	*new;	/* NULL for REMOVE */
};

/*
 * The changes from old to new, removals first, additions last, in
 * *changes (free() it). The pollers may only grow: a changed or removed
 * poller is refused (-EINVAL, err) since its vdevs would have to move
 * under a running thread. Returns the number of changes or -errno.
 */
int lio_config_diff(const struct lio_config *old, const struct lio_config *new,
		    struct lio_change **changes, char *err, size_t errlen);

#endif /* LEAPIOD_CONFIG_H */
