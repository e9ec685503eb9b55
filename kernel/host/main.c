// SPDX-License-Identifier: GPL-2.0
/*
 * leapio_host.ko: a vfio-mdev parent with no hardware behind it. Each mdev
 * is a virtual NVMe controller a VM gets through vfio-pci.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/sysfs.h>

#include "../../common/leapio/version.h"
#include "card.h"
#include "lio_host.h"

static unsigned int lio_max_instances = 16;
module_param_named(max_instances, lio_max_instances, uint, 0444);
MODULE_PARM_DESC(max_instances,
		 "Most mdevs alive at once, all types together (default 16)");

u16 lio_pci_vendor = LEAPIO_PCI_VENDOR_ID;
module_param_named(vendor_id, lio_pci_vendor, ushort, 0444);
MODULE_PARM_DESC(vendor_id, "PCI vendor ID of new controllers");

u16 lio_pci_device = LEAPIO_PCI_DEVICE_ID;
module_param_named(device_id, lio_pci_device, ushort, 0444);
MODULE_PARM_DESC(device_id, "PCI device ID of new controllers");

/* mdevs counted against max_instances, from their .init to .release. */
static atomic_t lio_nr_instances = ATOMIC_INIT(0);

bool lio_instance_get(struct device *dev)
{
	if (atomic_add_unless(&lio_nr_instances, 1, lio_max_instances))
		return true;
	dev_info(dev, "not created: all max_instances=%u controllers exist\n",
		 lio_max_instances);
	return false;
}

void lio_instance_put(void)
{
	atomic_dec(&lio_nr_instances);
}

/*
 * The mdev core names a type's directory "<parent's class>-<sysfs_name>",
 * so the class is what gives the types their LEAPIO_MDEV_TYPE_PREFIX.
 */
static struct class lio_class = {
	.name = "leapio",
};

static struct device *lio_parent_dev;
static struct mdev_parent lio_parent;

static struct lio_mdev_type lio_types[] = {
	{
		.type = { .sysfs_name = "1q",
			  .pretty_name = "LeapIO NVMe, 1 I/O queue pair" },
		.nr_ioq = 1,
	}, {
		.type = { .sysfs_name = "4q",
			  .pretty_name = "LeapIO NVMe, 4 I/O queue pairs" },
		.nr_ioq = 4,
	}, {
		.type = { .sysfs_name = "16q",
			  .pretty_name = "LeapIO NVMe, 16 I/O queue pairs" },
		.nr_ioq = 16,
	},
};

static struct mdev_type *lio_type_list[ARRAY_SIZE(lio_types)];

static unsigned int lio_get_available(struct mdev_type *mtype)
{
	int used = atomic_read(&lio_nr_instances);

	return used < lio_max_instances ? lio_max_instances - used : 0;
}

static ssize_t lio_show_description(struct mdev_type *mtype, char *buf)
{
	struct lio_mdev_type *t = container_of(mtype, struct lio_mdev_type,
					       type);

	return sysfs_emit(buf,
			  "virtual NVMe controller, one namespace; I/O queue pairs: %u, MSI-X vectors: %u, BAR0: %llu KiB\n",
			  t->nr_ioq, t->nr_ioq + 1,
			  lio_bar0_size(t->nr_ioq) >> 10);
}

/*
 * get_available keeps the count here rather than in the mdev core's
 * parent->available_instances: the core refuses an mdev beyond it before
 * calling us, so nothing would tell the administrator why.
 */
static struct mdev_driver lio_mdev_driver = {
	.device_api	= VFIO_DEVICE_API_PCI_STRING,
	.probe		= lio_mdev_probe,
	.remove		= lio_mdev_remove,
	.get_available	= lio_get_available,
	.show_description = lio_show_description,
	.driver = {
		.name		= "leapio",
		.owner		= THIS_MODULE,
		.mod_name	= KBUILD_MODNAME,
		.dev_groups	= lio_mdev_groups,
	},
};

static int __init lio_init(void)
{
	int ret, i;

	for (i = 0; i < ARRAY_SIZE(lio_types); i++) {
		if (WARN_ON(lio_types[i].nr_ioq > LIO_MAX_IOQ))
			return -EINVAL;
		lio_type_list[i] = &lio_types[i].type;
	}

	if (lio_max_instances > LIO_CNTLID_MAX) {
		pr_err("max_instances=%u: at most %u controllers can have an NVMe controller ID\n",
		       lio_max_instances, LIO_CNTLID_MAX);
		return -EINVAL;
	}

	/* All ones is what a read of an absent PCI function returns. */
	if (lio_pci_vendor == 0xffff || lio_pci_device == 0xffff) {
		pr_err("vendor_id/device_id 0xffff would read as no device\n");
		return -EINVAL;
	}

	lio_regions_selftest();
	lio_sysfs_init();

	ret = lio_chardev_init();
	if (ret)
		return ret;

	ret = mdev_register_driver(&lio_mdev_driver);
	if (ret)
		goto err_chardev;

	ret = class_register(&lio_class);
	if (ret)
		goto err_driver;

	lio_parent_dev = device_create(&lio_class, NULL, MKDEV(0, 0), NULL,
				       "leapio");
	if (IS_ERR(lio_parent_dev)) {
		ret = PTR_ERR(lio_parent_dev);
		goto err_class;
	}

	ret = mdev_register_parent(&lio_parent, lio_parent_dev,
				   &lio_mdev_driver, lio_type_list,
				   ARRAY_SIZE(lio_type_list));
	if (ret)
		goto err_dev;

	/* SoC mode: the card= parameter, if given, binds now. */
	ret = lio_card_init();
	if (ret)
		goto err_parent;

	return 0;

err_parent:
	mdev_unregister_parent(&lio_parent);
err_dev:
	device_unregister(lio_parent_dev);
err_class:
	class_unregister(&lio_class);
err_driver:
	mdev_unregister_driver(&lio_mdev_driver);
err_chardev:
	lio_chardev_exit();
	return ret;
}

/*
 * An open mdev holds a reference on this module (vfio core), and so does
 * an open vdev file of /dev/leapio and an mdev whose region is in card
 * DRAM, so unload only ever meets closed host-memory ones;
 * mdev_unregister_parent() removes them.
 */
static void __exit lio_exit(void)
{
	lio_card_exit();
	mdev_unregister_parent(&lio_parent);
	device_unregister(lio_parent_dev);
	class_unregister(&lio_class);
	mdev_unregister_driver(&lio_mdev_driver);
	lio_chardev_exit();
	lio_unmap_exit();
}

module_init(lio_init);
module_exit(lio_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("LeapIO virtual NVMe controller, vfio-mdev parent");
MODULE_AUTHOR("LeapIO");
MODULE_VERSION(LEAPIO_VERSION);
