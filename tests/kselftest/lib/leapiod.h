/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leapiod as a child of a test: started with --vdev <uuid>=<path>[,offset=N]
 * for each mdev it serves, known to be serving once the kernel shows it
 * attached (each mdev's leapio/runtime_pid is its pid), stopped with
 * SIGTERM (a clean exit, status 0) or SIGKILL (the fault tests), and
 * started again with the same arguments.
 *
 * The child dies with the test process (PR_SET_PDEATHSIG): a test that
 * fails midway leaves no poller spinning on the VM's two vCPUs. Its
 * output goes to a file in /tmp; leapiod_dump_log() copies it to the
 * test's stderr when something went wrong.
 */
#ifndef LEAPIO_KSFT_LEAPIOD_H
#define LEAPIO_KSFT_LEAPIOD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "mdev_sysfs.h"

#define LEAPIOD_MAX_VDEV	4
#define LEAPIOD_MAX_NS		4	/* namespaces besides 1, all vdevs */
/* How long leapiod may take to attach or to exit: the bound of a polled
 * condition, not a sleep; under TCG an exec costs a second or so.
 */
#define LEAPIOD_TIMEOUT_MS	10000

struct leapiod {
	pid_t		pid;		/* 0: not running */
	int		status;		/* waitpid status of the last run */
	char		log[64];
	unsigned int	nr;
	char		uuid[LEAPIOD_MAX_VDEV][MDEV_UUID_LEN + 1];
	char		arg[LEAPIOD_MAX_VDEV][512];	/* "uuid=path[,offset=N]" */
	char		path[LEAPIOD_MAX_VDEV][420];	/* or an nvme+tcp:// URI */
	uint64_t	offset[LEAPIOD_MAX_VDEV];
	/* The vdevs' namespaces besides 1 (leapiod_add_ns): config only. */
	unsigned int	nr_ns;
	struct {
		unsigned int	vdev;		/* index of uuid[] */
		uint32_t	nsid;
		char		path[64];
		uint64_t	offset;
	} ns[LEAPIOD_MAX_NS];
	/* Each vdev's "pool" (leapiod_add_pool): bytes 0, none. */
	char		pool_dir[LEAPIOD_MAX_VDEV][64];
	uint64_t	pool_bytes[LEAPIOD_MAX_VDEV];
	/* Non-empty: start with --config <config>, written from the vdevs
	 * added (leapiod_use_config), rather than with --vdev arguments.
	 */
	char		config[64];
	/* Its $STATE_DIRECTORY (Write Uncorrectable's marks), kept across
	 * restarts of this leapiod and removed by leapiod_fini().
	 */
	char		state[64];
	/* Non-empty: also --control-socket <control>. */
	char		control[64];
	/*
	 * Card mode (lib/card_mode.h): the configuration carries the card
	 * section, and leapiod_start() hands every vdev to the card instead
	 * of waiting for runtime_pid.
	 */
	bool		card;
	/*
	 * Card mode with the card VM (lib/card_vm.h): leapiod runs there,
	 * started and stopped by the card's agent; pid is its pid on the
	 * card, and the log is the agent's copy.
	 */
	bool		remote;
};

/* $LEAPIOD_BIN if set, else $LEAPIO_TOP/runtime/leapiod (or
 * runtime/leapiod from the current directory, run.sh's); NULL when it is
 * not built.
 */
const char *leapiod_binary(void);

void leapiod_init(struct leapiod *d);
/* Serve mdev uuid from path, the namespace starting offset bytes in. */
int leapiod_add_vdev(struct leapiod *d, const char *uuid, const char *path,
		     uint64_t offset);
/*
 * Namespace nsid (2..16) of the vdev uuid (added before) from path,
 * offset bytes in: the configuration's "namespaces" of the vdev, so
 * leapiod_use_config() is called too. 0 or -errno.
 */
int leapiod_add_ns(struct leapiod *d, const char *uuid, uint32_t nsid,
		   const char *path, uint64_t offset);
/* Vdev uuid (added) gets a pool of bytes in dir: config only. */
int leapiod_add_pool(struct leapiod *d, const char *uuid, const char *dir,
		     uint64_t bytes);
/* Start it from a JSON configuration file (the operator's way, with one
 * poller, "pollers" left to its default) instead of --vdev arguments.
 */
int leapiod_use_config(struct leapiod *d);
/*
 * Write the configuration again from the vdevs (a test changed a path)
 * and send SIGHUP: leapiod applies the difference. 0 or -errno; the
 * caller waits for leapiod's word that it did.
 */
int leapiod_reload(struct leapiod *d);
/*
 * Start it and wait until every vdev added is served: runtime_pid is its
 * pid and its log says the vdev is attached (card mode:
 * until each vdev's hand-over to the card returned).
 * 0; -ENOENT (no binary); -ECHILD (it exited: see the log);
 * -ETIMEDOUT; -errno.
 */
int leapiod_start(struct leapiod *d);
/* Wait until mdev uuid's runtime_pid is pid (0: detached). */
int leapiod_wait_runtime_pid(const char *uuid, pid_t pid, int timeout_ms);
/*
 * Send sig and reap it (bounded; SIGKILL after the bound). Returns its
 * exit code (>= 0), 128 + the signal that ended it, or -errno.
 */
int leapiod_stop(struct leapiod *d, int sig);
/* Still running (not exited, not a zombie)? */
bool leapiod_alive(struct leapiod *d);
/*
 * SIGSTOP it and wait (bounded) until every thread of it has stopped:
 * kill() returns while a poller may still run and see what the test does
 * next. 0, -ETIMEDOUT or -errno. leapiod_frozen(): all stopped now.
 */
int leapiod_freeze(struct leapiod *d);
bool leapiod_frozen(const struct leapiod *d);
/* The end of its output, as "# " lines, to f. */
void leapiod_dump_log(struct leapiod *d, FILE *f);
/* How many lines of its output have s; has it one? */
int leapiod_log_count(const struct leapiod *d, const char *s);
bool leapiod_log_has(const struct leapiod *d, const char *s);
/*
 * Wait (polled, bounded by timeout_ms) for such a line, or for n of them:
 * 0 or -ETIMEDOUT.
 */
int leapiod_log_wait(const struct leapiod *d, const char *s, int timeout_ms);
int leapiod_log_wait_n(const struct leapiod *d, const char *s, int n,
		       int timeout_ms);
/* Wait (bounded) for it to end by itself: its exit code, or -errno. */
int leapiod_exit_code(struct leapiod *d);
/* Stop if running (SIGKILL) and remove the log. */
void leapiod_fini(struct leapiod *d);

/* leapio/<name> of an mdev as a number; -errno when unreadable. */
int mdev_uuid_attr_u64(const char *uuid, const char *name,
		       unsigned long long *val);

#endif /* LEAPIO_KSFT_LEAPIOD_H */
