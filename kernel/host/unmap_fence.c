// SPDX-License-Identifier: GPL-2.0
/*
 * Which tasks are inside a VFIO type1 DMA unmap (Documentation/design/
 * data-path.rst, "Guest memory unmapped under the runtime").
 *
 * Type1 unmaps a range by calling every device of the container in turn,
 * with its own lock dropped, then looking again: while any page of the
 * range is still pinned it calls them all once more, and after ten
 * rounds it BUGs. A runtime that asks for a held queue's pages again the
 * moment a device's call returns (its ask waited on that device's lock)
 * would pin the range before type1 looks again, and start the round
 * over. The range must stay closed until the unmap is over, which only
 * the task making it knows: it is over when that task leaves the ioctl.
 *
 * So a task's first dma_unmap call lists it, and a task work queued on
 * it (TWA_RESUME: run on its way back to user space, the ioctl's end)
 * takes it off. A kernel thread never goes back to user space and an
 * exiting task runs no more task work: those are listed for the one call
 * only, on the caller's stack.
 */
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/task_work.h>
#include <linux/wait_bit.h>

#include "lio_host.h"

static LIST_HEAD(lio_unmap_tasks);
static DEFINE_SPINLOCK(lio_unmap_tasks_lock);
/* Task works queued and not yet run: module exit waits for them. */
static atomic_t lio_unmap_works = ATOMIC_INIT(0);

static struct lio_unmap_task *lio_unmap_find(const struct task_struct *task)
{
	struct lio_unmap_task *u;

	lockdep_assert_held(&lio_unmap_tasks_lock);
	list_for_each_entry(u, &lio_unmap_tasks, node)
		if (u->task == task)
			return u;
	return NULL;
}

bool lio_unmap_running(const struct task_struct *task)
{
	bool found;

	spin_lock(&lio_unmap_tasks_lock);
	found = lio_unmap_find(task);
	spin_unlock(&lio_unmap_tasks_lock);
	return found;
}

static void lio_unmap_list(struct lio_unmap_task *u)
{
	spin_lock(&lio_unmap_tasks_lock);
	list_add(&u->node, &lio_unmap_tasks);
	spin_unlock(&lio_unmap_tasks_lock);
}

static void lio_unmap_unlist(struct lio_unmap_task *u)
{
	spin_lock(&lio_unmap_tasks_lock);
	list_del(&u->node);
	spin_unlock(&lio_unmap_tasks_lock);
}

/* The task is on its way back to user space: its unmap is over. */
static void lio_unmap_over(struct callback_head *work)
{
	struct lio_unmap_task *u = container_of(work, struct lio_unmap_task,
						work);

	lio_unmap_unlist(u);
	kfree(u);
	if (atomic_dec_and_test(&lio_unmap_works))
		wake_up_var(&lio_unmap_works);
}

bool lio_unmap_enter(struct lio_unmap_task *on_stack)
{
	struct lio_unmap_task *u = NULL;

	/* Only current lists current: no race between looking and adding. */
	if (lio_unmap_running(current))
		return false;

	if (!(current->flags & PF_KTHREAD))
		u = kzalloc(sizeof(*u), GFP_KERNEL);
	if (u) {
		u->task = current;
		init_task_work(&u->work, lio_unmap_over);
		atomic_inc(&lio_unmap_works);
		/* It runs in current's context: not before we return. */
		lio_unmap_list(u);
		if (!task_work_add(current, &u->work, TWA_RESUME))
			return false;
		lio_unmap_unlist(u);
		kfree(u);
		atomic_dec(&lio_unmap_works);
	}

	on_stack->task = current;
	lio_unmap_list(on_stack);
	return true;
}

void lio_unmap_leave(struct lio_unmap_task *on_stack, bool listed)
{
	if (listed)
		lio_unmap_unlist(on_stack);
}

void lio_unmap_exit(void)
{
	wait_var_event(&lio_unmap_works, !atomic_read(&lio_unmap_works));
}
