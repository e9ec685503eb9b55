// SPDX-License-Identifier: GPL-2.0
/* The benchmarks' guest, set up (bench_client.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../uapi/linux/leapio.h"
#include "bench_client.h"
#include "clock.h"

/* leapiod is started by the script once it has read the UUID. */
#define ATTACH_MS	60000

static int wait_attached(struct lio *l)
{
	int64_t t0 = mono_ms();
	unsigned long long pid = 0;

	while (mdev_attr_read_u64(&l->mdev, LEAPIO_SYSFS_RUNTIME_PID, &pid) || !pid) {
		if (mono_ms() - t0 > ATTACH_MS)
			return -ETIMEDOUT;
		usleep(20000);
	}
	return 0;
}

int bench_client_setup(struct lio *l, struct nio *io, const struct lio_opts *o,
		       uint16_t qsize, const char *who)
{
	int err;

	lio_init(l);
	err = lio_setup(l, o);
	if (err) {
		fprintf(stderr, "%s: mdev: %s\n", who, strerror(-err));
		return err;
	}
	printf("uuid=%s\n", l->mdev.uuid);
	fflush(stdout);
	err = wait_attached(l);
	if (!err)
		err = lio_open_shared(l);
	if (!err)
		err = nvd_enable(&l->nvd);
	if (!err)
		err = lio_msix_on(l);
	if (!err)
		err = nio_init(io, l);
	if (!err)
		err = nvd_create_io_pair(&l->nvd, 1, qsize, 1);
	if (err) {
		fprintf(stderr, "%s: setting up: %s\n", who, strerror(-err));
		lio_teardown(l);
	}
	return err;
}
