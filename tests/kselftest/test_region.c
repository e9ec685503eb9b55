// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/leapio and the shared region, from a stand-in runtime: attaching by
 * UUID (one runtime at a time, again after detaching), the header and the
 * identity, mmap offsets and lengths, MAP requests through the mailbox
 * (tables valid and the guest window showing the guest's bytes; unmapped
 * and anonymous memory refused), pins counted in sysfs and dropped at DMA
 * unmap and at close, SIGBUS for what is not pinned, bad mailbox requests,
 * the MSI-X eventfds handed out, an mdev removed under its runtime.
 *
 * The stand-in runtime acks every seq bump from a thread woken by its wake
 * eventfd, as leapiod does, so the driver's waits end at once.
 */
#define _GNU_SOURCE	/* memfd_create() */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lio_test.h"
#include "hand_rt.h"
#include "../../uapi/linux/leapio_region.h"

/* Attach to l's mdev, map the region and the window, start acking. */
static void rt_open(struct __test_metadata *_metadata, struct rt *rt,
		    const struct lio *l)
{
	ASSERT_EQ(0, hand_rt_open(rt, l->mdev.uuid, true));
}

/* One mailbox request: 0 and its result in *res, or the KICK's -errno. */
static int mbox(struct rt *rt, uint32_t op, uint64_t arg0, uint64_t arg1,
		int32_t *res)
{
	struct leapio_mbox *mb = rt->v.mbox;
	uint32_t prod = mb->prod;
	struct leapio_mbox_msg *m = &mb->msg[prod % LEAPIO_MBOX_ENTRIES];

	m->op = op;
	m->arg0 = arg0;
	m->arg1 = arg1;
	m->result = 1;
	__atomic_store_n(&mb->prod, prod + 1, __ATOMIC_RELEASE);
	if (ioctl(rt->fd, LEAPIO_VDEV_IOC_KICK) < 0)
		return -errno;
	if (__atomic_load_n(&mb->cons, __ATOMIC_ACQUIRE) != prod + 1)
		return -EPROTO;
	*res = m->result;
	return 0;
}

#define MBOX(rt, op, a0, a1) ({ int32_t __r = 1; \
	{ ASSERT_EQ(0, mbox((rt), (op), (a0), (a1), &__r)); } __r; })
#define MAP(rt, gpa, len)	MBOX(rt, LEAPIO_MBOX_MAP, gpa, len)

static unsigned long long attr_u64(struct __test_metadata *_metadata,
				   const struct lio *l, const char *name)
{
	unsigned long long v = ~0ULL;

	ASSERT_EQ(0, mdev_attr_read_u64(&l->mdev, name, &v));
	return v;
}

#define PINNED(l)	attr_u64(_metadata, (l), LEAPIO_SYSFS_PINNED_PAGES)

/* The signal a read of p kills a child with, 0 if it survives. */
static int touch_sig(const volatile uint8_t *p)
{
	struct rlimit no_core = { 0, 0 };
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		setrlimit(RLIMIT_CORE, &no_core);
		(void)*p;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

static uint64_t xlate(const struct rt *rt, uint64_t gpa)
{
	u64 span;

	return leapio_xlate_lookup(&rt->v, gpa, &span);
}

FIXTURE(region) {
	struct lio l;
	struct rt rt;
};

FIXTURE_SETUP(region)
{
	struct lio_opts o = { .no_open = true };

	rt_init(&self->rt);
	LIO_SETUP(&self->l, &o);
}

/* The runtime goes first: the VFIO close waits for it otherwise. */
FIXTURE_TEARDOWN(region)
{
	rt_close(&self->rt);
	LIO_TEARDOWN(&self->l);
}

TEST_F(region, attach_by_uuid)
{
	struct leapio_attach a;
	uint8_t uuid[16], other[16];
	char ouuid[MDEV_UUID_LEN + 1];
	int dev, fd, fd2;

	dev = open("/dev/" LEAPIO_DEV_NAME, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, dev);
	uuid_bytes(self->l.mdev.uuid, uuid);
	ASSERT_EQ(0, mdev_new_uuid(ouuid));
	uuid_bytes(ouuid, other);

	ASSERT_EQ(-ENODEV, rt_attach(dev, other, 0, &a));
	ASSERT_EQ(-EINVAL, rt_attach(dev, uuid, 1, &a));
	ASSERT_EQ(0, attr_u64(_metadata, &self->l, LEAPIO_SYSFS_RUNTIME_PID));

	fd = rt_attach(dev, uuid, 0, &a);
	ASSERT_LE(0, fd);
	EXPECT_TRUE(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_LT(0, a.region_size);
	EXPECT_EQ(0, a.region_size % 4096);
	EXPECT_LT(0, a.guest_size);
	EXPECT_EQ(0, a.guest_size % (1ULL << LEAPIO_L1_SHIFT));
	ASSERT_EQ(getpid(), attr_u64(_metadata, &self->l, LEAPIO_SYSFS_RUNTIME_PID));
	ASSERT_EQ(-EBUSY, rt_attach(dev, uuid, 0, &a));

	/* Closing detaches; the next runtime may come. */
	close(fd);
	ASSERT_EQ(0, attr_u64(_metadata, &self->l, LEAPIO_SYSFS_RUNTIME_PID));
	fd2 = rt_attach(dev, uuid, 0, &a);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(getpid(), attr_u64(_metadata, &self->l, LEAPIO_SYSFS_RUNTIME_PID));
	close(fd2);
	close(dev);
}

TEST_F(region, header_and_identity)
{
	struct rt *rt = &self->rt;
	const struct leapio_region_hdr *h;
	const struct leapio_vdev_ctrl *c;
	const char *why = NULL;
	uint8_t uuid[16];

	rt_open(_metadata, rt, &self->l);
	h = rt->v.hdr;
	c = rt->v.ctrl;
	EXPECT_EQ(0, leapio_region_check(h, rt->a.region_size, &why));
	if (why)
		TH_LOG("header: %s", why);
	ASSERT_EQ(LEAPIO_REGION_MAGIC, h->magic);
	EXPECT_EQ(LEAPIO_REGION_VERSION_MAJOR, h->version_major);
	EXPECT_EQ(self->l.mdev.nr_ioq, h->nr_ioq);
	EXPECT_EQ(rt->a.guest_size, h->l1_entries << LEAPIO_L1_SHIFT);

	uuid_bytes(self->l.mdev.uuid, uuid);
	EXPECT_EQ(0, memcmp(uuid, c->uuid, 16));
	EXPECT_EQ(self->l.mdev.nr_ioq, c->nr_ioq);
	EXPECT_EQ(attr_u64(_metadata, &self->l, LEAPIO_SYSFS_CNTLID), c->cntlid);
	EXPECT_EQ(getpid(), c->runtime_pid);
	EXPECT_EQ(LEAPIO_VDEV_OFF, c->state);
	/* Nothing pinned, nothing translated. */
	EXPECT_EQ(0, PINNED(&self->l));
	EXPECT_EQ(0, xlate(rt, GMEM_IOVA_BASE));
	/* The lbas part (minor 4), never published: all zero. */
	ASSERT_LE(4, h->version_minor);
	ASSERT_NE(NULL, rt->v.lbas);
	EXPECT_EQ(0, rt->v.lbas->seq);
	EXPECT_EQ(0, rt->v.lbas->gen);
	EXPECT_EQ(0, rt->v.lbas->count);
}

TEST_F(region, mmap_offsets_and_lengths)
{
	struct rt *rt = &self->rt;
	uint64_t g, rs;
	void *p;
	static const struct {
		int		flags;
		uint64_t	off;	/* from the guest window when win */
		bool		win;
		int		len_extra;	/* pages past what is allowed */
	} bad[] = {
		{ MAP_PRIVATE, 0, false, 0 },
		{ MAP_SHARED, 0, false, 1 },
		{ MAP_SHARED, 4096, false, -1 },
		{ MAP_SHARED, 0, true, 1 },
		{ MAP_PRIVATE, 0, true, 0 },
	};
	unsigned int i;

	rt_open(_metadata, rt, &self->l);
	g = rt->a.guest_size;
	rs = rt->a.region_size;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		uint64_t off = bad[i].win ? LEAPIO_MMAP_GUEST_OFFSET : bad[i].off;
		uint64_t len = (bad[i].win ? g : rs) + (int64_t)bad[i].len_extra * 4096;

		TH_LOG("case %u", i);
		p = mmap(NULL, len, PROT_READ, bad[i].flags | MAP_NORESERVE,
			 rt->fd, off);
		EXPECT_EQ(MAP_FAILED, p);
		EXPECT_EQ(EINVAL, errno);
		if (p != MAP_FAILED)
			munmap(p, len);
	}
	/* Past the window's end, and just before it. */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, rt->fd,
		 LEAPIO_MMAP_GUEST_OFFSET + g);
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, rt->fd,
		 LEAPIO_MMAP_GUEST_OFFSET + g - 4096);
	ASSERT_NE(MAP_FAILED, p);
	munmap(p, 4096);
	/* A part of the region from its start is fine. */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, rt->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(LEAPIO_REGION_MAGIC, *(uint64_t *)p);
	munmap(p, 4096);
}

TEST_F(region, map_translates_and_unmap_drops)
{
	struct rt *rt = &self->rt;
	struct lio *l = &self->l;
	uint64_t iova, pinned;
	uint32_t seq0;
	uint8_t *buf;
	unsigned int i;

	ASSERT_EQ(0, lio_open_shared(l));
	rt_open(_metadata, rt, l);
	buf = gmem_alloc_pages(&l->mem, 3 * GMEM_PAGE, &iova);
	ASSERT_NE(NULL, buf);
	for (i = 0; i < 3 * GMEM_PAGE; i++)
		buf[i] = (uint8_t)(i * 7 + 3);

	ASSERT_EQ(0, xlate(rt, iova));
	ASSERT_EQ(0, MAP(rt, iova, 3 * GMEM_PAGE));
	ASSERT_TRUE(leapio_xlate_range_ok(&rt->v, iova, 3 * GMEM_PAGE));
	EXPECT_TRUE(xlate(rt, iova) & LEAPIO_XLATE_WRITE);
	pinned = PINNED(l);
	EXPECT_LE(3, pinned);
	/* At most the 2 MiB blocks around the pages. */
	EXPECT_GE(2 * 512, pinned);

	/* The window shows the guest's bytes, and writes reach the guest. */
	ASSERT_EQ(0, memcmp(rt->win + iova, buf, 3 * GMEM_PAGE));
	rt->win[iova + 5] = 0xa5;
	EXPECT_EQ(0xa5, buf[5]);

	/* Mapping again pins nothing more. */
	ASSERT_EQ(0, MAP(rt, iova, GMEM_PAGE));
	EXPECT_EQ(pinned, PINNED(l));

	/* The VFIO user unmaps: translations, window pages and pins go. */
	seq0 = __atomic_load_n(&rt->v.ctrl->seq, __ATOMIC_ACQUIRE);
	ASSERT_EQ(0, vfio_dma_unmap(&l->dev, l->mem.iova, l->mem.size));
	l->mem.mapped = 0;
	EXPECT_EQ(0, PINNED(l));
	EXPECT_EQ(0, xlate(rt, iova));
	EXPECT_NE(seq0, rt->v.ctrl->seq);
	EXPECT_EQ(rt->v.ctrl->seq, rt->v.ctrl->ack);
	EXPECT_EQ(SIGBUS, touch_sig(rt->win + iova));
	/* And it is gone for good: MAP fails now. */
	EXPECT_EQ(-EFAULT, MAP(rt, iova, GMEM_PAGE));
}

/* A second DMA mapping of size bytes at iova, from a memfd of its own. */
static uint8_t *map_extra(struct __test_metadata *_metadata, struct lio *l,
			  uint64_t iova, size_t size)
{
	uint8_t *p;
	int fd;

	fd = memfd_create("leapio-extra", MFD_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, size));
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		 fd, 0);
	close(fd);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, vfio_dma_map(&l->dev, p, iova, size));
	return p;
}

/*
 * Two DMA mappings in one 2 MiB block share its L2 table: unmapping one
 * leaves the other translated and readable; unmapping the second empties
 * the table and the block's L1 entry goes.
 */
TEST_F(region, unmap_keeps_the_rest_of_a_block)
{
	const uint64_t a = 0x40000000ULL, b = a + 4 * GMEM_PAGE;
	struct rt *rt = &self->rt;
	struct lio *l = &self->l;
	uint8_t *pa, *pb;

	ASSERT_EQ(0, lio_open_shared(l));
	rt_open(_metadata, rt, l);
	pa = map_extra(_metadata, l, a, 2 * GMEM_PAGE);
	pb = map_extra(_metadata, l, b, 2 * GMEM_PAGE);
	memset(pa, 0x11, 2 * GMEM_PAGE);
	memset(pb, 0x22, 2 * GMEM_PAGE);

	/* The block is partly unmapped: the pages asked for alone. */
	ASSERT_EQ(0, MAP(rt, a, GMEM_PAGE));
	EXPECT_EQ(1, PINNED(l));
	ASSERT_EQ(0, MAP(rt, b + GMEM_PAGE, GMEM_PAGE));
	EXPECT_EQ(2, PINNED(l));
	EXPECT_EQ(0, xlate(rt, a + GMEM_PAGE));
	EXPECT_EQ(0, xlate(rt, b));
	EXPECT_EQ(0x11, rt->win[a]);
	EXPECT_EQ(0x22, rt->win[b + GMEM_PAGE]);

	ASSERT_EQ(0, vfio_dma_unmap(&l->dev, a, 2 * GMEM_PAGE));
	EXPECT_EQ(1, PINNED(l));
	EXPECT_EQ(0, xlate(rt, a));
	EXPECT_NE(0, xlate(rt, b + GMEM_PAGE));
	EXPECT_NE(0, rt->v.l1[a >> LEAPIO_L1_SHIFT]);
	EXPECT_EQ(0x22, rt->win[b + GMEM_PAGE + 1]);
	EXPECT_EQ(SIGBUS, touch_sig(rt->win + a));

	ASSERT_EQ(0, vfio_dma_unmap(&l->dev, b, 2 * GMEM_PAGE));
	EXPECT_EQ(0, PINNED(l));
	EXPECT_EQ(0, rt->v.l1[a >> LEAPIO_L1_SHIFT]);
	EXPECT_EQ(SIGBUS, touch_sig(rt->win + b + GMEM_PAGE));
	munmap(pa, 2 * GMEM_PAGE);
	munmap(pb, 2 * GMEM_PAGE);
}

#define SHMEM_THP	"/sys/kernel/mm/transparent_hugepage/shmem_enabled"

/*
 * Map the 2 MiB file fd shared at a 2 MiB aligned address (inside a
 * mapping twice as big), with extra mmap flags: what a huge page needs.
 */
static uint8_t *map_aligned_block(struct __test_metadata *_metadata, int fd,
				  int flags)
{
	const size_t blk = 1UL << LEAPIO_L1_SHIFT;
	uint8_t *p, *q;

	q = mmap(NULL, 2 * blk, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (q == MAP_FAILED)
		return NULL;
	p = (uint8_t *)(((uintptr_t)q + blk - 1) & ~(blk - 1));
	munmap(q, p - q);
	munmap(p + blk, q + blk - p);
	if (mmap(p, blk, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED | flags,
		 fd, 0) != p) {
		TH_LOG("mmap of the block: %s", strerror(errno));
		munmap(p, blk);
		return NULL;
	}
	return p;
}

/*
 * 2 MiB of memfd in one transparent huge page when the kernel gives one
 * (shmem THP on request, put back as it was afterwards): a block pinned
 * whole onto aligned contiguous memory, which gets an L1 leaf.
 */
static uint8_t *thp_block(struct __test_metadata *_metadata, char *old,
			  size_t oldlen)
{
	const size_t blk = 1UL << LEAPIO_L1_SHIFT;
	uint8_t *p;
	char *sel;
	int fd;

	if (sysfs_read(SHMEM_THP, old, oldlen))
		return NULL;
	/* "always within_size [advise] never deny force": the selected one */
	sel = strchr(old, '[');
	if (!sel || !strchr(sel, ']'))
		return NULL;
	memmove(old, sel + 1, strlen(sel + 1) + 1);
	*strchr(old, ']') = 0;
	if (sysfs_write(SHMEM_THP, "advise"))
		return NULL;

	fd = memfd_create("leapio-thp", MFD_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, blk));
	p = map_aligned_block(_metadata, fd, 0);
	close(fd);
	ASSERT_NE(NULL, p);
	madvise(p, blk, MADV_HUGEPAGE);
	memset(p, 0x5a, blk);
	return p;
}

/*
 * A block pinned whole on one huge page is an L1 leaf; when half of it is
 * unmapped, the other half stays translated through an L2 table. @p is
 * 2 MiB, aligned, filled with 0x5a; returns false when the kernel did not
 * back it with one huge page (nothing was checked).
 */
static bool huge_block_checks(struct __test_metadata *_metadata,
			      FIXTURE_DATA(region) *self, uint8_t *p)
{
	const size_t blk = 1UL << LEAPIO_L1_SHIFT, half = blk / 2;
	const uint64_t a = 0x80000000ULL;
	struct rt *rt = &self->rt;
	struct lio *l = &self->l;
	uint64_t e;

	/* Two DMA mappings, half the block each. */
	ASSERT_EQ(0, vfio_dma_map(&l->dev, p, a, half));
	ASSERT_EQ(0, vfio_dma_map(&l->dev, p + half, a + half, half));
	ASSERT_EQ(0, MAP(rt, a + half, GMEM_PAGE));
	e = rt->v.l1[a >> LEAPIO_L1_SHIFT];
	if (!(e & LEAPIO_XLATE_LEAF)) {
		vfio_dma_unmap(&l->dev, a, blk);
		return false;
	}
	EXPECT_EQ(512, PINNED(l));
	EXPECT_TRUE(leapio_xlate_range_ok(&rt->v, a, blk));
	EXPECT_EQ(0x5a, rt->win[a + 12345]);

	ASSERT_EQ(0, vfio_dma_unmap(&l->dev, a, half));
	EXPECT_EQ(256, PINNED(l));
	e = rt->v.l1[a >> LEAPIO_L1_SHIFT];
	EXPECT_TRUE(e & LEAPIO_XLATE_VALID);
	EXPECT_FALSE(e & LEAPIO_XLATE_LEAF);
	EXPECT_EQ(0, xlate(rt, a));
	EXPECT_TRUE(leapio_xlate_range_ok(&rt->v, a + half, half));
	EXPECT_EQ(0x5a, rt->win[a + half + 777]);
	EXPECT_EQ(SIGBUS, touch_sig(rt->win + a + 4096));

	ASSERT_EQ(0, vfio_dma_unmap(&l->dev, a + half, half));
	EXPECT_EQ(0, PINNED(l));
	EXPECT_EQ(0, rt->v.l1[a >> LEAPIO_L1_SHIFT]);
	return true;
}

/* Guest memory in a transparent huge page of shmem, as QEMU's memfd is. */
TEST_F(region, huge_block_leaf_and_split)
{
	const size_t blk = 1UL << LEAPIO_L1_SHIFT;
	char old[128] = "";
	bool huge;
	uint8_t *p;

	ASSERT_EQ(0, lio_open_shared(&self->l));
	rt_open(_metadata, &self->rt, &self->l);
	p = thp_block(_metadata, old, sizeof(old));
	if (!p) {
		if (old[0])
			sysfs_write(SHMEM_THP, old);
		SKIP(return, "no shmem THP control");
	}
	huge = huge_block_checks(_metadata, self, p);
	munmap(p, blk);
	sysfs_write(SHMEM_THP, old);
	if (!huge)
		SKIP(return, "the kernel gave no huge page");
}

/*
 * The same on hugetlbfs (QEMU's -mem-path /dev/hugepages): a page the
 * kernel cannot refuse, since the rig reserves them at boot (hugepages= on
 * L1's command line, tests/vm/run-l1.sh), so this one runs on every
 * kernel.
 */
TEST_F(region, hugetlb_block_leaf_and_split)
{
	const size_t blk = 1UL << LEAPIO_L1_SHIFT;
	uint8_t *p;
	int fd;

	ASSERT_EQ(0, lio_open_shared(&self->l));
	rt_open(_metadata, &self->rt, &self->l);
	fd = memfd_create("leapio-hugetlb", MFD_CLOEXEC | MFD_HUGETLB);
	if (fd < 0)
		SKIP(return, "no hugetlb memfd: %s (hugepages= on the command line?)",
		     strerror(errno));
	ASSERT_EQ(0, ftruncate(fd, blk));
	/* MAP_POPULATE: fails here, not at a fault, if none is reserved. */
	p = map_aligned_block(_metadata, fd, MAP_POPULATE);
	close(fd);
	ASSERT_NE(NULL, p);
	memset(p, 0x5a, blk);
	/* hugetlbfs has no other page size: a small page here is a bug. */
	EXPECT_TRUE(huge_block_checks(_metadata, self, p));
	munmap(p, blk);
}

TEST_F(region, map_of_unmapped_gpa)
{
	struct rt *rt = &self->rt;
	struct lio *l = &self->l;
	uint64_t end;

	ASSERT_EQ(0, lio_open_shared(l));
	rt_open(_metadata, rt, l);
	EXPECT_EQ(-EFAULT, MAP(rt, gmem_unmapped_iova(&l->mem), GMEM_PAGE));
	EXPECT_EQ(0, xlate(rt, gmem_unmapped_iova(&l->mem)));
	EXPECT_EQ(0, PINNED(l));
	/* Past the window, and wrapping around. */
	EXPECT_EQ(-EFAULT, MAP(rt, rt->a.guest_size, GMEM_PAGE));
	EXPECT_EQ(-EFAULT, MAP(rt, ~0ULL - GMEM_PAGE + 1, 2 * GMEM_PAGE));
	/* Straddling the end of guest memory: the page past it stays out. */
	end = l->mem.iova + l->mem.size;
	EXPECT_EQ(-EFAULT, MAP(rt, end - GMEM_PAGE, 2 * GMEM_PAGE));
	EXPECT_EQ(0, xlate(rt, end));
	EXPECT_EQ(SIGBUS, touch_sig(rt->win + end));
}

TEST_F(region, map_of_anonymous_memory)
{
	struct rt *rt = &self->rt;
	struct lio *l = &self->l;
	uint64_t iova;

	ASSERT_EQ(0, lio_open(l));
	rt_open(_metadata, rt, l);
	ASSERT_NE(NULL, gmem_alloc_pages(&l->mem, GMEM_PAGE, &iova));
	EXPECT_EQ(-EPERM, MAP(rt, iova, GMEM_PAGE));
	EXPECT_EQ(SIGBUS, touch_sig(rt->win + iova));
}

TEST_F(region, map_before_vfio_open)
{
	struct rt *rt = &self->rt;

	rt_open(_metadata, rt, &self->l);
	EXPECT_EQ(-EFAULT, MAP(rt, GMEM_IOVA_BASE, GMEM_PAGE));
	EXPECT_EQ(0, PINNED(&self->l));
}

TEST_F(region, window_faults_only_pinned_pages)
{
	struct rt *rt = &self->rt;
	struct lio *l = &self->l;
	uint64_t iova;

	ASSERT_EQ(0, lio_open_shared(l));
	rt_open(_metadata, rt, l);
	ASSERT_NE(NULL, gmem_alloc_pages(&l->mem, GMEM_PAGE, &iova));
	/* Guest memory, but never asked for. */
	EXPECT_EQ(SIGBUS, touch_sig(rt->win + iova));
	/* Not guest memory at all. */
	EXPECT_EQ(SIGBUS, touch_sig(rt->win + gmem_unmapped_iova(&l->mem)));
	ASSERT_EQ(0, MAP(rt, iova, GMEM_PAGE));
	EXPECT_EQ(0, touch_sig(rt->win + iova));
}

TEST_F(region, close_drops_every_pin)
{
	struct rt *rt = &self->rt;
	struct lio *l = &self->l;
	uint64_t iova;

	ASSERT_EQ(0, lio_open_shared(l));
	rt_open(_metadata, rt, l);
	ASSERT_NE(NULL, gmem_alloc_pages(&l->mem, 2 * GMEM_PAGE, &iova));
	ASSERT_EQ(0, MAP(rt, iova, 2 * GMEM_PAGE));
	ASSERT_LT(0, PINNED(l));
	EXPECT_EQ(0, touch_sig(rt->win + iova));

	lio_close(l);
	EXPECT_EQ(0, PINNED(l));
	EXPECT_EQ(0, xlate(rt, iova));
	EXPECT_EQ(SIGBUS, touch_sig(rt->win + iova));
	/* The device is closed: nothing can be pinned. */
	EXPECT_EQ(-EFAULT, MAP(rt, iova, GMEM_PAGE));

	/* Open again: pins work again. */
	ASSERT_EQ(0, lio_open_shared(l));
	ASSERT_NE(NULL, gmem_alloc_pages(&l->mem, GMEM_PAGE, &iova));
	EXPECT_EQ(0, MAP(rt, iova, GMEM_PAGE));
	EXPECT_LT(0, PINNED(l));
}

TEST_F(region, bad_mailbox_requests)
{
	struct rt *rt = &self->rt;
	struct leapio_mbox *mb;
	unsigned int nr = self->l.mdev.nr_ioq;
	uint32_t cons;
	int32_t res;

	ASSERT_EQ(0, lio_open_shared(&self->l));
	rt_open(_metadata, rt, &self->l);
	mb = rt->v.mbox;

	EXPECT_EQ(-EINVAL, MBOX(rt, 0, 0, 0));
	EXPECT_EQ(-EINVAL, MBOX(rt, 99, 0, 0));
	EXPECT_EQ(-EINVAL, MBOX(rt, LEAPIO_MBOX_IRQ, nr + 1, 0));
	EXPECT_EQ(-EINVAL, MBOX(rt, LEAPIO_MBOX_IRQ, ~0ULL, 0));
	EXPECT_EQ(-EINVAL, MBOX(rt, LEAPIO_MBOX_AEN, 1ULL << 32, 0));
	/* Good ones are still answered after bad ones. */
	EXPECT_EQ(0, MBOX(rt, LEAPIO_MBOX_IRQ, nr, 0));

	/* prod more than a ring ahead of cons: nothing is read. */
	cons = mb->cons;
	mb->prod = cons + LEAPIO_MBOX_ENTRIES + 1;
	EXPECT_EQ(-1, ioctl(rt->fd, LEAPIO_VDEV_IOC_KICK));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(cons, mb->cons);
	mb->prod = cons;
	EXPECT_EQ(0, ioctl(rt->fd, LEAPIO_VDEV_IOC_KICK));
	/* The ring goes on from there: a MAP of nothing maps nothing. */
	EXPECT_EQ(0, mbox(rt, LEAPIO_MBOX_MAP, 0, 0, &res));
	EXPECT_EQ(0, res);
}

TEST_F(region, irqfd_is_the_vfio_users_eventfd)
{
	struct rt *rt = &self->rt;
	struct lio *l = &self->l;
	struct leapio_irqfd q = { 0 };
	uint64_t one = 1;

	ASSERT_EQ(0, lio_open_shared(l));
	rt_open(_metadata, rt, l);
	ASSERT_EQ(0, lio_msix_on(l));

	q.vector = l->mdev.nr_ioq + 1;
	EXPECT_EQ(-1, ioctl(rt->fd, LEAPIO_VDEV_IOC_GET_IRQFD, &q));
	EXPECT_EQ(EINVAL, errno);

	q.vector = 0;
	q.fd = -1;
	ASSERT_EQ(0, ioctl(rt->fd, LEAPIO_VDEV_IOC_GET_IRQFD, &q));
	ASSERT_LE(0, q.fd);
	EXPECT_TRUE(fcntl(q.fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, evfd_take(l->msix_fd[0]));
	ASSERT_EQ(sizeof(one), write(q.fd, &one, sizeof(one)));
	EXPECT_EQ(1, evfd_wait(l->msix_fd[0], EVFD_TIMEOUT_MS));
	close(q.fd);

	/* No eventfds any more: none to give. */
	lio_irq_off(l);
	q.fd = -1;
	EXPECT_EQ(-1, ioctl(rt->fd, LEAPIO_VDEV_IOC_GET_IRQFD, &q));
	EXPECT_EQ(ENOENT, errno);
}

TEST_F(region, set_wake_takes_eventfds_only)
{
	struct rt *rt = &self->rt;
	int32_t fd;

	rt_open(_metadata, rt, &self->l);
	fd = rt->dev;	/* not an eventfd */
	EXPECT_EQ(-1, ioctl(rt->fd, LEAPIO_VDEV_IOC_SET_WAKE, &fd));
	EXPECT_EQ(EINVAL, errno);
	fd = -5;
	EXPECT_EQ(-1, ioctl(rt->fd, LEAPIO_VDEV_IOC_SET_WAKE, &fd));
	EXPECT_EQ(EBADF, errno);
	fd = -1;
	EXPECT_EQ(0, ioctl(rt->fd, LEAPIO_VDEV_IOC_SET_WAKE, &fd));
	EXPECT_EQ(-1, ioctl(rt->fd, 0x4c99, 0));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(region, mdev_removed_under_its_runtime)
{
	struct rt *rt = &self->rt;
	struct leapio_attach a;
	uint8_t uuid[16];
	uint32_t seq0;
	int w;

	rt_open(_metadata, rt, &self->l);
	/* This test watches the wake eventfd itself. */
	__atomic_store_n(&rt->stop, 1, __ATOMIC_RELEASE);
	pthread_join(rt->acker, NULL);
	rt->acking = false;
	w = evfd_new();
	ASSERT_LE(0, w);
	ASSERT_EQ(0, ioctl(rt->fd, LEAPIO_VDEV_IOC_SET_WAKE, &w));

	seq0 = rt->v.ctrl->seq;
	ASSERT_EQ(0, mdev_remove(&self->l.mdev));
	EXPECT_EQ(LEAPIO_VDEV_REMOVED, rt->v.ctrl->state);
	EXPECT_NE(seq0, rt->v.ctrl->seq);
	EXPECT_LE(1, evfd_take(w));
	evfd_close(&w);
	/* The region stays usable until the runtime lets go. */
	EXPECT_EQ(LEAPIO_REGION_MAGIC, rt->v.hdr->magic);
	uuid_bytes(self->l.mdev.uuid, uuid);
	EXPECT_EQ(-ENODEV, rt_attach(rt->dev, uuid, 0, &a));
}

TEST_HARNESS_MAIN
