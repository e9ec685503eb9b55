// SPDX-License-Identifier: GPL-2.0
/*
 * leapiod: read the configuration, start the pollers, give them their
 * vdevs, then wait for signals in the main thread (every signal is
 * blocked before the pollers start, so they inherit the mask and only
 * signalfd here ever takes one). SIGHUP reloads and applies the
 * difference; SIGINT and SIGTERM drain and exit 0. The control socket,
 * when asked for, is served from the same loop: its changes are applied
 * as a reload's are (apply()).
 */
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "config/args.h"
#include "control/methods.h"
#include "control/server.h"
#include "service/notify.h"
#include "core/runtime.h"
#include "card/card.h"
#include "host/host_dev.h"

#define EXIT_USAGE	2

struct leapiod {
	struct lio_args		args;
	/* The platform the pollers serve through (host or card mode). */
	const struct lio_plat	*plat;
	void			*plat_ctx;
	struct lio_card_dev	card_dev;
	struct lio_card		*card;
	/* What runs: the pollers started and the vdevs they serve now,
	 * which after a partly failed reload is not the file's content.
	 */
	struct lio_config	applied;
	struct lio_poller	**pollers;
	unsigned int		nr_pollers;
	struct lio_ctl		*ctl;		/* the control socket, or NULL */
	gid_t			ctl_gid;	/* --control-group's, or -1 */
	/* What the control socket's methods see of leapiod (open_control). */
	struct lio_ctl_host	ctl_host;
	struct lio_rpc_table	ctl_table;
	struct lio_svc		svc;		/* the service manager's side */
};

/*
 * A vdev's change failed: said in the log, and the first failure kept
 * in why (when given) for whoever asked, a control request.
 */
static void vdev_fail(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void vdev_fail(char *why, size_t whylen, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	lio_log("%s", line);
	if (why && whylen && !why[0])
		snprintf(why, whylen, "%s", line);
}

static int start_pollers(struct leapiod *d, const struct lio_config *c)
{
	struct lio_poller **np;
	char err[256];
	unsigned int i;
	int ret;

	if (c->nr_pollers <= d->nr_pollers)
		return 0;
	np = realloc(d->pollers, c->nr_pollers * sizeof(*np));
	if (!np) {
		lio_log("out of memory");
		return -ENOMEM;
	}
	d->pollers = np;
	for (i = d->nr_pollers; i < c->nr_pollers; i++) {
		ret = lio_poller_start(&c->pollers[i], d->plat, d->plat_ctx, i,
				       &d->pollers[i], err, sizeof(err));
		if (ret) {
			lio_log("poller %u: %s", i, err);
			return ret;
		}
		d->nr_pollers = i + 1;
		lio_dbg("poller %u started (cpu %d, spin %u us, idle poll %u us)", i,
			c->pollers[i].cpu, c->pollers[i].spin_us, c->pollers[i].idle_poll_us);
	}
	return 0;
}

static void describe_bdev(const struct lio_bdev_cfg *b, char *buf, size_t len)
{
	char size[32] = "all";

	if (b->size)
		snprintf(size, sizeof(size), "%llu", (unsigned long long)b->size);
	snprintf(buf, len, "%s%s%s, offset %llu, size %s%s",
		 lio_bdev_type_name(b->type), b->path[0] ? " " : "", b->path,
		 (unsigned long long)b->offset, size, b->readonly ? ", readonly" : "");
}

static void describe(const struct lio_vdev_cfg *v, char *buf, size_t len)
{
	char bdev[LIO_NVMF_URI_MAX + 96];

	describe_bdev(&v->bdev, bdev, sizeof(bdev));
	snprintf(buf, len, "%s, poller %u", bdev, v->poller);
}

/* Where each namespace besides NSID 1 has its data, a line each. */
static void log_namespaces(const struct lio_vdev_cfg *v)
{
	char desc[LIO_NVMF_URI_MAX + 96];
	unsigned int i;

	for (i = 0; i < v->nr_ns; i++) {
		describe_bdev(&v->ns[i].bdev, desc, sizeof(desc));
		lio_log("vdev %s: namespace %u: %s", v->uuid, v->ns[i].nsid, desc);
	}
}

/*
 * A remote drive's connection is made here, in the main thread, before
 * its poller sees it: connecting can take seconds, which would stall
 * every other vdev of the poller. On success cfg->nvmf names the
 * controller and device; lio_nvmf_put() lets it go.
 */
static int connect_remote(struct lio_bdev_cfg *b, const char *uuid,
			  char *why, size_t whylen)
{
	char err[512];
	int ret;

	if (b->type != LIO_BDEV_NVMF)
		return 0;
	ret = lio_nvmf_get(&b->nvmf, err, sizeof(err));
	if (ret) {
		vdev_fail(why, whylen, "vdev %s: %s: %s", uuid, b->path, err);
		return ret;
	}
	lio_log("vdev %s: %s is %s on controller %s", uuid, b->path,
		b->nvmf.dev, b->nvmf.ctrl);
	return 0;
}

static void disconnect_remote(const struct lio_bdev_cfg *b)
{
	if (b->type == LIO_BDEV_NVMF)
		lio_nvmf_put(&b->nvmf);
}

/* Every remote backend of the vdev: NSID 1's and its namespaces'. */
static int connect_vdev(struct lio_vdev_cfg *v, char *why, size_t whylen)
{
	unsigned int i;
	int ret = connect_remote(&v->bdev, v->uuid, why, whylen);

	for (i = 0; !ret && i < v->nr_ns; i++) {
		ret = connect_remote(&v->ns[i].bdev, v->uuid, why, whylen);
		if (!ret)
			continue;
		while (i--)
			disconnect_remote(&v->ns[i].bdev);
		disconnect_remote(&v->bdev);
	}
	return ret;
}

static void disconnect_vdev(const struct lio_vdev_cfg *v)
{
	unsigned int i;

	disconnect_remote(&v->bdev);
	for (i = 0; i < v->nr_ns; i++)
		disconnect_remote(&v->ns[i].bdev);
}

/*
 * A remote backend of v whose controller the kernel gave up, or NULL.
 * Namespaces' first: re-attaching for one of them connects NSID 1 anew
 * too, while an update connects every backend but swaps NSID 1's only.
 */
static const struct lio_bdev_cfg *given_up(const struct lio_vdev_cfg *v)
{
	unsigned int i;

	for (i = 0; i < v->nr_ns; i++)
		if (v->ns[i].bdev.type == LIO_BDEV_NVMF &&
		    lio_nvmf_given_up(&v->ns[i].bdev.nvmf))
			return &v->ns[i].bdev;
	if (v->bdev.type == LIO_BDEV_NVMF && lio_nvmf_given_up(&v->bdev.nvmf))
		return &v->bdev;
	return NULL;
}

static int add_vdev(struct leapiod *d, const struct lio_vdev_cfg *cfg, const char *where,
		    char *why, size_t whylen)
{
	char err[512], desc[LIO_NVMF_URI_MAX + 128];
	struct lio_vdev_cfg v = *cfg;
	int ret;

	ret = connect_vdev(&v, why, whylen);
	if (ret)
		return ret;
	ret = lio_poller_add_vdev(d->pollers[v.poller], &v, err, sizeof(err));
	if (ret) {
		vdev_fail(why, whylen, "vdev %s: %s", v.uuid, err);
		disconnect_vdev(&v);
		return ret;
	}
	describe(&v, desc, sizeof(desc));
	lio_log("vdev %s: added: %s", v.uuid, desc);
	log_namespaces(&v);
	ret = lio_config_append(&d->applied, &v, where);
	if (ret) {
		lio_poller_remove_vdev(d->pollers[v.poller], v.uuid);
		disconnect_vdev(&v);
	}
	return ret;
}

static void remove_vdev(struct leapiod *d, const char *uuid)
{
	int i = lio_config_find(&d->applied, uuid);
	int ret;

	if (i < 0)
		return;
	ret = lio_poller_remove_vdev(d->pollers[d->applied.vdevs[i].poller], uuid);
	if (ret)
		lio_log("vdev %s: removing it: %s", uuid, strerror(-ret));
	else
		lio_log("vdev %s: removed", uuid);
	disconnect_vdev(&d->applied.vdevs[i]);
	lio_config_drop(&d->applied, (unsigned int)i);
}

static int update_vdev(struct leapiod *d, const struct lio_vdev_cfg *cfg,
		       char *why, size_t whylen)
{
	int i = lio_config_find(&d->applied, cfg->uuid);
	char err[512], desc[LIO_NVMF_URI_MAX + 128];
	struct lio_vdev_cfg v = *cfg;
	int ret;

	if (i < 0)
		return -ENOENT;
	/* The new connection first: the old backend serves until the swap. */
	ret = connect_vdev(&v, why, whylen);
	if (ret) {
		lio_log("vdev %s: new backend refused, the old one stays", v.uuid);
		return ret;
	}
	ret = lio_poller_update_vdev(d->pollers[v.poller], &v, err, sizeof(err));
	if (ret) {
		vdev_fail(why, whylen, "vdev %s: new backend refused, the old one stays: %s",
			  v.uuid, err);
		disconnect_vdev(&v);
		return ret;
	}
	disconnect_vdev(&d->applied.vdevs[i]);
	d->applied.vdevs[i] = v;
	describe(&v, desc, sizeof(desc));
	lio_log("vdev %s: backend changed: %s", v.uuid, desc);
	return 0;
}

/*
 * Run next instead of what runs (a reload, a control request): the
 * difference, one vdev at a time; a vdev that fails is said so and left
 * as it was (or out, when it could not be added), and the next reload
 * tries again. The number of changes, or -errno: refused whole (nothing
 * changed), or the first change that failed, with why (when given) set.
 */
static int apply(struct leapiod *d, const struct lio_config *next, const char *what,
		 char *why, size_t whylen)
{
	char (*olds)[LIO_UUID_STR_LEN + 1] = NULL;
	struct lio_change *ch = NULL;
	char err[512];
	int n, i, ret, failed = 0;

	n = lio_config_diff(&d->applied, next, &ch, err, sizeof(err));
	if (n < 0) {
		lio_log("%s: configuration refused, nothing changed: %s", what, err);
		if (why)
			snprintf(why, whylen, "%s", err);
		return n;
	}
	/* ch[].old points into applied, which the steps below edit. */
	olds = calloc(n + 1, sizeof(*olds));
	if (!olds) {
		vdev_fail(why, whylen, "%s: out of memory, nothing changed", what);
		free(ch);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (ch[i].old)
			memcpy(olds[i], ch[i].old->uuid, sizeof(olds[i]));
	if (start_pollers(d, next)) {
		vdev_fail(why, whylen, "%s: new pollers failed to start; vdevs on them stay out",
			  what);
		failed = -EIO;
	}
	lio_log("%s: %d change%s", what, n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		const struct lio_vdev_cfg *v = ch[i].new;

		ret = 0;
		switch (ch[i].kind) {
		case LIO_CHANGE_REMOVE:
			remove_vdev(d, olds[i]);
			break;
		case LIO_CHANGE_MOVE:
			remove_vdev(d, olds[i]);
			/* fall through */
		case LIO_CHANGE_ADD:
			if (v->poller >= d->nr_pollers) {
				vdev_fail(why, whylen, "vdev %s: poller %u did not start",
					  v->uuid, v->poller);
				ret = -EIO;
			} else {
				ret = add_vdev(d, v, what, why, whylen);
			}
			break;
		case LIO_CHANGE_UPDATE:
			ret = update_vdev(d, v, why, whylen);
			break;
		}
		if (ret && !failed)
			failed = ret;
	}
	/* applied keeps the pollers actually running. */
	if (d->applied.nr_pollers < d->nr_pollers) {
		struct lio_poller_cfg *np = realloc(d->applied.pollers,
						    d->nr_pollers * sizeof(*np));

		if (np) {
			memcpy(np, next->pollers, d->nr_pollers * sizeof(*np));
			d->applied.pollers = np;
			d->applied.nr_pollers = d->nr_pollers;
		}
	}
	free(olds);
	free(ch);
	return failed ? failed : n;
}

/*
 * The adopted vdevs (served from their mdevs' notes) into next, the
 * file's: kept, unless the file lists the UUID now, which makes the vdev
 * the file's. -ENOMEM.
 */
static int keep_adopted(struct leapiod *d, struct lio_config *next)
{
	unsigned int i;

	for (i = 0; i < d->applied.nr_vdevs; i++) {
		struct lio_vdev_cfg *v = &d->applied.vdevs[i];

		if (!v->adopted)
			continue;
		if (lio_config_find(next, v->uuid) >= 0)
			v->adopted = false;
		else if (lio_config_append(next, v, "adopted"))
			return -ENOMEM;
	}
	return 0;
}

/* SIGHUP: read everything again; a bad configuration changes nothing. */
static void reload(struct leapiod *d)
{
	struct lio_config next;
	char err[512];
	int i;

	if (!d->args.config) {
		lio_log("SIGHUP: no configuration file to reload (started without --config)");
		return;
	}
	if (lio_args_config(&d->args, &next, err, sizeof(err))) {
		lio_log("SIGHUP: configuration refused, nothing changed: %s", err);
		return;
	}
	if (keep_adopted(d, &next)) {
		lio_log("SIGHUP: out of memory, nothing changed");
		lio_config_free(&next);
		return;
	}
	apply(d, &next, "SIGHUP", NULL, 0);
	/*
	 * A remote drive whose controller the kernel gave up (its target
	 * stayed away past ctrl_loss_tmo) fails every command: a reload is
	 * the operator's way to have it connected anew.
	 */
	for (i = 0; i < (int)d->applied.nr_vdevs; i++) {
		struct lio_vdev_cfg v = d->applied.vdevs[i];
		const struct lio_bdev_cfg *gone = given_up(&v);
		char where[sizeof(d->applied.where[0])];

		if (!gone)
			continue;
		lio_log("vdev %s: the kernel gave controller %s up: connecting anew",
			v.uuid, gone->nvmf.ctrl);
		if (gone == &v.bdev) {
			update_vdev(d, &v, NULL, 0);
			continue;
		}
		/* Another namespace's: opened at attach, so re-attached, as
		 * a reload that changes namespaces does (it goes last).
		 */
		memcpy(where, d->applied.where[i], sizeof(where));
		remove_vdev(d, v.uuid);
		add_vdev(d, &v, where, NULL, 0);
		i--;
	}
	lio_config_free(&next);
}

/* The control socket's view of leapiod (control/methods.h). */
static const struct lio_config *ctl_running(void *d)
{
	return &((struct leapiod *)d)->applied;
}

/* STATUS= for the service manager (systemctl status shows it). */
static void say_status(struct leapiod *d, bool ready)
{
	lio_svc_status(ready, "serving %u vdev%s on %u poller%s", d->applied.nr_vdevs,
		       d->applied.nr_vdevs == 1 ? "" : "s", d->nr_pollers,
		       d->nr_pollers == 1 ? "" : "s");
}

static int ctl_stats(void *d, unsigned int poller, const char *uuid,
		     struct lio_poller_stats *st, struct lio_vdev_stats *vst)
{
	struct leapiod *l = d;

	if (poller >= l->nr_pollers)
		return -ENOENT;
	return lio_poller_get_stats(l->pollers[poller], st, uuid, vst);
}

static int ctl_apply(void *d, const struct lio_config *next, const char *what,
		     char *why, size_t whylen)
{
	char who[64];
	int ret;

	snprintf(who, sizeof(who), "control: %s", what);
	ret = apply(d, next, who, why, whylen);
	say_status(d, false);	/* what runs now, whatever came of it */
	return ret;
}

static void shutdown_all(struct leapiod *d)
{
	struct lio_poller_stats st;
	unsigned int i;

	while (d->applied.nr_vdevs)
		remove_vdev(d, d->applied.vdevs[d->applied.nr_vdevs - 1].uuid);
	for (i = 0; i < d->nr_pollers; i++) {
		const struct lio_poller_cfg *pc = &d->applied.pollers[i];

		lio_poller_get_stats(d->pollers[i], &st, NULL, NULL);
		lio_log("poller %u (cpu %d): %llu commands, %llu polls (%llu idle), "
			"%llu sleeps, %llu interrupts", i, pc->cpu,
			(unsigned long long)st.cmds, (unsigned long long)st.polls,
			(unsigned long long)st.idle_polls, (unsigned long long)st.sleeps,
			(unsigned long long)st.irqs);
		lio_poller_stop(d->pollers[i]);
	}
	free(d->pollers);
	d->pollers = NULL;
	d->nr_pollers = 0;
}

/*
 * Host mode, or card mode when the configuration has a "card" section:
 * the card device opened and its window map checked against it.
 */
static int platform_open(struct leapiod *d, const struct lio_config *c)
{
	char err[512];
	int ret;

	d->plat = &lio_host_plat;
	d->plat_ctx = NULL;
	if (!c->card.given)
		return 0;
	ret = lio_soc_open(c->card.device, &d->card_dev, err, sizeof(err));
	if (!ret)
		ret = lio_card_open(&d->card, &d->card_dev, c->card.win,
				    c->card.nr_win, err, sizeof(err));
	if (ret) {
		if (d->card_dev.ops)
			d->card_dev.ops->close(&d->card_dev);
		lio_log("card mode: %s", err);
		return ret;
	}
	d->plat = &lio_card_plat;
	d->plat_ctx = d->card;
	lio_log("card mode: %s, host-DRAM window %llu bytes, card DRAM %llu bytes",
		c->card.device, (unsigned long long)d->card_dev.win_size,
		(unsigned long long)d->card_dev.dram_size);
	return 0;
}

/* --control-socket: listening now, served from serve()'s loop. */
static int open_control(struct leapiod *d)
{
	struct lio_ctl_cfg cfg = {
		.path = d->args.control_socket,
		.gid = d->ctl_gid,
	};
	char err[512];

	if (!d->args.control_socket)
		return 0;
	d->ctl_host = (struct lio_ctl_host){ .d = d, .running = ctl_running,
					     .apply = ctl_apply, .stats = ctl_stats,
					     .config_path = d->args.config };
	d->ctl_table = (struct lio_rpc_table){ lio_ctl_methods, lio_ctl_nr_methods,
					       &d->ctl_host };
	if (lio_ctl_open(&d->ctl, &cfg, &d->ctl_table, err, sizeof(err))) {
		lio_log("%s", err);
		return -1;
	}
	lio_log("control socket %s%s%s", cfg.path, d->args.control_group ? ", group " : "",
		d->args.control_group ? d->args.control_group : "");
	return 0;
}

/* The watchdog's period: keep-alive if every poller goes round. */
static void watchdog(struct leapiod *d)
{
	uint64_t beats[LIO_MAX_POLLERS];
	unsigned int i;

	for (i = 0; i < d->nr_pollers; i++)
		beats[i] = lio_poller_beats(d->pollers[i]);
	lio_svc_watchdog(&d->svc, beats, d->nr_pollers);
}

static int serve(struct leapiod *d, const struct lio_config *c, const sigset_t *set)
{
	char err[512];
	unsigned int i;
	int sig, sfd = -1;

	d->svc.tfd = -1;
	if (platform_open(d, c))
		return 1;
	if (lio_config_copy(&d->applied, c)) {
		lio_log("out of memory");
		return 1;
	}
	/* applied starts with the pollers and no vdevs; add_vdev fills it. */
	d->applied.nr_vdevs = 0;
	d->applied.nr_pollers = 0;
	if (start_pollers(d, c))
		goto fail;
	d->applied.nr_pollers = d->nr_pollers;
	/*
	 * Before the vdevs: once a vdev shows attached, its leapiod answers
	 * on the socket (requests wait for the loop below).
	 */
	if (open_control(d))
		goto fail;
	for (i = 0; i < c->nr_vdevs; i++)
		if (add_vdev(d, &c->vdevs[i], c->where[i], NULL, 0))
			goto fail;
	lio_log("running: %u vdev%s, %u poller%s", c->nr_vdevs, c->nr_vdevs == 1 ? "" : "s",
		d->nr_pollers, d->nr_pollers == 1 ? "" : "s");
	sfd = signalfd(-1, set, SFD_CLOEXEC);
	if (sfd < 0) {
		lio_log("signalfd: %s", strerror(errno));
		goto fail;
	}
	if (lio_svc_open(&d->svc, err, sizeof(err))) {
		lio_log("%s", err);
		goto fail;
	}
	say_status(d, true);
	for (;;) {
		struct pollfd p[3] = {
			{ .fd = sfd, .events = POLLIN },
			{ .fd = d->ctl ? lio_ctl_fd(d->ctl) : -1, .events = POLLIN },
			{ .fd = lio_svc_fd(&d->svc), .events = POLLIN },
		};
		struct signalfd_siginfo si;

		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			lio_log("poll: %s", strerror(errno));
			goto fail;
		}
		if (p[2].revents)
			watchdog(d);
		if (p[1].revents)
			lio_ctl_work(d->ctl);
		if (!(p[0].revents & POLLIN))
			continue;
		if (read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		sig = (int)si.ssi_signo;
		if (sig == SIGHUP) {
			lio_svc_reloading();
			reload(d);
			say_status(d, true);
			continue;
		}
		lio_log("%s: draining and exiting", sig == SIGINT ? "SIGINT" : "SIGTERM");
		lio_svc_stopping();
		break;
	}
	close(sfd);
	lio_svc_close(&d->svc);
	lio_ctl_close(d->ctl);
	d->ctl = NULL;
	shutdown_all(d);
	return 0;
fail:
	if (sfd >= 0)
		close(sfd);
	lio_svc_close(&d->svc);
	lio_ctl_close(d->ctl);
	d->ctl = NULL;
	d->applied.nr_pollers = d->nr_pollers;
	shutdown_all(d);
	return 1;
}

int main(int argc, char **argv)
{
	struct leapiod d;
	struct lio_config c;
	char err[512];
	sigset_t set;
	int ret;

	/* From the start: a SIGTERM while starting up waits for serve()
	 * (which then exits 0) instead of killing leapiod half-attached.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	memset(&d, 0, sizeof(d));
	if (lio_args_parse(argc, argv, &d.args, err, sizeof(err))) {
		fprintf(stderr, "leapiod: %s\nTry 'leapiod --help'.\n", err);
		return EXIT_USAGE;
	}
	if (d.args.help) {
		fputs(lio_usage, stdout);
		return 0;
	}
	if (d.args.version) {
		printf("leapiod %s\n", LEAPIOD_VERSION);
		return 0;
	}
	lio_log_verbose = d.args.verbose;
	d.ctl_gid = (gid_t)-1;
	if (d.args.control_group) {
		struct group *g = getgrnam(d.args.control_group);

		if (!g) {
			fprintf(stderr, "leapiod: --control-group %s: no such group\n",
				d.args.control_group);
			lio_args_free(&d.args);
			return EXIT_USAGE;
		}
		d.ctl_gid = g->gr_gid;
	}
	if (lio_args_config(&d.args, &c, err, sizeof(err))) {
		fprintf(stderr, "leapiod: %s\n", err);
		lio_args_free(&d.args);
		return EXIT_USAGE;
	}
	ret = serve(&d, &c, &set);
	lio_card_close(d.card);	/* after the pollers: nothing uses it */
	lio_config_free(&c);
	lio_config_free(&d.applied);
	lio_args_free(&d.args);
	return ret;
}
