// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/bus/mdev/devices/<uuid>/leapio/: the controller's settings and
 * identity (names in uapi/linux/leapio.h). Namespace 1's geometry can be
 * set between create and the VFIO user's open, as mdevctl does with a
 * device's attrs; namespaces 2..16 come and go at any time. The values
 * shown are the model's own.
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include <linux/sysfs.h>

#include "card.h"
#include "lio_host.h"

/* A device attribute named by its uapi string. */
#define LIO_ATTR(var, fname, _mode, _show, _store)			\
	static struct device_attribute var = {				\
		.attr	= { .name = fname, .mode = _mode },		\
		.show	= _show,					\
		.store	= _store,					\
	}

static struct lio_mdev *lio_dev_to_mdev(struct device *dev)
{
	return dev_get_drvdata(dev);
}

/*
 * The operator grows the namespace under a running guest (online resize):
 * the model grows it, the runtime follows at the next seq and the guest
 * gets Namespace Attribute Changed (lio_vctrl_grow_ns()). Only up to what
 * the runtime's backend holds, as it says in the region: the driver
 * cannot look at a backend. Never smaller: LBAs the guest has would go.
 */
static int lio_set_ns_live(struct lio_mdev *lm, u64 size)
{
	struct device *dev = lm->vdev.dev;
	u64 was = lm->vc->ns[0].size;
	u64 held;
	int ret;

	lockdep_assert_held(&lm->lock);
	if (size == was)
		return 0;
	if (size < was) {
		dev_dbg(dev, "ns_size %llu refused: a namespace in use only grows (it has %llu bytes)\n",
			size, was);
		return -EBUSY;
	}
	if (size > LEAPIO_NS_SIZE_MAX) {
		dev_dbg(dev, "ns_size %llu refused: at most %llu\n", size,
			LEAPIO_NS_SIZE_MAX);
		return -ERANGE;
	}
	/* pairs with the runtime's release: the size of a backend it has */
	held = smp_load_acquire(&lm->region.ctrl->backend_bytes);
	if (!held) {
		dev_dbg(dev, "ns_size %llu refused: the runtime does not say what its backend holds (region minor 5)\n",
			size);
		return -EOPNOTSUPP;
	}
	if (size > held) {
		dev_dbg(dev, "ns_size %llu refused: the runtime's backend holds %llu bytes; grow it first\n",
			size, held);
		return -ENOSPC;
	}
	ret = lio_vctrl_grow_ns(lm->vc, 1, size);
	if (ret) {
		dev_dbg(dev, "ns_size %llu refused: a multiple of lba_size (%u) is needed\n",
			size, 1U << lm->vc->ns[0].lba_shift);
		return ret;
	}
	lio_dp_ns_changed(lm);
	dev_info(dev, "namespace grew from %llu to %llu bytes (ns_size written)\n",
		 was, size);
	return 0;
}

/*
 * Change one of the namespace size and LBA size, keeping the other. The
 * model judges the pair; the size's upper bound is the ABI's
 * (LEAPIO_NS_SIZE_MAX). Free while nobody uses the device: leapiod checks
 * at attach that its backend holds the namespace. While the VFIO user has
 * it or a runtime serves it only the size may change, and only grow, up
 * to what the runtime says its backend holds (lio_set_ns_live()). The log
 * says what is wanted.
 */
static int lio_set_ns(struct device *dev, const u64 *new_size,
		      const u32 *new_lba_size)
{
	struct lio_mdev *lm = lio_dev_to_mdev(dev);
	u32 lba_size;
	u64 size;
	int ret;

	mutex_lock(&lm->lock);
	size = new_size ? *new_size : lm->vc->ns[0].size;
	lba_size = new_lba_size ? *new_lba_size : 1U << lm->vc->ns[0].lba_shift;

	if (lio_region_attached(lm) && !new_lba_size) {
		ret = lio_set_ns_live(lm, size);
	} else if (lm->open || lio_region_attached(lm)) {
		dev_dbg(dev, "the LBA size is fixed, and the namespace size while no runtime serves it, as long as the device is open or a runtime serves it\n");
		ret = -EBUSY;
	} else {
		ret = lio_vctrl_set_ns(lm->vc, 1, size, lba_size);
		if (ret == -ERANGE)
			dev_dbg(dev, "ns_size %llu refused: at most %llu\n", size,
				LEAPIO_NS_SIZE_MAX);
		else if (ret)
			dev_dbg(dev, "ns_size %llu, lba_size %u refused: lba_size is 512 or 4096, ns_size a non-zero multiple of it\n",
				size, lba_size);
	}
	mutex_unlock(&lm->lock);
	return ret;
}

static ssize_t ns_size_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct lio_mdev *lm = lio_dev_to_mdev(dev);
	u64 size;

	mutex_lock(&lm->lock);
	size = lm->vc->ns[0].size;
	mutex_unlock(&lm->lock);
	return sysfs_emit(buf, "%llu\n", size);
}

static ssize_t ns_size_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	u64 size;
	int ret;

	ret = kstrtou64(buf, 0, &size);
	if (ret) {
		dev_dbg(dev, "ns_size: not a number of bytes\n");
		return ret;
	}
	ret = lio_set_ns(dev, &size, NULL);
	return ret ? ret : count;
}

static ssize_t lba_size_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct lio_mdev *lm = lio_dev_to_mdev(dev);
	u32 lba_size;

	mutex_lock(&lm->lock);
	lba_size = 1U << lm->vc->ns[0].lba_shift;
	mutex_unlock(&lm->lock);
	return sysfs_emit(buf, "%u\n", lba_size);
}

static ssize_t lba_size_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t count)
{
	u32 lba_size;
	int ret;

	ret = kstrtou32(buf, 0, &lba_size);
	if (ret) {
		dev_dbg(dev, "lba_size: not a number of bytes\n");
		return ret;
	}
	ret = lio_set_ns(dev, NULL, &lba_size);
	return ret ? ret : count;
}

/*
 * Namespaces 2..LEAPIO_MAX_NS: leapio/ns<N>_size and ns<N>_lba_size, one
 * show and one store for each kind, the NSID the attribute's. Unlike
 * namespace 1 they are made, grown and removed at any time, the guest
 * running or not, with the rules of lio_vctrl_resize_ns() and
 * lio_vctrl_set_ns_lba(): a namespace is the guest's once it exists, so
 * it never shrinks and keeps its LBA size, but the operator may take it
 * away whole. The driver cannot look at the backends: leapiod serves
 * each NSID from the one its configuration gives it.
 */
struct lio_ns_attr {
	struct device_attribute	dattr;
	u32			nsid;
	char			name[sizeof("ns" __stringify(LIO_NN) "_lba_size")];
};

/* [nsid - 2]: ns<N>_size, ns<N>_lba_size; lio_sysfs_init() fills them. */
static struct lio_ns_attr lio_ns_attrs[LIO_NN - 1][2];

static u32 lio_attr_nsid(struct device_attribute *attr)
{
	return container_of(attr, struct lio_ns_attr, dattr)->nsid;
}

static ssize_t nsn_size_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct lio_mdev *lm = lio_dev_to_mdev(dev);
	u32 nsid = lio_attr_nsid(attr);
	u64 size;

	mutex_lock(&lm->lock);
	size = lm->vc->ns[nsid - 1].size;
	mutex_unlock(&lm->lock);
	return sysfs_emit(buf, "%llu\n", size);
}

/* What a write of ns<N>_size did, or why it did not. */
static void lio_nsn_size_log(struct device *dev, u32 nsid, u64 was, u64 size,
			     u32 lba_size, int ret)
{
	switch (ret) {
	case 0:
		if (size == was)
			break;
		if (!was)
			dev_info(dev, "namespace %u created: %llu bytes in blocks of %u (ns%u_size written)\n",
				 nsid, size, lba_size, nsid);
		else if (!size)
			dev_info(dev, "namespace %u removed: it had %llu bytes (ns%u_size 0 written)\n",
				 nsid, was, nsid);
		else
			dev_info(dev, "namespace %u grew from %llu to %llu bytes (ns%u_size written)\n",
				 nsid, was, size, nsid);
		break;
	case -ERANGE:
		dev_dbg(dev, "ns%u_size %llu refused: at most %llu\n", nsid,
			size, LEAPIO_NS_SIZE_MAX);
		break;
	case -EBUSY:
		if (size && size < was)
			dev_dbg(dev, "ns%u_size %llu refused: a namespace only grows (it has %llu bytes); write 0 to remove it first\n",
				nsid, size, was);
		else
			dev_dbg(dev, "ns%u_size %llu refused: a Format NVM of namespace %u is under way\n",
				nsid, size, nsid);
		break;
	case -EPERM:
		dev_dbg(dev, "ns%u_size %llu refused: namespace %u was made by the guest's create-ns, from the pool, with the size it has; write 0 to remove it\n",
			nsid, size, nsid);
		break;
	default:
		dev_dbg(dev, "ns%u_size %llu refused: 0 or a multiple of ns%u_lba_size (%u)\n",
			nsid, size, nsid, lba_size);
		break;
	}
}

static ssize_t nsn_size_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t count)
{
	struct lio_mdev *lm = lio_dev_to_mdev(dev);
	u32 nsid = lio_attr_nsid(attr);
	u32 lba_size;
	u64 size, was;
	int ret;

	ret = kstrtou64(buf, 0, &size);
	if (ret) {
		dev_dbg(dev, "ns%u_size: not a number of bytes\n", nsid);
		return ret;
	}
	/*
	 * The model tells a ready controller's data path, and waits for its
	 * ack as for any geometry change; lio_dp_ns_changed() tells one
	 * attached to a controller that is not ready.
	 */
	mutex_lock(&lm->lock);
	was = lm->vc->ns[nsid - 1].size;
	lba_size = 1U << lm->vc->ns[nsid - 1].lba_shift;
	ret = lio_vctrl_resize_ns(lm->vc, nsid, size);
	if (!ret && size != was)
		lio_dp_ns_changed(lm);
	mutex_unlock(&lm->lock);
	lio_nsn_size_log(dev, nsid, was, size, lba_size, ret);
	return ret ? ret : count;
}

static ssize_t nsn_lba_size_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct lio_mdev *lm = lio_dev_to_mdev(dev);
	u32 nsid = lio_attr_nsid(attr);
	u32 lba_size;

	mutex_lock(&lm->lock);
	lba_size = 1U << lm->vc->ns[nsid - 1].lba_shift;
	mutex_unlock(&lm->lock);
	return sysfs_emit(buf, "%u\n", lba_size);
}

static ssize_t nsn_lba_size_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t count)
{
	struct lio_mdev *lm = lio_dev_to_mdev(dev);
	u32 nsid = lio_attr_nsid(attr);
	u32 lba_size;
	int ret;

	/* Out of u32's range is no LBA size either: EINVAL, not ERANGE. */
	if (kstrtou32(buf, 0, &lba_size)) {
		dev_dbg(dev, "ns%u_lba_size: 512 or 4096\n", nsid);
		return -EINVAL;
	}
	mutex_lock(&lm->lock);
	ret = lio_vctrl_set_ns_lba(lm->vc, nsid, lba_size);
	mutex_unlock(&lm->lock);
	if (ret == -EBUSY)
		dev_dbg(dev, "ns%u_lba_size %u refused: namespace %u exists, in its guest's LBA size; remove it first (ns%u_size 0)\n",
			nsid, lba_size, nsid, nsid);
	else if (ret)
		dev_dbg(dev, "ns%u_lba_size %u refused: 512 or 4096\n", nsid,
			lba_size);
	return ret ? ret : count;
}

/* Fixed at creation: no lock needed to read them. */
static ssize_t nr_ioq_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%u\n", lio_dev_to_mdev(dev)->vc->p.nr_ioq);
}

static ssize_t cntlid_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%u\n", lio_dev_to_mdev(dev)->vc->p.cntlid);
}

/* The serial number is space padded in Identify; shown without them. */
static ssize_t serial_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	const struct lio_vctrl *vc = lio_dev_to_mdev(dev)->vc;
	int len = sizeof(vc->sn);

	while (len && vc->sn[len - 1] == ' ')
		len--;
	return sysfs_emit(buf, "%.*s\n", len, vc->sn);
}

static ssize_t subnqn_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	const struct lio_vctrl *vc = lio_dev_to_mdev(dev)->vc;

	return sysfs_emit(buf, "%.*s\n", (int)sizeof(vc->subnqn), vc->subnqn);
}

/* The data path (dp.h): what it holds now. Tests wait on these. */
static ssize_t pinned_pages_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", lio_pin_count(lio_dev_to_mdev(dev)));
}

static ssize_t runtime_pid_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n",
			  lio_chardev_runtime_pid(lio_dev_to_mdev(dev)));
}

/* How long I/O waits for a runtime (Documentation/ABI/testing/...-leapio). */
static ssize_t runtime_grace_ms_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	struct lio_mdev *lm = lio_dev_to_mdev(dev);
	u32 ms;

	mutex_lock(&lm->lock);
	ms = lm->vc->nodp.grace_ms;
	mutex_unlock(&lm->lock);
	return sysfs_emit(buf, "%u\n", ms);
}

static ssize_t runtime_grace_ms_store(struct device *dev,
				      struct device_attribute *attr,
				      const char *buf, size_t count)
{
	struct lio_mdev *lm = lio_dev_to_mdev(dev);
	u32 ms;
	int ret;

	ret = kstrtou32(buf, 0, &ms);
	if (ret)
		return ret;
	mutex_lock(&lm->lock);
	ret = lio_vctrl_set_dp_grace(lm->vc, ms);
	mutex_unlock(&lm->lock);
	if (ret)
		dev_dbg(dev, "runtime_grace_ms: at most %u\n",
			LIO_DP_GRACE_MS_MAX);
	return ret ? ret : count;
}

static ssize_t runtime_revoked_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  lio_chardev_revoked(lio_dev_to_mdev(dev)));
}

static ssize_t runtime_let_go_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  lio_chardev_let_go_count(lio_dev_to_mdev(dev)));
}

static ssize_t mbox_refused_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  lio_mbox_refused(lio_dev_to_mdev(dev)));
}

/* SoC mode (card_slot.c): who serves the vdev; writing hands it over. */
static ssize_t runtime_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	u32 owner = lio_card_region_owner(lio_dev_to_mdev(dev));

	return sysfs_emit(buf, "%s\n",
			  owner == LEAPIO_CARD_OWNER_CARD ? "card" : "host");
}

static ssize_t runtime_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	struct lio_mdev *lm = lio_dev_to_mdev(dev);
	u32 owner;
	int ret;

	if (sysfs_streq(buf, "host")) {
		owner = LEAPIO_CARD_OWNER_HOST;
	} else if (sysfs_streq(buf, "card")) {
		owner = LEAPIO_CARD_OWNER_CARD;
	} else {
		dev_dbg(dev, "runtime: \"host\" or \"card\"\n");
		return -EINVAL;
	}
	ret = lio_card_handover(lm, owner);
	if (ret == -ENODEV)
		dev_dbg(dev, "runtime: the region is in host memory (created with no card bound): only a host runtime serves it\n");
	return ret ? ret : count;
}

static ssize_t card_slot_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct lio_mdev *lm = lio_dev_to_mdev(dev);

	return sysfs_emit(buf, "%d\n",
			  lm->region.card ? lm->region.card_slot : -1);
}

/*
 * What is to serve the controller: a note for leapioctl (the mdevctl
 * call-out, `vdev adopt`), kept across runtimes, never read here. Any
 * time, even while served: it takes effect when a tool next reads it.
 */
static ssize_t backend_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct lio_mdev *lm = lio_dev_to_mdev(dev);
	ssize_t n;

	mutex_lock(&lm->lock);
	n = sysfs_emit(buf, "%s\n", lm->backend);
	mutex_unlock(&lm->lock);
	return n;
}

static ssize_t backend_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	struct lio_mdev *lm = lio_dev_to_mdev(dev);
	int len = leapio_backend_check(buf, count);

	if (len < 0) {
		dev_dbg(dev, "backend: at most %u bytes of printable ASCII, no spaces\n",
			LEAPIO_BACKEND_MAX);
		return len;
	}
	mutex_lock(&lm->lock);
	memcpy(lm->backend, buf, len);
	lm->backend[len] = '\0';
	mutex_unlock(&lm->lock);
	return count;
}

LIO_ATTR(lio_attr_ns_size, LEAPIO_SYSFS_NS_SIZE, 0644, ns_size_show,
	 ns_size_store);
LIO_ATTR(lio_attr_lba_size, LEAPIO_SYSFS_LBA_SIZE, 0644, lba_size_show,
	 lba_size_store);
LIO_ATTR(lio_attr_nr_ioq, LEAPIO_SYSFS_NR_IOQ, 0444, nr_ioq_show, NULL);
LIO_ATTR(lio_attr_cntlid, LEAPIO_SYSFS_CNTLID, 0444, cntlid_show, NULL);
LIO_ATTR(lio_attr_serial, LEAPIO_SYSFS_SERIAL, 0444, serial_show, NULL);
LIO_ATTR(lio_attr_subnqn, LEAPIO_SYSFS_SUBNQN, 0444, subnqn_show, NULL);
LIO_ATTR(lio_attr_pinned_pages, LEAPIO_SYSFS_PINNED_PAGES, 0444,
	 pinned_pages_show, NULL);
LIO_ATTR(lio_attr_runtime_pid, LEAPIO_SYSFS_RUNTIME_PID, 0444,
	 runtime_pid_show, NULL);
LIO_ATTR(lio_attr_runtime_grace_ms, LEAPIO_SYSFS_RUNTIME_GRACE_MS, 0644,
	 runtime_grace_ms_show, runtime_grace_ms_store);
LIO_ATTR(lio_attr_runtime_revoked, LEAPIO_SYSFS_RUNTIME_REVOKED, 0444,
	 runtime_revoked_show, NULL);
LIO_ATTR(lio_attr_runtime_let_go, LEAPIO_SYSFS_RUNTIME_LET_GO, 0444,
	 runtime_let_go_show, NULL);
LIO_ATTR(lio_attr_mbox_refused, LEAPIO_SYSFS_MBOX_REFUSED, 0444,
	 mbox_refused_show, NULL);
LIO_ATTR(lio_attr_runtime, LEAPIO_SYSFS_RUNTIME, 0644, runtime_show,
	 runtime_store);
LIO_ATTR(lio_attr_card_slot, LEAPIO_SYSFS_CARD_SLOT, 0444, card_slot_show,
	 NULL);
LIO_ATTR(lio_attr_backend, LEAPIO_SYSFS_BACKEND, 0644, backend_show,
	 backend_store);

static struct attribute *lio_ctrl_attrs[] = {
	&lio_attr_ns_size.attr,
	&lio_attr_lba_size.attr,
	&lio_attr_nr_ioq.attr,
	&lio_attr_cntlid.attr,
	&lio_attr_serial.attr,
	&lio_attr_subnqn.attr,
	&lio_attr_pinned_pages.attr,
	&lio_attr_runtime_pid.attr,
	&lio_attr_runtime_grace_ms.attr,
	&lio_attr_runtime_revoked.attr,
	&lio_attr_runtime_let_go.attr,
	&lio_attr_mbox_refused.attr,
	&lio_attr_runtime.attr,
	&lio_attr_card_slot.attr,
	&lio_attr_backend.attr,
	NULL,
};

/* lio_ctrl_attrs, then the namespaces' (lio_sysfs_init()), then NULL. */
static struct attribute *lio_mdev_attrs[ARRAY_SIZE(lio_ctrl_attrs) +
					2 * ARRAY_SIZE(lio_ns_attrs)];

static void __init lio_ns_attr_set(struct lio_ns_attr *na, u32 nsid,
				   const struct device_attribute *proto)
{
	na->dattr = *proto;
	na->dattr.attr.name = na->name;
	na->nsid = nsid;
}

/*
 * Two attributes per NSID that differ in nothing but it: made here, before
 * the driver is registered, rather than spelled out one by one.
 */
void __init lio_sysfs_init(void)
{
	static const struct device_attribute size = {
		.attr	= { .mode = 0644 },
		.show	= nsn_size_show,
		.store	= nsn_size_store,
	};
	static const struct device_attribute lba_size = {
		.attr	= { .mode = 0644 },
		.show	= nsn_lba_size_show,
		.store	= nsn_lba_size_store,
	};
	struct attribute **a = lio_mdev_attrs;
	unsigned int i;
	u32 nsid;

	for (i = 0; lio_ctrl_attrs[i]; i++)
		*a++ = lio_ctrl_attrs[i];
	for (nsid = 2; nsid <= LIO_NN; nsid++) {
		struct lio_ns_attr *na = lio_ns_attrs[nsid - 2];

		snprintf(na[0].name, sizeof(na[0].name),
			 LEAPIO_SYSFS_NSN_SIZE_FMT, nsid);
		lio_ns_attr_set(&na[0], nsid, &size);
		snprintf(na[1].name, sizeof(na[1].name),
			 LEAPIO_SYSFS_NSN_LBA_SIZE_FMT, nsid);
		lio_ns_attr_set(&na[1], nsid, &lba_size);
		*a++ = &na[0].dattr.attr;
		*a++ = &na[1].dattr.attr;
	}
	/* The last entry stays NULL: the end of the list. */
}

static const struct attribute_group lio_mdev_group = {
	.name	= LEAPIO_SYSFS_GROUP,
	.attrs	= lio_mdev_attrs,
};

const struct attribute_group *lio_mdev_groups[] = {
	&lio_mdev_group,
	NULL,
};
