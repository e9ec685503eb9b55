// SPDX-License-Identifier: GPL-2.0
/*
 * leapiod's control methods (runtime/control/methods.c) through the
 * JSON-RPC layer, against a fake leapiod: a running configuration that
 * apply() replaces (or refuses, when told to), so that each method's
 * params checks, the configuration it asks for and its replies are seen.
 * The real apply() is main.c's, run by the kselftests in L1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/lio_harness.h"
#include "../../runtime/control/methods.h"

#define U1	"6f1a0c8e-0000-4000-8000-000000000001"
#define U2	"6f1a0c8e-0000-4000-8000-000000000002"

struct fake {
	struct lio_config	running;
	int			applied;
	const char		*refuse;	/* apply() fails with this */
	char			what[64];
};

static const struct lio_config *fake_running(void *d)
{
	return &((struct fake *)d)->running;
}

static int fake_apply(void *d, const struct lio_config *next, const char *what,
		      char *why, size_t whylen)
{
	struct fake *f = d;
	struct lio_config c;

	snprintf(f->what, sizeof(f->what), "%s", what);
	if (f->refuse) {
		snprintf(why, whylen, "%s", f->refuse);
		return -EIO;
	}
	lio_config_init(&c);
	if (lio_config_copy(&c, next))
		return -ENOMEM;
	lio_config_free(&f->running);
	f->running = c;
	return ++f->applied;
}

/* Poller i completed 10 + i commands; U1 (on poller 1) three reads. */
static int fake_stats(void *d, unsigned int poller, const char *uuid,
		      struct lio_poller_stats *st, struct lio_vdev_stats *vst)
{
	struct fake *f = d;

	if (poller >= f->running.nr_pollers)
		return -ENOENT;
	memset(st, 0, sizeof(*st));
	st->cmds = 10 + poller;
	st->polls = 100;
	st->nr_vdevs = poller;
	if (!uuid)
		return 0;
	if (poller != 1 || strcmp(uuid, U1))
		return -ENOENT;
	memset(vst, 0, sizeof(*vst));
	vst->io[LIO_CLASS_READ].cmds = 3;
	vst->io[LIO_CLASS_READ].bytes = 3 * 4096;
	vst->io[LIO_CLASS_READ].lat_sum_ns = 3 * 20000;
	vst->io[LIO_CLASS_READ].lat.count[lio_hist_index(20000)] = 3;
	return 0;
}

FIXTURE(m) {
	struct fake f;
	struct lio_ctl_host host;
	struct lio_rpc_table t;
	json_t *reply;
	char dir[64];
};

FIXTURE_SETUP(m)
{
	char err[256] = "";
	const char *text = "{\"pollers\": [{}, {}], \"vdevs\": [{\"uuid\": \"" U1 "\", "
			   "\"poller\": 1, \"backend\": {\"type\": \"null\"}}]}";

	memset(&self->f, 0, sizeof(self->f));
	lio_config_init(&self->f.running);
	ASSERT_EQ(0, lio_config_parse_json(&self->f.running, text, err, sizeof(err)));
	ASSERT_EQ(0, lio_config_finish(&self->f.running, -1, err, sizeof(err)));
	self->host = (struct lio_ctl_host){ .d = &self->f, .running = fake_running,
					    .apply = fake_apply, .stats = fake_stats };
	self->t = (struct lio_rpc_table){ lio_ctl_methods, lio_ctl_nr_methods, &self->host };
	self->reply = NULL;
	strcpy(self->dir, "/tmp/lio-ctlm-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
}

FIXTURE_TEARDOWN(m)
{
	char cmd[128];

	json_decref(self->reply);
	lio_config_free(&self->f.running);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("%s failed", cmd);
}

/* Call method with params (JSON text, or NULL); the reply kept. */
static json_t *call(FIXTURE_DATA(m) *self, const char *method, const char *params)
{
	char req[2048];
	size_t used;

	snprintf(req, sizeof(req), "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"%s\"%s%s}",
		 method, params ? ", \"params\": " : "", params ? params : "");
	json_decref(self->reply);
	self->reply = NULL;
	if (lio_rpc_take(&self->t, req, strlen(req), &used, &self->reply) != LIO_RPC_DONE)
		return NULL;
	return json_object_get(self->reply, "result");
}

static int code(FIXTURE_DATA(m) *self)
{
	return (int)json_integer_value(json_object_get(json_object_get(self->reply, "error"),
						       "code"));
}

static const char *msg(FIXTURE_DATA(m) *self)
{
	const char *s = json_string_value(json_object_get(json_object_get(self->reply,
									  "error"),
							  "message"));
	return s ? s : "";
}

#define REFUSED_WITH(c, words) do {						\
	ASSERT_EQ(c, code(self)) TH_LOG("%s", msg(self));			\
	ASSERT_NE(NULL, strstr(msg(self), words)) TH_LOG("%s", msg(self));	\
} while (0)

TEST_F(m, vdev_list_and_get_show_what_runs)
{
	json_t *r = call(self, "vdev_list", NULL);

	ASSERT_TRUE(json_is_array(r));
	ASSERT_EQ(1, json_array_size(r));
	ASSERT_STREQ(U1, json_string_value(json_object_get(json_array_get(r, 0), "uuid")));
	r = call(self, "vdev_get", "{\"uuid\": \"" U1 "\"}");
	ASSERT_EQ(1, json_integer_value(json_object_get(r, "poller")));
	ASSERT_STREQ("null", json_string_value(json_object_get(json_object_get(r, "backend"),
							       "type")));

	ASSERT_EQ(NULL, call(self, "vdev_get", "{\"uuid\": \"" U2 "\"}"));
	REFUSED_WITH(LIO_RPC_NO_SUCH_VDEV, "no vdev " U2);
	ASSERT_EQ(NULL, call(self, "vdev_get", "{\"uuid\": \"x\"}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "not a UUID");
	ASSERT_EQ(NULL, call(self, "vdev_get", "{}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "params.uuid: missing");
	ASSERT_EQ(NULL, call(self, "vdev_get", NULL));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "params: missing");
	ASSERT_EQ(NULL, call(self, "vdev_get", "{\"uuid\": \"" U1 "\", \"x\": 1}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "unknown key \"x\"");
	ASSERT_EQ(NULL, call(self, "vdev_list", "[1]"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "must be an object");
	ASSERT_EQ(0, self->f.applied);
}

TEST_F(m, vdev_add_applies_a_vdev_of_the_file_format)
{
	json_t *r = call(self, "vdev_add", "{\"uuid\": \"" U2 "\", \"poller\": 1, "
				"\"backend\": {\"type\": \"null\"}}");

	ASSERT_NE(NULL, r) TH_LOG("%s", msg(self));
	ASSERT_STREQ(U2, json_string_value(json_object_get(r, "uuid")));
	ASSERT_EQ(1, self->f.applied);
	ASSERT_STREQ("vdev_add", self->f.what);
	ASSERT_EQ(2, self->f.running.nr_vdevs);

	/* Running already, a bad backend, a poller that does not run. */
	ASSERT_EQ(NULL, call(self, "vdev_add", "{\"uuid\": \"" U2 "\", "
				"\"backend\": {\"type\": \"null\"}}"));
	REFUSED_WITH(LIO_RPC_REFUSED, "running already");
	ASSERT_EQ(NULL, call(self, "vdev_add", "{\"uuid\": \"" U2 "\", "
				"\"backend\": {\"type\": \"tape\"}}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "backend.type: \"tape\"");
	ASSERT_EQ(NULL, call(self, "vdev_add", "{\"uuid\": \"6f1a0c8e-0000-4000-8000-000000000003\", "
				"\"poller\": 5, \"backend\": {\"type\": \"null\"}}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "poller");
	ASSERT_EQ(NULL, call(self, "vdev_add", "[]"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "a vdev object");
	ASSERT_EQ(1, self->f.applied);

	/* What the running leapiod refuses comes back as it said it. */
	self->f.refuse = "vdev x: the mdev is in use by another leapiod";
	ASSERT_EQ(NULL, call(self, "vdev_add", "{\"uuid\": \"6f1a0c8e-0000-4000-8000-000000000003\", "
				"\"backend\": {\"type\": \"null\"}}"));
	REFUSED_WITH(LIO_RPC_REFUSED, "in use by another leapiod");
}

/*
 * "adopted": the vdev came from its mdev's backend note. Shown, kept
 * through a backend change, left out of the saved file; anything but a
 * boolean refused.
 */
TEST_F(m, vdev_add_adopted_from_a_note)
{
	char path[128], params[192], err[256] = "";
	struct lio_config back;
	json_t *r = call(self, "vdev_add", "{\"uuid\": \"" U2 "\", \"adopted\": true, "
				"\"backend\": {\"type\": \"null\"}}");

	ASSERT_NE(NULL, r) TH_LOG("%s", msg(self));
	ASSERT_TRUE(json_is_true(json_object_get(r, "adopted")));
	ASSERT_EQ(2, self->f.running.nr_vdevs);
	ASSERT_TRUE(self->f.running.vdevs[1].adopted);
	ASSERT_FALSE(self->f.running.vdevs[0].adopted);
	r = call(self, "vdev_set_backend", "{\"uuid\": \"" U2 "\", \"backend\": "
				"{\"type\": \"file\", \"path\": \"/var/lib/y.img\"}}");
	ASSERT_NE(NULL, r) TH_LOG("%s", msg(self));
	ASSERT_TRUE(self->f.running.vdevs[1].adopted);
	snprintf(path, sizeof(path), "%s/saved.json", self->dir);
	snprintf(params, sizeof(params), "{\"path\": \"%s\"}", path);
	ASSERT_NE(NULL, call(self, "save_config", params)) TH_LOG("%s", msg(self));
	lio_config_init(&back);
	ASSERT_EQ(0, lio_config_load_file(&back, path, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(1, back.nr_vdevs);
	ASSERT_STREQ(U1, back.vdevs[0].uuid);
	lio_config_free(&back);

	ASSERT_EQ(NULL, call(self, "vdev_add", "{\"uuid\": \"6f1a0c8e-0000-4000-8000-000000000003\", "
				"\"adopted\": 1, \"backend\": {\"type\": \"null\"}}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "params.adopted: must be true or false");
}

TEST_F(m, vdev_remove_and_set_backend)
{
	json_t *r = call(self, "vdev_set_backend", "{\"uuid\": \"" U1 "\", \"backend\": "
				"{\"type\": \"file\", \"path\": \"/var/lib/x.img\", "
				"\"size\": 1048576}}");

	ASSERT_NE(NULL, r) TH_LOG("%s", msg(self));
	ASSERT_EQ(1, self->f.running.nr_vdevs);
	/* The poller stays: a backend change, not a move. */
	ASSERT_EQ(1, self->f.running.vdevs[0].poller);
	ASSERT_EQ(LIO_BDEV_FILE, self->f.running.vdevs[0].bdev.type);
	ASSERT_EQ(1048576, self->f.running.vdevs[0].bdev.size);
	ASSERT_EQ(NULL, call(self, "vdev_set_backend", "{\"uuid\": \"" U1 "\"}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "params.backend: missing");
	ASSERT_EQ(NULL, call(self, "vdev_set_backend", "{\"uuid\": \"" U1 "\", \"backend\": "
				"{\"type\": \"file\", \"size\": 3}}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "backend.size");
	ASSERT_EQ(NULL, call(self, "vdev_set_backend", "{\"uuid\": \"" U2 "\", \"backend\": {}}"));
	REFUSED_WITH(LIO_RPC_NO_SUCH_VDEV, "no vdev");

	r = call(self, "vdev_remove", "{\"uuid\": \"" U1 "\"}");
	ASSERT_NE(NULL, r) TH_LOG("%s", msg(self));
	ASSERT_TRUE(json_is_true(r));
	ASSERT_EQ(0, self->f.running.nr_vdevs);
	ASSERT_EQ(NULL, call(self, "vdev_remove", "{\"uuid\": \"" U1 "\"}"));
	REFUSED_WITH(LIO_RPC_NO_SUCH_VDEV, "no vdev");
	ASSERT_EQ(2, self->f.applied);
}

/*
 * vdev_resize: a file backend grown (truncate) to hold the new size from
 * its offset, which the running configuration then says; smaller,
 * unaligned, missing sizes and backends leapiod does not grow refused.
 */
TEST_F(m, vdev_resize_grows_a_file_backend)
{
	char path[128], params[512];
	struct stat st;
	json_t *r;
	FILE *f;

	snprintf(path, sizeof(path), "%s/disk.img", self->dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fclose(f);
	ASSERT_EQ(0, truncate(path, 4096 + (1 << 20)));
	snprintf(params, sizeof(params), "{\"uuid\": \"" U1 "\", \"backend\": "
		 "{\"type\": \"file\", \"path\": \"%s\", \"offset\": 4096}}", path);
	ASSERT_NE(NULL, call(self, "vdev_set_backend", params)) TH_LOG("%s", msg(self));

	r = call(self, "vdev_resize", "{\"uuid\": \"" U1 "\", \"size\": 2097152}");
	ASSERT_NE(NULL, r) TH_LOG("%s", msg(self));
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(4096 + 2097152, st.st_size);
	EXPECT_EQ(2097152, self->f.running.vdevs[0].bdev.size);
	EXPECT_EQ(4096, self->f.running.vdevs[0].bdev.offset);
	EXPECT_STREQ("vdev_resize", self->f.what);
	/* The same size again: nothing to grow, still fine. */
	ASSERT_NE(NULL, call(self, "vdev_resize",
			     "{\"uuid\": \"" U1 "\", \"size\": 2097152}"));

	ASSERT_EQ(NULL, call(self, "vdev_resize",
			     "{\"uuid\": \"" U1 "\", \"size\": 1048576}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "not shrunk");
	ASSERT_EQ(NULL, call(self, "vdev_resize",
			     "{\"uuid\": \"" U1 "\", \"size\": 3000000}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "multiple of 4096");
	ASSERT_EQ(NULL, call(self, "vdev_resize", "{\"uuid\": \"" U1 "\"}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "params.size: missing");
	ASSERT_EQ(NULL, call(self, "vdev_resize",
			     "{\"uuid\": \"" U1 "\", \"size\": \"2G\"}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "params.size");
	ASSERT_EQ(NULL, call(self, "vdev_resize",
			     "{\"uuid\": \"" U2 "\", \"size\": 4096}"));
	REFUSED_WITH(LIO_RPC_NO_SUCH_VDEV, "no vdev");
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(4096 + 2097152, st.st_size);

	/* The null backend is not grown by leapiod. */
	ASSERT_NE(NULL, call(self, "vdev_set_backend", "{\"uuid\": \"" U1 "\", "
			     "\"backend\": {\"type\": \"null\"}}"));
	ASSERT_EQ(NULL, call(self, "vdev_resize",
			     "{\"uuid\": \"" U1 "\", \"size\": 4096}"));
	REFUSED_WITH(LIO_RPC_REFUSED, "not resized by leapiod");
}

/*
 * A vdev with namespaces besides NSID 1: added whole, shown whole; a new
 * backend or size for NSID 1 keeps them, and may not reach into theirs;
 * one of theirs grown by its NSID (vdev_resize's nsid).
 */
TEST_F(m, namespaces_through_the_socket)
{
	char path[128], params[768];
	const struct lio_vdev_cfg *v;
	struct stat st;
	json_t *r;
	FILE *f;

	snprintf(path, sizeof(path), "%s/disk.img", self->dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fclose(f);
	ASSERT_EQ(0, truncate(path, 3 << 20));
	snprintf(params, sizeof(params), "{\"uuid\": \"" U2 "\", \"backend\": {\"type\": "
		 "\"file\", \"path\": \"%s\", \"size\": 1048576}, \"namespaces\": [{\"nsid\": 3, "
		 "\"backend\": {\"type\": \"file\", \"path\": \"%s\", \"offset\": 2097152}}, "
		 "{\"nsid\": 2, \"backend\": {\"type\": \"null\"}}]}", path, path);
	r = call(self, "vdev_add", params);
	ASSERT_NE(NULL, r) TH_LOG("%s", msg(self));
	ASSERT_EQ(2, json_array_size(json_object_get(r, "namespaces")));
	v = &self->f.running.vdevs[1];
	ASSERT_EQ(2, v->nr_ns);
	ASSERT_EQ(2, v->ns[0].nsid);

	snprintf(params, sizeof(params), "{\"uuid\": \"" U2 "\", \"backend\": {\"type\": "
		 "\"file\", \"path\": \"%s\", \"size\": 2097152}}", path);
	ASSERT_NE(NULL, call(self, "vdev_set_backend", params)) TH_LOG("%s", msg(self));
	v = &self->f.running.vdevs[1];
	ASSERT_EQ(2097152, v->bdev.size);
	ASSERT_EQ(2, v->nr_ns);
	ASSERT_EQ(3, v->ns[1].nsid);
	ASSERT_EQ(2097152, v->ns[1].bdev.offset);

	snprintf(params, sizeof(params), "{\"uuid\": \"" U2 "\", \"backend\": {\"type\": "
		 "\"file\", \"path\": \"%s\"}}", path);
	ASSERT_EQ(NULL, call(self, "vdev_set_backend", params));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "params (uuid " U2 "): namespaces: nsid 3's backend");
	ASSERT_EQ(NULL, call(self, "vdev_resize", "{\"uuid\": \"" U2 "\", \"size\": 3145728}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "nsid 3's backend");
	ASSERT_EQ(2097152, self->f.running.vdevs[1].bdev.size);

	/* Namespace 3's backend grown (nsid): the file, then the config. */
	r = call(self, "vdev_resize", "{\"uuid\": \"" U2 "\", \"size\": 2097152, \"nsid\": 3}");
	ASSERT_NE(NULL, r) TH_LOG("%s", msg(self));
	v = &self->f.running.vdevs[1];
	EXPECT_EQ(2097152, v->ns[1].bdev.size);
	EXPECT_EQ(2097152, v->bdev.size);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(4 << 20, st.st_size);
	ASSERT_EQ(NULL, call(self, "vdev_resize",
			     "{\"uuid\": \"" U2 "\", \"size\": 1048576, \"nsid\": 3}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "not shrunk");
	ASSERT_EQ(NULL, call(self, "vdev_resize",
			     "{\"uuid\": \"" U2 "\", \"size\": 4096, \"nsid\": 4}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "give namespace 4 no backend");
	ASSERT_EQ(NULL, call(self, "vdev_resize",
			     "{\"uuid\": \"" U2 "\", \"size\": 4096, \"nsid\": 17}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "params.nsid: must be 1..16");
	ASSERT_EQ(NULL, call(self, "vdev_resize",
			     "{\"uuid\": \"" U2 "\", \"size\": 4096, \"nsid\": \"2\"}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "params.nsid");
	/* The null backend of namespace 2 is not grown by leapiod. */
	ASSERT_EQ(NULL, call(self, "vdev_resize",
			     "{\"uuid\": \"" U2 "\", \"size\": 4096, \"nsid\": 2}"));
	REFUSED_WITH(LIO_RPC_REFUSED, "not resized by leapiod");
}

TEST_F(m, save_config_writes_what_a_restart_reads)
{
	char path[128], params[192], err[256] = "";
	struct lio_config back;

	snprintf(path, sizeof(path), "%s/leapiod.json", self->dir);
	snprintf(params, sizeof(params), "{\"path\": \"%s\"}", path);
	ASSERT_NE(NULL, call(self, "save_config", params)) TH_LOG("%s", msg(self));
	lio_config_init(&back);
	ASSERT_EQ(0, lio_config_load_file(&back, path, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(2, back.nr_pollers);
	ASSERT_EQ(1, back.nr_vdevs);
	ASSERT_STREQ(U1, back.vdevs[0].uuid);
	ASSERT_EQ(1, back.vdevs[0].poller);
	lio_config_free(&back);
	/* No temporary file left behind. */
	snprintf(params, sizeof(params), "%s.tmp", path);
	ASSERT_NE(0, access(params, F_OK));

	/* --config's file when no path is given; neither: said so. */
	self->host.config_path = path;
	ASSERT_NE(NULL, call(self, "save_config", NULL)) TH_LOG("%s", msg(self));
	self->host.config_path = NULL;
	ASSERT_EQ(NULL, call(self, "save_config", NULL));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "without --config");
	ASSERT_EQ(NULL, call(self, "save_config", "{\"path\": \"/nonexistent/dir/x.json\"}"));
	REFUSED_WITH(LIO_RPC_REFUSED, "No such file or directory");
	ASSERT_EQ(NULL, call(self, "save_config", "{\"path\": 3}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "params.path");
}

TEST_F(m, log_set_level)
{
	/* json_is_true() names its argument twice: one call each. */
	json_t *r = call(self, "log_set_level", "{\"verbose\": true}");

	ASSERT_TRUE(json_is_true(r));
	ASSERT_TRUE(lio_log_verbose);
	r = call(self, "log_set_level", "{\"verbose\": false}");
	ASSERT_TRUE(json_is_true(r));
	ASSERT_FALSE(lio_log_verbose);
	ASSERT_EQ(NULL, call(self, "log_set_level", "{\"verbose\": \"yes\"}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "true or false");
}

TEST_F(m, vdev_and_poller_stats)
{
	json_t *r = call(self, "vdev_stats", NULL), *v, *rd;

	ASSERT_TRUE(json_is_integer(json_object_get(r, "time_ns")));
	ASSERT_EQ(1, json_array_size(json_object_get(r, "vdevs")));
	v = json_array_get(json_object_get(r, "vdevs"), 0);
	EXPECT_STREQ(U1, json_string_value(json_object_get(v, "uuid")));
	EXPECT_EQ(1, json_integer_value(json_object_get(v, "poller")));
	rd = json_object_get(v, "read");
	EXPECT_EQ(3, json_integer_value(json_object_get(rd, "cmds")));
	EXPECT_EQ(12288, json_integer_value(json_object_get(rd, "bytes")));
	EXPECT_EQ(20000, json_integer_value(json_object_get(json_object_get(rd, "lat_ns"),
							    "mean")));
	EXPECT_EQ(0, json_integer_value(json_object_get(json_object_get(v, "write"), "cmds")));
	r = call(self, "vdev_stats", "{\"uuid\": \"" U1 "\"}");
	EXPECT_EQ(1, json_array_size(json_object_get(r, "vdevs")));

	ASSERT_EQ(NULL, call(self, "vdev_stats", "{\"uuid\": \"" U2 "\"}"));
	REFUSED_WITH(LIO_RPC_NO_SUCH_VDEV, "no vdev " U2);
	ASSERT_EQ(NULL, call(self, "vdev_stats", "{\"uuid\": 7}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "params.uuid: must be a string");
	ASSERT_EQ(NULL, call(self, "vdev_stats", "{\"poller\": 1}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "unknown key \"poller\"");

	r = call(self, "poller_stats", NULL);
	ASSERT_EQ(2, json_array_size(json_object_get(r, "pollers")));
	v = json_array_get(json_object_get(r, "pollers"), 1);
	EXPECT_EQ(1, json_integer_value(json_object_get(v, "index")));
	EXPECT_EQ(-1, json_integer_value(json_object_get(v, "cpu")));
	EXPECT_EQ(11, json_integer_value(json_object_get(v, "cmds")));
	EXPECT_EQ(1, json_integer_value(json_object_get(v, "vdevs")));
	ASSERT_EQ(NULL, call(self, "poller_stats", "{\"index\": 0}"));
	REFUSED_WITH(LIO_RPC_INVALID_PARAMS, "unknown key \"index\"");
	ASSERT_EQ(0, self->f.applied);
}

TEST_HARNESS_MAIN
