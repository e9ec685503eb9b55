/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A remote drive for the tests: the kernel's own NVMe-oF target (nvmet),
 * configured through configfs, exporting a block device of the test's
 * (lib/backing.h) as namespace 1 of a subsystem of its own, on a port of
 * its own. leapiod reaches it as nvme+tcp:// or nvme+rdma:// through the
 * kernel's initiator, across a veth pair:
 *
 *   init namespace: lio-h 10.77.0.1 (leapiod, the initiator;
 *                   soft-RoCE device lio-rxe on it)
 *   namespace lio-tgt: lio-t 10.77.0.2 (the TCP target's port)
 *
 * The TCP port listens inside lio-tgt (nvmet-tcp opens its socket in the
 * namespace of the process that enables the port). nvmet-rdma and
 * nvme-rdma only use the init namespace's RDMA CM, so the RDMA port is
 * on 10.77.0.1, through lio-rxe's loopback (Documentation/admin-guide/
 * remote-drives.rst says so).
 *
 * Subsystems are nqn.2026-12.io.leapio.ksft:<pid>-<n>; a test killed
 * midway leaves its export, which the next nvmet_export() of that name
 * would trip over: names carry the pid.
 */
#ifndef LEAPIO_KSFT_NVMET_H
#define LEAPIO_KSFT_NVMET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NVMET_HOST_ADDR		"10.77.0.1"
#define NVMET_TCP_ADDR		"10.77.0.2"
#define NVMET_NETNS		"lio-tgt"

struct nvmet_export {
	char		transport[8];	/* "tcp", "rdma" */
	char		nqn[96];
	char		traddr[16];
	unsigned int	port;		/* configfs port id, and 4420 + n */
	char		trsvcid[8];
	char		uri[256];	/* nvme+tcp://10.77.0.2:N/<nqn>/1 */
	bool		subsys, ns, port_made, linked;
};

/*
 * The network and the modules for transport (idempotent). 0 or -errno;
 * -ENOENT when a tool or module is missing (the message says which).
 */
int nvmet_net_up(const char *transport, char *err, size_t errlen);

/* Export the block device dev as namespace 1 over transport. 0 or -errno. */
int nvmet_export(struct nvmet_export *e, const char *transport, const char *dev,
		 char *err, size_t errlen);
/* The port stops offering the subsystem (its connections drop) / again. */
int nvmet_unlink(struct nvmet_export *e);
int nvmet_link(struct nvmet_export *e);
/* Everything nvmet_export() made, undone; safe on a partial one. */
void nvmet_unexport(struct nvmet_export *e);

/* How many of this host's controllers are connected to nqn (sysfs). */
int nvmet_host_ctrls(const char *nqn);
/* The first such controller's state ("live", "connecting"), or "". */
int nvmet_host_ctrl_state(const char *nqn, char *buf, size_t len);

#endif /* LEAPIO_KSFT_NVMET_H */
