// SPDX-License-Identifier: GPL-2.0
/*
 * Remote drives without a network: the URI and the fabric options (every
 * mistake refused with a sentence naming it), their place in the JSON
 * file and on --vdev, what a reload sees as a change, the status mapping
 * of transport errors, and the sharing of connections between vdevs
 * (with a fake kernel behind lio_nvmf_ops).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/lio_harness.h"
#include "../../common/nvme/nvme_spec.h"
#include "../../runtime/config/args.h"
#include "../../runtime/fabrics/nvmf.h"

#define U1	"6f1a0c8e-0000-4000-8000-000000000001"
#define U2	"6f1a0c8e-0000-4000-8000-000000000002"
#define NQN	"nqn.2026-01.io.example:vol7"

static int uri(const char *s, struct lio_nvmf_target *t, char *err)
{
	return lio_nvmf_uri_parse(s, t, err, 512);
}

TEST(uri_tcp_default_port)
{
	struct lio_nvmf_target t;
	char e[512] = "";

	ASSERT_EQ(0, uri("nvme+tcp://192.0.2.10/" NQN "/1", &t, e)) TH_LOG("%s", e);
	EXPECT_STREQ("tcp", t.transport);
	EXPECT_STREQ("192.0.2.10", t.traddr);
	EXPECT_STREQ("4420", t.trsvcid);
	EXPECT_STREQ(NQN, t.subsysnqn);
	EXPECT_EQ(1U, t.nsid);
}

TEST(uri_rdma_ipv6_port)
{
	struct lio_nvmf_target t;
	char e[512] = "";

	ASSERT_EQ(0, uri("nvme+rdma://[fd00::2]:4421/" NQN "/4294967294", &t, e))
		TH_LOG("%s", e);
	EXPECT_STREQ("rdma", t.transport);
	EXPECT_STREQ("fd00::2", t.traddr);
	EXPECT_STREQ("4421", t.trsvcid);
	EXPECT_EQ(4294967294U, t.nsid);
}

/* Each bad URI refused, the message naming what is wrong. */
static const struct {
	const char *uri, *want;
} bad_uris[] = {
	{ "nvme+fc://192.0.2.10/" NQN "/1",		"unknown transport \"fc\"" },
	{ "nvme://192.0.2.10/" NQN "/1",		"not an NVMe-oF URI" },
	{ "nvme+tcp:/192.0.2.10/" NQN "/1",		"unknown transport" },
	{ "nvme+tcp:///" NQN "/1",			"no HOST" },
	{ "nvme+tcp://192.0.2.300/" NQN "/1",		"not an IPv4 address" },
	{ "nvme+tcp://target.example/" NQN "/1",	"takes no host names" },
	{ "nvme+tcp://[fd00::2/" NQN "/1",		"closing \"]\"" },
	{ "nvme+tcp://[fd00::zz]/" NQN "/1",		"not an IPv6 address" },
	{ "nvme+tcp://[fd00::2]x/" NQN "/1",		"after \"]\"" },
	{ "nvme+tcp://192.0.2.10:0/" NQN "/1",		"PORT \"0\"" },
	{ "nvme+tcp://192.0.2.10:65536/" NQN "/1",	"PORT \"65536\"" },
	{ "nvme+tcp://192.0.2.10:44a/" NQN "/1",	"PORT \"44a\"" },
	{ "nvme+tcp://192.0.2.10:/" NQN "/1",		"PORT \"\"" },
	{ "nvme+tcp://192.0.2.10",			"no \"/SUBSYSTEM-NQN/NSID\"" },
	{ "nvme+tcp://192.0.2.10/" NQN,			"no \"/NSID\"" },
	{ "nvme+tcp://192.0.2.10//1",			"no SUBSYSTEM-NQN" },
	{ "nvme+tcp://192.0.2.10/iqn.2026-01.x:y/1",	"does not start with \"nqn.\"" },
	{ "nvme+tcp://192.0.2.10/nqn.2026-01.x y/1",	"byte 0x20" },
	{ "nvme+tcp://192.0.2.10/nqn.2014-08.org.nvmexpress.discovery/1",
							"discovery subsystem" },
	{ "nvme+tcp://192.0.2.10/" NQN "/0",		"NSID \"0\"" },
	{ "nvme+tcp://192.0.2.10/" NQN "/4294967295",	"NSID \"4294967295\"" },
	{ "nvme+tcp://192.0.2.10/" NQN "/01",		"NSID \"01\"" },
	{ "nvme+tcp://192.0.2.10/" NQN "/1/",		"NSID \"1/\"" },
	{ "nvme+tcp://192.0.2.10/" NQN "/",		"NSID \"\"" },
	{ "/dev/ng0n1",					"not an NVMe-oF URI" },
};

TEST(uri_refusals)
{
	struct lio_nvmf_target t;
	unsigned int i;

	for (i = 0; i < sizeof(bad_uris) / sizeof(bad_uris[0]); i++) {
		char e[512] = "";

		EXPECT_EQ(-EINVAL, uri(bad_uris[i].uri, &t, e))
			TH_LOG("accepted: %s", bad_uris[i].uri);
		EXPECT_TRUE(strstr(e, bad_uris[i].want) != NULL)
			TH_LOG("%s: \"%s\" lacks \"%s\"", bad_uris[i].uri, e,
			       bad_uris[i].want);
	}
}

TEST(uri_nqn_length)
{
	char u[600], nqn[LIO_NQN_MAX + 2], e[512] = "";
	struct lio_nvmf_target t;

	memset(nqn, 'a', sizeof(nqn) - 1);
	memcpy(nqn, "nqn.", 4);
	nqn[LIO_NQN_MAX] = 0;			/* 223 bytes: the most */
	snprintf(u, sizeof(u), "nvme+tcp://192.0.2.10/%s/1", nqn);
	EXPECT_EQ(0, uri(u, &t, e)) TH_LOG("%s", e);
	nqn[LIO_NQN_MAX] = 'a';			/* 224 */
	nqn[LIO_NQN_MAX + 1] = 0;
	snprintf(u, sizeof(u), "nvme+tcp://192.0.2.10/%s/1", nqn);
	EXPECT_EQ(-EINVAL, uri(u, &t, e));
	EXPECT_TRUE(strstr(e, "at most 223") != NULL) TH_LOG("%s", e);
}

TEST(options)
{
	struct lio_nvmf_opts o;
	char e[512] = "";

	lio_nvmf_opts_init(&o);
	EXPECT_EQ(LIO_NVMF_UNSET, o.ctrl_loss_tmo);
	EXPECT_EQ(0, lio_nvmf_opt_set(&o, "ctrl_loss_tmo", "-1", e, sizeof(e)));
	EXPECT_EQ(-1, o.ctrl_loss_tmo);
	EXPECT_EQ(0, lio_nvmf_opt_set(&o, "reconnect_delay", "1", e, sizeof(e)));
	EXPECT_EQ(0, lio_nvmf_opt_set(&o, "nr_io_queues", "4", e, sizeof(e)));
	EXPECT_EQ(0, lio_nvmf_opt_set(&o, "keep_alive_tmo", "0", e, sizeof(e)));
	EXPECT_EQ(0, lio_nvmf_opt_set(&o, "tls", "true", e, sizeof(e)));
	EXPECT_TRUE(o.tls);
	EXPECT_EQ(0, lio_nvmf_opt_set(&o, "hostnqn", NQN ":host", e, sizeof(e)));
	EXPECT_STREQ(NQN ":host", o.hostnqn);
	EXPECT_EQ(0, lio_nvmf_opt_set(&o, "hostid", U1, e, sizeof(e)));
	EXPECT_EQ(0, lio_nvmf_opt_set(&o, "host_traddr", "fd00::1", e, sizeof(e)));
	EXPECT_EQ(0, lio_nvmf_opt_set(&o, "host_iface", "veth0", e, sizeof(e)));
	EXPECT_EQ(0, lio_nvmf_opt_set(&o, "dhchap_secret", "DHHC-1:00:abc=:", e, sizeof(e)));
	EXPECT_EQ(0, lio_nvmf_opts_check(&o, e, sizeof(e))) TH_LOG("%s", e);
	EXPECT_EQ('i', lio_nvmf_opt_kind("ctrl_loss_tmo"));
	EXPECT_EQ('b', lio_nvmf_opt_kind("tls"));
	EXPECT_EQ('s', lio_nvmf_opt_kind("hostnqn"));
	EXPECT_EQ(0, lio_nvmf_opt_kind("offset"));
}

static const struct {
	const char *name, *value, *want;
} bad_opts[] = {
	{ "ctrl_loss_tmo",	"-2",		"seconds, or -1" },
	{ "ctrl_loss_tmo",	"5s",		"seconds, or -1" },
	{ "ctrl_loss_tmo",	"",		"seconds, or -1" },
	{ "ctrl_loss_tmo",	"99999999999",	"seconds, or -1" },
	{ "reconnect_delay",	"0",		"1 or more" },
	{ "nr_io_queues",	"0",		"from 1 to 1024" },
	{ "nr_io_queues",	"1025",		"from 1 to 1024" },
	{ "keep_alive_tmo",	"65536",	"0 to 65535" },
	{ "tls",		"yes",		"true or false" },
	{ "hostnqn",		"host7",	"an NQN" },
	{ "hostid",		"not-a-uuid",	"a UUID" },
	{ "host_traddr",	"host.example",	"IPv4 or IPv6" },
	{ "host_iface",		"a-very-long-interface", "interface name" },
	{ "dhchap_secret",	"secret",	"DHHC-1:" },
	{ "queue_size",		"128",		"not a fabric option" },
};

TEST(option_refusals)
{
	unsigned int i;

	for (i = 0; i < sizeof(bad_opts) / sizeof(bad_opts[0]); i++) {
		struct lio_nvmf_opts o;
		char e[512] = "";
		int ret;

		lio_nvmf_opts_init(&o);
		ret = lio_nvmf_opt_set(&o, bad_opts[i].name, bad_opts[i].value, e, sizeof(e));
		EXPECT_TRUE(ret == -EINVAL || ret == -ENOENT)
			TH_LOG("%s=%s accepted", bad_opts[i].name, bad_opts[i].value);
		EXPECT_TRUE(strstr(e, bad_opts[i].name) != NULL && strstr(e, bad_opts[i].want) != NULL)
			TH_LOG("%s=%s: \"%s\" lacks \"%s\"", bad_opts[i].name,
			       bad_opts[i].value, e, bad_opts[i].want);
	}
}

TEST(options_together)
{
	struct lio_nvmf_opts o;
	char e[512] = "";

	lio_nvmf_opts_init(&o);
	ASSERT_EQ(0, lio_nvmf_opt_set(&o, "ctrl_loss_tmo", "5", e, sizeof(e)));
	ASSERT_EQ(0, lio_nvmf_opt_set(&o, "reconnect_delay", "10", e, sizeof(e)));
	EXPECT_EQ(-EINVAL, lio_nvmf_opts_check(&o, e, sizeof(e)));
	EXPECT_TRUE(strstr(e, "reconnect_delay 10 is longer than ctrl_loss_tmo 5") != NULL)
		TH_LOG("%s", e);
	ASSERT_EQ(0, lio_nvmf_opt_set(&o, "ctrl_loss_tmo", "-1", e, sizeof(e)));
	EXPECT_EQ(0, lio_nvmf_opts_check(&o, e, sizeof(e)));
	ASSERT_EQ(0, lio_nvmf_opt_set(&o, "dhchap_ctrl_secret", "DHHC-1:00:x:", e, sizeof(e)));
	EXPECT_EQ(-EINVAL, lio_nvmf_opts_check(&o, e, sizeof(e)));
	EXPECT_TRUE(strstr(e, "without dhchap_secret") != NULL) TH_LOG("%s", e);
}

/* ---- the configuration ---- */

static int parse(const char *json, struct lio_config *c, char *err)
{
	int ret;

	lio_config_init(c);
	ret = lio_config_parse_json(c, json, err, 512);
	if (!ret)
		ret = lio_config_finish(c, -1, err, 512);
	return ret;
}

#define REMOTE(u, extra)						\
	"{\"uuid\": \"" u "\", \"backend\": {\"path\": "		\
	"\"nvme+tcp://192.0.2.10:4420/" NQN "/1\"" extra "}}"

TEST(json_remote)
{
	struct lio_config c;
	const struct lio_bdev_cfg *b;
	char e[512] = "";

	ASSERT_EQ(0, parse("{\"vdevs\": [" REMOTE(U1, ", \"size\": 1048576, \"fabric\": "
			   "{\"ctrl_loss_tmo\": 5, \"reconnect_delay\": 1, \"tls\": false, "
			   "\"hostnqn\": \"" NQN ":h\"}") "]}", &c, e)) TH_LOG("%s", e);
	b = &c.vdevs[0].bdev;
	EXPECT_EQ(LIO_BDEV_NVMF, b->type);
	EXPECT_STREQ("nvmf", lio_bdev_type_name(b->type));
	EXPECT_STREQ("192.0.2.10", b->nvmf.target.traddr);
	EXPECT_EQ(1U, b->nvmf.target.nsid);
	EXPECT_EQ(5, b->nvmf.opts.ctrl_loss_tmo);
	EXPECT_EQ(1, b->nvmf.opts.reconnect_delay);
	EXPECT_EQ(LIO_NVMF_UNSET, b->nvmf.opts.nr_io_queues);
	EXPECT_STREQ(NQN ":h", b->nvmf.opts.hostnqn);
	EXPECT_EQ(1048576ULL, b->size);
	lio_config_free(&c);
}

static const struct {
	const char *json, *want;
} bad_json[] = {
	{ "{\"vdevs\": [" REMOTE(U1, ", \"fabric\": {\"ctrl_loss_tmo\": \"5\"}") "]}",
	  "backend.fabric.ctrl_loss_tmo: must be an integer, not a string" },
	{ "{\"vdevs\": [" REMOTE(U1, ", \"fabric\": {\"tls\": 1}") "]}",
	  "backend.fabric.tls: must be true or false" },
	{ "{\"vdevs\": [" REMOTE(U1, ", \"fabric\": {\"hostnqn\": 7}") "]}",
	  "backend.fabric.hostnqn: must be a string" },
	{ "{\"vdevs\": [" REMOTE(U1, ", \"fabric\": {\"nr_io_queues\": 0}") "]}",
	  "backend.fabric.nr_io_queues: \"0\"" },
	{ "{\"vdevs\": [" REMOTE(U1, ", \"fabric\": {\"queue_depth\": 8}") "]}",
	  "backend.fabric.queue_depth: not a fabric option" },
	{ "{\"vdevs\": [" REMOTE(U1, ", \"fabric\": [1]") "]}",
	  "backend.fabric: must be an object" },
	{ "{\"vdevs\": [" REMOTE(U1, ", \"fabric\": {\"ctrl_loss_tmo\": 1, "
	  "\"reconnect_delay\": 3}") "]}",
	  "backend.fabric: reconnect_delay 3 is longer" },
	{ "{\"vdevs\": [" REMOTE(U1, ", \"type\": \"file\"") "]}",
	  "backend.type file: the path is an NVMe-oF URI" },
	{ "{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": {\"type\": \"nvmf\", "
	  "\"path\": \"/dev/ng0n1\"}}]}", "backend.path: /dev/ng0n1: not an NVMe-oF URI" },
	{ "{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": {\"path\": "
	  "\"nvme+tcp://192.0.2.10/" NQN "/0\"}}]}", "backend.path: " },
	{ "{\"vdevs\": [{\"uuid\": \"" U1 "\", \"backend\": {\"type\": \"null\", "
	  "\"fabric\": {\"tls\": true}}}]}", "fabric: options for a remote drive" },
};

TEST(json_refusals)
{
	unsigned int i;

	for (i = 0; i < sizeof(bad_json) / sizeof(bad_json[0]); i++) {
		struct lio_config c;
		char e[512] = "";
		int ret = parse(bad_json[i].json, &c, e);

		lio_config_free(&c);
		EXPECT_EQ(-EINVAL, ret) TH_LOG("accepted: %s", bad_json[i].json);
		EXPECT_TRUE(strstr(e, bad_json[i].want) != NULL)
			TH_LOG("\"%s\" lacks \"%s\"", e, bad_json[i].want);
		EXPECT_TRUE(strstr(e, "vdevs[0]") != NULL) TH_LOG("%s", e);
	}
}

TEST(vdev_arg_remote)
{
	struct lio_config c;
	char e[512] = "";

	lio_config_init(&c);
	ASSERT_EQ(0, lio_config_add_vdev_arg(&c, U1 "=nvme+rdma://192.0.2.10/" NQN
					     "/2,ctrl_loss_tmo=4,reconnect_delay=1,size=8192",
					     e, sizeof(e))) TH_LOG("%s", e);
	EXPECT_EQ(LIO_BDEV_NVMF, c.vdevs[0].bdev.type);
	EXPECT_STREQ("rdma", c.vdevs[0].bdev.nvmf.target.transport);
	EXPECT_EQ(2U, c.vdevs[0].bdev.nvmf.target.nsid);
	EXPECT_EQ(4, c.vdevs[0].bdev.nvmf.opts.ctrl_loss_tmo);
	EXPECT_EQ(8192ULL, c.vdevs[0].bdev.size);
	EXPECT_EQ(-EINVAL, lio_config_add_vdev_arg(&c, U2 "=nvme+tcp://192.0.2.10/" NQN
						   "/1,ctrl_loss_tmo=x", e, sizeof(e)));
	EXPECT_TRUE(strstr(e, "--vdev #2") != NULL && strstr(e, "ctrl_loss_tmo: \"x\"") != NULL)
		TH_LOG("%s", e);
	/* Fabric options only follow a URI. */
	EXPECT_EQ(-EINVAL, lio_config_add_vdev_arg(&c, U2 "=null,ctrl_loss_tmo=4", e,
						   sizeof(e)));
	EXPECT_TRUE(strstr(e, "unknown option \"ctrl_loss_tmo\"") != NULL) TH_LOG("%s", e);
	EXPECT_EQ(-EINVAL, lio_config_add_vdev_arg(&c, U2 "=nvme+tcp://h/" NQN "/1", e,
						   sizeof(e)));
	EXPECT_TRUE(strstr(e, "--vdev #2") != NULL && strstr(e, "HOST \"h\"") != NULL) TH_LOG("%s", e);
	lio_config_free(&c);
}

/* A changed fabric option is a backend change for a reload; the
 * connection's device name (not configuration) is not.
 */
TEST(reload_sees_fabric_changes)
{
	struct lio_config a, b;
	struct lio_change *ch;
	char e[512] = "";

	ASSERT_EQ(0, parse("{\"vdevs\": [" REMOTE(U1, ", \"fabric\": {\"ctrl_loss_tmo\": 5}")
			   "]}", &a, e)) TH_LOG("%s", e);
	ASSERT_EQ(0, parse("{\"vdevs\": [" REMOTE(U1, ", \"fabric\": {\"ctrl_loss_tmo\": 5}")
			   "]}", &b, e)) TH_LOG("%s", e);
	strcpy(a.vdevs[0].bdev.nvmf.dev, "/dev/ng3n1");
	strcpy(a.vdevs[0].bdev.nvmf.ctrl, "nvme3");
	EXPECT_EQ(0, lio_config_diff(&a, &b, &ch, e, sizeof(e)));
	free(ch);
	b.vdevs[0].bdev.nvmf.opts.ctrl_loss_tmo = 6;
	ASSERT_EQ(1, lio_config_diff(&a, &b, &ch, e, sizeof(e)));
	EXPECT_EQ(LIO_CHANGE_UPDATE, ch[0].kind);
	free(ch);
	lio_config_free(&a);
	lio_config_free(&b);
}

/* ---- the status mapping of transport errors ---- */

TEST(verdicts)
{
	const int32_t host_path = NVME_STATUS(NVME_SCT_PATH, 0x70);
	const int32_t aborted = NVME_STATUS(NVME_SCT_PATH, 0x71);
	int32_t res;

	/* Success and the command's own errors pass, whatever the path. */
	res = 0;
	EXPECT_EQ(LIO_NVMF_COMPLETE, lio_nvmf_verdict(&res, LIO_NVMF_DOWN, 1));
	res = NVME_SC_LBA_RANGE | NVME_STATUS_DNR;
	EXPECT_EQ(LIO_NVMF_COMPLETE, lio_nvmf_verdict(&res, LIO_NVMF_DOWN, 1));
	EXPECT_EQ(NVME_SC_LBA_RANGE | NVME_STATUS_DNR, res);
	res = -EFAULT;
	EXPECT_EQ(LIO_NVMF_COMPLETE, lio_nvmf_verdict(&res, LIO_NVMF_GONE, 1));
	EXPECT_EQ(-EFAULT, res);
	/* The path down: held, however often it comes back. */
	res = host_path;
	EXPECT_EQ(LIO_NVMF_HOLD, lio_nvmf_verdict(&res, LIO_NVMF_DOWN, 1));
	res = aborted;
	EXPECT_EQ(LIO_NVMF_HOLD, lio_nvmf_verdict(&res, LIO_NVMF_DOWN, 100));
	res = -EINVAL;		/* the head had no live path */
	EXPECT_EQ(LIO_NVMF_HOLD, lio_nvmf_verdict(&res, LIO_NVMF_DOWN, 7));
	/* Live again: a few more tries, then the error is the command's. */
	res = -EINVAL;
	EXPECT_EQ(LIO_NVMF_HOLD, lio_nvmf_verdict(&res, LIO_NVMF_LIVE, 1));
	res = -EINVAL;
	EXPECT_EQ(LIO_NVMF_COMPLETE, lio_nvmf_verdict(&res, LIO_NVMF_LIVE,
						      LIO_NVMF_LIVE_TRIES));
	EXPECT_EQ(-EINVAL, res);
	/* Given up by the kernel: Controller Pathing Error, DNR. */
	res = aborted;
	EXPECT_EQ(LIO_NVMF_COMPLETE, lio_nvmf_verdict(&res, LIO_NVMF_GONE, 1));
	EXPECT_EQ(NVME_SCT_PATH, NVME_STATUS_SCT(res));
	EXPECT_EQ(0x60, NVME_STATUS_SC(res));
	EXPECT_TRUE(res & NVME_STATUS_DNR);
}

TEST(controller_states)
{
	EXPECT_EQ(LIO_NVMF_LIVE, lio_nvmf_state_parse("live\n"));
	EXPECT_EQ(LIO_NVMF_DOWN, lio_nvmf_state_parse("connecting\n"));
	EXPECT_EQ(LIO_NVMF_DOWN, lio_nvmf_state_parse("resetting\n"));
	EXPECT_EQ(LIO_NVMF_DOWN, lio_nvmf_state_parse("new\n"));
	EXPECT_EQ(LIO_NVMF_GONE, lio_nvmf_state_parse("deleting\n"));
	EXPECT_EQ(LIO_NVMF_GONE, lio_nvmf_state_parse("deleting (no IO)\n"));
	EXPECT_EQ(LIO_NVMF_GONE, lio_nvmf_state_parse("dead\n"));
	EXPECT_EQ(LIO_NVMF_GONE, lio_nvmf_state_parse(NULL));
}

/* ---- connections, with a fake kernel ---- */

static struct {
	int connects, disconnects, find_fail;
	bool foreign;
	char last_disconnect[32];
	char gone[32];		/* this controller was given up */
} fk;

static int fake_connect(const struct lio_nvmf_cfg *cfg, char *ctrl, size_t len,
			bool *owned, char *err, size_t errlen)
{
	if (!strcmp(cfg->target.traddr, "192.0.2.99")) {
		snprintf(err, errlen, "192.0.2.99:4420 refused the connection");
		return -ECONNREFUSED;
	}
	snprintf(ctrl, len, "nvme%d", fk.connects++);
	*owned = !fk.foreign;
	return 0;
}

static int fake_find_ns(const char *ctrl, uint32_t nsid, char *dev, size_t len,
			char *err, size_t errlen)
{
	if (nsid == 9 || fk.find_fail) {
		snprintf(err, errlen, "the subsystem has no namespace %u", nsid);
		return -ENOENT;
	}
	snprintf(dev, len, "/dev/ng%sn%u", ctrl + 4, nsid);
	return 0;
}

static int fake_disconnect(const char *ctrl)
{
	fk.disconnects++;
	snprintf(fk.last_disconnect, sizeof(fk.last_disconnect), "%s", ctrl);
	return 0;
}

static enum lio_nvmf_state fake_state(const char *ctrl)
{
	return strcmp(ctrl, fk.gone) ? LIO_NVMF_LIVE : LIO_NVMF_GONE;
}

static const struct lio_nvmf_ops fake_ops = {
	.connect	= fake_connect,
	.find_ns	= fake_find_ns,
	.disconnect	= fake_disconnect,
	.state		= fake_state,
};

static void remote(struct lio_nvmf_cfg *c, const char *u)
{
	char e[512];

	memset(c, 0, sizeof(*c));
	lio_nvmf_opts_init(&c->opts);
	if (lio_nvmf_uri_parse(u, &c->target, e, sizeof(e)))
		abort();
}

FIXTURE(conns) {
	int unused;
};

FIXTURE_SETUP(conns)
{
	memset(&fk, 0, sizeof(fk));
	lio_nvmf_set_ops(&fake_ops);
}

FIXTURE_TEARDOWN(conns)
{
	lio_nvmf_set_ops(NULL);
}

TEST_F(conns, shared_by_subsystem)
{
	struct lio_nvmf_cfg a, b, c;
	char e[512] = "";

	remote(&a, "nvme+tcp://192.0.2.10/" NQN "/1");
	remote(&b, "nvme+tcp://192.0.2.10/" NQN "/2");
	remote(&c, "nvme+tcp://192.0.2.10:4421/" NQN "/1");
	ASSERT_EQ(0, lio_nvmf_get(&a, e, sizeof(e))) TH_LOG("%s", e);
	ASSERT_EQ(0, lio_nvmf_get(&b, e, sizeof(e))) TH_LOG("%s", e);
	EXPECT_EQ(1, fk.connects);
	EXPECT_STREQ("nvme0", a.ctrl);
	EXPECT_STREQ("nvme0", b.ctrl);
	EXPECT_STREQ("/dev/ng0n1", a.dev);
	EXPECT_STREQ("/dev/ng0n2", b.dev);
	/* Another port is another controller. */
	ASSERT_EQ(0, lio_nvmf_get(&c, e, sizeof(e))) TH_LOG("%s", e);
	EXPECT_EQ(2, fk.connects);
	EXPECT_EQ(2U, lio_nvmf_nr_conns());
	lio_nvmf_put(&a);
	EXPECT_EQ(0, fk.disconnects);
	lio_nvmf_put(&b);
	EXPECT_EQ(1, fk.disconnects);
	EXPECT_STREQ("nvme0", fk.last_disconnect);
	lio_nvmf_put(&c);
	EXPECT_EQ(2, fk.disconnects);
	EXPECT_EQ(0U, lio_nvmf_nr_conns());
}

TEST_F(conns, failures_leave_nothing)
{
	struct lio_nvmf_cfg a, b, c;
	char e[512] = "";

	remote(&a, "nvme+tcp://192.0.2.99/" NQN "/1");
	EXPECT_EQ(-ECONNREFUSED, lio_nvmf_get(&a, e, sizeof(e)));
	EXPECT_TRUE(strstr(e, "refused") != NULL) TH_LOG("%s", e);
	EXPECT_EQ(0U, lio_nvmf_nr_conns());
	/* No such namespace: the connection made for it goes again. */
	remote(&b, "nvme+tcp://192.0.2.10/" NQN "/9");
	EXPECT_EQ(-ENOENT, lio_nvmf_get(&b, e, sizeof(e)));
	EXPECT_TRUE(strstr(e, "no namespace 9") != NULL) TH_LOG("%s", e);
	EXPECT_EQ(1, fk.disconnects);
	EXPECT_EQ(0U, lio_nvmf_nr_conns());
	/* ... but not one another vdev uses. */
	remote(&c, "nvme+tcp://192.0.2.10/" NQN "/1");
	ASSERT_EQ(0, lio_nvmf_get(&c, e, sizeof(e))) TH_LOG("%s", e);
	EXPECT_EQ(-ENOENT, lio_nvmf_get(&b, e, sizeof(e)));
	EXPECT_EQ(1, fk.disconnects);
	EXPECT_EQ(1U, lio_nvmf_nr_conns());
	lio_nvmf_put(&c);
	EXPECT_EQ(0U, lio_nvmf_nr_conns());
}

TEST_F(conns, someone_elses_controller_stays)
{
	struct lio_nvmf_cfg a;
	char e[512] = "";

	fk.foreign = true;
	remote(&a, "nvme+tcp://192.0.2.10/" NQN "/1");
	ASSERT_EQ(0, lio_nvmf_get(&a, e, sizeof(e))) TH_LOG("%s", e);
	lio_nvmf_put(&a);
	EXPECT_EQ(0, fk.disconnects);
	EXPECT_EQ(0U, lio_nvmf_nr_conns());
}

TEST_F(conns, one_controller_one_set_of_options)
{
	struct lio_nvmf_cfg a, b;
	char e[512] = "";

	remote(&a, "nvme+tcp://192.0.2.10/" NQN "/1");
	remote(&b, "nvme+tcp://192.0.2.10/" NQN "/2");
	b.opts.ctrl_loss_tmo = 9;
	ASSERT_EQ(0, lio_nvmf_get(&a, e, sizeof(e))) TH_LOG("%s", e);
	EXPECT_EQ(-EINVAL, lio_nvmf_get(&b, e, sizeof(e)));
	EXPECT_TRUE(strstr(e, "other fabric options") != NULL) TH_LOG("%s", e);
	/* Another host NQN is another controller, with its own options. */
	strcpy(b.opts.hostnqn, NQN ":other-host");
	ASSERT_EQ(0, lio_nvmf_get(&b, e, sizeof(e))) TH_LOG("%s", e);
	EXPECT_EQ(2, fk.connects);
	lio_nvmf_put(&a);
	lio_nvmf_put(&b);
	EXPECT_EQ(2, fk.disconnects);
}

/*
 * The kernel gives a controller up: the vdevs on it see it so, the next
 * get connects anew (not sharing the dead one), and the dead one goes
 * with its last user without a disconnect (there is nothing to take down).
 */
TEST_F(conns, given_up_controller_is_replaced)
{
	struct lio_nvmf_cfg a, b, a2;
	char e[512] = "";

	remote(&a, "nvme+tcp://192.0.2.10/" NQN "/1");
	remote(&b, "nvme+tcp://192.0.2.10/" NQN "/2");
	ASSERT_EQ(0, lio_nvmf_get(&a, e, sizeof(e))) TH_LOG("%s", e);
	ASSERT_EQ(0, lio_nvmf_get(&b, e, sizeof(e))) TH_LOG("%s", e);
	EXPECT_FALSE(lio_nvmf_given_up(&a));
	strcpy(fk.gone, "nvme0");
	EXPECT_TRUE(lio_nvmf_given_up(&a));
	EXPECT_TRUE(lio_nvmf_given_up(&b));
	/* a's reload: a new controller, then the old one let go. */
	a2 = a;
	ASSERT_EQ(0, lio_nvmf_get(&a2, e, sizeof(e))) TH_LOG("%s", e);
	EXPECT_EQ(2, fk.connects);
	EXPECT_STREQ("nvme1", a2.ctrl);
	EXPECT_FALSE(lio_nvmf_given_up(&a2));
	lio_nvmf_put(&a);
	EXPECT_EQ(2U, lio_nvmf_nr_conns());	/* b still holds the dead one */
	lio_nvmf_put(&b);
	EXPECT_EQ(1U, lio_nvmf_nr_conns());
	EXPECT_EQ(0, fk.disconnects);
	lio_nvmf_put(&a2);
	EXPECT_EQ(1, fk.disconnects);
	EXPECT_STREQ("nvme1", fk.last_disconnect);
	EXPECT_EQ(0U, lio_nvmf_nr_conns());
}

TEST_HARNESS_MAIN
