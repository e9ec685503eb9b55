// SPDX-License-Identifier: GPL-2.0
/* The kernel's NVMe-oF target for the tests: see nvmet.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mdev_sysfs.h"
#include "nvmet.h"

#define CFS	"/sys/kernel/config/nvmet"

static int say(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int say(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

/* sh -c script; its exit status, or -errno. */
static int sh(const char *script)
{
	int st = system(script);

	if (st < 0)
		return -errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

int nvmet_net_up(const char *transport, char *err, size_t errlen)
{
	bool rdma = !strcmp(transport, "rdma");
	int ret;

	ret = sh(rdma ? "modprobe -q nvmet-rdma && modprobe -q nvme-rdma && "
		 "modprobe -q rdma_rxe" :
		 "modprobe -q nvmet-tcp && modprobe -q nvme-tcp");
	if (ret)
		return say(err, errlen, -ENOENT, "modprobe of the %s target and "
			   "initiator failed", transport);
	if (access(CFS, F_OK) &&
	    mount("configfs", "/sys/kernel/config", "configfs", 0, NULL) &&
	    errno != EBUSY)
		return say(err, errlen, -errno, "mount configfs: %m");
	if (access(CFS, F_OK))
		return say(err, errlen, -ENOENT, CFS " missing (nvmet not loaded?)");
	/* Idempotent: a test binary after another finds it made. */
	ret = sh("command -v ip >/dev/null || exit 3; "
		 "[ -e /run/netns/" NVMET_NETNS " ] && exit 0; set -e; "
		 "ip netns add " NVMET_NETNS "; "
		 "ip link add lio-h type veth peer name lio-t netns " NVMET_NETNS "; "
		 "ip addr add " NVMET_HOST_ADDR "/24 dev lio-h; ip link set lio-h up; "
		 "ip -n " NVMET_NETNS " addr add " NVMET_TCP_ADDR "/24 dev lio-t; "
		 "ip -n " NVMET_NETNS " link set lio-t up; "
		 "ip -n " NVMET_NETNS " link set lo up");
	if (ret == 3)
		return say(err, errlen, -ENOENT, "no ip command (iproute2)");
	if (ret)
		return say(err, errlen, -EIO, "setting up the veth pair failed (%d)", ret);
	if (rdma) {
		ret = sh("command -v rdma >/dev/null || exit 3; "
			 "rdma link show lio-rxe/1 >/dev/null 2>&1 || "
			 "rdma link add lio-rxe type rxe netdev lio-h");
		if (ret == 3)
			return say(err, errlen, -ENOENT, "no rdma command (iproute2)");
		if (ret)
			return say(err, errlen, -EIO, "rdma link add lio-rxe failed (%d)", ret);
	}
	return 0;
}

static int cfs_write(const char *dir, const char *attr, const char *val)
{
	char path[320];

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	return sysfs_write(path, val);
}

/* Run fn in the target's network namespace (the TCP port's socket). */
static int in_netns(int (*fn)(struct nvmet_export *e), struct nvmet_export *e)
{
	int self, tgt, ret, back;

	if (strcmp(e->transport, "tcp"))
		return fn(e);
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	tgt = open("/run/netns/" NVMET_NETNS, O_RDONLY | O_CLOEXEC);
	if (self < 0 || tgt < 0 || setns(tgt, CLONE_NEWNET)) {
		ret = -errno;
		goto out;
	}
	ret = fn(e);
	back = setns(self, CLONE_NEWNET);
	if (back && !ret)
		ret = -errno;
out:
	if (self >= 0)
		close(self);
	if (tgt >= 0)
		close(tgt);
	return ret;
}

static int do_link(struct nvmet_export *e)
{
	char from[256], to[256];

	snprintf(from, sizeof(from), CFS "/subsystems/%s", e->nqn);
	snprintf(to, sizeof(to), CFS "/ports/%u/subsystems/%s", e->port, e->nqn);
	return symlink(from, to) ? -errno : 0;
}

int nvmet_link(struct nvmet_export *e)
{
	int ret = in_netns(do_link, e);

	if (!ret)
		e->linked = true;
	return ret;
}

int nvmet_unlink(struct nvmet_export *e)
{
	char to[256];

	snprintf(to, sizeof(to), CFS "/ports/%u/subsystems/%s", e->port, e->nqn);
	if (unlink(to))
		return -errno;
	e->linked = false;
	return 0;
}

int nvmet_export(struct nvmet_export *e, const char *transport, const char *dev,
		 char *err, size_t errlen)
{
	static unsigned int seq;
	char dir[256], val[16];
	int ret;

	memset(e, 0, sizeof(*e));
	snprintf(e->transport, sizeof(e->transport), "%s", transport);
	snprintf(e->nqn, sizeof(e->nqn), "nqn.2026-12.io.leapio.ksft:%d-%u",
		 (int)getpid(), seq);
	/* Port ids and TCP ports of this process's own. */
	e->port = 1 + ((unsigned int)getpid() * 8 + seq) % 30000;
	seq++;
	snprintf(e->trsvcid, sizeof(e->trsvcid), "%u", 4420 + e->port);
	snprintf(e->traddr, sizeof(e->traddr), "%s",
		 strcmp(transport, "rdma") ? NVMET_TCP_ADDR : NVMET_HOST_ADDR);
	snprintf(dir, sizeof(dir), CFS "/subsystems/%s", e->nqn);
	if (mkdir(dir, 0755))
		return say(err, errlen, -errno, "mkdir %s: %m", dir);
	e->subsys = true;
	ret = cfs_write(dir, "attr_allow_any_host", "1");
	if (ret)
		return say(err, errlen, ret, "%s: attr_allow_any_host: %s", e->nqn,
			   strerror(-ret));
	snprintf(dir, sizeof(dir), CFS "/subsystems/%s/namespaces/1", e->nqn);
	if (mkdir(dir, 0755))
		return say(err, errlen, -errno, "mkdir %s: %m", dir);
	e->ns = true;
	ret = cfs_write(dir, "device_path", dev);
	if (!ret)
		ret = cfs_write(dir, "enable", "1");
	if (ret)
		return say(err, errlen, ret, "namespace 1 on %s: %s", dev, strerror(-ret));
	snprintf(dir, sizeof(dir), CFS "/ports/%u", e->port);
	if (mkdir(dir, 0755))
		return say(err, errlen, -errno, "mkdir %s: %m", dir);
	e->port_made = true;
	snprintf(val, sizeof(val), "%s", transport);
	ret = cfs_write(dir, "addr_trtype", val);
	if (!ret)
		ret = cfs_write(dir, "addr_adrfam", "ipv4");
	if (!ret)
		ret = cfs_write(dir, "addr_traddr", e->traddr);
	if (!ret)
		ret = cfs_write(dir, "addr_trsvcid", e->trsvcid);
	if (ret)
		return say(err, errlen, ret, "port %u: %s", e->port, strerror(-ret));
	ret = nvmet_link(e);
	if (ret)
		return say(err, errlen, ret, "enabling port %u (%s %s:%s): %s", e->port,
			   transport, e->traddr, e->trsvcid, strerror(-ret));
	snprintf(e->uri, sizeof(e->uri), "nvme+%s://%s:%s/%s/1", transport, e->traddr,
		 e->trsvcid, e->nqn);
	return 0;
}

void nvmet_unexport(struct nvmet_export *e)
{
	char dir[256];

	if (e->linked)
		nvmet_unlink(e);
	if (e->port_made) {
		snprintf(dir, sizeof(dir), CFS "/ports/%u", e->port);
		rmdir(dir);
		e->port_made = false;
	}
	if (e->ns) {
		snprintf(dir, sizeof(dir), CFS "/subsystems/%s/namespaces/1", e->nqn);
		cfs_write(dir, "enable", "0");
		rmdir(dir);
		e->ns = false;
	}
	if (e->subsys) {
		snprintf(dir, sizeof(dir), CFS "/subsystems/%s", e->nqn);
		rmdir(dir);
		e->subsys = false;
	}
}

/* How many of this host's controllers are connected to nqn; the first one's state. */
static int for_each_ctrl(const char *nqn, char *state, size_t len)
{
	struct dirent *de;
	char path[300], buf[128];
	int n = 0;
	DIR *d;

	d = opendir("/sys/class/nvme");
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "nvme", 4))
			continue;
		snprintf(path, sizeof(path), "/sys/class/nvme/%s/subsysnqn", de->d_name);
		if (sysfs_read(path, buf, sizeof(buf)) < 0)
			continue;
		buf[strcspn(buf, "\n")] = 0;
		if (strcmp(buf, nqn))
			continue;
		if (!n++ && state) {
			snprintf(path, sizeof(path), "/sys/class/nvme/%s/state", de->d_name);
			if (sysfs_read(path, state, len) >= 0)
				state[strcspn(state, "\n")] = 0;
		}
	}
	closedir(d);
	return n;
}

int nvmet_host_ctrls(const char *nqn)
{
	return for_each_ctrl(nqn, NULL, 0);
}

int nvmet_host_ctrl_state(const char *nqn, char *buf, size_t len)
{
	buf[0] = 0;
	return for_each_ctrl(nqn, buf, len);
}
