// SPDX-License-Identifier: GPL-2.0
/*
 * test_io.c's tests with the vdev on a remote drive over RDMA: the
 * kernel's NVMe-oF target on soft-RoCE (rdma_rxe), leapiod serving
 * nvme+rdma:// through nvme-rdma (lio_dp.h, LIO_DP_REMOTE; lib/nvmet.h).
 */
#define LIO_DP_REMOTE	"rdma"
#include "test_io.c"
