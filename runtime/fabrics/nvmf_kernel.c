// SPDX-License-Identifier: GPL-2.0
/*
 * Connections through the kernel's NVMe-oF initiator, made with libnvme:
 * nvmf_add_ctrl() writes the options to /dev/nvme-fabrics and the kernel
 * does the rest (the transport, keep-alive, reconnecting for
 * ctrl_loss_tmo, multipath, TLS and DH-HMAC-CHAP where it has them). The
 * namespace is then found by walking libnvme's view of sysfs.
 *
 * The card's arm64 leapiod is linked statically without libnvme
 * (LIO_NO_LIBNVME): it has no remote drives, and says so.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nvmf.h"

#ifdef LIO_NO_LIBNVME

static int none_connect(const struct lio_nvmf_cfg *cfg __attribute__((unused)),
			char *ctrl __attribute__((unused)),
			size_t len __attribute__((unused)),
			bool *owned __attribute__((unused)), char *err, size_t errlen)
{
	snprintf(err, errlen, "this leapiod was built without libnvme: it serves "
		 "no remote drives");
	return -EOPNOTSUPP;
}

static int none_find_ns(const char *ctrl __attribute__((unused)),
			uint32_t nsid __attribute__((unused)),
			char *dev __attribute__((unused)),
			size_t len __attribute__((unused)),
			char *err __attribute__((unused)),
			size_t errlen __attribute__((unused)))
{
	return -EOPNOTSUPP;
}

static int none_disconnect(const char *ctrl __attribute__((unused)))
{
	return -EOPNOTSUPP;
}

const struct lio_nvmf_ops lio_nvmf_kernel_ops = {
	.connect	= none_connect,
	.find_ns	= none_find_ns,
	.disconnect	= none_disconnect,
	.state		= lio_nvmf_ctrl_state,
};

#else

#include <fcntl.h>
#include <libnvme.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/state_dir.h"

/* How long the kernel's namespace scan may take after a connect. */
#define LIO_NS_WAIT_MS		10000
#define LIO_NS_POLL_MS		20

/*
 * leapiod's own host NQN and ID when /etc/nvme has none: made once and
 * kept in its state directory (systemd's StateDirectory=, else
 * /var/lib/leapio), so that a target's allowed-hosts list keeps working
 * across restarts.
 */
static int state_file(const char *name, char *val, size_t len,
		      int (*make)(char *val, size_t len))
{
	const char *dir = lio_state_dir();
	char path[512], tmp[520];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (f) {
		ret = fgets(val, (int)len, f) ? 0 : -EIO;
		fclose(f);
		val[strcspn(val, "\n")] = 0;
		if (!ret && *val)
			return 0;
	}
	ret = make(val, len);
	if (ret)
		return ret;
	/* Not kept is not fatal: the connection works, said once. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (lio_state_dir_make() || !(f = fopen(tmp, "we")) ||
	    fprintf(f, "%s\n", val) < 0 || fclose(f) || rename(tmp, path))
		lio_log("%s %s could not be kept in %s (%m): it changes when "
			"leapiod restarts; create /etc/nvme/%s (nvme gen-hostnqn) "
			"or give backend.fabric.%s", name, val, dir, name, name);
	return 0;
}

static int random_uuid(char *val, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/uuid", "re");
	int ret;

	if (!f)
		return -errno;
	ret = fgets(val, (int)len, f) ? 0 : -EIO;
	fclose(f);
	val[strcspn(val, "\n")] = 0;
	return ret;
}

static int make_hostnqn(char *val, size_t len)
{
	char *gen = nvmf_hostnqn_generate();
	char uuid[40];
	int ret;

	if (gen) {
		snprintf(val, len, "%s", gen);
		free(gen);
		return 0;
	}
	ret = random_uuid(uuid, sizeof(uuid));
	if (!ret)
		snprintf(val, len, "nqn.2014-08.org.nvmexpress:uuid:%s", uuid);
	return ret;
}

static int host_ids(const struct lio_nvmf_opts *o, char *nqn, size_t nqnlen,
		    char *id, size_t idlen, char *err, size_t errlen)
{
	char *f;
	int ret;

	if (o->hostnqn[0]) {
		snprintf(nqn, nqnlen, "%s", o->hostnqn);
	} else if ((f = nvmf_hostnqn_from_file())) {
		snprintf(nqn, nqnlen, "%s", f);
		free(f);
	} else {
		ret = state_file("hostnqn", nqn, nqnlen, make_hostnqn);
		if (ret) {
			snprintf(err, errlen, "no host NQN: /etc/nvme/hostnqn is missing "
				 "and leapiod's own could not be kept (%s): give "
				 "backend.fabric.hostnqn", strerror(-ret));
			return ret;
		}
	}
	if (o->hostid[0]) {
		snprintf(id, idlen, "%s", o->hostid);
	} else if ((f = nvmf_hostid_from_file())) {
		snprintf(id, idlen, "%s", f);
		free(f);
	} else {
		ret = state_file("hostid", id, idlen, random_uuid);
		if (ret) {
			snprintf(err, errlen, "no host ID: /etc/nvme/hostid is missing "
				 "and leapiod's own could not be kept (%s): give "
				 "backend.fabric.hostid", strerror(-ret));
			return ret;
		}
	}
	return 0;
}

/* The controller called name in a fresh scan of the topology. */
static nvme_ctrl_t ctrl_by_name(nvme_root_t r, const char *name)
{
	nvme_subsystem_t s;
	nvme_host_t h;
	nvme_ctrl_t c;

	nvme_for_each_host(r, h)
		nvme_for_each_subsystem(h, s)
			nvme_subsystem_for_each_ctrl(s, c)
				if (!strcmp(nvme_ctrl_get_name(c), name))
					return c;
	return NULL;
}

/* A live controller of this host to this subsystem there, made before. */
static nvme_ctrl_t ctrl_existing(nvme_root_t r, const struct lio_nvmf_cfg *cfg,
				 const char *hostnqn)
{
	const struct lio_nvmf_target *t = &cfg->target;
	nvme_subsystem_t s;
	nvme_host_t h;
	nvme_ctrl_t c;

	nvme_for_each_host(r, h) {
		if (strcmp(nvme_host_get_hostnqn(h), hostnqn))
			continue;
		nvme_for_each_subsystem(h, s)
			nvme_subsystem_for_each_ctrl(s, c) {
				const char *tr = nvme_ctrl_get_transport(c);
				const char *a = nvme_ctrl_get_traddr(c);
				const char *p = nvme_ctrl_get_trsvcid(c);
				const char *n = nvme_ctrl_get_subsysnqn(c);

				if (tr && a && p && n && !strcmp(tr, t->transport) &&
				    !strcmp(a, t->traddr) && !strcmp(p, t->trsvcid) &&
				    !strcmp(n, t->subsysnqn))
					return c;
			}
	}
	return NULL;
}

/* libnvme's words on a failed connect, from its log, one line. */
static void last_words(char *log, size_t loglen, char *out, size_t outlen)
{
	char *line, *end;

	out[0] = 0;
	if (!log || !loglen)
		return;
	while (loglen && (log[loglen - 1] == '\n' || log[loglen - 1] == ' '))
		log[--loglen] = 0;
	line = strrchr(log, '\n');
	line = line ? line + 1 : log;
	end = line + strcspn(line, "\n");
	snprintf(out, outlen, " (%.*s)", (int)(end - line), line);
}

/*
 * The kernel refused a connection without saying why in its answer (the
 * target's Connect status goes to the kernel's log; user space sees
 * EIO): ask the target's discovery subsystem whether it offers the
 * subsystem to this host at all, for a sentence that says which. Empty
 * when discovery says nothing useful either.
 */
static void diagnose(nvme_root_t r, nvme_host_t h, const struct lio_nvmf_cfg *cfg,
		     const char *hostnqn, char *why, size_t len)
{
	const struct lio_nvmf_target *t = &cfg->target;
	const struct lio_nvmf_opts *o = &cfg->opts;
	struct nvmf_discovery_log *log = NULL;
	struct nvme_fabrics_config fc;
	size_t off = 0;
	uint64_t i, n;
	nvme_ctrl_t d;
	bool offered = false;

	why[0] = 0;
	d = nvme_create_ctrl(r, NVME_DISC_SUBSYS_NAME, t->transport, t->traddr,
			     o->host_traddr[0] ? o->host_traddr : NULL,
			     o->host_iface[0] ? o->host_iface : NULL, t->trsvcid);
	if (!d)
		return;
	nvmf_default_config(&fc);
	fc.tls = o->tls;
	if (nvmf_add_ctrl(h, d, &fc))
		return;
	if (!nvmf_get_discovery_log(d, &log, 2) && log) {
		n = le64toh(log->numrec);
		for (i = 0; i < n; i++)
			offered |= !strcmp(log->entries[i].subnqn, t->subsysnqn);
		if (offered) {
			snprintf(why, len, "the target offers %s but refused this host "
				 "(%s): not on its list of allowed hosts, or its "
				 "authentication failed (the kernel's log says which)",
				 t->subsysnqn, hostnqn);
		} else {
			off = (size_t)snprintf(why, len, "the target at %s:%s has no "
					       "subsystem %s for this host (it offers:",
					       t->traddr, t->trsvcid, t->subsysnqn);
			for (i = 0; i < n && off < len; i++)
				if (log->entries[i].subtype == NVME_NQN_NVME)
					off += (size_t)snprintf(why + off, len - off, " %.*s",
								NVME_NQN_LENGTH,
								log->entries[i].subnqn);
			if (off < len)
				snprintf(why + off, len - off, "%s)", n ? "" : " nothing");
		}
	}
	free(log);
	nvme_disconnect_ctrl(d);
}

static int kernel_connect(const struct lio_nvmf_cfg *cfg, char *ctrl, size_t len,
			  bool *owned, char *err, size_t errlen)
{
	const struct lio_nvmf_target *t = &cfg->target;
	const struct lio_nvmf_opts *o = &cfg->opts;
	char hostnqn[LIO_NQN_MAX + 1], hostid[40], words[200], why[1024];
	struct nvme_fabrics_config fc;
	char *log = NULL;
	size_t loglen = 0;
	nvme_root_t r;
	nvme_host_t h;
	nvme_ctrl_t c;
	FILE *fp;
	int ret, e;

	ret = host_ids(o, hostnqn, sizeof(hostnqn), hostid, sizeof(hostid), err, errlen);
	if (ret)
		return ret;
	fp = open_memstream(&log, &loglen);
	if (!fp) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r = nvme_create_root(fp, LOG_NOTICE);
	if (!r) {
		fclose(fp);
		free(log);
		snprintf(err, errlen, "libnvme: %s", strerror(errno));
		return -ENOMEM;
	}
	h = nvme_lookup_host(r, hostnqn, hostid);
	c = h ? nvme_create_ctrl(r, t->subsysnqn, t->transport, t->traddr,
				 o->host_traddr[0] ? o->host_traddr : NULL,
				 o->host_iface[0] ? o->host_iface : NULL,
				 t->trsvcid) : NULL;
	if (!c) {
		ret = -ENOMEM;
		snprintf(err, errlen, "libnvme could not describe the controller");
		goto out;
	}
	if (o->dhchap_secret[0])
		nvme_host_set_dhchap_key(h, o->dhchap_secret);
	if (o->dhchap_ctrl_secret[0])
		nvme_ctrl_set_dhchap_key(c, o->dhchap_ctrl_secret);
	nvmf_default_config(&fc);
	fc.ctrl_loss_tmo = o->ctrl_loss_tmo != LIO_NVMF_UNSET ? o->ctrl_loss_tmo :
			   LIO_NVMF_DEFAULT_CTRL_LOSS_TMO;
	fc.reconnect_delay = o->reconnect_delay != LIO_NVMF_UNSET ? o->reconnect_delay :
			     LIO_NVMF_DEFAULT_RECONNECT_DELAY;
	if (o->nr_io_queues != LIO_NVMF_UNSET)
		fc.nr_io_queues = o->nr_io_queues;
	if (o->keep_alive_tmo != LIO_NVMF_UNSET)
		fc.keep_alive_tmo = o->keep_alive_tmo;
	fc.tls = o->tls;
	if (!nvmf_add_ctrl(h, c, &fc)) {
		snprintf(ctrl, len, "%s", nvme_ctrl_get_name(c));
		*owned = true;
		ret = 0;
		goto out;
	}
	e = errno;
	if (e == ENVME_CONNECT_ALREADY) {
		/* Made by someone else (nvme connect): use it, leave it. */
		nvme_free_tree(r);
		r = nvme_scan(NULL);
		c = r ? ctrl_existing(r, cfg, hostnqn) : NULL;
		if (c) {
			snprintf(ctrl, len, "%s", nvme_ctrl_get_name(c));
			*owned = false;
			ret = 0;
			goto out;
		}
	}
	fflush(fp);
	last_words(log, loglen, words, sizeof(words));
	switch (e) {
	case ENVME_CONNECT_OPEN:
		ret = -ENODEV;
		snprintf(err, errlen, "cannot open /dev/nvme-fabrics: load the "
			 "nvme-%s module%s", t->transport, words);
		break;
	case ENVME_CONNECT_CONNREFUSED:
		ret = -ECONNREFUSED;
		snprintf(err, errlen, "%s:%s refused the connection: is an NVMe-oF "
			 "target listening there over %s?%s", t->traddr, t->trsvcid,
			 t->transport, words);
		break;
	case ENVME_CONNECT_INVAL:
		ret = -EINVAL;
		snprintf(err, errlen, "the kernel refused the connection's options "
			 "for %s at %s:%s over %s (one it does not take?)%s",
			 t->subsysnqn, t->traddr, t->trsvcid, t->transport, words);
		break;
	case ENVME_CONNECT_WRITE:
		/* EIO: the target answered Connect with an error. */
		diagnose(r, h, cfg, hostnqn, why, sizeof(why));
		if (why[0]) {
			ret = -ENOENT;
			snprintf(err, errlen, "%s", why);
			break;
		}
		/* fall through */
	default:
		ret = -EHOSTUNREACH;
		snprintf(err, errlen, "connecting to %s at %s:%s over %s failed: %s%s",
			 t->subsysnqn, t->traddr, t->trsvcid, t->transport,
			 e >= ENVME_CONNECT_RESOLVE ? nvme_errno_to_string(e) :
			 strerror(e), words);
	}
out:
	if (r)
		nvme_free_tree(r);
	fclose(fp);
	free(log);
	return ret;
}

/* The NSIDs the controller reports active, into a sentence. */
static int active_nsids(const char *ctrl, uint32_t nsid, char *list, size_t len)
{
	struct nvme_ns_list *l;
	char path[64];
	size_t off = 0;
	bool found = false;
	int fd, ret, i;

	snprintf(path, sizeof(path), "/dev/%s", ctrl);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	l = aligned_alloc(4096, sizeof(*l));
	if (!l) {
		close(fd);
		return -ENOMEM;
	}
	ret = nvme_identify_active_ns_list(fd, 0, l);
	close(fd);
	if (ret) {
		free(l);
		return ret < 0 ? -errno : -EIO;
	}
	list[0] = 0;
	for (i = 0; i < 1024 && l->ns[i]; i++) {
		uint32_t n = le32toh(l->ns[i]);

		found |= n == nsid;
		if (off < len)
			off += (size_t)snprintf(list + off, len - off, "%s%u",
						i ? ", " : "", n);
	}
	free(l);
	return found ? 0 : -ENOENT;
}

static int kernel_find_ns(const char *ctrl, uint32_t nsid, char *dev, size_t len,
			  char *err, size_t errlen)
{
	struct timespec ts = { 0, LIO_NS_POLL_MS * 1000000L };
	char list[128];
	nvme_subsystem_t s;
	nvme_root_t r;
	nvme_ctrl_t c;
	nvme_ns_t n;
	nvme_path_t p;
	int ret, waited;

	ret = active_nsids(ctrl, nsid, list, sizeof(list));
	if (ret == -ENOENT) {
		snprintf(err, errlen, "the subsystem has no namespace %u (%s has %s)",
			 nsid, ctrl, list[0] ? list : "none");
		return ret;
	}
	if (ret) {
		snprintf(err, errlen, "%s: Identify (active namespaces) failed: %s",
			 ctrl, ret == -EIO ? "NVMe error" : strerror(-ret));
		return ret;
	}
	/* Active: its device comes with the kernel's scan, soon. */
	for (waited = 0; waited <= LIO_NS_WAIT_MS; waited += LIO_NS_POLL_MS) {
		const char *g = NULL;

		r = nvme_scan(NULL);
		c = r ? ctrl_by_name(r, ctrl) : NULL;
		if (c) {
			nvme_ctrl_for_each_ns(c, n)
				if ((uint32_t)nvme_ns_get_nsid(n) == nsid)
					g = nvme_ns_get_generic_name(n);
			/* Multipath: the namespace is the subsystem's. */
			nvme_ctrl_for_each_path(c, p) {
				n = nvme_path_get_ns(p);
				if (!g && n && (uint32_t)nvme_ns_get_nsid(n) == nsid)
					g = nvme_ns_get_generic_name(n);
			}
			s = nvme_ctrl_get_subsystem(c);
			if (!g && s)
				nvme_subsystem_for_each_ns(s, n)
					if ((uint32_t)nvme_ns_get_nsid(n) == nsid)
						g = nvme_ns_get_generic_name(n);
		}
		if (g)
			snprintf(dev, len, "/dev/%s", g);
		if (r)
			nvme_free_tree(r);
		if (g && !access(dev, F_OK))
			return 0;
		nanosleep(&ts, NULL);
	}
	snprintf(err, errlen, "%s: namespace %u is active but its generic device "
		 "(/dev/ngXnY) did not appear within %d s", ctrl, nsid,
		 LIO_NS_WAIT_MS / 1000);
	return -ETIMEDOUT;
}

static int kernel_disconnect(const char *ctrl)
{
	nvme_root_t r = nvme_scan(NULL);
	nvme_ctrl_t c = r ? ctrl_by_name(r, ctrl) : NULL;
	int ret = c ? nvme_disconnect_ctrl(c) : -ENOENT;

	if (ret)
		lio_log("%s: disconnecting it failed: %s", ctrl,
			ret < 0 && c ? strerror(errno) : "no such controller");
	else
		lio_log("%s: disconnected", ctrl);
	if (r)
		nvme_free_tree(r);
	return ret;
}

const struct lio_nvmf_ops lio_nvmf_kernel_ops = {
	.connect	= kernel_connect,
	.find_ns	= kernel_find_ns,
	.disconnect	= kernel_disconnect,
	.state		= lio_nvmf_ctrl_state,
};

#endif /* LIO_NO_LIBNVME */
