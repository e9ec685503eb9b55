// SPDX-License-Identifier: GPL-2.0
/*
 * leapio_soc.ko: the card side of SoC mode. On the card, it binds the two
 * PCI functions that hold the card's windows, named by the module
 * parameters dram= (card DRAM and the doorbell) and hostmem= (the window
 * on host DRAM), and gives them to leapiod through /dev/leapio_soc
 * (chardev.c). Documentation/abi/soc-device.rst.
 *
 * The PCI driver matches the device IDs of the kinds of card it knows
 * (lio_soc_hws[]) but binds only the two functions named: the card's
 * host-facing function is the same kind of device and belongs to the host
 * driver, and other devices of that kind to whoever uses them. There is
 * no MODULE_DEVICE_TABLE, for the same reason: the module is loaded on
 * purpose, with its parameters, never for any device of the kind.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "../../common/leapio/version.h"
#include "lio_soc.h"
#include "../../uapi/linux/leapio_card.h"

static char *lio_soc_param[LIO_SOC_NR_ROLES];
module_param_named(dram, lio_soc_param[LIO_SOC_DRAM], charp, 0444);
MODULE_PARM_DESC(dram, "PCI address ([domain:]bus:dev.fn) of the function holding card DRAM and the doorbell");
module_param_named(hostmem, lio_soc_param[LIO_SOC_HOSTMEM], charp, 0444);
MODULE_PARM_DESC(hostmem, "PCI address ([domain:]bus:dev.fn) of the function holding the host-DRAM window");

static const char * const lio_soc_role_name[LIO_SOC_NR_ROLES] = {
	[LIO_SOC_DRAM]		= "dram",
	[LIO_SOC_HOSTMEM]	= "hostmem",
};

/* The kinds of card the module drives. */
static const struct lio_soc_hw_ops * const lio_soc_hws[] = {
	&lio_soc_ivshmem_ops,
};

struct lio_soc_card lio_soc_card = {
	.lock	= __RWSEM_INITIALIZER(lio_soc_card.lock),
	.files	= LIST_HEAD_INIT(lio_soc_card.files),
};

/* The parameters, parsed: each role's PCI address. */
struct lio_soc_addr {
	int		domain;
	unsigned int	bus;
	unsigned int	devfn;
};

static struct lio_soc_addr lio_soc_addr[LIO_SOC_NR_ROLES];
/* Why probe refused the function of each role (module init reports it). */
static int lio_soc_probe_err[LIO_SOC_NR_ROLES];

/*
 * [domain:]bus:dev.fn as lspci -D prints it: hexadecimal digits only (no
 * sign, space or 0x, which sscanf() would take), each field no wider
 * than its bits.
 */
static int lio_soc_parse(const char *s, struct lio_soc_addr *a)
{
	unsigned int dom = 0, bus, dev, fn;
	int n = 0;

	if (strspn(s, "0123456789abcdefABCDEF:.") != strlen(s))
		return -EINVAL;
	if (sscanf(s, "%4x:%2x:%2x.%1x%n", &dom, &bus, &dev, &fn, &n) != 4 ||
	    s[n]) {
		dom = 0;
		n = 0;
		if (sscanf(s, "%2x:%2x.%1x%n", &bus, &dev, &fn, &n) != 3 ||
		    s[n])
			return -EINVAL;
	}
	if (dev > 0x1f || fn > 7)
		return -EINVAL;
	a->domain = dom;
	a->bus = bus;
	a->devfn = PCI_DEVFN(dev, fn);
	return 0;
}

static bool lio_soc_is(struct pci_dev *pdev, const struct lio_soc_addr *a)
{
	return pci_domain_nr(pdev->bus) == a->domain &&
	       pdev->bus->number == a->bus && pdev->devfn == a->devfn;
}

static const struct lio_soc_hw_ops *lio_soc_hw_of(struct pci_dev *pdev)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(lio_soc_hws); i++)
		if (pdev->vendor == lio_soc_hws[i]->vendor &&
		    pdev->device == lio_soc_hws[i]->device)
			return lio_soc_hws[i];
	return NULL;
}

/* The window of role in its BAR: present, assigned, page aligned. */
static int lio_soc_check_win(struct pci_dev *pdev, int bar,
			     enum lio_soc_role role)
{
	resource_size_t start = pci_resource_start(pdev, bar);
	resource_size_t len = pci_resource_len(pdev, bar);
	unsigned long flags = pci_resource_flags(pdev, bar);
	const char *what = lio_soc_role_name[role];

	if (!len || !(flags & IORESOURCE_MEM)) {
		dev_err(&pdev->dev, "%s=: no memory BAR%d\n", what, bar);
		return -EINVAL;
	}
	if ((flags & IORESOURCE_UNSET) || !start) {
		dev_err(&pdev->dev, "%s=: BAR%d has no address assigned\n",
			what, bar);
		return -EINVAL;
	}
	if (!PAGE_ALIGNED(start) || !PAGE_ALIGNED(len) ||
	    len > LEAPIO_SOC_WINDOW_MAX) {
		dev_err(&pdev->dev, "%s=: BAR%d (%pR) is not page aligned or is over %llu bytes\n",
			what, bar, &pdev->resource[bar], LEAPIO_SOC_WINDOW_MAX);
		return -EINVAL;
	}
	/* The host driver's directory (leapio_card.h) comes before any region. */
	if (role == LIO_SOC_DRAM && len < LEAPIO_CARD_DATA_OFF) {
		dev_err(&pdev->dev, "dram=: BAR%d is %llu bytes, less than the card directory's %llu\n",
			bar, (unsigned long long)len, LEAPIO_CARD_DATA_OFF);
		return -EINVAL;
	}
	return 0;
}

/* The DRAM function's doorbell: its registers, own address and vectors. */
static int lio_soc_doorbell_init(struct lio_soc_card *card,
				 const struct lio_soc_hw_ops *hw,
				 struct pci_dev *pdev)
{
	void __iomem *regs;
	u32 peer, nr;
	struct lio_soc_vec *vec;
	int ret;

	regs = pci_iomap(pdev, hw->regs_bar, 0);
	if (!regs) {
		dev_err(&pdev->dev, "cannot map the doorbell registers (BAR%d)\n",
			hw->regs_bar);
		return -ENOMEM;
	}
	ret = hw->peer(pdev, regs, &peer);
	if (ret)
		goto err_unmap;
	/* MSI-X messages are writes the function makes. */
	pci_set_master(pdev);
	ret = lio_soc_irq_init(pdev, &vec, &nr);
	if (ret)
		goto err_master;

	down_write(&card->lock);
	card->regs = regs;
	card->peer = peer;
	card->vec = vec;
	card->nr_vec = nr;
	up_write(&card->lock);
	return 0;

err_master:
	pci_clear_master(pdev);
err_unmap:
	pci_iounmap(pdev, regs);
	return ret;
}

static void lio_soc_doorbell_exit(struct lio_soc_card *card,
				  struct pci_dev *pdev)
{
	struct lio_soc_vec *vec;
	void __iomem *regs;
	u32 nr;

	down_write(&card->lock);
	vec = card->vec;
	nr = card->nr_vec;
	regs = card->regs;
	card->vec = NULL;
	card->nr_vec = 0;
	card->regs = NULL;
	up_write(&card->lock);

	lio_soc_irq_exit(pdev, vec, nr);
	pci_clear_master(pdev);
	pci_iounmap(pdev, regs);
}

static int lio_soc_bind(struct lio_soc_card *card,
			const struct lio_soc_hw_ops *hw, struct pci_dev *pdev,
			enum lio_soc_role role)
{
	const struct lio_soc_hw_ops *cur;
	int bar = hw->bar[role];
	void *kaddr;
	bool up;
	int ret;

	down_read(&card->lock);
	cur = card->hw;
	up_read(&card->lock);
	if (cur && cur != hw) {
		dev_err(&pdev->dev, "%s=: a %s function, but the card is %s\n",
			lio_soc_role_name[role], hw->name, cur->name);
		return -EINVAL;
	}
	ret = hw->check(pdev, role);
	if (ret)
		return ret;
	ret = lio_soc_check_win(pdev, bar, role);
	if (ret)
		return ret;
	ret = pci_enable_device(pdev);
	if (ret) {
		dev_err(&pdev->dev, "pci_enable_device: %d\n", ret);
		return ret;
	}
	/* From here on /dev/mem and sysfs resource files cannot map them. */
	ret = pci_request_regions(pdev, KBUILD_MODNAME);
	if (ret) {
		dev_err(&pdev->dev, "BARs in use: %d\n", ret);
		goto err_disable;
	}
	/*
	 * Nothing reads through this mapping: it gives the window its memory
	 * type. On x86, PAT maps user pages of a range with the type
	 * reserved for it, uncached for a BAR nobody mapped; write-back for
	 * coherent windows (RAM on both sides, ivshmem.c), write-combined
	 * for a real card's prefetchable BAR.
	 */
	kaddr = memremap(pci_resource_start(pdev, bar), pci_resource_len(pdev, bar),
			 hw->coherent ? MEMREMAP_WB : MEMREMAP_WC);
	if (!kaddr) {
		dev_err(&pdev->dev, "%s=: cannot map BAR%d\n",
			lio_soc_role_name[role], bar);
		ret = -ENOMEM;
		goto err_release;
	}
	if (role == LIO_SOC_DRAM) {
		ret = lio_soc_doorbell_init(card, hw, pdev);
		if (ret)
			goto err_unmap;
	}

	down_write(&card->lock);
	card->hw = hw;
	card->win[role].pdev = pdev;
	card->win[role].phys = pci_resource_start(pdev, bar);
	card->win[role].size = pci_resource_len(pdev, bar);
	card->win[role].kaddr = kaddr;
	up = card->win[!role].pdev;
	if (up) {
		card->live = true;
		card->gen++;
	}
	up_write(&card->lock);
	dev_info(&pdev->dev, "%s=: %s window, %llu MiB%s\n",
		 lio_soc_role_name[role], hw->name,
		 (unsigned long long)pci_resource_len(pdev, bar) >> 20,
		 up ? "; the card is up" : "");
	return 0;

err_unmap:
	memunmap(kaddr);
err_release:
	pci_release_regions(pdev);
err_disable:
	pci_disable_device(pdev);
	return ret;
}

static int lio_soc_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	const struct lio_soc_hw_ops *hw = lio_soc_hw_of(pdev);
	enum lio_soc_role role;

	for (role = 0; role < LIO_SOC_NR_ROLES; role++)
		if (lio_soc_is(pdev, &lio_soc_addr[role]))
			break;
	/* Not one of ours: quietly, it may be the host driver's. */
	if (role == LIO_SOC_NR_ROLES || !hw)
		return -ENODEV;
	lio_soc_probe_err[role] = lio_soc_bind(&lio_soc_card, hw, pdev, role);
	return lio_soc_probe_err[role];
}

/*
 * The card is no longer whole: mappings go (SIGBUS from now on), vectors
 * lose their eventfds and every open file goes dead.
 */
static void lio_soc_remove(struct pci_dev *pdev)
{
	struct lio_soc_card *card = &lio_soc_card;
	enum lio_soc_role role;
	bool was_live;
	void *kaddr;

	down_write(&card->lock);
	role = card->win[LIO_SOC_DRAM].pdev == pdev ? LIO_SOC_DRAM :
						       LIO_SOC_HOSTMEM;
	was_live = card->live;
	if (card->live) {
		card->live = false;
		lio_soc_chardev_kill(card);
	}
	kaddr = card->win[role].kaddr;
	card->win[role] = (struct lio_soc_win){ };
	if (!card->win[!role].pdev)
		card->hw = NULL;
	up_write(&card->lock);

	if (role == LIO_SOC_DRAM)
		lio_soc_doorbell_exit(card, pdev);
	memunmap(kaddr);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
	dev_info(&pdev->dev, "%s=: unbound%s\n", lio_soc_role_name[role],
		 was_live ? "; the card is down" : "");
}

static const struct pci_device_id lio_soc_ids[] = {
	{ PCI_DEVICE(LIO_SOC_IVSHMEM_VENDOR, LIO_SOC_IVSHMEM_DEVICE) },
	{ }
};

static struct pci_driver lio_soc_driver = {
	.name		= KBUILD_MODNAME,
	.id_table	= lio_soc_ids,
	.probe		= lio_soc_probe,
	.remove		= lio_soc_remove,
};

/* Each parameter is given, and is a PCI address. */
static int lio_soc_parse_param(enum lio_soc_role role)
{
	const char *what = lio_soc_role_name[role];
	const char *s = lio_soc_param[role];

	if (!s || !*s) {
		pr_err("%s= is required: the PCI address of the %s\n", what,
		       role == LIO_SOC_DRAM ? "card DRAM function" :
					      "host-DRAM window function");
		return -EINVAL;
	}
	if (lio_soc_parse(s, &lio_soc_addr[role])) {
		pr_err("%s=%s: not a PCI address ([domain:]bus:dev.fn)\n",
		       what, s);
		return -EINVAL;
	}
	return 0;
}

/*
 * Each parameter names a PCI function of a kind the module drives and
 * that no other driver holds; what the function must look like is
 * probe's to check, so that a bind through sysfs is checked alike.
 */
static int lio_soc_check_param(enum lio_soc_role role)
{
	const char *what = lio_soc_role_name[role];
	struct lio_soc_addr *a = &lio_soc_addr[role];
	struct device_driver *drv;
	struct pci_dev *pdev;
	int ret = 0;

	pdev = pci_get_domain_bus_and_slot(a->domain, a->bus, a->devfn);
	if (!pdev) {
		pr_err("%s=%s: no such PCI device\n", what, lio_soc_param[role]);
		return -EINVAL;
	}
	drv = READ_ONCE(pdev->dev.driver);
	if (!lio_soc_hw_of(pdev)) {
		dev_err(&pdev->dev, "%s=: %04x:%04x is no card function this module drives\n",
			what, pdev->vendor, pdev->device);
		ret = -EINVAL;
	} else if (drv) {
		dev_err(&pdev->dev, "%s=: already bound to %s\n", what,
			drv->name);
		ret = -EBUSY;
	}
	pci_dev_put(pdev);
	return ret;
}

static int __init lio_soc_init(void)
{
	struct lio_soc_card *card = &lio_soc_card;
	enum lio_soc_role role;
	int ret;

	for (role = 0; role < LIO_SOC_NR_ROLES; role++) {
		ret = lio_soc_parse_param(role);
		if (ret)
			return ret;
	}
	if (!memcmp(&lio_soc_addr[LIO_SOC_DRAM], &lio_soc_addr[LIO_SOC_HOSTMEM],
		    sizeof(lio_soc_addr[0]))) {
		pr_err("dram= and hostmem= name the same function\n");
		return -EINVAL;
	}
	for (role = 0; role < LIO_SOC_NR_ROLES; role++) {
		ret = lio_soc_check_param(role);
		if (ret)
			return ret;
	}

	ret = lio_soc_chardev_init();
	if (ret)
		return ret;
	/* Probing is synchronous: both functions are bound or refused here. */
	ret = pci_register_driver(&lio_soc_driver);
	if (ret)
		goto err_chardev;
	down_read(&card->lock);
	for (role = 0; role < LIO_SOC_NR_ROLES && !ret; role++)
		if (!card->win[role].pdev)
			ret = lio_soc_probe_err[role] ?: -ENODEV;
	up_read(&card->lock);
	if (ret)
		goto err_driver;
	return 0;

err_driver:
	pci_unregister_driver(&lio_soc_driver);
err_chardev:
	lio_soc_chardev_exit();
	return ret;
}

/* No file is open (each holds the module): nothing is mapped. */
static void __exit lio_soc_exit(void)
{
	pci_unregister_driver(&lio_soc_driver);
	lio_soc_chardev_exit();
}

module_init(lio_soc_init);
module_exit(lio_soc_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("LeapIO SoC card side: the card's windows and doorbells for leapiod");
MODULE_AUTHOR("LeapIO");
MODULE_VERSION(LEAPIO_VERSION);
