// SPDX-License-Identifier: GPL-2.0
/*
 * test_io.c's tests with the vdev on a remote drive over RDMA: the
 * kernel's NVMe-oF target on soft-RoCE (rdma_rxe), leapiod serving
 * nvme+rdma:// through nvme-rdma (lio_dp.h, LIO_DP_REMOTE; lib/nvmet.h).
 */
#define LIO_DP_REMOTE	"rdma"
/* Doorbells and interrupts are leapiod's alone: test_io covers them. */
#define LIO_DP_FRONT_END_CASES	0
#include "test_io.c"
