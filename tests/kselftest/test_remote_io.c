// SPDX-License-Identifier: GPL-2.0
/*
 * test_io.c's tests with the vdev on a remote drive: the backing device
 * exported by the kernel's NVMe-oF target over TCP across a veth pair,
 * leapiod serving nvme+tcp:// through the kernel's initiator (lio_dp.h,
 * LIO_DP_REMOTE; lib/nvmet.h).
 */
#define LIO_DP_REMOTE	"tcp"
/* Doorbells and interrupts are leapiod's alone: test_io covers them. */
#define LIO_DP_FRONT_END_CASES	0
#include "test_io.c"
