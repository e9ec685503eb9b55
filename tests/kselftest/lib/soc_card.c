// SPDX-License-Identifier: GPL-2.0
/* The emulated card's PCI functions in L1; see soc_card.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmod.h"
#include "mdev_sysfs.h"
#include "soc_card.h"

#define PCI_DEVICES	"/sys/bus/pci/devices"
#define GIB		(1ULL << 30)

static int read_hex(const char *path, unsigned long *val)
{
	char buf[32], *end;

	if (sysfs_read(path, buf, sizeof(buf)))
		return -EIO;
	errno = 0;
	*val = strtoul(buf, &end, 16);
	return errno || end == buf ? -EINVAL : 0;
}

int soc_ivshmem_count(void)
{
	char path[PATH_MAX];
	unsigned long ven, dev;
	struct dirent *e;
	int n = 0;
	DIR *d;

	d = opendir(PCI_DEVICES);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/vendor", e->d_name);
		if (read_hex(path, &ven))
			continue;
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/device", e->d_name);
		if (read_hex(path, &dev))
			continue;
		n += ven == SOC_PCI_VENDOR && dev == SOC_PCI_DEVICE;
	}
	closedir(d);
	return n;
}

static void env_or(char *buf, size_t len, const char *name, const char *def)
{
	const char *v = getenv(name);

	snprintf(buf, len, "%s", v && *v ? v : def);
}

int soc_rig_init(struct soc_rig *r)
{
	const char *ko = getenv("LEAPIO_SOC_KO");
	char host_ko[PATH_MAX];

	env_or(r->host, sizeof(r->host), "LEAPIO_SOC_HOST", "0000:00:10.0");
	env_or(r->dram, sizeof(r->dram), "LEAPIO_SOC_DRAM", "0000:00:11.0");
	env_or(r->hostmem, sizeof(r->hostmem), "LEAPIO_SOC_HOSTMEM",
	       "0000:00:12.0");
	snprintf(r->params, sizeof(r->params), "dram=%s hostmem=%s", r->dram,
		 r->hostmem);
	if (ko && *ko) {
		snprintf(r->ko, sizeof(r->ko), "%s", ko);
	} else {
		/* run.sh's LEAPIO_KO is .../kernel/host/leapio_host.ko. */
		ko = getenv("LEAPIO_KO");
		if (!ko || !*ko)
			return -ENOENT;
		snprintf(host_ko, sizeof(host_ko), "%s", ko);
		snprintf(r->ko, sizeof(r->ko), "%s/../soc/leapio_soc.ko",
			 dirname(host_ko));
	}
	return access(r->ko, R_OK) ? -errno : 0;
}

int soc_unload(void)
{
	return kmod_loaded(SOC_MODULE_NAME) ? kmod_unload(SOC_MODULE_NAME) : 0;
}

int soc_load(const struct soc_rig *r, const char *params)
{
	int err = soc_unload();

	return err ? err : kmod_load(r->ko, params);
}

int soc_pci_write(const char *bdf, const char *attr, const char *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/%s", bdf, attr);
	return sysfs_write(path, val);
}

int soc_pci_driver(const char *bdf, char *buf, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		if (errno != ENOENT)
			return -errno;
		n = 0;
	}
	link[n] = 0;
	snprintf(buf, len, "%s", n ? basename(link) : "");
	return 0;
}

int soc_bind(const char *bdf)
{
	return sysfs_write(SOC_DRIVER_DIR "/bind", bdf);
}

int soc_unbind(const char *bdf)
{
	return sysfs_write(SOC_DRIVER_DIR "/unbind", bdf);
}

/* Memory decoding of an unbound function (a bound one is its driver's). */
static void soc_decode(const char *bdf, bool on)
{
	char drv[64];

	if (!soc_pci_driver(bdf, drv, sizeof(drv)) && !drv[0])
		soc_pci_write(bdf, "enable", on ? "1" : "0");
}

void *soc_map_bar(const char *bdf, int bar, size_t *len)
{
	char path[PATH_MAX];
	struct stat st;
	void *p = NULL;
	int fd, err;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/resource%d", bdf, bar);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		soc_decode(bdf, true);
		p = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, 0);
		if (p == MAP_FAILED) {
			err = errno;
			soc_decode(bdf, false);
			errno = err;
			p = NULL;
		} else {
			*len = st.st_size;
		}
	} else if (!errno) {
		errno = ENXIO;
	}
	err = errno;
	close(fd);
	errno = err;
	return p;
}

void soc_unmap_bar(const char *bdf, void *p, size_t len)
{
	if (!p)
		return;
	munmap(p, len);
	soc_decode(bdf, false);
}

int soc_phys_pages(const void *p, size_t n, uint64_t *phys)
{
	long psz = sysconf(_SC_PAGESIZE);
	uint64_t va = (uintptr_t)p, pfn;
	size_t k, len = n * sizeof(*phys);
	ssize_t got;
	int fd;

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* One entry per page, read in one go into the caller's array. */
	got = pread(fd, phys, len, (off_t)(va / psz * sizeof(*phys)));
	close(fd);
	if (got < 0 || (size_t)got != len)
		return got < 0 ? -errno : -EIO;
	for (k = 0; k < n; k++) {
		/* Bit 63: present; bits 0-54: the PFN (0 unless root). */
		pfn = phys[k] & ((1ULL << 55) - 1);
		if (!(phys[k] >> 63) || !pfn)
			return -ENODATA;
		phys[k] = pfn * psz + (k ? 0 : va % psz);
	}
	return 0;
}

int soc_phys(const void *p, uint64_t *phys)
{
	return soc_phys_pages(p, 1, phys);
}

int soc_lowmem(uint64_t *lowmem, bool *above4g)
{
	unsigned long long start, end, low_end = 0;
	const char *env = getenv("LEAPIO_CARD_LOWMEM");
	char line[256];
	FILE *f;
	int n;

	f = fopen("/proc/iomem", "re");
	if (!f)
		return -errno;
	*above4g = false;
	while (fgets(line, sizeof(line), f)) {
		/* Top-level lines only: children are indented. */
		n = 0;
		if (line[0] == ' ' || sscanf(line, "%llx-%llx : System RAM%n", &start, &end,
			   &n) != 2 || !n)
			continue;
		if (start >= 4 * GIB)
			*above4g = true;
		else if (end + 1 > low_end)
			low_end = end + 1;
	}
	fclose(f);
	if (env && *env) {
		*lowmem = strtoull(env, NULL, 0);
		return 0;
	}
	if (!low_end)
		return -ENODATA;
	/*
	 * The firmware reserves the last pages below the split for itself:
	 * q35 splits at 256 MiB boundaries (2 GiB, or 2.75 GiB and up).
	 */
	*lowmem = (low_end + (256ULL << 20) - 1) & ~((256ULL << 20) - 1);
	return 0;
}

uint64_t soc_hostwin_off(uint64_t phys, uint64_t lowmem)
{
	return phys < 4 * GIB ? phys : phys - 4 * GIB + lowmem;
}

int soc_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

int soc_kmsg_find(int fd, const char *text)
{
	char rec[2048];
	ssize_t n;
	int found = 0;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: read on */
		if (n <= 0)
			break;
		rec[n] = 0;
		if (strstr(rec, text))
			found = 1;
	}
	return found;
}
