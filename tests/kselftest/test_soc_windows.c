// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/leapio_soc's windows (kernel/soc/chardev.c), in the L1 of
 * tests/vm/card/run-l1-card.sh, where the card side's functions are
 * loopback ones: card DRAM is the memory the host-facing function's BAR2
 * shows too, and the host-DRAM window is L1's own RAM.
 *
 *  - GET_INFO says what the functions are (sizes, peer, vectors).
 *  - A pattern stored through the card's mapping of its DRAM is read
 *    through the host-facing function's BAR (sysfs resource2), and back.
 *  - L1's RAM at physical P is at window offset P below q35's split and
 *    P - 4 GiB + lowmem above it: pages of this process (pagemap) both
 *    ways, and the firmware's DSDT, which sits below the split.
 *  - Bound functions' BARs cannot be mapped from sysfs (IO_STRICT_DEVMEM):
 *    why the module has its own device.
 *  - mmap refuses a private mapping, an offset outside a window and a
 *    length past one.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "soc_test.h"
#include "../../uapi/linux/leapio_card.h"

#define MIB		(1ULL << 20)
#define GIB		(1ULL << 30)
#define PAGE		4096UL
#define CHUNK		(16 * MIB)
#define MAX_CHUNKS	16

FIXTURE(win) {
	struct soc_fix s;
	void *map[2];
	size_t map_len[2];
};

FIXTURE_SETUP(win)
{
	SOC_SETUP(&self->s);
}

FIXTURE_TEARDOWN(win)
{
	int i;

	for (i = 0; i < 2; i++)
		if (self->map[i])
			munmap(self->map[i], self->map_len[i]);
	SOC_TEARDOWN(&self->s);
}

static off_t resource_size(const char *bdf, int bar)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%d", bdf,
		 bar);
	return stat(path, &st) ? -errno : st.st_size;
}

static int msi_irqs(const char *bdf)
{
	char path[PATH_MAX];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/msi_irqs", bdf);
	d = opendir(path);
	if (!d)
		return -errno;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

TEST_F(win, info)
{
	struct leapio_soc_info *i = &self->s.info;
	uint32_t host_peer;
	size_t len = 0;
	void *regs;
	int k;

	EXPECT_EQ(LEAPIO_SOC_ABI_VERSION, i->abi_version);
	EXPECT_EQ(LEAPIO_SOC_HW_IVSHMEM, i->hw);
	EXPECT_EQ(LEAPIO_SOC_INFO_COHERENT, i->flags);
	EXPECT_EQ(resource_size(self->s.rig.dram, 2), i->dram_size);
	EXPECT_EQ(resource_size(self->s.rig.host, 2), i->dram_size);
	EXPECT_EQ(resource_size(self->s.rig.hostmem, 2), i->hostmem_size);
	EXPECT_LE(LEAPIO_CARD_DATA_OFF, i->dram_size);
	EXPECT_LE(1, i->nr_vectors);
	EXPECT_GE(LEAPIO_SOC_VECTORS_MAX, i->nr_vectors);
	EXPECT_EQ(msi_irqs(self->s.rig.dram), i->nr_vectors);
	EXPECT_GE(LEAPIO_SOC_PEER_MAX, i->peer);
	EXPECT_EQ(0, i->rsvd0);
	for (k = 0; k < 4; k++)
		EXPECT_EQ(0, i->rsvd[k]);

	/* Two peers of one server: the host-facing function is another. */
	regs = soc_map_bar(self->s.rig.host, 0, &len);
	ASSERT_NE(NULL, regs) TH_LOG("%s resource0: %s", self->s.rig.host,
				     strerror(errno));
	host_peer = *(volatile uint32_t *)((char *)regs + SOC_REG_IVPOSITION);
	soc_unmap_bar(self->s.rig.host, regs, len);
	EXPECT_GE(LEAPIO_SOC_PEER_MAX, host_peer);
	EXPECT_NE(host_peer, i->peer);
}

/* A pattern of n bytes, different for each seed. */
static void pattern(uint8_t *buf, size_t n, uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1;
	size_t k;

	for (k = 0; k < n; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[k] = (uint8_t)x;
	}
}

static void put(volatile uint8_t *dst, const uint8_t *src, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		dst[k] = src[k];
}

/* 0 when n bytes at a equal those at b. */
static int differ(const volatile uint8_t *a, const uint8_t *b, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (a[k] != b[k])
			return 1;
	return 0;
}

TEST_F(win, dram_both_ways)
{
	uint64_t size = self->s.info.dram_size;
	const uint64_t offs[] = { LEAPIO_CARD_DATA_OFF, size - PAGE };
	uint8_t want[PAGE], saved[PAGE];
	volatile uint8_t *card, *host;
	size_t host_len = 0;
	unsigned int k;

	ASSERT_EQ(0, soc_mmap(self->s.fd, LEAPIO_SOC_MMAP_DRAM_OFFSET, size,
			      MAP_SHARED, &self->map[0]));
	self->map_len[0] = size;
	card = self->map[0];
	host = soc_map_bar(self->s.rig.host, 2, &host_len);
	ASSERT_NE(NULL, host) TH_LOG("%s resource2: %s", self->s.rig.host,
				     strerror(errno));
	ASSERT_EQ(size, host_len);

	for (k = 0; k < ARRAY_SIZE(offs); k++) {
		memcpy(saved, (const void *)(card + offs[k]), PAGE);
		/* card -> host */
		pattern(want, PAGE, 2 * k);
		put(card + offs[k], want, PAGE);
		EXPECT_EQ(0, differ(host + offs[k], want, PAGE))
			TH_LOG("offset %#llx: stored by the card, not seen by the host",
			       (unsigned long long)offs[k]);
		/* host -> card */
		pattern(want, PAGE, 2 * k + 1);
		put(host + offs[k], want, PAGE);
		EXPECT_EQ(0, differ(card + offs[k], want, PAGE))
			TH_LOG("offset %#llx: stored by the host, not seen by the card",
			       (unsigned long long)offs[k]);
		put(card + offs[k], saved, PAGE);
	}
	soc_unmap_bar(self->s.rig.host, (void *)host, host_len);
}

/* Part of a window, at its own offset: the same memory as the whole. */
TEST_F(win, dram_part)
{
	uint64_t size = self->s.info.dram_size;
	uint64_t off = size - 2 * PAGE;
	volatile uint8_t *whole, *part;
	uint8_t want[64];

	ASSERT_EQ(0, soc_mmap(self->s.fd, LEAPIO_SOC_MMAP_DRAM_OFFSET, size,
			      MAP_SHARED, &self->map[0]));
	self->map_len[0] = size;
	ASSERT_EQ(0, soc_mmap(self->s.fd, LEAPIO_SOC_MMAP_DRAM_OFFSET + off,
			      2 * PAGE, MAP_SHARED, &self->map[1]));
	self->map_len[1] = 2 * PAGE;
	whole = self->map[0];
	part = self->map[1];
	pattern(want, sizeof(want), 77);
	put(part + PAGE, want, sizeof(want));
	EXPECT_EQ(0, differ(whole + off + PAGE, want, sizeof(want)));
}

/*
 * Pages of this process, mapped and locked chunk by chunk until one
 * lies in each part of L1's RAM (below the split, above 4 GiB) or
 * MAX_CHUNKS were tried: the kernel prefers high memory for user pages,
 * so a page below the split is not always found; one above 4 GiB is,
 * when L1 has RAM there.
 */
struct own_pages {
	void		*chunk[MAX_CHUNKS];
	volatile uint8_t *page[2];	/* [0] below the split, [1] above 4 GiB */
	uint64_t	phys[2];
};

static void find_pages(struct __test_metadata *_metadata, struct own_pages *o,
		       uint64_t lowmem, bool above4g)
{
	static uint64_t phys[CHUNK / PAGE];
	unsigned int c;
	size_t k;

	for (c = 0; c < MAX_CHUNKS && !(o->page[0] && (o->page[1] || !above4g));
	     c++) {
		/* Populated and locked: every page present, and staying put. */
		o->chunk[c] = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE |
				   MAP_LOCKED, -1, 0);
		ASSERT_NE(MAP_FAILED, o->chunk[c]);
		ASSERT_EQ(0, soc_phys_pages(o->chunk[c], CHUNK / PAGE, phys));
		for (k = 0; k < CHUNK / PAGE; k++) {
			volatile uint8_t *p = (uint8_t *)o->chunk[c] + k * PAGE;

			if (!o->page[0] && phys[k] < lowmem) {
				o->page[0] = p;
				o->phys[0] = phys[k];
			} else if (!o->page[1] && phys[k] >= 4 * GIB) {
				o->page[1] = p;
				o->phys[1] = phys[k];
			}
		}
	}
}

static void free_pages(struct own_pages *o)
{
	unsigned int c;

	for (c = 0; c < MAX_CHUNKS; c++)
		if (o->chunk[c] && o->chunk[c] != MAP_FAILED)
			munmap(o->chunk[c], CHUNK);
}

TEST_F(win, hostmem_own_pages)
{
	uint64_t size = self->s.info.hostmem_size, lowmem, off;
	struct own_pages o = { 0 };
	volatile uint8_t *win;
	uint8_t want[PAGE];
	bool above4g;
	int side;

	ASSERT_EQ(0, soc_lowmem(&lowmem, &above4g));
	TH_LOG("lowmem %#llx, RAM above 4 GiB: %s", (unsigned long long)lowmem,
	       above4g ? "yes" : "no");
	ASSERT_EQ(0, soc_mmap(self->s.fd, LEAPIO_SOC_MMAP_HOSTMEM_OFFSET, size,
			      MAP_SHARED, &self->map[0]));
	self->map_len[0] = size;
	win = self->map[0];

	find_pages(_metadata, &o, lowmem, above4g);
	if (above4g)
		EXPECT_NE(NULL, o.page[1]) TH_LOG("no page of ours above 4 GiB");
	for (side = 0; side < 2; side++) {
		if (!o.page[side])
			continue;
		off = soc_hostwin_off(o.phys[side], lowmem);
		TH_LOG("physical %#llx at window offset %#llx",
		       (unsigned long long)o.phys[side],
		       (unsigned long long)off);
		ASSERT_GT(size, off);
		pattern(want, PAGE, o.phys[side]);
		put(o.page[side], want, PAGE);
		EXPECT_EQ(0, differ(win + off, want, PAGE))
			TH_LOG("stored in L1's page, not seen through the window");
		pattern(want, PAGE, ~o.phys[side]);
		put(win + off, want, PAGE);
		EXPECT_EQ(0, differ(o.page[side], want, PAGE))
			TH_LOG("stored through the window, not seen in L1's page");
	}
	free_pages(&o);
}

static ssize_t read_file(const char *path, uint8_t *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len);
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

/*
 * Below the split: the firmware's ACPI tables are in L1's low RAM, and
 * the FADT (FACP) says where the DSDT is. Read only: they are L1's.
 */
TEST_F(win, hostmem_below_split)
{
	uint64_t size = self->s.info.hostmem_size, lowmem, dsdt = 0;
	static uint8_t facp[1024], table[PAGE];
	volatile uint8_t *win;
	ssize_t nf, nt;
	uint32_t d32;
	bool above4g;

	ASSERT_EQ(0, soc_lowmem(&lowmem, &above4g));
	nf = read_file("/sys/firmware/acpi/tables/FACP", facp, sizeof(facp));
	ASSERT_LE(44, nf) TH_LOG("FACP: %zd", nf);
	/* X_DSDT (offset 140) when the FADT has it, else DSDT (40). */
	if (nf >= 148)
		memcpy(&dsdt, facp + 140, sizeof(dsdt));
	if (!dsdt) {
		memcpy(&d32, facp + 40, sizeof(d32));
		dsdt = d32;
	}
	ASSERT_GT(lowmem, dsdt);
	nt = read_file("/sys/firmware/acpi/tables/DSDT", table, sizeof(table));
	ASSERT_LE(36, nt);
	TH_LOG("DSDT at physical %#llx, %zd bytes compared",
	       (unsigned long long)dsdt, nt);

	ASSERT_EQ(0, soc_mmap(self->s.fd, LEAPIO_SOC_MMAP_HOSTMEM_OFFSET, size,
			      MAP_SHARED, &self->map[0]));
	self->map_len[0] = size;
	win = self->map[0];
	EXPECT_EQ(0, differ(win + soc_hostwin_off(dsdt, lowmem), table, nt));
}

TEST_F(win, sysfs_resource_refused)
{
	size_t len = 0;
	void *p;

	p = soc_map_bar(self->s.rig.dram, 2, &len);
	EXPECT_EQ(NULL, p);
	soc_unmap_bar(self->s.rig.dram, p, len);
	p = soc_map_bar(self->s.rig.hostmem, 2, &len);
	EXPECT_EQ(NULL, p);
	soc_unmap_bar(self->s.rig.hostmem, p, len);
}

TEST_F(win, mmap_bad)
{
	uint64_t dram = self->s.info.dram_size, host = self->s.info.hostmem_size;
	void *p;

	EXPECT_EQ(EINVAL, soc_mmap(self->s.fd, LEAPIO_SOC_MMAP_DRAM_OFFSET,
				   PAGE, MAP_PRIVATE, &p));
	EXPECT_EQ(EINVAL, soc_mmap(self->s.fd, LEAPIO_SOC_MMAP_HOSTMEM_OFFSET,
				   PAGE, MAP_PRIVATE, &p));
	/* Past each window, and between them. */
	EXPECT_EQ(EINVAL, soc_mmap(self->s.fd, dram, PAGE, MAP_SHARED, &p));
	EXPECT_EQ(EINVAL, soc_mmap(self->s.fd, LEAPIO_SOC_WINDOW_MAX - PAGE,
				   PAGE, MAP_SHARED, &p));
	EXPECT_EQ(EINVAL, soc_mmap(self->s.fd,
				   LEAPIO_SOC_MMAP_HOSTMEM_OFFSET + host, PAGE,
				   MAP_SHARED, &p));
	EXPECT_EQ(EINVAL, soc_mmap(self->s.fd,
				   LEAPIO_SOC_MMAP_HOSTMEM_OFFSET +
				   LEAPIO_SOC_WINDOW_MAX, PAGE, MAP_SHARED, &p));
	/* Longer than what is left of the window. */
	EXPECT_EQ(EINVAL, soc_mmap(self->s.fd, dram - PAGE, 2 * PAGE,
				   MAP_SHARED, &p));
	EXPECT_EQ(EINVAL, soc_mmap(self->s.fd, LEAPIO_SOC_MMAP_DRAM_OFFSET,
				   dram + PAGE, MAP_SHARED, &p));
	EXPECT_EQ(EINVAL, soc_mmap(self->s.fd,
				   LEAPIO_SOC_MMAP_HOSTMEM_OFFSET + host - PAGE,
				   2 * PAGE, MAP_SHARED, &p));
	/* The last page of each is fine. */
	ASSERT_EQ(0, soc_mmap(self->s.fd, dram - PAGE, PAGE, MAP_SHARED,
			      &self->map[0]));
	self->map_len[0] = PAGE;
	ASSERT_EQ(0, soc_mmap(self->s.fd,
			      LEAPIO_SOC_MMAP_HOSTMEM_OFFSET + host - PAGE,
			      PAGE, MAP_SHARED, &self->map[1]));
	self->map_len[1] = PAGE;
}

TEST_HARNESS_MAIN
