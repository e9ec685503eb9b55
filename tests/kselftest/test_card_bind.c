// SPDX-License-Identifier: GPL-2.0
/*
 * SoC mode, binding the card (kernel/host/card.c): card= at load and the
 * writable card parameter bind the loopback card's host-facing
 * ivshmem-doorbell (lib/card_side.h) and write the card header; bad
 * addresses, a device that is no card or has a driver, and a card_reserve
 * that leaves no room are refused; unbinding and unloading are refused
 * while a controller has its region in card DRAM. Skipped when this L1
 * has no loopback card (a regular L1). The module is left as run.sh
 * loaded it: no card, default parameters.
 */
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

#include "card_side.h"
#include "kmod.h"
#include "lio_test.h"

FIXTURE(card_bind) {
	struct card_side cs;
	const char *ko;
	struct lio_mdev m;
};

/* Loaded, no card, no mdev. */
static int restore(const char *ko)
{
	char buf[64] = "";

	mdev_remove_all();
	if (!kmod_loaded(LEAPIO_MODULE_NAME))
		return kmod_load(ko, "");
	if (!card_param_read(buf, sizeof(buf)) && buf[0])
		return card_param_write("");
	return 0;
}

FIXTURE_SETUP(card_bind)
{
	const char *why = NULL;

	memset(&self->m, 0, sizeof(self->m));
	if (card_find(&self->cs, &why))
		SKIP(return, "%s", why);
	self->ko = getenv("LEAPIO_KO");
	ASSERT_NE(NULL, self->ko) TH_LOG("set LEAPIO_KO to leapio_host.ko");
	ASSERT_EQ(0, restore(self->ko));
	ASSERT_EQ(0, card_map(&self->cs));
	_metadata->setup_completed = true;
}

FIXTURE_TEARDOWN(card_bind)
{
	mdev_remove(&self->m);
	card_unmap(&self->cs);
	if (self->ko)
		EXPECT_EQ(0, restore(self->ko));
}

/* The header as the card reads it, after a bind. */
static void check_hdr(struct __test_metadata *_metadata, struct card_side *cs)
{
	struct leapio_card_hdr *h = cs->hdr;

	ASSERT_EQ(LEAPIO_CARD_MAGIC,
		  __atomic_load_n(&h->magic, __ATOMIC_ACQUIRE));
	ASSERT_EQ(LEAPIO_CARD_VERSION_MAJOR, h->version_major);
	ASSERT_EQ(LEAPIO_CARD_VERSION_MINOR, h->version_minor);
	ASSERT_EQ(sizeof(*h), h->hdr_size);
	ASSERT_EQ(cs->dram_size, h->dram_size);
	ASSERT_EQ(LEAPIO_CARD_SLOTS, h->nr_slots);
	ASSERT_EQ(sizeof(struct leapio_card_slot), h->slot_size);
	ASSERT_EQ(16ULL << 20, h->card_reserve);	/* card_reserve_mb's default */
	/* Both doorbell devices are peers of one server: not the same id. */
	ASSERT_GE(0xffff, h->host_peer);
	ASSERT_NE(cs->peer, h->host_peer);
	ASSERT_NE(0, h->host_gen);
}

static void load_card(struct __test_metadata *_metadata, const char *ko,
		      const char *params)
{
	if (kmod_loaded(LEAPIO_MODULE_NAME)) {
		ASSERT_EQ(0, kmod_unload(LEAPIO_MODULE_NAME));
	}
	TH_LOG("insmod %s %s", ko, params);
	ASSERT_EQ(0, kmod_load(ko, params));
}

/* A PCI device that is no card: with a driver if drv, else without. */
static bool other_device(const struct card_side *cs, bool drv, char *out)
{
	struct dirent *e;
	char path[300];
	struct stat st;
	bool found = false;
	DIR *d = opendir("/sys/bus/pci/devices");

	while (d && !found && (e = readdir(d))) {
		if (e->d_name[0] == '.' || strlen(e->d_name) >= CARD_ADDR_LEN ||
		    !strcmp(e->d_name, cs->host_addr) ||
		    !strcmp(e->d_name, cs->card_addr))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver",
			 e->d_name);
		if (!stat(path, &st) == drv) {
			strcpy(out, e->d_name);
			found = true;
		}
	}
	if (d)
		closedir(d);
	return found;
}

TEST_F(card_bind, bad_card_values)
{
	static const char *const bad[] = {
		"card=nonsense", "card=0000:00:02.8", "card=0000:00:20.0",
		"card=0000:100:00.0", "card=0000:00:02.0x",
		"card=0000:00:02.0:0000:00:03.0",
	};
	char params[128], other[CARD_ADDR_LEN];
	unsigned int i;

	ASSERT_EQ(0, kmod_unload(LEAPIO_MODULE_NAME));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		TH_LOG("%s", bad[i]);
		EXPECT_EQ(-EINVAL, kmod_load(self->ko, bad[i]));
		ASSERT_FALSE(kmod_loaded(LEAPIO_MODULE_NAME));
	}
	/* A well-formed address with no device there. */
	EXPECT_EQ(-ENODEV, kmod_load(self->ko, "card=0000:7e:1f.0"));
	ASSERT_FALSE(kmod_loaded(LEAPIO_MODULE_NAME));
	/* A device another driver has (the 9p root's virtio, at least). */
	ASSERT_TRUE(other_device(&self->cs, true, other));
	snprintf(params, sizeof(params), "card=%s", other);
	TH_LOG("%s (has a driver)", params);
	EXPECT_EQ(-EBUSY, kmod_load(self->ko, params));
	ASSERT_FALSE(kmod_loaded(LEAPIO_MODULE_NAME));
	/* One without a driver that is no ivshmem-doorbell (q35's bridges). */
	if (other_device(&self->cs, false, other)) {
		snprintf(params, sizeof(params), "card=%s", other);
		TH_LOG("%s (no card)", params);
		EXPECT_EQ(-ENODEV, kmod_load(self->ko, params));
		ASSERT_FALSE(kmod_loaded(LEAPIO_MODULE_NAME));
	}
	/* The card, with no room left for a region beside card_reserve. */
	snprintf(params, sizeof(params), "card=%s card_reserve_mb=%zu",
		 self->cs.host_addr, self->cs.dram_size >> 20);
	EXPECT_EQ(-ENOSPC, kmod_load(self->ko, params));
	ASSERT_FALSE(kmod_loaded(LEAPIO_MODULE_NAME));
	/* And the card itself. */
	snprintf(params, sizeof(params), "card=%s", self->cs.host_addr);
	load_card(_metadata, self->ko, params);
	check_hdr(_metadata, &self->cs);
}

/* The bound device's card_ready attribute, or -errno (none: unbound). */
static int card_ready_read(const struct card_side *cs, char *buf, size_t len)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/card_ready",
		 cs->host_addr);
	return sysfs_read(path, buf, len);
}

TEST_F(card_bind, header_and_param)
{
	char params[64], buf[64];
	uint32_t gen;

	snprintf(params, sizeof(params), "card=%s", self->cs.host_addr);
	load_card(_metadata, self->ko, params);
	check_hdr(_metadata, &self->cs);
	gen = self->cs.hdr->host_gen;
	ASSERT_EQ(0, card_param_read(buf, sizeof(buf)));
	ASSERT_STREQ(self->cs.host_addr, buf);
	/* No card side has looked at this bind's header yet. */
	ASSERT_EQ(0, card_ready_read(&self->cs, buf, sizeof(buf)));
	ASSERT_STREQ("0", buf);
	ASSERT_EQ(0, card_say_ready(&self->cs));
	ASSERT_EQ(0, card_ready_read(&self->cs, buf, sizeof(buf)));
	ASSERT_STREQ("1", buf);

	/* Bound already: a second bind is refused, the card stays. */
	EXPECT_EQ(-EBUSY, card_param_write(self->cs.card_addr));
	EXPECT_EQ(-EBUSY, card_param_write(self->cs.host_addr));
	EXPECT_EQ(-EINVAL, card_param_write("bogus"));
	ASSERT_EQ(0, card_param_read(buf, sizeof(buf)));
	ASSERT_STREQ(self->cs.host_addr, buf);

	/* Unbound: the header says so (magic 0), the parameter is empty. */
	ASSERT_EQ(0, card_param_write(""));
	ASSERT_EQ(0, card_param_read(buf, sizeof(buf)));
	ASSERT_STREQ("", buf);
	ASSERT_EQ(0, self->cs.hdr->magic);
	/* The attribute goes with the driver. */
	ASSERT_EQ(-ENOENT, card_ready_read(&self->cs, buf, sizeof(buf)));
	/* Unbinding nothing is no error. */
	ASSERT_EQ(0, card_param_write(""));

	/* Bound again through sysfs: the next generation. */
	ASSERT_EQ(0, card_param_write(self->cs.host_addr));
	check_hdr(_metadata, &self->cs);
	ASSERT_EQ(gen + 1, self->cs.hdr->host_gen);
	/* What the card said was for the last bind: not ready for this one. */
	ASSERT_EQ(gen, self->cs.hdr->card_ready);
	ASSERT_EQ(0, card_ready_read(&self->cs, buf, sizeof(buf)));
	ASSERT_STREQ("0", buf);

	/* The card side comes up: the host rings it from now on. */
	ASSERT_EQ(0, card_say_ready(&self->cs));
	ASSERT_EQ(self->cs.peer, self->cs.hdr->card_peer);
	ASSERT_EQ(0, card_ready_read(&self->cs, buf, sizeof(buf)));
	ASSERT_STREQ("1", buf);
}

/*
 * A controller in card DRAM holds the card and the module: unbinding and
 * unloading are refused until it is removed.
 */
TEST_F(card_bind, unload_refused)
{
	char params[64], val[32];

	snprintf(params, sizeof(params), "card=%s", self->cs.host_addr);
	load_card(_metadata, self->ko, params);
	ASSERT_EQ(0, mdev_create(&self->m, "leapio-1q"));
	ASSERT_EQ(0, mdev_attr_read(&self->m, LEAPIO_SYSFS_CARD_SLOT, val,
				    sizeof(val)));
	ASSERT_STREQ("0", val);

	EXPECT_EQ(-EAGAIN, kmod_unload(LEAPIO_MODULE_NAME));
	ASSERT_TRUE(kmod_loaded(LEAPIO_MODULE_NAME));
	EXPECT_EQ(-EBUSY, card_param_write(""));
	ASSERT_EQ(LEAPIO_CARD_MAGIC, self->cs.hdr->magic);

	ASSERT_EQ(0, mdev_remove(&self->m));
	/* The slot is free again: nothing in it for the card. */
	ASSERT_EQ(LEAPIO_CARD_OWNER_NONE, card_slot(&self->cs, 0)->owner);
	ASSERT_EQ(0, card_slot(&self->cs, 0)->region_off);
	ASSERT_EQ(0, kmod_unload(LEAPIO_MODULE_NAME));
	/* Unloading unbound the card. */
	ASSERT_EQ(0, self->cs.hdr->magic);
}

/* Without a card, controllers are in host memory as ever. */
TEST_F(card_bind, no_card_host_memory)
{
	char val[32];

	ASSERT_EQ(0, mdev_create(&self->m, "leapio-1q"));
	ASSERT_EQ(0, mdev_attr_read(&self->m, LEAPIO_SYSFS_CARD_SLOT, val,
				    sizeof(val)));
	ASSERT_STREQ("-1", val);
	ASSERT_EQ(0, mdev_attr_read(&self->m, LEAPIO_SYSFS_RUNTIME, val,
				    sizeof(val)));
	ASSERT_STREQ("host", val);
	EXPECT_EQ(-ENODEV, mdev_attr_write(&self->m, LEAPIO_SYSFS_RUNTIME,
					   "card"));
	EXPECT_EQ(-EINVAL, mdev_attr_write(&self->m, LEAPIO_SYSFS_RUNTIME,
					   "elsewhere"));
	/* Binding a card later leaves it there. */
	ASSERT_EQ(0, card_param_write(self->cs.host_addr));
	ASSERT_EQ(0, mdev_attr_read(&self->m, LEAPIO_SYSFS_CARD_SLOT, val,
				    sizeof(val)));
	ASSERT_STREQ("-1", val);
	EXPECT_EQ(-ENODEV, mdev_attr_write(&self->m, LEAPIO_SYSFS_RUNTIME,
					   "card"));
	ASSERT_EQ(0, card_param_write(""));
}

TEST_HARNESS_MAIN
