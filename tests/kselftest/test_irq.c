// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt delivery through VFIO eventfds: MSI-X per vector for the admin
 * and I/O CQs, the MSI-X table's per-vector mask and the PBA, and INTx
 * with its masks (NVMe INTMS/INTMC, PCI INTx Disable, VFIO's automask and
 * unmask). Each check that an interrupt did NOT come relies on the device
 * raising interrupts inside the access that causes them: once the
 * doorbell or register write has returned, what was raised is in the
 * eventfd (evfd_take).
 *
 * VFIO_DEVICE_SET_IRQS with what a VFIO user can get wrong, answered as
 * vfio-pci answers it: an index without interrupts, start and count past
 * the vectors or wrapping, unknown flags, an argsz short of the data
 * (-EINVAL); no action, several, or one the index lacks (-ENOTTY); an fd
 * that is not an eventfd (-EINVAL) or not open (-EBADF); -1 unwiring a
 * vector or INTx without turning the index off; count 0 DATA_NONE as the
 * teardown of the index that is on only. A refused request changes
 * nothing, which the interrupts that follow show.
 */
#include <fcntl.h>
#include <linux/pci_regs.h>
#include <sys/ioctl.h>

#include "lio_test.h"

#define MSIX_ENTRY(v)		(LEAPIO_MSIX_TABLE_OFFSET + 16 * (v))
#define MSIX_ADDR_LO		0
#define MSIX_ADDR_HI		4
#define MSIX_DATA		8
#define MSIX_CTRL		12
#define MSIX_CTRL_MASKED	1U

FIXTURE(irq) {
	struct lio l;
	uint64_t buf;
};

FIXTURE_SETUP(irq)
{
	LIO_SETUP(&self->l, NULL);
	LIO_ENABLE(&self->l);
	ASSERT_NE(NULL, gmem_alloc_pages(&self->l.mem, GMEM_PAGE, &self->buf));
}

FIXTURE_TEARDOWN(irq)
{
	LIO_TEARDOWN(&self->l);
}

/* An admin command whose CQE is left unconsumed: no head doorbell. */
static uint16_t identify_no_ring(struct __test_metadata *_metadata, struct lio *l,
				 uint64_t buf)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	int cid;

	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, buf);
	cid = nvd_submit(&l->nvd, 0, &sqe);
	ASSERT_GE(cid, 0);
	ASSERT_EQ(0, nvd_reap(&l->nvd, 0, &cqe, NVD_CQE_TIMEOUT_MS));
	ASSERT_EQ(cid, le16toh(cqe.cid));
	ASSERT_EQ(NVME_SC_SUCCESS, nvd_status_code(&cqe));
	return cid;
}

static void identify_ok(struct __test_metadata *_metadata, struct lio *l, uint64_t buf)
{
	struct nvme_sqe sqe;

	nb_identify(&sqe, NVME_ID_CNS_CTRL, 0, buf);
	ADMIN_OK(l, &sqe);
}

static void no_msix(struct __test_metadata *_metadata, struct lio *l)
{
	unsigned int v;

	for (v = 0; v < l->nr_msix; v++) {
		TH_LOG("vector %u", v);
		ASSERT_EQ(0, evfd_take(l->msix_fd[v]));
	}
}

TEST_F(irq, msix_admin)
{
	struct lio *l = &self->l;

	ASSERT_EQ(0, lio_msix_on(l));
	ASSERT_EQ(l->mdev.nr_ioq + 1, l->nr_msix);
	identify_ok(_metadata, l, self->buf);
	ASSERT_GE(evfd_wait(l->msix_fd[0], EVFD_TIMEOUT_MS), 1);
	no_msix(_metadata, l);
	identify_ok(_metadata, l, self->buf);
	ASSERT_GE(evfd_wait(l->msix_fd[0], EVFD_TIMEOUT_MS), 1);
	no_msix(_metadata, l);
}

TEST_F(irq, msix_io_vectors)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint16_t qid, vec;

	ASSERT_EQ(0, lio_msix_on(l));
	for (qid = 1; qid <= l->mdev.nr_ioq; qid++) {
		vec = qid;
		ASSERT_EQ(0, nvd_create_io_pair(&l->nvd, qid, 8, vec));
		/* The creates completed on the admin vector. */
		ASSERT_GE(evfd_take(l->msix_fd[0]), 1);
		no_msix(_metadata, l);
		nb_rw(&sqe, nvme_cmd_read, 1, 0, 1, self->buf, 0);
		ASSERT_EQ(0, nvd_cmd(&l->nvd, qid, &sqe, &cqe));
		TH_LOG("qid %u vector %u", qid, vec);
		ASSERT_GE(evfd_wait(l->msix_fd[vec], EVFD_TIMEOUT_MS), 1);
		no_msix(_metadata, l);
	}
}

TEST_F(irq, msix_cq_without_ien)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint16_t status;

	/* A polled CQ (IEN 0) completes without any interrupt. */
	ASSERT_EQ(0, lio_msix_on(l));
	ASSERT_EQ(0, nvd_create_cq(&l->nvd, 1, 8, 1, false, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);
	ASSERT_EQ(0, nvd_create_sq(&l->nvd, 1, 8, 1, &status));
	ASSERT_EQ(NVME_SC_SUCCESS, status);
	evfd_take(l->msix_fd[0]);
	nb_rw(&sqe, nvme_cmd_read, 1, 0, 1, self->buf, 0);
	ASSERT_EQ(0, nvd_cmd(&l->nvd, 1, &sqe, &cqe));
	ASSERT_EQ(NVME_SC_NS_NOT_READY, nvd_status_code(&cqe));
	no_msix(_metadata, l);
}

TEST_F(irq, msix_table_rw)
{
	struct lio *l = &self->l;
	uint32_t v = l->mdev.nr_ioq;	/* the last entry */

	MSIX_WR32(l, MSIX_ENTRY(v) + MSIX_ADDR_LO, 0xfee01004);
	MSIX_WR32(l, MSIX_ENTRY(v) + MSIX_ADDR_HI, 0x1);
	MSIX_WR32(l, MSIX_ENTRY(v) + MSIX_DATA, 0x4021);
	ASSERT_EQ(0xfee01004, MSIX_RD32(l, MSIX_ENTRY(v) + MSIX_ADDR_LO));
	ASSERT_EQ(0x1, MSIX_RD32(l, MSIX_ENTRY(v) + MSIX_ADDR_HI));
	ASSERT_EQ(0x4021, MSIX_RD32(l, MSIX_ENTRY(v) + MSIX_DATA));
	/* Only the mask bit of Vector Control is writable. */
	MSIX_WR32(l, MSIX_ENTRY(v) + MSIX_CTRL, 0xffffffff);
	ASSERT_EQ(MSIX_CTRL_MASKED, MSIX_RD32(l, MSIX_ENTRY(v) + MSIX_CTRL));
	/* The PBA is read-only. */
	MSIX_WR32(l, LEAPIO_MSIX_PBA_OFFSET, 0xffffffff);
	ASSERT_EQ(0, MSIX_RD32(l, LEAPIO_MSIX_PBA_OFFSET));
}

TEST_F(irq, msix_mask_sets_pba)
{
	struct lio *l = &self->l;

	ASSERT_EQ(0, lio_msix_on(l));
	/* Enabling MSI-X through VFIO left every vector unmasked. */
	ASSERT_EQ(0, MSIX_RD32(l, MSIX_ENTRY(0) + MSIX_CTRL) & MSIX_CTRL_MASKED);

	MSIX_WR32(l, MSIX_ENTRY(0) + MSIX_CTRL, MSIX_CTRL_MASKED);
	identify_ok(_metadata, l, self->buf);
	/* Masked: pending in the PBA, not delivered. */
	no_msix(_metadata, l);
	ASSERT_EQ(1, MSIX_RD32(l, LEAPIO_MSIX_PBA_OFFSET) & 1);

	/* Unmask: the pending message goes out and the PBA bit clears. */
	MSIX_WR32(l, MSIX_ENTRY(0) + MSIX_CTRL, 0);
	ASSERT_GE(evfd_wait(l->msix_fd[0], EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, MSIX_RD32(l, LEAPIO_MSIX_PBA_OFFSET) & 1);
	no_msix(_metadata, l);

	/* And interrupts flow as before. */
	identify_ok(_metadata, l, self->buf);
	ASSERT_GE(evfd_wait(l->msix_fd[0], EVFD_TIMEOUT_MS), 1);
}

TEST_F(irq, msix_mask_io_vector)
{
	struct lio *l = &self->l;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	uint16_t vec = 2;

	ASSERT_EQ(0, lio_msix_on(l));
	ASSERT_EQ(0, nvd_create_io_pair(&l->nvd, 1, 8, vec));
	evfd_take(l->msix_fd[0]);
	MSIX_WR32(l, MSIX_ENTRY(vec) + MSIX_CTRL, MSIX_CTRL_MASKED);
	nb_rw(&sqe, nvme_cmd_read, 1, 0, 1, self->buf, 0);
	ASSERT_EQ(0, nvd_cmd(&l->nvd, 1, &sqe, &cqe));
	no_msix(_metadata, l);
	ASSERT_EQ(1U << vec, MSIX_RD32(l, LEAPIO_MSIX_PBA_OFFSET));
	MSIX_WR32(l, MSIX_ENTRY(vec) + MSIX_CTRL, 0);
	ASSERT_GE(evfd_wait(l->msix_fd[vec], EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, MSIX_RD32(l, LEAPIO_MSIX_PBA_OFFSET));
	no_msix(_metadata, l);
}

TEST_F(irq, intx_trigger_and_vfio_unmask)
{
	struct lio *l = &self->l;

	ASSERT_EQ(0, lio_intx_on(l));
	ASSERT_EQ(0, evfd_take(l->intx_fd));

	/* A completion raises the line: the trigger fires (and VFIO masks
	 * it, AUTOMASKED).
	 */
	identify_no_ring(_metadata, l, self->buf);
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);

	/* Unmask while the CQE is unconsumed: the level is still high, so
	 * it fires again.
	 */
	ASSERT_EQ(0, vfio_irq_unmask(&l->dev, VFIO_PCI_INTX_IRQ_INDEX));
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);

	/* Consume it (CQ head doorbell): the line drops; unmask is quiet. */
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 0));
	ASSERT_EQ(0, vfio_irq_unmask(&l->dev, VFIO_PCI_INTX_IRQ_INDEX));
	ASSERT_EQ(0, evfd_take(l->intx_fd));

	/* The next completion fires again. */
	identify_no_ring(_metadata, l, self->buf);
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 0));
}

TEST_F(irq, intx_intms_intmc)
{
	struct lio *l = &self->l;

	ASSERT_EQ(0, lio_intx_on(l));
	/* INTMS masks the line: a completion does not fire it. */
	REG_WR32(l, NVME_REG_INTMS, 1);
	identify_no_ring(_metadata, l, self->buf);
	ASSERT_EQ(0, evfd_take(l->intx_fd));
	/* INTMC unmasks it with the completion still unconsumed: fires. */
	REG_WR32(l, NVME_REG_INTMC, 1);
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 0));
	ASSERT_EQ(0, vfio_irq_unmask(&l->dev, VFIO_PCI_INTX_IRQ_INDEX));
	ASSERT_EQ(0, evfd_take(l->intx_fd));
}

TEST_F(irq, intx_vfio_mask)
{
	struct lio *l = &self->l;

	ASSERT_EQ(0, lio_intx_on(l));
	/* Masked by the VFIO user: nothing until it unmasks. */
	ASSERT_EQ(0, vfio_irq_mask(&l->dev, VFIO_PCI_INTX_IRQ_INDEX));
	identify_no_ring(_metadata, l, self->buf);
	ASSERT_EQ(0, evfd_take(l->intx_fd));
	ASSERT_EQ(0, vfio_irq_unmask(&l->dev, VFIO_PCI_INTX_IRQ_INDEX));
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 0));
}

TEST_F(irq, intx_disable_bit)
{
	struct lio *l = &self->l;
	uint16_t cmd;

	ASSERT_EQ(0, lio_intx_on(l));
	/* PCI Command INTx Disable keeps the line low. */
	cmd = CFG_RD16(l, PCI_COMMAND);
	CFG_WR16(l, PCI_COMMAND, cmd | PCI_COMMAND_INTX_DISABLE);
	identify_no_ring(_metadata, l, self->buf);
	ASSERT_EQ(0, evfd_take(l->intx_fd));
	ASSERT_NE(0, CFG_RD16(l, PCI_STATUS) & PCI_STATUS_INTERRUPT);
	/* Re-enabled with the completion unconsumed: it fires. */
	CFG_WR16(l, PCI_COMMAND, cmd);
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 0));
	ASSERT_EQ(0, CFG_RD16(l, PCI_STATUS) & PCI_STATUS_INTERRUPT);
}

TEST_F(irq, intx_and_msix_exclusive)
{
	struct lio *l = &self->l;
	int fd = evfd_new();

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, lio_msix_on(l));
	/* INTx cannot be wired while MSI-X is on ... */
	ASSERT_NE(0, vfio_irq_set_eventfds(&l->dev, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &fd));
	/* ... and can once MSI-X is off; then a completion raises INTx. */
	lio_irq_off(l);
	ASSERT_EQ(0, lio_intx_on(l));
	identify_no_ring(_metadata, l, self->buf);
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 0));
	close(fd);
}

/* ---- VFIO_DEVICE_SET_IRQS's refusals ---- */

#define D_NONE		VFIO_IRQ_SET_DATA_NONE
#define D_BOOL		VFIO_IRQ_SET_DATA_BOOL
#define D_EFD		VFIO_IRQ_SET_DATA_EVENTFD
#define A_MASK		VFIO_IRQ_SET_ACTION_MASK
#define A_UNMASK	VFIO_IRQ_SET_ACTION_UNMASK
#define A_TRIGGER	VFIO_IRQ_SET_ACTION_TRIGGER
#define INTX		VFIO_PCI_INTX_IRQ_INDEX
#define MSIX		VFIO_PCI_MSIX_IRQ_INDEX

/* One SET_IRQS exactly as given, len bytes of data: 0 or -errno. */
static int set_irqs(struct lio *l, uint32_t flags, uint32_t index,
		    uint32_t start, uint32_t count, const void *data, size_t len)
{
	struct vfio_irq_set *s = calloc(1, sizeof(*s) + len);
	int ret;

	if (!s)
		return -ENOMEM;
	s->argsz = sizeof(*s) + len;
	s->flags = flags;
	s->index = index;
	s->start = start;
	s->count = count;
	if (len)
		memcpy(s->data, data, len);
	ret = ioctl(l->dev.fd, VFIO_DEVICE_SET_IRQS, s) < 0 ? -errno : 0;
	free(s);
	return ret;
}

static int set_fds(struct lio *l, uint32_t index, uint32_t start,
		   uint32_t count, const int32_t *fds)
{
	return set_irqs(l, D_EFD | A_TRIGGER, index, start, count, fds,
			count * sizeof(*fds));
}

/* Loopback trigger of vector start (DATA_NONE): 0 only if the index is on. */
static int loopback(struct lio *l, uint32_t index, uint32_t start)
{
	return set_irqs(l, D_NONE | A_TRIGGER, index, start, 1, NULL, 0);
}

static int teardown(struct lio *l, uint32_t index)
{
	return set_irqs(l, D_NONE | A_TRIGGER, index, 0, 0, NULL, 0);
}

/* MSI-X is wired as lio_msix_on() left it: an admin completion signals
 * vector 0's eventfd and nothing else.
 */
static void msix_as_wired(struct __test_metadata *_metadata, struct lio *l,
			  uint64_t buf)
{
	identify_ok(_metadata, l, buf);
	ASSERT_GE(evfd_wait(l->msix_fd[0], EVFD_TIMEOUT_MS), 1);
	no_msix(_metadata, l);
}

TEST_F(irq, set_irqs_index_without_interrupts)
{
	struct lio *l = &self->l;
	static const uint32_t bad[] = {
		VFIO_PCI_MSI_IRQ_INDEX, VFIO_PCI_ERR_IRQ_INDEX,
		VFIO_PCI_REQ_IRQ_INDEX, VFIO_PCI_NUM_IRQS, 0xffffffff,
	};
	int32_t fd = evfd_new();
	uint8_t one = 1;
	unsigned int i;

	ASSERT_GE(fd, 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		TH_LOG("index %u", bad[i]);
		EXPECT_EQ(-EINVAL, set_fds(l, bad[i], 0, 1, &fd));
		EXPECT_EQ(-EINVAL, teardown(l, bad[i]));
		EXPECT_EQ(-EINVAL, set_irqs(l, D_BOOL | A_TRIGGER, bad[i], 0, 1, &one, 1));
		EXPECT_EQ(-EINVAL, set_irqs(l, D_NONE | A_UNMASK, bad[i], 0, 1, NULL, 0));
	}
	/* Nothing came on. */
	EXPECT_EQ(-EINVAL, loopback(l, INTX, 0));
	EXPECT_EQ(-EINVAL, loopback(l, MSIX, 0));
	identify_ok(_metadata, l, self->buf);
	EXPECT_EQ(0, evfd_take(fd));
	close(fd);
}

TEST_F(irq, set_irqs_start_and_count_out_of_range)
{
	struct lio *l = &self->l;
	int32_t fds[LEAPIO_MAX_IOQ + 2];
	uint32_t n = l->dev.irq[MSIX].count;
	const struct { uint32_t start, count; } bad[] = {
		{ n, 1 }, { 0, n + 1 }, { n - 1, 2 }, { 1, 0xffffffff },
		{ 0xffffffff, 1 }, { 0xffffffff, 0 }, { 0x80000000, 0x80000000 },
	};
	unsigned int i;
	int e = evfd_new();

	ASSERT_GE(e, 0);
	ASSERT_GE(LEAPIO_MAX_IOQ + 1, n);
	for (i = 0; i < ARRAY_SIZE(fds); i++)
		fds[i] = e;
	ASSERT_EQ(0, lio_msix_on(l));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		uint32_t c = bad[i].count > n + 1 ? n + 1 : bad[i].count;

		TH_LOG("MSI-X start %u count %u", bad[i].start, bad[i].count);
		EXPECT_EQ(-EINVAL, set_irqs(l, D_EFD | A_TRIGGER, MSIX, bad[i].start,
					    bad[i].count, fds, c * sizeof(fds[0])));
		EXPECT_EQ(-EINVAL, set_irqs(l, D_NONE | A_TRIGGER, MSIX, bad[i].start,
					    bad[i].count, NULL, 0));
	}
	/* The vectors kept their eventfds. */
	msix_as_wired(_metadata, l, self->buf);
	EXPECT_EQ(0, evfd_take(e));

	lio_irq_off(l);
	ASSERT_EQ(0, lio_intx_on(l));
	EXPECT_EQ(-EINVAL, set_fds(l, INTX, 1, 1, fds));
	EXPECT_EQ(-EINVAL, set_fds(l, INTX, 0, 2, fds));
	EXPECT_EQ(-EINVAL, set_fds(l, INTX, 0xffffffff, 1, fds));
	EXPECT_EQ(-EINVAL, set_irqs(l, D_NONE | A_UNMASK, INTX, 1, 1, NULL, 0));
	EXPECT_EQ(-EINVAL, set_irqs(l, D_NONE | A_MASK, INTX, 0, 2, NULL, 0));
	/* Mask and unmask are of one line: count 0 is not one. */
	EXPECT_EQ(-EINVAL, set_irqs(l, D_NONE | A_MASK, INTX, 0, 0, NULL, 0));
	EXPECT_EQ(-EINVAL, set_irqs(l, D_NONE | A_UNMASK, INTX, 0, 0, NULL, 0));
	/* INTx kept its eventfd, unmasked. */
	identify_no_ring(_metadata, l, self->buf);
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);
	EXPECT_EQ(0, evfd_take(e));
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 0));
	close(e);
}

TEST_F(irq, set_irqs_bad_flags_and_argsz)
{
	struct lio *l = &self->l;
	struct vfio_irq_set small = {
		.argsz = offsetof(struct vfio_irq_set, count),
		.flags = D_NONE | A_TRIGGER, .index = MSIX, .count = 0,
	};
	int32_t fds[2] = { -1, -1 };

	ASSERT_EQ(0, lio_msix_on(l));
	/* A flag VFIO does not define, no data type, two data types. */
	EXPECT_EQ(-EINVAL, set_irqs(l, 1U << 6 | D_NONE | A_TRIGGER, MSIX, 0, 0, NULL, 0));
	EXPECT_EQ(-EINVAL, set_irqs(l, A_TRIGGER, MSIX, 0, 1, NULL, 0));
	EXPECT_EQ(-EINVAL, set_irqs(l, D_NONE | D_BOOL | A_TRIGGER, MSIX, 0, 1, fds, 1));
	EXPECT_EQ(-EINVAL, set_irqs(l, D_BOOL | D_EFD | A_TRIGGER, MSIX, 0, 1, fds, 4));
	/* argsz short of the header, and of the data count asks for. */
	EXPECT_EQ(-1, ioctl(l->dev.fd, VFIO_DEVICE_SET_IRQS, &small));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-EINVAL, set_irqs(l, D_EFD | A_TRIGGER, MSIX, 0, 2, fds, sizeof(fds[0])));
	EXPECT_EQ(-EINVAL, set_irqs(l, D_BOOL | A_TRIGGER, MSIX, 0, 2, fds, 1));
	/* None of them tore MSI-X down or unwired a vector. */
	msix_as_wired(_metadata, l, self->buf);
}

TEST_F(irq, set_irqs_actions_an_index_lacks)
{
	struct lio *l = &self->l;
	int32_t fd = evfd_new();
	uint8_t one = 1;

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, lio_msix_on(l));
	/* MSI-X vectors are masked in the MSI-X table, not through VFIO. */
	EXPECT_EQ(-ENOTTY, set_irqs(l, D_NONE | A_MASK, MSIX, 0, 1, NULL, 0));
	EXPECT_EQ(-ENOTTY, set_irqs(l, D_NONE | A_UNMASK, MSIX, 0, 1, NULL, 0));
	EXPECT_EQ(-ENOTTY, set_irqs(l, D_BOOL | A_MASK, MSIX, 0, 1, &one, 1));
	EXPECT_EQ(-ENOTTY, set_irqs(l, D_EFD | A_UNMASK, MSIX, 0, 1, &fd, 4));
	/* No action, or several. */
	EXPECT_EQ(-ENOTTY, set_irqs(l, D_NONE, MSIX, 0, 1, NULL, 0));
	EXPECT_EQ(-ENOTTY, set_irqs(l, D_NONE | A_MASK | A_TRIGGER, MSIX, 0, 1, NULL, 0));
	EXPECT_EQ(-ENOTTY, set_irqs(l, D_NONE | A_TRIGGER | A_UNMASK, MSIX, 0, 0, NULL, 0));
	msix_as_wired(_metadata, l, self->buf);
	/* INTx's mask and unmask are of an INTx that is on. */
	EXPECT_EQ(-EINVAL, set_irqs(l, D_NONE | A_MASK, INTX, 0, 1, NULL, 0));
	EXPECT_EQ(-EINVAL, set_irqs(l, D_EFD | A_UNMASK, INTX, 0, 1, &fd, 4));

	lio_irq_off(l);
	ASSERT_EQ(0, lio_intx_on(l));
	/* Fired, and masked by VFIO until unmasked (AUTOMASKED). */
	identify_no_ring(_metadata, l, self->buf);
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);
	/* Neither of these is an unmask: the line, still high, stays quiet. */
	EXPECT_EQ(-ENOTTY, set_irqs(l, D_NONE, INTX, 0, 1, NULL, 0));
	EXPECT_EQ(-ENOTTY, set_irqs(l, D_NONE | A_MASK | A_UNMASK, INTX, 0, 1, NULL, 0));
	EXPECT_EQ(-ENOTTY, set_irqs(l, D_BOOL | A_UNMASK | A_TRIGGER, INTX, 0, 1, &one, 1));
	/* A mask eventfd: vfio-pci has none either. */
	EXPECT_EQ(-ENOTTY, set_irqs(l, D_EFD | A_MASK, INTX, 0, 1, &fd, 4));
	EXPECT_EQ(0, evfd_take(l->intx_fd));
	/* The real unmask: the line is high, it fires again. */
	ASSERT_EQ(0, vfio_irq_unmask(&l->dev, INTX));
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 0));
	EXPECT_EQ(0, evfd_take(fd));
	close(fd);
}

TEST_F(irq, set_irqs_fd_not_an_eventfd)
{
	struct lio *l = &self->l;
	int p[2], closed, e = evfd_new();
	int32_t fds[3];

	ASSERT_GE(e, 0);
	ASSERT_EQ(0, pipe(p));
	/*
	 * A number no file is open at, for good: not one just closed, which
	 * the next eventfd would take.
	 */
	closed = 1 << 20;
	ASSERT_EQ(-1, fcntl(closed, F_GETFD));
	ASSERT_EQ(EBADF, errno);

	/* MSI-X off: a bad fd among good ones leaves it off. */
	fds[0] = e;
	fds[1] = p[0];
	EXPECT_EQ(-EINVAL, set_fds(l, MSIX, 0, 2, fds));
	fds[1] = closed;
	EXPECT_EQ(-EBADF, set_fds(l, MSIX, 0, 2, fds));
	EXPECT_EQ(-EINVAL, loopback(l, MSIX, 0));

	/* MSI-X on: the vectors keep the eventfds they had. */
	ASSERT_EQ(0, lio_msix_on(l));
	fds[0] = e;
	fds[1] = p[1];
	fds[2] = e;
	EXPECT_EQ(-EINVAL, set_fds(l, MSIX, 0, 3, fds));
	fds[1] = closed;
	EXPECT_EQ(-EBADF, set_fds(l, MSIX, 0, 3, fds));
	msix_as_wired(_metadata, l, self->buf);
	EXPECT_EQ(0, evfd_take(e));

	/* INTx: neither its trigger nor its unmask takes a pipe. */
	lio_irq_off(l);
	EXPECT_EQ(-EINVAL, set_fds(l, INTX, 0, 1, &p[0]));
	EXPECT_EQ(-EBADF, set_fds(l, INTX, 0, 1, &closed));
	EXPECT_EQ(-EINVAL, loopback(l, INTX, 0));
	ASSERT_EQ(0, lio_intx_on(l));
	EXPECT_EQ(-EINVAL, set_irqs(l, D_EFD | A_UNMASK, INTX, 0, 1, &p[0], 4));
	EXPECT_EQ(-EBADF, set_irqs(l, D_EFD | A_UNMASK, INTX, 0, 1, &closed, 4));
	EXPECT_EQ(-EINVAL, set_fds(l, INTX, 0, 1, &p[1]));
	identify_no_ring(_metadata, l, self->buf);
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 0));
	EXPECT_EQ(0, evfd_take(e));
	close(p[0]);
	close(p[1]);
	close(e);
}

TEST_F(irq, set_irqs_minus_one_unwires)
{
	struct lio *l = &self->l;
	int32_t fds[LEAPIO_MAX_IOQ + 1], none = -1, other = -2;
	uint32_t n = l->dev.irq[MSIX].count, i;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	int e = evfd_new();

	ASSERT_GE(e, 0);
	/* MSI-X: -1 (any negative fd) unwires one vector, MSI-X stays on. */
	ASSERT_EQ(0, lio_msix_on(l));
	ASSERT_EQ(0, nvd_create_io_pair(&l->nvd, 1, 8, 1));
	evfd_take(l->msix_fd[0]);
	ASSERT_EQ(0, set_fds(l, MSIX, 0, 1, &none));
	identify_ok(_metadata, l, self->buf);
	EXPECT_EQ(0, evfd_take(l->msix_fd[0]));
	nb_rw(&sqe, nvme_cmd_read, 1, 0, 1, self->buf, 0);
	ASSERT_EQ(0, nvd_cmd(&l->nvd, 1, &sqe, &cqe));
	ASSERT_GE(evfd_wait(l->msix_fd[1], EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, set_fds(l, MSIX, 1, 1, &other));
	ASSERT_EQ(0, nvd_cmd(&l->nvd, 1, &sqe, &cqe));
	no_msix(_metadata, l);
	EXPECT_EQ(0, loopback(l, MSIX, 0));

	/* All -1 while off: MSI-X on with nothing wired (INTx refused). */
	ASSERT_EQ(0, teardown(l, MSIX));
	for (i = 0; i < n; i++)
		fds[i] = -1;
	ASSERT_EQ(0, set_fds(l, MSIX, 0, n, fds));
	EXPECT_EQ(0, loopback(l, MSIX, 0));
	EXPECT_EQ(-EINVAL, set_fds(l, INTX, 0, 1, &e));
	ASSERT_EQ(0, teardown(l, MSIX));
	lio_irq_off(l);

	/* INTx -1 while off: on without an eventfd (MSI-X refused). */
	ASSERT_EQ(0, set_fds(l, INTX, 0, 1, &none));
	EXPECT_EQ(0, loopback(l, INTX, 0));
	EXPECT_EQ(-EINVAL, lio_msix_on(l));
	ASSERT_EQ(0, set_fds(l, INTX, 0, 1, &e));
	identify_no_ring(_metadata, l, self->buf);
	ASSERT_GE(evfd_wait(e, EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 0));
	ASSERT_EQ(0, vfio_irq_unmask(&l->dev, INTX));

	/* INTx -1 while on: the eventfd goes, INTx stays on. */
	ASSERT_EQ(0, set_fds(l, INTX, 0, 1, &none));
	EXPECT_EQ(-EINVAL, lio_msix_on(l));
	identify_no_ring(_metadata, l, self->buf);
	EXPECT_EQ(0, evfd_take(e));
	/* A new eventfd hears of the line at the next unmask. */
	ASSERT_EQ(0, set_fds(l, INTX, 0, 1, &e));
	EXPECT_EQ(0, evfd_take(e));
	ASSERT_EQ(0, vfio_irq_unmask(&l->dev, INTX));
	ASSERT_GE(evfd_wait(e, EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 0));
	ASSERT_EQ(0, teardown(l, INTX));
	close(e);
}

TEST_F(irq, set_irqs_teardown_of_the_index_on)
{
	struct lio *l = &self->l;
	int32_t fd = -1;
	uint8_t one = 1;
	unsigned int v;

	/* Nothing on: nothing to tear down. */
	EXPECT_EQ(-EINVAL, teardown(l, MSIX));
	EXPECT_EQ(-EINVAL, teardown(l, INTX));

	ASSERT_EQ(0, lio_msix_on(l));
	EXPECT_EQ(-EINVAL, teardown(l, INTX));
	/* count 0 with data is no teardown. */
	EXPECT_EQ(-EINVAL, set_irqs(l, D_EFD | A_TRIGGER, MSIX, 0, 0, &fd, 4));
	EXPECT_EQ(-EINVAL, set_irqs(l, D_BOOL | A_TRIGGER, MSIX, 0, 0, &one, 1));
	msix_as_wired(_metadata, l, self->buf);
	ASSERT_EQ(0, teardown(l, MSIX));
	EXPECT_EQ(-EINVAL, teardown(l, MSIX));
	EXPECT_EQ(-EINVAL, loopback(l, MSIX, 0));
	/* The eventfds are let go: a completion signals none. */
	identify_ok(_metadata, l, self->buf);
	for (v = 0; v < l->nr_msix; v++)
		EXPECT_EQ(0, evfd_take(l->msix_fd[v]));
	lio_irq_off(l);

	ASSERT_EQ(0, lio_intx_on(l));
	EXPECT_EQ(-EINVAL, teardown(l, MSIX));
	EXPECT_EQ(-EINVAL, set_irqs(l, D_EFD | A_TRIGGER, INTX, 0, 0, &fd, 4));
	EXPECT_EQ(-EINVAL, set_irqs(l, D_BOOL | A_TRIGGER, INTX, 0, 0, &one, 1));
	EXPECT_EQ(0, loopback(l, INTX, 0));
	ASSERT_GE(evfd_wait(l->intx_fd, EVFD_TIMEOUT_MS), 1);
	ASSERT_EQ(0, teardown(l, INTX));
	EXPECT_EQ(-EINVAL, teardown(l, INTX));
	EXPECT_EQ(-EINVAL, loopback(l, INTX, 0));
	identify_no_ring(_metadata, l, self->buf);
	EXPECT_EQ(0, evfd_take(l->intx_fd));
	/* Off, so MSI-X may come on. */
	ASSERT_EQ(0, nvd_ring_cq(&l->nvd, 0));
	lio_irq_off(l);
	ASSERT_EQ(0, lio_msix_on(l));
	msix_as_wired(_metadata, l, self->buf);
}

TEST_F(irq, set_irqs_loopback_bool)
{
	struct lio *l = &self->l;
	uint8_t fire[2] = { 0, 1 };

	/* Loopback needs the index on. */
	EXPECT_EQ(-EINVAL, set_irqs(l, D_BOOL | A_TRIGGER, MSIX, 0, 2, fire, 2));
	EXPECT_EQ(-EINVAL, set_irqs(l, D_BOOL | A_TRIGGER, INTX, 0, 1, &fire[1], 1));
	ASSERT_EQ(0, lio_msix_on(l));
	ASSERT_EQ(0, set_irqs(l, D_BOOL | A_TRIGGER, MSIX, 0, 2, fire, 2));
	EXPECT_EQ(0, evfd_take(l->msix_fd[0]));
	EXPECT_EQ(1, evfd_take(l->msix_fd[1]));
	ASSERT_EQ(0, loopback(l, MSIX, 1));
	EXPECT_EQ(1, evfd_take(l->msix_fd[1]));
	no_msix(_metadata, l);

	lio_irq_off(l);
	ASSERT_EQ(0, lio_intx_on(l));
	ASSERT_EQ(0, set_irqs(l, D_BOOL | A_TRIGGER, INTX, 0, 1, &fire[0], 1));
	EXPECT_EQ(0, evfd_take(l->intx_fd));
	ASSERT_EQ(0, set_irqs(l, D_BOOL | A_TRIGGER, INTX, 0, 1, &fire[1], 1));
	EXPECT_EQ(1, evfd_take(l->intx_fd));
}

TEST_HARNESS_MAIN
