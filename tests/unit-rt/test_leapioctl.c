// SPDX-License-Identifier: GPL-2.0
/*
 * leapioctl's pure parts: its tables (tools/leapioctl/format.c), exact
 * text for known results, and its sysfs side (mdev.c) on a fake tree of
 * the leapio parent in a temporary directory (LEAPIOCTL_SYSFS_ROOT's
 * way). tests/unit-rt/leapioctl_cli.sh runs the binary against leapiod.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/lio_harness.h"
#include "../../tools/leapioctl/callout.h"
#include "../../tools/leapioctl/format.h"
#include "../../tools/leapioctl/mdev.h"

/* What print(f, json text) writes. */
static char *printed(void (*print)(FILE *, const json_t *), const char *text)
{
	json_t *v = json_loads(text, 0, NULL);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!v || !f)
		return NULL;
	print(f, v);
	fclose(f);
	json_decref(v);
	return out;
}

TEST(vdev_table)
{
	char *out = printed(lctl_print_vdevs,
		"[{\"uuid\": \"u1\", \"poller\": 0, \"backend\": {\"type\": \"null\"}},"
		" {\"uuid\": \"u2\", \"poller\": 1, \"backend\": {\"type\": \"file\","
		"  \"path\": \"/srv/a.img\", \"offset\": 4096, \"size\": 8192, \"readonly\": true}},"
		" {\"uuid\": \"u3\", \"poller\": 0, \"backend\": {\"type\": \"nvmf\","
		"  \"path\": \"nvme+tcp://h/n/1\", \"fabric\": {\"ctrl_loss_tmo\": 5,"
		"  \"dhchap_secret\": \"DHHC-1:00:xyz:\"}}}]");

	ASSERT_NE(NULL, out);
	ASSERT_STREQ(
		"UUID  POLLER  TYPE  PATH              OFFSET  SIZE  OPTIONS\n"
		"u1    0       null  -                 0       all   -\n"
		"u2    1       file  /srv/a.img        4096    8192  readonly\n"
		"u3    0       nvmf  nvme+tcp://h/n/1  0       all   ctrl_loss_tmo=5,dhchap_secret=(set)\n",
		out);
	/* A secret stays off the screen. */
	ASSERT_EQ(NULL, strstr(out, "DHHC"));
	free(out);

	out = printed(lctl_print_vdevs, "[]");
	ASSERT_STREQ("UUID  POLLER  TYPE  PATH  OFFSET  SIZE  OPTIONS\n", out);
	free(out);
}

TEST(mdev_and_type_tables_and_lines)
{
	char *out = printed(lctl_print_mdevs,
		"[{\"uuid\": \"u1\", \"type\": \"leapio-4q\", \"ns_size\": 1048576,"
		"  \"lba_size\": 512, \"runtime_pid\": 0, \"backend\": \"\"},"
		" {\"uuid\": \"u2\", \"type\": \"leapio-1q\", \"ns_size\": 4096,"
		"  \"lba_size\": 4096, \"runtime_pid\": 321, \"backend\": \"/dev/sdb,readonly\"}]");

	ASSERT_STREQ("UUID  TYPE       NS_SIZE  LBA   RUNTIME  BACKEND\n"
		     "u1    leapio-4q  1048576  512   none     -\n"
		     "u2    leapio-1q  4096     4096  321      /dev/sdb,readonly\n", out);
	free(out);
	out = printed(lctl_print_types, "[{\"type\": \"leapio-4q\", \"queues\": 4,"
				       " \"available\": 63, \"description\": \"4 I/O queues\"}]");
	ASSERT_STREQ("TYPE       QUEUES  AVAILABLE  DESCRIPTION\n"
		     "leapio-4q  4       63         4 I/O queues\n", out);
	free(out);
	out = printed(lctl_print_lines, "[\"a\", \"b\"]");
	ASSERT_STREQ("a\nb\n", out);
	free(out);
	out = printed(lctl_print_json, "{\"a\": 1}");
	ASSERT_STREQ("{\n  \"a\": 1\n}\n", out);
	free(out);
}

FIXTURE(sysfs) {
	char root[64];
	char path[512];
};

static void put(FIXTURE_DATA(sysfs) *self, const char *rel, const char *text)
{
	char cmd[1024];
	int fd;

	snprintf(self->path, sizeof(self->path), "%s%s", self->root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", self->path);
	if (system(cmd))
		return;
	fd = open(self->path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0)
			perror(self->path);
		close(fd);
	}
}

static char *got(FIXTURE_DATA(sysfs) *self, const char *rel)
{
	static char buf[256];
	ssize_t n;
	int fd;

	snprintf(self->path, sizeof(self->path), "%s%s", self->root, rel);
	fd = open(self->path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

#define TYPES	"/sys/class/mdev_bus/leapio/mdev_supported_types"
#define DEVS	"/sys/bus/mdev/devices"
#define UA	"6f1a0c8e-0000-4000-8000-0000000000a1"
#define UB	"6f1a0c8e-0000-4000-8000-0000000000a2"

FIXTURE_SETUP(sysfs)
{
	char link[512], target[512];

	strcpy(self->root, "/tmp/lio-sysfs-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->root));
	put(self, TYPES "/leapio-4q/available_instances", "63\n");
	put(self, TYPES "/leapio-4q/description", "4 I/O queues\n");
	put(self, TYPES "/leapio-4q/create", "");
	/* One of ours, served, and another driver's. */
	put(self, DEVS "/" UA "/leapio/ns_size", "1048576\n");
	put(self, DEVS "/" UA "/leapio/lba_size", "512\n");
	put(self, DEVS "/" UA "/leapio/runtime_pid", "321\n");
	put(self, DEVS "/" UA "/remove", "");
	snprintf(link, sizeof(link), "%s" DEVS "/" UA "/mdev_type", self->root);
	snprintf(target, sizeof(target), "%s" TYPES "/leapio-4q", self->root);
	ASSERT_EQ(0, symlink(target, link));
	put(self, DEVS "/other/remove", "");
	snprintf(link, sizeof(link), "%s" DEVS "/other/mdev_type", self->root);
	ASSERT_EQ(0, symlink("/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-1", link));
}

FIXTURE_TEARDOWN(sysfs)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->root);
	if (system(cmd))
		TH_LOG("%s failed", cmd);
}

TEST_F(sysfs, types_and_list_read_the_parent)
{
	char err[256] = "";
	json_t *t = lctl_mdev_types(self->root, err, sizeof(err)), *m;

	ASSERT_NE(NULL, t) TH_LOG("%s", err);
	ASSERT_EQ(1, json_array_size(t));
	m = json_array_get(t, 0);
	ASSERT_STREQ("leapio-4q", json_string_value(json_object_get(m, "type")));
	ASSERT_EQ(4, json_integer_value(json_object_get(m, "queues")));
	ASSERT_EQ(63, json_integer_value(json_object_get(m, "available")));
	json_decref(t);

	t = lctl_mdev_list(self->root, err, sizeof(err));
	ASSERT_NE(NULL, t) TH_LOG("%s", err);
	/* mtty's is not ours. */
	ASSERT_EQ(1, json_array_size(t));
	m = json_array_get(t, 0);
	ASSERT_STREQ(UA, json_string_value(json_object_get(m, "uuid")));
	ASSERT_EQ(1048576, json_integer_value(json_object_get(m, "ns_size")));
	ASSERT_EQ(321, json_integer_value(json_object_get(m, "runtime_pid")));
	json_decref(t);

	ASSERT_EQ(NULL, lctl_mdev_types("/nonexistent", err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "modprobe leapio_host"));
}

TEST_F(sysfs, create_writes_the_attributes_and_undoes_a_refusal)
{
	struct lctl_attr attrs[2] = { { "lba_size", "4096" }, { "ns_size", "65536" } };
	char uuid[40] = UB, err[512] = "";

	/* The kernel makes the device's directory on create; the fake has it. */
	put(self, DEVS "/" UB "/leapio/lba_size", "512\n");
	put(self, DEVS "/" UB "/leapio/ns_size", "0\n");
	put(self, DEVS "/" UB "/remove", "");
	ASSERT_EQ(0, lctl_mdev_create(self->root, "leapio-4q", uuid, attrs, 2, err,
				      sizeof(err))) TH_LOG("%s", err);
	ASSERT_STREQ(UB, got(self, TYPES "/leapio-4q/create"));
	ASSERT_STREQ("4096", got(self, DEVS "/" UB "/leapio/lba_size"));
	ASSERT_STREQ("65536", got(self, DEVS "/" UB "/leapio/ns_size"));
	ASSERT_STREQ("", got(self, DEVS "/" UB "/remove"));

	/* An attribute the device has not: refused, and the mdev removed. */
	attrs[1].name = "no_such";
	ASSERT_EQ(-ENOENT, lctl_mdev_create(self->root, "leapio-4q", uuid, attrs, 2, err,
					    sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "no_such=65536"));
	ASSERT_NE(NULL, strstr(err, "removed again"));
	ASSERT_STREQ("1", got(self, DEVS "/" UB "/remove"));

	/* No such type. */
	ASSERT_EQ(-ENOENT, lctl_mdev_create(self->root, "leapio-99q", uuid, attrs, 0, err,
					    sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "no such type"));
	ASSERT_EQ(-ENOENT, lctl_mdev_remove(self->root, "6f1a0c8e-0000-4000-8000-0000000000ff",
					    err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "no such mdev"));
}

/* The definition mdevctl would write, checked with the driver's rules. */
static int check(const char *text, char *err, size_t len)
{
	json_t *cfg = json_loads(text, 0, NULL);
	int ret;

	err[0] = '\0';
	ret = lctl_callout_check(cfg, err, len);
	json_decref(cfg);
	return ret;
}

TEST(callout_checks_attributes_in_mdevctl_order)
{
	char err[512];

	EXPECT_EQ(0, check("{\"mdev_type\": \"leapio-1q\", \"start\": \"auto\"}", err,
			   sizeof(err)));
	EXPECT_EQ(0, check("{\"attrs\": [{\"leapio/lba_size\": \"4096\"}, "
			   "{\"leapio/ns_size\": \"0x1000000\"}, "
			   "{\"leapio/runtime_grace_ms\": \"600000\"}, "
			   "{\"leapio/runtime\": \"card\"}]}", err, sizeof(err)));
	/* 12 KiB suits 4096-byte blocks; written first, 512 is in effect. */
	EXPECT_EQ(0, check("{\"attrs\": [{\"leapio/ns_size\": \"12288\"}, "
			   "{\"leapio/lba_size\": \"4096\"}]}", err, sizeof(err)));
	/* 1 GiB + 512 and then 4096-byte blocks: the second write fails. */
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/ns_size\": \"1073742336\"}, "
				 "{\"leapio/lba_size\": \"4096\"}]}", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "attrs[1] leapio/lba_size=4096: refused with ns_size 1073742336"))
		TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/ns_size\": \"9223372036854775808\"}]}",
				 err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "larger than the largest namespace")) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/ns_size\": \"64G\"}]}", err,
				 sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "not a number of bytes")) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/ns_size\": \"-4096\"}]}", err,
				 sizeof(err)));
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/lba_size\": \"1024\"}]}", err,
				 sizeof(err)));
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"ns_size\": \"4096\"}]}", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "the attribute is leapio/ns_size")) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/cntlid\": \"3\"}]}", err,
				 sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "not a writable leapio attribute")) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/runtime_grace_ms\": \"600001\"}]}",
				 err, sizeof(err)));
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/runtime\": \"gpu\"}]}", err,
				 sizeof(err)));
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/ns_size\": 4096}]}", err, sizeof(err)));
	EXPECT_EQ(-EINVAL, check("{\"attrs\": {\"leapio/ns_size\": \"4096\"}}", err, sizeof(err)));
	EXPECT_EQ(-EINVAL, check("[1]", err, sizeof(err)));
}

/* Namespaces 2..16: the driver's rules, each write on the last's state. */
TEST(callout_checks_namespaces_2_to_16)
{
	char err[512];

	/* Two more: 4 KiB blocks (given first) and the default 512. */
	EXPECT_EQ(0, check("{\"attrs\": [{\"leapio/ns_size\": \"1073741824\"}, "
			   "{\"leapio/ns2_lba_size\": \"4096\"}, "
			   "{\"leapio/ns2_size\": \"0x40000000\"}, "
			   "{\"leapio/ns16_size\": \"1048576\"}]}", err, sizeof(err)))
		TH_LOG("%s", err);
	/* Growing, its size again, removing it and then a new one. */
	EXPECT_EQ(0, check("{\"attrs\": [{\"leapio/ns3_size\": \"4096\"}, "
			   "{\"leapio/ns3_size\": \"8192\"}, {\"leapio/ns3_size\": \"8192\"}, "
			   "{\"leapio/ns3_size\": \"0\"}, {\"leapio/ns3_lba_size\": \"4096\"}, "
			   "{\"leapio/ns3_size\": \"4096\"}]}", err, sizeof(err)))
		TH_LOG("%s", err);
	/* The LBA size of a namespace that does not exist, kept. */
	EXPECT_EQ(0, check("{\"attrs\": [{\"leapio/ns4_lba_size\": \"4096\"}, "
			   "{\"leapio/ns4_lba_size\": \"512\"}]}", err, sizeof(err)));
	/* Namespace 1 and another N are no part of N's rules. */
	EXPECT_EQ(0, check("{\"attrs\": [{\"leapio/lba_size\": \"4096\"}, "
			   "{\"leapio/ns2_size\": \"512\"}, "
			   "{\"leapio/ns3_lba_size\": \"4096\"}]}", err, sizeof(err)))
		TH_LOG("%s", err);

	/* After ns<N>_size the LBA size is the namespace's: set it first. */
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/ns3_size\": \"1048576\"}, "
				 "{\"leapio/ns3_lba_size\": \"4096\"}]}", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "attrs[1] leapio/ns3_lba_size=4096: namespace 3 exists"))
		TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "set leapio/ns3_lba_size before leapio/ns3_size"))
		TH_LOG("%s", err);
	/* Not a multiple of its LBA size. */
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/ns5_lba_size\": \"4096\"}, "
				 "{\"leapio/ns5_size\": \"1536\"}]}", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "attrs[1] leapio/ns5_size=1536: refused with ns5_lba_size 4096"))
		TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/ns5_size\": \"1000\"}]}", err,
				 sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "ns5_lba_size 512")) TH_LOG("%s", err);
	/* Shrinking: the guest's blocks past the end would go. */
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/ns6_size\": \"8192\"}, "
				 "{\"leapio/ns6_size\": \"4096\"}]}", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "attrs[1] leapio/ns6_size=4096: smaller than namespace 6 (8192 bytes)"))
		TH_LOG("%s", err);
	/* Bad LBA sizes and sizes. */
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/ns2_lba_size\": \"1024\"}]}", err,
				 sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "ns2_lba_size=1024: 512 or 4096")) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/ns2_lba_size\": \"4294967808\"}]}",
				 err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "512 or 4096")) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/ns2_size\": \"9223372036854775808\"}]}",
				 err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "larger than the largest namespace")) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/ns2_size\": \"1G\"}]}", err,
				 sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "not a number of bytes")) TH_LOG("%s", err);
	/* N outside 2..16, or not as the driver spells it. */
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/ns17_size\": \"4096\"}]}", err,
				 sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "attrs[0] leapio/ns17_size=4096: not a leapio attribute: namespaces 2 to 16"))
		TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/ns1_lba_size\": \"4096\"}]}", err,
				 sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "namespace 1: ns_size, lba_size")) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/ns0_size\": \"4096\"}]}", err,
				 sizeof(err)));
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/ns02_size\": \"4096\"}]}", err,
				 sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "namespaces 2 to 16")) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/ns2_blocks\": \"8\"}]}", err,
				 sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "not a writable leapio attribute (ns_size, lba_size, ns<N>_size and ns<N>_lba_size for N from 2 to 16,"))
		TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"ns2_size\": \"4096\"}]}", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "the attribute is leapio/ns2_size")) TH_LOG("%s", err);
}

/* leapio/backend: the driver's rule, then leapiod's --vdev parser. */
TEST(callout_checks_the_backend_note)
{
	char err[512], long_note[300], def[400];

	EXPECT_EQ(0, check("{\"attrs\": [{\"leapio/backend\": \"/dev/nvme0n1p3,type=block,readonly\"}]}",
			   err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(0, check("{\"attrs\": [{\"leapio/backend\": \"null\"}]}", err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_EQ(0, check("{\"attrs\": [{\"leapio/backend\": \"nvme+tcp://10.0.0.1:4420/nqn.2026-12.io.leapio:t/1\"}]}",
			   err, sizeof(err))) TH_LOG("%s", err);
	/* Empty: no note, as the driver takes it. */
	EXPECT_EQ(0, check("{\"attrs\": [{\"leapio/backend\": \"\"}]}", err, sizeof(err)));
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/backend\": \"/my disk.img\"}]}", err,
				 sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "printable ASCII without spaces")) TH_LOG("%s", err);
	memset(long_note, 'x', 256);
	long_note[0] = '/';
	long_note[256] = '\0';
	snprintf(def, sizeof(def), "{\"attrs\": [{\"leapio/backend\": \"%s\"}]}", long_note);
	EXPECT_EQ(-EINVAL, check(def, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "longer than 255 bytes")) TH_LOG("%s", err);
	/* What leapiod's parser refuses, with its reason. */
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/backend\": \"/nonexistent/disk\"}]}",
				 err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "attrs[0] leapio/backend=/nonexistent/disk: path /nonexistent/disk does not exist"))
		TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"leapio/backend\": \"null,frob=1\"}]}", err,
				 sizeof(err)));
	EXPECT_EQ(-EINVAL, check("{\"attrs\": [{\"backend\": \"null\"}]}", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "the attribute is leapio/backend")) TH_LOG("%s", err);
}

TEST_HARNESS_MAIN
