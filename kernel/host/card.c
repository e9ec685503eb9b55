// SPDX-License-Identifier: GPL-2.0
/*
 * SoC mode: binding the card's host-facing PCI function and writing the
 * card header (uapi/linux/leapio_card.h).
 *
 * The card is named by its PCI address, at load (card=<address>) or later
 * by writing /sys/module/leapio_host/parameters/card (an empty write
 * unbinds, refused while a controller has its region in the card's DRAM).
 * Binding goes through the driver model: the device's driver_override is
 * set to this module's PCI driver, which has no ID table and no sysfs
 * bind/unbind files, so it drives only the device it was told to and
 * shows as the device's driver. Documentation/admin-guide/leapio.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/kref.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "card.h"
#include "lio_host.h"

#define LIO_CARD_DRV		"leapio_card"
/* "dddd:bb:dd.f" and a little more: what a PCI address can be. */
#define LIO_CARD_ADDR_MAX	32

/* The cards this driver knows; the first whose probe() accepts wins. */
static const struct lio_card_ops *const lio_card_impls[] = {
	&lio_card_ivshmem_ops,
};

static unsigned int lio_card_reserve_mb = 16;
module_param_named(card_reserve_mb, lio_card_reserve_mb, uint, 0444);
MODULE_PARM_DESC(card_reserve_mb,
		 "MiB at the end of card DRAM left to the card (its runtime's staging buffers; default 16)");

/*
 * lio_card_lock: the bound card. The driver's probe and remove take it,
 * so binding does not hold it across device_driver_attach().
 */
static DEFINE_MUTEX(lio_card_lock);
static struct lio_card *lio_the_card;
/* card= as given at load, bound by lio_card_init(). */
static char lio_card_addr[LIO_CARD_ADDR_MAX];
/* lio_card_init() ran: a write to the parameter binds at once. */
static bool lio_card_live;

static struct pci_driver lio_card_driver;

/*
 * Set (a driver name) or clear ("") the device's driver_override: the
 * driver core keeps it in struct device where it has one of its own
 * (Debian's 6.12, LIO_HAVE_DEVICE_DRIVER_OVERRIDE), struct pci_dev did
 * before. Clearing allocates nothing and cannot fail.
 */
static int lio_set_driver_override(struct pci_dev *pdev, const char *s)
{
#ifdef LIO_HAVE_DEVICE_DRIVER_OVERRIDE
	return device_set_driver_override(&pdev->dev, s);
#else
	return driver_set_override(&pdev->dev, &pdev->driver_override, s,
				   strlen(s));
#endif
}

/* ---- the header ---- */

struct leapio_card_slot *lio_card_slot_ptr(struct lio_card *c, int slot)
{
	return c->dram + LEAPIO_CARD_PAGE * (1 + slot);
}

/*
 * Magic last, and 0 while the rest is written: a card that reads the
 * header between two binds sees no header rather than half of one. The
 * slots are zeroed: no controller is in the card's DRAM at bind.
 */
static void lio_card_hdr_write(struct lio_card *c)
{
	struct leapio_card_hdr *h = c->hdr;
	/*
	 * An unbind leaves the header but its magic: a header of this
	 * layout is an earlier bind's, whose generation goes on.
	 */
	u32 gen = READ_ONCE(h->hdr_size) == sizeof(*h) &&
		  READ_ONCE(h->nr_slots) == LEAPIO_CARD_SLOTS ?
		  READ_ONCE(h->host_gen) + 1 : 1;

	WRITE_ONCE(h->magic, 0);
	smp_wmb();	/* the card sees no magic before the new fields */
	memset(c->dram + LEAPIO_CARD_PAGE, 0,
	       LEAPIO_CARD_SLOTS * LEAPIO_CARD_PAGE);
	c->host_gen = gen ? gen : 1;
	h->version_major = LEAPIO_CARD_VERSION_MAJOR;
	h->version_minor = LEAPIO_CARD_VERSION_MINOR;
	h->hdr_size = sizeof(*h);
	h->dram_size = c->dram_size;
	h->nr_slots = LEAPIO_CARD_SLOTS;
	h->slot_size = sizeof(struct leapio_card_slot);
	h->host_peer = c->own_peer;
	h->host_gen = c->host_gen;
	h->card_reserve = c->reserve;
	memset(h->rsvd0, 0, sizeof(h->rsvd0));
	smp_wmb();	/* the fields before the magic */
	WRITE_ONCE(h->magic, LEAPIO_CARD_MAGIC);
}

void lio_card_ring(struct lio_card *c)
{
	struct leapio_card_hdr *h = c->hdr;

	/* Pairs with the card's release of card_ready: card_peer is set. */
	if (smp_load_acquire(&h->card_ready) != c->host_gen)
		return;
	/* What the ring announces is in card DRAM before the doorbell. */
	wmb();
	c->ops->ring(c, READ_ONCE(h->card_peer), LEAPIO_CARD_VEC_CARD);
}

/* ---- slots ---- */

/*
 * First fit of len bytes at LEAPIO_CARD_REGION_ALIGN in [DATA_OFF,
 * dram_size - reserve): an offset, or 0 if none. Under c->lock.
 */
static u64 lio_card_fit(struct lio_card *c, u64 len)
{
	u64 end = c->dram_size - c->reserve;
	u64 start = LEAPIO_CARD_DATA_OFF;
	bool moved;
	int i;

	do {
		moved = false;
		for (i = 0; i < LEAPIO_CARD_SLOTS; i++) {
			const struct lio_card_use *u = &c->use[i];

			if (!u->lm || u->off >= start + len ||
			    u->off + u->size <= start)
				continue;
			start = ALIGN(u->off + u->size, LEAPIO_CARD_REGION_ALIGN);
			moved = true;
		}
	} while (moved && start + len <= end);
	return start + len <= end ? start : 0;
}

static void lio_card_free(struct kref *ref);

struct lio_card *lio_card_slot_get(struct lio_mdev *lm, u64 size, int *slot,
				   u64 *off)
{
	u64 len = ALIGN(size, LEAPIO_CARD_REGION_ALIGN);
	struct lio_card *c, *ret;
	int i;

	*slot = -1;
	mutex_lock(&lio_card_lock);
	c = lio_the_card;
	if (!c || c->closing) {
		mutex_unlock(&lio_card_lock);
		return NULL;
	}
	mutex_lock(&c->lock);
	ret = ERR_PTR(-ENOSPC);
	for (i = 0; i < LEAPIO_CARD_SLOTS && c->use[i].lm; i++)
		;
	if (i == LEAPIO_CARD_SLOTS) {
		dev_err(lm->vdev.dev, "not created: all %u slots of card %s are in use\n",
			LEAPIO_CARD_SLOTS, pci_name(c->pdev));
		goto out;
	}
	*off = lio_card_fit(c, len);
	if (!*off) {
		dev_err(lm->vdev.dev, "not created: card %s's DRAM is full: no %llu KiB left for the region below the last %u MiB (card_reserve_mb)\n",
			pci_name(c->pdev), len >> 10, lio_card_reserve_mb);
		goto out;
	}
	c->use[i].lm = lm;
	c->use[i].off = *off;
	c->use[i].size = len;
	c->nr_used++;
	*slot = i;
	kref_get(&c->ref);
	/* Unloading would pull card DRAM from under the card's runtime. */
	__module_get(THIS_MODULE);
	ret = c;
out:
	mutex_unlock(&c->lock);
	mutex_unlock(&lio_card_lock);
	return ret;
}

void lio_card_slot_put(struct lio_card *c, int slot)
{
	mutex_lock(&c->lock);
	memset(&c->use[slot], 0, sizeof(c->use[slot]));
	c->nr_used--;
	mutex_unlock(&c->lock);
	kref_put(&c->ref, lio_card_free);
	module_put(THIS_MODULE);
}

/* ---- the doorbell interrupt ---- */

/*
 * The card rang: it changed something of one or more slots (irq_post[],
 * a mailbox request, an ack). Each slot in use looks; in a thread, since
 * answering the mailbox sleeps.
 */
static irqreturn_t lio_card_irq_thread(int irq, void *data)
{
	struct lio_card *c = data;
	int i;

	mutex_lock(&c->lock);
	c->irqs++;
	for (i = 0; i < LEAPIO_CARD_SLOTS; i++)
		if (c->use[i].lm)
			lio_card_region_irq(c->use[i].lm);
	mutex_unlock(&c->lock);
	return IRQ_HANDLED;
}

/* ---- binding ---- */

/* The last slot and the driver are gone: give the device back. */
static void lio_card_free(struct kref *ref)
{
	struct lio_card *c = container_of(ref, struct lio_card, ref);
	struct pci_dev *pdev = c->pdev;

	memunmap(c->dram);
	c->ops->remove(c);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
	mutex_destroy(&c->lock);
	kfree(c);
	pci_dev_put(pdev);
}

/* The first of lio_card_impls[] that takes the device. */
static int lio_card_identify(struct lio_card *c)
{
	int i, ret = -ENODEV;

	for (i = 0; i < ARRAY_SIZE(lio_card_impls) && ret == -ENODEV; i++) {
		c->ops = lio_card_impls[i];
		ret = c->ops->probe(c);
	}
	if (ret == -ENODEV)
		pci_err(c->pdev, "%04x:%04x is no card this driver knows\n",
			c->pdev->vendor, c->pdev->device);
	return ret;
}

static int lio_card_map_dram(struct lio_card *c)
{
	struct pci_dev *pdev = c->pdev;
	u64 min = LEAPIO_CARD_DATA_OFF + LEAPIO_CARD_REGION_ALIGN;

	if (!(pci_resource_flags(pdev, c->dram_bar) & IORESOURCE_MEM))
		return -ENODEV;
	c->dram_phys = pci_resource_start(pdev, c->dram_bar);
	c->dram_size = pci_resource_len(pdev, c->dram_bar);
	c->reserve = (u64)lio_card_reserve_mb << 20;
	if (c->dram_size < min || c->dram_size - min < c->reserve) {
		pci_err(pdev, "card DRAM of %llu MiB leaves no room for a region besides card_reserve_mb=%u\n",
			c->dram_size >> 20, lio_card_reserve_mb);
		return -ENOSPC;
	}
	c->dram = memremap(c->dram_phys, c->dram_size, c->ops->dram_flags);
	if (!c->dram)
		return -ENOMEM;
	c->hdr = c->dram;
	return 0;
}

static int lio_card_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct lio_card *c;
	int ret;

	BUILD_BUG_ON(sizeof(struct leapio_card_hdr) > LEAPIO_CARD_PAGE);
	BUILD_BUG_ON(sizeof(struct leapio_card_slot) > LEAPIO_CARD_PAGE);
	BUILD_BUG_ON(LEAPIO_CARD_PAGE * (1 + LEAPIO_CARD_SLOTS) >
		     LEAPIO_CARD_DATA_OFF);

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->pdev = pci_dev_get(pdev);
	mutex_init(&c->lock);
	kref_init(&c->ref);

	ret = pci_enable_device(pdev);
	if (ret)
		goto err_free;
	ret = pci_request_regions(pdev, LIO_CARD_DRV);
	if (ret)
		goto err_disable;
	ret = lio_card_identify(c);
	if (ret)
		goto err_regions;
	ret = lio_card_map_dram(c);
	if (ret)
		goto err_ops;
	pci_set_master(pdev);
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX);
	if (ret < 0)
		goto err_unmap;
	c->irq = pci_irq_vector(pdev, LEAPIO_CARD_VEC_HOST);
	ret = request_threaded_irq(c->irq, NULL, lio_card_irq_thread,
				   IRQF_ONESHOT, LIO_CARD_DRV, c);
	if (ret)
		goto err_vectors;

	mutex_lock(&lio_card_lock);
	if (lio_the_card) {
		/* Reached only by a hand-made driver_override. */
		mutex_unlock(&lio_card_lock);
		pci_err(pdev, "a card is bound already: %s\n",
			pci_name(lio_the_card->pdev));
		ret = -EBUSY;
		goto err_irq;
	}
	lio_card_hdr_write(c);
	pci_set_drvdata(pdev, c);
	lio_the_card = c;
	mutex_unlock(&lio_card_lock);
	pci_info(pdev, "card bound (%s): %llu MiB of DRAM, host peer %u, generation %u\n",
		 c->ops->name, c->dram_size >> 20, c->own_peer, c->host_gen);
	return 0;

err_irq:
	free_irq(c->irq, c);
err_vectors:
	pci_free_irq_vectors(pdev);
err_unmap:
	memunmap(c->dram);
err_ops:
	c->ops->remove(c);
err_regions:
	pci_release_regions(pdev);
err_disable:
	pci_disable_device(pdev);
err_free:
	pci_dev_put(pdev);
	kfree(c);
	return ret;
}

/*
 * Unbinding is refused while slots are in use (lio_card_unbind()), so
 * this meets slots only when the device itself goes away: their regions
 * stay mapped until their controllers are released (the reference each
 * slot holds), and the card hears nothing from us any more.
 */
static void lio_card_remove(struct pci_dev *pdev)
{
	struct lio_card *c = pci_get_drvdata(pdev);

	mutex_lock(&lio_card_lock);
	c->closing = true;
	lio_the_card = NULL;
	mutex_unlock(&lio_card_lock);
	if (c->nr_used)
		pci_err(pdev, "card removed with %u controllers in its DRAM\n",
			c->nr_used);
	WRITE_ONCE(c->hdr->magic, 0);
	lio_card_ring(c);
	free_irq(c->irq, c);
	pci_free_irq_vectors(pdev);
	kref_put(&c->ref, lio_card_free);
}

/*
 * card_ready, on the bound device: 1 once the card side said it is up for
 * this bind (the header's card_ready = host_gen: its runtime looked at
 * the header), else 0. Read-only; an administrator waits for it before
 * handing a controller to the card, whose runtime must be there to ack.
 */
static ssize_t card_ready_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct lio_card *c = dev_get_drvdata(dev);
	bool ready;

	/* Pairs with the card's release of card_ready, as lio_card_ring(). */
	ready = smp_load_acquire(&c->hdr->card_ready) == c->host_gen;
	return sysfs_emit(buf, "%d\n", ready);
}
static DEVICE_ATTR_RO(card_ready);

static struct attribute *lio_card_dev_attrs[] = {
	&dev_attr_card_ready.attr,
	NULL,
};
ATTRIBUTE_GROUPS(lio_card_dev);

/* No ID table: only the device whose driver_override names us. */
static const struct pci_device_id lio_card_ids[] = {
	{ 0, }
};

static struct pci_driver lio_card_driver = {
	.name		= LIO_CARD_DRV,
	.id_table	= lio_card_ids,
	.probe		= lio_card_probe,
	.remove		= lio_card_remove,
	.driver		= {
		/* The module parameter binds and unbinds, and refuses. */
		.suppress_bind_attrs = true,
	},
	/* Added after probe, removed before remove(). */
	.dev_groups	= lio_card_dev_groups,
};

/*
 * "dddd:bb:dd.f", hex digits only (sscanf()'s %x alone would take a "0x"
 * or a sign): 0 and the numbers, or -EINVAL said why.
 */
static int lio_card_parse_addr(const char *addr, unsigned int *dom,
			       unsigned int *bus, unsigned int *dev,
			       unsigned int *fn)
{
	int n = -1;

	if (addr[strspn(addr, "0123456789abcdefABCDEF:.")] ||
	    sscanf(addr, "%x:%x:%x.%x%n", dom, bus, dev, fn, &n) != 4 ||
	    (size_t)n != strlen(addr) || *dom > 0xffff || *bus > 0xff ||
	    *dev > 0x1f || *fn > 7) {
		pr_err("card=%s: not a PCI address (domain:bus:device.function, as lspci -D shows it)\n",
		       addr);
		return -EINVAL;
	}
	return 0;
}

static int lio_card_bind(const char *addr)
{
	unsigned int dom, bus, dev, fn;
	struct pci_dev *pdev;
	int ret;

	ret = lio_card_parse_addr(addr, &dom, &bus, &dev, &fn);
	if (ret)
		return ret;
	mutex_lock(&lio_card_lock);
	ret = lio_the_card ? -EBUSY : 0;
	if (ret)
		pr_err("card=%s: card %s is bound: unbind it first (write an empty card)\n",
		       addr, pci_name(lio_the_card->pdev));
	mutex_unlock(&lio_card_lock);
	if (ret)
		return ret;

	pdev = pci_get_domain_bus_and_slot(dom, bus, PCI_DEVFN(dev, fn));
	if (!pdev) {
		pr_err("card=%s: no such PCI device\n", addr);
		return -ENODEV;
	}
	if (READ_ONCE(pdev->dev.driver)) {
		pci_err(pdev, "card=%s: the device has a driver already\n",
			addr);
		ret = -EBUSY;
		goto out;
	}
	ret = lio_set_driver_override(pdev, LIO_CARD_DRV);
	if (ret)
		goto out;
	ret = device_driver_attach(&lio_card_driver.driver, &pdev->dev);
	if (ret) {
		pci_err(pdev, "card=%s: not bound (%d)\n", addr, ret);
		lio_set_driver_override(pdev, "");
	}
out:
	pci_dev_put(pdev);
	return ret;
}

static int lio_card_unbind(void)
{
	struct pci_dev *pdev;
	struct lio_card *c;

	mutex_lock(&lio_card_lock);
	c = lio_the_card;
	if (!c) {
		mutex_unlock(&lio_card_lock);
		return 0;
	}
	mutex_lock(&c->lock);
	if (c->nr_used) {
		mutex_unlock(&c->lock);
		mutex_unlock(&lio_card_lock);
		pci_err(c->pdev, "not unbound: %u controllers have their region in the card's DRAM\n",
			c->nr_used);
		return -EBUSY;
	}
	/* No slot from now on: new controllers go to host memory. */
	c->closing = true;
	mutex_unlock(&c->lock);
	pdev = pci_dev_get(c->pdev);
	mutex_unlock(&lio_card_lock);

	device_release_driver(&pdev->dev);
	lio_set_driver_override(pdev, "");
	pci_dev_put(pdev);
	return 0;
}

/* An address, or "" / "none" for no card; trailing newline dropped. */
static int lio_card_parse(const char *val, char *addr)
{
	size_t len = strcspn(val, "\n");

	if (len >= LIO_CARD_ADDR_MAX) {
		pr_err("card=%.*s: not a PCI address\n", (int)len, val);
		return -EINVAL;
	}
	memcpy(addr, val, len);
	addr[len] = 0;
	if (!strcmp(addr, "none"))
		addr[0] = 0;
	return 0;
}

static int lio_card_param_set(const char *val, const struct kernel_param *kp)
{
	char addr[LIO_CARD_ADDR_MAX];
	int ret;

	ret = lio_card_parse(val, addr);
	if (ret)
		return ret;
	if (!lio_card_live) {
		strscpy(lio_card_addr, addr, sizeof(lio_card_addr));
		return 0;
	}
	if (!addr[0])
		return lio_card_unbind();
	return lio_card_bind(addr);
}

static int lio_card_param_get(char *buf, const struct kernel_param *kp)
{
	int n;

	mutex_lock(&lio_card_lock);
	n = scnprintf(buf, PAGE_SIZE, "%s\n",
		      lio_the_card ? pci_name(lio_the_card->pdev) : "");
	mutex_unlock(&lio_card_lock);
	return n;
}

static const struct kernel_param_ops lio_card_param_ops = {
	.set	= lio_card_param_set,
	.get	= lio_card_param_get,
};

module_param_cb(card, &lio_card_param_ops, NULL, 0644);
MODULE_PARM_DESC(card,
		 "PCI address of the SoC card's host-facing function (SoC mode); write it later to bind, empty to unbind");

int lio_card_init(void)
{
	int ret;

	ret = pci_register_driver(&lio_card_driver);
	if (ret)
		return ret;
	lio_card_live = true;
	if (!lio_card_addr[0])
		return 0;
	ret = lio_card_bind(lio_card_addr);
	if (ret)
		pci_unregister_driver(&lio_card_driver);
	return ret;
}

/* Module unload: no slot is in use (each holds a module reference). */
void lio_card_exit(void)
{
	WARN_ON(lio_card_unbind());
	pci_unregister_driver(&lio_card_driver);
}
