/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A backing store for leapiod in the test VM: a loop block device over a
 * memfd. Not a file in L1's tmpfs handed to leapiod directly: tmpfs
 * refuses O_DIRECT before Linux 6.6, and leapiod opens its backends with
 * O_DIRECT; the loop device takes it (and exercises the block backend).
 * The memfd has no name to clean up, the loop device clears itself when
 * its last user closes it (LO_FLAGS_AUTOCLEAR), so a test killed midway
 * leaks nothing. Tests look at the stored bytes through the memfd, whose
 * page cache is the one the loop device reads and writes.
 */
#ifndef LEAPIO_KSFT_BACKING_H
#define LEAPIO_KSFT_BACKING_H

#include <stddef.h>
#include <stdint.h>

struct backing {
	int		file;		/* the memfd */
	int		loop;		/* /dev/loopN, held open */
	char		path[32];	/* "/dev/loopN": what leapiod opens */
	uint64_t	size;
	/*
	 * Where in path the store begins: 0, except with the card VM
	 * (lib/card_vm.h), where the store is a slice of the card's SSD:
	 * path is the SSD as the card sees it, loop L1's view of it (its
	 * virtio disk, opened O_DIRECT: L1 must not cache what the card
	 * writes), file -1.
	 */
	uint64_t	base;
};

/* A zeroed device of size bytes (a multiple of 4096) with logical blocks
 * of block_size (512 or 4096). 0 or -errno; -ENODEV without the loop
 * driver. With the card VM: a zeroed slice of its SSD, 1 MiB aligned,
 * after the slices this process holds (block_size is the SSD's, 512);
 * -ENOSPC past its end.
 */
int backing_create(struct backing *b, uint64_t size, unsigned int block_size);
void backing_destroy(struct backing *b);
/* The loop device grows to size bytes (a remote disk resized): 0 or -errno. */
int backing_grow(struct backing *b, uint64_t size);
/*
 * Another loop device over b's memfd (not a card VM's slice): the same
 * blocks by another path, a backend to change to without moving data.
 * backing_destroy() it.
 */
int backing_alias(const struct backing *b, struct backing *alias);

/* What is stored at [off, off + len): 0 or -errno. */
int backing_read(struct backing *b, uint64_t off, void *buf, size_t len);
int backing_write(struct backing *b, uint64_t off, const void *buf, size_t len);

#endif /* LEAPIO_KSFT_BACKING_H */
