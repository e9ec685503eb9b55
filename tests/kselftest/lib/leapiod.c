// SPDX-License-Identifier: GPL-2.0
/* leapiod as a child of a test; see leapiod.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../../uapi/linux/leapio.h"
#include "card_mode.h"
#include "card_vm.h"
#include "clock.h"
#include "leapiod.h"

const char *leapiod_binary(void)
{
	static char path[PATH_MAX];
	const char *top = getenv("LEAPIO_TOP");
	const char *bin = getenv("LEAPIOD_BIN");

	/* Another build of it (a debug or a deliberately broken one). */
	if (bin && *bin)
		return access(bin, X_OK) ? NULL : bin;

	snprintf(path, sizeof(path), "%s/runtime/leapiod", top && *top ? top : ".");
	return access(path, X_OK) ? NULL : path;
}

void leapiod_init(struct leapiod *d)
{
	static unsigned int seq;

	memset(d, 0, sizeof(*d));
	snprintf(d->state, sizeof(d->state), "/tmp/leapiod-state-%d-%u",
		 (int)getpid(), seq++);
}

int leapiod_add_vdev(struct leapiod *d, const char *uuid, const char *path,
		     uint64_t offset)
{
	int n;

	if (d->nr == LEAPIOD_MAX_VDEV)
		return -ENOSPC;
	if (offset)
		n = snprintf(d->arg[d->nr], sizeof(d->arg[0]), "%s=%s,offset=%" PRIu64,
			     uuid, path, offset);
	else
		n = snprintf(d->arg[d->nr], sizeof(d->arg[0]), "%s=%s", uuid, path);
	if (n < 0 || (size_t)n >= sizeof(d->arg[0]))
		return -ENAMETOOLONG;
	snprintf(d->uuid[d->nr], sizeof(d->uuid[0]), "%s", uuid);
	snprintf(d->path[d->nr], sizeof(d->path[0]), "%s", path);
	d->offset[d->nr] = offset;
	d->nr++;
	return 0;
}

int mdev_uuid_attr_u64(const char *uuid, const char *name,
		       unsigned long long *val)
{
	char path[160], buf[32], *end;
	int err;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/%s/%s", uuid,
		 LEAPIO_SYSFS_GROUP, name);
	err = sysfs_read(path, buf, sizeof(buf));
	if (err < 0)
		return err;
	errno = 0;
	*val = strtoull(buf, &end, 0);
	if (errno || end == buf)
		return -EINVAL;
	return 0;
}

bool leapiod_alive(struct leapiod *d)
{
	char val[32];

	if (!d->pid)
		return false;
	if (d->remote) {
		if (card_vm_call("alive", val, sizeof(val)) || strcmp(val, "0"))
			return true;
		d->pid = 0;
		return false;
	}
	/* waitpid, not kill(0): a zombie still takes signals. */
	if (waitpid(d->pid, &d->status, WNOHANG) == d->pid) {
		d->pid = 0;
		return false;
	}
	return true;
}

/* Each thread's state letter in /proc/<pid>/task: 'T' for all? */
static bool pid_all_stopped(pid_t pid)
{
	char path[320];
	struct dirent *e;
	bool all = true;
	int threads = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return false;
	while (all && (e = readdir(dir))) {
		char st = 0;
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", pid, e->d_name);
		f = fopen(path, "r");
		/* A thread that ended meanwhile is not running either. */
		if (!f)
			continue;
		if (fscanf(f, "%*d %*s %c", &st) != 1)
			st = 0;
		fclose(f);
		threads++;
		all = st == 'T';
	}
	closedir(dir);
	return all && threads > 0;
}

bool leapiod_frozen(const struct leapiod *d)
{
	return d->pid && !d->remote && pid_all_stopped(d->pid);
}

int leapiod_freeze(struct leapiod *d)
{
	int64_t t0 = mono_ms();

	if (!d->pid || d->remote)
		return -ESRCH;
	if (kill(d->pid, SIGSTOP))
		return -errno;
	while (!leapiod_frozen(d)) {
		if (mono_ms() - t0 > LEAPIOD_TIMEOUT_MS)
			return -ETIMEDOUT;
		usleep(10000);
	}
	return 0;
}

int leapiod_wait_runtime_pid(const char *uuid, pid_t pid, int timeout_ms)
{
	int64_t deadline = mono_ms() + timeout_ms;
	unsigned long long v;
	int err;

	/* Bounded polling of sysfs: attaching is the runtime's business,
	 * and runtime_pid is the one place the kernel says it happened.
	 */
	for (;;) {
		err = mdev_uuid_attr_u64(uuid, LEAPIO_SYSFS_RUNTIME_PID, &v);
		if (!err && v == (unsigned long long)pid)
			return 0;
		if (mono_ms() > deadline)
			return err ? err : -ETIMEDOUT;
		usleep(20000);
	}
}

int leapiod_add_ns(struct leapiod *d, const char *uuid, uint32_t nsid,
		   const char *path, uint64_t offset)
{
	unsigned int i;

	for (i = 0; i < d->nr && strcmp(d->uuid[i], uuid); i++)
		;
	if (i == d->nr || d->nr_ns == LEAPIOD_MAX_NS ||
	    strlen(path) >= sizeof(d->ns[0].path))
		return -EINVAL;
	d->ns[d->nr_ns].vdev = i;
	d->ns[d->nr_ns].nsid = nsid;
	strcpy(d->ns[d->nr_ns].path, path);
	d->ns[d->nr_ns].offset = offset;
	d->nr_ns++;
	return leapiod_use_config(d);
}

int leapiod_add_pool(struct leapiod *d, const char *uuid, const char *dir,
		     uint64_t bytes)
{
	unsigned int i;

	for (i = 0; i < d->nr && strcmp(d->uuid[i], uuid); i++)
		;
	if (i == d->nr || strlen(dir) >= sizeof(d->pool_dir[0]))
		return -EINVAL;
	strcpy(d->pool_dir[i], dir);
	d->pool_bytes[i] = bytes;
	return leapiod_use_config(d);
}

/* A backend's "type": a URI is an NVMe-oF namespace, else a block device. */
static const char *leapiod_backend_type(const char *path)
{
	return strncmp(path, "nvme+", 5) ? "block" : "nvmf";
}

/* The vdev's "namespaces" member (with its leading comma), or nothing. */
static void leapiod_ns_json(const struct leapiod *d, unsigned int vdev, FILE *f)
{
	unsigned int i, n = 0;

	for (i = 0; i < d->nr_ns; i++) {
		if (d->ns[i].vdev != vdev)
			continue;
		fprintf(f, "%s{\"nsid\": %u, \"backend\": {\"type\": \"%s\", "
			"\"path\": \"%s\", \"offset\": %" PRIu64 "}}",
			n++ ? ", " : ", \"namespaces\": [", d->ns[i].nsid,
			leapiod_backend_type(d->ns[i].path), d->ns[i].path,
			d->ns[i].offset);
	}
	if (n)
		fputc(']', f);
}

int leapiod_use_config(struct leapiod *d)
{
	char card[512] = "";
	unsigned int i;
	FILE *f;
	int err;

	if (d->card) {
		err = card_mode_json(card, sizeof(card));
		if (err)
			return err;
	}

	snprintf(d->config, sizeof(d->config), "/tmp/leapiod-ksft-%d.json", getpid());
	f = fopen(d->config, "w");
	if (!f) {
		d->config[0] = 0;
		return -errno;
	}
	fprintf(f, "{\n%s%s%s  \"vdevs\": [\n", card[0] ? "  " : "", card,
		card[0] ? ",\n" : "");
	for (i = 0; i < d->nr; i++) {
		fprintf(f, "    {\"uuid\": \"%s\", \"backend\": {\"type\": \"%s\", "
			"\"path\": \"%s\", \"offset\": %" PRIu64 "}",
			d->uuid[i], leapiod_backend_type(d->path[i]), d->path[i],
			d->offset[i]);
		leapiod_ns_json(d, i, f);
		if (d->pool_bytes[i])
			fprintf(f, ", \"pool\": {\"dir\": \"%s\", \"bytes\": %" PRIu64 "}",
				d->pool_dir[i], d->pool_bytes[i]);
		fprintf(f, "}%s\n", i + 1 < d->nr ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	return fclose(f) ? -errno : 0;
}

int leapiod_reload(struct leapiod *d)
{
	int err;

	if (!d->config[0] || !d->pid)
		return -EINVAL;
	err = leapiod_use_config(d);
	if (!err && kill(d->pid, SIGHUP))
		err = -errno;
	return err;
}

static void child_exec(struct leapiod *d, const char *bin)
{
	char *argv[5 + 2 * LEAPIOD_MAX_VDEV + 1];
	unsigned int i, n = 0;
	int fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Appended: a restarted leapiod's output follows the killed one's. */
	fd = open(d->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	setenv("STATE_DIRECTORY", d->state, 1);
	argv[n++] = (char *)bin;
	if (d->config[0]) {
		argv[n++] = (char *)"--config";
		argv[n++] = d->config;
	}
	for (i = 0; i < d->nr && !d->config[0]; i++) {
		argv[n++] = (char *)"--vdev";
		argv[n++] = d->arg[i];
	}
	if (d->control[0]) {
		argv[n++] = (char *)"--control-socket";
		argv[n++] = d->control;
	}
	argv[n] = NULL;
	execv(bin, argv);
	_exit(127);
}

/* On the card VM: the agent starts it, each vdev on the card's SSD. */
static int start_remote(struct leapiod *d)
{
	char req[64 + LEAPIOD_MAX_VDEV * 64], val[128];
	unsigned int i;
	size_t n;
	int err;

	n = snprintf(req, sizeof(req), "start");
	for (i = 0; i < d->nr; i++)
		n += snprintf(req + n, sizeof(req) - n, " %s=%" PRIu64,
			      d->uuid[i], d->offset[i]);
	if (n >= sizeof(req))
		return -ENAMETOOLONG;
	err = card_vm_call(req, val, sizeof(val));
	if (err) {
		fprintf(stderr, "# the card's agent: %s: %s\n", req, val);
		return err;
	}
	d->pid = (pid_t)strtol(val, NULL, 10);
	d->status = 0;
	d->remote = true;
	return d->pid > 0 ? 0 : -EPROTO;
}

/* leapiod's line once a vdev is attached and served (lio_slot_attach()). */
static int leapiod_attached_lines(const struct leapiod *d, unsigned int i)
{
	char line[MDEV_UUID_LEN + 32];

	snprintf(line, sizeof(line), "vdev %s: attached", d->uuid[i]);
	return leapiod_log_count(d, line);
}

int leapiod_start(struct leapiod *d)
{
	const char *bin = leapiod_binary();
	int attached[LEAPIOD_MAX_VDEV] = {};
	unsigned int i;
	int64_t deadline;
	pid_t pid;
	int err;

	if (d->pid)
		return -EBUSY;
	if (d->card && card_vm()) {
		err = start_remote(d);
		if (err)
			return err;
		goto handover;
	}
	if (!bin)
		return -ENOENT;
	/* Card mode is configured in the file only. */
	if (d->card && !d->config[0]) {
		err = leapiod_use_config(d);
		if (err)
			return err;
	}
	if (!d->log[0]) {
		snprintf(d->log, sizeof(d->log), "/tmp/leapiod-ksft-%d.log", getpid());
		unlink(d->log);
	}
	/* The log is appended to across restarts: count from here. */
	for (i = 0; i < d->nr; i++)
		attached[i] = leapiod_attached_lines(d, i);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		child_exec(d, bin);
	d->pid = pid;
	d->status = 0;

handover:
	pid = d->pid;
	/*
	 * The card's leapiod looks for its slots every 10 ms: a hand-over
	 * returns once it attached, bounded by CAP.TO in the driver.
	 */
	for (i = 0; i < d->nr && d->card; i++) {
		err = card_mode_handover(d->uuid[i], "card");
		if (err)
			return leapiod_alive(d) ? err : -ECHILD;
	}
	/*
	 * Started is served: the driver has runtime_pid from the moment
	 * leapiod attached to the region, before leapiod set its side up
	 * (the backends' sizes in it, backend_bytes): wait for both.
	 */
	deadline = mono_ms() + LEAPIOD_TIMEOUT_MS;
	for (i = 0; i < d->nr && !d->card; i++) {
		for (;;) {
			err = leapiod_wait_runtime_pid(d->uuid[i], pid, 100);
			if (!err && leapiod_attached_lines(d, i) > attached[i])
				break;
			if (!err)
				usleep(10000);
			if (!leapiod_alive(d))
				return -ECHILD;
			if (mono_ms() > deadline)
				return -ETIMEDOUT;
		}
	}
	return 0;
}

/* The agent signals and reaps it: its exit code or 128 + the signal. */
static int stop_remote(struct leapiod *d, int sig)
{
	char req[32], val[32];
	int err, st;

	snprintf(req, sizeof(req), "stop %d", sig);
	err = card_vm_call(req, val, sizeof(val));
	d->pid = 0;
	if (err)
		return err;
	st = atoi(val);
	d->status = st >= 128 ? st - 128 : st << 8;	/* as waitpid's */
	return st;
}

int leapiod_stop(struct leapiod *d, int sig)
{
	int64_t deadline = mono_ms() + LEAPIOD_TIMEOUT_MS;
	pid_t r;

	if (!d->pid)
		return -ESRCH;
	if (d->remote)
		return stop_remote(d, sig);
	kill(d->pid, sig);
	for (;;) {
		r = waitpid(d->pid, &d->status, WNOHANG);
		if (r == d->pid)
			break;
		if (r < 0) {
			d->pid = 0;
			return -errno;
		}
		if (mono_ms() > deadline) {
			kill(d->pid, SIGKILL);
			waitpid(d->pid, &d->status, 0);
			d->pid = 0;
			return -ETIMEDOUT;
		}
		usleep(10000);
	}
	d->pid = 0;
	if (WIFEXITED(d->status))
		return WEXITSTATUS(d->status);
	return 128 + WTERMSIG(d->status);
}

void leapiod_dump_log(struct leapiod *d, FILE *f)
{
	char line[256];
	long size;
	FILE *in;

	if (d->remote) {
		char val[64];

		/* The agent's copy, as it is now. */
		if (card_vm_call("log", val, sizeof(val)))
			return;
		snprintf(d->log, sizeof(d->log), "%s", card_vm_log_path());
	}
	if (!d->log[0])
		return;
	in = fopen(d->log, "r");
	if (!in)
		return;
	/* The last 4 KiB is where the reason is. */
	if (!fseek(in, 0, SEEK_END)) {
		size = ftell(in);
		fseek(in, size > 4096 ? size - 4096 : 0, SEEK_SET);
	}
	fprintf(f, "# ---- leapiod log (%s) ----\n", d->log);
	while (fgets(line, sizeof(line), in))
		fprintf(f, "# %s%s", line, strchr(line, '\n') ? "" : "\n");
	fclose(in);
}

int leapiod_log_count(const struct leapiod *d, const char *s)
{
	char line[1024];
	int n = 0;
	FILE *f = fopen(d->log, "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, s) != NULL;
	fclose(f);
	return n;
}

bool leapiod_log_has(const struct leapiod *d, const char *s)
{
	return leapiod_log_count(d, s) > 0;
}

int leapiod_log_wait_n(const struct leapiod *d, const char *s, int n,
		       int timeout_ms)
{
	int64_t t0 = mono_ms();

	while (leapiod_log_count(d, s) < n) {
		if (mono_ms() - t0 > timeout_ms)
			return -ETIMEDOUT;
		usleep(10000);
	}
	return 0;
}

int leapiod_log_wait(const struct leapiod *d, const char *s, int timeout_ms)
{
	return leapiod_log_wait_n(d, s, 1, timeout_ms);
}

int leapiod_exit_code(struct leapiod *d)
{
	int i;

	for (i = 0; i < LEAPIOD_TIMEOUT_MS / 10 && leapiod_alive(d); i++)
		usleep(10000);
	if (d->pid)
		return -ETIMEDOUT;
	return WIFEXITED(d->status) ? WEXITSTATUS(d->status) : -EINTR;
}

/* The state directory and its files (no subdirectories). */
static void rm_state(const char *dir)
{
	char path[320];
	struct dirent *e;
	DIR *dd = opendir(dir);

	if (!dd)
		return;
	while ((e = readdir(dd)))
		if (e->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	closedir(dd);
	rmdir(dir);
}

void leapiod_fini(struct leapiod *d)
{
	if (d->pid)
		leapiod_stop(d, SIGKILL);
	if (d->log[0] && !d->remote)
		unlink(d->log);
	if (d->config[0])
		unlink(d->config);
	if (d->state[0])
		rm_state(d->state);
	d->log[0] = d->config[0] = d->state[0] = 0;
}
