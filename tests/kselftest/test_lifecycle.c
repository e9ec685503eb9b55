// SPDX-License-Identifier: GPL-2.0
/*
 * Module and mdev lifecycle: leapio_host.ko reloaded with other
 * parameters ($LEAPIO_KO is the module built for the running kernel).
 * run.sh runs this binary last; each test leaves the module loaded with
 * its defaults, whatever happened.
 *
 * What main.c documents: max_instances bounds the mdevs of all types
 * together (default 16) and creating beyond it fails with EUSERS; an open
 * mdev holds a reference on the module (VFIO core), so unload is refused
 * while a VFIO user has one open; unload with closed mdevs removes them
 * (mdev_unregister_parent).
 */
#include <sys/stat.h>

#include "kmod.h"
#include "lio_test.h"

#define DEFAULT_MAX_INSTANCES	16

FIXTURE(lifecycle) {
	const char *ko;
	struct lio l[3];
};

/* Loaded with the default parameters, and no LeapIO mdev left over. */
static int restore_default(const char *ko)
{
	long max = -1;
	int err;

	mdev_remove_all();
	if (kmod_loaded(LEAPIO_MODULE_NAME) &&
	    !kmod_param(LEAPIO_MODULE_NAME, "max_instances", &max) &&
	    max == DEFAULT_MAX_INSTANCES &&
	    !kmod_param(LEAPIO_MODULE_NAME, "vendor_id", &max) &&
	    max == LEAPIO_PCI_VENDOR_ID)
		return 0;
	if (kmod_loaded(LEAPIO_MODULE_NAME)) {
		err = kmod_unload(LEAPIO_MODULE_NAME);
		if (err)
			return err;
	}
	return kmod_load(ko, "");
}

static void reload(struct __test_metadata *_metadata, const char *ko,
		   const char *params)
{
	ASSERT_EQ(0, mdev_remove_all());
	if (kmod_loaded(LEAPIO_MODULE_NAME)) {
		ASSERT_EQ(0, kmod_unload(LEAPIO_MODULE_NAME));
	}
	ASSERT_FALSE(kmod_loaded(LEAPIO_MODULE_NAME));
	TH_LOG("insmod %s %s", ko, params);
	ASSERT_EQ(0, kmod_load(ko, params));
	ASSERT_TRUE(kmod_loaded(LEAPIO_MODULE_NAME));
}

FIXTURE_SETUP(lifecycle)
{
	unsigned int i;

	for (i = 0; i < 3; i++)
		lio_init(&self->l[i]);
	self->ko = getenv("LEAPIO_KO");
	ASSERT_NE(NULL, self->ko) TH_LOG("set LEAPIO_KO to leapio_host.ko");
	ASSERT_EQ(0, restore_default(self->ko));
}

FIXTURE_TEARDOWN(lifecycle)
{
	unsigned int i;

	for (i = 0; i < 3; i++)
		lio_teardown(&self->l[i]);
	EXPECT_EQ(0, restore_default(self->ko));
}

static long available(struct __test_metadata *_metadata, const char *type)
{
	long v = -1;

	ASSERT_EQ(0, mdev_type_read_long(type, "available_instances", &v));
	return v;
}

static bool parent_present(void)
{
	struct stat st;

	return stat("/sys/class/mdev_bus/leapio", &st) == 0;
}

TEST_F(lifecycle, max_instances)
{
	struct lio_mdev_type t[MDEV_MAX_TYPES];
	struct lio_opts o = { .no_open = true };
	char uuid[MDEV_UUID_LEN + 1], dir[4096], path[4200];
	int nr, i;

	reload(_metadata, self->ko, "max_instances=2");
	nr = mdev_list_types(t, MDEV_MAX_TYPES);
	ASSERT_GT(nr, 0);
	for (i = 0; i < nr; i++) {
		ASSERT_EQ(2, available(_metadata, t[i].name));
	}

	o.type = t[0].name;
	LIO_SETUP(&self->l[0], &o);
	o.type = t[nr - 1].name;
	LIO_SETUP(&self->l[1], &o);
	for (i = 0; i < nr; i++) {
		ASSERT_EQ(0, available(_metadata, t[i].name));
	}

	/* The third is refused, by the driver, with nothing left behind. */
	ASSERT_EQ(0, mdev_new_uuid(uuid));
	ASSERT_EQ(0, mdev_type_dir(t[0].name, dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/create", dir);
	ASSERT_EQ(-EUSERS, sysfs_write(path, uuid));
	ASSERT_FALSE(mdev_exists(uuid));
	ASSERT_EQ(0, available(_metadata, t[0].name));

	/* Room again once one goes. */
	ASSERT_EQ(0, lio_teardown(&self->l[0]));
	ASSERT_EQ(1, available(_metadata, t[0].name));
	o.type = t[0].name;
	o.no_open = false;
	LIO_SETUP(&self->l[2], &o);
	LIO_ENABLE(&self->l[2]);
}

TEST_F(lifecycle, max_instances_zero)
{
	struct lio_mdev m;

	reload(_metadata, self->ko, "max_instances=0");
	ASSERT_EQ(0, available(_metadata, lio_default_type()));
	ASSERT_EQ(-EUSERS, mdev_create(&m, lio_default_type()));
	ASSERT_FALSE(m.created);
}

TEST_F(lifecycle, bad_parameters)
{
	/* Beyond the NVMe controller IDs (0xffef), and an all-ones id that
	 * reads as "no device": the module refuses to load.
	 */
	ASSERT_EQ(0, mdev_remove_all());
	ASSERT_EQ(0, kmod_unload(LEAPIO_MODULE_NAME));
	ASSERT_EQ(-EINVAL, kmod_load(self->ko, "max_instances=65520"));
	ASSERT_FALSE(kmod_loaded(LEAPIO_MODULE_NAME));
	ASSERT_EQ(-EINVAL, kmod_load(self->ko, "vendor_id=0xffff"));
	ASSERT_FALSE(kmod_loaded(LEAPIO_MODULE_NAME));
	ASSERT_EQ(-EINVAL, kmod_load(self->ko, "device_id=0xffff"));
	ASSERT_FALSE(kmod_loaded(LEAPIO_MODULE_NAME));
	ASSERT_FALSE(parent_present());
	ASSERT_EQ(0, kmod_load(self->ko, ""));
}

TEST_F(lifecycle, pci_id_override)
{
	struct lio *l = &self->l[0];
	struct nvme_id_ctrl *id;
	struct nvme_sqe sqe;
	uint64_t iova;

	reload(_metadata, self->ko, "vendor_id=0x1234 device_id=0x5678");
	LIO_SETUP(l, NULL);
	ASSERT_EQ(0x1234, CFG_RD16(l, 0));
	ASSERT_EQ(0x5678, CFG_RD16(l, 2));
	LIO_ENABLE(l);
	id = gmem_alloc_pages(&l->mem, sizeof(*id), &iova);
	ASSERT_NE(NULL, id);
	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, iova);
	ADMIN_OK(l, &sqe);
	ASSERT_EQ(0x1234, le16toh(id->vid));
}

TEST_F(lifecycle, unload_refused_while_open)
{
	struct lio *l = &self->l[0];

	LIO_SETUP(l, NULL);
	LIO_ENABLE(l);
	ASSERT_EQ(-EAGAIN, kmod_unload(LEAPIO_MODULE_NAME));
	ASSERT_TRUE(kmod_loaded(LEAPIO_MODULE_NAME));
	/* The refused unload left the device working. */
	ASSERT_EQ(0x10400, REG_RD32(l, NVME_REG_VS));
	ASSERT_EQ(NVME_CSTS_RDY, REG_RD32(l, NVME_REG_CSTS));

	/* Closed, the module goes and takes the mdev with it. */
	lio_close(l);
	ASSERT_EQ(0, kmod_unload(LEAPIO_MODULE_NAME));
	ASSERT_FALSE(mdev_exists(l->mdev.uuid));
	l->mdev.created = false;
	ASSERT_FALSE(parent_present());
	ASSERT_EQ(0, kmod_load(self->ko, ""));
	ASSERT_EQ(DEFAULT_MAX_INSTANCES, available(_metadata, lio_default_type()));
}

TEST_F(lifecycle, unload_removes_closed_mdevs)
{
	struct lio_opts o = { .no_open = true };
	unsigned int i;

	for (i = 0; i < 3; i++)
		LIO_SETUP(&self->l[i], &o);
	ASSERT_EQ(DEFAULT_MAX_INSTANCES - 3, available(_metadata, lio_default_type()));
	ASSERT_EQ(0, kmod_unload(LEAPIO_MODULE_NAME));
	for (i = 0; i < 3; i++) {
		ASSERT_FALSE(mdev_exists(self->l[i].mdev.uuid));
		self->l[i].mdev.created = false;
	}
	ASSERT_EQ(0, kmod_load(self->ko, ""));
	/* A fresh start: nothing comes back, every instance is available. */
	for (i = 0; i < 3; i++) {
		ASSERT_FALSE(mdev_exists(self->l[i].mdev.uuid));
	}
	ASSERT_EQ(DEFAULT_MAX_INSTANCES, available(_metadata, lio_default_type()));
}

TEST_F(lifecycle, reload_cycles)
{
	struct lio *l = &self->l[0];
	struct nvme_sqe sqe;
	int i;

	nb_keep_alive(&sqe);
	for (i = 0; i < 3; i++) {
		TH_LOG("cycle %d", i);
		reload(_metadata, self->ko, "");
		ASSERT_TRUE(parent_present());
		LIO_SETUP(l, NULL);
		LIO_ENABLE(l);
		ADMIN_OK(l, &sqe);
		ASSERT_EQ(0, lio_teardown(l));
	}
	/* And with a device left in place, closed, at each unload. */
	for (i = 0; i < 3; i++) {
		LIO_SETUP(l, NULL);
		LIO_ENABLE(l);
		lio_close(l);
		ASSERT_EQ(0, kmod_unload(LEAPIO_MODULE_NAME));
		l->mdev.created = false;
		ASSERT_EQ(0, kmod_load(self->ko, ""));
	}
}

TEST_HARNESS_MAIN
