// SPDX-License-Identifier: GPL-2.0
/*
 * The remote backend: a namespace behind the kernel's NVMe-oF initiator,
 * driven like a local one through its generic character device
 * (bdev_nvme.c's passthrough), which main.c has connected and found
 * (runtime/fabrics/, cfg->nvmf.dev).
 *
 * What it adds is riding out the path: passthrough commands are not
 * requeued by the kernel's multipath code, so while the controller
 * reconnects (after a lost connection, for up to ctrl_loss_tmo) they come
 * back failed: Host Pathing Error or Command Aborted By Host, or -EINVAL
 * when the namespace has no live path. Such a command is held here, as
 * are the commands that arrive meanwhile, and sent again once the
 * controller is live: the guest's I/O is delayed, none fails. If the
 * kernel gives the controller up (ctrl_loss_tmo passed, or it was
 * deleted), the held commands complete with Controller Pathing Error and
 * DNR: the guest sees errors, not a hang.
 *
 * It also looks, once a second, at the namespace's size as the kernel
 * has it (the target's Namespace Attribute Changed notice makes the
 * initiator read it again): a backend that spans the namespace to its
 * end grows with it, and the vdev's namespace after it (core/vdev.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/fs.h>

#include "../core/log.h"
#include "bdev_internal.h"

/* How often the controller's state is read while commands are held. */
#define LIO_NVMF_CHECK_NS	(20ULL * 1000000)
/* How often the namespace's size is. */
#define LIO_NVMF_SIZE_NS	(1000ULL * 1000000)

struct lio_nvmf {
	struct lio_nvme	nvme;		/* first: lio_nvme_submit's b->priv */
	const char	*ctrl;		/* b->cfg.nvmf.ctrl, "nvme3" */
	struct lio_io	*held;
	struct lio_io	**held_tail;
	unsigned int	nr_held;
	uint64_t	next_check_ns;
	/* For the log: what an outage cost. */
	uint64_t	held_total;
	unsigned int	outage;		/* commands held in this outage */
	int		keeper;		/* the namespace's block device, or -1 */
	uint64_t	total;		/* its bytes, as last read */
	bool		size_unknown;	/* said once: its size cannot be read */
	uint64_t	next_size_ns;
};

/*
 * The namespace's bytes as the kernel has them now; 0 if unknown, said
 * once in the log: the namespace's growth is not seen then.
 */
static uint64_t ns_bytes(struct lio_bdev *b, struct lio_nvmf *n)
{
	uint64_t bytes;

	if (n->keeper >= 0 && !ioctl(n->keeper, BLKGETSIZE64, &bytes))
		return bytes;
	if (n->keeper >= 0 && !n->size_unknown)
		lio_log("%s: %s: cannot read its namespace's size (%s): its growth will not be seen",
			b->cfg.path, n->ctrl, strerror(errno));
	n->size_unknown = true;
	return 0;
}

/*
 * The namespace grew: so does a backend that runs to its end (no size
 * configured). A namespace never shrinks under a vdev here: the target
 * would have had to take blocks away from a live host.
 */
static void size_check(struct lio_bdev *b, struct lio_nvmf *n)
{
	uint64_t total = ns_bytes(b, n);

	if (total <= n->total)
		return;
	lio_log("%s: %s: the namespace grew from %" PRIu64 " to %" PRIu64
		" bytes", b->cfg.path, n->ctrl, n->total, total);
	n->total = total;
	if (!b->cfg.size && total > b->cfg.offset) {
		total -= b->cfg.offset;
		b->size = total - total % b->block_size;
	}
}

static void hold(struct lio_nvmf *n, struct lio_io *io)
{
	io->bnext = NULL;
	*n->held_tail = io;
	n->held_tail = &io->bnext;
	if (!n->nr_held++) {
		n->next_check_ns = 0;	/* look at the controller at once */
		if (!n->outage)
			lio_log("%s: the path to it is down: holding its commands "
				"until it is back", n->ctrl);
	}
	n->held_total++;
	n->outage++;
}

static void finish(struct lio_io *io)
{
	io->done = io->bdone;
	io->done(io);
}

static void nvmf_done(struct lio_io *io)
{
	struct lio_bdev *b = io->bpriv;
	struct lio_nvmf *n = b->priv;

	if (io->res) {
		if (lio_nvmf_verdict(&io->res, lio_nvmf_ctrl_state(n->ctrl),
				     ++io->btries) ==
		    LIO_NVMF_HOLD) {
			hold(n, io);
			return;
		}
	}
	finish(io);
}

static int nvmf_submit(struct lio_bdev *b, struct lio_io *io)
{
	struct lio_nvmf *n = b->priv;
	int ret;

	io->bpriv = b;
	io->bdone = io->done;
	io->btries = 0;
	io->done = nvmf_done;
	/* Behind the held ones, in order, while the path is down. */
	if (n->nr_held) {
		hold(n, io);
		return 0;
	}
	ret = lio_nvme_submit(b, io);
	if (ret)
		io->done = io->bdone;
	return ret;
}

static int nvmf_poll(struct lio_bdev *b, uint64_t now_ns)
{
	struct lio_nvmf *n = b->priv;
	enum lio_nvmf_state state;
	struct lio_io *io;
	int done = 0;

	if (now_ns >= n->next_size_ns) {
		n->next_size_ns = now_ns + LIO_NVMF_SIZE_NS;
		size_check(b, n);
	}
	if (!n->nr_held || now_ns < n->next_check_ns)
		return 0;
	n->next_check_ns = now_ns + LIO_NVMF_CHECK_NS;
	state = lio_nvmf_ctrl_state(n->ctrl);
	if (state == LIO_NVMF_DOWN)
		return 0;
	while ((io = n->held)) {
		if (state == LIO_NVMF_LIVE) {
			int ret = lio_nvme_submit(b, io);

			if (ret == -EAGAIN)
				break;		/* the ring is full: next pass */
			n->held = io->bnext;
			if (ret) {
				io->res = ret;
				finish(io);
			}
		} else {
			n->held = io->bnext;
			io->res = LIO_NVMF_STATUS_GONE;	/* given up */
			finish(io);
		}
		n->nr_held--;
		done++;
	}
	if (!n->held) {
		n->held_tail = &n->held;
		lio_log("%s: %s: %u held commands %s", n->ctrl,
			state == LIO_NVMF_LIVE ? "live again" :
			"given up by the kernel (ctrl_loss_tmo)", n->outage,
			state == LIO_NVMF_LIVE ? "sent again" :
			"failed with Controller Pathing Error");
		n->outage = 0;
	} else {
		n->next_check_ns = now_ns;	/* the rest as soon as there is room */
	}
	return done;
}

static void nvmf_close(struct lio_bdev *b)
{
	struct lio_nvmf *n = b->priv;

	/* The poller drains a vdev before closing its backend. */
	if (n && n->held_total)
		lio_log("%s: %llu commands were held while its path was down",
			b->cfg.path, (unsigned long long)n->held_total);
	/* The generic device first, its keeper after (see keep_head()). */
	if (b->fd >= 0) {
		close(b->fd);
		b->fd = -1;
	}
	if (n && n->keeper >= 0)
		close(n->keeper);
	free(n);
	b->priv = NULL;
}

static const struct lio_bdev_ops lio_nvmf_ops = {
	.submit	= nvmf_submit,
	.close	= nvmf_close,
	.poll	= nvmf_poll,
};

/*
 * Hold the namespace's block device (/dev/nvmeXnY for /dev/ngXnY) open
 * while the generic device is. Linux (6.1 at least) frees a multipath
 * namespace head when the last opener of its generic device closes it
 * after the controller was removed, and then drops the character
 * device's reference inside the freed head: a use-after-free in
 * __fput() that crashed the rig's L1. With the block device closed last,
 * the head outlives the generic device's release. It also says the
 * namespace's size (ns_bytes()). The fd, or -errno.
 */
static int keep_head(const char *dev)
{
	char blk[80];
	const char *g = strrchr(dev, '/');
	int fd;

	if (!g || strncmp(g, "/ng", 3))
		return -ENODEV;
	snprintf(blk, sizeof(blk), "/dev/nvme%s", g + 3);
	fd = open(blk, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int lio_bdev_open_nvmf(struct lio_bdev *b, char *err, size_t errlen)
{
	const struct lio_nvmf_cfg *c = &b->cfg.nvmf;
	struct lio_nvmf *n;
	int ret;

	if (!c->dev[0] || !c->ctrl[0])
		return lio_bdev_err(-ENOTCONN, err, errlen, "%s: not connected",
				    b->cfg.path);
	n = calloc(1, sizeof(*n));
	if (!n)
		return lio_bdev_err(-ENOMEM, err, errlen, "out of memory");
	n->ctrl = b->cfg.nvmf.ctrl;
	n->held_tail = &n->held;
	n->keeper = keep_head(c->dev);
	ret = lio_nvme_open_dev(b, c->dev, &n->nvme, err, errlen);
	if (ret) {
		if (n->keeper >= 0)
			close(n->keeper);
		free(n);
		return ret;
	}
	if (n->keeper < 0)
		lio_log("%s: cannot open the block device of %s (%s): its namespace's growth will not be seen",
			b->cfg.path, c->dev, strerror(-n->keeper));
	b->priv = n;
	b->ops = &lio_nvmf_ops;
	n->total = ns_bytes(b, n);
	return 0;
}
