// SPDX-License-Identifier: GPL-2.0
/*
 * Write Uncorrectable's marks in the region's lbas part (runtime/core/
 * lbas.c): what a runtime publishes, as the part's rules say (sorted,
 * apart, seq even, gen bumped and never 0 again), other namespaces'
 * extents kept; what a runtime attaching does with a part that is new
 * (publishes its file's set), published (takes it, into its file), torn
 * or broken (keeps its file's); every change of the set published
 * through the hook; too many extents leave the part torn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/lio_harness.h"
#include "lio_env.h"
#include "../../uapi/linux/leapio_region.h"
#include "../../runtime/core/lbas.h"

#define UUID	"0b6a1f2e-1c4d-4e8f-9a0b-123456789abc"
#define BACKEND	"/srv/disk.img@0"

FIXTURE(lbas) {
	char dir[64];
	char file[160];
	char err[256];
	struct leapio_lbas *l;
	struct lio_uncor u;
};

FIXTURE_SETUP(lbas)
{
	strcpy(self->dir, "/tmp/leapio-lbas-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	setenv("STATE_DIRECTORY", self->dir, 1);
	snprintf(self->file, sizeof(self->file), "%s/uncor-%s-1", self->dir,
		 UUID);
	self->l = calloc(1, sizeof(*self->l));
	ASSERT_NE(NULL, self->l);
	ASSERT_EQ(0, lio_uncor_open(&self->u, UUID, 1, BACKEND, self->err,
				    sizeof(self->err)));
}

FIXTURE_TEARDOWN(lbas)
{
	char cmd[128];

	lio_uncor_close(&self->u);
	free(self->l);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	EXPECT_EQ(0, system(cmd));
}

/* The part as "nsid:slba+nlb ..." (seq must be even). */
static const char *part_str(const struct leapio_lbas *l)
{
	static char buf[512];
	size_t off = 0;
	u32 i;

	buf[0] = 0;
	if (l->seq & 1)
		return "torn";
	for (i = 0; i < l->count && off < sizeof(buf) - 64; i++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%u:%llu+%llu",
				i ? " " : "", l->ext[i].nsid,
				(unsigned long long)l->ext[i].slba,
				(unsigned long long)l->ext[i].nlb);
	return buf;
}

static void put(struct leapio_lbas *l, u32 i, u32 nsid, u64 slba, u64 nlb)
{
	l->ext[i].nsid = nsid;
	l->ext[i].slba = slba;
	l->ext[i].nlb = nlb;
}

/* A part another runtime published: gen 5, the given count. */
static void published(struct leapio_lbas *l, u32 count)
{
	l->seq = 10;
	l->count = count;
	l->gen = 5;
}

/* What the marks file of u holds, the lines after its header. */
static const char *file_str(const struct lio_uncor *u)
{
	static char buf[512];
	char line[128];
	size_t off = 0;
	FILE *f = fopen(u->path, "r");
	int no = 0;

	buf[0] = 0;
	if (!f)
		return "no file";
	while (fgets(line, sizeof(line), f) && off < sizeof(buf) - 128)
		if (++no > 2)
			off += snprintf(buf + off, sizeof(buf) - off, "%s%.*s",
					off ? " " : "", (int)strcspn(line, "\n"),
					line);
	fclose(f);
	return buf;
}

TEST_F(lbas, publish_writes_the_set_and_bumps_gen)
{
	ASSERT_EQ(0, lio_uncor_mark(&self->u, 10, 4));
	ASSERT_EQ(0, lio_uncor_mark(&self->u, 100, 1));
	ASSERT_EQ(0, lio_lbas_publish(self->l, 1, &self->u));
	EXPECT_STREQ("1:10+4 1:100+1", part_str(self->l));
	EXPECT_EQ(2U, self->l->seq);
	EXPECT_EQ(1U, self->l->gen);
	ASSERT_EQ(0, lio_uncor_clear(&self->u, 0, 1000));
	ASSERT_EQ(0, lio_lbas_publish(self->l, 1, &self->u));
	EXPECT_STREQ("", part_str(self->l));
	EXPECT_EQ(4U, self->l->seq);
	EXPECT_EQ(2U, self->l->gen);
}

TEST_F(lbas, other_namespaces_are_kept)
{
	put(self->l, 0, 1, 5, 1);
	put(self->l, 1, 2, 7, 2);
	put(self->l, 2, 2, 20, 2);
	put(self->l, 3, 3, 0, 9);
	published(self->l, 4);
	ASSERT_EQ(0, lio_uncor_mark(&self->u, 30, 3));
	ASSERT_EQ(0, lio_uncor_mark(&self->u, 40, 1));
	ASSERT_EQ(0, lio_uncor_mark(&self->u, 50, 1));
	ASSERT_EQ(0, lio_lbas_publish(self->l, 2, &self->u));
	EXPECT_STREQ("1:5+1 2:30+3 2:40+1 2:50+1 3:0+9", part_str(self->l));
	EXPECT_EQ(6U, self->l->gen);
	/* Fewer than before: the ones after move down. */
	ASSERT_EQ(0, lio_uncor_clear(&self->u, 0, 45));
	ASSERT_EQ(0, lio_lbas_publish(self->l, 2, &self->u));
	EXPECT_STREQ("1:5+1 2:50+1 3:0+9", part_str(self->l));
}

TEST_F(lbas, gen_never_wraps_to_zero)
{
	published(self->l, 0);
	self->l->gen = 0xffffffff;
	ASSERT_EQ(0, lio_lbas_publish(self->l, 1, &self->u));
	EXPECT_EQ(1U, self->l->gen);
}

TEST_F(lbas, new_region_gets_the_files_set)
{
	bool taken = true;

	ASSERT_EQ(0, lio_uncor_mark(&self->u, 8, 8));
	ASSERT_EQ(0, lio_lbas_attach(self->l, 1, &self->u, &taken));
	EXPECT_FALSE(taken);
	EXPECT_STREQ("1:8+8", part_str(self->l));
	EXPECT_NE(0U, self->l->gen);
}

/* Even an empty set is published: the next runtime then takes "none". */
TEST_F(lbas, new_region_gets_an_empty_set_too)
{
	bool taken;

	ASSERT_EQ(0, lio_lbas_attach(self->l, 1, &self->u, &taken));
	EXPECT_FALSE(taken);
	EXPECT_STREQ("", part_str(self->l));
	EXPECT_NE(0U, self->l->gen);
}

TEST_F(lbas, published_set_is_taken_into_the_file)
{
	bool taken = false;

	ASSERT_EQ(0, lio_uncor_mark(&self->u, 500, 1));	/* stale */
	put(self->l, 0, 1, 3, 2);
	put(self->l, 1, 1, 9, 1);
	put(self->l, 2, 2, 1, 1);
	published(self->l, 3);
	ASSERT_EQ(0, lio_lbas_attach(self->l, 1, &self->u, &taken));
	EXPECT_TRUE(taken);
	ASSERT_EQ(2U, self->u.n);
	EXPECT_EQ(3ULL, self->u.x[0].lo);
	EXPECT_EQ(5ULL, self->u.x[0].hi);
	EXPECT_EQ(9ULL, self->u.x[1].lo);
	EXPECT_STREQ("3 5 9 10", file_str(&self->u));
	/* The part itself is as it was. */
	EXPECT_STREQ("1:3+2 1:9+1 2:1+1", part_str(self->l));
}

TEST_F(lbas, published_empty_set_clears_stale_marks)
{
	bool taken = false;

	ASSERT_EQ(0, lio_uncor_mark(&self->u, 500, 1));
	published(self->l, 0);
	ASSERT_EQ(0, lio_lbas_attach(self->l, 1, &self->u, &taken));
	EXPECT_TRUE(taken);
	EXPECT_EQ(0U, self->u.n);
	EXPECT_EQ(-1, access(self->u.path, F_OK));
}

TEST_F(lbas, torn_or_broken_part_is_not_taken)
{
	bool taken;

	ASSERT_EQ(0, lio_uncor_mark(&self->u, 7, 1));
	put(self->l, 0, 1, 3, 2);
	published(self->l, 1);
	self->l->seq = 11;		/* killed while writing */
	ASSERT_EQ(0, lio_lbas_attach(self->l, 1, &self->u, &taken));
	EXPECT_FALSE(taken);
	EXPECT_STREQ("1:7+1", part_str(self->l));

	/* Out of order, touching, empty, too many, wrapping: each refused. */
	put(self->l, 0, 1, 9, 2);
	put(self->l, 1, 1, 3, 2);
	published(self->l, 2);
	ASSERT_EQ(0, lio_lbas_attach(self->l, 1, &self->u, &taken));
	EXPECT_FALSE(taken);
	put(self->l, 0, 1, 3, 2);
	put(self->l, 1, 1, 5, 2);
	published(self->l, 2);
	ASSERT_EQ(0, lio_lbas_attach(self->l, 1, &self->u, &taken));
	EXPECT_FALSE(taken);
	put(self->l, 0, 1, 3, 0);
	published(self->l, 1);
	ASSERT_EQ(0, lio_lbas_attach(self->l, 1, &self->u, &taken));
	EXPECT_FALSE(taken);
	published(self->l, LEAPIO_LBAS_MAX + 1);
	ASSERT_EQ(0, lio_lbas_attach(self->l, 1, &self->u, &taken));
	EXPECT_FALSE(taken);
	put(self->l, 0, 1, ~0ULL - 1, 4);
	published(self->l, 1);
	ASSERT_EQ(0, lio_lbas_attach(self->l, 1, &self->u, &taken));
	EXPECT_FALSE(taken);
	/* Each time the file's set went out instead. */
	EXPECT_STREQ("1:7+1", part_str(self->l));
	EXPECT_STREQ("7 8", file_str(&self->u));
}

/*
 * The state file was made on another backend: the namespace moved, and
 * the region's marks (the old backend's) are not taken; the file's
 * (none) go out instead.
 */
TEST_F(lbas, marks_of_another_backend_are_not_taken)
{
	bool taken = true;
	FILE *f;

	lio_uncor_close(&self->u);
	f = fopen(self->file, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "leapio-uncor 1\nbackend /old/disk@0\n5 9\n");
	fclose(f);
	ASSERT_EQ(0, lio_uncor_open(&self->u, UUID, 1, BACKEND, self->err,
				    sizeof(self->err)));
	EXPECT_TRUE(self->u.other_backend);
	put(self->l, 0, 1, 5, 4);
	published(self->l, 1);
	ASSERT_EQ(0, lio_lbas_attach(self->l, 1, &self->u, &taken));
	EXPECT_FALSE(taken);
	EXPECT_EQ(0U, self->u.n);
	EXPECT_STREQ("", part_str(self->l));
}

static int hook_ret = -1;

static void publish_hook(const struct lio_uncor *u, void *ctx)
{
	hook_ret = lio_lbas_publish(ctx, 1, u);
}

TEST_F(lbas, every_change_is_published_through_the_hook)
{
	self->u.changed = publish_hook;
	self->u.changed_ctx = self->l;
	ASSERT_EQ(0, lio_uncor_mark(&self->u, 10, 4));
	EXPECT_EQ(0, hook_ret);
	EXPECT_STREQ("1:10+4", part_str(self->l));
	ASSERT_EQ(0, lio_uncor_clear(&self->u, 11, 1));
	EXPECT_STREQ("1:10+1 1:12+2", part_str(self->l));
	EXPECT_EQ(2U, self->l->gen);
	/* Clearing what holds no mark changes nothing, publishes nothing. */
	ASSERT_EQ(0, lio_uncor_clear(&self->u, 100, 1));
	EXPECT_EQ(2U, self->l->gen);
}

TEST_F(lbas, too_many_extents_leave_the_part_torn)
{
	u32 i;

	for (i = 0; i < LEAPIO_LBAS_MAX; i++)
		put(self->l, i, 2, 2ULL * i, 1);
	published(self->l, LEAPIO_LBAS_MAX);
	ASSERT_EQ(0, lio_uncor_mark(&self->u, 1, 1));
	EXPECT_EQ(-ENOSPC, lio_lbas_publish(self->l, 1, &self->u));
	EXPECT_STREQ("torn", part_str(self->l));
}

TEST_F(lbas, set_refuses_what_is_not_a_set)
{
	struct lio_uncor_ext bad[2] = { { 5, 9 }, { 9, 12 } };

	EXPECT_EQ(-EINVAL, lio_uncor_set(&self->u, bad, 2));
	bad[1].lo = 3;
	EXPECT_EQ(-EINVAL, lio_uncor_set(&self->u, bad, 2));
	bad[0].hi = 5;
	EXPECT_EQ(-EINVAL, lio_uncor_set(&self->u, bad, 1));
	EXPECT_EQ(0U, self->u.n);
}

TEST_HARNESS_MAIN
