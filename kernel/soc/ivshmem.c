// SPDX-License-Identifier: GPL-2.0
/*
 * The rig's emulated card: QEMU ivshmem functions (docs/specs/
 * ivshmem-spec in QEMU's sources). Card DRAM is the shared memory (BAR2)
 * of an ivshmem-doorbell function, whose BAR0 registers and MSI-X vectors
 * (BAR1) are the card's doorbell; the host-DRAM window is the shared
 * memory of an ivshmem-plain function on the host's RAM file.
 *
 * Both windows are RAM the hypervisor shares between the two VMs, so a
 * cacheable mapping sees the other side's stores like another CPU's:
 * coherent. (A non-cacheable one could even be wrong: under KVM on arm64
 * the guest's memory type wins, and an uncached view of memory the other
 * side caches would not be coherent.)
 */
#include <linux/io.h>
#include <linux/pci.h>

#include "lio_soc.h"

#define IVSHMEM_BAR_REGS	0
#define IVSHMEM_BAR_MEM		2
#define IVSHMEM_REG_IVPOSITION	8	/* own peer id; -1 without a server */
#define IVSHMEM_REG_DOORBELL	12	/* peer << 16 | vector */
#define IVSHMEM_REGS_SIZE	16

/*
 * Only the doorbell function has MSI-X: that is what tells the two
 * apart, and what catches dram= and hostmem= swapped.
 */
static int lio_ivshmem_check(struct pci_dev *pdev, enum lio_soc_role role)
{
	bool doorbell = pdev->msix_cap;

	if (pci_resource_len(pdev, IVSHMEM_BAR_REGS) < IVSHMEM_REGS_SIZE ||
	    !(pci_resource_flags(pdev, IVSHMEM_BAR_REGS) & IORESOURCE_MEM)) {
		dev_err(&pdev->dev, "BAR0 is no ivshmem register block (%llu bytes)\n",
			(unsigned long long)pci_resource_len(pdev, IVSHMEM_BAR_REGS));
		return -EINVAL;
	}
	if (role == LIO_SOC_DRAM && !doorbell) {
		dev_err(&pdev->dev, "dram=: no MSI-X, an ivshmem-plain: card DRAM is the ivshmem-doorbell function\n");
		return -EINVAL;
	}
	if (role == LIO_SOC_HOSTMEM && doorbell) {
		dev_err(&pdev->dev, "hostmem=: an ivshmem-doorbell: the host-DRAM window is the ivshmem-plain function\n");
		return -EINVAL;
	}
	return 0;
}

static int lio_ivshmem_peer(struct pci_dev *pdev, void __iomem *regs,
			    u32 *peer)
{
	u32 pos = readl(regs + IVSHMEM_REG_IVPOSITION);

	if (pos > LEAPIO_SOC_PEER_MAX) {
		dev_err(&pdev->dev, "IVPosition %#x: no doorbell address (is the ivshmem server up?)\n",
			pos);
		return -EINVAL;
	}
	*peer = pos;
	return 0;
}

/*
 * writel() orders the caller's earlier stores to the windows before the
 * doorbell write (a barrier on arm64, program order to uncached memory
 * on x86), so the side it interrupts sees what it was rung for.
 */
static void lio_ivshmem_ring(void __iomem *regs, u32 peer, u32 vector)
{
	writel(peer << 16 | vector, regs + IVSHMEM_REG_DOORBELL);
}

const struct lio_soc_hw_ops lio_soc_ivshmem_ops = {
	.name		= "ivshmem",
	.hw		= LEAPIO_SOC_HW_IVSHMEM,
	.vendor		= LIO_SOC_IVSHMEM_VENDOR,
	.device		= LIO_SOC_IVSHMEM_DEVICE,
	.coherent	= true,
	.bar		= {
		[LIO_SOC_DRAM]		= IVSHMEM_BAR_MEM,
		[LIO_SOC_HOSTMEM]	= IVSHMEM_BAR_MEM,
	},
	.regs_bar	= IVSHMEM_BAR_REGS,
	.check		= lio_ivshmem_check,
	.peer		= lio_ivshmem_peer,
	.ring		= lio_ivshmem_ring,
};
