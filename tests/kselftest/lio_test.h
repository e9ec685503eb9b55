/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every LeapIO kselftest shares: the harness, the client library,
 * and assertion-wrapped accessors so a test reads as the register and
 * command sequence it checks. Each accessor fails the test (ASSERT) when
 * the VFIO access itself fails; the values are the test's to judge.
 */
#ifndef LEAPIO_KSFT_LIO_TEST_H
#define LEAPIO_KSFT_LIO_TEST_H

#include "kselftest_harness.h"

#include "evfd.h"
#include "guest_mem.h"
#include "lio_dev.h"
#include "mdev_sysfs.h"
#include "nvme_driver.h"
#include "vfio_client.h"

/* Register accessors on a struct lio *. The braces around each ASSERT
 * close the harness's trailing for() (its optional TH_LOG handler) before
 * the statement expression's value.
 */
#define CFG_RD8(l, off)		({ uint8_t __v = 0; \
	{ ASSERT_EQ(0, vfio_cfg_read8(&(l)->dev, (off), &__v)); } __v; })
#define CFG_RD16(l, off)	({ uint16_t __v = 0; \
	{ ASSERT_EQ(0, vfio_cfg_read16(&(l)->dev, (off), &__v)); } __v; })
#define CFG_RD32(l, off)	({ uint32_t __v = 0; \
	{ ASSERT_EQ(0, vfio_cfg_read32(&(l)->dev, (off), &__v)); } __v; })
#define CFG_WR8(l, off, v)	ASSERT_EQ(0, vfio_cfg_write8(&(l)->dev, (off), (v)))
#define CFG_WR16(l, off, v)	ASSERT_EQ(0, vfio_cfg_write16(&(l)->dev, (off), (v)))
#define CFG_WR32(l, off, v)	ASSERT_EQ(0, vfio_cfg_write32(&(l)->dev, (off), (v)))

#define REG_RD32(l, off)	({ uint32_t __v = 0; \
	{ ASSERT_EQ(0, nvd_rd32(&(l)->nvd, (off), &__v)); } __v; })
#define REG_RD64(l, off)	({ uint64_t __v = 0; \
	{ ASSERT_EQ(0, nvd_rd64(&(l)->nvd, (off), &__v)); } __v; })
#define REG_WR32(l, off, v)	ASSERT_EQ(0, nvd_wr32(&(l)->nvd, (off), (v)))
#define REG_WR64(l, off, v)	ASSERT_EQ(0, nvd_wr64(&(l)->nvd, (off), (v)))

#define MSIX_RD32(l, off)	({ uint32_t __v = 0; \
	{ ASSERT_EQ(0, vfio_bar_read32(&(l)->dev, LEAPIO_BAR_MSIX, (off), &__v)); } __v; })
#define MSIX_WR32(l, off, v)	\
	ASSERT_EQ(0, vfio_bar_write32(&(l)->dev, LEAPIO_BAR_MSIX, (off), (v)))

/* Admin command that must get a completion (any status) into *cqe. */
#define ADMIN(l, sqe, cqe)	ASSERT_EQ(0, nvd_admin(&(l)->nvd, (sqe), (cqe)))
/* Admin command whose completion must carry `status` (NVME_SC_*). */
#define ADMIN_STATUS(l, sqe, status) ({ struct nvme_cqe __c; \
	{ ASSERT_EQ(0, nvd_admin(&(l)->nvd, (sqe), &__c)); } \
	{ ASSERT_EQ((uint16_t)(status), nvd_status_code(&__c)); } __c; })
#define ADMIN_OK(l, sqe)	ADMIN_STATUS(l, sqe, NVME_SC_SUCCESS)

/*
 * Fixture plumbing: a fresh mdev, opened, per test. Once it exists the
 * fixture's teardown must run to remove it, even if a later step of a
 * FIXTURE_SETUP fails: the harness skips the teardown of a setup that did
 * not complete, so say it has (a leaked mdev would cost the following
 * tests an instance).
 */
#define LIO_SETUP(l, opts)	do { \
	{ ASSERT_EQ(0, lio_setup((l), (opts))); } \
	_metadata->setup_completed = true; \
} while (0)
#define LIO_ENABLE(l)		ASSERT_EQ(0, nvd_enable(&(l)->nvd))
#define LIO_TEARDOWN(l)		EXPECT_EQ(0, lio_teardown(l))

/* The type's MSI-X table size and BAR0 floor (doc/abi/pci-function.rst). */
static inline uint64_t lio_bar0_min(unsigned int nr_ioq)
{
	return LEAPIO_DB_OFFSET + (uint64_t)(nr_ioq + 1) * 2 * LEAPIO_DB_STRIDE;
}

static inline bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

#endif /* LEAPIO_KSFT_LIO_TEST_H */
