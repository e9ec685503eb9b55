// SPDX-License-Identifier: GPL-2.0
/*
 * What attaching checks whatever the platform: the UUID's bytes, and the
 * namespace the driver gives against the backend (plat.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lio_env.h"
#include "../../common/leapio/region_layout.h"
#include "../backend/backend.h"
#include "plat.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int lio_uuid_bytes(const char *s, uint8_t out[16])
{
	int i, n = 0;

	if (strlen(s) != 36)
		return -EINVAL;
	for (i = 0; i < 36; i++) {
		int hi, lo;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -EINVAL;
			continue;
		}
		hi = hexval(s[i]);
		lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[n++] = hi << 4 | lo;
		i++;
	}
	return n == 16 ? 0 : -EINVAL;
}

int lio_ns_check(const void *region, const struct lio_bdev *b,
		 char *err, size_t errlen)
{
	const char *backend = b->cfg.path[0] ? b->cfg.path : "null";
	uint64_t backend_size = b->size;
	struct leapio_region_view v;
	uint64_t nsze, bytes;
	uint8_t shift;

	leapio_region_view(&v, (void *)region);
	nsze = __atomic_load_n(&v.ctrl->nsze, __ATOMIC_RELAXED);
	shift = __atomic_load_n(&v.ctrl->lba_shift, __ATOMIC_RELAXED);
	/* A driver older than the geometry at attach: judged at enable. */
	if (!nsze)
		return 0;
	if (shift != 9 && shift != 12) {
		snprintf(err, errlen, "the namespace's LBA size (shift %u) is "
			 "neither 512 nor 4096 bytes", shift);
		return -EPROTO;
	}
	if (b->block_size > 1U << shift) {
		snprintf(err, errlen, "the namespace's LBA size (%u bytes) is "
			 "smaller than the block size of its backend %s (%u bytes), "
			 "which cannot write one LBA alone: give the mdev lba_size "
			 "%u", 1U << shift, backend, b->block_size, b->block_size);
		return -EINVAL;
	}
	bytes = nsze > UINT64_MAX >> shift ? UINT64_MAX : nsze << shift;
	if (bytes <= backend_size)
		return 0;
	snprintf(err, errlen, "the namespace (ns_size %llu bytes) is larger "
		 "than its backend %s (%llu bytes): give the mdev a smaller "
		 "ns_size or leapiod a larger backend",
		 (unsigned long long)bytes, backend,
		 (unsigned long long)backend_size);
	return -EFBIG;
}
