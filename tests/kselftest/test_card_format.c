// SPDX-License-Identifier: GPL-2.0
/*
 * test_format.c's tests with the card serving the vdev (lio_dp.h,
 * LIO_DP_CARD): the card's leapiod fetches nothing while the format is
 * asked, zeroes through its backend and answers through the card's
 * mailbox. The runtime killed mid-format is test_format's alone: the card
 * VM's leapiod cannot be stopped from L1 with a signal.
 */
#define LIO_DP_CARD	1
#include "test_format.c"
