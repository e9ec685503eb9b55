/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated card's PCI functions in L1, for the tests of leapio_soc.ko
 * (test_soc_*). tests/vm/card/run-l1-card.sh gives L1 three ivshmem
 * functions (1af4:1110):
 *   host      0000:00:10.0  ivshmem-doorbell: card DRAM as the host sees
 *                           it, and the host's doorbell
 *   dram      0000:00:11.0  ivshmem-doorbell: the same DRAM and server,
 *                           the card side's view (leapio_soc dram=)
 *   hostmem   0000:00:12.0  ivshmem-plain: L1's own RAM file, the card's
 *                           host-DRAM window (leapio_soc hostmem=)
 * LEAPIO_SOC_HOST, LEAPIO_SOC_DRAM and LEAPIO_SOC_HOSTMEM override the
 * addresses; LEAPIO_SOC_KO the module (default: beside $LEAPIO_KO, in
 * ../soc/). Every function returns 0 or -errno unless it says otherwise.
 */
#ifndef LEAPIO_KSFT_SOC_CARD_H
#define LEAPIO_KSFT_SOC_CARD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SOC_MODULE_NAME		"leapio_soc"
#define SOC_DRIVER_DIR		"/sys/bus/pci/drivers/leapio_soc"
#define SOC_DEV_PATH		"/dev/leapio_soc"
#define SOC_PCI_VENDOR		0x1af4
#define SOC_PCI_DEVICE		0x1110
/* ivshmem BAR0 registers (QEMU's docs/specs/ivshmem-spec) */
#define SOC_REG_IVPOSITION	8
#define SOC_REG_DOORBELL	12
/* The reason the card's tests skip in an L1 without the card. */
#define SOC_SKIP_REASON		"no ivshmem function (1af4:1110) in this VM: the card's tests run in tests/vm/card/run-l1-card.sh's L1"

struct soc_rig {
	char	host[16];	/* PCI addresses, "0000:00:10.0" */
	char	dram[16];
	char	hostmem[16];
	char	ko[PATH_MAX];
	char	params[64];	/* "dram=... hostmem=..." */
};

/* How many 1af4:1110 functions this VM has (0: not the card's L1). */
int soc_ivshmem_count(void);
/* The addresses and module path, from the environment or the defaults. */
int soc_rig_init(struct soc_rig *r);
/* leapio_soc.ko loaded with params (reloaded if it was loaded). */
int soc_load(const struct soc_rig *r, const char *params);
/* Unloaded (0 when it was not loaded). */
int soc_unload(void);

/* /sys/bus/pci/devices/<bdf>/<attr>, written whole. */
int soc_pci_write(const char *bdf, const char *attr, const char *val);
/* The driver bound to bdf into buf ("" when none). */
int soc_pci_driver(const char *bdf, char *buf, size_t len);
/* Bind or unbind bdf to/from leapio_soc through sysfs. */
int soc_bind(const char *bdf);
int soc_unbind(const char *bdf);

/*
 * BAR bar of bdf mapped shared through its sysfs resource file (memory
 * decoding enabled first; soc_unmap_bar() disables it again): *len is
 * the BAR's length. NULL with errno set on failure.
 */
void *soc_map_bar(const char *bdf, int bar, size_t *len);
void soc_unmap_bar(const char *bdf, void *p, size_t len);

/* The physical address of p (its page present). */
int soc_phys(const void *p, uint64_t *phys);
/* Those of the n (present) pages from page-aligned p on, one a page. */
int soc_phys_pages(const void *p, size_t n, uint64_t *phys);
/*
 * Where q35 put the top of L1's RAM below 4 GiB, from /proc/iomem
 * (LEAPIO_CARD_LOWMEM overrides), and whether there is RAM above it.
 */
int soc_lowmem(uint64_t *lowmem, bool *above4g);
/* The host-DRAM window offset of L1 physical address phys. */
uint64_t soc_hostwin_off(uint64_t phys, uint64_t lowmem);

/* The kernel log from now on: soc_kmsg_find() looks for text in it. */
int soc_kmsg_open(void);
/* 1 if a record logged since soc_kmsg_open() contains text, else 0. */
int soc_kmsg_find(int fd, const char *text);

#endif /* LEAPIO_KSFT_SOC_CARD_H */
