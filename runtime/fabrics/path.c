// SPDX-License-Identifier: GPL-2.0
/*
 * What a failed remote command means. The kernel's initiator does not
 * requeue passthrough commands while a controller reconnects: they come
 * back with a Path Related status (Host Pathing Error, Command Aborted By
 * Host) or, when the namespace has no live path at all, the submission
 * fails with -EINVAL. Read together with the controller's state that
 * says whether the command itself was at fault (complete it as it is),
 * the path is down for now (hold it), or the kernel gave the controller
 * up (Controller Pathing Error with DNR, so that the guest's driver fails
 * the I/O instead of retrying into a void).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../common/nvme/nvme_spec.h"
#include "nvmf.h"

_Static_assert(LIO_NVMF_STATUS_GONE == (NVME_STATUS(NVME_SCT_PATH, 0x60) | NVME_STATUS_DNR),
	       "Controller Pathing Error with DNR");

/* Could the path, rather than the command, explain this failure? */
static bool path_failure(int32_t res)
{
	if (res > 0)
		return NVME_STATUS_SCT(res) == NVME_SCT_PATH;
	/* The guest's memory, ours, or a read-only backend: not the path. */
	return res != -EFAULT && res != -ENOMEM && res != -EROFS;
}

enum lio_nvmf_verdict lio_nvmf_verdict(int32_t *res, enum lio_nvmf_state state,
				       uint32_t tries)
{
	if (!*res || !path_failure(*res))
		return LIO_NVMF_COMPLETE;
	switch (state) {
	case LIO_NVMF_DOWN:
		return LIO_NVMF_HOLD;
	case LIO_NVMF_LIVE:
		/* Reconnected already, or a path error on a live one: a
		 * few more tries, then the error is the command's.
		 */
		return tries < LIO_NVMF_LIVE_TRIES ? LIO_NVMF_HOLD : LIO_NVMF_COMPLETE;
	case LIO_NVMF_GONE:
		break;
	}
	*res = LIO_NVMF_STATUS_GONE;
	return LIO_NVMF_COMPLETE;
}

enum lio_nvmf_state lio_nvmf_state_parse(const char *text)
{
	if (!text || !strncmp(text, "deleting", 8) || !strncmp(text, "dead", 4))
		return LIO_NVMF_GONE;
	if (!strncmp(text, "live", 4))
		return LIO_NVMF_LIVE;
	return LIO_NVMF_DOWN;
}

enum lio_nvmf_state lio_nvmf_ctrl_state(const char *ctrl)
{
	char path[96], buf[32];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/nvme/%s/state", ctrl);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lio_nvmf_state_parse(NULL);
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[len > 0 ? len : 0] = 0;
	return lio_nvmf_state_parse(len > 0 ? buf : NULL);
}
