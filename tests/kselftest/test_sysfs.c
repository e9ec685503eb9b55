// SPDX-License-Identifier: GPL-2.0
/*
 * The per-mdev sysfs attributes and the types' instance accounting:
 * namespace geometry accepted only when valid and only while the device
 * is closed, read-only identity attributes, available_instances.
 */
#include "lio_test.h"

FIXTURE(sysfs) {
	struct lio l;
	struct lio other;
};

FIXTURE_SETUP(sysfs)
{
	struct lio_opts o = { .no_open = true };

	lio_init(&self->other);
	LIO_SETUP(&self->l, &o);
}

FIXTURE_TEARDOWN(sysfs)
{
	LIO_TEARDOWN(&self->other);
	LIO_TEARDOWN(&self->l);
}

static unsigned long long attr(struct __test_metadata *_metadata,
			       const struct lio *l, const char *name)
{
	unsigned long long v = 0;

	ASSERT_EQ(0, mdev_attr_read_u64(&l->mdev, name, &v));
	return v;
}

TEST_F(sysfs, defaults)
{
	ASSERT_EQ(LEAPIO_DEFAULT_NS_SIZE, attr(_metadata, &self->l, LEAPIO_SYSFS_NS_SIZE));
	ASSERT_EQ(LEAPIO_DEFAULT_LBA_SIZE, attr(_metadata, &self->l, LEAPIO_SYSFS_LBA_SIZE));
	ASSERT_EQ(self->l.mdev.nr_ioq, attr(_metadata, &self->l, LEAPIO_SYSFS_NR_IOQ));
}

TEST_F(sysfs, ns_size_rejects_bad_values)
{
	static const struct {
		const char	*val;
		int		err;
	} bad[] = {
		{ "0", -EINVAL }, { "1000", -EINVAL }, { "511", -EINVAL },
		{ "-512", -EINVAL }, { "abc", -EINVAL },
		{ "18446744073709551616", -ERANGE },	/* 2^64 */
	};
	const struct lio_mdev *m = &self->l.mdev;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		TH_LOG("ns_size \"%s\"", bad[i].val);
		ASSERT_EQ(bad[i].err, mdev_attr_write(m, LEAPIO_SYSFS_NS_SIZE, bad[i].val));
		ASSERT_EQ(LEAPIO_DEFAULT_NS_SIZE, attr(_metadata, &self->l, LEAPIO_SYSFS_NS_SIZE));
	}
	/* With 4 KiB blocks, a multiple of 512 only is not enough. */
	ASSERT_EQ(0, mdev_attr_write(m, LEAPIO_SYSFS_LBA_SIZE, "4096"));
	ASSERT_EQ(-EINVAL, mdev_attr_write_u64(m, LEAPIO_SYSFS_NS_SIZE, 4096 * 100 + 512));
	ASSERT_EQ(LEAPIO_DEFAULT_NS_SIZE, attr(_metadata, &self->l, LEAPIO_SYSFS_NS_SIZE));
}

TEST_F(sysfs, lba_size_rejects_bad_values)
{
	static const char * const bad[] = { "0", "1024", "513", "2048", "8192", "65536", "x" };
	const struct lio_mdev *m = &self->l.mdev;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		TH_LOG("lba_size \"%s\"", bad[i]);
		ASSERT_EQ(-EINVAL, mdev_attr_write(m, LEAPIO_SYSFS_LBA_SIZE, bad[i]));
		ASSERT_EQ(512, attr(_metadata, &self->l, LEAPIO_SYSFS_LBA_SIZE));
	}
	/* 4096 with a size that is no multiple of it: refused, kept 512. */
	ASSERT_EQ(0, mdev_attr_write_u64(m, LEAPIO_SYSFS_NS_SIZE, 512 * 9));
	ASSERT_EQ(-EINVAL, mdev_attr_write(m, LEAPIO_SYSFS_LBA_SIZE, "4096"));
	ASSERT_EQ(512, attr(_metadata, &self->l, LEAPIO_SYSFS_LBA_SIZE));
}

TEST_F(sysfs, good_values_stick)
{
	const struct lio_mdev *m = &self->l.mdev;

	ASSERT_EQ(0, mdev_attr_write(m, LEAPIO_SYSFS_LBA_SIZE, "4096"));
	ASSERT_EQ(0, mdev_attr_write_u64(m, LEAPIO_SYSFS_NS_SIZE, 4096ULL * 12345));
	ASSERT_EQ(4096, attr(_metadata, &self->l, LEAPIO_SYSFS_LBA_SIZE));
	ASSERT_EQ(4096ULL * 12345, attr(_metadata, &self->l, LEAPIO_SYSFS_NS_SIZE));
	/* Hex is a number too (kstrto* base 0). */
	ASSERT_EQ(0, mdev_attr_write(m, LEAPIO_SYSFS_NS_SIZE, "0x100000"));
	ASSERT_EQ(0x100000, attr(_metadata, &self->l, LEAPIO_SYSFS_NS_SIZE));
	ASSERT_EQ(0, mdev_attr_write(m, LEAPIO_SYSFS_LBA_SIZE, "512"));
	ASSERT_EQ(512, attr(_metadata, &self->l, LEAPIO_SYSFS_LBA_SIZE));
}

TEST_F(sysfs, busy_while_open)
{
	struct lio *l = &self->l;

	ASSERT_EQ(0, lio_open(l));
	ASSERT_EQ(-EBUSY, mdev_attr_write_u64(&l->mdev, LEAPIO_SYSFS_NS_SIZE, 1ULL << 20));
	ASSERT_EQ(-EBUSY, mdev_attr_write(&l->mdev, LEAPIO_SYSFS_LBA_SIZE, "4096"));
	/* Reading is fine, and shows the values in force. */
	ASSERT_EQ(LEAPIO_DEFAULT_NS_SIZE, attr(_metadata, l, LEAPIO_SYSFS_NS_SIZE));
	lio_close(l);
	ASSERT_EQ(0, mdev_attr_write_u64(&l->mdev, LEAPIO_SYSFS_NS_SIZE, 1ULL << 20));
	ASSERT_EQ(1ULL << 20, attr(_metadata, l, LEAPIO_SYSFS_NS_SIZE));
}

TEST_F(sysfs, read_only_attributes)
{
	static const char * const ro[] = {
		LEAPIO_SYSFS_NR_IOQ, LEAPIO_SYSFS_CNTLID, LEAPIO_SYSFS_SERIAL,
		LEAPIO_SYSFS_SUBNQN,
	};
	char before[300], after[300];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ro); i++) {
		TH_LOG("%s", ro[i]);
		ASSERT_EQ(0, mdev_attr_read(&self->l.mdev, ro[i], before, sizeof(before)));
		ASSERT_NE(0, mdev_attr_write(&self->l.mdev, ro[i], "1"));
		ASSERT_EQ(0, mdev_attr_read(&self->l.mdev, ro[i], after, sizeof(after)));
		ASSERT_STREQ(before, after);
	}
}

TEST_F(sysfs, identity_per_instance)
{
	char nqn[300], sn1[64], sn2[64];
	struct lio_opts o = { .no_open = true };

	ASSERT_EQ(0, mdev_attr_read(&self->l.mdev, LEAPIO_SYSFS_SUBNQN, nqn, sizeof(nqn)));
	/* The NQN names the mdev, so an administrator can tell them apart. */
	ASSERT_NE(NULL, strstr(nqn, self->l.mdev.uuid));
	LIO_SETUP(&self->other, &o);
	ASSERT_NE(attr(_metadata, &self->l, LEAPIO_SYSFS_CNTLID),
		  attr(_metadata, &self->other, LEAPIO_SYSFS_CNTLID));
	ASSERT_EQ(0, mdev_attr_read(&self->l.mdev, LEAPIO_SYSFS_SERIAL, sn1, sizeof(sn1)));
	ASSERT_EQ(0, mdev_attr_read(&self->other.mdev, LEAPIO_SYSFS_SERIAL, sn2, sizeof(sn2)));
	ASSERT_STRNE(sn1, sn2);
	ASSERT_GT(strlen(sn1), 0);
	ASSERT_LE(strlen(sn1), 20);
}

TEST_F(sysfs, available_instances)
{
	struct lio_mdev_type t[MDEV_MAX_TYPES];
	struct lio_opts o = { .no_open = true };
	long before[MDEV_MAX_TYPES], now;
	int nr, i;

	nr = mdev_list_types(t, MDEV_MAX_TYPES);
	ASSERT_GT(nr, 0);
	for (i = 0; i < nr; i++) {
		ASSERT_EQ(0, mdev_type_read_long(t[i].name, "available_instances", &before[i]));
	}
	/* Every type draws on one pool (max_instances): one more instance of
	 * any type is one fewer for all.
	 */
	o.type = t[nr - 1].name;
	LIO_SETUP(&self->other, &o);
	for (i = 0; i < nr; i++) {
		ASSERT_EQ(0, mdev_type_read_long(t[i].name, "available_instances", &now));
		TH_LOG("%s: %ld -> %ld", t[i].name, before[i], now);
		ASSERT_EQ(before[i] - 1, now);
	}
	ASSERT_EQ(0, lio_teardown(&self->other));
	for (i = 0; i < nr; i++) {
		ASSERT_EQ(0, mdev_type_read_long(t[i].name, "available_instances", &now));
		ASSERT_EQ(before[i], now);
	}
}

TEST_F(sysfs, type_attributes)
{
	struct lio_mdev_type t[MDEV_MAX_TYPES];
	char dir[4096], path[4200], buf[256];
	int nr, i;

	nr = mdev_list_types(t, MDEV_MAX_TYPES);
	ASSERT_GT(nr, 0);
	for (i = 0; i < nr; i++) {
		ASSERT_EQ(0, mdev_type_dir(t[i].name, dir, sizeof(dir)));
		snprintf(path, sizeof(path), "%s/device_api", dir);
		ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
		ASSERT_STREQ("vfio-pci", buf);
		snprintf(path, sizeof(path), "%s/name", dir);
		ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
		ASSERT_GT(strlen(buf), 0);
	}
}

TEST_F(sysfs, duplicate_uuid_refused)
{
	char dir[4096], path[4200];

	ASSERT_EQ(0, mdev_type_dir(self->l.mdev.type, dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/create", dir);
	ASSERT_EQ(-EEXIST, sysfs_write(path, self->l.mdev.uuid));
	ASSERT_TRUE(mdev_exists(self->l.mdev.uuid));
}

TEST_HARNESS_MAIN
