// SPDX-License-Identifier: GPL-2.0
/* A runtime played by a test (hand_rt.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hand_rt.h"

/* The layout code the module and leapiod are built from, built here once. */
#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#include "../../../common/leapio/region_layout.c"

/* How often the acker looks without a wake-up: it misses none then. */
#define RT_ACK_POLL_MS	100

void uuid_bytes(const char *s, uint8_t out[16])
{
	unsigned int n = 0;

	memset(out, 0, 16);
	for (; *s && n < 32; s++) {
		unsigned int d;

		if (*s == '-')
			continue;
		d = *s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10;
		out[n / 2] |= d << (n % 2 ? 0 : 4);
		n++;
	}
}

int rt_attach(int dev, const uint8_t uuid[16], uint32_t flags,
	      struct leapio_attach *a)
{
	memset(a, 0, sizeof(*a));
	memcpy(a->uuid, uuid, 16);
	a->flags = flags;
	a->fd = -1;
	return ioctl(dev, LEAPIO_IOC_ATTACH, a) < 0 ? -errno : a->fd;
}

static void *acker(void *arg)
{
	struct rt *rt = arg;
	struct leapio_vdev_ctrl *c = rt->v.ctrl;
	struct pollfd p = { .fd = rt->wake, .events = POLLIN };
	uint64_t n;

	while (!__atomic_load_n(&rt->stop, __ATOMIC_ACQUIRE)) {
		uint32_t seq;

		if (poll(&p, 1, RT_ACK_POLL_MS) > 0 &&
		    read(rt->wake, &n, sizeof(n)) < 0)
			continue;
		seq = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
		if (__atomic_load_n(&c->ack, __ATOMIC_RELAXED) == seq)
			continue;
		__atomic_store_n(&c->ack, seq, __ATOMIC_RELEASE);
		ioctl(rt->fd, LEAPIO_VDEV_IOC_KICK);
	}
	return NULL;
}

void rt_init(struct rt *rt)
{
	memset(rt, 0, sizeof(*rt));
	rt->dev = rt->fd = rt->wake = -1;
	rt->base = rt->win = MAP_FAILED;
}

int hand_rt_ack(struct rt *rt)
{
	int ret = pthread_create(&rt->acker, NULL, acker, rt);

	if (ret)
		return -ret;
	rt->acking = true;
	return 0;
}

int hand_rt_open(struct rt *rt, const char *uuid, bool ack)
{
	uint8_t u[16];
	int32_t w;

	rt->dev = open("/dev/" LEAPIO_DEV_NAME, O_RDWR | O_CLOEXEC);
	if (rt->dev < 0)
		return -errno;
	uuid_bytes(uuid, u);
	rt->fd = rt_attach(rt->dev, u, 0, &rt->a);
	if (rt->fd < 0)
		return rt->fd;
	rt->base = mmap(NULL, rt->a.region_size, PROT_READ | PROT_WRITE,
			MAP_SHARED, rt->fd, LEAPIO_MMAP_REGION_OFFSET);
	if (rt->base == MAP_FAILED)
		return -errno;
	leapio_region_view(&rt->v, rt->base);
	rt->win = mmap(NULL, rt->a.guest_size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_NORESERVE, rt->fd,
		       LEAPIO_MMAP_GUEST_OFFSET);
	if (rt->win == MAP_FAILED)
		return -errno;
	rt->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (rt->wake < 0)
		return -errno;
	w = rt->wake;
	if (ioctl(rt->fd, LEAPIO_VDEV_IOC_SET_WAKE, &w) < 0)
		return -errno;
	return ack ? hand_rt_ack(rt) : 0;
}

void rt_close(struct rt *rt)
{
	if (rt->acking) {
		__atomic_store_n(&rt->stop, 1, __ATOMIC_RELEASE);
		pthread_join(rt->acker, NULL);
	}
	if (rt->win != MAP_FAILED)
		munmap(rt->win, rt->a.guest_size);
	if (rt->base != MAP_FAILED)
		munmap(rt->base, rt->a.region_size);
	if (rt->fd >= 0)
		close(rt->fd);
	if (rt->wake >= 0)
		close(rt->wake);
	if (rt->dev >= 0)
		close(rt->dev);
	rt_init(rt);
}
