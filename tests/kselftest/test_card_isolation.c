// SPDX-License-Identifier: GPL-2.0
/*
 * test_isolation.c's tests with the card serving the vdev: its region in card
 * DRAM, leapiod in card mode on /dev/leapio_soc reaching guest memory
 * through the host-DRAM window (lio_dp.h, LIO_DP_CARD). Runs in the
 * loopback-card L1 only (run.sh --card-list).
 */
#define LIO_DP_CARD	1
#include "test_isolation.c"
