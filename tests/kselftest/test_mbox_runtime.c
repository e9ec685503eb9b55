// SPDX-License-Identifier: GPL-2.0
/*
 * A runtime that gets its mailbox wrong, played by the test (attached
 * through /dev/leapio, the region and guest window mapped, as leapiod
 * does) against a guest driving the controller through VFIO. Every
 * malformed request is answered -EINVAL, counted in sysfs mbox_refused
 * and carried out in no part: no interrupt, no event, no Error
 * Information log entry, no failed controller. A KICK whose prod is not
 * within a ring of the driver's cons reads nothing; a cons the runtime
 * scribbled on is the driver's own again at the next KICK. Well-formed
 * requests after them are served, and so is the guest.
 *
 * What the decoder refuses, field by field, is common/leapio/
 * mbox_decode.c's unit test; here is what the module does with it.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lio_test.h"
#include "hand_rt.h"
#include "nvme_io.h"
#include "../../uapi/linux/leapio_region.h"

#define RESULT_UNSET	0x7eadbeef

/* Attach to l's mdev and map the region and the guest window. */
static void rt_open(struct __test_metadata *_metadata, struct rt *rt,
		    const struct lio *l)
{
	ASSERT_EQ(0, hand_rt_open(rt, l->mdev.uuid, false));
}

/* Ack from now on (hand_rt.h says when a test leaves it off). */
static void rt_ack(struct __test_metadata *_metadata, struct rt *rt)
{
	ASSERT_EQ(0, hand_rt_ack(rt));
}

/* Fill the next slot; prod is not moved. */
static struct leapio_mbox_msg *slot(struct rt *rt, uint32_t i, uint32_t op,
				    uint64_t arg0, uint64_t arg1, uint64_t rsvd)
{
	struct leapio_mbox_msg *m = &rt->v.mbox->msg[i % LEAPIO_MBOX_ENTRIES];

	m->op = op;
	m->arg0 = arg0;
	m->arg1 = arg1;
	m->rsvd = rsvd;
	m->result = RESULT_UNSET;
	return m;
}

static int kick(struct rt *rt)
{
	return ioctl(rt->fd, LEAPIO_VDEV_IOC_KICK) < 0 ? -errno : 0;
}

/* One request: 0 with its result in *res, or the KICK's -errno. */
static int post(struct rt *rt, uint32_t op, uint64_t arg0, uint64_t arg1,
		uint64_t rsvd, int32_t *res)
{
	struct leapio_mbox *mb = rt->v.mbox;
	uint32_t prod = mb->prod;
	struct leapio_mbox_msg *m = slot(rt, prod, op, arg0, arg1, rsvd);
	int err;

	__atomic_store_n(&mb->prod, prod + 1, __ATOMIC_RELEASE);
	err = kick(rt);
	if (err)
		return err;
	if (__atomic_load_n(&mb->cons, __ATOMIC_ACQUIRE) != prod + 1)
		return -EPROTO;
	*res = m->result;
	return 0;
}

#define POST(rt, op, a0, a1, rsvd) ({ int32_t __r = RESULT_UNSET; \
	{ ASSERT_EQ(0, post((rt), (op), (a0), (a1), (rsvd), &__r)); } __r; })

static unsigned long long refused(struct __test_metadata *_metadata,
				  const struct lio *l)
{
	unsigned long long v = ~0ULL;

	{ ASSERT_EQ(0, mdev_attr_read_u64(&l->mdev, LEAPIO_SYSFS_MBOX_REFUSED, &v)); }
	return v;
}

#define AEN_DB_REG	NVME_AER_DW0(NVME_AER_TYPE_ERROR, \
				     NVME_AER_ERROR_INVALID_DB_REG, NVME_LOG_ERROR)
#define AEN_DB_VAL	NVME_AER_DW0(NVME_AER_TYPE_ERROR, \
				     NVME_AER_ERROR_INVALID_DB_VAL, NVME_LOG_ERROR)

/* arg0 of LEAPIO_MBOX_ERROR (uapi/linux/leapio_region.h). */
static uint64_t err_arg0(uint16_t sqid, uint16_t cid, uint16_t status,
			 uint16_t loc)
{
	return sqid | (uint64_t)cid << 16 | (uint64_t)status << 32 |
	       (uint64_t)loc << 48;
}

FIXTURE(mbox) {
	struct lio l;
	struct rt rt;
	struct nvme_error_log_entry *elog;
	uint64_t elog_iova;
};

/* The guest's controller enabled with MSI-X, a runtime attached. */
FIXTURE_SETUP(mbox)
{
	struct lio_opts o = { .no_open = true };

	rt_init(&self->rt);
	LIO_SETUP(&self->l, &o);
	ASSERT_EQ(0, lio_open_shared(&self->l));
	rt_open(_metadata, &self->rt, &self->l);
	LIO_ENABLE(&self->l);
	ASSERT_EQ(0, lio_msix_on(&self->l));
	self->elog = gmem_alloc_pages(&self->l.mem, GMEM_PAGE, &self->elog_iova);
	ASSERT_NE(NULL, self->elog);
	ASSERT_EQ(0, refused(_metadata, &self->l));
}

/* The runtime goes first: the VFIO close would wait for its ack. */
FIXTURE_TEARDOWN(mbox)
{
	rt_close(&self->rt);
	LIO_TEARDOWN(&self->l);
}

/* The Error Information log's newest entry (zeroes when there is none). */
static const struct nvme_error_log_entry *
newest_error(struct __test_metadata *_metadata, FIXTURE_DATA(mbox) *self)
{
	struct nvme_sqe sqe;

	memset(self->elog, 0xa5, GMEM_PAGE);
	nb_get_log(&sqe, NVME_LOG_ERROR, 0xffffffff, GMEM_PAGE, self->elog_iova,
		   false);
	{ ADMIN_OK(&self->l, &sqe); }
	return &self->elog[0];
}

TEST_F(mbox, malformed_requests_refused_counted_and_not_done)
{
	struct lio *l = &self->l;
	struct rt *rt = &self->rt;
	uint16_t nr = l->mdev.nr_ioq;
	const struct {
		const char	*what;
		uint32_t	op;
		uint64_t	arg0, arg1, rsvd;
	} bad[] = {
		{ "no op", 0, 0, 0, 0 },
		{ "an op after the last", LEAPIO_MBOX_ERROR + 1, 0, 0, 0 },
		{ "op ~0", 0xffffffff, 1, 1, 1 },
		{ "MAP with rsvd", LEAPIO_MBOX_MAP, GMEM_IOVA_BASE, GMEM_PAGE, 1 },
		{ "IRQ past the table", LEAPIO_MBOX_IRQ, nr + 1, 0, 0 },
		{ "IRQ ~0", LEAPIO_MBOX_IRQ, ~0ULL, 0, 0 },
		{ "IRQ with arg1", LEAPIO_MBOX_IRQ, 1, 1, 0 },
		{ "IRQ with rsvd", LEAPIO_MBOX_IRQ, 1, 0, 1 },
		{ "AEN above 32 bits", LEAPIO_MBOX_AEN, AEN_DB_REG | 1ULL << 32, 0, 0 },
		{ "AEN of SMART", LEAPIO_MBOX_AEN,
		  NVME_AER_DW0(NVME_AER_TYPE_SMART, 0, NVME_LOG_SMART), 0, 0 },
		{ "AEN of a notice", LEAPIO_MBOX_AEN,
		  NVME_AER_DW0(NVME_AER_TYPE_NOTICE, 0, 0x04), 0, 0 },
		{ "AEN with arg1", LEAPIO_MBOX_AEN, AEN_DB_VAL, 1, 0 },
		{ "FATAL with arg0", LEAPIO_MBOX_FATAL, 1, 0, 0 },
		{ "FATAL with rsvd", LEAPIO_MBOX_FATAL, 0, 0, 1 },
		{ "ERROR of the admin SQ", LEAPIO_MBOX_ERROR,
		  err_arg0(0, 1, NVME_SC_LBA_RANGE, 0xffff), 0, 1 },
		{ "ERROR of an SQ past the type's", LEAPIO_MBOX_ERROR,
		  err_arg0(nr + 1, 1, NVME_SC_LBA_RANGE, 0xffff), 0, 1 },
		{ "ERROR of a success", LEAPIO_MBOX_ERROR,
		  err_arg0(1, 1, NVME_SC_SUCCESS, 0xffff), 0, 1 },
		{ "ERROR with the phase bit", LEAPIO_MBOX_ERROR,
		  err_arg0(1, 1, NVME_SC_LBA_RANGE | 1, 0xffff), 0, 1 },
		{ "ERROR with rsvd 63:32", LEAPIO_MBOX_ERROR,
		  err_arg0(1, 1, NVME_SC_LBA_RANGE, 0xffff), 0, 1ULL << 32 | 1 },
	};
	const struct nvme_error_log_entry *e;
	unsigned long long pinned, now;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	unsigned int i, v;
	uint64_t errors;
	int cid;

	/* Vector 0 is the admin CQ's: the bad IRQs name vector 1. */
	ASSERT_LE(2, nr);
	rt_ack(_metadata, rt);
	errors = le64toh(newest_error(_metadata, self)->error_count);
	/* An event request outstanding: an AEN let through would end it. */
	nb_aer(&sqe);
	cid = nvd_submit(&l->nvd, 0, &sqe);
	ASSERT_GE(cid, 0);
	ASSERT_EQ(-ETIMEDOUT, nvd_wait_cid(&l->nvd, 0, cid, &cqe, 0));
	ASSERT_EQ(0, mdev_attr_read_u64(&l->mdev, LEAPIO_SYSFS_PINNED_PAGES, &pinned));
	for (v = 0; v < l->nr_msix; v++)
		evfd_take(l->msix_fd[v]);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		TH_LOG("%s", bad[i].what);
		EXPECT_EQ(-EINVAL, POST(rt, bad[i].op, bad[i].arg0, bad[i].arg1,
					bad[i].rsvd));
		EXPECT_EQ(i + 1, refused(_metadata, l));
	}
	/* The MAP was not carried out either. */
	ASSERT_EQ(0, mdev_attr_read_u64(&l->mdev, LEAPIO_SYSFS_PINNED_PAGES, &now));
	EXPECT_EQ(pinned, now);

	/*
	 * Well-formed requests are served after them, by the work item that
	 * would have carried out the others before (it takes what is
	 * pending in order, vectors in ascending order): when these are
	 * seen, none of those was done.
	 */
	ASSERT_EQ(0, POST(rt, LEAPIO_MBOX_AEN, AEN_DB_REG, 0, 0));
	ASSERT_EQ(0, nvd_wait_cid(&l->nvd, 0, cid, &cqe, NIO_TIMEOUT_MS));
	EXPECT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
	EXPECT_EQ(AEN_DB_REG, le32toh(cqe.dw0));
	ASSERT_EQ(0, POST(rt, LEAPIO_MBOX_IRQ, nr, 0, 0));
	ASSERT_GE(evfd_wait(l->msix_fd[nr], NIO_TIMEOUT_MS), 1);
	for (v = 1; v < nr; v++)
		EXPECT_EQ(0, evfd_take(l->msix_fd[v]));
	EXPECT_EQ(0, REG_RD32(l, NVME_REG_CSTS) & NVME_CSTS_CFS);
	/* No bad ERROR reached the log (it takes what is pending when read). */
	e = newest_error(_metadata, self);
	EXPECT_EQ(errors, le64toh(e->error_count));
	ASSERT_EQ(0, POST(rt, LEAPIO_MBOX_ERROR,
			  err_arg0(1, 0x1234, NVME_SC_LBA_RANGE, 0xffff), 77, 1));
	e = newest_error(_metadata, self);
	EXPECT_EQ(errors + 1, le64toh(e->error_count));
	EXPECT_EQ(1, le16toh(e->sqid));
	EXPECT_EQ(0x1234, le16toh(e->cmdid));
	EXPECT_EQ(77, le64toh(e->lba));
	EXPECT_EQ(1, le32toh(e->nsid));
	EXPECT_EQ(ARRAY_SIZE(bad), refused(_metadata, l));

	/*
	 * The guest is served on: queues are created (published, acked),
	 * Identify answers, and a reset completes, which waits for this
	 * runtime's ack.
	 */
	ASSERT_EQ(0, nvd_create_io_pair(&l->nvd, 1, 16, 1));
	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, self->elog_iova);
	ADMIN_OK(l, &sqe);
	ASSERT_EQ(0, nvd_disable(&l->nvd));
	ASSERT_EQ(0, nvd_enable(&l->nvd));
	EXPECT_EQ(0, REG_RD32(l, NVME_REG_CSTS) & NVME_CSTS_CFS);
	EXPECT_EQ(ARRAY_SIZE(bad), refused(_metadata, l));
}

TEST_F(mbox, map_out_of_the_window_is_an_answer_not_a_refusal)
{
	struct rt *rt = &self->rt;

	/* The pinning code's answers (uapi): counted as nothing wrong. */
	EXPECT_EQ(-EFAULT, POST(rt, LEAPIO_MBOX_MAP, ~0ULL - 4095, 8192, 0));
	EXPECT_EQ(-EFAULT, POST(rt, LEAPIO_MBOX_MAP, rt->a.guest_size, 4096, 0));
	EXPECT_EQ(-EFAULT, POST(rt, LEAPIO_MBOX_MAP, 0, ~0ULL, 0));
	EXPECT_EQ(0, POST(rt, LEAPIO_MBOX_MAP, 0, 0, 0));
	EXPECT_EQ(0, refused(_metadata, &self->l));
}

TEST_F(mbox, prod_outside_the_ring_reads_nothing)
{
	struct lio *l = &self->l;
	struct rt *rt = &self->rt;
	struct leapio_mbox *mb = rt->v.mbox;
	const uint32_t off[] = { LEAPIO_MBOX_ENTRIES + 1, 0x80000000, ~0U };
	struct leapio_mbox_msg *m;
	uint32_t cons = mb->cons, i;

	/* prod ahead by more than a ring, or behind cons: refused. */
	for (i = 0; i < ARRAY_SIZE(off); i++) {
		TH_LOG("prod = cons + %#x", off[i]);
		m = slot(rt, cons, LEAPIO_MBOX_IRQ, 0, 0, 0);
		mb->prod = cons + off[i];
		EXPECT_EQ(-EINVAL, kick(rt));
		EXPECT_EQ(cons, mb->cons);
		EXPECT_EQ(RESULT_UNSET, m->result);
		EXPECT_EQ(i + 1, refused(_metadata, l));
	}

	/* A whole ring is not too much: every slot answered. */
	for (i = 0; i < LEAPIO_MBOX_ENTRIES; i++)
		slot(rt, cons + i, LEAPIO_MBOX_MAP, 0, 0, 0);
	__atomic_store_n(&mb->prod, cons + LEAPIO_MBOX_ENTRIES, __ATOMIC_RELEASE);
	ASSERT_EQ(0, kick(rt));
	ASSERT_EQ(cons + LEAPIO_MBOX_ENTRIES, mb->cons);
	for (i = 0; i < LEAPIO_MBOX_ENTRIES; i++)
		EXPECT_EQ(0, mb->msg[i].result);
	cons = mb->cons;

	/* cons is the driver's: what the runtime writes there is ignored. */
	mb->cons = cons + 20;
	EXPECT_EQ(0, POST(rt, LEAPIO_MBOX_MAP, 0, 0, 0));
	EXPECT_EQ(cons + 1, mb->cons);
	mb->cons = cons - 5;
	m = slot(rt, cons + 1, 0, 0, 0, 0);
	__atomic_store_n(&mb->prod, cons + 2, __ATOMIC_RELEASE);
	ASSERT_EQ(0, kick(rt));
	EXPECT_EQ(cons + 2, mb->cons);
	EXPECT_EQ(-EINVAL, m->result);
	EXPECT_EQ(ARRAY_SIZE(off) + 1, refused(_metadata, l));
}

TEST_HARNESS_MAIN
