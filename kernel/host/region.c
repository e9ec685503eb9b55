// SPDX-License-Identifier: GPL-2.0
/*
 * The shared region of one mdev (uapi/linux/leapio_region.h): its memory,
 * laid out by common/leapio/region_layout.c, the identity written once,
 * and the seq/ack handshake with the attached runtime.
 */
#include <linux/bitmap.h>
#include <linux/eventfd.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/random.h>
#include <linux/vmalloc.h>

#include "../../common/leapio/region_layout.h"
#include "card.h"
#include "lio_host.h"

static unsigned int lio_guest_mem_gb = 64;
module_param_named(guest_mem_gb, lio_guest_mem_gb, uint, 0444);
MODULE_PARM_DESC(guest_mem_gb,
		 "Guest-physical space the data path can translate, GiB (1-4096, default 64)");

static unsigned int lio_l2_tables = 1024;
module_param_named(l2_tables, lio_l2_tables, uint, 0444);
MODULE_PARM_DESC(l2_tables,
		 "Translation tables per controller, each for 2 MiB of guest memory (1-65536, default 1024)");

/*
 * The bounds keep the driver's own per-entry arrays small (4 bytes per
 * 2 MiB of guest space, a bit and two bytes per table).
 */
#define LIO_GUEST_MEM_GB_MAX	4096
#define LIO_L2_TABLES_MAX	65536

int lio_region_create(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;
	struct leapio_region_view v;
	u64 l1_entries;
	int ret;

	if (!lio_guest_mem_gb || lio_guest_mem_gb > LIO_GUEST_MEM_GB_MAX ||
	    !lio_l2_tables || lio_l2_tables > LIO_L2_TABLES_MAX) {
		dev_err(lm->vdev.dev,
			"guest_mem_gb=%u l2_tables=%u: want 1-%u and 1-%u\n",
			lio_guest_mem_gb, lio_l2_tables, LIO_GUEST_MEM_GB_MAX,
			LIO_L2_TABLES_MAX);
		return -EINVAL;
	}
	l1_entries = (u64)lio_guest_mem_gb << (30 - LEAPIO_L1_SHIFT);

	memset(r, 0, sizeof(*r));
	mutex_init(&r->pin_lock);
	mutex_init(&r->unmap_lock);
	mutex_init(&r->win_lock);
	mutex_init(&r->mbox_lock);
	spin_lock_init(&r->seq_lock);
	spin_lock_init(&r->pend_lock);
	init_waitqueue_head(&r->ack_wq);
	xa_init(&r->pages);
	lio_mbox_init(lm);
	lio_standby_init(lm);

	r->size = leapio_region_layout(&r->layout, lm->vc->p.nr_ioq,
				       l1_entries, lio_l2_tables);
	/* In card DRAM when a card is bound (SoC mode), else vmalloc'ed. */
	r->card_slot = -1;
	ret = lio_card_region_alloc(lm, r->size);
	if (ret) {
		lio_region_destroy(lm);
		return ret;
	}
	r->l1_shadow = kvcalloc(l1_entries, sizeof(*r->l1_shadow),
				GFP_KERNEL);
	r->l2_cnt = kvcalloc(lio_l2_tables, sizeof(*r->l2_cnt), GFP_KERNEL);
	r->l2_busy = bitmap_zalloc(lio_l2_tables, GFP_KERNEL);
	r->l2_zombie = bitmap_zalloc(lio_l2_tables, GFP_KERNEL);
	r->pin_buf = kmalloc_array(VFIO_PIN_PAGES_MAX_ENTRIES,
				   sizeof(*r->pin_buf), GFP_KERNEL);
	if (!r->base || !r->l1_shadow || !r->l2_cnt || !r->l2_busy ||
	    !r->l2_zombie || !r->pin_buf) {
		lio_region_destroy(lm);
		return -ENOMEM;
	}

	memcpy(r->base, &r->layout, sizeof(r->layout));
	leapio_region_view(&v, r->base);
	r->hdr = v.hdr;
	r->ctrl = v.ctrl;
	r->sq = v.sq;
	r->cq = v.cq;
	r->db = v.db;
	r->inflight = v.inflight;
	r->mbox = v.mbox;
	r->l1 = v.l1;
	r->l2 = v.l2;
	r->view = v;
	r->view.hdr = &r->layout;

	memcpy(r->ctrl->uuid, lm->vc->p.uuid, sizeof(r->ctrl->uuid));
	r->ctrl->nr_ioq = lm->vc->p.nr_ioq;
	r->ctrl->cntlid = lm->vc->p.cntlid;
	/* Never 0: a runtime's record of none. */
	leapio_wr_put_instance(&r->view, get_random_u64() | 1);
	leapio_wr_set_state(&r->view, LEAPIO_VDEV_OFF);
	lio_card_region_publish(lm);
	return 0;
}

/* Called from the mdev's release: no vdev file, no VFIO user is left. */
void lio_region_destroy(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;

	/* Before the work items go: the card's interrupts queue no more. */
	lio_card_region_quiesce(lm);
	lio_standby_fini(lm);
	lio_mbox_fini(lm);
	/* Pins need an open device to be dropped: close dropped them all. */
	WARN_ON(r->nr_pinned || !xa_empty(&r->pages));
	WARN_ON(r->runtime || r->wake);
	xa_destroy(&r->pages);
	kfree(r->pin_buf);
	bitmap_free(r->l2_zombie);
	bitmap_free(r->l2_busy);
	kvfree(r->l2_cnt);
	kvfree(r->l1_shadow);
	lio_card_region_free(lm);
	mutex_destroy(&r->mbox_lock);
	mutex_destroy(&r->win_lock);
	mutex_destroy(&r->unmap_lock);
	mutex_destroy(&r->pin_lock);
}

u64 lio_region_db_offset(struct lio_region *r, u32 idx)
{
	if (WARN_ON_ONCE(idx >= r->layout.nr_db))
		idx = 0;
	return r->layout.db_off + (u64)idx * r->layout.db_stride;
}

/* Whoever serves the region looks at it again. Under seq_lock. */
static void lio_region_wake_locked(struct lio_region *r)
{
	if (r->wake)
		lio_eventfd_signal(r->wake);
	if (r->card && r->card_owner == LEAPIO_CARD_OWNER_CARD)
		lio_card_ring(r->card);
}

u32 lio_region_bump(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;
	u32 seq;

	spin_lock(&r->seq_lock);
	seq = leapio_wr_bump(&r->view, &r->seq);
	lio_region_wake_locked(r);
	spin_unlock(&r->seq_lock);
	return seq;
}

/*
 * Done when the runtime has gone, or has acked seq or a later one (it
 * applies every change up to the seq it read, so a later ack covers this
 * one). The acquire pairs with the runtime's release of ack: what it did
 * with the old state is over once we see it.
 */
static bool lio_region_acked(struct lio_region *r, u32 seq)
{
	if (!READ_ONCE(r->runtime) && !READ_ONCE(r->card_serving))
		return true;
	/* pairs with the runtime's release of ack */
	return leapio_wr_acked(smp_load_acquire(&r->ctrl->ack), seq);
}

int lio_region_wait_ack(struct lio_mdev *lm, u32 seq)
{
	struct lio_region *r = &lm->region;
	pid_t pid = READ_ONCE(r->runtime_pid);

	if (!lio_region_attached(lm))
		return 0;
	if (wait_event_timeout(r->ack_wq, lio_region_acked(r, seq),
			       LIO_ACK_TIMEOUT))
		return 0;
	/*
	 * Stopped or wedged: whatever it does when (if) it goes on must not
	 * reach the guest, and the caller cannot wait any longer. It loses
	 * the vdev (lio_chardev_revoke()); the caller fails the controller.
	 */
	if (READ_ONCE(r->card_serving)) {
		dev_warn(lm->vdev.dev,
			 "card runtime did not acknowledge change %u within %u s: revoked, the controller fails (CSTS.CFS)\n",
			 seq, LIO_ACK_TIMEOUT / HZ);
		lio_card_revoke(lm);
		return -ETIMEDOUT;
	}
	dev_warn(lm->vdev.dev,
		 "runtime (pid %d) did not acknowledge change %u within %u s: revoked, the controller fails (CSTS.CFS)\n",
		 pid, seq, LIO_ACK_TIMEOUT / HZ);
	lio_chardev_revoke(lm);
	return -ETIMEDOUT;
}

void lio_region_wake(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;

	spin_lock(&r->seq_lock);
	lio_region_wake_locked(r);
	spin_unlock(&r->seq_lock);
}

/* A host runtime, or the card's (SoC mode). */
bool lio_region_attached(struct lio_mdev *lm)
{
	return READ_ONCE(lm->region.runtime) ||
	       READ_ONCE(lm->region.card_serving);
}
