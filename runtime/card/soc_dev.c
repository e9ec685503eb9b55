// SPDX-License-Identifier: GPL-2.0
/* The card device through /dev/leapio_soc (card_dev.h, leapio_soc.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../uapi/linux/leapio_card.h"
#include "../../uapi/linux/leapio_soc.h"
#include "card_dev.h"

struct lio_soc {
	int	fd;
};

int lio_is_pfnmap(const void *addr)
{
	unsigned long start, end, want = (unsigned long)addr;
	char line[512], perms[8];
	bool in = false;
	int ret = -ENOENT;
	FILE *f;

	f = fopen("/proc/self/smaps", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		/* "start-end perms ..." opens each mapping's block */
		if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) == 3) {
			in = want >= start && want < end;
			continue;
		}
		if (in && !strncmp(line, "VmFlags:", 8)) {
			ret = strstr(line, " pf") != NULL;
			break;
		}
	}
	fclose(f);
	return ret;
}

static int lio_soc_ring(struct lio_card_dev *d, uint32_t host_peer)
{
	struct lio_soc *s = d->priv;
	struct leapio_soc_ring r = { .peer = host_peer,
				     .vector = LEAPIO_CARD_VEC_HOST };

	/* What the ring announces is written: ordered before it. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return ioctl(s->fd, LEAPIO_SOC_IOC_RING, &r) ? -errno : 0;
}

static int lio_soc_map_window(struct lio_card_dev *d, void *at, uint64_t off,
			      uint64_t len)
{
	struct lio_soc *s = d->priv;

	if (mmap(at, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 s->fd, LEAPIO_SOC_MMAP_HOSTMEM_OFFSET + off) == MAP_FAILED)
		return -errno;
	return 0;
}

static void lio_soc_close(struct lio_card_dev *d)
{
	struct lio_soc *s = d->priv;

	if (d->win)
		munmap(d->win, d->win_size);
	if (d->dram)
		munmap(d->dram, d->dram_size);
	if (d->wake_fd >= 0)
		close(d->wake_fd);
	if (s && s->fd >= 0)
		close(s->fd);
	free(s);
	memset(d, 0, sizeof(*d));
	d->wake_fd = -1;
}

static const struct lio_card_dev_ops lio_soc_ops = {
	.ring_host	= lio_soc_ring,
	.map_window	= lio_soc_map_window,
	.close		= lio_soc_close,
};

int lio_soc_open(const char *path, struct lio_card_dev *d, char *err,
		 size_t errlen)
{
	struct leapio_soc_info info;
	struct leapio_soc_irqfd irq;
	struct lio_soc *s;
	int ret;

	memset(d, 0, sizeof(*d));
	d->wake_fd = -1;
	d->ops = &lio_soc_ops;
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	d->priv = s;
	s->fd = open(path, O_RDWR | O_CLOEXEC);
	if (s->fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s (is leapio_soc loaded?)", path,
			 strerror(errno));
		goto fail;
	}
	memset(&info, 0, sizeof(info));
	if (ioctl(s->fd, LEAPIO_SOC_IOC_GET_INFO, &info)) {
		ret = -errno;
		snprintf(err, errlen, "%s: GET_INFO: %s", path, strerror(errno));
		goto fail;
	}
	if (info.abi_version != LEAPIO_SOC_ABI_VERSION) {
		ret = -EPROTO;
		snprintf(err, errlen, "%s: ABI version %u, leapiod speaks %u",
			 path, info.abi_version, LEAPIO_SOC_ABI_VERSION);
		goto fail;
	}
	/* Plain loads, stores and CPU barriers are all leapiod uses. */
	if (!(info.flags & LEAPIO_SOC_INFO_COHERENT)) {
		ret = -EOPNOTSUPP;
		snprintf(err, errlen, "%s: the card's windows are not coherent "
			 "mappings, which leapiod does not support yet", path);
		goto fail;
	}
	if (info.nr_vectors <= LEAPIO_CARD_VEC_CARD) {
		ret = -ENODEV;
		snprintf(err, errlen, "%s: the card has no doorbell vector %u",
			 path, LEAPIO_CARD_VEC_CARD);
		goto fail;
	}
	d->peer = info.peer;
	d->dram_size = info.dram_size;
	d->win_size = info.hostmem_size;
	d->dram = mmap(NULL, d->dram_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       s->fd, LEAPIO_SOC_MMAP_DRAM_OFFSET);
	if (d->dram == MAP_FAILED) {
		ret = -errno;
		d->dram = NULL;
		snprintf(err, errlen, "%s: mmap of card DRAM: %s", path,
			 strerror(-ret));
		goto fail;
	}
	ret = lio_is_pfnmap(d->dram);
	if (ret < 0) {
		snprintf(err, errlen, "/proc/self/smaps: %s", strerror(-ret));
		goto fail;
	}
	d->dram_pfnmap = ret;
	d->win = mmap(NULL, d->win_size, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_NORESERVE, s->fd,
		      LEAPIO_SOC_MMAP_HOSTMEM_OFFSET);
	if (d->win == MAP_FAILED) {
		ret = -errno;
		d->win = NULL;
		snprintf(err, errlen, "%s: mmap of the host-DRAM window: %s",
			 path, strerror(-ret));
		goto fail;
	}
	d->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	irq = (struct leapio_soc_irqfd){ .vector = LEAPIO_CARD_VEC_CARD,
					 .fd = d->wake_fd };
	if (d->wake_fd < 0 || ioctl(s->fd, LEAPIO_SOC_IOC_SET_IRQFD, &irq)) {
		ret = -errno;
		snprintf(err, errlen, "%s: doorbell eventfd: %s%s", path,
			 strerror(-ret), ret == -EBUSY ?
			 " (another leapiod has the card)" : "");
		goto fail;
	}
	return 0;
fail:
	lio_soc_close(d);
	return ret;
}
