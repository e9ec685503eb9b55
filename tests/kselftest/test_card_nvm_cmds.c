// SPDX-License-Identifier: GPL-2.0
/*
 * test_nvm_cmds.c's tests with the card serving the vdev (lio_dp.h,
 * LIO_DP_CARD): Copy's and Verify's buffers are leapiod's own on the
 * card, and the marks of Write Uncorrectable are kept in the card's
 * state directory. Runs in the loopback-card L1 (run.sh --card-list)
 * and against the card VM.
 */
#define LIO_DP_CARD	1
#include "test_nvm_cmds.c"
