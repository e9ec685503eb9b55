// SPDX-License-Identifier: GPL-2.0
/*
 * The model's view of the guest and of time. Guest memory is reached by
 * IOVA through the VFIO user's IOMMU mappings; vfio_dma_rw() pins each
 * page only for the copy.
 */
#include <linux/ktime.h>
#include <linux/timekeeping.h>

#include "lio_host.h"

int lio_dma_read_guest(void *opaque, u64 gpa, void *buf, u32 len)
{
	struct lio_mdev *lm = opaque;

	return vfio_dma_rw(&lm->vdev, gpa, buf, len, false);
}

int lio_dma_write_guest(void *opaque, u64 gpa, const void *buf, u32 len)
{
	struct lio_mdev *lm = opaque;

	/* vfio_dma_rw() takes one non-const buffer for both directions. */
	return vfio_dma_rw(&lm->vdev, gpa, (void *)buf, len, true);
}

u64 lio_now_ms(void *opaque)
{
	return ktime_to_ms(ktime_get());
}

u64 lio_wall_ms(void *opaque)
{
	return ktime_to_ms(ktime_get_real());
}
