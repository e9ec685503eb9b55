// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem-server's protocol logic (tools/ivshmem-server/proto.c) and
 * command line (args.c), without sockets: a recording send function
 * stands in for sendmsg() and lists every message in order.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/lio_harness.h"
#include "../../tools/ivshmem-server/args.h"
#include "../../tools/ivshmem-server/proto.h"

/* ---- messages ---- */

TEST(msg_is_little_endian)
{
	unsigned char b[IVS_MSG_SIZE];
	static const unsigned char want[IVS_MSG_SIZE] = {
		0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01 };

	ivs_msg_encode(0x0102030405060708LL, b);
	EXPECT_EQ(0, memcmp(b, want, sizeof(want)));
	EXPECT_EQ(0x0102030405060708LL, ivs_msg_decode(b));
	ivs_msg_encode(-1, b);
	for (int i = 0; i < IVS_MSG_SIZE; i++)
		EXPECT_EQ(0xff, b[i]);
	EXPECT_EQ(-1, ivs_msg_decode(b));
	ivs_msg_encode(65535, b);
	EXPECT_EQ(0xff, b[0]);
	EXPECT_EQ(0xff, b[1]);
	EXPECT_EQ(0, b[2]);
	EXPECT_EQ(65535, ivs_msg_decode(b));
}

/* ---- a recording send function ---- */

struct sent {
	int	sock;
	int64_t	value;
	int	fd;
};

struct recorder {
	struct sent	msg[256];
	unsigned int	n;
	int		fail_sock;	/* a send to this socket fails */
	unsigned int	fail_after;	/* ... after this many went through */
};

static int record(void *ctx, int sock, int64_t value, int fd)
{
	struct recorder *r = ctx;

	if (sock == r->fail_sock) {
		if (!r->fail_after)
			return -EPIPE;
		r->fail_after--;
	}
	if (r->n == 256)
		return -ENOSPC;
	r->msg[r->n++] = (struct sent){ sock, value, fd };
	return 0;
}

/* The messages of r sent to sock, in order, from *pos on. */
static const struct sent *next_to(const struct recorder *r, int sock,
				  unsigned int *pos)
{
	for (; *pos < r->n; (*pos)++)
		if (r->msg[*pos].sock == sock)
			return &r->msg[(*pos)++];
	return NULL;
}

static unsigned int count_to(const struct recorder *r, int sock)
{
	unsigned int i, c = 0;

	for (i = 0; i < r->n; i++)
		c += r->msg[i].sock == sock;
	return c;
}

/* Peer sockets are 100 + n, their eventfds 1000 + 10 * n + vector. */
static struct ivs_peer *add(struct __test_metadata *_metadata,
			    struct ivs_table *t, int n)
{
	int efd[IVS_MAX_VECTORS];
	struct ivs_peer *p = NULL;

	for (unsigned int v = 0; v < t->vectors; v++)
		efd[v] = 1000 + 10 * n + (int)v;
	EXPECT_EQ(0, ivs_table_add(t, 100 + n, efd, &p));
	return p;
}

#define EXPECT_MSG(r, sock, pos, val, fdv) do {				\
	const struct sent *__m = next_to(r, sock, pos);			\
	ASSERT_NE(NULL, __m) TH_LOG("no message %lld to %d", (long long)(val), sock); \
	EXPECT_EQ((int64_t)(val), __m->value);				\
	EXPECT_EQ(fdv, __m->fd);					\
} while (0)

#define SHM	7

TEST(table_vectors_bounds)
{
	struct ivs_table t;

	EXPECT_EQ(-EINVAL, ivs_table_init(&t, 0));
	ivs_table_fini(&t);
	EXPECT_EQ(-EINVAL, ivs_table_init(&t, IVS_MAX_VECTORS + 1));
	ivs_table_fini(&t);
	ASSERT_EQ(0, ivs_table_init(&t, IVS_MAX_VECTORS));
	EXPECT_EQ(NULL, ivs_table_next(&t, NULL));
	ivs_table_fini(&t);
	ASSERT_EQ(0, ivs_table_init(&t, 1));
	ivs_table_fini(&t);
}

TEST(ids_lowest_free_and_reused)
{
	struct ivs_peer *p[4], *q;
	struct ivs_table t;

	ASSERT_EQ(0, ivs_table_init(&t, 2));
	for (int i = 0; i < 4; i++) {
		p[i] = add(_metadata, &t, i);
		ASSERT_NE(NULL, p[i]);
		EXPECT_EQ(i, p[i]->id);
		EXPECT_EQ(100 + i, p[i]->sock);
		EXPECT_EQ(1000 + 10 * i + 1, p[i]->efd[1]);
		EXPECT_FALSE(p[i]->broken);
	}
	EXPECT_EQ(4U, t.nr_peers);
	ivs_table_del(&t, p[1]);
	EXPECT_EQ(NULL, ivs_table_get(&t, 1));
	EXPECT_EQ(p[2], ivs_table_get(&t, 2));
	EXPECT_EQ(NULL, ivs_table_get(&t, IVS_MAX_PEERS));
	/* The walk skips the hole, in id order. */
	EXPECT_EQ(p[0], ivs_table_next(&t, NULL));
	EXPECT_EQ(p[2], ivs_table_next(&t, p[0]));
	EXPECT_EQ(p[3], ivs_table_next(&t, p[2]));
	EXPECT_EQ(NULL, ivs_table_next(&t, p[3]));
	q = add(_metadata, &t, 9);
	ASSERT_NE(NULL, q);
	EXPECT_EQ(1, q->id);
	q = add(_metadata, &t, 10);
	ASSERT_NE(NULL, q);
	EXPECT_EQ(4, q->id);
	EXPECT_EQ(NULL, ivs_table_first_broken(&t));
	p[2]->broken = true;
	EXPECT_EQ(p[2], ivs_table_first_broken(&t));
	ivs_table_fini(&t);	/* frees what is left */
}

/* Ids stay within the doorbell's 16 bits: the 65537th peer is refused. */
TEST(ids_fit_the_doorbell)
{
	struct ivs_peer *p = NULL;
	struct ivs_table t;
	int efd = -1;
	unsigned int i;

	ASSERT_EQ(0, ivs_table_init(&t, 1));
	for (i = 0; i < IVS_MAX_PEERS; i++) {
		ASSERT_EQ(0, ivs_table_add(&t, (int)i, &efd, &p));
		ASSERT_EQ(i, p->id);
	}
	EXPECT_EQ(-ENOSPC, ivs_table_add(&t, 1, &efd, &p));
	EXPECT_EQ(65535, p->id);
	ivs_table_del(&t, ivs_table_get(&t, 40000));
	ASSERT_EQ(0, ivs_table_add(&t, 1, &efd, &p));
	EXPECT_EQ(40000, p->id);
	EXPECT_EQ(-ENOSPC, ivs_table_add(&t, 1, &efd, &p));
	ivs_table_fini(&t);
}

TEST(welcome_first_peer)
{
	struct recorder r = { .fail_sock = -1 };
	struct ivs_table t;
	struct ivs_peer *a;
	unsigned int pos = 0;

	ASSERT_EQ(0, ivs_table_init(&t, 2));
	a = add(_metadata, &t, 0);
	ASSERT_NE(NULL, a);
	ASSERT_EQ(0, ivs_welcome(&t, a, SHM, record, &r));
	ASSERT_EQ(5U, r.n);
	EXPECT_MSG(&r, 100, &pos, IVS_PROTO_VERSION, -1);
	EXPECT_MSG(&r, 100, &pos, 0, -1);
	EXPECT_MSG(&r, 100, &pos, -1, SHM);
	EXPECT_MSG(&r, 100, &pos, 0, 1000);
	EXPECT_MSG(&r, 100, &pos, 0, 1001);
	ivs_table_fini(&t);
}

/*
 * The third peer hears of the two before it (vector order), then of
 * itself; the two before hear of it, and nothing else is sent.
 */
TEST(welcome_third_peer)
{
	struct recorder r = { .fail_sock = -1 };
	struct ivs_peer *c;
	struct ivs_table t;
	unsigned int pos = 0, p0 = 0, p1 = 0;

	ASSERT_EQ(0, ivs_table_init(&t, 2));
	add(_metadata, &t, 0);
	add(_metadata, &t, 1);
	c = add(_metadata, &t, 2);
	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, ivs_welcome(&t, c, SHM, record, &r));
	EXPECT_EQ(9U, count_to(&r, 102));
	EXPECT_MSG(&r, 102, &pos, 0, -1);
	EXPECT_MSG(&r, 102, &pos, 2, -1);
	EXPECT_MSG(&r, 102, &pos, -1, SHM);
	EXPECT_MSG(&r, 102, &pos, 0, 1000);
	EXPECT_MSG(&r, 102, &pos, 0, 1001);
	EXPECT_MSG(&r, 102, &pos, 1, 1010);
	EXPECT_MSG(&r, 102, &pos, 1, 1011);
	EXPECT_MSG(&r, 102, &pos, 2, 1020);
	EXPECT_MSG(&r, 102, &pos, 2, 1021);
	/* The newcomer is told everything before anyone hears of it. */
	EXPECT_EQ(102, r.msg[8].sock);
	EXPECT_EQ(2U, count_to(&r, 100));
	EXPECT_MSG(&r, 100, &p0, 2, 1020);
	EXPECT_MSG(&r, 100, &p0, 2, 1021);
	EXPECT_EQ(2U, count_to(&r, 101));
	EXPECT_MSG(&r, 101, &p1, 2, 1020);
	EXPECT_MSG(&r, 101, &p1, 2, 1021);
	EXPECT_EQ(13U, r.n);
	ivs_table_fini(&t);
}

/* A newcomer that cannot be told: no one else hears of it. */
TEST(welcome_fails_to_newcomer)
{
	struct recorder r = { .fail_sock = 101, .fail_after = 3 };
	struct ivs_peer *b;
	struct ivs_table t;

	ASSERT_EQ(0, ivs_table_init(&t, 1));
	add(_metadata, &t, 0);
	b = add(_metadata, &t, 1);
	ASSERT_NE(NULL, b);
	EXPECT_EQ(-EPIPE, ivs_welcome(&t, b, SHM, record, &r));
	EXPECT_EQ(3U, r.n);
	EXPECT_EQ(0U, count_to(&r, 100));
	EXPECT_FALSE(ivs_table_get(&t, 0)->broken);
	ivs_table_fini(&t);
}

/*
 * A peer that cannot be told of the newcomer is marked broken, the others
 * are still told; a broken peer is announced to the next newcomer (who
 * will hear of its departure) but is not told of it.
 */
TEST(welcome_breaks_a_peer)
{
	struct recorder r = { .fail_sock = 101 };
	struct ivs_peer *a, *b, *c, *d;
	struct ivs_table t;
	unsigned int pos = 0;

	ASSERT_EQ(0, ivs_table_init(&t, 1));
	a = add(_metadata, &t, 0);
	b = add(_metadata, &t, 1);
	c = add(_metadata, &t, 2);
	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, ivs_welcome(&t, c, SHM, record, &r));
	EXPECT_FALSE(a->broken);
	EXPECT_TRUE(b->broken);
	EXPECT_FALSE(c->broken);
	EXPECT_EQ(1U, count_to(&r, 100));
	EXPECT_EQ(ivs_table_first_broken(&t), b);

	r.n = 0;
	d = add(_metadata, &t, 3);
	ASSERT_NE(NULL, d);
	ASSERT_EQ(0, ivs_welcome(&t, d, SHM, record, &r));
	EXPECT_EQ(0U, count_to(&r, 101));
	pos = 3;
	EXPECT_MSG(&r, 103, &pos, 0, 1000);
	EXPECT_MSG(&r, 103, &pos, 1, 1010);
	EXPECT_MSG(&r, 103, &pos, 2, 1020);
	EXPECT_MSG(&r, 103, &pos, 3, 1030);
	ivs_table_fini(&t);
}

TEST(farewell)
{
	struct recorder r = { .fail_sock = 102 };
	struct ivs_peer *p[4];
	struct ivs_table t;
	unsigned int pos = 0;

	ASSERT_EQ(0, ivs_table_init(&t, 3));
	for (int i = 0; i < 4; i++)
		p[i] = add(_metadata, &t, i);
	p[3]->broken = true;
	ivs_table_del(&t, p[1]);
	ivs_farewell(&t, 1, record, &r);
	/* To 0 (and 2, whose send failed), not to the broken 3. */
	ASSERT_EQ(1U, r.n);
	EXPECT_MSG(&r, 100, &pos, 1, -1);
	EXPECT_TRUE(p[2]->broken);
	EXPECT_FALSE(p[0]->broken);
	ivs_table_fini(&t);
}

/* ---- the command line ---- */

static int parse(struct ivs_args *a, char *err, ...)
{
	char *argv[32] = { "ivshmem-server" };
	int argc = 1;
	va_list ap;

	va_start(ap, err);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	err[0] = '\0';
	return ivs_args_parse(argc, argv, a, err, 256);
}

TEST(args_good)
{
	struct ivs_args a;
	char err[256];

	ASSERT_EQ(0, parse(&a, err, "-S", "/tmp/s", "-m", "/dev/shm/m", "-l", "4G", NULL))
		TH_LOG("%s", err);
	EXPECT_STREQ("/tmp/s", a.sock_path);
	EXPECT_STREQ("/dev/shm/m", a.shm_path);
	EXPECT_EQ(1ULL << 32, a.size);
	EXPECT_EQ(1U, a.vectors);
	EXPECT_FALSE(a.foreground);
	EXPECT_EQ(NULL, a.pidfile);
	ASSERT_EQ(0, parse(&a, err, "-F", "-n", "64", "-p", "/run/p", "-l", "4096",
			   "-S", "s", "-m", "m", NULL)) TH_LOG("%s", err);
	EXPECT_EQ(4096U, a.size);
	EXPECT_EQ(64U, a.vectors);
	EXPECT_TRUE(a.foreground);
	EXPECT_STREQ("/run/p", a.pidfile);
	ASSERT_EQ(0, parse(&a, err, "-l", "1T", "-S", "s", "-m", "m", NULL));
	EXPECT_EQ(1ULL << 40, a.size);
	ASSERT_EQ(0, parse(&a, err, "-h", NULL));
	EXPECT_TRUE(a.help);
}

#define REFUSED(want, ...) do {						\
	struct ivs_args __a;						\
	char __e[256];							\
	EXPECT_EQ(-EINVAL, parse(&__a, __e, __VA_ARGS__, NULL));	\
	EXPECT_NE(NULL, strstr(__e, want)) TH_LOG("\"%s\" lacks \"%s\"", __e, want); \
} while (0)

TEST(args_refused)
{
	REFUSED("-S SOCKET is required", "-m", "m", "-l", "1M");
	REFUSED("-m MEMFILE is required", "-S", "s", "-l", "1M");
	REFUSED("-l SIZE is required", "-S", "s", "-m", "m");
	REFUSED("-l '3000': the size must be a power of two", "-S", "s", "-m", "m", "-l", "3000");
	REFUSED("-l '0': the size must be a power of two", "-S", "s", "-m", "m", "-l", "0");
	REFUSED("-l '2K': the size must be from 4K to 1T", "-S", "s", "-m", "m", "-l", "2K");
	REFUSED("-l '2T': the size must be from 4K to 1T", "-S", "s", "-m", "m", "-l", "2T");
	REFUSED("-l '1X': not a size", "-S", "s", "-m", "m", "-l", "1X");
	REFUSED("-l '1MB': not a size", "-S", "s", "-m", "m", "-l", "1MB");
	REFUSED("-l '-4096': not a size", "-S", "s", "-m", "m", "-l", "-4096");
	REFUSED("-l '': not a size", "-S", "s", "-m", "m", "-l", "");
	REFUSED("-l '99999999999999999999': not a size", "-S", "s", "-m", "m",
		"-l", "99999999999999999999");
	REFUSED("-l '99999999999T': not a size", "-S", "s", "-m", "m", "-l", "99999999999T");
	REFUSED("-n '0': vectors per peer must be a number from 1 to 64",
		"-S", "s", "-m", "m", "-l", "1M", "-n", "0");
	REFUSED("-n '65': vectors", "-S", "s", "-m", "m", "-l", "1M", "-n", "65");
	REFUSED("-n '2K': vectors", "-S", "s", "-m", "m", "-l", "1M", "-n", "2K");
	REFUSED("-n '': vectors", "-S", "s", "-m", "m", "-l", "1M", "-n", "");
	REFUSED("-S: the socket path is empty", "-S", "", "-m", "m", "-l", "1M");
	REFUSED("-m: the memory file path is empty", "-S", "s", "-m", "", "-l", "1M");
	REFUSED("-p: the pid file path is empty", "-S", "s", "-m", "m", "-l", "1M", "-p", "");
	REFUSED("-l needs a value", "-S", "s", "-m", "m", "-l");
	REFUSED("unknown option '-x'", "-S", "s", "-x", "-m", "m", "-l", "1M");
	REFUSED("unexpected argument 'extra'", "-S", "s", "-m", "m", "-l", "1M", "extra");
}

TEST(parse_size)
{
	uint64_t v;

	ASSERT_EQ(0, ivs_parse_size("4K", &v));
	EXPECT_EQ(4096U, v);
	ASSERT_EQ(0, ivs_parse_size("3M", &v));
	EXPECT_EQ(3U << 20, v);
	ASSERT_EQ(0, ivs_parse_size("2G", &v));
	EXPECT_EQ(2ULL << 30, v);
	ASSERT_EQ(0, ivs_parse_size("18446744073709551615", &v));
	EXPECT_EQ(UINT64_MAX, v);
	EXPECT_EQ(-EINVAL, ivs_parse_size("18446744073709551616", &v));
	EXPECT_EQ(-EINVAL, ivs_parse_size("16777216T", &v));
	EXPECT_EQ(-EINVAL, ivs_parse_size("k", &v));
	EXPECT_EQ(-EINVAL, ivs_parse_size("4k", &v));
	EXPECT_EQ(-EINVAL, ivs_parse_size(" 4K", &v));
}

TEST_HARNESS_MAIN
