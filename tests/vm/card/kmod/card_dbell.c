// SPDX-License-Identifier: GPL-2.0
/*
 * card_dbell: the rig's own view of an ivshmem-doorbell device's
 * interrupts, for tests of the emulated card that run before (or without)
 * the card's real drivers. It binds only a device a test names through
 * driver_override (it has no ID table), enables its MSI-X vectors and
 * counts their interrupts. sysfs, beside the device:
 *   irq_count   interrupts of every vector so far; poll() (POLLPRI)
 *               wakes at each
 *   ivposition  the device's own doorbell address (peer id)
 *   ring        write "<peer> <vector>": interrupt that peer's vector
 * The BARs are not requested, so user space still maps the shared memory
 * (resource2) through sysfs: Debian's IO_STRICT_DEVMEM only refuses BARs
 * a driver owns. Test rig only (tests/vm/card/); the product's card
 * driver is kernel/soc/.
 */
#include <linux/atomic.h>
#include <linux/interrupt.h>
#include <linux/kernfs.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sysfs.h>

/* ivshmem BAR0 registers (QEMU docs/specs/ivshmem-spec) */
#define CDB_REG_IVPOSITION	8
#define CDB_REG_DOORBELL	12
#define CDB_MAX_VECTORS		64

struct cdb {
	struct pci_dev		*pdev;
	void __iomem		*regs;
	struct kernfs_node	*count_kn;
	atomic_t		count;
	int			nvec;
};

static irqreturn_t cdb_irq(int irq, void *data)
{
	struct cdb *c = data;

	atomic_inc(&c->count);
	/* kernfs_notify() may be called from any context. */
	kernfs_notify(c->count_kn);
	return IRQ_HANDLED;
}

static ssize_t irq_count_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct cdb *c = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", (unsigned int)atomic_read(&c->count));
}
static DEVICE_ATTR_RO(irq_count);

static ssize_t ivposition_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct cdb *c = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", ioread32(c->regs + CDB_REG_IVPOSITION));
}
static DEVICE_ATTR_RO(ivposition);

static ssize_t ring_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t count)
{
	struct cdb *c = dev_get_drvdata(dev);
	unsigned int peer, vector;
	char end;

	if (sscanf(buf, "%u %u%c", &peer, &vector, &end) < 2 ||
	    peer > 0xffff || vector > 0xffff)
		return -EINVAL;
	iowrite32(peer << 16 | vector, c->regs + CDB_REG_DOORBELL);
	return count;
}
static DEVICE_ATTR_WO(ring);

static struct attribute *cdb_attrs[] = {
	&dev_attr_irq_count.attr,
	&dev_attr_ivposition.attr,
	&dev_attr_ring.attr,
	NULL,
};

static const struct attribute_group cdb_group = {
	.attrs = cdb_attrs,
};

static void cdb_free_irqs(struct cdb *c, int n)
{
	while (n-- > 0)
		free_irq(pci_irq_vector(c->pdev, n), c);
	pci_free_irq_vectors(c->pdev);
}

static int cdb_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct cdb *c;
	int ret, i;

	c = devm_kzalloc(&pdev->dev, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->pdev = pdev;
	atomic_set(&c->count, 0);
	pci_set_drvdata(pdev, c);

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	/* MSI-X messages are memory writes of the device. */
	pci_set_master(pdev);
	c->regs = pcim_iomap(pdev, 0, 0);
	if (!c->regs)
		return -ENOMEM;

	ret = sysfs_create_group(&pdev->dev.kobj, &cdb_group);
	if (ret)
		return ret;
	c->count_kn = sysfs_get_dirent(pdev->dev.kobj.sd, "irq_count");
	if (!c->count_kn) {
		ret = -ENOENT;
		goto out_group;
	}

	c->nvec = pci_alloc_irq_vectors(pdev, 1, CDB_MAX_VECTORS, PCI_IRQ_MSIX);
	if (c->nvec < 0) {
		ret = c->nvec;
		goto out_kn;
	}
	for (i = 0; i < c->nvec; i++) {
		ret = request_irq(pci_irq_vector(pdev, i), cdb_irq, 0,
				  "card_dbell", c);
		if (ret) {
			cdb_free_irqs(c, i);
			goto out_kn;
		}
	}
	dev_info(&pdev->dev, "card_dbell: %d vectors, ivposition %u\n",
		 c->nvec, ioread32(c->regs + CDB_REG_IVPOSITION));
	return 0;

out_kn:
	kernfs_put(c->count_kn);
out_group:
	sysfs_remove_group(&pdev->dev.kobj, &cdb_group);
	return ret;
}

static void cdb_remove(struct pci_dev *pdev)
{
	struct cdb *c = pci_get_drvdata(pdev);

	cdb_free_irqs(c, c->nvec);
	sysfs_remove_group(&pdev->dev.kobj, &cdb_group);
	kernfs_put(c->count_kn);
}

/* No ID table: only a device whose driver_override names us is bound. */
static struct pci_driver cdb_driver = {
	.name		= "card_dbell",
	.probe		= cdb_probe,
	.remove		= cdb_remove,
};
module_pci_driver(cdb_driver);

MODULE_DESCRIPTION("LeapIO rig: ivshmem-doorbell interrupt counter (tests only)");
MODULE_LICENSE("GPL");
