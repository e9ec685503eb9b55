/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Remote drives: a vdev whose namespace lives behind an NVMe-oF target,
 * named by the NVMe Boot specification's URI
 *     nvme+tcp://HOST[:PORT]/SUBSYSTEM-NQN/NSID   (and nvme+rdma://)
 * plus the fabric options of the JSON configuration (backend.fabric).
 *
 * leapiod does not speak the fabric itself: it asks the kernel's
 * initiator (nvme-tcp, nvme-rdma) for a controller through libnvme and
 * drives the namespace's generic character device with io_uring NVMe
 * passthrough, so reconnects, multipath, TLS and authentication are the
 * kernel's (Documentation/admin-guide/remote-drives.rst says why).
 *
 * This header is what the configuration, the backend and main.c share:
 * the parsed target and options (pure, unit-tested, fuzzed), and the
 * connections leapiod holds, one per subsystem and host, shared by the
 * vdevs naming it (conn.c).
 */
#ifndef LEAPIOD_NVMF_H
#define LEAPIOD_NVMF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LIO_NVMF_URI_MAX	400	/* the longest URI a bdev path holds */
#define LIO_NQN_MAX		223	/* NVMe base spec: NQN bytes, no NUL */
#define LIO_NVMF_DEFAULT_PORT	"4420"
#define LIO_NVMF_KEY_MAX	256	/* a DH-HMAC-CHAP secret, DHHC-1:... */

/* Not given: libnvme's (and the kernel's) default applies. */
#define LIO_NVMF_UNSET		(-2)
/*
 * Except for these two, whose kernel defaults (600 s, 10 s) outlast a
 * guest's patience: Linux times an I/O out after 30 s and resets the
 * controller. A remote drive gone for longer than this is reported to
 * the guest as a path error instead.
 */
#define LIO_NVMF_DEFAULT_CTRL_LOSS_TMO		20
#define LIO_NVMF_DEFAULT_RECONNECT_DELAY	2

struct lio_nvmf_target {
	char		transport[8];		/* "tcp", "rdma" */
	char		traddr[64];		/* IPv4 or IPv6, no brackets */
	char		trsvcid[8];		/* port */
	char		subsysnqn[LIO_NQN_MAX + 1];
	uint32_t	nsid;
};

/* backend.fabric in the JSON configuration. */
struct lio_nvmf_opts {
	char		hostnqn[LIO_NQN_MAX + 1];	/* "": /etc/nvme, or leapiod's */
	char		hostid[37];			/* "": /etc/nvme, or leapiod's */
	char		host_traddr[64];
	char		host_iface[16];
	int		ctrl_loss_tmo;		/* s; -1: forever */
	int		reconnect_delay;	/* s */
	int		nr_io_queues;
	int		keep_alive_tmo;		/* s */
	bool		tls;
	char		dhchap_secret[LIO_NVMF_KEY_MAX];
	char		dhchap_ctrl_secret[LIO_NVMF_KEY_MAX];
};

struct lio_nvmf_cfg {
	struct lio_nvmf_target	target;		/* from the URI (the bdev's path) */
	struct lio_nvmf_opts	opts;
	/* Filled when the connection is made (main thread), read by the
	 * backend: the kernel's controller and the namespace's generic
	 * character device. Not configuration: never compared.
	 */
	char			ctrl[32];	/* "nvme3" */
	char			dev[64];	/* "/dev/ng3n1" */
};

/* Does the path look like a URI of ours ("nvme+" prefix)? */
bool lio_nvmf_is_uri(const char *path);

/*
 * nvme+tcp://HOST[:PORT]/SUBSYSTEM-NQN/NSID into t. 0, or -EINVAL with
 * one sentence in err saying which part is wrong and what it should be.
 */
int lio_nvmf_uri_parse(const char *uri, struct lio_nvmf_target *t,
		       char *err, size_t errlen);

/* Every option unset. */
void lio_nvmf_opts_init(struct lio_nvmf_opts *o);

/*
 * One option by its configuration name (backend.fabric.<name>) from its
 * textual value: integers for the timeouts and counts, true/false for
 * tls, strings for the rest. 0, -ENOENT for an unknown name (err lists
 * the known ones), -EINVAL for a bad value (err says why).
 */
int lio_nvmf_opt_set(struct lio_nvmf_opts *o, const char *name,
		     const char *value, char *err, size_t errlen);

/* 'i' (integer), 'b' (boolean), 's' (string), or 0 for an unknown name. */
int lio_nvmf_opt_kind(const char *name);

/* What only makes sense together, once all are set. 0 or -EINVAL, err. */
int lio_nvmf_opts_check(const struct lio_nvmf_opts *o, char *err, size_t errlen);

/*
 * Each option that is set (not its default), in the table's order: an
 * integer or a boolean in n (kind 'i', 'b'), a string in s ('s'). What a
 * configuration is written back from (config/json_write.c).
 */
typedef void (*lio_nvmf_opt_fn)(void *arg, const char *name, int kind, long n,
				const char *s);
void lio_nvmf_opts_foreach(const struct lio_nvmf_opts *o, lio_nvmf_opt_fn fn, void *arg);

/* The names lio_nvmf_opt_set() knows, for messages: "hostnqn, ...". */
extern const char lio_nvmf_opt_names[];

/* Configuration equality: the target and the options, not ctrl/dev. */
bool lio_nvmf_cfg_equal(const struct lio_nvmf_cfg *a, const struct lio_nvmf_cfg *b);

/*
 * The connections leapiod holds (conn.c), from the main thread only.
 * Get: connect (or take the connection another vdev made to the same
 * subsystem from the same host), wait for the namespace, and fill
 * cfg->ctrl and cfg->dev. 0 or -errno with a sentence in err naming what
 * failed (unreachable, no such subsystem, no such namespace, refused).
 * Put: drop one user; the last one disconnects a controller leapiod made
 * (one it found made by someone else is left alone).
 */
int lio_nvmf_get(struct lio_nvmf_cfg *cfg, char *err, size_t errlen);
void lio_nvmf_put(const struct lio_nvmf_cfg *cfg);
/* Connections held now (tests, leapiod's exit check). */
unsigned int lio_nvmf_nr_conns(void);
/*
 * Has the kernel given cfg's controller up (ctrl_loss_tmo passed, or it
 * was deleted)? Then the vdev's commands fail until it is connected anew:
 * a reload does that (main.c). The next lio_nvmf_get() for the subsystem
 * makes a new connection; the old one goes with its last user.
 */
bool lio_nvmf_given_up(const struct lio_nvmf_cfg *cfg);

/*
 * A remote command that failed, and what the backend does with it
 * (path.c, the status mapping of transport errors): the kernel's
 * controller state is read from sysfs when it matters.
 */
enum lio_nvmf_state {
	LIO_NVMF_LIVE,		/* "live" */
	LIO_NVMF_DOWN,		/* new, resetting, connecting: may come back */
	LIO_NVMF_GONE,		/* deleting, dead, or no longer there */
};

enum lio_nvmf_verdict {
	LIO_NVMF_COMPLETE,	/* complete with *res (maybe rewritten) */
	LIO_NVMF_HOLD,		/* hold; send again when the controller is live */
};

/* Tries of one command while its controller says it is live. */
#define LIO_NVMF_LIVE_TRIES	3
/* What the guest gets when the kernel gave the controller up. */
#define LIO_NVMF_STATUS_GONE	0x86c0	/* Controller Pathing Error | DNR */

/*
 * res: the backend's result (0, -errno, or an NVMe status field with bit
 * 0 clear); state: the controller's, read after the failure; tries: how
 * often the command was sent. Pure: unit-tested.
 */
enum lio_nvmf_verdict lio_nvmf_verdict(int32_t *res, enum lio_nvmf_state state,
				       uint32_t tries);
/* The state file's contents ("live\n") into a state; NULL: no such file. */
enum lio_nvmf_state lio_nvmf_state_parse(const char *text);
/* The kernel's controller ctrl ("nvme3"): its sysfs state, parsed. */
enum lio_nvmf_state lio_nvmf_ctrl_state(const char *ctrl);

/*
 * How a connection is made: the kernel's initiator through libnvme
 * (nvmf_connect.c), or nothing in builds without libnvme (the card's
 * static arm64 build). Tests swap in their own.
 */
struct lio_nvmf_ops {
	/* Connect; ctrl gets the kernel's name ("nvme3"). *owned: false
	 * when the host had this controller already (someone else's).
	 */
	int	(*connect)(const struct lio_nvmf_cfg *cfg, char *ctrl, size_t len,
			   bool *owned, char *err, size_t errlen);
	/* The generic character device of nsid behind ctrl, waiting a
	 * little for the kernel's namespace scan. -ENOENT: no such NSID.
	 */
	int	(*find_ns)(const char *ctrl, uint32_t nsid, char *dev, size_t len,
			   char *err, size_t errlen);
	int	(*disconnect)(const char *ctrl);
	/* The controller's state (path.c's reading of its sysfs state). */
	enum lio_nvmf_state (*state)(const char *ctrl);
};

extern const struct lio_nvmf_ops lio_nvmf_kernel_ops;
/* Tests: use ops instead of the kernel's; NULL puts those back. */
void lio_nvmf_set_ops(const struct lio_nvmf_ops *ops);

#endif /* LEAPIOD_NVMF_H */
