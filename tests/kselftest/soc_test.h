/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tests of leapio_soc.ko (test_soc_*) share: a fixture that
 * loads the module on the rig's card functions (lib/soc_card.h) and opens
 * /dev/leapio_soc, and skips, saying why, in an L1 that has no ivshmem
 * function at all (the regular L1). An L1 with some ivshmem function but
 * not the card's is a failure, not a skip.
 */
#ifndef LEAPIO_KSFT_SOC_TEST_H
#define LEAPIO_KSFT_SOC_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "evfd.h"
#include "kmod.h"
#include "mdev_sysfs.h"
#include "soc_card.h"
#include "../../uapi/linux/leapio_soc.h"

struct soc_fix {
	struct soc_rig		rig;
	int			fd;	/* /dev/leapio_soc, or -1 */
	struct leapio_soc_info	info;
};

/*
 * In FIXTURE_SETUP: skip without the card, else load the module on the
 * card's functions, open the device and read its info. The module is
 * unloaded by SOC_TEARDOWN.
 */
#define SOC_SETUP(s) do { \
	(s)->fd = -1; \
	if (soc_ivshmem_count() == 0) \
		SKIP(return, SOC_SKIP_REASON); \
	{ ASSERT_EQ(0, soc_rig_init(&(s)->rig)) \
		TH_LOG("set LEAPIO_SOC_KO or LEAPIO_KO (leapio_soc.ko: %s)", \
		       (s)->rig.ko); } \
	{ ASSERT_EQ(0, soc_load(&(s)->rig, (s)->rig.params)) \
		TH_LOG("insmod %s %s", (s)->rig.ko, (s)->rig.params); } \
	_metadata->setup_completed = true; \
	(s)->fd = open(SOC_DEV_PATH, O_RDWR | O_CLOEXEC); \
	{ ASSERT_LE(0, (s)->fd) TH_LOG("open %s: %s", SOC_DEV_PATH, \
					strerror(errno)); } \
	{ ASSERT_EQ(0, ioctl((s)->fd, LEAPIO_SOC_IOC_GET_INFO, &(s)->info)); } \
} while (0)

#define SOC_TEARDOWN(s) do { \
	if ((s)->fd >= 0) \
		close((s)->fd); \
	(s)->fd = -1; \
	EXPECT_EQ(0, soc_unload()); \
} while (0)

/* ioctl's errno, or 0 when it succeeded. */
static inline int soc_ioctl_err(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

static inline int soc_ring(int fd, uint32_t peer, uint32_t vector)
{
	struct leapio_soc_ring q = { .peer = peer, .vector = vector };

	return soc_ioctl_err(fd, LEAPIO_SOC_IOC_RING, &q);
}

/* fd -1 detaches. */
static inline int soc_set_irqfd(int fd, uint32_t vector, int efd)
{
	struct leapio_soc_irqfd q = { .vector = vector, .fd = efd };

	return soc_ioctl_err(fd, LEAPIO_SOC_IOC_SET_IRQFD, &q);
}

/* mmap's errno, or 0 (and the mapping in *p). */
static inline int soc_mmap(int fd, uint64_t off, size_t len, int flags,
			   void **p)
{
	*p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, (off_t)off);
	if (*p == MAP_FAILED) {
		*p = NULL;
		return errno;
	}
	return 0;
}

/*
 * Read one byte at p in a child: the signal that killed it (SIGBUS for a
 * torn-down mapping), 0 if the read worked, -1 if fork/wait failed.
 */
static inline int soc_touch_signal(const volatile uint8_t *p)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		(void)*p;
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status))
		return WTERMSIG(status);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

#endif /* LEAPIO_KSFT_SOC_TEST_H */
