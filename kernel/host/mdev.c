// SPDX-License-Identifier: GPL-2.0
/*
 * Life of one mdev: probe registers a VFIO device whose .init builds the
 * controller and whose .release frees it once the last reference is gone.
 */
#include <linux/device.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uuid.h>

#include "lio_host.h"

/* Controller IDs must differ between controllers a host may see at once. */
static DEFINE_IDA(lio_cntlid_ida);

static const struct lio_vctrl_ops lio_vctrl_ops = {
	.dma_read	= lio_dma_read_guest,
	.dma_write	= lio_dma_write_guest,
	.msix_signal	= lio_msix_signal,
	.intx_set	= lio_intx_set,
	.now_ms		= lio_now_ms,
	.wall_ms	= lio_wall_ms,
	.dp_create	= lio_dp_create,
	.dp_sq_delete	= lio_dp_sq_delete,
	.dp_cq_deleted	= lio_dp_cq_deleted,
	.dp_reset	= lio_dp_reset,
	.dp_enabled	= lio_dp_enabled,
	.dp_update	= lio_dp_update,
	.dp_doorbell	= lio_dp_doorbell,
	.dp_smart	= lio_dp_smart,
	.dp_errors	= lio_mbox_dp_errors,
	.dp_lbas	= lio_dp_lbas,
	.dp_format	= lio_dp_format,
	.dp_pool_bytes	= lio_dp_pool_bytes,
	.dp_ns_create	= lio_dp_ns_create,
};

/*
 * The mdev's UUID in the byte order it is written in: the model derives
 * the serial number and the NQN from these bytes, and the NQN must read
 * like the mdev's name. guid_t keeps the first three fields swapped.
 */
static void lio_mdev_uuid(struct mdev_device *mdev, u8 *out)
{
	char str[UUID_STRING_LEN + 1];
	uuid_t uuid;

	snprintf(str, sizeof(str), "%pUl", &mdev->uuid);
	WARN_ON(uuid_parse(str, &uuid));
	export_uuid(out, &uuid);
}

int lio_vdev_init(struct vfio_device *vdev)
{
	struct lio_mdev *lm = to_lio_mdev(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	struct lio_mdev_type *type = container_of(mdev->type,
						  struct lio_mdev_type, type);
	struct lio_vctrl_params p = {
		.nr_ioq			= type->nr_ioq,
		.pci_vendor		= lio_pci_vendor,
		.pci_device		= lio_pci_device,
		.pci_subsys_vendor	= LEAPIO_PCI_SUBSYS_VENDOR_ID,
		.pci_subsys_device	= LEAPIO_PCI_SUBSYS_ID,
	};
	int ret;

	if (!lio_instance_get(vdev->dev))
		return -EUSERS;

	ret = ida_alloc_range(&lio_cntlid_ida, 1, LIO_CNTLID_MAX, GFP_KERNEL);
	if (ret < 0)
		goto err_instance;
	p.cntlid = ret;
	lio_mdev_uuid(mdev, p.uuid);

	lm->vc = kvzalloc(sizeof(*lm->vc), GFP_KERNEL);
	if (!lm->vc) {
		ret = -ENOMEM;
		goto err_ida;
	}

	mutex_init(&lm->lock);
	lm->db_mmap = false;
	lm->irq_mode = LIO_IRQ_NONE;
	lio_vctrl_init(lm->vc, &p, &lio_vctrl_ops, lm);
	ret = lio_region_create(lm);
	if (ret)
		goto err_vc;
	dev_dbg(vdev->dev, "controller %u, %u I/O queue pairs\n",
		p.cntlid, p.nr_ioq);
	return 0;

err_vc:
	kvfree(lm->vc);
	mutex_destroy(&lm->lock);
err_ida:
	ida_free(&lio_cntlid_ida, p.cntlid);
err_instance:
	lio_instance_put();
	return ret;
}

void lio_vdev_release(struct vfio_device *vdev)
{
	struct lio_mdev *lm = to_lio_mdev(vdev);

	lio_region_destroy(lm);
	ida_free(&lio_cntlid_ida, lm->vc->p.cntlid);
	kvfree(lm->vc);
	mutex_destroy(&lm->lock);
	lio_instance_put();
	lio_compat_vfio_free_device(vdev);
}

int lio_mdev_probe(struct mdev_device *mdev)
{
	struct lio_mdev *lm;
	int ret;

	lm = vfio_alloc_device(lio_mdev, vdev, &mdev->dev, &lio_vfio_ops);
	if (IS_ERR(lm))
		return PTR_ERR(lm);

	dev_set_drvdata(&mdev->dev, lm);
	ret = vfio_register_emulated_iommu_dev(&lm->vdev);
	if (ret) {
		vfio_put_device(&lm->vdev);
		return ret;
	}
	lio_chardev_add(lm);
	return 0;
}

/*
 * Waits for the VFIO user, if any, to close the device. An attached
 * runtime keeps serving it until then, and is told REMOVED after; its
 * vdev file keeps lm (and the region) until it closes.
 */
void lio_mdev_remove(struct mdev_device *mdev)
{
	struct lio_mdev *lm = dev_get_drvdata(&mdev->dev);

	lio_chardev_remove(lm);
	vfio_unregister_group_dev(&lm->vdev);
	mutex_lock(&lm->lock);
	WRITE_ONCE(lm->region.ctrl->state, LEAPIO_VDEV_REMOVED);
	mutex_unlock(&lm->lock);
	lio_region_bump(lm);
	vfio_put_device(&lm->vdev);
}
