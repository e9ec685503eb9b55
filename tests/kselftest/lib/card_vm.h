/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data path tests with the emulated card VM serving (the rig's pair,
 * tests/vm/card/run-pair.sh with l1-card-vm-ksft.sh): the card's leapiod
 * runs on the aarch64 card VM, not in L1, and is started and stopped by
 * the card's agent (tests/vm/card/card-agent.sh), which this library
 * asks through files in the directory both VMs share. The backing store
 * is a slice of the card's SSD, which L1 sees as its virtio disk too:
 * the tests read and write it there (lib/backing.h) while the card's
 * leapiod serves it as /dev/nvme0n1.
 *
 * Set by the environment of tests/kselftest/run.sh:
 *   LEAPIO_CARD_VM       the shared directory, as mounted in L1
 *   LEAPIO_CARD_VM_DISK  the card's SSD as L1's disk (/dev/vdX)
 *   LEAPIO_CARD_VM_SSD   the same as the card sees it (/dev/nvme0n1)
 */
#ifndef LIO_KSFT_CARD_VM_H
#define LIO_KSFT_CARD_VM_H

#include <stdbool.h>
#include <stddef.h>

/* How long the agent may take to answer (it looks every 50 ms; starting
 * leapiod on the card's one emulated core takes a second or so).
 */
#define CARD_VM_TIMEOUT_MS	30000

/* The tests run against the card VM (LEAPIO_CARD_VM is set). */
bool card_vm(void);
/* LEAPIO_CARD_VM_DISK and LEAPIO_CARD_VM_SSD, or NULL when unset. */
const char *card_vm_disk(void);
const char *card_vm_ssd(void);
/*
 * One request to the agent ("start ...", "alive", "stop 15", "log",
 * "quit"), its answer's value (after "ok ") in val. 0; -EIO with the
 * agent's reason in val when it answered "err"; -ETIMEDOUT; -errno.
 */
int card_vm_call(const char *req, char *val, size_t len);
/* The path of the agent's copy of leapiod's log (after a "log" call). */
const char *card_vm_log_path(void);

#endif
