// SPDX-License-Identifier: GPL-2.0
/*
 * A controller's region in card DRAM (SoC mode): every mdev created while
 * a card is bound gets a slot (uapi/linux/leapio_card.h) and its region at
 * the slot's offset, laid out by the same code as in host memory. What
 * differs from a vmalloc'ed region is here: the memory, its user mappings
 * (PFN maps of the card's BAR, not pages), ringing the card where a host
 * runtime's eventfd is signalled, the card's interrupts and mailbox, and
 * the hand-over of the vdev between a host-mode runtime and the card's.
 *
 * The slot's owner says who may serve the region: HOST (a leapiod through
 * /dev/leapio; the initial owner) or CARD (the card's leapiod). While the
 * owner is CARD the card counts as the attached runtime (card_serving):
 * the driver waits for its acks as for a host runtime's, and a host
 * runtime's attach is refused with -EREMOTE.
 * Documentation/design/soc-mode.rst, "The host driver".
 */
#include <linux/eventfd.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "card.h"
#include "lio_host.h"

static const char *lio_card_owner_name(u32 owner)
{
	return owner == LEAPIO_CARD_OWNER_CARD ? "card" : "host";
}

int lio_card_region_alloc(struct lio_mdev *lm, size_t size)
{
	struct lio_region *r = &lm->region;
	struct lio_card *c;
	int slot;
	u64 off;

	c = lio_card_slot_get(lm, size, &slot, &off);
	if (IS_ERR(c))
		return PTR_ERR(c);
	if (!c) {
		r->base = vmalloc_user(size);
		return r->base ? 0 : -ENOMEM;
	}
	r->card = c;
	r->card_slot = slot;
	r->card_off = off;
	r->cslot = lio_card_slot_ptr(c, slot);
	r->card_owner = LEAPIO_CARD_OWNER_HOST;
	r->base = c->dram + off;
	/* As vmalloc_user() gives it: whatever a last user left goes. */
	memset(r->base, 0, size);
	return 0;
}

/*
 * Tell the card the slot changed: the fields first (the barrier), then
 * gen, then the doorbell. Under lio_mdev.lock, or while nobody else
 * knows the mdev (create, release).
 */
static u32 lio_card_slot_bump(struct lio_region *r)
{
	u32 gen = ++r->card_gen;

	smp_wmb();	/* the slot's fields before its gen */
	WRITE_ONCE(r->cslot->gen, gen);
	lio_card_ring(r->card);
	return gen;
}

static bool lio_card_acked(struct lio_region *r, u32 gen)
{
	/* pairs with the card's release of card_ack: it acted before */
	return smp_load_acquire(&r->cslot->card_ack) == gen;
}

/* The card acked gen, or CAP.TO passed: false. */
static bool lio_card_wait_ack(struct lio_region *r, u32 gen)
{
	return wait_event_timeout(r->ack_wq, lio_card_acked(r, gen),
				  LIO_ACK_TIMEOUT);
}

void lio_card_region_publish(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;
	struct leapio_card_slot *s = r->cslot;

	if (!r->card)
		return;
	memcpy(s->uuid, lm->vc->p.uuid, sizeof(s->uuid));
	WRITE_ONCE(s->region_off, r->card_off);
	WRITE_ONCE(s->region_size, r->size);
	WRITE_ONCE(s->owner, r->card_owner);
	r->card_gen = READ_ONCE(s->gen);
	r->card_published = true;
	lio_card_slot_bump(r);
}

void lio_card_region_quiesce(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;

	if (!r->card)
		return;
	spin_lock(&r->seq_lock);
	r->card_serving = false;
	spin_unlock(&r->seq_lock);
	/* An interrupt thread that saw it serving has finished its scan. */
	mutex_lock(&r->card->lock);
	mutex_unlock(&r->card->lock);
}

/*
 * Release: the slot goes back. If the card may be serving the region, it
 * is told (owner NONE) and waited for: the memory is the next region's.
 */
void lio_card_region_free(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;
	struct leapio_card_slot *s = r->cslot;
	u32 gen;

	if (!r->card) {
		vfree(r->base);
		r->base = NULL;
		return;
	}
	if (r->card_published) {
		WRITE_ONCE(s->owner, LEAPIO_CARD_OWNER_NONE);
		WRITE_ONCE(s->region_off, 0);
		WRITE_ONCE(s->region_size, 0);
		gen = lio_card_slot_bump(r);
		if (r->card_owner == LEAPIO_CARD_OWNER_CARD &&
		    !lio_card_wait_ack(r, gen))
			dev_warn(lm->vdev.dev,
				 "card did not acknowledge the removal of slot %d within %u s: its DRAM is reused\n",
				 r->card_slot, LIO_ACK_TIMEOUT / HZ);
	}
	lio_card_slot_put(r->card, r->card_slot);
	r->card = NULL;
	r->base = NULL;
}

int lio_card_region_mmap(struct lio_mdev *lm, struct vm_area_struct *vma,
			 u64 off, u64 len)
{
	struct lio_region *r = &lm->region;
	struct lio_card *c = r->card;

	if (off > r->size || len > r->size - off)
		return -EINVAL;
	/* VM_IO | VM_PFNMAP: BAR pages, no struct page to refcount. */
	return remap_pfn_range(vma, vma->vm_start,
			       PHYS_PFN(c->dram_phys + r->card_off + off), len,
			       c->ops->pgprot(vma->vm_page_prot));
}

/*
 * Vector v of the guest, which the card asked for: the eventfd at once
 * when MSI-X is on and the vector unmasked, as a host runtime signals
 * it; through the model otherwise (masked: pending bit; INTx).
 */
static void lio_card_raise(struct lio_mdev *lm, u16 v)
{
	struct lio_region *r = &lm->region;
	bool done = false;

	spin_lock(&r->seq_lock);
	if (r->irq_msix && !test_bit(v, r->irq_masked) &&
	    v < ARRAY_SIZE(lm->msix_trigger) && lm->msix_trigger[v]) {
		lio_eventfd_signal(lm->msix_trigger[v]);
		done = true;
	}
	spin_unlock(&r->seq_lock);
	if (!done)
		lio_mbox_raise(lm, v);
}

/* Start from the card's counters as they are: nothing before is owed. */
static void lio_card_irq_sync(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;
	struct leapio_card_slot *s = r->cslot;
	u32 v;

	mutex_lock(&r->card->lock);
	r->card_irq_any = READ_ONCE(s->irq_any);
	for (v = 0; v < ARRAY_SIZE(r->card_irq_seen); v++)
		r->card_irq_seen[v] = READ_ONCE(s->irq_post[v]);
	mutex_unlock(&r->card->lock);
}

void lio_card_region_irq(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;
	struct leapio_card_slot *s = r->cslot;
	u32 any, v, nr = r->layout.nr_ioq + 1;

	/* card_ack, or the card runtime's ctrl.ack, may have moved. */
	wake_up_all(&r->ack_wq);
	if (!READ_ONCE(r->card_serving))
		return;
	/* Pairs with the card's release of irq_any after irq_post[]. */
	any = smp_load_acquire(&s->irq_any);
	if (any != r->card_irq_any) {
		r->card_irq_any = any;
		for (v = 0; v < nr; v++) {
			u32 post = READ_ONCE(s->irq_post[v]);

			if (post == r->card_irq_seen[v])
				continue;
			r->card_irq_seen[v] = post;
			lio_card_raise(lm, v);
		}
	}
	/*
	 * A KICK's refusal (a malformed prod) is counted and logged by
	 * lio_mbox_kick() itself; the card has no ioctl to return it to.
	 */
	if (READ_ONCE(r->mbox->prod) != READ_ONCE(r->mbox->cons))
		lio_mbox_kick(lm);
}

/*
 * The card did not acknowledge a change in CAP.TO (lio_region_wait_ack()):
 * as a host runtime is revoked, it stops counting as attached; the owner
 * stays CARD (a host runtime is still refused) until an administrator
 * hands the vdev over again. Unlike a host runtime's mappings, the card's
 * cannot be zapped.
 */
void lio_card_revoke(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;

	spin_lock(&r->seq_lock);
	r->card_serving = false;
	r->revoked++;
	spin_unlock(&r->seq_lock);
	/*
	 * The card must stop touching guest memory, which the caller may
	 * unpin next: told by the owner alone (no gen bump, which is
	 * lio_mdev.lock's and the caller may not hold it), checked by the
	 * card's runtime before every copy and at every poll.
	 */
	WRITE_ONCE(r->cslot->owner, LEAPIO_CARD_OWNER_REVOKED);
	lio_card_ring(r->card);
	wake_up_all(&r->ack_wq);
	lio_standby_detached(lm);
}

int lio_card_handover(struct lio_mdev *lm, u32 owner)
{
	struct lio_region *r = &lm->region;
	int ret = 0;
	u32 gen;

	if (!r->card)
		return -ENODEV;
	mutex_lock(&lm->lock);
	if (owner == r->card_owner &&
	    (owner == LEAPIO_CARD_OWNER_HOST || r->card_serving))
		goto out;

	if (owner == LEAPIO_CARD_OWNER_CARD) {
		/*
		 * A host runtime is asked to let go: it stops fetching,
		 * finishes what it has at its backend, posts those CQEs and
		 * detaches, so that no request of it lands after the card
		 * redid or completed the command. One that does not answer
		 * within CAP.TO is revoked instead, as at a runtime
		 * replacement, and the card redoes its journal (counted in
		 * runtime_revoked, logged). Either way leapiod tries to
		 * attach again, refused while the card owns the vdev.
		 */
		lio_chardev_let_go(lm);
		/* The card is given the region: no request is for it. */
		leapio_wr_put_let_go(&r->view, false);
		lio_card_irq_sync(lm);
	}
	spin_lock(&r->seq_lock);
	r->card_owner = owner;
	/* Going to the card: it is waited for from now on (DMA unmaps). */
	if (owner == LEAPIO_CARD_OWNER_CARD)
		r->card_serving = true;
	spin_unlock(&r->seq_lock);

	WRITE_ONCE(r->cslot->owner, owner);
	gen = lio_card_slot_bump(r);
	if (!lio_card_wait_ack(r, gen)) {
		dev_warn(lm->vdev.dev,
			 "card did not acknowledge the hand-over to the %s runtime (slot %d, gen %u) within %u s: the controller fails (CSTS.CFS)\n",
			 lio_card_owner_name(owner), r->card_slot, gen,
			 LIO_ACK_TIMEOUT / HZ);
		spin_lock(&r->seq_lock);
		r->card_serving = false;
		spin_unlock(&r->seq_lock);
		/* A card that attaches late must not serve unwaited for. */
		if (owner == LEAPIO_CARD_OWNER_CARD) {
			WRITE_ONCE(r->cslot->owner, LEAPIO_CARD_OWNER_REVOKED);
			lio_card_ring(r->card);
		}
		lio_vctrl_dp_lost(lm->vc);
		lio_standby_detached(lm);
		ret = -ETIMEDOUT;
		goto out;
	}
	if (owner == LEAPIO_CARD_OWNER_CARD) {
		/* It attached as a late-attaching runtime does. */
		lio_mbox_attach(lm);
		lio_dp_attach(lm);
	} else {
		/* It let go: a host runtime may attach, within the grace. */
		spin_lock(&r->seq_lock);
		r->card_serving = false;
		spin_unlock(&r->seq_lock);
		lio_standby_detached(lm);
	}
	dev_info(lm->vdev.dev, "handed over to the %s runtime\n",
		 lio_card_owner_name(owner));
out:
	mutex_unlock(&lm->lock);
	return ret;
}

u32 lio_card_region_owner(struct lio_mdev *lm)
{
	struct lio_region *r = &lm->region;
	u32 owner;

	spin_lock(&r->seq_lock);
	owner = r->card ? r->card_owner : LEAPIO_CARD_OWNER_HOST;
	spin_unlock(&r->seq_lock);
	return owner;
}
