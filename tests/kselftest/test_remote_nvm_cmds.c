// SPDX-License-Identifier: GPL-2.0
/*
 * test_nvm_cmds.c's tests with the vdev on a remote drive (nvme+tcp://,
 * lio_dp.h LIO_DP_REMOTE): Verify and Copy go through the NVMe
 * passthrough backend as Reads and Writes of leapiod's own buffers.
 */
#define LIO_DP_REMOTE	"tcp"
#include "test_nvm_cmds.c"
