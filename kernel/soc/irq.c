// SPDX-License-Identifier: GPL-2.0
/*
 * The card's doorbell vectors: one MSI-X interrupt each, requested while
 * the DRAM function is bound, and each delivered to the eventfd a file
 * set for it (LEAPIO_SOC_IOC_SET_IRQFD). An interrupt with no eventfd set
 * is dropped: the runtime scans the card's state when it attaches one.
 */
#include <linux/eventfd.h>
#include <linux/interrupt.h>
#include <linux/minmax.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "lio_soc.h"

static irqreturn_t lio_soc_irq(int irq, void *arg)
{
	struct lio_soc_vec *v = arg;

	spin_lock(&v->lock);
	if (v->ctx)
		lio_eventfd_signal(v->ctx);
	spin_unlock(&v->lock);
	return IRQ_HANDLED;
}

int lio_soc_irq_init(struct pci_dev *pdev, struct lio_soc_vec **vecp,
		     u32 *nr)
{
	struct lio_soc_vec *vec;
	int n, i, ret;

	n = pci_msix_vec_count(pdev);
	if (n <= 0) {
		dev_err(&pdev->dev, "no MSI-X vectors (%d)\n", n);
		return -EINVAL;
	}
	/* Doorbell vectors are 16 bits; the ABI promises at most this many. */
	n = min(n, LEAPIO_SOC_VECTORS_MAX);
	vec = kcalloc(n, sizeof(*vec), GFP_KERNEL);
	if (!vec)
		return -ENOMEM;
	ret = pci_alloc_irq_vectors(pdev, n, n, PCI_IRQ_MSIX);
	if (ret < 0) {
		dev_err(&pdev->dev, "%d MSI-X vectors: %d\n", n, ret);
		goto err_free;
	}
	for (i = 0; i < n; i++) {
		spin_lock_init(&vec[i].lock);
		snprintf(vec[i].name, sizeof(vec[i].name), "%s[%d]",
			 KBUILD_MODNAME, i);
		ret = request_irq(pci_irq_vector(pdev, i), lio_soc_irq, 0,
				  vec[i].name, &vec[i]);
		if (ret) {
			dev_err(&pdev->dev, "vector %d: request_irq: %d\n", i,
				ret);
			goto err_irqs;
		}
	}
	*vecp = vec;
	*nr = n;
	return 0;

err_irqs:
	while (i--)
		free_irq(pci_irq_vector(pdev, i), &vec[i]);
	pci_free_irq_vectors(pdev);
err_free:
	kfree(vec);
	return ret;
}

/* No eventfd is set any more (the card is not live). */
void lio_soc_irq_exit(struct pci_dev *pdev, struct lio_soc_vec *vec, u32 nr)
{
	u32 i;

	for (i = 0; i < nr; i++) {
		free_irq(pci_irq_vector(pdev, i), &vec[i]);
		WARN_ON(vec[i].ctx);
	}
	pci_free_irq_vectors(pdev);
	kfree(vec);
}

long lio_soc_set_irqfd(struct lio_soc_card *card, struct lio_soc_file *f,
		       const struct leapio_soc_irqfd *q)
{
	struct eventfd_ctx *ctx = NULL, *old = NULL;
	struct lio_soc_vec *v;
	long ret = 0;

	if (q->flags || q->rsvd || q->vector >= card->nr_vec || q->fd < -1)
		return -EINVAL;
	if (q->fd != -1) {
		ctx = eventfd_ctx_fdget(q->fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	}
	v = &card->vec[q->vector];
	spin_lock_irq(&v->lock);
	if (v->owner && v->owner != f) {
		ret = -EBUSY;
	} else {
		old = v->ctx;
		v->ctx = ctx;
		v->owner = ctx ? f : NULL;
		ctx = NULL;
	}
	spin_unlock_irq(&v->lock);
	if (old)
		eventfd_ctx_put(old);
	if (ctx)
		eventfd_ctx_put(ctx);
	return ret;
}

void lio_soc_irq_detach(struct lio_soc_card *card, struct lio_soc_file *f)
{
	struct eventfd_ctx *old;
	u32 i;

	for (i = 0; i < card->nr_vec; i++) {
		struct lio_soc_vec *v = &card->vec[i];

		old = NULL;
		spin_lock_irq(&v->lock);
		if (v->ctx && (!f || v->owner == f)) {
			old = v->ctx;
			v->ctx = NULL;
			v->owner = NULL;
		}
		spin_unlock_irq(&v->lock);
		if (old)
			eventfd_ctx_put(old);
	}
}
