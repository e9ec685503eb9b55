// SPDX-License-Identifier: GPL-2.0
/* The data path tests with the card serving; see card_mode.h. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "../../../uapi/linux/leapio.h"
#include "card_mode.h"
#include "card_side.h"
#include "card_vm.h"
#include "kmod.h"
#include "mdev_sysfs.h"

#define GIB	(1ULL << 30)

int card_mode_up(struct card_mode *cm)
{
	char cur[32] = "";
	int err;

	memset(cm, 0, sizeof(*cm));
	err = soc_rig_init(&cm->rig);
	if (err)
		return err;
	/* With the card VM, its own kernel has the card side bound. */
	if (!card_vm() && !kmod_loaded(SOC_MODULE_NAME)) {
		err = kmod_load(cm->rig.ko, cm->rig.params);
		if (err)
			return err;
		cm->soc_loaded = true;
	}
	err = card_param_read(cur, sizeof(cur));
	if (err < 0)
		return err;
	cur[strcspn(cur, "\n")] = 0;
	if (strcmp(cur, cm->rig.host)) {
		err = card_param_write(cm->rig.host);
		if (err)
			return err;
		cm->bound = true;
	}
	return 0;
}

int card_mode_down(struct card_mode *cm)
{
	int err = 0, e;

	if (cm->bound) {
		err = card_param_write("");
		cm->bound = false;
	}
	if (cm->soc_loaded) {
		e = kmod_unload(SOC_MODULE_NAME);
		err = err ? err : e;
		cm->soc_loaded = false;
	}
	return err;
}

/* The size of the host-DRAM window: BAR2 of the card side's function. */
static int hostwin_size(const char *bdf, uint64_t *size)
{
	char path[PATH_MAX], line[128];
	unsigned long long start, end, flags;
	int bar = 0, ret = -ENODATA;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", bdf);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (bar++ != 2)
			continue;
		if (sscanf(line, "%llx %llx %llx", &start, &end, &flags) == 3 &&
		    end > start) {
			*size = end - start + 1;
			ret = 0;
		}
		break;
	}
	fclose(f);
	return ret;
}

int card_mode_json(char *buf, size_t len)
{
	struct soc_rig rig;
	uint64_t lowmem = 0, win = 0;
	bool above;
	int err, n;

	err = soc_rig_init(&rig);
	if (!err)
		err = soc_lowmem(&lowmem, &above);
	if (!err)
		err = hostwin_size(rig.hostmem, &win);
	if (err)
		return err;
	if (win <= lowmem)
		return -ERANGE;
	/* [0, lowmem) at 0; what follows at 4 GiB right after it. */
	n = snprintf(buf, len,
		     "\"card\": {\"device\": \"%s\", \"host_window\": ["
		     "{\"phys\": 0, \"len\": %" PRIu64 ", \"offset\": 0}, "
		     "{\"phys\": %llu, \"len\": %" PRIu64 ", \"offset\": %" PRIu64 "}]}",
		     SOC_DEV_PATH, lowmem, 4 * GIB, win - lowmem, lowmem);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int card_mode_handover(const char *uuid, const char *owner)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/%s/%s", uuid,
		 LEAPIO_SYSFS_GROUP, LEAPIO_SYSFS_RUNTIME);
	return sysfs_write(path, owner);
}
