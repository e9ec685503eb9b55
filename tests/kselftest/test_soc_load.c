// SPDX-License-Identifier: GPL-2.0
/*
 * leapio_soc.ko's binding (kernel/soc/main.c): it binds exactly the two
 * functions dram= and hostmem= name, and refuses, with -EINVAL (-EBUSY
 * for a function another driver holds) and a kernel log line saying why,
 * a missing or malformed parameter, a function that does not exist or is
 * of another kind, the same function twice, the functions swapped, and a
 * sysfs bind of any other function. A refused load leaves nothing bound.
 *
 * The parameter tests need no card (they run in every L1); the others
 * skip in an L1 without ivshmem functions.
 */
#include <dirent.h>
#include <stdio.h>

#include "soc_test.h"

/* A PCI function in this VM that is not an ivshmem one (q35 has several). */
static int other_function(char *bdf, size_t len)
{
	char path[PATH_MAX], buf[32];
	struct dirent *e;
	int ret = -ENOENT;
	DIR *d;

	d = opendir("/sys/bus/pci/devices");
	if (!d)
		return -errno;
	while (ret && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor",
			 e->d_name);
		if (sysfs_read(path, buf, sizeof(buf)) ||
		    strtoul(buf, NULL, 16) == SOC_PCI_VENDOR)
			continue;
		snprintf(bdf, len, "%s", e->d_name);
		ret = 0;
	}
	closedir(d);
	return ret;
}

/*
 * Load with params: refused with err, with a kernel log line containing
 * msg, and the module not left loaded.
 */
static void refused(struct __test_metadata *_metadata, const char *ko,
		    const char *params, int err, const char *msg)
{
	int kmsg = soc_kmsg_open();

	ASSERT_LE(0, kmsg);
	ASSERT_EQ(0, soc_unload());
	TH_LOG("insmod leapio_soc.ko %s", params);
	EXPECT_EQ(-err, kmod_load(ko, params));
	EXPECT_FALSE(kmod_loaded(SOC_MODULE_NAME));
	EXPECT_EQ(1, soc_kmsg_find(kmsg, msg)) TH_LOG("no log line \"%s\"", msg);
	close(kmsg);
}

/* ---- parameters: no card needed ---- */

FIXTURE(params) {
	struct soc_rig rig;
	char other[32];
	char other2[32];
};

FIXTURE_SETUP(params)
{
	ASSERT_EQ(0, soc_rig_init(&self->rig)) TH_LOG("leapio_soc.ko: %s",
						      self->rig.ko);
	ASSERT_EQ(0, other_function(self->other, sizeof(self->other)));
	_metadata->setup_completed = true;
}

FIXTURE_TEARDOWN(params)
{
	EXPECT_EQ(0, soc_unload());
}

TEST_F(params, missing)
{
	refused(_metadata, self->rig.ko, "", EINVAL, "dram= is required");
	refused(_metadata, self->rig.ko, "hostmem=0000:00:12.0", EINVAL,
		"dram= is required");
	refused(_metadata, self->rig.ko, "dram=0000:00:11.0", EINVAL,
		"hostmem= is required");
	refused(_metadata, self->rig.ko, "dram= hostmem=0000:00:12.0", EINVAL,
		"dram= is required");
}

TEST_F(params, malformed)
{
	static const char * const bad[] = {
		"zz", "0000:00:11", "0000:00:1f.8", "00:20.0", "0000:100:00.0",
		"10000:00:11.0", "100000000:00:11.0", "0000:00:11.0x",
		"0000:00:0x11.0", "0000:00:0g.0", "0000:00:11.0 ",
		" 0000:00:11.0", "-1:00.0", "0000:00:11.00", "0000.00:11:0",
	};
	char params[128], msg[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(params, sizeof(params), "dram=\"%s\" hostmem=0000:00:12.0",
			 bad[i]);
		snprintf(msg, sizeof(msg), "dram=%s: not a PCI address", bad[i]);
		refused(_metadata, self->rig.ko, params, EINVAL, msg);
	}
	refused(_metadata, self->rig.ko, "dram=0000:00:11.0 hostmem=1:2:3:4",
		EINVAL, "hostmem=1:2:3:4: not a PCI address");
}

TEST_F(params, same_function)
{
	char params[128];

	/* With and without the domain: the same address. */
	snprintf(params, sizeof(params), "dram=%s hostmem=%s", self->other,
		 self->other + 5);
	refused(_metadata, self->rig.ko, params, EINVAL,
		"dram= and hostmem= name the same function");
}

TEST_F(params, no_such_device)
{
	refused(_metadata, self->rig.ko,
		"dram=0000:fe:1f.7 hostmem=0000:00:12.0", EINVAL,
		"dram=0000:fe:1f.7: no such PCI device");
}

TEST_F(params, not_a_card_function)
{
	char params[128];

	snprintf(params, sizeof(params), "dram=%s hostmem=0000:fe:1f.6",
		 self->other);
	refused(_metadata, self->rig.ko, params, EINVAL,
		"is no card function this module drives");
}

/* ---- the card's functions ---- */

FIXTURE(bind) {
	struct soc_rig rig;
	char other[32];
	bool stubbed;
};

FIXTURE_SETUP(bind)
{
	if (soc_ivshmem_count() == 0)
		SKIP(return, SOC_SKIP_REASON);
	ASSERT_EQ(0, soc_rig_init(&self->rig));
	ASSERT_EQ(0, other_function(self->other, sizeof(self->other)));
	_metadata->setup_completed = true;
}

FIXTURE_TEARDOWN(bind)
{
	EXPECT_EQ(0, soc_unload());
	if (self->stubbed) {
		char drv[64];

		if (!soc_pci_driver(self->rig.dram, drv, sizeof(drv)) &&
		    !strcmp(drv, "pci-stub"))
			EXPECT_EQ(0, sysfs_write("/sys/bus/pci/drivers/pci-stub/unbind",
						 self->rig.dram));
		EXPECT_EQ(0, soc_pci_write(self->rig.dram, "driver_override",
					   "\n"));
	}
}

/* Nothing of the card is bound to leapio_soc (or anything else). */
static void nothing_bound(struct __test_metadata *_metadata,
			  const struct soc_rig *r)
{
	const char *fn[] = { r->host, r->dram, r->hostmem };
	char drv[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fn); i++) {
		ASSERT_EQ(0, soc_pci_driver(fn[i], drv, sizeof(drv)));
		EXPECT_STREQ("", drv) TH_LOG("%s bound to %s", fn[i], drv);
	}
}

TEST_F(bind, binds_the_two_named)
{
	char drv[64];

	nothing_bound(_metadata, &self->rig);
	ASSERT_EQ(0, soc_load(&self->rig, self->rig.params));
	ASSERT_EQ(0, soc_pci_driver(self->rig.dram, drv, sizeof(drv)));
	EXPECT_STREQ(SOC_MODULE_NAME, drv);
	ASSERT_EQ(0, soc_pci_driver(self->rig.hostmem, drv, sizeof(drv)));
	EXPECT_STREQ(SOC_MODULE_NAME, drv);
	/* The host-facing function is the same device; it is not ours. */
	ASSERT_EQ(0, soc_pci_driver(self->rig.host, drv, sizeof(drv)));
	EXPECT_STREQ("", drv);
	ASSERT_EQ(0, soc_unload());
	nothing_bound(_metadata, &self->rig);
}

TEST_F(bind, swapped)
{
	char params[128];

	snprintf(params, sizeof(params), "dram=%s hostmem=%s",
		 self->rig.hostmem, self->rig.dram);
	refused(_metadata, self->rig.ko, params, EINVAL,
		"dram=: no MSI-X, an ivshmem-plain");
	nothing_bound(_metadata, &self->rig);
}

TEST_F(bind, doorbell_as_hostmem)
{
	char params[128];

	snprintf(params, sizeof(params), "dram=%s hostmem=%s", self->rig.dram,
		 self->rig.host);
	refused(_metadata, self->rig.ko, params, EINVAL,
		"hostmem=: an ivshmem-doorbell");
	/* dram= was bound on the way and let go again. */
	nothing_bound(_metadata, &self->rig);
}

TEST_F(bind, hostmem_not_a_card_function)
{
	char params[128];

	snprintf(params, sizeof(params), "dram=%s hostmem=%s", self->rig.dram,
		 self->other);
	refused(_metadata, self->rig.ko, params, EINVAL,
		"is no card function this module drives");
	nothing_bound(_metadata, &self->rig);
}

TEST_F(bind, busy)
{
	char drv[64];

	ASSERT_EQ(0, system("modprobe -q pci-stub"));
	self->stubbed = true;
	ASSERT_EQ(0, soc_pci_write(self->rig.dram, "driver_override",
				   "pci-stub"));
	ASSERT_EQ(0, sysfs_write("/sys/bus/pci/drivers_probe", self->rig.dram));
	ASSERT_EQ(0, soc_pci_driver(self->rig.dram, drv, sizeof(drv)));
	ASSERT_STREQ("pci-stub", drv);
	refused(_metadata, self->rig.ko, self->rig.params, EBUSY,
		"dram=: already bound to pci-stub");
}

/* A sysfs bind of a function not named: probe declines it. */
TEST_F(bind, bind_unnamed)
{
	char drv[64];

	ASSERT_EQ(0, soc_load(&self->rig, self->rig.params));
	EXPECT_EQ(-ENODEV, soc_bind(self->rig.host));
	ASSERT_EQ(0, soc_pci_driver(self->rig.host, drv, sizeof(drv)));
	EXPECT_STREQ("", drv);
}

TEST_HARNESS_MAIN
