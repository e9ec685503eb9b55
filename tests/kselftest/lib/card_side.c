// SPDX-License-Identifier: GPL-2.0
/* The SoC card played from L1 user space: see card_side.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "card_side.h"
#include "mdev_sysfs.h"

#define PCI_DEVS		"/sys/bus/pci/devices"
#define IVSHMEM_IVPOSITION	8	/* BAR0 registers, as dwords below */
#define IVSHMEM_DOORBELL	12

/* A sysfs file of a PCI device as a number. */
static int pci_read_ul(const char *addr, const char *name, unsigned long *v)
{
	char path[128], buf[64];
	int ret;

	snprintf(path, sizeof(path), PCI_DEVS "/%s/%s", addr, name);
	ret = sysfs_read(path, buf, sizeof(buf));
	if (ret)
		return ret;
	*v = strtoul(buf, NULL, 0);
	return 0;
}

/* 1af4:1110 with a BAR1 (MSI-X): ivshmem-doorbell, not ivshmem-plain. */
static bool is_doorbell(const char *addr)
{
	unsigned long ven, dev;
	char path[128];
	struct stat st;

	if (pci_read_ul(addr, "vendor", &ven) || pci_read_ul(addr, "device", &dev) ||
	    ven != 0x1af4 || dev != 0x1110)
		return false;
	snprintf(path, sizeof(path), PCI_DEVS "/%s/resource1", addr);
	return !stat(path, &st);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int card_find(struct card_side *cs, const char **why)
{
	char *names[64];
	struct dirent *e;
	int n = 0, i, found = 0;
	DIR *d;

	memset(cs, 0, sizeof(*cs));
	d = opendir(PCI_DEVS);
	if (!d) {
		*why = "no " PCI_DEVS;
		return -ENODEV;
	}
	while ((e = readdir(d)) && n < 64) {
		if (e->d_name[0] == '.' || strlen(e->d_name) >= CARD_ADDR_LEN)
			continue;
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (i = 0; i < n; i++) {
		if (names[i] && is_doorbell(names[i]) && found < 2)
			strcpy(found++ ? cs->card_addr : cs->host_addr, names[i]);
		free(names[i]);
	}
	if (found < 2) {
		*why = found ? "this L1 has one ivshmem-doorbell device, no loopback card side (tests/vm/card/run-l1-card.sh)" :
			       "this L1 has no card (no ivshmem-doorbell device; tests/vm/card/run-l1-card.sh)";
		return -ENODEV;
	}
	return 0;
}

static void *map_resource(const char *addr, int bar, size_t *size)
{
	char path[128];
	struct stat st;
	void *p;
	int fd;

	snprintf(path, sizeof(path), PCI_DEVS "/%s/resource%d", addr, bar);
	fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !st.st_size) {
		close(fd);
		return NULL;
	}
	*size = st.st_size < 4096 ? 4096 : st.st_size;
	p = mmap(NULL, *size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

int card_map(struct card_side *cs)
{
	char path[128];
	int ret;

	/* Memory decoding on: no driver enabled the device. */
	snprintf(path, sizeof(path), PCI_DEVS "/%s/enable", cs->card_addr);
	ret = sysfs_write(path, "1");
	if (ret)
		return ret;
	cs->regs = map_resource(cs->card_addr, 0, &cs->regs_size);
	cs->dram = map_resource(cs->card_addr, 2, &cs->dram_size);
	if (!cs->regs || !cs->dram) {
		card_unmap(cs);
		return -EIO;
	}
	cs->peer = cs->regs[IVSHMEM_IVPOSITION / 4];
	cs->hdr = (struct leapio_card_hdr *)cs->dram;
	return 0;
}

void card_unmap(struct card_side *cs)
{
	card_run_stop(cs);
	if (cs->dram)
		munmap(cs->dram, cs->dram_size);
	if (cs->regs)
		munmap((void *)cs->regs, cs->regs_size);
	cs->dram = NULL;
	cs->regs = NULL;
	cs->hdr = NULL;
}

int card_param_write(const char *val)
{
	/* An empty write must still be one byte: a newline. */
	return sysfs_write(CARD_PARAM, val[0] ? val : "\n");
}

int card_param_read(char *buf, size_t len)
{
	return sysfs_read(CARD_PARAM, buf, len);
}

int card_say_ready(struct card_side *cs)
{
	struct leapio_card_hdr *h = cs->hdr;

	if (__atomic_load_n(&h->magic, __ATOMIC_ACQUIRE) != LEAPIO_CARD_MAGIC)
		return -EPROTO;
	h->card_peer = cs->peer;
	__atomic_store_n(&h->card_ready, h->host_gen, __ATOMIC_RELEASE);
	card_ring_host(cs);
	return 0;
}

void card_ring_host(struct card_side *cs)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	cs->regs[IVSHMEM_DOORBELL / 4] =
		cs->hdr->host_peer << 16 | LEAPIO_CARD_VEC_HOST;
}

struct leapio_card_slot *card_slot(struct card_side *cs, int slot)
{
	return (struct leapio_card_slot *)(cs->dram + LEAPIO_CARD_PAGE * (1 + slot));
}

void *card_region(struct card_side *cs, int slot)
{
	uint64_t off = card_slot(cs, slot)->region_off;

	if (!off || off >= cs->dram_size)
		return NULL;
	return cs->dram + off;
}

/* One pass of the card's runtime over every slot; true if it acked. */
static bool card_pass(struct card_side *cs)
{
	bool did = false;
	int i;

	for (i = 0; i < LEAPIO_CARD_SLOTS; i++) {
		struct leapio_card_slot *s = card_slot(cs, i);
		uint32_t gen = __atomic_load_n(&s->gen, __ATOMIC_ACQUIRE);
		struct leapio_region_hdr *h;
		struct leapio_vdev_ctrl *c;
		uint32_t seq;

		if (cs->ack_slots && s->card_ack != gen) {
			__atomic_store_n(&s->card_ack, gen, __ATOMIC_RELEASE);
			did = true;
		}
		if (!cs->ack_seq || s->owner != LEAPIO_CARD_OWNER_CARD ||
		    !(h = card_region(cs, i)))
			continue;
		c = (struct leapio_vdev_ctrl *)((uint8_t *)h + h->ctrl_off);
		seq = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
		if (c->ack != seq) {
			__atomic_store_n(&c->ack, seq, __ATOMIC_RELEASE);
			did = true;
		}
	}
	return did;
}

static void *card_thread(void *arg)
{
	struct card_side *cs = arg;

	while (!cs->stop) {
		if (card_pass(cs))
			card_ring_host(cs);
		else
			sched_yield();
	}
	return NULL;
}

int card_run_start(struct card_side *cs)
{
	int ret;

	cs->stop = 0;
	ret = pthread_create(&cs->th, NULL, card_thread, cs);
	if (ret)
		return -ret;
	cs->running = true;
	return 0;
}

void card_run_stop(struct card_side *cs)
{
	if (!cs->running)
		return;
	cs->stop = 1;
	pthread_join(cs->th, NULL);
	cs->running = false;
}
