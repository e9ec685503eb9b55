// SPDX-License-Identifier: GPL-2.0
/*
 * Write Uncorrectable's marks (runtime/core/uncor.c): the extent set
 * (merging, splitting, finding), the file in the state directory that
 * keeps them across restarts, and every way the file or its directory
 * can be wrong: nothing guessed, nothing half changed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/lio_harness.h"
#include "lio_env.h"
#include "../../runtime/core/uncor.h"

#define UUID	"0b6a1f2e-1c4d-4e8f-9a0b-123456789abc"
#define BACKEND	"/srv/disk.img@0"

FIXTURE(uncor) {
	char dir[64];
	char file[160];
	char err[256];
	struct lio_uncor u;
};

FIXTURE_SETUP(uncor)
{
	strcpy(self->dir, "/tmp/leapio-uncor-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	setenv("STATE_DIRECTORY", self->dir, 1);
	snprintf(self->file, sizeof(self->file), "%s/uncor-%s-1", self->dir,
		 UUID);
	ASSERT_EQ(0, lio_uncor_open(&self->u, UUID, 1, BACKEND, self->err,
				    sizeof(self->err)));
}

FIXTURE_TEARDOWN(uncor)
{
	char cmd[128];

	lio_uncor_close(&self->u);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	EXPECT_EQ(0, system(cmd));
}

/* The set as "lo-hi lo-hi ...", to compare with what a test expects. */
static const char *set_str(const struct lio_uncor *u)
{
	static char buf[512];
	size_t off = 0;
	u32 i;

	buf[0] = 0;
	for (i = 0; i < u->n && off < sizeof(buf) - 48; i++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%llu-%llu",
				i ? " " : "", (unsigned long long)u->x[i].lo,
				(unsigned long long)u->x[i].hi);
	return buf;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	fputs(text, f);
	fclose(f);
}

TEST_F(uncor, marks_merge_and_clears_split)
{
	struct lio_uncor *u = &self->u;

	ASSERT_EQ(0, lio_uncor_mark(u, 10, 5));		/* 10-15 */
	ASSERT_EQ(0, lio_uncor_mark(u, 30, 5));		/* 30-35 */
	ASSERT_EQ(0, lio_uncor_mark(u, 15, 2));		/* touches 10-15 */
	EXPECT_STREQ("10-17 30-35", set_str(u));
	ASSERT_EQ(0, lio_uncor_mark(u, 5, 40));		/* covers both */
	EXPECT_STREQ("5-45", set_str(u));
	ASSERT_EQ(0, lio_uncor_clear(u, 20, 3));
	EXPECT_STREQ("5-20 23-45", set_str(u));
	ASSERT_EQ(0, lio_uncor_clear(u, 0, 6));		/* the head */
	ASSERT_EQ(0, lio_uncor_clear(u, 40, 100));	/* the tail */
	EXPECT_STREQ("6-20 23-40", set_str(u));
	ASSERT_EQ(0, lio_uncor_clear(u, 100, 5));	/* nothing there */
	EXPECT_STREQ("6-20 23-40", set_str(u));
	ASSERT_EQ(0, lio_uncor_clear(u, 0, 1000));
	EXPECT_FALSE(lio_uncor_any(u));
}

TEST_F(uncor, find_gives_the_first_marked_block)
{
	struct lio_uncor *u = &self->u;
	u64 first = 0;

	ASSERT_EQ(0, lio_uncor_mark(u, 100, 10));
	ASSERT_EQ(0, lio_uncor_mark(u, 200, 1));
	EXPECT_FALSE(lio_uncor_find(u, 0, 100, &first));
	EXPECT_FALSE(lio_uncor_find(u, 110, 90, &first));
	ASSERT_TRUE(lio_uncor_find(u, 0, 101, &first));
	EXPECT_EQ(100ULL, first);
	ASSERT_TRUE(lio_uncor_find(u, 105, 1, &first));
	EXPECT_EQ(105ULL, first);
	ASSERT_TRUE(lio_uncor_find(u, 150, 51, &first));
	EXPECT_EQ(200ULL, first);
	EXPECT_FALSE(lio_uncor_find(u, 201, ~0ULL - 201, &first));
}

/* Closed and opened again: the marks are read back from the file. */
TEST_F(uncor, marks_outlive_the_runtime)
{
	struct lio_uncor *u = &self->u, other;

	ASSERT_EQ(0, lio_uncor_mark(u, 7, 1));
	ASSERT_EQ(0, lio_uncor_mark(u, 1ULL << 40, 3));
	lio_uncor_close(u);
	ASSERT_EQ(0, lio_uncor_open(u, UUID, 1, BACKEND, self->err,
				    sizeof(self->err)));
	EXPECT_STREQ("7-8 1099511627776-1099511627779", set_str(u));
	/* Another namespace of the vdev has its own file. */
	ASSERT_EQ(0, lio_uncor_open(&other, UUID, 2, BACKEND, self->err,
				    sizeof(self->err)));
	EXPECT_FALSE(lio_uncor_any(&other));
	lio_uncor_close(&other);
	/* All cleared: the file goes. */
	ASSERT_EQ(0, lio_uncor_clear(u, 0, ~0ULL));
	EXPECT_EQ(-1, access(self->file, F_OK));
}

/* Marks made on another backend are not this one's blocks. */
TEST_F(uncor, another_backend_drops_them)
{
	struct lio_uncor *u = &self->u;

	ASSERT_EQ(0, lio_uncor_mark(u, 7, 1));
	lio_uncor_close(u);
	ASSERT_EQ(0, lio_uncor_open(u, UUID, 1, "/srv/other.img@0", self->err,
				    sizeof(self->err)));
	EXPECT_FALSE(lio_uncor_any(u));
	/* Rebound (the operator moved the data): they follow it. */
	lio_uncor_close(u);
	ASSERT_EQ(0, lio_uncor_open(u, UUID, 1, BACKEND, self->err,
				    sizeof(self->err)));
	ASSERT_EQ(0, lio_uncor_rebind(u, "/srv/moved.img@4096"));
	lio_uncor_close(u);
	ASSERT_EQ(0, lio_uncor_open(u, UUID, 1, "/srv/moved.img@4096",
				    self->err, sizeof(self->err)));
	EXPECT_STREQ("7-8", set_str(u));
}

/* A file that is not what leapiod writes: refused, said where and why. */
TEST_F(uncor, bad_files_are_refused)
{
	static const char *const bad[] = {
		"leapio-uncor 2\nbackend " BACKEND "\n",
		"leapio-uncor 1\n",
		"leapio-uncor 1\nbackend " BACKEND "\n5 3\n",
		"leapio-uncor 1\nbackend " BACKEND "\n1 5\n5 9\n",
		"leapio-uncor 1\nbackend " BACKEND "\n1 5\nx\n",
		"leapio-uncor 1\nbackend " BACKEND "\n1 5 6\n",
	};
	unsigned int i;

	lio_uncor_close(&self->u);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file(self->file, bad[i]);
		EXPECT_EQ(-EINVAL, lio_uncor_open(&self->u, UUID, 1, BACKEND,
						  self->err, sizeof(self->err)));
		EXPECT_NE(NULL, strstr(self->err, self->file));
		EXPECT_NE(NULL, strstr(self->err, "remove the file"));
	}
	/* Unreadable is an error too (a directory where the file goes). */
	unlink(self->file);
	ASSERT_EQ(0, mkdir(self->file, 0700));
	EXPECT_NE(0, lio_uncor_open(&self->u, UUID, 1, BACKEND, self->err,
				    sizeof(self->err)));
	rmdir(self->file);
	ASSERT_EQ(0, lio_uncor_open(&self->u, UUID, 1, BACKEND, self->err,
				    sizeof(self->err)));
}

/*
 * The state directory cannot take the file: the command's change is
 * refused and the set stays as it was, in memory as on disk.
 */
TEST_F(uncor, unwritable_state_leaves_everything_as_it_was)
{
	struct lio_uncor *u = &self->u;
	char cmd[400];

	ASSERT_EQ(0, lio_uncor_mark(u, 10, 10));
	/* The file's place taken by a directory that is not empty. */
	snprintf(cmd, sizeof(cmd), "rm -f %s && mkdir -p %s/x", self->file,
		 self->file);
	ASSERT_EQ(0, system(cmd));
	EXPECT_NE(0, lio_uncor_mark(u, 50, 1));
	EXPECT_NE(0, lio_uncor_clear(u, 12, 2));
	EXPECT_STREQ("10-20", set_str(u));
}

/* A state directory that does not exist yet is made, parents and all. */
TEST_F(uncor, state_directory_is_made)
{
	char sub[96], file[200];

	lio_uncor_close(&self->u);
	snprintf(sub, sizeof(sub), "%s/var/lib/leapio", self->dir);
	setenv("STATE_DIRECTORY", sub, 1);
	ASSERT_EQ(0, lio_uncor_open(&self->u, UUID, 1, BACKEND, self->err,
				    sizeof(self->err)));
	ASSERT_EQ(0, lio_uncor_mark(&self->u, 3, 1));
	snprintf(file, sizeof(file), "%s/uncor-%s-1", sub, UUID);
	EXPECT_EQ(0, access(file, R_OK));
}

/* A guest marking every other block stops at the cap, set unchanged. */
TEST_F(uncor, scattered_marks_are_capped)
{
	struct lio_uncor *u = &self->u;
	u32 i;

	/*
	 * In memory: the cap is the same, and 4096 fsync'ed rewrites of a
	 * growing file take seconds, or past the harness's bound on a busy
	 * disk.
	 */
	lio_uncor_close(u);
	lio_uncor_init_mem(u);

	for (i = 0; i < LIO_UNCOR_MAX_EXTENTS; i++)
		ASSERT_EQ(0, lio_uncor_mark(u, 2ULL * i, 1));
	EXPECT_EQ(-ENOSPC, lio_uncor_mark(u, 2ULL * i, 1));
	/* Splitting one in two is past it as well. */
	ASSERT_EQ(0, lio_uncor_mark(u, 2ULL * i - 3, 1));	/* joins two */
	EXPECT_EQ((u32)LIO_UNCOR_MAX_EXTENTS - 1, u->n);
	ASSERT_EQ(0, lio_uncor_mark(u, 2ULL * i + 8, 4));
	EXPECT_EQ(-ENOSPC, lio_uncor_clear(u, 2ULL * i + 9, 1));
	EXPECT_EQ((u32)LIO_UNCOR_MAX_EXTENTS, u->n);
}

TEST_HARNESS_MAIN
