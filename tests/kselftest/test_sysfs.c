// SPDX-License-Identifier: GPL-2.0
/*
 * The per-mdev sysfs attributes and the types' instance accounting:
 * namespace geometry accepted only when valid (ns_size up to
 * LEAPIO_NS_SIZE_MAX, which the guest sees in full) and only while
 * neither the device is open nor a runtime serves it, read-only identity
 * attributes, available_instances. A namespace larger than the backend
 * leapiod is given is refused by leapiod when it attaches: it exits
 * non-zero, saying so, rather than failing I/O later.
 */
#include <sys/wait.h>

#include "lio_dp.h"
#include "../../common/leapio/mdev_attrs.h"

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

TEST_F(sysfs, ns_size_top_of_range)
{
	const struct lio_mdev *m = &self->l.mdev;
	struct lio *l = &self->l;
	static const unsigned long long too_big[] = {
		LEAPIO_NS_SIZE_MAX + 512, LEAPIO_NS_SIZE_MAX + 4096, 1ULL << 63,
		~0ULL - 511, ~0ULL,
	};
	struct nvme_id_ns *ns;
	struct nvme_sqe sqe;
	uint64_t iova;
	unsigned int i;

	/* The largest size is taken, with either LBA size. */
	ASSERT_EQ(0, mdev_attr_write_u64(m, LEAPIO_SYSFS_NS_SIZE, LEAPIO_NS_SIZE_MAX));
	ASSERT_EQ(LEAPIO_NS_SIZE_MAX, attr(_metadata, l, LEAPIO_SYSFS_NS_SIZE));
	/* One LBA past it, and beyond: out of range, the size kept. */
	for (i = 0; i < ARRAY_SIZE(too_big); i++) {
		TH_LOG("ns_size %llu", too_big[i]);
		ASSERT_EQ(-ERANGE, mdev_attr_write_u64(m, LEAPIO_SYSFS_NS_SIZE, too_big[i]));
		ASSERT_EQ(LEAPIO_NS_SIZE_MAX, attr(_metadata, l, LEAPIO_SYSFS_NS_SIZE));
	}
	ASSERT_EQ(0, mdev_attr_write(m, LEAPIO_SYSFS_LBA_SIZE, "4096"));
	ASSERT_EQ(LEAPIO_NS_SIZE_MAX, attr(_metadata, l, LEAPIO_SYSFS_NS_SIZE));
	ASSERT_EQ(-ERANGE, mdev_attr_write_u64(m, LEAPIO_SYSFS_NS_SIZE,
					       LEAPIO_NS_SIZE_MAX + 4096));

	/* And the guest sees all of it. */
	ASSERT_EQ(0, lio_open(l));
	LIO_ENABLE(l);
	ns = gmem_alloc_pages(&l->mem, NVME_IDENTIFY_DATA_SIZE, &iova);
	ASSERT_NE(NULL, ns);
	nb_identify(&sqe, NVME_ID_CNS_NS, 1, iova);
	ADMIN_OK(l, &sqe);
	ASSERT_EQ(LEAPIO_NS_SIZE_MAX >> 12, le64toh(ns->nsze));
	ASSERT_EQ(LEAPIO_NS_SIZE_MAX >> 12, le64toh(ns->ncap));
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

/*
 * leapio/backend, the tools' note of what serves the controller: empty
 * at first, any printable ASCII without spaces up to 255 bytes, kept as
 * written (a trailing newline dropped), writable while open, cleared by
 * an empty line; anything else refused and the note left as it was.
 */
TEST_F(sysfs, backend_note)
{
	static const struct {
		const char	*val;
		int		err;
	} bad[] = {
		{ "/dev/disk with space", -EINVAL }, { "a\tb", -EINVAL },
		{ "\x01", -EINVAL }, { "/dev/\xc3\xa9", -EINVAL },
		{ "two\nlines", -EINVAL },
	};
	const struct lio_mdev *m = &self->l.mdev;
	char buf[LEAPIO_BACKEND_MAX + 2], got[LEAPIO_BACKEND_MAX + 8];
	const char *good = "nvme+tcp://10.0.0.1:4420/nqn.2026-12.io.leapio:t/1,readonly";
	unsigned int i;

	ASSERT_EQ(0, mdev_attr_read(m, LEAPIO_SYSFS_BACKEND, got, sizeof(got)));
	ASSERT_STREQ("", got);
	ASSERT_EQ(0, mdev_attr_write(m, LEAPIO_SYSFS_BACKEND, good));
	ASSERT_EQ(0, mdev_attr_read(m, LEAPIO_SYSFS_BACKEND, got, sizeof(got)));
	ASSERT_STREQ(good, got);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		TH_LOG("backend \"%s\"", bad[i].val);
		ASSERT_EQ(bad[i].err, mdev_attr_write(m, LEAPIO_SYSFS_BACKEND, bad[i].val));
		ASSERT_EQ(0, mdev_attr_read(m, LEAPIO_SYSFS_BACKEND, got, sizeof(got)));
		ASSERT_STREQ(good, got);
	}
	/* 255 bytes are kept whole; 256 are too long. */
	memset(buf, 'x', LEAPIO_BACKEND_MAX + 1);
	buf[0] = '/';
	buf[LEAPIO_BACKEND_MAX + 1] = '\0';
	ASSERT_EQ(-ENAMETOOLONG, mdev_attr_write(m, LEAPIO_SYSFS_BACKEND, buf));
	buf[LEAPIO_BACKEND_MAX] = '\0';
	ASSERT_EQ(0, lio_open(&self->l));
	ASSERT_EQ(0, mdev_attr_write(m, LEAPIO_SYSFS_BACKEND, buf));
	ASSERT_EQ(0, mdev_attr_read(m, LEAPIO_SYSFS_BACKEND, got, sizeof(got)));
	ASSERT_STREQ(buf, got);
	lio_close(&self->l);
	ASSERT_EQ(0, mdev_attr_write(m, LEAPIO_SYSFS_BACKEND, "\n"));
	ASSERT_EQ(0, mdev_attr_read(m, LEAPIO_SYSFS_BACKEND, got, sizeof(got)));
	ASSERT_STREQ("", got);
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

/* ---- the namespace against leapiod's backend ---- */

FIXTURE(nsfit) {
	struct dp dp;
};

FIXTURE_SETUP(nsfit)
{
	leapiod_init(&self->dp.d);
	lio_init(&self->dp.l);
	self->dp.bk.file = self->dp.bk.loop = -1;
}

FIXTURE_TEARDOWN(nsfit)
{
	dp_teardown(_metadata, &self->dp);
}

/* leapiod serving path (from offset) for an mdev of ns_size: refused. */
static void refused_at_attach(struct __test_metadata *_metadata, struct dp *dp,
			      uint64_t offset)
{
	int err, code;

	ASSERT_EQ(0, leapiod_add_vdev(&dp->d, dp->l.mdev.uuid, dp->bk.path, offset));
	err = leapiod_start(&dp->d);
	/* It may be seen attached for the moment before it checks. */
	ASSERT_TRUE(err == -ECHILD || err == 0);
	code = leapiod_exit_code(&dp->d);
	if (code != 1)
		leapiod_dump_log(&dp->d, stderr);
	ASSERT_EQ(1, code);
	ASSERT_TRUE(leapiod_log_has(&dp->d, "larger than its backend"));
	ASSERT_EQ(0, dp_attr(_metadata, dp, LEAPIO_SYSFS_RUNTIME_PID));
}

TEST_F(nsfit, one_lba_larger_than_the_backend)
{
	dp_create(_metadata, &self->dp, DP_NS_SIZE + 512, DP_NS_SIZE, 0);
	refused_at_attach(_metadata, &self->dp, 0);
}

TEST_F(nsfit, larger_than_what_follows_the_offset)
{
	/* 2 x DP_NS_SIZE of backend; from this offset on, one block short. */
	dp_create(_metadata, &self->dp, DP_NS_SIZE, 2 * DP_NS_SIZE, 4096);
	refused_at_attach(_metadata, &self->dp, DP_NS_SIZE + 4096);
}

TEST_F(nsfit, as_large_as_the_backend)
{
	struct dp *dp = &self->dp;
	uint64_t last;

	dp_create(_metadata, dp, DP_NS_SIZE, DP_NS_SIZE, 0);
	ASSERT_EQ(0, leapiod_add_vdev(&dp->d, dp->l.mdev.uuid, dp->bk.path, 0));
	dp_start_leapiod(_metadata, dp);
	/*
	 * Served: the namespace grows only within its backend, which it
	 * fills, and never shrinks (test_control's nsw: growth that fits).
	 */
	ASSERT_EQ(-ENOSPC, mdev_attr_write_u64(&dp->l.mdev, LEAPIO_SYSFS_NS_SIZE,
					       2 * DP_NS_SIZE));
	ASSERT_EQ(-EBUSY, mdev_attr_write_u64(&dp->l.mdev, LEAPIO_SYSFS_NS_SIZE,
					      DP_NS_SIZE / 2));
	ASSERT_EQ(-EBUSY, mdev_attr_write(&dp->l.mdev, LEAPIO_SYSFS_LBA_SIZE, "4096"));
	ASSERT_EQ(DP_NS_SIZE, dp_attr(_metadata, dp, LEAPIO_SYSFS_NS_SIZE));
	dp_open(_metadata, dp);
	ASSERT_EQ(0, nvd_create_io_pair(&dp->l.nvd, 1, 16, 1));
	/* Its last block is the backend's. */
	last = DP_NS_SIZE / 512 - 1;
	dp_write_seed(_metadata, dp, 1, last, 1, 4242);
	dp_read_seed(_metadata, dp, 1, last, 1, 4242);
	dp_backing_seed(_metadata, dp, 0, last, 1, 4242);
	/* Once leapiod is gone and the device closed, it may change again. */
	dp_close(_metadata, dp);
	ASSERT_EQ(0, leapiod_stop(&dp->d, SIGTERM));
	ASSERT_EQ(0, leapiod_wait_runtime_pid(dp->l.mdev.uuid, 0, LEAPIOD_TIMEOUT_MS));
	ASSERT_EQ(0, mdev_attr_write_u64(&dp->l.mdev, LEAPIO_SYSFS_NS_SIZE, 2 * DP_NS_SIZE));
}

TEST_HARNESS_MAIN
