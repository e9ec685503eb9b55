// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated card of the rig: QEMU's ivshmem-doorbell (docs/specs/
 * ivshmem-spec in QEMU's sources), PCI 1af4:1110 with MSI-X.
 *   BAR0  registers: IVPosition at 8 (our peer id, the doorbell address
 *         the card rings), Doorbell at 12 (write peer << 16 | vector)
 *   BAR1  MSI-X table: one vector per eventfd the server gave
 *   BAR2  the shared memory, here the card's DRAM
 * ivshmem-plain has the same IDs and no MSI-X: it has no doorbell and is
 * refused.
 */
#include <linux/io.h>
#include <linux/pci.h>

#include "card.h"

#define LIO_IVSHMEM_VENDOR	0x1af4
#define LIO_IVSHMEM_DEVICE	0x1110
#define LIO_IVSHMEM_REGS_BAR	0
#define LIO_IVSHMEM_DRAM_BAR	2
#define LIO_IVSHMEM_IVPOSITION	8
#define LIO_IVSHMEM_DOORBELL	12
/* Peer ids and vectors are 16 bits each in the Doorbell register. */
#define LIO_IVSHMEM_PEER_MAX	0xffff

static int lio_ivshmem_probe(struct lio_card *c)
{
	struct pci_dev *pdev = c->pdev;
	u32 pos;

	if (pdev->vendor != LIO_IVSHMEM_VENDOR ||
	    pdev->device != LIO_IVSHMEM_DEVICE)
		return -ENODEV;
	if (!pdev->msix_cap) {
		pci_err(pdev, "ivshmem without MSI-X (ivshmem-plain?): a card needs ivshmem-doorbell\n");
		return -ENODEV;
	}
	c->regs = pci_iomap(pdev, LIO_IVSHMEM_REGS_BAR, 0);
	if (!c->regs)
		return -ENOMEM;
	/* -1 until the device is connected to its server. */
	pos = readl(c->regs + LIO_IVSHMEM_IVPOSITION);
	if (pos > LIO_IVSHMEM_PEER_MAX) {
		pci_err(pdev, "ivshmem-doorbell has no peer id (%#x): not connected to its server\n",
			pos);
		pci_iounmap(pdev, c->regs);
		c->regs = NULL;
		return -ENODEV;
	}
	c->own_peer = pos;
	c->dram_bar = LIO_IVSHMEM_DRAM_BAR;
	return 0;
}

static void lio_ivshmem_remove(struct lio_card *c)
{
	pci_iounmap(c->pdev, c->regs);
	c->regs = NULL;
}

static void lio_ivshmem_ring(struct lio_card *c, u32 peer, u16 vector)
{
	if (peer <= LIO_IVSHMEM_PEER_MAX)
		writel(peer << 16 | vector, c->regs + LIO_IVSHMEM_DOORBELL);
}

/*
 * BAR2 is RAM of the emulator shared with the other VM: cached and
 * coherent on both sides, and x86's store order keeps the region
 * writer's smp_wmb() protocol (common/leapio/region_writer.c) as the card
 * reads it. A card behind a non-coherent link would want MEMREMAP_WC,
 * pgprot_writecombine() and wmb() where the writer orders stores.
 */
static pgprot_t lio_ivshmem_pgprot(pgprot_t prot)
{
	return prot;
}

const struct lio_card_ops lio_card_ivshmem_ops = {
	.name		= "ivshmem-doorbell",
	.probe		= lio_ivshmem_probe,
	.remove		= lio_ivshmem_remove,
	.ring		= lio_ivshmem_ring,
	.dram_flags	= MEMREMAP_WB,
	.pgprot		= lio_ivshmem_pgprot,
};
