/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A remote drive for the tests: the kernel's own NVMe-oF target (nvmet)
 * exporting a block device of the test's (lib/backing.h) as namespace 1
 * of a subsystem of its own, on a port of its own, reached by leapiod as
 * nvme+tcp:// or nvme+rdma:// through the kernel's initiator across the
 * rig's veth pair. The network and the target's configuration are
 * tests/vm/nvmet.sh's (one definition for the kselftests and the L1
 * scripts); this calls it.
 *
 * Subsystems are nqn.2026-12.io.leapio.ksft:<pid>-<n>, ports derived
 * from the pid: a test killed midway leaves an export no later test
 * trips over.
 */
#ifndef LEAPIO_KSFT_NVMET_H
#define LEAPIO_KSFT_NVMET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* tests/vm/nvmet.sh's addresses: the TCP target's, nobody's port. */
#define NVMET_TCP_ADDR		"10.77.0.2"

struct nvmet_export {
	char		transport[8];	/* "tcp", "rdma" */
	char		nqn[96];
	unsigned int	port;		/* configfs port id; TCP port 4420 + it */
	char		trsvcid[8];
	char		uri[256];	/* nvme+tcp://10.77.0.2:N/<nqn>/1 */
	bool		made;		/* unexport has something to undo */
};

/*
 * The network and the modules for transport (idempotent). 0 or -errno,
 * with nvmet.sh's words in err.
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
/* The target reads the exported device's size again and, when it
 * changed, tells the connected hosts (Namespace Attribute Changed).
 */
int nvmet_revalidate(struct nvmet_export *e);

/* How many of this host's controllers are connected to nqn (or -errno). */
int nvmet_host_ctrls(const char *nqn);
/* The first such controller's state ("live", "connecting"), or "". */
int nvmet_host_ctrl_state(const char *nqn, char *buf, size_t len);

#endif /* LEAPIO_KSFT_NVMET_H */
