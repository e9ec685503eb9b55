// SPDX-License-Identifier: GPL-2.0
/*
 * The model's view of the guest and of time. Guest memory is reached by
 * IOVA through the VFIO user's IOMMU mappings; vfio_dma_rw() pins each
 * page only for the copy.
 */
#include <linux/completion.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "lio_host.h"

/* A copy carried out by a kernel worker for another task (below). */
struct lio_dma_job {
	struct work_struct	work;
	struct lio_mdev		*lm;
	u64			gpa;
	void			*buf;
	u32			len;
	bool			write;
	int			ret;
	struct completion	done;
};

static void lio_dma_job_run(struct work_struct *work)
{
	struct lio_dma_job *j = container_of(work, struct lio_dma_job, work);

	j->ret = vfio_dma_rw(&j->lm->vdev, j->gpa, j->buf, j->len, j->write);
	complete(&j->done);
}

/*
 * vfio_dma_rw() reaches the VFIO user's memory from the user's own tasks
 * and from kernel threads (which borrow its mm), and refuses, copying
 * nothing, from any other process: an operator's sysfs write whose model
 * change posts a completion (a namespace made or grown raises Namespace
 * Attribute Changed) runs in the writer's task. Such a copy is carried
 * out by a worker, and waited for; the worker takes no lock of ours.
 */
static int lio_dma_rw(struct lio_mdev *lm, u64 gpa, void *buf, u32 len,
		      bool write)
{
	struct lio_dma_job j = {
		.lm = lm, .gpa = gpa, .buf = buf, .len = len, .write = write,
	};
	int ret = vfio_dma_rw(&lm->vdev, gpa, buf, len, write);

	if (ret != -EFAULT || (current->flags & PF_KTHREAD))
		return ret;
	INIT_WORK_ONSTACK(&j.work, lio_dma_job_run);
	init_completion(&j.done);
	queue_work(system_unbound_wq, &j.work);
	wait_for_completion(&j.done);
	destroy_work_on_stack(&j.work);
	return j.ret;
}

int lio_dma_read_guest(void *opaque, u64 gpa, void *buf, u32 len)
{
	return lio_dma_rw(opaque, gpa, buf, len, false);
}

int lio_dma_write_guest(void *opaque, u64 gpa, const void *buf, u32 len)
{
	/* vfio_dma_rw() takes one non-const buffer for both directions. */
	return lio_dma_rw(opaque, gpa, (void *)buf, len, true);
}

u64 lio_now_ms(void *opaque)
{
	return ktime_to_ms(ktime_get());
}

u64 lio_wall_ms(void *opaque)
{
	return ktime_to_ms(ktime_get_real());
}
