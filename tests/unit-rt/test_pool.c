// SPDX-License-Identifier: GPL-2.0
/*
 * The pool (runtime/core/pool.c) and the core's part of Namespace
 * Management's create (runtime/core/vdev.c) against the fake host's
 * region: a create asked is seen once, answered through the mailbox;
 * the pool makes the file (sparse, the size asked) and records it,
 * refuses what is beyond its bytes or an NSID it has; a restarted
 * leapiod reads the record back, serves what the region has, removes
 * what the guest deleted meanwhile and keeps aside what belongs to an
 * earlier region of the UUID; a broken record is refused, not guessed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/lio_harness.h"
#include "fake_host.h"
#include "../../runtime/core/pool.h"

#define UUID	"0b6a1f2e-1c4d-4e8f-9a0b-123456789abc"
#define NSZE	1024

FIXTURE(pool) {
	char dir[64];
	char err[512];
	struct lio_pool_cfg cfg;
	struct lio_pool p;
	struct fake_host h;
};

FIXTURE_SETUP(pool)
{
	strcpy(self->dir, "/tmp/leapio-pool-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	setenv("STATE_DIRECTORY", self->dir, 1);
	snprintf(self->cfg.dir, sizeof(self->cfg.dir), "%s", self->dir);
	self->cfg.bytes = 4 << 20;
	fh_init(&self->h, 1, NSZE, 9);
	leapio_wr_put_instance(&self->h.r, 0x1234);
	ASSERT_EQ(0, lio_pool_open(&self->p, UUID, &self->cfg, self->err,
				   sizeof(self->err)));
}

FIXTURE_TEARDOWN(pool)
{
	char cmd[128];

	lio_pool_close(&self->p);
	fh_fini(&self->h);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	EXPECT_EQ(0, system(cmd));
	unsetenv("STATE_DIRECTORY");
}

/* Bytes of file path, -1 if there is none. */
static long long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long long)st.st_size;
}

/* Blocks the file has on disk: a sparse one none. */
static long long file_blocks(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long long)st.st_blocks;
}

static const char *ns_file(FIXTURE_DATA(pool) *self, u32 nsid)
{
	static char path[160];

	snprintf(path, sizeof(path), "%s/%s-ns%u.img", self->dir, UUID, nsid);
	return path;
}

/* The driver has namespace nsid made from the pool (the create applied). */
static void region_has(struct fake_host *h, u32 nsid, u64 nsze, bool pooled)
{
	leapio_wr_put_ns(&h->r, nsid, LEAPIO_NS_ALLOCATED, 9, nsze, pooled);
}

/* The core sees a create once, and its answer goes to the driver. */
TEST_F(pool, a_create_asked_is_seen_and_answered)
{
	struct fake_host *h = &self->h;

	ASSERT_TRUE(h->v.pools);
	fh_poll(h, 2);
	ASSERT_FALSE(h->v.nscreate.pending);
	leapio_wr_put_nscreate(&h->r, 1, 3, 2048, 12);
	fh_bump(h);
	fh_poll(h, 2);
	ASSERT_TRUE(h->v.nscreate.pending);
	EXPECT_EQ(1U, h->v.nscreate.gen);
	EXPECT_EQ(3U, h->v.nscreate.nsid);
	EXPECT_EQ(2048ULL, h->v.nscreate.nsze);
	EXPECT_EQ(12, h->v.nscreate.lba_shift);
	ASSERT_EQ(0, lio_vdev_ns_created(&h->v, 1, NVME_SC_SUCCESS));
	EXPECT_EQ(1U, h->creates_done);
	EXPECT_EQ(1U, h->create_gen);
	EXPECT_EQ(NVME_SC_SUCCESS, h->create_status);
	EXPECT_EQ(0U, h->bad_reqs);
	/* Answered: not again at the next seq, before the driver applied it. */
	fh_bump(h);
	fh_poll(h, 2);
	ASSERT_FALSE(h->v.nscreate.pending);
	leapio_wr_put_nscreate_done(&h->r, 1);
	fh_bump(h);
	fh_poll(h, 2);
	ASSERT_FALSE(h->v.nscreate.pending);
}

/*
 * Create: the file sparse and of the size asked, recorded; beyond the
 * pool's bytes Insufficient Capacity, nothing made; the same create
 * again (a restart before the driver applied it) is done, another of the
 * NSID is not; delete removes file and entry.
 */
TEST_F(pool, create_and_delete)
{
	struct lio_pool *p = &self->p;

	ASSERT_EQ(NVME_SC_SUCCESS, lio_pool_create(p, 2, 1024, 12, self->err,
						   sizeof(self->err)));
	EXPECT_EQ(4LL << 20, file_size(ns_file(self, 2)));
	EXPECT_EQ(0LL, file_blocks(ns_file(self, 2)));
	EXPECT_EQ(4ULL << 20, lio_pool_used(p));
	ASSERT_EQ(NVME_SC_NS_INSUFFICIENT_CAP, lio_pool_create(p, 3, 1, 9, self->err,
							       sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "0 of 4194304 left"));
	EXPECT_EQ(-1LL, file_size(ns_file(self, 3)));
	ASSERT_EQ(NVME_SC_SUCCESS, lio_pool_create(p, 2, 1024, 12, self->err,
						   sizeof(self->err)));
	ASSERT_EQ(NVME_SC_NS_ID_UNAVAILABLE, lio_pool_create(p, 2, 8, 9, self->err,
							     sizeof(self->err)));
	ASSERT_EQ(0, lio_pool_delete(p, 2, self->err, sizeof(self->err)));
	EXPECT_EQ(-1LL, file_size(ns_file(self, 2)));
	EXPECT_EQ(0ULL, lio_pool_used(p));
	/* Larger than the pool at once; and a pool of none. */
	ASSERT_EQ(NVME_SC_NS_INSUFFICIENT_CAP,
		  lio_pool_create(p, 2, (4 << 20) / 512 + 1, 9, self->err,
				  sizeof(self->err)));
	p->cfg.bytes = 0;
	ASSERT_EQ(NVME_SC_NS_INSUFFICIENT_CAP, lio_pool_create(p, 2, 8, 9, self->err,
							       sizeof(self->err)));
}

/* A directory it cannot make files in: Internal Error, saying why. */
TEST_F(pool, a_directory_that_is_not_there)
{
	snprintf(self->p.cfg.dir, sizeof(self->p.cfg.dir), "%s/none", self->dir);
	ASSERT_EQ(NVME_SC_INTERNAL, lio_pool_create(&self->p, 2, 8, 9, self->err,
						    sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "No such file or directory"));
	EXPECT_EQ(0ULL, lio_pool_used(&self->p));
}

/*
 * A restart: the record read back; at attach the region's namespaces are
 * served, the one it no longer has (deleted while no leapiod served it)
 * removed, the one whose create is asked and not done kept.
 */
TEST_F(pool, a_restart_serves_what_the_region_has)
{
	struct fake_host *h = &self->h;
	struct lio_pool q;
	char rec[160];
	u32 serve;

	ASSERT_EQ(0, lio_pool_attach(&self->p, &h->r, &serve, self->err,
				     sizeof(self->err)));
	ASSERT_EQ(0U, serve);
	/* Nothing made: no record written (a vdev without a pool has none). */
	snprintf(rec, sizeof(rec), "%s/pool-%s.json", self->dir, UUID);
	EXPECT_EQ(-1LL, file_size(rec));
	ASSERT_EQ(NVME_SC_SUCCESS, lio_pool_create(&self->p, 2, 8, 9, self->err,
						   sizeof(self->err)));
	ASSERT_EQ(NVME_SC_SUCCESS, lio_pool_create(&self->p, 3, 8, 9, self->err,
						   sizeof(self->err)));
	ASSERT_EQ(NVME_SC_SUCCESS, lio_pool_create(&self->p, 4, 8, 9, self->err,
						   sizeof(self->err)));
	lio_pool_close(&self->p);
	region_has(h, 2, 8, true);
	region_has(h, 3, 8, false);	/* the operator's now, not the pool's */
	leapio_wr_put_nscreate(&h->r, 7, 4, 8, 9);

	ASSERT_EQ(0, lio_pool_open(&q, UUID, &self->cfg, self->err, sizeof(self->err)));
	EXPECT_EQ(0x1234ULL, q.instance);
	EXPECT_EQ(3 * 8 * 512ULL, lio_pool_used(&q));
	ASSERT_EQ(0, lio_pool_attach(&q, &h->r, &serve, self->err, sizeof(self->err)));
	EXPECT_EQ(0x2U | 0x8U, serve);
	EXPECT_EQ(8 * 512LL, file_size(ns_file(self, 2)));
	EXPECT_EQ(-1LL, file_size(ns_file(self, 3)));
	EXPECT_EQ(8 * 512LL, file_size(ns_file(self, 4)));
	/* The create done without namespace 4 (the driver refused it). */
	leapio_wr_put_nscreate_done(&h->r, 7);
	EXPECT_TRUE(lio_pool_region_keeps(&h->r, 2));
	EXPECT_FALSE(lio_pool_region_keeps(&h->r, 4));
	lio_pool_close(&q);
	ASSERT_EQ(0, lio_pool_open(&q, UUID, &self->cfg, self->err, sizeof(self->err)));
	EXPECT_EQ(2 * 8 * 512ULL, lio_pool_used(&q));
	lio_pool_close(&q);
}

/*
 * The mdev made again (another instance): nothing of the record is the
 * new region's; the files are kept aside under their old instance, not
 * removed, and the record starts empty for the new one.
 */
TEST_F(pool, another_region_keeps_them_aside)
{
	struct fake_host *h = &self->h;
	char aside[200];
	u32 serve;

	ASSERT_EQ(0, lio_pool_attach(&self->p, &h->r, &serve, self->err,
				     sizeof(self->err)));
	ASSERT_EQ(NVME_SC_SUCCESS, lio_pool_create(&self->p, 5, 8, 9, self->err,
						   sizeof(self->err)));
	region_has(h, 5, 8, true);
	leapio_wr_put_instance(&h->r, 0x5678);
	ASSERT_EQ(0, lio_pool_attach(&self->p, &h->r, &serve, self->err,
				     sizeof(self->err)));
	EXPECT_EQ(0U, serve);
	EXPECT_EQ(-1LL, file_size(ns_file(self, 5)));
	snprintf(aside, sizeof(aside), "%s.orphan-1234", ns_file(self, 5));
	EXPECT_EQ(8 * 512LL, file_size(aside));
	EXPECT_EQ(0ULL, lio_pool_used(&self->p));
	EXPECT_EQ(0x5678ULL, self->p.instance);
}

/* A record that is not one: refused with its name, nothing guessed. */
TEST_F(pool, a_broken_record_is_refused)
{
	static const char *bad[] = {
		"{",
		"{\"instance\": \"1234\"}",
		"{\"instance\": \"xyz\", \"namespaces\": []}",
		"{\"instance\": \"1\", \"namespaces\": [{\"nsid\": 1, \"path\": \"/a\", \"bytes\": 512}]}",
		"{\"instance\": \"1\", \"namespaces\": [{\"nsid\": 2, \"path\": \"/a\", \"bytes\": 0}]}",
		"{\"instance\": \"1\", \"namespaces\": [{\"nsid\": 2, \"path\": \"/a\", \"bytes\": 512},"
		" {\"nsid\": 2, \"path\": \"/b\", \"bytes\": 512}]}",
	};
	char path[160];
	struct lio_pool q;
	unsigned int i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/pool-%s.json", self->dir, UUID);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		TH_LOG("%s", bad[i]);
		f = fopen(path, "w");
		ASSERT_NE(NULL, f);
		fputs(bad[i], f);
		fclose(f);
		EXPECT_NE(0, lio_pool_open(&q, UUID, &self->cfg, self->err,
					   sizeof(self->err)));
		EXPECT_NE(NULL, strstr(self->err, path));
	}
}

TEST_HARNESS_MAIN
