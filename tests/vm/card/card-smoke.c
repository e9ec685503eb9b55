// SPDX-License-Identifier: GPL-2.0
/*
 * card-smoke: the emulated card's windows and doorbells, end to end,
 * between two sides that share them (tests/vm/card/, `make card-smoke`):
 *
 *   card-smoke l1 <host-function BDF>
 *       in L1: finds pages of its own memory below and above 4 GiB
 *       (physical addresses from /proc/self/pagemap), fills them with a
 *       pattern made of their address, hands the addresses to the card in
 *       card DRAM and rings it; then waits for the card's doorbell and
 *       checks what the card wrote into card DRAM.
 *   card-smoke card <doorbell BDF> <host-window BDF> <lowmem>
 *       on the card: says it is ready in card DRAM, waits for L1's
 *       doorbell, reads every page at its host-DRAM window offset (q35's
 *       split: lowmem bytes at 0, the rest from 4 GiB), writes its verdict
 *       and a value L1 must read, rings L1.
 *
 * The doorbell devices are bound to the rig's card_dbell module (its
 * sysfs irq_count, ivposition, ring); the memory is the devices' BAR2
 * mapped through sysfs resource2. Each side prints TAP and exits 0 only
 * if all its checks passed. Waits are bounded (CARD_SMOKE_WAIT_S): a
 * side whose peer never comes fails instead of hanging.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SMOKE_WAIT_S		900	/* L1 boots in minutes under TCG */
#define SMOKE_MBOX_OFF		(16u << 20)	/* in card DRAM */
#define SMOKE_CARD_READY	0x5944414552445243ULL	/* "CRDREADY" */
#define SMOKE_CARD_DONE		0x454e4f4444524343ULL
#define SMOKE_L1_READY		0x59444145524c3131ULL
#define SMOKE_PAGE		4096u
#define SMOKE_MAX_PAGES		64u	/* checked: the lowest and highest */
#define SMOKE_CHUNK		(64ul << 20)
#define SMOKE_MAX_CHUNKS	40	/* 2.5 GiB: enough to reach below 4 GiB */
#define SMOKE_4G		(1ULL << 32)

/* In card DRAM at SMOKE_MBOX_OFF; the two writers in different lines. */
struct smoke_mbox {
	/* the card */
	volatile uint64_t card_magic;	/* SMOKE_CARD_READY, then _DONE */
	volatile uint64_t card_peer;
	volatile uint64_t card_value;	/* smoke_value(seed) */
	volatile uint64_t card_checked;	/* pages compared */
	volatile uint64_t card_bad;	/* pages that differed */
	volatile uint64_t card_low;	/* checked pages below lowmem */
	volatile uint64_t card_high;	/* checked pages at 4 GiB and up */
	volatile uint64_t card_outside;	/* addresses outside the window */
	/* L1 */
	volatile uint64_t l1_magic __attribute__((aligned(64)));
	volatile uint64_t l1_peer;
	volatile uint64_t seed;
	volatile uint64_t npages;
	volatile uint64_t pa[SMOKE_MAX_PAGES];
};

static int failed;
static int tap_n;

static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		failed = 1;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (%s)\n", strerror(errno));
	exit(1);
}

/* The word at index i of the page at physical address pa. */
static uint64_t pattern(uint64_t seed, uint64_t pa, unsigned int i)
{
	return (pa + i * 8u) ^ seed ^ 0x9e3779b97f4a7c15ULL;
}

/* What the card writes for L1 to check. */
static uint64_t smoke_value(uint64_t seed)
{
	return ~seed * 0x2545f4914f6cdd1dULL;
}

static void *map_resource(const char *bdf, int bar, size_t *len)
{
	char path[128];
	struct stat st;
	void *p;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%d", bdf, bar);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0 || fstat(fd, &st))
		die("open %s", path);
	p = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap %s", path);
	close(fd);
	*len = st.st_size;
	return p;
}

static uint64_t read_attr(const char *bdf, const char *attr)
{
	char path[128], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open %s (is card_dbell bound?)", path);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		die("read %s", path);
	close(fd);
	buf[n] = 0;
	return strtoull(buf, NULL, 0);
}

static void ring(const char *bdf, uint64_t peer)
{
	char path[128], cmd[32];
	int fd, n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/ring", bdf);
	n = snprintf(cmd, sizeof(cmd), "%" PRIu64 " 0\n", peer);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, cmd, n) != n)
		die("ring %s", path);
	close(fd);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Wait until the device's irq_count exceeds before: poll() on the sysfs
 * attribute (card_dbell notifies it at each interrupt). Returns the count.
 */
static uint64_t wait_irq(const char *bdf, uint64_t before)
{
	double end = now() + SMOKE_WAIT_S;
	char path[128], buf[32];
	uint64_t c;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/irq_count", bdf);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open %s", path);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLPRI };
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

		if (n <= 0)
			die("read %s", path);
		buf[n] = 0;
		c = strtoull(buf, NULL, 0);
		if (c > before || now() > end)
			break;
		/* Bounded; the read above re-arms the notification. */
		if (poll(&p, 1, 1000) < 0 && errno != EINTR)
			die("poll %s", path);
	}
	close(fd);
	return c;
}

/* Wait (bounded) until *field == want: the peer's side of card DRAM. */
static bool wait_field(volatile uint64_t *field, uint64_t want)
{
	double end = now() + SMOKE_WAIT_S;
	const struct timespec ms = { 0, 1000000 };

	while (*field != want) {
		if (now() > end)
			return false;
		nanosleep(&ms, NULL);
	}
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return true;
}

static uint64_t pagemap_pa(int fd, void *va)
{
	uint64_t e;
	off_t off = (uintptr_t)va / SMOKE_PAGE * 8;

	if (pread(fd, &e, 8, off) != 8)
		die("pread pagemap");
	if (!(e & (1ULL << 63)))
		return 0;
	return (e & ((1ULL << 55) - 1)) * SMOKE_PAGE;
}

struct page_pick {
	uint64_t	pa;
	uint64_t	*va;
};

static int by_pa(const void *a, const void *b)
{
	const struct page_pick *x = a, *y = b;

	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

/*
 * Pages of this process, locked: chunks until there are pages both below
 * and above 4 GiB (the kernel hands out the high zone first), keeping the
 * lowest and highest half of SMOKE_MAX_PAGES.
 */
static unsigned int pick_pages(struct page_pick *out)
{
	static struct page_pick all[SMOKE_MAX_CHUNKS * (SMOKE_CHUNK / SMOKE_PAGE) / 64];
	size_t n = 0, per = SMOKE_CHUNK / SMOKE_PAGE, i;
	unsigned int half = SMOKE_MAX_PAGES / 2, k = 0;
	bool low = false, high = false;
	int fd, chunk;

	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		die("open /proc/self/pagemap");
	for (chunk = 0; chunk < SMOKE_MAX_CHUNKS && !(low && high); chunk++) {
		char *b = mmap(NULL, SMOKE_CHUNK, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_LOCKED,
			       -1, 0);

		if (b == MAP_FAILED)
			die("mmap %lu bytes", SMOKE_CHUNK);
		/* Every 64th page is a candidate: enough, and cheap. */
		for (i = 0; i < per; i += 64) {
			uint64_t pa = pagemap_pa(fd, b + i * SMOKE_PAGE);

			if (!pa)
				die("no physical address (not root?)");
			all[n].pa = pa;
			all[n].va = (uint64_t *)(b + i * SMOKE_PAGE);
			low |= pa < SMOKE_4G;
			high |= pa >= SMOKE_4G;
			n++;
		}
	}
	close(fd);
	qsort(all, n, sizeof(all[0]), by_pa);
	for (i = 0; i < n && i < half; i++)
		out[k++] = all[i];
	for (i = n > half ? n - half : 0; i < n; i++)
		if (i >= half)
			out[k++] = all[i];
	printf("# %zu candidate pages in %d MiB; lowest %#" PRIx64 ", highest %#" PRIx64 "\n",
	       n, chunk * (int)(SMOKE_CHUNK >> 20), all[0].pa, all[n - 1].pa);
	return k;
}

static int run_l1(const char *bdf)
{
	static struct page_pick pages[SMOKE_MAX_PAGES];
	struct smoke_mbox *mb;
	uint64_t seed, count, after, low = 0, high = 0;
	unsigned int n, i, w;
	size_t len;
	char *dram;

	dram = map_resource(bdf, 2, &len);
	if (len < SMOKE_MBOX_OFF + sizeof(*mb))
		die("card DRAM of %zu bytes is too small", len);
	mb = (struct smoke_mbox *)(dram + SMOKE_MBOX_OFF);

	seed = ((uint64_t)getpid() << 32) ^ (uint64_t)time(NULL);
	n = pick_pages(pages);
	for (i = 0; i < n; i++) {
		for (w = 0; w < SMOKE_PAGE / 8; w++)
			pages[i].va[w] = pattern(seed, pages[i].pa, w);
		low += pages[i].pa < SMOKE_4G;
		high += pages[i].pa >= SMOKE_4G;
	}
	tap(low > 0 && high > 0, "L1 pages on both sides of 4 GiB (%" PRIu64 " below, %" PRIu64 " above)",
	    low, high);

	if (!wait_field(&mb->card_magic, SMOKE_CARD_READY)) {
		tap(false, "card ready in card DRAM");
		return 1;
	}
	tap(true, "card ready in card DRAM (card peer %" PRIu64 ")", mb->card_peer);

	mb->l1_peer = read_attr(bdf, "ivposition");
	mb->seed = seed;
	mb->npages = n;
	for (i = 0; i < n; i++)
		mb->pa[i] = pages[i].pa;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	mb->l1_magic = SMOKE_L1_READY;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	count = read_attr(bdf, "irq_count");
	ring(bdf, mb->card_peer);
	after = wait_irq(bdf, count);
	tap(after > count, "L1 received the card's doorbell (irq_count %" PRIu64 " -> %" PRIu64 ")",
	    count, after);
	if (after <= count)
		return 1;
	if (!wait_field(&mb->card_magic, SMOKE_CARD_DONE)) {
		tap(false, "card done in card DRAM");
		return 1;
	}
	tap(mb->card_value == smoke_value(seed),
	    "L1 reads the value the card wrote into card DRAM (%#" PRIx64 ")", mb->card_value);
	tap(mb->card_checked == n && mb->card_bad == 0 && mb->card_outside == 0,
	    "card read L1's %u pages at their window offsets (%" PRIu64 " checked, %" PRIu64 " differ, %" PRIu64 " outside)",
	    n, mb->card_checked, mb->card_bad, mb->card_outside);
	tap(mb->card_low == low && mb->card_high == high,
	    "card saw the same split (%" PRIu64 " below lowmem, %" PRIu64 " at 4 GiB and up)",
	    mb->card_low, mb->card_high);
	return failed;
}

static int run_card(const char *dbell, const char *win_bdf, uint64_t lowmem)
{
	struct smoke_mbox *mb;
	uint64_t count, after, seed, i, n, off;
	size_t len, wlen;
	char *dram, *win;
	unsigned int w;

	dram = map_resource(dbell, 2, &len);
	if (len < SMOKE_MBOX_OFF + sizeof(*mb))
		die("card DRAM of %zu bytes is too small", len);
	mb = (struct smoke_mbox *)(dram + SMOKE_MBOX_OFF);
	win = map_resource(win_bdf, 2, &wlen);

	count = read_attr(dbell, "irq_count");
	mb->card_peer = read_attr(dbell, "ivposition");
	__atomic_thread_fence(__ATOMIC_RELEASE);
	mb->card_magic = SMOKE_CARD_READY;
	printf("# card: peer %" PRIu64 ", window %zu bytes, lowmem %#" PRIx64 "\n",
	       mb->card_peer, wlen, lowmem);
	fflush(stdout);

	after = wait_irq(dbell, count);
	tap(after > count, "card received L1's doorbell (irq_count %" PRIu64 " -> %" PRIu64 ")",
	    count, after);
	if (after <= count)
		return 1;
	if (mb->l1_magic != SMOKE_L1_READY) {
		tap(false, "L1's request in card DRAM before its doorbell");
		return 1;
	}
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	seed = mb->seed;
	n = mb->npages;
	if (n > SMOKE_MAX_PAGES)
		n = 0;
	mb->card_checked = mb->card_bad = mb->card_low = mb->card_high = 0;
	mb->card_outside = 0;
	for (i = 0; i < n; i++) {
		uint64_t pa = mb->pa[i];
		const volatile uint64_t *p;

		if (pa < lowmem) {
			off = pa;
			mb->card_low++;
		} else if (pa >= SMOKE_4G) {
			off = pa - SMOKE_4G + lowmem;
			mb->card_high++;
		} else {
			mb->card_outside++;
			continue;
		}
		if (off + SMOKE_PAGE > wlen) {
			mb->card_outside++;
			continue;
		}
		p = (const volatile uint64_t *)(win + off);
		for (w = 0; w < SMOKE_PAGE / 8; w++)
			if (p[w] != pattern(seed, pa, w))
				break;
		mb->card_bad += w < SMOKE_PAGE / 8;
		mb->card_checked++;
	}
	tap(n > 0 && mb->card_checked == n && mb->card_bad == 0,
	    "card reads L1's pattern at window offsets (%" PRIu64 " pages, %" PRIu64 " differ, %" PRIu64 " outside)",
	    mb->card_checked, mb->card_bad, mb->card_outside);
	tap(mb->card_low > 0 && mb->card_high > 0,
	    "card checked pages on both sides of the split (%" PRIu64 " below lowmem, %" PRIu64 " from 4 GiB)",
	    mb->card_low, mb->card_high);

	mb->card_value = smoke_value(seed);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	mb->card_magic = SMOKE_CARD_DONE;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	ring(dbell, mb->l1_peer);
	return failed;
}

int main(int argc, char **argv)
{
	int rc;

	if (argc == 3 && !strcmp(argv[1], "l1")) {
		printf("TAP version 13\n1..6\n");
		rc = run_l1(argv[2]);
	} else if (argc == 5 && !strcmp(argv[1], "card")) {
		printf("TAP version 13\n1..3\n");
		rc = run_card(argv[2], argv[3], strtoull(argv[4], NULL, 0));
	} else {
		fprintf(stderr, "usage: card-smoke l1 <bdf> | card <doorbell bdf> <window bdf> <lowmem>\n");
		return 2;
	}
	return rc ? 1 : 0;
}
