// SPDX-License-Identifier: GPL-2.0
/*
 * The leak check of tests/lib/lio_harness.h, checked: tests that leak
 * (in a TEST body, in a TEST_F body, in a fixture's setup that its
 * teardown forgets, in a skipped test) and tests that do not. Built by
 * tests/meta/run.sh with the unit build's flags, which asserts each
 * verdict; it is not a unit test (half of it fails on purpose).
 */
#include <pthread.h>
#include <stdlib.h>

#include "../lib/lio_harness.h"

/* A leak the compiler cannot drop: stored, then forgotten. */
static void *volatile sink;

struct alloc {
	void	**where;
	size_t	n;
};

static void *alloc_thread(void *arg)
{
	struct alloc *a = arg;

	*a->where = malloc(a->n);
	if (!*a->where)
		abort();
	return NULL;
}

/*
 * malloc(n) into *where from a thread of its own, gone before the check:
 * a pointer left in this thread's registers or stack would make
 * LeakSanitizer, which scans them, see the block as reachable (it did,
 * about once in twenty runs).
 */
static void alloc_into(void **where, size_t n)
{
	struct alloc a = { where, n };
	pthread_t t;

	if (pthread_create(&t, NULL, alloc_thread, &a) || pthread_join(t, NULL))
		abort();
}

static void leak(size_t n)
{
	alloc_into((void **)&sink, n);
	sink = NULL;
}

TEST(leak_in_test)
{
	leak(33);
}

TEST(no_leak)
{
	void *p = malloc(33);

	ASSERT_NE(NULL, p);
	free(p);
}

TEST(leak_in_skipped_test)
{
	leak(34);
	SKIP(return, "skipped, and leaked before that");
}

FIXTURE(buf) {
	char *p;
};

FIXTURE_SETUP(buf)
{
	self->p = malloc(64);
	ASSERT_NE(NULL, self->p);
}

FIXTURE_TEARDOWN(buf)
{
	free(self->p);
}

FIXTURE(lost) {
	char *p;
};

FIXTURE_SETUP(lost)
{
	alloc_into((void **)&self->p, 64);
}

/* Forgets self->p, which goes out of scope with the process's frame. */
FIXTURE_TEARDOWN(lost)
{
	self->p = NULL;
}

TEST_F(buf, leak_in_body)
{
	leak(35);
}

TEST_F(buf, no_leak)
{
	self->p[0] = 1;
}

TEST_F(lost, leak_in_setup)
{
	self->p[0] = 1;
}

TEST_HARNESS_MAIN
