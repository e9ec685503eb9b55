// SPDX-License-Identifier: GPL-2.0
/*
 * leapiod's configuration: the JSON file, --vdev, the command line and
 * the reload plan. Every mistake must be refused with a sentence naming
 * the field and the vdev; the tests check both the refusal and the words.
 */
#include <errno.h>
#include <jansson.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/lio_harness.h"
#include "../../runtime/config/args.h"

#define U1	"6f1a0c8e-0000-4000-8000-000000000001"
#define U2	"6f1a0c8e-0000-4000-8000-000000000002"
#define U3	"6f1a0c8e-0000-4000-8000-000000000003"

/* A vdev on the null backend: no file needed. */
#define NULLDEV(u)	"{\"uuid\": \"" u "\", \"backend\": {\"type\": \"null\"}}"

static int parse(const char *json, struct lio_config *c, int cpu, char *err)
{
	int ret;

	lio_config_init(c);
	ret = lio_config_parse_json(c, json, err, 512);
	if (!ret)
		ret = lio_config_finish(c, cpu, err, 512);
	return ret;
}

/* Refused, with every word of `want` in the message. */
#define REFUSED(json, want) do {					\
	struct lio_config __c;						\
	char __e[512] = "";						\
	int __r = parse(json, &__c, -1, __e);				\
	lio_config_free(&__c);						\
	EXPECT_EQ(-EINVAL, __r) TH_LOG("accepted: %s", json);		\
	EXPECT_TRUE(strstr(__e, want) != NULL)				\
		TH_LOG("\"%s\" lacks \"%s\"", __e, want);		\
} while (0)

#define VDEV_REFUSED(backend, want)					\
	REFUSED("{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": "	\
		backend "}]}", want)

TEST(full_file)
{
	struct lio_config c;
	char e[512];

	ASSERT_EQ(0, parse("{\"pollers\": [{\"cpu\": 1, \"spin_us\": 50, \"idle_poll_us\": 20},"
			   " {\"cpu\": 0}],"
			   " \"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": {\"type\": \"file\","
			   " \"path\": \"/x/y\", \"offset\": 8192, \"size\": 4096, \"readonly\": true},"
			   " \"poller\": 1}, " NULLDEV(U2) "]}", &c, -1, e)) TH_LOG("%s", e);
	ASSERT_EQ(2U, c.nr_pollers);
	EXPECT_EQ(1, c.pollers[0].cpu);
	EXPECT_EQ(50U, c.pollers[0].spin_us);
	EXPECT_EQ(20U, c.pollers[0].idle_poll_us);
	EXPECT_EQ(0, c.pollers[1].cpu);
	EXPECT_EQ(LIO_DEFAULT_SPIN_US, c.pollers[1].spin_us);
	ASSERT_EQ(2U, c.nr_vdevs);
	EXPECT_STREQ(U1, c.vdevs[0].uuid);
	EXPECT_STREQ(lio_bdev_type_name(LIO_BDEV_FILE), lio_bdev_type_name(c.vdevs[0].bdev.type));
	EXPECT_STREQ("/x/y", c.vdevs[0].bdev.path);
	EXPECT_EQ(8192U, c.vdevs[0].bdev.offset);
	EXPECT_EQ(4096U, c.vdevs[0].bdev.size);
	EXPECT_TRUE(c.vdevs[0].bdev.readonly);
	EXPECT_EQ(1U, c.vdevs[0].poller);
	EXPECT_STREQ(lio_bdev_type_name(LIO_BDEV_NULL), lio_bdev_type_name(c.vdevs[1].bdev.type));
	EXPECT_EQ(0U, c.vdevs[1].poller);
	EXPECT_FALSE(c.vdevs[1].bdev.readonly);
	lio_config_free(&c);
}

TEST(defaults)
{
	struct lio_config c;
	char e[512];

	ASSERT_EQ(0, parse("{}", &c, -1, e));
	ASSERT_EQ(1U, c.nr_pollers);
	EXPECT_EQ(-1, c.pollers[0].cpu);
	EXPECT_EQ(LIO_DEFAULT_SPIN_US, c.pollers[0].spin_us);
	EXPECT_EQ(LIO_DEFAULT_IDLE_POLL_US, c.pollers[0].idle_poll_us);
	EXPECT_EQ(0U, c.nr_vdevs);
	lio_config_free(&c);
	/* --cpu pins the default poller... */
	ASSERT_EQ(0, parse("{\"vdevs\": []}", &c, 3, e));
	EXPECT_EQ(3, c.pollers[0].cpu);
	lio_config_free(&c);
	/* ...and conflicts with a list of pollers. */
	EXPECT_EQ(-EINVAL, parse("{\"pollers\": [{}]}", &c, 3, e));
	EXPECT_TRUE(strstr(e, "--cpu") != NULL);
	lio_config_free(&c);
}

TEST(uuid_lower_case)
{
	struct lio_config c;
	char e[512];

	ASSERT_EQ(0, parse("{\"vdevs\": [" NULLDEV("6F1A0C8E-0000-4000-8000-00000000000A") "]}",
			   &c, -1, e));
	EXPECT_STREQ("6f1a0c8e-0000-4000-8000-00000000000a", c.vdevs[0].uuid);
	lio_config_free(&c);
}

TEST(json_errors)
{
	REFUSED("{\"vdevs\": [}", "line 1 column");
	REFUSED("", "line");
	REFUSED("[]", "top level must be an object, not an array");
	REFUSED("{\"poller\": []}", "unknown key \"poller\" at the top level");
	REFUSED("{\"vdevs\": [], \"vdevs\": []}", "duplicate");
}

TEST(poller_errors)
{
	REFUSED("{\"pollers\": {}}", "pollers: must be an array, not an object");
	REFUSED("{\"pollers\": []}", "pollers: empty");
	REFUSED("{\"pollers\": [1]}", "pollers[0]: must be an object, not an integer");
	REFUSED("{\"pollers\": [{}, {\"cpu\": \"1\"}]}", "pollers[1]: cpu: must be an integer, not a string");
	REFUSED("{\"pollers\": [{\"cpu\": -1}]}", "pollers[0]: cpu: -1: must not be negative");
	REFUSED("{\"pollers\": [{\"cpu\": 100000}]}", "pollers[0]: cpu: 100000: at most");
	REFUSED("{\"pollers\": [{\"spin_us\": 1.5}]}", "spin_us: must be an integer, not a real number");
	REFUSED("{\"pollers\": [{\"idle_poll_us\": -5}]}", "idle_poll_us: -5: must not be negative");
	REFUSED("{\"pollers\": [{\"idle_poll_us\": 2000000}]}", "idle_poll_us: 2000000: at most 1000000");
	REFUSED("{\"pollers\": [{\"cpus\": 1}]}", "pollers[0]: unknown key \"cpus\"");
}

TEST(vdev_errors)
{
	REFUSED("{\"vdevs\": {}}", "vdevs: must be an array, not an object");
	REFUSED("{\"vdevs\": [\"x\"]}", "vdevs[0]: must be an object, not a string");
	REFUSED("{\"vdevs\": [{\"backend\": {\"type\": \"null\"}}]}", "vdevs[0]: uuid: missing");
	REFUSED("{\"vdevs\": [{\"uuid\": 5}]}", "vdevs[0]: uuid: must be a string, not an integer");
	REFUSED("{\"vdevs\": [{\"uuid\": \"6f1a0c8e-0000-4000-8000-00000000000\"}]}",
		"vdevs[0]: uuid \"6f1a0c8e-0000-4000-8000-00000000000\": not a UUID");
	REFUSED("{\"vdevs\": [{\"uuid\": \"6f1a0c8e+0000-4000-8000-000000000001\"}]}", "not a UUID");
	REFUSED("{\"vdevs\": [{\"uuid\": \"6f1a0c8e-0000-4000-8000-00000000000g\"}]}", "not a UUID");
	REFUSED("{\"vdevs\": [{\"uuid\": \"" U1 "\"}]}", "vdevs[0] (uuid " U1 "): backend: missing");
	REFUSED("{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": \"/dev/x\"}]}",
		"vdevs[0] (uuid " U1 "): backend: must be an object, not a string");
	REFUSED("{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": {\"type\": \"null\"}, \"colour\": 1}]}",
		"vdevs[0] (uuid " U1 "): unknown key \"colour\"");
	REFUSED("{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": {\"type\": \"null\"}, \"poller\": -1}]}",
		"(uuid " U1 "): poller: -1: must not be negative");
	REFUSED("{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": {\"type\": \"null\"}, \"poller\": \"0\"}]}",
		"poller: must be an integer");
	REFUSED("{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": {\"type\": \"null\"}, \"poller\": 1}]}",
		"vdevs[0] (uuid " U1 "): poller 1: out of range, there is 1 poller");
	REFUSED("{\"pollers\": [{}, {}], \"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": "
		"{\"type\": \"null\"}, \"poller\": 2}]}", "poller 2: out of range, there are 2 pollers");
	REFUSED("{\"vdevs\": [" NULLDEV(U1) ", " NULLDEV(U2) ", "
		NULLDEV("6F1A0C8E-0000-4000-8000-000000000001") "]}",
		"vdevs[2]: uuid " U1 ": duplicate, vdevs[0] has it already");
}

TEST(backend_errors)
{
	char longpath[450], json[600];

	VDEV_REFUSED("{\"type\": 1}", "backend.type: must be a string, not an integer");
	VDEV_REFUSED("{\"type\": \"disk\"}", "backend.type: \"disk\": not one of file, block, nvme, null");
	VDEV_REFUSED("{\"type\": \"file\", \"path\": 7}", "backend.path: must be a string");
	VDEV_REFUSED("{\"type\": \"file\", \"path\": \"\"}", "backend.path: empty");
	VDEV_REFUSED("{\"type\": \"file\"}", "(uuid " U1 "): backend.path: missing");
	VDEV_REFUSED("{\"type\": \"null\", \"path\": \"/dev/x\"}", "backend.path: a null backend has no path");
	VDEV_REFUSED("{\"type\": \"file\", \"path\": \"/x\", \"offset\": 4097}",
		     "backend.offset: 4097 is not a multiple of 4096");
	VDEV_REFUSED("{\"type\": \"file\", \"path\": \"/x\", \"offset\": -4096}",
		     "backend.offset: -4096: must not be negative");
	VDEV_REFUSED("{\"type\": \"file\", \"path\": \"/x\", \"size\": \"1G\"}",
		     "backend.size: must be an integer, not a string");
	VDEV_REFUSED("{\"type\": \"file\", \"path\": \"/x\", \"size\": 512}",
		     "backend.size: 512 is not a multiple of 4096");
	VDEV_REFUSED("{\"type\": \"file\", \"path\": \"/x\", \"readonly\": 1}",
		     "backend.readonly: must be true or false, not an integer");
	VDEV_REFUSED("{\"type\": \"file\", \"path\": \"/x\", \"ro\": true}",
		     "(uuid " U1 "): unknown key \"backend.ro\"");
	memset(longpath, 'a', sizeof(longpath));
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = 0;
	snprintf(json, sizeof(json), "{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": "
		 "{\"type\": \"file\", \"path\": \"%s\"}}]}", longpath);
	REFUSED(json, "backend.path: longer than 400 characters");
}

/* A vdev with its own backend and these namespaces (a JSON array). */
#define NS_VDEV(ns)							\
	"{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": {\"type\": \"file\", " \
	"\"path\": \"/x/a\", \"size\": 1048576}, \"namespaces\": " ns "}]}"
#define NS_REFUSED(ns, want)	REFUSED(NS_VDEV(ns), want)
#define FILE_AT(p, off, sz)						\
	"{\"type\": \"file\", \"path\": \"" p "\", \"offset\": " #off ", \"size\": " #sz "}"

/*
 * NS_VDEV's text with null namespaces first..last, then `more` (one
 * more entry, or "") into buf.
 */
static const char *ns_list(char *buf, unsigned int first, unsigned int last,
			   const char *more)
{
	char list[2048] = "[";
	size_t n = 1;
	unsigned int i;

	for (i = first; i <= last; i++)
		n += snprintf(list + n, sizeof(list) - n, "%s{\"nsid\": %u, \"backend\": "
			      "{\"type\": \"null\"}}", i > first ? ", " : "", i);
	snprintf(list + n, sizeof(list) - n, "%s%s]", *more ? ", " : "", more);
	snprintf(buf, 4096, NS_VDEV("%s"), list);
	return buf;
}

/* Any order in the file, by ascending NSID in the configuration. */
TEST(namespaces)
{
	struct lio_config c;
	char e[512], json[4096];
	unsigned int i;

	ASSERT_EQ(0, parse(NS_VDEV("[{\"nsid\": 5, \"backend\": " FILE_AT("/x/b", 4096, 8192)
				   "}, {\"backend\": {\"type\": \"null\", \"readonly\": true},"
				   " \"nsid\": 2}]"), &c, -1, e)) TH_LOG("%s", e);
	ASSERT_EQ(1U, c.nr_vdevs);
	EXPECT_STREQ("/x/a", c.vdevs[0].bdev.path);
	ASSERT_EQ(2U, c.vdevs[0].nr_ns);
	EXPECT_EQ(2U, c.vdevs[0].ns[0].nsid);
	EXPECT_EQ(LIO_BDEV_NULL, c.vdevs[0].ns[0].bdev.type);
	EXPECT_TRUE(c.vdevs[0].ns[0].bdev.readonly);
	EXPECT_EQ(5U, c.vdevs[0].ns[1].nsid);
	EXPECT_EQ(LIO_BDEV_FILE, c.vdevs[0].ns[1].bdev.type);
	EXPECT_STREQ("/x/b", c.vdevs[0].ns[1].bdev.path);
	EXPECT_EQ(4096U, c.vdevs[0].ns[1].bdev.offset);
	EXPECT_EQ(8192U, c.vdevs[0].ns[1].bdev.size);
	EXPECT_FALSE(c.vdevs[0].ns[1].bdev.readonly);
	lio_config_free(&c);

	/* None besides NSID 1, as without the key. */
	ASSERT_EQ(0, parse(NS_VDEV("[]"), &c, -1, e)) TH_LOG("%s", e);
	EXPECT_EQ(0U, c.vdevs[0].nr_ns);
	lio_config_free(&c);
	/* All fifteen: NSID 16 in the file after NSID 1's megabyte. */
	ASSERT_EQ(0, parse(ns_list(json, 2, 15, "{\"nsid\": 16, \"backend\": "
				   FILE_AT("/x/a", 1048576, 0) "}"), &c, -1, e)) TH_LOG("%s", e);
	ASSERT_EQ(15U, c.vdevs[0].nr_ns);
	for (i = 0; i < 15; i++)
		EXPECT_EQ(i + 2, c.vdevs[0].ns[i].nsid);
	lio_config_free(&c);
}

TEST(namespace_errors)
{
	char json[4096];

	REFUSED(ns_list(json, 2, 16, "{\"nsid\": 2, \"backend\": {\"type\": \"null\"}}"),
		"(uuid " U1 "): namespaces: 16 of them: at most 15 (NSIDs 2..16)");
	NS_REFUSED("{}", "(uuid " U1 "): namespaces: must be an array, not an object");
	NS_REFUSED("[1]", "(uuid " U1 "): namespaces[0]: must be an object, not an integer");
	NS_REFUSED("[{\"nsid\": 2, \"backend\": {\"type\": \"null\"}, \"size\": 4096}]",
		   "(uuid " U1 "): namespaces[0]: unknown key \"size\" (known: nsid, backend)");
	NS_REFUSED("[{\"backend\": {\"type\": \"null\"}}]", "namespaces[0]: nsid: missing (2..16)");
	NS_REFUSED("[{\"nsid\": \"2\", \"backend\": {\"type\": \"null\"}}]",
		   "namespaces[0]: nsid: must be an integer, not a string");
	NS_REFUSED("[{\"nsid\": 2, \"backend\": {\"type\": \"null\"}},"
		   " {\"nsid\": 17, \"backend\": {\"type\": \"null\"}}]",
		   "vdevs[0] (uuid " U1 "): namespaces[1]: nsid: 17 is not 2..16");
	NS_REFUSED("[{\"nsid\": 0, \"backend\": {\"type\": \"null\"}}]",
		   "namespaces[0]: nsid: 0 is not 2..16");
	NS_REFUSED("[{\"nsid\": -3, \"backend\": {\"type\": \"null\"}}]",
		   "namespaces[0]: nsid: -3 is not 2..16");
	NS_REFUSED("[{\"nsid\": 1, \"backend\": {\"type\": \"null\"}}]",
		   "namespaces[0]: nsid: 1 is the vdev's own backend");
	NS_REFUSED("[{\"nsid\": 3, \"backend\": {\"type\": \"null\"}},"
		   " {\"nsid\": 4, \"backend\": {\"type\": \"null\"}},"
		   " {\"nsid\": 3, \"backend\": {\"type\": \"null\"}}]",
		   "namespaces[2]: nsid 3 given twice, namespaces[0] has it already");
	NS_REFUSED("[{\"nsid\": 2}]", "(uuid " U1 "): namespaces[0]: backend: missing");
	NS_REFUSED("[{\"nsid\": 2, \"backend\": []}]",
		   "namespaces[0]: backend: must be an object, not an array");
	NS_REFUSED("[{\"nsid\": 2, \"backend\": {\"type\": \"null\"}},"
		   " {\"nsid\": 3, \"backend\": {\"type\": \"disk\"}}]",
		   "namespaces[1]: backend.type: \"disk\": not one of");
	NS_REFUSED("[{\"nsid\": 2, \"backend\": {\"type\": \"file\"}}]",
		   "namespaces[0]: backend.path: missing");
	NS_REFUSED("[{\"nsid\": 2, \"backend\": {\"type\": \"file\", \"path\": \"/x/b\","
		   " \"offset\": 4097}}]", "namespaces[0]: backend.offset: 4097 is not a multiple of 4096");
	NS_REFUSED("[{\"nsid\": 2, \"backend\": {\"type\": \"null\", \"ro\": true}}]",
		   "namespaces[0]: unknown key \"backend.ro\"");
	NS_REFUSED("[{\"nsid\": 2, \"backend\": {\"path\": \"nvme+tcp://10.0.0.2/nqn.x\"}}]",
		   "namespaces[0]: backend.path: ");
	NS_REFUSED("[{\"nsid\": 2, \"backend\": {\"type\": \"file\", \"path\": \"/x/b\","
		   " \"fabric\": {\"tls\": true}}}]",
		   "namespaces[0]: backend.fabric: options for a remote drive");
}

/* A namespace's bytes are its own: the same file at overlapping ranges. */
TEST(namespaces_overlapping)
{
	char dir[] = "/tmp/leapiod-ns-XXXXXX", file[64], link[64], json[768], e[512];
	struct lio_config c;
	int fd;

	/* NSID 1 has [0, 1 MiB) of /x/a. */
	NS_REFUSED("[{\"nsid\": 2, \"backend\": " FILE_AT("/x/a", 1044480, 8192) "}]",
		   "(uuid " U1 "): namespaces: nsid 2's backend /x/a [1044480, 1052672) overlaps "
		   "nsid 1's (the vdev's \"backend\") /x/a [0, 1048576)");
	NS_REFUSED("[{\"nsid\": 3, \"backend\": " FILE_AT("/x/b", 4096, 0) "},"
		   " {\"nsid\": 2, \"backend\": " FILE_AT("/x/b", 0, 8192) "}]",
		   "namespaces: nsid 3's backend /x/b [4096, end) overlaps nsid 2's /x/b [0, 8192)");
	NS_REFUSED("[{\"nsid\": 2, \"backend\": {\"path\": \"nvme+tcp://10.0.0.2/nqn.2026-01.io.e:d/1\"}},"
		   " {\"nsid\": 3, \"backend\": {\"path\": \"nvme+tcp://10.0.0.2:4420/nqn.2026-01.io.e:d/1\"}}]",
		   "nsid 3's backend nvme+tcp://10.0.0.2:4420/nqn.2026-01.io.e:d/1 [0, end) overlaps nsid 2's");

	/* Side by side, other files, other remote namespaces, null: fine. */
	ASSERT_EQ(0, parse(NS_VDEV("[{\"nsid\": 2, \"backend\": " FILE_AT("/x/a", 1048576, 4096) "},"
				   " {\"nsid\": 3, \"backend\": " FILE_AT("/x/a", 1052672, 0) "},"
				   " {\"nsid\": 4, \"backend\": " FILE_AT("/x/b", 0, 0) "},"
				   " {\"nsid\": 5, \"backend\": {\"path\": \"nvme+tcp://10.0.0.2/nqn.2026-01.io.e:d/1\"}},"
				   " {\"nsid\": 6, \"backend\": {\"path\": \"nvme+tcp://10.0.0.2/nqn.2026-01.io.e:d/2\"}},"
				   " {\"nsid\": 7, \"backend\": {\"type\": \"null\"}},"
				   " {\"nsid\": 8, \"backend\": {\"type\": \"null\"}}]"),
			   &c, -1, e)) TH_LOG("%s", e);
	EXPECT_EQ(7U, c.vdevs[0].nr_ns);
	lio_config_free(&c);

	/* Another name of the same file is the same file. */
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/disk", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	fd = open(file, O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, symlink(file, link));
	snprintf(json, sizeof(json), "{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": "
		 "{\"path\": \"%s\", \"size\": 8192}, \"namespaces\": [{\"nsid\": 2, "
		 "\"backend\": {\"path\": \"%s\", \"offset\": 4096}}]}]}", file, link);
	REFUSED(json, "nsid 2's backend");
	/* The vdevs of a file in slices are the operator's, as before. */
	snprintf(json, sizeof(json), "{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": "
		 "{\"path\": \"%s\"}}, {\"uuid\": \"" U2 "\", \"backend\": {\"path\": \"%s\"}}]}",
		 file, link);
	ASSERT_EQ(0, parse(json, &c, -1, e)) TH_LOG("%s", e);
	lio_config_free(&c);
	unlink(link);
	unlink(file);
	rmdir(dir);
}

/* No type: the path says which; a path that is nothing is refused. */
TEST(type_guessed)
{
	char dir[] = "/tmp/leapiod-cfg-XXXXXX", file[64], json[512], e[512];
	struct lio_config c;
	int fd;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/disk", dir);
	fd = open(file, O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	snprintf(json, sizeof(json), "{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": "
		 "{\"path\": \"%s\"}}, {\"uuid\": \"" U2 "\", \"backend\": {\"path\": \"null\"}}, "
		 "{\"uuid\": \"" U3 "\", \"backend\": {\"path\": \"/dev/null\"}}]}", file);
	ASSERT_EQ(0, parse(json, &c, -1, e)) TH_LOG("%s", e);
	EXPECT_STREQ(lio_bdev_type_name(LIO_BDEV_FILE), lio_bdev_type_name(c.vdevs[0].bdev.type));
	EXPECT_STREQ(lio_bdev_type_name(LIO_BDEV_NULL), lio_bdev_type_name(c.vdevs[1].bdev.type));
	EXPECT_STREQ("", c.vdevs[1].bdev.path);
	/* A character device is taken for NVMe; opening it checks. */
	EXPECT_STREQ(lio_bdev_type_name(LIO_BDEV_NVME), lio_bdev_type_name(c.vdevs[2].bdev.type));
	lio_config_free(&c);

	snprintf(json, sizeof(json), "{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": "
		 "{\"path\": \"%s/none\"}}]}", dir);
	REFUSED(json, "/none does not exist, so its type cannot be guessed: give backend.type");
	snprintf(json, sizeof(json), "{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": "
		 "{\"path\": \"%s\"}}]}", dir);
	REFUSED(json, "not a regular file, block device or character device");
	unlink(file);
	rmdir(dir);
}

static int vdev_arg(struct lio_config *c, const char *arg, char *e)
{
	lio_config_init(c);
	return lio_config_add_vdev_arg(c, arg, e, 512);
}

#define ARG_REFUSED(arg, want) do {					\
	struct lio_config __c;						\
	char __e[512] = "";						\
	int __r = vdev_arg(&__c, arg, __e);				\
	lio_config_free(&__c);						\
	EXPECT_EQ(-EINVAL, __r) TH_LOG("accepted: %s", arg);		\
	EXPECT_TRUE(strstr(__e, want) != NULL)				\
		TH_LOG("\"%s\" lacks \"%s\"", __e, want);		\
} while (0)

TEST(vdev_argument)
{
	struct lio_config c;
	char e[512];

	ASSERT_EQ(0, vdev_arg(&c, U1 "=/dev/loop7,offset=0x100000,size=8192,type=block,"
			      "readonly,poller=0", e)) TH_LOG("%s", e);
	EXPECT_STREQ(U1, c.vdevs[0].uuid);
	EXPECT_STREQ("/dev/loop7", c.vdevs[0].bdev.path);
	EXPECT_STREQ(lio_bdev_type_name(LIO_BDEV_BLOCK), lio_bdev_type_name(c.vdevs[0].bdev.type));
	EXPECT_EQ(0x100000U, c.vdevs[0].bdev.offset);
	EXPECT_EQ(8192U, c.vdevs[0].bdev.size);
	EXPECT_TRUE(c.vdevs[0].bdev.readonly);
	EXPECT_STREQ("--vdev #1", c.where[0]);
	ASSERT_EQ(0, lio_config_add_vdev_arg(&c, U2 "=null", e, sizeof(e))) TH_LOG("%s", e);
	EXPECT_STREQ(lio_bdev_type_name(LIO_BDEV_NULL), lio_bdev_type_name(c.vdevs[1].bdev.type));
	ASSERT_EQ(0, lio_config_add_vdev_arg(&c, U3 "=,type=null", e, sizeof(e))) TH_LOG("%s", e);
	EXPECT_STREQ(lio_bdev_type_name(LIO_BDEV_NULL), lio_bdev_type_name(c.vdevs[2].bdev.type));
	/* The same UUID again is refused once everything is in. */
	ASSERT_EQ(0, lio_config_add_vdev_arg(&c, U2 "=/x,type=file", e, sizeof(e)));
	EXPECT_EQ(-EINVAL, lio_config_finish(&c, -1, e, sizeof(e)));
	EXPECT_TRUE(strstr(e, "--vdev #4: uuid " U2 ": duplicate, --vdev #2 has it already") != NULL)
		TH_LOG("%s", e);
	lio_config_free(&c);

	ARG_REFUSED(U1, "--vdev #1 \"" U1 "\": expected <uuid>=<path>");
	ARG_REFUSED("nope=/x", "--vdev #1: uuid \"nope\": not a UUID");
	ARG_REFUSED(U1 "=/x,type=file,offset=4097", "(uuid " U1 "): offset=4097: not a multiple of 4096");
	ARG_REFUSED(U1 "=/x,type=file,size=-4096", "size=-4096: not a non-negative integer");
	ARG_REFUSED(U1 "=/x,type=file,size=4k", "size=4k: not a non-negative integer");
	ARG_REFUSED(U1 "=/x,type=file,offset", "offset: needs a value");
	ARG_REFUSED(U1 "=/x,type=disk", "type=disk: not one of file, block, nvme, null");
	ARG_REFUSED(U1 "=/x,type=file,colour=red", "unknown option \"colour\"");
	ARG_REFUSED(U1 "=/x,type=file,poller=999", "poller=999: at most 255");
	ARG_REFUSED(U1 "=,type=file", "path: missing");
	ARG_REFUSED(U1 "=/x,type=null", "path: a null backend has no path");
	ARG_REFUSED(U1 "=/nonexistent/leapiod", "does not exist, so its type cannot be guessed: give type");
}

static int args(char **argv, struct lio_args *a, char *e)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return lio_args_parse(argc, argv, a, e, 512);
}

TEST(command_line)
{
	char *ok[] = { "leapiod", "--config", "/etc/x.json", "--vdev", U1 "=null",
		       "-V", U2 "=null", "--cpu", "3", "-v", NULL };
	char *help[] = { "leapiod", "--help", NULL };
	char *version[] = { "leapiod", "--version", NULL };
	struct lio_args a;
	char e[512];

	ASSERT_EQ(0, args(ok, &a, e)) TH_LOG("%s", e);
	EXPECT_STREQ("/etc/x.json", a.config);
	ASSERT_EQ(2U, a.nr_vdev);
	EXPECT_STREQ(U2 "=null", a.vdev[1]);
	EXPECT_EQ(3, a.cpu);
	EXPECT_TRUE(a.verbose);
	lio_args_free(&a);
	ASSERT_EQ(0, args(help, &a, e));
	EXPECT_TRUE(a.help);
	lio_args_free(&a);
	ASSERT_EQ(0, args(version, &a, e));
	EXPECT_TRUE(a.version);
	lio_args_free(&a);
}

#define ARGS_REFUSED(want, ...) do {					\
	char *__argv[] = { "leapiod", __VA_ARGS__, NULL };		\
	struct lio_args __a;						\
	char __e[512] = "";						\
	EXPECT_EQ(-EINVAL, args(__argv, &__a, __e));			\
	lio_args_free(&__a);						\
	EXPECT_TRUE(strstr(__e, want) != NULL)				\
		TH_LOG("\"%s\" lacks \"%s\"", __e, want);		\
} while (0)

TEST(command_line_errors)
{
	char *none[] = { "leapiod", NULL };
	struct lio_args a;
	char e[512];

	EXPECT_EQ(-EINVAL, args(none, &a, e));
	EXPECT_TRUE(strstr(e, "nothing to serve") != NULL);
	lio_args_free(&a);
	ARGS_REFUSED("unknown option --frob", "--frob");
	ARGS_REFUSED("unknown option -x", "-x");
	ARGS_REFUSED("--config needs an argument", "--config");
	ARGS_REFUSED("-c needs an argument", "-c");
	ARGS_REFUSED("--config given twice", "-c", "a", "-c", "b");
	ARGS_REFUSED("--cpu x: not a CPU number", "--vdev", U1 "=null", "--cpu", "x");
	ARGS_REFUSED("--cpu -1: not a CPU number", "--vdev", U1 "=null", "--cpu", "-1");
	ARGS_REFUSED("unexpected argument \"extra\"", "--vdev", U1 "=null", "extra");
	ARGS_REFUSED("--control-socket: an empty path", "--control-socket", "");
	ARGS_REFUSED("--control-group: an empty name", "--control-socket", "/s",
		     "--control-group", "");
	ARGS_REFUSED("--control-group without --control-socket", "--vdev", U1 "=null",
		     "--control-group", "kvm");
}

/* A control socket is something to serve: vdevs may come through it. */
TEST(control_socket_arguments)
{
	char *only[] = { "leapiod", "--control-socket", "/run/leapiod.sock",
			 "--control-group", "kvm", NULL };
	struct lio_args a;
	struct lio_config c;
	char e[512] = "";

	ASSERT_EQ(0, args(only, &a, e)) TH_LOG("%s", e);
	EXPECT_STREQ("/run/leapiod.sock", a.control_socket);
	EXPECT_STREQ("kvm", a.control_group);
	ASSERT_EQ(0, lio_args_config(&a, &c, e, sizeof(e))) TH_LOG("%s", e);
	EXPECT_EQ(0U, c.nr_vdevs);
	EXPECT_EQ(1U, c.nr_pollers);
	lio_config_free(&c);
	lio_args_free(&a);
}

/* The file: its name leads every message; then the parser's words. */
TEST(config_file)
{
	char path[] = "/tmp/leapiod-cfg-XXXXXX";
	struct lio_config c;
	struct lio_args a = { .cpu = -1 };
	char e[512];
	FILE *f;
	int fd;

	lio_config_init(&c);
	EXPECT_EQ(-EINVAL, lio_config_load_file(&c, "/nonexistent/leapiod.json", e, sizeof(e)));
	EXPECT_TRUE(strstr(e, "/nonexistent/leapiod.json: cannot open it: No such file") != NULL)
		TH_LOG("%s", e);
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(-EINVAL, lio_config_load_file(&c, path, e, sizeof(e)));
	EXPECT_TRUE(strstr(e, ": empty") != NULL) TH_LOG("%s", e);
	lio_config_free(&c);

	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "{\"vdevs\": [" NULLDEV(U1) "],\n \"x\": 1}\n");
	fclose(f);
	EXPECT_EQ(-EINVAL, lio_config_load_file(&c, path, e, sizeof(e)));
	EXPECT_TRUE(strncmp(e, path, strlen(path)) == 0) TH_LOG("%s", e);
	EXPECT_TRUE(strstr(e, "unknown key \"x\"") != NULL) TH_LOG("%s", e);
	lio_config_free(&c);

	/* File and arguments together, as main.c and SIGHUP build them. */
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "{\"vdevs\": [" NULLDEV(U1) "]}\n");
	fclose(f);
	a.config = path;
	a.vdev = (const char *[]){ U2 "=null" };
	a.nr_vdev = 1;
	ASSERT_EQ(0, lio_args_config(&a, &c, e, sizeof(e))) TH_LOG("%s", e);
	ASSERT_EQ(2U, c.nr_vdevs);
	EXPECT_STREQ(U1, c.vdevs[0].uuid);
	EXPECT_STREQ(U2, c.vdevs[1].uuid);
	EXPECT_EQ(1U, c.nr_pollers);
	lio_config_free(&c);
	a.vdev = (const char *[]){ U1 "=null" };
	EXPECT_EQ(-EINVAL, lio_args_config(&a, &c, e, sizeof(e)));
	EXPECT_TRUE(strstr(e, "duplicate") != NULL) TH_LOG("%s", e);
	unlink(path);
}

static int find_change(const struct lio_change *ch, int n, enum lio_change_kind k,
		       const char *uuid)
{
	int i;

	for (i = 0; i < n; i++) {
		const struct lio_vdev_cfg *v = ch[i].new ? ch[i].new : ch[i].old;

		if (ch[i].kind == k && !strcmp(v->uuid, uuid))
			return i;
	}
	return -1;
}

TEST(reload_plan)
{
	struct lio_config old, new;
	struct lio_change *ch;
	char e[512];
	int n;

	ASSERT_EQ(0, parse("{\"pollers\": [{\"cpu\": 0}, {\"cpu\": 1}], \"vdevs\": ["
			   "{\"uuid\": \"" U1 "\", \"backend\": {\"type\": \"file\", \"path\": \"/a\"}},"
			   "{\"uuid\": \"" U2 "\", \"backend\": {\"type\": \"file\", \"path\": \"/b\"}},"
			   "{\"uuid\": \"" U3 "\", \"backend\": {\"type\": \"null\"}}]}",
			   &old, -1, e)) TH_LOG("%s", e);
	/* U1 gone, U2's backend grown an offset, U3 moved, a fourth new. */
	ASSERT_EQ(0, parse("{\"pollers\": [{\"cpu\": 0}, {\"cpu\": 1}, {\"cpu\": 2}], \"vdevs\": ["
			   "{\"uuid\": \"" U2 "\", \"backend\": {\"type\": \"file\", \"path\": \"/b\","
			   " \"offset\": 4096}},"
			   "{\"uuid\": \"" U3 "\", \"backend\": {\"type\": \"null\"}, \"poller\": 2},"
			   NULLDEV("6f1a0c8e-0000-4000-8000-000000000004") "]}",
			   &new, -1, e)) TH_LOG("%s", e);
	n = lio_config_diff(&old, &new, &ch, e, sizeof(e));
	ASSERT_EQ(4, n) TH_LOG("%s", e);
	EXPECT_EQ(0, find_change(ch, n, LIO_CHANGE_REMOVE, U1));
	EXPECT_LE(1, find_change(ch, n, LIO_CHANGE_UPDATE, U2));
	EXPECT_LE(1, find_change(ch, n, LIO_CHANGE_MOVE, U3));
	EXPECT_EQ(3, find_change(ch, n, LIO_CHANGE_ADD, "6f1a0c8e-0000-4000-8000-000000000004"));
	free(ch);

	/* The same configuration: nothing to do. */
	n = lio_config_diff(&new, &new, &ch, e, sizeof(e));
	EXPECT_EQ(0, n);
	free(ch);

	/* Pollers may be added, never removed or changed. */
	EXPECT_EQ(-EINVAL, lio_config_diff(&new, &old, &ch, e, sizeof(e)));
	EXPECT_TRUE(strstr(e, "pollers: 2 instead of 3") != NULL) TH_LOG("%s", e);
	new.pollers[1].spin_us = 7;
	EXPECT_EQ(-EINVAL, lio_config_diff(&old, &new, &ch, e, sizeof(e)));
	EXPECT_TRUE(strstr(e, "pollers[1]: changed") != NULL) TH_LOG("%s", e);
	lio_config_free(&old);
	lio_config_free(&new);
}

/* Written back (json_write.c) and read again: the same configuration. */
TEST(written_back_reads_the_same)
{
	static const char *const text =
		"{\"pollers\": [{\"cpu\": 1, \"spin_us\": 7, \"idle_poll_us\": 9}, {}],"
		" \"vdevs\": ["
		"  {\"uuid\": \"" U1 "\", \"poller\": 1, \"backend\": {\"type\": \"file\","
		"   \"path\": \"/var/lib/a.img\", \"offset\": 8192, \"size\": 1048576,"
		"   \"readonly\": true}},"
		"  " NULLDEV(U2) ","
		"  {\"uuid\": \"" U3 "\", \"backend\": {\"path\": "
		"   \"nvme+tcp://10.0.0.2:4420/nqn.2026-01.io.example:d/1\","
		"   \"fabric\": {\"ctrl_loss_tmo\": -1, \"tls\": true,"
		"   \"hostnqn\": \"nqn.2026-01.io.example:h\"}}}],"
		" \"card\": {\"device\": \"/dev/leapio_soc\", \"host_window\":"
		"   [{\"phys\": 0, \"len\": 2147483648, \"offset\": 0}]}}";
	struct lio_config a, b;
	char err[512] = "", *dumped;
	json_t *j;
	unsigned int i;

	ASSERT_EQ(0, parse(text, &a, -1, err)) TH_LOG("%s", err);
	j = lio_config_json(&a);
	ASSERT_NE(NULL, j);
	dumped = json_dumps(j, JSON_INDENT(1));
	json_decref(j);
	ASSERT_NE(NULL, dumped);
	ASSERT_EQ(0, parse(dumped, &b, -1, err)) TH_LOG("%s\n%s", err, dumped);
	/* Defaults are not written: an operator's file, not a dump. */
	ASSERT_EQ(NULL, strstr(dumped, "\"fabric\": {}"));
	ASSERT_NE(NULL, strstr(dumped, "\"tls\": true"));
	free(dumped);

	ASSERT_EQ(a.nr_pollers, b.nr_pollers);
	for (i = 0; i < a.nr_pollers; i++) {
		ASSERT_EQ(a.pollers[i].cpu, b.pollers[i].cpu);
		ASSERT_EQ(a.pollers[i].spin_us, b.pollers[i].spin_us);
		ASSERT_EQ(a.pollers[i].idle_poll_us, b.pollers[i].idle_poll_us);
	}
	ASSERT_EQ(3, b.nr_vdevs);
	for (i = 0; i < a.nr_vdevs; i++) {
		ASSERT_STREQ(a.vdevs[i].uuid, b.vdevs[i].uuid);
		ASSERT_EQ(a.vdevs[i].poller, b.vdevs[i].poller);
		ASSERT_TRUE(lio_bdev_cfg_equal(&a.vdevs[i].bdev, &b.vdevs[i].bdev))
			TH_LOG("vdev %u", i);
	}
	ASSERT_TRUE(b.card.given);
	ASSERT_STREQ(a.card.device, b.card.device);
	ASSERT_EQ(1, b.card.nr_win);
	ASSERT_EQ(a.card.win[0].len, b.card.win[0].len);
	lio_config_free(&a);
	lio_config_free(&b);
}

/*
 * Namespaces written back (save_config, vdev_get) and read again: the
 * same ones, every field of their backends; none, no key.
 */
TEST(namespaces_written_back)
{
	static const char *const text =
		"{\"vdevs\": ["
		"  {\"uuid\": \"" U1 "\", \"backend\": {\"type\": \"file\", \"path\": \"/x/a\","
		"   \"size\": 1048576},"
		"   \"namespaces\": ["
		"    {\"nsid\": 9, \"backend\": {\"path\": "
		"     \"nvme+tcp://10.0.0.2:4420/nqn.2026-01.io.example:d/3\","
		"     \"fabric\": {\"ctrl_loss_tmo\": 5, \"hostnqn\": \"nqn.2026-01.io.example:h\"}}},"
		"    {\"nsid\": 2, \"backend\": {\"type\": \"block\", \"path\": \"/dev/x\","
		"     \"offset\": 4096, \"size\": 8192, \"readonly\": true}},"
		"    {\"nsid\": 16, \"backend\": {\"type\": \"null\", \"size\": 4096}}]},"
		"  " NULLDEV(U2) "]}";
	struct lio_config a, b;
	char err[512] = "", *dumped;
	json_t *j;
	unsigned int i;

	ASSERT_EQ(0, parse(text, &a, -1, err)) TH_LOG("%s", err);
	j = lio_config_json(&a);
	ASSERT_NE(NULL, j);
	ASSERT_EQ(NULL, json_object_get(json_array_get(json_object_get(j, "vdevs"), 1),
					"namespaces"));
	dumped = json_dumps(j, JSON_INDENT(1));
	json_decref(j);
	ASSERT_NE(NULL, dumped);
	ASSERT_EQ(0, parse(dumped, &b, -1, err)) TH_LOG("%s\n%s", err, dumped);
	free(dumped);

	ASSERT_EQ(2U, b.nr_vdevs);
	for (i = 0; i < 2; i++) {
		ASSERT_STREQ(a.vdevs[i].uuid, b.vdevs[i].uuid);
		ASSERT_TRUE(lio_bdev_cfg_equal(&a.vdevs[i].bdev, &b.vdevs[i].bdev));
		ASSERT_EQ(a.vdevs[i].nr_ns, b.vdevs[i].nr_ns);
		ASSERT_TRUE(lio_vdev_ns_cfg_equal(&a.vdevs[i], &b.vdevs[i]));
	}
	ASSERT_EQ(3U, b.vdevs[0].nr_ns);
	EXPECT_EQ(2U, b.vdevs[0].ns[0].nsid);
	EXPECT_TRUE(b.vdevs[0].ns[0].bdev.readonly);
	EXPECT_EQ(9U, b.vdevs[0].ns[1].nsid);
	EXPECT_EQ(5, b.vdevs[0].ns[1].bdev.nvmf.opts.ctrl_loss_tmo);
	EXPECT_EQ(3U, b.vdevs[0].ns[1].bdev.nvmf.target.nsid);
	EXPECT_EQ(16U, b.vdevs[0].ns[2].nsid);
	EXPECT_EQ(0U, b.vdevs[0].ns[2].bdev.offset);
	EXPECT_EQ(0U, b.vdevs[1].nr_ns);
	lio_config_free(&a);
	lio_config_free(&b);
}

/*
 * A reload changing which namespaces a served vdev has (how many, which
 * NSIDs) re-attaches it on its poller (MOVE); one changing a namespace's
 * backend alone swaps it under the running vdev (UPDATE), as a change of
 * NSID 1's backend does; unchanged ones, nothing.
 */
TEST(reload_of_namespaces)
{
	static const char *const before =
		"{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": {\"type\": \"null\"},"
		" \"namespaces\": [{\"nsid\": 2, \"backend\": {\"type\": \"file\", \"path\": \"/x/b\"}},"
		" {\"nsid\": 3, \"backend\": {\"type\": \"null\"}}]}, " NULLDEV(U2) "]}";
	static const struct {
		const char *ns;
		int kind;	/* -1: no change */
	} after[] = {
		/* the same, listed the other way round */
		{ "[{\"nsid\": 3, \"backend\": {\"type\": \"null\"}},"
		  " {\"nsid\": 2, \"backend\": {\"type\": \"file\", \"path\": \"/x/b\"}}]", -1 },
		/* one fewer, none, one more */
		{ "[{\"nsid\": 2, \"backend\": {\"type\": \"file\", \"path\": \"/x/b\"}}]",
		  LIO_CHANGE_MOVE },
		{ "[]", LIO_CHANGE_MOVE },
		{ "[{\"nsid\": 2, \"backend\": {\"type\": \"file\", \"path\": \"/x/b\"}},"
		  " {\"nsid\": 3, \"backend\": {\"type\": \"null\"}},"
		  " {\"nsid\": 4, \"backend\": {\"type\": \"null\"}}]", LIO_CHANGE_MOVE },
		/* another NSID */
		{ "[{\"nsid\": 2, \"backend\": {\"type\": \"file\", \"path\": \"/x/b\"}},"
		  " {\"nsid\": 4, \"backend\": {\"type\": \"null\"}}]", LIO_CHANGE_MOVE },
		/* another backend of namespace 2: readonly, larger, elsewhere */
		{ "[{\"nsid\": 2, \"backend\": {\"type\": \"file\", \"path\": \"/x/b\","
		  " \"readonly\": true}}, {\"nsid\": 3, \"backend\": {\"type\": \"null\"}}]",
		  LIO_CHANGE_UPDATE },
		{ "[{\"nsid\": 2, \"backend\": {\"type\": \"file\", \"path\": \"/x/b\","
		  " \"size\": 8192}}, {\"nsid\": 3, \"backend\": {\"type\": \"null\"}}]",
		  LIO_CHANGE_UPDATE },
		{ "[{\"nsid\": 2, \"backend\": {\"type\": \"file\", \"path\": \"/x/c\"}},"
		  " {\"nsid\": 3, \"backend\": {\"type\": \"null\"}}]", LIO_CHANGE_UPDATE },
	};
	struct lio_config old, new;
	struct lio_change *ch;
	char e[512], text[1024];
	unsigned int k;
	int n;

	ASSERT_EQ(0, parse(before, &old, -1, e)) TH_LOG("%s", e);
	for (k = 0; k < sizeof(after) / sizeof(after[0]); k++) {
		snprintf(text, sizeof(text), "{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": "
			 "{\"type\": \"null\"}, \"namespaces\": %s}, " NULLDEV(U2) "]}",
			 after[k].ns);
		ASSERT_EQ(0, parse(text, &new, -1, e)) TH_LOG("%s", e);
		n = lio_config_diff(&old, &new, &ch, e, sizeof(e));
		if (after[k].kind < 0) {
			EXPECT_EQ(0, n) TH_LOG("%s", after[k].ns);
		} else {
			ASSERT_EQ(1, n) TH_LOG("%s: %s", after[k].ns, e);
			EXPECT_EQ(0, find_change(ch, n, after[k].kind, U1)) TH_LOG("%s", after[k].ns);
			EXPECT_EQ(ch[0].old->poller, ch[0].new->poller);
		}
		free(ch);
		lio_config_free(&new);
	}

	/* NSID 1's backend alone: swapped under the running vdev. */
	ASSERT_EQ(0, parse(before, &new, -1, e));
	new.vdevs[0].bdev.size = 4096;
	n = lio_config_diff(&old, &new, &ch, e, sizeof(e));
	ASSERT_EQ(1, n);
	EXPECT_EQ(0, find_change(ch, n, LIO_CHANGE_UPDATE, U1));
	free(ch);
	lio_config_free(&new);
	lio_config_free(&old);
}

/*
 * "pool": a directory and its bytes; written back as read; a change of
 * it re-attaches the vdev (MOVE), as one of its namespaces does; each
 * bad value refused naming the field; none in card mode.
 */
TEST(pool)
{
	static const char *const text =
		"{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": {\"type\": \"null\"},"
		" \"pool\": {\"dir\": \"/var/lib/leapio/pool\", \"bytes\": 1073741824}}, "
		NULLDEV(U2) "]}";
	struct lio_config a, b;
	struct lio_change *ch;
	char err[512] = "", *dumped;
	json_t *j;
	int n;

	ASSERT_EQ(0, parse(text, &a, -1, err)) TH_LOG("%s", err);
	EXPECT_STREQ("/var/lib/leapio/pool", a.vdevs[0].pool.dir);
	EXPECT_EQ(1ULL << 30, a.vdevs[0].pool.bytes);
	EXPECT_EQ(0ULL, a.vdevs[1].pool.bytes);
	j = lio_config_json(&a);
	ASSERT_NE(NULL, j);
	ASSERT_EQ(NULL, json_object_get(json_array_get(json_object_get(j, "vdevs"), 1),
					"pool"));
	dumped = json_dumps(j, 0);
	json_decref(j);
	ASSERT_EQ(0, parse(dumped, &b, -1, err)) TH_LOG("%s\n%s", err, dumped);
	free(dumped);
	EXPECT_TRUE(lio_vdev_ns_cfg_equal(&a.vdevs[0], &b.vdevs[0]));
	EXPECT_EQ(0, lio_config_diff(&a, &b, &ch, err, sizeof(err)));
	free(ch);
	b.vdevs[0].pool.bytes *= 2;
	n = lio_config_diff(&a, &b, &ch, err, sizeof(err));
	ASSERT_EQ(1, n);
	EXPECT_EQ(0, find_change(ch, n, LIO_CHANGE_MOVE, U1));
	free(ch);
	lio_config_free(&a);
	lio_config_free(&b);

#define POOL_REFUSED(pool, want)					\
	REFUSED("{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": "	\
		"{\"type\": \"null\"}, \"pool\": " pool "}]}", want)
	POOL_REFUSED("[]", "(uuid " U1 "): pool: must be an object, not an array");
	POOL_REFUSED("{\"dir\": \"/p\", \"bytes\": 4096, \"size\": 1}",
		     "pool: unknown key \"size\" (known: dir, bytes)");
	POOL_REFUSED("{\"bytes\": 4096}", "pool.dir: missing");
	POOL_REFUSED("{\"dir\": 3, \"bytes\": 4096}", "pool.dir: must be a string");
	POOL_REFUSED("{\"dir\": \"p\", \"bytes\": 4096}",
		     "pool.dir: \"p\": not an absolute path");
	POOL_REFUSED("{\"dir\": \"/p\"}", "pool.bytes: missing");
	POOL_REFUSED("{\"dir\": \"/p\", \"bytes\": 4097}",
		     "pool.bytes: 4097 is not a multiple of 4096");
	POOL_REFUSED("{\"dir\": \"/p\", \"bytes\": -4096}",
		     "pool.bytes: -4096: must not be negative");
	POOL_REFUSED("{\"dir\": \"/p\", \"bytes\": 0}",
		     "pool.bytes: 0: leave the pool out for none");
	REFUSED("{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": {\"type\": \"null\"},"
		" \"pool\": {\"dir\": \"/p\", \"bytes\": 4096}}],"
		" \"card\": {\"host_window\": [{\"phys\": 0, \"len\": 1073741824, \"offset\": 0}]}}",
		"vdevs[0] (uuid " U1 "): pool: not in card mode");
}

TEST_HARNESS_MAIN
